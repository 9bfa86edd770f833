"""Parse and check time against raw text extraction of the same files, in the same run.

    .venv/bin/python bench/bench_parse_check.py [--repeat 15]

Raw extraction: python-docx opening the file and reading every paragraph and table-cell text (DOCX);
pypdfium2 opening the file and reading every page's text (PDF). Parse: read + normalize + structure
(our DOCX reader recovers Word numbering and header tables; the PDF reader orders header columns and
rejoins wrapped lines). Check: classify + every applicable rule. Medians over --repeat runs, after a
warm-up (imports, spaCy vocab, the cue matcher), one process. Figures are recorded in docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402

from pipeline.api import parse_bytes  # noqa: E402
from pipeline.check import check, default_ruleset  # noqa: E402
from pipeline.classify import classify  # noqa: E402


def raw_docx(data: bytes) -> int:
    d = docx.Document(io.BytesIO(data))
    n = 0
    for block in d.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                for cell in row.cells:
                    n += sum(len(p.text) for p in cell.paragraphs)
        else:
            n += len(block.text)
    return n


def raw_pdf(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    n = 0
    for page in pdf:
        n += len(page.get_textpage().get_text_range())
    pdf.close()
    return n


MIN = False


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return min(times) if MIN else statistics.median(times)


def inputs() -> list[Path]:
    files = sorted((ROOT.parent / "shared" / "real-docs").glob("*.docx"))
    files += sorted(ROOT.glob("corpus/*.docx")) + sorted(ROOT.glob("corpus/*.pdf"))
    # every base regulation of the corpus as DOCX with Word numbering, built for the run
    sys.path.insert(0, str(ROOT / "scripts"))
    from build_corpus_formats import build_docx

    tmp = Path(tempfile.mkdtemp(prefix="dccs-bench-"))
    for txt in ("truong-thpt-quy-che.txt", "xa-tan-an-quy-che.txt", "cong-ty-tnhh-mtv-quy-che.txt",
                "truong-bao-cao-dan-chu-2024.txt"):
        if (ROOT / "corpus" / txt).exists():
            out = tmp / (Path(txt).stem + ".docx")
            out.write_bytes(build_docx(ROOT / "corpus" / txt))
            files.append(out)
    return files


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--min", action="store_true", help="report the fastest run instead of the median "
                                                        "(steadier on a shared machine)")
    args = ap.parse_args()
    global MIN
    MIN = args.min
    rs = default_ruleset()
    rows = []
    for path in inputs():
        data = path.read_bytes()
        suffix = path.suffix.lower()
        raw = raw_docx if suffix == ".docx" else raw_pdf
        doc = parse_bytes(data, path.name, suffix)  # warm-up
        c = classify(doc)
        check(doc, c, rs)
        t_raw = median_ms(lambda: raw(data), args.repeat)
        t_parse = median_ms(lambda: parse_bytes(data, path.name, suffix), args.repeat)
        t_check = median_ms(lambda: check(doc, classify(doc), rs), args.repeat)
        rows.append((path.name[:48], suffix[1:], len(data) // 1024, t_raw, t_parse, t_check))
    print(f"{'file':<48} {'fmt':<4} {'KB':>5} {'raw ms':>8} {'parse ms':>9} {'parse/raw':>9} {'check ms':>9} {'check/raw':>9}")
    for name, fmt, kb, r, p, c in rows:
        print(f"{name:<48} {fmt:<4} {kb:>5} {r:>8.2f} {p:>9.2f} {p / r:>9.2f} {c:>9.2f} {c / r:>9.2f}")
    for fmt in ("docx", "pdf"):
        sel = [x for x in rows if x[1] == fmt]
        if sel:
            r, p, c = (sum(x[i] for x in sel) for i in (3, 4, 5))
            print(f"TOTAL {fmt}: {len(sel)} files, raw {r:.1f} ms, parse {p:.1f} ms ({p / r:.2f}x raw), "
                  f"check adds {c:.1f} ms ({c / r:.2f}x raw)")


if __name__ == "__main__":
    main()
