"""One Chromium, one local page server, and fresh pages with a recorder loaded.

Pages come from a ThreadingHTTPServer on 127.0.0.1 (never file://). Each run gets a new browser
context and page, so no run inherits another's heap, caches or recorder state.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright
from tests.conftest import CHROMIUM_FLAGS, find_chromium

from benchmarks import pages

ROOT = Path(__file__).resolve().parent.parent
OURS = ROOT / "recorder_js" / "dist" / "sessiontape.js"
CANVAS = ROOT / "recorder_js" / "dist" / "canvas.js"
RRWEB = ROOT / "recorder_js" / "node_modules" / "@rrweb" / "record" / "dist" / "record.umd.min.cjs"
HARNESS = Path(__file__).with_name("js") / "harness.js"
RECORDERS = ("sessiontape", "rrweb")


@dataclass
class Site:
    """What the page server answers: path -> (content type, body)."""

    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    elements: dict[str, int] = field(default_factory=dict)

    def add_generated(self, label: str, size: int) -> str:
        html, count = pages.generate(size)
        path = f"/page/{label}.html"
        self.files[path] = ("text/html; charset=utf-8", html.encode())
        self.elements[label] = count
        return path


def build_site(sizes: dict[str, int]) -> Site:
    site = Site()
    site.files["/bench.css"] = ("text/css", pages.LINKED_CSS.encode())
    site.files["/shop.html"] = ("text/html; charset=utf-8", pages.shop_page().encode())
    site.files["/favicon.ico"] = ("image/png", pages.PNG_1PX)
    for k in range(8):
        site.files[f"/img/{k}.png"] = ("image/png", pages.PNG_1PX)
    for label, size in sizes.items():
        site.add_generated(label, size)
    return site


@contextmanager
def serve(site: Site) -> Iterator[str]:
    """Serves `site` on a free loopback port; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = site.files.get(self.path.split("?")[0])
            if not found:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            kind, body = found
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=3600")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def launch(playwright: Playwright) -> Browser:
    """Playwright's own Chromium when it was downloaded, else the system one."""
    try:
        bundled: str | None = playwright.chromium.executable_path
    except Exception:  # Playwright without its browsers downloaded
        bundled = None
    executable = find_chromium(bundled)
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)


_SCRIPTS: dict[str, str] = {}


def script(kind: str) -> str:
    """The recorder's script text ('' for 'none' and 'floor')."""
    path = {"sessiontape": OURS, "rrweb": RRWEB}.get(kind)
    if path is None:
        return ""
    if kind not in _SCRIPTS:
        _SCRIPTS[kind] = path.read_text()
    return _SCRIPTS[kind]


@contextmanager
def fresh_page(
    browser: Browser, url: str, kind: str, source: str | None = None, with_page: bool = False
) -> Iterator[Page]:
    """A new context and page at `url`, loaded and settled, with the harness and the `kind`
    recorder's script (or `source`) evaluated, not started: ours has no data-endpoint, so it
    never auto starts or sends. The script runs once the page has loaded (as an async tag or a
    tag manager loads it), or (`with_page`) as the document starts loading (a tag in its head)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        source = script(kind) if source is None else source
        if source and with_page:
            context.add_init_script(script=source)
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.add_script_tag(content=HARNESS.read_text())
        if source and not with_page:
            page.add_script_tag(content=source)
        page.evaluate("() => window.__bench.settle()")
        yield page
    finally:
        context.close()
