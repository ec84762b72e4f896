"""cfshell.aws.keys: key files and the public-key / key-group calls, against the simulator."""

from __future__ import annotations

import os
import stat

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from cfshell.aws import keys, signing
from cfshell.errors import UsageError
from simulator import simulate


@pytest.fixture
def cf(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with simulate(deploy_seconds=0.2):
        yield boto3.client("cloudfront", region_name="us-east-1")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize(
    "algorithm,kind", [("rsa2048", rsa.RSAPrivateKey), ("ecdsa-p256", ec.EllipticCurvePrivateKey)]
)
def test_private_key_file_is_0600_and_loads_back(tmp_path, algorithm, kind):
    pair = keys.generate_key_pair(algorithm)
    path = keys.write_private_key(tmp_path / "viewer.pem", pair)
    assert _mode(path) == 0o600
    loaded = signing.load_private_key(path)
    assert isinstance(loaded.key, kind)
    assert loaded.algorithm == algorithm and not loaded.too_open
    assert loaded.public_key_pem() == pair.public_key_pem
    assert [p.name for p in tmp_path.iterdir()] == ["viewer.pem"]  # no temporary file left


def test_private_key_file_is_0600_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        path = keys.write_private_key(tmp_path / "k.pem", keys.generate_key_pair("ecdsa-p256"))
    finally:
        os.umask(old)
    assert _mode(path) == 0o600


def test_existing_file_is_never_overwritten(tmp_path):
    target = tmp_path / "viewer.pem"
    target.write_text("precious")
    with pytest.raises(keys.KeyFileError, match="exists already"):
        keys.write_private_key(target, keys.generate_key_pair("ecdsa-p256"))
    assert target.read_text() == "precious"
    link = tmp_path / "link.pem"
    link.symlink_to(tmp_path / "elsewhere.pem")
    with pytest.raises(keys.KeyFileError):
        keys.write_private_key(link, keys.generate_key_pair("ecdsa-p256"))
    assert not (tmp_path / "elsewhere.pem").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.pem", "viewer.pem"]


def test_missing_directory_and_unknown_algorithm(tmp_path):
    with pytest.raises(keys.KeyFileError, match="no directory"):
        keys.write_private_key(tmp_path / "no" / "k.pem", keys.generate_key_pair("ecdsa-p256"))
    with pytest.raises(UsageError, match="rsa2048 or ecdsa-p256"):
        keys.generate_key_pair("dsa")


def test_generated_key_repr_has_no_private_material():
    pair = keys.generate_key_pair("rsa2048")
    assert "PRIVATE" not in repr(pair)
    assert "PUBLIC KEY" in pair.public_key_pem


def test_generate_uploads_and_makes_a_key_group(cf, tmp_path):
    result = keys.generate(cf, "viewers", out=tmp_path / "viewers.pem")
    assert _mode(result.private_key_path) == 0o600
    assert "PRIVATE" not in repr(result)
    assert result.key_group_created
    public_key, _ = keys.get_public_key(cf, result.public_key_id)
    assert public_key["PublicKeyConfig"]["Name"] == "viewers"
    group, _ = keys.get_key_group(cf, result.key_group_id)
    assert group["KeyGroupConfig"] == {"Name": "viewers", "Items": [result.public_key_id]}

    # A URL signed with the written file verifies against the uploaded public key.
    private = signing.load_private_key(result.private_key_path)
    url = signing.Signer(private, result.public_key_id).sign_url(
        "https://d1.cloudfront.net/a.ts", expires=signing.parse_time("1h")
    )
    from cryptography.hazmat.primitives import serialization

    uploaded = serialization.load_pem_public_key(
        public_key["PublicKeyConfig"]["EncodedKey"].encode()
    )
    expires = int(url.split("Expires=")[1].split("&")[0])
    signature = signing.cf_b64decode(url.split("Signature=")[1].split("&")[0])
    policy = signing.canned_policy("https://d1.cloudfront.net/a.ts", expires).encode()
    uploaded.verify(signature, policy, padding.PKCS1v15(), hashes.SHA1())


def test_generate_adds_to_an_existing_group(cf, tmp_path):
    first = keys.generate(cf, "first", out=tmp_path / "first.pem")
    second = keys.generate(
        cf,
        "second",
        algorithm="ecdsa-p256",
        out=tmp_path / "second.pem",
        key_group_id=first.key_group_id,
    )
    assert not second.key_group_created and second.key_group_id == first.key_group_id
    group, _ = keys.get_key_group(cf, first.key_group_id)
    assert group["KeyGroupConfig"]["Items"] == [first.public_key_id, second.public_key_id]


def test_generate_stops_before_uploading_when_the_file_exists(cf, tmp_path):
    (tmp_path / "taken.pem").write_text("old key")
    with pytest.raises(keys.KeyFileError):
        keys.generate(cf, "taken", out=tmp_path / "taken.pem")
    assert keys.list_public_keys(cf) == []
    assert keys.list_key_groups(cf) == []


def test_generate_removes_the_file_when_the_upload_fails(cf, tmp_path):
    keys.generate(cf, "dup", out=tmp_path / "one.pem")
    with pytest.raises(ClientError) as excinfo:
        keys.generate(cf, "dup", out=tmp_path / "two.pem")
    assert excinfo.value.response["Error"]["Code"] == "PublicKeyAlreadyExists"
    assert not (tmp_path / "two.pem").exists()


def test_key_group_add_remove_delete(cf):
    ids = []
    for name in ("a", "b", "c"):
        key, _ = keys.upload_public_key(
            cf, name, keys.generate_key_pair("ecdsa-p256").public_key_pem
        )
        ids.append(key["Id"])
    group, etag = keys.create_key_group(cf, "g", [ids[0]])
    assert keys.find_key_group_by_name(cf, "g")["Id"] == group["Id"]

    added, etag2 = keys.add_keys_to_group(cf, group["Id"], [ids[1], ids[2], ids[1]])
    assert added["KeyGroupConfig"]["Items"] == ids and etag2 != etag
    again, _ = keys.add_keys_to_group(cf, group["Id"], [ids[1]])
    assert again["KeyGroupConfig"]["Items"] == ids

    removed, _ = keys.remove_keys_from_group(cf, group["Id"], [ids[0]])
    assert removed["KeyGroupConfig"]["Items"] == ids[1:]
    with pytest.raises(UsageError, match="does not hold"):
        keys.remove_keys_from_group(cf, group["Id"], [ids[0]])
    with pytest.raises(UsageError, match="empty"):
        keys.remove_keys_from_group(cf, group["Id"], ids[1:])

    with pytest.raises(ClientError) as in_use:
        keys.delete_public_key(cf, ids[1])
    assert in_use.value.response["Error"]["Code"] == "PublicKeyInUse"
    keys.delete_key_group(cf, group["Id"])
    for key_id in ids:
        keys.delete_public_key(cf, key_id)
    assert keys.list_key_groups(cf) == [] and keys.list_public_keys(cf) == []


def test_key_group_size_is_checked_before_calling(cf):
    with pytest.raises(UsageError, match="at most 5"):
        keys.create_key_group(cf, "big", [f"K{i}" for i in range(6)])
    with pytest.raises(UsageError, match="at least one"):
        keys.create_key_group(cf, "empty", [])


def test_update_public_key_comment(cf):
    key, etag = keys.upload_public_key(cf, "k", keys.generate_key_pair("rsa2048").public_key_pem)
    updated, new_etag = keys.update_public_key_comment(cf, key["Id"], "for the March rotation")
    assert updated["PublicKeyConfig"]["Comment"] == "for the March rotation"
    assert new_etag != etag


def test_read_public_key_from_public_or_private_file(tmp_path):
    pair = keys.generate_key_pair("ecdsa-p256")
    private_path = keys.write_private_key(tmp_path / "k.pem", pair)
    public_path = tmp_path / "k.pub.pem"
    public_path.write_text(pair.public_key_pem)
    assert keys.read_public_key(public_path) == pair.public_key_pem
    from_private = keys.read_public_key(private_path)
    assert from_private == pair.public_key_pem and "PRIVATE" not in from_private
    (tmp_path / "junk").write_text("junk")
    with pytest.raises(UsageError):
        keys.read_public_key(tmp_path / "junk")
