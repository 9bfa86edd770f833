"""Header of a document part: issuing block, motto, số hiệu, place and date, type, title."""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from pipeline.model import DocDate, Header
from pipeline.structure.lines import Line

# folded doc-type word -> canonical sentence case
DOC_TYPES = {
    "kế hoạch": "Kế hoạch", "quyết định": "Quyết định", "quy chế": "Quy chế",
    "báo cáo": "Báo cáo", "hướng dẫn": "Hướng dẫn", "nghị quyết": "Nghị quyết",
    "thông báo": "Thông báo", "tờ trình": "Tờ trình", "chỉ thị": "Chỉ thị",
    "chương trình": "Chương trình", "quy định": "Quy định", "đề án": "Đề án",
    "biên bản": "Biên bản", "công điện": "Công điện", "giấy mời": "Giấy mời",
    "nghị định": "Nghị định", "thông tư": "Thông tư", "luật": "Luật", "pháp lệnh": "Pháp lệnh",
    "điều lệ": "Điều lệ", "hương ước": "Hương ước", "quy ước": "Quy ước", "công văn": "Công văn",
    "nội quy": "Nội quy", "phương án": "Phương án", "kết luận": "Kết luận",
    "nghị quyết liên tịch": "Nghị quyết liên tịch", "thông tư liên tịch": "Thông tư liên tịch",
}
# symbol code (first segment of a số hiệu) -> doc type, for documents with no type line
SYMBOL_TYPES = {
    "kh": "Kế hoạch", "qđ": "Quyết định", "qd": "Quyết định", "bc": "Báo cáo", "hd": "Hướng dẫn",
    "nq": "Nghị quyết", "tb": "Thông báo", "ttr": "Tờ trình", "ct": "Chỉ thị", "qc": "Quy chế",
    "ctr": "Chương trình", "đa": "Đề án", "bb": "Biên bản", "cv": "Công văn", "qđi": "Quy định",
    "kl": "Kết luận", "pa": "Phương án", "gm": "Giấy mời",
}
MARKERS = {"dự thảo", "mật", "tối mật", "khẩn", "thượng khẩn", "hỏa tốc", "bản chính", "bản sao"}

_MOTTO_1 = "cộng hòa xã hội chủ nghĩa việt nam"
_MOTTO_2 = "độc lập tự do hạnh phúc"
_PARTY = "đảng cộng sản việt nam"
_MOTTO_WORDS = set((_MOTTO_1 + " " + _MOTTO_2 + " " + _PARTY).split())
_NON_LETTERS = re.compile(r"[^\w]+|\d+|_")

REFERENCE_LINE = re.compile(r"^(?:(?:luật|bộ luật|nghị quyết|nghị định|pháp lệnh|quyết định|thông tư|lệnh)\s+)?"
                            r"số\s*(?:hiệu)?\s*[:.]?\s*(.*)$")
DATE_LINE = re.compile(
    r"^(?P<place>[^,]*?)\s*,?\s*ngày\s*(?P<d>\d{1,2})?[\s.…_]*tháng\s*(?P<m>\d{1,2})?[\s.…_]*"
    r"năm\s*(?P<y>\d{4})")
# "Lâm Giang, ngày 12/6/2025": not the form Nghị định 30/2020 prescribes, but agencies write it; the whole
# line must be the date (a "Căn cứ … ngày 14/8/2023 …" line is not a header date)
DATE_LINE_NUMERIC = re.compile(
    r"^(?:(?P<place>[^,\d]{1,60}?)\s*,\s*)?ngày\s*(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*"
    r"(?P<y>\d{4})\s*\.?$")
_BLANKS = re.compile(r"[\s.…_]+")


