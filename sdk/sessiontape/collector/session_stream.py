"""A session's events as response bytes, merged across windows by timestamp.

Batches are stored as JSON arrays. Each is inflated once and its events are copied out as the
stored text, never re-encoded: a single window's arrays are spliced together as they are; with
several windows each event is parsed once for its timestamp and the windows are merged. Output
comes in chunks of about ``CHUNK_BYTES``, so a response is a few hundred writes, not one per event,
and memory holds one batch per window.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Iterator
from itertools import groupby

from sessiontape.codec import event_timestamp
from sessiontape.collector.storage import BatchKey, Site, Storage

CHUNK_BYTES = 128 * 1024
_DECODER = json.JSONDecoder()


def json_document(
    storage: Storage, site: Site, session_id: str, keys: list[BatchKey]
) -> Iterator[bytes]:
    """``{"session": id, "events": [...]}``, written as the batches are read."""
    head = b'{"session":' + json.dumps(session_id).encode() + b',"events":['
    windows = _windows(storage, site, session_id, keys)
    if len(windows) == 1:
        pieces = _array_bodies(windows[0])
    else:
        pieces = (event for _, event in _merged(windows))
    return _chunked([head], _comma_separated(pieces), [b"]}"])


def ndjson_lines(
    storage: Storage, site: Site, session_id: str, keys: list[BatchKey]
) -> Iterator[bytes]:
    """One event per line, in the same order as :func:`json_document`."""
    windows = _windows(storage, site, session_id, keys)
    events = _merged(windows) if len(windows) > 1 else _events(windows[0])
    return _chunked(_line(event) for _, event in events)


def _windows(
    storage: Storage, site: Site, session_id: str, keys: list[BatchKey]
) -> list[Iterator[bytes]]:
    """Per window, its stored arrays in seq order (keys come sorted by window, then seq)."""
    return [
        _stored_arrays(storage, site, session_id, list(window_keys))
        for _, window_keys in groupby(keys, key=lambda key: key[0])
    ]


def _stored_arrays(
    storage: Storage, site: Site, session_id: str, keys: list[BatchKey]
) -> Iterator[bytes]:
    for key in keys:
        yield storage.load_batch_json(site, session_id, key)


def _array_bodies(arrays: Iterable[bytes]) -> Iterator[bytes]:
    """Each stored array without its brackets: its events, comma separated, as stored."""
    for array in arrays:
        body = array.strip()[1:-1]
        if body.strip():
            yield body


def _events(arrays: Iterable[bytes]) -> Iterator[tuple[float, bytes]]:
    """Each event of the arrays as (timestamp, its stored text)."""
    for stored in arrays:
        array = stored.decode()
        position = array.index("[") + 1
        while True:
            position = _skip(array, position, ",")
            if array[position] == "]":
                break
            event, end = _DECODER.raw_decode(array, position)
            yield event_timestamp(event), array[position:end].encode()
            position = end


def _skip(text: str, position: int, separator: str) -> int:
    while text[position] in " \t\r\n" or text[position] == separator:
        position += 1
    return position


def _merged(windows: list[Iterator[bytes]]) -> Iterator[tuple[float, bytes]]:
    """Windows interleaved by timestamp; each keeps the order its recorder sent."""
    return heapq.merge(*(_events(window) for window in windows), key=lambda item: item[0])


def _line(event: bytes) -> bytes:
    if b"\n" in event or b"\r" in event:  # stored with whitespace between tokens
        event = json.dumps(json.loads(event), separators=(",", ":")).encode()
    return event + b"\n"


def _comma_separated(pieces: Iterable[bytes]) -> Iterator[bytes]:
    for index, piece in enumerate(pieces):
        yield b"," + piece if index else piece


def _chunked(*parts: Iterable[bytes]) -> Iterator[bytes]:
    pending: list[bytes] = []
    size = 0
    for part in parts:
        for piece in part:
            pending.append(piece)
            size += len(piece)
            if size >= CHUNK_BYTES:
                yield b"".join(pending)
                pending.clear()
                size = 0
    if pending:
        yield b"".join(pending)
