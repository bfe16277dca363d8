"""Heatmap and click insight endpoints over real HTTP, on crafted sessions whose every click,
scroll and viewport is known: the answers must count exactly what was sent."""

from __future__ import annotations

import httpx
import pytest

from sessiontape import AsyncClient, Client
from sessiontape.insight_types import ClickExample, ElementClicks
from tests.conftest import Collector, run_async
from tests.integration.conftest import SiteKeys
from tests.integration.insight_events import (
    BUTTON,
    LINK,
    PARAGRAPH,
    batch,
    click,
    mutation,
    new_session_id,
    page_start,
    scroll,
)
from tests.integration.test_insights import T0, ingest

BUY, MORE, WORDS = "button#buy", "a#more", "p#words"


@pytest.fixture
def host() -> str:
    return f"http://shop-{new_session_id()[:10]}.test"


@pytest.fixture(scope="module")
def client(collector: Collector):
    with Client(collector.base_url, collector.read_key) as sdk:
        yield sdk


def visit(
    collector: Collector, url: str, events: list[dict], width: int = 1280, at: int = T0
) -> str:
    session = new_session_id()
    ingest(collector, batch(session, 0, page_start(url, at, width=width)))
    ingest(collector, batch(session, 1, events))
    return session


def by_target(heatmap) -> dict[str, int]:
    return {element.target: element.clicks for element in heatmap.elements}


def test_click_heatmap_counts_each_element_and_places_clicks_in_its_box(collector, client, host):
    box = [100, 200, 80, 40]  # the button: left, top, width, height in the viewport
    visit(
        collector, f"{host}/", [click(BUTTON, T0 + 10, 120, 210, box), click(LINK, T0 + 20, 5, 5)]
    )
    visit(
        collector,
        f"{host}/?utm=mail#top",  # the same page: query string and fragment are ignored
        [
            scroll(500, T0 + 5),
            click(BUTTON, T0 + 10, 170, 230, box),
            click(BUTTON, T0 + 900, 170, 230, box),
        ],
    )

    heatmap = client.insights.click_heatmap(f"{host}/")

    assert (heatmap.clicks, heatmap.sessions) == (4, 2)
    assert by_target(heatmap) == {BUY: 3, MORE: 1}  # paths start at an id
    button = heatmap.elements[0]
    assert button.sessions == 2
    offsets = {(round(p.x, 3), round(p.y, 3)): p.clicks for p in button.offsets}
    assert offsets == {
        (0.275, 0.275): 1,
        (0.875, 0.775): 2,
    }  # cells of 1/20: (20/80, 10/40), (70/80, 30/40)
    points = {(p.x, p.y): p.clicks for p in heatmap.points}
    assert points == {
        (125.0, 215.0): 1,
        (5.0, 5.0): 1,
        (175.0, 735.0): 2,
    }  # page y = 230 + scroll 500
    assert heatmap.snapshot is not None
    assert heatmap.snapshot.viewport_width == 1280
    assert (heatmap.snapshot.at, heatmap.snapshot.last_at) == (T0, T0 + 900)  # the second visit


def test_a_pattern_groups_pages_by_path_segment(collector, client, host):
    visit(collector, f"{host}/product/1", [click(BUTTON, T0 + 10)])
    visit(collector, f"{host}/product/22?ref=x", [click(BUTTON, T0 + 10), click(LINK, T0 + 20)])
    visit(collector, f"{host}/product/1/reviews", [click(LINK, T0 + 10)])

    grouped = client.insights.click_heatmap(pattern=f"{host}/product/*")
    one = client.insights.click_heatmap(f"{host}/product/1")

    assert (grouped.clicks, grouped.sessions) == (3, 2)
    assert (one.clicks, one.sessions) == (1, 1)


