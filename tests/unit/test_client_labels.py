"""The browser and OS a session is listed and shown with: the recorder's ``client`` event's own
names when it states them (older recorders, uploads), else those its ``userAgent`` implies, else
those the ingest request's ``User-Agent`` header implies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sessiontape.codec import BatchLimits
from sessiontape.collector.storage.batch_facts import MAX_LABEL, BatchFacts
from sessiontape.collector.storage.prepared import prepare_batch
from sessiontape.collector.viewer.timeline import build_timeline

T0 = 1_764_500_000_000
SAMSUNG_ON_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36"
)


def session_with_client(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "type": 4,
            "timestamp": T0,
            "data": {"href": "https://shop.example/", "width": 800, "height": 600},
        },
        {"type": 5, "timestamp": T0 + 5, "data": {"tag": "client", "payload": payload}},
    ]


def listed_and_shown(payload: dict[str, Any]) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    events = session_with_client(payload)
    facts = BatchFacts(events, received_at=T0)
    client = build_timeline("0" * 32, events, truncated=False).client
    assert client is not None
    return (facts.browser, facts.os), (client.browser, client.os)


@pytest.mark.parametrize(
    ("payload", "labels"),
    [
        ({"userAgent": SAMSUNG_ON_ANDROID}, ("Samsung Internet", "Android")),
        (
            {"userAgent": SAMSUNG_ON_ANDROID, "browser": "", "os": None},
            ("Samsung Internet", "Android"),
        ),
        ({"userAgent": SAMSUNG_ON_ANDROID, "browser": "Brave", "os": "Linux"}, ("Brave", "Linux")),
        ({"userAgent": SAMSUNG_ON_ANDROID, "os": "HarmonyOS"}, ("Samsung Internet", "HarmonyOS")),
        ({"userAgent": "curl/8.5.0"}, ("Other", "Other")),
        ({"browser": "Chrome", "os": "Linux"}, ("Chrome", "Linux")),
    ],
)
def test_stated_names_win_and_the_user_agent_fills_the_rest(
    payload: dict[str, Any], labels: tuple[str, str]
):
    assert listed_and_shown(payload) == (labels, labels)


def test_no_user_agent_and_no_names_leave_both_unknown():
    assert listed_and_shown({"userAgent": 42, "language": "fr-FR"}) == ((None, None), (None, None))


def test_a_stated_name_is_still_cut_to_the_tables_label_length():
    facts = BatchFacts(session_with_client({"browser": "B" * 500, "userAgent": "x"}), T0)
    assert facts.browser == "B" * MAX_LABEL
    assert facts.os == "Other"


FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)


@pytest.mark.parametrize(
    ("payload", "labels"),
    [
        ({"language": "de-DE"}, ("Firefox", "Windows")),
        ({"userAgent": SAMSUNG_ON_ANDROID}, ("Samsung Internet", "Android")),
        ({"browser": "Brave"}, ("Brave", "Windows")),
        ({"browser": "Chrome", "os": "Linux"}, ("Chrome", "Linux")),
    ],
)
def test_the_requests_header_names_only_what_the_client_event_leaves_open(
    payload: dict[str, Any], labels: tuple[str, str]
):
    facts = BatchFacts(session_with_client(payload), T0, user_agent=FIREFOX_ON_WINDOWS)
    assert (facts.browser, facts.os) == labels


def test_a_batch_without_a_client_event_is_not_named_by_its_header():
    facts = BatchFacts(session_with_client({})[:1], T0, user_agent=FIREFOX_ON_WINDOWS)
    assert (facts.browser, facts.os) == (None, None)


def test_prepare_batch_hands_the_header_to_the_batchs_facts():
    body = json.dumps(
        {
            "v": 1,
            "session": "a" * 32,
            "window": "b" * 16,
            "seq": 0,
            "events": session_with_client({}),
        }
    ).encode()
    named = prepare_batch(body, BatchLimits(), T0, FIREFOX_ON_WINDOWS).events.facts
    unnamed = prepare_batch(body, BatchLimits(), T0).events.facts
    assert (named.browser, named.os) == ("Firefox", "Windows")
    assert (unnamed.browser, unnamed.os) == (None, None)
