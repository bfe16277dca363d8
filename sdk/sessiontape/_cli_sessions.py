"""``sessiontape sessions ...``: the SDK from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from rich.progress import Progress

from sessiontape._terminal import printable
from sessiontape.client import Client

T = TypeVar("T")


def add_commands(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    connection: argparse.ArgumentParser,
) -> None:
    listing = actions.add_parser("list", parents=[connection], help="sessions, newest first")
    _add_filters(listing)
    listing.add_argument("--limit", type=int, default=20)
    listing.set_defaults(run=_list)

    show = actions.add_parser("show", parents=[connection], help="what happened in a session")
    show.add_argument("session_id")
    show.set_defaults(run=_show)

    export = actions.add_parser(
        "export", parents=[connection], help="write sessions as rrweb JSON files"
    )
    export.add_argument("session_ids", nargs="*", help="default: every session matching filters")
    _add_filters(export)
    export.add_argument("--out", type=Path, default=Path("sessions"), help="output directory")
    export.set_defaults(run=_export)

    importing = actions.add_parser(
        "import", parents=[connection], help="upload recordings from files"
    )
    importing.add_argument("files", nargs="+", type=Path)
    importing.set_defaults(run=_import)

    delete = actions.add_parser("delete", parents=[connection], help="erase sessions")
    delete.add_argument("session_ids", nargs="+")
    delete.set_defaults(run=_delete)


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url-contains")
    parser.add_argument("--min-duration-ms", type=int)
    parser.add_argument("--has-clicks", action="store_true", default=None)
    parser.add_argument("--since", type=datetime.fromisoformat, help="ISO date/time (UTC)")
    parser.add_argument("--until", type=datetime.fromisoformat, help="ISO date/time (UTC)")


def demo_keys(data_dir: Path) -> dict[str, str]:
    path = data_dir / "demo-site.json"
    if not path.is_file():
        return {}
    keys: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return keys


def _with_client(
    command: Callable[[argparse.Namespace, Client], int],
) -> Callable[[argparse.Namespace], int]:
    """Runs a command with a client of the collector, or says how to get a key."""

    def run(args: argparse.Namespace) -> int:
        api_key = args.api_key or demo_keys(args.data_dir).get("read_key")
        if not api_key:
            print(
                "error: pass --api-key or set SESSIONTAPE_API_KEY (a site's read key)",
                file=sys.stderr,
            )
            return 2
        with Client(args.url, api_key) as client:
            return command(args, client)

    return run


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "url_contains": args.url_contains,
        "min_duration_ms": args.min_duration_ms,
        "has_clicks": args.has_clicks,
        "started_after": _utc(args.since),
        "started_before": _utc(args.until),
    }


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@_with_client
def _list(args: argparse.Namespace, client: Client) -> int:
    print(f"{'session':32}  {'started (UTC)':19}  {'duration':>9}  {'events':>6}  first page")
    for count, summary in enumerate(client.sessions.list(**_filters(args)), start=1):
        print(
            f"{summary.id}  {_when(summary.started_at)}  {summary.duration_ms / 1000:>8.1f}s"
            f"  {summary.event_count:>6}  {printable(summary.first_url or '-')}"
        )
        if count >= args.limit:
            break
    return 0


@_with_client
def _show(args: argparse.Namespace, client: Client) -> int:
    recording = client.sessions.fetch(args.session_id, strict=False)
    print(
        f"session {recording.id}: {recording.duration_ms / 1000:.1f}s, "
        f"{len(recording.events)} events"
    )
    for page in recording.pages():
        print(f"  page   {_when(page.entered_at)}  {printable(page.url)}")
    for click in recording.clicks():
        target, text = printable(click.target), printable(click.text[:60])
        print(f'  click  {_when(click.timestamp)}  {target}  "{text}"')
    for field in recording.typed_text().values():
        print(f"  typed  {printable(field.target)}  {field.keystrokes} keystrokes")
    for rage in recording.rage_clicks():
        target = printable(rage.target)
        print(f"  rage   {_when(rage.timestamp)}  {rage.clicks} clicks on {target}")
    return 0


@_with_client
def _export(args: argparse.Namespace, client: Client) -> int:
    args.out.mkdir(parents=True, exist_ok=True)
    ids = args.session_ids or [s.id for s in client.sessions.list(**_filters(args))]
    for session_id in _progress(ids, "exporting"):
        target = args.out / f"{session_id}.json"
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("wb") as handle:
                client.sessions.export(session_id, handle)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)  # a file there is a whole session, never half of one
    print(f"exported {len(ids)} session(s) to {args.out}")
    return 0


@_with_client
def _import(args: argparse.Namespace, client: Client) -> int:
    stored = 0
    for path in _progress(args.files, "importing"):
        stored += client.sessions.upload_file(path).stored
    print(f"imported {stored} new session(s), {len(args.files) - stored} already stored")
    return 0


@_with_client
def _delete(args: argparse.Namespace, client: Client) -> int:
    for session_id in args.session_ids:
        client.sessions.delete(session_id)
        print(f"deleted {session_id}")
    return 0


def _progress(items: list[T], label: str) -> Iterable[T]:
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        yield from progress.track(items, description=label)


def _when(timestamp_ms: int) -> str:
    return f"{datetime.fromtimestamp(timestamp_ms / 1000, UTC):%Y-%m-%d %H:%M:%S}"
