"""Report files of a batch: one registry of writers, called by `dccs check --out DIR`.

Two kinds of writer, registered by name (the name is what `--format` selects):

- a *document* writer makes files for one document as soon as its result arrives:
  `fn(run, result, out_dir, lang) -> list[Path]` (e.g. the HTML report, the commented DOCX, the letter);
- a *batch* writer makes files for the whole batch once every result is in, reading the results as a
  stream so memory stays flat whatever the batch size:
  `fn(run, results, out_dir, lang) -> list[Path]` where `results()` returns a fresh iterator over the
  document results in input order (each call reads `findings.jsonl` again).

`run` and each `result` are exactly the objects of the JSON schema in docs/check-json.md.
Per-document files go under `out_dir / "docs"`, named by `doc_basename(result)`.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path
from typing import Callable, Iterator

DocumentWriter = Callable[[dict, dict, Path, str], list[Path]]
BatchWriter = Callable[[dict, Callable[[], Iterator[dict]], Path, str], list[Path]]

DOCUMENT_WRITERS: dict[str, DocumentWriter] = {}
BATCH_WRITERS: dict[str, BatchWriter] = {}


def document_writer(name: str):
    def register(fn: DocumentWriter) -> DocumentWriter:
        DOCUMENT_WRITERS[name] = fn
        return fn
    return register


def batch_writer(name: str):
    def register(fn: BatchWriter) -> BatchWriter:
        BATCH_WRITERS[name] = fn
        return fn
    return register


def doc_basename(result: dict) -> str:
    """A safe, stable file stem for one document's reports: ASCII slug of its name + 8 hex of its hash.

    Never a client-supplied path: only the last name component, folded to [a-z0-9-]; the hash keeps two
    files with the same name in different folders apart.
    """
    name = Path(result["file"]).name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    ascii_stem = unicodedata.normalize("NFKD", stem.replace("đ", "d").replace("Đ", "D"))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem.encode("ascii", "ignore").decode().lower()).strip("-")[:60]
    digest = result.get("sha256") or hashlib.sha256(result["file"].encode("utf-8", "surrogateescape")).hexdigest()
    return f"{slug or 'van-ban'}-{digest[:8]}"


def read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


from pipeline.report import summary_csv, sarif, xlsx  # noqa: E402,F401  (registers the batch tables)
from pipeline.report import docx_comments  # noqa: E402,F401  (registers "docx" and "letter")
from pipeline.report import html  # noqa: E402,F401  (registers the "html" document writer)
from pipeline.report import dashboard  # noqa: E402,F401  (registers the "dashboard" batch writer)
