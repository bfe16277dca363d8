"""typed_text() on checkboxes, radio groups and selects: the final choice, not just values."""

from __future__ import annotations

from sessiontape import Recording

T0 = 1_700_000_000_000


def element(node_id, tag, attributes=None, children=()):
    return {
        "type": 2,
        "id": node_id,
        "tagName": tag,
        "attributes": attributes or {},
        "childNodes": list(children),
    }


def option(node_id, value, label):
    return element(
        node_id, "option", {"value": value}, [{"type": 3, "id": node_id + 1, "textContent": label}]
    )


FORM = element(
    10,
    "form",
    {"id": "checkout"},
    [
        element(11, "input", {"type": "radio", "name": "ship", "value": "standard", "id": "std"}),
        element(12, "input", {"type": "radio", "name": "ship", "value": "express", "id": "exp"}),
        element(13, "input", {"type": "radio", "name": "ship", "value": "pickup", "id": "pick"}),
        element(14, "input", {"type": "checkbox", "value": "yes", "id": "gift"}),
        element(15, "input", {"type": "checkbox", "value": "on", "id": "news"}),
        element(
            16,
            "select",
            {"id": "country"},
            [option(20, "de", "Germany"), option(22, "fr", " France ")],
        ),
        element(17, "input", {"type": "text", "id": "name"}),
    ],
)
PAGE = {
    "type": 0,
    "id": 1,
    "childNodes": [element(2, "html", {}, [element(3, "body", {}, [FORM])])],
}


def changed(offset, node_id, text, checked=False):
    data = {"source": 5, "id": node_id, "text": text, "isChecked": checked}
    return {"type": 3, "timestamp": T0 + offset, "data": data}


def recording() -> Recording:
    events = [
        {
            "type": 4,
            "timestamp": T0,
            "data": {"href": "http://shop.test/", "width": 800, "height": 600},
        },
        {
            "type": 2,
            "timestamp": T0 + 1,
            "data": {"node": PAGE, "initialOffset": {"left": 0, "top": 0}},
        },
        # The visitor picks "standard"; the recorder also reports its group's others as unchecked.
        changed(100, 11, "standard", True),
        changed(101, 12, "express", False),
        changed(102, 13, "pickup", False),
        # then changes their mind to "express"
        changed(200, 12, "express", True),
        changed(201, 11, "standard", False),
        changed(202, 13, "pickup", False),
        changed(300, 14, "yes", True),
        changed(400, 15, "on", True),
        changed(500, 15, "on", False),
        changed(600, 16, "fr"),
        changed(700, 17, "A"),
        changed(701, 17, "Ad"),
    ]
    return Recording.from_raw("s", events)


def test_a_radio_group_reports_which_option_was_chosen():
    fields = recording().typed_text()
    assert fields["input#exp"].checked is True
    assert fields["input#std"].checked is False
    assert "input#pick" not in fields  # never chosen by the visitor
    assert [(f.value, f.kind) for f in fields.values() if f.checked] == [
        ("express", "radio"),
        ("yes", "checkbox"),
    ]
    assert (fields["input#std"].keystrokes, fields["input#exp"].keystrokes) == (1, 1)


def test_checkboxes_report_their_final_state():
    fields = recording().typed_text()
    assert (fields["input#gift"].checked, fields["input#gift"].keystrokes) == (True, 1)
    assert (fields["input#news"].checked, fields["input#news"].keystrokes) == (False, 2)


def test_a_select_reports_its_value_and_the_chosen_options_label():
    country = recording().typed_text()["select#country"]
    assert (country.value, country.option, country.kind, country.checked) == (
        "fr",
        "France",
        "select",
        None,
    )


def test_text_fields_keep_value_and_keystrokes_with_no_checked_state():
    name = recording().typed_text()["input#name"]
    assert (name.value, name.keystrokes, name.checked, name.kind) == ("Ad", 2, None, "text")
