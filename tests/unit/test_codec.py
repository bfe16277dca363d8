import gzip
import json

import pytest

from sessiontape.codec import (
    DecodeError,
    TooLargeError,
    decode_events,
    encode_event,
    gunzip_bounded,
    parse_envelope,
)
from sessiontape.events import (
    FullSnapshotEvent,
    IncrementalSnapshotEvent,
    InputData,
    MetaEvent,
    MouseInteraction,
    MouseInteractionData,
)

SESSION = "0123456789abcdef0123456789abcdef"
WINDOW = "0123456789abcdef"

SNAPSHOT = {
    "type": 2,
    "timestamp": 1000,
    "data": {
        "initialOffset": {"top": 0, "left": 0},
        "node": {
            "type": 0,
            "id": 1,
            "childNodes": [
                {"type": 1, "id": 2, "name": "html", "publicId": "", "systemId": ""},
                {
                    "type": 2,
                    "id": 3,
                    "tagName": "html",
                    "attributes": {"lang": "en"},
                    "childNodes": [
                        {"type": 3, "id": 4, "textContent": "Hello"},
                        {"type": 5, "id": 5, "textContent": " note "},
                    ],
                },
            ],
        },
    },
}
EVENTS = [
    {
        "type": 4,
        "timestamp": 999,
        "data": {"href": "http://shop.test/", "width": 800, "height": 600},
    },
    SNAPSHOT,
    {"type": 3, "timestamp": 1001, "data": {"source": 2, "type": 2, "id": 3, "x": 5, "y": 6}},
    {
        "type": 3,
        "timestamp": 1002,
        "data": {"source": 5, "id": 7, "text": "ab", "isChecked": False},
    },
    {"type": 5, "timestamp": 1003, "data": {"tag": "client", "payload": {"language": "en"}}},
]


def test_events_decode_to_their_types():
    meta, snapshot, click, typed, _custom = decode_events(EVENTS)
    assert isinstance(meta, MetaEvent)
    assert meta.data.href == "http://shop.test/"
    assert isinstance(snapshot, FullSnapshotEvent)
    assert snapshot.data.node["childNodes"][1]["tagName"] == "html"
    assert isinstance(click, IncrementalSnapshotEvent)
    assert isinstance(click.data, MouseInteractionData)
    assert click.data.type is MouseInteraction.CLICK
    assert isinstance(typed.data, InputData)
    assert typed.data.text == "ab"


def test_decoded_events_encode_back_to_the_same_json():
    assert [encode_event(e) for e in decode_events(EVENTS)] == EVENTS


def test_strict_decoding_names_the_faulty_path():
    broken = [EVENTS[0], {"type": 3, "timestamp": 5, "data": {"source": 2, "type": 2}}]
    with pytest.raises(DecodeError) as raised:
        decode_events(broken)
    assert raised.value.path.startswith("events[1]")
    assert "id" in raised.value.path


def test_lenient_decoding_keeps_unknown_events_as_dicts():
    future = {"type": 42, "timestamp": 5, "data": {"novel": True}}
    decoded = decode_events([EVENTS[0], future], strict=False)
    assert isinstance(decoded[0], MetaEvent)
    assert decoded[1] == future


def test_envelope_parses_plain_and_gzipped_json():
    body = json.dumps({"v": 1, "session": SESSION, "window": WINDOW, "seq": 3, "events": EVENTS})
    for raw in (body.encode(), gzip.compress(body.encode())):
        envelope = parse_envelope(raw, max_decompressed=1 << 20)
        assert envelope.seq == 3
        assert envelope.events == EVENTS


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"{not json", "invalid JSON"),
        (b"\xff\xfe", "UTF-8"),
        (
            json.dumps(
                {"v": 1, "session": "xyz", "window": WINDOW, "seq": 0, "events": [{}]}
            ).encode(),
            "session",
        ),
        (
            json.dumps(
                {"v": 1, "session": SESSION, "window": WINDOW, "seq": -1, "events": [{}]}
            ).encode(),
            "seq",
        ),
        (
            json.dumps(
                {"v": 1, "session": SESSION, "window": WINDOW, "seq": 0, "events": []}
            ).encode(),
            "events",
        ),
        (b"[" * 100_000, "JSON"),
    ],
)
def test_malformed_envelopes_are_rejected_with_a_reason(body, fragment):
    with pytest.raises(DecodeError) as raised:
        parse_envelope(body, max_decompressed=1 << 20)
    assert fragment in str(raised.value)


def test_gzip_bomb_stops_at_the_limit():
    bomb = gzip.compress(b"\0" * (50 << 20))
    with pytest.raises(TooLargeError):
        gunzip_bounded(bomb, 1 << 20)


def test_truncated_gzip_is_rejected():
    with pytest.raises(DecodeError, match="truncated"):
        gunzip_bounded(gzip.compress(b"x" * 1000)[:-10], 1 << 20)
