"""HTML outputs at batch scale: time to render one document's report, and the dashboard's time, peak memory
and file size for batches of N documents (real corpus results repeated under distinct names).

    PYTHONPATH=. python bench/bench_dashboard.py [--sizes 1000 10000]

Peak memory is the Python heap while the dashboard writer runs (tracemalloc, in a second, slower run), over a
results stream read from findings.jsonl, as `dccs check --out` gives it: it should not grow with N.
"""
from __future__ import annotations

import argparse
import glob
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.batch import Options, run_batch  # noqa: E402
from pipeline.check import default_ruleset  # noqa: E402
from pipeline.report import run_info  # noqa: E402
from pipeline.report.dashboard import write_dashboard  # noqa: E402
from pipeline.report.html import render_document_html  # noqa: E402
from pipeline.report.outputs import read_jsonl  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = ap.parse_args()
    paths = sorted(glob.glob(str(ROOT / "corpus" / "*.txt")))[:20] + [str(ROOT / "corpus" / "README.md")]
    results = run_batch(paths, Options(as_of="2026-01-01"), jobs=2)
    run = run_info(default_ruleset(), "2026-01-01")

    t = time.perf_counter()
    sizes = [len(render_document_html(run, r)) for r in results]
    per_doc = (time.perf_counter() - t) / len(results) * 1000
    print(f"document report: {per_doc:.1f} ms per document, {min(sizes) // 1024}–{max(sizes) // 1024} KB")

    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            with open(out / "findings.jsonl", "w", encoding="utf-8") as fh:
                for i in range(n):
                    r = dict(results[i % len(results)])
                    r["file"] = f"lo-{i:05d}/{Path(r['file']).name}"
                    r["sha256"] = f"{i:064x}"
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            t = time.perf_counter()
            for _ in read_jsonl(out / "findings.jsonl"):  # the floor: decoding the stream once
                pass
            read = time.perf_counter() - t
            t = time.perf_counter()
            write_dashboard(run, lambda: read_jsonl(out / "findings.jsonl"), out, "vi")
            took = time.perf_counter() - t
            # a second run under tracemalloc for the peak (tracing slows Python several times over)
            tracemalloc.start()
            write_dashboard(run, lambda: read_jsonl(out / "findings.jsonl"), out, "vi")
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            size = (out / "index.html").stat().st_size
            print(f"dashboard, {n} documents: {took:.2f} s (reading findings.jsonl alone: {read:.2f} s), peak heap {peak / 2**20:.1f} MiB, "
                  f"index.html {size / 2**20:.2f} MiB")


if __name__ == "__main__":
    main()
