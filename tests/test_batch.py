"""Batch isolation: reused workers, per-file time limit, a dying worker replaced, order-independent results."""
import json
import subprocess
import sys

from conftest import CORPUS, ROOT, SEED, skip_or_fail
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


# --- streaming outputs, --format, the cache, Dask -------------------------------------------------

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from pipeline.batch import iter_batch  # noqa: E402
from pipeline.cache import ResultCache  # noqa: E402

CORPUS_FILES = sorted(str(p) for p in CORPUS.iterdir()
                      if p.is_file() and p.suffix in (".txt", ".docx", ".pdf", ".html"))


def dccs(*args, env=None):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "check", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, env=env)


def _bad_inputs(tmp_path):
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04garbage-not-a-zip")
    return [str(broken), str(tmp_path / "khong-co.txt")]


def test_cli_outputs_identical_with_jobs_1_and_2_and_unreadable_files_accounted_for(tmp_path):
    inputs = [*FILES, *_bad_inputs(tmp_path), str(SEED)]
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        r = dccs(*inputs, "--jobs", jobs, "--out", out, "--format", "text,json,jsonl", "--as-of", "2026-01-01",
                 "--no-cache")
        assert r.returncode == 2, r.stderr  # unreadable inputs win over findings
        runs[jobs] = (r.stdout, *((out / n).read_bytes() for n in ("findings.jsonl", "report.json", "report.txt")))
    assert runs["1"] == runs["2"]
    stdout, jsonl, report, text = runs["1"]
    lines = [json.loads(x) for x in jsonl.decode().splitlines()]
    data = json.loads(report)
    # same documents, same order, everywhere; each JSONL line names its run
    assert [x["file"] for x in lines] == [d["file"] for d in data["documents"]] == inputs
    assert all(x["run"] == data["run"] for x in lines)
    assert [{k: v for k, v in x.items() if k != "run"} for x in lines] == data["documents"]
    assert data["summary"] == {"documents": 7, "checked": 5, "failed": 2}
    # report.json is exactly what json.dumps(indent=2) would write, though it was streamed
    assert report.decode() == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert stdout == text.decode()
    for bad in inputs[4:6]:
        assert text.decode().count(Path(bad).name) == 2  # its report block and its (maybe shortened) summary row
    assert "Tổng: 7 tệp, kiểm tra 5, không đọc được 2" in stdout
    assert data["run"]["rules_version"] in stdout and "2026-01-01" in stdout


def test_format_selects_outputs(tmp_path):
    out = tmp_path / "o"
    r = dccs(FILES[0], "--out", out, "--format", "text", "--as-of", "2026-01-01", "--no-cache", "--fail-on", "never")
    assert r.returncode == 0, r.stderr
    # findings.jsonl is always there with --out: the batch writers read the results from it
    assert sorted(p.name for p in out.iterdir()) == ["findings.jsonl", "report.txt"]
    r = dccs(FILES[0], "--out", tmp_path / "j", "--format", "json", "--as-of", "2026-01-01", "--no-cache",
             "--fail-on", "never")
    assert r.stdout == (tmp_path / "j" / "report.json").read_text(encoding="utf-8")  # json to stdout too
    for args in (("--format", "pdfx", "--out", tmp_path / "x"), ("--format", "text,json"), ("--format", "html")):
        r = dccs(FILES[0], *args, "--no-cache", "--lang", "en")
        assert r.returncode == 2 and "--format" in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert r.stdout == ""
    assert not (tmp_path / "x" / "report.txt").exists()
    r = dccs(FILES[0], "--format", "jsonl", "--no-cache", "--as-of", "2026-01-01")
    (line,) = r.stdout.splitlines()
    assert json.loads(line)["file"] == FILES[0] and json.loads(line)["run"]["as_of"] == "2026-01-01"


