"""cfshell.aws.oac through boto3 against the in-process simulator."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from cfshell.aws import distributions as dist
from cfshell.aws import oac
from cfshell.errors import UsageError
from simulator import simulate


@pytest.fixture
def cf(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with simulate(deploy_seconds=0.2):
        yield boto3.client("cloudfront", region_name="us-east-1")


def test_create_get_list(cf):
    created, etag = oac.create(cf, "video", description="for video")
    config = created["OriginAccessControlConfig"]
    assert config == {
        "Name": "video",
        "Description": "for video",
        "SigningProtocol": "sigv4",
        "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3",
    }
    got, got_etag = oac.get(cf, created["Id"])
    assert got_etag == etag
    assert got["OriginAccessControlConfig"]["Name"] == "video"
    assert [o["Id"] for o in oac.list_oacs(cf)] == [created["Id"]]


@pytest.mark.parametrize(
    ("name", "behavior"), [("", "always"), ("x" * 65, "always"), ("ok", "sometimes")]
)
def test_create_refuses_bad_input_before_calling(cf, name, behavior):
    with pytest.raises(UsageError):
        oac.create(cf, name, signing_behavior=behavior)
    assert oac.list_oacs(cf) == []


def test_modify_keeps_what_is_not_changed(cf):
    created, _ = oac.create(cf, "video", description="keep me")
    updated, _ = oac.modify(cf, created["Id"], name="renamed", signing_behavior="no-override")
    config = updated["OriginAccessControlConfig"]
    assert config["Name"] == "renamed"
    assert config["Description"] == "keep me"
    assert config["SigningBehavior"] == "no-override"
    assert oac.get(cf, created["Id"])[0]["OriginAccessControlConfig"]["Name"] == "renamed"


def test_find_or_create_reuses_the_buckets_oac(cf):
    first, made = oac.find_or_create(cf, "my-video-bucket.s3.amazonaws.com")
    assert made is True
    again, made = oac.find_or_create(cf, "my-video-bucket")
    assert (again, made) == (first, False)
    assert len(oac.list_oacs(cf)) == 1


def test_delete(cf):
    created, _ = oac.create(cf, "video")
    oac.delete(cf, created["Id"])
    assert oac.list_oacs(cf) == []
    with pytest.raises(ClientError) as caught:
        oac.get(cf, created["Id"])
    assert caught.value.response["Error"]["Code"] == "NoSuchOriginAccessControl"


# --- grant -----------------------------------------------------------------------------------


@pytest.fixture
def s3(cf):
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="my-video-bucket")
    return client


def _policy(s3):
    return json.loads(s3.get_bucket_policy(Bucket="my-video-bucket")["Policy"])


def test_grant_merges_the_documented_statement_and_keeps_others(cf, s3):
    other = {
        "Sid": "KeepMe",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:DeleteObject",
        "Resource": "arn:aws:s3:::my-video-bucket/*",
    }
    s3.put_bucket_policy(
        Bucket="my-video-bucket",
        Policy=json.dumps({"Version": "2012-10-17", "Statement": [other]}),
    )
    control, _ = oac.create(cf, "video")
    d1, _ = dist.create(cf, dist.new_config("my-video-bucket", oac_id=control["Id"]))
    result = oac.grant(cf, s3, control["Id"], "my-video-bucket.s3.amazonaws.com")
    assert result.changed and not result.created
    statements = _policy(s3)["Statement"]
    assert statements[0] == other
    (mine,) = [
        s for s in statements if s.get("Principal") == {"Service": "cloudfront.amazonaws.com"}
    ]
    assert mine["Effect"] == "Allow"
    assert mine["Action"] == "s3:GetObject"
    assert mine["Resource"] == "arn:aws:s3:::my-video-bucket/*"
    assert mine["Condition"] == {"StringEquals": {"AWS:SourceArn": d1["ARN"]}}


def test_grant_is_idempotent_and_follows_the_distributions(cf, s3):
    control, _ = oac.create(cf, "video")
    d1, _ = dist.create(cf, dist.new_config("my-video-bucket", oac_id=control["Id"]))
    assert oac.grant(cf, s3, control["Id"], "my-video-bucket").created
    assert oac.grant(cf, s3, control["Id"], "my-video-bucket").changed is False
    d2, _ = dist.create(cf, dist.new_config("my-video-bucket", oac_id=control["Id"]))
    # Same OAC on another bucket: not a reader of this one.
    dist.create(cf, dist.new_config("other-bucket", oac_id=control["Id"]))
    result = oac.grant(cf, s3, control["Id"], "my-video-bucket")
    assert result.changed
    (mine,) = _policy(s3)["Statement"]
    assert sorted(mine["Condition"]["StringEquals"]["AWS:SourceArn"]) == sorted(
        [d1["ARN"], d2["ARN"]]
    )


def test_grant_without_a_distribution_is_refused(cf, s3):
    control, _ = oac.create(cf, "video")
    with pytest.raises(LookupError, match="no distribution"):
        oac.grant(cf, s3, control["Id"], "my-video-bucket")
    with pytest.raises(ClientError):
        s3.get_bucket_policy(Bucket="my-video-bucket")
