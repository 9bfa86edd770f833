"""Command line: `dccs parse …` (checking commands come with the rule packs)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import time
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.api import parse_file
from pipeline.messages import message, read_error_message
from pipeline.report import display_name
from pipeline.model import OutlineItem, ParsedDocument, ReadError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def expand_inputs(paths: list[str]) -> list[Path]:
    """Files as given; folders walked recursively in a stable order (hidden files skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir() and not p.is_symlink():
            out.extend(sorted(f for f in p.rglob("*")
                              if (f.is_file() or f.is_symlink())
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)
                              and f.suffix.lower() not in (".md", ".yaml", ".yml", ".json")))
        else:
            out.append(p)
    return out


def _tree_item(item: OutlineItem, depth: int, out: list[str]) -> None:
    label = {"dieu": f"Điều {item.label}.", "chuong": f"Chương {item.label}",
             "phan": f"Phần {item.label}", "muc": f"Mục {item.label}"}.get(item.kind)
    if label is None:
        label = item.label if item.kind in ("dash", "plus") else (
            f"{item.label})" if item.kind in ("letter", "diem") else f"{item.label}.")
    text = item.title or item.text.split("\n")[0]
    if len(text) > 90:
        text = text[:87] + "…"
    out.append(f"{'  ' * depth}{label} {text}".rstrip())
    for child in item.children:
        _tree_item(child, depth + 1, out)


def render_tree(doc: ParsedDocument, lang: str = "vi") -> str:
    en = lang == "en"
    h = doc.header
    out = [display_name(doc.file)]
    date = ""
    if h.date:
        d = h.date
        date = f"{d.day or '..'}/{d.month or '..'}/{d.year}"
    out.append(f"  {h.doc_type or '?'} {h.reference or ''} — {h.place or ''} {date}".rstrip())
    out.append(f"  {'Issuer' if en else 'Cơ quan ban hành'}: {' / '.join(h.issuer)}")
    out.append(f"  {'Title' if en else 'Trích yếu'}: {h.title or ''}")
    for part in doc.parts:
        out.append(f"  [{part.index}] {part.doc_type or '?'}: {part.title or ''}")
        if part.legal_bases:
            out.append(f"    {'Legal bases' if en else 'Căn cứ'} ({len(part.legal_bases)}):")
            for b in part.legal_bases:
                refs = ", ".join(f"{c.kind} {c.reference or c.title or ''}".strip() for c in b.citations)
                out.append(f"      - {refs}")
        lines: list[str] = []
        for item in part.outline:
            _tree_item(item, 3, lines)
        out.extend(lines)
    c = doc.closing
    if c.recipients:
        out.append(f"  {'Recipients' if en else 'Nơi nhận'}: " + "; ".join(c.recipients))
    s = c.signer
    if s.name or s.title:
        out.append(f"  {'Signer' if en else 'Người ký'}: {s.authority or ''} {s.title or ''} — {s.name or ''}")
    for issue in doc.issues:
        where = f" ({issue.location.path})" if issue.location else ""
        out.append(f"  ! {issue.code}: {issue.message}{where}")
    return "\n".join(out)


def cmd_parse(args: argparse.Namespace) -> int:
    files = expand_inputs(args.files)
    if not files:
        print(f"dccs: {message('usage_no_input', args.lang)}", file=sys.stderr)
        return EXIT_ERROR
    out_dir = Path(args.out) if args.out else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    results = []
    for f in files:
        try:
            doc = parse_file(f, max_size=args.max_size)
        except ReadError as exc:
            failed += 1
            print(f"dccs: {display_name(str(f))}: {read_error_message(exc, args.lang)}", file=sys.stderr)
            continue
        except Exception as exc:  # a bug must not stop the batch; say which file and why
            failed += 1
            print(f"dccs: {f}: {message('internal', args.lang)} ({type(exc).__name__}: {exc})",
                  file=sys.stderr)
            continue
        if args.format == "json":
            data = doc.to_dict()
            data["file"] = display_name(data["file"])
            if out_dir:
                target = out_dir / (f.name + ".json")
                target.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
            else:
                results.append(data)
        else:
            text = render_tree(doc, args.lang)
            if out_dir:
                (out_dir / (f.name + ".txt")).write_text(text + "\n", encoding="utf-8")
            else:
                print(text)
    if args.format == "json" and not out_dir:
        payload = results[0] if len(files) == 1 and results else results
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    if len(files) > 1 or out_dir:
        print(message("summary", args.lang, total=len(files), ok=len(files) - failed, failed=failed),
              file=sys.stderr)
    return EXIT_ERROR if failed else EXIT_OK


