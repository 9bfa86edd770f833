"""Reviewer workflow: waivers (by hash, by path pattern) and a baseline (the previous run), through the
library, the CLI (exit codes, JSON, text) and every batch output. Expected statuses from corpus/labels."""
import copy
import hashlib
import json
import subprocess
import sys

import jsonschema
import pandas as pd
import pytest
import yaml

from conftest import CORPUS, ROOT, SHARED
from pipeline.batch import Options, run_batch
from pipeline.check import default_ruleset
from pipeline.cli import exit_code
from pipeline.report import render_text, run_info, worst_severity
from pipeline.report.outputs import BATCH_WRITERS, read_jsonl
from pipeline.report.tables import label
from pipeline.report.workflow import (BaselineError, WaiverError, annotate, load_baseline, load_waivers)
from pipeline.report.xlsx import SHEETS

FLAGGED = ("missing", "partial", "conflict")
XA_BASE, XA_V02 = CORPUS / "xa-tan-an-quy-che.txt", CORPUS / "xa-tan-an-v02-niem-yet-15-ngay.txt"
SNV_BASE, SNV_V04 = CORPUS / "so-noi-vu-quyet-dinh-quy-che.txt", CORPUS / "so-noi-vu-v04-cong-khai-10-ngay-tuc-so-mot-nua.txt"
CONGTY_V06 = CORPUS / "cong-ty-tnhh-mtv-v06-thieu-muc.txt"
OPTS = Options(as_of="2026-01-01")


def labels(path) -> dict[str, str]:
    data = yaml.safe_load((CORPUS / "labels" / (path.stem + ".yaml")).read_text("utf-8"))
    return {rule: v["status"] for rule, v in data["labels"].items()}


def flagged(statuses: dict[str, str]) -> set[tuple[str, str]]:
    return {(rule, s) for rule, s in statuses.items() if s in FLAGGED}


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "check", *map(str, args), "--as-of", "2026-01-01"],
                          capture_output=True, text=True, cwd=cwd)


def write_yaml(path, data):
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def checked():
    """xa v02 (labelled: XA-CK-T2 conflict, an error) and cong-ty v06 (three items missing)."""
    return run_batch([str(XA_V02), str(CONGTY_V06)], OPTS, jobs=2)


# --- waivers file ---------------------------------------------------------------------------------------

def test_waivers_file_by_hash_and_by_pattern(tmp_path):
    sha = hashlib.sha256(XA_V02.read_bytes()).hexdigest()
    path = write_yaml(tmp_path / "w.yaml", [
        {"sha256": sha.upper(), "rule": "XA-CK-T2", "reason": "Đã có văn bản riêng", "by": "Lê Văn B",
         "date": "2026-01-05"},
        {"path": "cong-ty-*-v06-*.txt", "rule": "DN-CK-03", "reason": "Không phát sinh", "by": "Trần C",
         "date": "2026-01-06"}])
    w = load_waivers(path)
    assert [(e.sha256, e.path, e.rule, e.date) for e in w.entries] == [
        (sha, None, "XA-CK-T2", "2026-01-05"), (None, "cong-ty-*-v06-*.txt", "DN-CK-03", "2026-01-06")]
    assert w.entries[0].matches({"file": "anywhere/renamed.txt", "sha256": sha})
    assert not w.entries[0].matches({"file": str(XA_V02), "sha256": "0" * 64})
    assert w.entries[1].matches({"file": str(CONGTY_V06), "sha256": None})
    assert not w.entries[1].matches({"file": str(XA_V02), "sha256": None})
    assert load_waivers(write_yaml(tmp_path / "k.yaml", {"waivers": [
        {"path": "corpus/*.txt", "rule": "X", "reason": "r", "by": "b", "date": "2026-01-01"}]})).entries[0].matches(
        {"file": str(XA_V02), "sha256": None})  # a pattern with "/" matches the path's tail


