"""What ``sessiontape sessions show`` prints: one line per page, click, field and rage click."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sessiontape._terminal import printable
from sessiontape.recording import Recording, TypedField


def session_lines(recording: Recording) -> Iterator[str]:
    yield (
        f"session {recording.id}: {recording.duration_ms / 1000:.1f}s, "
        f"{len(recording.events)} events"
    )
    for page in recording.pages():
        yield f"  page   {when(page.entered_at)}  {printable(page.url)}"
    for click in recording.clicks():
        target, text = printable(click.target), printable(click.text[:60])
        yield f'  click  {when(click.timestamp)}  {target}  "{text}"'
    for field in recording.typed_text().values():
        yield "  " + field_line(field)
    for rage in recording.rage_clicks():
        yield f"  rage   {when(rage.timestamp)}  {rage.clicks} clicks on {printable(rage.target)}"


def field_line(field: TypedField) -> str:
    """A field as it ended: typed text (private fields are never recorded, so never shown),
    a checkbox checked or not, the radio chosen in its group, a select's option."""
    target, value = printable(field.target), printable(field.value)
    if field.kind == "radio":
        state = "chosen" if field.checked else "not chosen (another option was)"
        return f'radio  {target}  "{value}"  {state}'
    if field.kind == "checkbox":
        state = "checked" if field.checked else "unchecked"
        return f'check  {target}  "{value}"  {state}  ({_plural(field.keystrokes, "change")})'
    if field.kind == "select":
        label = f"  ({printable(field.option)})" if field.option else ""
        return f'select {target}  "{value}"{label}'
    return f'typed  {target}  "{value}"  ({_plural(field.keystrokes, "keystroke")})'


def when(timestamp_ms: int) -> str:
    return f"{datetime.fromtimestamp(timestamp_ms / 1000, UTC):%Y-%m-%d %H:%M:%S}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
