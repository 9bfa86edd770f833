"""Numbers and quantities as Vietnamese documents write them: "05", "năm", "mười lăm",
"hai phần ba", "2/3", "50%", "quá nửa", "03 tháng", "mỗi năm một lần", "quý I".

Works on folded text (lower case, one tone style). Every quantity keeps its span.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

DIGITS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
          "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
_W = r"(?:không|một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|bẩy|tám|chín|mười|mươi|linh|lẻ|trăm)"
NUMBER = rf"(?:\d+(?:[.,]\d+)?|{_W}(?:\s+{_W})*)"

UNITS = {
    "ngày làm việc": "working_day", "ngày liên tục": "day", "ngày": "day", "tuần": "week",
    "tháng": "month", "năm": "year", "quý": "quarter",
    "thành viên": "member", "người": "person", "phó trưởng ban": "deputy", "phó ban": "deputy",
    "hộ gia đình": "household", "hộ": "household", "lần": "time",
}
_UNIT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
QUANTITY = re.compile(rf"(?<!\w)({NUMBER})\s*(?:\(\s*{NUMBER}\s*\)\s*)?({_UNIT})(?!\w)")
RANGE = re.compile(rf"(?<!\w)từ\s+({NUMBER})\s*(?:\([^)]*\)\s*)?(?:{_UNIT})?\s*(?:đến|tới|-|–)\s*({NUMBER})\s*"
                   rf"(?:\([^)]*\)\s*)?({_UNIT})(?!\w)")
FRACTION = re.compile(rf"(?<!\w)(?:({_W}|\d+)\s+phần\s+({_W}|\d+)|(\d+)\s*/\s*(\d+)(?!\s*/)"
                      r"|(\d+(?:[.,]\d+)?)\s*%|(một nửa|nửa số|quá nửa|hơn một nửa|quá bán))")
_RESTATED = re.compile(r"\s*\([^()]{1,40}\)")
# "định kỳ 06 (sáu) tháng": the number restated in words between brackets
_SAID = rf"(?:\(\s*{NUMBER}\s*\)\s*)?"
PERIOD = re.compile(rf"(?<!\w)(?:(?:mỗi|hằng|hàng|định kỳ)\s+(?:({NUMBER})\s*{_SAID})?(năm|quý|tháng|tuần)"
                    rf"(?:\s+(?:tổ chức\s+)?({NUMBER})\s+{_SAID}lần)?|({NUMBER})\s+{_SAID}(tháng|năm|quý)\s+(?:một|1|01)\s+lần"
                    rf"|({NUMBER})\s+lần\s*(?:/|trong|mỗi|một)\s*(?:một\s+)?(năm|quý|tháng))(?!\w)")
# "định kỳ nửa năm", "nửa năm một lần": a period of six months
HALF_YEAR = re.compile(r"(?<!\w)(?:(?:mỗi|hằng|hàng|định kỳ)\s+nửa\s+năm|nửa\s+năm\s+(?:một|1|01)\s+lần)(?!\w)")
# "mỗi tổ dân phố 01 người": a count per sub-unit, not the total
PER_UNIT = re.compile(r"mỗi\s+(?:thôn|tổ dân phố|tổ|bản|ấp|làng|khu phố|khu dân cư|khóm|buôn|xóm|sóc|plei|phum|"
                      r"khoa|phòng|bộ phận|đơn vị|chi nhánh|xí nghiệp|cụm|lâm trường|nông trường|đội|phân xưởng|xưởng|"
                      r"nhà máy|cơ sở|trạm|trại|công trường|trung tâm|ca)\b[^;.]{0,30}$")
QUARTER = re.compile(r"(?<!\w)(?:trong\s+)?quý\s+(i{1,3}|iv|[1-4])(?!\w)")
FIRST_MONTHS = re.compile(rf"(?<!\w)({NUMBER})\s+tháng\s+đầu\s+năm(?!\w)")
DATE = re.compile(r"(?<!\w)(?:ngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?|\d{1,2}/\d{1,2}/\d{4}"
                  r"|(?:ngày|trước)\s+\d{1,2}/\d{1,2})(?![\w/])")
# a recurring deadline with no year: "không muộn hơn ngày 31 tháng 3", "trước ngày 31/3"
DEADLINE_DATE = re.compile(r"(?<!\w)(?:trước|chậm nhất(?: là)?|muộn nhất(?: là)?|không muộn hơn|không chậm hơn|không muộn quá"
                           r"|không chậm quá|không quá|không để quá|hạn chót là|hạn cuối là)"
                           r"(?:\s+(?:là|vào))?\s+"
                           r"(?:ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})|(?:ngày\s+)?(\d{1,2})/(\d{1,2}))"
                           r"(?!\s*(?:năm\s+\d|/\s*\d))")
# "trong tháng 3 năm sau", "vào tháng 3 hằng năm": by the end of that month of the year
# "trong tháng 01 hoặc tháng 02 của năm sau": the later month is the deadline
# "chậm nhất trong tháng 01 của năm công tác mới": the first month of the next work year
IN_MONTH = re.compile(r"(?<!\w)(?:trong|vào|trước hết)\s+tháng\s+(\d{1,2})"
                      r"(?:\s+(?:hoặc|hay|đến|tới|-|–)\s+(?:tháng\s+)?(\d{1,2}))?\s+(?:của\s+)?(?:năm sau|năm tiếp theo|"
                      r"năm kế tiếp|hằng năm|hàng năm|mỗi năm|năm công tác mới|năm công tác tiếp theo|năm công tác sau|năm mới)(?!\w)")
# "từ 09 người trở lên thì …", "nếu có trên 100 người": a number that states a condition, not a rule
CONDITION_AFTER = re.compile(r"\s*(?:\w+\s+){0,2}trở lên\s*(?:thì|,|do|vì|khi|nếu)")
CONDITION_BEFORE = re.compile(r"(?:nếu|trường hợp|đối với)\b[^,;.]{0,30}(?:có|gồm)\s+(?:từ|trên|dưới)?\s*$")
COUNT_UNITS = {"member", "person", "deputy", "household"}
COMPARATORS = [
    ("ge", re.compile(r"(ít nhất|tối thiểu|không ít hơn|không dưới|từ .{0,20}trở lên|trở lên)\s*(là\s*)?$")),
    ("le", re.compile(r"(chậm nhất|tối đa|không quá|không vượt quá|không chậm hơn|trong thời hạn|trong vòng|"
                      r"trong|dưới|nhiều nhất)\s*(là\s*)?(sau\s*)?$")),
    ("gt", re.compile(r"(trên|hơn|quá)\s*$")),
]


def words_to_int(s: str) -> int | None:
    """'mười lăm' -> 15, 'hai mươi mốt' -> 21, 'năm' -> 5, '05' -> 5."""
    s = s.strip()
    if re.fullmatch(r"\d+", s):
        return int(s)
    if re.fullmatch(r"\d+[.,]\d+", s):
        return None
    total, current = 0, 0
    tokens = s.split()
    for i, t in enumerate(tokens):
        if t in DIGITS:
            v = DIGITS[t]
            if t == "lăm" and i == 0:
                return None
            current = current + v if current >= 10 else (current * 10 + v if current else v)
        elif t == "mười":
            current = current * 10 if current else 10
        elif t == "mươi":
            current = (current or 1) * 10
        elif t == "trăm":
            total += (current or 1) * 100
            current = 0
        elif t in ("linh", "lẻ"):
            continue
        else:
            return None
    return total + current


def to_number(s: str) -> float | None:
    s = s.strip()
    if re.fullmatch(r"\d+[.,]\d+", s):
        return float(s.replace(",", "."))
    v = words_to_int(s)
    return float(v) if v is not None else None


@dataclass
class Quantity:
    value: float | Fraction
    unit: str  # working_day, day, week, month, year, quarter, member, person, deputy, household, time, ratio, period_month
    start: int
    end: int
    comparator: str | None = None  # ge | le | gt | None (as written before the number)
    high: float | None = None  # upper bound for a range "từ 03 đến 09"
    text: str = ""
    from_date: bool = False  # read from a calendar date ("trước ngày 31 tháng 3"), not a stated duration


def _comparator(fold: str, start: int) -> str | None:
    before = fold[max(0, start - 30):start]
    for name, pat in COMPARATORS:
        if pat.search(before):
            return name
    return None


def find_quantities(fold: str) -> list[Quantity]:
    """Every quantity in a folded text, leftmost first; a range hides the numbers inside it."""
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(s, e):
        return all(e <= a or s >= b for a, b in taken)

    for m in DEADLINE_DATE.finditer(fold):  # "không muộn hơn ngày 31 tháng 3": months into the year
        day, month = int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))
        if 1 <= month <= 12 and 1 <= day <= 31:
            months = month if day >= 28 else month - 1 + day / 30
            out.append(Quantity(float(months), "month", m.start(), m.end(), "le", None, m.group(), True))
            taken.append((m.start(), m.end()))
    for m in IN_MONTH.finditer(fold):
        month = int(m.group(2) or m.group(1))
        if 1 <= month <= 12 and free(m.start(), m.end()):
            out.append(Quantity(float(month), "month", m.start(), m.end(), "le", None, m.group(), True))
            taken.append((m.start(), m.end()))
    for m in DATE.finditer(fold):  # "ngày 31 tháng 3", "31/3/2024" are dates, not durations
        taken.append((m.start(), m.end()))
    for m in RANGE.finditer(fold):
        if not free(m.start(), m.end()):
            continue
        lo, hi = to_number(m.group(1)), to_number(m.group(2))
        if lo is not None and hi is not None:
            out.append(Quantity(lo, UNITS[m.group(3)], m.start(), m.end(), "range", hi, m.group()))
            taken.append((m.start(), m.end()))
    for m in PERIOD.finditer(fold):
        if not free(m.start(), m.end()):
            continue
        if m.group(2):
            n = to_number(m.group(1)) if m.group(1) else 1.0
            times = to_number(m.group(3)) if m.group(3) else 1.0
            unit = m.group(2)
        elif m.group(5):
            n, times, unit = to_number(m.group(4)), 1.0, m.group(5)
        else:
            n, times, unit = 1.0, to_number(m.group(6)), m.group(7)
        if n is None or not times:
            continue
        months = {"năm": 12, "quý": 3, "tháng": 1, "tuần": 0.25}[unit] * n / times
        out.append(Quantity(months, "period_month", m.start(), m.end(), None, None, m.group()))
        taken.append((m.start(), m.end()))
    for m in HALF_YEAR.finditer(fold):
        if free(m.start(), m.end()):
            out.append(Quantity(6.0, "period_month", m.start(), m.end(), None, None, m.group()))
            taken.append((m.start(), m.end()))
    for m in QUARTER.finditer(fold):
        if free(m.start(), m.end()):
            q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(m.group(1)) or int(m.group(1))
            out.append(Quantity(3.0 * q, "month", m.start(), m.end(), "le", None, m.group()))
            taken.append((m.start(), m.end()))
    for m in FIRST_MONTHS.finditer(fold):
        n = to_number(m.group(1))
        if n is not None and free(m.start(), m.end()):
            out.append(Quantity(n, "month", m.start(), m.end(), "le", None, m.group()))
            taken.append((m.start(), m.end()))
    for m in FRACTION.finditer(fold):
        if not free(m.start(), m.end()):
            continue
        if m.group(1):
            a, b = words_to_int(m.group(1)), words_to_int(m.group(2))
            if not a or not b:
                continue
            value = Fraction(a, b)
        elif m.group(3):
            value = Fraction(int(m.group(3)), int(m.group(4))) if int(m.group(4)) else None
            if value is None or value > 1:
                continue
        elif m.group(5):
            value = Fraction(m.group(5).replace(",", ".")) / 100
        else:
            value = Fraction(1, 2)
        comp = _comparator(fold, m.start())
        if m.group(6) and m.group(6) in ("quá nửa", "hơn một nửa", "quá bán"):
            comp = "gt"
        out.append(Quantity(value, "ratio", m.start(), m.end(), comp, None, m.group()))
        # "trên 50% (năm mươi phần trăm)", "hai phần ba (2/3)": the bracket restates the same ratio
        # and must not be read again without its "trên"
        restated = _RESTATED.match(fold, m.end())
        taken.append((m.start(), restated.end() if restated else m.end()))
    for m in QUANTITY.finditer(fold):
        if not free(m.start(), m.end()):
            continue
        n = to_number(m.group(1))
        if n is None:
            continue
        unit = UNITS[m.group(2)]
        # "năm" is a number and a unit: "mỗi năm", "năm 2024" are not "5"
        if m.group(1).strip() == "năm" and unit in ("year",):
            continue
        out.append(Quantity(n, unit, m.start(), m.end(), _comparator(fold, m.start()), None, m.group()))
        taken.append((m.start(), m.end()))
    for q in out:
        if q.unit in COUNT_UNITS and PER_UNIT.search(fold, max(0, q.start - 60), q.start):
            q.comparator = "condition"
        if q.unit in COUNT_UNITS and (CONDITION_AFTER.match(fold, q.end)
                                         or CONDITION_BEFORE.search(fold, max(0, q.start - 45), q.start)):
            q.comparator = "condition"
    return sorted(out, key=lambda q: q.start)


# calendar-day bounds of a duration, for comparing different units
def day_bounds(value: float, unit: str) -> tuple[float, float] | None:
    if unit == "day":
        return value, value
    if unit == "working_day":
        return value, value * 7 / 5 + 2  # weekends, plus a public holiday of up to 2 days
    if unit == "week":
        return value * 7, value * 7
    if unit == "month":
        return value * 28, value * 31
    if unit == "quarter":
        return value * 89, value * 92
    if unit == "year":
        return value * 365, value * 366
    return None
