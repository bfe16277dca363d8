"""SQLite backend: one file, WAL journal, ``synchronous=FULL`` so a commit is on disk."""

from __future__ import annotations

import gzip
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sessiontape.api_types import SessionSummary
from sessiontape.codec import RawEvent
from sessiontape.collector.storage import (
    payloads,
    sqlite_logins,
    sqlite_quota,
    sqlite_sites,
    upload_identity,
)
from sessiontape.collector.storage import sqlite_insights as insights
from sessiontape.collector.storage.base import (
    UPLOAD_WINDOW,
    BatchKey,
    NewSite,
    Quota,
    SessionQuery,
    Site,
    SiteChanges,
    StorageFullError,
    hash_key,
)
from sessiontape.collector.storage.blobs import BlobStore
from sessiontape.collector.storage.click_targets import decode_payload
from sessiontape.collector.storage.prepared import EncodedEvents, PreparedBatch, encode_events
from sessiontape.collector.storage.session_rows import (
    SUMMARY_COLUMNS,
    decode_cursor,
    encode_cursor,
    summary_of,
)
from sessiontape.collector.storage.sqlite_files import is_storage_full, open_database
from sessiontape.collector.storage.sqlite_insight_queries import SQLiteInsights
from sessiontape.collector.storage.sqlite_schema import SCHEMA, UPSERT_SESSION

DAY_MS = 86_400_000
CHECKPOINT_ATTEMPTS = 20
CHECKPOINT_PAUSE_S = 0.05


