"""OCR of PDF pages without a text layer (tesseract, Vietnamese model).

The scans are made at test time: each page of a corpus PDF rendered to a 300 dpi bitmap and
saved as a PDF that holds only those images. The text version of the same document is the
reference: header fields, character error rate, and the findings of the rule packs.
"""
import difflib
import io
import os
import subprocess
import sys
import time
import unicodedata

import pypdfium2 as pdfium
import pytest

from conftest import CORPUS, require_tool, skip_or_fail
from pipeline.api import parse_file, parse_raw
from pipeline.check import check
from pipeline.classify import classify
from pipeline.ingest import ocr, read_bytes
from pipeline.ingest.pdf_reader import read_pdf
from pipeline.messages import message
from pipeline.model import ReadError

SOURCE = CORPUS / "xa-ke-hoach-dan-chu-2025.pdf"
REFERENCE = CORPUS / "xa-ke-hoach-dan-chu-2025.txt"
SCAN_DPI = 300


# --------------------------------------------------------------------------- helpers
def _images(pdf_bytes_or_path, dpi: int, pages=None):
    doc = pdfium.PdfDocument(pdf_bytes_or_path)
    try:
        idx = range(len(doc)) if pages is None else pages
        return [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in idx]
    finally:
        doc.close()


def _image_pdf(images, dpi: int) -> bytes:
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return out.getvalue()


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insert, delete, substitute one character), two rows of memory."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def edit_distance(ref: str, hyp: str) -> int:
    """Levenshtein distance of two long texts, computed chunk by chunk: difflib aligns the
    words, and each differing run is measured exactly. The alignment is one of the possible
    ones, so this is an upper bound of the true distance (a strict measure for a CER test)."""
    rw, hw = ref.split(" "), hyp.split(" ")
    sm = difflib.SequenceMatcher(None, rw, hw, autojunk=False)
    total = 0
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        a, b = " ".join(rw[i1:i2]), " ".join(hw[j1:j2])
        # the separating space is gained or lost along with an inserted or deleted run
        total += levenshtein(a, b) + (1 if not a or not b else 0)
    return total


def test_edit_distance_helpers():
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("dân chủ", "dần chủ") == 1
    assert edit_distance("a b c d", "a b c d") == 0
    assert edit_distance("a bc d", "a bx d") == 1
    assert edit_distance("a b c", "a c") == 2  # "b" and one space
    assert edit_distance("a b", "a b x") == 2


# --------------------------------------------------------------------------- OCR engine
@pytest.fixture(scope="module")
def tesseract():
    require_tool("tesseract")
    ocr.reset()
    engine, why = ocr.status()
    if engine is None:
        skip_or_fail(why)
    return engine


@pytest.fixture(scope="module")
def scanned(tesseract):
    """(raw document of the image-only PDF, seconds to read it)."""
    data = _image_pdf(_images(SOURCE, SCAN_DPI), SCAN_DPI)
    t0 = time.monotonic()
    raw = read_bytes(data, "scan.pdf", ".pdf")
    return raw, time.monotonic() - t0


def test_image_only_pdf_has_no_text_layer(tesseract):
    data = _image_pdf(_images(SOURCE, 100, [0]), 100)
    doc = pdfium.PdfDocument(data)
    assert doc[0].get_textpage().get_text_range().strip() == ""


def test_scan_reads_like_the_text_version(scanned):
    raw, seconds = scanned
    q = raw.quality
    n = q["pages"]
    assert n == 7
    assert q["pages_without_text"] == list(range(1, n + 1))
    assert q["ocr_pages"] == list(range(1, n + 1)) and q["needs_ocr"] is False
    assert q["ocr_engine"].startswith("tesseract ") and q["ocr_engine"].endswith(" vie")
    assert set(q["ocr_confidence"]) == set(range(1, n + 1))
    assert all(c is not None and c > 85 for c in q["ocr_confidence"].values()), q["ocr_confidence"]
    assert "ocr_failed" not in q
    assert all(b.kind == "line" and b.page is not None for b in raw.blocks)
    assert [b.page for b in raw.blocks] == sorted(b.page for b in raw.blocks)
    assert [b.index for b in raw.blocks] == sorted({b.index for b in raw.blocks})

    ref = _norm(REFERENCE.read_text(encoding="utf-8"))
    hyp = _norm(" ".join(b.text for b in raw.blocks))
    cer = edit_distance(ref, hyp) / len(ref)
    # measured: 0.3 % (the "-------" rules under the header, which tesseract drops, are a
    # third of it); the reference is the .txt, so the reading order counts as well
    assert cer <= 0.05, cer
    print(f"\nOCR: CER {cer:.2%}, confidence {q['ocr_confidence']}, "
          f"{seconds / n:.2f} s/page ({q['ocr_seconds'] / n:.2f} s/page in tesseract)")


