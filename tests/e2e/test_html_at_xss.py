"""``Recording.html_at()`` output is script-free: no payload of the corpus runs when the output is
opened in Chromium (with the Content-Security-Policy meta it carries, and without it), no
injected content swallows the markup after it, and benign markup survives unchanged.

The corpus (tests/fixtures/xss_cases.py) holds the attack classes found against html_at, each as
the events an attacker would post, and every public payload of tests/fixtures/xss_payloads.py
placed in every injection site a session offers (elements, text, comments, style text, titles,
textarea values, stylesheet text, attribute values, tag and attribute names, the doctype, and the
same again through mutations and input events).
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from sessiontape import Recording
from sessiontape._html import CHARSET_META
from sessiontape._html import CSP_META as CSP_META_TAG
from tests.e2e.xss_harness import CanaryServer, Outcome, canary_js, open_all
from tests.fixtures.xss_cases import PWN, Case, crafted_cases
from tests.fixtures.xss_corpus import corpus
from tests.fixtures.xss_events import Tree, mutation, snapshot_events
from tests.fixtures.xss_payloads import BENIGN, PUBLIC_PAYLOADS

CSP_META = re.compile(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>", re.IGNORECASE)
PREAMBLE = CHARSET_META + CSP_META_TAG


def rebuild(events: list[dict[str, Any]]) -> str:
    recording = Recording.from_raw("0" * 32, events)
    return recording.html_at(max(e["timestamp"] for e in events))


def with_canary(case: Case, origin: str, case_id: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = json.loads(
        json.dumps(case.events).replace(PWN, canary_js(origin, case_id))
    )
    return events


def report(cases: list[Case], outcomes: list[Outcome]) -> str:
    lines = []
    for case, outcome in zip(cases, outcomes, strict=True):
        if outcome.executed or outcome.missing_sentinels:
            lines.append(
                f"{case.name}: dialogs={outcome.dialogs[:2]} hits={outcome.hits} "
                f"pwned={outcome.pwned} missing={outcome.missing_sentinels[:3]} {outcome.error}"
            )
    return "\n".join(lines)


def test_the_corpus_is_large_and_covers_the_reported_classes():
    assert len(PUBLIC_PAYLOADS) >= 100
    assert len(crafted_cases()) >= 28
    assert len(corpus()) == len(PUBLIC_PAYLOADS) + len(crafted_cases())


def run_corpus(cases: list[Case], csp: bool, launch_args: dict[str, Any]) -> None:
    started = time.monotonic()
    server = CanaryServer()
    jobs = []
    for index, case in enumerate(cases):
        case_id = f"c{index}"
        html = rebuild(with_canary(case, server.origin, case_id))
        if csp:
            assert html.startswith(PREAMBLE) or html.startswith("<!DOCTYPE html>" + PREAMBLE)
        else:
            html = CSP_META.sub("", html)
            assert "Content-Security-Policy" not in html
        server.documents[f"/doc/{index}.html"] = html
        jobs.append((f"/doc/{index}.html", case_id, case.sentinels))
    with server.running():
        outcomes = open_all(launch_args, server, jobs)

    executed = [c.name for c, o in zip(cases, outcomes, strict=True) if o.executed]
    swallowed = [c.name for c, o in zip(cases, outcomes, strict=True) if o.missing_sentinels]
    errors = [f"{c.name}: {o.error}" for c, o in zip(cases, outcomes, strict=True) if o.error]
    print(
        f"\n{len(cases)} cases, csp={csp}: {len(executed)} executed, {len(swallowed)} swallowed "
        f"markup, {time.monotonic() - started:.1f} s"
    )
    assert not executed, report(cases, outcomes)
    assert not swallowed, report(cases, outcomes)
    assert not errors, errors


def test_no_payload_runs_without_the_csp_meta(browser_type_launch_args: dict[str, Any]):
    """The serialiser alone makes the output script-free: the whole corpus, CSP meta removed."""
    run_corpus(corpus(), csp=False, launch_args=browser_type_launch_args)


def test_no_crafted_payload_runs_with_the_csp_meta(browser_type_launch_args: dict[str, Any]):
    """The output as html_at returns it, CSP meta first, on the reported attack classes."""
    run_corpus(crafted_cases(), csp=True, launch_args=browser_type_launch_args)


def test_the_csp_meta_alone_stops_scripts_that_reach_the_page(
    browser_type_launch_args: dict[str, Any],
):
    """Defence in depth: raw payloads pasted into html_at output run without the meta and not
    with it (the meta comes first, so nothing before it can run)."""
    raw = [p for p in PUBLIC_PAYLOADS if re.search(r"<script>|<\w+ on[a-z]+=", p, re.I)][:24]
    base = rebuild(benign_events("", "<p>page</p>", via_mutation=False))
    assert base.startswith("<!DOCTYPE html>" + PREAMBLE)
    server = CanaryServer()
    jobs = []
    for index, payload in enumerate(raw):
        for csp in (True, False):
            html = base if csp else CSP_META.sub("", base)
            path = f"/raw-{index}-{csp}.html"
            server.documents[path] = html.replace("<p>page</p>", f"<p>page</p>{payload}")
            jobs.append((path, f"r{index}{csp}", []))
    with server.running():
        outcomes = open_all(browser_type_launch_args, server, jobs)
    with_meta = [raw[i // 2] for i, o in enumerate(outcomes) if i % 2 == 0 and o.executed]
    without_meta = [raw[i // 2] for i, o in enumerate(outcomes) if i % 2 == 1 and o.executed]
    assert with_meta == []
    assert len(without_meta) >= len(raw) * 2 // 3, "the raw payloads are live without the meta"


# --- benign markup survives ----------------------------------------------------------------------

DOM_JS = """() => {
  const out = [];
  const visit = (node, depth) => {
    if (node.nodeType === 3) {
      if (node.parentElement && node.parentElement.localName === 'style') return;
      out.push(depth + ' "' + node.data + '"');
      return;
    }
    if (node.nodeType === 8) { out.push(depth + ' <!--' + node.data + '-->'); return; }
    if (node.nodeType !== 1) return;
    const el = node;
    const ours = el.hasAttribute('charset') || el.hasAttribute('http-equiv');
    if (el.localName === 'meta' && ours) return;
    const attrs = [...el.attributes].map((a) => a.name + '=' + JSON.stringify(a.value)).sort();
    const style = getComputedStyle(el);
    const before = getComputedStyle(el, '::before').content;
    const name = el.namespaceURI.split('/').pop() + ':' + el.localName;
    out.push(depth + ' <' + name + ' ' + attrs.join(' ')
      + '> color=' + style.color + ' bg=' + style.backgroundImage + ' ml=' + style.marginLeft
      + ' font=' + style.fontFamily + ' before=' + before
      + ('value' in el && typeof el.value === 'string' ? ' .value=' + JSON.stringify(el.value) : '')
      + ('checked' in el ? ' .checked=' + el.checked : '')
      + ('selected' in el ? ' .selected=' + el.selected : ''));
    for (let k = el.firstChild; k; k = k.nextSibling) visit(k, depth + 1);
  };
  visit(document.documentElement, 0);
  return out;
}"""


def benign_events(head: str, body: str, via_mutation: bool) -> list[dict[str, Any]]:
    tree = Tree()
    holder = tree.element("main", {})
    body_nodes = [holder] if via_mutation else [holder, *tree.markup(body)]
    events = snapshot_events(tree.document(tree.markup(head), body_nodes))
    if via_mutation:
        events.append(mutation(100, adds=[(holder["id"], n) for n in tree.markup(body)]))
    return events


def original(head: str, body: str, via_mutation: bool) -> str:
    inner = f"<main>{body}</main>" if via_mutation else f"<main></main>{body}"
    return f'<!DOCTYPE html><html lang="en"><head>{head}</head><body>{inner}</body></html>'


@pytest.mark.parametrize("via_mutation", [False, True], ids=["snapshot", "mutation"])
def test_benign_markup_survives(via_mutation: bool, browser_type_launch_args: dict[str, Any]):
    server = CanaryServer()
    for index, (_, head, body) in enumerate(BENIGN):
        server.documents[f"/orig-{index}.html"] = original(head, body, via_mutation)
        server.documents[f"/doc-{index}.html"] = rebuild(benign_events(head, body, via_mutation))
    with server.running():
        doms = _dom_of_all(browser_type_launch_args, server, len(BENIGN))
    for index, (name, _, _) in enumerate(BENIGN):
        assert doms[f"/doc-{index}.html"] == doms[f"/orig-{index}.html"], name


def _dom_of_all(launch_args: dict[str, Any], server: CanaryServer, count: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    from tests.conftest import run_async

    async def read() -> dict[str, Any]:
        doms: dict[str, Any] = {}
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**launch_args)
            page = await browser.new_page()
            await page.route(lambda url: not url.startswith(server.origin), lambda r: r.abort())
            for index in range(count):
                for path in (f"/orig-{index}.html", f"/doc-{index}.html"):
                    await page.goto(server.origin + path)
                    doms[path] = await page.evaluate(DOM_JS)
            await browser.close()
        return doms

    return run_async(read())
