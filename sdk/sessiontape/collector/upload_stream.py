"""An uploaded recording, read from its spooled body twice: once to check it, once to store it.

The first pass validates every event and learns the session id without keeping anything; the
second, inside the storing transaction, hands the events on in chunks. Memory holds one event
(plus one chunk while storing), whatever the size of the recording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from sessiontape._json_stream import EventDocument, maybe_gunzip_stream
from sessiontape.codec import DecodeError, RawEvent, decode_event

SESSION_ID = re.compile(r"[0-9a-f]{32}")
READ_BYTES = 64 * 1024
CHUNK_EVENTS = 1_000


@dataclass(frozen=True)
class UploadLimits:
    max_decompressed_bytes: int
    max_event_bytes: int


@dataclass(frozen=True)
class CheckedUpload:
    session: str
    event_count: int


def check_upload(body: IO[bytes], limits: UploadLimits) -> CheckedUpload:
    """Validates the whole upload; DecodeError (or TooLargeError) names the first fault."""
    document = _document(body, limits)
    count = 0
    for index, event in enumerate(document.events()):
        if not isinstance(event, dict):
            raise DecodeError("Input should be a valid dictionary", f"events[{index}]")
        decode_event(event, strict=True, index=index)
        count += 1
    unknown = sorted(set(document.fields) - {"session"})
    if unknown:
        raise DecodeError("Extra inputs are not permitted", unknown[0])
    session = document.fields.get("session")
    if session is None:
        raise DecodeError("Field required", "session")
    if not isinstance(session, str) or not SESSION_ID.fullmatch(session):
        raise DecodeError("must be 32 lowercase hexadecimal characters", "session")
    if count == 0:
        raise DecodeError("List should have at least 1 item after validation, not 0", "events")
    return CheckedUpload(session, count)


def upload_chunks(body: IO[bytes], limits: UploadLimits) -> Iterator[list[RawEvent]]:
    """The events of an upload that :func:`check_upload` accepted, ``CHUNK_EVENTS`` at a time."""
    chunk: list[RawEvent] = []
    for event in _document(body, limits).events():
        chunk.append(event)
        if len(chunk) == CHUNK_EVENTS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _document(body: IO[bytes], limits: UploadLimits) -> EventDocument:
    body.seek(0)
    pieces = iter(lambda: body.read(READ_BYTES), b"")
    return EventDocument(
        maybe_gunzip_stream(pieces, limits.max_decompressed_bytes),
        max_event_chars=limits.max_event_bytes,
    )
