"""A large batch is prepared in a worker process: the stored result, and every refusal with its
code, path and message, must be what the collector's own process would have produced."""

from __future__ import annotations

import gzip

from sessiontape.codec import BatchLimits, DecodeError
from sessiontape.collector.batch_workers import BatchWorkers
from sessiontape.collector.storage.prepared import PreparedBatch, prepare_batch
from tests.conftest import run_async

LIMITS = BatchLimits(max_event_chars=200_000)


def envelope(events: bytes, seq: bytes = b"0") -> bytes:
    return (
        b'{"v":1,"session":"'
        + b"a" * 32
        + b'","window":"'
        + b"b" * 16
        + b'","seq":'
        + seq
        + b',"events":'
        + events
        + b"}"
    )


def event(text_size: int) -> bytes:
    return b'{"type":3,"timestamp":7,"data":{"source":5,"text":"' + b"y" * text_size + b'"}}'


BODIES = {
    "accepted": envelope(b"[" + event(150_000) + b"]"),
    "accepted, gzipped": gzip.compress(envelope(b"[" + event(150_000) + b"]")),
    "event too large": envelope(b"[" + event(250_000) + b"]"),
    "not an object": envelope(b"[" + event(150_000) + b",7]"),
    "bad seq": envelope(b"[" + event(150_000) + b"]", seq=b"-1"),
    "truncated": envelope(b"[" + event(150_000) + b"]")[:100_000],
}


Outcome = tuple[object, ...]


def stored(batch: PreparedBatch) -> Outcome:
    """What the storage takes from a prepared batch (gzip's header holds a time: left out)."""
    facts = vars(batch.events.facts)
    events = gzip.decompress(batch.events.payload)
    return (batch.session, batch.window, batch.seq, batch.events.count, events, facts)


def refusal(exc: DecodeError) -> Outcome:
    return (type(exc).__name__, getattr(exc, "code", ""), exc.path, str(exc))


def outcome(body: bytes) -> Outcome:
    try:
        return stored(prepare_batch(body, LIMITS, 1))
    except DecodeError as exc:
        return refusal(exc)


def test_a_worker_process_prepares_large_batches_as_the_collector_would() -> None:
    async def in_worker() -> dict[str, Outcome]:
        workers = BatchWorkers(processes=1, min_bytes=64 << 10)
        await workers.start()
        results: dict[str, Outcome] = {}
        try:
            for name, body in BODIES.items():
                try:
                    results[name] = stored(await workers.prepare(body, LIMITS, 1))
                except DecodeError as exc:
                    results[name] = refusal(exc)
        finally:
            workers.close()
        return results

    there = run_async(in_worker())  # Playwright may hold a loop on this thread
    for name, body in BODIES.items():
        assert there[name] == outcome(body), name
    assert there["accepted"][2:5] == (0, 1, b"[" + event(150_000) + b"]")
    assert there["event too large"][:3] == ("EventTooLargeError", "event_too_large", "events[0]")
    assert there["bad seq"][:3] == ("DecodeError", "", "seq")
    assert there["truncated"][0] == "DecodeError"
