"""Real DOCX files from commune and national bodies (../shared/real-docs), against the fields a
person read from each file (tests/data/real_docs_expected.yaml)."""
import unicodedata
from pathlib import Path

import pytest
import yaml

from conftest import REAL_DOCS
from pipeline.api import parse_file

EXPECTED = yaml.safe_load((Path(__file__).parent / "data" / "real_docs_expected.yaml").read_text(encoding="utf-8"))
FILES = {unicodedata.normalize("NFC", p.name): p for p in REAL_DOCS.iterdir() if p.suffix == ".docx"}
CIT_KEYS = ("kind", "reference", "number", "year", "symbol", "date", "issuer", "title")


def test_every_real_docx_has_expectations():
    assert sorted(FILES) == sorted(EXPECTED)


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def case(request):
    name = request.param
    return EXPECTED[name], parse_file(FILES[name])


def test_header(case):
    exp, doc = case
    got = doc.header.to_dict()
    assert got == exp["header"]


def test_legal_bases(case):
    exp, doc = case
    got = [{"text": b.text, "citations": [{k: c.to_dict()[k] for k in CIT_KEYS} for c in b.citations]}
           for b in doc.legal_bases]
    want = [{"text": b["text"], "citations": [{k: c[k] for k in CIT_KEYS} for c in b["citations"]]}
            for b in exp["legal_bases"]]
    assert got == want


def test_outline_top_labels(case):
    exp, doc = case
    main = doc.parts[0]
    assert [i.label for i in main.outline] == exp["outline_top"]
    if "attachment_outline_top" in exp:
        assert len(doc.parts) >= 2
        assert [i.label for i in doc.parts[1].outline] == exp["attachment_outline_top"]


def test_closing(case):
    exp, doc = case
    assert doc.closing.recipients == exp["recipients"]
    assert doc.closing.signer.to_dict() == exp["signer"]


def _by_prefix(prefix):
    return next(p for n, p in FILES.items() if n.startswith(prefix))


def test_real_numbering_mistakes_are_reported_not_swallowed():
    doc = parse_file(_by_prefix("18-11-KH"))
    found = [(i.code, i.location.path) for i in doc.issues if i.code.startswith("numbering")]
    assert found == [("numbering_repeated", "Kế hoạch › II › 3 › 3.2"),
                     ("numbering_skipped", "Kế hoạch › III › 5")]
    section = doc.outline[1].children[2]
    assert [c.label for c in section.children] == ["3.1", "3.2", "3.2", "3.3"]  # as written
    assert [c.label for c in doc.outline[2].children] == ["1", "2", "3", "5", "6", "7", "8"]


def test_merged_bases_are_split_and_reported():
    doc = parse_file(_by_prefix("QĐ thành lập"))
    merged = [i for i in doc.issues if i.code == "merged_clauses"]
    assert len(merged) == 1
    first, second = doc.legal_bases[0], doc.legal_bases[1]
    assert first.location.block == second.location.block  # one paragraph, two clauses
    assert second.text.startswith("Căn cứ Hướng dẫn số 19-HD/UBKTTW")


def test_drafts_blank_number_and_day_are_reported():
    doc = parse_file(_by_prefix("KẾ HOẠCH KIỂM TRA"))
    codes = {i.code for i in doc.issues}
    assert {"blank_number", "blank_date"} <= codes
