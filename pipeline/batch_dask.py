"""The same batch on a Dask distributed cluster (`dccs check --scheduler tcp://HOST:PORT`).

Needs the optional extra `cluster` (dask[distributed]) here and on every worker, and the `pipeline`
package importable on the workers. The client reads each file and sends its bytes with the task, so
workers need not see the client's paths; a file the client cannot read gets its per-file error here,
exactly as the local pool would give it. Results come back as they finish and are put in input order
by the caller, so they are identical to the local pool's.

Per-document limits on Dask: a task cannot be interrupted inside a Dask worker thread, and Dask worker
processes are daemonic (multiprocessing refuses them children). So on POSIX each Dask worker process
loads the rules, the cue matcher and spaCy once, then forks a child (raw os.fork; the child starts warm)
that checks documents one after another under the same address-space limit (RLIMIT_AS) as a local
worker, while the task waits at most `timeout` seconds for its answer. A document over a limit gets the
same `timeout` / `worker_died` / `out_of_memory` error as in the local pool: the child is killed and the
next task forks a fresh one; the Dask worker itself is never lost. Where fork is missing (Windows)
documents run in the worker thread without limits. A Dask worker lost for another reason
(KilledWorker) costs the documents it held: each gets `worker_died`.
"""
from __future__ import annotations

import gc
import os
import signal
import threading
import uuid
from typing import Iterator

from pipeline.batch import Feed, Options, _limit_memory, _warm, check_one, flush_std_streams, orphaned

_STATE: dict = {}  # per Dask worker process: the warmed ruleset, idle children
_LOCK = threading.Lock()  # a worker may run several tasks at once (threads_per_worker > 1)


def _error(path: str, code: str, lang: str) -> dict:
    from pipeline.messages import message
    from pipeline.report import document_result

    return document_result(path, error=message(code, lang), error_code=code)


class _Child:
    """A process forked from the (already warm) Dask worker that checks documents one after another.

    Raw os.fork, because Dask worker processes are daemonic and multiprocessing refuses them children.
    """

    def __init__(self, opts: Options, ruleset, memory: int):
        from multiprocessing.connection import Connection

        gc.collect()
        gc.freeze()  # the child's collections then skip the inherited heap: fewer copy-on-write pages
        task_r, task_w = os.pipe()
        out_r, out_w = os.pipe()
        parent = os.getpid()
        flush_std_streams()
        self.pid = os.fork()
        if self.pid == 0:  # child: serve until the pipe closes; never return into the Dask worker
            status = 1
            try:
                os.close(task_w)
                os.close(out_r)
                tasks, out = Connection(task_r, writable=False), Connection(out_w, readable=False)
                _limit_memory(memory)
                while True:
                    if orphaned(parent, tasks):
                        break
                    try:
                        path, data = tasks.recv()
                    except EOFError:
                        break
                    out.send(check_one(path, opts, ruleset, data))
                status = 0
            finally:
                os._exit(status)
        os.close(task_r)
        os.close(out_w)
        self.tasks, self.out = Connection(task_w, readable=False), Connection(out_r, writable=False)

    def run(self, path: str, data: bytes | None, timeout: float) -> dict | str:
        """The result, or "timeout" / "worker_died" (the child is then gone)."""
        try:
            self.tasks.send((path, data))
            if not self.out.poll(timeout):
                self.close(kill=True)
                return "timeout"
            return self.out.recv()
        except (EOFError, OSError):
            self.close(kill=True)
            return "worker_died"

    def close(self, kill: bool = False) -> None:
        if kill:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for conn in (self.tasks, self.out):
            conn.close()
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def dask_task(path: str, data: bytes | None, opts: Options, timeout: float, memory: int) -> dict:
    """Runs on a Dask worker: one document, in a reused child process, under the per-document limits."""
    with _LOCK:
        if "ruleset" not in _STATE:
            _STATE["ruleset"] = _warm(opts)
        ruleset = _STATE["ruleset"]
        idle = _STATE.setdefault("idle", [])
        child = idle.pop() if idle else None
    if not hasattr(os, "fork"):
        return check_one(path, opts, ruleset, data)
    if child is None or child.key != (opts, memory):
        if child is not None:
            child.close()
        child = _Child(opts, ruleset, memory)
        child.key = (opts, memory)
    answer = child.run(path, data, timeout)
    if isinstance(answer, str):
        return _error(path, answer, opts.lang)
    with _LOCK:
        _STATE["idle"].append(child)
    return answer


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