@pytest.mark.parametrize("entry, lang, expected", [
    ({"path": "*.txt", "rule": "XA-CK-T2", "by": "B", "date": "2026-01-05"}, "vi", "mục 2, trường 'reason': thiếu"),
    ({"path": "*.txt", "rule": "XA-CK-T2", "by": "B", "date": "2026-01-05"}, "en", "entry 2, field 'reason': missing"),
    ({"path": "*.txt", "sha256": "a" * 64, "rule": "R", "reason": "r", "by": "B", "date": "2026-01-05"}, "en",
     "entry 2: give exactly one of the fields 'sha256' or 'path'"),
    ({"sha256": "abc", "rule": "R", "reason": "r", "by": "B", "date": "2026-01-05"}, "vi",
     "mục 2, trường 'sha256': cần 64 ký tự hexa"),
    ({"path": "*.txt", "rule": "R", "reason": "r", "by": "B", "date": "05/01/2026"}, "en",
     "entry 2, field 'date': expected a YYYY-MM-DD date, got '05/01/2026'"),
    ({"path": "*.txt", "rule": "R", "reason": " ", "by": "B", "date": "2026-01-05"}, "vi",
     "mục 2, trường 'reason': không được để trống"),
    ({"path": "*.txt", "rule": "R", "reason": "r", "by": "B", "date": "2026-01-05", "note": "x"}, "en",
     "entry 2, field 'note': unknown field"),
    ({"path": "*.txt", "rule": "XA-CK-T9", "reason": "r", "by": "B", "date": "2026-01-05"}, "vi",
     "mục 2, trường 'rule': không có quy tắc 'XA-CK-T9'"),
])
def test_a_bad_waiver_entry_is_named_with_its_field(tmp_path, entry, lang, expected):
    good = {"path": "*.txt", "rule": "XA-CK-T2", "reason": "r", "by": "B", "date": "2026-01-05"}
    path = write_yaml(tmp_path / "w.yaml", [good, entry])
    with pytest.raises(WaiverError) as exc:
        load_waivers(path, lang, known_rules=set(default_ruleset().by_id))
    assert str(exc.value).startswith(str(path)) and expected in str(exc.value)


def test_a_waivers_file_that_is_not_a_list_or_not_yaml(tmp_path):
    with pytest.raises(WaiverError, match="cần một danh sách"):
        load_waivers(write_yaml(tmp_path / "a.yaml", {"rule": "X"}))
    bad = tmp_path / "b.yaml"
    bad.write_text("- rule: [unclosed\n", encoding="utf-8")
    with pytest.raises(WaiverError, match="not valid YAML"):
        load_waivers(bad, "en")
    with pytest.raises(WaiverError, match="cannot read"):
        load_waivers(tmp_path / "none.yaml", "en")


# --- waivers applied ------------------------------------------------------------------------------------

def test_waived_findings_keep_their_status_and_leave_the_exit_code(checked, tmp_path):
    results = copy.deepcopy(checked)
    assert ("XA-CK-T2", "conflict") in flagged(labels(XA_V02))
    assert exit_code(results, "error") == 1
    sha = hashlib.sha256(XA_V02.read_bytes()).hexdigest()
    waivers = load_waivers(write_yaml(tmp_path / "w.yaml", [
        {"sha256": sha, "rule": "XA-CK-T2", "reason": "Niêm yết theo luật chuyên ngành", "by": "Lê Văn B",
         "date": "2026-01-05"}]))
    for r in results:
        annotate(r, waivers)
    xa, congty = results
    f = next(f for f in xa["findings"] if f["rule"] == "XA-CK-T2")
    assert (f["status"], f["waived"], f["waiver_reason"], f["waiver_by"], f["waiver_date"]) == (
        "conflict", True, "Niêm yết theo luật chuyên ngành", "Lê Văn B", "2026-01-05")
    assert xa["counts"]["conflict"] == 1  # still counted as what it is
    assert xa["severity_counts"]["error"] == 0 and worst_severity(xa) != "error"
    assert not any(f.get("waived") for f in congty["findings"])
    assert exit_code(results, "error") == 0
    assert "[đã chấp nhận: Niêm yết theo luật chuyên ngành]" in render_text(xa)
    assert waivers.unused() == []


def test_cli_waivers_by_pattern_flip_the_exit_code(tmp_path):
    plain = cli(XA_V02, "--format", "json", "--jobs", "0")
    assert plain.returncode == 1, plain.stderr
    waivers = write_yaml(tmp_path / "w.yaml", [
        {"path": "xa-tan-an-v02-*.txt", "rule": "XA-CK-T2", "reason": "accepted", "by": "B", "date": "2026-01-05"},
        {"path": "khong-co-*.txt", "rule": "XA-CK-T1", "reason": "x", "by": "B", "date": "2026-01-05"}])
    r = cli(XA_V02, "--format", "json", "--jobs", "0", "--waivers", waivers)
    assert r.returncode == 0, r.stderr
    [doc] = json.loads(r.stdout)["documents"]
    waived = [f for f in doc["findings"] if f.get("waived")]
    assert [(f["rule"], f["status"]) for f in waived] == [("XA-CK-T2", "conflict")]
    assert "mục 2 (XA-CK-T1) không khớp phát hiện nào" in r.stderr  # an entry that waived nothing is told
    bad = write_yaml(tmp_path / "bad.yaml", [{"path": "*.txt", "rule": "XA-CK-T2", "by": "B", "date": "2026-01-05"}])
    r = cli(XA_V02, "--waivers", bad, "--lang", "en")
    assert r.returncode == 2 and "entry 1, field 'reason': missing" in r.stderr


