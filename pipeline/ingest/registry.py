"""Readers register here by format; adding a format touches one module and one decorator."""
from __future__ import annotations

from typing import Callable

from pipeline.model import Block

# A reader takes the file's bytes and returns its blocks plus quality notes.
Reader = Callable[[bytes], "tuple[list[Block], dict]"]

READERS: dict[str, Reader] = {}
EXTENSIONS: dict[str, str] = {}


def register(fmt: str, *extensions: str):
    def deco(fn: Reader) -> Reader:
        READERS[fmt] = fn
        for ext in extensions:
            EXTENSIONS[ext] = fmt
        return fn

    return deco
