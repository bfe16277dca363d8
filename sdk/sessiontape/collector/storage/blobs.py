"""Where compressed event batches live: in the index database (the default), or in an
S3-compatible object store, one key prefix per session so that erasure and retention delete by
prefix.

``SESSIONTAPE_BLOB_URL=s3://bucket/prefix`` selects the store; credentials, region and the
endpoint of a non-AWS store come from the standard ``AWS_*`` variables (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION``, ``AWS_ENDPOINT_URL``), as every AWS SDK reads
them.
"""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import urlsplit

from sessiontape.collector.storage.base import BatchKey


class BlobStoreError(Exception):
    """The object store refused or failed an operation; nothing was acknowledged."""


class BlobStore(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete_prefix(self, prefix: str) -> int:
        """Deletes every object under ``prefix``; how many."""
        ...

    def keys(self, prefix: str) -> list[str]: ...


def batch_key(site_id: str, session_id: str, key: BatchKey) -> str:
    window, seq = key
    return f"{session_prefix(site_id, session_id)}{window}-{seq:010d}.json.gz"


def session_prefix(site_id: str, session_id: str) -> str:
    return f"{site_id}/{session_id}/"


class S3BlobStore:
    """Objects under ``prefix`` in ``bucket``, through boto3 (the ``[s3]`` extra)."""

    def __init__(self, bucket: str, prefix: str, client: Any) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self._s3 = client

    def put(self, key: str, data: bytes) -> None:
        self._call(self._s3.put_object, Bucket=self.bucket, Key=self.prefix + key, Body=data)

    def get(self, key: str) -> bytes:
        answer = self._call(self._s3.get_object, Bucket=self.bucket, Key=self.prefix + key)
        body: bytes = answer["Body"].read()
        return body

    def keys(self, prefix: str) -> list[str]:
        found: list[str] = []
        pages = self._s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix
        )
        for page in pages:
            found += [item["Key"][len(self.prefix) :] for item in page.get("Contents", [])]
        return found

    def delete_prefix(self, prefix: str) -> int:
        keys = self.keys(prefix)
        for start in range(0, len(keys), 1000):  # the API's limit per request
            chunk = [{"Key": self.prefix + k} for k in keys[start : start + 1000]]
            answer = self._call(
                self._s3.delete_objects, Bucket=self.bucket, Delete={"Objects": chunk}
            )
            if answer.get("Errors"):
                raise BlobStoreError(f"could not delete {answer['Errors'][0]}")
        return len(keys)

    @staticmethod
    def _call(operation: Any, **arguments: Any) -> Any:
        try:
            return operation(**arguments)
        except Exception as exc:  # botocore's errors, without importing botocore here
            raise BlobStoreError(f"object store: {exc}") from exc


def open_blob_store(url: str | None) -> BlobStore | None:
    """None (batches stay in the database) for an empty URL; ValueError for one it cannot use."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"blob URL {url!r}: expected s3://bucket/prefix")
    try:
        import boto3  # type: ignore[import-untyped]  # the optional [s3] extra
    except ImportError as exc:
        raise ValueError("an s3:// blob URL needs boto3: pip install 'sessiontape[s3]'") from exc
    prefix = parts.path.strip("/")
    return S3BlobStore(parts.netloc, f"{prefix}/" if prefix else "", boto3.client("s3"))
