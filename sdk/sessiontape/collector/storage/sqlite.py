"""SQLite backend: one file, WAL journal, ``synchronous=FULL`` so a commit is on disk."""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any

from sessiontape.api_types import SessionSummary
from sessiontape.codec import RawEvent
from sessiontape.collector.storage.base import (
    InvalidCursorError,
    NewSite,
    Site,
    hash_key,
    new_read_key,
    new_write_key,
)
from sessiontape.events import Envelope, EventType

SCHEMA = """
CREATE TABLE IF NOT EXISTS sites (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    write_key TEXT NOT NULL UNIQUE,
    read_key_hash TEXT NOT NULL UNIQUE,
    allowed_origins TEXT NOT NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE TABLE IF NOT EXISTS sessions (
    site_id TEXT NOT NULL REFERENCES sites(id),
    id TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    batch_count INTEGER NOT NULL,
    window_count INTEGER NOT NULL,
    first_url TEXT,
    first_url_at INTEGER,
    last_url TEXT,
    last_url_at INTEGER,
    PRIMARY KEY (site_id, id)
);
CREATE INDEX IF NOT EXISTS sessions_by_start ON sessions (site_id, started_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS batches (
    site_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    window_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    events BLOB NOT NULL,
    PRIMARY KEY (site_id, session_id, window_id, seq)
);
"""

# A batch widens the session's time span; its Meta events may move the first or last URL.
UPSERT_SESSION = """
INSERT INTO sessions (site_id, id, started_at, ended_at, event_count, batch_count,
                      window_count, first_url, first_url_at, last_url, last_url_at)
VALUES (?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?)
ON CONFLICT (site_id, id) DO UPDATE SET
    started_at = MIN(started_at, excluded.started_at),
    ended_at = MAX(ended_at, excluded.ended_at),
    event_count = event_count + excluded.event_count,
    batch_count = batch_count + 1,
    window_count = window_count + ?,
    first_url = CASE WHEN first_url_at IS NULL OR excluded.first_url_at < first_url_at
                     THEN excluded.first_url ELSE first_url END,
    first_url_at = CASE WHEN first_url_at IS NULL OR excluded.first_url_at < first_url_at
                        THEN excluded.first_url_at ELSE first_url_at END,
    last_url = CASE WHEN last_url_at IS NULL OR excluded.last_url_at >= last_url_at
                    THEN COALESCE(excluded.last_url, last_url) ELSE last_url END,
    last_url_at = CASE WHEN last_url_at IS NULL OR excluded.last_url_at >= last_url_at
                       THEN COALESCE(excluded.last_url_at, last_url_at) ELSE last_url_at END
"""

SUMMARY_COLUMNS = (
    "id, started_at, ended_at, event_count, batch_count, window_count, first_url, last_url"
)


