"""Browser and OS names from a ``User-Agent`` string, as the sessions table and viewer show them.

The recorder sends only the raw user agent; these labels are derived on the server with the
precedence the recorder once used (the first pattern that matches wins)."""

from __future__ import annotations

import re

MAX_USER_AGENT = 512
"""Only this many leading characters are looked at: a user agent is whatever the client sends."""

OTHER = "Other"

BROWSERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Edg/"), "Edge"),
    (re.compile(r"OPR/|Opera"), "Opera"),
    (re.compile(r"SamsungBrowser"), "Samsung Internet"),
    (re.compile(r"Firefox/|FxiOS"), "Firefox"),
    (re.compile(r"Chrome/|CriOS|Chromium"), "Chrome"),
    (re.compile(r"Safari/"), "Safari"),
)

SYSTEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"Android"), "Android"),
    (re.compile(r"iPhone|iPad|iPod"), "iOS"),
    (re.compile(r"Mac OS X|Macintosh"), "macOS"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Linux"), "Linux"),
)


def browser_and_os(user_agent: str) -> tuple[str, str]:
    """The browser's and the operating system's names, ``"Other"`` for what is not recognised."""
    head = user_agent[:MAX_USER_AGENT]
    return _first_match(BROWSERS, head), _first_match(SYSTEMS, head)


def _first_match(patterns: tuple[tuple[re.Pattern[str], str], ...], text: str) -> str:
    return next((name for pattern, name in patterns if pattern.search(text)), OTHER)


def client_names(
    browser: str | None, os: str | None, user_agent: str | None
) -> tuple[str | None, str | None]:
    """The browser and OS names a client states; those it leaves out (or empty), from its user
    agent; None where neither says."""
    if user_agent and not (browser and os):
        derived_browser, derived_os = browser_and_os(user_agent)
        return browser or derived_browser, os or derived_os
    return browser or None, os or None
