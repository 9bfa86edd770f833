"""PDF reader: reading order of the header and closing, page numbers, OCR detection, errors.

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

from conftest import require_tool
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


def _cell(cell, lines, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER):
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = align
        run = p.add_run(line)
        run.bold, run.italic = bold, italic


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


# --------------------------------------------------------------------------- pypdfium2 PDFs
def _font_path() -> str:
    for path in FONTS:
        if Path(path).exists():
            return path
    pytest.skip("no TrueType font with Vietnamese glyphs (fonts-liberation2 or fonts-dejavu)")


def _draw(pages: list[list[tuple]], size=(595, 842)) -> bytes:
    """A PDF whose content stream draws each (x, y, pt, text) in the order given.

    An item ("image",) puts a bitmap on the page instead; [] makes a blank page.
    """
    pdf = pdfium.PdfDocument.new()
    data = Path(_font_path()).read_bytes()
    buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    font = pdfium_c.FPDFText_LoadFont(pdf, buf, len(data), pdfium_c.FPDF_FONT_TRUETYPE, True)
    assert font
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
            x, y, pt, text = item
            obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf, font, pt)
            wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            assert pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            pdfium_c.FPDFPage_InsertObject(page, obj)
        page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
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
    # Wrapped body lines stay as pdfium gives them: nothing is joined.
    assert any(b.text.startswith("1. Nội dung 1.1:") and not b.text.rstrip().endswith("phương.")
               for b in blocks)


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


# --------------------------------------------------------------------------- no text layer
def test_scanned_pdf_needs_ocr():
    blocks, quality = read_pdf(_draw([[("image",)], [("image",)]]))
    assert blocks == []
    assert quality == {"reader": "pypdfium2", "pages": 2, "pages_without_text": [1, 2], "needs_ocr": True}


def test_scanned_pdf_through_ingest_is_not_no_text():
    raw = read_bytes(_draw([[("image",)]]), "scan.pdf", ".pdf")
    assert raw.blocks == [] and raw.quality["needs_ocr"] is True


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
