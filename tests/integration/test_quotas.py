"""What the public write key can cost a site: rate, refused bodies, new sessions, stored bytes,
and which origins may use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Collector, start_collector, stop_collector
from tests.integration.conftest import batch, create_site, meta, new_session_id

HTTP = httpx.Client(timeout=30)


def post(collector: Collector, body: bytes, key: str | None = None, **headers: str):
    return HTTP.post(
        collector.url("/v1/ingest"),
        params={"key": key or collector.write_key},
        content=body,
        headers=headers,
    )


def valid(session: str | None = None, seq: int = 0, filler: str = "") -> bytes:
    events = [meta("http://shop.test/" + filler, 1_000 + seq)]
    return json.dumps(batch(session or new_session_id(), seq, events)).encode()


@pytest.fixture
def limited(tmp_path, request) -> Iterator[Collector]:
    running = start_collector(tmp_path, env=request.param)
    yield running
    stop_collector(running)


def with_env(**env: str):
    return pytest.mark.parametrize(
        "limited", [{f"SESSIONTAPE_{k.upper()}": v for k, v in env.items()}], indirect=True
    )


@with_env(ingest_rate_per_site="0.5", ingest_burst_per_site="5", invalid_burst_per_client="1000")
def test_refused_bodies_never_use_up_the_sites_rate(limited: Collector):
    for body in [b"", b"{", b"[1,1,1]", b"x" * 100] * 10:
        assert post(limited, body).status_code in (400, 413)
    statuses = [post(limited, valid()).status_code for _ in range(5)]
    assert statuses == [200] * 5
    refused = post(limited, valid())
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"


@with_env(invalid_rate_per_client="0.2", invalid_burst_per_client="3")
def test_a_client_sending_refused_bodies_is_slowed_down_alone(limited: Collector):
    # Behind a trusted proxy (here: the loopback), the client is X-Forwarded-For's address.
    attacker = {"X-Forwarded-For": "203.0.113.1"}
    answers = [post(limited, b"[1,1,1]", **attacker) for _ in range(5)]
    assert [a.status_code for a in answers[:3]] == [400, 400, 400]
    slowed = answers[4]
    assert slowed.status_code == 429
    assert slowed.json()["error"]["code"] == "too_many_invalid_batches"
    assert int(slowed.headers["Retry-After"]) >= 1
    assert post(limited, valid(), **attacker).status_code == 429  # unread, until it cools down
    # The same site's other visitors still get through.
    assert post(limited, valid(), **{"X-Forwarded-For": "203.0.113.2"}).status_code == 200


@with_env(max_sessions_per_hour="3")
def test_new_sessions_per_hour_are_capped_with_retry_after(limited: Collector):
    sessions = [new_session_id() for _ in range(3)]
    assert [post(limited, valid(s)).status_code for s in sessions] == [200] * 3
    refused = post(limited, valid())
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "session_quota_exceeded"
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    # Sessions already started keep recording.
    assert post(limited, valid(sessions[0], seq=1)).status_code == 200


@with_env(max_bytes_per_day="3000")
def test_stored_bytes_per_day_are_capped_with_507(limited: Collector):
    session = new_session_id()
    noise = [os.urandom(250).hex() for _ in range(20)]  # stored bytes: gzip cannot shrink it
    answers = [post(limited, valid(session, seq, filler=noise[seq])) for seq in range(20)]
    statuses = [a.status_code for a in answers]
    assert 200 in statuses
    assert 507 in statuses
    full = answers[statuses.index(507)]
    assert full.json()["error"]["code"] == "storage_quota_exceeded"
    assert int(full.headers["Retry-After"]) >= 1
    assert statuses[statuses.index(507) :] == [507] * (20 - statuses.index(507))
    # A duplicate of a stored batch is still acknowledged, not refused.
    assert post(limited, valid(session, 0, filler=noise[0])).status_code == 200


def test_a_site_override_beats_the_collectors_default(tmp_path):
    running = start_collector(tmp_path)
    try:
        keys = create_site(running, "tiny-shop", "https://tiny.example")
        cli = [sys.executable, "-m", "sessiontape.cli", "sites", "update", "tiny-shop"]
        subprocess.run(
            [*cli, "--max-sessions-per-hour", "1", "--data-dir", str(running.data_dir)],
            check=True,
            capture_output=True,
        )
        assert post(running, valid(), keys.write_key).status_code == 200
        assert post(running, valid(), keys.write_key).status_code == 429
        assert post(running, valid()).status_code == 200  # the demo site keeps the default
    finally:
        stop_collector(running)


def test_creating_a_site_needs_its_origins_stated(collector: Collector):
    cli = [sys.executable, "-m", "sessiontape.cli", "sites", "create"]
    missing = subprocess.run(
        [*cli, "no-origins", "--data-dir", str(collector.data_dir)], capture_output=True, text=True
    )
    assert missing.returncode != 0
    assert "--origin" in missing.stderr
    assert "--any-origin" in missing.stderr
    key = create_site(collector, "anywhere-shop").write_key  # --any-origin, stated
    assert post(collector, valid(), key, Origin="https://any.example").status_code == 200


def test_the_demo_site_accepts_its_own_origin_only(collector: Collector):
    own = collector.base_url
    assert post(collector, valid(), Origin=own).status_code == 200
    foreign = post(collector, valid(), Origin="https://evil.example")
    assert foreign.status_code == 403
    assert foreign.json()["error"]["code"] == "origin_not_allowed"
    # A page the browser loaded through a proxy under another address: the Host it addressed.
    proxied = post(collector, valid(), Origin="http://proxy.test:9000", Host="proxy.test:9000")
    assert proxied.status_code == 200
