"""Time of the Word outputs per document: the commented DOCX and the letter, against parse + check.

    .venv/bin/python bench/bench_word_outputs.py [--repeat 10]

Inputs: the corpus's DOCX files (the Sở regulation complete, and as the deficient copy the tests build:
values made unlawful, items and a section removed, so it carries about a dozen flagged findings). Fastest of --repeat
runs after a warm-up, one process. Figures are recorded in docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.batch import Options, check_one  # noqa: E402
from pipeline.check import default_ruleset  # noqa: E402
from pipeline.report import run_info  # noqa: E402
from pipeline.report.docx_comments import comment_letter, commented_docx, flagged  # noqa: E402
from tests.test_report_docx import deficient_docx  # noqa: E402  (the same edits as the tests)


def fastest_ms(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    run = run_info(default_ruleset(), "2025-01-01")
    tmp = Path(tempfile.mkdtemp(prefix="dccs-bench-word-"))
    files = sorted(ROOT.glob("corpus/*.docx")) + [deficient_docx(tmp / "quy-che-thieu.docx")]
    print(f"{'file':<40} {'flagged':>8} {'check ms':>9} {'docx ms':>8} {'letter ms':>9}")
    for path in files:
        opts = Options(as_of=run["as_of"])
        result = check_one(str(path), opts)  # warm-up
        data = path.read_bytes()
        commented_docx(data, result, run)
        t_check = fastest_ms(lambda: check_one(str(path), opts), args.repeat)
        t_docx = fastest_ms(lambda: commented_docx(data, result, run), args.repeat)
        t_letter = fastest_ms(lambda: comment_letter(result, run), args.repeat)
        print(f"{path.name[:40]:<40} {len(flagged(result)):>8} {t_check:>9.1f} {t_docx:>8.1f} {t_letter:>9.1f}")


if __name__ == "__main__":
    main()
