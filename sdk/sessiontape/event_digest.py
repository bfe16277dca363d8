"""What identifies a recording's events: a digest that does not depend on how they travelled.

The same events may arrive as browser batches from several windows, as one uploaded whole, as a
pretty-printed export or as typed models encoded back; their JSON differs in key order, spacing
and event order (windows interleave by timestamp). Each event is reduced to canonical JSON (keys
sorted, no spaces) and hashed; the digest is the count of events and the sum of their hashes, so
it is the same for the same events in any order and can be computed one event at a time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

_MODULUS = 1 << 256


def canonical_event(event: dict[str, Any]) -> bytes:
    return json.dumps(event, separators=(",", ":"), sort_keys=True).encode()


class EventsDigest:
    """The multiset of a recording's events, as a count and a sum of SHA-256 hashes."""

    def __init__(self, events: Iterable[dict[str, Any]] = ()) -> None:
        self.count = 0
        self._sum = 0
        self.update(events)

    def add(self, event: dict[str, Any]) -> None:
        hashed = int.from_bytes(hashlib.sha256(canonical_event(event)).digest(), "big")
        self._sum = (self._sum + hashed) % _MODULUS
        self.count += 1

    def update(self, events: Iterable[dict[str, Any]]) -> None:
        for event in events:
            self.add(event)

    def hexdigest(self) -> str:
        return f"{self.count:x}:{self._sum:064x}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EventsDigest) and self.hexdigest() == other.hexdigest()

    def __hash__(self) -> int:
        return hash(self.hexdigest())
