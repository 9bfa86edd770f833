"""Every rule file: loads against the schema, cites an article that exists in the right chapter,
and its own pass/fail examples behave as the rule says."""
import re
from pathlib import Path

import pytest

from conftest import SHARED
from pipeline.check import phrase_index
from pipeline.check.kinds import CHECK_KINDS
from pipeline.check.rules import load_ruleset
from pipeline.check.view import build_view
from pipeline.ingest import read_bytes
from pipeline.normalize import normalize
from pipeline.structure import structure

RULESET = load_ruleset()
RULES = RULESET.rules
LEGAL = SHARED / "legal"
# chapters of Luật 10/2022/QH15 by unit type (REQUIREMENTS.md §2)
LAW_CHAPTERS = {"xa_phuong": range(11, 46), "co_quan_hanh_chinh": range(46, 64),
                "don_vi_su_nghiep": range(46, 64), "dnnn": range(64, 82)}
# Nghị định 59/2023: articles by unit type (REQUIREMENTS.md §6.1)
DECREE_ARTICLES = {"xa_phuong": range(3, 20), "co_quan_hanh_chinh": range(20, 24),
                   "don_vi_su_nghiep": range(20, 24), "dnnn": range(24, 28)}


def evaluate(rule, text):
    doc = structure(normalize(read_bytes(text.encode("utf-8"), "example.txt", ".txt")))
    view = build_view(doc, phrase_index(RULESET), RULESET.packs[rule.pack].scopes)
    return CHECK_KINDS[rule.check.kind].evaluate(rule, view)


def test_ruleset_loads_and_ids_are_unique():
    assert len({r.id for r in RULES}) == len(RULES) > 0


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_pass_examples(rule):
    assert rule.examples.pass_, "every rule needs a passing example"
    for text in rule.examples.pass_:
        outcome = evaluate(rule, text)
        assert outcome.status == "present", (text, outcome)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_fail_examples(rule):
    assert rule.examples.fail, "every rule needs a failing example"
    for text in rule.examples.fail:
        outcome = evaluate(rule, text)
        # a kind that reports "depends on …" rather than a fault (an unknown citation) says so
        expected = getattr(CHECK_KINDS[rule.check.kind], "fail_statuses", ("missing", "partial", "conflict"))
        assert outcome.status in expected, (text, outcome)


def _article_exists(path: Path, article: int, clause: int | None) -> bool:
    text = path.read_text(encoding="utf-8")
    m = re.search(rf"(?m)^Điều {article}\.(.*?)(?=^Điều {article + 1}\.|\Z)", text, re.S)
    if not m:
        return False
    return clause is None or re.search(rf"(?m)^{clause}\.\s", m.group(1)) is not None


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_citation_exists_and_fits_the_unit_type(rule):
    b = rule.legal_basis
    if b.instrument == "practice":
        assert rule.practice_based and rule.severity != "error"
        return
    assert b.article is not None
    if rule.pack == "legal-basis":
        # cross-cutting: these cite the effect and repeal clauses (Đ90, NĐ59 Đ28, NĐ61 Đ25) or the format decree,
        # which sit outside the unit-type chapters; the instrument must be a registry entry
        from pipeline.structure.registry import registry

        assert b.instrument in registry().by_id
        texts = {"10/2022/QH15": "luat-10-2022-QH15.txt", "59/2023/NĐ-CP": "nd-59-2023-ND-CP.txt",
                 "61/2023/NĐ-CP": "nd-61-2023-ND-CP.txt"}
        if b.instrument in texts:
            assert _article_exists(LEGAL / texts[b.instrument], b.article, b.clause)
        return
    source = {"10/2022/QH15": "luat-10-2022-QH15.txt", "59/2023/NĐ-CP": "nd-59-2023-ND-CP.txt",
              "61/2023/NĐ-CP": "nd-61-2023-ND-CP.txt"}[b.instrument]
    assert _article_exists(LEGAL / source, b.article, b.clause), f"{b.instrument} Điều {b.article}.{b.clause}"
    ranges = LAW_CHAPTERS if b.instrument == "10/2022/QH15" else DECREE_ARTICLES
    for unit in rule.applies_to.unit_types:
        if unit in ranges:
            assert b.article in ranges[unit], f"Điều {b.article} is outside the chapter for {unit}"
