"""Bytes to envelopes to ordered, typed event streams, and back."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from sessiontape.events import Envelope, Event, event_adapter

GZIP_MAGIC = b"\x1f\x8b"

RawEvent = dict[str, Any]


class DecodeError(ValueError):
    """Input that is not a well-formed recording; ``path`` locates the fault."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.reason = message


class TooLargeError(DecodeError):
    """The input, once decompressed, exceeds the allowed size."""


def is_gzip(body: bytes) -> bool:
    return body[:2] == GZIP_MAGIC


def gunzip_bounded(body: bytes, limit: int) -> bytes:
    """Decompresses gzip in bounded memory: stops with TooLargeError past ``limit`` bytes."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise DecodeError(f"invalid gzip data ({exc})") from exc
    if len(out) > limit:
        raise TooLargeError(f"decompressed body exceeds {limit} bytes")
    if not inflater.eof:
        raise DecodeError("truncated gzip data")
    return out


def maybe_gunzip(body: bytes, limit: int) -> bytes:
    return gunzip_bounded(body, limit) if is_gzip(body) else body


def parse_json(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"body is not valid UTF-8 (byte {exc.start})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DecodeError(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise DecodeError("JSON nested too deeply") from exc


def parse_envelope(body: bytes, *, max_decompressed: int) -> Envelope:
    """Parses one ingest body (gzip or plain JSON) into a validated envelope."""
    document = parse_json(maybe_gunzip(body, max_decompressed))
    try:
        return Envelope.model_validate(document)
    except ValidationError as exc:
        raise _decode_error(exc) from exc


def decode_event(raw: RawEvent, *, strict: bool = True, index: int = 0) -> Event | RawEvent:
    """Types one rrweb event; in lenient mode an event it cannot type is kept as a dict."""
    try:
        return event_adapter.validate_python(raw)
    except ValidationError as exc:
        if strict:
            raise _decode_error(exc, prefix=f"events[{index}]") from exc
        return raw


def decode_events(raw_events: Iterable[RawEvent], *, strict: bool = True) -> list[Event | RawEvent]:
    return [decode_event(raw, strict=strict, index=i) for i, raw in enumerate(raw_events)]


def encode_event(event: Event | RawEvent) -> RawEvent:
    if isinstance(event, dict):
        return event
    dumped: RawEvent = event.model_dump(mode="json", exclude_unset=True)
    return dumped


def merge_batches(batches: Sequence[Sequence[RawEvent]]) -> list[RawEvent]:
    """Merges batches (already in (window, seq) order) into one stream ordered by timestamp.

    The sort is stable, so events of one window keep the order the recorder emitted them in.
    """
    merged = [event for batch in batches for event in batch]
    merged.sort(key=_timestamp)
    return merged


def _timestamp(event: RawEvent) -> float:
    value = event.get("timestamp")
    return float(value) if isinstance(value, int | float) else 0.0


def _decode_error(exc: ValidationError, prefix: str = "") -> DecodeError:
    first = exc.errors()[0]
    location = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]
    )
    path = (prefix + location).lstrip(".")
    return DecodeError(first["msg"], path=path)
