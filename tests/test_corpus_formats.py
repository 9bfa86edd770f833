"""Numbered DOCX, PDF and HTML versions of a corpus document parse the same as its text.

The DOCX and HTML files are built by scripts/build_corpus_formats.py from the text; the
PDF is the DOCX exported by LibreOffice. Each parse is compared with the text's parse on
everything but provenance (locations, block indices, file, format, quality)."""
from __future__ import annotations

import functools
import importlib.util
import re
import subprocess
import sys
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from conftest import CORPUS, ROOT, require_tool
from pipeline.api import parse_file
from pipeline.ingest import read

DOCS = ["so-noi-vu-quyet-dinh-quy-che", "xa-ke-hoach-dan-chu-2025"]
FORMATS = ["docx", "html", "pdf"]


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_corpus_formats", ROOT / "scripts" / "build_corpus_formats.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


build = _builder()


# ------------------------------------------------------------------ parse views
def outline_view(items):
    return [{"label": i.label, "kind": i.kind, "title": i.title, "text": i.text,
             "children": outline_view(i.children)} for i in items]


def view(doc) -> dict:
    """The parse without provenance: what must not depend on the input format."""
    return {
        "header": doc.header.to_dict(),
        "legal_bases": [{"text": b.text, "intro": b.intro, "citations": [c.to_dict() for c in b.citations]}
                        for b in doc.legal_bases],
        "outline": outline_view(doc.outline),
        "closing": doc.closing.to_dict(),
        "parts": [{"role": p.role, "doc_type": p.doc_type, "title": p.title, "reference": p.reference,
                   "issued_by": p.issued_by, "header_lines": p.header_lines,
                   "legal_bases": [b.text for b in p.legal_bases], "outline": outline_view(p.outline)}
                  for p in doc.parts],
        "issues": [i.code for i in doc.issues],
    }


