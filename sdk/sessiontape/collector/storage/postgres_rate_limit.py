"""The per-site ingest rate limit kept in PostgreSQL, so that it holds across every collector
process sharing the database: one token bucket row per key, refilled and taken from in one
statement, on the database's clock (collector hosts' clocks may differ)."""

from __future__ import annotations

from sessiontape.collector.storage.postgres_pool import ConnectionPool

TAKE = """
WITH clock AS (SELECT extract(epoch FROM clock_timestamp())::float8 AS now)
INSERT INTO ingest_buckets AS b (key, tokens, updated_at)
SELECT %(key)s, %(burst)s - 1, now FROM clock
ON CONFLICT (key) DO UPDATE SET
    tokens = LEAST(%(burst)s, b.tokens + (excluded.updated_at - b.updated_at) * %(rate)s) - 1,
    updated_at = excluded.updated_at
WHERE LEAST(%(burst)s, b.tokens + (excluded.updated_at - b.updated_at) * %(rate)s) >= 1
RETURNING tokens
"""

AVAILABLE = """
SELECT LEAST(%(burst)s, tokens + (extract(epoch FROM clock_timestamp()) - updated_at) * %(rate)s)
FROM ingest_buckets WHERE key = %(key)s
"""


class SharedRateLimiter:
    """``RateLimiter``'s interface; ``acquire`` does I/O, so callers run it in a thread."""

    needs_thread = True

    def __init__(self, pool: ConnectionPool, rate_per_second: float, burst: int) -> None:
        self._pool = pool
        self.rate = rate_per_second
        self.burst = burst

    def acquire(self, key: str) -> float:
        """Takes one token; returns 0 when allowed, else the seconds until one is free."""
        params = {"key": key, "burst": float(self.burst), "rate": self.rate}
        with self._pool.connection() as conn:
            if conn.execute(TAKE, params).fetchone() is not None:
                return 0.0
            row = conn.execute(AVAILABLE, params).fetchone()
        available = float(str(row[0])) if row else 0.0
        return max(0.0, 1 - available) / self.rate if self.rate > 0 else 1.0
