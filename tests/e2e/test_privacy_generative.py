"""Generative privacy test: random private pages and random operations, checked on the bytes that
left Chromium (the Tap keeps every request the recorder sends, gzip undone).

For each seed (tests/e2e/privacy_gen.py) the page is served by the collector, which injects the
real recorder; the test runs the seed's operations (typing, pasting, scripts setting values and
attributes, "show password" toggles, subtrees added, moved and removed, marks added, clicks on
blocked boxes, history.pushState with secret parameters), flushes once and checks:

- no 6-character fragment of any secret was sent (10 digits for digit-only secrets anywhere, and
  6-digit groups inside any JSON string, where numbers such as timestamps are not);
- no Input event, value or named key of a private field; the chosen option or radio of a private
  select or ignored group is never sent as selected or checked; no pointer position inside a
  blocked box;
- every ordinary nonce (text and typed values outside any mark) arrived.

`--privacy-seeds=N` runs seeds 0..N-1; `--privacy-seed=S` replays one seed. A failure prints the
seed, the generated page and the operations.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, Route

from tests.e2e.collector_tap import Tap
from tests.e2e.privacy_gen import PageSpec, generate

DEFAULT_SEEDS = list(range(1, 31))
PAGE = "/demo/privacy-lab/generated.html"
SLOW_FRAME_MS = 400


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "seed" not in metafunc.fixturenames:
        return
    chosen: list[int] = metafunc.config.getoption("--privacy-seed", default=[]) or []
    many: int = metafunc.config.getoption("--privacy-seeds", default=0) or 0
    metafunc.parametrize("seed", chosen or (list(range(many)) if many else DEFAULT_SEEDS))


def serve(page: Page, spec: PageSpec) -> None:
    build = json.dumps(spec.build).replace("<", "\\u003c")
    generated = f'<main id="gen-root">{spec.html}</main><script>GEN.build({build});</script>'

    def host(route: Route) -> None:
        response = route.fetch()  # through the Tap and the collector, which injects the recorder
        body = response.text().replace('<main id="gen-root"></main>', generated)
        route.fulfill(response=response, body=body)

    def slow_frame(route: Route) -> None:
        time.sleep(SLOW_FRAME_MS / 1000)
        route.continue_()

    page.route("**/privacy-lab/generated.html*", host)
    if spec.slow_frames:
        page.route("**/privacy-lab/frame.html?slow=*", slow_frame)


def run(page: Page, op: tuple[Any, ...], clicked: list[dict[str, Any]]) -> None:
    kind = op[0]
    if kind == "run":
        page.evaluate("([name, args]) => GEN.run(name, args)", [op[1], list(op[2:])])
        if op[1] == "insert":  # frames served by the collector load before they are used
            page.wait_for_function("GEN.busy === 0")
    elif kind in ("type", "paste", "press"):
        page.evaluate("(id) => GEN.run('focus', [id])", op[1])
        if kind == "type":
            page.keyboard.type(op[2])
        elif kind == "paste":
            page.keyboard.insert_text(op[2])
        else:
            page.keyboard.press(op[2])
    elif kind == "click_block":
        box = page.evaluate("(id) => GEN.run('rect', [id])", op[1])
        clicked.append(box)
        if box["top"]:
            left, top, right, bottom = box["top"]
            page.mouse.click((left + right) / 2, (top + bottom) / 2)
    else:
        raise AssertionError(f"unknown operation {op!r}")


# -- reading what was sent --------------------------------------------------------------------


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v)


def events_in(tap: Tap) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for sent in tap.ingest():
        events += json.loads(sent.body)["events"]
    return events


def nodes_in(events: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
        yield node
        for child in node.get("childNodes", []):
            yield from walk(child)

    for event in events:
        data = event.get("data", {})
        if event["type"] == 2:
            yield from walk(data["node"])
        elif event["type"] == 3 and data.get("source") == 0:
            for added in data.get("adds", []):
                yield from walk(added["node"])


def fragments(secret: str, size: int) -> set[str]:
    size = min(size, len(secret))
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def leaks(spec: PageSpec, tap: Tap, clicked: list[dict[str, Any]]) -> list[str]:
    raw = tap.ingested_text()
    events = events_in(tap)
    strings = "\n".join(strings_in(events))
    found: list[str] = []
    for secret in spec.secrets:
        pieces = {p for p in fragments(secret, 10 if secret.isdigit() else 6) if p in raw}
        pieces |= {p for p in fragments(secret, 6) if p.isdigit() and p in strings}
        if pieces:
            where = spec.origins.get(secret, "")
            found.append(f"secret {secret!r} of {where} left the browser: {sorted(pieces)}")

    by_dom_id: dict[int, str] = {}
    for node in nodes_in(events):
        dom_id = node.get("attributes", {}).get("id")
        if isinstance(dom_id, str):
            by_dom_id[node["id"]] = dom_id
    private, chosen = set(spec.private_ids), set(spec.chosen_ids)
    for node in nodes_in(events):
        dom_id, attributes = node.get("attributes", {}).get("id"), node.get("attributes", {})
        if dom_id in private and attributes.get("value") not in (None, ""):
            found.append(f"private field #{dom_id} sent with value {attributes['value']!r}")
        if dom_id in chosen and (attributes.get("selected") or attributes.get("checked")):
            found.append(f"#{dom_id}, the chosen one of a private field, sent as chosen")
    for event in events:
        data = event.get("data", {})
        if event["type"] == 3 and data.get("source") == 0:
            for change in data.get("attributes", []):
                dom_id = by_dom_id.get(change["id"])
                touched = change["attributes"]
                if dom_id in private and {"value", "data-value"} & set(touched):
                    found.append(f"private field #{dom_id}: attribute change {touched!r}")
                if dom_id in chosen and (touched.get("selected") or touched.get("checked")):
                    found.append(f"#{dom_id}: made chosen in an attribute change {touched!r}")
        if event["type"] == 3 and data.get("source") == 5:
            dom_id = by_dom_id.get(data["id"])
            if dom_id in private or (dom_id in chosen and data.get("isChecked")):
                found.append(f"Input event of private #{dom_id}: {data!r}")
        if event["type"] == 5 and data.get("tag") == "key":
            found.append(f"named key from a private field recorded: {data['payload']!r}")
        positions: list[dict[str, Any]] = []
        if event["type"] == 3 and data.get("source") == 1:
            positions = data.get("positions", [])
        elif event["type"] == 3 and data.get("source") == 2 and "x" in data:
            positions = [data]
        for pos in positions:
            for box in clicked:
                for rect in (box["top"], box["local"]):
                    if rect and rect[0] <= pos["x"] <= rect[2] and rect[1] <= pos["y"] <= rect[3]:
                        found.append(f"pointer position inside a blocked box {rect}: {pos!r}")
    for nonce in spec.nonces:
        if nonce not in raw:
            found.append(f"ordinary {nonce!r} of {spec.origins.get(nonce)} did not arrive")
    return sorted(set(found))


def test_no_secret_leaves_a_generated_page(page: Page, tap: Tap, seed: int) -> None:
    spec = generate(seed)
    serve(page, spec)
    page.goto(tap.url(f"{PAGE}?{spec.query}"), referer=spec.referrer or None)
    page.wait_for_function("window.sessiontape.recorder && window.sessiontape.recorder.sessionId")
    page.wait_for_function("GEN.busy === 0")
    clicked: list[dict[str, Any]] = []
    try:
        for op in spec.ops:
            run(page, op, clicked)
        page.wait_for_function("GEN.busy === 0")
        page.evaluate("window.sessiontape.recorder.flush()")
    except Exception as error:
        raise AssertionError(f"the page failed to run: {error}\n\n{spec.describe()}") from error

    found = leaks(spec, tap, clicked)
    assert not found, "\n".join(found) + "\n\n" + spec.describe()
