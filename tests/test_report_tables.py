"""Batch tables and SARIF: summary.xlsx read back with pandas/openpyxl, summary.csv, results.sarif
validated against the official SARIF 2.1.0 schema. Expected statuses come from corpus/labels."""
import json

import jsonschema
import openpyxl
import pandas as pd
import pytest
import yaml

from conftest import CORPUS, SHARED
from pipeline.batch import Options, run_batch
from pipeline.check import default_ruleset
from pipeline.classify import KIND_NAMES, UNIT_NAMES
from pipeline.report import run_info
from pipeline.report import xlsx as xlsx_mod
from pipeline.report.groups import group_name, group_of
from pipeline.report.messages import STATUS_NAMES
from pipeline.report.outputs import BATCH_WRITERS, read_jsonl
from pipeline.report.tables import DOCUMENT_COLUMNS, FINDING_COLUMNS, label
from pipeline.report.xlsx import SHEETS, STATUS_FILLS, XLSX_DOCUMENT_COLUMNS

SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
LABELLED = ["xa-tan-an-quy-che.txt", "xa-tan-an-v02-niem-yet-15-ngay.txt", "cong-ty-tnhh-mtv-v06-thieu-muc.txt",
            "so-noi-vu-v04-cong-khai-10-ngay-tuc-so-mot-nua.txt", "truong-thpt-v09-decoy-phieu-lay-y-kien.txt"]
OTHERS = ["xa-ke-hoach-dan-chu-2025.docx", "truong-bao-cao-dan-chu-2024.txt"]
VI = STATUS_NAMES["vi"]


def label_file(name: str) -> dict:
    return yaml.safe_load((CORPUS / "labels" / (name.rsplit(".", 1)[0] + ".yaml")).read_text("utf-8"))


