"""Checks shared by the privacy tests: random secrets, and whether any of their bytes left the
browser (as seen by the Tap), plus the recorded events parsed back from those bytes."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

from tests.e2e.collector_tap import Tap, star_runs

_lengths = iter(range(100, 400))


def secret() -> str:
    """A new random-letter secret, each of a length no other secret has (100+ characters, so no
    ordinary masked text of the lab pages has it either)."""
    length = next(_lengths)
    return "".join(random.choice("QXZJKVWqxzjkvw") for _ in range(length))


def pieces(value: str) -> set[str]:
    size = min(len(value), 10 if value.isdigit() else 6)
    return {value[i : i + size] for i in range(len(value) - size + 1)}


def assert_never_sent(tap: Tap, *values: str, length_too: bool = True) -> None:
    """No 6 consecutive characters of any value left the browser, nor (length_too) its length as
    a run of exactly as many '*'."""
    sent = tap.ingested_text()
    for value in values:
        leaked = sorted(p for p in pieces(value) if p in sent)
        assert not leaked, f"{value[:12]}... left the browser: {leaked[:5]}"
        if length_too:
            runs = star_runs(sent, len(value))
            assert runs == 0, f"the length of {value[:12]}... left the browser"


def sent_events(tap: Tap) -> list[dict[str, Any]]:
    """Every event the recorder sent, in order."""
    events: list[dict[str, Any]] = []
    for batch in tap.ingest():
        events.extend(json.loads(batch.body)["events"])
    return events


def _serialized(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("childNodes", []):
        yield from _serialized(child)


def serialized_nodes(events: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every node sent, in full snapshots and in mutation adds."""
    for event in events:
        if event["type"] == 2:
            yield from _serialized(event["data"]["node"])
        elif event["type"] == 3 and event["data"]["source"] == 0:
            for add in event["data"]["adds"]:
                yield from _serialized(add["node"])


def attributes_sent(events: list[dict[str, Any]], element_id: str) -> dict[str, list[object]]:
    """Every value sent for each attribute of the element(s) whose id attribute is `element_id`:
    as serialized, then as changed by mutations."""
    ids = set()
    seen: dict[str, list[object]] = {}
    for node in serialized_nodes(events):
        attributes = node.get("attributes", {})
        if attributes.get("id") == element_id:
            ids.add(node["id"])
            for name, value in attributes.items():
                seen.setdefault(name, []).append(value)
    for event in events:
        if event["type"] == 3 and event["data"]["source"] == 0:
            for change in event["data"]["attributes"]:
                if change["id"] in ids:
                    for name, value in change["attributes"].items():
                        seen.setdefault(name, []).append(value)
    return seen
