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
