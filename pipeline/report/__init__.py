"""Report stage: results -> JSON (stable schema, docs/check-json.md) and a readable text report.

Entry points: `document_result(...)` builds one document's JSON object; `render_text(...)` and
`render_summary(...)` print it for people (Vietnamese by default, English with lang="en").
"""
from __future__ import annotations

from collections import Counter

from pipeline.report.messages import SEVERITY_NAMES, STATUS_NAMES
from pipeline.classify import KIND_NAMES, UNIT_NAMES

FLAGGED = ("missing", "partial", "conflict")


def display_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by the OS as surrogates) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def run_info(ruleset, as_of: str) -> dict:
    return {"rules_version": ruleset.version, "legal_snapshot": ruleset.legal_snapshot, "as_of": as_of}


def document_result(file: str, doc=None, classification=None, findings=None, error: str | None = None,
                    error_code: str | None = None, sha256: str | None = None, fmt: str | None = None) -> dict:
    findings = findings or []
    c = classification
    counts = Counter(f.status for f in findings)
    severities = Counter(f.severity for f in findings if f.status in FLAGGED and not f.waived)
    out = {
        "file": display_name(file),
        "sha256": doc.sha256 if doc else sha256,
        "format": doc.format if doc else fmt,
        "kind": c.kind if c else None,
        "unit_type": c.unit_type if c else None,
        "date": doc.header.date.to_dict() if doc and doc.header.date else None,
        "error": error,
        "error_code": error_code,
        "header": ({"reference": doc.header.reference, "doc_type": doc.header.doc_type,
                    "issuer": doc.header.issuer, "title": doc.header.title, "place": doc.header.place}
                   if doc else None),
        "classification": c.to_dict() if c else None,
        "applicable": bool(findings),
        "counts": {s: counts.get(s, 0) for s in STATUS_NAMES["en"]},
        "severity_counts": {s: severities.get(s, 0) for s in ("error", "warning", "info")},
        "findings": [f.to_dict() for f in findings],
    }
    return out


def worst_severity(result: dict) -> str | None:
    ranks = {"info": 0, "warning": 1, "error": 2}
    worst = None
    for f in result["findings"]:
        if f["status"] in FLAGGED and not f.get("waived"):
            if worst is None or ranks[f["severity"]] > ranks[worst]:
                worst = f["severity"]
    return worst