# --- baseline -------------------------------------------------------------------------------------------

def _revised_v04() -> str:
    """V04 with its Điều 6.1 fixed back to the base's wording: a revised draft that fixes one of two conflicts."""
    base, v04 = SNV_BASE.read_text("utf-8").splitlines(), SNV_V04.read_text("utf-8").splitlines()
    assert len(base) == len(v04)
    out = [b if (a != b and "công khai chậm nhất" in b) else a for a, b in zip(v04, base)]
    assert sum(a != b for a, b in zip(out, v04)) == 1
    return "\n".join(out) + "\n"


def test_cli_baseline_marks_new_unchanged_and_resolved(tmp_path):
    prev, cur = tmp_path / "lan-1", tmp_path / "lan-2"
    prev.mkdir()
    cur.mkdir()
    (prev / "so-noi-vu.txt").write_text(SNV_V04.read_text("utf-8"), encoding="utf-8")
    (prev / "xa-tan-an.txt").write_text(XA_BASE.read_text("utf-8"), encoding="utf-8")
    (cur / "so-noi-vu.txt").write_text(_revised_v04(), encoding="utf-8")
    (cur / "xa-tan-an.txt").write_text(XA_V02.read_text("utf-8"), encoding="utf-8")
    first = cli(prev, "--out", tmp_path / "out-1", "--fail-on", "never", "--jobs", "2")
    assert first.returncode == 0, first.stderr
    r = cli(cur, "--baseline", tmp_path / "out-1", "--format", "json", "--fail-on", "never", "--jobs", "2")
    assert r.returncode == 0, r.stderr
    docs = {d["file"].rsplit("/", 1)[-1]: d for d in json.loads(r.stdout)["documents"]}

    # expected, from the labels: the revised draft has v04's statuses except Điều 6.1 (CQ-CK-T1), as in the base
    before = flagged(labels(SNV_V04))
    after = flagged({**labels(SNV_V04), "CQ-CK-T1": labels(SNV_BASE)["CQ-CK-T1"]})
    snv = docs["so-noi-vu.txt"]
    assert snv["baseline"]["match"] == "name" and snv["baseline"]["previous_file"].endswith("lan-1/so-noi-vu.txt")
    states = {(f["rule"], f["status"]): f["baseline_state"] for f in snv["findings"] if f["status"] in FLAGGED}
    assert {k for k, v in states.items() if v == "unchanged"} == after & before == {("CQ-HN-04", "conflict")}
    assert {k for k, v in states.items() if v == "new"} == after - before == set()
    assert {(p["rule"], p["status"]) for p in snv["resolved"]} == before - after == {("CQ-CK-T1", "conflict")}
    assert all(p["message"] and p["severity"] == "error" for p in snv["resolved"])

    xa = docs["xa-tan-an.txt"]
    before, after = flagged(labels(XA_BASE)), flagged(labels(XA_V02))
    states = {(f["rule"], f["status"]): f["baseline_state"] for f in xa["findings"] if f["status"] in FLAGGED}
    assert {k for k, v in states.items() if v == "new"} == after - before == {("XA-CK-T2", "conflict")}
    assert {k for k, v in states.items() if v == "unchanged"} == set()
    assert xa["resolved"] == []
    assert all("baseline_state" not in f for f in xa["findings"] if f["status"] not in FLAGGED)

    text = render_text(xa) + "\n" + render_text(snv)  # what the text report prints for them
    assert "XA-CK-T2 — Trái luật:" in text and "[mới]" in text.split("XA-CK-T2 — Trái luật:")[1].split("\n")[0]
    assert "✓ [đã khắc phục] CQ-CK-T1 — lần trước Trái luật" in text


def test_baseline_from_findings_jsonl_matches_by_hash_first(checked, tmp_path):
    with open(tmp_path / "findings.jsonl", "w", encoding="utf-8") as fh:
        for r in checked:
            fh.write(json.dumps({**r, "file": "old/" + r["file"].rsplit("/", 1)[-1] + ".bak"}, ensure_ascii=False) + "\n")
    baseline = load_baseline(tmp_path)
    for r in copy.deepcopy(checked):
        annotate(r, None, baseline)
        assert r["baseline"]["match"] == "sha256"  # same content, whatever the name
        assert r["resolved"] == []
        assert {f["baseline_state"] for f in r["findings"] if f["status"] in FLAGGED} == {"unchanged"}
    other = copy.deepcopy(checked[0])
    other.update(file="khac.txt", sha256="f" * 64)
    annotate(other, None, baseline)
    assert other["baseline"]["match"] is None and other["resolved"] == []
    assert {f["baseline_state"] for f in other["findings"] if f["status"] in FLAGGED} == {"new"}
    with pytest.raises(BaselineError, match="findings.jsonl"):
        load_baseline(tmp_path / "khong-co")


