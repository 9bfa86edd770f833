"""Batch throughput, warm re-runs and peak memory of `dccs check` on generated DOCX batches.

    .venv/bin/python bench/bench_batch.py [--docs 1000] [--jobs 2] [--memory-sizes 100,1000,5000]

Inputs: every text document of corpus/ (base regulations, variants, plans, reports of every writer; 5 to
55 KB) is turned into a DOCX with Word automatic numbering (scripts/build_corpus_formats.py) and each
generated file is one of those plus a distinct closing line ("Mã hồ sơ lưu trữ …"), so every file has
its own content hash and the batch has the corpus's spread of sizes and kinds.

Measured, in one run, with the same number of processes (--jobs):
- raw extraction: a multiprocessing pool of `--jobs` processes, each opening the DOCX with python-docx
  and reading every paragraph and table-cell text (what a plain script would do);
- cold end-to-end: `dccs check DIR --format json --jobs N` (parse, classify, check, the JSON report to
  /dev/null) on an empty cache — the whole command, process start and worker loading included;
- warm: the same command again (every result from the cache);
- report files: `dccs check DIR --out OUT --jobs N` writing every registered output, on the warm cache,
  minus the warm JSON run — the time the report files add;
- peak memory: the whole process tree (the CLI and its workers) sampled every 0.2 s; the sum of PSS
  (shared pages counted once, proportionally) and the sum of RSS, for cold runs with every output at
  each of --memory-sizes.

The machine may be shared: every ratio is between figures measured in the same run, and each speed
figure is the fastest of --repeat runs. Figures are recorded in docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import io
import json
import multiprocessing as mp
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def templates() -> list[bytes]:
    from build_corpus_formats import build_docx

    out = []
    for txt in sorted((ROOT / "corpus").rglob("*.txt")):
        if "labels" in txt.parts:
            continue
        try:
            out.append(build_docx(txt))
        except Exception as exc:  # a corpus text the builder cannot lay out: not needed here
            print(f"  skip {txt.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return out


def variant(template: bytes, i: int) -> bytes:
    """The template with one more closing paragraph naming file i: distinct bytes, same document."""
    src = zipfile.ZipFile(io.BytesIO(template))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                k = xml.rindex("<w:sectPr")
                mark = f'<w:p><w:r><w:t xml:space="preserve">Mã hồ sơ lưu trữ: {i:06d}/LT</w:t></w:r></w:p>'
                data = (xml[:k] + mark + xml[k:]).encode("utf-8")
            dst.writestr(item, data)
    return buf.getvalue()


def generate(folder: Path, n: int, tpls: list[bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        f = folder / f"vb-{i:05d}.docx"
        if not f.exists():
            f.write_bytes(variant(tpls[i % len(tpls)], i))
        files.append(f)
    return files


def raw_docx(path: str) -> int:
    import docx

    d = docx.Document(path)
    n = 0
    for block in d.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                for cell in row.cells:
                    n += sum(len(p.text) for p in cell.paragraphs)
        else:
            n += len(block.text)
    return n


def _child_cpu() -> float:
    """CPU seconds (user + system) of every finished descendant so far: the whole process tree of a run."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def raw_extraction(files: list[Path], jobs: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the raw extraction of every file on a pool of `jobs` processes."""
    cpu, t = _child_cpu(), time.perf_counter()
    pool = mp.get_context("fork").Pool(jobs)
    total = sum(pool.imap_unordered(raw_docx, [str(f) for f in files], chunksize=8))
    pool.close()
    pool.join()
    assert total > 0
    return time.perf_counter() - t, _child_cpu() - cpu


def _tree_memory(pid: int) -> tuple[int, int]:
    """(sum of PSS, sum of RSS) in bytes over the process and its descendants."""
    import psutil

    try:
        procs = [psutil.Process(pid)]
        procs += procs[0].children(recursive=True)
    except psutil.Error:
        return 0, 0
    pss = rss = 0
    for p in procs:
        try:
            info = p.memory_full_info()
            pss += getattr(info, "pss", info.rss)
            rss += info.rss
        except psutil.Error:
            pass
    return pss, rss


