"""The same batch on a Dask distributed cluster (`dccs check --scheduler tcp://HOST:PORT`).

Needs the optional extra `cluster` (dask[distributed]) here and on every worker, and the `pipeline`
package importable on the workers. The client reads each file and sends its bytes with the task, so
workers need not see the client's paths; a file the client cannot read gets its per-file error here,
exactly as the local pool would give it. Results come back as they finish and are put in input order
by the caller, so they are identical to the local pool's.

Per-document limits on Dask: a task cannot be interrupted inside a Dask worker thread, so on POSIX each
task forks the worker process (rules, cue matcher and spaCy are loaded once per worker process, before
the first fork, so a fork starts warm) and runs the document in the child under the same address-space
limit (RLIMIT_AS) as a local worker, while the parent waits at most `timeout` seconds and kills the child
after that. A document over a limit therefore gets the same `timeout` / `worker_died` / `out_of_memory`
error as in the local pool, and the Dask worker itself is never lost. Where fork is missing (Windows)
documents run in the worker thread without limits. A Dask worker lost for another reason
(KilledWorker) costs the documents it held: each gets `worker_died`.
"""
from __future__ import annotations

import os
import pickle
import select
import time
import uuid
from typing import Iterator

from pipeline.batch import Feed, Options, _limit_memory, _warm, check_one

_STATE: dict = {}  # per Dask worker process: the warmed ruleset


def _error(path: str, code: str, lang: str) -> dict:
    from pipeline.messages import message
    from pipeline.report import document_result

    return document_result(path, error=message(code, lang), error_code=code)


def _forked(path: str, data: bytes | None, opts: Options, ruleset, timeout: float, memory: int) -> dict:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: one document, then exit without running the parent's cleanup
        status = 1
        try:
            os.close(r)
            _limit_memory(memory)
            payload = pickle.dumps(check_one(path, opts, ruleset, data), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(w, "wb") as fh:
                fh.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(w)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    late = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                late = True
                break
            readable, _, _ = select.select([r], [], [], left)
            if readable:
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(r)
        if late:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        os.waitpid(pid, 0)
    if late:
        return _error(path, "timeout", opts.lang)
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:  # the child died before finishing its answer (memory limit, crash)
        return _error(path, "worker_died", opts.lang)


def dask_task(path: str, data: bytes | None, opts: Options, timeout: float, memory: int) -> dict:
    """Runs on a Dask worker: one document, under the per-document limits."""
    ruleset = _STATE.get("ruleset")
    if ruleset is None:
        ruleset = _STATE["ruleset"] = _warm(opts)
    if hasattr(os, "fork"):
        return _forked(path, data, opts, ruleset, timeout, memory)
    return check_one(path, opts, ruleset, data)


def iter_dask(paths: list[str], opts: Options, scheduler: str, timeout: float, memory: int, cache=None,
              window: int = 256) -> Iterator[tuple[int, dict]]:
    """Yield (index, result) as documents finish on the cluster; at most `window` in flight ahead."""
    from dask.distributed import Client, as_completed

    feed = Feed(paths, opts, cache, window, need_data=True)
    run = uuid.uuid4().hex[:12]
    with Client(scheduler, set_as_default=False) as client:
        pending = as_completed(loop=client.loop)
        meta: dict[str, tuple[int, str | None]] = {}
        while True:
            while feed.ready():
                item = feed.next()
                if item[0] == "hit":
                    yield item[1], item[2]
                    continue
                _, i, key, data = item
                fut = client.submit(dask_task, paths[i], data, opts, timeout, memory,
                                    key=f"dccs-{run}-{i}", pure=False)
                meta[fut.key] = (i, key)
                pending.add(fut)
            if pending.is_empty():
                return
            fut = next(pending)
            i, key = meta.pop(fut.key)
            try:
                result = fut.result()
            except Exception:  # KilledWorker or a lost connection: this document only
                result = _error(paths[i], "worker_died", opts.lang)
                key = None
            fut.release()
            feed.done(i, key, result)
            yield i, result
