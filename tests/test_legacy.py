"""Legacy Vietnamese encodings (TCVN3 / VNI): tables, detection, and the TXT, DOCX and PDF
readers converting them; NFD and mixed NFD/NFC text.

Expected strings do not come from pipeline/ingest/legacy.py's tables: they are the samples
of /work/shared/PLATFORM-NOTES.md §6, pairs encoded by hand, and whole documents encoded
by the two encoders below, written here from other descriptions of each encoding:
- TCVN3: PLATFORM-NOTES §6 gives the Unicode letters and their TCVN3 codes position by
  position (`_U` / `_TCVN3`). TCVN3 has no accented capitals: a capital is written with the
  small letter's code (what typing in .VnTime gives), or in a ...H font (see the DOCX test).
- VNI: a letter is decomposed (NFD) into base, tone and modifier; the VNI-Windows font writes
  base + one mark code: tone ù ø û õ ï (acute grave hook tilde dot); circumflex â, with a tone
  á à å ã ä; breve ê, with a tone é è ú ü ë; ơ ô, ư ö, đ ñ; í ì æ ó ò for the toned i; ỵ î.
  Capitals use the capital codes.
"""
from __future__ import annotations

import io
import subprocess
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from conftest import CORPUS, SEED, require_tool
from pipeline.api import parse_bytes
from pipeline.ingest import read_bytes
from pipeline.ingest.legacy import convert, convert_units, detect, font_encoding
from pipeline.model import ReadError

DOC = CORPUS / "xa-ke-hoach-dan-chu-2025.txt"

# --------------------------------------------------------------- independent encoders
_U = ("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂÊÔƠƯĐ")
_TCVN3 = ("µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢£¤¥¦§")
assert len(_U) == len(_TCVN3) == 74
_TO_TCVN3 = dict(zip(_U, _TCVN3))


def to_tcvn3(text: str) -> str:
    out = []
    for c in unicodedata.normalize("NFC", text):
        if c in _TO_TCVN3:
            out.append(_TO_TCVN3[c])
        else:  # an accented capital has no code of its own: the small letter's
            out.append(_TO_TCVN3.get(c.lower(), c))
    return "".join(out)


_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # acute grave hook tilde dot


def to_vni(text: str) -> str:
    out = []
    for c in unicodedata.normalize("NFC", text):
        d = unicodedata.normalize("NFD", c)
        base, marks = d[0].lower(), d[1:]
        if c in "đĐ":
            code = "ñ"
        elif not marks or base not in "aeiouy":
            out.append(c)
            continue
        else:
            tone = next((_TONES.index(m) for m in marks if m in _TONES), None)
            if base == "i":
                code = "íìæóò"[tone]
            elif base == "y" and tone == 4:
                code = "î"
            elif "\u0302" in marks:  # circumflex
                code = base + ("â" if tone is None else "áàåãä"[tone])
            elif "\u0306" in marks:  # breve
                code = base + ("ê" if tone is None else "éèúüë"[tone])
            else:
                if "\u031b" in marks:  # horn
                    base = {"o": "ô", "u": "ö"}[base]
                code = base + ("" if tone is None else "ùøûõï"[tone])
        out.append(code.upper() if d[0].isupper() else code)
    return "".join(out)


def _labels(parsed):
    return [(o.kind, o.label) for item in parsed.outline for o in item.walk()]


