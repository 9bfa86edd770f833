"""Typed models passed between the stages: ingest -> normalize -> structure.

Every stage takes one of these and returns the next; nothing downstream re-reads a file
or re-parses text that an upstream model already carries.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

FORMATS = ("docx", "doc", "pdf", "txt", "html")


# --------------------------------------------------------------------------- ingest
@dataclass
class Block:
    """One paragraph (or table-cell paragraph, or text line) as a reader sees it.

    `text` is what a person sees on screen, including numbering that Word generates
    (python-docx drops it; the DOCX reader puts it back and records it in `numbering`).
    """

    index: int  # position of the paragraph / cell paragraph / line in the source, 0-based
    text: str
    kind: str = "paragraph"  # "paragraph" | "cell" | "line"
    page: int | None = None  # 1-based PDF page
    table: int | None = None  # table index, for cells
    row: int | None = None
    col: int | None = None
    style: str | None = None
    bold: bool | None = None  # True when every non-blank run is bold
    italic: bool | None = None
    align: str | None = None  # "left" | "center" | "right" | "both"
    numbering: str | None = None  # label produced by automatic numbering, e.g. "Điều 1." or "a)"
    font: str | None = None


@dataclass
class RawDocument:
    file: str
    sha256: str
    format: str  # one of FORMATS
    blocks: list[Block]
    quality: dict[str, Any] = field(default_factory=dict)


class ReadError(Exception):
    """An input that cannot be read. `code` selects the localized message."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# ------------------------------------------------------------------------ normalize
@dataclass
class NormBlock:
    """A block's text normalized for matching, with a map back to the original.

    `text`: NFC, whitespace collapsed and stripped, tone marks as written (used for display).
    `fold`: `text` lower-cased with one tone-mark style; same length as `text`, so an
            index into `fold` is an index into `text`.
    `offsets[i]`: index in `block.text` of `text[i]`; `offsets[len(text)]` is the end.
    """

    block: Block
    text: str
    fold: str
    offsets: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `text` to the block's original text."""
        return self.offsets[start], self.offsets[end]


@dataclass
class NormDocument:
    raw: RawDocument
    blocks: list[NormBlock]
    quality: dict[str, Any] = field(default_factory=dict)  # what normalization changed


# ------------------------------------------------------------------------ structure
@dataclass
class Location:
    path: str
    part: int
    block: int
    start: int
    end: int
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        # by hand: dataclasses.asdict deep-copies, and every finding's evidence goes through here
        return {"path": self.path, "part": self.part, "block": self.block, "start": self.start, "end": self.end,
                "page": self.page}


@dataclass
class Citation:
    kind: str  # "Luật", "Nghị định", ...
    reference: str | None = None  # "59/2023/NĐ-CP" as written, stray spaces removed
    number: str | None = None
    year: int | None = None
    symbol: str | None = None
    date: str | None = None  # YYYY-MM-DD
    issuer: str | None = None
    title: str | None = None
    start: int = 0  # span in the clause text (normalized)
    end: int = 0
    nested: list["Citation"] = field(default_factory=list)
    # set by structure.registry for a legal basis's top-level citations (resolved=True)
    resolved: bool = False
    instrument: str | None = None  # the registry id it names, None when unknown
    match: str | None = None  # "reference" | "title" | "ambiguous"
    conflicts: list[dict] = field(default_factory=list)  # {"field", "document", "registry"}: misquoted parts
    status: str | None = None  # on `status_on`: in_force, amended, superseded, ceased, ..., "unknown"
    status_on: str | None = None  # the header's date (a partial date: last day of its period)

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in
             ("kind", "reference", "number", "year", "symbol", "date", "issuer", "title")}
        if self.resolved:
            d.update({k: getattr(self, k) for k in ("instrument", "match", "conflicts", "status", "status_on")})
        if self.nested:
            d["nested"] = [c.to_dict() for c in self.nested]
        return d