def test_scan_header_equals_text_version(scanned):
    raw, _ = scanned
    text = parse_file(REFERENCE)
    scan = parse_raw(raw)
    assert scan.header.to_dict() == text.header.to_dict()
    assert scan.header.reference == "45/KH-UBND" and scan.header.doc_type == "Kế hoạch"
    assert scan.closing.signer.name == text.closing.signer.name == "Phạm Văn Lộc"
    # the recipients: the same list, up to OCR slips in small print ("(b/c)" read "(Đ/c)")
    assert len(scan.closing.recipients) == len(text.closing.recipients) == 8
    assert all(levenshtein(a, b) <= 2 for a, b in zip(scan.closing.recipients, text.closing.recipients))
    assert [b.to_dict()["citations"] for b in scan.legal_bases] == \
           [b.to_dict()["citations"] for b in text.legal_bases]
    # the outline: the same items (labels and kinds), in the same tree
    def labels(items):
        return [(i.kind, i.label, labels(i.children)) for i in items]
    assert labels(scan.outline) == labels(text.outline)


def test_scan_findings_equal_text_version(scanned):
    raw, _ = scanned
    text = parse_file(REFERENCE)
    scan = parse_raw(raw)
    ct, cs = classify(text), classify(scan)
    assert (cs.kind, cs.unit_type, cs.topic_democracy, cs.date) == (ct.kind, ct.unit_type, ct.topic_democracy, ct.date)
    ft = [(f.rule, f.status, f.severity) for f in check(text, ct)]
    fs = [(f.rule, f.status, f.severity) for f in check(scan, cs)]
    assert ft, "the text version has findings to compare"
    differing = sorted({r for r, *_ in set(ft) ^ set(fs)})
    # none differ: the OCR clean-up puts back "dân chủ" (read "dần chủ" at times), which the
    # topic test needs, and the roman heading numbers the scopes need
    assert differing == []


def test_mixed_pdf_keeps_text_layer_and_ocrs_image_page(tesseract):
    """Page 1 with its text layer, page 2 only an image of the source's page 2."""
    src = pdfium.PdfDocument(SOURCE)
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [0])
    scan = pdfium.PdfDocument(_image_pdf(_images(SOURCE, SCAN_DPI, [1]), SCAN_DPI))
    out.import_pages(scan, [0])
    buf = io.BytesIO()
    out.save(buf)
    blocks, quality = read_pdf(buf.getvalue())
    assert quality["pages_without_text"] == [2] and quality["ocr_pages"] == [2]
    assert quality["needs_ocr"] is False and set(quality["ocr_confidence"]) == {2}

    text_blocks, _ = read_pdf(SOURCE.read_bytes())
    # page 1 is the text layer's, block for block
    page1 = [b.text for b in blocks if b.page == 1]
    assert page1 == [b.text for b in text_blocks if b.page == 1]
    # page 2 is read: close to the text layer's page 2
    ref = _norm(" ".join(b.text for b in text_blocks if b.page == 2))
    hyp = _norm(" ".join(b.text for b in blocks if b.page == 2))
    assert hyp and edit_distance(ref, hyp) / len(ref) <= 0.03
    # the paragraph cut by page 1's end does not run into the OCR'd page: a new block
    assert [b.page for b in blocks] == sorted(b.page for b in blocks)


def test_page_over_time_limit_is_reported_failed(tesseract, monkeypatch):
    data = _image_pdf(_images(SOURCE, 150, [0]), 150)
    monkeypatch.setattr(ocr, "PAGE_TIMEOUT", 0.001)
    with pytest.raises(ReadError) as err:
        read_pdf(data)
    assert err.value.code == "ocr_failed" and "timeout" in err.value.detail
    # mixed: the text page stays, the failed page is named
    src = pdfium.PdfDocument(SOURCE)
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [0])
    out.import_pages(pdfium.PdfDocument(data), [0])
    buf = io.BytesIO()
    out.save(buf)
    blocks, quality = read_pdf(buf.getvalue())
    assert blocks and {b.page for b in blocks} == {1}
    assert list(quality["ocr_failed"]) == [2] and quality["needs_ocr"] is True


