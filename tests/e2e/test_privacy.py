"""Nothing private leaves the browser: checked on the bytes of every request the recorder sends
(fetches and beacons, gzip undone), kept by a proxy in front of the collector.

A secret "leaks" if any 6 consecutive characters of it (10 for digit-only secrets, which could
otherwise match timestamps) appear in what was sent, or, for field values, if a run of exactly
as many '*' as it has characters appears (its length, masked). Secrets are random letters, so
neither happens by chance; each test also checks that ordinary content nearby does arrive, so a
recorder that sent nothing would fail.
"""

from __future__ import annotations

import json
import random

import pytest
from playwright.sync_api import Page, Route

from tests.conftest import Collector
from tests.e2e.collector_tap import Tap, star_runs

LAB = "/demo/privacy-lab/index.html"

# Values written in testsite/privacy-lab (index.html, lab.js).
PREFILLED_PASSWORD = "zwvVKvZVkvwVVQJkjKzXw"
SCRIPT_BEFORE_START = "QWVkKjzXZXQJVQJKKwWWJwq"
SCRIPT_AFTER_START = "zjkjVWwJwkQkzKVKWJwJxZWjQ"
HIDDEN_TOKEN = "wwjwWQVwkxWVXjWkqVvQXzzZjQv"
HIDDEN_LATER = "jjKkvkVkJxQVwxQJJwVVvxkwWkQxv"
PREFILLED_CARD = "4716190207394368"
MASKED_TEXT = "ZXkKwwvvKQz"
MASKED_ATTRIBUTES = ["kqKzzZXJwVVq", "qWQXKJZqzkWZZ", "KzQkwxQkqvvvvV", "jkvXWVWXkKQVkJZ"]
MASKED_BUTTON_VALUE = "JVZWvkzwXV"
MASKED_BUTTON_TEXT = "zQWzqxjkKKvJWkxZw"
MASKED_LATER = ["XKwKxJZkWWVjJvWvjw", "qkQJQXwVvzZ", "VzVkJxqWxQzQ", "vkwzvxwXqZzQQ"]
BLOCKED = ["xKQwWjKJvQkkjq", "KZZvKwvWQvjZzXQ", "vwVZKXxwvVqVkVvK"]
MASKED_LENGTHS = {len(s) for s in [MASKED_TEXT, MASKED_BUTTON_VALUE, MASKED_BUTTON_TEXT]}
MASKED_LENGTHS |= {len(s) for s in MASKED_ATTRIBUTES + MASKED_LATER}

_lengths = iter(range(30, 90))


def secret() -> str:
    """A new random-letter secret, each of a length no other secret or masked text has."""
    length = next(_lengths)
    return "".join(random.choice("QXZJKVWqxzjkvw") for _ in range(length))


def pieces(value: str) -> set[str]:
    size = min(len(value), 10 if value.isdigit() else 6)
    return {value[i : i + size] for i in range(len(value) - size + 1)}


def assert_never_sent(tap: Tap, *values: str, length_too: bool = True) -> None:
    sent = tap.ingested_text()
    for value in values:
        leaked = sorted(p for p in pieces(value) if p in sent)
        assert not leaked, f"{value!r} left the browser: {leaked}"
        if length_too:
            assert len(value) not in MASKED_LENGTHS  # else the check below proves nothing
            assert star_runs(sent, len(value)) == 0, f"the length of {value!r} left the browser"


def open_lab(page: Page, tap: Tap, path: str = LAB) -> None:
    page.goto(tap.url(path))
    page.wait_for_function("window.sessiontape.recorder && window.sessiontape.recorder.sessionId")


def flush(page: Page) -> None:
    page.evaluate("window.sessiontape.recorder.flush()")


