"""Watching a collector process from outside: its memory peak, and how fast /healthz answers."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import TracebackType

import httpx

MIB = 1 << 20


def memory_kib(pid: int, field: str) -> int:
    """``VmRSS`` (now) or ``VmHWM`` (the peak since start, or since ``reset_peak``), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (the collector's worker processes, their helpers)."""
    tree = [pid]
    for member in tree:
        for task in Path(f"/proc/{member}/task").glob("*/children"):
            tree.extend(int(child) for child in task.read_text().split())
    return tree


def reset_peak(pid: int) -> None:
    """Sets VmHWM back to the current RSS (Linux: writing 5 to clear_refs)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


class PeakGrowth:
    """How far above their resident sizes at entry the process and its children peaked while the
    block ran, summed: memory a worker process takes is the collector's memory too. A child
    started during the block counts whole."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.grew_bytes = 0

    def __enter__(self) -> PeakGrowth:
        self._before: dict[int, int] = {}
        for member in process_tree(self.pid):
            reset_peak(member)
            self._before[member] = memory_kib(member, "VmRSS")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        grew_kib = 0
        for member in process_tree(self.pid):
            grew_kib += memory_kib(member, "VmHWM") - self._before.get(member, 0)
        self.grew_bytes = grew_kib * 1024


class HealthProbe:
    """Polls ``/healthz`` from a thread while the block runs; keeps the slowest answer."""

    def __init__(self, base_url: str, every_s: float = 0.01) -> None:
        self.url = base_url + "/healthz"
        self.every_s = every_s
        self.latencies: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    @property
    def slowest_s(self) -> float:
        return max(self.latencies, default=0.0)

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        with httpx.Client(timeout=30) as client:
            client.get(self.url)  # the connection is open before timing starts
            while not self._stop.is_set():
                started = time.perf_counter()
                assert client.get(self.url).status_code == 200
                self.latencies.append(time.perf_counter() - started)
                self._stop.wait(self.every_s)
