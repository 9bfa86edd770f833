"""`results.sarif`: SARIF 2.1.0 for code-scanning viewers and review tools.

One run. Every rule applied is a reporting descriptor (title, why, suggested wording, legal citation).
Every check is a result with its `kind`: `fail` (missing, partial, conflict), `pass` (present),
`notApplicable`, `review` (undetermined: depends on a fact the document does not give). Locations are
logical: the human path of the evidence ("Quy chế › Chương II › Điều 7") or, for a missing item, the
section where it belongs, or else the document itself — never an invented line number (DOCX paragraph
offsets are not offsets into the file). Waived findings carry `suppressions`; with a baseline, results
carry `baselineState` and resolved findings appear as `absent`. Unreadable files are tool notifications.
The run's properties name the rules version, the legal snapshot and the as-of date.

Written as a stream: the file is assembled piece by piece over a few passes of `results()`.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator
from urllib.parse import quote

from pipeline import __version__
from pipeline.report.groups import group_of
from pipeline.report.messages import STATUS_NAMES
from pipeline.report.outputs import batch_writer

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
KINDS = {"missing": "fail", "partial": "fail", "conflict": "fail", "present": "pass",
         "not_applicable": "notApplicable", "undetermined": "review"}
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def artifact_uri(file: str) -> str:
    """The file as a URI reference: relative paths stay relative (percent-encoded), absolute ones file:///."""
    p = Path(file)
    if p.is_absolute():
        return p.as_uri()
    return quote(PurePosixPath(*p.parts).as_posix(), safe="/")


def _rule_name(title_en: str) -> str:
    """SARIF's `name`: an identifier people can read, CamelCase from the English title."""
    ascii_text = unicodedata.normalize("NFKD", title_en).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_text)
    return "".join(w[:1].upper() + w[1:] for w in words)[:80] or "Rule"


def _descriptor(rule_id: str, rule, sample: dict | None, lang: str) -> dict:
    vi = lang != "en"
    if rule is None:  # a rule of another rules version (e.g. only in the baseline): what the result says
        title = (sample or {}).get("title") or rule_id
        return {"id": rule_id, "shortDescription": {"text": title},
                "properties": {"legal_basis": ((sample or {}).get("citation") or {}).get("text", ""),
                               "pack": (sample or {}).get("pack", ""), "tags": [group_of(rule_id)]}}
    title = getattr(rule.title, "vi" if vi else "en")
    why = getattr(rule.why, "vi" if vi else "en") if rule.why else getattr(rule.message, "vi" if vi else "en")
    cite = rule.legal_basis.cite()
    basis = "Căn cứ" if vi else "Legal basis"
    wording = "Đề xuất bổ sung" if vi else "Suggested wording"
    help_text = f"{why}\n{basis}: {cite}\n{wording}: {rule.suggestion}"
    help_md = f"{why}\n\n**{basis}:** {cite}\n\n**{wording}:** {rule.suggestion}"
    return {
        "id": rule.id, "name": _rule_name(rule.title.en),
        "shortDescription": {"text": title}, "fullDescription": {"text": why},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"legal_basis": cite, "instrument": rule.legal_basis.instrument,
                       "article": rule.legal_basis.article, "clause": rule.legal_basis.clause,
                       "point": rule.legal_basis.point, "also": rule.legal_basis.also, "pack": rule.pack,
                       "verified": rule.verified, "tags": [group_of(rule.id), rule.pack]},
    }


def _logical(path: str) -> list[dict]:
    return [{"name": path.split(" › ")[-1], "fullyQualifiedName": path}]


def _locations(result: dict, index: int, finding: dict, lang: str) -> list[dict]:
    doc = {"artifactLocation": {"uri": artifact_uri(result["file"]), "index": index}}
    out = []
    for ev in finding.get("evidence") or []:
        loc = {"physicalLocation": doc, "logicalLocations": _logical(ev["location"]),
               "message": {"text": ev["quote"]}}
        if ev.get("span"):  # block-relative offsets, for tools that re-open the document (not a file region)
            loc["properties"] = {"span": ev["span"]}
        out.append(loc)
    if not out and finding.get("where"):
        text = "Vị trí phù hợp để bổ sung" if lang != "en" else "Where it belongs"
        out.append({"physicalLocation": doc, "logicalLocations": _logical(finding["where"]),
                    "message": {"text": text}})
    if not out:  # a whole-document matter: the document itself
        out.append({"physicalLocation": doc})
    return out


def _fingerprint(result: dict, rule: str, status: str) -> dict:
    """Stable across revisions of a document (its name, not its hash), as baseline tools expect."""
    key = f"{Path(result['file']).name}|{rule}|{status}"
    return {"documentRule/v1": hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]}


