"""What an upload is, from its bytes only: the client's file name and content type are never trusted."""
from __future__ import annotations

import io
import zipfile

from pipeline.ingest import sniff_format
from pipeline.ingest.txt import decode_text
from pipeline.model import ReadError

ACCEPTED = ("docx", "pdf", "txt", "doc", "html")
# Common binary formats that a text check on 8-bit bytes could otherwise let through.
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!",
                 b"II*\x00", b"MM\x00*", b"RIFF", b"\x00\x00\x01\x00", b"{\\rtf")


def _looks_like_text(data: bytes) -> bool:
    try:
        text, _ = decode_text(data)
    except ReadError:  # 8-bit bytes (legacy TCVN3/VNI files are): text only without control bytes
        sample = data[:65536]
        bad = sum(1 for b in sample if b < 0x20 and b not in (9, 10, 12, 13))
        return bad <= len(sample) // 200
    sample = text[:65536]
    bad = sum(1 for ch in sample if ord(ch) < 0x20 and ch not in "\t\n\r\f")
    return bad <= len(sample) // 200


def recognise(data: bytes) -> str | None:
    """The upload's format (one of ACCEPTED), or None when it is none of them."""
    if data.startswith(_BINARY_MAGIC):
        return None
    fmt = sniff_format(data, "")
    if fmt == "docx":
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "docx"  # a damaged Word file: the reader says so (422), it is not a wrong type
        return "docx" if "word/document.xml" in names else None
    if fmt == "txt":
        return "txt" if _looks_like_text(data) else None
    return fmt if fmt in ACCEPTED else None
