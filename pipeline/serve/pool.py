"""A bounded pool of document worker processes for the web service.

Each worker is a long-lived process (rules loaded once) that takes one task at a time. A request waits
for an idle worker; at most `queue` requests wait, beyond that the service answers 503 at once instead of
piling up. A task past the time limit, or a worker that dies (memory limit, crash), costs that request
only: the worker is killed and replaced, and the request gets a clear error.
"""
from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
from concurrent.futures import ThreadPoolExecutor

START_TIMEOUT = 300.0  # seconds for a new worker to load the rules (a cold machine under load is slow)


class Busy(Exception):
    """Every worker is busy and the waiting line is full."""


class TaskTimeout(Exception):
    """The document took longer than the time limit; its worker was replaced."""


class WorkerDied(Exception):
    """The worker stopped while handling the document (memory limit or crash); it was replaced."""


def _context():
    # forkserver: workers fork from a clean server process (not from the threaded web process) with
    # the pipeline already imported, so a replacement worker is ready in well under a second.
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.serve.worker", "pipeline.batch", "pipeline.check"])
        return ctx
    return mp.get_context("spawn")


class _Worker:
    def __init__(self, ctx, memory: int):
        from pipeline.serve import worker

        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=worker.main, args=(child, memory), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.conn.poll(START_TIMEOUT):
            raise WorkerDied("start timeout")
        if self.conn.recv() != "ready":
            raise WorkerDied("bad start")
        self.ready = True

    def run(self, task: dict, timeout: float) -> dict:
        """Blocking: send one task and wait for its reply (called in a thread)."""
        self.wait_ready()
        self.conn.send(task)
        if not self.conn.poll(timeout):
            raise TaskTimeout()
        return self.conn.recv()

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()


class WorkerPool:
    def __init__(self, workers: int, timeout: float, memory: int, queue: int):
        self.size = max(1, workers)
        self.timeout = timeout
        self.memory = memory
        self.queue = max(0, queue)
        self._ctx = _context()
        self._threads = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="dccs-worker")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self.waiting = 0  # requests holding or waiting for a worker

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            w = _Worker(self._ctx, self.memory)
            self._all.append(w)
            self._idle.put_nowait(w)
        # Serve only once every worker has loaded the rules and warmed up: /healthz then means ready.
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._threads, w.wait_ready) for w in self._all))

    async def close(self) -> None:
        for w in self._all:
            w.stop()
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _replace(self, w: _Worker) -> _Worker:
        w.stop(kill=True)
        try:
            new = _Worker(self._ctx, self.memory)
        except Exception:  # cannot start one now: keep the dead slot, the next task replaces it again
            return w
        self._all[self._all.index(w)] = new
        return new

    def _run(self, w: _Worker, task: dict) -> tuple[_Worker, dict | Exception]:
        try:
            return w, w.run(task, self.timeout)
        except TaskTimeout as exc:
            return self._replace(w), exc
        except (EOFError, OSError, ValueError, WorkerDied):  # ValueError: the pipe of a dead slot is closed
            return self._replace(w), WorkerDied()

    def _release(self, fut) -> None:
        if not fut.cancelled() and fut.exception() is None:
            self._idle.put_nowait(fut.result()[0])

    async def submit(self, task: dict) -> dict:
        """Run one task on the next idle worker. Raises Busy, TaskTimeout or WorkerDied."""
        assert self._idle is not None, "pool not started"
        if self.waiting >= self.size + self.queue:
            raise Busy()
        self.waiting += 1
        try:
            w = await self._idle.get()
            loop = asyncio.get_running_loop()
            # The thread owns the worker until it answers; a cancelled request still waits for it so
            # the worker is never handed out twice.
            fut = loop.run_in_executor(self._threads, self._run, w, task)
            fut.add_done_callback(self._release)
            _, outcome = await asyncio.shield(fut)
        finally:
            self.waiting -= 1
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def pids(self) -> list[int]:
        return [w.proc.pid for w in self._all]


def default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))
