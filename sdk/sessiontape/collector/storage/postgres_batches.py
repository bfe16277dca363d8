"""Storing a batch in PostgreSQL: its row, once per (site, session, window, seq) whichever
collector process receives it, and what it adds to its session's summary and URLs."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable

from sessiontape.codec import RawEvent
from sessiontape.collector.storage.base import BatchKey
from sessiontape.collector.storage.payloads import read_payload, write_payload
from sessiontape.collector.storage.postgres_pool import Connection
from sessiontape.collector.storage.prepared import EncodedEvents
from sessiontape.collector.storage.upload_identity import UploadConflictError
from sessiontape.event_digest import EventsDigest

UPSERT_SESSION = """
INSERT INTO sessions AS s (site_id, id, started_at, ended_at, event_count, batch_count,
                           window_count, click_count, first_url, first_url_at, last_url,
                           last_url_at, page_count, browser, os)
VALUES (%(site)s, %(session)s, %(started)s, %(ended)s, %(events)s, 1, 1, %(clicks)s,
        %(first_url)s, %(first_at)s, %(last_url)s, %(last_at)s, %(pages)s, %(browser)s, %(os)s)
ON CONFLICT (site_id, id) DO UPDATE SET
    started_at = LEAST(s.started_at, excluded.started_at),
    ended_at = GREATEST(s.ended_at, excluded.ended_at),
    event_count = s.event_count + excluded.event_count,
    batch_count = s.batch_count + 1,
    window_count = s.window_count + %(new_window)s,
    click_count = s.click_count + excluded.click_count,
    page_count = s.page_count + excluded.page_count,
    browser = COALESCE(s.browser, excluded.browser),
    os = COALESCE(s.os, excluded.os),
    first_url = CASE WHEN s.first_url_at IS NULL OR excluded.first_url_at < s.first_url_at
                     THEN excluded.first_url ELSE s.first_url END,
    first_url_at = CASE WHEN s.first_url_at IS NULL OR excluded.first_url_at < s.first_url_at
                        THEN excluded.first_url_at ELSE s.first_url_at END,
    last_url = CASE WHEN s.last_url_at IS NULL OR excluded.last_url_at >= s.last_url_at
                    THEN COALESCE(excluded.last_url, s.last_url) ELSE s.last_url END,
    last_url_at = CASE WHEN s.last_url_at IS NULL OR excluded.last_url_at >= s.last_url_at
                       THEN COALESCE(excluded.last_url_at, s.last_url_at) ELSE s.last_url_at END
"""

BATCH_WHERE = "site_id = %s AND session_id = %s AND window_id = %s AND seq = %s"


def lock_session(conn: Connection, site_id: str, session_id: str) -> None:
    """Makes the transaction the only one writing this session until it ends, in any collector
    process: its summary's counts (windows, pages) are read and written in one step."""
    conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"{site_id}/{session_id}",)
    )


def batch_exists(conn: Connection, site_id: str, session_id: str, key: BatchKey) -> bool:
    row = conn.execute(f"SELECT 1 FROM batches WHERE {BATCH_WHERE}", (site_id, session_id, *key))
    return row.fetchone() is not None


def session_exists(conn: Connection, site_id: str, session_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sessions WHERE site_id = %s AND id = %s", (site_id, session_id)
    ).fetchone()
    return row is not None


def insert_batch(
    conn: Connection,
    site_id: str,
    session_id: str,
    key: BatchKey,
    events: EncodedEvents,
    received_at: int,
) -> bool:
    """Stores the batch and adds it to its session; False, changing nothing, when stored before."""
    kept = write_payload(conn, site_id, session_id, key, events.payload)
    inserted = conn.execute(
        "INSERT INTO batches"
        " (site_id, session_id, window_id, seq, received_at, event_count, events)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (site_id, session_id, *key, received_at, events.count, kept),
    ).rowcount
    if inserted != 1:
        return False
    facts = events.facts
    row = conn.execute(
        "SELECT COUNT(*) FROM batches WHERE site_id = %s AND session_id = %s AND window_id = %s",
        (site_id, session_id, key[0]),
    ).fetchone()
    first_at, first_url = facts.first_meta or (None, None)
    last_at, last_url = facts.last_meta or (None, None)
    conn.execute(
        UPSERT_SESSION,
        {
            "site": site_id,
            "session": session_id,
            "started": facts.started,
            "ended": facts.ended,
            "events": events.count,
            "clicks": facts.clicks,
            "first_url": first_url,
            "first_at": first_at,
            "last_url": last_url,
            "last_at": last_at,
            "pages": facts.page_count,
            "browser": facts.browser,
            "os": facts.os,
            "new_window": int(row is not None and str(row[0]) == "1"),
        },
    )
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO session_urls (site_id, session_id, url) VALUES (%s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            [(site_id, session_id, url) for url in sorted(facts.urls)],
        )
    return True


def require_same_events(
    conn: Connection, site_id: str, session_id: str, chunks: Iterable[list[RawEvent]]
) -> None:
    """UploadConflictError unless the uploaded events are the stored ones (as multisets)."""
    uploaded = EventsDigest()
    for chunk in chunks:
        uploaded.update(chunk)
    stored = EventsDigest()
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT window_id, seq, events FROM batches WHERE site_id = %s AND session_id = %s",
            (site_id, session_id),
        )
        for window, seq, kept in cursor.fetchall():
            key = (str(window), int(str(seq)))
            payload = read_payload(conn, site_id, session_id, key, as_bytes(kept))
            stored.update(json.loads(gzip.decompress(payload)))
    if uploaded != stored:
        raise UploadConflictError(session_id, stored.count, uploaded.count)


def as_bytes(value: object) -> bytes:
    if isinstance(value, memoryview | bytearray):
        return bytes(value)
    if isinstance(value, bytes):
        return value
    raise TypeError(f"expected bytes, got {type(value).__name__}")
