"""Record a round-2 fixture page with sessiontape, replay it in rrweb's Replayer, compare.

``record(page, collector, name)`` opens ``testsite/round2/<name>`` (the collector injects the
recorder, as for every demo page) and waits for the recording to start. ``live_and_replayed``
stops the recorder, describes the live page, reads the session back through the SDK, replays it
seeked to its end and describes the replay the same way. A description is the normalised DOM of
``serialise_dom.js`` (test_replay_fidelity.py's docstring lists its rules) plus ``STATE_JS``: the
state no attribute shows, for every element with an id in the document, its open shadow roots
and its same-origin frames, nested ones included: computed ``color``, ``background-color`` and
``display`` of ``[data-probe]`` elements, whether a dialog is open modally (``:modal``), whether
a custom element is defined (``:defined``), the mean colour of each cell of a 4 x 2 grid
over a canvas, the URL an image chose from its srcset
(``currentSrc``) and the srcset candidates as HTML parses them (URLs resolved). The latter
because serialise_dom.js resolves srcset URLs split at every comma, which corrupts (in both
descriptions, differently) the very URLs the srcset test is about: that test compares the DOM
without srcset attributes and the candidates here instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from playwright.sync_api import BrowserContext, Page

from sessiontape import Client, Recording
from tests.conftest import Collector
from tests.e2e.test_replay_fidelity import SERIALISE_JS, VIEWPORT, replay_page

NO_HINTS: dict[str, list[str]] = {"private": [], "blocked": []}

STATE_JS = """(doc) => {
  const out = [];
  // srcset candidates as HTML parses them: URL up to whitespace (trailing commas end it),
  // descriptors up to the next comma; each URL resolved against the document.
  const candidates = (value, base) => {
    const list = [];
    let i = 0;
    while (i < value.length) {
      while (i < value.length && /[\\s,]/.test(value[i])) i++;
      if (i >= value.length) break;
      let j = i;
      while (j < value.length && !/\\s/.test(value[j])) j++;
      let url = value.slice(i, j), descriptors = '';
      if (url.endsWith(',')) url = url.replace(/,+$/, '');
      else {
        const comma = value.indexOf(',', j);
        const end = comma < 0 ? value.length : comma;
        descriptors = value.slice(j, end).trim();
        j = end + 1;
      }
      list.push(new URL(url, base).href + (descriptors ? ' ' + descriptors : ''));
      i = j;
    }
    return list.join(' | ');
  };
  const visit = (root, where) => {
    for (const el of root.querySelectorAll('[id]')) {
      const id = where + el.id;
      if (el.shadowRoot) visit(el.shadowRoot, id + '/');
      if (el.localName === 'iframe') {
        let inner = null;
        try { inner = el.contentDocument; } catch (e) {}
        if (inner) visit(inner, id + '>');
      }
      if (el.localName === 'dialog') {
        out.push(id + ' open=' + el.open + ' modal=' + el.matches(':modal'));
      }
      if (el.localName.includes('-')) out.push(id + ' defined=' + el.matches(':defined'));
      if (el.localName === 'img') out.push(id + ' currentSrc=' + el.currentSrc);
      if (el.hasAttribute('srcset')) {
        out.push(id + ' srcset=' + candidates(el.getAttribute('srcset'), el.ownerDocument.baseURI));
      }
      if (el.localName === 'canvas' && el.width && el.height) {
        // Mean colour of each cell of a 4 x 2 grid: what a viewer sees, give or take encoding.
        const pixels = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
        const cells = [];
        for (let cy = 0; cy < 2; cy++) for (let cx = 0; cx < 4; cx++) {
          const sum = [0, 0, 0, 0];
          let n = 0;
          for (let y = cy * el.height / 2; y < (cy + 1) * el.height / 2; y++) {
            for (let x = cx * el.width / 4; x < (cx + 1) * el.width / 4; x++) {
              const i = (y * el.width + x) * 4;
              for (let c = 0; c < 4; c++) sum[c] += pixels[i + c];
              n++;
            }
          }
          cells.push(sum.map((v) => Math.round(v / n)).join(','));
        }
        out.push(id + ' cells=' + cells.join(' '));
      }
      if (el.hasAttribute('data-probe')) {
        const s = getComputedStyle(el);
        const colours = ' color=' + s.color + ' background=' + s.backgroundColor;
        out.push(id + colours + ' display=' + s.display);
      }
    }
  };
  visit(doc, '');
  return out;
}"""

DESCRIBE_JS = "([doc, serialise, state]) => [eval(serialise)([doc, "
DESCRIBE_JS += json.dumps(NO_HINTS) + "]), eval(state)(doc)]"

LIVE_JS = (
    "([serialise, state]) => { window.sessiontape.recorder.stop();"
    " const describe = " + DESCRIBE_JS + "; return describe([document, serialise, state]); }"
)

REPLAY_JS = """async ([events, serialise, state, played, options]) => {
  const replayer = new rrweb.Replayer(events, Object.assign({
    root: document.body, mouseTail: false, showWarning: false, triggerFocus: false,
  }, options));
  if (played) {
    // Played in real time, as a viewer does, not seeked: events apply one by one to the page.
    await new Promise((r) => { replayer.on('finish', r); replayer.play(); });
  } else replayer.pause(replayer.getMetaData().totalTime + 1);
  const doc = replayer.iframe.contentDocument;
  await new Promise((r) => setTimeout(r, 300));
  window.replayer = replayer;
  const describe = DESCRIBE;
  return describe([doc, serialise, state]);
}""".replace("DESCRIBE", DESCRIBE_JS)


@dataclass
class Described:
    dom: list[str]
    state: list[str]


def record(page: Page, collector: Collector, name: str) -> None:
    page.set_viewport_size(VIEWPORT)
    page.goto(collector.url(f"/demo/round2/{name}"))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    page.wait_for_load_state("load")
    page.evaluate("window.sessiontape.recorder.flush()")  # the snapshot is out


def fetch(page: Page, sdk: Client) -> Recording:
    session_id = page.evaluate("window.sessiontape.recorder.sessionId")
    page.evaluate("window.sessiontape.recorder.flush()")
    return sdk.sessions.fetch(session_id)


def replay(
    context: BrowserContext,
    recording: Recording,
    played: bool = False,
    options: dict[str, object] | None = None,
) -> Described:
    """`recording` replayed and seeked to its end, or (`played`) played through in real time;
    `options` go to the Replayer (e.g. ``UNSAFE_replayCanvas``)."""
    events = json.loads(recording.to_rrweb_json())
    with replay_page(context) as page:
        dom, state = page.evaluate(
            REPLAY_JS, [events, SERIALISE_JS, STATE_JS, played, options or {}]
        )
        return Described(dom, state)


def live_and_replayed(
    page: Page,
    context: BrowserContext,
    sdk: Client,
    played: bool = False,
    options: dict[str, object] | None = None,
) -> tuple[Described, Described]:
    """Stops the recorder, describes the live page, then its replay (see replay())."""
    page.wait_for_timeout(100)  # the last changes are delivered
    dom, state = page.evaluate(LIVE_JS, [SERIALISE_JS, STATE_JS])
    return Described(dom, state), replay(context, fetch(page, sdk), played, options)