# ------------------------------------------------------------------- known strings
TCVN3_PAIRS = [
    # PLATFORM-NOTES §6 and the task's samples
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("C¨n cø NghÞ ®Þnh sè", "Căn cứ Nghị định số"),
    # encoded by hand from the §6 table
    ("QuyÕt ®Þnh", "Quyết định"),
    ("ñy ban nh©n d©n tØnh", "ủy ban nhân dân tỉnh"),
    ("N¬i nhËn", "Nơi nhận"),
    ("§iÒu 5. Tr¸ch nhiÖm thi hµnh", "Điều 5. Trách nhiệm thi hành"),
    ("ng\xadêi ®øng ®Çu", "người đứng đầu"),
    ("Hµ Néi, §µ N½ng, Mü Tho", "Hà Nội, Đà Nẵng, Mỹ Tho"),
    ("hoÆc kh¼ng ®Þnh thuû lîi", "hoặc khẳng định thuỷ lợi"),
    ("nh÷ng æn ®Þnh bé phËn së h÷u quü", "những ổn định bộ phận sở hữu quỹ"),
    ("¦u tiªn tiÕp nhËn ý kiÕn", "Ưu tiên tiếp nhận ý kiến"),
    ("lþ, kÕt qu¶, sÏ, chÝnh, chØ", "lỵ, kết quả, sẽ, chính, chỉ"),
]
VNI_PAIRS = [
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    # encoded by hand
    ("Quyeát ñònh", "Quyết định"),
    ("UÛy ban nhaân daân tænh", "Ủy ban nhân dân tỉnh"),
    ("Nôi nhaän", "Nơi nhận"),
    ("Ñieàu 5. Traùch nhieäm thi haønh", "Điều 5. Trách nhiệm thi hành"),
    ("ngöôøi ñöùng ñaàu", "người đứng đầu"),
    ("Haø Noäi, Ñaø Naüng, Myõ Tho", "Hà Nội, Đà Nẵng, Mỹ Tho"),
    ("hoaëc khaúng ñònh thuûy lôïi", "hoặc khẳng định thủy lợi"),
    ("nhöõng oån ñònh boä phaän sôû höõu quyõ", "những ổn định bộ phận sở hữu quỹ"),
    ("Öu tieân tieáp nhaän yù kieán", "Ưu tiên tiếp nhận ý kiến"),
    ("lî, keát quaû, seõ, chính, chæ, khoù", "lỵ, kết quả, sẽ, chính, chỉ, khó"),
    ("ÑOÄC LAÄP - KEÁ HOAÏCH - UÛY BAN - CHUÛ TÒCH", "ĐỘC LẬP - KẾ HOẠCH - ỦY BAN - CHỦ TỊCH"),
    ("ÔÛ ÑAÂY, ÖÙNG CÖÛ, ÑAÈNG, YÙ KIEÁN, ÑAÕ", "Ở ĐÂY, ỨNG CỬ, ĐẰNG, Ý KIẾN, ĐÃ"),
]


@pytest.mark.parametrize("legacy,unicode", TCVN3_PAIRS)
def test_tcvn3_known_strings(legacy, unicode):
    assert convert(legacy, "tcvn3") == unicode
    assert to_tcvn3(unicode) == legacy  # the test's encoder agrees with the hand encoding


@pytest.mark.parametrize("legacy,unicode", VNI_PAIRS)
def test_vni_known_strings(legacy, unicode):
    assert convert(legacy, "vni") == unicode
    assert to_vni(unicode) == legacy


def test_every_letter_both_ways():
    """All 134 Vietnamese letters, small and capital, through each independent encoder."""
    small = _U[:67]
    letters = small + small.upper()
    vni = convert(to_vni(letters), "vni")
    assert vni == letters
    assert convert(to_tcvn3(small), "tcvn3") == small
    # in a capitals font every code is a capital
    assert convert(to_tcvn3(small), "tcvn3", upper=True) == small.upper()


def test_detect_known_strings():
    for legacy, _ in TCVN3_PAIRS[:3]:
        assert detect(legacy) == "tcvn3", legacy
    for legacy, _ in VNI_PAIRS[:2]:
        assert detect(legacy) == "vni", legacy
    for _, unicode in TCVN3_PAIRS + VNI_PAIRS:
        assert detect(unicode) is None, unicode
        assert detect(unicodedata.normalize("NFD", unicode)) is None, unicode


