"""What a storage backend provides. Routes depend on this protocol, never on a backend."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Protocol

from sessiontape.api_types import SessionSummary
from sessiontape.codec import RawEvent
from sessiontape.events import Envelope


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    write_key: str
    allowed_origins: tuple[str, ...]


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


class Storage(Protocol):
    def create_site(self, name: str, allowed_origins: tuple[str, ...] = ("*",)) -> NewSite: ...

    def site_by_name(self, name: str) -> Site | None: ...

    def site_for_write_key(self, key: str) -> Site | None: ...

    def site_for_read_key(self, key: str) -> Site | None: ...

    def store_batch(self, site: Site, envelope: Envelope, received_at: int) -> bool:
        """Stores a batch durably; False when (session, window, seq) was already stored."""
        ...

    def store_upload(
        self, site: Site, session_id: str, chunks: list[list[RawEvent]], received_at: int
    ) -> bool:
        """Stores a whole recording at once; False when this session was uploaded before."""
        ...

    def list_sessions(
        self, site: Site, query: SessionQuery
    ) -> tuple[list[SessionSummary], str | None]: ...

    def get_session(self, site: Site, session_id: str) -> SessionSummary | None: ...

    def batch_keys(self, site: Site, session_id: str) -> list[BatchKey]:
        """The session's batches, in (window, seq) order."""
        ...

    def load_batch(self, site: Site, session_id: str, key: BatchKey) -> list[RawEvent]: ...

    def delete_session(self, site: Site, session_id: str) -> bool:
        """Erases every trace of the session; False when there was none."""
        ...

    def close(self) -> None: ...
