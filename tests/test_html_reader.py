"""HTML reader: portal pages, encodings, tables, hostile input."""
import codecs
import unicodedata

import lxml.html
import pytest

from pipeline.ingest import read_bytes
from pipeline.ingest.html_reader import read_html
from pipeline.model import ReadError

PORTAL = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Kế hoạch 56/KH-UBND năm 2024</title>
<style>.x { color: red }</style>
<script>var s = "<p>not text</p>";</script>
</head>
<body>
<div class="menu" style="display: none">Đăng nhập</div>
<h1>Kế hoạch 56/KH-UBND thực hiện dân chủ ở cơ sở tỉnh Quảng Ninh năm 2024</h1>
<table class="meta">
  <tr><td>Số hiệu</td><td>56/KH-UBND</td><td>Loại văn bản</td><td>Kế hoạch</td></tr>
  <tr><td>Ngày ban hành</td><td>26/02/2024</td>
      <td colspan="2">Ng&#432;&#7901;i k&yacute;: Cao T&#x1B0;&#7901;ng Huy</td></tr>
</table>
<!-- content starts -->
<div class="content1">
<table>
  <tr>
    <td width="40%"><p><b>ỦY BAN NHÂN DÂN<br>TỈNH QUẢNG NINH</b><br>-------</p></td>
    <td><p><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</b><br>---------------</p></td>
  </tr>
  <tr>
    <td><p>Số: 56/KH-UBND</p></td>
    <td><p><i>Quảng Ninh, ngày 26 tháng 02 năm 2024</i></p></td>
  </tr>
</table>
<p>&nbsp;</p>
<p align="center"><b>KẾ HOẠCH</b></p>
<p>Căn cứ Luật Thực hiện dân chủ ở cơ sở;</p>
<p>Căn cứ Nghị định số 59/2023/NĐ-CP
   ngày 14/8/2023 của Chính phủ &amp; các văn bản &lt;liên quan&gt;;</p>
