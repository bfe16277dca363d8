"""One reader for every form a recording comes in, and one identity for its events."""

from __future__ import annotations

import gzip
import json
import zlib

import pytest

from sessiontape import DecodeError, SessiontapeError
from sessiontape.codec import decode_events, load_events, read_recording
from sessiontape.event_digest import EventsDigest

EVENTS = [
    {"type": 4, "timestamp": 1, "data": {"href": "http://shop.test/", "width": 800, "height": 600}},
    {"type": 3, "timestamp": 2, "data": {"source": 2, "type": 2, "id": 4, "x": 1, "y": 2}},
]
EXPORT = {"session": "ab" * 16, "events": EVENTS}


def packed(event: dict) -> str:
    return zlib.compress(json.dumps({**event, "v": "v1"}).encode()).decode("latin-1")


@pytest.mark.parametrize(
    ("source", "session"),
    [
        (EVENTS, None),
        (EXPORT, "ab" * 16),
        (json.dumps(EXPORT), "ab" * 16),
        (json.dumps(EXPORT, indent=2).encode(), "ab" * 16),
        (gzip.compress(json.dumps(EVENTS).encode()), None),
        ([packed(e) for e in EVENTS], None),
        (decode_events(EVENTS), None),
        (tuple(EVENTS), None),
    ],
    ids=["list", "export dict", "JSON text", "bytes", "gzip", "packed", "typed", "tuple"],
)
def test_every_form_reads_to_the_same_events(source, session):
    recording = read_recording(source)
    assert recording.session == session
    assert list(recording.raw_events()) == EVENTS
    assert load_events(source) == EVENTS


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (42, "cannot read a recording from int"),
        ({"session": "x"}, "'events' list"),
        ({"session": 7, "events": []}, "session: must be a string"),
        ([1], r"events\[0\]: an event must be an object"),
        (["not packed"], r"events\[0\]: not an @rrweb/packer string"),
        ("{", "invalid JSON"),
    ],
)
def test_anything_else_is_a_typed_decode_error(source, message):
    with pytest.raises(DecodeError, match=message) as raised:
        load_events(source)
    assert isinstance(raised.value, SessiontapeError)


def test_the_digest_ignores_key_order_spacing_and_event_order():
    reordered = [{k: e[k] for k in reversed(list(e))} for e in reversed(EVENTS)]
    assert EventsDigest(EVENTS) == EventsDigest(reordered)
    assert EventsDigest(EVENTS) == EventsDigest(json.loads(json.dumps(EVENTS, indent=4)))


def test_the_digest_tells_other_events_apart_and_counts_repeats():
    assert EventsDigest(EVENTS) != EventsDigest(EVENTS[:1])
    assert EventsDigest(EVENTS) != EventsDigest([*EVENTS, EVENTS[1]])
    changed = [EVENTS[0], {**EVENTS[1], "timestamp": 3}]
    assert EventsDigest(EVENTS) != EventsDigest(changed)
    assert EventsDigest([EVENTS[0], EVENTS[0]]) != EventsDigest([])
