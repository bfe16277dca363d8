"""``sessiontape serve --workers N``: N collector processes accepting on one listening socket,
kept at N (a worker that dies is replaced) until the parent is asked to stop.

Only for a shared database (PostgreSQL): every worker stores and reads through it, so a batch
or a read may land on any of them."""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from types import FrameType

RESTART_PAUSE_S = 0.5
"""Between replacing workers that die at once, so a worker failing at start cannot spin."""


def run_workers(count: int, serve_one: Callable[[], None]) -> int:
    """Runs ``serve_one`` in ``count`` forked processes; returns once SIGTERM or SIGINT stopped
    them all."""
    context = multiprocessing.get_context("fork")
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    workers: list[BaseProcess] = []
    try:
        while not stopping:
            workers = [running for running in workers if running.is_alive()]
            if len(workers) < count:
                started = context.Process(target=_worker, args=(serve_one,), daemon=False)
                started.start()
                workers.append(started)
                time.sleep(RESTART_PAUSE_S if len(workers) == count else 0)
                continue
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _worker(serve_one: Callable[[], None]) -> None:
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)  # uvicorn installs its own once it runs
    serve_one()
