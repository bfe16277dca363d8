"""Takes the viewer screenshots in docs/img/ from a real run: a collector in a temporary data
directory, a scripted visit to its demo shop in Chromium, then the sessions list and the session
page, signed in with the demo's one-click sign-in.

    python scripts/viewer_screenshots.py [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "img"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "sessiontape.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the collector did not start")


def visit(page: Page, base: str) -> None:
    """A shopper: browses products, rage-clicks the title, signs up, goes to checkout."""
    ready = "window.sessiontape && window.sessiontape.recorder"
    page.goto(base + "/demo/index.html")
    page.wait_for_function(ready)
    page.mouse.move(300, 200, steps=8)
    page.click("#nav-products")
    page.wait_for_function(ready)
    page.locator("#product-search").press_sequentially("cas", delay=60)
    page.locator("[data-testid^=add-to-cart-]").first.click()
    for _ in range(4):
        page.click("#page-title", delay=20)
    page.wait_for_timeout(1_200)
    page.click("#nav-signup")
    page.wait_for_function(ready)
    page.locator("#signup-name").press_sequentially("Ada Lovelace", delay=40)
    page.locator("#signup-email").press_sequentially("ada@example.com", delay=30)
    page.locator("#signup-password").press_sequentially("correct horse", delay=30)
    page.check("#signup-newsletter")
    page.click("#nav-checkout")
    page.wait_for_function(ready)
    page.wait_for_timeout(800)
    page.evaluate("window.sessiontape.recorder.flush()")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium"))
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data_dir:
        collector = serve(Path(data_dir), port)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=args.chromium, args=FLAGS)
                for _ in range(3):
                    shopper = browser.new_context(viewport={"width": 1100, "height": 760})
                    visit(shopper.new_page(), base)
                    shopper.close()
                viewer = browser.new_page(viewport={"width": 1400, "height": 820})
                viewer.goto(base + "/signin/demo")
                viewer.click("button[type=submit]")
                viewer.wait_for_url("**/sessions")
                viewer.screenshot(path=OUT / "viewer-list.png")
                viewer.locator("tbody tr a").first.click()
                viewer.wait_for_function("window.sessiontapeViewer !== undefined")
                viewer.evaluate("window.sessiontapeViewer.streamed")
                viewer.evaluate("window.sessiontapeViewer.timelineShown")
                viewer.evaluate("window.sessiontapeViewer.seek(6000)")
                viewer.wait_for_timeout(600)
                viewer.screenshot(path=OUT / "viewer-session.png")
                browser.close()
        finally:
            collector.terminate()
            collector.wait()
    print(f"wrote {OUT / 'viewer-list.png'} and {OUT / 'viewer-session.png'}")


if __name__ == "__main__":
    main()
