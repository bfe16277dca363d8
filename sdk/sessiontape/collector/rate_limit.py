"""Token buckets per key: a steady rate with room for bursts (a page unload, a reconnect)."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

MAX_KEYS = 100_000
"""Past this many buckets, full ones (keys idle long enough to have refilled) are forgotten."""


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    needs_thread = False
    """``acquire`` works in memory: the event loop may call it."""

    def __init__(self, rate_per_second: float, burst: int) -> None:
        self.rate = rate_per_second
        self.burst = burst
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> float:
        """Takes one token; returns 0 when allowed, else the seconds until one is free."""
        with self._lock:
            bucket = self._refill(key)
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate

    def wait(self, key: str) -> float:
        """Like ``acquire`` without taking the token: 0 when one is there."""
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                return 0.0
            tokens = min(
                self.burst, bucket.tokens + (time.monotonic() - bucket.updated) * self.rate
            )
            return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def _refill(self, key: str) -> _Bucket:
        now = time.monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_KEYS:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        return bucket

    def _forget_full(self, now: float) -> None:
        refill_s = self.burst / self.rate
        self._buckets = {
            key: bucket for key, bucket in self._buckets.items() if now - bucket.updated < refill_s
        }

    @staticmethod
    def retry_after_header(wait: float) -> str:
        return str(max(1, math.ceil(wait)))
