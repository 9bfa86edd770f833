"""Plain text: UTF-8 (with or without BOM) and UTF-16; one block per line.

Text in a legacy Vietnamese font encoding (TCVN3, VNI; see legacy.py) is converted: as
UTF-8 or UTF-16 holding the 8-bit codes as characters, or as the 8-bit bytes themselves,
read as Windows-1252 (Latin-1 where 1252 leaves a byte undefined).
"""
from __future__ import annotations

import codecs

from pipeline.ingest import legacy
from pipeline.ingest.registry import register
from pipeline.model import Block, ReadError


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises ReadError when the bytes are not text."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-16 without BOM: every other byte of ASCII-heavy text is NUL.
    if len(data) >= 4 and data.count(0) > len(data) // 4:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                continue
    raise ReadError("not_text")


def lines_to_blocks(text: str) -> list[Block]:
    blocks = []
    for i, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if line.strip():
            blocks.append(Block(index=i, text=line, kind="line"))
    return blocks


@register("txt", ".txt", ".text", ".md")
def read_txt(data: bytes) -> tuple[list[Block], dict]:
    try:
        text, enc = decode_text(data)
        found = legacy.detect(text)
    except ReadError:
        text, enc, found = _decode_8bit(data)
    if "\x00" in text:
        raise ReadError("not_text")
    blocks = lines_to_blocks(text)
    quality: dict = {"encoding": enc}
    if found is not None:  # the whole text decides; a line in Unicode stays as it is
        changed = 0
        for b in blocks:
            new = legacy.convert_font_text(b.text, (found, False))
            if new != b.text:
                b.text = new
                changed += 1
        quality["legacy_encoding"] = {legacy.TCVN3: 0, legacy.VNI: 0, found: changed}
    return blocks, quality


def _decode_8bit(data: bytes) -> tuple[str, str, str]:
    """Bytes that are no UTF-8/UTF-16: accepted only as TCVN3 or VNI text."""
    try:
        text, enc = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, enc = data.decode("latin-1"), "latin-1"
    found = legacy.detect(text)
    if found is None:
        raise ReadError("not_text")
    return text, enc, found
