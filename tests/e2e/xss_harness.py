"""Opens documents in real Chromium and reports whether any script in them ran.

A canary server on 127.0.0.1 serves the documents and counts requests to ``/hit/<case>``. Each
document is opened in its own tab (several tabs work at once, each in its own browser context)
and watched for: dialogs (``alert``/``confirm``/``prompt``, in the page or in any popup or frame
it opens), canary hits, ``window.__pwned``. After load the page is driven a little: every element
gets pointer, focus, key, drag and click events (handlers need interaction), the window is
scrolled, resized and messaged, and animations get time to start and end.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from playwright.async_api import Dialog, Page, Route, async_playwright

WORKERS = 10
SETTLE_MS = 200

INTERACT_JS = """() => {
  const origin = location.origin;
  const external = (url) => /^https?:/i.test(String(url));
  document.addEventListener('click', (e) => {
    const link = e.composedPath().find((n) => n.localName === 'a' || n.localName === 'area');
    const href = link && link.getAttribute
      && (link.getAttribute('href') || link.getAttribute('xlink:href'));
    if (href && external(new URL(href, location.href).href)) e.preventDefault();
  }, true);
  document.addEventListener('submit', (e) => {
    const action = e.submitter && e.submitter.formAction ? e.submitter.formAction : e.target.action;
    if (external(action)) e.preventDefault();
  }, true);
  const types = ['pointerover', 'pointerenter', 'mouseover', 'mouseenter', 'mousemove',
    'pointerdown', 'mousedown', 'pointerup', 'mouseup', 'dblclick', 'contextmenu', 'auxclick',
    'focusin', 'keydown', 'keypress', 'keyup', 'input', 'change', 'dragstart', 'drag', 'drop',
    'wheel', 'copy', 'paste', 'cut', 'mouseout', 'mouseleave', 'focusout', 'select', 'search',
    'toggle', 'invalid', 'load', 'error'];
  const elements = [...document.querySelectorAll('*')];
  for (const el of elements) {
    for (const type of types) {
      const event = new MouseEvent(type, {bubbles: true, cancelable: true});
      try { el.dispatchEvent(event); } catch (e) {}
    }
    try { el.focus(); el.dispatchEvent(new FocusEvent('focus')); el.blur(); } catch (e) {}
    try {
      if (typeof el.click === 'function') el.click();
      else el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
    } catch (e) {}
  }
  window.scrollTo(0, 5000);
  for (const type of ['scroll', 'resize', 'hashchange', 'popstate', 'message', 'pageshow',
    'focus', 'blur', 'online', 'storage']) {
    try { window.dispatchEvent(new Event(type)); } catch (e) {}
  }
}"""

SENTINELS_JS = """(ids) => ids.filter((id) => {
  const el = document.getElementById(id);
  return !el || el.localName !== 'i';
})"""


@dataclass
class Outcome:
    dialogs: list[str] = field(default_factory=list)
    hits: int = 0
    pwned: bool = False
    missing_sentinels: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def executed(self) -> bool:
        return bool(self.dialogs or self.hits or self.pwned)


class CanaryServer:
    """Serves ``/doc/<n>.html`` from ``documents`` and counts ``/hit/<n>`` per case."""

    def __init__(self) -> None:
        self.documents: dict[str, str] = {}
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                hit = re.fullmatch(r"/hit/([\w-]+)", path)
                if hit:
                    with server.lock:
                        server.hits[hit[1]] = server.hits.get(hit[1], 0) + 1
                body = server.documents.get(path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Access-Control-Allow-Origin", "*")
                data = (body or "").encode("utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_POST = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @contextmanager
    def running(self) -> Iterator[CanaryServer]:
        thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()


def canary_js(origin: str, case: str) -> str:
    return f"top.__pwned=1,alert(1),fetch('{origin}/hit/{case}')"


async def _watch(
    page: Page, server: CanaryServer, path: str, case: str, sentinels: list[str]
) -> Outcome:
    context = page.context
    outcome = Outcome()
    dismissals: list[asyncio.Future[None]] = []

    def on_dialog(dialog: Dialog) -> None:
        outcome.dialogs.append(f"{dialog.type}: {dialog.message}")
        dismissals.append(asyncio.ensure_future(dialog.dismiss()))

    context.on("dialog", on_dialog)
    try:
        await page.goto(server.origin + path, wait_until="load", timeout=10_000)
        outcome.missing_sentinels = await page.evaluate(SENTINELS_JS, sentinels)
        await page.wait_for_timeout(SETTLE_MS)
        await page.evaluate(INTERACT_JS)
        await page.wait_for_timeout(SETTLE_MS)
        outcome.pwned = bool(await page.evaluate("() => !!window.__pwned"))
    except Exception as error:  # a payload that navigates the page away ends the watch early
        outcome.error = str(error).splitlines()[0]
    finally:
        context.remove_listener("dialog", on_dialog)
        for opened in context.pages:
            if opened is not page:
                await opened.close()
    with server.lock:
        outcome.hits = server.hits.get(case, 0)
    return outcome


async def _run(
    launch_args: dict[str, Any], server: CanaryServer, jobs: list[tuple[str, str, list[str]]]
) -> list[Outcome]:
    results: list[Outcome | None] = [None] * len(jobs)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(jobs)):
        queue.put_nowait(index)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_args)

        async def worker() -> None:
            context = await browser.new_context()
            await context.route(
                lambda url: not url.startswith(server.origin), lambda route: _abort(route)
            )
            page = await context.new_page()
            while not queue.empty():
                index = queue.get_nowait()
                path, case, sentinels = jobs[index]
                results[index] = await _watch(page, server, path, case, sentinels)
            await context.close()

        await asyncio.gather(*(worker() for _ in range(WORKERS)))
        await browser.close()
    return [r or Outcome(error="not run") for r in results]


async def _abort(route: Route) -> None:
    await route.abort()


def open_all(
    launch_args: dict[str, Any], server: CanaryServer, jobs: list[tuple[str, str, list[str]]]
) -> list[Outcome]:
    """Opens each ``(path, case id, sentinel ids)`` job and reports what happened in it."""
    from tests.conftest import run_async

    return run_async(_run(launch_args, server, jobs))
