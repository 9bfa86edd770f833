"""A sentence splitter that knows Vietnamese legal writing.

underthesea's sent_tokenize splits "Điều 5." and "II." off as sentences; here a sentence ends at
". ", "; ", "! " or "? " only when what follows starts a new statement (capital letter, dash,
bullet, opening bracket), and never after an abbreviation ("TP.", "Th.S.") or inside a
reference ("khoản 2 Điều 5.").
"""
from __future__ import annotations

import re

_BOUNDARY = re.compile(r"([.;!?])\s+(?=[A-ZĐÀ-ỸĐ\-–•+(“\"])|(;)\s+")
# a terse label-style tail ("Xem xét, trả lời kiến nghị của Ban TTND. Thời hạn: 15 ngày …") qualifies the
# statement before it: it is not a sentence of its own
_LABEL_TAIL = re.compile(r"(?:Thời hạn|Thời gian|Thời điểm|Hình thức|Tần suất|Định kỳ)\s*:", re.I)
_ABBREV = re.compile(r"(?:^|\s)(?:tp|tt|th\.s|ths|ts|pgs|gs|bs|ks|cn|v\.v|tr|đ|số|khoản|điều|điểm|mục)$", re.I)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences of `text`, whitespace trimmed."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        end = m.start() + 1
        if m.group(1) == "." and _ABBREV.search(text[max(0, m.start() - 8):m.start()]):
            continue
        if m.group(1) == "." and _LABEL_TAIL.match(text, m.end()):
            continue
        spans.append((start, end))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


_CLAUSE_JOIN = re.compile(r",\s+(?=(?:và|đồng thời|còn|riêng|trong trường hợp|trường hợp)\s)")


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Sentences further cut where a comma joins another statement (", và …", ", đồng thời …"), so a
    number is read with the clause it belongs to in long merged sentences."""
    out = []
    for s, e in sentence_spans(text):
        start = s
        for m in _CLAUSE_JOIN.finditer(text, s, e):
            out.append((start, m.start()))
            start = m.end()
        out.append((start, e))
    return [(a, b) for a, b in out if b > a]
