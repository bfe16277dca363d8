"""The S3 blob store against an S3-compatible server: objects round-trip, a session's objects
share one prefix, and deleting that prefix leaves none of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sessiontape.collector.storage.blobs import (
    BlobStoreError,
    S3BlobStore,
    batch_key,
    open_blob_store,
    session_prefix,
)
from tests.object_store import ObjectStore, running_object_store


@pytest.fixture(scope="module")
def object_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ObjectStore]:
    with running_object_store(tmp_path_factory.mktemp("s3")) as store:
        store.client().create_bucket(Bucket="tapes")  # type: ignore[attr-defined]
        yield store


def test_a_sessions_objects_share_a_prefix_and_go_together(object_store: ObjectStore):
    store = S3BlobStore("tapes", "prod/", object_store.client())
    for seq in range(3):
        store.put(batch_key("site_a", "s1", ("w1", seq)), f"batch {seq}".encode())
    store.put(batch_key("site_a", "s2", ("w1", 0)), b"other session")
    assert store.get(batch_key("site_a", "s1", ("w1", 2))) == b"batch 2"
    assert len(store.keys(session_prefix("site_a", "s1"))) == 3

    assert store.delete_prefix(session_prefix("site_a", "s1")) == 3
    assert store.keys(session_prefix("site_a", "s1")) == []
    assert store.get(batch_key("site_a", "s2", ("w1", 0))) == b"other session"
    with pytest.raises(BlobStoreError):
        store.get(batch_key("site_a", "s1", ("w1", 0)))


def test_blob_urls_are_checked(monkeypatch: pytest.MonkeyPatch, object_store: ObjectStore):
    assert open_blob_store(None) is None
    assert open_blob_store("") is None
    for bad in ("https://bucket/x", "s3:///nobucket", "file:///tmp"):
        with pytest.raises(ValueError, match="s3://bucket/prefix"):
            open_blob_store(bad)
    for name, value in object_store.env.items():
        monkeypatch.setenv(name, value)
    store = open_blob_store("s3://tapes/from-url/")
    assert isinstance(store, S3BlobStore)
    assert store.prefix == "from-url/"
    store.put("k", b"v")
    assert store.get("k") == b"v"


def test_deleting_many_objects_pages_through_them(object_store: ObjectStore, tmp_path: Path):
    store = S3BlobStore("tapes", "", object_store.client())
    for seq in range(1_001):
        store.put(batch_key("site_b", "big", ("w", seq)), b"x")
    assert store.delete_prefix(session_prefix("site_b", "big")) == 1_001
    assert store.keys(session_prefix("site_b", "big")) == []
