"""Bytes to envelopes to ordered, typed event streams, and back."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sessiontape.events import Envelope, Event, event_adapter, event_list_adapter

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
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise DecodeError(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise DecodeError("JSON nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer beyond Python's digit limit
        raise DecodeError(f"invalid JSON: {exc}") from exc


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_envelope(body: bytes, *, max_decompressed: int) -> Envelope:
    """Parses one ingest body (gzip or plain JSON) into a validated envelope."""
    document = parse_json(maybe_gunzip(body, max_decompressed))
    try:
        return Envelope.model_validate(document)
    except ValidationError as exc:
        raise _decode_error(exc) from exc


PACKER_MARK = "v1"
MAX_EVENTS_DOCUMENT = 1 << 30


def unpack_event(packed: str, *, index: int = 0) -> RawEvent:
    """Undoes ``@rrweb/packer``'s ``pack``: zlib-deflated JSON carried as a latin-1 string."""
    try:
        document = parse_json(zlib.decompress(packed.encode("latin-1")))
    except (UnicodeEncodeError, zlib.error) as exc:
        raise DecodeError(f"not an @rrweb/packer string ({exc})", f"events[{index}]") from exc
    if not isinstance(document, dict) or document.pop("v", None) != PACKER_MARK:
        raise DecodeError(f"packed event lacks the packer mark {PACKER_MARK!r}", f"events[{index}]")
    return document


def load_events(source: bytes | str | list[Any] | dict[str, Any]) -> list[RawEvent]:
    """Raw events from anything recordings come as in the wild: a sessiontape batch or export
    (``{"events": [...]}``), a plain rrweb JSON array, ``@rrweb/packer`` packed events, as
    gzipped or plain bytes, a JSON string, or already parsed."""
    document: Any = source
    if isinstance(source, bytes):
        document = parse_json(maybe_gunzip(source, MAX_EVENTS_DOCUMENT))
    elif isinstance(source, str):
        document = parse_json(source.encode("utf-8"))
    if isinstance(document, dict):
        if not isinstance(document.get("events"), list):
            raise DecodeError("an object must hold the events in an 'events' list")
        document = document["events"]
    if not isinstance(document, list):
        raise DecodeError("expected a list of events, or an object with an 'events' list")
    events: list[RawEvent] = []
    for index, item in enumerate(document):
        if isinstance(item, str):
            events.append(unpack_event(item, index=index))
        elif isinstance(item, dict):
            events.append(item)
        else:
            raise DecodeError("an event must be an object or a packed string", f"events[{index}]")
    return events


def decode_event(raw: RawEvent, *, strict: bool = True, index: int = 0) -> Event | RawEvent:
    """Types one rrweb event; in lenient mode an event it cannot type is kept as a dict."""
    try:
        return event_adapter.validate_python(raw)
    except ValidationError as exc:
        if strict:
            raise _decode_error(exc, prefix=f"events[{index}]") from exc
        return raw


def decode_json_events(data: bytes, *, strict: bool = True) -> list[Event | RawEvent]:
    """Types events straight from bytes: a JSON array, or an object with an ``events`` array.

    In strict mode pydantic-core parses and validates in one pass; on a fault (or in lenient
    mode) the events are decoded one by one, so the error names the faulty event's path.
    """
    if strict:
        try:
            if data.lstrip()[:1] == b"{":
                return list(_events_document.validate_json(data).events)
            return list(event_list_adapter.validate_json(data))
        except ValidationError:
            pass
    return decode_events(load_events(data), strict=strict)


class _EventsDocument(BaseModel):
    events: list[Event]


_events_document = TypeAdapter(_EventsDocument)


def decode_events(raw_events: Iterable[RawEvent], *, strict: bool = True) -> list[Event | RawEvent]:
    return [decode_event(raw, strict=strict, index=i) for i, raw in enumerate(raw_events)]


def encode_event(event: Event | RawEvent) -> RawEvent:
    if isinstance(event, dict):
        return event
    dumped: RawEvent = event.model_dump(mode="json", exclude_unset=True)
    return dumped


def event_timestamp(event: RawEvent) -> float:
    value = event.get("timestamp")
    return float(value) if isinstance(value, int | float) else 0.0


def _decode_error(exc: ValidationError, prefix: str = "") -> DecodeError:
    first = exc.errors()[0]
    location = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]
    )
    path = (prefix + location).lstrip(".")
    return DecodeError(first["msg"], path=path)
