"""Batch tables: time and peak memory of the XLSX, CSV and SARIF writers as the batch grows.

The results of a few corpus documents (complete and deficient regulations, a plan, a report, an unreadable
file) are repeated under new names into findings.jsonl files of N documents; each writer then runs in a
fresh process, which reports its wall time and peak resident memory. Flat memory = the peak does not grow
with N.

    PYTHONPATH=. python bench/bench_tables.py --sizes 200,2000,10000
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ["xa-tan-an-quy-che.txt", "xa-tan-an-v02-niem-yet-15-ngay.txt", "cong-ty-tnhh-mtv-v06-thieu-muc.txt",
          "so-noi-vu-v02-thieu-kiem-tra-giam-sat.txt", "xa-ke-hoach-dan-chu-2025.txt", "truong-bao-cao-dan-chu-2024.txt"]


def build(path: Path, n: int) -> dict:
    from pipeline.batch import Options, run_batch
    from pipeline.check import default_ruleset
    from pipeline.report import run_info

    broken = path.parent / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4 broken")
    sample = run_batch([str(ROOT / "corpus" / n) for n in SAMPLE] + [str(broken)], Options(as_of="2026-01-01"), jobs=2)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            r = sample[i % len(sample)]
            fh.write(json.dumps({**r, "file": f"lo-{i // 100:04d}/{i:06d}-{Path(r['file']).name}"},
                                ensure_ascii=False) + "\n")
    return run_info(default_ruleset(), "2026-01-01")


def child(writer: str, jsonl: str, run: str, out: str) -> None:
    from pipeline.report.outputs import BATCH_WRITERS, read_jsonl

    from pipeline.check import default_ruleset

    default_ruleset()  # loaded by the SARIF writer; not part of writing
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    BATCH_WRITERS[writer](json.loads(run), lambda: read_jsonl(Path(jsonl)), Path(out), "vi")
    took = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": took, "cpu": usage.ru_utime + usage.ru_stime - cpu0,
                      "peak_mib": usage.ru_maxrss / 1024}))  # ru_maxrss: KiB on Linux


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="200,2000,10000")
    ap.add_argument("--child", nargs=4)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    print("| documents | findings.jsonl | writer | wall time | CPU time | docs per CPU-second | peak RSS | output |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in map(int, args.sizes.split(",")):
            jsonl = Path(tmp) / f"findings-{n}.jsonl"
            run = build(jsonl, n)
            size = jsonl.stat().st_size / 2 ** 20
            for writer, name in (("xlsx", "summary.xlsx"), ("csv", "summary.csv"), ("sarif", "results.sarif")):
                out = Path(tmp) / f"out-{n}"
                r = subprocess.run([sys.executable, __file__, "--child", writer, str(jsonl), json.dumps(run), str(out)],
                                   capture_output=True, text=True, check=True)
                m = json.loads(r.stdout.strip().splitlines()[-1])
                print(f"| {n:,} | {size:.0f} MB | {writer} | {m['seconds']:.1f} s | {m['cpu']:.1f} s | "
                      f"{n / m['cpu']:,.0f} | "
                      f"{m['peak_mib']:.0f} MiB | {(out / name).stat().st_size / 2 ** 20:.1f} MB |", flush=True)


if __name__ == "__main__":
    main()
