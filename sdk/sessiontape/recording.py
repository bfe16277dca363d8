"""Recording: one decoded session, and the answers people ask of it."""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from sessiontape._dom import DomMirror
from sessiontape.codec import RawEvent, decode_events, encode_event
from sessiontape.events import (
    CustomEvent,
    Event,
    FullSnapshotEvent,
    IncrementalSnapshotEvent,
    InputData,
    MetaEvent,
    MouseInteraction,
    MouseInteractionData,
    MutationData,
    ScrollData,
)

D = TypeVar("D")

RAGE_CLICKS = 3
RAGE_WINDOW_MS = 1_000
RAGE_RADIUS_PX = 30
DEAD_CLICK_WINDOW_MS = 1_000
CLICKABLE_TAGS = frozenset({"a", "button"})
CLICKABLE_INPUT_TYPES = frozenset({"button", "submit", "reset", "image"})


@dataclass(frozen=True)
class Page:
    url: str
    entered_at: int
    left_at: int


@dataclass(frozen=True)
class Click:
    timestamp: int
    x: float | None
    y: float | None
    node_id: int
    target: str
    """CSS-like path of the clicked element, e.g. ``main#shop > button.buy:nth-of-type(2)``."""
    text: str
    clickable: bool
    """Whether the target, or an ancestor, is a link or a button."""


@dataclass(frozen=True)
class TypedField:
    node_id: int
    target: str
    value: str
    """The final value: the text typed, a checkbox's or radio's ``value``, a select's choice."""
    keystrokes: int
    """Changes the visitor made (a radio unchecked by its group's next choice is not one)."""
    checked: bool | None = None
    """The final state of a checkbox or radio; None for other fields."""
    kind: str = "text"
    """``text``, ``textarea``, ``checkbox``, ``radio`` or ``select``."""
    option: str | None = None
    """The visible label of a select's chosen option."""


@dataclass(frozen=True)
class ScrollDepth:
    url: str
    max_scroll_y: float
    viewport_height: int

    @property
    def deepest_px(self) -> float:
        """How far down the page the visitor saw: the lowest scroll offset plus one viewport."""
        return self.max_scroll_y + self.viewport_height


@dataclass(frozen=True)
class RageClick:
    timestamp: int
    clicks: int
    target: str
    x: float | None
    y: float | None


class Recording:
    """A session's events in order, typed (unknown kinds stay dicts in lenient mode)."""

    def __init__(self, session_id: str, events: list[Event | RawEvent]) -> None:
        self.id = session_id
        self.events = events

    @classmethod
    def from_raw(
        cls, session_id: str, raw_events: list[RawEvent], *, strict: bool = True
    ) -> Recording:
        return cls(session_id, decode_events(raw_events, strict=strict))

    # --- time --------------------------------------------------------------------------------

    @property
    def start(self) -> int:
        return min((_timestamp(e) for e in self.events), default=0)

    @property
    def end(self) -> int:
        return max((_timestamp(e) for e in self.events), default=0)

    @property
    def duration_ms(self) -> int:
        return self.end - self.start

    # --- questions ---------------------------------------------------------------------------

    def pages(self) -> list[Page]:
        """Pages in order: each Meta event opens one, and so does each address change of a
        single-page app (a Custom ``navigation`` event)."""
        starts = [(_timestamp(e), url) for e in self.events if (url := _page_url(e)) is not None]
        ends = [at for at, _ in starts[1:]] + [self.end] if starts else []
        return [Page(url, at, left) for (at, url), left in zip(starts, ends, strict=True)]

    def clicks(self) -> list[Click]:
        return [click for click, _ in self._clicks_with_followups()]

    def typed_text(self) -> dict[str, TypedField]:
        """Every field the visitor changed, by its CSS-like path: final value, keystroke count,
        and for checkboxes and radios whether they ended checked (for selects, the option)."""
        fields: dict[int, TypedField] = {}
        for event, dom in self._replay():
            data = _incremental(event, InputData)
            if data is None or dom is None:
                continue
            previous = fields.get(data.id)
            kind = _field_kind(dom, data.id)
            group_unchecked = kind == "radio" and not data.isChecked
            if group_unchecked and previous is None:
                continue  # the browser unchecked a radio the visitor never chose
            fields[data.id] = TypedField(
                node_id=data.id,
                target=previous.target if previous else dom.css_path(data.id),
                value=data.text,
                keystrokes=(previous.keystrokes if previous else 0) + (0 if group_unchecked else 1),
                checked=data.isChecked if kind in ("checkbox", "radio") else None,
                kind=kind,
                option=_option_label(dom, data.id, data.text) if kind == "select" else None,
            )
        return {f.target: f for f in fields.values()}

    def scroll_depth(self) -> list[ScrollDepth]:
        """The deepest document scroll on each page visit."""
        depths: list[ScrollDepth] = []
        document_id: int | None = None
        for event in self.events:
            if isinstance(event, MetaEvent):
                depths.append(ScrollDepth(event.data.href, 0, event.data.height))
            elif isinstance(event, FullSnapshotEvent):
                document_id = event.data.node["id"]
            elif (data := _incremental(event, ScrollData)) and depths and data.id == document_id:
                last = depths[-1]
                if data.y > last.max_scroll_y:
                    depths[-1] = ScrollDepth(last.url, data.y, last.viewport_height)
        return depths

    def rage_clicks(self) -> list[RageClick]:
        """Bursts of at least 3 clicks within 1 s and 30 px of the burst's first click."""
        rages: list[RageClick] = []
        burst: list[Click] = []
        for click in self.clicks():
            burst = [c for c in burst if _near(c, click)] + [click]
            if len(burst) == RAGE_CLICKS:
                first = burst[0]
                rages.append(
                    RageClick(first.timestamp, RAGE_CLICKS, first.target, first.x, first.y)
                )
            elif len(burst) > RAGE_CLICKS:
                rages[-1] = RageClick(
                    rages[-1].timestamp, len(burst), rages[-1].target, rages[-1].x, rages[-1].y
                )
        return rages

    def dead_clicks(self) -> list[Click]:
        """Clicks on links or buttons after which nothing changed: no DOM change, no navigation,
        within 1 s."""
        return [c for c, followed in self._clicks_with_followups() if c.clickable and not followed]

    def html_at(self, timestamp: int) -> str:
        """The page's DOM at ``timestamp``, rebuilt from the snapshot and mutations, script-free."""
        latest: DomMirror | None = None
        for event, dom in self._replay():
            if _timestamp(event) > timestamp:
                break
            latest = dom
        if latest is None:
            raise ValueError(f"no full snapshot at or before {timestamp}")
        return latest.to_html()

    def to_rrweb_json(self) -> str:
        """The events as a JSON array any rrweb player replays."""
        return json.dumps([encode_event(e) for e in self.events], separators=(",", ":"))

    # --- replay ------------------------------------------------------------------------------

    def _replay(self) -> Iterator[tuple[Event | RawEvent, DomMirror | None]]:
        """Each event with the DOM as it stands once the event is applied."""
        dom: DomMirror | None = None
        for event in self.events:
            if isinstance(event, FullSnapshotEvent):
                dom = DomMirror(event.data.node)
            elif dom is not None and isinstance(event, IncrementalSnapshotEvent):
                if isinstance(event.data, MutationData):
                    dom.apply_mutation(event.data)
                elif isinstance(event.data, InputData):
                    dom.apply_input(event.data)
            yield event, dom

    def _clicks_with_followups(self) -> list[tuple[Click, bool]]:
        """Every click, and whether the page changed (mutation or navigation) within 1 s."""
        clicks: list[Click] = []
        changes: list[int] = []
        for event, dom in self._replay():
            if _page_url(event) is not None or _incremental(event, MutationData) is not None:
                changes.append(_timestamp(event))
            data = _incremental(event, MouseInteractionData)
            if data is None or data.type != MouseInteraction.CLICK:
                continue
            chain = dom.ancestors(data.id) if dom else []
            clicks.append(
                Click(
                    timestamp=_timestamp(event),
                    x=data.x,
                    y=data.y,
                    node_id=data.id,
                    target=dom.css_path(data.id) if dom else "",
                    text=" ".join(dom.text_content(data.id).split())[:200] if dom else "",
                    clickable=any(_is_clickable(n.tag, n.attributes.get("type")) for n in chain),
                )
            )
        return [(c, _changed_within(changes, c.timestamp)) for c in clicks]


