"""DOCX reader: body order, tables, Word numbering, formatting hints, hostile inputs, real files."""
from __future__ import annotations

import io
import struct
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from conftest import REAL_DOCS, require_tool, skip_or_fail
from pipeline.ingest import read_bytes
from pipeline.ingest.docx_reader import read_docx
from pipeline.model import ReadError


# ------------------------------------------------------------------ DOCX builders
def new_doc():
    return docx.Document()


def _numbering(doc):
    return doc.part.part_related_by(RT.NUMBERING).element


def lvl(ilvl, fmt, text, start=1, extra=""):
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}<w:lvlJc w:val="left"/></w:lvl>')


def add_abstract(doc, aid, levels, link=""):
    el = _numbering(doc)
    a = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">'
                  f'<w:multiLevelType w:val="multilevel"/>{link}{"".join(levels)}</w:abstractNum>')
    nums = el.findall(qn("w:num"))
    if nums:  # the schema puts every abstractNum before the first num
        nums[0].addprevious(a)
    else:
        el.append(a)


def add_num(doc, nid, aid, overrides=""):
    _numbering(doc).append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'))


def start_override(ilvl, val):
    return f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{val}"/></w:lvlOverride>'


def set_numpr(p, nid=None, ilvl=None):
    inner = (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "") + (
        f'<w:numId w:val="{nid}"/>' if nid is not None else "")
    p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {nsdecls("w")}>{inner}</w:numPr>'))
    return p


def para(doc, text, nid=None, ilvl=None, style=None):
    p = doc.add_paragraph(text, style=style)
    if nid is not None or ilvl is not None:
        set_numpr(p, nid, ilvl)
    return p


def add_style(doc, sid, name, based="Normal", ppr="", rpr="", kind="paragraph"):
    based_xml = f'<w:basedOn w:val="{based}"/>' if based else ""
    doc.styles.element.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="{kind}" w:styleId="{sid}"><w:name w:val="{name}"/>'
        f'{based_xml}<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>'))


def to_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def read(doc):
    return read_docx(to_bytes(doc))


def texts(blocks):
    return [b.text for b in blocks]


