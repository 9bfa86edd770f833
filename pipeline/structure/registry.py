"""The instrument registry (rules/legal-basis/registry/*.yaml) and the resolution of a citation to it.

`registry()` loads and validates the data once (pydantic; an error names the file and the field).
`resolve(citation, on)` says which known instrument a parsed citation names — by its reference in any
common spelling ("59/2023/NĐ-CP", "59/2023/ND-CP", "59-2023-NĐ-CP", "NĐ 59/2023"), or by its title when
the number is absent — and what in the citation disagrees with the registry (date, issuer, number, kind).
`Instrument.status(day)` gives the instrument's status on a day from its dated history.

Lives in `structure` so `dccs parse` can show each citation's instrument; the check stage reuses it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.vntext import fold

REGISTRY_DIR = Path(__file__).resolve().parents[2] / "rules" / "legal-basis" / "registry"
Confidence = Literal["verified", "web", "unverified"]
# statuses on a day, from the history; `ceased` and `superseded` are what the legal-basis pack flags
STATUSES = ("not_yet_issued", "not_yet_effective", "in_force", "amended", "superseded", "ceased")
# issuers recognised in a citation's "của …", longest first ("Thủ tướng Chính phủ" before "Chính phủ")
ISSUERS = ("Ủy ban Thường vụ Quốc hội", "Quốc hội", "Thủ tướng Chính phủ", "Chính phủ", "Bộ Nội vụ",
           "Bộ Lao động - Thương binh và Xã hội", "Tổng Liên đoàn Lao động Việt Nam", "Bộ Chính trị",
           "Ban Chấp hành Trung ương", "Ban Bí thư")


class RegistryError(Exception):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Event(_Strict):
    event: Literal["amended", "partly_ceased", "superseded", "ceased"]
    from_: dt.date = Field(alias="from")  # the first day the event applies
    by: str | None = None  # the amending / replacing / repealing instrument, as a registry id or text
    provision: str | None = None  # where that is said: "Luật 10/2022/QH15 Đ90.2"
    confidence: Confidence = "verified"
    note: str | None = None


class Instrument(_Strict):
    id: str  # the reference as officially written, or a short key for an instrument without one
    kind: str  # "Luật", "Nghị định", ... as the citation parser names kinds
    number: str | None = None  # "59/2023/NĐ-CP"; null for an instrument cited by name only
    title: str  # its subject as cited ("quy định chi tiết một số điều của Luật …", or the law's name)
    names: list[str] = Field(default_factory=list)  # other titles it is cited by
    issuer: str
    issued: dt.date
    effective: dt.date | None = None
    local: bool = False  # a local instrument: the number repeats across provinces, so the date must match too
    history: list[Event] = Field(default_factory=list)
    source: str
    confidence: Confidence = "verified"  # of the identity facts: number, date, issuer
    note: str | None = None

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.effective and self.effective < self.issued:
            raise ValueError("effective is before issued")
        return self

    def status(self, day: dt.date) -> tuple[str, Event | None]:
        """The status on `day` and the event that set it (None for in force as enacted)."""
        if day < self.issued:
            return "not_yet_issued", None
        if self.effective and day < self.effective:
            return "not_yet_effective", None
        current: tuple[str, Event | None] = ("in_force", None)
        rank = {"amended": 1, "partly_ceased": 1, "superseded": 2, "ceased": 3}
        for e in sorted(self.history, key=lambda e: e.from_):
            if e.from_ <= day:
                name = "amended" if e.event == "partly_ceased" else e.event
                if current[1] is None or rank[e.event] >= rank[current[1].event]:
                    current = (name, e)
        return current

    def label(self) -> str:
        return f"{self.kind} số {self.number}" if self.number else f"{self.kind} {self.title}"

    def amenders(self, day: dt.date) -> list[str]:
        return [e.by for e in self.history if e.event == "amended" and e.by and e.from_ <= day]


class _File(_Strict):
    instruments: list[Instrument]


class Registry:
    def __init__(self, instruments: list[Instrument], digest: str):
        self.instruments = instruments
        self.by_id = {i.id: i for i in instruments}
        self.digest = digest
        self.by_key: dict[str, list[Instrument]] = {}
        self.by_title: dict[tuple[str, str], list[Instrument]] = {}
        for i in instruments:
            if i.number:
                self.by_key.setdefault(ref_key(i.number), []).append(i)
            for t in [i.title, *i.names]:
                self.by_title.setdefault((i.kind, title_key(t)), []).append(i)


def ref_key(reference: str) -> str:
    """One spelling for a reference: "59/2023/ND-CP", "59 / 2023 / NĐ- CP", "59-2023-NĐ-CP" → "59/2023/ND/CP"."""
    k = fold(reference).replace("đ", "d").upper()
    k = re.sub(r"\s+", "", k)
    return re.sub(r"[-–/]+", "/", k).strip("/")


def title_key(title: str) -> str:
    """A title for comparison: folded, punctuation and spacing evened out, a leading connector dropped."""
    t = fold(title).replace("đ", "d")
    t = re.sub(r"^(?:v/v|về việc|về)\s+", "", t)
    t = re.sub(r"[\s,;:.\-–]+", " ", t)
    t = re.sub(r"\s+(?:năm\s+\d{4})$", "", t.strip())
    return t.strip()


def _issuer_of(text: str | None) -> str | None:
    """The known issuer a citation names, if any (case and tone style ignored)."""
    if not text:
        return None
    t = fold(text).replace("uỷ", "ủy")
    for name in ISSUERS:
        if fold(name) in t:
            return name
    return None


@lru_cache(maxsize=2)
def registry(root: Path = REGISTRY_DIR) -> Registry:
    import hashlib

    digest = hashlib.sha256()
    instruments: list[Instrument] = []
    files = sorted(root.glob("*.yaml"))
    if not files:
        raise RegistryError(f"{root}: no registry files")
    for f in files:
        raw = f.read_bytes()
        digest.update(raw)
        try:
            data = _File.model_validate(yaml.safe_load(raw.decode("utf-8")))
        except ValidationError as exc:
            lines = [f"{f}:"]
            for err in exc.errors():
                loc = list(err["loc"])
                if len(loc) >= 2 and loc[0] == "instruments" and isinstance(loc[1], int):
                    try:
                        loc[1] = (yaml.safe_load(raw)["instruments"][loc[1]] or {}).get("id", loc[1])
                    except (KeyError, IndexError, TypeError, AttributeError):
                        pass
                lines.append(f"  {'.'.join(str(x) for x in loc)}: {err['msg']}")
            raise RegistryError("\n".join(lines)) from None
        except yaml.YAMLError as exc:
            raise RegistryError(f"{f}: YAML: {exc}") from None
        instruments.extend(data.instruments)
    seen: set[str] = set()
    for i in instruments:
        if i.id in seen:
            raise RegistryError(f"{root}: id: duplicate instrument {i.id}")
        seen.add(i.id)
    ids = {i.id for i in instruments}
    for i in instruments:
        for e in i.history:
            if e.by and " " not in e.by and e.by not in ids:  # an id, unless written out as text
                raise RegistryError(f"{root}: {i.id}.history.by: {e.by} is not in the registry")
    return Registry(instruments, digest.hexdigest()[:10])


# --------------------------------------------------------------------------------------------- resolution
@dataclass
class Resolution:
    instrument: Instrument | None
    match: str | None = None  # "reference" | "title"
    conflicts: list[dict] = field(default_factory=list)  # {"field", "document", "registry"}
    ambiguous: bool = False  # several known instruments fit and nothing tells them apart

    @property
    def id(self) -> str | None:
        return self.instrument.id if self.instrument else None


def _titles(i: Instrument) -> set[str]:
    return {title_key(t) for t in [i.title, *i.names]}


def _uniquely_numbered(i: Instrument) -> bool:
    """A number with a year segment names one instrument nationwide; "346/QĐ-TTg" repeats every year."""
    return bool(i.number and re.search(r"/(?:19|20)\d\d/", i.number) and not i.local)


def resolve(cit, on: dt.date | None = None, reg: Registry | None = None) -> Resolution:
    """The known instrument a citation names, or Resolution(None) for an unknown one."""
    reg = reg or registry()
    if cit.reference and cit.number:
        hits = reg.by_key.get(ref_key(cit.reference), [])
        if not hits and cit.year:  # "NĐ 59/2023", "59/2023/ND- CP" read as a partial symbol
            hits = [i for i in reg.instruments if i.number and i.kind == cit.kind
                    and ref_key(i.number).startswith(f"{cit.number}/{cit.year}/")]
        for i in hits:
            if not _uniquely_numbered(i) and cit.date != i.issued.isoformat() and not (
                    not i.local and not cit.date and cit.title and title_key(cit.title) in _titles(i)):
                continue  # a local or yearless number: the same number *and* date (or title) is the same instrument
            return Resolution(i, "reference", _conflicts(cit, i, by_reference=True))
    if cit.title:
        # a local or yearless number is never inferred from a title: many provinces issue "Kế hoạch triển khai
        # thi hành Luật …" under their own numbers
        cands = [i for i in reg.by_title.get((cit.kind, title_key(cit.title)), []) if _uniquely_numbered(i) or not i.number]
        if not cands:
            return Resolution(None)
        if cit.reference and cit.number and len(cands) > 1:
            return Resolution(None, ambiguous=True)  # a version of a recurring title not in the registry
        fitting = cands
        if cit.date:
            fitting = [i for i in cands if i.issued.isoformat() == cit.date]
        elif cit.year:
            fitting = [i for i in cands if i.issued.year == cit.year]
        if not fitting:
            if len(cands) == 1:
                i = cands[0]  # one instrument has this title: the date or number is misquoted
                return Resolution(i, "title", _conflicts(cit, i, by_reference=False))
            return Resolution(None, ambiguous=True)
        if len(fitting) > 1:
            # a law cited by name alone is the one in force on the document's date
            day = on or dt.date.max
            effective = [i for i in fitting if (i.effective or i.issued) <= day]
            issued = [i for i in fitting if i.issued <= day]
            fitting = [max(effective or issued or fitting, key=lambda i: i.issued)]
        i = fitting[0]
        return Resolution(i, "title", _conflicts(cit, i, by_reference=False))
    return Resolution(None)


def _conflicts(cit, i: Instrument, by_reference: bool) -> list[dict]:
    out = []
    if cit.reference and cit.number and i.number and ref_key(cit.reference) != ref_key(i.number) and not (
            by_reference and cit.year and ref_key(i.number).startswith(f"{cit.number}/{cit.year}/")):
        out.append({"field": "number", "document": cit.reference, "registry": i.number})
    if cit.date and cit.date != i.issued.isoformat():
        out.append({"field": "date", "document": cit.date, "registry": i.issued.isoformat()})
    elif not cit.date and cit.year and cit.year != i.issued.year and not cit.reference:
        out.append({"field": "date", "document": str(cit.year), "registry": str(i.issued.year)})
    named = _issuer_of(cit.issuer)
    if named and named != i.issuer:
        out.append({"field": "issuer", "document": cit.issuer, "registry": i.issuer})
    if by_reference and cit.kind != i.kind and cit.kind not in ("Văn bản",):
        out.append({"field": "kind", "document": cit.kind, "registry": i.kind})
    return out


def period_end(date) -> dt.date | None:
    """The day a header date is judged on: itself, or the last day of the month or year a partial
    date names ("ngày    tháng 11 năm 2025" → 2025-11-30); None without a year or when invalid."""
    import calendar

    if date is None or date.year is None:
        return None
    if date.month is None:
        return dt.date(date.year, 12, 31)
    try:
        if date.day is None:
            return dt.date(date.year, date.month, calendar.monthrange(date.year, date.month)[1])
        return dt.date(date.year, date.month, date.day)
    except ValueError:
        return None


def annotate(cit, day: dt.date | None, reg: Registry | None = None) -> Resolution:
    """Set the citation's `instrument`, `match`, `conflicts` and its `status` on `day` (None: no date)."""
    res = resolve(cit, day, reg)
    cit.resolved = True
    cit.instrument = res.id
    cit.match = res.match if res.instrument else ("ambiguous" if res.ambiguous else None)
    cit.conflicts = res.conflicts
    cit.status_on = day.isoformat() if day else None
    cit.status = (res.instrument.status(day)[0] if day else None) if res.instrument else "unknown"
    return res


def resolve_document(doc) -> None:
    """Annotate each top-level citation of the document's legal bases (every part's), as of the
    header's date. Nested mentions inside titles are not bases and stay unresolved."""
    reg = registry()
    day = period_end(doc.header.date)
    for part in doc.parts:
        for basis in part.legal_bases:
            for cit in basis.citations:
                annotate(cit, day, reg)
