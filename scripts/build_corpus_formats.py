"""Build the DOCX and HTML versions of a corpus text document, deterministically.

    python scripts/build_corpus_formats.py corpus/X.txt [--out corpus/] [--pdf]

writes X.docx and X.html (and, with --pdf, X.pdf exported from the DOCX by LibreOffice:
soffice --headless -env:UserInstallation=file:///tmp/lo-$$ --convert-to pdf --outdir DIR X.docx).
Importable: `build_docx(text_path) -> bytes`, `build_html(text_path) -> str`. The DOCX and
HTML are byte-for-byte reproducible; a PDF carries LibreOffice's creation date, and its line
breaks depend on the fonts installed (Times New Roman, else Liberation Serif).

DOCX layout (what a Vietnamese agency's Word file looks like, Nghị định 30/2020/NĐ-CP):
- the header is a borderless 2-column table: issuing body | national motto, then
  "Số: …" | "place, ngày …" (italic); an attached regulation's header has the first row only;
- document type and title centred and bold; legal bases as justified italic paragraphs;
- "Điều N." and khoản "N." (and a plan's "I." / "1.") come from Word automatic numbering
  (numbering.xml, reached through numPr): the label is not typed in the paragraph. Each
  Chương of a regulation has its own w:num over one shared abstractNum, so Điều numbers
  continue across chapters; the attached regulation's first w:num carries a
  lvlOverride/startOverride, so its Điều restart at 1 after the decision's Điều 1-3;
- điểm "a)", "đ)" and dashes are typed, as most agencies do: Word's lowerLetter counts
  a b c d e f, not the Vietnamese a b c d đ e g, so a Word list cannot number điểm;
- the closing is a borderless 2-column table: "Nơi nhận:" and the list | the signer
  (authority, title, blank lines for the signature and seal, name).

HTML: a page as copied from a legal portal: <style>, <script>, the header and the
closing as tables, one <p> per paragraph with the numbering typed, a few entities.

Output is byte-for-byte reproducible: fixed package timestamps and core properties.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

SEPARATOR = re.compile(r"^\s*[-_=*.]{3,}\s*$")
CHAPTER = re.compile(r"^(Chương|Mục|Phần)\s+\S+$")
DIEU = re.compile(r"^Điều\s+(\d+)\.\s*(.*)$")
ROMAN = re.compile(r"^([IVXLC]+)\.\s+(.*)$")
ARABIC = re.compile(r"^(\d+)\.\s+(.*)$")
LETTER = re.compile(r"^[a-zđ]\)\s")
DASH = re.compile(r"^[-–]\s")
BASIS = re.compile(r"^(Căn cứ|Thực hiện|Theo đề nghị)\b")
RECIPIENTS = re.compile(r"^Nơi nhận\s*:")
REFERENCE = re.compile(r"^Số\s*:")
FIXED_TIME = dt.datetime(2024, 1, 1, 8, 0, 0, tzinfo=dt.timezone.utc)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# ------------------------------------------------------------------------ segmenting
@dataclass
class PartText:
    issuer: list[str] = field(default_factory=list)
    issuer_sep: str | None = None
    motto: list[str] = field(default_factory=list)
    motto_sep: str | None = None
    number: str | None = None  # "Số: 125/QĐ-SNV"
    date: str | None = None  # "Hòa Bình An, ngày 15 tháng 3 năm 2024"
    doc_type: str = ""
    title: list[str] = field(default_factory=list)
    reference: str | None = None  # "(Ban hành kèm theo …)"
    body: list[str] = field(default_factory=list)
    recipients_head: str | None = None
    recipients: list[str] = field(default_factory=list)
    signer: list[str] = field(default_factory=list)


def _is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def segment(text: str) -> list[PartText]:
    """Split a corpus text document (one paragraph per line) into its parts' pieces.

    Each part: header lines up to a blank line (issuer / separator / motto / separator /
    Số / date), the type line, the title (and "(Ban hành kèm theo …)") up to a blank line,
    the body up to "Nơi nhận:", the recipients and the signer up to a blank line.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    n, i = len(lines), 0
    parts: list[PartText] = []

    def skip_blank():
        nonlocal i
        while i < n and not lines[i].strip():
            i += 1

    while True:
        skip_blank()
        if i >= n:
            break
        part = PartText()
        block = []
        while i < n and lines[i].strip():
            block.append(lines[i].strip())
            i += 1
        stage = 0  # 0 issuer, 1 motto, 2 number/date
        for line in block:
            if SEPARATOR.match(line):
                if stage == 0:
                    part.issuer_sep = line
                elif stage == 1:
                    part.motto_sep = line
                stage += 1
            elif REFERENCE.match(line):
                part.number, stage = line, 2
            elif stage == 2 or re.search(r",\s*ngày\b", line):
                part.date = line
            elif stage == 0:
                part.issuer.append(line)
            else:
                part.motto.append(line)
        skip_blank()
        part.doc_type = lines[i].strip()
        i += 1
        while i < n and lines[i].strip():
            line = lines[i].strip()
            if line.startswith("(") and "kèm theo" in line:
                part.reference = line
            else:
                part.title.append(line)
            i += 1
        while i < n and not RECIPIENTS.match(lines[i].strip()):
            if lines[i].strip():
                part.body.append(lines[i].strip())
            i += 1
        if i < n:
            part.recipients_head = lines[i].strip()
            i += 1
            while i < n and DASH.match(lines[i].strip()):
                part.recipients.append(lines[i].strip())
                i += 1
            while i < n and lines[i].strip():
                part.signer.append(lines[i].strip())
                i += 1
        parts.append(part)
    return parts


