"""A 2xx means durable: batches acknowledged before a SIGKILL are all there after a restart."""

from __future__ import annotations

import json
import signal
import threading

import httpx

from sessiontape import Client
from tests.conftest import start_collector, stop_collector
from tests.integration.conftest import batch, click, meta, new_session_id

SENDERS = 6


def test_acknowledged_batches_survive_sigkill(tmp_path):
    collector = start_collector(tmp_path)
    port = int(collector.base_url.rsplit(":", 1)[1])
    sessions = [new_session_id() for _ in range(SENDERS)]
    acknowledged: dict[str, list[int]] = {s: [] for s in sessions}
    enough = threading.Event()

    def send(session: str) -> None:
        with httpx.Client(timeout=5) as http:
            for seq in range(10_000):
                events = [meta("http://shop.test/", seq)] + [click(seq, seq) for _ in range(20)]
                try:
                    response = http.post(
                        collector.url("/v1/ingest"),
                        params={"key": collector.write_key},
                        content=json.dumps(batch(session, seq, events)),
                    )
                except httpx.TransportError:
                    return  # the collector died under us
                if response.status_code == 200:
                    acknowledged[session].append(seq)
                if sum(len(a) for a in acknowledged.values()) >= 300:
                    enough.set()

    threads = [threading.Thread(target=send, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    assert enough.wait(60), "the burst never got going"
    collector.process.send_signal(signal.SIGKILL)
    collector.process.wait()
    for thread in threads:
        thread.join()

    restarted = start_collector(tmp_path, port=port)
    try:
        with Client(restarted.base_url, restarted.read_key) as client:
            for session in (s for s in sessions if acknowledged[s]):
                stored = {e.timestamp for e in client.sessions.fetch(session).events}
                missing = set(acknowledged[session]) - stored
                assert not missing, f"{len(missing)} acknowledged batches lost in {session}"
    finally:
        stop_collector(restarted)
    assert sum(len(a) for a in acknowledged.values()) >= 300
