"""Sites, viewer sign-ins and per-site usage in PostgreSQL (the SQLite backend's
``sqlite_sites``, ``sqlite_logins`` and ``sqlite_quota``, in PostgreSQL's dialect)."""

from __future__ import annotations

import json
import math
import secrets

from sessiontape.collector.storage.base import (
    NewSite,
    Quota,
    QuotaExceededError,
    Site,
    SiteChanges,
    hash_key,
    new_read_key,
    new_write_key,
)
from sessiontape.collector.storage.postgres_pool import Connection

COLUMNS = (
    "id, name, write_key, allowed_origins, max_sessions_per_hour, max_bytes_per_day, retention_days"
)
SITE_LOOKUPS = {"name": "name = %s", "write_key": "write_key = %s", "id": "id = %s"}
HOUR_MS = 3_600_000
DAY_HOURS = 24
KEEP_HOURS = 48


def insert_site(
    conn: Connection, name: str, allowed_origins: tuple[str, ...], changes: SiteChanges
) -> NewSite:
    site = Site(
        id="site_" + secrets.token_hex(8),
        name=name,
        write_key=new_write_key(),
        allowed_origins=allowed_origins,
        max_sessions_per_hour=changes.max_sessions_per_hour,
        max_bytes_per_day=changes.max_bytes_per_day,
        retention_days=changes.retention_days,
    )
    read_key = new_read_key()
    conn.execute(
        f"INSERT INTO sites ({COLUMNS}, read_key_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (
            site.id,
            name,
            site.write_key,
            json.dumps(allowed_origins),
            site.max_sessions_per_hour,
            site.max_bytes_per_day,
            site.retention_days,
            hash_key(read_key),
        ),
    )
    return NewSite(site=site, read_key=read_key)


def update_site(conn: Connection, name: str, changes: SiteChanges) -> None:
    updates = {
        "allowed_origins": (
            None if changes.allowed_origins is None else json.dumps(changes.allowed_origins)
        ),
        "max_sessions_per_hour": changes.max_sessions_per_hour,
        "max_bytes_per_day": changes.max_bytes_per_day,
        "retention_days": changes.retention_days,
    }
    given = {column: value for column, value in updates.items() if value is not None}
    if given:
        assignments = ", ".join(f"{column} = %({column})s" for column in given)
        conn.execute(
            f"UPDATE sites SET {assignments} WHERE name = %(name)s", {**given, "name": name}
        )


def site_where(conn: Connection, condition: str, value: str) -> Site | None:
    row = conn.execute(f"SELECT {COLUMNS} FROM sites WHERE {condition}", (value,)).fetchone()
    return None if row is None else _site(row)


def sites_with_retention(conn: Connection) -> list[Site]:
    rows = conn.execute(f"SELECT {COLUMNS} FROM sites WHERE retention_days > 0").fetchall()
    return [_site(row) for row in rows]


def _site(row: tuple[object, ...]) -> Site:
    site_id, name, write_key, origins, per_hour, per_day, retention = row
    return Site(
        str(site_id),
        str(name),
        str(write_key),
        tuple(json.loads(str(origins))),
        per_hour if isinstance(per_hour, int) else None,
        per_day if isinstance(per_day, int) else None,
        retention if isinstance(retention, int) else None,
    )


# --- viewer sign-ins ---------------------------------------------------------------------------


def open_login(conn: Connection, site_id: str, now: int, ttl_ms: int) -> str:
    conn.execute("DELETE FROM viewer_logins WHERE expires_at <= %s", (now,))
    token = "st_vl_" + secrets.token_urlsafe(32)
    conn.execute(
        "INSERT INTO viewer_logins (token_hash, site_id, expires_at) VALUES (%s, %s, %s)",
        (hash_key(token), site_id, now + ttl_ms),
    )
    return token


def site_id_for_login(conn: Connection, token: str, now: int) -> str | None:
    row = conn.execute(
        "SELECT site_id FROM viewer_logins WHERE token_hash = %s AND expires_at > %s",
        (hash_key(token), now),
    ).fetchone()
    return None if row is None else str(row[0])


def close_login(conn: Connection, token: str) -> None:
    conn.execute("DELETE FROM viewer_logins WHERE token_hash = %s", (hash_key(token),))


# --- usage -------------------------------------------------------------------------------------


def charge(
    conn: Connection, site_id: str, new_session: bool, received_at: int, size: int, quota: Quota
) -> None:
    """Counts one batch against the site's quota, or raises QuotaExceededError counting nothing.

    The check and the count are two statements: collectors storing batches of one site at the
    same moment may together pass a quota by the batches they store in that moment. Called last
    in the storing transaction, so the usage row is locked only until the commit."""
    hour = received_at // HOUR_MS
    if new_session and quota.sessions_per_hour:
        row = conn.execute(
            "SELECT new_sessions FROM site_usage WHERE site_id = %s AND hour = %s",
            (site_id, hour),
        ).fetchone()
        if row is not None and _int(row[0]) >= quota.sessions_per_hour:
            wait = _seconds_until((hour + 1) * HOUR_MS, received_at)
            raise QuotaExceededError("sessions", quota.sessions_per_hour, wait)
    if quota.bytes_per_day:
        used_row = conn.execute(
            "SELECT COALESCE(SUM(stored_bytes), 0), MIN(hour) FROM site_usage"
            " WHERE site_id = %s AND hour > %s AND stored_bytes > 0",
            (site_id, hour - DAY_HOURS),
        ).fetchone()
        used, oldest = used_row if used_row else (0, None)
        if _int(used) + size > quota.bytes_per_day:
            frees_at = ((hour if oldest is None else _int(oldest)) + DAY_HOURS) * HOUR_MS
            raise QuotaExceededError(
                "bytes", quota.bytes_per_day, _seconds_until(frees_at, received_at)
            )
    conn.execute(
        "INSERT INTO site_usage AS u (site_id, hour, new_sessions, stored_bytes)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT (site_id, hour) DO UPDATE SET"
        " new_sessions = u.new_sessions + excluded.new_sessions,"
        " stored_bytes = u.stored_bytes + excluded.stored_bytes",
        (site_id, hour, int(new_session), size),
    )
    conn.execute(
        "DELETE FROM site_usage WHERE site_id = %s AND hour < %s", (site_id, hour - KEEP_HOURS)
    )


def _int(value: object) -> int:
    return int(str(value))


def _seconds_until(at_ms: int, now_ms: int) -> int:
    return max(1, math.ceil((at_ms - now_ms) / 1000))
