"""PDF reader: reading order of the header and closing, wrapped paragraphs joined, page
numbers, OCR detection, errors.

Inputs are made at test time: a DOCX converted by LibreOffice (what agencies send), and
PDFs drawn with pypdfium2 in a chosen content-stream order (what other producers emit).
"""
import ctypes
import io
import random
import re
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from conftest import require_tool, skip_or_fail
from pipeline.ingest import read_bytes
from pipeline.ingest.pdf_reader import read_pdf
from pipeline.model import ReadError

FONTS = ["/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"]

HEADER = ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
          "Độc lập - Tự do - Hạnh phúc", "Số: 56/KH-UBND", "Quảng Ninh, ngày 26 tháng 02 năm 2024"]
RECIPIENTS = ["Nơi nhận:", "- Bộ Nội vụ;", "- TT Tỉnh ủy, TT HĐND tỉnh;", "- Lưu: VT."]
SIGNER = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"]


# --------------------------------------------------------------------------- LibreOffice
def _soffice(args: list[str], profile: Path, outdir: Path) -> None:
    exe = require_tool("soffice")
    subprocess.run([exe, "--headless", f"-env:UserInstallation={profile.as_uri()}", *args,
                    "--outdir", str(outdir)], check=True, capture_output=True, timeout=180)


def _cell(cell, lines, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=None):
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = align
        run = p.add_run(line)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = size


def _two_columns(doc, widths, rows):
    table = doc.add_table(rows=len(rows), cols=2)
    table.autofit = False
    for col, width in zip(table.columns, widths):
        col.width = width
    for r, cells in enumerate(rows):
        for c, (lines, fmt) in enumerate(cells):
            table.cell(r, c).width = widths[c]
            _cell(table.cell(r, c), lines, **fmt)
    return table


def _page_field(paragraph):
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _plan_docx(path: Path) -> None:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Cm(2)
    sec.left_margin, sec.right_margin = Cm(3), Cm(2)
    # Page number at the top from page 2 on, as Vietnamese documents have it.
    sec.different_first_page_header_footer = True
    head = sec.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(head)

    bold, plain, italic = {"bold": True}, {}, {"italic": True}
    _two_columns(doc, [Cm(6), Cm(10)], [
        [(HEADER[0:2], bold), (HEADER[2:4], bold)],
        [(HEADER[4:5], plain), (HEADER[5:6], italic)],
    ])
    for text in ("KẾ HOẠCH", "Thực hiện dân chủ ở cơ sở tỉnh Quảng Ninh năm 2024"):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = True
    doc.add_paragraph("Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022;")
    doc.add_paragraph("Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14/8/2023 của Chính phủ;")
    for s, title in enumerate(("MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG", "TỔ CHỨC THỰC HIỆN")):
        doc.add_paragraph(f"{'I' * (s + 1)}. {title}")
        for k in range(1, 9):
            doc.add_paragraph(f"{k}. Nội dung {s + 1}.{k}: bảo đảm công khai, minh bạch trong hoạt "
                              "động của cơ quan, đơn vị, địa phương.")
    closing = _two_columns(doc, [Cm(7), Cm(9)], [
        [(RECIPIENTS, {"bold": False, "align": WD_ALIGN_PARAGRAPH.LEFT}),
         (SIGNER[:3] + ["", ""] + SIGNER[3:], bold)],
    ])
    closing.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    doc.add_paragraph("")  # Word files end with a paragraph, not a table
    doc.save(path)


@pytest.fixture(scope="module")
def lo(tmp_path_factory):
    require_tool("soffice")
    work = tmp_path_factory.mktemp("lo")
    _plan_docx(work / "plan.docx")
    return work


@pytest.fixture(scope="module")
def plan_pdf(lo) -> bytes:
    _soffice(["--convert-to", "pdf", str(lo / "plan.docx")], lo / "profile", lo)
    return (lo / "plan.pdf").read_bytes()


@pytest.fixture(scope="module")
def encrypted_pdf(lo) -> bytes:
    out = lo / "enc"
    filt = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
            '"DocumentOpenPassword":{"type":"string","value":"x"}}')
    _soffice(["--convert-to", filt, str(lo / "plan.docx")], lo / "profile", out)
    return (out / "plan.pdf").read_bytes()


# Body text as Vietnamese agencies set it (Nghị định 30/2020): justified, first line indented
# 1 cm, items typed and indented like the paragraphs; a plain-text copy has one line each.
TITLE = "QUYẾT ĐỊNH"
TRICH_YEU = ("Về việc ban hành Quy chế thực hiện dân chủ ở cơ sở tại Sở Nội vụ tỉnh Quảng Ninh "
             "và các đơn vị sự nghiệp công lập trực thuộc Sở")
BASES = [
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
     "một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng "
     "11 năm 2019;"),
    "Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022;",
    ("Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14 tháng 8 năm 2023 của Chính phủ quy định chi tiết "
     "một số điều của Luật Thực hiện dân chủ ở cơ sở;"),
]
_CLAUSE = ("cán bộ, công chức, viên chức và người lao động được biết, được bàn, được tham gia ý kiến, "
           "được kiểm tra, giám sát việc thực hiện nhiệm vụ, quyền hạn của cơ quan, đơn vị")
