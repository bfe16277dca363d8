"""Hostile input: each gets a precise 4xx, the server keeps serving, stored data stays intact."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Collector, start_collector, stop_collector
from tests.integration.conftest import SiteKeys, batch, click, create_site, meta, new_session_id
from tests.integration.process_watch import MIB, PeakGrowth
from tests.stored_rows import select

VALID = batch("f" * 32, 0, [meta("http://shop.test/", 1), click(3, 2)])


HTTP = httpx.Client(timeout=30)


def post(collector: Collector, body: bytes, key: str) -> httpx.Response:
    return HTTP.post(collector.url("/v1/ingest"), params={"key": key}, content=body)


def stored_rows(collector: Collector) -> list[tuple]:
    """Every stored row, as bytes on disk: what must not change when input is refused."""
    return [
        *select(
            collector.data_dir, "SELECT * FROM batches ORDER BY site_id, session_id, window_id, seq"
        ),
        *select(collector.data_dir, "SELECT * FROM sessions ORDER BY site_id, id"),
    ]


@pytest.fixture(scope="module")
def collector(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collector]:
    """A collector of this module's own: it is sent thousands of refused bodies, so its allowance
    of them per client is opened wide (every body is parsed, none turned away unread)."""
    running = start_collector(
        tmp_path_factory.mktemp("hostile"),
        env={"SESSIONTAPE_INVALID_BURST_PER_CLIENT": "1000000"},
    )
    yield running
    stop_collector(running)


@pytest.fixture(scope="module")
def fuzz_site(collector: Collector) -> SiteKeys:
    return create_site(collector, "fuzzing")


def envelope(**changes) -> bytes:
    return json.dumps({**VALID, **changes}).encode()


HOSTILE = {
    "malformed JSON": (b'{"v": 1, "session": ', 400, "invalid_batch"),
    "not an object": (b"[1, 2, 3]", 400, "invalid_batch"),
    "missing field": (
        json.dumps({k: v for k, v in VALID.items() if k != "seq"}).encode(),
        400,
        "invalid_batch",
    ),
    "unknown field": (envelope(extra=True), 400, "invalid_batch"),
    "wrong version": (envelope(v=2), 400, "invalid_batch"),
    "seq as string": (envelope(seq="0"), 400, "invalid_batch"),
    "huge seq": (envelope(seq=2**63), 400, "invalid_batch"),
    "huge integer": (b'{"v": 1, "seq": ' + b"9" * 5000 + b"}", 400, "invalid_batch"),
    "NaN timestamp": (
        envelope(events=[]).replace(b"[]", b'[{"type": 4, "timestamp": NaN, "data": {}}]'),
        400,
        "invalid_batch",
    ),
    "event type out of range": (
        envelope(events=[{"type": 99, "timestamp": 1, "data": {}}]),
        400,
        "invalid_batch",
    ),
    "event without data": (envelope(events=[{"type": 3, "timestamp": 1}]), 400, "invalid_batch"),
    "event not an object": (envelope(events=["x"]), 400, "invalid_batch"),
    "no events": (envelope(events=[]), 400, "invalid_batch"),
    "session id not hex": (envelope(session="../../etc/passwd" + "a" * 16), 400, "invalid_batch"),
    "window id too long": (envelope(window="a" * 100), 400, "invalid_batch"),
    "deep nesting": (
        b'{"v": 1, "events": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        400,
        "invalid_batch",
    ),
    "invalid UTF-8": (envelope().replace(b"shop.test", b"shop\xff\xfe.test"), 400, "invalid_batch"),
    "truncated gzip": (gzip.compress(envelope())[:-8], 400, "invalid_batch"),
    "gzip bomb": (gzip.compress(b"[" + b" " * (200 << 20) + b"]"), 413, "body_too_large"),
    "4 KB of gzip, a million tiny events": (
        gzip.compress(envelope(events=[]).replace(b"[]", b"[" + b"1," * 1_000_000 + b"1]"), 9),
        413,
        "batch_too_complex",
    ),
    "a million empty objects": (
        gzip.compress(envelope(events=[]).replace(b"[]", b"[" + b"{}," * 1_000_000 + b"{}]"), 9),
        413,
        "batch_too_complex",
    ),
    "a thousand tiny events": (
        gzip.compress(envelope(events=[]).replace(b"[]", b"[" + b"1," * 1_000 + b"1]"), 9),
        400,
        "invalid_batch",
    ),
    "infinite float": (
        envelope(events=[]).replace(b"[]", b'[{"type": 5, "timestamp": 1, "data": {"x": 1e999}}]'),
        400,
        "invalid_batch",
    ),
    "duplicate field": (envelope()[:-1] + b', "seq": 1}', 400, "invalid_batch"),
    "oversized body": (b"{" + b" " * (8 << 20) + b"}", 413, "body_too_large"),
    "empty body": (b"", 400, "empty_body"),
    "too many events": (envelope(events=[click(1, 1)] * 6_000), 413, "too_many_events"),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_batches_are_refused_and_change_nothing(collector: Collector, case: str):
    body, status, code = HOSTILE[case]
    post(collector, gzip.compress(envelope(session=new_session_id())), collector.write_key)
    before = stored_rows(collector)
    response = post(collector, body, collector.write_key)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert stored_rows(collector) == before
    assert httpx.get(collector.url("/healthz")).status_code == 200


def test_keys_never_cross_sites(collector: Collector, fuzz_site: SiteKeys):
    before = stored_rows(collector)
    assert post(collector, envelope(), "st_pk_nobody").status_code == 401
    assert post(collector, envelope(), fuzz_site.read_key).status_code == 401
    headers = {"Authorization": f"Bearer {fuzz_site.read_key}"}
    own = new_session_id()
    assert post(collector, envelope(session=own), collector.write_key).status_code == 200
    assert httpx.get(collector.url(f"/v1/sessions/{own}"), headers=headers).status_code == 404
    assert httpx.delete(collector.url(f"/v1/sessions/{own}"), headers=headers).status_code == 404
    assert len(stored_rows(collector)) == len(before) + 2


def test_read_api_refuses_bad_parameters(collector: Collector):
    headers = {"Authorization": f"Bearer {collector.read_key}"}
    for path, code in [
        ("/v1/sessions?limit=0", "invalid_request"),
        ("/v1/sessions?limit=100000", "invalid_request"),
        ("/v1/sessions?cursor=%%%", "invalid_cursor"),
        ("/v1/sessions?started_after=-5", "invalid_request"),
        ("/v1/sessions?started_after=9223372036854775808", "invalid_request"),
        ("/v1/sessions?min_duration_ms=9999999978525163519", "invalid_request"),
        ("/v1/sessions/not-a-session-id", "invalid_request"),
    ]:
        response = httpx.get(collector.url(path), headers=headers)
        assert response.status_code == 400, path
        assert response.json()["error"]["code"] == code, path
    for auth in ["", "Bearer", "Basic abc", f"Bearer {collector.write_key}"]:
        response = httpx.get(collector.url("/v1/sessions"), headers={"Authorization": auth})
        assert response.status_code in (401, 403), auth


def test_a_write_key_is_rate_limited_with_retry_after(tmp_path):
    limited = start_collector(
        tmp_path,
        env={"SESSIONTAPE_INGEST_RATE_PER_SITE": "1", "SESSIONTAPE_INGEST_BURST_PER_SITE": "3"},
    )
    try:
        statuses = [
            post(limited, envelope(session=new_session_id()), limited.write_key).status_code
            for _ in range(5)
        ]
        refused = post(limited, envelope(session=new_session_id()), limited.write_key)
    finally:
        stop_collector(limited)
    assert statuses[:3] == [200, 200, 200]
    assert 429 in statuses[3:]
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
mutated_envelopes = st.fixed_dictionaries(
    {},
    optional={
        "v": st.sampled_from([1, 2, "1", None]),
        "session": st.sampled_from(["f" * 32, "F" * 32, "", "x" * 32]) | st.text(max_size=40),
        "window": st.sampled_from(["a" * 16, "a" * 15]) | st.text(max_size=20),
        "seq": st.integers(min_value=-(2**70), max_value=2**70) | json_values,
        "events": st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.integers(-2, 9) | json_values,
                    "timestamp": st.integers(-5, 2**60) | json_values,
                },
                optional={"data": json_values},
            ),
            max_size=5,
        )
        | json_values,
    },
)
bodies = (
    mutated_envelopes.map(lambda d: json.dumps(d).encode())
    | st.binary(max_size=300)
    | st.binary(max_size=300).map(gzip.compress)
    | mutated_envelopes.map(lambda d: gzip.compress(json.dumps(d).encode()))
)


@settings(max_examples=2_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=bodies)
def test_fuzzed_batches_never_break_the_collector(
    collector: Collector, fuzz_site: SiteKeys, body: bytes
):
    response = post(collector, body, fuzz_site.write_key)
    assert response.status_code in (200, 400, 413, 429), response.text
    if response.status_code != 200:
        assert response.json()["error"]["message"]


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "limit",
                "cursor",
                "started_after",
                "started_before",
                "url_contains",
                "min_duration_ms",
                "has_clicks",
            ]
        ),
        st.text(max_size=30) | st.integers(-(2**70), 2**70).map(str),
        max_size=4,
    ),
    session=st.text(max_size=40),
)
def test_fuzzed_reads_never_break_the_collector(
    collector: Collector, fuzz_site: SiteKeys, params, session
):
    headers = {"Authorization": f"Bearer {fuzz_site.read_key}"}
    listing = HTTP.get(collector.url("/v1/sessions"), params=params, headers=headers)
    assert listing.status_code in (200, 400), listing.text
    one = HTTP.get(collector.url("/v1/sessions/") + quote(session, safe=""), headers=headers)
    assert one.status_code in (200, 307, 400, 404), one.text


def test_a_write_key_only_ingests_from_its_sites_origins(collector: Collector):
    key = create_site(collector, "strict-shop", "https://shop.example").write_key
    body = envelope(session=new_session_id())

    allowed = HTTP.post(
        collector.url("/v1/ingest"),
        params={"key": key},
        content=body,
        headers={"Origin": "https://shop.example"},
    )
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://shop.example"

    before = stored_rows(collector)
    foreign = HTTP.post(
        collector.url("/v1/ingest"),
        params={"key": key},
        content=envelope(session=new_session_id()),
        headers={"Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    assert foreign.json()["error"]["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in foreign.headers
    assert stored_rows(collector) == before


AMPLIFIERS = [b"1,", b"{},", b"[],", b'"",', b'{"a":0},', b"1.5,", b'"xy",', b"null,", b"-0.0e-7,"]
amplified_bodies = st.builds(
    lambda unit, size, inside_event, nest: envelope(events=[]).replace(
        b"[]",
        (b'[{"type":5,"timestamp":1,"data":{"tag":"t","payload":' if inside_event else b"")
        + b"[" * nest
        + unit * (size // len(unit))
        + b"0"
        + b"]" * nest
        + (b"}}]" if inside_event else b""),
    ),
    unit=st.sampled_from(AMPLIFIERS),
    size=st.integers(1_000, 4 * MIB - 1_000),
    inside_event=st.booleans(),
    nest=st.sampled_from([1, 2, 50, 600]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=amplified_bodies)
def test_amplification_shapes_cost_at_most_64_mb_each(
    collector: Collector, fuzz_site: SiteKeys, body: bytes
):
    with PeakGrowth(collector.process.pid) as growth:
        response = post(collector, gzip.compress(body, 6), fuzz_site.write_key)
    assert response.status_code in (200, 400, 413), response.text
    assert growth.grew_bytes <= 64 * MIB, (len(body), response.text)
