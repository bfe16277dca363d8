"""The pytest plugin as a QA engineer meets it: a test suite of their own, run by pytest with
pytest-playwright in a fresh process, against the demo shop; then its artifacts, read back with
the SDK and replayed in Chromium with the network cut off."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from playwright.sync_api import Page, Route
from slugify import slugify

from sessiontape import Client, Recording
from sessiontape.codec import decode_json_events
from sessiontape.events import IncrementalSnapshotEvent, MouseMoveData
from tests.conftest import Collector
from tests.e2e.test_replay_fidelity import HINTS_JS, SERIALISE_JS, assert_same_dom

pytest_plugins = ["pytester"]

MODULE = "test_qa_suite.py"
TESTS = {
    "signup": "test_signup_passes",
    "checkout": "test_checkout_fails",
    "own_context": "test_own_context",
    "closes_browser": "test_closes_browser_itself",
    "hangs": "test_page_hangs",
    "fixture": "test_recording_fixture",
}
ARTIFACTS = ("sessiontape.json", "sessiontape.html")

SUITE = """
import json
from pathlib import Path

SHOP = {shop!r}
COUNTS = Path(__file__).parent / "counts.json"
SITE_SESSION = Path(__file__).parent / "site_session.txt"
SERIALISE = {serialise!r}
HINTS_JS = {hints_js!r}


def test_signup_passes(page):
    page.goto(SHOP + "signup.html")
    page.fill("#signup-name", "Ada Lovelace")
    page.fill("#signup-password", "hunter2-secret-pw")


def test_checkout_fails(page):
    page.goto(SHOP + "checkout.html")
    page.fill("#ship-name", "Grace Hopper")
    page.fill("#card-number", "4242 4242 4242 4242")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    hints = page.evaluate(HINTS_JS)
    live = page.evaluate("(s) => eval(s)([document, {{private: [], blocked: []}}])", SERIALISE)
    (Path(__file__).parent / "live_dom.json").write_text(json.dumps([hints, live]))
    assert page.title() == "a title the shop does not have"


def test_own_context(browser):
    context = browser.new_context()  # not pytest-playwright's: left open, on purpose
    page = context.new_page()
    page.goto(SHOP + "index.html")
    page.fill("#newsletter-email", "own-context@example.com")


def test_closes_browser_itself(browser_type, browser_type_launch_args):
    browser = browser_type.launch(**browser_type_launch_args)
    page = browser.new_page()
    page.goto(SHOP + "signup.html")
    page.fill("#signup-name", "x")
    emitted = page.evaluate("window.__sessiontapeQA ? window.__sessiontapeQA.emitted() : -1")
    COUNTS.write_text(json.dumps({{"emitted_before_typing": emitted}}))
    page.locator("#signup-name").press_sequentially(" last words")
    page.mouse.move(20, 20)
    page.mouse.move(240, 180, steps=4)  # the recorder holds mouse paths for up to 500 ms
    browser.close()  # straight after


def test_page_hangs(page):
    page.goto(SHOP + "signup.html")
    page.fill("#signup-name", "before the hang")
    page.evaluate("setTimeout(() => {{ for (;;) {{}} }}, 0)")  # the page never answers again


def test_recording_fixture(page, sessiontape_recording):
    page.goto(SHOP + "signup.html")
    page.fill("#signup-email", "fixture@example.com")
    page.fill("#signup-password", "fixture-secret-pw")
    typed = {{field.value for field in sessiontape_recording.typed_text().values()}}
    assert "fixture@example.com" in typed
    assert "fixture-secret-pw" not in sessiontape_recording.to_rrweb_json()
    # the shop's own recorder (its script tag) still records to its collector
    page.evaluate("window.sessiontape.recorder.flush()")
    SITE_SESSION.write_text(page.evaluate("window.sessiontape.recorder.sessionId"))
"""

CONFTEST = """
import pytest

