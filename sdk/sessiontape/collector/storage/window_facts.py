"""Where a window stands between batches (page, viewport, scroll), the page views a batch shows,
and each click's row: the pure part of the click and scroll facts every backend keeps (see
``sqlite_insights`` for the tables)."""

from __future__ import annotations

from dataclasses import dataclass

from sessiontape.collector.storage.click_rules import page_of
from sessiontape.collector.storage.click_targets import Target
from sessiontape.collector.storage.insight_facts import (
    ClickEvent,
    PageStart,
    Resize,
    ScrollEvent,
    Snapshot,
)


@dataclass
class WindowState:
    page_started_at: int | None = None
    href: str | None = None
    width: int | None = None
    height: int | None = None
    document_id: int | None = None
    scroll_x: float = 0.0
    scroll_y: float = 0.0


@dataclass
class PageView:
    started_at: int
    href: str
    width: int | None
    height: int | None
    max_scroll_y: float = 0.0
    snapshot_at: int | None = None
    last_at: int | None = None
    """The latest moment of the view this batch shows."""

    def row(self, ids: tuple[str, str, str]) -> tuple[object, ...]:
        page_url, path = page_of(self.href)
        sizes = (self.width, self.height, self.max_scroll_y)
        return (*ids, self.started_at, page_url, path, *sizes, self.snapshot_at, self.last_at)


def advance(
    state: WindowState,
    views: dict[int, PageView],
    happening: PageStart | Snapshot | Resize | ScrollEvent,
) -> None:
    if isinstance(happening, PageStart):
        if (previous := current_view(state, views)) is not None:
            previous.last_at = max(previous.last_at or 0, happening.at - 1)
        if happening.width is not None:  # a page load: a new document, at the top
            state.width, state.height = happening.width, happening.height
            state.document_id, state.scroll_x, state.scroll_y = None, 0.0, 0.0
        state.page_started_at, state.href = happening.at, happening.url
        views[happening.at] = PageView(happening.at, happening.url, state.width, state.height)
        return
    view = current_view(state, views)
    if isinstance(happening, Snapshot):
        state.document_id = happening.document_id
        if view is not None and view.snapshot_at is None:
            view.snapshot_at = happening.at
    elif isinstance(happening, Resize):
        state.width, state.height = happening.width, happening.height
        if view is not None:
            view.width, view.height = happening.width, happening.height
    elif happening.node_id == state.document_id:
        state.scroll_x, state.scroll_y = happening.x, happening.y
        if view is not None:
            view.max_scroll_y = max(view.max_scroll_y, happening.y)


def current_view(state: WindowState, views: dict[int, PageView]) -> PageView | None:
    """The page the window shows, started in this batch or in an earlier one."""
    if state.page_started_at is None or state.href is None:
        return None
    if state.page_started_at not in views:
        views[state.page_started_at] = PageView(
            state.page_started_at, state.href, state.width, state.height
        )
    return views[state.page_started_at]


def click_row(click: ClickEvent, target: Target, state: WindowState) -> tuple[object, ...]:
    page_url, path = page_of(state.href) if state.href is not None else ("", "")
    page_x = None if click.x is None else click.x + state.scroll_x
    page_y = None if click.y is None else click.y + state.scroll_y
    rel_x = rel_y = None
    if click.box is not None and click.x is not None and click.y is not None:
        left, top, width, height = click.box
        rel_x = min(1.0, max(0.0, (click.x - left) / width))
        rel_y = min(1.0, max(0.0, (click.y - top) / height))
    return (
        click.index,
        click.at,
        page_url,
        path,
        state.width,
        click.x,
        click.y,
        page_x,
        page_y,
        click.node_id,
        target.path,
        int(target.clickable),
        rel_x,
        rel_y,
    )