class SQLiteStorage:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)

    # --- sites -------------------------------------------------------------------------------

    def create_site(self, name: str, allowed_origins: tuple[str, ...] = ("*",)) -> NewSite:
        site = Site(
            id="site_" + secrets.token_hex(8),
            name=name,
            write_key=new_write_key(),
            allowed_origins=allowed_origins,
        )
        read_key = new_read_key()
        with self._lock:
            self._db.execute(
                "INSERT INTO sites (id, name, write_key, read_key_hash, allowed_origins)"
                " VALUES (?, ?, ?, ?, ?)",
                (site.id, name, site.write_key, hash_key(read_key), json.dumps(allowed_origins)),
            )
        return NewSite(site=site, read_key=read_key)

    def site_by_name(self, name: str) -> Site | None:
        return self._site_where("name = ?", name)

    def site_for_write_key(self, key: str) -> Site | None:
        return self._site_where("write_key = ?", key)

    def site_for_read_key(self, key: str) -> Site | None:
        return self._site_where("read_key_hash = ?", hash_key(key))

    def _site_where(self, condition: str, value: str) -> Site | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT id, name, write_key, allowed_origins FROM sites WHERE {condition}",
                (value,),
            ).fetchone()
        if row is None:
            return None
        return Site(
            id=row[0], name=row[1], write_key=row[2], allowed_origins=tuple(json.loads(row[3]))
        )

    # --- ingest ------------------------------------------------------------------------------

    def store_batch(self, site: Site, envelope: Envelope, received_at: int) -> bool:
        events = envelope.events
        timestamps = [e["timestamp"] for e in events if isinstance(e.get("timestamp"), int)]
        started = min(timestamps, default=received_at)
        ended = max(timestamps, default=received_at)
        first_meta, last_meta = _meta_bounds(events)
        payload = gzip.compress(json.dumps(events, separators=(",", ":")).encode(), 6)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                stored = self._insert_batch(site, envelope, received_at, payload)
                if stored:
                    self._update_session(site, envelope, started, ended, first_meta, last_meta)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return stored

    def _insert_batch(
        self, site: Site, envelope: Envelope, received_at: int, payload: bytes
    ) -> bool:
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO batches"
            " (site_id, session_id, window_id, seq, received_at, event_count, events)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                site.id,
                envelope.session,
                envelope.window,
                envelope.seq,
                received_at,
                len(envelope.events),
                payload,
            ),
        )
        return cursor.rowcount == 1

    def _update_session(
        self,
        site: Site,
        envelope: Envelope,
        started: int,
        ended: int,
        first_meta: tuple[int, str] | None,
        last_meta: tuple[int, str] | None,
    ) -> None:
        new_window = (
            self._db.execute(
                "SELECT COUNT(*) FROM batches"
                " WHERE site_id = ? AND session_id = ? AND window_id = ?",
                (site.id, envelope.session, envelope.window),
            ).fetchone()[0]
            == 1
        )
        first_at, first_url = first_meta or (None, None)
        last_at, last_url = last_meta or (None, None)
        self._db.execute(
            UPSERT_SESSION,
            (
                site.id,
                envelope.session,
                started,
                ended,
                len(envelope.events),
                first_url,
                first_at,
                last_url,
                last_at,
                int(new_window),
            ),
        )

    # --- reads -------------------------------------------------------------------------------

    def list_sessions(
        self, site: Site, limit: int, cursor: str | None
    ) -> tuple[list[SessionSummary], str | None]:
        where = "site_id = ?"
        params: list[str | int] = [site.id]
        if cursor is not None:
            started_at, session_id = _decode_cursor(cursor)
            where += " AND (started_at, id) < (?, ?)"
            params += [started_at, session_id]
        with self._lock:
            rows = self._db.execute(
                f"SELECT {SUMMARY_COLUMNS} FROM sessions WHERE {where}"
                " ORDER BY started_at DESC, id DESC LIMIT ?",
                (*params, limit + 1),
            ).fetchall()
        summaries = [_summary(row) for row in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = summaries[-1]
            next_cursor = _encode_cursor(last.started_at, last.id)
        return summaries, next_cursor

    def get_session(self, site: Site, session_id: str) -> SessionSummary | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {SUMMARY_COLUMNS} FROM sessions WHERE site_id = ? AND id = ?",
                (site.id, session_id),
            ).fetchone()
        return None if row is None else _summary(row)

    def session_batches(self, site: Site, session_id: str) -> list[list[RawEvent]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT events FROM batches WHERE site_id = ? AND session_id = ?"
                " ORDER BY window_id, seq",
                (site.id, session_id),
            ).fetchall()
        return [json.loads(gzip.decompress(row[0])) for row in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _meta_bounds(events: list[RawEvent]) -> tuple[tuple[int, str] | None, tuple[int, str] | None]:
    metas = [
        (e["timestamp"], e["data"]["href"])
        for e in events
        if e.get("type") == EventType.META
        and isinstance(e.get("timestamp"), int)
        and isinstance(e.get("data"), dict)
        and isinstance(e["data"].get("href"), str)
    ]
    if not metas:
        return None, None
    return min(metas), max(metas)


def _summary(row: tuple[Any, ...]) -> SessionSummary:
    session_id, started, ended, events, batches, windows, first_url, last_url = row
    return SessionSummary(
        id=session_id,
        started_at=started,
        ended_at=ended,
        duration_ms=ended - started,
        event_count=events,
        batch_count=batches,
        window_count=windows,
        first_url=first_url,
        last_url=last_url,
    )


def _encode_cursor(started_at: int, session_id: str) -> str:
    return base64.urlsafe_b64encode(f"{started_at}:{session_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[int, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        started, session_id = base64.urlsafe_b64decode(padded).decode().split(":", 1)
        return int(started), session_id
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise InvalidCursorError(cursor) from exc