def test_warm_run_reads_every_result_from_the_cache(tmp_path):
    inputs = [*FILES, str(SEED), *_bad_inputs(tmp_path)]
    args = (*inputs, "--format", "json", "--as-of", "2026-01-01", "--cache-dir", tmp_path / "cache", "--jobs", "2")
    cold, warm = dccs(*args), dccs(*args)
    assert cold.stdout == warm.stdout and json.loads(warm.stdout)["summary"]["failed"] == 2
    assert "dùng lại 0/7 kết quả" in cold.stderr
    assert "dùng lại 5/7 kết quả" in warm.stderr  # the two unreadable files are never cached
    # another option is another key
    en = dccs(*args, "--lang", "en")
    assert "reused 0 of 7 results" in en.stderr


def test_cache_serves_a_moved_file_under_its_new_name_and_survives_a_corrupt_entry(tmp_path):
    cache = ResultCache(tmp_path / "cache", {"as_of": OPTS.as_of})
    cold = run_batch(FILES, OPTS, jobs=1, cache=cache)
    assert (cache.hits, cache.writes) == (0, 4)
    moved = tmp_path / "doi-ten.txt"
    shutil.copy(FILES[0], moved)
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    entries[0].write_text('{"key": "x", "res', encoding="utf-8")  # a run killed mid-write, or disk trouble
    entries[1].write_bytes(b"\xff\xfe garbage")
    cache2 = ResultCache(tmp_path / "cache", {"as_of": OPTS.as_of})
    warm = run_batch([*FILES, str(moved)], OPTS, jobs=1, cache=cache2)
    assert (cache2.hits, cache2.corrupt, cache2.writes) == (3, 2, 2)
    assert strip(warm[:4]) == strip(cold)
    assert warm[4]["file"] == str(moved) and warm[4]["findings"] == cold[0]["findings"]
    cache3 = ResultCache(tmp_path / "cache", {"as_of": OPTS.as_of})
    run_batch(FILES, OPTS, jobs=1, cache=cache3)
    assert (cache3.hits, cache3.corrupt) == (4, 0)  # the corrupt entries were rewritten
    other = ResultCache(tmp_path / "cache", {"as_of": "2020-01-01"})
    run_batch(FILES[:1], OPTS, jobs=1, cache=other)
    assert other.hits == 0  # the as-of date is part of the key


def test_results_stream_as_they_finish_and_never_run_far_ahead():
    pairs = list(iter_batch(FILES * 3, OPTS, jobs=2, window=3))
    assert sorted(i for i, _ in pairs) == list(range(12))
    assert strip([r for _, r in sorted(pairs, key=lambda p: p[0])][:4]) == strip(run_batch(FILES, OPTS, jobs=0))


@pytest.fixture(scope="module")
def dask_cluster():
    try:
        import distributed
    except ImportError:
        skip_or_fail("dask[distributed] is not installed (the test extra installs it)")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_dask_cluster_gives_the_same_results_as_the_process_pool(dask_cluster, tmp_path):
    inputs = [*CORPUS_FILES, *_bad_inputs(tmp_path)]
    common = ("--format", "json", "--as-of", "2026-01-01", "--no-cache", "--fail-on", "never")
    pool = dccs(*inputs, "--jobs", "2", *common)
    dask = dccs(*inputs, "--scheduler", dask_cluster, *common)
    assert pool.returncode == dask.returncode == 2, dask.stderr
    assert dask.stdout == pool.stdout
    data = json.loads(dask.stdout)
    assert data["summary"] == {"documents": len(inputs), "checked": len(inputs) - 2, "failed": 2}
    assert sum(len(d["findings"]) for d in data["documents"]) > 500


def test_dask_applies_the_per_document_time_limit(dask_cluster, tmp_path):
    results = run_batch([_big_file(tmp_path), FILES[1]], OPTS, scheduler=dask_cluster, timeout=0.5)
    assert results[0]["error_code"] == "timeout"
    assert results[1]["error"] is None and results[1]["kind"] == "bao_cao"