def test_viewport_buckets_and_time_range(collector, client, host):
    url = f"{host}/"
    visit(collector, url, [click(BUTTON, T0 + 10)], width=375)
    visit(collector, url, [click(BUTTON, T0 + 10)], width=800)
    visit(collector, url, [click(BUTTON, T0 + 10), click(LINK, T0 + 20)], width=1024)
    visit(collector, url, [click(LINK, T0 + 5_010)], width=1024, at=T0 + 5_000)

    def clicks(**filters) -> int:
        return client.insights.click_heatmap(url, **filters).clicks

    assert [clicks(viewport=v) for v in ("mobile", "tablet", "desktop")] == [1, 1, 3]
    assert clicks() == 5
    assert clicks(after=T0 + 5_000) == 1
    assert clicks(before=T0 + 5_000) == 4


def test_scroll_map_shares_equal_the_depths_reached(collector, client, host):
    url = f"{host}/long"
    for deepest in (0, 1000, 1000, 3000):  # four sessions, viewport 800 px high
        events = [scroll(deepest / 2, T0 + 10), scroll(deepest, T0 + 20)] if deepest else []
        visit(collector, url, [*events, mutation(T0 + 30)])

    shares = {d.depth_px: d.share for d in client.insights.scroll_map(url, step_px=100).depths}

    assert client.insights.scroll_map(url).sessions == 4
    assert (shares[0], shares[800], shares[900]) == (1.0, 1.0, 0.75)
    assert (shares[1800], shares[1900], shares[3800]) == (0.75, 0.25, 0.25)
    assert max(shares) == 3800


def test_click_insights_lists_top_rage_dead_and_unclickable_elements(collector, client, host):
    url = f"{host}/cart"
    rage = visit(collector, url, [click(PARAGRAPH, T0 + 100 + i * 100) for i in range(3)])
    dead = visit(
        collector, url, [click(BUTTON, T0 + 100), click(BUTTON, T0 + 5000), mutation(T0 + 6500)]
    )

    found = client.insights.click_insights(url, limit=5)
    slower = client.insights.click_insights(url, dead_window_ms=2_000, rage_clicks=2)
    wider = client.insights.click_insights(url, rage_window_ms=150)

    assert found.clicks == 5
    assert found.thresholds.rage_clicks == 3
    assert [(e.target, e.clicks) for e in found.top_elements] == [
        (WORDS, 3),
        (BUY, 2),
    ]
    assert [(e.target, e.clicks, e.examples[0].session_id) for e in found.rage_clicks] == [
        (WORDS, 1, rage)
    ]
    assert [(e.target, e.clicks) for e in found.dead_clicks] == [(BUY, 2)]
    assert found.dead_clicks[0].examples[0].session_id == dead
    assert [(e.target, e.clicks) for e in found.not_clickable] == [(WORDS, 3)]
    assert [(e.target, e.clicks) for e in slower.dead_clicks] == [(BUY, 1)]
    assert [e.clicks for e in slower.rage_clicks] == [1]  # burst lengths reach 2 once
    assert (
        wider.rage_clicks == []
    )  # 100 ms apart, then gone: replayed with a 150 ms window only pairs


def test_async_client_answers_the_same(collector, client, host):
    url = f"{host}/"
    visit(collector, url, [click(BUTTON, T0 + 10), scroll(100, T0 + 20)])

    async def scenario():
        async with AsyncClient(collector.base_url, collector.read_key) as sdk:
            return (
                await sdk.insights.click_heatmap(url),
                await sdk.insights.scroll_map(url),
                await sdk.insights.click_insights(url),
            )

    heatmap, scrolls, insights = run_async(scenario())
    assert heatmap == client.insights.click_heatmap(url)
    assert scrolls == client.insights.scroll_map(url)
    assert insights == client.insights.click_insights(url)


HOSTILE = [
    {},
    {"url": "/", "pattern": "/*"},
    {"url": ""},
    {"url": "/" * 2001},
    {"pattern": "/" + "*/" * 11},
    {"url": "/", "viewport": "watch"},
    {"url": "/", "after": -1},
    {"url": "/", "before": 2**64},
    {"url": "/", "cell_px": 0},
    {"url": "/", "points": 10**9},
    {"url": "/", "step_px": 10**6},
    {"url": "/", "rage_clicks": 1},
    {"url": "/", "rage_window_ms": 10**9},
    {"url": "/", "dead_window_ms": -5},
    {"url": "/", "rage_radius_px": "nan"},
    {"url": "/", "limit": 10_000},
]