def test_passwords_typed_toggled_added_prefilled_or_set_by_script(page: Page, tap: Tap):
    typed, shown, early, dynamic = secret(), secret(), secret(), secret()
    open_lab(page, tap)
    page.locator("#pw").press_sequentially(typed, delay=2)
    page.locator("#pw").press("Backspace")
    page.click("#pw-toggle")  # "show password": the field is type=text now
    assert page.locator("#pw").get_attribute("type") == "text"
    page.locator("#pw").press_sequentially(shown, delay=2)
    page.click("#pw-toggle")
    # Toggled to text by the page before recording started, then typed into.
    page.locator("#early-toggle").press_sequentially(early, delay=2)
    page.click("#set-script-pw")
    page.click("#add-password")
    page.locator("#dynamic-pw").press_sequentially(dynamic, delay=2)
    page.locator("#nickname").press_sequentially("an ordinary nickname", delay=2)
    flush(page)

    sent = tap.ingested_text()
    assert "an ordinary nickname" in sent
    whole_value = page.locator("#pw").input_value()
    assert shown in whole_value
    assert typed[:-1] in whole_value
    assert_never_sent(
        tap,
        typed,
        whole_value,
        shown,
        early,
        dynamic,
        PREFILLED_PASSWORD,
        SCRIPT_BEFORE_START,
        SCRIPT_AFTER_START,
    )


def test_passwords_in_a_shadow_root_and_a_same_origin_frame(page: Page, tap: Tap):
    in_shadow, in_frame = secret(), secret()
    open_lab(page, tap)
    page.locator("#shadow-pw").press_sequentially(in_shadow, delay=2)
    page.locator("#shadow-name").press_sequentially("shadow nickname", delay=2)
    frame = page.frame_locator("#lab-frame")
    frame.locator("#frame-pw").press_sequentially(in_frame, delay=2)
    frame.locator("#frame-name").press_sequentially("frame nickname", delay=2)
    flush(page)

    sent = tap.ingested_text()
    # What is not private in the same shadow root and frame is recorded: they are captured.
    for ordinary in (
        "Shadow text that may be recorded",
        "shadow nickname",
        "Frame text that may be recorded",
        "frame nickname",
    ):
        assert ordinary in sent
    assert_never_sent(tap, in_shadow, in_frame)


def test_card_fields_one_time_codes_and_hidden_inputs(page: Page, tap: Tap):
    card_number = "5186001700009726"
    field_secrets = {
        "#expiry": secret(),
        "#cvv": secret(),
        "#ac-number": secret(),
        "#ac-exp": secret(),
        "#ac-csc": secret(),
        "#otp": secret(),
        "#otp-named": secret(),
    }
    open_lab(page, tap)
    page.locator("#cardno").press_sequentially(card_number, delay=2)
    for selector, value in field_secrets.items():
        page.locator(selector).press_sequentially(value, delay=2)
    page.click("#set-hidden")
    page.locator("#nickname").press_sequentially("still recorded", delay=2)
    flush(page)

    assert "still recorded" in tap.ingested_text()
    assert_never_sent(
        tap, card_number, PREFILLED_CARD, HIDDEN_TOKEN, HIDDEN_LATER, *field_secrets.values()
    )


def test_masked_blocked_and_ignored_content_also_after_changes(page: Page, tap: Tap):
    ignored, blocked_typed, later_ignored = secret(), secret(), secret()
    later_masked, later_blocked, later_title = secret(), secret(), secret()
    open_lab(page, tap)
    page.click("#change-masked")
    page.click("#change-blocked")
    page.locator("#ignored-input").press_sequentially(ignored, delay=2)
    page.locator("#blocked-input").press_sequentially(blocked_typed, delay=2)
    page.click("#mark-later")  # data-st-mask / -block / -ignore added after the snapshot
    page.evaluate(
        """([masked, blocked, title]) => {
          document.getElementById('later-mask').textContent = masked;
          document.getElementById('later-mask').title = title;
          document.getElementById('later-block').textContent = blocked;
        }""",
        [later_masked, later_blocked, later_title],
    )
    page.locator("#later-input").press_sequentially(later_ignored, delay=2)
    flush(page)

    sent = tap.ingested_text()
    assert "Shown until it is marked" in sent  # recorded before it was marked
    # Masked text keeps its length (same-length placeholders), by design.
    assert star_runs(sent, len(MASKED_TEXT)) >= 1
    assert star_runs(sent, len(MASKED_LATER[0])) >= 1
    assert_never_sent(
        tap,
        MASKED_TEXT,
        MASKED_BUTTON_VALUE,
        MASKED_BUTTON_TEXT,
        *MASKED_ATTRIBUTES,
        *MASKED_LATER,
        *BLOCKED,
        later_masked,
        later_blocked,
        later_title,
        length_too=False,
    )
    assert_never_sent(tap, ignored, blocked_typed, later_ignored)


