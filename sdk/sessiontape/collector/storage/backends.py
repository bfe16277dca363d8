"""Which backend a database URL names: ``sqlite:///path`` (the default: the data directory's
file) or ``postgresql://...`` (any libpq URL; psycopg is imported only then)."""

from __future__ import annotations

from pathlib import Path

from sessiontape.collector.storage.base import Storage
from sessiontape.collector.storage.blobs import BlobStore, open_blob_store
from sessiontape.collector.storage.sqlite import SQLiteStorage
from sessiontape.errors import SessiontapeError

SQLITE_PREFIX = "sqlite:///"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class DatabaseError(SessiontapeError):
    """A database URL of no supported kind, a driver not installed, a server not reachable."""


def is_postgres(url: str | None) -> bool:
    return bool(url) and str(url).startswith(POSTGRES_SCHEMES)


def open_storage(
    url: str | None, default_path: Path, max_database_bytes: int = 0, blob_url: str = ""
) -> Storage:
    """The backend ``url`` names (None or empty: SQLite at ``default_path``), schema migrated,
    with the batches' bytes in the object store ``blob_url`` names (empty: in the database)."""
    try:
        blobs = open_blob_store(blob_url)
    except ValueError as exc:
        raise DatabaseError(str(exc)) from exc
    if not url:
        return SQLiteStorage(default_path, max_database_bytes, blobs)
    if url.startswith(SQLITE_PREFIX):
        return SQLiteStorage(Path(url.removeprefix(SQLITE_PREFIX)), max_database_bytes, blobs)
    if is_postgres(url):
        return _open_postgres(url, blobs)
    raise DatabaseError(
        f"unsupported database URL {redacted(url)!r}: use sqlite:///path or postgresql://..."
    )


def redacted(url: str) -> str:
    """The URL with any password replaced, for messages and logs."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


def _open_postgres(url: str, blobs: BlobStore | None) -> Storage:
    try:
        import psycopg

        from sessiontape.collector.storage.postgres import PostgresStorage
    except ImportError as exc:
        raise DatabaseError(
            "PostgreSQL storage needs psycopg: pip install 'sessiontape[server,postgres]'"
        ) from exc
    try:
        return PostgresStorage(url, blobs=blobs)
    except psycopg.OperationalError as exc:
        raise DatabaseError(f"cannot open {redacted(url)}: {exc}") from exc
