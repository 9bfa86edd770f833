"""A metadata block copied from a legal portal ("Số hiệu / Ngày ban hành / … / Người ký")."""
from __future__ import annotations

import re

from pipeline.structure.lines import Line

KEYS = {
    "số hiệu": "reference", "ngày ban hành": "issued", "ngày có hiệu lực": "effective",
    "ngày hiệu lực": "effective", "loại văn bản": "doc_type", "cơ quan ban hành": "issuer",
    "nơi ban hành": "issuer", "người ký": "signer", "lĩnh vực": "field",
    "tình trạng": "status", "tình trạng hiệu lực": "status", "ngày hết hiệu lực": "expires",
    "ngày công báo": "gazette_date", "số công báo": "gazette_number", "ngày đăng": "posted",
}
_KEY = re.compile(r"^(" + "|".join(sorted(map(re.escape, KEYS), key=len, reverse=True))
                  + r")\s*[:|]?\s*(.*)$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _value(key: str, value: str) -> str:
    m = _DMY.match(value)
    if m and key in ("issued", "effective", "expires", "gazette_date", "posted"):
        return f"{int(m[3]):04d}-{int(m[2]):02d}-{int(m[1]):02d}"
    return value


def find_portal(lines: list[Line], limit: int = 40) -> tuple[dict[str, str] | None, int]:
    """Return (facts, index of the first line after the block) or (None, 0)."""
    facts: dict[str, str] = {}
    first = last = None
    i = 0
    while i < min(len(lines), limit):
        m = _KEY.match(lines[i].fold)
        if m:
            key = KEYS[m.group(1)]
            first = i if first is None else first
            value = lines[i].text[m.start(2):].strip()
            if not value and i + 1 < len(lines) and not _KEY.match(lines[i + 1].fold):
                i += 1  # key and value in separate cells
                value = lines[i].text.strip()
            facts.setdefault(key, _value(key, value))
            last = i
        elif first is not None and i - last > 2:
            break
        i += 1
    if len(facts) < 3 or first is None:
        return None, 0
    if 0 < first <= 3:  # the portal's own title line above the block
        facts["title"] = " ".join(x.text.strip() for x in lines[:first])
    return facts, last + 1
