"""``sessiontape heatmap`` without Playwright says what to install, before any request."""

from __future__ import annotations

import sys

import pytest

from sessiontape.cli import main


def test_heatmap_without_playwright_names_the_extra(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails as if absent
    out = tmp_path / "h.png"
    connection = ["--url", "http://127.0.0.1:9", "--api-key", "st_sk_x"]
    code = main(["heatmap", "https://shop.example/", "--out", str(out), *connection])
    assert code == 2
    assert "pip install 'sessiontape[heatmap]'" in capsys.readouterr().err
    assert not out.exists()


def test_heatmap_is_listed_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["heatmap", "--help"])
    assert "--out" in capsys.readouterr().out
