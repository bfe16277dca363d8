"""The recorder's field classifier (classify.ts) and card/IBAN detector (secrets.ts), run as
tables in real Chromium: both modules are bundled alone with esbuild and loaded into a page."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.classifier_cases import (
    FIELD_ROWS,
    MIXED_WIDTHS,
    REDACTED,
    SHADOW_ROWS,
    SPLIT_GROUPS,
    UNCHANGED,
    Row,
)

RECORDER = Path(__file__).parents[2] / "recorder_js"
ENTRY = """
import { secretKind } from './src/classify';
import { redactSecrets, redactTypedNumbers } from './src/secrets';
window.classifier = { secretKind, redactSecrets, redactTypedNumbers };
"""

CLASSIFY_ROWS = """([rows, shadow]) => rows.map(([html]) => {
  const host = document.body.appendChild(document.createElement('div'));
  const root = shadow ? host.attachShadow({ mode: 'open' }) : host;
  root.innerHTML = html;
  const field = root.querySelector('[data-t]')
    || root.querySelector('input, select, textarea, [contenteditable]');
  const kind = window.classifier.secretKind(field);
  host.remove();
  return kind;
})"""

CLASSIFY_GROUP_IN_ORDERS = """(html) => {
  const host = document.body.appendChild(document.createElement('div'));
  host.innerHTML = html;
  const fields = [...host.querySelectorAll('input')];
  const n = fields.length, middle = n >> 1;
  const orders = {
    'first box first': [...fields.keys()],
    'last box first': [...fields.keys()].reverse(),
    'middle box first': [...fields.keys()].map((i) => (i + middle) % n),
  };
  const result = {};
  for (const [name, order] of Object.entries(orders)) {
    const kinds = [];
    for (const i of order) kinds[i] = window.classifier.secretKind(fields[i]);
    result[name] = kinds;
  }
  host.remove();
  return result;
}"""


@pytest.fixture(scope="module")
def classifier_js() -> str:
    """classify.ts and secrets.ts bundled alone into a script exposing `window.classifier`."""
    built = subprocess.run(
        [
            str(RECORDER / "node_modules" / ".bin" / "esbuild"),
            "--bundle",
            "--format=iife",
            "--target=es2020",
            "--loader=ts",
            "--log-level=warning",
        ],
        input=ENTRY,
        cwd=RECORDER,
        capture_output=True,
        text=True,
        check=True,
    )
    return built.stdout


@pytest.fixture
def classifier(page: Page, classifier_js: str) -> Page:
    page.set_content("<!doctype html><html><head></head><body></body></html>")
    page.add_script_tag(content=classifier_js)
    return page


def misclassified(page: Page, rows: list[Row], shadow: bool = False) -> list[str]:
    kinds: list[str] = page.evaluate(CLASSIFY_ROWS, [rows, shadow])
    return [
        f"{html!r}: expected {expected!r}, got {kind!r}"
        for (html, expected), kind in zip(rows, kinds, strict=True)
        if kind != expected
    ]


def test_every_field_in_the_table_gets_its_kind(classifier: Page) -> None:
    wrong = misclassified(classifier, FIELD_ROWS)
    assert not wrong, "\n".join(wrong)


def test_labels_in_a_shadow_root_are_read_there(classifier: Page) -> None:
    wrong = misclassified(classifier, SHADOW_ROWS, shadow=True)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("html", "kind"), SPLIT_GROUPS)
def test_every_box_of_a_split_field_is_as_private_as_its_hinted_box(
    classifier: Page, html: str, kind: str
) -> None:
    by_order: dict[str, list[str]] = classifier.evaluate(CLASSIFY_GROUP_IN_ORDERS, html)
    for order, kinds in by_order.items():
        assert kinds == [kind] * len(kinds), order


def test_a_short_field_beside_a_private_one_of_another_width_stays_ordinary(
    classifier: Page,
) -> None:
    assert not misclassified(classifier, [(MIXED_WIDTHS, "")])


def test_card_numbers_and_ibans_are_masked_with_same_length_stars(classifier: Page) -> None:
    texts = [text for text, _ in REDACTED]
    results: list[str] = classifier.evaluate(
        "(texts) => texts.map((t) => window.classifier.redactSecrets(t))", texts
    )
    wrong = [
        f"{text!r}: expected {expected!r}, got {got!r}"
        for (text, expected), got in zip(REDACTED, results, strict=True)
        if got != expected
    ]
    assert not wrong, "\n".join(wrong)


def test_ordinary_numbers_and_invalid_ibans_pass_unchanged(classifier: Page) -> None:
    results: list[str] = classifier.evaluate(
        "(texts) => texts.map((t) => window.classifier.redactSecrets(t))", UNCHANGED
    )
    wrong = [
        f"{text!r} became {got!r}"
        for text, got in zip(UNCHANGED, results, strict=True)
        if got != text
    ]
    assert not wrong, "\n".join(wrong)


# A card number typed key by key into a field nobody marked: every value the recorder could send.
TYPED_CARD = "4716 1902 0739 4368"
TYPED_NUMBERS = [
    ("+49 170 1234567", "+49 *** *******"),
    ("order 12345678", "order ********"),
    ("call 0170 123 4567", "call **** *** ****"),
    ("2025-11-30", "2025-11-30"),
    ("1 299,00 EUR", "1 299,00 EUR"),
    ("born 1990, 3 kids", "born 1990, 3 kids"),
    ("123456", "123456"),
]


def test_numbers_typed_into_ordinary_fields_are_masked_from_the_seventh_digit(
    classifier: Page,
) -> None:
    prefixes = [TYPED_CARD[:n] for n in range(1, len(TYPED_CARD) + 1)]
    texts = prefixes + [text for text, _ in TYPED_NUMBERS]
    results: list[str] = classifier.evaluate(
        "(texts) => texts.map((t) => window.classifier.redactTypedNumbers(t))", texts
    )
    sent = "\n".join(results[: len(prefixes)])
    digits = TYPED_CARD.replace(" ", "")
    assert not [digits[i : i + 7] for i in range(len(digits) - 6) if digits[i : i + 7] in sent]
    assert "4716 19" in sent  # the issuer digits, not secret, still show while typing
    assert results[len(prefixes) :] == [expected for _, expected in TYPED_NUMBERS]


COST = """() => {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const pick = (list) => list[Math.floor(random() * list.length)];
  const words = ['the', 'order', 'ships', 'within', 'days', 'price', 'total', 'call', 'us', 'at',
    'reference', 'ticket', 'delivered', 'on', 'Lorem', 'ipsum', 'dolor', 'sit', 'amet', 'and'];
  const numbers = () => pick([
    String(Math.floor(random() * 100)), '1 299,00 EUR', '2025-11-30', '12:30', '+49 170 1234567',
    '#' + Math.floor(random() * 1e9), 'SKU-12-' + Math.floor(random() * 1e4), '100%',
    String(Date.now() - Math.floor(random() * 1e10)),
  ]);
  const parts = [];
  for (let size = 0; size < (1 << 20); ) {
    const word = random() < 0.15 ? numbers() : pick(words);
    parts.push(word);
    size += word.length + 1;
  }
  const big = parts.join(' ');
  const time = (fn, runs) => {
    const took = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      fn();
      took.push(performance.now() - t0);
    }
    return took.sort((a, b) => a - b)[runs >> 1];
  };
  const redact = window.classifier.redactSecrets;
  let out = big;
  const bigMs = time(() => { out = redact(big); }, 5);
  let changed = 0;
  for (let i = 0; i < big.length; i++) if (out[i] !== big[i]) changed++;
  const nodes = [];
  for (let at = 0; at + 80 <= big.length; at += 80) nodes.push(big.slice(at, at + 80));
  const nodesMs = time(() => { for (const t of nodes) redact(t); }, 5);
  const form = document.body.appendChild(document.createElement('form'));
  for (let i = 0; i < 1000; i++)
    form.insertAdjacentHTML('beforeend',
      `<label for="f${i}">Field ${i}</label><input id="f${i}" name="field_${i}" placeholder="x">`);
  const fields = [...form.querySelectorAll('input')];
  const classifyMs = time(() => { for (const f of fields) window.classifier.secretKind(f); }, 5);
  form.remove();
  return { mb: big.length / (1 << 20), bigMs, changed, nodes: nodes.length, nodesMs, classifyMs };
}"""


def test_cost_on_a_megabyte_of_ordinary_text(classifier: Page, capsys: Any) -> None:
    cost: dict[str, float] = classifier.evaluate(COST)
    with capsys.disabled():
        print(
            f"\nredactSecrets: {cost['mb']:.2f} MB of mixed text in {cost['bigMs']:.1f} ms"
            f" ({cost['changed']:.0f} characters masked as false positives);"
            f" as {cost['nodes']:.0f} texts of 80 characters: {cost['nodesMs']:.1f} ms."
            f" secretKind on 1000 labelled fields: {cost['classifyMs']:.1f} ms"
        )
    assert cost["mb"] >= 1
