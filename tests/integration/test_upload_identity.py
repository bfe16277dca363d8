"""Uploading a session's events again stores nothing, however they travel; other events under a
stored session's id are refused with 409."""

from __future__ import annotations

import gzip
import json
import zlib

import httpx
import pytest

from sessiontape import Client, ConflictError, DecodeError, SessiontapeError
from sessiontape.codec import decode_events
from tests.conftest import Collector
from tests.integration.conftest import batch, click, meta, new_session_id

TAB_A, TAB_B = "00000000000000a1", "00000000000000b2"


def _ingest(collector: Collector, body: dict) -> None:
    response = httpx.post(
        collector.url("/v1/ingest"),
        params={"key": collector.write_key},
        content=json.dumps(body).encode(),
        headers={"Content-Type": "text/plain;charset=UTF-8"},
    )
    assert response.json() == {"stored": True}


def _browser_session(collector: Collector, url: str) -> str:
    """A session as browsers send it: two tabs, several batches, interleaved in time."""
    session = new_session_id()
    _ingest(collector, batch(session, 0, [meta(url, 1_000), click(5, 1_010)], TAB_A))
    _ingest(collector, batch(session, 1, [click(6, 1_030), click(6, 1_031)], TAB_A))
    _ingest(collector, batch(session, 0, [meta(url + "?tab=2", 1_020), click(7, 1_021)], TAB_B))
    return session


@pytest.fixture
def client(collector: Collector):
    with Client(collector.base_url, collector.read_key) as st:
        yield st


def _packed(event: dict) -> str:
    return zlib.compress(json.dumps({**event, "v": "v1"}).encode()).decode("latin-1")


def test_reuploading_a_browser_session_in_every_form_stores_nothing(
    collector: Collector, client: Client, tmp_path
):
    session = _browser_session(collector, "http://shop.test/reupload")
    before = client.sessions.get(session)
    recording = client.sessions.fetch(session)
    export = tmp_path / "export.json"
    with export.open("wb") as handle:
        client.sessions.export(session, handle)
    document = json.loads(export.read_bytes())
    raw = document["events"]
    pretty = json.dumps(document, indent=2, sort_keys=True)

    forms = {
        "fetched Recording": client.sessions.upload(recording),
        "exported file": client.sessions.upload_file(export),
        "export as dict": client.sessions.upload(document),
        "export as JSON text": client.sessions.upload(pretty),
        "export as gzipped bytes": client.sessions.upload(gzip.compress(pretty.encode())),
        "typed events": client.sessions.upload(decode_events(raw), session_id=session),
        "packed events": client.sessions.upload([_packed(e) for e in raw], session_id=session),
        "reversed order": client.sessions.upload(raw[::-1], session_id=session),
    }

    for form, result in forms.items():
        assert (form, result.id, result.stored) == (form, session, False)
    after = client.sessions.get(session)
    assert (after.event_count, after.batch_count, after.click_count) == (
        before.event_count,
        before.batch_count,
        before.click_count,
    )
    assert after.event_count == 6
    assert client.sessions.fetch(session).to_rrweb_json() == recording.to_rrweb_json()


def test_cli_import_of_an_export_stores_nothing_new(collector: Collector, client: Client, tmp_path):
    from tests.integration.test_cli_sessions import cli

    session = _browser_session(collector, "http://shop.test/cli-reimport")
    rages = client.sessions.fetch(session).rage_clicks()
    cli(collector, "export", session, "--out", str(tmp_path))
    output = cli(collector, "import", str(tmp_path / f"{session}.json"))
    assert "imported 0 new session(s), 1 already stored" in output
    assert client.sessions.get(session).event_count == 6
    assert client.sessions.fetch(session).rage_clicks() == rages


def test_other_events_under_a_stored_id_are_a_conflict(collector: Collector, client: Client):
    session = _browser_session(collector, "http://shop.test/conflict")
    recording = client.sessions.fetch(session)
    changed = [*recording.events[:-1]]  # one event fewer
    with pytest.raises(ConflictError, match=session) as raised:
        client.sessions.upload(changed, session_id=session)
    assert raised.value.status_code == 409
    assert raised.value.code == "session_conflict"
    extra = [*json.loads(recording.to_rrweb_json()), click(9, 2_000)]
    with pytest.raises(ConflictError):
        client.sessions.upload(extra, session_id=session)
    assert client.sessions.get(session).event_count == 6


def test_an_upload_without_an_id_is_stored_once_in_any_form(client: Client):
    events = [meta("http://shop.test/no-id", 5_000), click(4, 5_010)]
    first = client.sessions.upload(events)
    assert first.stored
    again = [
        client.sessions.upload(json.dumps(events)),
        client.sessions.upload(json.dumps(events).encode()),
        client.sessions.upload(decode_events(events)),
        client.sessions.upload([_packed(e) for e in events]),
        client.sessions.upload([{k: e[k] for k in sorted(e, reverse=True)} for e in events]),
    ]
    assert [(r.id, r.stored) for r in again] == [(first.id, False)] * len(again)
    assert client.sessions.get(first.id).event_count == 2


@pytest.mark.parametrize(
    "source",
    [42, None, "not json", b"\x1f\x8bnot gzip", {"items": []}, [42], ["not packed"]],
)
def test_inputs_that_are_not_recordings_raise_a_typed_error(client: Client, source):
    with pytest.raises(DecodeError) as raised:
        client.sessions.upload(source)
    assert isinstance(raised.value, SessiontapeError)
