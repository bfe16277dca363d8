"""Records every browser context a test opens, back into the test process over a binding.

Each context gets the recorder as an init script, started in the top frame of every document
with an ``onEvent`` that hands each event (as JSON text) to a Playwright binding as it is
emitted: no collector is involved. Before a page, a context or a browser closes, each page is
flushed: its recorder drains what it still holds, then awaits one last binding call, which
returns only once every earlier call has reached this process.

Contexts are caught where Playwright's sync API creates them (``Browser.new_context``,
``Browser.new_page``, ``BrowserType.launch_persistent_context``), so pytest-playwright's
``context``/``page`` fixtures and contexts a test makes itself are recorded alike.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from playwright.sync_api import Browser, BrowserContext, BrowserType, Error, Page

from sessiontape._assets import recorder_dir
from sessiontape.codec import RawEvent

BINDING = "__sessiontapeEmit"
CONTROL = "__sessiontapeQA"
FLUSH_TIMEOUT_MS = 5_000

_STARTER = """
  const api = window.sessiontape;
  if (previous) Object.defineProperty(window, 'sessiontape', previous);
  else delete window.sessiontape;
  let emitted = 0;
  const send = (text) => {
    const binding = window[BINDING];
    return binding ? binding(text) : Promise.resolve();
  };
  const go = () => {
    const recorder = api.start({
      onEvent: (event) => {
        emitted++;
        send(JSON.stringify(event));
      },
    });
    Object.defineProperty(window, CONTROL, {
      value: Object.freeze({
        emitted: () => emitted,
        flush: async (final) => {
          await recorder.flush();
          if (final) recorder.stop();
          await send(null);
        },
      }),
    });
  };
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', go, { once: true });
  else go();
"""

_FLUSH = (
    "async (final) => {\n"
    f"  const control = window[{json.dumps(CONTROL)}];\n"
    "  if (control) await control.flush(final);\n"
    "  return true;\n"
    "}"
)


def init_script() -> str:
    """The recorder bundle and its starter, for the top frame only; the page keeps its own
    ``window.sessiontape`` (a site that ships the recorder still records to its collector)."""
    bundle = (recorder_dir() / "sessiontape.js").read_text(encoding="utf-8")
    starter = _STARTER.replace("BINDING", json.dumps(BINDING)).replace(
        "CONTROL", json.dumps(CONTROL)
    )
    return (
        "(() => {\n  if (window !== window.top) return;\n"
        "  const previous = Object.getOwnPropertyDescriptor(window, 'sessiontape');\n"
        f"{bundle}\n{starter}}})();\n"
    )


class Capture:
    """The events of one test, in the order they reached this process, from all its pages."""

    def __init__(self, script: str) -> None:
        self._script = script
        self.events: list[RawEvent] = []
        self.contexts: list[BrowserContext] = []
        self.user_agent: str | None = None
        """The recorded browser's, read from the first page flushed (sent with an upload)."""

    def attach(self, context: BrowserContext) -> None:
        if context in self.contexts:
            return
        context.expose_binding(BINDING, self._receive)
        context.add_init_script(script=self._script)
        self.contexts.append(context)

    def _receive(self, _source: Any, text: str | None) -> None:
        if text is not None:
            self.events.append(json.loads(text))

    def owns(self, context: BrowserContext) -> bool:
        return context in self.contexts

    def flush_page(self, page: Page, *, final: bool) -> None:
        """Brings every event the page emitted so far into ``events``. A page that is closed,
        crashed or gone with its browser has nothing more to give: that is not an error."""
        if page.is_closed():
            return
        with contextlib.suppress(Error):  # a hung page gives up after FLUSH_TIMEOUT_MS
            page.wait_for_function(_FLUSH, arg=final, timeout=FLUSH_TIMEOUT_MS)
            if self.user_agent is None:
                self.user_agent = str(page.evaluate("navigator.userAgent"))

    def flush_context(self, context: BrowserContext, *, final: bool) -> None:
        for page in list(context.pages):
            self.flush_page(page, final=final)

    def flush_all(self, *, final: bool = False) -> None:
        for context in list(self.contexts):
            self.flush_context(context, final=final)


_current: Capture | None = None
_originals: dict[tuple[type, str], Callable[..., Any]] = {}


def start_test(capture: Capture) -> None:
    global _current
    _install()
    _current = capture


def end_test() -> Capture | None:
    """Flushes the contexts the test left open (they stay open) and stops attaching new ones."""
    global _current
    capture, _current = _current, None
    if capture is not None:
        capture.flush_all(final=False)
    return capture


def _install() -> None:
    if _originals:
        return
    _wrap(Browser, "new_context", after=lambda result: _attach(result))
    _wrap(Browser, "new_page", after=lambda page: _attach(page.context))
    _wrap(BrowserType, "launch_persistent_context", after=lambda result: _attach(result))
    _wrap(Page, "close", before=lambda page: _flush_page(page))
    _wrap(BrowserContext, "close", before=lambda context: _flush_context(context))
    _wrap(Browser, "close", before=lambda browser: _flush_browser(browser))


def uninstall() -> None:
    for (cls, name), original in _originals.items():
        setattr(cls, name, original)
    _originals.clear()


def _wrap(
    cls: type,
    name: str,
    *,
    before: Callable[[Any], None] | None = None,
    after: Callable[[Any], None] | None = None,
) -> None:
    original: Callable[..., Any] = getattr(cls, name)
    _originals[(cls, name)] = original

    @wraps(original)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if before is not None and _current is not None:
            before(self)
        result = original(self, *args, **kwargs)
        if after is not None and _current is not None:
            after(result)
        return result

    setattr(cls, name, wrapper)


def _attach(context: BrowserContext) -> None:
    if _current is not None:
        _current.attach(context)


def _flush_page(page: Page) -> None:
    if _current is not None and _current.owns(page.context):
        _current.flush_page(page, final=True)


def _flush_context(context: BrowserContext) -> None:
    if _current is not None and _current.owns(context):
        _current.flush_context(context, final=True)


def _flush_browser(browser: Browser) -> None:
    for context in browser.contexts:
        _flush_context(context)