@pytest.mark.parametrize("params", HOSTILE, ids=str)
@pytest.mark.parametrize(
    "path", ["/v1/heatmaps/clicks", "/v1/heatmaps/scroll", "/v1/insights/clicks"]
)
def test_hostile_parameters_get_a_4xx(collector, path, params):
    response = httpx.get(
        collector.url(path),
        params=params,
        headers={"Authorization": f"Bearer {collector.read_key}"},
    )
    relevant = set(params) <= {"url", "pattern", "viewport", "after", "before"}
    if relevant or path_takes(path, params):
        assert 400 <= response.status_code < 500, response.text
    else:
        assert response.status_code == 200  # a parameter this endpoint does not take is ignored


def path_takes(path: str, params: dict) -> bool:
    own = {
        "/v1/heatmaps/clicks": {"cell_px", "points", "elements", "offset_cells"},
        "/v1/heatmaps/scroll": {"step_px", "max_steps"},
        "/v1/insights/clicks": {
            "rage_clicks",
            "rage_window_ms",
            "rage_radius_px",
            "dead_window_ms",
            "limit",
        },
    }[path]
    return bool(own & set(params))


def test_keys_open_only_their_own_sites_pages(collector, client, other_site: SiteKeys, host):
    url = f"{host}/"
    visit(collector, url, [click(BUTTON, T0 + 10)])
    with Client(collector.base_url, other_site.read_key) as other:
        assert other.insights.click_heatmap(url).clicks == 0
    for path in ("/v1/heatmaps/clicks", "/v1/heatmaps/scroll", "/v1/insights/clicks"):
        assert httpx.get(collector.url(path), params={"url": url}).status_code == 401
        with_write_key = {"Authorization": f"Bearer {collector.write_key}"}
        assert (
            httpx.get(collector.url(path), params={"url": url}, headers=with_write_key).status_code
            == 403
        )


def test_an_erased_session_leaves_no_facts(collector, client, host):
    url = f"{host}/"
    kept = visit(collector, url, [click(BUTTON, T0 + 10), scroll(300, T0 + 20)])
    erased = visit(
        collector, url, [click(LINK, T0 + 10), click(LINK, T0 + 20), scroll(900, T0 + 30)]
    )
    client.sessions.delete(erased)

    heatmap = client.insights.click_heatmap(url)
    assert (heatmap.clicks, heatmap.sessions) == (1, 1)
    assert heatmap.snapshot is not None
    assert heatmap.snapshot.session_id == kept
    assert client.insights.scroll_map(url).sessions == 1
    assert client.insights.click_insights(url).dead_clicks == [
        ElementClicks(
            target=BUY, clicks=1, sessions=1, examples=[ClickExample(session_id=kept, at=T0 + 10)]
        )
    ]


def test_pattern_characters_other_than_star_are_literal(collector, client, host):
    visit(collector, f"{host}/a[1]/x?q", [click(BUTTON, T0 + 10)])
    visit(collector, f"{host}/a1/x", [click(BUTTON, T0 + 10)])
    assert client.insights.click_heatmap(pattern=f"{host}/a[1]/*").clicks == 1
    assert client.insights.click_heatmap(pattern=f"{host}/a?/*").clicks == 0


def test_the_snapshot_of_a_page_left_for_another_ends_where_the_next_begins(
    collector, client, host
):
    session = new_session_id()
    ingest(collector, batch(session, 0, page_start(f"{host}/a", T0)))
    ingest(
        collector, batch(session, 1, [click(BUTTON, T0 + 50), *page_start(f"{host}/b", T0 + 400)])
    )
    ingest(collector, batch(session, 2, [click(LINK, T0 + 900)]))

    first = client.insights.click_heatmap(f"{host}/a").snapshot
    second = client.insights.click_heatmap(f"{host}/b").snapshot

    assert first is not None
    assert second is not None
    assert (first.session_id, first.at, first.last_at) == (session, T0, T0 + 399)
    assert (second.at, second.last_at) == (T0 + 400, T0 + 900)
