"""Legal bases: the "Căn cứ …" / "Thực hiện …" clauses of a part's preamble."""
from __future__ import annotations

import re

from pipeline.model import Issue, LegalBasis
from pipeline.structure.citations import parse_citations
from pipeline.structure.lines import Line

INTRO = re.compile(r"^(căn cứ|thực hiện|căn cư)\b")
PROPOSAL = re.compile(r"^(theo đề nghị|xét đề nghị|theo đề xuất|xét tờ trình|theo tờ trình|xét báo cáo)")
# a new clause starts where ";" or "." is followed by another "Căn cứ"/"Thực hiện"
CLAUSE_SPLIT = re.compile(r"[;.]\s*(?=(?:căn cứ|thực hiện)\b)")


def is_basis_line(line: Line) -> bool:
    if not INTRO.match(line.fold):
        return False
    if line.fold.startswith("căn cứ"):
        # "Căn cứ hướng dẫn này, …" / "Căn cứ vào tình hình …, …" are body text
        return not re.match(r"^căn cứ (vào )?(hướng dẫn|kế hoạch|quy chế|quyết định|nội dung) (này|trên)", line.fold)
    return bool(parse_citations(line.text))


def split_clauses(line: Line, text: str, fold: str) -> list[tuple[int, int]]:
    """Spans of the clauses in one basis paragraph."""
    spans, start = [], 0
    for m in CLAUSE_SPLIT.finditer(fold):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def parse_bases(lines: list[Line], part: int, path: str) -> tuple[list[LegalBasis], list[Issue]]:
    bases: list[LegalBasis] = []
    issues: list[Issue] = []
    for line in lines:
        spans = split_clauses(line, line.text, line.fold)
        if len(spans) > 1:
            issues.append(Issue("merged_clauses",
                                f"{len(spans)} căn cứ viết liền trong một đoạn",
                                line.location(path, part)))
        for s, e in spans:
            raw = line.text[s:e]
            lead = len(raw) - len(raw.lstrip())
            clause = raw.strip().rstrip(" ;.,").strip()
            if not clause:
                continue
            intro = INTRO.match(clause.lower())
            s0 = s + lead
            bases.append(LegalBasis(
                text=clause, intro=clause[: intro.end()] if intro else "",
                citations=parse_citations(clause),
                location=line.location(path, part, s0, s0 + len(clause))))
    return bases, issues