def rezip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """Copy a package, replacing (or dropping, with None) some parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])
            else:
                dst.writestr(info, src.read(info))
    return out.getvalue()


# ---------------------------------------------------------------------- numbering
def test_dieu_numbering_on_three_paragraphs():
    doc = new_doc()
    add_abstract(doc, 100, [lvl(0, "decimal", "Điều %1.")])
    add_num(doc, 100, 100)
    for t in ("Phạm vi điều chỉnh", "Đối tượng áp dụng", "Giải thích từ ngữ"):
        para(doc, t, 100, 0)
    blocks, quality = read(doc)
    assert texts(blocks) == ["Điều 1. Phạm vi điều chỉnh", "Điều 2. Đối tượng áp dụng",
                             "Điều 3. Giải thích từ ngữ"]
    assert [b.numbering for b in blocks] == ["Điều 1.", "Điều 2.", "Điều 3."]
    assert quality == {"reader": "python-docx", "numbered_paragraphs": 3, "tables": 0}


def test_khoan_restarts_under_each_dieu():
    doc = new_doc()
    add_abstract(doc, 100, [lvl(0, "decimal", "Điều %1."), lvl(1, "decimal", "%2."), lvl(2, "lowerLetter", "%3)")])
    add_num(doc, 100, 100)
    for d in range(2):
        para(doc, f"Điều {d}", 100, 0)
        para(doc, "khoản", 100, 1)
        para(doc, "điểm", 100, 2)
        para(doc, "điểm", 100, 2)
        para(doc, "khoản", 100, 1)
    labels = [b.numbering for b in read(doc)[0]]
    assert labels == ["Điều 1.", "1.", "a)", "b)", "2.", "Điều 2.", "1.", "a)", "b)", "2."]


def test_numbering_inherited_from_style_and_based_on_chain():
    doc = new_doc()
    add_abstract(doc, 100, [lvl(0, "decimal", "Điều %1."), lvl(1, "decimal", "Khoản %2.")])
    add_num(doc, 100, 100)
    add_style(doc, "DieuX", "Dieu X", ppr='<w:numPr><w:numId w:val="100"/></w:numPr>', rpr="<w:b/>")
    # ilvl from this style, numId from the style it is based on
    add_style(doc, "KhoanX", "Khoan X", based="DieuX", ppr='<w:numPr><w:ilvl w:val="1"/></w:numPr>',
              rpr='<w:b w:val="0"/>')
    para(doc, "Quy định chung", style="Dieu X")
    para(doc, "nội dung", style="Khoan X")
    para(doc, "nội dung", style="Khoan X")
    para(doc, "Tổ chức thực hiện", style="Dieu X")
    p = para(doc, "không đánh số", style="Dieu X")
    set_numpr(p, 0)  # numId 0 switches the style's numbering off
    blocks = read(doc)[0]
    assert texts(blocks) == ["Điều 1. Quy định chung", "Khoản 1. nội dung", "Khoản 2. nội dung",
                             "Điều 2. Tổ chức thực hiện", "không đánh số"]
    assert blocks[0].style == "Dieu X" and blocks[0].bold is True
    assert blocks[1].bold is False
    assert blocks[4].numbering is None


def test_builtin_list_number_style():
    # python-docx's template puts numPr on "List Number", as Word does
    doc = new_doc()
    for t in ("một", "hai"):
        doc.add_paragraph(t, style="List Number")
    blocks = read(doc)[0]
    assert texts(blocks) == ["1. một", "2. hai"]


def test_second_num_on_same_abstract_continues_and_start_override_restarts():
    doc = new_doc()
    add_abstract(doc, 100, [lvl(0, "decimal", "Điều %1."), lvl(1, "decimal", "%2.")])
    add_num(doc, 100, 100)
    add_num(doc, 101, 100)  # same abstractNum, no override: continues
    add_num(doc, 102, 100, start_override(0, 1))  # restarts
    para(doc, "a", 100, 0)
    para(doc, "b", 100, 0)
    para(doc, "c", 101, 0)
    para(doc, "d", 101, 1)
    para(doc, "e", 102, 0)
    para(doc, "f", 102, 0)
    para(doc, "g", 100, 0)  # the restarted sequence is the abstractNum's sequence
    assert [b.numbering for b in read(doc)[0]] == [
        "Điều 1.", "Điều 2.", "Điều 3.", "1.", "Điều 1.", "Điều 2.", "Điều 3."]


def test_start_override_takes_effect_where_the_level_is_first_used():
    # LibreOffice renders "2.1." then "10.": the override waits for its own level
    doc = new_doc()
    add_abstract(doc, 100, [lvl(0, "decimal", "%1."), lvl(1, "decimal", "%1.%2.")])
    add_num(doc, 100, 100)
    add_num(doc, 101, 100, start_override(0, 10))
    for nid, ilvl in ((100, 0), (100, 0), (101, 1), (101, 0), (101, 1), (100, 0)):
        para(doc, "x", nid, ilvl)
    assert [b.numbering for b in read(doc)[0]] == ["1.", "2.", "2.1.", "10.", "10.1.", "11."]


def test_lower_letter_and_other_formats():
    doc = new_doc()
    add_abstract(doc, 100, [lvl(0, "lowerLetter", "%1)")])
    add_abstract(doc, 101, [lvl(0, "upperRoman", "%1."), lvl(1, "decimalZero", "%2."),
                            lvl(2, "lowerRoman", "(%3)", start=4), lvl(3, "upperLetter", "%4/")])
    add_num(doc, 100, 100)
    add_num(doc, 101, 101)
    for _ in range(28):
        para(doc, "điểm", 100, 0)
    for ilvl in (0, 1, 1, 2, 2, 3, 0):
        para(doc, "x", 101, ilvl)
    labels = [b.numbering for b in read(doc)[0]]
    assert labels[:3] == ["a)", "b)", "c)"]
    assert labels[25:28] == ["z)", "aa)", "bb)"]  # Word doubles the letter after z
    assert labels[28:] == ["I.", "01.", "02.", "(iv)", "(v)", "A/", "II."]


def test_parent_level_unseen_counts_as_its_start():
    doc = new_doc()
    add_abstract(doc, 100, [lvl(0, "upperRoman", "%1."), lvl(1, "decimal", "%1.%2.")])
    add_num(doc, 100, 100)
    for ilvl in (1, 1, 0, 1):
        para(doc, "x", 100, ilvl)
    assert [b.numbering for b in read(doc)[0]] == ["I.1.", "I.2.", "II.", "II.1."]


def test_bullets_suffix_restart_legal_and_style_link():
    doc = new_doc()
    add_abstract(doc, 100, [lvl(0, "bullet", "-"), lvl(1, "bullet", "\uf0b7"),
                            lvl(2, "decimal", "%3)", extra='<w:suff w:val="nothing"/>')])
    add_num(doc, 100, 100)
    para(doc, "gạch đầu dòng", 100, 0)
    para(doc, "chấm", 100, 1)
    para(doc, "dính liền", 100, 2)
    # lvlRestart 0: level 1 never restarts; isLgl: Roman parent shown as a decimal
    add_abstract(doc, 101, [lvl(0, "upperRoman", "%1."),
                            lvl(1, "decimal", "%1.%2.", extra='<w:lvlRestart w:val="0"/><w:isLgl/>')])
    add_num(doc, 101, 101)
    for ilvl in (0, 1, 0, 1):
        para(doc, "x", 101, ilvl)
    # numStyleLink: abstractNum 103 borrows the levels of the list style "LegalList" (abstractNum 102)
    add_style(doc, "LegalList", "Legal List", based=None, kind="numbering",
              ppr='<w:numPr><w:numId w:val="102"/></w:numPr>')
    add_abstract(doc, 102, [lvl(0, "upperRoman", "Phần %1.")], link='<w:styleLink w:val="LegalList"/>')
    add_abstract(doc, 103, [], link='<w:numStyleLink w:val="LegalList"/>')
    add_num(doc, 102, 102)
    add_num(doc, 103, 103)
    para(doc, "y", 103, 0)
    para(doc, "y", 102, 0)
    blocks = read(doc)[0]
    assert texts(blocks)[:3] == ["- gạch đầu dòng", "• chấm", "1)dính liền"]
    assert blocks[2].numbering == "1)"
    assert [b.numbering for b in blocks[3:7]] == ["I.", "1.1.", "II.", "2.2."]
    assert [b.numbering for b in blocks[7:]] == ["Phần I.", "Phần II."]


def test_empty_numbered_paragraph_counts_but_is_not_emitted():
    doc = new_doc()
    add_abstract(doc, 100, [lvl(0, "decimal", "%1.")])
    add_num(doc, 100, 100)
    para(doc, "a", 100, 0)
    para(doc, "", 100, 0)  # Word still shows "2." on an empty numbered line
    para(doc, "c", 100, 0)
    blocks = read(doc)[0]
    assert [(b.index, b.text) for b in blocks] == [(0, "1. a"), (2, "3. c")]


# --------------------------------------------------------------- tables and body
def test_header_table_row_major_cells():
    doc = new_doc()
    doc.add_paragraph("")
    t = doc.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nXÃ LƯƠNG MINH"  # python-docx turns \n into w:br
    t.cell(0, 1).paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    t.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc")
    t.cell(0, 1).add_paragraph("   ")
    t.cell(1, 0).text = "Số: 56/KH-UBND"
    t.cell(1, 1).text = "Lương Minh, ngày 18 tháng 11 năm 2025"
    doc.add_paragraph("KẾ HOẠCH")
    blocks, quality = read(doc)
    assert [(b.kind, b.table, b.row, b.col, b.text) for b in blocks] == [
        ("cell", 0, 0, 0, "ỦY BAN NHÂN DÂN\nXÃ LƯƠNG MINH"),
        ("cell", 0, 0, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("cell", 0, 0, 1, "Độc lập - Tự do - Hạnh phúc"),
        ("cell", 0, 1, 0, "Số: 56/KH-UBND"),
        ("cell", 0, 1, 1, "Lương Minh, ngày 18 tháng 11 năm 2025"),
        ("paragraph", None, None, None, "KẾ HOẠCH"),
    ]
    # the running index counts every paragraph visited, blank ones included
    assert [b.index for b in blocks] == [1, 2, 3, 5, 6, 7]
    assert quality["tables"] == 1


def test_merged_cells_emitted_once_and_grid_columns():
    doc = new_doc()
    t = doc.add_table(rows=3, cols=3)
    top = t.cell(0, 0).merge(t.cell(0, 1))  # gridSpan
    top.text = "ngang"
    t.cell(0, 2).text = "c02"
    left = t.cell(1, 0).merge(t.cell(2, 0))  # vMerge
    left.text = "dọc"
    t.cell(1, 1).text = "c11"
    t.cell(2, 2).text = "c22"
    blocks = read(doc)[0]
    assert [(b.row, b.col, b.text) for b in blocks] == [
        (0, 0, "ngang"), (0, 2, "c02"), (1, 0, "dọc"), (1, 1, "c11"), (2, 2, "c22")]


def test_nested_table_read_in_place():
    doc = new_doc()
    t = doc.add_table(rows=1, cols=2)
    cell = t.cell(0, 0)
    cell.paragraphs[0].text = "trước"
    inner = cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "trong 1"
    inner.cell(0, 1).text = "trong 2"
    cell.add_paragraph("sau")
    t.cell(0, 1).text = "cột 2"
    blocks, quality = read(doc)
    assert [(b.table, b.row, b.col, b.text) for b in blocks] == [
        (0, 0, 0, "trước"), (1, 0, 0, "trong 1"), (1, 0, 1, "trong 2"), (0, 0, 0, "sau"), (0, 0, 1, "cột 2")]
    assert quality["tables"] == 2


def test_deep_tables_and_a_long_paragraph():
    doc = new_doc()
    cell = doc.add_table(rows=1, cols=1).cell(0, 0)
    for i in range(60):
        cell.paragraphs[0].text = f"mức {i}"
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = "trong cùng"
    doc.add_paragraph("chữ " * 100_000)
    blocks, quality = read(doc)
    assert quality["tables"] == 61
    assert (blocks[-2].table, blocks[-2].text) == (60, "trong cùng")
    assert len(blocks[-1].text) == 400_000


def test_soft_breaks_tabs_hyperlinks_hidden_and_deleted_text():
    doc = new_doc()
    p = doc.add_paragraph()
    p.add_run("ỦY BAN NHÂN DÂN")
    p.add_run().add_break()
    p.add_run("XÃ X\tcột")
    p._p.append(parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="rIdX">'
                          '<w:r><w:t xml:space="preserve"> liên kết</w:t></w:r></w:hyperlink>'))
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t> thêm</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="a">'
                          '<w:r><w:delText> xoá</w:delText></w:r></w:del>'))
    hidden = p.add_run(" ẩn")
    hidden.font.hidden = True
    blocks = read(doc)[0]
    assert texts(blocks) == ["ỦY BAN NHÂN DÂN\nXÃ X\tcột liên kết thêm"]


MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def test_content_control_and_text_box():
    doc = new_doc()
    body = doc.element.body
    doc.add_paragraph("trước")
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent>'
                    '<w:p><w:r><w:t>trong sdt</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    body.insert(len(body) - 1, sdt)  # before sectPr
    wps = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    vml = 'xmlns:v="urn:schemas-microsoft-com:vml"'
    box_p = "<w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent>"
    box = parse_xml(
        f'<w:p {nsdecls("w", "wp", "a")} {MC} {wps} {vml}><w:r><w:t>neo</w:t></w:r>'
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
        f'<a:graphicData><wps:wsp><wps:txbx>{box_p}</wps:txbx></wps:wsp></a:graphicData>'
        '</a:graphic></wp:anchor></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape><v:textbox>{box_p}</v:textbox></v:shape></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r></w:p>')
    body.insert(len(body) - 1, box)
    blocks = read(doc)[0]
    assert texts(blocks) == ["trước", "trong sdt", "neo", "DỰ THẢO"]  # the box once, after its anchor


def test_formatting_hints():
    doc = new_doc()
    add_style(doc, "TieuDe", "Tieu De", ppr='<w:jc w:val="center"/>',
              rpr='<w:b/><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/>')
    doc.add_paragraph("QUYẾT ĐỊNH", style="Tieu De")
    p = doc.add_paragraph()
    p.alignment = 3  # WD_ALIGN_PARAGRAPH.JUSTIFY
    r = p.add_run("Căn cứ ")
    r.italic = True
    r.font.name = "Times New Roman"
    r2 = p.add_run("Luật")
    r2.italic = True
    r2.bold = True
    p3 = doc.add_paragraph()
    p3.add_run("   ")  # a blank run does not break "every non-blank run is bold"
    b = p3.add_run("ĐẬM")
    b.bold = True
    b.font.size = Pt(14)
    blocks = read(doc)[0]
    assert (blocks[0].style, blocks[0].bold, blocks[0].italic, blocks[0].align, blocks[0].font) == (
        "Tieu De", True, False, "center", ".VnTime")
    assert (blocks[1].style, blocks[1].bold, blocks[1].italic, blocks[1].align, blocks[1].font) == (
        "Normal", False, True, "both", "Times New Roman")
    assert blocks[2].bold is True and blocks[2].align == "left"


def test_registered_for_docx():
    doc = new_doc()
    doc.add_paragraph("Kế hoạch")
    raw = read_bytes(to_bytes(doc), "x.docx", ".docx")
    assert raw.format == "docx" and raw.blocks[0].text == "Kế hoạch"


# -------------------------------------------------------------------- bad inputs
def _code(data: bytes) -> str:
    with pytest.raises(ReadError) as exc:
        read_docx(data)
    return exc.value.code


def test_not_a_zip_and_truncated_zip():
    assert _code(b"this is not a zip file at all") == "corrupt_docx"
    data = to_bytes(new_doc())
    assert _code(data[: len(data) // 2]) == "corrupt_docx"


def test_missing_or_broken_document_part():
    data = to_bytes(new_doc())
    assert _code(rezip(data, {"word/document.xml": None})) == "corrupt_docx"
    assert _code(rezip(data, {"word/document.xml": b"<w:document><w:body>"})) == "corrupt_docx"


def test_zip_bomb_by_ratio():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/document.xml", "w") as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(60):  # 60 MB of zeros packs to ~60 KB
                fh.write(chunk)
    assert _code(out.getvalue()) == "zip_bomb"


def test_zip_bomb_by_declared_size():
    data = bytearray(to_bytes(new_doc()))
    pos = data.find(b"PK\x01\x02")  # first central-directory entry: forge its uncompressed size
    data[pos + 24:pos + 28] = struct.pack("<I", 300 * 1024 * 1024)
    assert _code(bytes(data)) == "zip_bomb"


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "[Content_Types].xml"])
def test_doctype_or_entity_is_hostile(part):
    data = to_bytes(new_doc())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read(part)
    decl_end = xml.index(b"?>") + 2
    evil = xml[:decl_end] + b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + xml[decl_end:]
    assert _code(rezip(data, {part: evil})) == "hostile_xml"
    # behind a long comment the DTD is past the first bytes read
    evil = xml[:decl_end] + b"<!--" + b"x" * 20000 + b'--><!DOCTYPE x SYSTEM "file:///etc/passwd">' + xml[decl_end:]
    assert _code(rezip(data, {part: evil})) == "hostile_xml"


def test_doctype_in_utf16_part_and_after_python_docx_parses(monkeypatch):
    from pipeline.ingest import docx_reader

    data = to_bytes(new_doc())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    decl_end = xml.index("?>") + 2
    evil = (xml[:decl_end].replace("UTF-8", "UTF-16") + '<!DOCTYPE x [<!ENTITY a "b">]>' + xml[decl_end:])
    evil_data = rezip(data, {"word/document.xml": evil.encode("utf-16")})
    assert _code(evil_data) == "hostile_xml"
    # the check on python-docx's parsed parts catches what the prolog sniff might miss
    monkeypatch.setattr(docx_reader, "_check_package", lambda data: None)
    assert _code(evil_data) == "hostile_xml"


# --------------------------------------------------------------------- real files
def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _flat(s: str) -> str:
    return " ".join(_nfc(s).split())


REAL = {_nfc(p.name): p for p in sorted(REAL_DOCS.iterdir()) if p.suffix.lower() == ".docx"} \
    if REAL_DOCS.is_dir() else {}

# What the first page shows (LibreOffice rendering), issuer column then motto column.
REAL_HEADERS = {
    "(chuan)Hướng dẫn": ["ỦY BAN MTTQ VIỆT NAM", "XÃ LƯƠNG MINH", "BAN THƯỜNG TRỰC",
                         "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                         "Số: /HD-MTTQ-BTT", "Lương Minh, ngày 22 tháng 12 năm 2025", "HƯỚNG DẪN"],
    "18-11-KH": ["ỦY BAN MTTQ VIỆT NAM", "XÃ LƯƠNG MINH", "BAN THƯỜNG TRỰC", "Số: 16/KH-MTTQ-BTT",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Lương Minh, ngày 18 tháng 11 năm 2025", "KẾ HOẠCH"],
    "KẾ HOẠCH KIỂM TRA": ["UỶ BAN MTTQ VIỆT NAM", "PHƯỜNG BẮC CAM RANH", "BAN THƯỜNG TRỰC",
                          "Số: /KH-MTTQ-BTT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                          "Độc lập - Tự do - Hạnh phúc", "Bắc Cam Ranh, ngày tháng 11 năm 2025", "KẾ HOẠCH"],
    "KH Tieu ban": ["ỦY BAN BẦU CỬ XÃ PHỐ BẢNG", "TIỂU BAN THÔNG TIN, TUYÊN TRUYỀN, KHÁNH TIẾT",
                    "Số: 01/KH-TBTTKT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                    "Phố Bảng, ngày 10 tháng 12 năm 2025", "KẾ HOẠCH"],
    "Kế hoạch tổ chức HN": ["/ỦY BAN MTTQ VIỆT NAM", "XÃ LƯƠNG MINH", "BAN THƯỜNG TRỰC",
                            "Số: /KH-MTTQ-BTT", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                            "Độc lập - Tự do - Hạnh phúc", "Lương Minh, ngày tháng 01 năm 2026", "KẾ HOẠCH"],
    "QĐ thành lập": ["ỦY BAN MTTQ VIỆT NAM", "XÃ LƯƠNG MINH", "BAN THƯỜNG TRỰC", "Số: /QĐ-MTTQ-BTT",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Lương Minh, ngày 12 tháng 01 năm 2026", "QUYẾT ĐỊNH"],
}


def _real(prefix: str) -> Path:
    found = [p for name, p in REAL.items() if name.startswith(_nfc(prefix))]
    if not found:
        skip_or_fail(f"real document {prefix!r} not present")
    return found[0]


def test_every_real_docx_has_a_header_expectation():
    if not REAL:
        skip_or_fail("no real documents")
    assert all(any(name.startswith(_nfc(k)) for k in REAL_HEADERS) for name in REAL)


@pytest.mark.parametrize("prefix", sorted(REAL_HEADERS))
def test_real_docx_header(prefix):
    blocks, quality = read_docx(_real(prefix).read_bytes())
    assert quality["reader"] == "python-docx" and quality["tables"] >= 1
    head = [_flat(b.text) for b in blocks[:len(REAL_HEADERS[prefix]) + 2]]
    for want in REAL_HEADERS[prefix]:
        assert _flat(want) in head
    # the header sits in a two-column table: issuer left, national motto right
    cells = {_flat(b.text): b for b in blocks if b.kind == "cell" and b.table == 0}
    assert cells[_flat(REAL_HEADERS[prefix][0])].col == 0
    assert cells["Độc lập - Tự do - Hạnh phúc"].col == 1
    indices = [b.index for b in blocks]
    assert indices == sorted(set(indices))


def label_agreement(blocks, rendered: str) -> tuple[int, int, list[str]]:
    """How many numbered blocks show the same label in front of their text in `rendered`."""
    text = _flat(rendered)
    pos, good, bad = 0, 0, []
    numbered = [b for b in blocks if b.numbering]
    for b in numbered:
        label = _flat(b.numbering)
        key = _flat(b.text[len(b.numbering):])[:30]
        i = text.find(key, pos)
        if i == -1:
            i = text.find(key)
        before = text[:i].rstrip() if i >= 0 else ""
        if i >= 0 and before.endswith(label) and (len(before) == len(label) or before[-len(label) - 1] == " "):
            good += 1
            pos = i + len(key)
        else:
            bad.append(f"{b.numbering!r} {b.text[:40]!r}")
    return good, len(numbered), bad


def _lo_cases() -> bytes:
    """Numbering that LibreOffice 7.4 renders the way Word counts (it ignores lvlRestart and isLgl)."""
    doc = new_doc()
    add_abstract(doc, 100, [lvl(0, "decimal", "Điều %1."), lvl(1, "decimal", "%2."), lvl(2, "lowerLetter", "%3)")])
    add_num(doc, 100, 100)
    add_num(doc, 101, 100)
    add_num(doc, 102, 100, start_override(0, 1))
    seq = [(100, 0), (100, 1), (100, 2), (100, 2), (100, 1), (100, 0), (100, 1), (101, 0), (101, 1),
           (102, 1), (102, 0), (102, 1), (100, 0), (100, 2)]
    add_abstract(doc, 103, [lvl(0, "upperRoman", "%1."), lvl(1, "decimal", "%1.%2."), lvl(2, "bullet", "-")])
    add_num(doc, 103, 103)
    add_num(doc, 104, 103, start_override(0, 5))
    seq += [(103, 1), (103, 1), (103, 0), (103, 2), (104, 1), (104, 0), (104, 1), (103, 0)]
    for i, (nid, ilvl) in enumerate(seq):
        para(doc, f"Đoạn{i:03d} nội dung", nid, ilvl)
    add_style(doc, "DieuX", "Dieu X", ppr='<w:numPr><w:numId w:val="105"/></w:numPr>')
    add_abstract(doc, 105, [lvl(0, "decimal", "Điều %1.")])
    add_num(doc, 105, 105)
    for i in range(3):
        para(doc, f"Điều mục{i:03d} nội dung", style="Dieu X")
    return to_bytes(doc)


@pytest.fixture(scope="module")
def libreoffice_text(tmp_path_factory):
    """LibreOffice's text of every real DOCX plus a synthetic numbering file, one soffice call."""
    soffice = require_tool("soffice")
    require_tool("pdftotext")
    tmp = tmp_path_factory.mktemp("lo")
    src = tmp / "src"
    src.mkdir()
    inputs = {}
    for i, (name, path) in enumerate(REAL.items()):  # ASCII-named links, so output names are known
        inputs[name] = src / f"real{i}.docx"
        inputs[name].symlink_to(path)
    inputs["synthetic"] = src / "synthetic.docx"
    inputs["synthetic"].write_bytes(_lo_cases())
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp), *map(str, inputs.values())],
                   check=True, capture_output=True, timeout=300)
    out = {}
    for name, path in inputs.items():
        pdf = tmp / (path.stem + ".pdf")
        out[name] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                                   capture_output=True, timeout=60).stdout.decode("utf-8")
    return out


def test_real_docx_numbering_matches_libreoffice(libreoffice_text):
    total_good = total = 0
    report = []
    for name, path in REAL.items():
        blocks, quality = read_docx(path.read_bytes())
        good, n, bad = label_agreement(blocks, libreoffice_text[name])
        assert n == quality["numbered_paragraphs"]
        total_good, total = total_good + good, total + n
        report.append(f"{name[:40]}: {good}/{n} {bad}")
        # LibreOffice's page starts with the issuer line our reader puts first
        first = REAL_HEADERS[next(k for k in REAL_HEADERS if name.startswith(_nfc(k)))][0]
        assert _flat(libreoffice_text[name]).startswith(_flat(first))
        assert _flat(blocks[0].text) == _flat(first)
    print("\n".join(report), f"\nreal DOCX numbering agreement: {total_good}/{total}")
    assert total_good == total


def test_synthetic_numbering_matches_libreoffice(libreoffice_text):
    blocks, _ = read_docx(_lo_cases())
    good, n, bad = label_agreement(blocks, libreoffice_text["synthetic"])
    print(f"\nsynthetic numbering agreement: {good}/{n}")
    assert n == 25 and good == n, bad
