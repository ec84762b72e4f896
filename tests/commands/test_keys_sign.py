"""`key`, `key-group` and `sign` through the app."""

from __future__ import annotations

import os
import stat
from urllib.parse import parse_qs, urlsplit

from cfshell.aws import signing


def test_generate_writes_0600_uploads_and_selects(shell, tmp_path):
    path = tmp_path / "signer.pem"
    out = shell.ok(f"key generate signer --out {path}")
    key_id = shell.session.context.get("key")
    group_id = shell.session.context.get("key-group")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert "PRIVATE KEY" not in out
    group = shell.cf.get_key_group(Id=group_id)["KeyGroup"]["KeyGroupConfig"]
    assert group["Items"] == [key_id]
    # Never overwrites; the account is left unchanged.
    before = path.read_bytes()
    result = shell.run(f"key generate again --out {path}")
    assert result.failed and "exists already" in result.err
    assert path.read_bytes() == before
    assert len(shell.cf.list_public_keys()["PublicKeyList"]["Items"]) == 1
    # A second key joins the selected group.
    shell.ok(f"key generate second --algorithm ecdsa-p256 --out {tmp_path / 'ec.pem'}")
    group = shell.cf.get_key_group(Id=group_id)["KeyGroup"]["KeyGroupConfig"]
    assert len(group["Items"]) == 2


def test_key_group_commands(shell, tmp_path):
    shell.ok(f"key generate one --out {tmp_path / 'one.pem'}")
    one = shell.session.context.get("key")
    shell.ok("clear key-group")
    shell.ok(f"key generate two --out {tmp_path / 'two.pem'}")
    two = shell.session.context.get("key")
    shell.ok(f"key-group create both --key {one} --key {two}")
    group_id = shell.session.context.get("key-group")
    assert shell.cf.get_key_group(Id=group_id)["KeyGroup"]["KeyGroupConfig"]["Items"] == [one, two]
    shell.ok(f"key-group remove --key {one}")
    assert f"holds {two}, {one}" in shell.ok(f"key-group add --key {one}")
    assert "both" in shell.ok("key-group list")
    assert shell.run(f"key-group remove --key {one} --key {two}").failed  # never empty
    shell.ok("key-group delete --yes")
    assert shell.session.context.get("key-group") is None


def test_key_group_create_reports_what_the_group_holds(shell, tmp_path):
    shell.ok(f"key generate one --out {tmp_path / 'one.pem'}")
    one = shell.session.context.get("key")
    out = shell.ok(f"key-group create twice --key {one} --key {one}")
    assert f"with {one} (selected)" in out
    group_id = shell.session.context.get("key-group")
    assert shell.cf.get_key_group(Id=group_id)["KeyGroup"]["KeyGroupConfig"]["Items"] == [one]


def test_upload_list_get_delete(shell, tmp_path):
    shell.ok(f"key generate source --out {tmp_path / 'src.pem'}")
    shell.ok(f"key upload copy {tmp_path / 'src.pem'}")
    copy_id = shell.session.context.get("key")
    assert "copy" in shell.ok("key list")
    assert "BEGIN PUBLIC KEY" in shell.ok("key get")
    shell.ok("key delete --yes")
    ids = [k["Id"] for k in shell.cf.list_public_keys()["PublicKeyList"]["Items"]]
    assert copy_id not in ids


def test_sign_url_defaults_and_verifies(shell, tmp_path):
    path = tmp_path / "signer.pem"
    shell.ok(f"key generate signer --out {path}")
    key_id = shell.session.context.get("key")
    url = shell.ok("sign url https://d111111abcdef8.cloudfront.net/v/a.mp4 --expires 1h").strip()
    query = parse_qs(urlsplit(url).query)
    assert query["Key-Pair-Id"] == [key_id]
    policy = signing.canned_policy(
        "https://d111111abcdef8.cloudfront.net/v/a.mp4", int(query["Expires"][0])
    )
    key = signing.load_private_key(path)
    public = key.key.public_key()
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    public.verify(
        signing.cf_b64decode(query["Signature"][0]),
        policy.encode(),
        padding.PKCS1v15(),
        hashes.SHA1(),
    )


def test_sign_from_file_one_line_each(shell, tmp_path):
    shell.ok(f"key generate signer --out {tmp_path / 'k.pem'}")
    urls = [f"https://d111111abcdef8.cloudfront.net/v/{i}.ts" for i in range(5)]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n\n")
    lines = shell.ok(f"sign url --from-file {listing}").strip().splitlines()
    assert [line.split("?")[0] for line in lines] == urls


def test_sign_warns_about_an_open_key_file(shell, tmp_path):
    path = tmp_path / "k.pem"
    shell.ok(f"key generate signer --out {path}")
    os.chmod(path, 0o644)
    result = shell.run("sign url https://d111111abcdef8.cloudfront.net/a")
    assert not result.failed
    assert "UNPROTECTED PRIVATE KEY FILE" in result.err
    assert "UNPROTECTED" not in result.out


def test_sign_bad_input(shell, tmp_path):
    assert (
        "--private-key"
        in shell.run("sign url https://d1.cloudfront.net/a --key-pair-id K1AAAAAAAA").err
    )
    shell.ok(f"key generate signer --out {tmp_path / 'k.pem'}")
    assert shell.run("sign url /a").failed  # a path needs a selected distribution
    assert shell.run("sign url https://d1.cloudfront.net/a --expires soon").failed
    assert shell.run("sign url https://d1.cloudfront.net/a --starts 2h --expires 1h").failed
    assert shell.run("sign url").failed
