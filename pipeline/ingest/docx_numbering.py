"""Word automatic numbering: numbering.xml definitions plus Word's counting rules.

python-docx drops generated list labels ("Điều 1.", "a)"); `Numbering.label()` rebuilds
them, one call per numbered paragraph in document order.

Counting rules (checked against LibreOffice's rendering, PLATFORM-NOTES §5):
1. nums sharing an abstractNum continue one sequence; a num's startOverride for a level
   sets that level's counter where the num first uses that level (not where the num
   first appears: LibreOffice shows "2.1." for a restarting num first used at level 1);
2. deeper levels restart when a higher level advances (or as `w:lvlRestart` says);
3. a level used before its parents makes each unseen parent count as its start value.
`w:lvlRestart` and `w:isLgl` follow Word; LibreOffice 7.4 ignores both when it renders.
"""
from __future__ import annotations

import re
from typing import Callable

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = W + "val"
_PLACEHOLDER = re.compile(r"%([1-9])")
_OFF = ("0", "false", "off")
_START, _NUMFMT, _LVLTEXT, _RESTART, _SUFF, _ISLGL, _PSTYLE = (
    W + t for t in ("start", "numFmt", "lvlText", "lvlRestart", "suff", "isLgl", "pStyle"))

# Private-use code points of Symbol / Wingdings bullets, as they render on screen.
_PUA_BULLETS = {
    0xF0B7: "•", 0xF02D: "-", 0xF0A7: "▪", 0xF0D8: "➢", 0xF076: "❖", 0xF0FC: "✓",
    0xF06E: "■", 0xF071: "❑", 0xF0A8: "◆", 0xF0E0: "→", 0xF0F0: "⇨", 0xF0B2: "◊",
    0xF0D7: "⮚", 0xF075: "◆", 0xF06C: "●", 0xF0A1: "○", 0xF0FB: "✗",
}


MAX_START = 32767  # Word's own bounds: start values 0..32767, list levels 0..8
MAX_LEVEL = 8


def _int(el, default: int | None = None) -> int | None:
    if el is None:
        return default
    try:
        return max(-1, min(MAX_START, int(el.get(_VAL))))  # a hostile "999999999999" must not run away
    except (TypeError, ValueError):
        return default


class Level:
    __slots__ = ("start", "fmt", "text", "restart", "suff", "legal", "pstyle")

    def __init__(self, el):
        self.start, self.fmt, self.text = 0, "decimal", ""
        self.restart = self.pstyle = None
        self.suff, self.legal = "tab", False
        for ch in el:  # one pass over the children; find() is slow on these trees
            tag = ch.tag
            if tag == _START:
                self.start = _int(ch, 0)
            elif tag == _NUMFMT:
                self.fmt = ch.get(_VAL, "decimal")
            elif tag == _LVLTEXT:
                self.text = ch.get(_VAL) or ""
            elif tag == _RESTART:
                self.restart = _int(ch)
            elif tag == _SUFF:
                self.suff = ch.get(_VAL, "tab")
            elif tag == _ISLGL:
                self.legal = ch.get(_VAL, "1") not in _OFF
            elif tag == _PSTYLE:
                self.pstyle = ch.get(_VAL)