def render_text(result: dict, lang: str = "vi", show_all: bool = False) -> str:
    vi = lang != "en"
    st, sv = STATUS_NAMES["vi" if vi else "en"], SEVERITY_NAMES["vi" if vi else "en"]
    out = [f"══ {result['file']}"]
    if result["error"]:
        out.append(f"   {'LỖI' if vi else 'ERROR'}: {result['error']}")
        return "\n".join(out)
    h, c = result["header"], result["classification"]
    date = result["date"]
    d = f"{date['day'] or '..'}/{date['month'] or '..'}/{date['year']}" if date else "?"
    out.append(f"   {h['doc_type'] or '?'} {h['reference'] or ''} — {d} — {' / '.join(h['issuer'])}")
    if h["title"]:
        out.append(f"   {h['title']}")
    kind = KIND_NAMES.get(c["kind"], c["kind"]) if vi else c["kind"]
    unit = UNIT_NAMES.get(c["unit_type"], c["unit_type"]) if vi else c["unit_type"]
    out.append(f"   {'Loại văn bản' if vi else 'Kind'}: {kind} · {'Loại hình đơn vị' if vi else 'Unit type'}: "
               f"{unit or '?'} ({c['unit_reason']})")
    if c.get("date_note"):
        out.append(f"   {'Ghi chú' if vi else 'Note'}: {c['date_note']}")
    if not result["findings"]:
        out.append("   " + ("Không thuộc phạm vi áp dụng của các bộ quy tắc (không phải quy chế, kế hoạch, báo cáo về "
                            "thực hiện dân chủ ở cơ sở của đơn vị thuộc diện điều chỉnh)." if vi else
                            "No rule pack applies (not a grassroots-democracy regulation, plan or report of a "
                            "covered unit)."))
        return "\n".join(out)
    counts = result["counts"]
    out.append("   " + " · ".join(f"{counts[s]} {st[s]}" for s in st if counts.get(s)))
    order = {"conflict": 0, "missing": 1, "partial": 2, "undetermined": 3, "present": 4, "not_applicable": 5}
    sev = {"error": 0, "warning": 1, "info": 2}
    for f in sorted(result["findings"], key=lambda f: (order[f["status"]], sev[f["severity"]])):
        if f["status"] in ("present", "not_applicable") and not show_all:
            continue
        mark = {"conflict": "✗", "missing": "✗", "partial": "!", "undetermined": "?"}.get(f["status"], "✓")
        waived = f" [{'đã chấp nhận' if vi else 'waived'}: {f.get('waiver_reason')}]" if f.get("waived") else ""
        new = f" [{'mới' if vi else 'new'}]" if f.get("baseline_state") == "new" else ""
        out.append(f"   {mark} [{sv[f['severity']]}] {f['rule']} — {st[f['status']]}: {f['message']}{waived}{new}")
        out.append(f"       {'Căn cứ' if vi else 'Legal basis'}: {f['citation']['text']}")
        for ev in f["evidence"][:2]:
            quote = ev["quote"] if len(ev["quote"]) <= 160 else ev["quote"][:157] + "…"
            out.append(f"       {'Trích' if vi else 'Quote'}: “{quote}” ({ev['location']})")
        if f.get("where") and f["status"] == "missing":
            out.append(f"       {'Vị trí phù hợp' if vi else 'Belongs in'}: {f['where']}")
        if f.get("suggestion"):
            fix = f["status"] == "conflict"  # a conflicting provision is amended, not added to
            label = ("Đề xuất sửa thành" if fix else "Đề xuất bổ sung") if vi else ("Amend to" if fix else "Suggested wording")
            out.append(f"       {label}: {f['suggestion']}")
    for p in result.get("resolved") or []:  # re-checked against a baseline: what this version fixed
        out.append(f"   ✓ [{'đã khắc phục' if vi else 'resolved'}] {p['rule']} — "
                   f"{'lần trước' if vi else 'previously'} {st.get(p['status'], p['status'])}: {p.get('message') or ''}")
    return "\n".join(out)


def render_summary(run: dict, results: list[dict], lang: str = "vi") -> str:
    vi = lang != "en"
    rows = [("Tệp" if vi else "File", "Loại" if vi else "Kind", "Đơn vị" if vi else "Unit",
             "Lỗi" if vi else "Errors", "Cảnh báo" if vi else "Warnings", "Kết quả" if vi else "Result")]
    for r in results:
        if r["error"]:
            rows.append((r["file"], "-", "-", "-", "-", "không đọc được" if vi else "unreadable"))
            continue
        sc = r["severity_counts"]
        verdict = ("đạt" if vi else "pass") if not (sc["error"] or sc["warning"]) else (
            ("cần sửa" if vi else "fix") if sc["error"] else ("lưu ý" if vi else "review"))
        if not r["findings"]:
            verdict = "không áp dụng" if vi else "not applicable"
        rows.append((r["file"], r["kind"] or "-", r["unit_type"] or "-", str(sc["error"]), str(sc["warning"]), verdict))
    widths = [min(60, max(len(row[i]) for row in rows)) for i in range(len(rows[0]))]
    lines = []
    for j, row in enumerate(rows):
        cells = [(row[i] if len(row[i]) <= widths[i] else "…" + row[i][-(widths[i] - 1):]).ljust(widths[i])
                 for i in range(len(row))]
        lines.append("  ".join(cells).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    checked = sum(1 for r in results if not r["error"])
    head = (f"Bộ quy tắc {run['rules_version']} · ngày đối chiếu {run['as_of']}\nCăn cứ pháp lý: {run['legal_snapshot']}"
            if vi else f"Rules {run['rules_version']} · as of {run['as_of']}\nLegal snapshot: {run['legal_snapshot']}")
    tail = (f"Tổng: {len(results)} tệp, kiểm tra {checked}, không đọc được {len(results) - checked}" if vi else
            f"Total: {len(results)} files, checked {checked}, unreadable {len(results) - checked}")
    return "\n".join([head, *lines, tail])
