"""The browser and OS a session is listed and shown with: the recorder's ``client`` event's own
names when it states them (older recorders, uploads), else those its ``userAgent`` implies."""

from __future__ import annotations

from typing import Any

import pytest

from sessiontape.collector.storage.batch_facts import MAX_LABEL, BatchFacts
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
