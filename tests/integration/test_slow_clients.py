"""Slow clients (slowloris) against a real ``sessiontape serve``: their sockets are closed on time,
and a request that arrives whole is served meanwhile."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Collector, run_async, start_collector, stop_collector

HEADER_TIMEOUT = 2.0
BODY_TIMEOUT = 3.0
SLACK = 2.0
DRIP_EVERY = 0.5
PARTIAL_HEADERS = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "


@pytest.fixture(scope="module")
def strict_collector(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collector]:
    running = start_collector(
        tmp_path_factory.mktemp("slow"),
        env={
            "SESSIONTAPE_HEADER_TIMEOUT": str(HEADER_TIMEOUT),
            "SESSIONTAPE_BODY_TIMEOUT": str(BODY_TIMEOUT),
            "SESSIONTAPE_MAX_CONNECTIONS": "200",
        },
    )
    yield running
    stop_collector(running)


async def _slow_client(port: int, first: bytes, drip: bytes, give_up: float) -> float | None:
    """Sends ``first``, then ``drip`` every DRIP_EVERY seconds; seconds until the server closed
    the connection, or None if it was still open after ``give_up`` seconds."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        if first:
            writer.write(first)
        while loop.time() - started < give_up:
            try:
                if await asyncio.wait_for(reader.read(4096), DRIP_EVERY) == b"":
                    return loop.time() - started
            except TimeoutError:
                if drip:
                    writer.write(drip)
                    await writer.drain()
    except (ConnectionResetError, BrokenPipeError):
        return loop.time() - started
    finally:
        writer.close()
    return None


async def _timed_get(base_url: str, path: str, after: float) -> tuple[int, float]:
    await asyncio.sleep(after)
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        started = time.monotonic()
        response = await http.get(path)
        return response.status_code, time.monotonic() - started


def _attack(collector: Collector, clients: list[tuple[bytes, bytes]], give_up: float) -> tuple:
    port = int(collector.base_url.rsplit(":", 1)[1])

    async def attack() -> tuple[list[float | None], tuple[int, float]]:
        slow = [_slow_client(port, first, drip, give_up) for first, drip in clients]
        legit = _timed_get(collector.base_url, "/healthz", after=1.0)
        *closed, served = await asyncio.gather(*slow, legit)
        return closed, served

    return run_async(attack())


def test_slow_headers_are_cut_off_while_real_requests_are_served(strict_collector: Collector):
    dripping = [(PARTIAL_HEADERS, b"a")] * 150
    silent = [(b"", b"")] * 20  # connect and say nothing
    closed, (status, seconds) = _attack(strict_collector, dripping + silent, give_up=15)

    assert status == 200
    assert seconds < 1.0, f"a whole request waited {seconds:.2f} s behind slow clients"
    still_open = [c for c in closed if c is None]
    assert not still_open, f"{len(still_open)} slow connections outlived the header timeout"
    assert max(c for c in closed if c is not None) < HEADER_TIMEOUT + SLACK


def test_a_slow_body_is_cut_off(strict_collector: Collector):
    headers = (
        b"POST /v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Authorization: Bearer " + strict_collector.read_key.encode() + b"\r\n"
        b"Content-Length: 100000\r\n\r\n{"
    )
    closed, (status, _) = _attack(strict_collector, [(headers, b" ")] * 30, give_up=15)

    assert status == 200
    assert all(c is not None and c < BODY_TIMEOUT + SLACK for c in closed), closed


def test_past_the_connection_limit_the_longest_waiting_makes_room(strict_collector: Collector):
    """200 connections at most: 300 slow clients cannot lock a whole request out."""
    closed, (status, seconds) = _attack(
        strict_collector, [(PARTIAL_HEADERS, b"a")] * 300, give_up=15
    )

    assert status == 200
    assert seconds < 1.0
    early = [c for c in closed if c is not None and c < HEADER_TIMEOUT - 0.5]
    assert len(early) >= 100, "the oldest slow clients should have made room for newer ones"