@dataclass
class LegalBasis:
    text: str
    intro: str  # "Căn cứ" | "Thực hiện" ...
    citations: list[Citation]
    location: Location

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "intro": self.intro,
                "citations": [c.to_dict() for c in self.citations],
                "location": self.location.to_dict()}


@dataclass
class OutlineItem:
    label: str  # numbering token as written, without punctuation: "I", "2", "a", "-", "5"
    kind: str  # phan | chuong | muc | dieu | khoan | diem | roman | arabic | decimal | letter | dash | plus
    title: str | None
    text: str
    location: Location
    children: list["OutlineItem"] = field(default_factory=list)
    level: int = 0  # rank used to build the tree (smaller is higher)
    blocks: list[int] = field(default_factory=list)  # block indices of the item's own body
    # the item's own lines (structure.lines.Line: label line, then continuation paragraphs), so a
    # later stage can quote any span of the item from the original text without re-parsing
    lines: list[Any] = field(default_factory=list, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "kind": self.kind, "title": self.title, "text": self.text,
                "location": self.location.to_dict(),
                "children": [c.to_dict() for c in self.children]}

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class DocDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Header:
    issuer: list[str] = field(default_factory=list)
    motto: bool = False
    reference: str | None = None
    number: str | None = None
    symbol: str | None = None
    doc_type: str | None = None
    place: str | None = None
    date: DocDate | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"issuer": self.issuer, "motto": self.motto, "reference": self.reference,
                "number": self.number, "symbol": self.symbol, "doc_type": self.doc_type,
                "place": self.place, "date": self.date.to_dict() if self.date else None,
                "title": self.title}


@dataclass
class Signer:
    authority: str | None = None  # "TM." | "KT." | "Q." | "TL." | "TUQ." ...
    body: str | None = None  # "ỦY BAN NHÂN DÂN" after "TM."
    title: str | None = None
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Closing:
    recipients: list[str] = field(default_factory=list)
    signer: Signer = field(default_factory=Signer)

    def to_dict(self) -> dict[str, Any]:
        return {"recipients": self.recipients, "signer": self.signer.to_dict()}


@dataclass
class Issue:
    code: str
    message: str
    location: Location | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message,
                "location": self.location.to_dict() if self.location else None}


@dataclass
class Part:
    """A document part: the main instrument, or a regulation attached to a decision."""

    index: int
    role: str  # "main" | "attachment"
    doc_type: str | None
    title: str | None
    header_lines: list[str]
    legal_bases: list[LegalBasis]
    outline: list[OutlineItem]
    first_block: int
    last_block: int
    issued_by: int | None = None  # for an attachment: the part that issues it
    reference: str | None = None  # "(Ban hành kèm theo Quyết định số .../QĐ-UBND ...)"

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "role": self.role, "doc_type": self.doc_type,
                "title": self.title, "header_lines": self.header_lines,
                "issued_by": self.issued_by, "reference": self.reference,
                "legal_bases": [b.to_dict() for b in self.legal_bases],
                "outline": [o.to_dict() for o in self.outline],
                "blocks": [self.first_block, self.last_block]}


@dataclass
class ParsedDocument:
    file: str
    sha256: str
    format: str
    header: Header
    legal_bases: list[LegalBasis]
    outline: list[OutlineItem]
    closing: Closing
    parts: list[Part]
    issues: list[Issue]
    quality: dict[str, Any]
    portal: dict[str, str] | None = None  # metadata block copied from a legal portal
    norm: NormDocument | None = None  # kept for later stages (evidence quoting); not serialized

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "format": self.format,
                "header": self.header.to_dict(),
                "legal_bases": [b.to_dict() for b in self.legal_bases],
                "outline": [o.to_dict() for o in self.outline],
                "closing": self.closing.to_dict(),
                "parts": [p.to_dict() for p in self.parts],
                "issues": [i.to_dict() for i in self.issues],
                "quality": self.quality,
                "portal": self.portal}
