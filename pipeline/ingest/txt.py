"""Plain text: UTF-8 (with or without BOM) and UTF-16; one block per line."""
from __future__ import annotations

import codecs

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
    text, enc = decode_text(data)
    if "\x00" in text:
        raise ReadError("not_text")
    return lines_to_blocks(text), {"encoding": enc}
