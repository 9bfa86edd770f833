"""Lines: the unit the structure parsers work on (a block split at its line breaks)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from pipeline.model import Location, NormBlock, NormDocument

SEPARATOR = re.compile(r"^[\s\-_=*.…~–—]{3,}$")


@dataclass
class Line:
    pos: int  # position in the document's line list
    nb: NormBlock
    start: int  # span in nb.text
    end: int
    text: str
    fold: str

    @property
    def block(self) -> int:
        return self.nb.block.index

    @property
    def is_separator(self) -> bool:
        return bool(SEPARATOR.match(self.text))

    @cached_property
    def is_upper(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return bool(letters) and sum(c.isupper() for c in letters) >= 0.9 * len(letters)

    def location(self, path: str, part: int, start: int = 0, end: int | None = None) -> Location:
        """Location of text[start:end] of this line, as offsets in the original block text."""
        s = self.start + start
        e = self.start + (len(self.text) if end is None else end)
        o0, o1 = self.nb.span(s, e)
        return Location(path=path, part=part, block=self.block, start=o0, end=o1,
                        page=self.nb.block.page)


def build_lines(norm: NormDocument) -> list[Line]:
    lines: list[Line] = []
    for nb in norm.blocks:
        pos = 0
        for piece in nb.text.split("\n"):
            start, end = pos, pos + len(piece)
            pos = end + 1
            if piece.strip():
                lines.append(Line(len(lines), nb, start, end, piece, nb.fold[start:end]))
    return lines