def _result(result: dict, index: int, finding: dict, rule_index: dict[str, int], lang: str) -> dict:
    kind = KINDS[finding["status"]]
    out = {
        "ruleId": finding["rule"], "ruleIndex": rule_index[finding["rule"]], "kind": kind,
        # SARIF: a result whose kind is not "fail" has level "none"
        "level": LEVELS[finding["severity"]] if kind == "fail" else "none",
        "message": {"text": finding["message"]},
        "locations": _locations(result, index, finding, lang),
        "partialFingerprints": _fingerprint(result, finding["rule"], finding["status"]),
        "properties": {"status": finding["status"], "severity": finding["severity"],
                       "confidence": finding.get("confidence"), "pack": finding.get("pack"),
                       "legal_basis": (finding.get("citation") or {}).get("text"),
                       "suggestion": finding.get("suggestion"), "notes": finding.get("notes") or []},
    }
    if finding.get("waived"):
        out["suppressions"] = [{"kind": "external", "status": "accepted",
                                "justification": finding.get("waiver_reason") or "",
                                "properties": {"by": finding.get("waiver_by"), "date": finding.get("waiver_date")}}]
    if finding.get("baseline_state"):
        out["baselineState"] = finding["baseline_state"]
    return out


def _absent(result: dict, index: int, previous: dict, rule_index: dict[str, int], lang: str) -> dict:
    """A flagged finding of the previous version that is no longer flagged: fixed."""
    names = STATUS_NAMES["en" if lang == "en" else "vi"]
    head = (f"Đã khắc phục (lần trước: {names.get(previous['status'], previous['status'])})" if lang != "en"
            else f"Resolved (previously {names.get(previous['status'], previous['status'])})")
    return {
        "ruleId": previous["rule"], "ruleIndex": rule_index[previous["rule"]], "kind": "pass", "level": "none",
        "message": {"text": f"{head}: {previous.get('message') or ''}".rstrip(": ")},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(result["file"]),
                                                                 "index": index}}}],
        "partialFingerprints": _fingerprint(result, previous["rule"], previous["status"]),
        "baselineState": "absent",
        "properties": {"status": previous["status"], "severity": previous.get("severity")},
    }


def _notification(result: dict, index: int, lang: str) -> dict | None:
    loc = [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(result["file"]), "index": index}}}]
    if result.get("error"):
        return {"level": "error", "message": {"text": result["error"]},
                "descriptor": {"id": result.get("error_code") or "read_error"}, "locations": loc}
    if not result.get("findings"):
        text = ("Không thuộc phạm vi áp dụng của các bộ quy tắc." if lang != "en"
                else "No rule pack applies to this document.")
        return {"level": "note", "message": {"text": text}, "descriptor": {"id": "not_applicable"}, "locations": loc}
    return None


@batch_writer("sarif")
def write_sarif(run: dict, results: Callable[[], Iterator[dict]], out_dir: Path, lang: str = "vi") -> list[Path]:
    from pipeline.check import default_ruleset

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ruleset = default_ruleset()

    # pass 1: the rules applied, in order of first use (a sample finding for rules unknown to this version)
    rule_index: dict[str, int] = {}
    unknown: dict[str, dict] = {}
    for result in results():
        for f in list(result.get("findings", [])) + list(result.get("resolved") or []):
            if f["rule"] not in rule_index:
                rule_index[f["rule"]] = len(rule_index)
                if f["rule"] not in ruleset.by_id:
                    unknown[f["rule"]] = f
    rules = [_descriptor(rid, ruleset.by_id.get(rid), unknown.get(rid), lang) for rid in rule_index]

    path = out_dir / "results.sarif"
    notifications: list[dict] = []
    with open(path, "w", encoding="utf-8") as fh:
        driver = {"name": "dccs", "version": __version__, "semanticVersion": __version__,
                  "fullName": "dccs — kiểm tra văn bản theo Luật Thực hiện dân chủ ở cơ sở",
                  "language": "en-US" if lang == "en" else "vi-VN", "rules": rules,
                  "properties": {"rules_version": run["rules_version"], "legal_snapshot": run["legal_snapshot"]}}
        fh.write('{"$schema": ' + _dumps(SCHEMA_URI) + ', "version": "2.1.0", "runs": [{')
        fh.write('"tool": {"driver": ' + _dumps(driver) + "},\n")
        fh.write('"language": ' + _dumps("en-US" if lang == "en" else "vi-VN") + ",\n")
        fh.write('"properties": ' + _dumps({"rules_version": run["rules_version"],
                                             "legal_snapshot": run["legal_snapshot"], "as_of": run["as_of"]}) + ",\n")
        # pass 2: one artifact per document, in input order (so a document's index is its position)
        fh.write('"artifacts": [')
        for i, result in enumerate(results()):
            artifact = {"location": {"uri": artifact_uri(result["file"])}, "roles": ["analysisTarget"]}
            if result.get("sha256"):
                artifact["hashes"] = {"sha-256": result["sha256"]}
            fh.write(("," if i else "") + "\n" + _dumps(artifact))
            note = _notification(result, i, lang)
            if note:
                notifications.append(note)
        fh.write("],\n")
        # pass 3: the results
        fh.write('"results": [')
        first = True
        for i, result in enumerate(results()):
            items = [_result(result, i, f, rule_index, lang) for f in result.get("findings", [])]
            items += [_absent(result, i, p, rule_index, lang) for p in result.get("resolved") or []]
            for item in items:
                fh.write(("" if first else ",") + "\n" + _dumps(item))
                first = False
        fh.write("],\n")
        invocation = {"executionSuccessful": not any(n["level"] == "error" for n in notifications),
                      "toolExecutionNotifications": notifications}
        fh.write('"invocations": [' + _dumps(invocation) + "]}]}\n")
    return [path]