BODY = [
    ("Điều 1. Ban hành kèm theo Quyết định này Quy chế thực hiện dân chủ ở cơ sở tại Sở Nội vụ "
     "tỉnh Quảng Ninh và các đơn vị sự nghiệp công lập trực thuộc Sở."),
    "1. Các nội dung phải công khai trong nội bộ cơ quan, đơn vị, gồm: " + _CLAUSE + ";",
    # starts half way down page 1 and is longer than what is left of it
    " ".join(f"{k}) Cơ quan, đơn vị tạo điều kiện để {_CLAUSE}." for k in range(1, 9)),
    "a) Kế hoạch công tác hằng năm, hằng quý, hằng tháng của cơ quan, đơn vị và " + _CLAUSE + ";",
    "b) Kinh phí hoạt động, quyết toán kinh phí hằng năm.",
    "- Quy chế chi tiêu nội bộ, quy chế quản lý và sử dụng tài sản công của " + _CLAUSE + ";",
    "- Việc tuyển dụng, quy hoạch, bổ nhiệm, điều động cán bộ.",
    # a paragraph with no first-line indent: its first line starts at the margin
    ("Thủ trưởng cơ quan, đơn vị có trách nhiệm bảo đảm để " + _CLAUSE + " theo quy định của "
     "pháp luật."),
    "2. Hình thức công khai: " + _CLAUSE + "; niêm yết tại trụ sở cơ quan, đơn vị.",
    ("Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký và thay thế Quyết định số "
     "47/QĐ-SNV ngày 20 tháng 4 năm 2016 của Giám đốc Sở Nội vụ."),
]
# label, then a tab to the hanging indent; its wrapped lines start under the text
HANGING = "3.\tĐịnh kỳ hằng năm, cơ quan, đơn vị tổ chức hội nghị để " + _CLAUSE + "."


def _paragraphs_docx(path: Path) -> None:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Cm(2)
    sec.left_margin, sec.right_margin = Cm(3), Cm(1.5)
    sec.different_first_page_header_footer = True
    head = sec.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(head)
    bold, plain, italic = ({"bold": True, "size": Pt(12)}, {"size": Pt(13)},
                           {"italic": True, "size": Pt(13)})
    _two_columns(doc, [Cm(6), Cm(10.5)], [
        [(HEADER[0:2], bold), (HEADER[2:4], bold)],
        [(HEADER[4:5], plain), (HEADER[5:6], italic)],
    ])

    def para(text, indent=True, **run):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.space_after = Pt(6)
        if indent:
            p.paragraph_format.first_line_indent = Cm(1)
        r = p.add_run(text)
        for k, v in run.items():
            setattr(r, k, v)
        return p

    for text in (TITLE, TRICH_YEU):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = True
    for text in BASES:
        para(text, italic=True)
    for k, text in enumerate(BODY):
        para(text, indent=not text.startswith("Thủ trưởng"))
    p = para(HANGING, indent=False)
    p.paragraph_format.left_indent, p.paragraph_format.first_line_indent = Cm(1), Cm(-1)
    closing = _two_columns(doc, [Cm(7), Cm(9)], [
        [(RECIPIENTS, {"align": WD_ALIGN_PARAGRAPH.LEFT, "size": Pt(12)}),
         (SIGNER[:3] + ["", ""] + SIGNER[3:], bold)],
    ])
    closing.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    doc.add_paragraph("")
    doc.save(path)


@pytest.fixture(scope="module")
def paragraphs_pdf(lo) -> bytes:
    _paragraphs_docx(lo / "paragraphs.docx")
    _soffice(["--convert-to", "pdf", str(lo / "paragraphs.docx")], lo / "profile", lo)
    return (lo / "paragraphs.pdf").read_bytes()


# --------------------------------------------------------------------------- pypdfium2 PDFs
def _font_path() -> str:
    for path in FONTS:
        if Path(path).exists():
            return path
    skip_or_fail("no TrueType font with Vietnamese glyphs (fonts-liberation2 or fonts-dejavu)")


def _draw(pages: list[list[tuple]], size=(595, 842)) -> bytes:
    """A PDF whose content stream draws each (x, y, pt, text[, x-scale[, font file]]) in the
    order given.

    An item ("image",) puts a bitmap on the page instead; [] makes a blank page.
    """
    pdf = pdfium.PdfDocument.new()
    fonts = {}

    def load(path):
        if path not in fonts:
            data = Path(path).read_bytes()
            buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
            fonts[path] = pdfium_c.FPDFText_LoadFont(pdf, buf, len(data), pdfium_c.FPDF_FONT_TRUETYPE, True)
            assert fonts[path]
        return fonts[path]

    for items in pages:
        page = pdf.new_page(*size)
        for item in items:
            if item[0] == "image":
                bitmap = pdfium.PdfBitmap.new_native(300, 100, pdfium_c.FPDFBitmap_BGR)
                bitmap.fill_rect((255, 255, 255, 255), 0, 0, 300, 100)
                bitmap.fill_rect((0, 0, 0, 255), 20, 40, 260, 20)
                image = pdfium.PdfImage.new(pdf)
                image.set_bitmap(bitmap)
                image.set_matrix(pdfium.PdfMatrix().scale(450, 150).translate(70, 600))
                page.insert_obj(image)
                continue
            x, y, pt, text, *more = item
            scale = more[0] if more else 1  # horizontal stretch: justified text
            font = load(more[1] if len(more) > 1 else _font_path())
            obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf, font, pt)
            wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            assert pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(obj, scale, 0, 0, 1, x, y)
            pdfium_c.FPDFPage_InsertObject(page, obj)
        page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    for font in fonts.values():
        pdfium_c.FPDFFont_Close(font)
    return out.getvalue()