def _as_of(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else dt.date.today()


def _progress(lang: str):
    """A progress line on a terminal (done/total, rate, time left); plain log lines otherwise."""
    start = time.monotonic()
    tty = sys.stderr.isatty()
    last = [0.0]

    def show(done: int, total: int) -> None:
        elapsed = time.monotonic() - start
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate else 0.0
        if lang == "en":
            text = f"{done}/{total} files · {rate:.1f}/s · {left:.0f} s left"
        else:
            text = f"{done}/{total} tệp · {rate:.1f} tệp/giây · còn {left:.0f} giây"
        if tty:
            print("\r" + text, end="\n" if done == total else "", file=sys.stderr, flush=True)
        elif done == total or time.monotonic() - last[0] > 5:
            last[0] = time.monotonic()
            print(text, file=sys.stderr, flush=True)

    return show


def exit_code(results: list[dict], fail_on: str) -> int:
    from pipeline.report import worst_severity

    if any(r["error"] for r in results):
        return EXIT_ERROR
    if fail_on == "never":
        return EXIT_OK
    threshold = {"error": 2, "warning": 1}[fail_on]
    ranks = {"info": 0, "warning": 1, "error": 2}
    worst = [worst_severity(r) for r in results]
    return EXIT_FINDINGS if any(w and ranks[w] >= threshold for w in worst) else EXIT_OK


STDOUT_FORMATS = ("text", "json", "jsonl")


def _load_writers() -> None:
    """Import every module of pipeline.report, so each registered writer (html, xlsx, …) is known."""
    import importlib
    import pkgutil

    import pipeline.report as report

    for mod in pkgutil.iter_modules(report.__path__):
        try:
            importlib.import_module(f"pipeline.report.{mod.name}")
        except Exception as exc:  # one broken writer must not take the others down; say which
            print(f"dccs: pipeline.report.{mod.name}: {type(exc).__name__}: {exc}", file=sys.stderr)


def select_formats(value: str | None, out: bool, lang: str) -> tuple[str, list[str]]:
    """(the stdout format, the outputs to write under --out). Raises ValueError with a usage message."""
    from pipeline.report.outputs import BATCH_WRITERS, DOCUMENT_WRITERS

    vi = lang != "en"
    names = [n.strip().lower() for n in value.split(",") if n.strip()] if value else []
    if out or any(n not in STDOUT_FORMATS for n in names):
        _load_writers()
    known = list(STDOUT_FORMATS) + sorted(n for n in {**DOCUMENT_WRITERS, **BATCH_WRITERS} if n not in STDOUT_FORMATS)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"--format {','.join(unknown)}: " + ("không có định dạng này; có: " if vi else
                                                              "no such output; known: ") + ", ".join(known))
    if not out:
        if len(names) > 1 or (names and names[0] not in STDOUT_FORMATS):
            raise ValueError(f"--format {','.join(names)}: " + (
                "không có --out chỉ in ra một trong " if vi else "without --out, only one of ")
                + ", ".join(STDOUT_FORMATS) + (" (các đầu ra khác cần --out THƯ_MỤC)" if vi else
                                               " (other outputs need --out DIR)"))
        return (names[0] if names else "text"), []
    files = names or known
    stdout = "text" if "text" in files else next((n for n in ("json", "jsonl") if n in files), "text")
    return stdout, [n for n in known if n in files]


def _cache_line(cache, total: int, lang: str) -> str:
    if lang == "en":
        extra = f", {cache.corrupt} corrupt entries replaced" if cache.corrupt else ""
        return f"cache: reused {cache.hits} of {total} results{extra} ({cache.dir.parent})"
    extra = f", thay {cache.corrupt} mục hỏng" if cache.corrupt else ""
    return f"bộ nhớ đệm: dùng lại {cache.hits}/{total} kết quả{extra} ({cache.dir.parent})"