LAUNCH = {launch!r}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {{**browser_type_launch_args, **LAUNCH}}
"""


@pytest.fixture
def qa_suite(
    pytester: pytest.Pytester, collector: Collector, browser_type_launch_args: dict[str, Any]
) -> pytest.Pytester:
    """The QA engineer's project: the suite above, launching Chromium as this repository does."""
    launch = {k: v for k, v in browser_type_launch_args.items() if k in ("executable_path", "args")}
    pytester.makeconftest(CONFTEST.format(launch=launch))
    suite = SUITE.format(shop=collector.url("/demo/"), serialise=SERIALISE_JS, hints_js=HINTS_JS)
    pytester.makepyfile(**{MODULE[:-3]: suite})
    return pytester


def run(suite: pytest.Pytester, *args: str) -> pytest.RunResult:
    return suite.runpytest_subprocess("-p", "no:cacheprovider", "--junitxml=junit.xml", *args)


def folder(suite: pytest.Pytester, key: str) -> Path:
    """Where pytest-playwright keeps this test's artifacts (its slug of the node id)."""
    return suite.path / "test-results" / slugify(f"{MODULE}::{TESTS[key]}[chromium]")


def kept(suite: pytest.Pytester) -> set[str]:
    return {key for key in TESTS if any((folder(suite, key) / name).exists() for name in ARTIFACTS)}


def recording_of(suite: pytest.Pytester, key: str) -> Recording:
    """The artifact, decoded strictly by the SDK (a fault raises)."""
    data = (folder(suite, key) / "sessiontape.json").read_bytes()
    return Recording(key, decode_json_events(data, strict=True))


def typed_values(recording: Recording) -> set[str]:
    return {field.value for field in recording.typed_text().values()}


def junit_properties(suite: pytest.Pytester) -> dict[str, list[tuple[str, str]]]:
    tree = ElementTree.parse(suite.path / "junit.xml")
    return {
        case.attrib["name"]: [(p.attrib["name"], p.attrib["value"]) for p in case.iter("property")]
        for case in tree.iter("testcase")
    }


def test_on_keeps_every_test_with_all_its_pages_and_no_secret(
    qa_suite: pytest.Pytester, collector: Collector, page: Page
) -> None:
    result = run(qa_suite, "--sessiontape", "on")
    result.assert_outcomes(passed=5, failed=1)
    assert kept(qa_suite) == set(TESTS)

    signup = recording_of(qa_suite, "signup")
    assert "Ada Lovelace" in typed_values(signup)
    assert (
        b"hunter2-secret-pw" not in (folder(qa_suite, "signup") / "sessiontape.json").read_bytes()
    )

    checkout = recording_of(qa_suite, "checkout")
    assert "Grace Hopper" in typed_values(checkout)
    for name in ARTIFACTS:
        assert b"4242" not in (folder(qa_suite, "checkout") / name).read_bytes()
    assert [p.url for p in checkout.pages()] == [qa_suite_url(checkout, "checkout.html")]

    own = recording_of(qa_suite, "own_context")
    assert "own-context@example.com" in typed_values(own)

    closed = recording_of(qa_suite, "closes_browser")
    before = json.loads((qa_suite.path / "counts.json").read_text())["emitted_before_typing"]
    assert before > 0
    typed = " last words"
    assert "x last words" in typed_values(closed), "the keystrokes before browser.close() are lost"
    assert len(closed.events) >= before + len(typed)
    last_move = [
        e
        for e in closed.events
        if isinstance(e, IncrementalSnapshotEvent) and isinstance(e.data, MouseMoveData)
    ][-1]
    assert (last_move.data.positions[-1]["x"], last_move.data.positions[-1]["y"]) == (240, 180)

    site_session = (qa_suite.path / "site_session.txt").read_text()
    with Client(collector.base_url, collector.read_key) as sdk:
        assert "fixture@example.com" in typed_values(sdk.sessions.fetch(site_session))

    hung = recording_of(qa_suite, "hangs")  # what came before the hang is kept
    assert "before the hang" in typed_values(hung)

    # the failure names its replay, in the terminal and in the JUnit XML
    replay = f"test-results/{folder(qa_suite, 'checkout').name}/sessiontape.html"
    result.stdout.fnmatch_lines(["*- sessiontape -*", f"replay: {replay}"])
    assert ("sessiontape", replay) in junit_properties(qa_suite)[TESTS["checkout"] + "[chromium]"]

    # the replay opens offline and plays to the end of the failing test, where its DOM is the
    # live DOM at the end of the test (test_replay_fidelity's normalisation)
    hints, live_dom = json.loads((qa_suite.path / "live_dom.json").read_text())
    replay_dom = replay_offline(page, folder(qa_suite, "checkout") / "sessiontape.html", hints)
    assert_same_dom(live_dom, replay_dom)
    assert any("Grace Hopper" in line for line in replay_dom)