def _mentions(path: Path, needle: str) -> bool:
    if path.suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        return any(isinstance(c, str) and needle in c for ws in wb.worksheets
                   for row in ws.iter_rows(values_only=True) for c in row)
    return needle in path.read_text(encoding="utf-8")


def test_every_registered_output_is_written_and_accounts_for_unreadable_files(tmp_path):
    from pipeline.report.outputs import BATCH_WRITERS, DOCUMENT_WRITERS
    import pipeline.cli  # noqa: F401

    pipeline.cli._load_writers()
    bad = _bad_inputs(tmp_path)
    inputs = [FILES[0], str(CORPUS / "so-noi-vu-quyet-dinh-quy-che.docx"), *bad]
    runs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"all{jobs}"
        r = dccs(*inputs, "--out", out, "--as-of", "2026-01-01", "--no-cache", "--jobs", jobs)
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
        # nothing but the two unreadable inputs is reported on stderr: every writer worked
        errors = [x for x in r.stderr.splitlines() if x.startswith("dccs:")]
        assert len(errors) == 2 and all(b in e for b, e in zip(bad, errors)), r.stderr
        runs.append(out)
    batch_files = sorted(p.name for p in runs[0].iterdir() if p.is_file())
    assert {"findings.jsonl", "report.json", "report.txt"} <= set(batch_files)
    assert len(batch_files) >= 3 + len(BATCH_WRITERS)  # each batch writer made at least one file
    # the batch outputs name the run and every input, readable or not, and do not depend on --jobs
    run = json.loads((runs[0] / "report.json").read_text(encoding="utf-8"))["run"]
    for name in batch_files:
        a, b = runs[0] / name, runs[1] / name
        if a.suffix != ".xlsx":  # an XLSX zip holds timestamps
            assert a.read_bytes() == b.read_bytes(), name
        for bad_file in bad:
            assert _mentions(a, Path(bad_file).name), f"{name} does not account for {bad_file}"
        assert _mentions(a, run["rules_version"]) and _mentions(a, run["as_of"]), f"{name} does not name its run"
    if DOCUMENT_WRITERS:
        docs = sorted(p.name for p in (runs[0] / "docs").iterdir())
        assert docs == sorted(p.name for p in (runs[1] / "docs").iterdir()) and docs


def test_dask_run_writes_the_same_report_files(dask_cluster, tmp_path):
    inputs = [FILES[0], str(CORPUS / "so-noi-vu-quyet-dinh-quy-che.docx"), *_bad_inputs(tmp_path)]
    common = ("--as-of", "2026-01-01", "--no-cache", "--fail-on", "never")
    pool = dccs(*inputs, "--out", tmp_path / "pool", *common)
    dask = dccs(*inputs, "--out", tmp_path / "dask", "--scheduler", dask_cluster, *common)
    assert pool.returncode == dask.returncode == 2 and pool.stdout == dask.stdout, dask.stderr
    names = sorted(p.name for p in (tmp_path / "pool").iterdir() if p.is_file() and p.suffix != ".xlsx")
    assert len(names) >= 6
    for name in names:
        assert (tmp_path / "pool" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "dask" / "docs").iterdir()) == \
        sorted(p.name for p in (tmp_path / "pool" / "docs").iterdir())


def test_a_failing_writer_is_named_and_the_other_outputs_are_complete(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "docs").write_text("a file where the per-document folder should be", encoding="utf-8")
    r = dccs(FILES[0], FILES[1], "--out", out, "--as-of", "2026-01-01", "--no-cache", "--fail-on", "never")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    failures = [x for x in r.stderr.splitlines() if x.startswith("dccs:")]
    assert failures and all(FILES[0] in x or FILES[1] in x for x in failures), r.stderr
    assert any(x.startswith("dccs: html: ") for x in failures), r.stderr  # the writer is named
    assert len((out / "findings.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["summary"]["checked"] == 2
