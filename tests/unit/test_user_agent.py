"""Browser and OS names from real user agents, with the recorder's old precedence, bounded."""

from __future__ import annotations

import time

import pytest

from sessiontape.user_agent import MAX_USER_AGENT, browser_and_os

REAL_USER_AGENTS = [
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        ("Chrome", "Windows"),
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70",
        ("Edge", "Windows"),
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        ("Firefox", "Linux"),
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        ("Safari", "iOS"),
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
        ("Samsung Internet", "Android"),
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0",
        ("Opera", "macOS"),
    ),
    (
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        ("Chrome", "ChromeOS"),
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        ("Safari", "macOS"),
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
        ("Chrome", "iOS"),
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15",
        ("Firefox", "iOS"),
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.6778.81 Mobile Safari/537.36",
        ("Chrome", "Android"),
    ),
    ("Opera/9.80 (Windows NT 6.1; U; en) Presto/2.12.388 Version/12.18", ("Opera", "Windows")),
    ("curl/8.5.0", ("Other", "Other")),
    ("", ("Other", "Other")),
]


@pytest.mark.parametrize(("user_agent", "labels"), REAL_USER_AGENTS)
def test_real_user_agents_get_the_recorders_labels(user_agent: str, labels: tuple[str, str]):
    assert browser_and_os(user_agent) == labels


def test_matching_is_case_sensitive_as_the_recorder_was():
    assert browser_and_os("mozilla/5.0 (windows nt 10.0) chrome/131.0") == ("Other", "Other")


def test_only_the_first_512_characters_count():
    assert MAX_USER_AGENT == 512
    ending_at_512 = "x" * (MAX_USER_AGENT - len("Edg/ Linux")) + "Edg/ Linux"
    assert browser_and_os(ending_at_512) == ("Edge", "Linux")
    assert browser_and_os("x" + ending_at_512) == ("Edge", "Other")  # "Linux" ends at 513
    assert browser_and_os("x" * MAX_USER_AGENT + "Edg/ Linux") == ("Other", "Other")


def test_a_hostile_user_agent_is_read_only_as_far_as_the_bound():
    hostile = "Mozilla/5.0 (" + "(" * 10_000_000 + "Safari/ Linux"  # the last patterns
    started = time.perf_counter()
    for _ in range(50):
        assert browser_and_os(hostile) == ("Other", "Other")
    # Unbounded, 50 searches of 10 MB for every pattern take seconds; bounded, milliseconds.
    assert time.perf_counter() - started < 1.0