# ------------------------------------------------------------------- body paragraphs
@dataclass
class Para:
    text: str  # as typed (numbered paragraphs: without the label)
    kind: str  # heading | basis | dieu | khoan | roman | item | plain
    label: str | None = None  # the label the numbering produces ("Điều 5.", "2.", "II.")
    num: tuple[int, int] | None = None  # (numId, ilvl)
    bold: bool = False
    italic: bool = False
    align: str = "both"


class _Counter:
    """Word's counters for one abstractNum: level 1 restarts when level 0 advances."""

    def __init__(self):
        self.values = [0, 0]

    def next(self, ilvl: int) -> int:
        self.values[ilvl] += 1
        if ilvl == 0:
            self.values[1] = 0
        return self.values[ilvl]


def _roman(n: int) -> str:
    out = []
    for value, sym in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                       (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


class _Lists:
    """Allocates w:num ids over one abstractNum and checks that Word's counting gives
    exactly the numbers typed in the text (a mismatch is a bug in the generator)."""

    def __init__(self, abstract_id: int, first_num_id: int):
        self.abstract_id = abstract_id
        self.next_id = first_num_id
        self.nums: list[tuple[int, int, int | None]] = []  # (numId, abstractNumId, startOverride)
        self.counter = _Counter()
        self.current: int | None = None
        self.want_new = True

    def new_block(self) -> None:
        """The next numbered paragraph starts a new w:num (a new Chương, a new part)."""
        self.want_new = True

    def number(self, ilvl: int, typed: int) -> int:
        expected = self.counter.values[ilvl] + 1
        restart = None
        if typed != expected:
            if ilvl == 0 and typed == 1:
                restart = 1  # the attached regulation: Điều 1 again
            else:
                raise ValueError(f"typed number {typed} at level {ilvl}, Word would show {expected}")
        if self.want_new or restart is not None:
            self.current = self.next_id
            self.next_id += 1
            self.nums.append((self.current, self.abstract_id, restart))
            self.want_new = False
            if restart is not None:
                self.counter.values = [restart - 1, 0]
        got = self.counter.next(ilvl)
        assert got == typed
        return self.current


def body_paragraphs(part: PartText, lists: _Lists, legal: bool) -> list[Para]:
    """Classify body lines. `legal`: the document is numbered in Điều (else I./1.)."""
    out: list[Para] = []
    prev_heading = False
    in_section = False  # inside a Điều (legal) or a roman section (plan)
    for line in part.body:
        m_dieu = DIEU.match(line) if legal else None
        m_roman = ROMAN.match(line) if not legal else None
        m_arabic = ARABIC.match(line)
        if CHAPTER.match(line):
            out.append(Para(line, "heading", bold=True, align="center"))
            lists.new_block()
            prev_heading, in_section = True, False
            continue
        if prev_heading and _is_upper(line):  # the Chương / Mục title
            out.append(Para(line, "heading", bold=True, align="center"))
            prev_heading = False
            continue
        prev_heading = False
        if m_dieu:
            num = lists.number(0, int(m_dieu.group(1)))
            rest = m_dieu.group(2)
            heading = not rest.endswith((".", ";", ":")) and len(rest.split()) <= 20
            out.append(Para(rest, "dieu", label=f"Điều {m_dieu.group(1)}.", num=(num, 0), bold=heading))
            in_section = True
        elif m_roman:
            value = {_roman(k): k for k in range(1, 40)}[m_roman.group(1)]
            num = lists.number(0, value)
            out.append(Para(m_roman.group(2), "roman", label=f"{m_roman.group(1)}.", num=(num, 0),
                            bold=True))
            in_section = True
        elif m_arabic and in_section:
            num = lists.number(1, int(m_arabic.group(1)))
            rest = m_arabic.group(2)
            heading = not legal and not rest.endswith((".", ";", ":")) and len(rest.split()) <= 25
            out.append(Para(rest, "khoan", label=f"{m_arabic.group(1)}.", num=(num, 1), bold=heading))
        elif BASIS.match(line):
            out.append(Para(line, "basis", italic=True))
        elif _is_upper(line):  # "QUYẾT ĐỊNH:", the signing authority's line
            out.append(Para(line, "heading", bold=True, align="center"))
        elif LETTER.match(line) or DASH.match(line):
            short = LETTER.match(line) and not legal and not line.endswith((".", ";", ":"))
            out.append(Para(line, "item", italic=bool(short)))
        else:
            out.append(Para(line, "plain"))
    return out


def _document_is_legal(parts: list[PartText]) -> bool:
    return any(DIEU.match(line) for p in parts for line in p.body)


# ----------------------------------------------------------------------------- DOCX
FONT = "Times New Roman"
INDENT = 567  # twips: 1 cm first-line indent
LEFT_W, RIGHT_W = 3969, 5386  # twips: 7 cm | 9.5 cm (A4 less 3 cm + 1.5 cm margins)


def _lvl_xml(ilvl: int, fmt: str, text: str, bold: bool) -> str:
    rpr = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else "<w:rPr/>"
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:suff w:val="space"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="{INDENT}"/></w:pPr>{rpr}</w:lvl>')


def _abstract_xml(aid: int, legal: bool) -> str:
    from docx.oxml.ns import nsdecls

    if legal:
        levels = [_lvl_xml(0, "decimal", "Điều %1.", True), _lvl_xml(1, "decimal", "%2.", False),
                  # defined, as Word's multilevel lists are, but unused: Word cannot count
                  # Vietnamese điểm (a b c d đ e g), so điểm are typed
                  _lvl_xml(2, "lowerLetter", "%3)", False)]
    else:
        levels = [_lvl_xml(0, "upperRoman", "%1.", True), _lvl_xml(1, "decimal", "%2.", True)]
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">'
            f'<w:nsid w:val="{0x1D0C0000 + aid:08X}"/><w:multiLevelType w:val="multilevel"/>'
            f'{"".join(levels)}</w:abstractNum>')


