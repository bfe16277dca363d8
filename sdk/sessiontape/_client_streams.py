"""What the client streams: NDJSON lines in, decoded one at a time; upload bodies out, gzipped
as they are written. Nothing here holds a whole session."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from sessiontape._json_stream import EventDocument, maybe_gunzip_stream
from sessiontape.codec import DecodeError, RawEvent, decode_event, unpack_event
from sessiontape.event_digest import EventsDigest
from sessiontape.events import Event, event_adapter

FILE_READ_BYTES = 256 * 1024
MAX_FILE_BYTES = 1 << 30
MAX_FILE_EVENT_CHARS = 1 << 27
GZIP_LEVEL = 6
SEND_BYTES = 64 * 1024

EventSource = Callable[[], Iterable[RawEvent]]
"""Gives a fresh pass over a recording's events each time it is called."""


class LineSplitter:
    """Cuts a byte stream into lines, however the chunks fall."""

    def __init__(self) -> None:
        self._partial: list[bytes] = []

    def feed(self, chunk: bytes) -> list[bytes]:
        lines = []
        start = 0
        while (end := chunk.find(b"\n", start)) != -1:
            self._partial.append(chunk[start:end])
            lines.append(b"".join(self._partial))
            self._partial.clear()
            start = end + 1
        if start < len(chunk):
            self._partial.append(chunk[start:])
        return [line for line in lines if line.strip()]

    def close(self) -> list[bytes]:
        rest = b"".join(self._partial)
        self._partial.clear()
        return [rest] if rest.strip() else []


def decode_line(line: bytes, *, strict: bool, index: int) -> Event | RawEvent:
    """One NDJSON event, typed straight from its bytes; faults are located as ``events[i]``."""
    try:
        return event_adapter.validate_json(line)
    except ValidationError:
        return decode_event(json.loads(line), strict=strict, index=index)


def content_session_id(events: EventSource) -> str:
    """The id a recording without one gets: derived from the digest of its events, the one the
    collector compares, so the same events get the same id however they are written."""
    digest = EventsDigest(events()).hexdigest()
    return hashlib.sha256(digest.encode()).hexdigest()[:32]


def upload_body(session_id: str, events: EventSource) -> Callable[[], Iterator[bytes]]:
    """A gzipped ``{"session", "events"}`` document, written as it is sent (again on a retry)."""

    def chunks() -> Iterator[bytes]:
        deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        head = b'{"session":' + json.dumps(session_id).encode() + b',"events":['
        pending = [deflate.compress(head)]
        size = 0
        for index, event in enumerate(events()):
            text = json.dumps(event, separators=(",", ":")).encode()
            compressed = deflate.compress(b"," + text if index else text)
            if compressed:
                pending.append(compressed)
                size += len(compressed)
                if size >= SEND_BYTES:
                    yield b"".join(pending)
                    pending, size = [], 0
        pending += [deflate.compress(b"]}"), deflate.flush()]
        yield b"".join(pending)

    return chunks


class RecordingFile:
    """A recording on disk (sessiontape export, rrweb array or ``@rrweb/packer`` events, gzipped
    or not), read a piece at a time on every pass."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fields: dict[str, Any] = {}

    def leading_session(self) -> str | None:
        """The document's ``session`` field when it comes before the events (as in exports)."""
        with self.path.open("rb") as handle:
            document = self._document(handle)
            next(iter(document.events()), None)
        named = document.fields.get("session")
        return named if isinstance(named, str) else None

    def events(self) -> Iterator[RawEvent]:
        with self.path.open("rb") as handle:
            document = self._document(handle)
            for index, item in enumerate(document.events()):
                if isinstance(item, str):
                    yield unpack_event(item, index=index)
                elif isinstance(item, dict):
                    yield item
                else:
                    raise DecodeError(
                        "an event must be an object or a packed string", f"events[{index}]"
                    )
            self.fields = document.fields

    @staticmethod
    def _document(handle: IO[bytes]) -> EventDocument:
        pieces = iter(lambda: handle.read(FILE_READ_BYTES), b"")
        return EventDocument(
            maybe_gunzip_stream(pieces, MAX_FILE_BYTES), max_event_chars=MAX_FILE_EVENT_CHARS
        )
