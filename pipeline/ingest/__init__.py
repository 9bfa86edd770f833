"""Ingest stage: a file on disk -> RawDocument (blocks with provenance).

Entry point: `read(path)`. Readers live one per module and register by format.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pipeline.ingest import registry
from pipeline.ingest import txt as _txt  # noqa: F401  (registers the reader)
from pipeline.model import RawDocument, ReadError

for _optional in ("docx", "pdf", "html", "doc"):
    try:  # readers added by later work register themselves when present
        __import__(f"pipeline.ingest.{_optional}_reader")
    except ModuleNotFoundError as exc:
        if exc.name != f"pipeline.ingest.{_optional}_reader":
            raise

DEFAULT_MAX_SIZE = 50 * 1024 * 1024


def sniff_format(data: bytes, suffix: str) -> str | None:
    """The format from the content first; the file name only breaks ties."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if suffix != ".odt" else None
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p")):
        return "html"
    return registry.EXTENSIONS.get(suffix, "txt" if suffix in ("", ".txt") else None)


def read(path: str | os.PathLike, max_size: int = DEFAULT_MAX_SIZE) -> RawDocument:
    p = Path(path)
    if p.is_symlink():
        raise ReadError("symlink")
    if not p.exists():
        raise ReadError("not_found")
    if p.is_dir():
        raise ReadError("is_directory")
    size = p.stat().st_size
    if size > max_size:
        raise ReadError("too_large", f"{size} > {max_size}")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError("unreadable", exc.strerror or "") from exc
    return read_bytes(data, str(path), p.suffix.lower())


def read_bytes(data: bytes, name: str, suffix: str = "") -> RawDocument:
    if not data.strip():
        raise ReadError("empty")
    fmt = sniff_format(data, suffix)
    if fmt is None:
        raise ReadError("unsupported", suffix)
    reader = registry.READERS.get(fmt)
    if reader is None:
        raise ReadError("format_not_supported", fmt)
    blocks, quality = reader(data)
    if not any(b.text.strip() for b in blocks):
        if quality.get("needs_ocr"):  # a scan where OCR was not possible or read nothing
            if quality.get("ocr_pages") is not None:
                raise ReadError("ocr_failed", "0 chars")
            raise ReadError("needs_ocr")
        raise ReadError("no_text")
    return RawDocument(file=name, sha256=hashlib.sha256(data).hexdigest(), format=fmt,
                       blocks=blocks, quality=quality)
