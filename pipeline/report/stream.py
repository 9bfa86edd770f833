"""Streamed outputs of `dccs check`: each result is written as it arrives, nothing kept but a summary row.

- `JsonReport` writes the documented JSON object ({"run", "documents", "summary"}, docs/check-json.md)
  one document at a time; the bytes are exactly those of `json.dumps(payload, indent=2)`.
- `jsonl_line` is one line of findings.jsonl: the document result with the run it belongs to.
- `TextReport` writes each document's text report, then the summary table.
- `DocumentWriters` runs the per-document writers (HTML, commented DOCX, letter) in a pool of processes,
  so they do not serialize the batch in the parent process while the check workers wait.
- `RunOutputs` is every output of one run together: stdout, the files under --out, the writers.
- `summary_view` keeps of a result only what the summary table and the exit code read (a few hundred
  bytes), so a 10,000-document batch holds 10,000 small rows, not 10,000 results.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TextIO

import orjson

from pipeline.report import render_summary, render_text


def _dump(obj, indent: bool = True) -> str:
    # orjson writes the same text as json.dumps(ensure_ascii=False, indent=2), ~20x faster (it was the
    # largest cost of a warm re-run)
    try:
        return orjson.dumps(obj, option=(orjson.OPT_INDENT_2 if indent else 0) | orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # text orjson refuses (a lone surrogate): escaped, still valid JSON
        return json.dumps(obj, ensure_ascii=True, indent=2 if indent else None)


class JsonReport:
    def __init__(self, fh: TextIO, run: dict):
        self.fh, self.count = fh, 0
        fh.write('{\n  "run": ' + _dump(run).replace("\n", "\n  ") + ',\n  "documents": [')

    def add(self, result: dict) -> None:
        sep = ",\n    " if self.count else "\n    "
        self.fh.write(sep + _dump(result).replace("\n", "\n    "))
        self.count += 1

    def close(self, summary: dict) -> None:
        end = "\n  ]" if self.count else "]"
        self.fh.write(end + ',\n  "summary": ' + _dump(summary).replace("\n", "\n  ") + "\n}\n")
        self.fh.flush()


def jsonl_line(run: dict, result: dict) -> str:
    return _dump({**result, "run": run}, indent=False) + "\n"


class TextReport:
    def __init__(self, fh: TextIO, lang: str, show_all: bool):
        self.fh, self.lang, self.show_all, self.count = fh, lang, show_all, 0

    def render(self, result: dict) -> str:
        return render_text(result, self.lang, self.show_all)

    def add(self, result: dict, text: str | None = None) -> None:
        """`text`: the document's text already rendered (stdout and report.txt share it)."""
        self.fh.write(("\n\n" if self.count else "") + (text if text is not None else self.render(result)))
        self.count += 1

    def close(self, run: dict, views: list[dict]) -> None:
        self.fh.write("\n\n" + render_summary(run, views, self.lang) + "\n")
        self.fh.flush()


def summary_view(result: dict) -> dict:
    """The keys render_summary and the exit code read; `findings` keeps only the flagged ones' severity."""
    flagged = [{"status": f["status"], "severity": f["severity"], "waived": f.get("waived", False)}
               for f in result["findings"] if f["status"] in ("missing", "partial", "conflict")]
    return {"file": result["file"], "error": result["error"], "kind": result["kind"],
            "unit_type": result["unit_type"], "severity_counts": result["severity_counts"],
            # render_summary tells "not applicable" by an empty findings list: keep it non-empty then
            "findings": flagged or ([{"status": "present", "severity": "info"}] if result["findings"] else [])}


def summary_counts(views: list[dict]) -> dict:
    failed = sum(1 for v in views if v["error"])
    return {"documents": len(views), "checked": len(views) - failed, "failed": failed}


def _write_document(names: list[str], run: dict, result: dict, out: Path, lang: str) -> list[str]:
    """Run the named document writers on one result; the error lines of those that failed."""
    from pipeline.report.outputs import DOCUMENT_WRITERS

    if any(n not in DOCUMENT_WRITERS for n in names):  # a spawned process: register the writers first
        from pipeline.cli import _load_writers

        _load_writers()
    errors = []
    for name in names:
        try:
            DOCUMENT_WRITERS[name](run, result, out, lang)
        except Exception as exc:  # one writer failing on one document: say so, go on
            errors.append(f"{name}: {result['file']}: {type(exc).__name__}: {exc}")
    return errors


