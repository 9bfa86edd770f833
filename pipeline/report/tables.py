"""Rows of the batch tables (XLSX sheets, CSV): one per document, one per non-present finding.

Built from the result dicts of docs/check-json.md only; the XLSX and CSV writers share them so both
say the same thing. Column keys are stable (the CSV header); labels are for people (the XLSX header).
"""
from __future__ import annotations

from pipeline.report.groups import group_of, group_name
from pipeline.report.messages import SEVERITY_NAMES, STATUS_NAMES

FLAGGED = ("missing", "partial", "conflict")
STATUSES = ("present", "partial", "missing", "conflict", "not_applicable", "undetermined")
SEVERITIES = ("error", "warning", "info")

# Compliance score: the weight an open (flagged, not waived) finding costs, by its severity. A present
# finding and a waived one weigh 1 on the good side; not_applicable and undetermined are left out.
SCORE_WEIGHTS = {"error": 3, "warning": 1, "info": 1}

DOCUMENT_COLUMNS = (
    ["file", "sha256", "format", "kind", "unit_type", "date", "reference", "issuer", "error"]
    + [f"n_{s}" for s in STATUSES] + [f"n_{s}" for s in SEVERITIES]
    + ["n_waived", "n_new", "n_resolved", "score", "rules_version", "legal_snapshot", "as_of"]
)
FINDING_COLUMNS = ["file", "sha256", "rule", "group", "title", "status", "severity", "message", "location",
                   "quote", "citation", "suggestion", "confidence", "waived", "waiver_reason", "waiver_by",
                   "waiver_date", "baseline_state"]

_LABELS = {
    "vi": {"file": "Tệp", "sha256": "SHA-256", "format": "Định dạng", "kind": "Loại văn bản",
           "unit_type": "Loại hình đơn vị", "date": "Ngày văn bản", "reference": "Số, ký hiệu",
           "issuer": "Cơ quan ban hành", "error": "Lỗi đọc tệp",
           "n_error": "Số lỗi", "n_warning": "Số cảnh báo", "n_info": "Số thông tin",
           "n_waived": "Đã chấp nhận", "n_new": "Mới so với lần trước", "n_resolved": "Đã khắc phục",
           "score": "Điểm tuân thủ (%)", "rules_version": "Phiên bản bộ quy tắc",
           "legal_snapshot": "Căn cứ pháp lý", "as_of": "Ngày đối chiếu",
           "rule": "Mã quy tắc", "group": "Nhóm yêu cầu", "title": "Nội dung", "status": "Kết quả",
           "severity": "Mức độ", "message": "Nhận xét", "location": "Vị trí", "quote": "Trích dẫn",
           "citation": "Căn cứ", "suggestion": "Đề xuất bổ sung", "confidence": "Độ tin cậy",
           "waived": "Chấp nhận", "waiver_reason": "Lý do chấp nhận", "waiver_by": "Người chấp nhận",
           "waiver_date": "Ngày chấp nhận", "baseline_state": "So với lần trước"},
    "en": {"file": "File", "sha256": "SHA-256", "format": "Format", "kind": "Kind", "unit_type": "Unit type",
           "date": "Date", "reference": "Reference", "issuer": "Issuer", "error": "Read error",
           "n_error": "Errors", "n_warning": "Warnings", "n_info": "Info", "n_waived": "Waived",
           "n_new": "New since baseline", "n_resolved": "Resolved since baseline", "score": "Compliance score (%)",
           "rules_version": "Rules version", "legal_snapshot": "Legal snapshot", "as_of": "As of",
           "rule": "Rule", "group": "Requirement group", "title": "Requirement", "status": "Status",
           "severity": "Severity", "message": "Message", "location": "Location", "quote": "Quote",
           "citation": "Legal basis", "suggestion": "Suggested wording", "confidence": "Confidence",
           "waived": "Waived", "waiver_reason": "Waiver reason", "waiver_by": "Waived by",
           "waiver_date": "Waiver date", "baseline_state": "Since baseline"},
}
BASELINE_NAMES = {"vi": {"new": "mới", "unchanged": "như lần trước", "resolved": "đã khắc phục"},
                  "en": {"new": "new", "unchanged": "unchanged", "resolved": "resolved"}}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "vi"


def label(key: str, lang: str = "vi") -> str:
    """The header of a column for people; count columns are named after their status."""
    lg = _lang(lang)
    if key.startswith("n_") and key[2:] in STATUSES:
        name = STATUS_NAMES[lg][key[2:]]
        return f"Số {name.lower()}" if lg == "vi" else name.capitalize()
    return _LABELS[lg].get(key, key)