def cmd_check(args: argparse.Namespace) -> int:
    from pipeline.check.rules import RuleError, load_ruleset
    from pipeline.report import run_info
    from pipeline.report.stream import RunOutputs

    try:
        args.as_of_date = _as_of(args.as_of)
    except ValueError:
        print(f"dccs: --as-of: {args.as_of!r} (YYYY-MM-DD)", file=sys.stderr)
        return EXIT_ERROR
    try:
        stdout_format, file_formats = select_formats(args.format, bool(args.out), args.lang)
    except ValueError as exc:
        print(f"dccs: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        ruleset = load_ruleset()
    except RuleError as exc:
        print(f"dccs: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.scheduler:
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("dccs: --scheduler: " + ("cần gói dask[distributed]: pip install 'dccs[cluster]'" if args.lang != "en"
                                           else "needs dask[distributed]: pip install 'dccs[cluster]'"), file=sys.stderr)
            return EXIT_ERROR
    files = expand_inputs(args.paths)
    if not files:
        print(f"dccs: {message('usage_no_input', args.lang)}", file=sys.stderr)
        return EXIT_ERROR
    from pipeline.batch import Options, in_order, iter_batch
    from pipeline.cache import ResultCache, default_dir
    from pipeline.report.workflow import BaselineError, WaiverError, annotate, load_baseline, load_waivers

    try:  # a bad waivers file or baseline is a usage error, found before any work
        waivers = (load_waivers(args.waivers, args.lang, known_rules=set(ruleset.by_id))
                   if args.waivers else None)
        baseline = load_baseline(args.baseline, args.lang) if args.baseline else None
    except (WaiverError, BaselineError) as exc:
        print(f"dccs: {exc}", file=sys.stderr)
        return EXIT_ERROR

    opts = Options(kind=args.kind, unit_type=args.unit_type, staff=args.staff,
                   as_of=args.as_of_date.isoformat(), lang=args.lang, max_size=args.max_size)
    run = run_info(ruleset, args.as_of_date.isoformat())
    cache = None
    if not args.no_cache:
        cache = ResultCache(Path(args.cache_dir) if args.cache_dir else default_dir(),
                            {"rules": ruleset.version, "as_of": opts.as_of, "kind": opts.kind,
                             "unit_type": opts.unit_type, "staff": opts.staff, "lang": opts.lang,
                             "max_size": opts.max_size})
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)

    outputs = RunOutputs(run, sys.stdout, stdout_format, Path(args.out) if args.out else None, file_formats,
                         args.lang, args.show_all, jobs)
    progress = _progress(args.lang) if len(files) > 1 else None
    done = 0

    def finished():
        nonlocal done
        for pair in iter_batch([str(f) for f in files], opts, jobs=jobs, timeout=args.timeout, cache=cache,
                               scheduler=args.scheduler):
            done += 1
            if progress:
                progress(done, len(files))
            yield pair

    complete = False
    try:
        for result in in_order(finished()):
            # the one place every result passes through before any output: after the cache, so waivers
            # and the baseline apply on every run
            outputs.add(annotate(result, waivers, baseline))
            if result["error"]:  # on a terminal, over the progress line
                clear = "\r\033[K" if progress and sys.stderr.isatty() else ""
                print(f"{clear}dccs: {result['file']}: {result['error']}", file=sys.stderr)
        complete = True
    finally:
        failures = outputs.close(complete)
    for line in failures:
        print(f"dccs: {line}", file=sys.stderr)
    for note in waivers.unused_messages(args.lang) if waivers else []:
        print(f"dccs: {note}", file=sys.stderr)
    if cache is not None and len(files) > 1:
        print(_cache_line(cache, len(files), args.lang), file=sys.stderr)
    code = exit_code(outputs.views, args.fail_on)
    return EXIT_ERROR if failures else code


def rules_listing(ruleset, lang: str = "vi") -> dict:
    """`dccs rules list --format json`, also served at GET /api/v1/rules."""
    return {"rules_version": ruleset.version,
            "rules": [{"id": r.id, "pack": r.pack, "title": getattr(r.title, lang), "severity": r.severity,
                       "citation": r.legal_basis.cite(), "check": r.check.kind} for r in ruleset.rules]}


def cmd_rules(args: argparse.Namespace) -> int:
    from pipeline.check.rules import RuleError, load_ruleset
    from pipeline.report.pages import rule_page

    try:
        ruleset = load_ruleset()
    except RuleError as exc:
        print(f"dccs: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.action == "list":
        listing = rules_listing(ruleset, args.lang)
        if args.format == "json":
            print(json.dumps(listing, ensure_ascii=False, indent=2))
        else:
            for row in listing["rules"]:
                print(f"{row['id']:<12} {row['severity']:<8} {row['title']} — {row['citation']}")
        return EXIT_OK
    rule = ruleset.by_id.get(args.id or "")
    if rule is None:
        print(f"dccs: {'không có quy tắc' if args.lang == 'vi' else 'no rule'} {args.id!r}", file=sys.stderr)
        return EXIT_ERROR
    print(rule_page(rule, ruleset, args.lang))
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from pipeline.eval import run_eval

    sets = set(args.sets.split(",")) if args.sets else None
    return run_eval(Path(args.corpus), Path(args.out), lang=args.lang, sets=sets)


def cmd_serve(args: argparse.Namespace) -> int:
    from pipeline.serve import cmd_serve as serve  # fastapi/uvicorn load only for this command

    return serve(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dccs", description="Kiểm tra văn bản theo Luật Thực hiện dân chủ ở cơ sở")
    p.add_argument("--version", action="version", version=f"dccs {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    pp = sub.add_parser("parse", help="phân tích cấu trúc văn bản / parse document structure")
    pp.add_argument("files", nargs="+", help="tệp hoặc thư mục / files or folders")
    pp.add_argument("--format", choices=["json", "tree"], default="tree")
    pp.add_argument("--out", help="thư mục ghi kết quả / output folder")
    pp.add_argument("--lang", choices=["vi", "en"], default="vi")
    pp.add_argument("--max-size", type=int, default=50 * 1024 * 1024)
    pp.set_defaults(func=cmd_parse)

    from pipeline.classify import KINDS, UNIT_TYPES

    pc = sub.add_parser("check", help="kiểm tra văn bản theo quy định / check documents against the rules")
    pc.add_argument("paths", nargs="+", help="tệp hoặc thư mục / files or folders")
    pc.add_argument("--format", metavar="LIST",
                    help="các đầu ra, cách nhau bởi dấu phẩy / comma-separated outputs: text, json, jsonl "
                         "(stdout or files), html, dashboard, docx, letter, xlsx, csv, sarif (with --out); "
                         "default: text, or everything with --out")
    pc.add_argument("--out", help="thư mục ghi báo cáo / output folder")
    pc.add_argument("--fail-on", choices=["error", "warning", "never"], default="error")
    pc.add_argument("--kind", choices=KINDS)
    pc.add_argument("--unit-type", choices=UNIT_TYPES)
    pc.add_argument("--staff", type=int, help="số cán bộ, người lao động / staff count")
    pc.add_argument("--as-of", help="ngày đối chiếu YYYY-MM-DD (mặc định: hôm nay) / as-of date")
    pc.add_argument("--lang", choices=["vi", "en"], default="vi")
    pc.add_argument("--show-all", action="store_true", help="hiện cả các nội dung đạt / show passes too")
    pc.add_argument("--jobs", type=int, default=None,
                    help="số tiến trình (mặc định: số lõi; 0: chạy trong tiến trình chính) / worker processes")
    pc.add_argument("--timeout", type=float, default=120.0, help="giây tối đa cho mỗi tệp / seconds per file")
    pc.add_argument("--max-size", type=int, default=50 * 1024 * 1024)
    pc.add_argument("--cache-dir", help="thư mục bộ nhớ đệm / cache folder (default: $XDG_CACHE_HOME/dccs)")
    pc.add_argument("--no-cache", action="store_true", help="không dùng bộ nhớ đệm / do not use the cache")
    pc.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                    help="chạy trên cụm Dask / run on a Dask distributed cluster (extra: cluster)")
    pc.add_argument("--waivers", metavar="FILE",
                    help="tệp YAML các phát hiện đã chấp nhận / YAML file of accepted findings")
    pc.add_argument("--baseline", metavar="DIR",
                    help="thư mục kết quả lần trước (--out) để so sánh / previous --out folder to compare with")
    pc.set_defaults(func=cmd_check)

    pr = sub.add_parser("rules", help="danh mục quy tắc / the rules")
    pr.add_argument("action", choices=["list", "show"])
    pr.add_argument("id", nargs="?")
    pr.add_argument("--format", choices=["text", "json"], default="text")
    pr.add_argument("--lang", choices=["vi", "en"], default="vi")
    pr.set_defaults(func=cmd_rules)

    pe = sub.add_parser("eval", help="đánh giá trên bộ dữ liệu có nhãn / evaluate on the labelled corpus")
    pe.add_argument("--corpus", default="corpus")
    pe.add_argument("--out", default="outputs/eval")
    pe.add_argument("--lang", choices=["vi", "en"], default="vi")
    pe.add_argument("--sets", help="chỉ các tập này, ví dụ dev,dev2 / only these sets")
    pe.set_defaults(func=cmd_eval)

    ps = sub.add_parser("serve", help="trang tải lên và API kiểm tra văn bản / upload page and JSON API")
    ps.add_argument("--host", default="127.0.0.1")
    ps.add_argument("--port", type=int, default=8000)
    ps.add_argument("--workers", type=int, default=None, help="số tiến trình xử lý văn bản / document workers")
    ps.add_argument("--max-upload-mb", type=float, default=20, help="dung lượng tối đa mỗi tệp (MB)")
    ps.add_argument("--timeout", type=float, default=60.0, help="giây tối đa cho mỗi văn bản / seconds per document")
    ps.add_argument("--queue", type=int, default=64, help="số yêu cầu được chờ / requests allowed to wait")
    ps.add_argument("--temp-dir", help="thư mục tạm riêng (mặc định: của hệ thống) / private temp root")
    ps.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    # `dccs … | head` ends quietly; the handler is put back on return, so a program (or a test) that calls
    # main() in-process is not killed later by a write to a pipe whose reader has gone (a worker it killed)
    previous = signal.signal(signal.SIGPIPE, signal.SIG_DFL) if hasattr(signal, "SIGPIPE") else None
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
            return int(exc.code or 0)
        return args.func(args)
    finally:
        if previous is not None:
            signal.signal(signal.SIGPIPE, previous)


if __name__ == "__main__":
    sys.exit(main())