class SQLiteStorage:
    def __init__(
        self, path: Path, max_database_bytes: int = 0, blobs: BlobStore | None = None
    ) -> None:
        """``blobs``: an object store for the batches' bytes (see ``payloads``)."""
        self._lock = threading.Lock()
        schema = SCHEMA + sqlite_quota.SCHEMA + sqlite_logins.SCHEMA
        self._db = open_database(path, schema + insights.SCHEMA, max_database_bytes)
        insights.migrate(self._db)
        payloads.attach(self._db, blobs)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; a full disk or database raises StorageFullError, with the
        transaction rolled back, so the next write (or an erasure that frees space) can run."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
            except (sqlite3.Error, OSError) as exc:
                if is_storage_full(exc):
                    raise StorageFullError(str(exc)) from exc
                raise

    def _query(self, sql: str, params: Any = ()) -> list[Any]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # --- sites -------------------------------------------------------------------------------

    def create_site(
        self, name: str, allowed_origins: tuple[str, ...], changes: SiteChanges | None = None
    ) -> NewSite:
        with self._transaction() as db:
            return sqlite_sites.insert_site(db, name, allowed_origins, changes or SiteChanges())

    def update_site(self, name: str, changes: SiteChanges) -> Site | None:
        with self._transaction() as db:
            sqlite_sites.update_site(db, name, changes)
        return self.site_by_name(name)

    def site_by_name(self, name: str) -> Site | None:
        return self._site_where("name = ?", name)

    def site_for_write_key(self, key: str) -> Site | None:
        return self._site_where("write_key = ?", key)

    def site_for_read_key(self, key: str) -> Site | None:
        return self._site_where("read_key_hash = ?", hash_key(key))

    # --- viewer sign-ins ---------------------------------------------------------------------

    def open_viewer_login(self, site: Site, now: int, ttl_ms: int) -> str:
        with self._transaction() as db:
            return sqlite_logins.open_login(db, site.id, now, ttl_ms)

    def site_for_viewer_login(self, token: str, now: int) -> Site | None:
        with self._lock:
            site_id = sqlite_logins.site_id_for(self._db, token, now)
        return None if site_id is None else self._site_where("id = ?", site_id)

    def close_viewer_login(self, token: str) -> None:
        with self._transaction() as db:
            sqlite_logins.close_login(db, token)

    def _site_where(self, condition: str, value: str) -> Site | None:
        with self._lock:
            return sqlite_sites.site_where(self._db, condition, value)

    # --- writes ------------------------------------------------------------------------------

    def store_batch(
        self, site: Site, batch: PreparedBatch, received_at: int, quota: Quota | None = None
    ) -> bool:
        key = (batch.window, batch.seq)
        with self._transaction() as db:
            exists = db.execute(
                "SELECT 1 FROM batches"
                " WHERE site_id = ? AND session_id = ? AND window_id = ? AND seq = ?",
                (site.id, batch.session, *key),
            ).fetchone()
            if exists:
                return False
            size = len(batch.events.payload)
            sqlite_quota.charge(db, site.id, batch.session, received_at, size, quota or Quota())
            stored = _insert_batch(db, site, batch.session, key, batch.events, received_at)
            if stored:
                payload = batch.events.payload
                facts = batch.events.facts.insight
                insights.record_batch(
                    db, site.id, batch.session, key, facts, lambda: decode_payload(payload)
                )
            return stored

    def store_upload(
        self, site: Site, session_id: str, chunks: Iterable[list[RawEvent]], received_at: int
    ) -> bool:
        with self._transaction() as db:
            if upload_identity.session_exists(db, site.id, session_id):
                upload_identity.require_same_events(db, site.id, session_id, chunks)
                return False  # the same events: nothing new (other events raise a conflict)
            for seq, events in enumerate(chunks):
                encoded = encode_events(events, received_at)
                if _insert_batch(db, site, session_id, (UPLOAD_WINDOW, seq), encoded, received_at):
                    facts = encoded.facts.insight
                    key = (UPLOAD_WINDOW, seq)
                    insights.record_batch(db, site.id, session_id, key, facts, events)
        return True

    def delete_session(self, site: Site, session_id: str) -> bool:
        deleted = self._erase(site.id, session_id)
        self._checkpoint()
        return deleted

    def purge_expired(self, now: int) -> int:
        with self._lock:
            sites = sqlite_sites.sites_with_retention(self._db)
        purged = 0
        for site in sites:
            cutoff = now - (site.retention_days or 0) * DAY_MS
            expired = self._query(
                "SELECT id FROM sessions WHERE site_id = ? AND ended_at < ?", (site.id, cutoff)
            )
            purged += sum(self._erase(site.id, session_id) for (session_id,) in expired)
        if purged:
            self._checkpoint()
        return purged

    def _erase(self, site_id: str, session_id: str) -> bool:
        with self._transaction() as db:
            key = (site_id, session_id)
            payloads.erase_payloads(db, *key)  # first: if the store fails, DELETE can be retried
            db.execute("DELETE FROM batches WHERE site_id = ? AND session_id = ?", key)
            db.execute("DELETE FROM session_urls WHERE site_id = ? AND session_id = ?", key)
            insights.delete_session(db, *key)
            return db.execute("DELETE FROM sessions WHERE site_id = ? AND id = ?", key).rowcount > 0

    def _checkpoint(self) -> None:
        """Copies the zeroed pages of an erasure into the database file and empties the WAL,
        which still holds the erased rows' earlier page images until then."""
        with self._lock:
            for _ in range(CHECKPOINT_ATTEMPTS):
                busy = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                if not busy:
                    return
                time.sleep(CHECKPOINT_PAUSE_S)

    # --- reads -------------------------------------------------------------------------------

    def list_sessions(
        self, site: Site, query: SessionQuery
    ) -> tuple[list[SessionSummary], str | None]:
        conditions = ["site_id = :site"]
        params: dict[str, str | int] = {"site": site.id, "limit": query.limit + 1}
        if query.cursor is not None:
            params["c_start"], params["c_id"] = decode_cursor(query.cursor)
            conditions.append("(started_at, id) < (:c_start, :c_id)")
        if query.started_after is not None:
            params["after"] = query.started_after
            conditions.append("started_at >= :after")
        if query.started_before is not None:
            params["before"] = query.started_before
            conditions.append("started_at < :before")
        if query.min_duration_ms is not None:
            params["min_duration"] = query.min_duration_ms
            conditions.append("ended_at - started_at >= :min_duration")
        if query.has_clicks is not None:
            conditions.append("click_count > 0" if query.has_clicks else "click_count = 0")
        for column, wanted in (
            ("rage_click_count", query.has_rage_clicks),
            ("dead_click_count", query.has_dead_clicks),
        ):
            if wanted is not None:
                conditions.append(f"{column} > 0" if wanted else f"{column} = 0")
        if query.url_contains:
            params["url_part"] = query.url_contains
            conditions.append(
                "EXISTS (SELECT 1 FROM session_urls u WHERE u.site_id = sessions.site_id"
                " AND u.session_id = sessions.id AND instr(u.url, :url_part) > 0)"
            )
        rows = self._query(
            f"SELECT {SUMMARY_COLUMNS} FROM sessions WHERE {' AND '.join(conditions)}"
            " ORDER BY started_at DESC, id DESC LIMIT :limit",
            params,
        )
        summaries = [summary_of(row) for row in rows[: query.limit]]
        next_cursor = None
        if len(rows) > query.limit:
            next_cursor = encode_cursor(summaries[-1].started_at, summaries[-1].id)
        return summaries, next_cursor

    def get_session(self, site: Site, session_id: str) -> SessionSummary | None:
        rows = self._query(
            f"SELECT {SUMMARY_COLUMNS} FROM sessions WHERE site_id = ? AND id = ?",
            (site.id, session_id),
        )
        return summary_of(rows[0]) if rows else None

    def batch_keys(self, site: Site, session_id: str) -> list[BatchKey]:
        rows = self._query(
            "SELECT window_id, seq FROM batches WHERE site_id = ? AND session_id = ?"
            " ORDER BY window_id, seq",
            (site.id, session_id),
        )
        return [(window, seq) for window, seq in rows]

    def load_batch(self, site: Site, session_id: str, key: BatchKey) -> list[RawEvent]:
        events: list[RawEvent] = json.loads(self.load_batch_json(site, session_id, key))
        return events

    def load_batch_json(self, site: Site, session_id: str, key: BatchKey) -> bytes:
        rows = self._query(
            "SELECT events FROM batches"
            " WHERE site_id = ? AND session_id = ? AND window_id = ? AND seq = ?",
            (site.id, session_id, *key),
        )
        if not rows:
            return b"[]"
        return gzip.decompress(
            payloads.read_payload(self._db, site.id, session_id, key, rows[0][0])
        )

    def insights(self) -> SQLiteInsights:
        return SQLiteInsights(self._db, self._lock)

    def close(self) -> None:
        with self._lock:
            payloads.detach(self._db)
            self._db.close()


def _insert_batch(
    db: sqlite3.Connection,
    site: Site,
    session_id: str,
    key: BatchKey,
    events: EncodedEvents,
    received_at: int,
) -> bool:
    kept = payloads.write_payload(db, site.id, session_id, key, events.payload)
    inserted = db.execute(
        "INSERT OR IGNORE INTO batches"
        " (site_id, session_id, window_id, seq, received_at, event_count, events)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (site.id, session_id, *key, received_at, events.count, kept),
    ).rowcount
    if inserted != 1:
        return False
    facts = events.facts
    new_window = db.execute(
        "SELECT COUNT(*) FROM batches WHERE site_id = ? AND session_id = ? AND window_id = ?",
        (site.id, session_id, key[0]),
    ).fetchone()[0]
    first_at, first_url = facts.first_meta or (None, None)
    last_at, last_url = facts.last_meta or (None, None)
    db.execute(
        UPSERT_SESSION,
        {
            "site": site.id,
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
            "new_window": int(new_window == 1),
        },
    )
    db.executemany(
        "INSERT OR IGNORE INTO session_urls (site_id, session_id, url) VALUES (?, ?, ?)",
        [(site.id, session_id, url) for url in facts.urls],
    )
    return True
