"""The worker process of `dccs serve`: loads the rules once, then checks one uploaded file per task.

It runs `pipeline.batch.check_one` (the batch's own isolation and error handling) and, when asked, renders
the report in the requested format with the report writers. The file it reads lies in the request's private
temporary directory, which the web process removes after the answer whatever happens here.
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

DOWNLOADS = ("html", "xlsx", "docx")  # report formats beside JSON
MEDIA_TYPES = {"json": "application/json", "html": "text/html; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def load_writers() -> None:
    """Import every report module so each writer registers itself (the registry is filled on import)."""
    import pipeline.report as report
    import pipeline.report.outputs  # noqa: F401  the registry first: writer modules import it

    for mod in pkgutil.iter_modules(report.__path__):
        try:
            importlib.import_module(f"pipeline.report.{mod.name}")
        except ImportError:  # a writer whose optional dependency is absent just stays unavailable
            pass


def _html_writer():
    load_writers()
    try:
        from pipeline.report.html import render_document_html
    except ImportError:
        return None
    return render_document_html


def _docx_writer():
    load_writers()
    try:
        from pipeline.report.docx_comments import commented_docx
    except ImportError:
        return None
    return commented_docx


def _xlsx_writer():
    load_writers()
    from pipeline.report.outputs import BATCH_WRITERS

    return BATCH_WRITERS.get("xlsx")


def available_formats() -> list[str]:
    """Download formats whose writer is installed in this build (JSON always is)."""
    found = {"html": _html_writer, "xlsx": _xlsx_writer, "docx": _docx_writer}
    return ["json"] + [f for f in DOWNLOADS if found[f]() is not None]


def render(fmt: str, run: dict, result: dict, source: Path, work_dir: Path, lang: str) -> bytes:
    if fmt == "html":
        return _html_writer()(run, result, lang).encode("utf-8")
    if fmt == "docx":
        return _docx_writer()(source.read_bytes(), result, run, lang)
    if fmt == "xlsx":
        out = work_dir / "xlsx"
        out.mkdir()
        paths = _xlsx_writer()(run, lambda: iter([result]), out, lang)
        xlsx = [Path(p) for p in paths if str(p).endswith(".xlsx")]
        return xlsx[0].read_bytes()
    raise ValueError(fmt)


def run_task(task: dict, ruleset) -> dict:
    """One upload: check it, then render the requested format. Never raises."""
    from pipeline.batch import check_one
    from pipeline.messages import message
    from pipeline.report import run_info

    opts = task["options"]
    result = check_one(task["path"], opts, ruleset)
    result["file"] = task["display_name"]  # never the private temporary path
    run = run_info(ruleset, opts.as_of)
    body = None
    if task["format"] != "json" and not result["error"]:
        if task["format"] == "docx" and result["format"] != "docx":
            return {"run": run, "result": result, "error_code": "not_docx"}
        try:
            body = render(task["format"], run, result, Path(task["path"]), Path(task["work_dir"]), opts.lang)
        except Exception as exc:  # a writer bug costs this download only
            return {"run": run, "result": result, "error_code": "render_failed",
                    "detail": f"{message('internal', opts.lang)} ({type(exc).__name__})"}
    return {"run": run, "result": result, "body": body}


def _limit_memory(limit: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform: the time limit still holds
        pass


def _warm_up(ruleset) -> None:
    """Check a few lines once, so the first officer's upload does not pay for spaCy and the cue matcher."""
    from pipeline.api import parse_bytes
    from pipeline.check import check
    from pipeline.classify import classify

    text = "QUY CHẾ\nThực hiện dân chủ trong hoạt động của cơ quan\nĐiều 1. Nội dung công khai\n"
    try:
        doc = parse_bytes(text.encode("utf-8"), "warm-up.txt", ".txt")
        check(doc, classify(doc), ruleset)
    except Exception:  # warming up is an optimisation only
        pass


def main(conn, memory: int) -> None:
    """Worker loop: a task in, a reply out, until told to stop (None) or the pipe closes."""
    _limit_memory(memory)
    # Libraries (pdfminer, python-docx, …) may quote a document in their warnings: a worker logs nothing,
    # and what goes wrong reaches the web process as the result's error code.
    import logging
    import warnings

    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    from pipeline.check import default_ruleset

    ruleset = default_ruleset()
    load_writers()
    _warm_up(ruleset)
    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(run_task(task, ruleset))
