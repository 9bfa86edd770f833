"""Check kinds about legal bases (cited instruments, their status on the document's date).

Registered in the same registry as the other kinds (pipeline/check/kinds.py imports this module):
- `basis_status.v1`   a "Căn cứ" cites an instrument that had ceased (or was superseded) on the document's date;
- `basis_identity.v1` a citation misstates a known instrument's number, date, issuer or kind; or names nothing known;
- `basis_required.v1` a document on a topic does not cite the instrument it must rest on;
- `basis_predates.v1` the document is older than the instrument that now governs its subject;
- `old_wording.v1`    wording of the repealed regime ("Quy chế thực hiện dân chủ trong hoạt động của cơ quan" …).

The facts come from the instrument registry (rules/legal-basis/registry/, pipeline/structure/registry.py).
Each kind judges on `view.judged_on` (set by `check`: the header date, the last day of a partial date's period,
or --as-of); evaluated alone (rule examples) it falls back to the header's date, then today.
Outcomes carry their own evidence (the quoted "Căn cứ" clause and its location), message and, where the
registry fact is unverified, a lower severity: `detail["evidence"]`, `detail["message"]`, `detail["severity"]`.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from pipeline.check.kinds import CheckKind, Outcome, Params, register
from pipeline.structure.registry import Instrument, period_end, registry, resolve
from pipeline.vntext import fold

RANK = {"info": 0, "warning": 1, "error": 2}


def judged_day(view) -> dt.date:
    day = getattr(view, "judged_on", None)
    if day:
        return day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
    return period_end(view.doc.header.date) or dt.date.today()


def vn_date(day: dt.date | str) -> str:
    d = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _citations(view):
    """(basis, citation) for every top-level citation of the body parts' legal bases."""
    for part in view.doc.parts:
        if part.role == "appendix":
            continue
        for basis in part.legal_bases:
            for cit in basis.citations:
                yield basis, cit


def basis_evidence(basis, view=None) -> dict:
    """The "Căn cứ" clause as written (original text at its span) with its location."""
    loc = basis.location
    quote = (view.quote(loc) if view is not None and view.doc.norm is not None else "") or basis.text
    return {"quote": quote, "location": f"{loc.path} › Căn cứ", "span": loc.to_dict()}


def _cited_as(cit) -> str:
    if cit.reference:
        return f"{cit.kind} số {cit.reference}"
    return f"{cit.kind} {cit.title or ''}".strip()


def _max_severity(rule_severity: str, verified: bool) -> str:
    return rule_severity if verified or rule_severity != "error" else "warning"


def _outcome(status: str, hits: list[tuple], rule, vi: list[str], en: list[str], conf: float = 0.9,
             view=None) -> Outcome:
    """An outcome whose evidence is the quoted clauses; severity is the worst the hits justify."""
    evidence, seen = [], set()
    severity = "info"
    for basis, _cit, sev in hits:
        if id(basis) not in seen:
            seen.add(id(basis))
            evidence.append(basis_evidence(basis, view))
        severity = sev if RANK[sev] > RANK[severity] else severity
    detail = {"evidence": evidence, "message": {"vi": " ".join(vi), "en": " ".join(en)}}
    if status in ("conflict", "missing"):
        detail["severity"] = severity if hits else rule.severity
    return Outcome(status, confidence=conf, detail=detail)


# ----------------------------------------------------------------------------------- basis_status.v1
class StatusParams(Params):
    statuses: list[Literal["ceased", "superseded"]]


