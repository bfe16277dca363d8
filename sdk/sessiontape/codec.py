"""Bytes to envelopes to ordered, typed event streams, and back."""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from pydantic import BaseModel, TypeAdapter, ValidationError

from sessiontape._json_budget import measure
from sessiontape.errors import SessiontapeError
from sessiontape.events import ENVELOPE_FIELDS, Envelope, Event, event_adapter, event_list_adapter

GZIP_MAGIC = b"\x1f\x8b"

RawEvent = dict[str, Any]


class DecodeError(SessiontapeError, ValueError):
    """Input that is not a well-formed recording; ``path`` locates the fault."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.reason = message


class LimitError(DecodeError):
    """Well-formed, perhaps, but beyond a limit; ``code`` names which."""

    code = "too_large"


class TooLargeError(LimitError):
    """The input, once decompressed, exceeds the allowed size."""

    code = "body_too_large"


class TooManyEventsError(LimitError):
    code = "too_many_events"


class EventTooLargeError(LimitError):
    code = "event_too_large"


class TooComplexError(LimitError):
    """Parsing the input would allocate more than allowed (many tiny values in few bytes)."""

    code = "batch_too_complex"


@dataclass(frozen=True)
class BatchLimits:
    """What one ingest batch may hold; checked before (or while) it is parsed."""

    max_decompressed_bytes: int = 4 << 20
    max_events: int = 5_000
    max_event_chars: int = 3 << 20
    max_depth: int = 512
    max_parse_memory: int = 48 << 20
    """Upper bound of the memory that parsing may allocate, estimated from the bytes."""


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


def parse_envelope(
    body: bytes, *, max_decompressed: int | None = None, limits: BatchLimits | None = None
) -> Envelope:
    """Parses one ingest body (gzip or plain JSON) into a validated envelope.

    The cost is bounded before anything is allocated: the inflated size, then the memory that
    parsing would take and the nesting depth, both measured on the bytes; events are then parsed
    one at a time, and parsing stops at the first fault or at one event too many.
    """
    limits = limits or BatchLimits()
    if max_decompressed is not None:
        limits = BatchLimits(**{**limits.__dict__, "max_decompressed_bytes": max_decompressed})
    plain = maybe_gunzip(body, limits.max_decompressed_bytes)
    if len(plain) > limits.max_decompressed_bytes:
        raise TooLargeError(f"body exceeds {limits.max_decompressed_bytes} bytes")
    check_json_budget(plain, limits)
    try:
        text = plain.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"body is not valid UTF-8 (byte {exc.start})") from exc
    head = _EnvelopeReader(text, limits).read()
    try:
        return Envelope.model_validate(head)
    except ValidationError as exc:
        raise _decode_error(exc) from exc


def check_json_budget(body: bytes, limits: BatchLimits) -> None:
    shape = measure(body, limits.max_parse_memory)
    if shape.parse_cost > limits.max_parse_memory:
        raise TooComplexError(
            f"parsing this body would take about {shape.parse_cost >> 20} MiB"
            f" (limit {limits.max_parse_memory >> 20} MiB): too many values in too few bytes"
        )
    if shape.depth > limits.max_depth:
        raise DecodeError(f"JSON nested deeper than {limits.max_depth} levels")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is beyond a 64-bit float")
    return value


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder(parse_float=_finite_float, parse_constant=_reject_constant)


class _EnvelopeReader:
    """Reads the envelope object key by key, and its ``events`` array one event at a time."""

    def __init__(self, text: str, limits: BatchLimits) -> None:
        self.text = text
        self.pos = 0
        self.limits = limits

    def read(self) -> dict[str, Any]:
        if self._peek() != "{":
            self._value()  # a syntax error is reported as such
            raise DecodeError("a batch is a JSON object: {v, session, window, seq, events}")
        self.pos += 1
        head: dict[str, Any] = {}
        closed = self._next_is("}")
        while not closed:
            if self._peek() != '"':
                raise self._syntax_error("expected a property name in double quotes")
            key = self._value()
            if key in head:
                raise DecodeError("appears twice", key[:40])
            if key not in ENVELOPE_FIELDS:
                raise DecodeError("extra inputs are not permitted", key[:40])
            self._expect(":")
            head[key] = self._events() if key == "events" and self._peek() == "[" else self._value()
            closed = self._next_is("}")
            if not closed:
                self._expect(",")
        if self._peek():
            raise self._syntax_error("extra data after the batch")
        return head

    def _events(self) -> list[dict[str, Any]]:
        self.pos += 1
        events: list[dict[str, Any]] = []
        if self._next_is("]"):
            return events
        while True:
            index = len(events)
            if index == self.limits.max_events:
                raise TooManyEventsError(f"a batch holds at most {self.limits.max_events} events")
            start = self.pos
            event = self._value()
            if self.pos - start > self.limits.max_event_chars:
                raise EventTooLargeError(
                    f"exceeds {self.limits.max_event_chars} bytes", f"events[{index}]"
                )
            if not isinstance(event, dict):
                raise DecodeError("an event must be a JSON object", f"events[{index}]")
            events.append(event)
            if self._next_is("]"):
                return events
            self._expect(",")

    def _value(self) -> Any:
        self._peek()
        try:
            value, self.pos = _DECODER.raw_decode(self.text, self.pos)
        except json.JSONDecodeError as exc:
            raise DecodeError(
                f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
            ) from exc
        except RecursionError as exc:
            raise DecodeError("JSON nested too deeply") from exc
        except ValueError as exc:  # an integer beyond Python's digit limit, a float beyond 64 bits
            raise DecodeError(f"invalid JSON: {exc}") from exc
        return value

    def _peek(self) -> str:
        match = _SPACE.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos
        return self.text[self.pos : self.pos + 1]

    def _next_is(self, char: str) -> bool:
        if self._peek() == char:
            self.pos += 1
            return True
        return False

    def _expect(self, char: str) -> None:
        if not self._next_is(char):
            raise self._syntax_error(f"expected {char!r}")

    def _syntax_error(self, message: str) -> DecodeError:
        line = self.text.count("\n", 0, self.pos) + 1
        column = self.pos - self.text.rfind("\n", 0, self.pos)
        return DecodeError(f"invalid JSON at line {line} column {column}: {message}")


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


RecordingSource = bytes | str | Sequence[Any] | Mapping[str, Any]
"""Every form a recording is accepted in: see :func:`read_recording`."""


@dataclass(frozen=True)
class RecordingInput:
    """A recording as given: its session id when it names one, and its events, each a dict, an
    ``@rrweb/packer`` string or a typed event (see :func:`raw_event`)."""

    session: str | None
    items: Sequence[Any]

    def raw_events(self) -> Iterator[RawEvent]:
        return (raw_event(item, index=index) for index, item in enumerate(self.items))


def read_recording(source: RecordingSource) -> RecordingInput:
    """The one reader of recordings as they come in the wild: a sessiontape export or batch
    (``{"session": ..., "events": [...]}``), a plain rrweb JSON array, ``@rrweb/packer`` packed
    events, typed events; as gzipped or plain bytes, a JSON string, or already parsed."""
    document: Any = source
    if isinstance(source, bytes | bytearray | memoryview):
        document = parse_json(maybe_gunzip(bytes(source), MAX_EVENTS_DOCUMENT))
    elif isinstance(source, str):
        document = parse_json(source.encode("utf-8"))
    if isinstance(document, Mapping):
        events, session = document.get("events"), document.get("session")
        if not isinstance(events, list):
            raise DecodeError("an object must hold the events in an 'events' list")
        if session is not None and not isinstance(session, str):
            raise DecodeError("must be a string", "session")
        return RecordingInput(session, events)
    if isinstance(document, Sequence) and not isinstance(document, str | bytes):
        return RecordingInput(None, document)
    raise DecodeError(
        f"cannot read a recording from {type(source).__name__}: expected a list of events,"
        " an object with an 'events' list, or their JSON as str or bytes"
    )


def raw_event(item: Any, *, index: int = 0) -> RawEvent:
    """One event as a JSON-ready dict: a dict as it is, a packed string unpacked, a typed event
    encoded."""
    if isinstance(item, dict):
        return item
    if isinstance(item, str):
        return unpack_event(item, index=index)
    if isinstance(item, BaseModel):
        return encode_event(cast(Event, item))
    raise DecodeError("an event must be an object or a packed string", f"events[{index}]")


def load_events(source: RecordingSource) -> list[RawEvent]:
    """Raw events from any form :func:`read_recording` accepts."""
    return list(read_recording(source).raw_events())


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
