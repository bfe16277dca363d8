"""The demo shop itself: what it shows a visitor is right (tests drive it, people read it)."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.conftest import Collector


def test_checkout_totals_the_prices_of_what_was_added(page: Page, collector: Collector):
    page.goto(collector.url("/demo/products.html"))
    page.evaluate("window.TapeCo.clearCart()")
    page.click("[data-testid=add-to-cart-c90-classic]")  # 3.50
    page.click("[data-testid=add-to-cart-studio-reel]")  # 39.00
    page.click("[data-testid=add-to-cart-studio-reel]")  # 39.00
    assert page.inner_text("#cart-count") == "3"
    page.goto(collector.url("/demo/checkout.html"))
    assert page.inner_text("#summary-items") == "3"
    assert page.inner_text("#summary-total") == "€81.50"
