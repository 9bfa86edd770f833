"""Normalize stage: RawDocument -> NormDocument.

Entry point: `normalize(raw)`. Per block: NFC, invisible characters dropped, runs of
white space folded to one space (a run holding a line break becomes one "\\n"), and the
folded matching form. Each normalized character keeps the offset of its source
character so evidence can be quoted from, and located in, the original text.
"""
from __future__ import annotations

import re
import unicodedata

from pipeline.model import NormBlock, NormDocument, RawDocument
from pipeline.vntext import fold

INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
LINE_BREAKS = {"\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c"}


_SLOW = re.compile("[" + "".join(INVISIBLE) + "]")


def normalize_text(text: str) -> tuple[str, list[int]]:
    """Return (normalized text, offsets into `text`), offsets having one extra end entry."""
    if unicodedata.is_normalized("NFC", text) and not _SLOW.search(text):
        return _normalize_nfc(text)
    return _normalize_slow(text)


_ODD_SPACE = re.compile(r"\s{2,}|[^\S ]")


def _normalize_nfc(text: str) -> tuple[str, list[int]]:
    """The common case, NFC text without invisible characters: only white space changes.

    Single spaces between words need no work, so the text is copied in slices between the runs
    of white space that do change (several spaces, tabs, breaks), with offsets as ranges.
    """
    lo, hi = 0, len(text)
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    parts: list[str] = []
    offsets: list[int] = []
    pos = lo
    for m in _ODD_SPACE.finditer(text, lo, hi):
        parts.append(text[pos:m.start()])
        offsets.extend(range(pos, m.start()))
        run = m.group()
        parts.append("\n" if any(c in LINE_BREAKS for c in run) else " ")
        offsets.append(m.start())
        pos = m.end()
    parts.append(text[pos:hi])
    offsets.extend(range(pos, hi))
    offsets.append(hi)
    return "".join(parts), offsets


def _joins(c: str) -> bool:
    """A character NFC may compose with what precedes it: combining marks, Hangul vowels and finals."""
    return bool(unicodedata.combining(c)) or "\u1160" <= c <= "\u11ff"


def _normalize_slow(text: str) -> tuple[str, list[int]]:
    # invisible characters go first, so a mark separated from its letter by one still composes
    keep = [k for k, c in enumerate(text) if c not in INVISIBLE]
    visible = "".join(text[k] for k in keep)
    keep.append(len(text))
    out: list[str] = []
    offsets: list[int] = []
    pending_space: str | None = None  # " " or "\n" waiting for the next visible char
    pending_at = 0
    i, n = 0, len(visible)
    while i < n:
        ch = visible[i]
        if ch.isspace():
            if pending_space is None:
                pending_space, pending_at = " ", keep[i]
            if ch in LINE_BREAKS:
                pending_space = "\n"
            i += 1
            continue
        # a base character and the marks that follow it compose together
        j = i + 1
        while j < n and _joins(visible[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", visible[i:j]) if j > i + 1 or ord(ch) > 0x7F else ch
        if pending_space is not None:
            if out:
                out.append(pending_space)
                offsets.append(pending_at)
            pending_space = None
        for c in cluster:
            out.append(c)
            offsets.append(keep[i])
        last_end = keep[j - 1] + 1
        i = j
    offsets.append(last_end if out else 0)
    return "".join(out), offsets


def normalize(raw: RawDocument) -> NormDocument:
    blocks = []
    recomposed = 0
    for b in raw.blocks:
        text, offsets = normalize_text(b.text)
        if text:
            blocks.append(NormBlock(block=b, text=text, fold=fold(text), offsets=offsets))
            if not b.text.isascii() and not unicodedata.is_normalized("NFC", b.text):
                recomposed += 1
    quality = {"nfc_recomposed_blocks": recomposed} if recomposed else {}
    return NormDocument(raw=raw, blocks=blocks, quality=quality)
