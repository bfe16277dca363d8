"""Click targets at ingest: the element path and clickability of each clicked node, read from the
window's DOM as the SDK's ``DomMirror`` rebuilds it from the snapshot and mutations.

A click names a node id; the node was described by a full snapshot or a mutation, often in an
earlier batch. The mirror of each recent window is kept in memory, a batch behind at most; a
window not in memory (after a restart, or evicted) is rebuilt from its stored batches. Batches
without clicks are not decoded: the next batch with clicks catches the mirror up."""

from __future__ import annotations

import gzip
import json
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from pydantic import ValidationError

from sessiontape._dom import DomMirror
from sessiontape.codec import RawEvent
from sessiontape.collector.storage.click_rules import is_clickable
from sessiontape.collector.storage.insight_facts import InsightFacts
from sessiontape.collector.storage.payloads import read_payload
from sessiontape.events import EventType, IncrementalSource, MutationData, SerializedNode

MAX_WINDOWS = 32
MAX_NODES = 300_000
"""Mirrors kept in memory, and their nodes in all; least recently used dropped first."""

WindowKey = tuple[str, str, str]
"""(site id, session id, window id)"""


@dataclass(frozen=True)
class Target:
    path: str
    """CSS-like path (``DomMirror.css_path``); empty when the page's DOM is unknown."""
    clickable: bool


@dataclass
class _Window:
    applied_seq: int
    """The last batch applied to ``mirror``."""
    mirror: DomMirror | None


class ClickTargets:
    """Per-window DOM mirrors; used under the storage's write lock."""

    def __init__(self) -> None:
        self._windows: OrderedDict[WindowKey, _Window] = OrderedDict()

    def resolve(
        self,
        db: Any,
        key: WindowKey,
        seq: int,
        facts: InsightFacts,
        events: list[RawEvent] | Callable[[], list[RawEvent]],
    ) -> list[Target]:
        """The target of each of ``facts.clicks``, and the window's mirror moved past ``seq``."""
        window = self._windows.pop(key, None)
        if window is None or window.applied_seq >= seq:
            window = _Window(-1, None)
        if not facts.clicks:
            if window.mirror is None and not facts.snapshots and window.applied_seq == seq - 1:
                window.applied_seq = seq  # nothing to apply
            self._keep(key, window)  # otherwise decoded when a batch with clicks needs it
            return []
        if window.applied_seq < seq - 1:
            missed = self.stored_events(db, key, window.applied_seq, seq)
            window.mirror = _apply(window.mirror, missed)
        wanted = {click.index for click in facts.clicks}
        targets: list[Target] = []
        if window.mirror is not None or facts.snapshots:
            for index, event in enumerate(events() if callable(events) else events):
                window.mirror = _apply(window.mirror, (event,))
                if index in wanted:
                    targets.append(_target(window.mirror, facts.clicks[len(targets)].node_id))
        else:
            targets = [Target("", False) for _ in facts.clicks]
        window.applied_seq = seq
        self._keep(key, window)
        return targets

    def stored_events(
        self, db: Any, key: WindowKey, after_seq: int, before_seq: int
    ) -> Iterable[RawEvent]:
        """The events of the window's stored batches between the two (a backend's own)."""
        return _stored_events(db, key, after_seq, before_seq)

    def forget(self, site_id: str, session_id: str) -> None:
        for key in [k for k in self._windows if k[:2] == (site_id, session_id)]:
            del self._windows[key]

    def _keep(self, key: WindowKey, window: _Window) -> None:
        self._windows[key] = window
        nodes = sum(len(w.mirror.nodes) for w in self._windows.values() if w.mirror is not None)
        while len(self._windows) > 1 and (len(self._windows) > MAX_WINDOWS or nodes > MAX_NODES):
            _, dropped = self._windows.popitem(last=False)
            nodes -= len(dropped.mirror.nodes) if dropped.mirror is not None else 0


def _stored_events(
    db: sqlite3.Connection, key: WindowKey, after_seq: int, before_seq: int
) -> Iterable[RawEvent]:
    rows = db.execute(
        "SELECT seq, events FROM batches WHERE site_id = ? AND session_id = ? AND window_id = ?"
        " AND seq > ? AND seq < ? ORDER BY seq",
        (*key, after_seq, before_seq),
    ).fetchall()
    site_id, session_id, window = key
    for seq, kept in rows:
        yield from decode_payload(read_payload(db, site_id, session_id, (window, seq), kept))


def decode_payload(payload: bytes) -> list[RawEvent]:
    events: list[RawEvent] = json.loads(gzip.decompress(payload))
    return events


def _apply(mirror: DomMirror | None, events: Iterable[RawEvent]) -> DomMirror | None:
    for event in events:
        data = event.get("data")
        if not isinstance(data, dict):
            continue
        try:
            if event.get("type") == EventType.FULL_SNAPSHOT and isinstance(data.get("node"), dict):
                mirror = DomMirror(cast(SerializedNode, data["node"]))
            elif (
                mirror is not None
                and event.get("type") == EventType.INCREMENTAL_SNAPSHOT
                and data.get("source") == IncrementalSource.MUTATION
            ):
                mirror.apply_mutation(MutationData.model_validate(data))
        except (ValidationError, KeyError, TypeError, ValueError):
            continue  # what the codec let through but the mirror cannot place
    return mirror


def _target(mirror: DomMirror | None, node_id: int) -> Target:
    if mirror is None:
        return Target("", False)
    chain = mirror.ancestors(node_id)
    return Target(
        path=mirror.css_path(node_id)[:1000],
        clickable=any(is_clickable(n.tag, n.attributes.get("type")) for n in chain),
    )
