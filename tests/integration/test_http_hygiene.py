"""Headers on every answer, no 500 from bad input, the error shape everywhere, private files."""

from __future__ import annotations

import base64
import logging
import stat
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessiontape.collector import Settings, create_app
from sessiontape.collector.storage import SQLiteStorage
from tests.conftest import Collector

HTTP = httpx.Client(timeout=30)
API_PATHS = ["/healthz", "/v1/sessions", "/v1/ingest", "/v1/sessions/" + "a" * 32, "/nowhere"]


def test_api_answers_forbid_sniffing_framing_and_everything_active(collector: Collector):
    auth = {"Authorization": f"Bearer {collector.read_key}"}
    for path in API_PATHS:
        for answer in (HTTP.get(collector.url(path), headers=auth), HTTP.post(collector.url(path))):
            assert answer.headers["X-Content-Type-Options"] == "nosniff", path
            assert "default-src 'none'" in answer.headers["Content-Security-Policy"], path
            assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"], path
            assert answer.headers["X-Frame-Options"] == "DENY", path
            assert answer.headers["Referrer-Policy"] == "no-referrer", path


def test_served_pages_and_scripts_forbid_sniffing(collector: Collector):
    for path in ["/recorder.js", "/recorder.mjs", "/demo/", "/demo/css/site.css", "/docs"]:
        answer = HTTP.get(collector.url(path))
        assert answer.status_code == 200, path
        assert answer.headers["X-Content-Type-Options"] == "nosniff", path
    demo = HTTP.get(collector.url("/demo/"))
    assert "frame-ancestors 'self'" in demo.headers["Content-Security-Policy"]
    assert demo.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_demo_page_never_takes_the_recorders_address_from_host(collector: Collector):
    page = HTTP.get(collector.url("/demo/"), headers={"Host": "evil.example"}).text
    assert "evil.example" not in page
    assert '<script src="/recorder.js" data-endpoint="/"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/v1/sessions?cursor=" + base64.urlsafe_b64encode(f"{2**64}:x".encode()).decode(),
        "/v1/sessions?cursor=" + base64.urlsafe_b64encode(f"{-(2**70)}:x".encode()).decode(),
        "/v1/sessions?cursor=" + base64.urlsafe_b64encode(b"-1:x").decode(),
    ],
)
def test_an_overflowing_cursor_is_a_400(collector: Collector, path: str):
    answer = HTTP.get(
        collector.url(path), headers={"Authorization": f"Bearer {collector.read_key}"}
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid_cursor"


def test_a_nul_byte_in_a_demo_path_is_a_404(collector: Collector):
    for path in ["/demo/%00", "/demo/index.html%00.png", "/demo/css/%00/x"]:
        answer = HTTP.get(collector.url(path))
        assert answer.status_code == 404, path
        assert answer.json()["error"]["code"] == "not_found"


def test_an_unexpected_failure_is_a_json_500_with_an_id_in_the_log(tmp_path, caplog):
    app = create_app(Settings(data_dir=tmp_path))

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app) as client, caplog.at_level(logging.ERROR, "sessiontape.collector"):
        answer = client.get("/boom")
    assert answer.status_code == 500
    error = answer.json()["error"]
    assert error["code"] == "internal_error"
    assert "secret internals" not in answer.text
    error_id = error["message"].split("error id ")[1].rstrip(")")
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged
    assert "secret internals" in str(logged[0].exc_info[1])
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.sqlite_only("checks the SQLite files' modes")
def test_the_database_files_are_private(collector: Collector):
    auth = {"Authorization": f"Bearer {collector.read_key}"}
    assert HTTP.get(collector.url("/v1/sessions"), headers=auth).status_code == 200
    for name in ["sessiontape.sqlite3", "sessiontape.sqlite3-wal", "sessiontape.sqlite3-shm"]:
        assert stat.S_IMODE((collector.data_dir / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE((collector.data_dir / "demo-site.json").stat().st_mode) == 0o600


@pytest.mark.sqlite_only("the SQLite file's directory")
def test_a_data_directory_the_collector_creates_is_private(tmp_path):
    storage = SQLiteStorage(tmp_path / "new" / "sessiontape.sqlite3")
    storage.close()
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new" / "sessiontape.sqlite3").stat().st_mode) == 0o600


segments = st.sampled_from(
    [
        "v1",
        "sessions",
        "ingest",
        "events",
        "demo",
        "recorder.js",
        "a" * 32,
        "%00",
        "..",
        "%2e%2e",
        "%ff",
        "\u00e9",
        "index.html",
        "healthz",
        "docs",
        "x" * 300,
    ]
) | st.text(max_size=12).map(lambda text: quote(text, safe=""))
queries = st.dictionaries(
    st.sampled_from(["key", "cursor", "limit", "started_after", "url_contains", "has_clicks", "x"]),
    st.text(max_size=30) | st.integers(-(2**70), 2**70).map(str),
    max_size=3,
)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "PUT", "OPTIONS", "HEAD"]),
    parts=st.lists(segments, min_size=1, max_size=4),
    query=queries,
    body=st.binary(max_size=64),
    with_key=st.booleans(),
)
def test_fuzzed_requests_to_every_route_never_get_a_500(
    collector: Collector, method, parts, query, body, with_key
):
    headers = {"Authorization": f"Bearer {collector.read_key}"} if with_key else {}
    answer = HTTP.request(
        method,
        collector.base_url + "/" + "/".join(parts),
        params=query,
        content=body if method in ("POST", "PUT") else None,
        headers=headers,
    )
    assert answer.status_code < 500, (answer.status_code, answer.text)
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    if answer.status_code >= 400 and method != "HEAD":
        assert answer.json()["error"]["code"]