def _field_kind(dom: DomMirror, node_id: int) -> str:
    node = dom.nodes.get(node_id)
    if node is None:
        return "text"
    if node.tag in ("select", "textarea"):
        return node.tag
    input_type = node.attributes.get("type")
    return input_type if input_type in ("checkbox", "radio") else "text"


def _option_label(dom: DomMirror, select_id: int, value: str) -> str | None:
    """The text of the select's option whose value (or, lacking one, text) is ``value``."""
    pending = list(dom.nodes[select_id].children) if select_id in dom.nodes else []
    while pending:
        node = dom.nodes.get(pending.pop(0))
        if node is None or node.kind != 2:
            continue
        if node.tag == "optgroup":
            pending.extend(node.children)
        elif node.tag == "option":
            label = " ".join(dom.text_content(node.id).split())
            own = node.attributes.get("value")
            if (own if isinstance(own, str) else label) == value:
                return label
    return None


def _changed_within(change_times: list[int], since: int) -> bool:
    """Whether a change happened in [since, since + 1 s]; ``change_times`` is sorted."""
    first = bisect_left(change_times, since)
    return first < len(change_times) and change_times[first] <= since + DEAD_CLICK_WINDOW_MS


def _is_clickable(tag: str, input_type: object) -> bool:
    return tag in CLICKABLE_TAGS or (tag == "input" and input_type in CLICKABLE_INPUT_TYPES)


def _near(earlier: Click, later: Click) -> bool:
    if later.timestamp - earlier.timestamp > RAGE_WINDOW_MS:
        return False
    if None in (earlier.x, earlier.y, later.x, later.y):
        return earlier.node_id == later.node_id
    return (
        math.dist((earlier.x or 0, earlier.y or 0), (later.x or 0, later.y or 0)) <= RAGE_RADIUS_PX
    )


def _incremental(event: Event | RawEvent, data_type: type[D]) -> D | None:
    if isinstance(event, IncrementalSnapshotEvent) and isinstance(event.data, data_type):
        return event.data
    return None


def _page_url(event: Event | RawEvent) -> str | None:
    """The address a Meta or Custom ``navigation`` event opens, else None."""
    if isinstance(event, MetaEvent):
        return event.data.href
    if isinstance(event, CustomEvent) and event.data.tag == "navigation":
        href = event.data.payload.get("href") if isinstance(event.data.payload, dict) else None
        return href if isinstance(href, str) else None
    return None


def _timestamp(event: Event | RawEvent) -> int:
    if isinstance(event, dict):
        value = event.get("timestamp")
        return value if isinstance(value, int) else 0
    return event.timestamp