def compliance_score(result: dict) -> float | None:
    """Share (in %) of the applicable checks a document satisfies, open errors weighing three times.

    score = 100 × good / (good + Σ weight of open findings), where good counts present findings and
    waived ones (accepted by a reviewer), and an open finding is a missing, partial or conflict one
    that is not waived, weighing 3 if its severity is error and 1 otherwise. Not-applicable and
    undetermined checks are left out. None when nothing applicable was checked (unreadable file, no
    rule pack applies).
    """
    good = 0
    bad = 0
    for f in result.get("findings", []):
        if f["status"] == "present" or (f["status"] in FLAGGED and f.get("waived")):
            good += 1
        elif f["status"] in FLAGGED:
            bad += SCORE_WEIGHTS.get(f["severity"], 1)
    if good + bad == 0:
        return None
    return round(100.0 * good / (good + bad), 1)


def format_date(date: dict | None) -> str:
    """ISO when complete, else the known parts with dots for the blanks (drafts: "..-11-2025" → "2025-11-..")."""
    if not date or not date.get("year"):
        return ""
    month = f"{date['month']:02d}" if date.get("month") else ".."
    day = f"{date['day']:02d}" if date.get("day") else ".."
    return f"{date['year']}-{month}-{day}"


def document_row(run: dict, result: dict) -> dict:
    """One document's summary row (machine values: codes, numbers; no localisation)."""
    counts = result.get("counts") or {}
    sev = result.get("severity_counts") or {}
    findings = result.get("findings", [])
    header = result.get("header") or {}
    has_baseline = "resolved" in result
    row = {
        "file": result["file"], "sha256": result.get("sha256") or "", "format": result.get("format") or "",
        "kind": result.get("kind") or "", "unit_type": result.get("unit_type") or "",
        "date": format_date(result.get("date")), "reference": header.get("reference") or "",
        "issuer": " / ".join(header.get("issuer") or []), "error": result.get("error") or "",
    }
    for s in STATUSES:
        row[f"n_{s}"] = counts.get(s, 0)
    for s in SEVERITIES:
        row[f"n_{s}"] = sev.get(s, 0)
    row["n_waived"] = sum(1 for f in findings if f.get("waived"))
    row["n_new"] = sum(1 for f in findings if f.get("baseline_state") == "new") if has_baseline else None
    row["n_resolved"] = len(result["resolved"]) if has_baseline else None
    row["score"] = compliance_score(result)
    row.update({"rules_version": run["rules_version"], "legal_snapshot": run["legal_snapshot"],
                "as_of": run["as_of"]})
    return row


def finding_rows(result: dict, lang: str = "vi"):
    """Rows for the findings sheet: every finding that is not `present`, then the resolved ones."""
    lg = _lang(lang)
    st, sv, bn = STATUS_NAMES[lg], SEVERITY_NAMES[lg], BASELINE_NAMES[lg]
    yes = "có" if lg == "vi" else "yes"
    for f in result.get("findings", []):
        if f["status"] == "present":
            continue
        ev = f.get("evidence") or []
        yield {
            "file": result["file"], "sha256": (result.get("sha256") or "")[:12], "rule": f["rule"],
            "group": group_name(group_of(f["rule"]), lg), "title": f.get("title") or "",
            "status": st.get(f["status"], f["status"]), "severity": sv.get(f["severity"], f["severity"]),
            "message": f["message"],
            "location": ev[0]["location"] if ev else (f.get("where") or ""),
            "quote": ev[0]["quote"] if ev else "",
            "citation": (f.get("citation") or {}).get("text", ""), "suggestion": f.get("suggestion") or "",
            "confidence": f.get("confidence"), "waived": yes if f.get("waived") else "",
            "waiver_reason": f.get("waiver_reason") or "", "waiver_by": f.get("waiver_by") or "",
            "waiver_date": f.get("waiver_date") or "",
            "baseline_state": bn.get(f.get("baseline_state"), "") if f.get("baseline_state") else "",
        }
    for r in result.get("resolved") or []:
        yield {
            "file": result["file"], "sha256": (result.get("sha256") or "")[:12], "rule": r["rule"],
            "group": group_name(group_of(r["rule"]), lg), "title": r.get("title") or "",
            "status": st.get(r["status"], r["status"]), "severity": sv.get(r.get("severity"), r.get("severity") or ""),
            "message": r.get("message") or "", "location": "", "quote": "", "citation": "", "suggestion": "",
            "confidence": None, "waived": "", "waiver_reason": "", "waiver_by": "", "waiver_date": "",
            "baseline_state": bn["resolved"],
        }
