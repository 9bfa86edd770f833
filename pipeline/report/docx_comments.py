"""Word outputs: the agency's own DOCX with a comment at each finding, and a letter of comments.

- `commented_docx(source, result, run, lang)`: the original DOCX bytes with one Word comment per flagged
  finding (missing, partial, conflict, undetermined), anchored on the evidence's characters, else on the
  heading of the section where a missing item belongs (`where_span`), else on the document's title.
- `comment_letter(result, run, lang)`: a góp ý letter in the layout of Nghị định 30/2020/NĐ-CP that a
  reviewer completes, signs and sends; for any readable document a rule pack applies to.

Both work from the result dict (docs/check-json.md); the DOCX is re-read only to find where to anchor,
by the DOCX reader's own walk (`docx_reader.paragraph_map`), so block indices cannot drift.
"""
from __future__ import annotations

import copy
import hashlib
import io
from pathlib import Path

from pipeline.report.messages import SEVERITY_NAMES, STATUS_NAMES
from pipeline.report.outputs import doc_basename, document_writer

AUTHOR, INITIALS = "dccs", "DC"
COMMENTED = ("conflict", "missing", "partial", "undetermined")
_ORDER = {s: i for i, s in enumerate(COMMENTED)}
_SEV = {"error": 0, "warning": 1, "info": 2}

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_TEXT = {
    "vi": {
        "basis": "Căn cứ", "suggest": "Đề xuất", "where": "Vị trí phù hợp", "quote": "Trích",
        "waived": "Đã chấp nhận (không yêu cầu sửa)", "reason": "lý do",
        "no_anchor": "Không xác định được vị trí trong văn bản; ghi chú gắn vào tên văn bản.",
        "run": "dccs · bộ quy tắc {rules_version} · ngày đối chiếu {as_of} · căn cứ pháp lý: {legal_snapshot}",
        "clean": "Qua rà soát, chưa phát hiện nội dung trái quy định hoặc còn thiếu so với các yêu cầu được kiểm tra.",
    },
    "en": {
        "basis": "Legal basis", "suggest": "Suggestion", "where": "Belongs in", "quote": "Quote",
        "waived": "Accepted (no change required)", "reason": "reason",
        "no_anchor": "No location in the document; the comment is attached to its title.",
        "run": "dccs · rules {rules_version} · as of {as_of} · legal snapshot: {legal_snapshot}",
        "clean": "No provision contrary to the law or missing from the requirements checked was found.",
    },
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "vi"


def flagged(result: dict) -> list[dict]:
    """The findings that get a comment, in document-review order (conflicts first)."""
    return sorted((f for f in result.get("findings") or [] if f["status"] in COMMENTED),
                  key=lambda f: (_ORDER[f["status"]], _SEV.get(f["severity"], 3)))


# ------------------------------------------------------------------ comment text
def comment_text(f: dict, run: dict, lang: str = "vi", anchored: bool = True) -> str:
    """One finding as a comment: status, message, citation, suggestion, and the run's rules/snapshot/date."""
    lang = _lang(lang)
    t = _TEXT[lang]
    lines = [f"[{STATUS_NAMES[lang][f['status']]} · {SEVERITY_NAMES[lang][f['severity']]}] {f['rule']}: "
             f"{f['message']}"]
    if f.get("waived"):
        reason = f.get("waiver_reason")
        lines.append(f"{t['waived']}" + (f" — {t['reason']}: {reason}" if reason else "") + ".")
    lines.append(f"{t['basis']}: {f['citation']['text']}")
    if f.get("where"):
        lines.append(f"{t['where']}: {f['where']}")
    if f.get("suggestion"):
        lines.append(f"{t['suggest']}: {f['suggestion']}")
    if not anchored:
        lines.append(t["no_anchor"])
    lines.append(t["run"].format(**run))
    return "\n".join(lines)


# ------------------------------------------------------------------ anchoring
def _child_len(el) -> int:
    """Characters a run child contributes to the reader's text (same accounting as docx_reader._run)."""
    from pipeline.ingest.docx_reader import _RUN_CHARS, _sym

    tag = el.tag
    if tag == _W + "t":
        return len(el.text or "")
    if tag in _RUN_CHARS:
        return 1
    if tag == _W + "sym":
        return len(_sym(el))
    return 0


def _split_run(pr, i: int, at: int) -> None:
    """Split run i of a ParagraphRuns at block offset `at` into two w:r with the same properties."""
    r, a, e, n = pr.runs[i]
    k = at - a
    right = copy.deepcopy(r)
    r.addnext(right)
    for el, left in ((r, True), (right, False)):
        pos = 0
        for child in list(el):
            if child.tag == _W + "rPr":
                continue
            size = _child_len(child)
            if left:
                if pos >= k:
                    el.remove(child)
                elif pos + size > k:  # only a w:t can straddle the split
                    child.text = child.text[:k - pos]
                    child.set(_XML_SPACE, "preserve")
            elif (pos + size <= k) if size else (pos < k):
                el.remove(child)
            elif pos < k:
                child.text = child.text[k - pos:]
                child.set(_XML_SPACE, "preserve")
            pos += size
    pr.runs[i:i + 1] = [(r, a, at, k), (right, at, e, n - k)]


def _runs_for(pr, start: int, end: int) -> list:
    """The w:r elements covering [start, end) of the block text, splitting runs at the edges when the
    run's characters map one to one; the whole paragraph when the span covers no run text."""
    start, end = max(0, start), min(len(pr.text), end)
    if start < end:
        for at in (start, end):
            for i, (r, a, e, n) in enumerate(pr.runs):
                if a < at < e and n == e - a:
                    _split_run(pr, i, at)
                    break
        inside = [r for r, a, e, _ in pr.runs if a < end and e > start]
        if inside:
            return inside
    return [r for r, a, e, _ in pr.runs if e > a]


def _title_block(result: dict, paras: dict) -> int | None:
    """Block of the document's title (trích yếu) when a paragraph carries it, else the first with text."""
    from pipeline.vntext import fold

    title = ((result.get("header") or {}).get("title") or "").strip()
    key = fold(title)[:40] if title else ""
    first = None
    for index in sorted(paras):
        pr = paras[index]
        if not pr.runs or not pr.text.strip():
            continue
        if first is None:
            first = index
        if key and key in fold(pr.text):
            return index
    return first


def _anchor(f: dict) -> dict | None:
    for ev in f.get("evidence") or []:
        if ev.get("span") and ev["span"].get("block") is not None:
            return ev["span"]
    return f.get("where_span")


def _comment(document, pr, start: int, end: int | None, text: str) -> None:
    """A comment on [start, end) of one paragraph's block text (end None: the whole paragraph)."""
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    runs = _runs_for(pr, start, len(pr.text) if end is None else end)
    paragraph = Paragraph(pr.element, document._body)
    document.add_comment([Run(runs[0], paragraph), Run(runs[-1], paragraph)], text=text, author=AUTHOR,
                         initials=INITIALS)


def commented_docx(source: bytes, result: dict, run: dict, lang: str = "vi") -> bytes:
    """The original DOCX with one Word comment per flagged finding (author "dccs", initials "DC").

    Raises ValueError when `source` is not the document the result was made from (its sha256), and
    pipeline.model.ReadError when it cannot be opened as a DOCX.
    """
    from pipeline.ingest.docx_reader import open_document, paragraph_map

    if result.get("sha256") and hashlib.sha256(source).hexdigest() != result["sha256"]:
        raise ValueError("the DOCX is not the file these findings were made from")
    document = open_document(source)
    paras = paragraph_map(document)
    fallback = _title_block(result, paras)
    findings = flagged(result)
    if not findings and fallback is not None:
        # nothing to flag: one note on the title, so the file still says it was checked, by which rules
        t = _TEXT[_lang(lang)]
        _comment(document, paras[fallback], 0, None, f"{t['clean']}\n{t['run'].format(**run)}")
    for f in findings:
        span = _anchor(f)
        pr = paras.get(span["block"]) if span else None
        anchored = pr is not None and bool(pr.runs)
        text = comment_text(f, run, lang, anchored)
        if anchored:
            _comment(document, pr, span["start"], span["end"], text)
        elif fallback is not None:  # else a document with no text at all: nothing to hang a comment on
            _comment(document, paras[fallback], 0, None, text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ the letter
_L = {
    "vi": {
        "org": "……………………………", "org2": "……………………………",
        "motto1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "motto2": "Độc lập - Tự do - Hạnh phúc",
        "number": "Số: ……/……", "place": "……………, ngày …… tháng …… năm 20……",
        "vv": "V/v góp ý {what}", "to": "Kính gửi: {issuer}",
        "open": "Sau khi nghiên cứu {doc}, đối chiếu với quy định của pháp luật về thực hiện dân chủ ở cơ sở, "
                "……………………… có ý kiến góp ý như sau:",
        "conflict": "Nội dung trái quy định của pháp luật",
        "missing": "Nội dung còn thiếu hoặc chưa đầy đủ",
        "undetermined": "Nội dung cần làm rõ",
        "none": "Qua rà soát, chưa phát hiện nội dung trái quy định hoặc còn thiếu so với các yêu cầu được kiểm tra.",
        "doc_says": "Văn bản quy định", "at": "tại", "basis": "Căn cứ", "where": "Vị trí bổ sung",
        "suggest_add": "Đề nghị bổ sung", "suggest_fix": "Đề nghị sửa đổi", "clarify": "Đề nghị làm rõ",
        "close": "Trên đây là ý kiến góp ý của ……………………… đối với {doc}. Đề nghị {issuer} nghiên cứu, "
                 "tiếp thu, hoàn chỉnh văn bản theo quy định./.",
        "recipients": "Nơi nhận:", "r1": "- Như trên;", "r2": "- Lưu: VT, …….",
        "signer": "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ", "sign": "(Chữ ký, dấu)", "name": "Họ và tên",
        "waived": "{n} nội dung đã được người rà soát chấp nhận, không nêu trong văn bản này.",
        "footer": "Nội dung góp ý được lập với sự hỗ trợ của công cụ rà soát dccs — bộ quy tắc {rules_version}; "
                  "căn cứ pháp lý: {legal_snapshot}; ngày đối chiếu: {as_of}.",
        "the_doc": "văn bản", "number_of": "số", "dated": "ngày", "of": "của", "draft": "dự thảo ",
        "issuer_blank": "………………………",
    },
    "en": {
        "org": "……………………………", "org2": "……………………………",
        "motto1": "SOCIALIST REPUBLIC OF VIET NAM", "motto2": "Independence - Freedom - Happiness",
        "number": "No.: ……/……", "place": "……………, date …… month …… year 20……",
        "vv": "Re: comments on {what}", "to": "To: {issuer}",
        "open": "Having examined {doc} against the law on implementing grassroots democracy, "
                "……………………… comments as follows:",
        "conflict": "Provisions contrary to the law",
        "missing": "Missing or incomplete content",
        "undetermined": "Points to clarify",
        "none": "No provision contrary to the law or missing from the requirements checked was found.",
        "doc_says": "The document says", "at": "at", "basis": "Legal basis", "where": "To be added in",
        "suggest_add": "Suggested addition", "suggest_fix": "Suggested amendment", "clarify": "Please clarify",
        "close": "These are the comments of ……………………… on {doc}. {issuer} is requested to consider them "
                 "and finalise the document./.",
        "recipients": "Recipients:", "r1": "- As above;", "r2": "- Archived: …….",
        "signer": "AUTHORITY, TITLE OF THE SIGNER", "sign": "(Signature, seal)", "name": "Full name",
        "waived": "{n} finding(s) accepted by the reviewer are not listed in this letter.",
        "footer": "Comments prepared with the dccs screening tool — rules {rules_version}; "
                  "legal snapshot: {legal_snapshot}; as of: {as_of}.",
        "the_doc": "the document", "number_of": "No.", "dated": "dated", "of": "of", "draft": "the draft ",
        "issuer_blank": "………………………",
    },
}
_FONT = "Times New Roman"
# points of a list: Vietnamese documents letter them in the Vietnamese alphabet (a, b, c, d, đ, e, g …)
_POINTS = {"vi": "a b c d đ e g h i k l m n o p q r s t u v x y".split(),
           "en": [chr(c) for c in range(ord("a"), ord("z") + 1)]}


def _date_text(date: dict | None) -> str | None:
    """d/m/yyyy as Vietnamese documents write it; a blank day or month stays a blank ("…")."""
    if not date or not date.get("year"):
        return None
    return f"{date.get('day') or '…'}/{date.get('month') or '…'}/{date['year']}"


def document_phrase(result: dict, lang: str = "vi") -> str:
    """"Quyết định số 125/QĐ-SNV ngày 15/3/2024 của SỞ NỘI VỤ Ban hành Quy chế …" from the header."""
    lang = _lang(lang)
    t = _L[lang]
    h = result.get("header") or {}
    parts = [h.get("doc_type") or t["the_doc"]]
    ref = h.get("reference")
    if ref:
        parts.append(f"{t['number_of']} {ref if not ref.startswith('/') else '……' + ref}")
    date = _date_text(result.get("date"))
    if date:
        parts.append(f"{t['dated']} {date}")
    issuer = (h.get("issuer") or [])
    if issuer:
        parts.append(f"{t['of']} {issuer[-1]}")
    if h.get("title"):
        parts.append(f"“{h['title']}”")
    return " ".join(parts)


def _is_draft(result: dict) -> bool:
    """A blank number or day ("Số:   /KH-UBND", "ngày   tháng 11") is how drafts look."""
    ref = (result.get("header") or {}).get("reference")
    date = result.get("date") or {}
    return not ref or ref.startswith("/") or not date.get("day")


def _subject(result: dict, lang: str) -> str:
    """What the letter is about, for "V/v góp ý …": "dự thảo Quyết định ban hành Quy chế …"."""
    t = _L[lang]
    h = result.get("header") or {}
    doc_type = h.get("doc_type") or t["the_doc"]
    title = (h.get("title") or "").strip()
    draft = t["draft"] if _is_draft(result) else ""
    if lang == "vi":
        return f"{draft}{doc_type} {title[:1].lower() + title[1:]}".strip()
    return f"{draft}{doc_type}" + (f" “{title}”" if title else "")


def _issuer(result: dict, lang: str) -> str:
    issuer = (result.get("header") or {}).get("issuer") or []
    return issuer[-1] if issuer else _L[lang]["issuer_blank"]


def _style_base(document) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    normal = document.styles["Normal"]
    normal.font.name = _FONT
    normal.font.size = Pt(14)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), _FONT)
    pf = normal.paragraph_format
    pf.space_before, pf.space_after = Pt(0), Pt(6)
    pf.line_spacing = 1.1
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    # Nghị định 30/2020, Phụ lục I: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)


