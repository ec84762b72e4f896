"""Private keys live in the key store, named by their public key's ID: never a collision."""

from __future__ import annotations

import os
import stat

import pytest


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def store(tmp_path, monkeypatch):
    """The default store, under a HOME of the test's."""
    monkeypatch.delenv("CFSHELL_KEY_STORE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "home" / ".cfshell" / "keys"


def test_key_generate_writes_into_the_store_by_key_id(shell, store) -> None:
    out = shell.ok("key generate video-signer")
    key_id = shell.session.context.get("key")
    path = store / f"{key_id}.pem"
    assert f"private key in ~/.cfshell/keys/{key_id}.pem (mode 0600" in out
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert _mode(store) == 0o700 and _mode(path) == 0o600
    assert [p.name for p in store.iterdir()] == [path.name]  # no temporary file left
    assert f"~/.cfshell/keys/{key_id}.pem" in shell.ok("key get")


def test_two_keys_two_files_and_sign_finds_each(shell, store) -> None:
    shell.ok("key generate video-signer")
    first = shell.session.context.get("key")
    # AWS refuses a second key of the same name: nothing is left behind in the store.
    refused = shell.run("key generate video-signer")
    assert refused.failed and "exists already" in refused.err
    assert [p.name for p in store.iterdir()] == [f"{first}.pem"]
    shell.ok("key generate video-signer-2")
    second = shell.session.context.get("key")
    assert first != second
    assert sorted(p.name for p in store.iterdir()) == sorted([f"{first}.pem", f"{second}.pem"])
    url = "https://d111111abcdef8.cloudfront.net/videos/intro.mp4"
    for key_id in (first, second):
        signed = shell.ok(f"sign url {url} --key-pair-id {key_id}").strip()
        assert signed.endswith(f"&Key-Pair-Id={key_id}")


def test_a_new_session_signs_with_a_stored_key_by_its_id(shell, make_shell, store) -> None:
    shell.ok("key generate video-signer")
    key_id = shell.session.context.get("key")
    later = make_shell()  # another session: nothing remembered but the store
    url = "https://d111111abcdef8.cloudfront.net/a.mp4"
    assert "Signature=" in later.ok(f"sign url {url} --key-pair-id {key_id}")
    result = later.run(f"sign url {url} --key-pair-id K2JCJMDEHXQW5F")
    assert result.failed
    assert "no private key file known for public key K2JCJMDEHXQW5F" in result.err
    assert "~/.cfshell/keys" in result.err


def test_out_still_writes_elsewhere_and_never_overwrites(shell, store, tmp_path) -> None:
    path = tmp_path / "mine.pem"
    shell.ok(f"key generate signer --out {path}")
    assert _mode(path) == 0o600
    assert not store.exists()
    result = shell.run(f"key generate again --out {path}")
    assert result.failed and "exists already" in result.err


def test_the_store_follows_cfshell_key_store(shell, tmp_path, monkeypatch) -> None:
    where = tmp_path / "elsewhere" / "keys"
    monkeypatch.setenv("CFSHELL_KEY_STORE", str(where))
    shell.ok("key generate signer")
    assert [p.name for p in where.iterdir()] == [f"{shell.session.context.get('key')}.pem"]


def test_a_recorded_key_get_checks_its_key_material_by_shape(shell, make_shell, tmp_path) -> None:
    path = tmp_path / "keys.cfsh"
    shell.ok(f"record start {path}")
    shell.ok("key generate video-signer")
    assert "-----BEGIN PUBLIC KEY-----" in shell.ok("key get")
    shell.ok("record stop")
    assert "video-signer.pem" not in path.read_text()
    shell.close()  # a fresh simulator for the replay
    again = make_shell()
    assert "check: all 2 outputs match" in again.ok(f"replay {path} --check")
