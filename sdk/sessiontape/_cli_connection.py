"""Where the CLI finds its collector and its key.

``sessiontape serve`` records in its data directory where it listens (``collector.json``) and
keeps the demo site's keys there (``demo-site.json``); the client commands read both from the
same directory, so ``serve --port 8100`` and ``sessions list`` agree with no flags. Explicit
flags and environment variables come first.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path(".sessiontape")
DEFAULT_URL = "http://127.0.0.1:8000"
ADDRESS_FILE = "collector.json"
KEYS_FILE = "demo-site.json"


def data_dir(given: Path | None) -> Path:
    """``--data-dir``, else ``$SESSIONTAPE_DATA_DIR``, else ``.sessiontape`` here."""
    if given is not None:
        return given
    from_env = os.environ.get("SESSIONTAPE_DATA_DIR")
    return Path(from_env) if from_env else DEFAULT_DATA_DIR


def record_address(directory: Path, url: str) -> None:
    """Written by ``serve`` once its port is bound."""
    directory.mkdir(parents=True, exist_ok=True)
    document = {"url": url, "pid": os.getpid()}
    (directory / ADDRESS_FILE).write_text(json.dumps(document) + "\n", encoding="utf-8")


def demo_keys(directory: Path) -> dict[str, str]:
    path = directory / KEYS_FILE
    if not path.is_file():
        return {}
    keys: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return keys


@dataclass(frozen=True)
class Target:
    """The collector a client command talks to, and where that address came from."""

    url: str
    origin: str

    def unreachable(self, reason: object) -> str:
        return (
            f"cannot reach the collector at {self.url} ({self.origin}): {reason}\n"
            "  start it with 'sessiontape serve'; or name another collector with --url or"
            " SESSIONTAPE_URL, or the data directory of a running one with --data-dir or"
            " SESSIONTAPE_DATA_DIR"
        )


def target(url: str | None, directory: Path) -> Target:
    """``--url``, else ``$SESSIONTAPE_URL``, else where the data directory's collector listens,
    else the default address."""
    if url:
        return Target(url, "from --url")
    from_env = os.environ.get("SESSIONTAPE_URL")
    if from_env:
        return Target(from_env, "from SESSIONTAPE_URL")
    recorded = _recorded_url(directory)
    if recorded:
        return Target(recorded, f"where the collector of {directory} last listened")
    return Target(DEFAULT_URL, f"the default; {directory / ADDRESS_FILE} does not exist")


def _recorded_url(directory: Path) -> str | None:
    try:
        document = json.loads((directory / ADDRESS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    url = document.get("url") if isinstance(document, dict) else None
    return url if isinstance(url, str) else None


def api_key(given: str | None, directory: Path) -> str | None:
    """``--api-key``, else ``$SESSIONTAPE_API_KEY``, else the demo site's read key."""
    return given or os.environ.get("SESSIONTAPE_API_KEY") or demo_keys(directory).get("read_key")
