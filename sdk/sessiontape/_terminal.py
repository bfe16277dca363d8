"""Recorded text made safe to print: what a visitor typed or a page set never drives the terminal.

Control characters (C0, DEL, C1) would let a recorded URL or label send escape sequences (retitle
the window, clear the screen, plant OSC 8 links); bidirectional overrides would let it reorder
what is shown. Each one is printed as a visible escape such as ``\\x1b`` or ``\\u202e``.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    return _UNSAFE.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
