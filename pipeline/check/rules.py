"""Rules are data: one YAML file per rule under rules/<pack>/, a `_pack.yaml` per pack.

Loaded against a schema (pydantic); an error names the file and the field.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
KINDS = ("quy_che", "quyet_dinh_ban_hanh_quy_che", "ke_hoach", "bao_cao", "other")
UNIT_TYPES = ("co_quan_hanh_chinh", "don_vi_su_nghiep", "xa_phuong", "dnnn", "other")
INSTRUMENTS = {"10/2022/QH15": "Luật Thực hiện dân chủ ở cơ sở",
               "59/2023/NĐ-CP": "Nghị định 59/2023/NĐ-CP", "61/2023/NĐ-CP": "Nghị định 61/2023/NĐ-CP",
               "30/2020/NĐ-CP": "Nghị định 30/2020/NĐ-CP"}


class RuleError(Exception):
    pass


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Text(Strict):
    vi: str
    en: str


class LegalBasis(Strict):
    instrument: str  # "10/2022/QH15", "59/2023/NĐ-CP", or "practice" for practice-based rules
    article: int | None = None
    clause: int | None = None
    point: str | None = None
    also: list[str] = Field(default_factory=list)  # further provisions, as "NĐ59-Đ21.1"

    def cite(self) -> str:
        if self.instrument == "practice":
            return "Thực tiễn hành chính (không có điều luật liệt kê)"
        parts = []
        if self.point:
            parts.append(f"điểm {self.point}")
        if self.clause:
            parts.append(f"khoản {self.clause}")
        if self.article:
            parts.append(f"Điều {self.article}")
        name = INSTRUMENTS.get(self.instrument, self.instrument)
        kind = "Luật" if self.instrument.endswith(("QH15", "QH14", "QH13")) else ""
        ref = f"{name} số {self.instrument}" if kind else name
        return " ".join(parts + [ref]).strip()


class Condition(Strict):
    staff_gt: int | None = None  # applies only when the unit has more than N staff


class AppliesTo(Strict):
    kinds: list[Literal[KINDS]]
    unit_types: list[Literal[UNIT_TYPES]]
    condition: Condition | None = None


class Examples(Strict):
    pass_: list[str] = Field(alias="pass")
    fail: list[str]


class Validity(Strict):
    from_: dt.date = Field(alias="from")
    to: dt.date | None = None


class Check(BaseModel):
    model_config = ConfigDict(extra="allow")
    kind: str


class Rule(Strict):
    id: str
    title: Text
    pack: str = ""
    applies_to: AppliesTo
    legal_basis: LegalBasis
    severity: Literal["error", "warning", "info"]
    verified: bool = True  # False for facts marked [M]: warnings at most
    practice_based: bool = False
    amended_2025: bool = False  # rests on wording Luật 47/2024 or 97/2025 may have changed
    check: Check
    message: Text
    suggestion: str
    why: Text | None = None
    valid: Validity
    examples: Examples
    source: str = ""  # the file it came from

    @field_validator("severity")
    @classmethod
    def _unverified_max_warning(cls, v, info):
        if info.data.get("verified") is False and v == "error":
            raise ValueError("an unverified ([M]) rule may be a warning at most")
        return v

    def in_force(self, day: dt.date) -> bool:
        return self.valid.from_ <= day and (self.valid.to is None or day <= self.valid.to)


class Scope(Strict):
    headings: list[str]  # cue phrases matched on section headings
    exclude: list[str] = Field(default_factory=list)
    # a heading that also holds another scope's part ("KIỂM TRA, GIÁM SÁT" over "Mục 2 BAN THANH TRA")
    # gives way to its own sub-parts that match, when there are any
    yield_to: list[str] = Field(default_factory=list)
    # headings inside these parts belong to them ("kế hoạch kiểm tra, giám sát" of the Ban Thanh tra nhân dân)
    not_inside: list[str] = Field(default_factory=list)
    # the short name the part goes by once introduced ("của Ban" after "Điều 22. Ban Thanh tra nhân dân"):
    # the next sibling articles whose title ends on it ("Điều 23. Hoạt động của Ban") continue the part
    continued_by: list[str] = Field(default_factory=list)
    # a bullet ("- ", "+") whose opening words name the part is a heading of it: a report may give the Ban Thanh tra
    # nhân dân a bullet of its own ("- Ban Thanh tra nhân dân (05 thành viên) thực hiện 02 cuộc giám sát …")
    bullet_heads: bool = False


class Pack(Strict):
    pack: str
    title: Text
    scopes: dict[str, Scope] = Field(default_factory=dict)


class RuleSet:
    def __init__(self, version: str, snapshot: str, packs: dict[str, Pack], rules: list[Rule]):
        self.version = version
        self.legal_snapshot = snapshot
        self.packs = packs
        self.rules = rules
        self.by_id = {r.id: r for r in rules}


def _format_error(path: Path, exc: ValidationError) -> str:
    lines = [f"{path}: "]
    for err in exc.errors():
        field = ".".join(str(x) for x in err["loc"])
        lines.append(f"  {field}: {err['msg']}")
    return "\n".join(lines)


def load_ruleset(root: Path = RULES_DIR) -> RuleSet:
    from pipeline.check.kinds import CHECK_KINDS  # the registry validates check parameters

    meta = yaml.safe_load((root / "ruleset.yaml").read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    packs: dict[str, Pack] = {}
    rules: list[Rule] = []
    for pack_file in sorted(root.glob("**/_pack.yaml")):
        digest.update(pack_file.read_bytes())
        try:
            pack = Pack.model_validate(yaml.safe_load(pack_file.read_text(encoding="utf-8")))
        except ValidationError as exc:
            raise RuleError(_format_error(pack_file, exc)) from None
        packs[pack.pack] = pack
        for rule_file in sorted(pack_file.parent.glob("*.yaml")):
            if rule_file.name.startswith("_"):
                continue
            digest.update(rule_file.read_bytes())
            try:
                data: dict[str, Any] = yaml.safe_load(rule_file.read_text(encoding="utf-8"))
                rule = Rule.model_validate({**data, "pack": pack.pack, "source": str(rule_file.relative_to(root))})
            except ValidationError as exc:
                raise RuleError(_format_error(rule_file, exc)) from None
            except yaml.YAMLError as exc:
                raise RuleError(f"{rule_file}: YAML: {exc}") from None
            if rule_file.stem != rule.id:
                raise RuleError(f"{rule_file}: id: file name and id differ ({rule.id})")
            kind = CHECK_KINDS.get(rule.check.kind)
            if kind is None:
                raise RuleError(f"{rule_file}: check.kind: unknown kind {rule.check.kind!r} "
                                f"(known: {', '.join(sorted(CHECK_KINDS))})")
            try:
                kind.validate(rule, pack)
            except (ValidationError, ValueError) as exc:
                raise RuleError(f"{rule_file}: check: {exc}") from None
            rules.append(rule)
    seen = set()
    for r in rules:
        if r.id in seen:
            raise RuleError(f"duplicate rule id {r.id}")
        seen.add(r.id)
    for reg_file in sorted(root.glob("*/registry/*.yaml")):  # the instrument registry is part of the rules
        digest.update(reg_file.read_bytes())
    version = f"{meta['version']}+{digest.hexdigest()[:10]}"
    return RuleSet(version, meta["legal_snapshot"], packs, rules)