class DocumentWriters:
    """Per-document writers in `jobs` processes (forked after the writers are imported), at most a few
    documents in flight; jobs <= 0 writes in this process. `errors` collects one line per failure."""

    def __init__(self, names: list[str], run: dict, out: Path, lang: str, jobs: int):
        self.names, self.run, self.out, self.lang, self.jobs = names, run, out, lang, jobs
        self.pool = None
        self.pending: deque = deque()
        self.errors: list[str] = []

    def submit(self, result: dict) -> None:
        if not self.names:
            return
        if self.jobs <= 0:
            self.errors += _write_document(self.names, self.run, result, self.out, self.lang)
            return
        if self.pool is None:
            from pipeline.batch import flush_std_streams

            flush_std_streams()
            # fork is cheapest (the writers are imported already), but not with other threads running
            # (a Dask client's): a lock held by one of them at the fork would stay held in the child
            method = "fork" if hasattr(os, "fork") and threading.active_count() == 1 else "spawn"
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=mp.get_context(method))
        self.pending.append((result["file"], self.pool.submit(_write_document, self.names, self.run, result,
                                                               self.out, self.lang)))
        while len(self.pending) > 4 * self.jobs:
            self._collect()

    def _collect(self) -> None:
        file, fut = self.pending.popleft()
        try:
            self.errors += fut.result()
        except Exception as exc:  # the writer process died (BrokenProcessPool): this document's files
            self.errors.append(f"{','.join(self.names)}: {file}: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        while self.pending:
            self._collect()
        if self.pool is not None:
            self.pool.shutdown()


BUILTIN_FILES = {"text": "report.txt", "json": "report.json", "jsonl": "findings.jsonl"}


class RunOutputs:
    """Every output of one `dccs check` run, opened first and fed one result at a time in input order.

    `stdout`: "text", "json" or "jsonl"; `files`: the outputs selected under `out` (None: no --out).
    findings.jsonl is always written with --out: the batch writers read the results back from it.
    """

    def __init__(self, run: dict, stdout, stdout_format: str, out: Path | None, files: list[str], lang: str,
                 show_all: bool, jobs: int):
        from pipeline.report.outputs import DOCUMENT_WRITERS

        self.run, self.out, self.files, self.lang = run, out, files, lang
        self.opened: list[TextIO] = []
        self.text = [TextReport(stdout, lang, show_all)] if stdout_format == "text" else []
        self.json = [JsonReport(stdout, run)] if stdout_format == "json" else []
        self.jsonl = [stdout] if stdout_format == "jsonl" else []
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            if "text" in files:
                self.text.append(TextReport(self._open("text"), lang, show_all))
            if "json" in files:
                self.json.append(JsonReport(self._open("json"), run))
            self.jsonl.append(self._open("jsonl"))
        self.documents = DocumentWriters([n for n in files if n in DOCUMENT_WRITERS], run, out, lang, jobs)
        self.views: list[dict] = []

    def _open(self, name: str) -> TextIO:
        fh = open(self.out / BUILTIN_FILES[name], "w", encoding="utf-8")
        self.opened.append(fh)
        return fh

    def add(self, result: dict) -> None:
        text = self.text[0].render(result) if self.text else None
        for sink in self.text:
            sink.add(result, text)
        for sink in self.json:
            sink.add(result)
        line = jsonl_line(self.run, result) if self.jsonl else ""
        for fh in self.jsonl:
            fh.write(line)
        self.documents.submit(result)
        self.views.append(summary_view(result))

    def close(self, complete: bool = True) -> list[str]:
        """Finish every output (the batch writers only when the run completed); the failures, one line each."""
        from pipeline.report.outputs import BATCH_WRITERS, read_jsonl

        try:
            if complete:
                for sink in self.text:
                    sink.close(self.run, self.views)
                for sink in self.json:
                    sink.close(summary_counts(self.views))
        finally:
            self.documents.close()
            for fh in self.opened:
                fh.close()
        failures = list(self.documents.errors)
        if complete and self.out is not None:
            jsonl = self.out / BUILTIN_FILES["jsonl"]
            for name in (n for n in self.files if n in BATCH_WRITERS):
                try:
                    BATCH_WRITERS[name](self.run, lambda: read_jsonl(jsonl), self.out, self.lang)
                except Exception as exc:  # one writer failing: say so, write the others
                    failures.append(f"{name}: {type(exc).__name__}: {exc}")
        return failures
