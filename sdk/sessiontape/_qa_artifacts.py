"""A test's recording on disk: ``sessiontape.json`` (rrweb events) and ``sessiontape.html``, a
replay that opens from ``file://`` with no network (rrweb-player and the events inlined)."""

from __future__ import annotations

import html
import json
from pathlib import Path

from sessiontape._assets import recorder_dir
from sessiontape.codec import RawEvent

EVENTS_FILE = "sessiontape.json"
REPLAY_FILE = "sessiontape.html"

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sessiontape replay: {title}</title>
<style>{player_css}</style>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 1rem; background: #f4f4f6; }}
  h1 {{ font-size: 1rem; font-weight: 600; }}
</style>
</head>
<body>
<h1>{title}</h1>
<div id="sessiontape-player"></div>
<script type="application/json" id="sessiontape-events">{events}</script>
<script>{player_js}</script>
<script>
(() => {{
  const events = JSON.parse(document.getElementById('sessiontape-events').textContent);
  const target = document.getElementById('sessiontape-player');
  if (events.length < 2) {{
    target.textContent = 'Nothing was recorded in this test.';
    return;
  }}
  const Player = window.rrwebPlayer.default || window.rrwebPlayer;
  window.sessiontapePlayer = new Player({{
    target,
    props: {{ events, autoPlay: false, showController: true }},
  }});
}})();
</script>
</body>
</html>
"""


def write_events(folder: Path, events: list[RawEvent]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / EVENTS_FILE
    path.write_text(json.dumps(events, separators=(",", ":")), encoding="utf-8")
    return path


def write_replay(folder: Path, events: list[RawEvent], title: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / REPLAY_FILE
    path.write_text(replay_html(events, title), encoding="utf-8")
    return path


def replay_html(events: list[RawEvent], title: str) -> str:
    player = recorder_dir() / "player"
    return _PAGE.format(
        title=html.escape(title),
        player_css=_inline_css((player / "rrweb-player.css").read_text(encoding="utf-8")),
        player_js=_inline_script((player / "rrweb-player.js").read_text(encoding="utf-8")),
        events=_inline_json(events),
    )


def _inline_json(events: list[RawEvent]) -> str:
    """JSON that cannot end its script element or open a comment: every ``<`` (and ``>``, ``&``)
    becomes a JSON escape, which JSON.parse turns back into the same character."""
    text = json.dumps(events, separators=(",", ":"), ensure_ascii=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _inline_script(source: str) -> str:
    """Script text that cannot end its element early: ``</script`` and ``<!--`` in a string or
    regular expression keep their meaning as ``<\\/script`` and ``<\\!--``."""
    return source.replace("</", "<\\/").replace("<!--", "<\\!--")


def _inline_css(source: str) -> str:
    return source.replace("</", "\\3C /")
