"""One HTML report per document: self-contained (inline CSS, no fonts, images or scripts from anywhere),
printable on A4, Vietnamese by default.

- `render_document_html(run, result, lang)`: the full standalone page (what `--format html` writes);
- `render_report_fragment(run, result, lang)` + `REPORT_CSS`: the same report as a `<div class="dccs-report">`
  for embedding in another page (the web service); the CSS is scoped to that class.

Everything taken from the document or the result is escaped: document text is hostile. The page also carries
a Content-Security-Policy that forbids any network load and allows only its own inline script (by hash).
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

from pipeline.classify import KIND_NAMES, UNIT_NAMES
from pipeline.report.groups import ORDER, STATUS_RANK, group_name, group_of
from pipeline.report.messages import SEVERITY_NAMES, STATUS_NAMES
from pipeline.report.outputs import doc_basename, document_writer

STATUSES = ("conflict", "missing", "partial", "undetermined", "present", "not_applicable")
# A text mark beside every colour, so a status never depends on colour alone (print, colour blindness).
MARKS = {"conflict": "✗", "missing": "○", "partial": "◐", "undetermined": "?", "present": "✓",
         "not_applicable": "–"}
FLAGGED = ("conflict", "missing", "partial", "undetermined")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

LABELS = {
    "vi": {
        "report": "Báo cáo rà soát văn bản", "file": "Tệp", "rules": "Bộ quy tắc", "snapshot": "Căn cứ pháp lý",
        "as_of": "Ngày đối chiếu", "judged_on": "Văn bản được đối chiếu theo ngày", "summary": "Thông tin văn bản",
        "doc_type": "Loại văn bản", "reference": "Số, ký hiệu", "date": "Ngày ban hành", "issuer": "Cơ quan ban hành",
        "title": "Trích yếu", "kind": "Phân loại", "unit": "Loại hình đơn vị", "staff": "Số người",
        "note": "Ghi chú", "result": "Kết quả", "requirements": "Bảng yêu cầu", "rule": "Mã",
        "requirement": "Yêu cầu", "group": "Nhóm", "status": "Trạng thái", "severity": "Mức độ",
        "citation": "Căn cứ", "findings": "Các vấn đề cần xem xét", "passed": "Các yêu cầu đã đạt hoặc không áp dụng",
        "evidence": "Trích dẫn trong văn bản", "no_evidence": "Không tìm thấy nội dung tương ứng trong văn bản.",
        "location": "Vị trí", "page": "trang", "legal": "Căn cứ pháp lý", "also": "Xem thêm",
        "where": "Vị trí phù hợp để bổ sung", "suggestion": "Đề xuất nội dung bổ sung", "confidence": "Độ tin cậy",
        "waived": "Đã chấp nhận", "error": "Không đọc được văn bản", "unknown": "không rõ",
        "not_applicable_doc": "Văn bản không thuộc phạm vi áp dụng của các bộ quy tắc (không phải quy chế, kế hoạch, "
                              "báo cáo về thực hiện dân chủ ở cơ sở của đơn vị thuộc diện điều chỉnh).",
        "no_issue": "Không có vấn đề cần xử lý.", "filter": "Lọc theo trạng thái", "legend": "Chú giải",
        "generated": "Báo cáo tạo tự động; kết quả cần được người rà soát xem xét.",
        "toc": "Mục lục", "back": "Về bảng yêu cầu", "cut": "…",
        "errors": "lỗi", "warnings": "cảnh báo",
    },
    "en": {
        "report": "Document review report", "file": "File", "rules": "Rules", "snapshot": "Legal snapshot",
        "as_of": "As of", "judged_on": "Judged on", "summary": "Document", "doc_type": "Type",
        "reference": "Reference", "date": "Date", "issuer": "Issuer", "title": "Title", "kind": "Kind",
        "unit": "Unit type", "staff": "Staff", "note": "Note", "result": "Result", "requirements": "Requirements",
        "rule": "Rule", "requirement": "Requirement", "group": "Group", "status": "Status", "severity": "Severity",
        "citation": "Legal basis", "findings": "Findings to review", "passed": "Requirements met or not applicable",
        "evidence": "Evidence in the document", "no_evidence": "No matching content found in the document.",
        "location": "Location", "page": "page", "legal": "Legal basis", "also": "See also",
        "where": "Where it belongs", "suggestion": "Suggested wording", "confidence": "Confidence",
        "waived": "Waived", "error": "The document could not be read", "unknown": "unknown",
        "not_applicable_doc": "No rule pack applies (not a grassroots-democracy regulation, plan or report of a "
                              "covered unit).",
        "no_issue": "Nothing to fix.", "filter": "Filter by status", "legend": "Legend",
        "generated": "Generated automatically; findings need a reviewer's judgement.",
        "toc": "Contents", "back": "Back to the requirements", "cut": "…",
        "errors": "errors", "warnings": "warnings",
    },
}

NOTE_TEXT = {
    "amended_2025": {"vi": "Quy định đã được sửa đổi năm 2024–2025 mà bộ quy tắc chưa cập nhật: với văn bản từ "
                           "01/7/2025, mức lỗi được hạ xuống cảnh báo.",
                     "en": "Amended in 2024–2025 and not yet encoded: for documents from 01/7/2025 an error is "
                           "lowered to a warning."},
    "partial_date": {"vi": "Văn bản không ghi đủ ngày, tháng; ngày dùng để đối chiếu: {judged_on}.",
                     "en": "The document's date is incomplete; judged on {judged_on}."},
}

REPORT_CSS = """
.dccs-report{--ok:#1e6b2a;--ok-bg:#e4f3e6;--part:#8a5300;--part-bg:#fff1cc;--miss:#b23c00;--miss-bg:#fde3d3;
 --bad:#a4161a;--bad-bg:#fbd5d5;--und:#4a5560;--und-bg:#e6eaee;--na:#666;--na-bg:#f2f2f2;
 font-family:"Times New Roman","Liberation Serif","DejaVu Serif",serif;font-size:12pt;line-height:1.45;color:#111;
 max-width:60rem;margin:0 auto}
