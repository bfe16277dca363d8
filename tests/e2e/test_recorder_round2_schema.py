"""Schema drift guard (no browser): the recorder's enums in recorder_js/src/schema.ts and the
SDK's in sessiontape.events hold the same names with the same numbers. Names are compared
without case and underscores (``CanvasMutation`` is ``CANVAS_MUTATION``); TypeScript's
``MouseInteractions`` is the SDK's ``MouseInteraction``. Enums only one side has (MediaInteractions)
are not compared. The recorder's Custom event tags (client, error, dropped, key) have no SDK
counterpart to compare with yet."""

from __future__ import annotations

import re
from enum import IntEnum
from pathlib import Path

import pytest

from sessiontape import events

SCHEMA_TS = Path(__file__).parents[2] / "recorder_js/src/schema.ts"
ENUM = re.compile(r"export const enum (\w+) \{([^}]*)\}")
MEMBER = re.compile(r"(\w+)\s*=\s*(\d+)")
PAIRS = {
    "EventType": events.EventType,
    "IncrementalSource": events.IncrementalSource,
    "MouseInteractions": events.MouseInteraction,
    "NodeType": events.NodeType,
}


def squash(name: str) -> str:
    return name.replace("_", "").lower()


def ts_enums() -> dict[str, dict[str, int]]:
    return {
        name: {squash(m): int(v) for m, v in MEMBER.findall(body)}
        for name, body in ENUM.findall(SCHEMA_TS.read_text())
    }


@pytest.mark.parametrize("ts_name", sorted(PAIRS))
def test_recorder_and_sdk_enums_agree(ts_name: str) -> None:
    python: type[IntEnum] = PAIRS[ts_name]
    assert ts_enums()[ts_name] == {squash(m.name): m.value for m in python}
