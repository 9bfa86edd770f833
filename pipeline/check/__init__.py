"""Check stage: (ParsedDocument, Classification, RuleSet) -> findings.

Entry point: `check(doc, classification, ruleset)`. Deterministic: rules run in a fixed order
and each rule's check kind evaluates it on one shared view of the document.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.check.kinds import CHECK_KINDS, Outcome
from pipeline.check.rules import Rule, RuleSet, load_ruleset
from pipeline.check.view import DocumentView, build_view
from pipeline.classify import Classification
from pipeline.model import ParsedDocument
from pipeline.vntext.nlp import PhraseIndex

AMENDMENT_DATE = dt.date(2025, 7, 1)
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass
class Finding:
    rule: str
    status: str
    severity: str
    message: str
    citation: dict
    evidence: list[dict]
    confidence: float
    suggestion: str | None
    title: str = ""
    pack: str = ""
    where: str | None = None  # for a missing item: the part of the document where it belongs
    where_span: dict | None = None  # the location object of that part's heading (anchors a Word comment)
    notes: list[str] = field(default_factory=list)
    waived: bool = False
    waiver_reason: str | None = None

    def to_dict(self) -> dict:
        d = {"rule": self.rule, "status": self.status, "severity": self.severity, "message": self.message,
             "citation": self.citation, "evidence": self.evidence, "confidence": round(self.confidence, 2),
             "suggestion": self.suggestion, "title": self.title, "pack": self.pack, "where": self.where,
             "where_span": self.where_span, "notes": self.notes}
        if self.waived:
            d["waived"] = True
            d["waiver_reason"] = self.waiver_reason
        return d


@lru_cache(maxsize=4)
def default_ruleset() -> RuleSet:
    return load_ruleset()


_INDEXES: dict[int, PhraseIndex] = {}


def phrase_index(ruleset: RuleSet) -> PhraseIndex:
    """One matcher for every cue of every rule and scope, built once per process."""
    key = id(ruleset)
    if key not in _INDEXES:
        from pipeline.vntext import fold

        phrases: set[str] = set()
        for rule in ruleset.rules:
            phrases |= CHECK_KINDS[rule.check.kind].phrases(rule)
        for pack in ruleset.packs.values():
            for scope in pack.scopes.values():
                phrases |= {fold(h) for h in scope.headings + scope.exclude}
        _INDEXES[key] = PhraseIndex(sorted(p for p in phrases if p.strip()))
    return _INDEXES[key]


def citation_of(rule: Rule) -> dict:
    b = rule.legal_basis
    return {"instrument": b.instrument, "article": b.article, "clause": b.clause, "point": b.point,
            "text": b.cite(), "also": b.also}


def applicable_rules(ruleset: RuleSet, c: Classification) -> list[Rule]:
    if not c.topic_democracy or c.unit_type is None:
        return []
    return [r for r in ruleset.rules if c.kind in r.applies_to.kinds and c.unit_type in r.applies_to.unit_types]


def _staff_condition(rule: Rule, c: Classification) -> str | None:
    """'not_applicable', 'unknown' or None (the condition holds or there is none)."""
    cond = rule.applies_to.condition
    if cond is None or cond.staff_gt is None:
        return None
    if c.staff is not None:
        return None if c.staff > cond.staff_gt else "not_applicable"
    if c.staff_max is not None and c.staff_max <= cond.staff_gt:
        return "not_applicable"
    return "unknown"


CONTEXT_CHARS = 240  # of the paragraph kept on each side of a quote (reports show the quote in context)


def context_of(text: str, start: int, end: int, margin: int = CONTEXT_CHARS) -> dict | None:
    """The paragraph around a quote, with the quote's offsets in it.

    A very long paragraph is cut `margin` characters before and after the quote, at a space where one is
    near, so a report never prints a whole page to show one sentence; `cut_before` / `cut_after` say so.
    """
    if not text or not 0 <= start <= end <= len(text):
        return None
    a, b = max(0, start - margin), min(len(text), end + margin)
    if a > 0:
        sp = text.find(" ", a, start)
        a = sp + 1 if sp != -1 else a
    if b < len(text):
        sp = text.rfind(" ", end, b)
        b = sp if sp != -1 else b
    return {"text": text[a:b], "start": start - a, "end": end - a, "cut_before": a > 0, "cut_after": b < len(text)}


def _evidence(view: DocumentView, outcome: Outcome) -> list[dict]:
    """The quoted sentence with its span and its paragraph; `location` names the item that holds the whole
    evidence."""
    out = []
    holder = view.items[outcome.item].path if outcome.item is not None else None
    for ev in outcome.evidence:
        loc = view.location(ev.line, ev.start, ev.end)
        out.append({"quote": view.quote(loc), "location": holder or loc.path, "span": loc.to_dict(),
                    "context": context_of(view.block_text(loc), loc.start, loc.end)})
    return out


def _with_context(view: DocumentView, evidence: list[dict] | None) -> list[dict] | None:
    """Evidence a kind built itself (the legal-basis clauses) gets its paragraph like any other."""
    for ev in evidence or ():
        span = ev.get("span")
        if "context" not in ev and span:
            block = view.blocks.get(span.get("block"))
            ev["context"] = context_of(block.text, span["start"], span["end"]) if block else None
    return evidence


def _where(view: DocumentView, rule: Rule) -> tuple[str | None, dict | None]:
    """The section where a missing item belongs: its path and its heading's location object."""
    scope = getattr(CHECK_KINDS[rule.check.kind].parsed(rule), "scope", None)
    heads = view.scopes.get(scope) if scope else None
    if heads:
        iv = view.items[heads[0]]
        return iv.path, iv.item.location.to_dict() if iv.item is not None else None
    return None, None


