"""``sessiontape sites create|update``: sites, their keys, origins and quotas (local data dir)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sessiontape import _cli_database


def add_commands(actions: Any, common: argparse.ArgumentParser) -> None:
    create = actions.add_parser("create", parents=[common], help="create a site and print its keys")
    create.add_argument("name", help="a name of your choice, unique on this collector")
    _add_origin_options(create, required=True)
    _add_quota_options(create)
    create.add_argument("--json", action="store_true", help="print the keys as JSON")
    create.set_defaults(run=_create_site)

    update = actions.add_parser(
        "update", parents=[common], help="change a site's allowed origins or quotas"
    )
    update.add_argument("name", help="the site's name")
    _add_origin_options(update, required=False)
    _add_quota_options(update)
    update.set_defaults(run=_update_site)


def _add_origin_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    origins = parser.add_mutually_exclusive_group(required=required)
    origins.add_argument(
        "--origin",
        action="append",
        dest="origins",
        help="origin allowed to send batches, e.g. https://shop.example (repeatable)",
    )
    origins.add_argument(
        "--any-origin",
        action="store_true",
        help="let pages of every origin send batches with this site's public write key",
    )


def _add_quota_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-sessions-per-hour",
        type=_non_negative,
        help="new sessions per clock hour (0: no limit; default: the collector's setting)",
    )
    parser.add_argument(
        "--max-bytes-per-day",
        type=_non_negative,
        help="stored bytes over the last 24 hours (0: no limit; default: the collector's)",
    )
    parser.add_argument(
        "--retention-days",
        type=_non_negative,
        help="erase sessions that ended longer ago than this (0: keep until deleted, the default)",
    )


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _changes(args: argparse.Namespace) -> Any:
    from sessiontape.collector.storage import ANY_ORIGIN, SiteChanges

    origins = (ANY_ORIGIN,) if args.any_origin else tuple(args.origins) if args.origins else None
    return SiteChanges(
        origins, args.max_sessions_per_hour, args.max_bytes_per_day, args.retention_days
    )


def _open(args: argparse.Namespace) -> Any:
    return _cli_database.open_storage(args)


def _create_site(args: argparse.Namespace) -> int:
    changes = _changes(args)
    storage = _open(args)
    try:
        if storage.site_by_name(args.name) is not None:
            print(f"error: a site named {args.name!r} exists already", file=sys.stderr)
            return 1
        created = storage.create_site(args.name, changes.allowed_origins, changes)
    finally:
        storage.close()
    keys = {
        "site": created.site.id,
        "write_key": created.site.write_key,
        "read_key": created.read_key,
    }
    if args.json:
        print(json.dumps(keys))
    else:
        print(f"site       {keys['site']}  ({args.name})")
        print(f"write key  {keys['write_key']}   (public: put it in the page)")
        print(f"read key   {keys['read_key']}   (secret: shown once, stored hashed)")
        print(f"origins    {' '.join(changes.allowed_origins)}")
    return 0


def _update_site(args: argparse.Namespace) -> int:
    storage = _open(args)
    try:
        site = storage.update_site(args.name, _changes(args))
    finally:
        storage.close()
    if site is None:
        print(f"error: no site named {args.name!r}", file=sys.stderr)
        return 1
    print(f"site       {site.id}  ({site.name})")
    print(f"origins    {' '.join(site.allowed_origins)}")
    print(f"quotas     sessions/hour {_limit(site.max_sessions_per_hour)}, ", end="")
    print(f"bytes/day {_limit(site.max_bytes_per_day)}")
    print(f"retention  {f'{site.retention_days} days' if site.retention_days else 'until deleted'}")
    return 0


def purge(args: argparse.Namespace) -> int:
    """``sessiontape purge``: erases every session past its site's retention, now."""
    import time

    storage = _open(args)
    try:
        erased = storage.purge_expired(int(time.time() * 1000))
    finally:
        storage.close()
    print(f"erased {erased} session{'s' if erased != 1 else ''} past their site's retention")
    return 0


def _limit(value: int | None) -> str:
    return "collector default" if value is None else "no limit" if value == 0 else str(value)