def _letters(fold: str) -> str:
    return " ".join(_NON_LETTERS.sub(" ", fold).split())


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def motto_kind(line: Line) -> str | None:
    """'motto' for either line of the national motto, 'party' for the Party's; loose on typos."""
    s = _letters(line.fold)
    if not s or len(s) > 60 or len(s) < 10 or len(_MOTTO_WORDS.intersection(s.split())) < 2:
        return None
    if s in (_MOTTO_1, _MOTTO_2):
        return "motto"
    if _similar(s, _MOTTO_1) >= 0.8 or _similar(s, _MOTTO_2) >= 0.75:
        return "motto"
    if _similar(s, _MOTTO_1 + " " + _MOTTO_2) >= 0.8:
        return "motto"
    if _similar(s, _PARTY) >= 0.85:
        return "party"
    return None


APPENDIX = re.compile(r"^phụ lục(\s+(số\s+)?([ivxlc]+|\d+[a-z]?))?\s*[.:]?$")


def doc_type_of(line: Line) -> str | None:
    """The canonical type when the line is a bare document-type heading ("KẾ HOẠCH", "PHỤ LỤC I")."""
    if len(line.fold) > 30:
        return None
    key = " ".join(line.fold.strip(" .").split())
    kind = "Phụ lục" if APPENDIX.match(key) else DOC_TYPES.get(key)
    # a line that is nothing but "Phụ lục I" heads an appendix in any capitalisation; other types must be
    # in capitals, since "Kế hoạch" alone on a line may be a heading inside the body
    appendix = kind == "Phụ lục" and line.text.lstrip()[:1] == "P"
    return kind if kind and (line.is_upper or appendix) else None


def parse_reference(rest: str) -> tuple[str | None, str | None, str | None, int | None]:
    """'56/KH-UBND' -> (reference, number, symbol, year); blanks in drafts give number None."""
    ref = _BLANKS.sub("", rest).strip(",;")
    if not ref:
        return None, None, None, None
    m = re.match(r"^(\d+[A-Za-z]?)?\s*([/-])?(?:(\d{4})/)?(.*)$", ref)
    number, sep, year, symbol = m.group(1), m.group(2), m.group(3), m.group(4)
    if number is None and not sep:
        return ref, None, ref or None, None
    return ref, number, symbol or None, int(year) if year else None


def parse_date_line(line: Line) -> tuple[str | None, DocDate] | None:
    m = DATE_LINE.search(line.fold)
    if not m:
        m = DATE_LINE_NUMERIC.search(line.fold)
        if not m or not (1 <= int(m["d"]) <= 31 and 1 <= int(m["m"]) <= 12):
            return None
    place = (line.text[: m.end("place")].strip(" ,") or None) if m["place"] else None
    date = DocDate(year=int(m["y"]), month=int(m["m"]) if m["m"] else None,
                   day=int(m["d"]) if m["d"] else None)
    return place, date


def parse_header(region: list[Line], type_line: Line | None, title_lines: list[Line]) -> Header:
    """`region`: the lines above the type line (or the top of a document without one)."""
    h = Header()
    for line in region:
        if line.is_separator:
            continue
        kind = motto_kind(line)
        if kind == "motto":
            h.motto = True
            continue
        if kind == "party":
            continue
        m = REFERENCE_LINE.match(line.fold)
        if m and h.reference is None and ("/" in line.text or "-" in line.text):
            rest = line.text[m.start(1):]
            h.reference, h.number, h.symbol, _ = parse_reference(rest)
            continue
        pd = parse_date_line(line)
        if pd and h.date is None:
            h.place, h.date = pd
            continue
        if line.fold.startswith("v/v") or line.fold.startswith("về việc"):
            title_lines = title_lines or [line]
            continue
        if line.fold.strip(" .:") in MARKERS:
            continue
        if line.is_upper:
            h.issuer.append(line.text.strip().lstrip("/\\|*.,;: ").strip())
    if type_line is not None:
        h.doc_type = doc_type_of(type_line)
    elif h.symbol:
        code = re.split(r"[-/]", h.symbol)[0].lower()
        h.doc_type = SYMBOL_TYPES.get(code, "Công văn")
    if title_lines:
        title = " ".join(t.text.strip() for t in title_lines)
        title = re.sub(r"^(?:V/v|Về việc)[:.]?\s*", "", title, flags=re.I) if not type_line else title
        h.title = title.strip() or None
    return h
