"""`dccs eval`: the checker against the labelled corpus, beside a naive keyword baseline.

Labels (corpus/labels/*.yaml, corpus/<set>/labels/*.yaml) give per document and rule the status a
person read and the location of the evidence. Reported per rule and overall, for the dev and held-out
sets separately: precision, recall, F1 and F2 of missing+conflict findings; evidence-location
accuracy; the same for a keyword baseline; and an ablation (delete a rule's labelled evidence: the
rule must fire, rules whose evidence lies elsewhere must not change).
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline.api import parse_bytes
from pipeline.check import check, default_ruleset
from pipeline.classify import classify
from pipeline.vntext import fold

POSITIVE = {"missing", "conflict"}
FLAGGED = {"missing", "conflict", "partial"}
STOPWORDS = set("của và các có được theo về trong với cho là những một này đó khi thì từ đến ở tại do bằng "
                "hoặc nếu không quy chế định".split())


@dataclass
class Case:
    set: str
    document: str
    path: Path
    labels: dict
    kind: str
    unit_type: str
    base: str | None


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, label_pos: bool, pred_pos: bool):
        if label_pos and pred_pos:
            self.tp += 1
        elif pred_pos:
            self.fp += 1
        elif label_pos:
            self.fn += 1
        else:
            self.tn += 1

    def scores(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        f2 = 5 * p * r / (4 * p + r) if 4 * p + r else 0.0
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn, "precision": round(p, 4),
                "recall": round(r, 4), "f1": round(f1, 4), "f2": round(f2, 4)}


@dataclass
class SetResult:
    checker: Counts = field(default_factory=Counts)
    baseline: Counts = field(default_factory=Counts)
    per_rule: dict = field(default_factory=lambda: defaultdict(Counts))
    per_rule_baseline: dict = field(default_factory=lambda: defaultdict(Counts))
    location_total: int = 0
    location_exact: int = 0
    location_near: int = 0
    status_agree: int = 0
    status_total: int = 0
    misgraded: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    ablation_runs: int = 0
    ablation_fired: int = 0
    ablation_stable: int = 0
    ablation_failures: list = field(default_factory=list)
    mismatches: list = field(default_factory=list)


def load_cases(corpus: Path, sets: set[str] | None = None) -> list[Case]:
    cases = []
    folders = [(corpus / "labels", "dev")] + [(d / "labels", d.name) for d in sorted(corpus.iterdir())
                                               if d.is_dir() and (d / "labels").is_dir()]
    for folder, default_set in folders:
        for f in sorted(folder.glob("*.yaml")):
            lab = yaml.safe_load(f.read_text(encoding="utf-8"))
            doc_dir = folder.parent
            case = Case(lab.get("set", default_set), lab["document"], doc_dir / lab["document"],
                        lab["labels"], lab["kind"], lab["unit_type"], lab.get("base"))
            if sets is None or case.set in sets:
                cases.append(case)
    return cases


def _near(a: str, b: str) -> bool:
    return a == b or a.startswith(b + " ›") or b.startswith(a + " ›")


def baseline_status(rule, text_fold: str) -> str:
    words = [w for w in fold(rule.title.vi).replace(",", " ").split() if w not in STOPWORDS and not w.isdigit()]
    if not words:
        return "present"
    found = sum(1 for w in set(words) if w in text_fold)
    return "present" if found >= 0.8 * len(set(words)) else "missing"


def run_checker(data: bytes, name: str, as_of: dt.date, ruleset):
    doc = parse_bytes(data, name, Path(name).suffix)
    c = classify(doc, as_of=as_of)
    return doc, c, {f.rule: f for f in check(doc, c, ruleset)}


def _ablate(text: str, doc, path: str) -> str | None:
    """The text with the outline item at `path` (and its sub-items) deleted; None if not found. Appendix
    items count: an appendix the regulation points to holds its content ("Phụ lục › 3")."""
    for root in (o for part in doc.parts for o in part.outline) if doc.parts else doc.outline:
        for item in root.walk():
            if item.location.path == path:
                blocks = {ln.block for x in item.walk() for ln in x.lines}
                lines = text.split("\n")
                return "\n".join(line for i, line in enumerate(lines) if i not in blocks)
    return None


def evaluate(corpus: Path, ablation: bool = True, sets: set[str] | None = None) -> dict:
    ruleset = default_ruleset()
    as_of = dt.date.today()
    results: dict[str, SetResult] = defaultdict(SetResult)
    for case in load_cases(corpus, sets):
        r = results[case.set]
        data = case.path.read_bytes()
        try:
            doc, c, got = run_checker(data, case.path.name, as_of, ruleset)
        except Exception as exc:  # noqa: BLE001 - reported, not hidden
            r.errors.append(f"{case.document}: {type(exc).__name__}: {exc}")
            continue
        if case.kind in ("ke_hoach", "bao_cao", "other") and c.kind in ("quy_che", "quyet_dinh_ban_hanh_quy_che"):
            r.misgraded.append(case.document)
        text_fold = "\n".join(nb.fold for nb in doc.norm.blocks)
        for rule_id, lab in case.labels.items():
            rule = ruleset.by_id.get(rule_id)
            if rule is None:
                continue
            f = got.get(rule_id)
            pred = f.status if f else "not_applicable"
            label_pos = lab["status"] in POSITIVE
            r.checker.add(label_pos, pred in FLAGGED)
            r.per_rule[rule_id].add(label_pos, pred in FLAGGED)
            if lab["status"] in ("not_applicable", "undetermined"):
                b = lab["status"]
            else:
                b = baseline_status(rule, text_fold)
            r.baseline.add(label_pos, b in FLAGGED)
            r.per_rule_baseline[rule_id].add(label_pos, b in FLAGGED)
            r.status_total += 1
            r.status_agree += pred == lab["status"]
            if (pred in FLAGGED) != label_pos:
                r.mismatches.append({"document": case.document, "rule": rule_id, "label": lab["status"],
                                     "predicted": pred, "label_location": lab.get("location"),
                                     "evidence": f.evidence[0]["location"] if f and f.evidence else None})
            if lab.get("location") and lab["status"] in ("present", "conflict") and pred == lab["status"]:
                r.location_total += 1
                where = f.evidence[0]["location"] if f and f.evidence else ""
                r.location_exact += where == lab["location"]
                r.location_near += _near(where, lab["location"]) if where else 0
        if ablation and case.base is None and case.path.suffix == ".txt":
            _run_ablation(case, data, doc, got, ruleset, as_of, r)
    out = {}
    for name, r in results.items():
        per_rule = {k: v.scores() for k, v in sorted(r.per_rule.items())}
        out[name] = {
            "checker": r.checker.scores(), "baseline": r.baseline.scores(),
            "per_rule": per_rule,
            "per_rule_baseline": {k: v.scores() for k, v in sorted(r.per_rule_baseline.items())},
            "status_agreement": round(r.status_agree / r.status_total, 4) if r.status_total else None,
            "location_exact": round(r.location_exact / r.location_total, 4) if r.location_total else None,
            "location_near": round(r.location_near / r.location_total, 4) if r.location_total else None,
            "location_cases": r.location_total,
            "plans_or_reports_graded_as_regulations": r.misgraded,
            "errors": r.errors,
            "mismatches": r.mismatches,
            "ablation": {"runs": r.ablation_runs,
                         "fired": round(r.ablation_fired / r.ablation_runs, 4) if r.ablation_runs else None,
                         "stable": round(r.ablation_stable / r.ablation_runs, 4) if r.ablation_runs else None,
                         "failures": r.ablation_failures[:50]},
        }
    return out


def _run_ablation(case: Case, data: bytes, doc, got, ruleset, as_of, r: SetResult) -> None:
    text = data.decode("utf-8")
    for rule_id, lab in case.labels.items():
        if lab["status"] != "present" or not lab.get("location") or rule_id not in ruleset.by_id:
            continue
        ablated = _ablate(text, doc, lab["location"])
        if ablated is None:
            r.ablation_failures.append(f"{case.document} {rule_id}: location not found {lab['location']}")
            continue
        _, _, after = run_checker(ablated.encode("utf-8"), case.path.name, as_of, ruleset)
        r.ablation_runs += 1
        # the rule no longer reports the content as there (missing, partial, conflict, or "depends on …"); or
        # it was there and the deletion took away what made the rule apply: a cap "khi Ban có từ 09 thành
        # viên trở lên thì …" deleted from a Ban fixed at 05 members leaves a Ban the cap does not concern
        now = after[rule_id].status if after.get(rule_id) else None
        fired = now is None or now not in ("present", "not_applicable") or \
            (now == "not_applicable" and got.get(rule_id) is not None and got[rule_id].status == "present")
        changed = [other for other, olab in case.labels.items()
                   if other != rule_id and other in got and olab.get("location")
                   and not _near(olab["location"], lab["location"])
                   and after.get(other) is not None and after[other].status != got[other].status]
        r.ablation_fired += fired
        r.ablation_stable += fired and not changed
        if not fired or changed:
            r.ablation_failures.append(f"{case.document} −{lab['location']}: {rule_id} "
                                       f"{'fired' if fired else 'did not fire'}"
                                       + (f"; changed: {', '.join(changed)}" if changed else ""))


def to_markdown(res: dict) -> str:
    lines = ["# dccs eval", ""]
    for name in sorted(res, key=lambda n: (n != "dev", n)):
        s = res[name]
        c, b = s["checker"], s["baseline"]
        lines += [f"## {name}", "",
                  "| | precision | recall | F1 | F2 | TP | FP | FN |", "|---|---|---|---|---|---|---|---|",
                  f"| checker | {c['precision']} | {c['recall']} | {c['f1']} | {c['f2']} | {c['tp']} | {c['fp']} | {c['fn']} |",
                  f"| keyword baseline | {b['precision']} | {b['recall']} | {b['f1']} | {b['f2']} | {b['tp']} | {b['fp']} | {b['fn']} |",
                  "",
                  f"- status agreement (all six statuses): {s['status_agreement']}",
                  f"- evidence location: exact {s['location_exact']}, same or enclosing item {s['location_near']} "
                  f"({s['location_cases']} cases)",
                  f"- ablation: {s['ablation']['runs']} runs, rule fired {s['ablation']['fired']}, fired and nothing "
                  f"else changed {s['ablation']['stable']}",
                  f"- plans or reports graded as regulations: {len(s['plans_or_reports_graded_as_regulations'])}",
                  ""]
        if s["errors"]:
            lines += ["Errors:", *[f"- {e}" for e in s["errors"]], ""]
        lines += ["| rule | P | R | F1 | TP | FP | FN | baseline F1 |", "|---|---|---|---|---|---|---|---|"]
        for rid, sc in s["per_rule"].items():
            bl = s["per_rule_baseline"][rid]
            lines.append(f"| {rid} | {sc['precision']} | {sc['recall']} | {sc['f1']} | {sc['tp']} | {sc['fp']} | "
                         f"{sc['fn']} | {bl['f1']} |")
        if s["ablation"]["failures"]:
            lines += ["", "Ablation failures (first 50):", *[f"- {x}" for x in s["ablation"]["failures"]]]
        lines.append("")
    return "\n".join(lines)


def run_eval(corpus: Path, out: Path, lang: str = "vi", sets: set[str] | None = None) -> int:
    res = evaluate(corpus, sets=sets)
    out.mkdir(parents=True, exist_ok=True)
    (out / "eval.json").write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    md = to_markdown(res)
    (out / "eval.md").write_text(md, encoding="utf-8")
    for name in sorted(res, key=lambda n: (n != "dev", n)):
        if name in res:
            c, b = res[name]["checker"], res[name]["baseline"]
            print(f"{name}: P={c['precision']} R={c['recall']} F1={c['f1']} F2={c['f2']} | baseline F1={b['f1']} | "
                  f"ablation={res[name]['ablation']['stable']} | location={res[name]['location_exact']}")
    print(f"→ {out / 'eval.md'}")
    return 0