def differences(a, b, path: str = "") -> list[str]:
    """Paths where two views differ, e.g. ".outline[1].children[0].text: 'x' != 'y'"."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in a.keys() | b.keys() for d in differences(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        out = [f"{path}: {len(a)} items != {len(b)} items"] if len(a) != len(b) else []
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, f"{path}[{i}]")
        return out
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def assert_same_parse(expected: dict, got: dict, what: str) -> None:
    diffs = sorted(differences(expected, got))
    shown = "\n".join(d[:300] for d in diffs[:25])
    if diffs:
        pytest.fail(f"{what}: {len(diffs)} differences from the text parse\n{shown}", pytrace=False)


@functools.lru_cache(maxsize=None)
def text_view(stem: str) -> dict:
    return view(parse_file(CORPUS / f"{stem}.txt"))


# ------------------------------------------------------------ same parse as text
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("stem", DOCS)
def test_format_parses_like_text(stem, fmt):
    doc = parse_file(CORPUS / f"{stem}.{fmt}")
    assert doc.format == fmt
    assert_same_parse(text_view(stem), view(doc), f"{stem}.{fmt}")


def test_views_are_not_trivial():
    """Guard for the comparison itself: the text parses carry the whole document."""
    qd, kh = text_view(DOCS[0]), text_view(DOCS[1])
    assert len(qd["parts"]) == 2 and len(qd["parts"][1]["outline"]) == 7 and len(qd["legal_bases"]) == 5
    assert [i["label"] for i in kh["outline"]] == ["I", "II", "III"]
    assert kh["closing"]["signer"]["name"] == "Phạm Văn Lộc"


# ---------------------------------------------------------- generator is current
@pytest.mark.parametrize("stem", DOCS)
def test_docx_is_reproducible_and_current(stem, tmp_path):
    first = build.build_docx(CORPUS / f"{stem}.txt")
    assert build.build_docx(CORPUS / f"{stem}.txt") == first  # byte-for-byte deterministic
    fresh = tmp_path / f"{stem}.docx"
    fresh.write_bytes(first)
    committed = CORPUS / f"{stem}.docx"

    def blocks(path):
        return [(b.text, b.kind, b.table, b.row, b.col, b.numbering, b.bold, b.italic, b.align)
                for b in read(path).blocks]

    assert blocks(fresh) == blocks(committed), "corpus DOCX is stale: rerun scripts/build_corpus_formats.py"
    assert_same_parse(view(parse_file(committed)), view(parse_file(fresh)), "regenerated DOCX")


@pytest.mark.parametrize("stem", DOCS)
def test_html_is_current(stem):
    html = build.build_html(CORPUS / f"{stem}.txt")
    assert (CORPUS / f"{stem}.html").read_text(encoding="utf-8") == html, \
        "corpus HTML is stale: rerun scripts/build_corpus_formats.py"


def test_html_looks_like_a_portal_page():
    html = (CORPUS / f"{DOCS[0]}.html").read_text(encoding="utf-8")
    for piece in ('<meta charset="utf-8">', "<style>", "<script>", "&nbsp;", "&amp;",
                  '<table class="vb-header"', '<table class="vb-closing"', "<p><b>Điều 38.</b>"):
        assert piece in html
    assert html.count("<table") == 3  # decision header, decision closing, regulation header


# ------------------------------------------------------------ automatic numbering
def _numpr(p):
    ppr = p._p.pPr
    numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if numpr is None:
        return None
    return numpr.find(qn("w:numId")).get(qn("w:val")), int(numpr.find(qn("w:ilvl")).get(qn("w:val")))


def test_quy_che_docx_numbers_dieu_and_khoan_automatically():
    path = CORPUS / f"{DOCS[0]}.docx"
    document = docx.Document(str(path))
    paragraphs = document.paragraphs
    numbered = [(p, _numpr(p)) for p in paragraphs if _numpr(p)]
    text = (CORPUS / f"{DOCS[0]}.txt").read_text(encoding="utf-8").split("\n")
    n_dieu = sum(1 for line in text if re.match(r"Điều \d+\.", line))
    n_khoan = sum(1 for line in text if re.match(r"\d+\. ", line))
    assert n_dieu == 41
    assert [lvl for _, (_, lvl) in numbered].count(0) == n_dieu
    assert [lvl for _, (_, lvl) in numbered].count(1) == n_khoan
    # the labels are not typed: python-docx sees no "Điều N." and no "N." at the start
    for p, _ in numbered:
        assert not re.match(r"\s*(Điều\s+\d+|\d+)\.", p.text), p.text
    assert not any(re.match(r"Điều \d+\.", p.text) for p in paragraphs)
    # điểm are typed (Word's lowerLetter cannot give the Vietnamese a b c d đ e g)
    assert any(p.text.startswith("đ) ") for p in paragraphs)

    # one abstractNum; the regulation restarts through a startOverride, then each run of
    # Điều between two headings has its own w:num that continues the count
    numbering = document.part.numbering_part.element
    dieu_nums = []
    for p, (nid, lvl) in numbered:
        if lvl == 0 and nid not in dieu_nums:
            dieu_nums.append(nid)
    # the decision's; Chương I-V; Mục 1 and Mục 2 of Chương VI; Chương VII
    assert len(dieu_nums) == 1 + 5 + 2 + 1
    nums = {n.get(qn("w:numId")): n for n in numbering.findall(qn("w:num"))}
    abstract = {nums[nid].find(qn("w:abstractNumId")).get(qn("w:val")) for nid in dieu_nums}
    assert len(abstract) == 1
    overrides = [nid for nid in dieu_nums if nums[nid].find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
                 is not None]
    assert overrides == [dieu_nums[1]]  # Chương I of the regulation

    # the reader rebuilds the labels from numbering.xml
    blocks = read(path).blocks
    dieu = [b.numbering for b in blocks if b.numbering and b.numbering.startswith("Điều")]
    assert dieu == [f"Điều {n}." for n in (1, 2, 3)] + [f"Điều {n}." for n in range(1, 39)]
    k = next(i for i, b in enumerate(blocks) if b.text.startswith("Chương II"))
    assert blocks[k - 1].text.startswith("5. ") and blocks[k + 2].numbering == "Điều 4."  # across chapters
    assert [b.numbering for b in blocks if b.text.startswith("Điều 5.")] == ["Điều 5."]
    khoan = [b for b in blocks if b.numbering and re.fullmatch(r"\d+\.", b.numbering)]
    assert len(khoan) == n_khoan
    assert all(b.text.startswith(b.numbering + " ") for b in khoan)


def test_plan_docx_numbers_sections_automatically():
    path = CORPUS / f"{DOCS[1]}.docx"
    document = docx.Document(str(path))
    numbered = [p for p in document.paragraphs if _numpr(p)]
    assert {_numpr(p)[0] for p in numbered} == {_numpr(numbered[0])[0]}  # one list
    assert not any(re.match(r"([IVX]+|\d+)\. ", p.text) for p in document.paragraphs)
    blocks = read(path).blocks
    labels = [b.numbering for b in blocks if b.numbering]
    assert [x for x in labels if not x[0].isdigit()] == ["I.", "II.", "III."]
    assert labels == ["I.", "1.", "2.", "II.", *[f"{n}." for n in range(1, 8)],
                      "III.", *[f"{n}." for n in range(1, 10)]]


# ----------------------------------------------------------------------- PDF
@pytest.mark.parametrize("stem", DOCS)
def test_pdf_exported_by_libreoffice_parses_like_text(stem, tmp_path):
    """Regenerate DOCX -> PDF with LibreOffice; the committed PDF is tested above without it."""
    soffice = require_tool("soffice")
    src = tmp_path / f"{stem}.docx"
    src.write_bytes(build.build_docx(CORPUS / f"{stem}.txt"))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    fresh = tmp_path / f"{stem}.pdf"

    def words(path):
        return " ".join(b.text for b in read(path).blocks).split()

    # line breaks depend on the installed fonts; the words and their order do not
    assert words(fresh) == words(CORPUS / f"{stem}.pdf")
    assert_same_parse(text_view(stem), view(parse_file(fresh)), f"{stem}.pdf regenerated")


@pytest.mark.parametrize("stem", DOCS)
def test_committed_files_are_small(stem):
    for fmt in FORMATS:
        assert (CORPUS / f"{stem}.{fmt}").stat().st_size < 200_000
    with zipfile.ZipFile(CORPUS / f"{stem}.docx") as z:
        assert not [n for n in z.namelist() if n.startswith("word/media") or n.endswith((".jpeg", ".png"))]
