"""A stand-in for the collector's session page: the viewer bundle, one session's NDJSON events
(optionally trickled slowly), its timeline JSON, and a baseline page that loads rrweb-player
directly. Served on 127.0.0.1 with the session page's Content-Security-Policy.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from benchmarks.viewer_session import Session

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "recorder_js" / "dist"
DIRECT_JS = Path(__file__).with_name("js") / "direct_player.js"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data: blob: http: https:; frame-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SESSION_ID = "s1"


@dataclass(frozen=True)
class Trickle:
    """Serve the first `head` events at once, then `chunk` events every `pause_s` seconds."""

    head: int = 0
    chunk: int = 100
    pause_s: float = 0.0


def session_page(start_ms: str) -> str:
    base = f"/sessions/{SESSION_ID}"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Session {SESSION_ID}</title>
<link rel="stylesheet" href="/viewer/viewer.css">
<script src="/viewer/viewer.js" defer></script></head>
<body><main id="session-view" data-session-id="{SESSION_ID}" data-events-url="{base}/events"
 data-timeline-url="{base}/timeline" data-start-ms="{start_ms}">
<section id="player-area"></section><aside id="side-panel"></aside></main></body></html>"""


DIRECT_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Direct</title>
<link rel="stylesheet" href="/player/rrweb-player.css">
<script src="/player/rrweb-player.js"></script>
<script src="/bench/direct_player.js" defer></script></head>
<body><div id="player" data-events-url="/sessions/{SESSION_ID}/events.json"></div></body></html>"""


def _start_ms(query: str) -> str:
    for part in query.split("&"):
        name, _, value = part.partition("=")
        if name == "t" and value.isdigit():
            return value
    return ""


@contextmanager
def serve(session: Session, trickle: Trickle = Trickle()) -> Iterator[str]:
    """Yields the base URL; the session page is at /sessions/s1, the baseline at /direct."""
    ndjson_lines = [json.dumps(e, separators=(",", ":")).encode() + b"\n" for e in session.events]
    whole = session.json_array()
    timeline = json.dumps(session.timeline).encode()
    static = {
        "/viewer/viewer.js": ("text/javascript", DIST / "viewer" / "viewer.js"),
        "/viewer/viewer.css": ("text/css", DIST / "viewer" / "viewer.css"),
        "/player/rrweb-player.js": ("text/javascript", DIST / "player" / "rrweb-player.js"),
        "/player/rrweb-player.css": ("text/css", DIST / "player" / "rrweb-player.css"),
        "/bench/direct_player.js": ("text/javascript", DIRECT_JS),
    }
    base = f"/sessions/{SESSION_ID}"

    class Handler(BaseHTTPRequestHandler):
        def reply(self, kind: str, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def stream_events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()  # no length: HTTP/1.0, the body ends when the connection closes
            head = trickle.head or len(ndjson_lines)
            self.wfile.write(b"".join(ndjson_lines[:head]))
            self.wfile.flush()
            for start in range(head, len(ndjson_lines), trickle.chunk):
                time.sleep(trickle.pause_s)
                self.wfile.write(b"".join(ndjson_lines[start : start + trickle.chunk]))
                self.wfile.flush()

        def do_GET(self) -> None:
            # A page closed while its events were still streaming is no error.
            with suppress(BrokenPipeError, ConnectionResetError):
                self.answer()

        def answer(self) -> None:
            path, _, query = self.path.partition("?")
            if path == base:
                self.reply("text/html; charset=utf-8", session_page(_start_ms(query)).encode())
            elif path == base + "/events":
                self.stream_events()
            elif path == base + "/events.json":
                self.reply("application/json", whole)
            elif path == base + "/timeline":
                self.reply("application/json", timeline)
            elif path == "/direct":
                self.reply("text/html; charset=utf-8", DIRECT_PAGE.encode())
            elif path in static:
                kind, file = static[path]
                self.reply(kind, file.read_bytes())
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
