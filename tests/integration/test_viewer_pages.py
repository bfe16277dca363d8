"""The viewer's pages over real HTTP: sign-in and sign-out, the list and its filters, the
session page and its data, one site's sessions only, and the headers every page carries."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Collector
from tests.integration.conftest import SiteKeys, create_site
from tests.integration.viewer_session import T0, crafted_events, upload

VIEWER_ROUTES = [
    "/",
    "/signin",
    "/signin/demo",
    "/sessions",
    "/sessions/{id}",
    "/sessions/{id}/events",
    "/sessions/{id}/timeline",
    "/sessions/0123456789abcdef0123456789abcdef",
    "/heatmaps",
    "/heatmaps?url=/cart",
    "/heatmaps/clicks?url=/cart",
    "/docs",
    "/docs/apidocs.js",
    "/viewer/pages.css",
    "/viewer/viewer.js",
    "/viewer/heatmap.js",
]


@pytest.fixture(scope="module")
def shop(collector: Collector) -> SiteKeys:
    return create_site(collector, "viewer-shop")


@pytest.fixture(scope="module")
def shop_session(collector: Collector, shop: SiteKeys) -> str:
    return upload(collector, shop.read_key, crafted_events())


@pytest.fixture
def browser_like(collector: Collector) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=collector.base_url, follow_redirects=False) as client:
        yield client


def sign_in(client: httpx.Client, key: str) -> httpx.Response:
    return client.post(
        "/signin", data={"key": key, "next": "/sessions"}, headers={"Origin": str(client.base_url)}
    )


def test_an_unsigned_visitor_is_sent_to_the_sign_in_form(browser_like: httpx.Client):
    assert browser_like.get("/").headers["location"] == "/signin"
    answer = browser_like.get("/sessions?url=cart")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/signin?next=%2Fsessions%3Furl%3Dcart"
    form = browser_like.get("/signin").text
    assert 'name="key"' in form
    assert 'type="password"' in form


def test_a_read_key_becomes_an_httponly_strict_cookie_and_nothing_else(
    browser_like: httpx.Client, shop: SiteKeys
):
    answer = sign_in(browser_like, shop.read_key)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sessions"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("st_viewer=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/" in cookie
    assert shop.read_key not in cookie
    assert shop.read_key not in answer.headers["location"]
    page = browser_like.get("/sessions")
    assert page.status_code == 200
    assert "viewer-shop" in page.text
    assert shop.read_key not in page.text


@pytest.mark.parametrize(
    ("key", "message"),
    [("st_sk_not-a-real-key-at-all", "belongs to no site"), ("st_pk_whatever", "write key")],
)
def test_a_wrong_key_is_refused_with_a_reason(browser_like: httpx.Client, key: str, message: str):
    answer = sign_in(browser_like, key)
    assert answer.status_code == 401
    assert message in answer.text
    assert "set-cookie" not in answer.headers


def test_a_sign_in_posted_from_another_site_is_refused(browser_like: httpx.Client, shop: SiteKeys):
    answer = browser_like.post(
        "/signin", data={"key": shop.read_key}, headers={"Origin": "https://evil.example"}
    )
    assert answer.status_code == 403
    assert "set-cookie" not in answer.headers


def test_next_never_leaves_the_collector(browser_like: httpx.Client, shop: SiteKeys):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        answer = browser_like.post(
            "/signin",
            data={"key": shop.read_key, "next": target},
            headers={"Origin": str(browser_like.base_url)},
        )
        assert answer.headers["location"] == "/sessions"


def test_signing_out_ends_the_cookie_on_the_server(browser_like: httpx.Client, shop: SiteKeys):
    sign_in(browser_like, shop.read_key)
    cookie = browser_like.cookies["st_viewer"]
    out = browser_like.post("/signout", headers={"Origin": str(browser_like.base_url)})
    assert out.status_code == 303
    assert out.headers["location"] == "/signin"
    with httpx.Client(base_url=browser_like.base_url, cookies={"st_viewer": cookie}) as stale:
        replayed = stale.get("/sessions", follow_redirects=False)
    assert replayed.status_code == 303
    assert replayed.headers["location"].startswith("/signin")


def test_the_list_shows_the_sites_sessions_with_their_counts(
    browser_like: httpx.Client, shop: SiteKeys, shop_session: str
):
    sign_in(browser_like, shop.read_key)
    page = browser_like.get("/sessions").text
    row = re.search(rf'<tr data-session-id="{shop_session}">(.*?)</tr>', page, re.S)
    assert row, page
    cells = row.group(1)
    assert re.search(r'data-col="pages">2<', cells)
    assert re.search(r'data-col="clicks">4<', cells)
    assert "Chrome" in cells
    assert "Linux" in cells
    assert "0:12" in cells
    assert "rage 1" in cells
    assert f'href="/sessions/{shop_session}"' in cells


def test_filters_live_in_the_query_string(
    browser_like: httpx.Client, collector: Collector, shop: SiteKeys, shop_session: str
):
    short = upload(collector, shop.read_key, crafted_events()[:3])  # one page, no clicks
    sign_in(browser_like, shop.read_key)

    def listed(query: str) -> set[str]:
        answer = browser_like.get("/sessions" + query)
        assert answer.status_code == 200, answer.text
        return set(re.findall(r'<tr data-session-id="([0-9a-f]{32})"', answer.text))

    assert {shop_session, short} <= listed("")
    assert shop_session in listed("?url=cart")
    assert short not in listed("?url=cart")
    assert shop_session in listed("?min_duration=10")
    assert short not in listed("?min_duration=10")
    assert shop_session in listed("?clicks=1")
    assert short not in listed("?clicks=1")
    assert shop_session in listed("?rage=1")
    assert short not in listed("?rage=1")
    assert shop_session in listed("?dead=1")
    assert short not in listed("?dead=1")
    start = "2025-11-30T10:53"  # T0 is 2025-11-30 10:53:20 UTC
    assert shop_session in listed(f"?from={start}")
    assert not listed("?to=" + start) & {shop_session}
    assert 'value="cart"' in browser_like.get("/sessions?url=cart").text  # the form keeps it


def test_a_filter_it_cannot_read_says_so(browser_like: httpx.Client, shop: SiteKeys):
    sign_in(browser_like, shop.read_key)
    answer = browser_like.get("/sessions?from=yesterday-ish")
    assert answer.status_code == 400
    assert "From" in answer.text
    assert "2026-11-30T09:30" in answer.text
    assert browser_like.get("/sessions?cursor=bogus").status_code == 400


def test_the_session_page_carries_the_player_contract(
    browser_like: httpx.Client, shop: SiteKeys, shop_session: str
):
    sign_in(browser_like, shop.read_key)
    page = browser_like.get(f"/sessions/{shop_session}?t=2500").text
    assert f'data-session-id="{shop_session}"' in page
    assert 'data-start-ms="2500"' in page
    assert '<script src="/viewer/viewer.js" defer></script>' in page
    assert "<script>" not in page  # nothing inline


def test_the_timeline_describes_the_session(
    browser_like: httpx.Client, shop: SiteKeys, shop_session: str
):
    sign_in(browser_like, shop.read_key)
    timeline = browser_like.get(f"/sessions/{shop_session}/timeline").json()
    assert timeline["started_at"] == T0
    assert timeline["duration_ms"] == 12_000
    assert [p["url"] for p in timeline["pages"]] == [
        "https://shop.example/",
        "https://shop.example/cart",
    ]
    assert [c["at"] - T0 for c in timeline["clicks"]] == [2_000, 2_200, 2_400, 9_000]
    assert [c["rage"] for c in timeline["clicks"]] == [True, True, True, False]
    assert [(t["value"], t["at"] - T0) for t in timeline["typed"]] == [("Paris", 4_000)]
    assert timeline["gaps"] == [{"at": T0 + 5_000, "dropped": 7}]
    client = timeline["client"]
    assert client["browser"] == "Chrome"
    assert client["time_zone"] == "Europe/Paris"
    assert client["referrer"] == "https://search.example/"


def test_events_stream_as_ndjson_in_time_order(
    browser_like: httpx.Client, shop: SiteKeys, shop_session: str
):
    sign_in(browser_like, shop.read_key)
    answer = browser_like.get(f"/sessions/{shop_session}/events")
    assert answer.headers["content-type"].startswith("application/x-ndjson")
    events = [json.loads(line) for line in answer.text.splitlines()]
    assert events == sorted(events, key=lambda e: e["timestamp"])
    assert len(events) == 12


def test_another_sites_session_is_not_found(
    browser_like: httpx.Client, collector: Collector, shop_session: str
):
    other = create_site(collector, "viewer-other")
    sign_in(browser_like, other.read_key)
    assert browser_like.get(f"/sessions/{shop_session}").status_code == 404
    assert browser_like.get(f"/sessions/{shop_session}/events").status_code == 404
    assert browser_like.get(f"/sessions/{shop_session}/timeline").status_code == 404
    assert shop_session not in browser_like.get("/sessions").text


def test_data_needs_a_sign_in(browser_like: httpx.Client, shop_session: str):
    assert browser_like.get(f"/sessions/{shop_session}/events").status_code == 401
    assert browser_like.get(f"/sessions/{shop_session}/timeline").status_code == 401
    # the API's Bearer key does not open the viewer's data, nor the cookie the API
    assert browser_like.get("/sessions/not-an-id").status_code == 303


@pytest.mark.parametrize("path", VIEWER_ROUTES)
def test_every_viewer_route_forbids_inline_and_foreign_script(
    browser_like: httpx.Client, shop: SiteKeys, shop_session: str, path: str
):
    sign_in(browser_like, shop.read_key)
    answer = browser_like.get(path.format(id=shop_session))
    assert answer.status_code in (200, 303, 404), answer.text
    csp = answer.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"


def test_api_docs_load_nothing_from_another_host(browser_like: httpx.Client):
    page = browser_like.get("/docs").text
    assert not re.search(r'(src|href)="(https?:)?//', page)
    for asset in re.findall(r'(?:src|href)="(/docs/[^"]+)"', page):
        assert browser_like.get(asset).status_code == 200, asset


def test_one_click_demo_sign_in_only_by_a_loopback_name(collector: Collector):
    with httpx.Client(base_url=collector.base_url) as local:
        page = local.get("/signin/demo")
        assert page.status_code == 200
        answer = local.post(
            "/signin/demo", headers={"Origin": collector.base_url}, follow_redirects=False
        )
        assert answer.status_code == 303
        assert "st_viewer" in answer.headers["set-cookie"]
    with httpx.Client(
        base_url=collector.base_url, headers={"Host": "viewer.evil.example"}
    ) as rebound:
        assert rebound.get("/signin/demo").status_code == 403
        refused = rebound.post("/signin/demo", headers={"Origin": "http://viewer.evil.example"})
        assert refused.status_code == 403
        assert "set-cookie" not in refused.headers
