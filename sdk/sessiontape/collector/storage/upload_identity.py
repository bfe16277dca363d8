"""Whether an upload repeats a stored session: the same events store nothing, others conflict.

A session may have been stored from browser batches (several windows) or from an earlier upload;
either way its events are compared with the upload's as multisets (``EventsDigest``), one stored
batch and one uploaded chunk at a time, inside the storing transaction.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from collections.abc import Iterable

from sessiontape.codec import RawEvent
from sessiontape.collector.storage.payloads import read_payload
from sessiontape.event_digest import EventsDigest


class UploadConflictError(Exception):
    """A session of that id is stored with other events than the upload's; nothing was stored."""

    def __init__(self, session_id: str, stored_events: int, uploaded_events: int) -> None:
        super().__init__(
            f"session {session_id} is stored with other events ({stored_events} stored,"
            f" {uploaded_events} uploaded); delete it first or upload under another id"
        )
        self.session_id = session_id


def session_exists(db: sqlite3.Connection, site_id: str, session_id: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM sessions WHERE site_id = ? AND id = ?", (site_id, session_id)
    ).fetchone()
    return row is not None


def stored_digest(db: sqlite3.Connection, site_id: str, session_id: str) -> EventsDigest:
    digest = EventsDigest()
    rows = db.execute(
        "SELECT window_id, seq, events FROM batches WHERE site_id = ? AND session_id = ?",
        (site_id, session_id),
    ).fetchall()
    for window, seq, kept in rows:
        payload = read_payload(db, site_id, session_id, (window, seq), kept)
        digest.update(json.loads(gzip.decompress(payload)))
    return digest


def require_same_events(
    db: sqlite3.Connection, site_id: str, session_id: str, chunks: Iterable[list[RawEvent]]
) -> None:
    """Raises UploadConflictError unless the uploaded events are the stored ones."""
    uploaded = EventsDigest()
    for chunk in chunks:
        uploaded.update(chunk)
    stored = stored_digest(db, site_id, session_id)
    if uploaded != stored:
        raise UploadConflictError(session_id, stored.count, uploaded.count)
