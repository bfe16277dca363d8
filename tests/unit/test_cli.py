import json

from sessiontape.cli import main


def test_sites_create_prints_keys_that_open_only_that_site(tmp_path, capsys):
    assert main(["sites", "create", "shop", "--data-dir", str(tmp_path), "--json"]) == 0
    keys = json.loads(capsys.readouterr().out)
    assert keys["write_key"].startswith("st_pk_")
    assert keys["read_key"].startswith("st_sk_")
    assert main(["sites", "create", "shop", "--data-dir", str(tmp_path)]) == 1
    assert "exists already" in capsys.readouterr().err


def test_sessions_list_without_a_key_says_how_to_get_one(tmp_path, capsys):
    assert main(["sessions", "list", "--data-dir", str(tmp_path)]) == 2
    assert "--api-key" in capsys.readouterr().err