def qa_suite_url(recording: Recording, page_name: str) -> str:
    first = recording.pages()[0].url
    return first[: first.rindex("/") + 1] + page_name


def test_retain_on_failure_from_the_ini_file_keeps_only_the_failure_and_uploads_it(
    qa_suite: pytest.Pytester, collector: Collector
) -> None:
    qa_suite.makeini("[pytest]\nsessiontape = retain-on-failure\n")
    upload = [
        "--sessiontape-endpoint",
        collector.base_url,
        "--sessiontape-key",
        collector.write_key,
    ]
    result = run(qa_suite, *upload)
    result.assert_outcomes(passed=5, failed=1)
    assert kept(qa_suite) == {"checkout"}
    assert all((folder(qa_suite, "checkout") / name).exists() for name in ARTIFACTS)
    assert "Grace Hopper" in typed_values(recording_of(qa_suite, "checkout"))
    properties = junit_properties(qa_suite)
    assert [n for n, _ in properties[TESTS["checkout"] + "[chromium]"]].count("sessiontape") == 1
    assert not any(n == "sessiontape" for n, _ in properties[TESTS["signup"] + "[chromium]"])

    # the kept recording went to the collector too, as one session the SDK reads back
    (session,) = [
        v for n, v in properties[TESTS["checkout"] + "[chromium]"] if n == "sessiontape_session"
    ]
    result.stdout.fnmatch_lines(
        ["*sessiontape uploads*", f"*{TESTS['checkout']}*/sessions/{session}"]
    )
    with Client(collector.base_url, collector.read_key) as sdk:
        uploaded = sdk.sessions.fetch(session)
        summary = sdk.sessions.get(session)
    assert "Grace Hopper" in typed_values(uploaded)
    assert summary.browser == "Chrome", "named from the recorded browser, not the uploader"
    assert len(uploaded.events) == len(recording_of(qa_suite, "checkout").events)

    # the printed link opens that session in the viewer, once signed in with the site's read key
    with httpx.Client(base_url=collector.base_url) as viewer:
        viewer.post(
            "/signin", data={"key": collector.read_key}, headers={"Origin": collector.base_url}
        )
        page = viewer.get(f"/sessions/{session}")
    assert page.status_code == 200
    assert f'data-session-id="{session}"' in page.text


def test_off_keeps_nothing_but_the_fixture_still_records(qa_suite: pytest.Pytester) -> None:
    result = run(qa_suite, "--sessiontape", "off")
    result.assert_outcomes(passed=5, failed=1)  # test_recording_fixture passes: it recorded
    assert kept(qa_suite) == set()
    assert not list(qa_suite.path.rglob("sessiontape.*"))
    assert "- sessiontape -" not in result.stdout.str()


REPLAY_DOM_JS = """async ([serialise, hints]) => {
  const replayer = window.sessiontapePlayer.getReplayer();
  // rrweb applies the events before the offset it pauses at: one ms more takes the last too.
  replayer.pause(replayer.getMetaData().totalTime + 1);
  await new Promise((r) => setTimeout(r, 300));
  return eval(serialise)([replayer.iframe.contentDocument, hints]);
}"""


def replay_offline(page: Page, replay: Path, hints: dict[str, list[str]]) -> list[str]:
    """Opens the replay from disk with every network request refused, plays it to its end and
    returns its DOM, normalised; asserts that the player itself asked the network for nothing."""
    requested: list[str] = []

    def only_the_file(route: Route) -> None:
        if route.request.url == replay.as_uri():
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_file)
    page.goto(replay.as_uri())
    page.wait_for_function("() => !!window.sessiontapePlayer")
    dom: list[str] = page.evaluate(REPLAY_DOM_JS, [SERIALISE_JS, hints])
    # the recorded page's own images and styles, refused: the replay does without them
    assert all(url.startswith("http://127.0.0.1") for url in requested), requested
    return dom
