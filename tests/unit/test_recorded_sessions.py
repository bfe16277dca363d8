"""The SDK on sessions the project's own recorder produced (tests/fixtures/record_sessions.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sessiontape import Recording
from sessiontape.codec import decode_events, encode_event, load_events
from sessiontape.events import FullSnapshotEvent, MetaEvent

SESSIONS = Path(__file__).parent.parent / "fixtures" / "sessions"


def load(name: str) -> Recording:
    document = json.loads((SESSIONS / f"{name}.json").read_text())
    return Recording.from_raw(document["session"], document["events"])


@pytest.mark.parametrize("name", ["browse", "signup", "dynamic"])
def test_recorded_sessions_decode_strictly_and_encode_back_unchanged(name):
    raw = load_events((SESSIONS / f"{name}.json").read_bytes())
    decoded = decode_events(raw, strict=True)
    assert [encode_event(e) for e in decoded] == raw
    assert isinstance(decoded[0], MetaEvent)
    assert isinstance(decoded[1], FullSnapshotEvent)


def test_browsing_session_answers():
    recording = load("browse")
    assert [p.url.rsplit("/", 1)[1] for p in recording.pages()] == ["index.html", "products.html"]
    targets = [c.target for c in recording.clicks()]
    assert targets[:2] == ["button#hello-button", "a#nav-products"]
    assert recording.clicks()[0].text == "Say hello"
    email = recording.typed_text()["input#newsletter-email"]
    assert (email.value, email.keystrokes) == ("ada@example.com", len("ada@example.com"))
    search = recording.typed_text()["input#product-search"]
    assert (search.value, search.keystrokes) == ("", len("cassette") + 1)
    (rage,) = recording.rage_clicks()
    assert rage.target == "button#add-c60-chrome"
    assert rage.clicks == 3
    assert recording.scroll_depth()[-1].max_scroll_y > 0


def test_signup_session_answers_without_the_password():
    recording = load("signup")
    fields = recording.typed_text()
    assert fields["input#signup-name"].value == "Ada Lovelace"
    assert fields["select#signup-country"].value == "gb"
    assert fields["textarea#signup-about"].value == "I like tapes.\nAnd reels."
    assert not any("password" in target or "confirm" in target for target in fields)
    assert "not-recorded-9" not in (SESSIONS / "signup.json").read_text()
    assert "Welcome aboard, Ada Lovelace!" in recording.html_at(recording.end)


def test_dynamic_session_rebuilds_the_page_at_any_time():
    recording = load("dynamic")
    first_add = next(c for c in recording.clicks() if c.target == "button#add-item")
    start_html = recording.html_at(first_add.timestamp - 1)
    end_html = recording.html_at(recording.end)
    assert start_html.count('data-testid="item"') + 2 == end_html.count('data-testid="item"')
    assert "<script" not in end_html
