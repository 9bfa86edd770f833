"""Check kinds, registered by versioned name (as spaCy registers components).

A kind validates its rule parameters at load time and evaluates a rule on a DocumentView.
Adding a kind touches this module only; rules choose one by name (`check.kind: presence.v1`).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.check.view import SECTION_KINDS, DocumentView
from pipeline.vntext.numbers import Quantity, day_bounds

CHECK_KINDS: dict[str, "CheckKind"] = {}
COUNTS = {"member", "person", "deputy", "household"}  # head counts compare directly
# words that name an aspect of any matter (folded); a title holding one says nothing about the rule's matter
ASPECT_WORDS = {"nội dung", "hình thức", "trách nhiệm", "kết quả", "thời gian", "thời hạn", "cách thức", "tổ chức",
                "thực hiện", "tổ chức thực hiện", "quy định", "nhiệm vụ", "quyền hạn", "những nội dung", "các nội dung"}


def register(name: str):
    def deco(cls):
        CHECK_KINDS[name] = cls()
        cls.name = name
        return cls
    return deco


@dataclass
class Evidence:
    line: int  # position in the view
    start: int  # offsets in the line's text
    end: int


@dataclass
class Outcome:
    status: str  # present | partial | missing | conflict | undetermined
    evidence: list[Evidence] = field(default_factory=list)
    item: int | None = None  # the item that holds the evidence
    confidence: float = 0.9
    detail: dict = field(default_factory=dict)  # values for the message: doc_value, law_value, note


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str


class CheckKind:
    params: type[Params] = Params
    name = ""

    def validate(self, rule, pack) -> None:
        p = self.params.model_validate(rule.check.model_dump())
        scope = getattr(p, "scope", None)
        if scope and scope not in pack.scopes:
            raise ValueError(f"scope {scope!r} is not defined in the pack's _pack.yaml")

    def parsed(self, rule):
        cached = getattr(rule, "_params", None)
        if cached is None:
            cached = self.params.model_validate(rule.check.model_dump())
            object.__setattr__(rule, "_params", cached)
        return cached

    def phrases(self, rule) -> set[str]:
        return set()

    def evaluate(self, rule, view: DocumentView) -> Outcome:
        raise NotImplementedError


# ---------------------------------------------------------------------------- helpers
def scope_items(view: DocumentView, scope: str | None) -> tuple[list[int], bool]:
    """Item indices inside a scope (the subtrees of its headings), and whether the scope was found."""
    if not scope:
        return list(range(len(view.items))), True
    heads = view.scopes.get(scope) or []
    if not heads:
        # a document organised in parts that lacks this one: nothing of it is "where it belongs"
        if any(view.scopes.values()):
            return [], True
        return list(range(len(view.items))), False
    out: list[int] = []
    for h in heads:
        out.extend(range(view.items[h].first, view.items[h].last))
    return out, True


def groups_hit(view: DocumentView, line_range, groups: list[list[str]],
               context: list[int] = (), skip: set[int] = frozenset()) -> list[Evidence] | None:
    """Evidence for every cue group within the lines (or, failing that, in the `context` heading
    lines), or None when a group is absent. Evidence found in the lines comes first; lines in `skip`
    (sub-items a rule excludes) give none."""
    import bisect

    found: list[Evidence] = []
    lo, hi = line_range.start, line_range.stop
    for group in groups:
        best = None
        for phrase in group:
            lines = view.phrase_lines.get(phrase)
            if not lines:
                continue
            k = bisect.bisect_left(lines, lo)
            while k < len(lines) and lines[k] in skip:
                k += 1
            if k < len(lines) and lines[k] < hi and (best is None or lines[k] < best[0]):
                best = (lines[k], phrase)
        if best is None:
            for c in context:
                hit = next((h for h in view.hits_by_line.get(c, ()) if h.phrase in group), None)
                if hit:
                    best = (c, hit.phrase)
                    break
        if best is None:
            return None
        li, phrase = best
        h = next(h for h in view.hits_by_line[li] if h.phrase == phrase)
        found.append(Evidence(li, h.start, h.end))
    return found


def sentence_of(view: DocumentView, ev: Evidence) -> Evidence:
    for s, e in view.sentences(ev.line):
        if s <= ev.start < e:
            return Evidence(ev.line, s, e)
    return Evidence(ev.line, 0, len(view.lines[ev.line].text))


_FOLDED: dict[int, tuple[list, list]] = {}


def _fold_phrases(groups):
    """Cue groups (or a flat list of phrases) folded; cached per groups list (rule parameters are parsed
    once and kept), since folding every cue of every rule for every document was a tenth of the check time."""
    cached = _FOLDED.get(id(groups))
    if cached is not None and cached[0] is groups:
        return cached[1]
    from pipeline.vntext import fold

    folded = [[fold(p) for p in g] if isinstance(g, list) else fold(g) for g in groups]
    _FOLDED[id(groups)] = (groups, folded)
    return folded


# ---------------------------------------------------------------------------- section.v1
# titles of articles that say how a pillar is carried out rather than what it is (folded, at the title's start)
HOW_LEADS = ("cách thức", "hình thức", "trình tự", "thủ tục", "thời hạn", "thời gian", "thời điểm", "chuẩn bị",
             "thực hiện", "nhiệm vụ", "quyền hạn")


def _flat_article(view: DocumentView, i: int) -> bool:
    """A Điều not inside any section (Phần, Chương, Mục, I.) of its regulation."""
    iv = view.items[i]
    if iv.item is None or iv.item.kind != "dieu":
        return False
    a = iv.parent
    while a is not None:
        if view.items[a].item is not None and view.items[a].item.kind in SECTION_KINDS:
            return False
        a = view.items[a].parent
    return True


class SectionParams(Params):
    scope: str
    cues: list[list[str]] = Field(default_factory=list)  # fallback: body cues when no heading matches


@register("section.v1")
class Section(CheckKind):
    """A whole part of the regulation is given to a topic (a pillar): a heading in its scope."""

    params = SectionParams

    def phrases(self, rule):
        return {p for g in _fold_phrases(self.parsed(rule).cues) for p in g}

    def evaluate(self, rule, view):
        p = self.parsed(rule)
        heads = view.scopes.get(p.scope) or []
        # a heading shared with another part ("PHƯƠNG HƯỚNG NĂM 2026 VÀ KIẾN NGHỊ") holds this part only when the text
        # under it (the heading included) bears the rule's cues; otherwise the part is named but not written
        shared = view.shared.get(p.scope, set()) if p.cues else set()
        own = [h for h in heads if h not in shared
               or groups_hit(view, view.subtree_lines(h), _fold_phrases(p.cues))]
        if heads:
            first = view.items[(own or heads)[0]]
            li = view.item_line_start[first.index]
            ev = [Evidence(li, 0, len(view.lines[li].text))] if li is not None else []
            # a regulation whose articles are not grouped into sections: the pillar is a run of Điều led by
            # the one that names the topic ("Điều 3. Thông tin phải công bố"); articles that only say how
            # ("Điều 4. Cách thức và thời hạn công khai") follow it and are not the pillar on their own
            if all(_flat_article(view, h) and view.items[h].heading.startswith(HOW_LEADS) for h in heads):
                return Outcome("partial", ev, item=first.index, confidence=0.6, detail={"note": "no_leading_article"})
            if not own:
                return Outcome("partial", ev, item=first.index, confidence=0.6, detail={"note": "shared_heading"})
            return Outcome("present", ev, item=first.index, confidence=0.95)
        if p.cues:
            groups = _fold_phrases(p.cues)
            for iv in view.items:
                ev = groups_hit(view, view.subtree_lines(iv.index), groups)
                if ev and iv.first + 1 < iv.last:  # a titled or numbered part with content below it
                    return Outcome("partial", [sentence_of(view, ev[0])], item=iv.index, confidence=0.6,
                                   detail={"note": "no_heading"})
        return Outcome("missing", confidence=0.85)


# ---------------------------------------------------------------------------- presence.v1
class PresenceParams(Params):
    scope: str | None = None
    cues: list[list[str]]  # every group must match (synonyms within a group) in one item
    # subtree: an item with its sub-items; entry: the same, but never words picked from two sibling
    # entries of a list (one khoản with its points, plus the titles above it); item: the item's own text
    unit: Literal["item", "subtree", "entry"] = "subtree"
    exclude: list[str] = Field(default_factory=list)  # an item holding one of these is about something else
    # a number the law fixes for this content, read (as value.v1 reads it) in the item that provides for it: a
    # clearly unlawful one makes the content a `conflict` ("Hội nghị thôn cuối năm: … trong 06 tháng đầu năm")
    bound: dict | None = None


@register("presence.v1")
class Presence(CheckKind):
    """The document provides for a content: every cue group found in one item of the right part."""

    params = PresenceParams

    def phrases(self, rule):
        p = self.parsed(rule)
        out = {q for g in _fold_phrases(p.cues + [p.exclude]) for q in g}
        if p.bound:
            b = self._bound(p)
            out |= {q for g in _fold_phrases(b.context + [b.exclude]) for q in g}
        return out

    def validate(self, rule, pack) -> None:
        super().validate(rule, pack)
        p = self.params.model_validate(rule.check.model_dump())
        if p.bound:
            self._bound(p)

    _BOUNDS: dict[int, tuple] = {}

    def _bound(self, p):
        """The `bound` read as value.v1's parameters (its scope is the rule's; no number: no verdict)."""
        cached = self._BOUNDS.get(id(p))
        if cached is None or cached[0] is not p:
            b = ValueParams.model_validate({"kind": "value.v1", "scope": p.scope, "no_value": "present", **p.bound})
            cached = self._BOUNDS[id(p)] = (p, b)
        return cached[1]

    def _smallest(self, view, candidates, groups, unit, exclude=()):
        import bisect

        # an excluded sub-item lends no words to the items above it ("3. Đối với Ban Thanh tra nhân dân:
        # … b) đối thoại … c) trả lời kiến nghị" is not the head's dialogue with staff)
        skip: set[int] = set()
        if exclude:
            for li in view.group_lines(tuple(exclude)):
                iv = view.items[view.line_item[li]]
                # a section title that names the excluded matter ("THAM GIA Ý KIẾN VÀ ĐỐI THOẠI") only
                # takes its own line out
                whole = iv.item is not None and iv.item.kind not in ("phan", "chuong", "muc")
                # an appendix list read under the item is not taken out with it: "Điều 2. Nội dung, hình thức,
                # thời điểm … công khai" over the Phụ lục it points to still lends it nothing, but holds it
                skip.update((x for x in view.subtree_lines(iv.index) if view.items[view.line_item[x]].part == iv.part)
                            if whole else (li,))
        group_lines = [[x for x in view.group_lines(tuple(g)) if x not in skip] for g in groups]
        if not all(group_lines):
            return None
        group_sets = [set(x) for x in group_lines]

        # a title lends its subject, not an aspect word: "NHỮNG NỘI DUNG … THAM GIA Ý KIẾN" does not make
        # every item under it about "nội dung", nor "Điều 8. Trách nhiệm …" about "trách nhiệm"
        title_sets = [{li for li in view.group_lines(tuple(p for p in g if p not in ASPECT_WORDS))} for g in groups]

        def covers(rng, context: list[int]) -> int:
            """How many groups the lines hold themselves (0: not covered even with the context)."""
            own = 0  # titles may supply context, but the item itself must say something
            for lines, title_set in zip(group_lines, title_sets):
                k = bisect.bisect_left(lines, rng.start)
                if k < len(lines) and lines[k] < rng.stop:
                    own += 1
                elif not any(c in title_set for c in context):
                    return 0
            return own

        # an item qualifies only with a line of some group in its subtree (covers() > 0): its ancestors-or-self
        reachable: set[int] = set()
        for li in set().union(*group_sets):
            i = view.line_item[li]
            while i is not None and i not in reachable:
                reachable.add(i)
                i = view.items[i].parent
        found = []
        for i in candidates:
            if i not in reachable:
                continue
            iv = view.items[i]
            # a whole chapter or section is no evidence: the content must sit in one article or below
            if iv.item is not None and iv.item.kind in ("phan", "chuong", "muc") and iv.first + 1 < iv.last:
                continue
            # `unit: item` asks for the item's own words: only section titles, and a lead-in that only names whose
            # list it is ("2. Ban Chấp hành Công đoàn Công ty:"), may add context there
            context = view.heading_lines(i) if unit != "item" else view.section_lines(i) + view.subject_lines(i)
            own = covers(view.subtree_lines(i), context)
            if not own:
                continue
            if unit == "entry" and not self._one_child_holds(view, i, context, covers):
                continue
            if unit == "item":
                start = view.item_line_start[i]
                rng = range(start, view.item_line_end[i]) if start is not None else range(0)
                # an article that is only its title over its khoản: the title names the matter, its aspect words do
                # not provide for it ("Điều 11. Kế hoạch và thời hạn lấy ý kiến" over a khoản on the deadline alone
                # is no plan with its deadline)
                if len(rng) == 1 and iv.item is not None and iv.item.kind == "dieu" and iv.first + 1 < iv.last \
                        and not all(rng.start in ts or any(c in ts for c in context) for ts in title_sets):
                    continue
            else:
                rng = view.subtree_lines(i)
            ev = groups_hit(view, rng, groups, context, skip)
            # an item under "Điều 6. Thời điểm công khai" is about timing even when its own text is not
            if ev and exclude and groups_hit(view, view.own_lines(i), [exclude], view.enclosing_lines(i)):
                continue
            if ev:
                found.append((i, ev, len(rng), own == len(groups)))
        # several items of one list that each need their title ("Điều 16. Trình tự hội nghị": "5. Ban
        # Thanh tra nhân dân báo cáo …", "8. Ký giao ước thi đua") mean the list as a whole is the content
        # — and so does a title that names the content itself ("Điều 27. Nhiệm vụ, quyền hạn của Ban
        # Thanh tra nhân dân" over the seventh of its duties)
        ids = {f[0] for f in found}
        leaning: dict[int, int] = {}
        for i, _, _, alone in found:
            parent = view.items[i].parent
            if not alone and parent in ids:
                titled = sum(1 for g in group_sets if any(t in g for t in view.title_lines(parent)))
                leaning[parent] = leaning.get(parent, 0) + (2 if titled >= 2 else 1)
        # the deepest item; at one depth, one that says it all itself, then the shortest
        ranked = [(-view.items[i].depth, not alone, n, k) for k, (i, ev, n, alone) in enumerate(found)
                  if alone or leaning.get(view.items[i].parent, 0) < 2]
        if not ranked:
            return None
        i, ev, n, _ = found[min(ranked)[3]]
        return i, ev, n

    @staticmethod
    def _one_child_holds(view, i, context, covers) -> bool:
        """For `unit: entry`: below the sections, an item's own words and those of ONE of its sub-items
        must say it all — "dự án đầu tư" in khoản 1 and "quyết toán" in khoản 3 are two other entries."""
        iv = view.items[i]
        if iv.item is None or iv.item.kind in SECTION_KINDS or iv.first + 1 == iv.last:
            return True
        own = view.own_lines(i)
        if own and covers(own, context):
            return True
        children = [c for c in range(iv.first + 1, iv.last) if view.items[c].parent == i]
        return any(covers(view.subtree_lines(c), context + list(own)) for c in children)

    def evaluate(self, rule, view):
        p = self.parsed(rule)
        groups = _fold_phrases(p.cues)
        exclude = _fold_phrases(p.exclude)
        candidates, scoped = scope_items(view, p.scope)
        best = self._smallest(view, candidates, groups, p.unit, exclude)
        if best:
            i, ev, _ = best
            if p.bound:
                b = self._bound(p)
                lines = set(view.subtree_lines(i)) | set(view.title_lines(i))
                for verdict, q, bev, item in CHECK_KINDS["value.v1"]._read(b, view, only_lines=lines)[0]:
                    if verdict == "conflict":
                        doc_value = view.lines[bev.line].text[bev.start:bev.end][q.start:q.end] or q.text
                        return Outcome("conflict", [bev], item=item, confidence=0.9 if scoped else 0.7,
                                       detail={"doc_value": doc_value, "law_value": b.law_value})
            return Outcome("present", [sentence_of(view, ev[0])], item=i, confidence=0.9 if scoped else 0.7)
        if p.scope and scoped:
            elsewhere = self._smallest(view, range(len(view.items)), groups, p.unit, exclude)
            if elsewhere:
                i, ev, _ = elsewhere
                return Outcome("partial", [sentence_of(view, ev[0])], item=i, confidence=0.6,
                               detail={"note": "outside_scope"})
        return Outcome("missing", confidence=0.85 if scoped else 0.7)


# ---------------------------------------------------------------------------- value.v1
class Lawful(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max: float | None = None
    min: float | None = None
    equals: float | None = None
    min_exclusive: bool = False  # "trên 50%": the value itself is not enough


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vi: str
    en: str


class AppliesFrom(BaseModel):
    """The rule binds only a body at least `min` strong: "khi Ban có từ 09 thành viên trở lên thì không quá 02
    Phó Trưởng ban". A regulation that fixes the body's size below it ("Ban Thanh tra nhân dân có 05 thành
    viên") is not concerned: the rule is not applicable, saying why (`message`). A size read as a lower bound
    ("ít nhất 05"), a range reaching `min` ("từ 03 đến 09") or no size at all leave the rule to its own check."""
    model_config = ConfigDict(extra="forbid")
    context: list[list[str]]  # cue groups of the size statement, read as value.v1 reads its own
    exclude: list[str] = Field(default_factory=list)
    units: list[str]  # head counts: member, person
    min: float
    title_context: bool = False
    message: Text  # why the rule does not apply, after the rule's title; "{doc_value}" quotes the size read


class ValueParams(Params):
    scope: str | None = None
    context: list[list[str]]  # cue groups that must all occur in the same sentence
    exclude: list[str] = Field(default_factory=list)  # a sentence with one of these is not about the rule
    units: list[str]  # units accepted: working_day, day, month, year, period_month, ratio, member, deputy ...
    unit: str  # the unit the lawful bounds are in
    lawful: Lawful
    law_value: str  # as the law says it, for messages: "05 ngày làm việc"
    no_value: Literal["partial", "present", "missing"] = "partial"  # context found but no number
    # "calendar": a dated deadline ("trước ngày 31/3") counts months into the calendar year; "work_year":
    # months after the end of the unit's work year (a school year ends 31/8, so "trước 30/11" is 3 months)
    dates: Literal["calendar", "work_year"] = "calendar"
    # the title of the enclosing Điều may supply the context groups the clause lacks ("Điều 19. Tổ chức Ban
    # TTND" over "1. … có từ 03 đến 09 thành viên"); off by default: a title that names two matters
    # ("Thành phần và điều kiện hợp lệ") would lend one to the other's numbers
    title_context: bool = False
    # with title_context, the titles of the sections (Chương, Mục) above lend their subject too: terse
    # label-style khoản ("2. Thời gian: mỗi năm một lần …" under "Mục 1. HỘI NGHỊ THƯỜNG NIÊN" and
    # "Điều 8. Tổ chức") name neither the conference nor the Ban
    section_context: bool = False
    applies_from: AppliesFrom | None = None  # the rule binds only a body of at least this size


def _as_float(v) -> float:
    return float(v) if not isinstance(v, Fraction) else v.numerator / v.denominator


def judge(q: Quantity, p: ValueParams) -> str:
    """'lawful', 'conflict' or 'undetermined' for one quantity against the rule's bounds."""
    law = p.lawful
    lo = hi = _as_float(q.value)
    if q.comparator == "range" and q.high is not None:
        hi = q.high
    if q.unit != p.unit and not (q.unit in COUNTS and p.unit in COUNTS):
        a, b = day_bounds(lo, q.unit) or (None, None), day_bounds(hi, q.unit) or (None, None)
        if a[0] is None or b[0] is None:
            return "undetermined"
        lo, hi = a[0], b[1]
        limits = {k: day_bounds(v, p.unit) for k, v in (("max", law.max), ("min", law.min), ("equals", law.equals))
                  if v is not None}
        if "max" in limits:
            if hi <= limits["max"][0]:
                return "lawful"
            if lo > limits["max"][1]:
                return "conflict"
            return "undetermined"
        if "min" in limits:
            if lo >= limits["min"][1]:
                return "lawful"
            if hi < limits["min"][0]:
                return "conflict"
            return "undetermined"
        if "equals" in limits:
            a, b = limits["equals"]
            return "lawful" if a <= lo and hi <= b else "conflict" if hi < a or lo > b else "undetermined"
        return "undetermined"
    eps = 1e-9
    if law.equals is not None:
        return "lawful" if abs(lo - law.equals) < eps and abs(hi - law.equals) < eps else "conflict"
    ok = True
    if law.max is not None and hi > law.max + eps:
        ok = False
    if law.min is not None:
        if lo < law.min - eps:
            ok = False
        elif law.min_exclusive and abs(lo - law.min) < eps and q.comparator != "gt":
            ok = False  # "từ 50%" where the law needs more than half
    return "lawful" if ok else "conflict"