def _para(container, text: str = "", *, bold=False, italic=False, size=None, align=None, indent=True,
          after=None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = container.add_paragraph()
    if text:
        r = p.add_run(text)
        r.bold, r.italic = bold or None, italic or None
        if size:
            r.font.size = Pt(size)
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                   "left": WD_ALIGN_PARAGRAPH.LEFT}.get(align, WD_ALIGN_PARAGRAPH.JUSTIFY)
    if indent and align is None:
        p.paragraph_format.first_line_indent = Cm(1)
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    return p


def _layout_table(document, widths_mm: tuple[int, int]):
    """A borderless two-column table (the header and the signature block of an administrative letter)."""
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    for column, cell, w in zip(table.columns, table.rows[0].cells, widths_mm):
        column.width = cell.width = Mm(w)  # the grid (LibreOffice) and the cell (Word)
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)  # start empty
    return table.rows[0].cells


def _short(quote: str, limit: int = 240) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[:limit - 1].rstrip() + "…"


def _items(findings: list[dict], status_group: str, lang: str) -> list[str]:
    t = _L[lang]
    out = []
    for f in findings:
        title = f.get("title") or f["rule"]
        text = f"{title}: {f['message']}" if not f["message"].startswith(title) else f["message"]
        bits = [text.rstrip(".") + "."]
        if status_group == "conflict":
            for ev in (f.get("evidence") or [])[:1]:
                bits.append(f"{t['doc_says']} “{_short(ev['quote'])}” ({t['at']} {ev['location']}).")
        if status_group != "conflict" and f.get("where"):
            bits.append(f"{t['where']}: {f['where']}.")
        bits.append(f"{t['basis']}: {f['citation']['text']}.")
        if f.get("suggestion"):
            key = "suggest_add" if status_group == "missing" else "suggest_fix"
            bits.append(f"{t[key]}: {f['suggestion'].strip()}")
        elif status_group == "undetermined":
            bits.append(f"{t['clarify']}.")
        out.append(" ".join(bits))
    return out