def _num_xml(nid: int, aid: int, restart: int | None) -> str:
    from docx.oxml.ns import nsdecls

    override = (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart}"/></w:lvlOverride>'
                if restart is not None else "")
    return f'<w:num {nsdecls("w")} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{override}</w:num>'


def _set_run_font(run, size: float, bold=False, italic=False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para_format(p, align: str, first_line: bool = False, before: float = 0, after: float = 6,
                 keep_next: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, Twips

    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
                   "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    pf = p.paragraph_format
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if first_line:
        pf.first_line_indent = Twips(INDENT)
    if keep_next:
        pf.keep_with_next = True


def _add_text(p, text: str, size: float = 14, bold=False, italic=False) -> None:
    run = p.add_run(text)
    _set_run_font(run, size, bold, italic)


def _set_numpr(p, num_id: int, ilvl: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = p._p.get_or_add_pPr()
    numpr = parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    # schema order: pStyle, keepNext, keepLines, pageBreakBefore, framePr, widowControl, numPr, ...
    anchor = None
    for child in ppr:
        if child.tag.rsplit("}", 1)[1] in ("pStyle", "keepNext", "keepLines", "pageBreakBefore",
                                           "framePr", "widowControl"):
            anchor = child
    if anchor is None:
        ppr.insert(0, numpr)
    else:
        anchor.addnext(numpr)


def _borderless_table(doc, rows: int):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Twips

    table = doc.add_table(rows=rows, cols=2)
    tbl = table._tbl
    tblpr = tbl.tblPr
    for tag in ("w:tblStyle", "w:tblW", "w:tblBorders", "w:tblLayout", "w:tblLook"):
        for el in tblpr.findall(qn(tag)):
            tblpr.remove(el)
    none = "".join(f'<w:{side} w:val="nil"/>' for side in
                   ("top", "left", "bottom", "right", "insideH", "insideV"))
    tblpr.append(parse_xml(f'<w:tblW {nsdecls("w")} w:w="{LEFT_W + RIGHT_W}" w:type="dxa"/>'))
    tblpr.append(parse_xml(f'<w:tblBorders {nsdecls("w")}>{none}</w:tblBorders>'))
    tblpr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    for col, width in zip(table.columns, (LEFT_W, RIGHT_W)):
        col.width = Twips(width)
        for cell in col.cells:
            cell.width = Twips(width)
    return table


def _cell_lines(cell, lines: list[tuple[str, float, bool, bool]], align: str = "center") -> None:
    """Fill a cell with one paragraph per (text, size, bold, italic); '' is a blank line."""
    first = True
    for text, size, bold, italic in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        _para_format(p, align, after=0)
        if text:
            _add_text(p, text, size, bold, italic)


def _page_break(doc) -> None:
    from docx.enum.text import WD_BREAK

    p = doc.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)
    _para_format(p, "left", after=0)


def _header_table(doc, part: PartText) -> None:
    rows = 2 if (part.number or part.date) else 1
    table = _borderless_table(doc, rows)
    # Nghị định 30/2020: the superior body upright, the issuing body bold, 12-13 pt
    issuer = [(line, 12, k == len(part.issuer) - 1, False) for k, line in enumerate(part.issuer)]
    if part.issuer_sep:
        issuer.append((part.issuer_sep, 13, True, False))
    motto = [(line, 12 if k == 0 else 13, True, False) for k, line in enumerate(part.motto)]
    if part.motto_sep:
        motto.append((part.motto_sep, 14, True, False))
    _cell_lines(table.cell(0, 0), issuer)
    _cell_lines(table.cell(0, 1), motto)
    if rows == 2:
        _cell_lines(table.cell(1, 0), [(part.number or "", 13, False, False)])
        _cell_lines(table.cell(1, 1), [(part.date or "", 14, False, True)])
        for c in (0, 1):
            table.cell(1, c).paragraphs[0].paragraph_format.space_before = _pt(6)


def _pt(v: float):
    from docx.shared import Pt

    return Pt(v)


def _closing_table(doc, part: PartText) -> None:
    table = _borderless_table(doc, 1)
    left = [(part.recipients_head or "", 12, True, True)] + [(r, 11, False, False) for r in part.recipients]
    _cell_lines(table.cell(0, 0), left, align="left")
    signer = part.signer
    right = [(line, 14, True, False) for line in signer[:-1]] + [("", 14, False, False)] * 4
    if signer:
        right.append((signer[-1], 14, True, False))
    _cell_lines(table.cell(0, 1), right)


def _setup(doc, title: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(attr), None)
    _page_numbers(section)
    cp = doc.core_properties
    cp.title, cp.author, cp.last_modified_by = title, "Văn thư", "Văn thư"
    cp.comments, cp.revision = "", 1
    cp.created = cp.modified = FIXED_TIME.replace(tzinfo=None)
    # keep the package small: no thumbnail image, no duplicate styles, no bibliography part
    with_effects = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
    for rels, kinds in ((doc.part.package.rels, (RT.THUMBNAIL,)),
                        (doc.part.rels, (with_effects, RT.CUSTOM_XML))):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in kinds]:
            del rels[rid]


def _page_numbers(section) -> None:
    """Page number centred at the top from page 2 on (Nghị định 30/2020/NĐ-CP), a PAGE field."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    _para_format(p, "center", after=0)
    rpr = '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:sz w:val="28"/></w:rPr>'
    for inner in ('<w:fldChar w:fldCharType="begin"/>', '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                  '<w:fldChar w:fldCharType="separate"/>', '<w:t>2</w:t>', '<w:fldChar w:fldCharType="end"/>'):
        p._p.append(parse_xml(f'<w:r {nsdecls("w")}>{rpr}{inner}</w:r>'))


def build_docx(text_path: str | Path) -> bytes:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    text = Path(text_path).read_text(encoding="utf-8")
    parts = segment(text)
    legal = _document_is_legal(parts)
    doc = docx.Document()
    _setup(doc, " ".join([parts[0].doc_type.capitalize()] + parts[0].title))
    body = doc.element.body
    for p in list(body):  # the template's empty paragraph; keep sectPr
        if p.tag.endswith("}p"):
            body.remove(p)
    lists = _Lists(abstract_id=20, first_num_id=20)

    for k, part in enumerate(parts):
        if k:
            _page_break(doc)
        _header_table(doc, part)
        p = doc.add_paragraph()
        _para_format(p, "center", before=18, after=0, keep_next=True)
        _add_text(p, part.doc_type, 14, bold=True)
        for line in part.title:
            p = doc.add_paragraph()
            _para_format(p, "center", after=0, keep_next=True)
            _add_text(p, line, 14, bold=True)
        if part.reference:
            p = doc.add_paragraph()
            _para_format(p, "center", after=0)
            _add_text(p, part.reference, 14, italic=True)
        p = doc.add_paragraph()  # the short rule under the title, as a typed line
        _para_format(p, "center", after=6)
        _add_text(p, "-" * 11, 14, bold=True)
        lists.new_block()
        for para in body_paragraphs(part, lists, legal):
            p = doc.add_paragraph()
            if para.kind == "heading":
                _para_format(p, "center", before=6, after=0, keep_next=True)
            else:
                _para_format(p, para.align, first_line=para.num is None, after=6,
                             keep_next=para.kind in ("dieu", "roman") or para.bold)
            if para.num is not None:
                _set_numpr(p, *para.num)
            _add_text(p, para.text, 14, para.bold, para.italic)
        if part.recipients_head or part.signer:
            _closing_table(doc, part)
    doc.add_paragraph()  # Word ends the body with a paragraph

    numbering = doc.part.part_related_by(RT.NUMBERING).element
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    abstract = parse_xml(_abstract_xml(lists.abstract_id, legal))
    if first_num is not None:  # the schema puts every abstractNum before the first num
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    for nid, aid, restart in lists.nums:
        numbering.append(parse_xml(_num_xml(nid, aid, restart)))

    buf = io.BytesIO()
    doc.save(buf)
    return _reproducible_zip(buf.getvalue())


def _reproducible_zip(data: bytes) -> bytes:
    """The same package with fixed entry timestamps, so a rebuild is byte-for-byte equal."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info))
    return out.getvalue()


# ----------------------------------------------------------------------------- HTML
_CSS = """\
body { font-family: 'Times New Roman', Times, serif; font-size: 14pt; margin: 0 auto; max-width: 820px; }
.content1 table.vb-header, .content1 table.vb-closing { width: 100%; border-collapse: collapse; }
.content1 td { vertical-align: top; padding: 0 4px; }
.content1 p { margin: 6pt 0; text-align: justify; text-indent: 1cm; }
.content1 p.c { text-align: center; text-indent: 0; }
.content1 td p { text-indent: 0; margin: 0; }
"""
_JS = """\
var _gaq = _gaq || [];
_gaq.push(['_setAccount', 'UA-0000000-1']);
function toggleLuocDo(id) { var e = document.getElementById(id); if (e && e.style) { e.style.display = (e.style.display == 'none') ? '' : 'none'; } }
"""


def _esc(s: str) -> str:
    return html.escape(s, quote=True)


def _p(text: str, cls: str | None = None, inner: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{inner if inner is not None else _esc(text)}</p>"


def _span(text: str, b=False, i=False) -> str:
    s = _esc(text)
    if i:
        s = f"<i>{s}</i>"
    if b:
        s = f"<b>{s}</b>"
    return s


def _html_header(part: PartText, t: int) -> list[str]:
    issuer = part.issuer[:-1] + [f"<b>{_esc(part.issuer[-1])}</b>"] if part.issuer else []
    issuer = [_esc(x) if not x.startswith("<b>") else x for x in issuer]
    left = "<br>\n".join(issuer + ([f"<b>{_esc(part.issuer_sep)}</b>"] if part.issuer_sep else []))
    right = "<br>\n".join([_span(x, b=True) for x in part.motto]
                          + ([f"<b>{_esc(part.motto_sep)}</b>"] if part.motto_sep else []))
    out = [f'<table class="vb-header" id="tbl{t}" border="0" cellspacing="0" cellpadding="0">',
           '<tr><td width="38%" valign="top">', f'<p class="c">{left}</p>', "</td>",
           '<td width="62%" valign="top">', f'<p class="c">{right}</p>', "</td></tr>"]
    if part.number or part.date:
        number = part.number or ""
        m = REFERENCE.match(number)
        number_html = (_esc(number[:m.end()]) + "&nbsp;" + _esc(number[m.end():].lstrip())) if m else _esc(number)
        out += ['<tr><td valign="top">', f'<p class="c">{number_html}</p>', "</td>",
                '<td valign="top">', f'<p class="c"><i>{_esc(part.date or "")}</i></p>', "</td></tr>"]
    out.append("</table>")
    return out


def _html_closing(part: PartText, t: int) -> list[str]:
    left = [f"<b><i>{_esc(part.recipients_head or '')}</i></b>"] + [_esc(r) for r in part.recipients]
    signer = part.signer
    right = [f"<p class=\"c\"><b>{_esc(x)}</b></p>" for x in signer[:-1]]
    right += ["<p>&nbsp;</p>"] * 3
    if signer:
        right.append(f'<p class="c"><b>{_esc(signer[-1])}</b></p>')
    return [f'<table class="vb-closing" id="tbl{t}" border="0" cellspacing="0" cellpadding="0">',
            '<tr><td width="48%" valign="top">', "<p>" + "<br>\n".join(left) + "</p>", "</td>",
            '<td width="52%" valign="top">', *right, "</td></tr>", "</table>"]


def build_html(text_path: str | Path) -> str:
    text = Path(text_path).read_text(encoding="utf-8")
    parts = segment(text)
    legal = _document_is_legal(parts)
    lists = _Lists(abstract_id=0, first_num_id=0)  # only to reuse the classifier
    first = parts[0]
    number = (REFERENCE.sub("", first.number or "").strip())
    page_title = f"{first.doc_type.capitalize()} {number} {' '.join(first.title)}".strip()
    out = ["<!DOCTYPE html>", '<html lang="vi">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_esc(page_title)} &amp; văn bản liên quan | Cơ sở dữ liệu văn bản</title>",
           "<style>", _CSS.rstrip(), "</style>", "<script>", _JS.rstrip(), "</script>", "</head>",
           "<body>", '<div id="divLuocDo" style="display:none">Lược đồ &amp; hiệu lực: đang cập nhật</div>',
           '<div class="content1">']
    tables = 0
    for k, part in enumerate(parts):
        if k:
            out.append('<p class="c">&nbsp;</p>')
        out += _html_header(part, tables)
        tables += 1
        out.append(f'<p class="c"><b>{_esc(part.doc_type)}<br>\n'
                   + "<br>\n".join(_esc(x) for x in part.title) + "</b></p>")
        if part.reference:
            out.append(f'<p class="c"><i>{_esc(part.reference)}</i></p>')
        out.append('<p class="c">___________</p>')
        lists.new_block()
        for para in body_paragraphs(part, lists, legal):
            if para.kind == "heading":
                out.append(f'<p class="c"><b>{_esc(para.text)}</b></p>')
            elif para.label:
                body = _span(para.text, b=para.bold)
                out.append(f"<p><b>{_esc(para.label)}</b> {body}</p>")
            else:
                out.append(_p(para.text, inner=_span(para.text, b=para.bold, i=para.italic)))
        if part.recipients_head or part.signer:
            out += _html_closing(part, tables)
            tables += 1
    out += ["</div>", "</body>", "</html>", ""]
    return "\n".join(out)


# ------------------------------------------------------------------------------ CLI
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("text", nargs="+", type=Path, help="corpus text document(s)")
    ap.add_argument("--out", type=Path, default=None, help="output folder (default: next to the text)")
    ap.add_argument("--pdf", action="store_true", help="also export X.pdf from X.docx with LibreOffice")
    args = ap.parse_args(argv)
    for src in args.text:
        out_dir = args.out or src.parent
        out_dir.mkdir(parents=True, exist_ok=True)
        docx_path = out_dir / (src.stem + ".docx")
        html_path = out_dir / (src.stem + ".html")
        docx_path.write_bytes(build_docx(src))
        html_path.write_bytes(build_html(src).encode("utf-8"))
        print(f"{docx_path}\n{html_path}")
        if args.pdf:
            print(export_pdf(docx_path, out_dir))
    return 0


def export_pdf(docx_path: Path, out_dir: Path) -> Path:
    """X.docx -> out_dir/X.pdf with LibreOffice headless, in a throwaway user profile."""
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice (LibreOffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="lo-") as profile:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)],
                       check=True, capture_output=True, timeout=300)
    return out_dir / (docx_path.stem + ".pdf")


if __name__ == "__main__":
    sys.exit(main())