def _after_work_year(q: Quantity, year_end: int) -> Quantity:
    """A dated deadline as months after the work year ends (month 12: unchanged; 31/12 is 12)."""
    if not q.from_date or q.unit != "month":
        return q
    return replace(q, value=(_as_float(q.value) - year_end - 1) % 12 + 1)


CALENDAR_YEAR = None  # compiled on first use


def _clause_year_end(clause: str, default: int) -> int:
    """The work year a dated deadline counts from, as the clause itself says: "trước ngày 31 tháng 3 năm
    sau" after "kết thúc năm công tác" is the calendar year even in a school ("năm sau" only follows a year
    that ended on 31 December); "năm học" in the clause is the school year."""
    global CALENDAR_YEAR
    if CALENDAR_YEAR is None:
        import re

        CALENDAR_YEAR = re.compile(r"năm (?:sau|tiếp theo|liền kề|kế tiếp|dương lịch|tài chính)")
    if "năm học" in clause:
        return 8
    return 12 if CALENDAR_YEAR.search(clause) else default


EXCEPTION = None  # compiled on first use


def _exception_cuts(fold: str, s: int, e: int) -> list[tuple[int, int]]:
    """A clause cut before an exception it adds (", trừ …", ", riêng …", "(trừ …)"): the number and the
    context belong to the main statement, the exception names other matters (the budget, other laws)."""
    global EXCEPTION
    if EXCEPTION is None:
        import re

        # also a spread over sub-units the clause adds (", bảo đảm mỗi mỏ, xưởng có ít nhất 01 thành viên"):
        # the per-unit number is not the body's size or the deadline before it
        EXCEPTION = re.compile(r"(?:,|;|\(|–|-)\s*(?:ngoại trừ|trừ|riêng|không áp dụng|(?:bảo đảm|đảm bảo) mỗi)\s")
    m = EXCEPTION.search(fold, s, e)
    return [(s, m.start()), (m.start(), e)] if m and m.start() > s else [(s, e)]