def check(doc: ParsedDocument, c: Classification, ruleset: RuleSet | None = None,
          lang: str = "vi") -> list[Finding]:
    from pipeline.report.messages import finding_message

    ruleset = ruleset or default_ruleset()
    rules = applicable_rules(ruleset, c)
    if not rules:
        return []
    scopes = {}
    for pack in {r.pack for r in rules}:
        scopes.update(ruleset.packs[pack].scopes)
    view = build_view(doc, phrase_index(ruleset), scopes)
    judged = dt.date.fromisoformat(c.judged_on)
    view.judged_on = judged  # legal-basis kinds judge citations as of this day
    findings: list[Finding] = []
    for rule in rules:
        notes: list[str] = []
        if not rule.in_force(judged):
            outcome = Outcome("not_applicable", confidence=1.0, detail={"note": "not_in_force"})
        else:
            condition = _staff_condition(rule, c)
            outcome = CHECK_KINDS[rule.check.kind].evaluate(rule, view)
            # a provision the law does not require of this unit: fine if there, not applicable if not
            if condition == "not_applicable" and outcome.status in ("missing", "partial"):
                outcome = Outcome("not_applicable", confidence=0.9, detail={"note": "staff"})
            elif condition == "unknown" and outcome.status == "missing":
                outcome = Outcome("undetermined", confidence=0.5, detail={"note": "staff_unknown"})
        severity = _severity(rule, outcome.status)
        if outcome.detail.get("severity") and outcome.status in ("conflict", "missing", "partial"):
            severity = outcome.detail["severity"]  # a legal-basis kind: capped by the registry fact's confidence
        if rule.amended_2025 and judged >= AMENDMENT_DATE and severity == "error":
            severity = "warning"
            notes.append("amended_2025")
        if c.date_note:  # judged on the end of a partial date's period, or on run.as_of for no date
            notes.append("partial_date" if (c.date or {}).get("year") else "no_date")
        message = finding_message(rule, outcome, lang)
        if "amended_2025" in notes:  # say why the severity is lower than the rule's
            from pipeline.report.messages import NOTES

            message = f"{message} {NOTES['amended_2025']['en' if lang == 'en' else 'vi']}"
        # where the content belongs: for what is missing, and for what would be but for the staff count
        absent = outcome.status in ("missing", "partial") or outcome.detail.get("note") == "staff_unknown"
        where, where_span = _where(view, rule) if absent else (None, None)
        if absent and outcome.detail.get("where"):  # a kind that knows better (the legal-basis preamble)
            where, where_span = outcome.detail["where"], outcome.detail.get("where_span")
        findings.append(Finding(
            rule=rule.id, status=outcome.status, severity=severity,
            message=message, citation=citation_of(rule),
            evidence=_with_context(view, outcome.detail.get("evidence")) or _evidence(view, outcome), confidence=outcome.confidence,
            suggestion=rule.suggestion if outcome.status in ("missing", "partial", "conflict") else None,
            title=getattr(rule.title, lang), pack=rule.pack,
            where=where, where_span=where_span, notes=notes))
    return findings


def _severity(rule: Rule, status: str) -> str:
    if status in ("present", "not_applicable", "undetermined"):
        return "info"
    if status == "conflict":
        return "error" if rule.verified else "warning"
    if status == "partial":
        return "warning" if rule.severity == "error" else rule.severity
    return rule.severity
