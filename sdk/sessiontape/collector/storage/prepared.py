"""A batch made ready to store: parsed, validated, compressed and summarised, before any lock.

Everything here is pure, with arguments and results that pickle, so the collector may run it in a
worker process: the JSON parse and encode of one large event are single C calls that hold the GIL.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass

from sessiontape.codec import BatchLimits, RawEvent, parse_envelope
from sessiontape.collector.storage.batch_facts import BatchFacts


@dataclass(frozen=True)
class EncodedEvents:
    count: int
    payload: bytes
    """The events as one gzipped JSON array, as stored."""
    facts: BatchFacts


@dataclass(frozen=True)
class PreparedBatch:
    session: str
    window: str
    seq: int
    events: EncodedEvents


def prepare_batch(
    body: bytes, limits: BatchLimits, received_at: int, user_agent: str | None = None
) -> PreparedBatch:
    """Raises the codec's DecodeError (LimitError for a limit) on a batch that may not be stored.
    ``user_agent`` is the ingest request's header (None for uploads), see ``BatchFacts``."""
    envelope = parse_envelope(body, limits=limits)
    return PreparedBatch(
        session=envelope.session,
        window=envelope.window,
        seq=envelope.seq,
        events=encode_events(envelope.events, received_at, user_agent),
    )


def encode_events(
    events: list[RawEvent], received_at: int, user_agent: str | None = None
) -> EncodedEvents:
    """One ``json.dumps`` per event, not one for the batch: each call holds the GIL, and a thread
    waiting for it waits for the longest of them."""
    parts = [json.dumps(event, separators=(",", ":")).encode() for event in events]
    payload = gzip.compress(b"[" + b",".join(parts) + b"]", 6)
    return EncodedEvents(len(events), payload, BatchFacts(events, received_at, user_agent))
