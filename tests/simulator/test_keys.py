"""Public keys and key groups in the simulator, through boto3 only (in-process and served)."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa


def _pem(key) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.fixture(scope="module")
def rsa_pem() -> str:
    return _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture(scope="module")
def ec_pem() -> str:
    return _pem(ec.generate_private_key(ec.SECP256R1()))


def _create_key(cf, name, pem, comment=None):
    config = {"CallerReference": str(uuid.uuid4()), "Name": name, "EncodedKey": pem}
    if comment is not None:
        config["Comment"] = comment
    return cf.create_public_key(PublicKeyConfig=config)


def _error(excinfo) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_public_key_round_trip(cf, rsa_pem, ec_pem):
    created = _create_key(cf, "viewer-rsa", rsa_pem, comment="first")
    key_id = created["PublicKey"]["Id"]
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["ETag"]
    ec_key = _create_key(cf, "viewer-ec", ec_pem)["PublicKey"]

    got = cf.get_public_key(Id=key_id)
    assert got["PublicKey"]["PublicKeyConfig"]["Name"] == "viewer-rsa"
    assert got["PublicKey"]["PublicKeyConfig"]["EncodedKey"].strip() == rsa_pem.strip()
    assert got["PublicKey"]["PublicKeyConfig"]["Comment"] == "first"
    assert got["ETag"] == created["ETag"]

    config = cf.get_public_key_config(Id=key_id)
    assert config["PublicKeyConfig"]["Name"] == "viewer-rsa"
    assert config["ETag"] == created["ETag"]

    listed = cf.list_public_keys()["PublicKeyList"]
    assert listed["Quantity"] == 2
    assert {item["Id"] for item in listed["Items"]} == {key_id, ec_key["Id"]}


def test_update_public_key_comment_changes_etag(cf, rsa_pem):
    created = _create_key(cf, "k", rsa_pem)
    key_id, etag = created["PublicKey"]["Id"], created["ETag"]
    config = cf.get_public_key_config(Id=key_id)["PublicKeyConfig"]
    config["Comment"] = "rotated in March"
    updated = cf.update_public_key(Id=key_id, IfMatch=etag, PublicKeyConfig=config)
    assert updated["PublicKey"]["PublicKeyConfig"]["Comment"] == "rotated in March"
    assert updated["ETag"] != etag
    assert cf.get_public_key(Id=key_id)["ETag"] == updated["ETag"]

    with pytest.raises(ClientError) as stale:
        cf.update_public_key(Id=key_id, IfMatch=etag, PublicKeyConfig=config)
    assert _error(stale) == ("PreconditionFailed", 412)


def test_update_public_key_cannot_change_the_key(cf, rsa_pem, ec_pem):
    created = _create_key(cf, "k", rsa_pem)
    key_id = created["PublicKey"]["Id"]
    config = cf.get_public_key_config(Id=key_id)["PublicKeyConfig"]
    config["EncodedKey"] = ec_pem
    with pytest.raises(ClientError) as excinfo:
        cf.update_public_key(Id=key_id, IfMatch=created["ETag"], PublicKeyConfig=config)
    assert _error(excinfo) == ("CannotChangeImmutablePublicKeyFields", 400)


def test_public_key_errors(cf, rsa_pem):
    with pytest.raises(ClientError) as missing:
        cf.get_public_key(Id="K0000000000000")
    assert _error(missing) == ("NoSuchPublicKey", 404)
    with pytest.raises(ClientError) as missing_config:
        cf.get_public_key_config(Id="K0000000000000")
    assert _error(missing_config) == ("NoSuchPublicKey", 404)

    with pytest.raises(ClientError) as not_a_key:
        _create_key(cf, "junk", "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")
    assert _error(not_a_key) == ("InvalidArgument", 400)

    _create_key(cf, "taken", rsa_pem)
    with pytest.raises(ClientError) as duplicate:
        _create_key(cf, "taken", rsa_pem)
    assert _error(duplicate) == ("PublicKeyAlreadyExists", 409)


def test_create_public_key_is_idempotent_per_caller_reference(cf, rsa_pem):
    config = {"CallerReference": "ref-1", "Name": "k", "EncodedKey": rsa_pem}
    first = cf.create_public_key(PublicKeyConfig=config)
    again = cf.create_public_key(PublicKeyConfig=config)
    assert again["PublicKey"]["Id"] == first["PublicKey"]["Id"]
    assert cf.list_public_keys()["PublicKeyList"]["Quantity"] == 1


def test_delete_public_key_needs_if_match_and_a_free_key(cf, rsa_pem):
    created = _create_key(cf, "k", rsa_pem)
    key_id, etag = created["PublicKey"]["Id"], created["ETag"]
    group = cf.create_key_group(KeyGroupConfig={"Name": "g", "Items": [key_id]})

    with pytest.raises(ClientError) as no_etag:
        cf.delete_public_key(Id=key_id)
    assert _error(no_etag) == ("InvalidIfMatchVersion", 400)
    with pytest.raises(ClientError) as in_use:
        cf.delete_public_key(Id=key_id, IfMatch=etag)
    assert _error(in_use) == ("PublicKeyInUse", 409)

    cf.delete_key_group(Id=group["KeyGroup"]["Id"], IfMatch=group["ETag"])
    cf.delete_public_key(Id=key_id, IfMatch=etag)
    assert cf.list_public_keys()["PublicKeyList"]["Quantity"] == 0
    with pytest.raises(ClientError) as gone:
        cf.delete_public_key(Id=key_id, IfMatch=etag)
    assert _error(gone) == ("NoSuchPublicKey", 404)


def test_key_group_round_trip(cf, rsa_pem, ec_pem):
    k1 = _create_key(cf, "k1", rsa_pem)["PublicKey"]["Id"]
    k2 = _create_key(cf, "k2", ec_pem)["PublicKey"]["Id"]
    created = cf.create_key_group(KeyGroupConfig={"Name": "viewers", "Items": [k1]})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    group_id, etag = created["KeyGroup"]["Id"], created["ETag"]
    assert created["KeyGroup"]["KeyGroupConfig"]["Items"] == [k1]
    assert created["KeyGroup"]["LastModifiedTime"]

    config_response = cf.get_key_group_config(Id=group_id)
    assert config_response["ETag"] == etag
    config = config_response["KeyGroupConfig"]
    config["Items"].append(k2)
    config["Comment"] = "rotation"
    updated = cf.update_key_group(Id=group_id, IfMatch=etag, KeyGroupConfig=config)
    assert updated["KeyGroup"]["KeyGroupConfig"]["Items"] == [k1, k2]
    assert updated["ETag"] != etag

    got = cf.get_key_group(Id=group_id)
    assert got["ETag"] == updated["ETag"]
    assert got["KeyGroup"]["KeyGroupConfig"]["Comment"] == "rotation"
    listed = cf.list_key_groups()["KeyGroupList"]
    assert [item["KeyGroup"]["Id"] for item in listed["Items"]] == [group_id]

    with pytest.raises(ClientError) as stale:
        cf.update_key_group(Id=group_id, IfMatch=etag, KeyGroupConfig=config)
    assert _error(stale) == ("PreconditionFailed", 412)
    with pytest.raises(ClientError) as no_etag:
        cf.delete_key_group(Id=group_id)
    assert _error(no_etag) == ("InvalidIfMatchVersion", 400)

    cf.delete_key_group(Id=group_id, IfMatch=updated["ETag"])
    with pytest.raises(ClientError) as gone:
        cf.get_key_group(Id=group_id)
    assert _error(gone) == ("NoSuchResource", 404)
    assert cf.list_key_groups()["KeyGroupList"]["Quantity"] == 0


def test_key_group_errors(cf, rsa_pem):
    k1 = _create_key(cf, "k1", rsa_pem)["PublicKey"]["Id"]
    cf.create_key_group(KeyGroupConfig={"Name": "viewers", "Items": [k1]})
    with pytest.raises(ClientError) as duplicate:
        cf.create_key_group(KeyGroupConfig={"Name": "viewers", "Items": [k1]})
    assert _error(duplicate) == ("KeyGroupAlreadyExists", 409)
    with pytest.raises(ClientError) as unknown_key:
        cf.create_key_group(KeyGroupConfig={"Name": "other", "Items": ["K0000000000000"]})
    assert _error(unknown_key) == ("InvalidArgument", 400)
    with pytest.raises(ClientError) as missing:
        cf.get_key_group_config(Id="nope")
    assert _error(missing) == ("NoSuchResource", 404)
    with pytest.raises(ClientError) as missing_update:
        cf.update_key_group(Id="nope", IfMatch="E1", KeyGroupConfig={"Name": "x", "Items": [k1]})
    assert _error(missing_update) == ("NoSuchResource", 404)


def test_key_group_holds_at_most_five_keys(cf):
    ids = [
        _create_key(cf, f"k{i}", _pem(ec.generate_private_key(ec.SECP256R1())))["PublicKey"]["Id"]
        for i in range(6)
    ]
    with pytest.raises(ClientError) as excinfo:
        cf.create_key_group(KeyGroupConfig={"Name": "big", "Items": ids})
    assert _error(excinfo) == ("TooManyPublicKeysInKeyGroup", 400)
    assert cf.create_key_group(KeyGroupConfig={"Name": "ok", "Items": ids[:5]})["KeyGroup"]
