"""`dccs check`: the JSON contract, exit codes, applicability, overrides — on corpus and real files."""
import json
import re
import subprocess
import sys

import pytest

from conftest import CORPUS, REAL_DOCS, ROOT


def dccs(*args):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT)


def as_json(*args):
    r = dccs("check", *args, "--format", "json")
    return r, json.loads(r.stdout)


def finding(doc, rule):
    return next(f for f in doc["findings"] if f["rule"] == rule)


def test_json_contract_on_a_deficient_regulation():
    r, data = as_json(CORPUS / "so-noi-vu-v04-cong-khai-10-ngay-tuc-so-mot-nua.txt", "--as-of", "2026-01-01")
    assert r.returncode == 1  # errors found, default --fail-on error
    assert set(data) >= {"run", "documents", "summary"}
    assert data["run"]["as_of"] == "2026-01-01" and data["run"]["rules_version"].startswith("0.1.0+")
    assert "10/2022/QH15" in data["run"]["legal_snapshot"]
    doc = data["documents"][0]
    assert set(doc) >= {"file", "sha256", "kind", "unit_type", "date", "error", "findings"}
    assert (doc["kind"], doc["unit_type"], doc["date"]) == (
        "quyet_dinh_ban_hanh_quy_che", "co_quan_hanh_chinh", {"year": 2024, "month": 3, "day": 15})
    f = finding(doc, "CQ-CK-T1")
    assert set(f) >= {"rule", "status", "severity", "message", "citation", "evidence", "confidence", "suggestion"}
    assert (f["status"], f["severity"]) == ("conflict", "error")
    assert f["citation"] == {"instrument": "10/2022/QH15", "article": 47, "clause": 2, "point": None,
                             "text": "khoản 2 Điều 47 Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15",
                             "also": f["citation"]["also"]}
    ev = f["evidence"][0]
    assert ev["location"] == "Quy chế › Chương II › Điều 6 › khoản 1"
    assert "10 ngày" in ev["quote"] and set(ev["span"]) >= {"path", "part", "block", "start", "end", "page"}
    lines = (CORPUS / doc["file"].split("/")[-1]).read_text(encoding="utf-8").split("\n")
    assert lines[ev["span"]["block"]][ev["span"]["start"]:ev["span"]["end"]] == ev["quote"]
    assert "10 ngày" in f["message"] and "05 ngày làm việc" in f["message"]
    assert data["summary"] == {"documents": 1, "checked": 1, "failed": 0}
    statuses = {x["status"] for x in doc["findings"]}
    assert statuses <= {"present", "partial", "missing", "conflict", "not_applicable", "undetermined"}


def test_fail_on_levels_and_never():
    f = CORPUS / "xa-tan-an-v01-thieu-ban-giam-sat-dau-tu.txt"
    assert dccs("check", f).returncode == 1
    assert dccs("check", f, "--fail-on", "never").returncode == 0
    complete = CORPUS / "xa-tan-an-quy-che.txt"
    assert dccs("check", complete).returncode == 0
    assert dccs("check", complete, "--fail-on", "warning").returncode == 0


def test_unreadable_input_wins_over_findings(tmp_path):
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    r, data = as_json(CORPUS / "xa-tan-an-v01-thieu-ban-giam-sat-dau-tu.txt", bad)
    assert r.returncode == 2
    assert data["summary"] == {"documents": 2, "checked": 1, "failed": 1}
    failed = data["documents"][1]
    assert failed["error"] and failed["error_code"] == "corrupt_docx" and failed["findings"] == []


def test_documents_outside_the_packs_get_no_findings():
    """Real election plans and decisions of 2025-26 are not grassroots-democracy regulations."""
    files = sorted(REAL_DOCS.glob("*.docx"))
    r, data = as_json(*files)
    assert r.returncode == 0
    for doc in data["documents"]:
        assert doc["findings"] == [] and doc["applicable"] is False, doc["file"]


def test_a_plan_is_never_graded_as_a_regulation():
    r, data = as_json(CORPUS / "xa-ke-hoach-dan-chu-2025.txt", CORPUS / "truong-bao-cao-dan-chu-2024.txt")
    kinds = [d["kind"] for d in data["documents"]]
    assert kinds == ["ke_hoach", "bao_cao"]
    rules = {f["rule"][:2] for d in data["documents"] for f in d["findings"]}
    assert rules <= {"KH", "BC", "LB"}  # legal-basis rules check any document's citations …
    lb = {f["rule"] for d in data["documents"] for f in d["findings"] if f["rule"].startswith("LB")}
    assert lb and not lb & {"LB-05", "LB-06", "LB-07", "LB-09"}  # … but those about regulations do not apply


def test_staff_override_and_depends_on():
    f = CORPUS / "so-noi-vu-v01-thieu-ban-thanh-tra.txt"
    _, unknown = as_json(f)
    assert finding(unknown["documents"][0], "CQ-TR-TT")["status"] == "undetermined"
    _, small = as_json(f, "--staff", "6")
    assert finding(small["documents"][0], "CQ-TR-TT")["status"] == "not_applicable"
    _, large = as_json(f, "--staff", "60")
    tt = finding(large["documents"][0], "CQ-TR-TT")
    assert (tt["status"], tt["severity"]) == ("missing", "error")


def test_kind_override_and_english():
    r, data = as_json(CORPUS / "xa-ke-hoach-dan-chu-2025.txt", "--kind", "quy_che", "--lang", "en")
    doc = data["documents"][0]
    assert doc["kind"] == "quy_che" and doc["classification"]["kind_reason"]
    # judged as a commune regulation when told so (and its citations by the legal-basis pack, in English)
    assert {f["pack"] for f in doc["findings"]} == {"xa", "legal-basis"}
    assert finding(doc, "LB-05")["message"].startswith("A grassroots-democracy regulation cites the Law")
    text = dccs("check", CORPUS / "xa-tan-an-v01-thieu-ban-giam-sat-dau-tu.txt", "--lang", "en").stdout
    assert "Legal basis" in text and "missing" in text


def test_usage_errors_exit_2():
    assert dccs("check").returncode == 2
    assert dccs("check", CORPUS / "xa-tan-an-quy-che.txt", "--as-of", "hôm qua").returncode == 2
    assert dccs("check", CORPUS / "xa-tan-an-quy-che.txt", "--kind", "nonsense").returncode == 2


def test_rules_list_json():
    r = dccs("rules", "list", "--format", "json")
    data = json.loads(r.stdout)
    ids = [x["id"] for x in data["rules"]]
    assert len(ids) == len(set(ids)) > 150 and "CQ-CK-03" in ids and "XA-TR-GSDT" in ids
    assert all(x["citation"] for x in data["rules"])


def test_text_report_asks_to_amend_a_conflict_and_to_add_what_is_missing():
    """A conflicting provision is amended, not added to: the text report labels its suggestion so."""
    r = dccs("check", CORPUS / "so-noi-vu-v04-cong-khai-10-ngay-tuc-so-mot-nua.txt",
             CORPUS / "so-noi-vu-v09-thieu-ban-thanh-tra-52-nguoi.txt", "--as-of", "2026-01-01")
    conflict = re.split(r"\n   \S", r.stdout.split("CQ-CK-T1 — Trái luật")[1])[0]
    assert "Đề xuất sửa thành: " in conflict and "Đề xuất bổ sung" not in conflict
    missing = re.split(r"\n   \S", r.stdout.split("CQ-TR-TT — Thiếu")[1])[0]
    assert "Đề xuất bổ sung: " in missing
