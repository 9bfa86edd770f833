"""Batch runner: every file in isolation, in worker processes that are reused.

Each worker loads the rules and spaCy once and then takes one file at a time. A file that runs past
the time limit, or a worker that dies (memory limit, crash), costs that file only: the worker is
killed and replaced, the file gets a clear per-file error, and the batch goes on. Results come back
in input order whatever the number of workers, so output is identical for any --jobs.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable

DEFAULT_TIMEOUT = 120.0  # seconds per file
DEFAULT_MEMORY = 2 * 1024 ** 3  # bytes of address space per worker


@dataclass
class Options:
    kind: str | None = None
    unit_type: str | None = None
    staff: int | None = None
    as_of: str | None = None  # YYYY-MM-DD
    lang: str = "vi"
    max_size: int = 50 * 1024 * 1024


def _limit_memory(limit: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform: rely on the time limit
        pass


def check_one(path: str, opts: Options, ruleset=None) -> dict:
    """Read, parse, classify and check one file; never raises (errors become the result)."""
    import datetime as dt

    from pipeline.api import parse_file
    from pipeline.check import check, default_ruleset
    from pipeline.classify import classify
    from pipeline.messages import message, read_error_message
    from pipeline.model import ReadError
    from pipeline.report import document_result

    try:
        doc = parse_file(path, max_size=opts.max_size)
    except ReadError as exc:
        return document_result(path, error=read_error_message(exc, opts.lang), error_code=exc.code)
    except MemoryError:
        return document_result(path, error=message("out_of_memory", opts.lang), error_code="out_of_memory")
    except RecursionError:
        return document_result(path, error=message("too_complex", opts.lang), error_code="too_complex")
    except Exception as exc:  # a bug or a hostile file must not stop the batch
        return document_result(path, error=f"{message('internal', opts.lang)} ({type(exc).__name__})",
                               error_code="internal")
    try:
        as_of = dt.date.fromisoformat(opts.as_of) if opts.as_of else None
        c = classify(doc, kind=opts.kind, unit_type=opts.unit_type, staff=opts.staff, as_of=as_of)
        return document_result(path, doc, c, check(doc, c, ruleset or default_ruleset(), opts.lang))
    except MemoryError:
        return document_result(path, error=message("out_of_memory", opts.lang), error_code="out_of_memory")
    except Exception as exc:
        return document_result(path, error=f"{message('internal', opts.lang)} ({type(exc).__name__})",
                               error_code="internal")


def _worker(conn, opts: Options, memory: int) -> None:
    _limit_memory(memory)
    from pipeline.check import default_ruleset

    ruleset = default_ruleset()
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        index, path = task
        conn.send((index, check_one(path, opts, ruleset)))


class _Slot:
    def __init__(self, ctx, opts: Options, memory: int):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, opts, memory), daemon=True)
        self.proc.start()
        child.close()
        self.task: tuple[int, str] | None = None
        self.started = 0.0

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def run_batch(paths: list[str], opts: Options, jobs: int = 1, timeout: float = DEFAULT_TIMEOUT,
              memory: int = DEFAULT_MEMORY, progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """Check every path; results in input order. jobs=0 runs in this process (no isolation)."""
    from pipeline.messages import message
    from pipeline.report import document_result

    results: list[dict | None] = [None] * len(paths)
    if jobs <= 0:
        for i, p in enumerate(paths):
            results[i] = check_one(p, opts)
            if progress:
                progress(i + 1, len(paths))
        return results  # type: ignore[return-value]
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    slots = [_Slot(ctx, opts, memory) for _ in range(min(jobs, max(1, len(paths))))]
    queue = list(enumerate(paths))
    queue.reverse()
    done = 0

    def finish(i: int, result: dict) -> None:
        nonlocal done
        results[i] = result
        done += 1
        if progress:
            progress(done, len(paths))

    try:
        while done < len(paths):
            for slot in slots:
                if slot.task is None and queue:
                    slot.task = queue.pop()
                    slot.started = time.monotonic()
                    slot.conn.send(slot.task)
            busy = [s for s in slots if s.task is not None]
            ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=0.5)
            now = time.monotonic()
            for k, slot in enumerate(slots):
                if slot.task is None:
                    continue
                index, path = slot.task
                if slot.conn in ready:
                    try:
                        i, result = slot.conn.recv()
                        slot.task = None
                        finish(i, result)
                        continue
                    except (EOFError, OSError):
                        pass  # the worker died while answering
                died = slot.proc.sentinel in ready and not slot.proc.is_alive()
                late = now - slot.started > timeout
                if died or late:
                    code = "timeout" if late and not died else "worker_died"
                    slot.kill()
                    slots[k] = _Slot(ctx, opts, memory)
                    finish(index, document_result(path, error=message(code, opts.lang), error_code=code))
    finally:
        for slot in slots:
            try:
                slot.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            slot.proc.join(2)
            if slot.proc.is_alive():
                slot.proc.kill()
    return results  # type: ignore[return-value]


def describe_skips(paths: list[Path]) -> list[Path]:
    return [p for p in paths if p.is_symlink()]