@register("basis_status.v1")
class BasisStatus(CheckKind):
    """A legal basis cites an instrument that, on the document's date, had ceased to apply (repealed or
    replaced) or had been superseded in substance. Earlier documents citing it are fine."""

    params = StatusParams

    def describe(self, rule, lang="vi"):
        what = ", ".join(self.parsed(rule).statuses)
        return ("Đối chiếu từng văn bản được viện dẫn ở phần căn cứ với danh mục văn bản (rules/legal-basis/registry/): "
                f"báo khi văn bản đó đã ở trạng thái {what} vào ngày của văn bản được kiểm tra." if lang == "vi" else
                "Looks up each instrument cited in the legal bases in the registry (rules/legal-basis/registry/) and "
                f"reports it when its status on the checked document's date is {what}.")

    def evaluate(self, rule, view):
        p = self.parsed(rule)
        day = judged_day(view)
        reg = registry()
        hits, vi, en = [], [], []
        for basis, cit in _citations(view):
            res = resolve(cit, day, reg)
            if res.instrument is None:
                continue
            status, event = res.instrument.status(day)
            if status not in p.statuses:
                continue
            verified = event.confidence != "unverified" and res.instrument.confidence != "unverified"
            sev = _max_severity(rule.severity, verified)
            hits.append((basis, cit, sev))
            by = reg.by_id[event.by].label() if event.by in reg.by_id else (event.by or "")
            where = f" ({event.provision})" if event.provision else ""
            caveat_vi = "" if verified else " (thông tin chưa được kiểm chứng đầy đủ)"
            caveat_en = "" if verified else " (fact not fully verified)"
            if status == "ceased":
                vi.append(f"“{_cited_as(cit)}” đã hết hiệu lực từ ngày {vn_date(event.from_)}"
                          f"{', được thay thế bởi ' + by if by else ''}{where}{caveat_vi}.")
                en.append(f"“{_cited_as(cit)}” ceased to apply on {event.from_.isoformat()}"
                          f"{', replaced by ' + by if by else ''}{where}{caveat_en}.")
            else:
                vi.append(f"“{_cited_as(cit)}” đã được thay thế về nội dung bởi {by or 'văn bản mới'}{where} "
                          f"từ ngày {vn_date(event.from_)}{caveat_vi}.")
                en.append(f"“{_cited_as(cit)}” was superseded in substance by {by or 'a newer instrument'}{where} "
                          f"from {event.from_.isoformat()}{caveat_en}.")
        if not hits:
            return _outcome("present", [], rule, ["Không viện dẫn văn bản đã hết hiệu lực hoặc đã bị thay thế vào ngày của văn bản."],
                            ["No instrument cited had ceased to apply or been superseded on the document's date."])
        vi.append(f"Ngày dùng để đối chiếu: {vn_date(day)}.")
        en.append(f"Judged as of {day.isoformat()}.")
        return _outcome("conflict", hits, rule, vi, en, view=view)


# --------------------------------------------------------------------------------- basis_identity.v1
class IdentityParams(Params):
    pass


FIELD_NAMES = {"vi": {"number": "số, ký hiệu", "date": "ngày ban hành", "issuer": "cơ quan ban hành",
                      "kind": "tên loại"},
               "en": {"number": "number", "date": "date", "issuer": "issuer", "kind": "kind"}}


def _value(field: str, value: str, lang: str) -> str:
    if field == "date" and len(value) == 10:
        return vn_date(value) if lang == "vi" else value
    return value


@register("basis_identity.v1")
class BasisIdentity(CheckKind):
    """A citation recognised as a known instrument by the parts that match (number, or title) but stating a
    different number, date, issuer or kind: a conflict quoting both. A citation matching nothing known:
    undetermined (info), never an error."""

    params = IdentityParams
    report = "misquoted"

    def describe(self, rule, lang="vi"):
        if self.report == "misquoted":
            return ("Nhận ra văn bản được viện dẫn qua phần khớp với danh mục (số hiệu viết theo bất kỳ cách nào, hoặc "
                    "tên khi không ghi số) rồi so ngày ban hành, cơ quan ban hành, số hiệu, tên loại; sai khác là "
                    "“trái luật”, nêu cả giá trị trong văn bản và giá trị trong danh mục." if lang == "vi" else
                    "Recognises each cited instrument by what matches the registry (its number in any spelling, or its "
                    "title when no number is given), then compares date, issuer, number and kind; a difference is a "
                    "conflict quoting both the document's value and the registry's.")
        return ("Liệt kê các văn bản được viện dẫn không có trong danh mục (chưa xác định được, mức thông tin)."
                if lang == "vi" else
                "Lists the cited instruments that match nothing in the registry (undetermined, info).")

    def evaluate(self, rule, view):
        day = judged_day(view)
        reg = registry()
        hits, vi, en, unknown = [], [], [], []
        for basis, cit in _citations(view):
            res = resolve(cit, day, reg)
            if self.report == "unknown":
                if res.instrument is None:
                    unknown.append((basis, cit, "info"))
                continue
            if res.instrument is None or not res.conflicts:
                continue
            i: Instrument = res.instrument
            sev = _max_severity(rule.severity, i.confidence != "unverified")
            hits.append((basis, cit, sev))
            for c in res.conflicts:
                vi.append(f"Văn bản ghi {FIELD_NAMES['vi'][c['field']]} “{_value(c['field'], c['document'], 'vi')}” "
                          f"của {i.label()}, nhưng theo danh mục là “{_value(c['field'], c['registry'], 'vi')}”"
                          f"{'' if i.confidence != 'unverified' else ' (thông tin trong danh mục chưa kiểm chứng)'}.")
                en.append(f"The document gives the {FIELD_NAMES['en'][c['field']]} of {i.label()} as "
                          f"“{c['document']}”; the registry has “{c['registry']}”"
                          f"{'' if i.confidence != 'unverified' else ' (registry fact unverified)'}.")
        if self.report == "unknown":
            if not unknown:
                return _outcome("present", [], rule, ["Mọi văn bản được viện dẫn đều có trong danh mục."],
                                ["Every cited instrument is in the registry."])
            names = "; ".join(f"“{_cited_as(c)}”" for _, c, _ in unknown)
            out = _outcome("undetermined", unknown, rule,
                           [f"Không có trong danh mục văn bản, chưa đối chiếu được hiệu lực và số hiệu: {names}."],
                           [f"Not in the instrument registry, so status and identity were not checked: {names}."],
                           conf=0.5, view=view)
            return out
        if not hits:
            return _outcome("present", [], rule, ["Số hiệu, ngày, cơ quan ban hành của các văn bản đã biết đều khớp."],
                            ["Numbers, dates and issuers of the known instruments cited all match."])
        return _outcome("conflict", hits, rule, vi, en, view=view)