def test_tcvn3_capitals_typed_in_the_plain_font():
    """.VnTime has no accented capitals: "CéNG HOµ" is a capitals word all the same."""
    assert convert(to_tcvn3("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "tcvn3") == \
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert convert(to_tcvn3("UỶ BAN NHÂN DÂN XÃ TÂN AN"), "tcvn3") == "UỶ BAN NHÂN DÂN XÃ TÂN AN"
    assert convert(to_tcvn3("SỞ Y TẾ TỈNH HÒA BÌNH"), "tcvn3") == "SỞ Y TẾ TỈNH HÒA BÌNH"
    assert convert(to_tcvn3("V. ĐỀ XUẤT, KIẾN NGHỊ"), "tcvn3") == "V. ĐỀ XUẤT, KIẾN NGHỊ"
    # small words stay small next to acronyms and numbers
    for s in ("UBND xã Tân An, Hà Nội", "Số: 45/KH-UBND", "- Sở NN&PTNT (b/c);",
              "Điều 1. Phạm vi", "Căn cứ Nghị định số 59/2023/NĐ-CP"):
        assert convert(to_tcvn3(s), "tcvn3") == s


def test_font_names():
    assert font_encoding(".VnTime") == ("tcvn3", False)
    assert font_encoding(".VnTimeH") == ("tcvn3", True)
    assert font_encoding(".VnArial NarrowH") == ("tcvn3", True)
    assert font_encoding("ABCDEF+VnTimeH,Bold") == ("tcvn3", True)  # as a PDF names it
    assert font_encoding("VNI-Times") == ("vni", False)
    assert font_encoding("VNI-Helve-Condense") == ("vni", False)
    for name in ("Times New Roman", "Arial", ".VnSymbol", "+minorHAnsi", None, ""):
        assert font_encoding(name) is None
    # a legacy font name decides, unless the text is Unicode Vietnamese after all
    assert detect("cã", font=".VnTime") == "tcvn3"
    assert detect("Cộng hòa xã hội", font=".VnTime") is None
    assert detect("Cộng hòa xã hội", font="VNI-Times") is None


# ------------------------------------------------------------ Unicode is never touched
def _unicode_texts():
    files = sorted(CORPUS.rglob("*.txt")) + [SEED]
    assert len(files) > 40
    return files


def test_unicode_corpus_never_detected():
    for f in _unicode_texts():
        text = f.read_text(encoding="utf-8")
        assert detect(text) is None, f
        assert detect(unicodedata.normalize("NFD", text)) is None, f
        for line in text.split("\n"):  # the stricter per-line check used for PDF lines
            assert detect(line, min_evidence=2, density=0.15) is None, (f, line)


def test_unicode_corpus_files_are_not_converted():
    for f in _unicode_texts():
        data = f.read_bytes()
        raw = read_bytes(data, f.name, ".txt")
        assert "legacy_encoding" not in raw.quality, f
        assert [b.text for b in raw.blocks] == [ln for ln in data.decode("utf-8-sig").split("\n")
                                                if ln.strip()], f
    for f in sorted(CORPUS.glob("*.docx")) + sorted(CORPUS.glob("*.pdf")):
        assert "legacy_encoding" not in read_bytes(f.read_bytes(), f.name, f.suffix).quality, f


def test_convert_units_leaves_unicode_lines_of_a_legacy_page():
    doc = DOC.read_text(encoding="utf-8").split("\n")[:30]
    mixed = [to_tcvn3(s) if i % 2 else s for i, s in enumerate(doc)]
    new, counts = convert_units(mixed)
    assert new[::2] == doc[::2]  # the Unicode lines as they were
    # (a capital starting a sentence has no TCVN3 code: "Ủy ban" comes back "ủy ban")
    assert [s.lower() for s in new] == [s.lower() for s in doc]
    assert counts == {"tcvn3": sum(1 for i, s in enumerate(doc) if i % 2 and to_tcvn3(s) != s)}


def test_convert_units_font_decides():
    """A PDF names each character's font: a legacy one decides, .VnTimeH meaning capitals."""
    lines = ["ubnd x· t©n an", "C¨n cø", "Coäng hoøa", "Unicode: Việt Nam µ"]
    fonts = ["ABCDEF+VnTimeH", ".VnTime", "VNI-Times", "TimesNewRomanPSMT"]
    new, counts = convert_units(lines, font_of=lambda i: fonts[i])
    assert new == ["UBND XÃ TÂN AN", "Căn cứ", "Cộng hòa", "Unicode: Việt Nam µ"]
    assert counts == {"tcvn3": 2, "vni": 1}
    # a caller that must keep lengths converts TCVN3 only
    new, counts = convert_units(lines, ("tcvn3",), font_of=lambda i: fonts[i])
    assert new[2] == "Coäng hoøa" and counts == {"tcvn3": 2}


# --------------------------------------------------------------------------- TXT
@pytest.fixture(scope="module")
def unicode_doc():
    data = DOC.read_bytes()
    return parse_bytes(data, DOC.name, ".txt")


@pytest.mark.parametrize("encoding,encoder", [("tcvn3", to_tcvn3), ("vni", to_vni)])
@pytest.mark.parametrize("bytes_as", ["utf-8", "cp1252"])
def test_whole_document_in_legacy_encoding(unicode_doc, encoding, encoder, bytes_as):
    """The corpus document encoded, saved as UTF-8 (copied out of a legacy font) or as the
    8-bit bytes themselves (no UTF-8): header and outline as from the Unicode file."""
    text = DOC.read_text(encoding="utf-8")
    data = encoder(text).encode(bytes_as)
    parsed = parse_bytes(data, "legacy.txt", ".txt")
    assert parsed.header.to_dict() == unicode_doc.header.to_dict()
    assert _labels(parsed) == _labels(unicode_doc)
    assert len(_labels(parsed)) > 50
    # (a capital starting a sentence has no TCVN3 code: "của Ủy ban" comes back "của ủy ban")
    assert [b.text.lower() for b in parsed.legal_bases] == [
        b.text.lower() for b in unicode_doc.legal_bases]
    q = parsed.quality
    assert q["encoding"] == bytes_as
    assert q["legacy_encoding"][encoding] > 100
    assert q["legacy_encoding"]["tcvn3" if encoding == "vni" else "vni"] == 0
    if encoding == "vni":  # VNI has capitals: the text comes back exactly
        raw = read_bytes(data, "legacy.txt", ".txt")
        assert "\n".join(b.text for b in raw.blocks) == "\n".join(
            ln for ln in text.split("\n") if ln.strip())


def test_eight_bit_bytes_that_are_no_legacy_text_stay_unreadable():
    for data in (bytes(range(256)) * 8, "Café crème, déjà vu. Naïve façade.".encode("cp1252") * 20):
        with pytest.raises(ReadError) as exc:
            read_bytes(data, "x.txt", ".txt")
        assert exc.value.code == "not_text"


# ------------------------------------------------------------------ NFD and mixed
def test_nfd_and_mixed_nfd_nfc_parse_like_nfc(unicode_doc):
    text = DOC.read_text(encoding="utf-8")
    nfd = unicodedata.normalize("NFD", text)
    lines = text.split("\n")
    mixed = "\n".join(unicodedata.normalize("NFD", s) if i % 2 else s for i, s in enumerate(lines))
    # and within one line: NFD words among NFC ones
    mixed = mixed.replace("Tân An, ngày", unicodedata.normalize("NFD", "Tân") + " An, ngày")
    for variant in (nfd, mixed):
        assert detect(variant) is None
        parsed = parse_bytes(variant.encode("utf-8"), "nfd.txt", ".txt")
        assert "legacy_encoding" not in parsed.quality
        assert parsed.quality["nfc_recomposed_blocks"] > 0
        assert parsed.header.to_dict() == unicode_doc.header.to_dict()
        assert _labels(parsed) == _labels(unicode_doc)


# -------------------------------------------------------------------------- DOCX
def _run(p, text, font, size=None):
    r = p.add_run(text)
    r.font.name = font
    if size:
        r.font.size = size
    return r


def test_docx_runs_in_legacy_fonts():
    doc = Document()
    p = doc.add_paragraph()
    _run(p, "céng hoµ x· héi chñ nghÜa viÖt nam", ".VnTimeH")  # capitals font
    p = doc.add_paragraph()
    _run(p, "§éc lËp - Tù do - H¹nh phóc", ".VnTime")
    p = doc.add_paragraph()
    _run(p, "Coäng hoøa xaõ hoäi chuû nghóa ", "VNI-Times")
    _run(p, "Việt Nam", "Times New Roman")  # Unicode run in the same paragraph
    p = doc.add_paragraph()
    _run(p, "Cộng hòa xã hội", ".VnTime")  # Unicode typed in an old font: left alone
    p = doc.add_paragraph()
    _run(p, "ubnd x· t©n an", ".VnArialH")
    p = doc.add_paragraph()  # Word draws the codes 0x80-0xFF in the hAnsi font
    r = _run(p, "Tæ chøc", "Times New Roman")
    r._element.rPr.rFonts.set(qn("w:hAnsi"), ".VnTime")
    raw = read_bytes(_save(doc), "legacy.docx", ".docx")
    assert [b.text for b in raw.blocks] == [
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Cộng hòa xã hội chủ nghĩa Việt Nam", "Cộng hòa xã hội", "UBND XÃ TÂN AN", "Tổ chức"]
    assert raw.blocks[0].font == ".VnTimeH"  # the font stays as provenance
    assert raw.quality["legacy_encoding"] == {"tcvn3": 4, "vni": 1}


def test_docx_font_from_style():
    """Runs without a font of their own take the paragraph style's (old templates set
    .VnTime on Normal); a run with its own Unicode font is not converted."""
    doc = Document()
    doc.styles["Normal"].font.name = ".VnTime"
    doc.add_paragraph("C¨n cø NghÞ ®Þnh sè 59/2023/N§-CP")
    p = doc.add_paragraph()
    _run(p, "Căn cứ Luật số 10/2022/QH15", "Times New Roman")
    raw = read_bytes(_save(doc), "style.docx", ".docx")
    assert [b.text for b in raw.blocks] == ["Căn cứ Nghị định số 59/2023/NĐ-CP",
                                            "Căn cứ Luật số 10/2022/QH15"]
    assert raw.quality["legacy_encoding"] == {"tcvn3": 1, "vni": 0}


def _save(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _legacy_docx(lines: list[str], encoding: str, caps_font: bool = True) -> Document:
    """One paragraph per line. TCVN3: lines in capitals go in .VnTimeH typed small (as
    headings were; with `caps_font`), the others in .VnTime; VNI: VNI-Times."""
    doc = Document()
    for line in lines:
        p = doc.add_paragraph()
        if encoding == "vni":
            _run(p, to_vni(line), "VNI-Times", Pt(13))
        elif caps_font and line.strip() and line == line.upper() and line != line.lower():
            _run(p, to_tcvn3(line.lower()), ".VnTimeH", Pt(13))
        else:
            _run(p, to_tcvn3(line), ".VnTime", Pt(13))
    return doc


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_docx_whole_document(unicode_doc, encoding):
    lines = DOC.read_text(encoding="utf-8").split("\n")
    parsed = parse_bytes(_save(_legacy_docx(lines, encoding)), "legacy.docx", ".docx")
    assert parsed.header.to_dict() == unicode_doc.header.to_dict()
    assert _labels(parsed) == _labels(unicode_doc)
    assert parsed.quality["legacy_encoding"][encoding] > 100
    if encoding == "vni":
        raw = read_bytes(_save(_legacy_docx(lines, encoding)), "legacy.docx", ".docx")
        assert [b.text for b in raw.blocks] == [ln for ln in lines if ln.strip()]


# --------------------------------------------------------------------------- PDF
def _soffice_pdf(paths: list[Path], outdir: Path) -> None:
    exe = require_tool("soffice")
    subprocess.run([exe, "--headless", f"-env:UserInstallation={(outdir / 'profile').as_uri()}",
                    "--convert-to", "pdf", *map(str, paths), "--outdir", str(outdir)],
                   check=True, capture_output=True, timeout=300)


# The header and the short body lines, each paragraph spaced from the next: nothing wraps
# or joins, so the legacy PDFs lay out like the Unicode one even though LibreOffice draws
# the codes with a substitute font of other widths.
_SHORT = [ln for ln in DOC.read_text(encoding="utf-8").split("\n") if 0 < len(ln) < 60]


def _spaced(doc: Document) -> Document:
    for p in doc.paragraphs:
        p.paragraph_format.space_after = Pt(24)
    return doc


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, bytes]:
    """LibreOffice PDFs (what agencies send) of the corpus document in Unicode, TCVN3 and
    VNI fonts; the legacy fonts are not installed, so the PDF text layer holds the codes."""
    require_tool("soffice")
    work = tmp_path_factory.mktemp("legacy-pdf")
    # (capitals typed in .VnTime: without the fonts the PDF does not name .VnTimeH)
    docs = {"unicode": Document(), "tcvn3": _legacy_docx(_SHORT, "tcvn3", caps_font=False),
            "vni": _legacy_docx(_SHORT, "vni")}
    for line in _SHORT:
        _run(docs["unicode"].add_paragraph(), line, "Times New Roman", Pt(13))
    paths = []
    for name, doc in docs.items():
        _spaced(doc).save(work / f"{name}.docx")
        paths.append(work / f"{name}.docx")
    _soffice_pdf(paths, work)
    return {name: (work / f"{name}.pdf").read_bytes() for name in docs}


def test_pdf_text_layer_in_legacy_fonts(pdfs):
    ref = parse_bytes(pdfs["unicode"], "u.pdf")
    ref_blocks = [b.text for b in read_bytes(pdfs["unicode"], "u.pdf").blocks]
    assert ref_blocks == _SHORT  # one block per paragraph
    assert ref.header.motto and ref.header.reference == "45/KH-UBND"
    for encoding in ("tcvn3", "vni"):
        parsed = parse_bytes(pdfs[encoding], f"{encoding}.pdf")
        assert parsed.header.to_dict() == ref.header.to_dict(), encoding
        assert _labels(parsed) == _labels(ref), encoding
        assert len(_labels(ref)) > 20
        assert parsed.quality["legacy_encoding"][encoding] > 30
        blocks = [b.text for b in read_bytes(pdfs[encoding], f"{encoding}.pdf").blocks]
        if encoding == "vni":
            assert blocks == ref_blocks
        else:
            # TCVN3's ư is the soft hyphen code (0xAD), which LibreOffice does not draw; and
            # a capital starting a sentence has no TCVN3 code ("Ủy" comes back "ủy")
            assert [b.lower() for b in blocks] == [b.lower().replace("ư", "") for b in ref_blocks]
