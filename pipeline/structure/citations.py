"""Citations: the instruments named in one legal-basis clause.

`parse_citations(text)` reads a clause such as "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14/8/2023
của Chính phủ quy định chi tiết …" and returns one `Citation` per instrument cited at top level;
instruments named inside another's title ("… của Luật Thực hiện dân chủ ở cơ sở") are `nested`.

Approach: find every instrument-kind word, decide which ones start a top-level citation (clause
start, or after ";" "," "và"), cut the clause into one segment per citation, then read each
segment left to right: kind, reference, date / issuer / term attributes, title. Regex only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as _date

from pipeline.model import Citation

KINDS = ("Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh", "Lệnh", "Nghị quyết liên tịch",
         "Nghị quyết", "Nghị định", "Quyết định", "Thông tư liên tịch", "Thông tư", "Thông tri", "Chỉ thị",
         "Kết luận", "Kế hoạch", "Hướng dẫn", "Thông báo", "Công văn", "Công điện", "Quy chế",
         "Quy định", "Chương trình", "Điều lệ", "Đề án", "Văn bản")
# Legislative kinds are cited by name alone ("Luật Thực hiện dân chủ ở cơ sở"); other kinds
# without a number are everyday words ("quyết định của cấp có thẩm quyền").
NAMED_KINDS = {"Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh"}
ABBREVIATIONS = {"NĐ": "Nghị định", "ND": "Nghị định", "QĐ": "Quyết định", "QD": "Quyết định",
                 "NQ": "Nghị quyết", "NQLT": "Nghị quyết liên tịch", "TT": "Thông tư",
                 "TTLT": "Thông tư liên tịch", "CT": "Chỉ thị", "KL": "Kết luận", "KH": "Kế hoạch",
                 "HD": "Hướng dẫn", "TB": "Thông báo", "CV": "Công văn"}
_CANON = {k.lower(): k for k in KINDS}


def _alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_KIND = re.compile(r"(?<!\w)(?:" + _alternation(KINDS) + r")(?!\w)", re.I)
# abbreviations count only right before a number, and never inside a symbol ("04/TT-MTTW")
_ABBR = re.compile(r"(?<![\w/.-])(?:" + _alternation(ABBREVIATIONS) + r")(?=\s*(?:số\s*)?\d)")
_NOT_LAW_BEFORE = re.compile(r"(?:pháp|kỷ|điều|dự)\s+$", re.I)  # "pháp luật", "kỷ luật"
_NOT_LAW_AFTER = re.compile(r"\s+sư(?!\w)", re.I)  # "luật sư"
_DEMONSTRATIVE = re.compile(r"\s+(?:này|đó|nêu trên|nói trên|trên)(?!\w)", re.I)
_NEXT_NAME = re.compile(r"\s+(?:năm\s+\d{4}|(\w))")

# "Căn cứ", "Thực hiện", "Căn cứ vào các" … between a separator and the next instrument
_INTRO = (r"(?:(?:căn\s+cứ|thực\s+hiện|thi\s+hành|theo|xét)(?:\s+(?:vào|theo))?\s*:?\s*)?"
          r"(?:các\s+|những\s+)?")
_CLAUSE_START = re.compile(r"[\s\-–•+*]*" + _INTRO, re.I)
_SEMI_SEP = re.compile(r";\s*" + _INTRO + r"$", re.I)
# an amending law is cited in its own right: "… số 85/2015/QH13 đã được sửa đổi, bổ sung bởi Luật số 83/2025/QH15"
_AMEND_SEP = re.compile(r"\s(?:đã\s+)?(?:được\s+)?sửa đổi,?\s*bổ sung(?:\s+một số điều)?\s+(?:bởi|tại|theo|thao)\s+$")
_LIST_SEP = re.compile(r"(?:,|,?\s(?:và|hoặc)\s)\s*(?:căn\s+cứ\s+(?:vào\s+)?)?(?:các\s+)?$", re.I)

_SO = re.compile(r"\s*,?\s*(?:số|Số|SỐ)(?![^\W\d_])\s*:?\s*")
_DIGITS = re.compile(r"\d+")
_BLANK_NUMBER = re.compile(r"[\s.…_]*")  # draft: "số …/QĐ-UBND"
# draft placeholders left in the attributes: "số …", "ngày …", "của …"
_FILLER = re.compile(r"\s*,?\s*(?:(?:số|ngày|tháng|năm|của)\s*:?\s*[.…_]+|…+|[._]{2,})(?:\s*[.…_]+)*"
                     r"|\s*,?\s*(?:số|của)\s*:?\s*$", re.I)
_PART = re.compile(r"(\s*)([/-])(\s*)(\w+)")
_DATE = re.compile(r"\s*,?\s*ngày\s*(\d{1,2})\s*(?:[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
                   r"|tháng\s*(\d{1,2})\s*năm\s*(\d{4}))(?!\d)", re.I)
_BLANK_DATE = re.compile(r"\s*,?\s*ngày[\s./…_-]*tháng[\s./…_-]*năm(?:\s+\d{4})?(?!\d)", re.I)
_YEAR = re.compile(r"\s*,?\s*năm\s+(\d{4})(?!\d)", re.I)
# "Luật … được Quốc hội khóa XV, kỳ họp thứ 5 thông qua ngày …"
_PASSED = re.compile(r"\s*,?\s*(?:đã\s+)?được\s+((?:Ủy\s+ban\s+Thường\s+vụ\s+)?Quốc\s+hội)"
                     r"(?:\s*,?\s*kh(?:óa|oá)\s+[IVXLCDM]+)?(?:\s*,?\s*kỳ\s+họp\s+thứ\s+\w+)?"
                     r"\s+thông\s+qua", re.I)
_OF = re.compile(r"\s*,?\s*của\s+", re.I)
# legislature terms and sessions written between issuer and title
_TERM = re.compile(r"\s*,?\s*(?:kh(?:óa|oá)\s+[IVXLCDM\d]+|nhiệm\s+kỳ\s+\d{4}\s*[-–]\s*\d{4}"
                   r"|(?:tại\s+)?kỳ\s+họp\s+(?:thứ\s+)?(?:kh(?:óa|oá)\s+)?\w+)(?!\w)", re.I)
# where an issuer name ends: the title's verb, a term, punctuation (a comma is re-checked)
_ISSUER_STOP = re.compile(
    r"\s*[;.(:]|\s*,|\s+(?:về|Về|V/v|v/v|quy định|ban hành|hướng dẫn|phê duyệt|thông qua|triển khai|"
    r"thực hiện|sửa đổi|bổ sung|bãi bỏ|thành lập|kiện toàn|giao|công bố|điều chỉnh|tăng cường|đẩy mạnh|"
    r"tiếp tục|phân bổ|chấp thuận|khóa|khoá|Khóa|Khoá|nhiệm kỳ|"
    r"kỳ họp|tại|ngày|Ngày|số|đã|được|để|nhằm|việc|trong|đối với|năm)(?!\w)")
_NOT_ISSUER_CONT = re.compile(r"\s*(?:kh(?:óa|oá)|nhiệm\s+kỳ|kỳ\s+họp|v/v)(?!\w)", re.I)
# where a name cited without a number ends ("Luật Tổ chức chính quyền địa phương ngày …")
_NAME_STOP = re.compile(r"\s*,?\s*(?:số|Số|SỐ)\s*:?\s*(?:\d|[.…_/]|$)|\s*,?\s*ngày\s+\d"
                        r"|\s+năm\s+\d{4}(?!\d)|\s*,?\s*ngày[\s./…_-]*tháng|\s*,?\s*(?:đã|được)\s"
                        r"|\s+của\s|\s*;|\s*,", re.I)
# a comma inside a name lists short lower-case items: "Cán bộ, công chức", "xã, phường, thị trấn"
_NAME_ITEM = re.compile(r",\s*(?:bổ\s+sung|(\w+)(?:\s+\w+){0,2}"
                        r"(?=\s*(?:[,;]|\s+và\s|$|\s+(?:năm|số|ngày|của|đã|được)\s)))")
_STRIP = " ;,.:-–"


@dataclass
class _Cand:
    start: int
    end: int  # end of the kind word
    kind: str
    weak: bool  # a generic kind without a number: counts only where a clause or item begins
    numbered: bool = False


@dataclass
class _Ref:
    reference: str
    number: str | None
    year: int | None
    symbol: str | None
    end: int


_CONNECTOR = re.compile(r"^(?:V/v|v/v|[Vv]ề việc|[Vv]ề)[:.]?\s+")


def parse_citations(text: str) -> list[Citation]:
    """The instruments cited by one legal-basis clause, in order; [] when none."""
    if not isinstance(text, str) or not text:
        return []
    return _parse_span(text, 0, len(text), _candidates(text), top=True)


def _candidates(text: str) -> list[_Cand]:
    out = []
    for m in _KIND.finditer(text):
        kind = _CANON[" ".join(m.group().split()).lower()]
        if kind == "Luật" and (_NOT_LAW_BEFORE.search(text, max(0, m.start() - 8), m.start())
                               or _NOT_LAW_AFTER.match(text, m.end())):
            continue
        if _read_ref(text, m.end(), len(text)):
            out.append(_Cand(m.start(), m.end(), kind, False, True))
            continue
        if _DEMONSTRATIVE.match(text, m.end()):
            continue  # "Kế hoạch này", "Luật này"
        capital = m.group()[0].isupper()
        if kind in NAMED_KINDS and (capital or _names_follow(text, m.end())):
            out.append(_Cand(m.start(), m.end(), kind, False))
        elif capital and kind not in NAMED_KINDS:
            out.append(_Cand(m.start(), m.end(), kind, True))
    for m in _ABBR.finditer(text):
        if _read_ref(text, m.end(), len(text)):
            out.append(_Cand(m.start(), m.end(), ABBREVIATIONS[m.group()], False, True))
    return sorted(out, key=lambda c: c.start)


def _names_follow(text: str, pos: int) -> bool:
    """A lower-case "luật" still cites when a name or year follows: "luật Đất đai"."""
    m = _NEXT_NAME.match(text, pos)
    return bool(m and (m.group(1) is None or m.group(1).isupper()))


MAX_NESTING = 3  # mentions inside a title inside a title … beyond this add nothing (and must not recurse)


def _parse_span(text: str, lo: int, hi: int, cands: list[_Cand], top: bool, depth: int = 0) -> list[Citation]:
    """Citations in text[lo:hi]; `top` admits numberless generic kinds where a clause begins."""
    heads: list[tuple[_Cand, int]] = []  # candidate, start of the separator before it
    last = None  # the last candidate taken into account, head or nested
    for c in cands:
        if c.start < lo or c.end > hi or (c.weak and not top):
            continue
        if not heads:
            if c.weak and not _CLAUSE_START.fullmatch(text, lo, c.start):
                continue
            heads.append((c, c.start))
            last = c
            continue
        tail = max(last.end, c.start - 60)
        # ";" always starts a new instrument; "," / "và" too, except that they join two laws
        # named inside a title: "… một số điều của Luật Cán bộ, công chức và Luật Viên chức"
        sep = _SEMI_SEP.search(text, tail, c.start) or (
            _AMEND_SEP.search(text, tail, c.start) if top and c.numbered else None) or (
            _LIST_SEP.search(text, tail, c.start) if last is heads[-1][0] or c.numbered else None)
        if sep:
            heads.append((c, sep.start()))
        if sep or not c.weak:
            last = c
    out = []
    for i, (c, _) in enumerate(heads):
        end = heads[i + 1][1] if i + 1 < len(heads) else hi
        out.append(_parse_one(text, c, _rstrip(text, c.end, end), cands, depth))
    return out


def _parse_one(text: str, c: _Cand, end: int, cands: list[_Cand], depth: int = 0) -> Citation:
    cit = Citation(kind=c.kind, start=c.start, end=end)
    pos = c.end
    name = None
    ref = _read_ref(text, pos, end)
    if ref:
        pos = ref.end
    else:  # cited by name first: "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15"
        stop = _name_stop(text, pos, end)
        name = _strip_span(text, pos, stop)
        pos = stop
    while True:  # attributes, in any order
        m = None
        if ref is None and _SO.match(text, pos, end) and (r := _read_ref(text, pos, end)):
            ref, pos = r, r.end
        elif m := _DATE.match(text, pos, end):
            cit.date = cit.date or _iso(m)
        elif m := _BLANK_DATE.match(text, pos, end):
            pass  # draft: "ngày    tháng    năm 2024"
        elif m := _YEAR.match(text, pos, end):
            cit.year = cit.year or int(m.group(1))
        elif cit.issuer is None and (m := _PASSED.match(text, pos, end)):
            cit.issuer = m.group(1)
        elif cit.issuer is None and (iss := _issuer(text, pos, end)):
            cit.issuer, pos = text[iss[0]:iss[1]], iss[1]
        elif m := _TERM.match(text, pos, end) or _FILLER.match(text, pos, end):
            pass
        else:
            break
        if m:
            pos = m.end()
    if ref:
        cit.reference, cit.number, cit.symbol = ref.reference, ref.number, ref.symbol
        cit.year = ref.year or cit.year
    rest = _strip_span(text, pos, end)
    if name:
        cit.title = text[name[0]:name[1]]
    elif rest:
        # the subject, without the connector: "về việc thành lập …" -> "thành lập …"
        cit.title = _CONNECTOR.sub("", text[rest[0]:rest[1]]) or None
    deeper = depth < MAX_NESTING
    later = _parse_span(text, rest[0], rest[1], cands, False, depth + 1) if rest and deeper else []
    cit.nested = (_parse_span(text, name[0], name[1], cands, False, depth + 1) if name and deeper else []) + later
    if name and not later:
        cit.end = _rstrip(text, c.start, pos)  # what follows a name is not about the instrument
    return cit


def _read_ref(text: str, pos: int, end: int) -> _Ref | None:
    """A number/symbol reference at `pos`, after an optional "số"."""
    so = _SO.match(text, pos, end)
    p = _BLANK_NUMBER.match(text, so.end(), end).end() if so else pos
    while not so and p < end and text[p].isspace():
        p += 1
    num = _DIGITS.match(text, p, end)
    if not num and not so:
        return None
    q = num.end() if num else p
    parts: list[tuple[str, str]] = []
    while (m := _PART.match(text, q, end)) and _symbol_like(m.group(4), bool(m.group(1) or m.group(3))):
        if not parts and not num and m.group(2) != "/":
            break
        parts.append((m.group(2), m.group(4)))
        q = m.end()
    if not parts:
        return None  # a bare number is not a reference
    year = None
    rest = parts
    if parts[0][0] == "/" and re.fullmatch(r"(19|20)\d\d", parts[0][1]):
        year, rest = int(parts[0][1]), parts[1:]
    symbol = (rest[0][1] + "".join(s + w for s, w in rest[1:])) if rest else None
    number = num.group() if num else None
    return _Ref((number or "") + "".join(s + w for s, w in parts), number, year, symbol, q)


def _symbol_like(seg: str, spaced: bool) -> bool:
    # "NĐ", "TTg", "QH15", "2023" — but not a word of prose after a spaced dash ("- Luật …")
    if seg[0].islower() or seg[0] == "_":
        return False
    return sum(ch.islower() for ch in seg) <= (1 if spaced else 2)


def _name_stop(text: str, pos: int, end: int) -> int:
    for m in _NAME_STOP.finditer(text, pos, end):
        if m.group().strip().lower() == "của" and not _issuer_at(text, m.end(), end):
            continue  # "… một số điều của Luật …" stays in the name
        if m.group().strip() == "," and (it := _NAME_ITEM.match(text, m.start(), end)) \
                and (it.group(1) is None or it.group(1)[0].islower()):
            continue
        return m.start()
    return end


def _issuer_at(text: str, pos: int, end: int) -> bool:
    return pos < end and text[pos].isupper() and not _KIND.match(text, pos, end) \
        and not _ABBR.match(text, pos, end)


def _issuer(text: str, pos: int, end: int) -> tuple[int, int] | None:
    m = _OF.match(text, pos, end)
    if not m or not _issuer_at(text, m.end(), end):
        return None
    a = m.end()
    stop = end
    for s in _ISSUER_STOP.finditer(text, a, end):
        if s.group().strip() == ",":
            nxt = s.end()
            while nxt < end and text[nxt].isspace():
                nxt += 1
            if _issuer_at(text, nxt, end) and not _NOT_ISSUER_CONT.match(text, nxt, end):
                continue  # joint issuers: "Ủy ban Thường vụ Quốc hội, Chính phủ và …"
        stop = s.start()
        break
    b = _rstrip(text, a, stop)
    return (a, b) if b > a else None


def _iso(m: re.Match) -> str | None:
    d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(2) else (m.group(1), m.group(4), m.group(5))
    try:
        return _date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None


def _rstrip(text: str, lo: int, hi: int) -> int:
    while hi > lo and (text[hi - 1] in _STRIP or text[hi - 1].isspace()):
        hi -= 1
    return hi


def _strip_span(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    hi = _rstrip(text, lo, hi)
    while lo < hi and (text[lo] in _STRIP or text[lo].isspace()):
        lo += 1
    return (lo, hi) if hi > lo else None