@register("basis_unknown.v1")
class BasisUnknown(BasisIdentity):
    """A citation that matches nothing in the registry: undetermined (info), never an error."""

    report = "unknown"
    fail_statuses = ("undetermined",)  # what its failing examples produce (tests/test_rules.py)


# --------------------------------------------------------------------------------- basis_required.v1
class RequiredParams(Params):
    instrument: str  # registry id
    topic: list[str] = Field(default_factory=list)  # the document deals with it when one phrase occurs; [] = always


def _doc_fold(view) -> str:
    doc = view.doc
    if doc.norm is not None:
        return "\n".join(nb.fold for nb in doc.norm.blocks)
    return fold(" ".join(filter(None, [doc.header.title] + [p.title for p in doc.parts])))


@register("basis_required.v1")
class BasisRequired(CheckKind):
    """A document on a topic must rest on a given instrument: one of its legal bases cites it (by number or title)."""

    params = RequiredParams

    def validate(self, rule, pack):
        super().validate(rule, pack)
        if self.params.model_validate(rule.check.model_dump()).instrument not in registry().by_id:
            raise ValueError("instrument is not in the registry (rules/legal-basis/registry/)")

    def describe(self, rule, lang="vi"):
        p = self.parsed(rule)
        topic = ", ".join(f"“{t}”" for t in p.topic)
        if lang == "vi":
            return (f"Văn bản {'có nhắc đến ' + topic + ' ' if topic else ''}phải có căn cứ viện dẫn "
                    f"{registry().by_id[p.instrument].label()} (nhận theo số hiệu hoặc theo tên).")
        return (f"A document {'mentioning ' + topic + ' ' if topic else ''}must cite "
                f"{registry().by_id[p.instrument].label()} among its legal bases (by number or by title).")

    def evaluate(self, rule, view):
        p = self.parsed(rule)
        day = judged_day(view)
        reg = registry()
        target = reg.by_id[p.instrument]
        if p.topic:
            text = _doc_fold(view)
            if not any(fold(t) in text for t in p.topic):
                return Outcome("not_applicable", confidence=0.8, detail={"note": "topic"})
        for basis, cit in _citations(view):
            if resolve(cit, day, reg).id == p.instrument:
                return _outcome("present", [(basis, cit, "info")], rule,
                                [f"Có căn cứ {target.label()}."], [f"Cites {target.label()}."], view=view)
        main = view.doc.parts[0].doc_type if view.doc.parts else None
        out = _outcome("missing", [], rule,
                        [f"Phần căn cứ không viện dẫn {target.label()} ({target.title}); từ ngày "
                         f"{vn_date(target.effective or target.issued)}, văn bản này phải căn cứ vào {target.label()}. "
                         f"Ngày dùng để đối chiếu: {vn_date(day)}."],
                        [f"The legal bases do not cite {target.label()} ({target.title}), which such a document must "
                         f"rest on from {(target.effective or target.issued).isoformat()}; judged as of {day.isoformat()}."],
                        conf=0.85)
        out.detail["where"] = f"{main or 'Văn bản'} › Căn cứ"  # the preamble of the issuing part
        return out


# --------------------------------------------------------------------------------- basis_predates.v1
class PredatesParams(Params):
    instrument: str  # the instrument now governing the subject


