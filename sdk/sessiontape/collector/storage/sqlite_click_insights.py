"""Click insights of a page from the click facts: most clicked elements, rage clicks, dead
clicks and clicked elements that are not clickable, each with the newest example clicks.

One grouped scan counts all four lists per element; one scan from the newest click picks the
examples, stopping once every listed element has its share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sessiontape.collector.storage.click_rules import (
    RAGE_RADIUS_PX,
    RAGE_WINDOW_MS,
    BurstClick,
    burst_lengths,
)
from sessiontape.collector.storage.insight_base import PageFilter, Thresholds, TooManyClicksError
from sessiontape.collector.storage.sqlite_insight_filters import page_conditions
from sessiontape.insight_types import ClickExample, ClickInsights, ClickThresholds, ElementClicks

Query = Callable[[str, dict[str, Any]], list[Any]]
Conditions = Callable[[PageFilter, str], tuple[str, dict[str, Any]]]

MAX_REPLAYED_CLICKS = 200_000
"""Clicks a query with custom rage thresholds may replay."""

DEAD = "(clickable = 1 AND (change_after_ms IS NULL OR change_after_ms > :dead_window))"
RAGE = "(burst = :rage)"
UNCLICKABLE = "(clickable = 0 AND target != '')"
KINDS = ("top", "rage", "dead", "unclickable")


@dataclass
class _Listed:
    target: str
    clicks: int
    sessions: int
    examples: list[ClickExample] = field(default_factory=list)

    def model(self) -> ElementClicks:
        return ElementClicks(
            target=self.target, clicks=self.clicks, sessions=self.sessions, examples=self.examples
        )


def click_insights(
    query: Query,
    site_id: str,
    page: PageFilter,
    thresholds: Thresholds,
    limit: int,
    examples: int,
    conditions: Conditions = page_conditions,
) -> ClickInsights:
    """``query`` runs SQL with ``:name`` parameters; ``conditions`` selects the page's clicks
    in the backend's dialect."""
    where, params = conditions(page, "at")
    params.update(site=site_id, rage=thresholds.rage_clicks, dead_window=thresholds.dead_window_ms)
    stored_rage = (thresholds.rage_window_ms, thresholds.rage_radius_px) == (
        RAGE_WINDOW_MS,
        RAGE_RADIUS_PX,
    )
    (sessions,) = query(
        f"SELECT COUNT(DISTINCT session_id) FROM click_facts WHERE {where}", params
    )[0]
    rows = query(
        "SELECT target, COUNT(*), COUNT(DISTINCT session_id),"
        f" {_count(RAGE)}, COUNT(DISTINCT CASE WHEN {RAGE} THEN session_id END),"
        f" {_count(DEAD)}, COUNT(DISTINCT CASE WHEN {DEAD} THEN session_id END),"
        f" {_count(UNCLICKABLE)}, COUNT(DISTINCT CASE WHEN {UNCLICKABLE} THEN session_id END)"
        f" FROM click_facts WHERE {where} GROUP BY target",
        params,
    )
    lists = {kind: _ranked(rows, 1 + 2 * k, limit) for k, kind in enumerate(KINDS)}
    if not stored_rage:
        lists["rage"] = _replayed_rage(query, where, params, thresholds, limit, examples)
    _add_examples(query, where, params, lists, examples, with_rage=stored_rage)
    return ClickInsights(
        clicks=sum(row[1] for row in rows),
        sessions=sessions,
        thresholds=ClickThresholds(**vars(thresholds)),
        top_elements=[entry.model() for entry in lists["top"]],
        rage_clicks=[entry.model() for entry in lists["rage"]],
        dead_clicks=[entry.model() for entry in lists["dead"]],
        not_clickable=[entry.model() for entry in lists["unclickable"]],
    )


def _count(condition: str) -> str:
    """How many rows meet ``condition``, in SQL every backend runs."""
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _ranked(rows: list[Any], column: int, limit: int) -> list[_Listed]:
    counted = [(row[0], row[column], row[column + 1]) for row in rows if row[column]]
    counted.sort(key=lambda item: (-item[1], item[0]))
    return [_Listed(target, clicks, sessions) for target, clicks, sessions in counted[:limit]]


def _add_examples(
    query: Query,
    where: str,
    params: dict[str, Any],
    lists: dict[str, list[_Listed]],
    examples: int,
    *,
    with_rage: bool,
) -> None:
    """The newest clicks of each listed element (of its kind), reading back from the newest."""
    if examples == 0:
        return
    wanted: dict[tuple[str, str], _Listed] = {
        (kind, entry.target): entry
        for kind, entries in lists.items()
        if kind != "rage" or with_rage
        for entry in entries
    }
    missing = len(wanted)
    rows = query(
        f"SELECT target, session_id, at, {RAGE}, {DEAD}, {UNCLICKABLE} FROM click_facts"
        f" WHERE {where} ORDER BY at DESC",
        params,
    )
    for target, session_id, at, rage, dead, unclickable in rows:
        if not missing:
            break
        for kind, applies in zip(KINDS, (True, rage, dead, unclickable), strict=True):
            entry = wanted.get((kind, target)) if applies else None
            if entry is not None and len(entry.examples) < examples:
                entry.examples.append(ClickExample(session_id=session_id, at=at))
                missing -= len(entry.examples) == examples


def _replayed_rage(
    query: Query,
    where: str,
    params: dict[str, Any],
    thresholds: Thresholds,
    limit: int,
    examples: int,
) -> list[_Listed]:
    """Rage bursts under other thresholds than those kept at ingest: the matching clicks' facts
    (never their events) replayed per session."""
    rows = query(
        "SELECT session_id, at, x, y, node_id, target FROM click_facts"
        f" WHERE {where} ORDER BY session_id, at, window_id, seq, idx"
        f" LIMIT {MAX_REPLAYED_CLICKS + 1}",
        params,
    )
    if len(rows) > MAX_REPLAYED_CLICKS:
        raise TooManyClicksError(f"more than {MAX_REPLAYED_CLICKS} clicks match")
    by_session: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by_session[row[0]].append(row)
    bursts: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for session_id, clicks in by_session.items():
        lengths = burst_lengths(
            [BurstClick(at, x, y, node) for _, at, x, y, node, _ in clicks],
            thresholds.rage_window_ms,
            thresholds.rage_radius_px,
        )
        for click, length in zip(clicks, lengths, strict=True):
            if length == thresholds.rage_clicks:
                bursts[click[5]].append((session_id, click[1]))
    ranked = sorted(bursts.items(), key=lambda item: (-len(item[1]), item[0]))[:limit]
    return [
        _Listed(
            target,
            len(found),
            len({s for s, _ in found}),
            [ClickExample(session_id=s, at=at) for s, at in sorted(found, key=lambda f: -f[1])][
                :examples
            ],
        )
        for target, found in ranked
    ]
