"""Batch runner: every file in isolation, in worker processes that are reused.

Each worker loads the rules and spaCy once and then takes one file at a time. A file that runs past
the time limit, or a worker that dies (memory limit, crash), costs that file only: the worker is
killed and replaced, the file gets a clear per-file error, and the batch goes on.

`iter_batch` yields `(index, result)` as documents finish, so the caller can write each result at once
and memory stays flat whatever the batch size; `in_order` puts them back in input order with a small
buffer (no task starts more than `window` places ahead of the oldest unfinished one), so output is
identical for any --jobs. With a `ResultCache`, the parent hashes each file first and serves unchanged
documents without starting a worker; with `scheduler=` the same batch runs on a Dask cluster
(pipeline/batch_dask.py).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Iterator

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


def check_one(path: str, opts: Options, ruleset=None, data: bytes | None = None) -> dict:
    """Read, parse, classify and check one file; never raises (errors become the result).

    `data`: the file's bytes, already read (a Dask worker on another machine may not see the path).
    """
    import datetime as dt

    from pipeline.api import parse_file, parse_raw
    from pipeline.ingest import read_bytes
    from pipeline.check import check, default_ruleset
    from pipeline.classify import classify
    from pipeline.messages import message, read_error_message
    from pipeline.model import ReadError
    from pipeline.report import document_result

    try:
        if data is None:
            doc = parse_file(path, max_size=opts.max_size)
        else:
            doc = parse_raw(read_bytes(data, str(path), Path(path).suffix.lower()))
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


def _warm(opts: Options):
    """Load the rules, the cue matcher, spaCy's vocabulary and every stage now, once per worker process."""
    import pipeline.api  # noqa: F401  (readers, normalize, structure: their regexes compile on import)
    import pipeline.classify  # noqa: F401
    import pipeline.messages  # noqa: F401
    import pipeline.report  # noqa: F401
    from pipeline.check import default_ruleset, phrase_index
    from pipeline.vntext.nlp import vocab

    ruleset = default_ruleset()
    phrase_index(ruleset)
    vocab()
    return ruleset


def orphaned(parent: int, conn) -> bool:
    """Wait for the next task; True when the parent is gone (killed, SIGPIPE) and this worker should end.

    A forked worker may hold copies of the parent's pipe ends, so EOF alone cannot be relied on.
    """
    while not conn.poll(1.0):
        if os.getppid() != parent:
            return True
    return False


def _worker(conn, parent_end, opts: Options, memory: int) -> None:
    parent = os.getppid()
    if parent_end is not None:
        parent_end.close()  # the parent's end, inherited by fork: closed so the parent's death reads as EOF
    _limit_memory(memory)
    ruleset = _warm(opts)
    conn.send(None)  # ready: a document's time limit starts when it is sent, after this loading
    while True:
        if orphaned(parent, conn):
            return
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
        inherited = self.conn if ctx.get_start_method() == "fork" else None
        flush_std_streams()
        self.proc = ctx.Process(target=_worker, args=(child, inherited, opts, memory), daemon=True)
        self.proc.start()
        child.close()
        self.task: tuple[int, str] | None = None
        self.key: str | None = None
        self.ready = False  # loaded; a task taken before that waits here, unsent
        self.started = 0.0  # when the task was sent; 0 while it waits

    def send(self) -> None:
        if self.ready and self.task is not None and not self.started:
            self.started = time.monotonic()
            self.conn.send(self.task)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def flush_std_streams() -> None:
    """Before a fork: a child that flushes an inherited buffer at exit would print it a second time."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass


def read_for_key(path: str, max_size: int) -> bytes | None:
    """The file's bytes when it is a regular file the worker would read; None leaves the error to it."""
    p = Path(path)
    try:
        if p.is_symlink() or not p.is_file() or p.stat().st_size > max_size:
            return None
        return p.read_bytes()
    except OSError:
        return None


class Feed:
    """Hands out tasks in input order, serving cache hits on the way, never too far ahead.

    `next()` returns ("hit", index, result) — from the cache, or the read error of a file the parent
    could not read — or ("task", index, key, data); `key` is the cache key (None without a cache),
    `data` the file's bytes when `need_data`.
    """

    def __init__(self, paths: list[str], opts: Options, cache=None, window: int = 64, need_data: bool = False):
        self.paths, self.opts, self.cache, self.window, self.need_data = paths, opts, cache, window, need_data
        self.index = 0
        self.inflight: set[int] = set()

    def ready(self) -> bool:
        """Another task may start: there is one, and it is within `window` of the oldest unfinished."""
        if self.index >= len(self.paths):
            return False
        return not self.inflight or self.index < min(self.inflight) + self.window

    def next(self) -> tuple:
        i = self.index
        self.index += 1
        path = self.paths[i]
        data = read_for_key(path, self.opts.max_size) if (self.cache or self.need_data) else None
        key = None
        if data is None and (self.cache is not None or self.need_data):
            # not a regular readable file: the read error comes before any parsing, so give it here
            # (exactly what a worker would say) without starting or waking a worker for it
            return ("hit", i, check_one(path, self.opts))
        if self.cache is not None:
            key = self.cache.key(data, Path(path).suffix)
            hit = self.cache.get(key, path)
            if hit is not None:
                return ("hit", i, hit)
        self.inflight.add(i)
        return ("task", i, key, data if self.need_data else None)

    def done(self, index: int, key: str | None, result: dict) -> None:
        self.inflight.discard(index)
        if self.cache is not None and key is not None:
            self.cache.put(key, result)


