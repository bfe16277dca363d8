"""Sends a kept test recording to a collector, as the recorder would: ingest batches under the
site's public write key, one new session per test."""

from __future__ import annotations

import gzip
import json
import secrets
import time
from collections.abc import Iterator

import httpx

from sessiontape.codec import RawEvent

MAX_BATCH_EVENTS = 1_000
MAX_BATCH_CHARS = 2 << 20
RETRIES = 3


class UploadError(RuntimeError):
    pass


def upload(endpoint: str, key: str, events: list[RawEvent], user_agent: str | None = None) -> str:
    """Uploads ``events`` as a new session; returns its id. The collector names the session's
    browser from the requests' User-Agent: the recorded browser's, never httpx's own."""
    session, window = secrets.token_hex(16), secrets.token_hex(8)
    url = endpoint.rstrip("/") + "/v1/ingest"
    with httpx.Client(timeout=30) as http:
        del http.headers["User-Agent"]
        if user_agent:
            http.headers["User-Agent"] = user_agent
        for seq, batch in enumerate(_batches(events)):
            body = (
                f'{{"v":1,"session":"{session}","window":"{window}","seq":{seq},'
                f'"events":[{",".join(batch)}]}}'
            )
            _send(http, url, key, gzip.compress(body.encode("utf-8")))
    return session


def viewer_link(endpoint: str, session: str) -> str:
    return f"{endpoint.rstrip('/')}/sessions/{session}"


def _batches(events: list[RawEvent]) -> Iterator[list[str]]:
    batch: list[str] = []
    chars = 0
    for event in events:
        text = json.dumps(event, separators=(",", ":"))
        if batch and (len(batch) >= MAX_BATCH_EVENTS or chars + len(text) > MAX_BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(text)
        chars += len(text)
    if batch:
        yield batch


def _send(http: httpx.Client, url: str, key: str, body: bytes) -> None:
    for attempt in range(RETRIES + 1):
        try:
            response = http.post(
                url, params={"key": key}, content=body, headers={"Content-Type": "text/plain"}
            )
        except httpx.TransportError as exc:
            if attempt == RETRIES:
                raise UploadError(f"could not reach {url}: {exc}") from exc
            time.sleep(0.5 * 2**attempt)
            continue
        if response.is_success:
            return
        if response.status_code in (429, 503) and attempt < RETRIES:
            time.sleep(_retry_after(response))
            continue
        raise UploadError(f"{url} answered {response.status_code}: {response.text[:300]}")


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(max(float(response.headers.get("Retry-After", "1")), 0.0), 10.0)
    except ValueError:  # an HTTP date: not worth parsing for a test run
        return 1.0
