"""What a storage backend provides. Routes depend on this protocol, never on a backend."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sessiontape.api_types import SessionSummary
from sessiontape.codec import RawEvent
from sessiontape.collector.storage.insight_base import InsightReader
from sessiontape.collector.storage.prepared import PreparedBatch

ANY_ORIGIN = "*"
"""In a site's allowed origins: every origin may send (stored only when asked for explicitly)."""
SELF_ORIGIN = "self"
"""In a site's allowed origins: the collector's own origin (the demo site's pages)."""


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    write_key: str
    allowed_origins: tuple[str, ...]
    max_sessions_per_hour: int | None = None
    """None: the collector's default (``Settings.max_sessions_per_hour``); 0: no limit."""
    max_bytes_per_day: int | None = None
    """None: the collector's default (``Settings.max_bytes_per_day``); 0: no limit."""
    retention_days: int | None = None
    """Sessions that ended longer ago than this are purged; None or 0: kept until erased."""


@dataclass(frozen=True)
class Quota:
    """What one site may add to storage; 0 means no limit."""

    sessions_per_hour: int = 0
    """New sessions per clock hour (UTC)."""
    bytes_per_day: int = 0
    """Stored (compressed) batch bytes over the last 24 clock hours."""


class QuotaExceededError(Exception):
    """A batch would pass one of its site's quotas; nothing was stored."""

    def __init__(self, kind: str, limit: int, retry_after_s: int) -> None:
        super().__init__(f"{kind} quota of {limit} exceeded")
        self.kind = kind  # "sessions" or "bytes"
        self.limit = limit
        self.retry_after_s = retry_after_s


class StorageFullError(Exception):
    """The disk, or the configured database size, is full; nothing was written."""


@dataclass(frozen=True)
class SessionQuery:
    """Filters and a page position for listing sessions (times in ms since the epoch)."""

    limit: int = 50
    cursor: str | None = None
    started_after: int | None = None
    started_before: int | None = None
    url_contains: str | None = None
    min_duration_ms: int | None = None
    has_clicks: bool | None = None
    has_rage_clicks: bool | None = None
    has_dead_clicks: bool | None = None


BatchKey = tuple[str, int]
"""(window id, seq)"""

UPLOAD_WINDOW = "0" * 16
"""The window id under which a whole uploaded recording is stored."""


@dataclass(frozen=True)
class NewSite:
    """A site just created: the only moment its secret read key exists in clear."""

    site: Site
    read_key: str


class InvalidCursorError(ValueError):
    """A pagination cursor this API did not hand out."""


def new_write_key() -> str:
    return "st_pk_" + secrets.token_urlsafe(24)


def new_read_key() -> str:
    return "st_sk_" + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SiteChanges:
    """What ``update_site`` changes; a field left None stays as it is."""

    allowed_origins: tuple[str, ...] | None = None
    max_sessions_per_hour: int | None = None
    max_bytes_per_day: int | None = None
    retention_days: int | None = None


class Storage(Protocol):
    """Writes raise StorageFullError when the disk or the database size limit is full."""

    def create_site(
        self, name: str, allowed_origins: tuple[str, ...], changes: SiteChanges | None = None
    ) -> NewSite: ...

    def update_site(self, name: str, changes: SiteChanges) -> Site | None:
        """None when there is no site of that name."""
        ...

    def site_by_name(self, name: str) -> Site | None: ...

    def site_for_write_key(self, key: str) -> Site | None: ...

    def site_for_read_key(self, key: str) -> Site | None: ...

    def store_batch(
        self, site: Site, batch: PreparedBatch, received_at: int, quota: Quota | None = None
    ) -> bool:
        """Stores a batch (see ``prepared.prepare_batch``) durably; False when (session, window,
        seq) was already stored.
        QuotaExceededError when a new session or its bytes would pass ``quota``."""
        ...

    def store_upload(
        self, site: Site, session_id: str, chunks: Iterable[list[RawEvent]], received_at: int
    ) -> bool:
        """Stores a whole recording at once; False when this session was uploaded before.

        ``chunks`` may be a generator: it is consumed inside the storing transaction."""
        ...

    def list_sessions(
        self, site: Site, query: SessionQuery
    ) -> tuple[list[SessionSummary], str | None]: ...

    def get_session(self, site: Site, session_id: str) -> SessionSummary | None: ...

    def batch_keys(self, site: Site, session_id: str) -> list[BatchKey]:
        """The session's batches, in (window, seq) order."""
        ...

    def load_batch(self, site: Site, session_id: str, key: BatchKey) -> list[RawEvent]: ...

    def load_batch_json(self, site: Site, session_id: str, key: BatchKey) -> bytes:
        """The batch's events as the JSON array it was stored as (``[]`` when there is none)."""
        ...

    def delete_session(self, site: Site, session_id: str) -> bool:
        """Erases every trace of the session; False when there was none."""
        ...

    def purge_expired(self, now: int) -> int:
        """Erases, as ``delete_session`` does, every session that ended longer ago than its
        site's ``retention_days`` before ``now`` (ms since the epoch); how many it erased."""
        ...

    def open_viewer_login(self, site: Site, now: int, ttl_ms: int) -> str:
        """A new viewer sign-in token for ``site`` (stored hashed), valid for ``ttl_ms``."""
        ...

    def site_for_viewer_login(self, token: str, now: int) -> Site | None:
        """The site a live sign-in token opens; None when unknown, expired or signed out."""
        ...

    def close_viewer_login(self, token: str) -> None: ...

    def insights(self) -> InsightReader:
        """Heatmaps and click insights over the facts kept at ingest."""
        ...

    def close(self) -> None: ...
