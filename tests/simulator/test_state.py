"""Saving and loading the simulated world in-process (what `sim save` / `sim load` call)."""

from __future__ import annotations

import json
import os

import boto3
import pytest

from simulator import simulate
from simulator.state import MAGIC, StateError, load_state, save_state

CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
}
BUCKET = "video-bucket"
OAC_CONFIG = {
    "Name": "video-oac",
    "SigningProtocol": "sigv4",
    "SigningBehavior": "always",
    "OriginAccessControlOriginType": "s3",
}


def _clients():
    session = boto3.session.Session()
    return session.client("cloudfront", **CREDENTIALS), session.client("s3", **CREDENTIALS)


def _web_config(reference: str) -> dict:
    return {
        "CallerReference": reference,
        "Comment": "saved",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "origin",
                    "DomainName": f"{BUCKET}.s3.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "origin",
            "ViewerProtocolPolicy": "allow-all",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
    }


def _build_world(cf, s3) -> dict:
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="intro.mp4", Body=b"frames" * 1000)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    oac = cf.create_origin_access_control(OriginAccessControlConfig=OAC_CONFIG)
    dist = cf.create_distribution(DistributionConfig=_web_config("saved-dist"))
    return {
        "oac_id": oac["OriginAccessControl"]["Id"],
        "dist_id": dist["Distribution"]["Id"],
        "dist_etag": dist["ETag"],
        "policy": policy,
    }


def _assert_world(cf, s3, saved: dict) -> None:
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == [BUCKET]
    body = s3.get_object(Bucket=BUCKET, Key="intro.mp4")["Body"].read()
    assert body == b"frames" * 1000
    assert json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"]) == saved["policy"]
    oac = cf.get_origin_access_control(Id=saved["oac_id"])["OriginAccessControl"]
    assert oac["OriginAccessControlConfig"]["Name"] == "video-oac"
    dist = cf.get_distribution(Id=saved["dist_id"])
    assert dist["Distribution"]["DistributionConfig"]["Comment"] == "saved"
    assert dist["ETag"] == saved["dist_etag"]


def test_save_then_load_in_a_fresh_simulation(tmp_path):
    path = tmp_path / "world.state"
    with simulate():
        cf, s3 = _clients()
        saved = _build_world(cf, s3)
        save_state(path)
    with simulate():
        cf, s3 = _clients()
        assert s3.list_buckets()["Buckets"] == []
        load_state(path)
        _assert_world(cf, s3, saved)


def test_load_replaces_the_current_world(tmp_path):
    path = tmp_path / "world.state"
    with simulate():
        cf, s3 = _clients()
        saved = _build_world(cf, s3)
        save_state(path)
        s3.create_bucket(Bucket="made-after-saving")
        s3.delete_object(Bucket=BUCKET, Key="intro.mp4")
        load_state(path)
        _assert_world(cf, s3, saved)
        # The bucket namespace is back as saved: the other name is free, the saved one taken.
        s3.create_bucket(Bucket="made-after-saving")
        elsewhere = boto3.session.Session().client(
            "s3", **{**CREDENTIALS, "region_name": "eu-west-1"}
        )
        with pytest.raises(s3.exceptions.ClientError) as caught:
            elsewhere.create_bucket(
                Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
            )
        assert caught.value.response["Error"]["Code"] == "BucketAlreadyOwnedByYou"


def test_loaded_world_keeps_working(tmp_path):
    path = tmp_path / "world.state"
    with simulate():
        cf, s3 = _clients()
        saved = _build_world(cf, s3)
        save_state(path)
    with simulate():
        cf, s3 = _clients()
        load_state(path)
        s3.put_object(Bucket=BUCKET, Key="second.mp4", Body=b"more")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
        assert keys == ["intro.mp4", "second.mp4"]
        cf.create_distribution(DistributionConfig=_web_config("after-load"))
        assert cf.list_distributions()["DistributionList"]["Quantity"] == 2
        assert cf.get_distribution(Id=saved["dist_id"])["Distribution"]["Id"] == saved["dist_id"]


