"""Python API: the stages chained, importable."""
from __future__ import annotations

import os

from pipeline.ingest import DEFAULT_MAX_SIZE, read, read_bytes
from pipeline.model import ParsedDocument, RawDocument
from pipeline.normalize import normalize
from pipeline.structure import structure


def parse_raw(raw: RawDocument) -> ParsedDocument:
    return structure(normalize(raw))


def parse_file(path: str | os.PathLike, max_size: int = DEFAULT_MAX_SIZE) -> ParsedDocument:
    """Read, normalize and structure one file. Raises ReadError for unreadable input."""
    return parse_raw(read(path, max_size=max_size))


def parse_bytes(data: bytes, name: str = "upload", suffix: str = "") -> ParsedDocument:
    return parse_raw(read_bytes(data, name, suffix))