def _texts(blocks):
    return [b.text for b in blocks]


# --------------------------------------------------------------------------- LibreOffice PDF
def test_libreoffice_header_in_plain_text_order(plan_pdf):
    raw = pdfium.PdfDocument(plan_pdf)[0].get_textpage().get_text_range().split("\r\n")
    assert f"{HEADER[4]} {HEADER[5]}" in raw  # pdfium joins cells that share a baseline
    blocks, quality = read_pdf(plan_pdf)
    assert _texts(blocks[:8]) == HEADER + ["KẾ HOẠCH", "Thực hiện dân chủ ở cơ sở tỉnh Quảng Ninh năm 2024"]
    assert [b.page for b in blocks[:8]] == [1] * 8
    assert blocks[8].text.startswith("Căn cứ Luật Thực hiện dân chủ ở cơ sở")
    assert quality == {"reader": "pypdfium2", "pages": quality["pages"], "pages_without_text": [],
                       "needs_ocr": False}
    assert quality["pages"] >= 2


def test_libreoffice_closing_recipients_then_signer(plan_pdf):
    blocks, quality = read_pdf(plan_pdf)
    assert _texts(blocks[-8:]) == RECIPIENTS + SIGNER
    assert {b.page for b in blocks[-8:]} == {quality["pages"]}
    assert any(b.text.startswith("8. Nội dung 3.8:") for b in blocks[-11:-8])


def test_libreoffice_blocks_are_lines_with_stable_indices(plan_pdf):
    blocks, quality = read_pdf(plan_pdf)
    assert all(b.kind == "line" and b.text.strip() and "\r" not in b.text and "\n" not in b.text
               for b in blocks)
    indices = [b.index for b in blocks]
    assert indices == sorted(set(indices)) and indices[0] == 0
    assert [b.page for b in blocks] == sorted(b.page for b in blocks)
    assert {b.page for b in blocks} == set(range(1, quality["pages"] + 1))
    # Same input, same blocks.
    assert read_pdf(plan_pdf)[0] == blocks
    # A wrapped item is one block, indexed by its first line; the next starts a line later.
    items = [b for b in blocks if re.match(r"\d\. Nội dung", b.text)]
    assert len(items) == 24
    assert items[0].text == ("1. Nội dung 1.1: bảo đảm công khai, minh bạch trong hoạt động của cơ "
                             "quan, đơn vị, địa phương.")
    assert all(b.index + 2 <= nxt.index for b, nxt in zip(blocks, blocks[1:]) if b in items[:7])


def test_libreoffice_page_numbers_dropped(plan_pdf):
    blocks, quality = read_pdf(plan_pdf)
    assert quality["pages"] >= 2
    assert not [b.text for b in blocks if re.fullmatch(r"\s*\d{1,3}\s*", b.text)]
    # The page number sits above the first line of each later page; that line is kept.
    for page in range(2, quality["pages"] + 1):
        first = next(b for b in blocks if b.page == page)
        assert not first.text.strip().isdigit()


def test_libreoffice_through_ingest_entry_point(plan_pdf):
    raw = read_bytes(plan_pdf, "plan.pdf", ".pdf")
    assert raw.format == "pdf"
    assert raw.blocks[4].text == "Số: 56/KH-UBND"


def _collapse(text: str) -> str:
    return " ".join(text.split())


def test_libreoffice_wrapped_paragraphs_are_joined(paragraphs_pdf):
    raw = [pdfium.PdfDocument(paragraphs_pdf)[k].get_textpage().get_text_range().split("\r\n")
           for k in range(2)]
    # the cases are there: the title, a "Căn cứ" clause and the long item wrap; the long
    # item starts on page 1 and ends on page 2, under the page number
    assert TRICH_YEU not in raw[0] and BASES[0] not in raw[0]
    long_item = BODY[2]
    assert any(long_item.startswith(line) for line in raw[0] if len(line) > 20)
    assert raw[1][0].strip() == "2" and raw[1][1] in long_item and len(raw[1][1]) > 20
    blocks, quality = read_pdf(paragraphs_pdf)
    assert quality["pages"] >= 2
    expected = HEADER + [TITLE, TRICH_YEU] + BASES + BODY + [HANGING] + RECIPIENTS + SIGNER
    assert [_collapse(b.text) for b in blocks] == [_collapse(t) for t in expected]
    # a joined block keeps the index and page of its first line
    start = next(b for b in blocks if b.text.startswith("1) Cơ quan"))
    assert start.page == 1
    indices = [b.index for b in blocks]
    assert indices == sorted(set(indices))
    assert blocks[blocks.index(start) + 1].index > start.index + 10