OPTIONS_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Options</title></head><body>
<h1 id="heading">{heading}</h1>
<p class="private-note">{note}</p>
<div class="boxed"><p>{boxed}</p><input id="boxed-input"></div>
<div class="no-record"><input id="ignored-input"></div>
<input id="plain" title="{title}">
<script type="module">
  import {{ start }} from "/recorder.mjs";
  const options = {{ endpoint: location.origin, key: "{key}", ...{options} }};
  window.sessiontape = {{ recorder: start(options) }};
</script>
</body></html>"""


def open_options_page(page: Page, tap: Tap, collector: Collector, options: dict, **text: str):
    html = OPTIONS_PAGE.format(key=collector.write_key, options=json.dumps(options), **text)

    def serve(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=html)

    page.route(tap.url("/lab/options.html"), serve)
    open_lab(page, tap, "/lab/options.html")


def test_selector_options_mask_block_and_ignore(page: Page, tap: Tap, collector: Collector):
    text = {"heading": "An ordinary heading", "note": secret(), "boxed": secret(), "title": "t"}
    typed_ignored, typed_boxed = secret(), secret()
    options = {
        "maskTextSelector": ".private-note",
        "blockSelector": [".boxed"],
        "ignoreSelector": ".no-record",
    }
    open_options_page(page, tap, collector, options, **text)
    page.locator("#ignored-input").press_sequentially(typed_ignored, delay=2)
    page.locator("#boxed-input").press_sequentially(typed_boxed, delay=2)
    page.locator("#plain").press_sequentially("plain typing", delay=2)
    flush(page)

    sent = tap.ingested_text()
    assert "An ordinary heading" in sent
    assert "plain typing" in sent
    assert star_runs(sent, len(text["note"])) == 1  # masked, same length
    assert_never_sent(tap, text["note"], text["boxed"], length_too=False)
    assert_never_sent(tap, typed_ignored, typed_boxed)


def test_mask_all_text_and_all_inputs(page: Page, tap: Tap, collector: Collector):
    text = {"heading": secret(), "note": secret(), "boxed": secret(), "title": secret()}
    typed = secret()
    open_options_page(page, tap, collector, {"maskAllText": True, "maskAllInputs": True}, **text)
    page.locator("#plain").press_sequentially(typed, delay=2)
    flush(page)

    sent = tap.ingested_text()
    assert star_runs(sent, len(text["heading"])) >= 1
    assert star_runs(sent, len(typed)) >= 1  # the field's value, as placeholders
    assert_never_sent(tap, typed, *text.values(), length_too=False)


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/demo/login.html", ["#login-password"]),
        ("/demo/signup.html", ["#signup-password", "#signup-confirm"]),
        (
            "/demo/checkout.html",
            [
                "#card-number",
                "#card-expiry",
                "#card-cvc",
                "#otp",
                "#gift-card-number",
                "#gift-card-cvc",
            ],
        ),
    ],
)
def test_demo_shop_secrets(page: Page, tap: Tap, path: str, fields: list[str]):
    values = {selector: secret() for selector in fields}
    open_lab(page, tap, path)
    for selector, value in values.items():
        page.locator(selector).press_sequentially(value, delay=2)
        if selector == "#signup-password":
            page.click("#toggle-password")  # shown as text, then typed into again
            page.locator(selector).press_sequentially(value[::-1], delay=2)
    flush(page)
    page.close(run_before_unload=True)

    assert "Tape & Co." in tap.ingested_text()  # the page itself was recorded
    assert_never_sent(tap, *values.values(), *(v[::-1] for v in values.values()))
    assert "csrf-7f3a9c1e5b2d4f60a8e1" not in tap.ingested_text()
