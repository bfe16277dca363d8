"""PostgreSQL backend: the index and the batches in one PostgreSQL database, shared by any number
of collector processes. A commit returns once PostgreSQL made it durable (its
``synchronous_commit``); a batch is stored once per (site, session, window, seq) whichever
process receives it."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable

from sessiontape.api_types import SessionSummary
from sessiontape.codec import RawEvent
from sessiontape.collector.storage import postgres_batches as batches
from sessiontape.collector.storage import postgres_insights as insights
from sessiontape.collector.storage import postgres_reads as reads
from sessiontape.collector.storage import postgres_sites as sites
from sessiontape.collector.storage.base import (
    UPLOAD_WINDOW,
    BatchKey,
    NewSite,
    Quota,
    SessionQuery,
    Site,
    SiteChanges,
    hash_key,
)
from sessiontape.collector.storage.blobs import BlobStore
from sessiontape.collector.storage.click_targets import decode_payload
from sessiontape.collector.storage.payloads import erase_payloads
from sessiontape.collector.storage.postgres_insight_queries import PostgresInsights
from sessiontape.collector.storage.postgres_pool import ConnectionPool
from sessiontape.collector.storage.postgres_rate_limit import SharedRateLimiter
from sessiontape.collector.storage.postgres_schema import ERASED_TABLES, migrate
from sessiontape.collector.storage.prepared import PreparedBatch, encode_events

DAY_MS = 86_400_000
POOL_SIZE = 8


class PostgresStorage:
    def __init__(
        self, url: str, pool_size: int = POOL_SIZE, blobs: BlobStore | None = None
    ) -> None:
        """``blobs``: an object store for the batches' bytes (see ``payloads``)."""
        self._pool = ConnectionPool(url, pool_size, blobs)
        with self._pool.connection() as conn:
            self.schema_version = migrate(conn)

    # --- sites -------------------------------------------------------------------------------

    def create_site(
        self, name: str, allowed_origins: tuple[str, ...], changes: SiteChanges | None = None
    ) -> NewSite:
        with self._pool.transaction() as conn:
            return sites.insert_site(conn, name, allowed_origins, changes or SiteChanges())

    def update_site(self, name: str, changes: SiteChanges) -> Site | None:
        with self._pool.transaction() as conn:
            sites.update_site(conn, name, changes)
        return self.site_by_name(name)

    def site_by_name(self, name: str) -> Site | None:
        return self._site_where("name = %s", name)

    def site_for_write_key(self, key: str) -> Site | None:
        return self._site_where("write_key = %s", key)

    def site_for_read_key(self, key: str) -> Site | None:
        return self._site_where("read_key_hash = %s", hash_key(key))

    def _site_where(self, condition: str, value: str) -> Site | None:
        with self._pool.connection() as conn:
            return sites.site_where(conn, condition, value)

    # --- viewer sign-ins ---------------------------------------------------------------------

    def open_viewer_login(self, site: Site, now: int, ttl_ms: int) -> str:
        with self._pool.transaction() as conn:
            return sites.open_login(conn, site.id, now, ttl_ms)

    def site_for_viewer_login(self, token: str, now: int) -> Site | None:
        with self._pool.connection() as conn:
            site_id = sites.site_id_for_login(conn, token, now)
        return None if site_id is None else self._site_where("id = %s", site_id)

    def close_viewer_login(self, token: str) -> None:
        with self._pool.transaction() as conn:
            sites.close_login(conn, token)

    # --- writes ------------------------------------------------------------------------------

    def store_batch(
        self, site: Site, batch: PreparedBatch, received_at: int, quota: Quota | None = None
    ) -> bool:
        key = (batch.window, batch.seq)
        with self._pool.transaction() as conn:
            batches.lock_session(conn, site.id, batch.session)
            if batches.batch_exists(conn, site.id, batch.session, key):
                return False
            new_session = not batches.session_exists(conn, site.id, batch.session)
            stored = batches.insert_batch(
                conn, site.id, batch.session, key, batch.events, received_at
            )
            payload = batch.events.payload
            facts = batch.events.facts.insight
            insights.record_batch(
                conn, site.id, batch.session, key, facts, lambda: decode_payload(payload)
            )
            size = len(payload)
            sites.charge(conn, site.id, new_session, received_at, size, quota or Quota())
            return stored

    def store_upload(
        self, site: Site, session_id: str, chunks: Iterable[list[RawEvent]], received_at: int
    ) -> bool:
        with self._pool.transaction() as conn:
            batches.lock_session(conn, site.id, session_id)
            if batches.session_exists(conn, site.id, session_id):
                batches.require_same_events(conn, site.id, session_id, chunks)
                return False
            for seq, events in enumerate(chunks):
                encoded = encode_events(events, received_at)
                key = (UPLOAD_WINDOW, seq)
                if batches.insert_batch(conn, site.id, session_id, key, encoded, received_at):
                    facts = encoded.facts.insight
                    insights.record_batch(conn, site.id, session_id, key, facts, events)
        return True

    def delete_session(self, site: Site, session_id: str) -> bool:
        deleted = self._erase(site.id, session_id)
        if deleted:
            self._vacuum()
        return deleted

    def purge_expired(self, now: int) -> int:
        with self._pool.connection() as conn:
            expiring = sites.sites_with_retention(conn)
        purged = 0
        for site in expiring:
            cutoff = now - (site.retention_days or 0) * DAY_MS
            with self._pool.connection() as conn:
                rows = conn.execute(
                    "SELECT id FROM sessions WHERE site_id = %s AND ended_at < %s",
                    (site.id, cutoff),
                ).fetchall()
            purged += sum(self._erase(site.id, str(session_id)) for (session_id,) in rows)
        if purged:
            self._vacuum()
        return purged

    def _erase(self, site_id: str, session_id: str) -> bool:
        with self._pool.transaction() as conn:
            batches.lock_session(conn, site_id, session_id)
            erase_payloads(conn, site_id, session_id)  # first: if the store fails, retry works
            for table, column in (("batches", "session_id"), ("session_urls", "session_id")):
                conn.execute(
                    f"DELETE FROM {table} WHERE site_id = %s AND {column} = %s",
                    (site_id, session_id),
                )
            insights.delete_session(conn, site_id, session_id)
            erased = conn.execute(
                "DELETE FROM sessions WHERE site_id = %s AND id = %s", (site_id, session_id)
            ).rowcount
            return erased > 0

    def _vacuum(self) -> None:
        """Removes the erased rows' dead versions (and their TOAST chunks) from the tables, so
        no query, index or ``pageinspect`` finds them; see docs/deploy.md for what remains."""
        with self._pool.connection() as conn:
            conn.execute(f"VACUUM {', '.join(ERASED_TABLES)}")

    # --- reads -------------------------------------------------------------------------------

    def list_sessions(
        self, site: Site, query: SessionQuery
    ) -> tuple[list[SessionSummary], str | None]:
        with self._pool.connection() as conn:
            return reads.list_sessions(conn, site.id, query)

    def get_session(self, site: Site, session_id: str) -> SessionSummary | None:
        with self._pool.connection() as conn:
            return reads.get_session(conn, site.id, session_id)

    def batch_keys(self, site: Site, session_id: str) -> list[BatchKey]:
        with self._pool.connection() as conn:
            return reads.batch_keys(conn, site.id, session_id)

    def load_batch(self, site: Site, session_id: str, key: BatchKey) -> list[RawEvent]:
        events: list[RawEvent] = json.loads(self.load_batch_json(site, session_id, key))
        return events

    def load_batch_json(self, site: Site, session_id: str, key: BatchKey) -> bytes:
        with self._pool.connection() as conn:
            payload = reads.stored_payload(conn, site.id, session_id, key)
        return b"[]" if payload is None else gzip.decompress(payload)

    def insights(self) -> PostgresInsights:
        return PostgresInsights(self._pool)

    def shared_rate_limiter(self, rate_per_second: float, burst: int) -> SharedRateLimiter:
        """The ingest rate limit, held across every collector process on this database."""
        return SharedRateLimiter(self._pool, rate_per_second, burst)

    def close(self) -> None:
        self._pool.close()
