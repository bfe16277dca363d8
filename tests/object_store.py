"""An S3-compatible server for the tests: moto's standalone server, the only one that installs
here (from PyPI). It stands in for the S3 wire protocol only; the code under test talks to it
through boto3 exactly as it would to AWS, MinIO or any other S3-compatible store."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import free_port

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@dataclass(frozen=True)
class ObjectStore:
    endpoint: str

    @property
    def env(self) -> dict[str, str]:
        """What a process needs to reach the store: the standard AWS variables."""
        return {**CREDENTIALS, "AWS_ENDPOINT_URL": self.endpoint}

    def client(self) -> object:
        import boto3  # type: ignore[import-untyped]

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        )


@contextmanager
def running_object_store(log_dir: Path) -> Iterator[ObjectStore]:
    port = free_port()
    log = (log_dir / "object-store.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=log,
        env={**os.environ, **CREDENTIALS},
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(endpoint, timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the object store did not start") from None
                time.sleep(0.1)
        yield ObjectStore(endpoint)
    finally:
        process.terminate()
        process.wait(timeout=10)
