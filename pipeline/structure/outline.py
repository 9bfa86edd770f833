"""Outline: Phần/Chương/Mục/Điều/khoản/điểm or I./1./1.1./a)/-/+ items as a tree."""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Issue, OutlineItem
from pipeline.structure.lines import Line

ROMAN = r"[IVXLC]+"
# (kind, rank, pattern): smaller rank = higher in the tree. Order matters: first match wins.
PATTERNS: list[tuple[str, int, re.Pattern]] = [
    ("phan", 0, re.compile(r"^phần\s+(thứ\s+[^\s.:]+|[ivxlc]+|\d+)\b\s*[.:\-–]?\s*(.*)$")),
    ("chuong", 1, re.compile(r"^chương\s+([ivxlc]+|\d+)\b\s*[.:\-–]?\s*(.*)$")),
    ("muc", 2, re.compile(r"^mục\s+(\d+|[ivxlc]+)\b\s*[.:\-–]?\s*(.*)$")),
    ("dieu", 4, re.compile(r"^điều\s+(\d+[a-z]?)\s*[.:]\s*(.*)$|^điều\s+(\d+[a-z]?)\s*$")),
    ("roman", 3, re.compile(r"^([ivxlc]+)\s*[.)]\s*(.*)$|^([ivxlc]+)\s*[-–]\s+(.*)$")),
    ("decimal", 6, re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(.*)$")),
    ("arabic", 5, re.compile(r"^(\d{1,3})\s*[.)](?!\d)\s*(.*)$")),
    ("letter", 7, re.compile(r"^([a-zđ])\s*\)\s*(.*)$|^([a-zđ])\.\s+(.*)$")),
    ("dash", 8, re.compile(r"^[-–—−]\s*(.*)$")),
    ("plus", 9, re.compile(r"^[+•●▪◦]\s*(.*)$")),
]
CONCLUSION = ("trên đây là", "trên đây,")
HEADING_KINDS = {"phan", "chuong", "muc", "roman"}
LETTERS = "abcdđeghiklmnopqrstuvxy"
ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
PATH_NAMES = {"phan": "Phần", "chuong": "Chương", "muc": "Mục", "dieu": "Điều",
              "khoan": "khoản", "diem": "điểm"}


@dataclass
class ItemMatch:
    kind: str
    rank: int
    label: str
    rest_start: int  # where the text after the label starts in the line


def roman_value(s: str) -> int | None:
    s = s.lower()
    if not re.fullmatch(r"m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})", s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = ROMAN_VALUES[a]
        total += -v if b != " " and ROMAN_VALUES.get(b, 0) > v else v
    return total


def match_item(line: Line) -> ItemMatch | None:
    f = line.fold
    for kind, rank, pat in PATTERNS:
        m = pat.match(f)
        if not m:
            continue
        groups = [g for g in range(1, (m.lastindex or 0) + 1) if m.group(g) is not None]
        if kind in ("dash", "plus"):
            label = "-" if kind == "dash" else "+"
            return ItemMatch(kind, rank, label, m.start(1))
        label_g = groups[0]
        rest_g = groups[1] if len(groups) > 1 else None
        label = line.text[m.start(label_g):m.end(label_g)]
        if kind == "roman":
            if roman_value(label) is None or not line.text[m.start(label_g)].isupper():
                continue
        if kind == "letter" and not line.text[m.start(label_g)].islower():
            continue
        if kind in ("chuong", "phan", "muc") and label.lower() == label and kind != "phan" \
                and not label.isdigit():
            label = label.upper()
        if kind == "phan" and label.lower().startswith("thứ"):
            label = line.text[m.start(label_g):m.end(label_g)]
        rest_start = m.start(rest_g) if rest_g else len(line.text)
        if kind == "arabic" and rest_start < len(line.text) and not line.text[rest_start:].strip():
            rest_start = len(line.text)
        return ItemMatch(kind, rank, label, rest_start)
    return None


def _sequence_value(kind: str, label: str) -> int | None:
    if kind in ("roman",) or (kind in ("chuong", "phan", "muc") and roman_value(label)):
        return roman_value(label)
    if label.isdigit():
        return int(label)
    if kind in ("letter",) and label in LETTERS:
        return LETTERS.index(label) + 1
    return None


class OutlineBuilder:
    """Feeds body lines one by one; numbered lines open items, other lines extend the current one."""

    def __init__(self, part: int, part_name: str):
        self.part = part
        self.part_name = part_name
        self.roots: list[OutlineItem] = []
        self.stack: list[OutlineItem] = []
        self.texts: dict[int, list[str]] = {}
        self.pending_title: OutlineItem | None = None  # "Chương I" waiting for its title line
        self.issues: list[Issue] = []
        self.intro: list[Line] = []
        self.outro: list[Line] = []
        self.last_dieu: int | None = None
        self.bullets: dict[tuple[int, str], int] = {}

    def _path(self, parent: OutlineItem | None, item_kind: str, label: str, siblings: list) -> str:
        base = parent.location.path if parent else self.part_name
        if item_kind in PATH_NAMES:
            seg = f"{PATH_NAMES[item_kind]} {label}"
        elif item_kind in ("dash", "plus"):
            key = (id(siblings), item_kind)  # counted as they come: a long list stays linear
            self.bullets[key] = self.bullets.get(key, 0) + 1
            seg = f"{'gạch đầu dòng' if item_kind == 'dash' else 'ý +'} {self.bullets[key]}"
        else:
            seg = label
        return f"{base} › {seg}"

    def feed(self, line: Line) -> None:
        m = match_item(line)
        if self.pending_title is not None:
            item = self.pending_title
            self.pending_title = None
            if m is None and len(line.text.split()) <= 25:
                item.title = line.text.strip()
                self.texts[id(item)].append(line.text.strip())
                item.lines.append(line)
                return
        if m is None and line.fold.startswith(CONCLUSION):
            self.stack = []  # "Trên đây là …" closes the outline; it belongs to no item
            self.outro.append(line)
            return
        if m is None:
            if self.stack:
                self.texts[id(self.stack[-1])].append(line.text.strip())
                self.stack[-1].lines.append(line)
            else:
                self.intro.append(line)
            return
        self.open(line, m)

    def open(self, line: Line, m: ItemMatch) -> None:
        while self.stack and self.stack[-1].level >= m.rank:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        kind = m.kind
        in_dieu = any(s.kind == "dieu" for s in self.stack)
        if kind == "arabic" and parent is not None and parent.kind == "dieu":
            kind = "khoan"
        elif kind == "letter" and in_dieu:
            kind = "diem"
        siblings = parent.children if parent else self.roots
        rest = line.text[m.rest_start:].strip()
        item = OutlineItem(label=m.label, kind=kind, title=None, text="",
                           location=line.location(self._path(parent, kind, m.label, siblings),
                                                  self.part),
                           level=m.rank, blocks=[line.block], lines=[line])
        self.texts[id(item)] = [rest] if rest else []
        if m.kind in HEADING_KINDS or kind == "dieu":
            item.title = rest or None
            if not rest and m.kind in ("chuong", "phan", "muc"):
                self.pending_title = item
        self._check_sequence(item, siblings, line)
        siblings.append(item)
        self.stack.append(item)

    def _check_sequence(self, item: OutlineItem, siblings: list[OutlineItem], line: Line) -> None:
        if item.kind in ("dash", "plus"):
            return
        if item.kind == "dieu":
            prev_value = self.last_dieu
            self.last_dieu = int(re.match(r"\d+", item.label).group())
            value = self.last_dieu
        elif item.kind == "decimal":
            same = [s for s in siblings if s.kind == "decimal"]
            prefix, _, last = item.label.rstrip(".").rpartition(".")
            prev = same[-1].label.rstrip(".").rpartition(".") if same else None
            if not prev or prev[0] != prefix:
                return
            prev_value, value = int(prev[2]), int(last)
        else:
            same = [s for s in siblings if s.kind == item.kind]
            prev_value = _sequence_value(item.kind, same[-1].label.lower()) if same else None
            value = _sequence_value(item.kind, item.label.lower())
        if value is None or prev_value is None or (value == 1 and prev_value > 1):
            return  # a list that starts again at 1 (or a, I) is a new list, not a mistake
        if value == prev_value:
            code, msg = "numbering_repeated", f"Số thứ tự {item.label} bị lặp lại"
        elif value > prev_value + 1:
            code, msg = "numbering_skipped", f"Số thứ tự nhảy đến {item.label}"
        elif value < prev_value:
            code, msg = "numbering_out_of_order", f"Số thứ tự {item.label} không theo thứ tự"
        else:
            return
        self.issues.append(Issue(code, msg, item.location))

    def finish(self) -> list[OutlineItem]:
        for root in self.roots:
            for item in root.walk():
                parts = self.texts.get(id(item), [])
                item.text = "\n".join(parts)
                if item.title is None and item.kind not in ("dash", "plus", "dieu") and parts:
                    first = parts[0]
                    # a heading: no closing punctuation, and items or paragraphs below it
                    limit = 40 if item.children else 15 if len(parts) > 1 else 0
                    if len(first.split()) <= limit and not first.endswith((".", ";", ":", ",")):
                        item.title = first
                if item.kind == "dieu" and item.title and item.title.endswith((".", ";")) \
                        and len(item.title.split()) > 15:
                    item.title = None
        return self.roots