<p>Số:&nbsp;&nbsp;&nbsp;/KH-UBND&nbsp;</p>
<ul><li>Công khai;</li><li>Bàn và quyết định;</li></ul>
</div>
<script>document.write("x")</script>
</body>
</html>
"""

PORTAL_BLOCKS = [
    ("paragraph", None, None, None, "Kế hoạch 56/KH-UBND thực hiện dân chủ ở cơ sở tỉnh Quảng Ninh năm 2024"),
    ("cell", 0, 0, 0, "Số hiệu"),
    ("cell", 0, 0, 1, "56/KH-UBND"),
    ("cell", 0, 0, 2, "Loại văn bản"),
    ("cell", 0, 0, 3, "Kế hoạch"),
    ("cell", 0, 1, 0, "Ngày ban hành"),
    ("cell", 0, 1, 1, "26/02/2024"),
    ("cell", 0, 1, 2, "Người ký: Cao Tường Huy"),
    ("cell", 1, 0, 0, "ỦY BAN NHÂN DÂN"),
    ("cell", 1, 0, 0, "TỈNH QUẢNG NINH"),
    ("cell", 1, 0, 0, "-------"),
    ("cell", 1, 0, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("cell", 1, 0, 1, "Độc lập - Tự do - Hạnh phúc"),
    ("cell", 1, 0, 1, "---------------"),
    ("cell", 1, 1, 0, "Số: 56/KH-UBND"),
    ("cell", 1, 1, 1, "Quảng Ninh, ngày 26 tháng 02 năm 2024"),
    ("paragraph", None, None, None, "KẾ HOẠCH"),
    ("paragraph", None, None, None, "Căn cứ Luật Thực hiện dân chủ ở cơ sở;"),
    ("paragraph", None, None, None,
     "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14/8/2023 của Chính phủ & các văn bản <liên quan>;"),
    ("paragraph", None, None, None, "Số:   /KH-UBND"),  # &nbsp; -> space, kept as written
    ("paragraph", None, None, None, "Công khai;"),
    ("paragraph", None, None, None, "Bàn và quyết định;"),
]


def _rows(blocks):
    return [(b.kind, b.table, b.row, b.col, b.text) for b in blocks]


def test_portal_page_blocks_exactly():
    blocks, quality = read_html(PORTAL.encode("utf-8"))
    assert _rows(blocks) == PORTAL_BLOCKS
    assert [b.index for b in blocks] == list(range(len(PORTAL_BLOCKS)))
    assert quality == {"reader": "lxml.html", "encoding": "utf-8", "tables": 2}


def test_portal_page_through_ingest_entry_point():
    raw = read_bytes(PORTAL.encode("utf-8"), "kh-56.html", ".html")
    assert raw.format == "html"
    assert _rows(raw.blocks) == PORTAL_BLOCKS


# --------------------------------------------------------------------------- encodings
# windows-1258 spells tones as combining marks after the letter ("ả" = "a" + U+0309);
# composing them is the normalizer's job, so the reader returns them as decoded.
CP1258_TEXT = "Qua\u0309ng Ninh, nga\u0300y 26 tha\u0301ng 02 năm 2024"


def test_windows_1258_by_meta_charset():
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
            f"</head><body><p>{CP1258_TEXT}</p></body></html>").encode("cp1258")
    blocks, quality = read_html(page)
    assert [b.text for b in blocks] == [CP1258_TEXT]
    assert unicodedata.normalize("NFC", blocks[0].text) == "Quảng Ninh, ngày 26 tháng 02 năm 2024"
    assert quality["encoding"] == "cp1258"


def test_windows_1258_fallback_without_meta():
    blocks, quality = read_html(f"<p>{CP1258_TEXT}</p>".encode("cp1258"))
    assert [b.text for b in blocks] == [CP1258_TEXT]
    assert quality["encoding"] == "cp1258"


def test_valid_utf8_wins_over_stale_meta():
    page = '<meta charset="windows-1258"><p>Độc lập - Tự do - Hạnh phúc</p>'.encode("utf-8")
    blocks, quality = read_html(page)
    assert [b.text for b in blocks] == ["Độc lập - Tự do - Hạnh phúc"]
    assert quality["encoding"] == "utf-8"


@pytest.mark.parametrize("bom, enc", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                      (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_bom(bom, enc):
    page = bom + "<html><body><p>Nơi nhận:</p><p>- Lưu: VT.</p></body></html>".encode(enc)
    blocks, quality = read_html(page)
    assert [b.text for b in blocks] == ["Nơi nhận:", "- Lưu: VT."]
    assert quality["encoding"] == enc


def test_xml_declaration_and_external_doctype_are_inert():
    page = ('<?xml version="1.0" encoding="iso-8859-1"?>\n'
            '<!DOCTYPE html SYSTEM "http://example.invalid/evil.dtd" [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            "<html><body><p>Điều 1. &xxe; Phạm vi</p></body></html>").encode("utf-8")
    blocks, _ = read_html(page)
    # HTML has no internal DTD subset: like a browser, the parser shows its tail as text.
    assert [b.text for b in blocks] == ["]>", "Điều 1. &xxe; Phạm vi"]


# --------------------------------------------------------------------------- structure
def test_lines_end_at_block_elements_and_br():
    page = ("<div>Căn cứ <b>Luật</b> Thực hiện<br/>dân chủ<div>ở cơ sở</div>tail text</div>"
            "<h2>Chương I</h2><span>inline</span> <em>run</em><pre>dòng 1\n  dòng 2</pre>")
    blocks, _ = read_html(page.encode())
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "Căn cứ Luật Thực hiện"), ("paragraph", "dân chủ"), ("paragraph", "ở cơ sở"),
        ("paragraph", "tail text"), ("paragraph", "Chương I"), ("paragraph", "inline run"),
        ("paragraph", "dòng 1"), ("paragraph", "dòng 2"),
    ]


def test_colspan_rowspan_nested_tables():
    page = """<table>
      <tr><th rowspan="2">STT</th><th colspan="2">Nội dung</th></tr>
      <tr><th>Việc</th><th>Thời gian</th></tr>
      <tr><td>1</td><td>Công khai<table><tr><td>con</td></tr></table>sau bảng</td><td>Quý I</td></tr>
    </table><p>Hết</p>"""
    blocks, quality = read_html(page.encode())
    assert _rows(blocks) == [
        ("cell", 0, 0, 0, "STT"), ("cell", 0, 0, 1, "Nội dung"),
        ("cell", 0, 1, 1, "Việc"), ("cell", 0, 1, 2, "Thời gian"),
        ("cell", 0, 2, 0, "1"), ("cell", 0, 2, 1, "Công khai"),
        ("cell", 1, 0, 0, "con"),
        ("cell", 0, 2, 1, "sau bảng"), ("cell", 0, 2, 2, "Quý I"),
        ("paragraph", None, None, None, "Hết"),
    ]
    assert quality["tables"] == 2


def test_hidden_and_non_text_elements_are_dropped():
    page = ('<p hidden>ẩn</p><p style="visibility:hidden">ẩn</p><noscript>bật JS</noscript>'
            "<select><option>Chọn</option></select><button>Tải về</button>"
            "<p>Hiện<script>x()</script> ra</p>")
    blocks, _ = read_html(page.encode())
    assert [b.text for b in blocks] == ["Hiện ra"]


def test_deep_tables_are_read_without_recursion_error():
    depth = 300
    page = "<table><tr><td>" * depth + "sâu" + "</td></tr></table>" * depth
    blocks, quality = read_html(page.encode())
    assert [(b.text, b.table, b.row, b.col) for b in blocks] == [("sâu", depth - 1, 0, 0)]
    assert quality["tables"] == depth and "depth_limited" not in quality


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize("page", [b"<!-- only a comment -->", b"<html><head><title>x</title></head></html>",
                                  b"<script>alert(1)</script>"])
def test_no_text_gives_no_blocks(page):
    blocks, _ = read_html(page)
    assert blocks == []
    with pytest.raises(ReadError) as err:
        read_bytes(page, "x.html", ".html")
    assert err.value.code == "no_text"


def test_binary_data_is_corrupt_html():
    with pytest.raises(ReadError) as err:
        read_html(b"<html><body>abc\x00\x01\x02def</body></html>")
    assert err.value.code == "corrupt_html"


def test_parser_failure_is_corrupt_html(monkeypatch):
    def boom(*args, **kwargs):
        raise MemoryError("parser exploded")

    monkeypatch.setattr(lxml.html, "document_fromstring", boom)
    with pytest.raises(ReadError) as err:
        read_html(b"<p>x</p>")
    assert err.value.code == "corrupt_html"


def test_portal_metadata_in_table_cells_is_recognised_not_taken_for_the_header():
    """Regression: a portal table puts each key and its value in separate cells; the first key was
    taken for the portal's own title line."""
    from pipeline.api import parse_bytes

    page = ("<html><body><table><tr><td>Số hiệu</td><td>56/KH-UBND</td></tr>"
            "<tr><td>Ngày ban hành</td><td>26/02/2024</td></tr><tr><td>Loại văn bản</td><td>Kế hoạch</td></tr>"
            "<tr><td>Người ký</td><td>Cao Tường Huy</td></tr></table>"
            "<table><tr><td>ỦY BAN NHÂN DÂN<br>TỈNH QUẢNG NINH</td><td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>"
            "Độc lập - Tự do - Hạnh phúc</td></tr><tr><td>Số: 56/KH-UBND</td>"
            "<td>Quảng Ninh, ngày 26 tháng 02 năm 2024</td></tr></table>"
            "<p>KẾ HOẠCH</p><p>Thực hiện dân chủ ở cơ sở năm 2024</p>"
            "<p>Căn cứ Luật Thực hiện dân chủ ở cơ sở;</p><p>I. MỤC ĐÍCH</p></body></html>")
    doc = parse_bytes(page.encode("utf-8"), "portal.html", ".html")
    assert doc.portal == {"reference": "56/KH-UBND", "issued": "2024-02-26", "doc_type": "Kế hoạch",
                          "signer": "Cao Tường Huy"}
    assert doc.header.issuer == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"]
    assert (doc.header.reference, doc.header.title) == ("56/KH-UBND", "Thực hiện dân chủ ở cơ sở năm 2024")
