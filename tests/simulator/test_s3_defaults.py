"""New buckets as S3 makes them since April 2023 (simulator.s3): ACLs disabled (Object Ownership
BucketOwnerEnforced) and Block Public Access on, unless CreateBucket asks otherwise.

Sources: S3 User Guide, "Default settings for new S3 buckets FAQ"; the CreateBucket API
reference (x-amz-object-ownership); PublicAccessBlockConfiguration (BlockPublicPolicy).
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

BUCKET = "media"
KEY = "video.mp4"
READER = "a" * 64  # a canonical user id, the form of an OAI's S3CanonicalUserId
ALL_FOUR = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def error_of(excinfo: pytest.ExceptionInfo) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def ownership(s3, bucket: str) -> str:
    rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    return rules[0]["ObjectOwnership"]


def policy(statement: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def read_all(principal, condition=None) -> dict:
    statement = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    if condition:
        statement["Condition"] = condition
    return statement


def test_a_new_bucket_has_acls_disabled_and_block_public_access_on(s3):
    s3.create_bucket(Bucket=BUCKET)
    assert ownership(s3, BUCKET) == "BucketOwnerEnforced"
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert block == ALL_FOUR


def test_a_new_bucket_refuses_an_acl_grant(s3):
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"frames")
    with pytest.raises(ClientError) as excinfo:
        s3.put_object_acl(Bucket=BUCKET, Key=KEY, GrantRead=f'id="{READER}"')
    assert error_of(excinfo) == ("AccessControlListNotSupported", 400)
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_acl(Bucket=BUCKET, GrantRead=f'id="{READER}"')
    assert error_of(excinfo) == ("AccessControlListNotSupported", 400)


@pytest.mark.parametrize("owner_setting", ["ObjectWriter", "BucketOwnerPreferred"])
def test_a_bucket_created_with_acls_enabled_accepts_an_acl_grant(s3, owner_setting):
    s3.create_bucket(Bucket=BUCKET, ObjectOwnership=owner_setting)
    assert ownership(s3, BUCKET) == owner_setting
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"frames")
    s3.put_object_acl(Bucket=BUCKET, Key=KEY, GrantRead=f'id="{READER}"')
    grants = s3.get_object_acl(Bucket=BUCKET, Key=KEY)["Grants"]
    assert {(g["Grantee"].get("ID"), g["Permission"]) for g in grants} == {(READER, "READ")}
    # Block Public Access is on all the same, as S3 sets it whatever the ownership.
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert block == ALL_FOUR


def test_creating_an_acls_disabled_bucket_with_a_public_acl_is_refused(s3):
    with pytest.raises(ClientError) as excinfo:
        s3.create_bucket(Bucket=BUCKET, ACL="public-read")
    assert error_of(excinfo) == ("InvalidBucketAclWithObjectOwnership", 400)
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == []
    s3.create_bucket(Bucket=BUCKET, ACL="private")  # the owner's full control only: accepted
    assert ownership(s3, BUCKET) == "BucketOwnerEnforced"


def test_creating_an_existing_bucket_again_keeps_its_settings(s3):
    s3.create_bucket(Bucket=BUCKET, ObjectOwnership="ObjectWriter")
    s3.delete_public_access_block(Bucket=BUCKET)
    s3.create_bucket(Bucket=BUCKET)  # us-east-1: succeeds and changes nothing
    assert ownership(s3, BUCKET) == "ObjectWriter"
    with pytest.raises(ClientError) as excinfo:
        s3.get_public_access_block(Bucket=BUCKET)
    assert error_of(excinfo)[0] == "NoSuchPublicAccessBlockConfiguration"


@pytest.mark.parametrize(
    "principal",
    ["*", {"AWS": "*"}, {"AWS": ["arn:aws:iam::123456789012:root", "*"]}],
)
def test_a_public_policy_is_refused_while_block_public_policy_is_on(s3, principal):
    s3.create_bucket(Bucket=BUCKET)
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_policy(Bucket=BUCKET, Policy=policy(read_all(principal)))
    assert error_of(excinfo) == ("AccessDenied", 403)
    message = excinfo.value.response["Error"]["Message"]
    assert "because public policies are blocked by the BlockPublicPolicy" in message
    assert f"arn:aws:s3:::{BUCKET}" in message
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_policy(Bucket=BUCKET)
    assert error_of(excinfo)[0] == "NoSuchBucketPolicy"


@pytest.mark.parametrize(
    "statement",
    [
        # An OAI (the default `oai grant`): a fixed principal.
        read_all({"AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1"}),
        # An OAC: the service principal with a fixed AWS:SourceArn.
        read_all(
            {"Service": "cloudfront.amazonaws.com"},
            {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E1"}},
        ),
        # Anyone, from a fixed CIDR.
        read_all("*", {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}),
        # Anyone, from a fixed account.
        read_all("*", {"StringEquals": {"aws:SourceAccount": "123456789012"}}),
    ],
)
def test_a_policy_that_is_not_public_is_accepted(s3, statement):
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_policy(Bucket=BUCKET, Policy=policy(statement))
    assert json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"] == [statement]


def test_a_condition_with_a_wildcard_does_not_make_a_policy_private(s3):
    s3.create_bucket(Bucket=BUCKET)
    statement = read_all("*", {"StringLike": {"aws:SourceArn": "arn:aws:cloudfront::*"}})
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_policy(Bucket=BUCKET, Policy=policy(statement))
    assert error_of(excinfo) == ("AccessDenied", 403)


def test_a_public_policy_is_accepted_once_block_public_policy_is_off(s3):
    s3.create_bucket(Bucket=BUCKET)
    s3.put_public_access_block(
        Bucket=BUCKET, PublicAccessBlockConfiguration={**ALL_FOUR, "BlockPublicPolicy": False}
    )
    s3.put_bucket_policy(Bucket=BUCKET, Policy=policy(read_all("*")))
    stored = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    assert stored["Statement"][0]["Principal"] == "*"