def test_save_is_atomic_private_and_replaces(tmp_path):
    path = tmp_path / "world.state"
    path.write_bytes(b"previous")
    with simulate():
        cf, s3 = _clients()
        s3.create_bucket(Bucket=BUCKET)
        save_state(path)
    assert path.read_bytes().startswith(MAGIC)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert os.listdir(tmp_path) == ["world.state"]


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "not a simulator state file"),
        (b"{}", "not a simulator state file"),
        (MAGIC + b" 99 moto=0.0\n", "another simulator version"),
    ],
)
def test_bad_files_raise_state_error_and_change_nothing(tmp_path, content, reason):
    path = tmp_path / "world.state"
    path.write_bytes(content)
    with simulate():
        cf, s3 = _clients()
        s3.create_bucket(Bucket="current-bucket")
        with pytest.raises(StateError) as caught:
            load_state(path)
        assert reason in str(caught.value)
        assert "\n" not in str(caught.value)
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["current-bucket"]
    assert path.read_bytes() == content


def test_truncated_file_raises_state_error_and_changes_nothing(tmp_path):
    path = tmp_path / "world.state"
    with simulate():
        cf, s3 = _clients()
        _build_world(cf, s3)
        save_state(path)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    with simulate():
        cf, s3 = _clients()
        s3.create_bucket(Bucket="current-bucket")
        with pytest.raises(StateError, match="corrupt or truncated"):
            load_state(path)
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["current-bucket"]


def test_missing_file_and_folder_are_state_errors(tmp_path):
    with simulate():
        with pytest.raises(StateError, match="cannot read state"):
            load_state(tmp_path / "absent.state")
        with pytest.raises(StateError, match="cannot write state"):
            save_state(tmp_path / "no-folder" / "world.state")


def _public_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def test_simulator_resources_survive_save_and_load(tmp_path):
    """OAIs, streaming distributions and key groups (the simulator's own backend) are saved."""
    path = tmp_path / "world.state"
    with simulate(deploy_seconds=0.2):
        cf, s3 = _clients()
        s3.create_bucket(Bucket=BUCKET)
        oai = cf.create_cloud_front_origin_access_identity(
            CloudFrontOriginAccessIdentityConfig={"CallerReference": "oai-1", "Comment": "media"}
        )
        oai_id = oai["CloudFrontOriginAccessIdentity"]["Id"]
        streaming = cf.create_streaming_distribution(
            StreamingDistributionConfig={
                "CallerReference": "sd-1",
                "S3Origin": {
                    "DomainName": f"{BUCKET}.s3.amazonaws.com",
                    "OriginAccessIdentity": f"origin-access-identity/cloudfront/{oai_id}",
                },
                "Comment": "lectures",
                "TrustedSigners": {"Enabled": False, "Quantity": 0},
                "Enabled": True,
            }
        )
        sd_id = streaming["StreamingDistribution"]["Id"]
        key_id = cf.create_public_key(
            PublicKeyConfig={
                "CallerReference": "pk-1",
                "Name": "signer",
                "EncodedKey": _public_key_pem(),
            }
        )["PublicKey"]["Id"]
        group_id = cf.create_key_group(KeyGroupConfig={"Name": "signers", "Items": [key_id]})[
            "KeyGroup"
        ]["Id"]
        save_state(path)
    with simulate(deploy_seconds=0.2):
        cf, _ = _clients()
        load_state(path)
        got = cf.get_cloud_front_origin_access_identity(Id=oai_id)
        assert got["ETag"] == oai["ETag"]
        assert (
            got["CloudFrontOriginAccessIdentity"]["S3CanonicalUserId"]
            == oai["CloudFrontOriginAccessIdentity"]["S3CanonicalUserId"]
        )
        sd = cf.get_streaming_distribution(Id=sd_id)
        assert sd["ETag"] == streaming["ETag"]
        config = sd["StreamingDistribution"]["StreamingDistributionConfig"]
        assert config["S3Origin"]["OriginAccessIdentity"].endswith(oai_id)
        cf.get_waiter("streaming_distribution_deployed").wait(
            Id=sd_id, WaiterConfig={"Delay": 0.1, "MaxAttempts": 50}
        )
        # The identity is still known to be in use by the loaded distribution.
        with pytest.raises(cf.exceptions.ClientError) as caught:
            cf.delete_cloud_front_origin_access_identity(Id=oai_id, IfMatch=got["ETag"])
        assert caught.value.response["Error"]["Code"] == "CloudFrontOriginAccessIdentityInUse"
        group = cf.get_key_group(Id=group_id)["KeyGroup"]["KeyGroupConfig"]
        assert group["Items"] == [key_id]