def dccs(args: list[str], sample: bool = False) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds of the process tree) of one CLI run; with sample=True also the tree's
    peak PSS and RSS."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cpu, t = _child_cpu(), time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "check", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0, 0]
    stop = threading.Event()

    def watch():
        while not stop.wait(0.2):
            pss, rss = _tree_memory(proc.pid)
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)

    watcher = threading.Thread(target=watch, daemon=True)
    if sample:
        watcher.start()
    _, err = proc.communicate()
    elapsed, cpu = time.perf_counter() - t, _child_cpu() - cpu
    stop.set()
    if sample:
        watcher.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"dccs failed ({proc.returncode}): {err.decode()[-2000:]}")
    return elapsed, cpu, peak[0], peak[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2, help="runs of each speed figure; the fastest is kept")
    ap.add_argument("--memory-sizes", default="100,1000,5000")
    ap.add_argument("--memory-formats", default="", help="--format for the memory runs (default: every output)")
    ap.add_argument("--workdir", help="keep generated files here (default: a temporary folder, removed)")
    args = ap.parse_args()

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="dccs-bench-batch-"))
    sizes = [int(x) for x in args.memory_sizes.split(",") if x]
    try:
        t = time.perf_counter()
        tpls = templates()
        biggest = max([args.docs, *sizes])
        pool = generate(work / "docs", biggest, tpls)
        kb = [len(x) // 1024 for x in tpls]
        print(f"inputs: {len(tpls)} corpus documents as DOCX ({min(kb)}–{max(kb)} KB); {biggest} distinct files "
              f"generated in {time.perf_counter() - t:.0f} s; machine: {platform.platform()}, {os.cpu_count()} "
              f"cores, Python {platform.python_version()}")

        main_dir = work / f"batch-{args.docs}"
        if not main_dir.exists():
            main_dir.mkdir()
            for f in pool[:args.docs]:
                os.link(f, main_dir / f.name)
        files = sorted(main_dir.iterdir())
        jobs = ["--jobs", str(args.jobs), "--fail-on", "never"]
        runs: dict[str, list[tuple[float, float]]] = {"raw": [], "cold": [], "warm": [], "reports": []}
        for r in range(args.repeat):
            runs["raw"].append(raw_extraction(files, args.jobs))
            cache = work / f"cache-{r}"
            shutil.rmtree(cache, ignore_errors=True)
            runs["cold"].append(dccs([str(main_dir), "--format", "json", "--cache-dir", str(cache), *jobs])[:2])
            runs["warm"].append(dccs([str(main_dir), "--format", "json", "--cache-dir", str(cache), *jobs])[:2])
            out = work / "out"
            shutil.rmtree(out, ignore_errors=True)
            runs["reports"].append(dccs([str(main_dir), "--out", str(out), "--cache-dir", str(cache), *jobs])[:2])
        wall = {k: min(w for w, _ in v) for k, v in runs.items()}
        cpu = {k: min(c for _, c in v) for k, v in runs.items()}
        n = len(files)
        outputs = sorted(p.name for p in (work / "out").iterdir())
        print(f"\n{n} DOCX, {args.jobs} processes; fastest of {args.repeat}; wall-clock s | CPU s of the process tree:")
        for k, label in (("raw", "raw extraction"), ("cold", "cold parse+check+JSON"), ("warm", "warm re-run"),
                         ("reports", "warm + report files")):
            print(f"  {label:<22} {wall[k]:7.1f} s ({n / wall[k]:6.1f} docs/s) | {cpu[k]:7.1f} s "
                  f"({n / cpu[k]:6.1f} docs per CPU-s)")
        for i, what in enumerate(("wall", "CPU")):
            f = (wall, cpu)[i]
            print(f"  {what:>4}: cold = {f['cold'] / f['raw']:.2f}x raw; report files add "
                  f"{(f['reports'] - f['warm']) / f['raw']:.2f}x raw; warm is {f['cold'] / f['warm']:.1f}x faster")
        print(f"  outputs: {', '.join(outputs)}")
        print(f"  10,000 such DOCX cold on {args.jobs} cores: ~{10000 * cpu['cold'] / n / args.jobs / 60:.1f} min "
              f"(CPU time / cores, extrapolated); ~{10000 * wall['cold'] / n / 60:.1f} min at this run's wall rate")

        fmt = ["--format", args.memory_formats] if args.memory_formats else []
        print("\npeak memory of the process tree, cold run with " + (args.memory_formats or "every output") + ":")
        for size in sizes:
            d = work / f"mem-{size}"
            if not d.exists():
                d.mkdir()
                for f in pool[:size]:
                    os.link(f, d / f.name)
            out = work / f"out-mem-{size}"
            shutil.rmtree(out, ignore_errors=True)
            cache = work / f"cache-mem-{size}"
            shutil.rmtree(cache, ignore_errors=True)
            secs, _, pss, rss = dccs([str(d), "--out", str(out), "--cache-dir", str(cache), *fmt, *jobs], sample=True)
            print(f"  {size:>6} docs: PSS {pss / 2**20:6.0f} MiB, RSS sum {rss / 2**20:6.0f} MiB, {secs:6.1f} s "
                  f"({size / secs:.1f} docs/s)")
        print(json.dumps({"docs": n, "jobs": args.jobs, "wall_s": wall, "cpu_s": cpu}))
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
