"""The ingest rate limit holds per site across collector processes sharing one PostgreSQL
database: a burst of 3 is 3 batches in all, not 3 per process."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx

from tests.conftest import start_collector, stop_collector
from tests.integration.conftest import batch, meta

BURST = 3


def test_two_collectors_share_one_sites_burst(database_url: str, tmp_path: Path):
    env = {
        "SESSIONTAPE_DATABASE_URL": database_url,
        "SESSIONTAPE_INGEST_RATE_PER_SITE": "0.05",  # one token per 20 s: none refills here
        "SESSIONTAPE_INGEST_BURST_PER_SITE": str(BURST),
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = start_collector(tmp_path / "a", env=env)
    shutil.copy(tmp_path / "a" / "demo-site.json", tmp_path / "b" / "demo-site.json")
    second = start_collector(tmp_path / "b", env=env)
    try:
        answers = []
        for seq in range(4 * BURST):
            target = (first, second)[seq % 2]
            body = batch("c" * 32, seq, [meta("https://shop.example/", 1_000 + seq)])
            answers.append(
                httpx.post(target.url("/v1/ingest"), params={"key": first.write_key}, json=body)
            )
    finally:
        stop_collector(first)
        stop_collector(second)
    statuses = [answer.status_code for answer in answers]
    assert statuses.count(200) == BURST, statuses
    assert statuses.count(429) == 3 * BURST
    limited = [answer for answer in answers if answer.status_code == 429]
    assert all(int(answer.headers["Retry-After"]) >= 1 for answer in limited)
    assert {answer.json()["error"]["code"] for answer in limited} == {"rate_limited"}
