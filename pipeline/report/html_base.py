"""What the HTML pages share (the document report and the batch dashboard): status names, marks and
colours, labels, the CSS, the page shell with its Content-Security-Policy, escaping.

Kept apart from the writers so that no writer module imports another (outputs.py imports each writer).
"""
from __future__ import annotations

import base64
import hashlib
import html
import re

from pipeline.report.messages import STATUS_NAMES

STATUSES = ("conflict", "missing", "partial", "undetermined", "present", "not_applicable")
# A text mark beside every colour, so a status never depends on colour alone (print, colour blindness).
MARKS = {"conflict": "✗", "missing": "○", "partial": "!", "undetermined": "?", "present": "✓",
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
        "where": "Vị trí phù hợp để bổ sung", "suggestion": "Đề xuất nội dung bổ sung", "suggestion_fix": "Đề xuất sửa thành", "confidence": "Độ tin cậy",
        "waived": "Đã chấp nhận", "error": "Không đọc được văn bản", "unknown": "không rõ",
        "not_applicable_doc": "Văn bản không thuộc phạm vi áp dụng của các bộ quy tắc (không phải quy chế, kế hoạch, "
                              "báo cáo về thực hiện dân chủ ở cơ sở của đơn vị thuộc diện điều chỉnh).",
        "no_issue": "Không có vấn đề cần xử lý.", "filter": "Lọc theo trạng thái",
        "generated": "Báo cáo tạo tự động; kết quả cần được người rà soát xem xét.",
        "back": "Về bảng yêu cầu",
        "errors": "lỗi", "warnings": "cảnh báo",
        "waived_by": "người chấp nhận", "new": "mới", "unchanged": "như bản trước",
        "baseline": "So với bản trước", "previous": "bản trước", "no_previous": "không tìm thấy bản trước của văn bản này",
        "match": {"sha256": "cùng nội dung", "path": "cùng đường dẫn", "name": "cùng tên tệp"},
        "resolved": "Đã khắc phục so với bản trước", "was": "trước đây",
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
        "where": "Where it belongs", "suggestion": "Suggested wording", "suggestion_fix": "Amend to", "confidence": "Confidence",
        "waived": "Waived", "error": "The document could not be read", "unknown": "unknown",
        "not_applicable_doc": "No rule pack applies (not a grassroots-democracy regulation, plan or report of a "
                              "covered unit).",
        "no_issue": "Nothing to fix.", "filter": "Filter by status",
        "generated": "Generated automatically; findings need a reviewer's judgement.",
        "back": "Back to the requirements",
        "errors": "errors", "warnings": "warnings",
        "waived_by": "by", "new": "new", "unchanged": "unchanged",
        "baseline": "Compared with the previous version", "previous": "previous version",
        "no_previous": "no previous version of this document was found",
        "match": {"sha256": "same content", "path": "same path", "name": "same file name"},
        "resolved": "Resolved since the previous version", "was": "was",
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
.dccs-report .state{font-size:.8em;border:1px solid #777;border-radius:3px;padding:0 .3em;font-weight:normal}
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


def page(title: str, body: str, lang: str, css: str, script: str | None = SCRIPT) -> str:
    """A standalone page: inline CSS, optional inline script allowed by hash, no network (CSP)."""
    js = f"<script>{script}</script>" if script else ""
    return (f'<!DOCTYPE html>\n<html lang="{lang_of(lang)}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{esc(csp(script))}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{esc(title)}</title><style>{PAGE_CSS}{css}</style></head>'
            f'<body>{body}{js}</body></html>\n')