def _roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                       (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    # Word repeats the letter past z: y, z, aa, bb ...
    return chr(97 + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt == "none":
        return ""
    if n <= 0 and fmt in ("lowerLetter", "upperLetter", "lowerRoman", "upperRoman"):
        return str(n)  # no letter or Roman form for 0
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    return str(n)  # decimal and formats we do not spell out


def bullet_text(text: str) -> str:
    return "".join(_PUA_BULLETS.get(ord(ch), ch) for ch in text)


class Numbering:
    """Numbering definitions plus the running counters of one document walk.

    Definitions are parsed on first use: documents often carry dozens of unused
    abstractNums, and python-docx's element proxies make each lookup costly.
    """

    def __init__(self, root, style_num_id: Callable[[str], str | None] = lambda s: None):
        self._abstract_el = {a.get(W + "abstractNumId"): a for a in root.iterchildren(W + "abstractNum")}
        self._num_el = {n.get(W + "numId"): n for n in root.iterchildren(W + "num")}
        self._abstracts: dict[str, tuple[dict[int, Level], str | None]] = {}
        # numId -> (abstractNumId, {ilvl: startOverride}, {ilvl: Level replacing the abstract one})
        self._nums: dict[str, tuple[str, dict[int, int], dict[int, Level]] | None] = {}
        self._style_num_id = style_num_id
        self._resolved: dict[str, tuple[str, dict[int, Level]] | None] = {}
        self._counters: dict[str, dict[int, int]] = {}  # sequence key (abstractNumId) -> level -> count
        self._applied: set[tuple[str, int]] = set()  # (numId, level) whose startOverride was used

    def _abstract(self, aid: str) -> tuple[dict[int, Level], str | None] | None:
        """Levels of an abstractNum and the numbering style it links to (numStyleLink)."""
        if aid not in self._abstracts:
            a = self._abstract_el.get(aid)
            if a is None:
                return None
            link = a.find(W + "numStyleLink")
            self._abstracts[aid] = ({_int_attr(lvl): Level(lvl) for lvl in a.iterchildren(W + "lvl")},
                                    link.get(_VAL) if link is not None else None)
        return self._abstracts[aid]

    def _num(self, num_id: str):
        if num_id not in self._nums:
            n = self._num_el.get(num_id)
            ref = n.find(W + "abstractNumId") if n is not None else None
            if ref is None:
                self._nums[num_id] = None
            else:
                starts, levels = {}, {}
                for ov in n.iterchildren(W + "lvlOverride"):
                    ilvl = _int_attr(ov)
                    so = ov.find(W + "startOverride")
                    if so is not None:
                        starts[ilvl] = _int(so, 0)
                    lvl = ov.find(W + "lvl")
                    if lvl is not None:
                        levels[ilvl] = Level(lvl)
                self._nums[num_id] = (ref.get(_VAL), starts, levels)
        return self._nums[num_id]

    def _abstract_of(self, num_id: str) -> tuple[str, dict[int, Level]] | None:
        """abstractNumId and its levels, following numStyleLink through the numbering style."""
        if num_id in self._resolved:
            return self._resolved[num_id]
        result = None
        entry = self._num(num_id)
        seen = set()
        while entry is not None:
            aid = entry[0]
            if aid in seen:
                break
            seen.add(aid)
            abstract = self._abstract(aid)
            if abstract is None:
                break
            levels, style = abstract
            if style is None:
                result = (aid, levels)
                break
            target = self._style_num_id(style)
            entry = self._num(target) if target else None
        self._resolved[num_id] = result
        return result

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        """The level whose w:pStyle names `style_id` (how a style linked to a list gets its level)."""
        found = self._abstract_of(num_id)
        if found:
            for ilvl, lvl in found[1].items():
                if lvl.pstyle == style_id:
                    return ilvl
        return None

    def _start(self, num_id: str, k: int, levels: dict[int, Level], starts: dict[int, int]) -> int:
        if k in starts:
            self._applied.add((num_id, k))
            return starts[k]
        return levels[k].start if k in levels else 0

    def label(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """Advance the counters for one paragraph; return (label, suffix) or None."""
        ilvl = max(0, min(MAX_LEVEL, ilvl))
        found = self._abstract_of(num_id)
        if found is None:
            return None
        key, levels = found
        _, starts, overrides = self._num(num_id)
        if overrides:
            levels = {**levels, **overrides}
        lv = levels.get(ilvl)
        if lv is None:
            return None
        counters = self._counters.setdefault(key, {})
        for k in range(ilvl):  # rule 3: an unseen parent shows its start value
            if k not in counters:
                counters[k] = self._start(num_id, k, levels, starts)
        if ilvl in starts and (num_id, ilvl) not in self._applied:
            # a startOverride takes effect where the num first uses that level
            self._applied.add((num_id, ilvl))
            counters[ilvl] = starts[ilvl]
        else:
            counters[ilvl] = counters.get(ilvl, (levels[ilvl].start if ilvl in levels else 0) - 1) + 1
        for k in [k for k in counters if k > ilvl]:
            restart = levels[k].restart if k in levels else None
            # lvlRestart is 1-based; 0 means "never restart"
            if restart is None or (restart != 0 and ilvl < restart):
                del counters[k]
        if lv.fmt == "bullet":
            return bullet_text(lv.text), lv.suff

        def repl(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lk = levels.get(k)
            fmt = lk.fmt if lk is not None else "decimal"
            if lv.legal and fmt != "none":
                fmt = "decimal"
            n = counters.get(k, lk.start if lk is not None else 0)
            return format_number(n, fmt)

        return _PLACEHOLDER.sub(repl, lv.text), lv.suff


def _int_attr(el) -> int:
    try:
        return max(0, min(MAX_LEVEL, int(el.get(W + "ilvl"))))
    except (TypeError, ValueError):
        return 0
