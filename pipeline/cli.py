"""Command line: `dccs parse …` (checking commands come with the rule packs)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.api import parse_file
from pipeline.messages import message, read_error_message
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
    out = [doc.file]
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
            print(f"dccs: {f}: {read_error_message(exc, args.lang)}", file=sys.stderr)
            continue
        except Exception as exc:  # a bug must not stop the batch; say which file and why
            failed += 1
            print(f"dccs: {f}: {message('internal', args.lang)} ({type(exc).__name__}: {exc})",
                  file=sys.stderr)
            continue
        if args.format == "json":
            data = doc.to_dict()
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
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
