"""``sessiontape serve | sites create | sessions list|show|export|import|delete``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sessiontape import _cli_sessions
from sessiontape.codec import DecodeError
from sessiontape.errors import SessiontapeError

DEFAULT_DATA_DIR = Path(".sessiontape")
DEFAULT_URL = "http://127.0.0.1:8000"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        result: int = args.run(args)
    except (SessiontapeError, DecodeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sessiontape", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="command")

    serve = commands.add_parser("serve", help="run the collector with the demo site")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    serve.set_defaults(run=_serve)

    sites = commands.add_parser("sites", help="sites and their keys (local data directory)")
    site_commands = sites.add_subparsers(required=True, metavar="action")
    create = site_commands.add_parser("create", help="create a site and print its keys")
    create.add_argument("name")
    create.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    create.add_argument(
        "--origin",
        action="append",
        dest="origins",
        help="origin allowed to send batches, e.g. https://shop.example (repeatable; default any)",
    )
    create.add_argument("--json", action="store_true", help="print the keys as JSON")
    create.set_defaults(run=_create_site)

    connection = argparse.ArgumentParser(add_help=False)
    connection.add_argument("--url", default=os.environ.get("SESSIONTAPE_URL", DEFAULT_URL))
    connection.add_argument(
        "--api-key",
        default=os.environ.get("SESSIONTAPE_API_KEY"),
        help="a site's read key (default: $SESSIONTAPE_API_KEY, else the demo site's)",
    )
    connection.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="where 'serve' keeps the demo site's keys (used without --api-key)",
    )
    sessions = commands.add_parser("sessions", help="stored sessions")
    _cli_sessions.add_commands(sessions.add_subparsers(required=True, metavar="action"), connection)
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sessiontape.collector import Settings, create_app
    from sessiontape.collector.app import ensure_demo_site
    from sessiontape.collector.storage import SQLiteStorage

    settings = Settings(data_dir=args.data_dir)
    storage = SQLiteStorage(settings.database_path)
    ensure_demo_site(storage, settings)
    storage.close()
    base = f"http://{args.host}:{args.port}"
    keys = _cli_sessions.demo_keys(args.data_dir)
    print(f"sessiontape collector on {base}  (data in {settings.data_dir.resolve()})")
    print(f"  demo shop   {base}/demo/")
    print(f"  API         {base}/v1/sessions   (docs: {base}/docs)")
    if keys:
        print(f"  write key   {keys['write_key']}")
        print(f"  read key    {keys['read_key']}   (kept in {settings.demo_keys_path})")
    print("  list sessions with: sessiontape sessions list", flush=True)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")
    return 0


def _create_site(args: argparse.Namespace) -> int:
    from sessiontape.collector import Settings
    from sessiontape.collector.storage import SQLiteStorage

    storage = SQLiteStorage(Settings(data_dir=args.data_dir).database_path)
    try:
        if storage.site_by_name(args.name) is not None:
            print(f"error: a site named {args.name!r} exists already", file=sys.stderr)
            return 1
        created = storage.create_site(args.name, tuple(args.origins or ("*",)))
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
