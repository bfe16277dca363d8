"""The CLI's help as a new user reads it."""

from __future__ import annotations

import pytest

from sessiontape.cli import main


def help_of(capsys, *command: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_the_top_level_description_is_plain_text_with_examples(capsys):
    text = help_of(capsys)
    assert "``" not in text
    assert "Privacy-first session recording" in text
    assert "sessiontape serve --port 8100" in text


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (("serve",), ("--host", "--port", "--data-dir")),
        (("sessions", "list"), ("--since", "--until", "--url", "--api-key", "--data-dir")),
        (("sites", "create"), ("--origin", "--any-origin", "--data-dir")),
    ],
)
def test_every_option_says_what_it_does(capsys, command, options):
    text = help_of(capsys, *command)
    lines = text.splitlines()
    for option in options:
        (line,) = [line for line in lines if line.split()[:1] == [option]]
        after = [*line.split(option, 1)[1].split(maxsplit=1), *lines[lines.index(line) + 1 :]]
        described = after[1] if len(after) > 1 else ""
        assert described.strip(), option
        assert not described.strip().startswith("-"), option
    if command == ("sessions", "list"):
        assert "2h" in text
        assert "yesterday" in text