.dccs-report h1{font-size:1.5em;margin:.2em 0}.dccs-report h2{font-size:1.2em;border-bottom:1px solid #999;
 margin:1.4em 0 .5em;padding-bottom:.1em}.dccs-report h3{font-size:1.05em;margin:.3em 0}
.dccs-report .run{font-size:.9em;color:#333;border:1px solid #bbb;padding:.4em .6em;background:#fafafa}
.dccs-report .run div{margin:.1em 0}
.dccs-report dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em;margin:0}
.dccs-report dl.meta dt{font-weight:bold}.dccs-report dl.meta dd{margin:0}
.dccs-report table{border-collapse:collapse;width:100%;font-size:.92em}
.dccs-report th,.dccs-report td{border:1px solid #aaa;padding:.2em .4em;text-align:left;vertical-align:top}
.dccs-report thead th{background:#eee}
.dccs-report td.rule{white-space:nowrap}
.dccs-report .st{display:inline-block;white-space:nowrap;padding:0 .35em;border-radius:3px;font-weight:bold;
 border:1px solid currentColor}
.dccs-report .st-present{color:var(--ok);background:var(--ok-bg)}
.dccs-report .st-partial{color:var(--part);background:var(--part-bg)}
.dccs-report .st-missing{color:var(--miss);background:var(--miss-bg)}
.dccs-report .st-conflict{color:var(--bad);background:var(--bad-bg)}
.dccs-report .st-undetermined{color:var(--und);background:var(--und-bg)}
.dccs-report .st-not_applicable{color:var(--na);background:var(--na-bg)}
.dccs-report .sev-error{color:var(--bad);font-weight:bold}.dccs-report .sev-warning{color:var(--part)}
.dccs-report .finding{border:1px solid #bbb;border-left:6px solid #999;padding:.4em .7em;margin:.8em 0;
 break-inside:avoid}
.dccs-report .finding.st-b-conflict{border-left-color:var(--bad)}
.dccs-report .finding.st-b-missing{border-left-color:var(--miss)}
.dccs-report .finding.st-b-partial{border-left-color:var(--part)}
.dccs-report .finding.st-b-undetermined{border-left-color:var(--und)}
.dccs-report .finding.st-b-present{border-left-color:var(--ok)}
.dccs-report .finding p{margin:.25em 0}
.dccs-report .label{font-weight:bold}
.dccs-report blockquote{margin:.3em 0 .3em 1em;padding:.2em .6em;border-left:3px solid #ccc;background:#fcfcfc;
 white-space:pre-wrap;overflow-wrap:anywhere}
.dccs-report mark{background:#ffe066;color:#000;padding:0 .1em;font-weight:bold}
.dccs-report .suggestion{background:#eef5ff;border:1px dashed #5b7db1;padding:.3em .6em;white-space:pre-wrap}
.dccs-report .error{border:2px solid var(--bad);background:var(--bad-bg);padding:.5em}
.dccs-report .counts span{margin-right:.8em}
.dccs-report .filters{margin:.4em 0;font-size:.92em}.dccs-report .filters label{margin-right:.8em}
.dccs-report .muted{color:#555;font-size:.9em}
.dccs-report .hide{display:none}
.dccs-report a{color:#0b4f9c}
@media print{
 .dccs-report{font-size:11pt;max-width:none}.dccs-report .filters,.dccs-report .back{display:none}
 .dccs-report a{color:inherit;text-decoration:none}
 .dccs-report thead{display:table-header-group}.dccs-report tr{break-inside:avoid}
 .dccs-report h2{break-after:avoid}
}
"""

PAGE_CSS = """
@page{size:A4;margin:18mm 15mm 18mm 20mm}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:1.2em;background:#fff}
@media print{body{margin:0}}
"""

# Optional: filter by status. The page is complete without it (the filter box stays hidden).
SCRIPT = """
(function(){
 document.querySelectorAll('.dccs-report .filters').forEach(function(box){
  box.hidden=false;
  var root=box.closest('.dccs-report');
  function apply(){
   var on={};box.querySelectorAll('input').forEach(function(i){on[i.value]=i.checked;});
   root.querySelectorAll('[data-status]').forEach(function(el){el.classList.toggle('hide',!on[el.dataset.status]);});
  }
  box.addEventListener('change',apply);
 });
})();
""".strip()


def script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()


def csp(script: str | None) -> str:
    """No network at all: styles inline, images only as data: URIs, scripts only the page's own (by hash)."""
    js = f"'{script_hash(script)}'" if script else "'none'"
    return (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {js}; "
            "base-uri 'none'; form-action 'none'")


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def anchor(rule_id: str) -> str:
    """A safe id for a finding's anchor (rule ids are [A-Z0-9-] but a result is data, not trusted)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "_", rule_id)


def lang_of(lang: str) -> str:
    return "en" if lang == "en" else "vi"


def status_badge(status: str, lang: str) -> str:
    name = STATUS_NAMES[lang_of(lang)].get(status, status)
    return f'<span class="st st-{esc(status)}">{MARKS.get(status, "")} {esc(name)}</span>'


def format_date(date: dict | None, lang: str = "vi") -> str:
    if not date or not date.get("year"):
        return ""
    return f"{date.get('day') or '…'}/{date.get('month') or '…'}/{date['year']}"


def run_block(run: dict, lang: str) -> str:
    t = LABELS[lang_of(lang)]
    return (f'<div class="run"><div><span class="label">{t["rules"]}:</span> {esc(run.get("rules_version"))}'
            f' · <span class="label">{t["as_of"]}:</span> {esc(run.get("as_of"))}</div>'
            f'<div><span class="label">{t["snapshot"]}:</span> {esc(run.get("legal_snapshot"))}</div></div>')


def highlighted(ev: dict) -> str:
    """The paragraph with the quote marked; just the quote when the result has no context."""
    ctx = ev.get("context")
    if not ctx or ctx["text"][ctx["start"]:ctx["end"]] != ev.get("quote"):
        return f"<mark>{esc(ev.get('quote'))}</mark>"
    text, a, b = ctx["text"], ctx["start"], ctx["end"]
    return ("…" if ctx.get("cut_before") else "") + esc(text[:a]) + f"<mark>{esc(text[a:b])}</mark>" + \
        esc(text[b:]) + ("…" if ctx.get("cut_after") else "")


def _kind_unit(value: str | None, names: dict, lang: str) -> str:
    if value is None:
        return LABELS[lang_of(lang)]["unknown"]
    return names.get(value, value) if lang_of(lang) == "vi" else value


def _summary(result: dict, lang: str) -> str:
    t = LABELS[lang_of(lang)]
    h = result.get("header") or {}
    c = result.get("classification") or {}
    rows = [(t["doc_type"], esc(h.get("doc_type"))), (t["reference"], esc(h.get("reference"))),
            (t["date"], esc(format_date(result.get("date"), lang))),
            (t["issuer"], esc(" / ".join(h.get("issuer") or []))), (t["title"], esc(h.get("title"))),
            (t["kind"], esc(_kind_unit(result.get("kind"), KIND_NAMES, lang)) +
             (f' <span class="muted">({esc(c["kind_reason"])})</span>' if c.get("kind_reason") else "")),
            (t["unit"], esc(_kind_unit(result.get("unit_type"), UNIT_NAMES, lang)) +
             (f' <span class="muted">({esc(c["unit_reason"])})</span>' if c.get("unit_reason") else ""))]
    if c.get("staff") is not None or c.get("staff_source"):
        staff = c.get("staff") if c.get("staff") is not None else (f"≤ {c['staff_max']}" if c.get("staff_max") else "")
        rows.append((t["staff"], esc(staff) + (f' <span class="muted">({esc(c["staff_source"])})</span>'
                                              if c.get("staff_source") else "")))
    if c.get("judged_on"):
        rows.append((t["judged_on"], esc(c["judged_on"])))
    if c.get("date_note"):
        rows.append((t["note"], esc(c["date_note"])))
    body = "".join(f"<dt>{k}</dt><dd>{v or '—'}</dd>" for k, v in rows)
    return f'<section class="summary"><h2>{t["summary"]}</h2><dl class="meta">{body}</dl></section>'


def _counts(result: dict, lang: str) -> str:
    t = LABELS[lang_of(lang)]
    counts = result.get("counts") or {}
    parts = [f"<span>{status_badge(s, lang)} {counts.get(s, 0)}</span>" for s in STATUSES if counts.get(s)]
    sc = result.get("severity_counts") or {}
    sev = (f'<span class="sev-error">{sc.get("error", 0)} {t["errors"]}</span> · '
           f'<span class="sev-warning">{sc.get("warning", 0)} {t["warnings"]}</span>')
    return f'<p class="counts">{"".join(parts)}</p><p>{sev}</p>'


def _sort_key(f: dict):
    return (-STATUS_RANK.get(f["status"], 0), SEVERITY_ORDER.get(f["severity"], 3), f["rule"])


def _requirements_table(findings: list[dict], lang: str) -> str:
    t = LABELS[lang_of(lang)]
    sev = SEVERITY_NAMES[lang_of(lang)]
    order = {g: i for i, g in enumerate(ORDER)}
    rows = []
    for f in sorted(findings, key=lambda f: (order.get(group_of(f["rule"]), len(order)), f["rule"])):
        status = f["status"]
        waived = f' <span class="muted">({t["waived"]})</span>' if f.get("waived") else ""
        # a met requirement has no severity worth reading ("info"): a dash keeps the column on what matters
        severity = esc(sev.get(f["severity"], f["severity"])) if status in FLAGGED else "—"
        rows.append(
            f'<tr data-status="{esc(status)}"><td class="rule"><a href="#{anchor(f["rule"])}">{esc(f["rule"])}</a></td>'
            f'<td>{esc(f.get("title"))}</td><td>{esc(group_name(group_of(f["rule"]), lang))}</td>'
            f'<td>{status_badge(status, lang)}{waived}</td>'
            f'<td class="sev-{esc(f["severity"])}">{severity}</td>'
            f'<td>{esc((f.get("citation") or {}).get("text"))}</td></tr>')
    head = "".join(f"<th>{t[k]}</th>" for k in ("rule", "requirement", "group", "status", "severity", "citation"))
    return f'<table class="requirements"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _finding(f: dict, result: dict, lang: str) -> str:
    lg = lang_of(lang)
    t = LABELS[lg]
    sev = SEVERITY_NAMES[lg]
    status = f["status"]
    out = [f'<article class="finding st-b-{esc(status)}" id="{anchor(f["rule"])}" data-status="{esc(status)}">',
           f'<h3>{status_badge(status, lang)} <span class="sev-{esc(f["severity"])}">'
           f'[{esc(sev.get(f["severity"], f["severity"]))}]</span> {esc(f["rule"])} — {esc(f.get("title"))}</h3>',
           f'<p>{esc(f.get("message"))}</p>']
    if f.get("waived"):
        out.append(f'<p><span class="label">{t["waived"]}:</span> {esc(f.get("waiver_reason"))}</p>')
    evidence = f.get("evidence") or []
    if evidence:
        out.append(f'<p class="label">{t["evidence"]}:</p>')
        for ev in evidence:
            span = ev.get("span") or {}
            page = f' · {t["page"]} {esc(span["page"])}' if span.get("page") else ""
            out.append(f'<p class="loc"><span class="label">{t["location"]}:</span> {esc(ev.get("location"))}'
                       f'{page}</p><blockquote>{highlighted(ev)}</blockquote>')
    elif status in ("missing", "partial"):
        out.append(f'<p class="muted">{t["no_evidence"]}</p>')
    cit = f.get("citation") or {}
    also = f' <span class="muted">({t["also"]}: {esc(", ".join(cit["also"]))})</span>' if cit.get("also") else ""
    out.append(f'<p><span class="label">{t["legal"]}:</span> {esc(cit.get("text"))}{also}</p>')
    if f.get("where"):
        out.append(f'<p><span class="label">{t["where"]}:</span> {esc(f["where"])}</p>')
    if f.get("suggestion"):
        out.append(f'<p class="label">{t["suggestion"]}:</p><div class="suggestion">{esc(f["suggestion"])}</div>')
    notes = []
    for n in f.get("notes") or []:
        text = NOTE_TEXT.get(n, {}).get(lg)
        judged = (result.get("classification") or {}).get("judged_on") or ""
        notes.append(text.format(judged_on=judged) if text else n)
    if notes:
        out.append(f'<p class="muted"><span class="label">{t["note"]}:</span> {esc(" ".join(notes))}</p>')
    out.append(f'<p class="muted">{t["confidence"]}: {esc(f.get("confidence"))} · '
               f'<a class="back" href="#requirements">{t["back"]}</a></p></article>')
    return "".join(out)


def _filters(findings: list[dict], lang: str) -> str:
    t = LABELS[lang_of(lang)]
    present = [s for s in STATUSES if any(f["status"] == s for f in findings)]
    boxes = "".join(f'<label><input type="checkbox" value="{s}" checked> {status_badge(s, lang)}</label>'
                    for s in present)
    # hidden until the script shows it: without JS there is nothing to filter with, and everything is shown
    return f'<div class="filters" hidden><span class="label">{t["filter"]}:</span> {boxes}</div>'


def render_report_fragment(run: dict, result: dict, lang: str = "vi") -> str:
    """The report as one `<div class="dccs-report">` (styled by REPORT_CSS), for embedding in a page."""
    lg = lang_of(lang)
    t = LABELS[lg]
    out = [f'<div class="dccs-report" lang="{lg}">', f'<h1>{t["report"]}</h1>',
           f'<p><span class="label">{t["file"]}:</span> {esc(result.get("file"))}</p>', run_block(run, lang)]
    if result.get("error"):
        out.append(f'<section class="error" role="alert"><h2>{t["error"]}</h2><p>{esc(result["error"])}</p>'
                   f'<p class="muted">{esc(result.get("error_code"))}</p></section></div>')
        return "".join(out)
    out.append(_summary(result, lang))
    findings = result.get("findings") or []
    out.append(f'<section><h2>{t["result"]}</h2>')
    if not findings:
        out.append(f'<p>{t["not_applicable_doc"]}</p></section></div>')
        return "".join(out)
    out.append(_counts(result, lang) + "</section>")
    out.append(f'<section id="requirements"><h2>{t["requirements"]}</h2>{_filters(findings, lang)}'
               f'{_requirements_table(findings, lang)}</section>')
    flagged = sorted((f for f in findings if f["status"] in FLAGGED), key=_sort_key)
    rest = sorted((f for f in findings if f["status"] not in FLAGGED), key=_sort_key)
    out.append(f'<section id="findings"><h2>{t["findings"]} ({len(flagged)})</h2>')
    out.append("".join(_finding(f, result, lang) for f in flagged) if flagged else f'<p>{t["no_issue"]}</p>')
    out.append("</section>")
    if rest:
        # collapsed (the long, reassuring part): the requirements table already gives each one's status, so
        # the printout stays a few pages; following a table link opens it
        out.append(f'<section id="passed"><details><summary><h2 style="display:inline">{t["passed"]} '
                   f'({len(rest)})</h2></summary>{"".join(_finding(f, result, lang) for f in rest)}</details></section>')
    out.append(f'<p class="muted">{t["generated"]}</p></div>')
    return "".join(out)


def page(title: str, body: str, lang: str, css: str, script: str | None = SCRIPT) -> str:
    """A standalone page: inline CSS, optional inline script allowed by hash, no network (CSP)."""
    js = f"<script>{script}</script>" if script else ""
    return (f'<!DOCTYPE html>\n<html lang="{lang_of(lang)}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{esc(csp(script))}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{esc(title)}</title><style>{PAGE_CSS}{css}</style></head>'
            f'<body>{body}{js}</body></html>\n')


def render_document_html(run: dict, result: dict, lang: str = "vi") -> str:
    """The full standalone HTML page of one document's report."""
    from pathlib import PurePath

    title = f'{LABELS[lang_of(lang)]["report"]} — {PurePath(result.get("file") or "").name}'
    return page(title, render_report_fragment(run, result, lang), lang, REPORT_CSS)


@document_writer("html")
def write_document_html(run: dict, result: dict, out_dir: Path, lang: str = "vi") -> list[Path]:
    path = Path(out_dir) / "docs" / f"{doc_basename(result)}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_document_html(run, result, lang), encoding="utf-8")
    return [path]
