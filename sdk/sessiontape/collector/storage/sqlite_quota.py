"""Per-site usage, by clock hour: new sessions and stored bytes, checked inside the write."""

from __future__ import annotations

import math
import sqlite3

from sessiontape.collector.storage.base import Quota, QuotaExceededError

HOUR_MS = 3_600_000
DAY_HOURS = 24
KEEP_HOURS = 48

SCHEMA = """
CREATE TABLE IF NOT EXISTS site_usage (
    site_id TEXT NOT NULL,
    hour INTEGER NOT NULL,
    new_sessions INTEGER NOT NULL DEFAULT 0,
    stored_bytes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, hour)
);
"""


def charge(
    db: sqlite3.Connection,
    site_id: str,
    session_id: str,
    received_at: int,
    size: int,
    quota: Quota,
) -> None:
    """Counts one batch of ``size`` stored bytes (and its session, when new) against the site's
    quota; QuotaExceededError, and nothing counted, when it would pass it."""
    hour = received_at // HOUR_MS
    new_session = (
        db.execute(
            "SELECT 1 FROM sessions WHERE site_id = ? AND id = ?", (site_id, session_id)
        ).fetchone()
        is None
    )
    if new_session and quota.sessions_per_hour:
        row = db.execute(
            "SELECT new_sessions FROM site_usage WHERE site_id = ? AND hour = ?", (site_id, hour)
        ).fetchone()
        if row is not None and row[0] >= quota.sessions_per_hour:
            wait = _seconds_until((hour + 1) * HOUR_MS, received_at)
            raise QuotaExceededError("sessions", quota.sessions_per_hour, wait)
    if quota.bytes_per_day:
        used, oldest = db.execute(
            "SELECT COALESCE(SUM(stored_bytes), 0), MIN(hour) FROM site_usage"
            " WHERE site_id = ? AND hour > ? AND stored_bytes > 0",
            (site_id, hour - DAY_HOURS),
        ).fetchone()
        if used + size > quota.bytes_per_day:
            frees_at = ((hour if oldest is None else oldest) + DAY_HOURS) * HOUR_MS
            raise QuotaExceededError(
                "bytes", quota.bytes_per_day, _seconds_until(frees_at, received_at)
            )
    db.execute(
        "INSERT INTO site_usage (site_id, hour, new_sessions, stored_bytes) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (site_id, hour) DO UPDATE SET"
        " new_sessions = new_sessions + excluded.new_sessions,"
        " stored_bytes = stored_bytes + excluded.stored_bytes",
        (site_id, hour, int(new_session), size),
    )
    db.execute(
        "DELETE FROM site_usage WHERE site_id = ? AND hour < ?", (site_id, hour - KEEP_HOURS)
    )


def _seconds_until(at_ms: int, now_ms: int) -> int:
    return max(1, math.ceil((at_ms - now_ms) / 1000))
