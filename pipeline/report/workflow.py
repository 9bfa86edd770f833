"""Reviewer workflow: waivers (findings a reviewer accepts) and a baseline (the previous run).

- `load_waivers(path)` reads a YAML list of entries {sha256 | path, rule, reason, by, date}; a bad file
  raises `WaiverError` naming the entry and the field, in Vietnamese or English.
- `load_baseline(previous_out_dir)` reads the previous run's findings.jsonl (or report.json) and keeps,
  per document, only its flagged findings.
- `annotate(result, waivers, baseline)` marks one document result: waived findings keep their status and
  gain `waived`, `waiver_reason`, `waiver_by`, `waiver_date` (so they stay visible everywhere and leave
  the exit code); with a baseline, each flagged finding gains `baseline_state` ("new" | "unchanged") and
  the result gains `resolved` (previous flagged findings no longer flagged) and `baseline` (how the
  previous version was found).
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import yaml

FLAGGED = ("missing", "partial", "conflict")
WAIVABLE = FLAGGED + ("undetermined",)  # what a reviewer may accept; a pass needs no waiver
_SHA = re.compile(r"[0-9a-f]{64}")


class WaiverError(Exception):
    pass


class BaselineError(Exception):
    pass


_MSG = {
    "vi": {"read": "không đọc được tệp: {detail}", "yaml": "không phải YAML hợp lệ: {detail}",
           "list": "cần một danh sách các mục chấp nhận (hoặc khóa 'waivers' chứa danh sách)",
           "entry": "mục {n}: cần một bảng khóa–giá trị", "required": "mục {n}, trường '{field}': thiếu",
           "empty": "mục {n}, trường '{field}': không được để trống",
           "one_of": "mục {n}: cần đúng một trong hai trường 'sha256' hoặc 'path'",
           "sha": "mục {n}, trường 'sha256': cần 64 ký tự hexa (mã SHA-256 của tệp)",
           "date": "mục {n}, trường 'date': cần ngày dạng YYYY-MM-DD, nhận được {value!r}",
           "unknown_field": "mục {n}, trường '{field}': không có trường này (dùng sha256, path, rule, reason, by, date)",
           "unknown_rule": "mục {n}, trường 'rule': không có quy tắc {value!r}",
           "baseline": "không tìm thấy kết quả lần trước (findings.jsonl hoặc report.json) trong {detail}",
           "baseline_bad": "kết quả lần trước không đọc được: {detail}"},
    "en": {"read": "cannot read the file: {detail}", "yaml": "not valid YAML: {detail}",
           "list": "expected a list of waiver entries (or a 'waivers' key holding one)",
           "entry": "entry {n}: expected a mapping of keys to values", "required": "entry {n}, field '{field}': missing",
           "empty": "entry {n}, field '{field}': must not be empty",
           "one_of": "entry {n}: give exactly one of the fields 'sha256' or 'path'",
           "sha": "entry {n}, field 'sha256': expected 64 hexadecimal characters (the file's SHA-256)",
           "date": "entry {n}, field 'date': expected a YYYY-MM-DD date, got {value!r}",
           "unknown_field": "entry {n}, field '{field}': unknown field (use sha256, path, rule, reason, by, date)",
           "unknown_rule": "entry {n}, field 'rule': no rule {value!r}",
           "baseline": "no previous results (findings.jsonl or report.json) in {detail}",
           "baseline_bad": "previous results unreadable: {detail}"},
}
FIELDS = ("sha256", "path", "rule", "reason", "by", "date")


def _msg(key: str, lang: str, **kw) -> str:
    return _MSG["en" if lang == "en" else "vi"][key].format(**kw)


@dataclass
class Waiver:
    rule: str
    reason: str
    by: str
    date: str  # YYYY-MM-DD
    sha256: str | None = None
    path: str | None = None  # a glob pattern: on the whole path, or on the file name when it has no "/"
    entry: int = 0  # 1-based position in the file, for messages

    def matches(self, result: dict) -> bool:
        if self.sha256:
            return (result.get("sha256") or "").lower() == self.sha256
        file = result["file"].replace("\\", "/")
        pattern = self.path.replace("\\", "/")
        if "/" not in pattern:
            return fnmatch.fnmatchcase(PurePath(file).name, pattern)
        return fnmatch.fnmatchcase(file, pattern) or fnmatch.fnmatchcase(file, "*/" + pattern.lstrip("/"))


@dataclass
class Waivers:
    entries: list[Waiver] = field(default_factory=list)
    source: str = ""
    used: Counter = field(default_factory=Counter)  # entry number → findings it waived

    def find(self, result: dict, rule: str) -> Waiver | None:
        for w in self.entries:
            if w.rule == rule and w.matches(result):
                return w
        return None

    def unused(self) -> list[Waiver]:
        """Entries that waived nothing in this run (a typo, or the finding was fixed): worth telling."""
        return [w for w in self.entries if not self.used[w.entry]]

    def unused_messages(self, lang: str = "vi") -> list[str]:
        return [f"{self.source}: " + (f"entry {w.entry} ({w.rule}) waived no finding" if lang == "en" else
                                      f"mục {w.entry} ({w.rule}) không khớp phát hiện nào") for w in self.unused()]


def load_waivers(path: str | Path, lang: str = "vi", known_rules: set[str] | None = None) -> Waivers:
    src = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WaiverError(f"{src}: {_msg('read', lang, detail=exc)}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise WaiverError(f"{src}: {_msg('yaml', lang, detail=exc)}") from None
    if isinstance(data, dict) and "waivers" in data:
        data = data["waivers"]
    if data is None:
        data = []
    if not isinstance(data, list):
        raise WaiverError(f"{src}: {_msg('list', lang)}")
    entries = []
    for n, item in enumerate(data, 1):
        def fail(key: str, **kw):
            raise WaiverError(f"{src}: {_msg(key, lang, n=n, **kw)}")

        if not isinstance(item, dict):
            fail("entry")
        for key in item:
            if key not in FIELDS:
                fail("unknown_field", field=key)
        if ("sha256" in item) == ("path" in item):
            fail("one_of")
        for key in ("rule", "reason", "by", "date"):
            if key not in item:
                fail("required", field=key)
            if item[key] is None or (isinstance(item[key], str) and not item[key].strip()):
                fail("empty", field=key)
        sha = None
        if "sha256" in item:
            sha = str(item["sha256"] or "").strip().lower()
            if not _SHA.fullmatch(sha):
                fail("sha")
        pattern = None
        if "path" in item:
            pattern = str(item["path"] or "").strip()
            if not pattern:
                fail("empty", field="path")
        date = item["date"]
        if isinstance(date, dt.datetime):
            date = date.date()
        if not isinstance(date, dt.date):
            try:
                date = dt.date.fromisoformat(str(date).strip())
            except ValueError:
                fail("date", value=item["date"])
        rule = str(item["rule"]).strip()
        if known_rules is not None and rule not in known_rules:
            fail("unknown_rule", value=rule)
        entries.append(Waiver(rule=rule, reason=str(item["reason"]).strip(), by=str(item["by"]).strip(),
                              date=date.isoformat(), sha256=sha, path=pattern, entry=n))
    return Waivers(entries, src)


@dataclass
class Baseline:
    """The previous run, reduced to what a comparison needs: per document its flagged findings."""
    source: str
    docs: list[dict]  # {"file", "sha256", "flagged": [{"rule", "status", "severity", "message", "title"}]}
    by_sha: dict[str, int] = field(default_factory=dict)
    by_path: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=dict)

    def match(self, result: dict) -> tuple[dict | None, str | None]:
        """The previous version of a document: same content, else same path, else the same file name."""
        sha = result.get("sha256")
        if sha and sha in self.by_sha:
            return self.docs[self.by_sha[sha]], "sha256"
        if result["file"] in self.by_path:
            return self.docs[self.by_path[result["file"]]], "path"
        same = self.by_name.get(PurePath(result["file"].replace("\\", "/")).name, [])
        if len(same) == 1:  # a name shared by several previous files says nothing
            return self.docs[same[0]], "name"
        return None, None


def _previous_documents(source: Path, lang: str):
    jsonl = source / "findings.jsonl" if source.is_dir() else source
    report = source / "report.json" if source.is_dir() else source
    try:
        if jsonl.is_file() and jsonl.suffix == ".jsonl":
            with open(jsonl, encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        yield json.loads(line)
            return
        if report.is_file() and report.suffix == ".json":
            yield from json.loads(report.read_text(encoding="utf-8")).get("documents", [])
            return
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{source}: {_msg('baseline_bad', lang, detail=exc)}") from None
    raise BaselineError(_msg("baseline", lang, detail=source))


def load_baseline(previous_out_dir: str | Path, lang: str = "vi") -> Baseline:
    source = Path(previous_out_dir)
    base = Baseline(str(source), [])
    for doc in _previous_documents(source, lang):
        if not isinstance(doc, dict) or "file" not in doc:
            raise BaselineError(f"{source}: {_msg('baseline_bad', lang, detail='file')}")
        flagged = [{"rule": f["rule"], "status": f["status"], "severity": f.get("severity"),
                    "message": f.get("message"), "title": f.get("title")}
                   for f in doc.get("findings") or [] if f.get("status") in FLAGGED]
        i = len(base.docs)
        base.docs.append({"file": doc["file"], "sha256": doc.get("sha256"), "flagged": flagged})
        if doc.get("sha256") and not doc.get("error"):
            base.by_sha.setdefault(doc["sha256"], i)
        base.by_path.setdefault(doc["file"], i)
        base.by_name.setdefault(PurePath(doc["file"].replace("\\", "/")).name, []).append(i)
    return base


def annotate(result: dict, waivers: Waivers | None = None, baseline: Baseline | None = None) -> dict:
    """Mark waived findings and the changes since the baseline, in place; returns the result."""
    findings = result.get("findings") or []
    if waivers is not None:
        for f in findings:
            if f["status"] not in WAIVABLE:
                continue
            w = waivers.find(result, f["rule"])
            if w is None:
                continue
            f.update(waived=True, waiver_reason=w.reason, waiver_by=w.by, waiver_date=w.date)
            waivers.used[w.entry] += 1
    if baseline is not None and not result.get("error"):
        previous, how = baseline.match(result)
        before = {(p["rule"], p["status"]) for p in previous["flagged"]} if previous else set()
        now = set()
        for f in findings:
            if f["status"] in FLAGGED:
                f["baseline_state"] = "unchanged" if (f["rule"], f["status"]) in before else "new"
                now.add((f["rule"], f["status"]))
        result["resolved"] = [dict(p) for p in (previous["flagged"] if previous else [])
                              if (p["rule"], p["status"]) not in now]
        result["baseline"] = {"match": how, "previous_file": previous["file"] if previous else None,
                              "previous_sha256": previous["sha256"] if previous else None}
    # the severity counts leave waived findings out (as the exit code does)
    if findings:
        sev = Counter(f["severity"] for f in findings if f["status"] in FLAGGED and not f.get("waived"))
        result["severity_counts"] = {s: sev.get(s, 0) for s in ("error", "warning", "info")}
    return result
