"""The offline replay page keeps recorded text inert: no recorded string can end the script
element that carries the events, open a comment, or add markup."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from sessiontape._qa_artifacts import replay_html

HOSTILE = "</script><script>alert(1)</script><!-- </SCRIPT > <\u2028\u2029 & > '\""


class Scripts(HTMLParser):
    """The script elements of a page, as a browser's tokenizer splits them."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = None


def test_recorded_text_cannot_leave_the_events_element() -> None:
    events = [
        {
            "type": 4,
            "data": {"href": "https://shop.example/", "width": 800, "height": 600},
            "timestamp": 1,
        },
        {"type": 5, "data": {"tag": HOSTILE, "payload": {HOSTILE: [HOSTILE]}}, "timestamp": 2},
    ]
    page = replay_html(events, title=HOSTILE)
    parser = Scripts()
    parser.feed(page)
    # the events, the player, the start-up code: no script injected by the recorded text
    assert len(parser.scripts) == 3
    (attrs, text), _player, _start = parser.scripts
    assert attrs == {"type": "application/json", "id": "sessiontape-events"}
    assert json.loads(text) == events
    assert "<!--" not in text
    assert "<script>alert(1)" not in page
