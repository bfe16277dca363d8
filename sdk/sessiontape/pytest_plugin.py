"""pytest plugin for QA: records the browser sessions of Playwright tests.

``--sessiontape on|off|retain-on-failure`` (or the ``sessiontape`` ini option; default ``off``)
records every page of every browser context a test opens and keeps, in pytest-playwright's
output folder (``test-results/<test>/``), ``sessiontape.json`` (rrweb events) and
``sessiontape.html`` (an offline replay). The ``sessiontape_recording`` fixture gives a test
a :class:`~sessiontape.Recording` of what its pages recorded so far. Active only when
pytest-playwright is; otherwise this module adds the option and nothing else.
"""

from __future__ import annotations

import pytest

MODES = ("on", "off", "retain-on-failure")
PLAYWRIGHT_PLUGIN = "playwright"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sessiontape", "sessiontape session recording")
    group.addoption(
        "--sessiontape",
        choices=MODES,
        default=None,
        help="record every Playwright page of each test and keep sessiontape.json and "
        "sessiontape.html in the output folder: on, off (default) or retain-on-failure",
    )
    group.addoption(
        "--sessiontape-endpoint",
        metavar="URL",
        default=None,
        help="also upload each kept recording to this collector (with --sessiontape-key)",
    )
    group.addoption(
        "--sessiontape-key",
        metavar="st_pk_...",
        default=None,
        help="the collector site's public write key, for --sessiontape-endpoint",
    )
    parser.addini(
        "sessiontape",
        help="default of --sessiontape: on, off or retain-on-failure",
        default="off",
    )


def pytest_configure(config: pytest.Config) -> None:
    mode = config.getoption("--sessiontape") or str(config.getini("sessiontape")).strip()
    if mode not in MODES:
        raise pytest.UsageError(f"sessiontape ini option must be one of {', '.join(MODES)}")
    endpoint = config.getoption("--sessiontape-endpoint")
    key = config.getoption("--sessiontape-key")
    if bool(endpoint) != bool(key):
        raise pytest.UsageError("--sessiontape-endpoint and --sessiontape-key go together")
    if not config.pluginmanager.has_plugin(PLAYWRIGHT_PLUGIN):
        return
    from sessiontape._qa_fixtures import QAPlugin

    config.pluginmanager.register(QAPlugin(mode, endpoint, key), "sessiontape-qa")
