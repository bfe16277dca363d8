"""What parsing a JSON document would cost, measured on its bytes before any object is built.

A few kilobytes of gzip can inflate to megabytes of ``[{},{},...]``, and every ``{}`` becomes a
Python dict: parsing such a body costs 30 to 100 times its size in memory. ``measure`` reads the
bytes with C-speed operations only (replace, split, count, translate, accumulate), a chunk at a
time, and reports how many objects, arrays, separators and strings the document holds outside
string literals, and how deep it nests, so a caller can refuse it before parsing.

The scan trusts the document to be JSON: on invalid JSON its counts may be off, but only past the
first fault, which the parser then refuses without reading further.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import accumulate, count

CHUNK_BYTES = 256 << 10
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_OPENERS_AS_TWO = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")
_ASTRAL_LEAD_BYTES = bytes(range(0xF0, 0x100))

# Upper bounds of what CPython's json module allocates per token (64-bit, CPython 3.11+):
OBJECT_COST = 200  # a dict with its first keys, and the slot that holds it
ARRAY_COST = 72  # an empty list, and its slot
SEPARATOR_COST = 48  # one more slot or dict entry, holding a number (float: 24 B)
QUOTE_COST = 32  # half of a string object's header


@dataclass(frozen=True)
class JsonShape:
    size: int
    objects: int
    arrays: int
    separators: int
    quotes: int
    depth: int
    char_width: int
    """Bytes per character of the decoded text: 1 (ASCII), 2 or 4."""

    @property
    def parse_cost(self) -> int:
        """An upper bound of the bytes ``json.loads`` allocates: the decoded text, the string
        contents, and every container and value."""
        return (
            self.size * (self.char_width + 1)
            + self.objects * OBJECT_COST
            + self.arrays * ARRAY_COST
            + self.separators * SEPARATOR_COST
            + self.quotes * QUOTE_COST
        )


def measure(body: bytes, max_cost: int | None = None) -> JsonShape:
    """Counts first; the nesting depth is only measured (0 otherwise) when the parse cost is
    within ``max_cost``, so a body refused for its size costs no more than the counting."""
    # Escaped backslashes first, then escaped quotes: what remains of `"` delimits strings.
    text = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    objects = arrays = separators = quotes = 0
    for outside, quotes_in_chunk in _outside_strings(text):
        quotes += quotes_in_chunk
        objects += outside.count(b"{")
        arrays += outside.count(b"[")
        separators += outside.count(b",") + outside.count(b":")
    shape = JsonShape(
        size=len(body),
        objects=objects,
        arrays=arrays,
        separators=separators,
        quotes=quotes,
        depth=0,
        char_width=_char_width(body),
    )
    if max_cost is not None and shape.parse_cost > max_cost:
        return shape
    depth = deepest = 0
    for outside, _ in _outside_strings(text):
        depth, deepest = _nesting(outside, depth, deepest)
    return replace(shape, depth=deepest)


def _outside_strings(text: bytes) -> Iterator[tuple[bytes, int]]:
    """Each chunk's bytes outside string literals, and how many quotes it held."""
    in_string = False
    for start in range(0, len(text), CHUNK_BYTES):
        parts = text[start : start + CHUNK_BYTES].split(b'"')
        yield b"".join(parts[1 if in_string else 0 :: 2]), len(parts) - 1
        if len(parts) % 2 == 0:
            in_string = not in_string


def _nesting(outside: bytes, depth: int, deepest: int) -> tuple[int, int]:
    """Openers count 2 and closers 0, so after i brackets the running sum minus i is the depth
    gained since the chunk began; its maximum comes from C iterators, with no Python loop."""
    brackets = outside.translate(_OPENERS_AS_TWO, _NOT_BRACKETS)
    if not brackets:
        return depth, deepest
    rise = max(map(operator.sub, accumulate(brackets), count(1)))
    opened = brackets.count(2)
    return depth + 2 * opened - len(brackets), max(deepest, depth + rise)


def _char_width(body: bytes) -> int:
    if body.isascii():
        return 1
    return 4 if body.translate(None, _ASTRAL_LEAD_BYTES) != body else 2
