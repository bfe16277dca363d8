"""Where a stored batch's bytes are read and written: every backend and every reader (replay,
upload identity, click targets) goes through ``write_payload`` and ``read_payload``.

Without an object store the index row holds the gzipped JSON array. With one, the object
``blobs.batch_key(...)`` holds it, under its session's prefix, and the row holds nothing (an
empty value); rows written before a store was configured keep their bytes and are read as such.
A backend attaches its store to each of its database connections (``attach``), so code handed
a connection finds the store without being told."""

from __future__ import annotations

from sessiontape.collector.storage.base import BatchKey
from sessiontape.collector.storage.blobs import BlobStore, batch_key, session_prefix

_stores: dict[int, BlobStore] = {}
"""Connection identity to its backend's object store, while the connection is open."""


def attach(connection: object, blobs: BlobStore | None) -> None:
    if blobs is not None:
        _stores[id(connection)] = blobs


def detach(connection: object) -> None:
    _stores.pop(id(connection), None)


def store_of(connection: object) -> BlobStore | None:
    return _stores.get(id(connection))


def write_payload(
    connection: object, site_id: str, session_id: str, key: BatchKey, payload: bytes
) -> bytes:
    """Puts the payload where it belongs; returns what the index row keeps."""
    blobs = store_of(connection)
    if blobs is None:
        return payload
    blobs.put(batch_key(site_id, session_id, key), payload)
    return b""


def read_payload(
    connection: object, site_id: str, session_id: str, key: BatchKey, kept: bytes
) -> bytes:
    """The batch's gzipped JSON array, given what its index row keeps."""
    blobs = store_of(connection)
    if kept or blobs is None:
        return kept
    return blobs.get(batch_key(site_id, session_id, key))


def erase_payloads(connection: object, site_id: str, session_id: str) -> None:
    """Deletes the session's objects (its whole prefix); rows are the backend's to delete."""
    blobs = store_of(connection)
    if blobs is not None:
        blobs.delete_prefix(session_prefix(site_id, session_id))
