import json

from sessiontape.cli import main


def test_sites_create_prints_keys_that_open_only_that_site(tmp_path, capsys):
    assert (
        main(["sites", "create", "shop", "--any-origin", "--data-dir", str(tmp_path), "--json"])
        == 0
    )
    keys = json.loads(capsys.readouterr().out)
    assert keys["write_key"].startswith("st_pk_")
    assert keys["read_key"].startswith("st_sk_")
    assert main(["sites", "create", "shop", "--any-origin", "--data-dir", str(tmp_path)]) == 1
    assert "exists already" in capsys.readouterr().err


def test_sessions_list_without_a_key_says_how_to_get_one(tmp_path, capsys):
    assert main(["sessions", "list", "--data-dir", str(tmp_path)]) == 2
    assert "--api-key" in capsys.readouterr().err


def test_recorded_text_is_printed_with_its_control_characters_visible():
    from sessiontape._terminal import printable

    assert printable("\x1b]0;pwned\x07") == "\\x1b]0;pwned\\x07"
    assert printable("a\tb\r\nc\x7f\x85\x9b") == "a\\x09b\\x0d\\x0ac\\x7f\\x85\\x9b"
    assert printable("\u202egnp.exe\u2066\u2069") == "\\u202egnp.exe\\u2066\\u2069"
    assert printable("[red]café 購物 🛒[/red]") == "[red]café 購物 🛒[/red]"
