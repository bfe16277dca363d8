"""Where ingest batches are parsed and encoded: small ones in a thread, large ones in a process.

Parsing or encoding one event of a few MiB is a single C call holding the GIL for ~100 ms; in a
thread of the collector's process the event loop waits that long, and every other request with
it. A worker process holds its own GIL. The pool is started with "spawn" (the collector runs
threads; forking it could copy a held lock) and warmed up at startup, so a request never pays
for starting a Python; the codec's errors pickle with their codes and messages.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import wait

from starlette.concurrency import run_in_threadpool

from sessiontape.codec import BatchLimits, TooLargeError, gunzip_bounded, is_gzip
from sessiontape.collector.errors import ApiError
from sessiontape.collector.storage.prepared import PreparedBatch, prepare_batch

WORKER_NICENESS = 10


class BatchWorkers:
    def __init__(self, processes: int, min_bytes: int) -> None:
        self.processes = processes
        self.min_bytes = min_bytes
        self._pool: ProcessPoolExecutor | None = None

    async def start(self) -> None:
        if self.processes > 0:
            self._pool = ProcessPoolExecutor(
                self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_follow_parent,
            )
            loop = asyncio.get_running_loop()
            await asyncio.gather(
                *(loop.run_in_executor(self._pool, ready) for _ in range(self.processes))
            )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    async def prepare(
        self, body: bytes, limits: BatchLimits, received_at: int, user_agent: str | None = None
    ) -> PreparedBatch:
        """The batch ready to store; the codec's DecodeError or LimitError when it may not be.
        ``user_agent`` is the request's header (see ``BatchFacts``)."""
        min_bytes = self.min_bytes if self._pool else None
        prepared = await run_in_threadpool(
            _prepare_if_small, body, limits, received_at, user_agent, min_bytes
        )
        if prepared is not None:
            return prepared
        pool = self._pool
        try:
            if pool is None:  # being replaced by another request's restart
                raise BrokenProcessPool("no worker process yet")
            future = pool.submit(prepare_batch, body, limits, received_at, user_agent)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool as exc:  # a worker died (killed, out of memory): start anew
            if pool is not None and self._pool is pool:
                self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
                await self.start()
            raise ApiError(
                503, "worker_restarted", "the batch could not be processed; retry"
            ) from exc


def ready() -> bool:
    """Run once in each worker at startup: its imports are done before the first batch."""
    return True


def _follow_parent() -> None:
    """In a worker: a lower CPU priority than the collector's, so that on busy cores a parse
    does not take the event loop's time slices; Ctrl-C is the collector's to handle; and when the
    collector dies (even by SIGKILL, which runs no shutdown) the worker exits rather than outlive
    it."""
    os.nice(WORKER_NICENESS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def _exit_with(parent_sentinel: int) -> None:
    wait([parent_sentinel])
    os._exit(1)


def _prepare_if_small(
    body: bytes,
    limits: BatchLimits,
    received_at: int,
    user_agent: str | None,
    min_bytes: int | None,
) -> PreparedBatch | None:
    """Prepares the batch here unless it inflates to ``min_bytes`` or more (None then)."""
    if min_bytes is None or _inflates_below(body, min_bytes):
        return prepare_batch(body, limits, received_at, user_agent)
    return None


def _inflates_below(body: bytes, size: int) -> bool:
    """Whether the body is under ``size`` bytes decompressed; inflates at most ``size`` bytes, as
    a gzip trailer's length may lie."""
    if not is_gzip(body):
        return len(body) < size
    try:
        gunzip_bounded(body, size - 1)
    except TooLargeError:
        return False
    return True