def test_libreoffice_joined_pdf_parses_like_text(paragraphs_pdf, tmp_path):
    from pipeline.api import parse_bytes, parse_file

    text = "\n".join(HEADER + [TITLE, TRICH_YEU] + BASES + [_collapse(t) for t in BODY + [HANGING]]
                     + RECIPIENTS + SIGNER) + "\n"
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    want, got = parse_file(tmp_path / "doc.txt"), parse_bytes(paragraphs_pdf, "doc.pdf", ".pdf")
    assert [b.text for b in got.legal_bases] == [b.text for b in want.legal_bases]
    assert got.header.to_dict() == want.header.to_dict()

    def texts(items):
        return [(i.label, i.text, texts(i.children)) for i in items]

    assert texts(got.outline) == texts(want.outline)


def test_encrypted_pdf(encrypted_pdf):
    with pytest.raises(ReadError) as err:
        read_pdf(encrypted_pdf)
    assert err.value.code == "encrypted_pdf"


def test_truncated_pdf(plan_pdf):
    with pytest.raises(ReadError) as err:
        read_pdf(plan_pdf[: len(plan_pdf) // 2])
    assert err.value.code == "corrupt_pdf"


def test_damaged_pdfs_raise_only_read_error(plan_pdf):
    rng = random.Random(20240226)
    for _ in range(40):
        data = bytearray(plan_pdf)
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        try:
            blocks, quality = read_pdf(bytes(data))
        except ReadError as exc:
            assert exc.code in ("corrupt_pdf", "encrypted_pdf")
        else:
            assert isinstance(blocks, list) and quality["reader"] == "pypdfium2"


# --------------------------------------------------------------------------- drawn PDFs
# A producer that draws line by line across the page: pdfium joins the two columns of each
# header row into one line ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI ...").
INTERLEAVED = [
    [
        (95, 780, 12, HEADER[0]), (300, 780, 12, HEADER[2]),
        (97, 765, 12, HEADER[1]), (330, 765, 12, HEADER[3]),
        (100, 740, 12, HEADER[4]), (320, 740, 12, HEADER[5]),
        (255, 700, 14, "KẾ HOẠCH"),
        (85, 680, 12, "Căn cứ Luật Thực hiện dân chủ ở cơ sở;"),
        (85, 665, 12, "I. MỤC ĐÍCH, YÊU CẦU"),
    ],
    [
        (290, 810, 10, "- 2 -"),
        (85, 780, 12, "1. Mục đích: bảo đảm công khai, minh bạch trong hoạt động của cơ quan."),
        # a table row that runs over: its STT cell "2" is a bare number but not a page number
        (90, 740, 12, "2"), (130, 746, 12, "Tổ chức hội nghị"), (130, 732, 12, "cán bộ, công chức"),
        (330, 740, 12, "Quý I"),
        # closing table drawn cell by cell, broken across the page
        (85, 130, 12, "Nơi nhận:"), (85, 115, 11, "- Như trên;"),
        (330, 130, 12, "TM. ỦY BAN NHÂN DÂN"), (370, 115, 12, "CHỦ TỊCH"),
    ],
    [
        (85, 800, 11, "- Lưu: VT."), (370, 800, 12, "(Đã ký)"),
        (360, 740, 12, "Nguyễn Văn A"),
        (295, 40, 10, "3"),
    ],
    [
        # an attached regulation with its own header, drawn line by line
        (95, 780, 12, HEADER[0]), (300, 780, 12, HEADER[2]),
        (97, 765, 12, HEADER[1]), (330, 765, 12, HEADER[3]),
        (270, 720, 14, "QUY CHẾ"),
        (85, 700, 12, "Điều 1. Phạm vi điều chỉnh"),
        (260, 30, 10, "Trang 4"),
    ],
]


def test_interleaved_header_split_into_columns():
    data = _draw(INTERLEAVED)
    lines = pdfium.PdfDocument(data)[0].get_textpage().get_text_range().split("\r\n")
    assert lines[0] == f"{HEADER[0]} {HEADER[2]}"  # the case this test is about
    blocks, quality = read_pdf(data)
    assert _texts(blocks[:9]) == HEADER + ["KẾ HOẠCH", "Căn cứ Luật Thực hiện dân chủ ở cơ sở;",
                                           "I. MỤC ĐÍCH, YÊU CẦU"]
    assert [b.page for b in blocks[:9]] == [1] * 9
    assert quality == {"reader": "pypdfium2", "pages": 4, "pages_without_text": [], "needs_ocr": False}


def test_closing_across_pages_and_page_numbers():
    blocks, _ = read_pdf(_draw(INTERLEAVED))
    page2 = [b for b in blocks if b.page == 2]
    assert _texts(page2[:4]) == ["1. Mục đích: bảo đảm công khai, minh bạch trong hoạt động của cơ quan.",
                                 "2", "Tổ chức hội nghị", "cán bộ, công chức Quý I"]
    start = _texts(blocks).index("Nơi nhận:")
    closing = blocks[start:start + 8]
    assert [(b.text, b.page) for b in closing] == [
        ("Nơi nhận:", 2), ("- Như trên;", 2), ("- Lưu: VT.", 3),
        ("TM. ỦY BAN NHÂN DÂN", 2), ("CHỦ TỊCH", 2), ("(Đã ký)", 3), ("Nguyễn Văn A", 3),
        (HEADER[0], 4),
    ]
    assert not {"- 2 -", "3", "Trang 4"} & set(_texts(blocks))


def test_attached_part_header_split_into_columns():
    blocks, _ = read_pdf(_draw(INTERLEAVED))
    page4 = [b for b in blocks if b.page == 4]
    assert _texts(page4) == HEADER[:4] + ["QUY CHẾ", "Điều 1. Phạm vi điều chỉnh"]
    indices = [b.index for b in blocks]
    assert indices == sorted(set(indices))


HEADER_CASES = {
    # A form: its label is drawn top right before the table; the left column has no "Số".
    "form_label": (
        [(480, 800, 10, "Mẫu số 02/HNCT"),
         (95, 770, 12, "ỦY BAN MẶT TRẬN TỔ QUỐC"), (95, 755, 12, "BAN CÔNG TÁC MẶT TRẬN"),
         (140, 740, 12, "THÔN……."),
         (300, 770, 12, HEADER[2]), (330, 755, 12, HEADER[3]),
         (320, 741, 12, "Lương Minh, ngày tháng năm 2025")],
        ["Mẫu số 02/HNCT", "ỦY BAN MẶT TRẬN TỔ QUỐC", "BAN CÔNG TÁC MẶT TRẬN", "THÔN…….",
         HEADER[2], HEADER[3], "Lương Minh, ngày tháng năm 2025"],
    ),
    # One table row: "Số" ends the left cell, the date sits higher in the right cell.
    "date_above_number": (
        [(95, 780, 12, "ỦY BAN MTTQ VIỆT NAM"), (110, 765, 12, "XÃ LƯƠNG MINH"),
         (105, 750, 12, "BAN THƯỜNG TRỰC"), (100, 728, 12, "Số: /KH-MTTQ-BTT"),
         (300, 780, 12, HEADER[2]), (330, 765, 12, HEADER[3]),
         (320, 745, 12, "Lương Minh, ngày tháng 01 năm 2026")],
        ["ỦY BAN MTTQ VIỆT NAM", "XÃ LƯƠNG MINH", "BAN THƯỜNG TRỰC", HEADER[2], HEADER[3],
         "Số: /KH-MTTQ-BTT", "Lương Minh, ngày tháng 01 năm 2026"],
    ),
    # Drawn line by line; the number line is "Luật số:".
    "law_number": (
        [(120, 780, 12, "QUỐC HỘI"), (300, 780, 12, HEADER[2]),
         (120, 765, 12, "-------"), (330, 765, 12, HEADER[3]),
         (100, 740, 12, "Luật số: 83/2025/QH15"), (320, 740, 12, "Hà Nội, ngày 24 tháng 6 năm 2025")],
        ["QUỐC HỘI", "-------", HEADER[2], HEADER[3], "Luật số: 83/2025/QH15",
         "Hà Nội, ngày 24 tháng 6 năm 2025"],
    ),
}


@pytest.mark.parametrize("case", sorted(HEADER_CASES))
def test_header_layouts(case):
    items, expected = HEADER_CASES[case]
    body = [(250, 690, 14, "KẾ HOẠCH"), (85, 670, 12, "Căn cứ Luật Thực hiện dân chủ ở cơ sở;")]
    blocks, _ = read_pdf(_draw([items + body]))
    assert _texts(blocks) == expected + ["KẾ HOẠCH", "Căn cứ Luật Thực hiện dân chủ ở cơ sở;"]


def test_single_column_page_keeps_stream_order():
    body = [(85, 780 - 15 * i, 12, f"{i + 1}. Dòng nội dung số {i + 1} của văn bản.") for i in range(6)]
    data = _draw([[(250, 800, 14, "BÁO CÁO")] + body])
    blocks, _ = read_pdf(data)
    assert _texts(blocks) == ["BÁO CÁO"] + [t for *_, t in body]
    assert [b.index for b in blocks] == list(range(7))


def test_blank_lines_count_in_index():
    # A text object of spaces is a blank line for pdfium: no block, but it keeps its index.
    data = _draw([[(85, 780, 12, "Dòng một"), (85, 700, 12, "   "), (85, 600, 12, "Dòng hai")],
                  [(85, 780, 12, "Dòng ba")]])
    blocks, _ = read_pdf(data)
    assert [(b.index, b.text, b.page) for b in blocks] == [(0, "Dòng một", 1), (2, "Dòng hai", 1),
                                                          (3, "Dòng ba", 2)]


# Wrapped paragraphs drawn line by line: the text column is LEFT..RIGHT, a "full" line is
# stretched to end at RIGHT as justified text does, a "centre" line is centred in the column.
LEFT, RIGHT = 85.0, 510.0


def _italic_font() -> str:
    path = _font_path()
    for italic in (path.replace("-Regular", "-Italic"), path.replace(".ttf", "-Italic.ttf")):
        if italic != path and Path(italic).exists():
            return italic
    skip_or_fail("no italic font")


def _layout(pages: list[list[tuple]]) -> list[list[tuple]]:
    """(how, x, y, pt, text[, font]) -> _draw items; how: "full", "centre", "centre-full"
    (centred, 6 pt short of the column) or "" (as is, at x)."""
    flat = [it for items in pages for it in items]
    probe = pdfium.PdfDocument(_draw([[(0, 400, pt, text, 1, *font)] for _, _, _, pt, text, *font in flat]))
    natural = []
    for k in range(len(probe)):
        tp = probe[k].get_textpage()
        natural.append(tp.get_charbox(tp.count_chars() - 1, loose=True)[2])
    widths = iter(natural)
    out = []
    for items in pages:
        out.append([])
        for how, x, y, pt, text, *font in items:
            w = next(widths)
            scale = 1.0
            if how == "full":
                scale = (RIGHT - x) / w
            elif how == "centre-full":
                scale, w = (RIGHT - LEFT - 6) / w, RIGHT - LEFT - 6
            if how.startswith("centre"):
                x = (LEFT + RIGHT - w) / 2
            out[-1].append((x, y, pt, text, scale, *font))
    return out


WRAPPED = [
    [
        ("centre", 0, 800, 12, "QUYẾT ĐỊNH"),
        ("centre-full", 0, 785, 12, "Về việc ban hành Quy chế thực hiện dân chủ ở cơ sở tại Sở Nội vụ và các"),
        ("centre", 0, 770, 12, "đơn vị trực thuộc"),
        ("full", 113, 745, 12, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật"),
        ("full", 85, 730, 12, "sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính"),
        ("", 85, 715, 12, "quyền địa phương ngày 22 tháng 11 năm 2019;"),
        # one full line, then an indented paragraph
        ("full", 113, 700, 12, "1. Các nội dung phải công khai trong nội bộ cơ quan, đơn vị, gồm các nội dung:"),
        ("", 113, 685, 12, "2. Hình thức công khai."),
        # a full line ending a clause, then a dash item at the margin
        ("full", 85, 670, 12, "Thủ trưởng cơ quan, đơn vị có trách nhiệm tổ chức thực hiện các nội dung sau;"),
        ("", 85, 655, 12, "- Việc tuyển dụng, bổ nhiệm cán bộ."),
        # paragraph spacing after a full line
        ("full", 113, 640, 12, "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký và thay thế Quyết"),
        ("full", 85, 625, 12, "định số 47/QĐ-SNV ngày 20 tháng 4 năm 2016 của Giám đốc Sở Nội vụ tỉnh Quảng"),
        ("", 85, 604, 12, "Ninh là văn bản khác."),
        # a cell of a table's last column that runs to the margin, then the next row
        ("full", 300, 589, 12, "Ủy ban nhân dân các xã, phường"),
        ("", 85, 574, 12, "Tổ chức hội nghị"),
        # runs over the page end
        ("full", 113, 550, 12, "Điều 3. Chánh Văn phòng Sở, Chánh Thanh tra Sở, Trưởng các phòng, đơn vị thuộc"),
        ("full", 85, 535, 12, "Sở, Chủ tịch Công đoàn Sở và toàn thể cán bộ, công chức, viên chức, người lao"),
    ],
    [
        ("", 290, 810, 10, "- 2 -"),
        ("", 85, 780, 12, "động của Sở chịu trách nhiệm thi hành Quyết định này./."),
        # a hanging indent: the label at the margin, the text and its next line under it
        ("", 85, 760, 12, "3."),
        ("full", 113, 760, 12, "Định kỳ hằng năm, cơ quan, đơn vị tổ chức hội nghị cán bộ, công chức để"),
        ("", 113, 745, 12, "bàn và quyết định các nội dung."),
    ],
]


def test_drawn_wrapped_paragraphs():
    data = _draw(_layout(WRAPPED))
    blocks, _ = read_pdf(data)
    assert [(b.text, b.page) for b in blocks] == [
        ("QUYẾT ĐỊNH", 1),
        ("Về việc ban hành Quy chế thực hiện dân chủ ở cơ sở tại Sở Nội vụ và các đơn vị trực thuộc", 1),
        ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
         "một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng "
         "11 năm 2019;", 1),
        ("1. Các nội dung phải công khai trong nội bộ cơ quan, đơn vị, gồm các nội dung:", 1),
        ("2. Hình thức công khai.", 1),
        ("Thủ trưởng cơ quan, đơn vị có trách nhiệm tổ chức thực hiện các nội dung sau;", 1),
        ("- Việc tuyển dụng, bổ nhiệm cán bộ.", 1),
        ("Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký và thay thế Quyết định số "
         "47/QĐ-SNV ngày 20 tháng 4 năm 2016 của Giám đốc Sở Nội vụ tỉnh Quảng", 1),
        ("Ninh là văn bản khác.", 1),
        ("Ủy ban nhân dân các xã, phường", 1),
        ("Tổ chức hội nghị", 1),
        ("Điều 3. Chánh Văn phòng Sở, Chánh Thanh tra Sở, Trưởng các phòng, đơn vị thuộc Sở, Chủ tịch "
         "Công đoàn Sở và toàn thể cán bộ, công chức, viên chức, người lao động của Sở chịu trách "
         "nhiệm thi hành Quyết định này./.", 1),
        ("3. Định kỳ hằng năm, cơ quan, đơn vị tổ chức hội nghị cán bộ, công chức để bàn và quyết "
         "định các nội dung.", 2),
    ]
    # the joined block keeps the index of its first line; blank-free stream, so the next
    # block's index counts every line in between (and the dropped page number)
    by_text = {b.text[:12]: b.index for b in blocks}
    assert by_text["Căn cứ Luật "] == 3 and by_text["1. Các nội d"] == 6
    assert by_text["3. Định kỳ h"] == 19


@pytest.mark.parametrize("same_font", [True, False])
def test_drawn_centred_lines_join_only_in_one_font(same_font):
    title = "Quy chế thực hiện dân chủ ở cơ sở tại Sở Nội vụ tỉnh Quảng Ninh và các"
    below = "(Ban hành kèm theo Quyết định số 125/QĐ-SNV)"
    font = (_font_path(),) if same_font else (_italic_font(),)
    page = [("centre", 0, 800, 12, "QUY CHẾ"),
            ("centre-full", 0, 785, 12, title),
            ("centre", 0, 770, 12, below, *font),
            ("full", 113, 745, 12, "Điều 1. Quy chế này quy định nội dung, hình thức và cách thức thực hiện"),
            ("full", 85, 730, 12, "dân chủ tại Sở Nội vụ tỉnh Quảng Ninh (sau đây gọi là Sở), gồm các nội dung"),
            ("", 85, 715, 12, "sau đây.")]
    blocks, _ = read_pdf(_draw(_layout([page])))
    head = [f"{title} {below}"] if same_font else [title, below]
    assert [b.text for b in blocks] == ["QUY CHẾ", *head, (
        "Điều 1. Quy chế này quy định nội dung, hình thức và cách thức thực hiện dân chủ tại Sở Nội "
        "vụ tỉnh Quảng Ninh (sau đây gọi là Sở), gồm các nội dung sau đây.")]


def test_drawn_rule_under_a_full_title_is_not_joined():
    title = "Quy chế thực hiện dân chủ ở cơ sở tại Sở Nội vụ tỉnh Quảng Ninh và các đơn vị"
    page = [("centre", 0, 800, 12, "QUY CHẾ"),
            ("centre-full", 0, 785, 12, title),
            ("centre", 0, 770, 12, "-----------------"),
            ("full", 113, 745, 12, "Điều 1. Quy chế này quy định nội dung, hình thức và cách thức thực hiện"),
            ("full", 85, 730, 12, "dân chủ tại Sở Nội vụ tỉnh Quảng Ninh (sau đây gọi là Sở), gồm các nội dung"),
            ("", 85, 715, 12, "sau đây.")]
    blocks, _ = read_pdf(_draw(_layout([page])))
    assert [b.text for b in blocks][:3] == ["QUY CHẾ", title, "-----------------"]


def test_drawn_hyphen_and_slash_at_line_end():
    # pdfium joins "NĐ-" + "CP" on one page itself, marking the hyphen U+FFFE; the reader
    # joins "tỉnh/" + "Hội đồng" and, across a page break, "NĐ-" + "CP" without a space
    pages = [[("full", 113, 760, 12, "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14/8/2023 của Chính phủ; Nghị"),
              ("full", 85, 745, 12, "định số 61/2023/NĐ-CP ngày 16/8/2023 của Chính phủ; Nghị định số 30/2020/NĐ-"),
              ("", 85, 730, 12, "CP ngày 05/3/2020 của Chính phủ;"),
              ("full", 113, 700, 12, "Căn cứ Kế hoạch số 12/KH-UBND ngày 05/01/2025 của Ủy ban nhân dân tỉnh/"),
              ("full", 85, 685, 12, "Hội đồng nhân dân tỉnh và các văn bản hướng dẫn về thực hiện dân chủ; Nghị"),
              ("full", 85, 670, 12, "định số 59/2023/NĐ-CP và Nghị định số 61/2023/NĐ-CP của Chính phủ; Quyết"),
              ("full", 85, 655, 12, "định số 15/2023/QĐ-UBND và Nghị định số 30/2020/NĐ-CP, Nghị định số 61/2023/NĐ-")],
             [("", 85, 780, 12, "CP về hương ước, quy ước;")]]
    data = _draw(_layout(pages))
    assert "30/2020/NĐ\ufffeCP ngày" in pdfium.PdfDocument(data)[0].get_textpage().get_text_range()
    blocks, _ = read_pdf(data)
    assert [b.text for b in blocks] == [
        "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14/8/2023 của Chính phủ; Nghị định số 61/2023/NĐ-CP "
        "ngày 16/8/2023 của Chính phủ; Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ;",
        "Căn cứ Kế hoạch số 12/KH-UBND ngày 05/01/2025 của Ủy ban nhân dân tỉnh/Hội đồng nhân dân "
        "tỉnh và các văn bản hướng dẫn về thực hiện dân chủ; Nghị định số 59/2023/NĐ-CP và Nghị định "
        "số 61/2023/NĐ-CP của Chính phủ; Quyết định số 15/2023/QĐ-UBND và Nghị định số 30/2020/NĐ-CP, "
        "Nghị định số 61/2023/NĐ-CP về hương ước, quy ước;"]


def _ragged(paragraphs: list[str], top: float, bottom: float, pt: float = 12,
            width: float = RIGHT - LEFT) -> tuple[list[list[tuple]], list[list[str]]]:
    """Left-aligned text as a word processor sets it: each line takes words while they fit
    in `width`; no first-line indent; 6 pt between paragraphs; a new page below `bottom`.
    Returns the _draw pages and, per paragraph, its lines."""
    words = sorted({w for text in paragraphs for w in text.split()} | {"x"})
    probe = pdfium.PdfDocument(_draw([[(0, 400, pt, w)] for w in words] + [[(0, 400, pt, "x x")]]))

    def right(k):
        tp = probe[k].get_textpage()
        return tp.get_charbox(tp.count_chars() - 1, loose=True)[2]

    size = {w: right(k) for k, w in enumerate(words)}
    space = right(len(words)) - 2 * size["x"]
    pages, y, lines_of = [[]], top, []
    for text in paragraphs:
        lines, line, used = [], [], 0.0
        for w in text.split():
            need = size[w] + (space if line else 0)
            if line and used + need > width:
                lines.append(" ".join(line))
                line, used, need = [], 0.0, size[w]
            line.append(w)
            used += need
        lines.append(" ".join(line))
        lines_of.append(lines)
        for line in lines:
            if y < bottom:
                pages.append([])
                y = top
            pages[-1].append((LEFT, y, pt, line))
            y -= 15
        y -= 6
    return pages, lines_of


RAGGED = [
    ("Điều 3. Hội nghị cử tri nơi công tác để lấy ý kiến nhận xét và bày tỏ sự tín nhiệm của cử tri "
     "nơi công tác hoặc nơi làm việc đối với người ứng cử đại biểu Quốc hội, đại biểu Hội đồng nhân "
     "dân được tổ chức theo đơn vị công tác hoặc làm việc."),
    ("1. Thẩm quyền chủ trì và triệu tập hội nghị cử tri nơi công tác được thực hiện như sau: người "
     "đứng đầu cơ quan, tổ chức, đơn vị phối hợp với Ban chấp hành công đoàn triệu tập và chủ trì."),
    ("2. Cơ quan, tổ chức, đơn vị gửi biên bản kèm biên bản kiểm phiếu đến Ban Thường trực Ủy ban "
     "Mặt trận Tổ quốc Việt Nam cấp tổ chức hội nghị hiệp thương; cấp xã: 2.100.000 đồng/người/tháng."),
    ("Trường hợp người ứng cử có nhiều nơi công tác hoặc nơi làm việc thì tổ chức lấy ý kiến của cử "
     "tri nơi người đó công tác hoặc làm việc thường xuyên."),
] * 3


def test_drawn_ragged_paragraphs():
    # left-aligned, no indent (as copies from legal portals are): a line wrapped when the
    # next word did not fit; a paragraph ends where it would have
    for bottom in (330, 350, 370, 450):  # a paragraph runs over the page end, or ends there
        pages, lines_of = _ragged(RAGGED, 780, bottom)
        assert len(pages) == 2 and min(len(lines) for lines in lines_of) >= 2
        blocks, _ = read_pdf(_draw(pages))
        assert [b.text for b in blocks] == [" ".join(p.split()) for p in RAGGED]


# --------------------------------------------------------------------------- no text layer
def test_scanned_pdf_needs_ocr():
    blocks, quality = read_pdf(_draw([[("image",)], [("image",)]]))
    assert blocks == []
    assert quality == {"reader": "pypdfium2", "pages": 2, "pages_without_text": [1, 2], "needs_ocr": True}


def test_scanned_pdf_with_nothing_readable_is_an_error_not_an_empty_document():
    # a blank image: OCR (or its absence) yields no text, and that must never pass silently
    with pytest.raises(ReadError) as exc:
        read_bytes(_draw([[("image",)]]), "scan.pdf", ".pdf")
    assert exc.value.code in ("ocr_failed", "ocr_unavailable", "needs_ocr")


def test_mixed_pdf_reports_scanned_pages():
    data = _draw([[(85, 780, 12, "Trang có chữ")], [("image",)], []])
    blocks, quality = read_pdf(data)
    assert [(b.text, b.page) for b in blocks] == [("Trang có chữ", 1)]
    # The blank third page has no image: nothing to OCR there.
    assert quality == {"reader": "pypdfium2", "pages": 3, "pages_without_text": [2], "needs_ocr": True}


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\n", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF",
                                  b"PK\x03\x04 not a pdf", bytes(range(256)) * 8])
def test_corrupt_pdf(data):
    with pytest.raises(ReadError) as err:
        read_pdf(data)
    assert err.value.code == "corrupt_pdf"


def test_truncated_drawn_pdf():
    data = _draw(INTERLEAVED)
    for cut in (len(data) // 3, len(data) - 40):
        try:
            blocks, _ = read_pdf(data[:cut])
        except ReadError as exc:
            assert exc.code == "corrupt_pdf"
        else:  # pdfium may rebuild a cross-reference table from what is left
            assert isinstance(blocks, list)
