from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from sessiontape import Client, Recording
from sessiontape.events import ElementNode, FullSnapshotEvent, NodeType, SerializedNode
from tests.conftest import Collector
from tests.e2e.collector_tap import Tap


@pytest.fixture
def sdk(collector: Collector) -> Iterator[Client]:
    with Client(collector.base_url, collector.read_key) as client:
        yield client


@pytest.fixture
def tap(collector: Collector) -> Iterator[Tap]:
    """The collector behind a proxy that keeps every request the browser sends (see Tap)."""
    with Tap(collector) as running:
        yield running


def flush_and_fetch(page: Page, sdk: Client) -> Recording:
    """Sends what the page's recorder holds, then reads the session back through the SDK."""
    session_id = page.evaluate("window.sessiontape.recorder.sessionId")
    page.evaluate("window.sessiontape.recorder.flush()")
    return sdk.sessions.fetch(session_id)


def walk(node: SerializedNode) -> Iterator[SerializedNode]:
    yield node
    for child in node.get("childNodes", []):
        yield from walk(child)


def find_element(recording: Recording, predicate: Callable[[ElementNode], bool]) -> ElementNode:
    for event in recording.events:
        if isinstance(event, FullSnapshotEvent):
            for node in walk(event.data.node):
                if node["type"] == NodeType.ELEMENT and predicate(node):
                    return node
    raise AssertionError("no such element in any full snapshot")


def by_id(element_id: str) -> Callable[[ElementNode], bool]:
    return lambda node: node["attributes"].get("id") == element_id


def text_of(node: SerializedNode) -> str:
    return "".join(n["textContent"] for n in walk(node) if n["type"] == NodeType.TEXT)


def events_of(recording: Recording, kind: type[Any]) -> list[Any]:
    return [e for e in recording.events if isinstance(e, kind)]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sessiontape privacy")
    group.addoption(
        "--privacy-seeds",
        type=int,
        default=0,
        help="generative privacy test: run seeds 0..N-1 instead of the fixed default list",
    )
    group.addoption(
        "--privacy-seed",
        type=int,
        action="append",
        default=[],
        help="generative privacy test: run only this seed (repeatable), to replay a failure",
    )