# --- in every output ------------------------------------------------------------------------------------

def test_waivers_and_baseline_in_sarif_xlsx_and_csv(checked, tmp_path):
    """Baseline: the complete cong-ty regulation, so v06's three labelled gaps are new; xa v02's conflict waived."""
    base = run_batch([str(CORPUS / "cong-ty-tnhh-mtv-quy-che.txt")], OPTS, jobs=0)
    prev = tmp_path / "prev"
    prev.mkdir()
    with open(prev / "findings.jsonl", "w", encoding="utf-8") as fh:  # the base as the previous draft, same name
        fh.write(json.dumps({**base[0], "file": str(CONGTY_V06)}, ensure_ascii=False) + "\n")
        bogus = {**base[0], "file": str(XA_V02), "sha256": "e" * 64,
                 "findings": [{"rule": "XA-CK-T1", "status": "conflict", "severity": "error", "message": "cũ",
                               "title": "t"}]}
        fh.write(json.dumps(bogus, ensure_ascii=False) + "\n")
    waivers = load_waivers(write_yaml(tmp_path / "w.yaml", [
        {"path": "xa-tan-an-v02-*", "rule": "XA-CK-T2", "reason": "chấp nhận", "by": "B", "date": "2026-01-05"}]))
    baseline = load_baseline(prev)
    results = [annotate(copy.deepcopy(r), waivers, baseline) for r in checked]
    jsonl = tmp_path / "findings.jsonl"
    with open(jsonl, "w", encoding="utf-8") as fh:
        for r in results:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    run = run_info(default_ruleset(), "2026-01-01")
    out = tmp_path / "out"
    for name in ("xlsx", "csv", "sarif"):
        BATCH_WRITERS[name](run, lambda: read_jsonl(jsonl), out, "en")

    v06_gaps = flagged(labels(CONGTY_V06)) - flagged(labels(CORPUS / "cong-ty-tnhh-mtv-quy-che.txt"))
    assert len(v06_gaps) == 3

    sarif = json.loads((out / "results.sarif").read_text("utf-8"))
    jsonschema.Draft4Validator(json.loads((SHARED / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))
                               ).validate(sarif)
    res = sarif["runs"][0]["results"]
    [waived] = [x for x in res if "suppressions" in x]
    assert waived["ruleId"] == "XA-CK-T2" and waived["kind"] == "fail"
    assert waived["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "chấp nhận",
                                       "properties": {"by": "B", "date": "2026-01-05"}}]
    new = {(x["ruleId"], x["properties"]["status"]) for x in res if x.get("baselineState") == "new"}
    assert new == v06_gaps | {("XA-CK-T2", "conflict")}
    [absent] = [x for x in res if x.get("baselineState") == "absent"]
    assert (absent["ruleId"], absent["kind"], absent["level"]) == ("XA-CK-T1", "pass", "none")
    assert "XA-CK-T1" in [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]

    found = pd.read_excel(out / "summary.xlsx", sheet_name=SHEETS["en"]["findings"])
    col = lambda key: label(key, "en")  # noqa: E731
    xa = found[found[col("file")] == str(XA_V02)]
    row = xa[xa[col("rule")] == "XA-CK-T2"].iloc[0]
    assert (row[col("status")], row[col("waived")], row[col("waiver_reason")], row[col("baseline_state")]) == (
        "conflict", "yes", "chấp nhận", "new")
    resolved = xa[xa[col("baseline_state")] == "resolved"]
    assert resolved[col("rule")].tolist() == ["XA-CK-T1"]
    congty = found[(found[col("file")] == str(CONGTY_V06)) & (found[col("baseline_state")] == "new")]
    assert set(congty[col("rule")]) == {rule for rule, _ in v06_gaps}

    csv = pd.read_csv(out / "summary.csv", encoding="utf-8-sig")
    assert csv["n_waived"].tolist() == [1, 0]
    assert csv["n_new"].tolist() == [1, 3] and csv["n_resolved"].tolist() == [1, 0]
    assert csv["n_error"].tolist()[0] == 0  # the waived conflict no longer counts as an open error
