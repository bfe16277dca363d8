"""Viewer sign-ins: a random token per sign-in, stored hashed, ended by sign-out or expiry."""

from __future__ import annotations

import secrets
import sqlite3

from sessiontape.collector.storage.base import hash_key

SCHEMA = """
CREATE TABLE IF NOT EXISTS viewer_logins (
    token_hash TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
"""


def open_login(db: sqlite3.Connection, site_id: str, now: int, ttl_ms: int) -> str:
    """A new sign-in for ``site_id``, valid for ``ttl_ms``; expired ones are dropped on the way."""
    db.execute("DELETE FROM viewer_logins WHERE expires_at <= ?", (now,))
    token = "st_vl_" + secrets.token_urlsafe(32)
    db.execute(
        "INSERT INTO viewer_logins (token_hash, site_id, expires_at) VALUES (?, ?, ?)",
        (hash_key(token), site_id, now + ttl_ms),
    )
    return token


def site_id_for(db: sqlite3.Connection, token: str, now: int) -> str | None:
    row = db.execute(
        "SELECT site_id FROM viewer_logins WHERE token_hash = ? AND expires_at > ?",
        (hash_key(token), now),
    ).fetchone()
    return None if row is None else str(row[0])


def close_login(db: sqlite3.Connection, token: str) -> None:
    db.execute("DELETE FROM viewer_logins WHERE token_hash = ?", (hash_key(token),))