def in_order(pairs: Iterator[tuple[int, dict]], start: int = 0) -> Iterator[dict]:
    """Results in input order from (index, result) pairs in any order; holds only those that came early."""
    buffer: dict[int, dict] = {}
    nxt = start
    for index, result in pairs:
        buffer[index] = result
        while nxt in buffer:
            yield buffer.pop(nxt)
            nxt += 1
    if buffer:  # an index never came: a bug upstream, but never drop a result silently
        yield from (buffer[k] for k in sorted(buffer))


def iter_batch(paths: list[str], opts: Options, jobs: int = 1, timeout: float = DEFAULT_TIMEOUT,
               memory: int = DEFAULT_MEMORY, cache=None, scheduler: str | None = None,
               window: int | None = None) -> Iterator[tuple[int, dict]]:
    """Check every path; yield (index, result) as each finishes. jobs=0 runs in this process (no isolation)."""
    if scheduler:
        from pipeline.batch_dask import iter_dask

        yield from iter_dask(paths, opts, scheduler, timeout=timeout, memory=memory, cache=cache,
                             window=window or 256)
        return
    feed = Feed(paths, opts, cache, window or max(16, 8 * max(jobs, 1)))
    if jobs <= 0:
        while feed.ready():
            item = feed.next()
            if item[0] == "hit":
                yield item[1], item[2]
                continue
            _, i, key, _ = item
            result = check_one(paths[i], opts)
            feed.done(i, key, result)
            yield i, result
        return
    yield from _pool(paths, opts, feed, jobs, timeout, memory)


def _pool(paths: list[str], opts: Options, feed: Feed, jobs: int, timeout: float,
          memory: int) -> Iterator[tuple[int, dict]]:
    from pipeline.messages import message
    from pipeline.report import document_result

    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    # started lazily: a run served wholly from the cache never starts a worker
    slots: list[_Slot | None] = [None] * min(jobs, max(1, len(paths)))
    try:
        while True:
            for k in range(len(slots)):
                while (slots[k] is None or slots[k].task is None) and feed.ready():
                    item = feed.next()
                    if item[0] == "hit":
                        yield item[1], item[2]
                        continue
                    _, index, key, _ = item
                    if slots[k] is None:
                        slots[k] = _Slot(ctx, opts, memory)
                    slot = slots[k]
                    slot.task, slot.key, slot.started = (index, paths[index]), key, 0.0
                    slot.send()
            busy = [s for s in slots if s is not None and s.task is not None]
            if not busy:
                if not feed.ready():
                    return
                continue
            ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=0.5)
            now = time.monotonic()
            for k, slot in enumerate(slots):
                if slot is None or slot.task is None:
                    continue
                index, path = slot.task
                if slot.conn in ready:
                    try:
                        answer = slot.conn.recv()
                        if answer is None:  # loaded: send it the task it holds
                            slot.ready = True
                            slot.send()
                            continue
                        i, result = answer
                        slot.task = None
                        feed.done(i, slot.key, result)
                        yield i, result
                        continue
                    except (EOFError, OSError):
                        pass  # the worker died while answering
                died = slot.proc.sentinel in ready and not slot.proc.is_alive()
                late = bool(slot.started) and now - slot.started > timeout
                if died or late:
                    code = "timeout" if late and not died else "worker_died"
                    slot.kill()
                    slots[k] = _Slot(ctx, opts, memory)
                    result = document_result(path, error=message(code, opts.lang), error_code=code)
                    feed.done(index, None, result)
                    yield index, result
    finally:
        for slot in slots:
            if slot is None:
                continue
            try:
                slot.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            slot.proc.join(2)
            if slot.proc.is_alive():
                slot.proc.kill()


def run_batch(paths: list[str], opts: Options, jobs: int = 1, timeout: float = DEFAULT_TIMEOUT,
              memory: int = DEFAULT_MEMORY, progress: Callable[[int, int], None] | None = None,
              cache=None, scheduler: str | None = None) -> list[dict]:
    """Every result, in input order (the whole list in memory: for the API and small batches)."""
    out = []
    done = 0

    def counted():
        nonlocal done
        for pair in iter_batch(paths, opts, jobs, timeout, memory, cache=cache, scheduler=scheduler):
            done += 1
            if progress:
                progress(done, len(paths))
            yield pair

    out.extend(in_order(counted()))
    return out


def describe_skips(paths: list[Path]) -> list[Path]:
    return [p for p in paths if p.is_symlink()]