def comment_letter(result: dict, run: dict, lang: str = "vi") -> bytes:
    """A letter of comments on one document (Nghị định 30/2020 layout, Times New Roman, A4)."""
    import docx
    from docx.shared import Pt

    lang = _lang(lang)
    t = _L[lang]
    document = docx.Document()
    _style_base(document)
    body = document
    h = result.get("header") or {}
    what = _subject(result, lang)
    doc_phrase = document_phrase(result, lang)
    issuer = _issuer(result, lang)

    left, right = _layout_table(document, (65, 100))
    _para(left, t["org"], size=13, align="center", after=0)
    _para(left, t["org2"], bold=True, size=13, align="center", after=0)
    _para(left, t["number"], size=13, align="center", after=0)
    _para(left, t["vv"].format(what=what), size=12, align="center", after=0)
    _para(right, t["motto1"], bold=True, size=12, align="center", after=0)
    _para(right, t["motto2"], bold=True, size=14, align="center", after=6)
    _para(right, t["place"], italic=True, size=14, align="center", after=0)

    _para(body, "", after=0)
    _para(body, t["to"].format(issuer=issuer), align="center", after=12)
    _para(body, t["open"].format(doc=doc_phrase))

    live = [f for f in flagged(result) if not f.get("waived")]
    groups = [("conflict", [f for f in live if f["status"] == "conflict"]),
              ("missing", [f for f in live if f["status"] in ("missing", "partial")]),
              ("undetermined", [f for f in live if f["status"] == "undetermined"])]
    n = 0
    for key, fs in groups:
        if not fs:
            continue
        n += 1
        _para(body, f"{n}. {t[key]}", bold=True)
        points = _POINTS[lang]
        for i, item in enumerate(_items(fs, key, lang)):
            _para(body, f"{points[i] + ')' if i < len(points) else '-'} {item}")
    if not n:
        _para(body, t["none"])
    waived = sum(1 for f in flagged(result) if f.get("waived"))
    if waived:
        _para(body, t["waived"].format(n=waived), italic=True)
    _para(body, t["close"].format(doc=doc_phrase, issuer=issuer))

    _para(body, "", after=0)
    left, right = _layout_table(document, (80, 85))
    _para(left, t["recipients"], bold=True, italic=True, size=12, align="left", after=0)
    _para(left, t["r1"], size=11, align="left", after=0)
    _para(left, t["r2"], size=11, align="left", after=0)
    _para(right, t["signer"], bold=True, size=14, align="center", after=0)
    _para(right, t["sign"], italic=True, size=14, align="center", after=48)
    _para(right, t["name"], bold=True, size=14, align="center", after=0)

    footer = document.sections[0].footer
    fp = footer.paragraphs[0]
    r = fp.add_run(t["footer"].format(**run))
    r.italic, r.font.size = True, Pt(10)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ writers
