"""Batch isolation: reused workers, per-file time limit, a dying worker replaced, order-independent results."""
import json
import subprocess
import sys

from conftest import CORPUS, ROOT, SEED
from pipeline.batch import Options, run_batch

FILES = [str(CORPUS / n) for n in ("xa-tan-an-v02-niem-yet-15-ngay.txt", "truong-bao-cao-dan-chu-2024.txt",
                                   "cong-ty-tnhh-mtv-v03-nhiem-ky-3-nam.txt", "xa-ke-hoach-dan-chu-2025.txt")]
OPTS = Options(as_of="2026-01-01")


def strip(results):
    return json.dumps(results, ensure_ascii=False, sort_keys=True)


def test_same_results_whatever_the_number_of_workers():
    inline = run_batch(FILES, OPTS, jobs=0)
    one = run_batch(FILES, OPTS, jobs=1)
    two = run_batch(list(reversed(FILES)), OPTS, jobs=2)
    assert strip(inline) == strip(one) == strip(list(reversed(two)))
    assert [r["file"] for r in one] == FILES
    statuses = {f["rule"]: f["status"] for f in one[0]["findings"]}
    assert statuses["XA-CK-T2"] == "conflict"


def _big_file(tmp_path):
    big = tmp_path / "rat-dai.txt"
    big.write_text((SEED.read_text(encoding="utf-8") + "\n") * 400, encoding="utf-8")  # ~4 MB, seconds of work
    return str(big)


def test_a_file_over_the_time_limit_is_stopped_and_the_batch_goes_on(tmp_path):
    results = run_batch([_big_file(tmp_path), FILES[1]], OPTS, jobs=1, timeout=0.5)
    assert results[0]["error_code"] == "timeout" and "quá thời gian" in results[0]["error"]
    assert results[1]["error"] is None and results[1]["kind"] == "bao_cao"  # a fresh worker took over


def test_a_worker_over_its_memory_limit_costs_that_file_only(tmp_path):
    results = run_batch([_big_file(tmp_path), _big_file(tmp_path)], OPTS, jobs=1, memory=120 * 1024 ** 2,
                        timeout=120)
    assert {r["error_code"] for r in results} <= {"worker_died", "out_of_memory"}
    assert all(r["error"] for r in results)


def test_cli_jobs_1_and_2_give_identical_json(tmp_path):
    out = []
    for jobs in ("1", "2"):
        r = subprocess.run([sys.executable, "-m", "pipeline.cli", "check", *FILES, str(SEED), "--jobs", jobs,
                            "--format", "json", "--as-of", "2026-01-01", "--fail-on", "never"],
                           capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 0, r.stderr
        out.append(json.loads(r.stdout))
    assert out[0] == out[1]
    assert out[0]["summary"] == {"documents": 5, "checked": 5, "failed": 0}
