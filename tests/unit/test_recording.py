"""What Recording answers, on a small hand-built session with known answers."""

from __future__ import annotations

import pytest

from sessiontape import Recording

T0 = 1_700_000_000_000


def element(node_id, tag, attributes=None, children=()):
    return {
        "type": 2,
        "id": node_id,
        "tagName": tag,
        "attributes": attributes or {},
        "childNodes": list(children),
    }


def text(node_id, value):
    return {"type": 3, "id": node_id, "textContent": value}


def incremental(offset, **data):
    return {"type": 3, "timestamp": T0 + offset, "data": data}


def click_at(offset, node_id, x=10, y=10):
    return incremental(offset, source=2, type=2, id=node_id, x=x, y=y)


def typed(offset, node_id, value):
    return incremental(offset, source=5, id=node_id, text=value, isChecked=False)


def mutation(offset, adds=(), removes=(), texts=(), attributes=()):
    return incremental(
        offset,
        source=0,
        adds=list(adds),
        removes=list(removes),
        texts=list(texts),
        attributes=list(attributes),
    )


PAGE = {
    "type": 0,
    "id": 1,
    "childNodes": [
        {"type": 1, "id": 2, "name": "html", "publicId": "", "systemId": ""},
        element(
            3,
            "html",
            {},
            [
                element(4, "head", {}, [element(5, "script", {"src": "app.js"})]),
                element(
                    6,
                    "body",
                    {"onload": "boot()"},
                    [
                        element(7, "h1", {"class": "title"}, [text(8, "Shop")]),
                        element(9, "button", {"id": "buy"}, [text(10, "Buy now")]),
                        element(11, "div", {"class": "card"}, [text(12, "One")]),
                        element(
                            13,
                            "div",
                            {"class": "card"},
                            [
                                element(14, "input", {"type": "email", "name": "email"}),
                            ],
                        ),
                        element(15, "a", {"href": "/help"}, [text(16, "Help")]),
                    ],
                ),
            ],
        ),
    ],
}

EVENTS = [
    {
        "type": 4,
        "timestamp": T0,
        "data": {"href": "http://shop.test/", "width": 800, "height": 600},
    },
    {"type": 2, "timestamp": T0, "data": {"node": PAGE, "initialOffset": {"top": 0, "left": 0}}},
    click_at(1_000, 9),
    mutation(
        1_200,
        adds=[
            {
                "parentId": 6,
                "nextId": 15,
                "node": element(20, "p", {"id": "msg"}, [text(21, "Added to cart")]),
            }
        ],
    ),
    typed(2_000, 14, "a"),
    typed(2_100, 14, "ad"),
    typed(2_200, 14, "ada@x.io"),
    incremental(2_500, source=3, id=1, x=0, y=350),
    incremental(2_600, source=3, id=1, x=0, y=120),
    click_at(3_000, 15, x=100, y=100),
    click_at(3_300, 15, x=105, y=102),
    click_at(3_600, 15, x=110, y=98),
    click_at(3_800, 16, x=112, y=99),
    mutation(
        5_000,
        texts=[{"id": 8, "value": "Shop & Co"}],
        attributes=[{"id": 7, "attributes": {"class": "title big", "style": {"color": "red"}}}],
        removes=[{"parentId": 6, "id": 11}],
    ),
    {
        "type": 4,
        "timestamp": T0 + 6_000,
        "data": {"href": "http://shop.test/help", "width": 800, "height": 600},
    },
]


@pytest.fixture
def recording():
    return Recording.from_raw("s" * 32, EVENTS)


def test_time_and_pages(recording):
    assert recording.duration_ms == 6_000
    assert [(p.url, p.entered_at - T0, p.left_at - T0) for p in recording.pages()] == [
        ("http://shop.test/", 0, 6_000),
        ("http://shop.test/help", 6_000, 6_000),
    ]


def test_a_recording_without_a_page_start_has_no_pages():
    # Events whose Meta was dropped (lenient decoding of a malformed one) or none at all.
    clicks_only = Recording.from_raw("s" * 32, [click_at(0, 1)], strict=False)
    assert clicks_only.pages() == []
    assert Recording.from_raw("s" * 32, [], strict=False).pages() == []


def test_clicks_name_their_target_and_text(recording):
    first, *help_clicks = recording.clicks()
    assert (first.target, first.text, first.clickable) == ("button#buy", "Buy now", True)
    assert help_clicks[0].target == "html > body > a"
    assert help_clicks[0].text == "Help"


def test_typed_text_keeps_final_value_and_keystrokes(recording):
    fields = recording.typed_text()
    assert list(fields) == ["html > body > div.card:nth-of-type(2) > input"]
    field = fields["html > body > div.card:nth-of-type(2) > input"]
    assert (field.value, field.keystrokes) == ("ada@x.io", 3)


def test_scroll_depth_is_the_deepest_scroll_per_page(recording):
    first, second = recording.scroll_depth()
    assert (first.url, first.max_scroll_y, first.deepest_px) == ("http://shop.test/", 350, 950)
    assert second.max_scroll_y == 0


def test_rage_clicks_need_three_quick_close_clicks(recording):
    (rage,) = recording.rage_clicks()
    assert (rage.timestamp - T0, rage.clicks, rage.target) == (3_000, 4, "html > body > a")


def test_dead_clicks_are_link_or_button_clicks_that_changed_nothing(recording):
    dead = recording.dead_clicks()
    assert [c.timestamp - T0 for c in dead] == [3_000, 3_300, 3_600, 3_800]
    assert all(c.target == "html > body > a" for c in dead)


def test_html_at_replays_mutations_and_inputs_without_scripts(recording):
    before = recording.html_at(T0 + 500)
    assert '<h1 class="title">Shop</h1>' in before
    assert "Added to cart" not in before
    assert "<script" not in before
    assert "onload" not in before

    after_typing = recording.html_at(T0 + 2_200)
    assert '<p id="msg">Added to cart</p><a href="/help">' in after_typing
    assert 'value="ada@x.io"' in after_typing

    last = recording.html_at(T0 + 5_000)
    assert '<h1 class="title big" style="color: red">Shop &amp; Co</h1>' in last
    assert "One" not in last


def test_html_at_before_any_snapshot_is_an_error(recording):
    with pytest.raises(ValueError, match="no full snapshot"):
        recording.html_at(T0 - 1)


def test_export_is_the_same_rrweb_json():
    import json

    assert json.loads(Recording.from_raw("s" * 32, EVENTS).to_rrweb_json()) == EVENTS