# --------------------------------------------------------------------------- no OCR engine
@pytest.fixture
def no_ocr(monkeypatch):
    monkeypatch.setattr(ocr, "_status", (None, "tesseract is not installed"))


def test_image_only_pdf_without_ocr_says_so(no_ocr):
    data = _image_pdf(_images(SOURCE, 72, [0]), 72)
    with pytest.raises(ReadError) as err:
        read_bytes(data, "scan.pdf", ".pdf")
    assert err.value.code == "ocr_unavailable"
    assert "OCR is unavailable" in message("ocr_unavailable", "en")
    assert "OCR" in message("ocr_unavailable", "vi") and "tesseract" in message("ocr_unavailable", "vi")


def test_mixed_pdf_without_ocr_keeps_text_pages(no_ocr):
    src = pdfium.PdfDocument(SOURCE)
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [0])
    out.import_pages(pdfium.PdfDocument(_image_pdf(_images(SOURCE, 72, [1]), 72)), [0])
    buf = io.BytesIO()
    out.save(buf)
    blocks, quality = read_pdf(buf.getvalue())
    assert blocks and {b.page for b in blocks} == {1}
    assert quality["needs_ocr"] is True and quality["pages_without_text"] == [2]
    assert quality["ocr_unavailable"] == "tesseract is not installed"
    assert "ocr_pages" not in quality


def test_cli_scan_without_tesseract_is_a_clear_error(tmp_path):
    f = tmp_path / "scan.pdf"
    f.write_bytes(_image_pdf(_images(SOURCE, 72, [0]), 72))
    env = dict(os.environ, PATH=str(tmp_path))  # no tesseract on the PATH
    for lang, needle in (("en", "OCR is unavailable"), ("vi", "không nhận dạng ký tự (OCR) được")):
        r = subprocess.run([sys.executable, "-m", "pipeline.cli", "parse", str(f), "--lang", lang],
                           capture_output=True, text=True, env=env)
        assert r.returncode == 2, r.stderr
        lines = [x for x in r.stderr.splitlines() if x.strip()]
        assert len(lines) == 1 and str(f) in lines[0] and needle in lines[0], r.stderr


# --------------------------------------------------------------------------- clean-up
@pytest.mark.parametrize("raw,fixed", [
    ("Thực hiện dần chủ ở cơ sở", "Thực hiện dân chủ ở cơ sở"),
    ("NHẦN DÂN", "NHÂN DÂN"),
    ("kế hoạch lẫy ý kiến", "kế hoạch lấy ý kiến"),
    ("Số: 125/QĐÐ-SNV", "Số: 125/QĐ-SNV"),
    ("HI. TỔ CHỨC THỰC HIỆN", "III. TỔ CHỨC THỰC HIỆN"),
    ("H. NỘI DUNG", "II. NỘI DUNG"),
    ("TV. KẾT LUẬN", "IV. KẾT LUẬN"),
    ("©) Ban Thanh tra nhân dân", "c) Ban Thanh tra nhân dân"),
    # left alone: real Vietnamese, or not a heading
    ("giảm dần chủ yếu do", "giảm dần chủ yếu do"),
    ("tăng dần", "tăng dần"),
    ("H. Nguyễn Văn A", "H. Nguyễn Văn A"),
    ("1. Mục đích", "1. Mục đích"),
])
def test_clean(raw, fixed):
    assert ocr.clean(raw) == fixed


def test_parse_tsv_groups_words_into_lines():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
           "5\t1\t1\t1\t1\t1\t10\t10\t20\t10\t95.5\tUBND\n"
           "5\t1\t1\t1\t1\t2\t300\t10\t20\t10\t90\tCỘNG\n"
           "5\t1\t1\t1\t2\t1\t10\t30\t20\t10\t80\tSố:\n"
           "5\t1\t1\t1\t2\t2\t40\t30\t20\t10\t-1\t \n")
    lines = ocr.parse_tsv(tsv)
    assert [ln.text for ln in lines] == ["UBND CỘNG", "Số:"]
    assert [[w.text for w in s] for s in ocr.segments(lines[0], 100)] == [["UBND"], ["CỘNG"]]
    assert lines[0].left == 10 and lines[0].right == 320
