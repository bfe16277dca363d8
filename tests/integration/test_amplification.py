"""A few kilobytes of gzip from the public write key must not cost the collector more than
64 MB of memory, nor stall its event loop: the attacker's shapes, up to the decompressed limit."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import Collector, start_collector, stop_collector
from tests.integration.conftest import new_session_id
from tests.integration.process_watch import MIB, HealthProbe, PeakGrowth

DECOMPRESSED_LIMIT = 4 * MIB  # the collector's default
MAX_GROWTH = 64 * MIB
# Batches of 64 KiB or more (decompressed) are parsed and encoded in a worker process, so a parse
# holding the GIL for ~100 ms no longer holds the event loop: /healthz answers within 25 ms here
# for every shape (2 cores), 65 ms with other work on them. The memory bound counts the worker's
# growth too (PeakGrowth sums the process tree).
MAX_HEALTH_STALL_S = 0.1


def head(events: bytes) -> bytes:
    return (
        b'{"v":1,"session":"' + new_session_id().encode() + b'","window":"00000000000000a1",'
        b'"seq":0,"events":' + events + b"}"
    )


def repeated(unit: bytes, size: int, prefix: bytes = b"[", suffix: bytes = b"]") -> bytes:
    return prefix + unit * ((size - len(prefix) - len(suffix)) // len(unit)) + suffix


def event_with(payload: bytes) -> bytes:
    return b'[{"type":5,"timestamp":1,"data":{"tag":"x","payload":' + payload + b"}}]"


SHAPES: dict[str, Callable[[int], bytes]] = {
    "many tiny events [1,1,...]": lambda n: head(repeated(b"1,", n, suffix=b"1]")),
    "many empty objects [{},...]": lambda n: head(repeated(b"{},", n, suffix=b"{}]")),
    "many events {type,timestamp,data}": lambda n: head(
        repeated(
            b'{"type":3,"timestamp":1,"data":{}},', n, suffix=b'{"type":3,"timestamp":1,"data":{}}]'
        )
    ),
    "deep nesting [[[[...]]]]": lambda n: head(b"[" * (n // 2) + b"]" * (n // 2)),
    "deep objects {a:{a:...}}": lambda n: head(
        event_with(b'{"a":' * (n // 6) + b"0" + b"}" * (n // 6))
    ),
    "long string": lambda n: head(event_with(b'"' + b"x" * (n - 100) + b'"')),
    "long escaped string": lambda n: head(event_with(b'"' + b"\\u00e9" * (n // 7) + b'"')),
    "many keys": lambda n: head(
        event_with(b"{" + b",".join(b'"k%d":0' % i for i in range(n // 12)) + b"}")
    ),
    "many empty strings": lambda n: head(event_with(repeated(b'"",', n, suffix=b'""]'))),
    "many small numbers": lambda n: head(event_with(repeated(b"7,", n, suffix=b"7]"))),
    "many floats": lambda n: head(event_with(repeated(b"1.5,", n, suffix=b"1.5]"))),
    "big integers": lambda n: head(event_with(repeated(b"9" * 4000 + b",", n, suffix=b"1]"))),
    "many one-key objects": lambda n: head(event_with(repeated(b'{"a":0},', n, suffix=b"{}]"))),
}


@pytest.fixture
def fresh_collector(tmp_path) -> Iterator[Collector]:
    """A collector of its own, so its memory says what this test's requests cost; its allowance
    of refused batches is opened wide, so every body is parsed rather than turned away."""
    running = start_collector(tmp_path, env={"SESSIONTAPE_INVALID_BURST_PER_CLIENT": "100000"})
    with httpx.Client() as client:  # warm up: code paths and pools are loaded before measuring
        for seq in range(3):
            body = head(
                b'[{"type":4,"timestamp":1,"data":{"href":"http://a/","width":1,"height":1}}]'
            )
            client.post(running.url("/v1/ingest"), params={"key": running.write_key}, content=body)
            assert client.get(running.url(f"/healthz?{seq}")).status_code == 200
    yield running
    stop_collector(running)


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_amplification_shapes_stay_within_64_mb_and_never_stall_the_loop(
    fresh_collector: Collector, shape: str
):
    pid = fresh_collector.process.pid
    answers: list[tuple[int, str]] = []
    bodies = []  # built first: building one holds this process's GIL, and the probe's thread
    for size in (DECOMPRESSED_LIMIT // 4, DECOMPRESSED_LIMIT // 2, DECOMPRESSED_LIMIT):
        body = SHAPES[shape](size - 256)  # room for the envelope around the events
        assert len(body) <= DECOMPRESSED_LIMIT
        bodies.append(gzip.compress(body, 9))
    with (
        httpx.Client(timeout=60) as client,
        PeakGrowth(pid) as growth,
        HealthProbe(fresh_collector.base_url) as probe,
    ):
        for body in bodies:
            response = client.post(
                fresh_collector.url("/v1/ingest"),
                params={"key": fresh_collector.write_key},
                content=body,
            )
            answers.append((response.status_code, response.json().get("error", {}).get("code", "")))
            assert response.status_code in (200, 400, 413), response.text
    print(
        f"{shape}: peak +{growth.grew_bytes / MIB:.1f} MiB, slowest /healthz"
        f" {probe.slowest_s * 1000:.0f} ms over {len(probe.latencies)} polls, answers {answers}"
    )
    assert growth.grew_bytes <= MAX_GROWTH
    assert probe.slowest_s <= MAX_HEALTH_STALL_S
