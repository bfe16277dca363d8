"""Click targets resolved at ingest from the window's DOM, however the batches fall: a node added
by a mutation batches earlier, after batches the mirror skipped, and after a restart (the
mirror rebuilt from stored batches)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sessiontape.codec import BatchLimits
from sessiontape.collector.storage import Site, SQLiteStorage, sqlite_insights
from sessiontape.collector.storage.click_targets import ClickTargets
from sessiontape.collector.storage.insight_base import PageFilter, Thresholds
from sessiontape.collector.storage.prepared import prepare_batch
from tests.integration.insight_events import BODY, batch, click, element, page_start, scroll

T0 = 1_700_000_000_000
SESSION = "c" * 32
ADDED_BUTTON = 900


def added_button(at: int) -> dict:
    node = element(ADDED_BUTTON, "button", [], id="late")
    add = {"parentId": BODY, "nextId": None, "node": node}
    data = {"source": 0, "texts": [], "attributes": [], "removes": [], "adds": [add]}
    return {"type": 3, "timestamp": at, "data": data}


@pytest.fixture
def storage(tmp_path: Path):
    opened = SQLiteStorage(tmp_path / "db.sqlite")
    yield opened
    opened.close()


def store(storage: SQLiteStorage, site: Site, seq: int, events: list[dict]) -> None:
    body = json.dumps(batch(SESSION, seq, events)).encode()
    assert storage.store_batch(site, prepare_batch(body, BatchLimits(), T0), T0)


def dead_targets(storage: SQLiteStorage, site: Site) -> list[str]:
    page = PageFilter(url="http://late.test/")
    report = storage.insights().click_insights(site.id, page, Thresholds(), 10, 0)
    return [entry.target for entry in report.dead_clicks]


@pytest.mark.parametrize("restart", [False, True], ids=["kept in memory", "rebuilt"])
def test_a_click_on_a_node_added_batches_earlier_is_resolved(storage, monkeypatch, restart):
    site = storage.create_site("late", ("*",)).site
    store(storage, site, 0, page_start("http://late.test/", T0))
    store(storage, site, 1, [added_button(T0 + 100)])
    store(storage, site, 2, [scroll(40, T0 + 200)])  # no click: the mirror is not brought up
    if restart:
        monkeypatch.setattr(sqlite_insights, "_targets", ClickTargets())
    store(storage, site, 3, [click(ADDED_BUTTON, T0 + 5_000)])

    assert dead_targets(storage, site) == ["button#late"]
    summary = storage.get_session(site, SESSION)
    assert summary is not None
    assert summary.dead_click_count == 1
