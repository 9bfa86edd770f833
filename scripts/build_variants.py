"""Build corpus variants from their base documents and the edits that make them.

Each `corpus/variants/<base>.yaml` names a base document and its variants. A variant is the
base with line edits applied; its labels are the base's labels (corpus/labels/<base>.yaml)
overridden by the variant's own `labels` — written by a person from the edit, never by
running the tool. Outputs: corpus/<name>.txt and corpus/labels/<name>.yaml.

    python scripts/build_variants.py            # all variant files
    python scripts/build_variants.py --check    # fail if a generated file is out of date
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


class EditError(Exception):
    pass


def _find(lines: list[str], prefix: str, start: int = 0) -> int:
    hits = [i for i in range(start, len(lines)) if lines[i].strip().startswith(prefix.strip())]
    if len(hits) != 1:
        raise EditError(f"{prefix!r} matches {len(hits)} lines (need exactly one)")
    return hits[0]


def apply_edits(text: str, edits: list[dict]) -> str:
    lines = text.split("\n")
    for edit in edits:
        if "delete_from" in edit:
            a = _find(lines, edit["delete_from"])
            b = _find(lines, edit["delete_to"], a + 1) if edit.get("delete_to") else len(lines)
            del lines[a:b]
        elif "delete_line" in edit:
            del lines[_find(lines, edit["delete_line"])]
        elif "replace" in edit:
            r = edit["replace"]
            i = _find(lines, r["line"])
            if lines[i].count(r["old"]) != 1:
                raise EditError(f"{r['old']!r} occurs {lines[i].count(r['old'])} times in line {i + 1}")
            lines[i] = lines[i].replace(r["old"], r["new"])
        elif "insert_after" in edit:
            i = _find(lines, edit["insert_after"])
            lines[i + 1:i + 1] = edit["lines"]
        else:
            raise EditError(f"unknown edit {edit!r}")
    return "\n".join(lines)


def build(check: bool = False) -> list[str]:
    stale = []
    for spec_path in sorted((CORPUS / "variants").glob("*.yaml")):
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        base = spec["base"]
        base_text = (CORPUS / base).read_text(encoding="utf-8")
        base_labels = yaml.safe_load((CORPUS / "labels" / (Path(base).stem + ".yaml")).read_text(encoding="utf-8"))
        for v in spec["variants"]:
            try:
                text = apply_edits(base_text, v["edits"])
            except EditError as exc:
                raise SystemExit(f"{spec_path.name}: {v['name']}: {exc}")
            labels = dict(base_labels)
            labels.update({k: v2 for k, v2 in v.items() if k in ("kind", "unit_type", "staff", "set")})
            merged = {rule: dict(lab) for rule, lab in base_labels["labels"].items()}
            for rule, lab in (v.get("labels") or {}).items():
                merged[rule] = dict(lab)
            labels.update(document=f"{v['name']}.txt", base=base, description=v.get("description", ""),
                          labels=merged)
            outputs = {CORPUS / f"{v['name']}.txt": text,
                       CORPUS / "labels" / f"{v['name']}.yaml":
                           yaml.safe_dump(labels, allow_unicode=True, sort_keys=False, width=120)}
            for path, content in outputs.items():
                if check:
                    if not path.exists() or path.read_text(encoding="utf-8") != content:
                        stale.append(str(path))
                else:
                    path.write_text(content, encoding="utf-8")
    return stale


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    stale = build(check=args.check)
    if stale:
        print("out of date:\n" + "\n".join(stale))
        sys.exit(1)
