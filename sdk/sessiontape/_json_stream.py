"""Event documents read a piece at a time, so memory stays bounded whatever their size.

A document is a JSON array of events, or an object whose ``events`` key holds that array beside
small fields (``{"session": ..., "events": [...]}``). Bytes arrive in chunks, gzipped or not;
each event is parsed once, when its last byte has arrived, and handed on.
"""

from __future__ import annotations

import codecs
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from sessiontape.codec import GZIP_MAGIC, DecodeError, TooLargeError

INFLATE_PIECE = 1 << 20
_SPACE = re.compile(r"[ \t\n\r]*")
_ESCAPE_SLACK = 6  # an error this close to the end may be a \uXXXX escape cut by the chunking


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def maybe_gunzip_stream(chunks: Iterable[bytes], limit: int) -> Iterator[bytes]:
    """The chunks, inflated on the way when they start with the gzip magic bytes."""
    source = iter(chunks)
    head = b""
    for chunk in source:
        head += chunk
        if len(head) >= len(GZIP_MAGIC):
            break
    rest = chain([head], source)
    return gunzip_stream(rest, limit) if head[:2] == GZIP_MAGIC else rest


def gunzip_stream(chunks: Iterable[bytes], limit: int) -> Iterator[bytes]:
    """Inflates gzip as it arrives, in pieces of at most 1 MiB; TooLargeError past ``limit``."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    total = 0
    for chunk in chunks:
        data = chunk
        while not inflater.eof:
            try:
                piece = inflater.decompress(data, INFLATE_PIECE)
            except zlib.error as exc:
                raise DecodeError(f"invalid gzip data ({exc})") from exc
            total += len(piece)
            if total > limit:
                raise TooLargeError(f"decompressed body exceeds {limit} bytes")
            if piece:
                yield piece
            data = inflater.unconsumed_tail
            if not data and len(piece) < INFLATE_PIECE:
                break  # a full piece may leave output inside the inflater: ask again
    if not inflater.eof:
        raise DecodeError("truncated gzip data")


class _Text:
    """The decoded text seen so far, minus what was consumed; grows a chunk at a time."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        self.pos = 0
        self.eof = False

    def more(self) -> bool:
        """Appends the next chunk; False once the input has ended."""
        if self.eof:
            return False
        self.text = self.text[self.pos :]
        self.pos = 0
        for chunk in self._chunks:
            decoded = self._decode(chunk, final=False)
            if decoded:
                self.text += decoded
                return True
        self.eof = True
        tail = self._decode(b"", final=True)
        self.text += tail
        return bool(tail)

    def _decode(self, chunk: bytes, *, final: bool) -> str:
        try:
            return self._utf8.decode(chunk, final)
        except UnicodeDecodeError as exc:
            raise DecodeError("the document is not valid UTF-8") from exc

    @property
    def pending(self) -> int:
        return len(self.text) - self.pos

    def peek(self) -> str:
        """The next character after whitespace, without consuming it; '' at the end."""
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def expect(self, char: str, what: str) -> None:
        found = self.peek()
        if found != char:
            raise DecodeError(f"expected {char!r} {what}" if found else "the document ends early")
        self.pos += 1

    def value(self, max_chars: int, path: str) -> Any:
        """Parses the next JSON value once it has arrived whole."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof or not _maybe_cut(exc, len(self.text)):
                    raise DecodeError(f"invalid JSON: {exc.msg}", path) from exc
            except RecursionError as exc:
                raise DecodeError("JSON nested too deeply", path) from exc
            except ValueError as exc:  # e.g. NaN, or an integer beyond Python's digit limit
                raise DecodeError(f"invalid JSON: {exc}", path) from exc
            else:
                if end < len(self.text) or self.eof:  # a number cut at the end could go on
                    self.pos = end
                    return value
            if self.pending > max_chars:
                raise TooLargeError(f"exceeds {max_chars} bytes", path)
            wanted = max(2 * self.pending, 1)
            while self.pending < wanted and self.more():
                pass


def _maybe_cut(exc: json.JSONDecodeError, length: int) -> bool:
    """Whether the error could vanish once more text arrives."""
    return exc.msg.startswith("Unterminated string") or exc.pos >= length - _ESCAPE_SLACK


class EventDocument:
    """Reads an event document from chunks of bytes; ``fields`` fills as the reading goes.

    ``events()`` yields each event as parsed JSON (normally a dict) in document order; once it is
    exhausted the whole document was well formed and ``fields`` holds every top-level key other
    than ``events`` (empty for a plain array). Faults raise DecodeError with a path such as
    ``events[12]``; one event larger than ``max_event_chars`` raises TooLargeError.
    """

    def __init__(self, chunks: Iterable[bytes], *, max_event_chars: int) -> None:
        self._text = _Text(chunks)
        self._max = max_event_chars
        self.fields: dict[str, Any] = {}

    def events(self) -> Iterator[Any]:
        text = self._text
        opening = text.peek()
        if opening == "[":
            yield from self._array()
        elif opening == "{":
            yield from self._object()
        else:
            raise DecodeError("expected a list of events, or an object with an 'events' list")
        if text.peek():
            raise DecodeError("unexpected data after the document")

    def _object(self) -> Iterator[Any]:
        text = self._text
        text.pos += 1
        seen_events = False
        first = True
        while text.peek() != "}":
            if not first:
                text.expect(",", "between the document's fields")
            first = False
            key = text.value(self._max, "")
            if not isinstance(key, str):
                raise DecodeError("expected a field name")
            text.expect(":", f"after {key!r}")
            if key == "events" and not seen_events:
                seen_events = True
                if text.peek() != "[":
                    raise DecodeError("must be a list", "events")
                yield from self._array()
            elif key == "events":
                raise DecodeError("appears twice", "events")
            else:
                self.fields[key] = text.value(self._max, key)
        text.pos += 1
        if not seen_events:
            raise DecodeError("an object must hold the events in an 'events' list")

    def _array(self) -> Iterator[Any]:
        text = self._text
        text.pos += 1
        if text.peek() == "]":
            text.pos += 1
            return
        index = 0
        while True:
            yield text.value(self._max, f"events[{index}]")
            separator = text.peek()
            text.pos += 1
            if separator == "]":
                return
            if separator != ",":
                problem = "expected ',' or ']' after this event" if separator else "ends early"
                raise DecodeError(problem, f"events[{index}]")
            index += 1