@register("value.v1")
class Value(CheckKind):
    """A number the document states respects the law's bound and direction (units converted)."""

    params = ValueParams

    def phrases(self, rule):
        p = self.parsed(rule)
        from pipeline.vntext import fold

        out = {q for g in _fold_phrases(p.context) for q in g} | {fold(x) for x in p.exclude}
        if p.applies_from:
            size = self._size_params(p)[0]
            out |= {q for g in _fold_phrases(size.context) for q in g} | {fold(x) for x in size.exclude}
        return out

    _SIZE: dict[int, tuple] = {}

    def _size_params(self, p: ValueParams) -> tuple[ValueParams, ValueParams]:
        """The size statement of `applies_from` read as a value rule of its own, and the same without its
        exclusions (any size the regulation foresees). Kept per rule: cues are folded once per parameters object."""
        cached = self._SIZE.get(id(p))
        if cached is None or cached[0] is not p:
            a = p.applies_from
            size = ValueParams(kind=self.name, scope=p.scope, context=a.context, exclude=a.exclude, units=a.units,
                               unit=a.units[0], lawful=Lawful(min=a.min), law_value="", no_value="missing",
                               title_context=a.title_context)
            cached = self._SIZE[id(p)] = (p, (size, size.model_copy(update={"exclude": []})))
        return cached[1]

    def _below_size(self, p: ValueParams, view) -> Outcome | None:
        """not_applicable when the regulation fixes the body's size below `applies_from.min` and foresees no
        larger one: "Ban có 05 thành viên" alone; not when it lets the conference change the size "trong phạm vi
        từ 03 đến 09 người" or provides for the case "khi hội nghị bầu từ 09 thành viên trở lên"."""
        a = p.applies_from
        stated, foreseen = self._size_params(p)
        verdicts, _, _ = self._read(stated, view)

        def reaches(q) -> bool:
            if q.comparator in ("ge", "gt"):  # "ít nhất 05 thành viên", "nhiều hơn 09 người": no upper bound
                return True
            hi = q.high if q.comparator == "range" and q.high is not None else _as_float(q.value)
            return hi >= a.min

        below = []
        for _, q, ev, item in verdicts:
            if q.unit not in COUNTS:
                continue
            if reaches(q):
                return None
            below.append((q, ev, item))
        if not below:
            return None
        # any size the regulation foresees, in a case or an exception ("trường hợp … từ 09 thành viên trở lên thì")
        for _, q, _, _ in self._read(foreseen, view, conditions=True)[0]:
            if q.unit in COUNTS and (reaches(q) or q.comparator == "condition" and _as_float(q.value) >= a.min):
                return None
        q, ev, item = below[0]
        doc_value = view.lines[ev.line].text[ev.start:ev.end][q.start:q.end] or q.text
        return Outcome("not_applicable", [ev], item=item, confidence=0.85,
                       detail={"note": "size", "doc_value": doc_value,
                               "message": {lang: getattr(a.message, lang).replace("{doc_value}", doc_value)
                                           for lang in ("vi", "en")}})

    def evaluate(self, rule, view):
        p = self.parsed(rule)
        if p.applies_from:
            na = self._below_size(p, view)
            if na:
                return na
        verdicts, context_only, scoped = self._read(p, view)
        if not verdicts:
            if context_only:
                ev, item = context_only
                return Outcome(p.no_value, [ev], item=item, confidence=0.6,
                               detail={"note": "no_value", "law_value": p.law_value})
            return Outcome("missing", confidence=0.8 if scoped else 0.7)
        for wanted, status in (("conflict", "conflict"), ("lawful", "present"), ("undetermined", "undetermined")):
            for verdict, q, ev, item in verdicts:
                if verdict == wanted:
                    doc_value = view.lines[ev.line].text[ev.start:ev.end][q.start:q.end] or q.text
                    return Outcome(status, [ev], item=item, confidence=0.9 if status != "undetermined" else 0.5,
                                   detail={"doc_value": doc_value, "law_value": p.law_value})
        return Outcome("missing")

    def _read(self, p: ValueParams, view, conditions: bool = False, only_lines=None):
        """Every quantity read in the rule's context, judged: (verdicts, a context without a number, scoped).
        With `conditions`, the numbers of a case ("khi Ban có từ 09 thành viên trở lên thì") are read too;
        `only_lines`: read these lines only (a presence rule's bound, in the item it found)."""
        groups = _fold_phrases(p.context)
        from pipeline.vntext import fold

        exclude = {fold(x) for x in p.exclude}
        candidates, scoped = scope_items(view, p.scope)
        lines = sorted({li for i in candidates for li in
                        (range(view.item_line_start[i], view.item_line_end[i])
                         if view.item_line_start[i] is not None else ())})
        if only_lines is not None:
            lines = sorted(only_lines)
        verdicts: list[tuple[str, Quantity, Evidence, int]] = []
        context_only: tuple[Evidence, int] | None = None
        wanted = [set(g) for g in groups]
        for li in lines:
            present = view.line_phrases.get(li)
            if not present:
                continue
            item = view.line_item[li]
            # the title of the enclosing Điều may name what its khoản are about ("Điều 19. Tổ chức Ban
            # TTND" over "1. … có từ 03 đến 09 thành viên"); the clause itself must hold one group
            titles: set[str] = set()
            if p.title_context:
                for t in view.dieu_title_lines(item) + [x for x in view.title_lines(item) if x != li]:
                    titles |= view.line_phrases.get(t, set())
                if p.section_context:
                    for t in view.section_title_lines(item):
                        titles |= view.line_phrases.get(t, set())
            if not all((present | titles) & g for g in wanted):
                continue
            hits = view.hits_by_line[li]
            fold_line = view.lines[li].fold
            lead: set[str] = set()  # what a lead-in clause before a ";" names, for the clause that goes on
            prev_end = None
            for s, e in (c for s0, e0 in view.clauses(li) for c in _exception_cuts(fold_line, s0, e0)):
                inside = [h for h in hits if s <= h.start and h.end <= e]
                names = {h.phrase for h in inside}
                # a statement continued after a semicolon keeps its subject: "Hội nghị tổ chức mỗi năm một lần
                # …; thời gian tổ chức chậm nhất là ngày 31 tháng 3 năm sau", "Ban TTND do hội nghị bầu …;
                # nhiệm kỳ này gồm 07 thành viên"
                carried = lead if prev_end is not None and ";" in fold_line[max(prev_end - 1, 0):s] else set()
                prev_end = e
                own_qs = [q for q in view.quantities(li, s, e) if q.unit in p.units
                          and (conditions or q.comparator != "condition")]
                lead = names if not own_qs and not names & exclude else set()
                if not all((names | titles | carried) & g for g in wanted) or not any(names & g for g in wanted) \
                        or names & exclude:
                    continue
                qs = own_qs
                if any(not q.from_date for q in qs):  # a stated duration wins over a date in brackets
                    qs = [q for q in qs if not q.from_date]
                if p.dates == "work_year":
                    qs = [_after_work_year(q, _clause_year_end(fold_line[s:e], view.work_year_end)) for q in qs]
                if not qs:
                    context_only = context_only or (Evidence(li, s, e), item)
                    continue
                for q in qs:
                    verdicts.append((judge(q, p), q, Evidence(li, s, e), item))
        return verdicts, context_only, scoped


# kinds kept in their own modules register themselves on import
from pipeline.check import legal_kinds as _legal_kinds  # noqa: E402,F401
