"""Content-hash cache of document results, so an unchanged re-run skips parsing and checking.

Key: sha256 of the file's bytes + its extension (the reader is chosen by it) + everything else a result
depends on: the rules version (itself a content hash of the rule files), the as-of date, the options
(kind, unit type, staff, language, size limit), the package version and a hash of the pipeline's own
source files (so an edited parser or check never serves a stale result). The value is the document
result JSON (docs/check-json.md); its `file` is replaced by the current path on every hit, so a file
moved or renamed is served from the cache under its new name.

Only results without an error are stored: errors such as a timeout, a missing converter or an OCR
failure depend on the machine, not on the file. Entries are written atomically (temporary file +
rename), so a killed run never leaves half an entry; an entry that does not parse or whose key does not
match is ignored, counted as corrupt and rewritten.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import orjson

FORMAT = "v1"  # layout of an entry; bump when it changes


def default_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dccs"


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the pipeline's Python sources: any code change invalidates every entry."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*.py")):
        h.update(str(f.relative_to(root)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


class ResultCache:
    def __init__(self, root: Path, salt: dict):
        from pipeline import __version__

        self.dir = Path(root) / FORMAT
        material = dict(salt, package=__version__, code=code_version(), format=FORMAT)
        self.salt = json.dumps(material, sort_keys=True, ensure_ascii=False).encode()
        self.hits = self.misses = self.corrupt = self.writes = 0

    def key(self, data: bytes, suffix: str) -> str:
        h = hashlib.sha256(self.salt)
        h.update(b"\0" + suffix.lower().encode("utf-8", "surrogateescape") + b"\0")
        h.update(hashlib.sha256(data).digest())
        return h.hexdigest()

    def _file(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, key: str, file: str) -> dict | None:
        from pipeline.report import display_name

        try:
            entry = orjson.loads(self._file(key).read_bytes())
            if entry["key"] != key or not isinstance(entry["result"], dict):
                raise ValueError("key mismatch")
            result = entry["result"]
            result["file"] = display_name(file)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (ValueError, KeyError, TypeError, OSError):  # orjson.JSONDecodeError is a ValueError
            self.corrupt += 1  # ignored; the fresh result overwrites it
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: dict) -> None:
        if result.get("error"):
            return
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as fh:
                fh.write(orjson.dumps({"key": key, "result": result}, option=orjson.OPT_NON_STR_KEYS))
            os.replace(tmp, target)
            self.writes += 1
        except (OSError, TypeError):  # a full or read-only disk, text orjson refuses: just not cached
            try:
                os.unlink(tmp)  # type: ignore[possibly-undefined]
            except (OSError, NameError):
                pass
