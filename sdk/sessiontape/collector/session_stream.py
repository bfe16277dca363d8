"""A session's events, merged across windows by timestamp, one batch in memory per window."""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterator
from itertools import groupby

from sessiontape.codec import RawEvent, event_timestamp
from sessiontape.collector.storage import BatchKey, Site, Storage


def iter_session_events(
    storage: Storage, site: Site, session_id: str, keys: list[BatchKey]
) -> Iterator[RawEvent]:
    """Each window's events stay in the order the recorder sent them; windows interleave."""
    windows = [
        _window_events(storage, site, session_id, list(window_keys))
        for _, window_keys in groupby(keys, key=lambda key: key[0])
    ]
    return heapq.merge(*windows, key=event_timestamp)


def _window_events(
    storage: Storage, site: Site, session_id: str, keys: list[BatchKey]
) -> Iterator[RawEvent]:
    for key in keys:
        yield from storage.load_batch(site, session_id, key)


def json_document(session_id: str, events: Iterator[RawEvent]) -> Iterator[bytes]:
    """``{"session": id, "events": [...]}``, written as the events come."""
    yield b'{"session":' + json.dumps(session_id).encode() + b',"events":['
    for index, event in enumerate(events):
        yield (b"," if index else b"") + _dump(event)
    yield b"]}"


def ndjson_lines(events: Iterator[RawEvent]) -> Iterator[bytes]:
    for event in events:
        yield _dump(event) + b"\n"


def _dump(event: RawEvent) -> bytes:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
