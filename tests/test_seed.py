"""The seed plan (Kế hoạch 56/KH-UBND, Quảng Ninh, 2024), read from ../shared."""
import json
import subprocess
import sys

import pytest

from conftest import SEED
from pipeline.api import parse_file


@pytest.fixture(scope="module")
def doc():
    return parse_file(SEED)


def test_header(doc):
    h = doc.header.to_dict()
    assert h == {
        "issuer": ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"], "motto": True,
        "reference": "56/KH-UBND", "number": "56", "symbol": "KH-UBND", "doc_type": "Kế hoạch",
        "place": "Quảng Ninh", "date": {"year": 2024, "month": 2, "day": 26},
        "title": "THỰC HIỆN DÂN CHỦ Ở CƠ SỞ TỈNH QUẢNG NINH NĂM 2024",
    }


def test_portal_preamble_recognised_and_not_the_header(doc):
    assert doc.portal == {
        "title": "Kế hoạch 56/KH-UBND thực hiện dân chủ ở cơ sở tỉnh Quảng Ninh năm 2024",
        "reference": "56/KH-UBND", "issued": "2024-02-26", "effective": "2024-02-26",
        "doc_type": "Kế hoạch", "issuer": "Tỉnh Quảng Ninh", "signer": "Cao Tường Huy",
        "field": "Quyền dân sự",
    }
    assert "Tỉnh Quảng Ninh" not in doc.header.issuer


def _cit(kind, ref, number, year, symbol, date, issuer):
    return {"kind": kind, "reference": ref, "number": number, "year": year, "symbol": symbol,
            "date": date, "issuer": issuer}


def test_legal_bases(doc):
    got = [[{k: c[k] for k in ("kind", "reference", "number", "year", "symbol", "date", "issuer")}
            for c in b.to_dict()["citations"]] for b in doc.legal_bases]
    assert got == [
        [_cit("Luật", None, None, None, None, None, None)],
        [_cit("Nghị định", "59/2023/NĐ-CP", "59", 2023, "NĐ-CP", "2023-08-14", "Chính phủ")],
        [_cit("Quyết định", "346/QĐ-TTg", "346", None, "QĐ-TTg", "2023-04-06", "Thủ tướng Chính phủ")],
        [_cit("Nghị quyết", "179/NQ-HĐND", "179", None, "NQ-HĐND", "2023-12-08", "Hội đồng nhân dân tỉnh")],
        [_cit("Kế hoạch", "160/KH-UBND", "160", None, "KH-UBND", "2023-06-20", "Ủy ban nhân dân tỉnh"),
         _cit("Kế hoạch", "25/KH-UBND", "25", None, "KH-UBND", "2024-02-02", "Ủy ban nhân dân tỉnh")],
    ]
    assert doc.legal_bases[0].citations[0].title == "Thực hiện dân chủ ở cơ sở"
    assert doc.legal_bases[0].text == "Căn cứ Luật Thực hiện dân chủ ở cơ sở"


def test_basis_locations_quote_the_original(doc):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for b in doc.legal_bases:
        loc = b.location
        assert lines[loc.block][loc.start:loc.end] == b.text


def test_outline(doc):
    def shape(items):
        return [(i.label, i.kind, i.title, shape(i.children)) for i in items]

    dashes = lambda n: [("-", "dash", None, [])] * n  # noqa: E731
    assert shape(doc.outline) == [
        ("I", "roman", "MỤC ĐÍCH, YÊU CẦU", [
            ("1", "arabic", "Mục đích", dashes(3)),
            ("2", "arabic", "Yêu cầu", dashes(3)),
        ]),
        ("II", "roman", "NỘI DUNG", [
            ("1", "arabic", "Công tác lãnh đạo, chỉ đạo nhằm nâng cao hiệu quả thực hiện dân chủ ở cơ sở "
                            "trong cơ quan, đơn vị, địa phương", dashes(7)),
            ("2", "arabic", "Công tác thông tin, tuyên truyền", dashes(1)),
        ]),
    ]
    first_dash = doc.outline[0].children[0].children[0]
    assert first_dash.text.startswith("Thực hiện dân chủ ở cơ sở nhằm bảo đảm công khai")
    assert first_dash.location.path == "Kế hoạch › I › 1 › gạch đầu dòng 1"
    item = doc.outline[1].children[0]
    assert item.text.startswith("Công tác lãnh đạo, chỉ đạo nhằm nâng cao hiệu quả")


def test_no_closing_in_an_excerpt(doc):
    assert doc.closing.recipients == []
    assert doc.closing.signer.name is None


def test_cli_json_on_the_seed():
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "parse", str(SEED), "--format", "json"],
                         capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    assert data["format"] == "txt" and len(data["sha256"]) == 64
    assert data["header"]["reference"] == "56/KH-UBND"
    for key in ("file", "header", "legal_bases", "outline", "closing", "parts", "issues", "quality"):
        assert key in data
    loc = data["outline"][0]["location"]
    assert set(loc) >= {"path", "part", "block", "start", "end", "page"}