def labels(name: str) -> dict[str, dict]:
    return label_file(name)["labels"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """A batch of complete and deficient regulations, a plan, a report, a broken PDF and a non-regulation."""
    tmp = tmp_path_factory.mktemp("batch")
    broken = tmp / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    files = [str(CORPUS / n) for n in LABELLED + OTHERS] + [str(broken), str(CORPUS / "README.md")]
    results = run_batch(files, Options(as_of="2026-01-01"), jobs=2)
    jsonl = tmp / "findings.jsonl"
    with open(jsonl, "w", encoding="utf-8") as fh:
        for r in results:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    run = run_info(default_ruleset(), "2026-01-01")
    out = tmp / "out"
    for name in ("xlsx", "csv", "sarif"):
        BATCH_WRITERS[name](run, lambda: read_jsonl(jsonl), out, "vi")
    return {"files": files, "results": results, "run": run, "out": out, "jsonl": jsonl}


def test_workbook_sheets_and_document_rows(batch):
    sheets = pd.read_excel(batch["out"] / "summary.xlsx", sheet_name=None)
    s = SHEETS["vi"]
    assert list(sheets) == [s["documents"], s["groups"], s["findings"], s["about"]]
    docs = sheets[s["documents"]]
    assert list(docs.columns) == [label(c, "vi") for c in XLSX_DOCUMENT_COLUMNS]
    assert docs[label("file", "vi")].tolist() == [r["file"] for r in batch["results"]]  # one row each, in order
    for i, name in enumerate(LABELLED):
        row = docs.iloc[i]
        want = labels(name)
        for status in ("missing", "conflict"):
            assert row[label(f"n_{status}", "vi")] == sum(1 for v in want.values() if v["status"] == status), \
                (name, status)
        flagged = [v for v in want.values() if v["status"] in ("missing", "conflict", "partial")]
        assert (row[label("score", "vi")] == 100.0) == (not flagged), name
    for i, name in enumerate(LABELLED):
        assert docs.iloc[i][label("kind", "vi")] == KIND_NAMES[label_file(name)["kind"]]
        assert docs.iloc[i][label("unit_type", "vi")] == UNIT_NAMES[label_file(name)["unit_type"]]
    plan, report = docs.iloc[len(LABELLED)], docs.iloc[len(LABELLED) + 1]
    assert plan[label("kind", "vi")] == "kế hoạch" and report[label("kind", "vi")] == "báo cáo"
    broken = docs.iloc[len(LABELLED) + 2]
    assert isinstance(broken[label("error", "vi")], str) and broken[label("error", "vi")]
    assert pd.isna(broken[label("score", "vi")])
    assert pd.isna(docs.iloc[-1][label("score", "vi")])  # README: no rule pack applies, nothing to score


def test_score_weighs_errors_three_times(batch):
    docs = pd.read_excel(batch["out"] / "summary.xlsx", sheet_name=SHEETS["vi"]["documents"])
    row = docs.iloc[LABELLED.index("xa-tan-an-v02-niem-yet-15-ngay.txt")]
    present, errors = row[label("n_present", "vi")], row[label("n_error", "vi")]
    warnings = row[label("n_warning", "vi")] + row[label("n_info", "vi")]
    assert errors == 1  # the one conflict of the variant (XA-CK-T2), an error
    assert row[label("score", "vi")] == round(100 * present / (present + 3 * errors + warnings), 1)


def test_findings_sheet_lists_labelled_deficiencies_with_their_status(batch):
    s = SHEETS["vi"]
    found = pd.read_excel(batch["out"] / "summary.xlsx", sheet_name=s["findings"])
    assert list(found.columns) == [label(c, "vi") for c in FINDING_COLUMNS]
    assert VI["present"] not in set(found[label("status", "vi")])
    for name in LABELLED:
        mine = found[found[label("file", "vi")] == str(CORPUS / name)]
        by_rule = dict(zip(mine[label("rule", "vi")], mine[label("status", "vi")]))
        for rule, lab in labels(name).items():
            if lab["status"] in ("missing", "conflict"):
                assert by_rule.get(rule) == VI[lab["status"]], (name, rule)
            if lab["status"] == "present":
                assert rule not in by_rule, (name, rule)
    conflict = found[(found[label("rule", "vi")] == "XA-CK-T2")].iloc[0]
    assert conflict[label("location", "vi")] == labels("xa-tan-an-v02-niem-yet-15-ngay.txt")["XA-CK-T2"]["location"]
    assert conflict[label("citation", "vi")].startswith("khoản") or "Điều" in conflict[label("citation", "vi")]


def test_group_sheet_colours_the_worst_status(batch):
    wb = openpyxl.load_workbook(batch["out"] / "summary.xlsx")
    ws = wb[SHEETS["vi"]["groups"]]
    header = [c.value for c in ws[1]]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    variant = rows[str(CORPUS / "xa-tan-an-v02-niem-yet-15-ngay.txt")]
    cell = variant[header.index(group_name(group_of("XA-CK-T2"), "vi"))]
    assert cell.value == VI["conflict"] and cell.fill.fgColor.rgb.endswith(STATUS_FILLS["conflict"])
    complete = rows[str(CORPUS / "xa-tan-an-quy-che.txt")]
    # every pillar present; the legal-basis group is aside (provincial decisions the registry does not know
    # are "undetermined", info)
    lb = header.index(group_name("LB", "vi")) if group_name("LB", "vi") in header else None
    used = [c for k, c in enumerate(complete) if k and k != lb and c.value]
    assert used and all(c.value == VI["present"] and c.fill.fgColor.rgb.endswith(STATUS_FILLS["present"])
                        for c in used)
    missing = rows[str(CORPUS / "cong-ty-tnhh-mtv-v06-thieu-muc.txt")]
    cell = missing[header.index(group_name("CK", "vi"))]  # DN-CK-03, DN-CK-05 missing
    assert cell.value == VI["missing"] and cell.fill.fgColor.rgb.endswith(STATUS_FILLS["missing"])


def test_frozen_headers_and_filters_on_every_table(batch):
    wb = openpyxl.load_workbook(batch["out"] / "summary.xlsx")
    s = SHEETS["vi"]
    n = len(batch["files"])
    for key, freeze in (("documents", "B2"), ("groups", "B2"), ("findings", "D2")):
        ws = wb[s[key]]
        assert ws.freeze_panes == freeze
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"
        assert all(c.font.bold for c in ws[1])
    assert wb[s["documents"]].max_row == n + 1


def test_about_sheet_names_the_run(batch):
    about = pd.read_excel(batch["out"] / "summary.xlsx", sheet_name=SHEETS["vi"]["about"])
    values = dict(zip(about.iloc[:, 0], about.iloc[:, 1]))
    run = batch["run"]
    assert values[label("rules_version", "vi")] == run["rules_version"]
    assert values[label("legal_snapshot", "vi")] == run["legal_snapshot"]
    assert values[label("as_of", "vi")] == "2026-01-01"
    assert "3" in values[label("score", "vi")]  # the definition states the weight of errors


def test_findings_roll_over_to_further_sheets_and_say_so(batch, monkeypatch, tmp_path):
    monkeypatch.setattr(xlsx_mod, "MAX_DATA_ROWS", 2)
    BATCH_WRITERS["xlsx"](batch["run"], lambda: read_jsonl(batch["jsonl"]), tmp_path, "en")
    sheets = pd.read_excel(tmp_path / "summary.xlsx", sheet_name=None)
    expected = sum(1 for r in batch["results"] for f in r["findings"] if f["status"] != "present")
    names = ["Findings"] + [f"Findings ({i})" for i in range(2, (expected + 1) // 2 + 1)]
    assert [n for n in sheets if n.startswith("Findings")] == names
    assert all(len(sheets[n]) == 2 for n in names[:-1]) and 1 <= len(sheets[names[-1]]) <= 2
    assert sum(len(sheets[n]) for n in names) == expected
    assert all(list(sheets[n].columns) == [label(c, "en") for c in FINDING_COLUMNS] for n in names)
    note = " ".join(str(v) for v in sheets["About"].iloc[:, 1])
    assert all(f"“{n}”" in note for n in names)


def test_summary_csv(batch):
    csv = pd.read_csv(batch["out"] / "summary.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(csv.columns) == DOCUMENT_COLUMNS
    assert csv["file"].tolist() == [r["file"] for r in batch["results"]]
    run = batch["run"]
    assert set(csv["rules_version"]) == {run["rules_version"]} and set(csv["as_of"]) == {"2026-01-01"}
    assert set(csv["legal_snapshot"]) == {run["legal_snapshot"]}
    name = "cong-ty-tnhh-mtv-v06-thieu-muc.txt"
    row, want = csv.iloc[LABELLED.index(name)], label_file(name)
    assert row["kind"] == want["kind"] and row["unit_type"] == want["unit_type"]
    assert row["n_missing"] == sum(1 for v in want["labels"].values() if v["status"] == "missing")
    assert row["n_new"] == "" and row["n_resolved"] == ""  # no baseline given


def test_sarif_is_valid_and_kinds_follow_statuses(batch):
    data = json.loads((batch["out"] / "results.sarif").read_text("utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(data)
    assert data["version"] == "2.1.0" and len(data["runs"]) == 1
    run = data["runs"][0]
    assert run["properties"] == batch["run"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "dccs"
    rules = {r["id"]: r for r in driver["rules"]}
    used = {f["rule"] for r in batch["results"] for f in r["findings"]}
    assert set(rules) == used
    ruleset = default_ruleset()
    for rid in ("XA-CK-T2", "DN-CK-03"):
        assert rules[rid]["properties"]["legal_basis"] == ruleset.by_id[rid].legal_basis.cite()
        assert ruleset.by_id[rid].suggestion in rules[rid]["help"]["text"]
    assert all(driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"] for res in run["results"])
    kinds = {"present": "pass", "not_applicable": "notApplicable", "undetermined": "review",
             "missing": "fail", "partial": "fail", "conflict": "fail"}
    assert len(run["results"]) == sum(len(r["findings"]) for r in batch["results"])
    for res in run["results"]:
        assert res["kind"] == kinds[res["properties"]["status"]]
        assert (res["level"] == "none") == (res["kind"] != "fail")
        for loc in res["locations"]:
            assert "region" not in loc["physicalLocation"]  # never a made-up line
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    assert len(uris) == len(batch["files"])

    def of(name, rule):
        index = batch["files"].index(str(CORPUS / name))
        return [r for r in run["results"]
                if r["ruleId"] == rule and r["locations"][0]["physicalLocation"]["artifactLocation"]["index"] == index]

    [conflict] = of("xa-tan-an-v02-niem-yet-15-ngay.txt", "XA-CK-T2")
    assert conflict["kind"] == "fail" and conflict["level"] == "error"
    where = labels("xa-tan-an-v02-niem-yet-15-ngay.txt")["XA-CK-T2"]["location"]
    assert conflict["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == where
    [missing] = of("cong-ty-tnhh-mtv-v06-thieu-muc.txt", "DN-CK-03")
    assert missing["kind"] == "fail" and missing["level"] == "warning"
    # a missing item points at the document, or at the section where it belongs when there is one
    for loc in missing["locations"]:
        assert set(loc["physicalLocation"]) == {"artifactLocation"}
    [passed] = of("xa-tan-an-quy-che.txt", "XA-CK-T2")
    assert passed["kind"] == "pass" and passed["level"] == "none"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    broken = batch["files"].index(str(batch["out"].parent / "hong.pdf"))
    errors = [n for n in notes if n["level"] == "error"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["index"] for n in errors] == [broken]
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_missing_item_is_located_at_the_section_where_it_belongs(batch):
    """DN-CK-03 (labelled missing) has no evidence: SARIF points at the section the tool says it belongs in."""
    data = json.loads((batch["out"] / "results.sarif").read_text("utf-8"))
    index = batch["files"].index(str(CORPUS / "cong-ty-tnhh-mtv-v06-thieu-muc.txt"))
    finding = next(f for f in batch["results"][index]["findings"] if f["rule"] == "DN-CK-03")
    assert finding["status"] == "missing" and finding["where"] and not finding["evidence"]
    [res] = [x for x in data["runs"][0]["results"] if x["ruleId"] == "DN-CK-03"
             and x["locations"][0]["physicalLocation"]["artifactLocation"]["index"] == index]
    [loc] = res["locations"]
    assert loc["logicalLocations"] == [{"name": finding["where"].split(" › ")[-1],
                                        "fullyQualifiedName": finding["where"]}]
    assert loc["physicalLocation"] == {"artifactLocation": {"uri": data["runs"][0]["artifacts"][index]["location"]["uri"],
                                                            "index": index}}


def test_control_characters_and_overlong_text_do_not_break_the_workbook(batch, tmp_path):
    """PDF text can hold form feeds, and a paragraph can exceed Excel's 32,767 characters per cell."""
    result = json.loads(json.dumps(batch["results"][LABELLED.index("xa-tan-an-v02-niem-yet-15-ngay.txt")]))
    f = next(f for f in result["findings"] if f["rule"] == "XA-CK-T2")
    f["evidence"][0]["quote"] = "trang 1\x0ctrang 2\x0b"
    f["message"] = "dài " * 10_000
    result["file"] = "thu\x07muc/van-ban.pdf"
    BATCH_WRITERS["xlsx"](batch["run"], lambda: iter([result]), tmp_path, "en")
    found = pd.read_excel(tmp_path / "summary.xlsx", sheet_name="Findings")
    row = found[found[label("rule", "en")] == "XA-CK-T2"].iloc[0]
    assert row[label("quote", "en")] == "trang 1trang 2"
    assert len(row[label("message", "en")]) == xlsx_mod.MAX_CELL_CHARS and row[label("message", "en")].endswith("…")
    assert row[label("file", "en")] == "thumuc/van-ban.pdf"