@register("basis_predates.v1")
class BasisPredates(CheckKind):
    """A document dated before the governing instrument took effect was made under the old regime; it was
    lawful then, and must now be replaced."""

    params = PredatesParams

    def validate(self, rule, pack):
        super().validate(rule, pack)
        if self.params.model_validate(rule.check.model_dump()).instrument not in registry().by_id:
            raise ValueError("instrument is not in the registry (rules/legal-basis/registry/)")

    def describe(self, rule, lang="vi"):
        i = registry().by_id[self.parsed(rule).instrument]
        eff = i.effective or i.issued
        return (f"Văn bản có ngày trước {vn_date(eff)} (ngày {i.label()} có hiệu lực) được xét theo quy định khi đó; "
                "một phát hiện nhắc phải ban hành văn bản thay thế." if lang == "vi" else
                f"A document dated before {eff.isoformat()} ({i.label()} in force) is judged by the rules then in "
                "force; one finding says it must be replaced.")

    def evaluate(self, rule, view):
        i = registry().by_id[self.parsed(rule).instrument]
        eff = i.effective or i.issued
        day = judged_day(view)
        if day >= eff:
            return _outcome("present", [], rule, [f"Văn bản ban hành sau khi {i.label()} có hiệu lực."],
                            [f"Issued after {i.label()} took effect."])
        hits = [(b, c, rule.severity) for b, c in list(_citations(view))[:1]]
        out = _outcome("conflict", hits, rule,
                       [f"Văn bản đề ngày {vn_date(day)}, trước khi {i.label()} ({i.title}) có hiệu lực "
                        f"({vn_date(eff)}): được ban hành theo quy định cũ, cần rà soát và ban hành văn bản thay thế."],
                       [f"The document is dated {day.isoformat()}, before {i.label()} ({i.title}) took effect "
                        f"({eff.isoformat()}): made under the old rules, it must be reviewed and replaced."], view=view)
        out.detail["severity"] = rule.severity
        return out


# ------------------------------------------------------------------------------------- old_wording.v1
class Hint(Params):
    kind: str = "hint"
    all: list[str]  # every phrase occurs in the same paragraph (or the title)
    none: list[str] = Field(default_factory=list)  # and none of these does
    doc_none: list[str] = Field(default_factory=list)  # nor any of these anywhere (the current wording used elsewhere)
    vi: str  # what the wording shows, for the message
    en: str


class WordingParams(Params):
    hints: list[Hint]


def _text_places(view) -> list[tuple[str, str, str, "Location"]]:
    """(folded text, original text, location path, location) of every paragraph of the body parts but the legal
    bases: the outline's with their item path, the others (title) named after their part ("Quyết định › Trích yếu")."""
    doc = view.doc
    if doc.norm is None:
        return []
    from pipeline.model import Location

    paths = {}
    for li, line in enumerate(view.lines):
        paths.setdefault(line.block, view.items[view.line_item[li]].path)
    parts = [p for p in doc.parts if p.role != "appendix"]
    bases = {b.location.block for p in parts for b in p.legal_bases}  # citations are the other kinds' business
    out = []
    for nb in doc.norm.blocks:
        idx = nb.block.index
        part = next((p for p in parts if p.first_block <= idx <= p.last_block), None)
        if part is None or idx in bases:
            continue
        where = paths.get(idx)
        if where is None:
            name = part.doc_type or "Văn bản"
            where = f"{name} › Trích yếu" if part.title and nb.fold and nb.fold in fold(part.title) else name
        out.append((nb.fold, nb.block.text, where, Location(where, part.index, idx, 0, len(nb.block.text),
                                                           nb.block.page)))
    return out


@register("old_wording.v1")
class OldWording(CheckKind):
    """Wording of the repealed regime in the title or body: a hint (info) that the text was copied from an old one."""

    params = WordingParams

    def describe(self, rule, lang="vi"):
        without = "không có" if lang == "vi" else "without"
        hs = "; ".join(" + ".join(f"“{a}”" for a in h.all) + (f" ({without} “{'/'.join(h.none)}”)" if h.none else "")
                       for h in self.parsed(rule).hints)
        return (f"Tìm trong trích yếu và nội dung các cách diễn đạt của chế độ cũ: {hs}." if lang == "vi" else
                f"Looks in the title and body for wording of the old regime: {hs}.")

    def evaluate(self, rule, view):
        p = self.parsed(rule)
        doc = view.doc
        places = None
        evidence, vi, en = [], [], []
        whole = _doc_fold(view)
        for h in p.hints:
            if any(fold(x) in whole for x in h.doc_none):
                continue
            need = [fold(x) for x in h.all]
            if not all(x in whole for x in need):  # not in the document at all: no paragraph to look at
                continue
            avoid = [fold(x) for x in h.none]
            places = _text_places(view) if places is None else places
            for f, text, where, loc in places:
                if all(x in f for x in need) and not any(x in f for x in avoid):
                    evidence.append({"quote": text, "location": where, "span": loc.to_dict()})
                    vi.append(h.vi)
                    en.append(h.en)
                    break
        if not evidence:
            return Outcome("present", confidence=0.8, detail={
                "message": {"vi": "Không thấy cách diễn đạt của chế độ cũ.", "en": "No wording of the old regime."}})
        return Outcome("conflict", confidence=0.7, detail={
            "evidence": evidence, "severity": rule.severity,
            "message": {"vi": " ".join(vi), "en": " ".join(en)}})