def _docs_dir(out_dir: Path) -> Path:
    d = Path(out_dir) / "docs"
    d.mkdir(parents=True, exist_ok=True)
    return d


@document_writer("docx")
def write_commented_docx(run: dict, result: dict, out_dir: Path, lang: str = "vi") -> list[Path]:
    """`docs/<name>.nhan-xet.docx` for a readable DOCX input a rule pack applies to; nothing otherwise
    (or when the file changed or vanished since it was checked)."""
    from pipeline.model import ReadError

    if result.get("error") or result.get("format") != "docx" or not result.get("applicable"):
        return []
    try:
        data = commented_docx(Path(result["file"]).read_bytes(), result, run, lang)
    except (OSError, ValueError, ReadError):
        return []
    path = _docs_dir(out_dir) / f"{doc_basename(result)}.nhan-xet.docx"
    path.write_bytes(data)
    return [path]


@document_writer("letter")
def write_letter(run: dict, result: dict, out_dir: Path, lang: str = "vi") -> list[Path]:
    """`docs/<name>.thu-gop-y.docx` for every readable document a rule pack applies to."""
    if result.get("error") or not result.get("applicable"):
        return []
    path = _docs_dir(out_dir) / f"{doc_basename(result)}.thu-gop-y.docx"
    path.write_bytes(comment_letter(result, run, lang))
    return [path]
