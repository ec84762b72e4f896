"""S3 ACLs behave like AWS where moto 5.2 is lenient (simulator.s3), through boto3."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

BUCKET = "media"
KEY = "video.mp4"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
# Canonical user ids of two other grantees (the form of an OAI's S3CanonicalUserId).
READER_A = "a" * 64
READER_B = "b" * 64


def assert_error(excinfo: pytest.ExceptionInfo, code: str, status: int) -> None:
    response = excinfo.value.response
    assert response["Error"]["Code"] == code
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status


def grants_of(acl: dict) -> set[tuple[str, str]]:
    """(grantee id or group uri, permission) of each grant read back."""
    return {
        (grant["Grantee"].get("ID") or grant["Grantee"].get("URI"), grant["Permission"])
        for grant in acl["Grants"]
    }


def canonical(user_id: str, permission: str) -> dict:
    return {"Grantee": {"Type": "CanonicalUser", "ID": user_id}, "Permission": permission}


@pytest.fixture
def bucket(s3) -> str:
    """A bucket that takes ACLs: since April 2023 S3 makes one only when asked to."""
    s3.create_bucket(Bucket=BUCKET, ObjectOwnership="ObjectWriter")
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"frames")
    return BUCKET


@pytest.fixture
def acls_disabled(s3) -> str:
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"frames")
    s3.put_bucket_ownership_controls(
        Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    return BUCKET


def owner_id(s3, bucket: str) -> str:
    return s3.get_bucket_acl(Bucket=bucket)["Owner"]["ID"]


# --- AccessControlPolicy bodies and every grantee read back ---


def test_put_object_acl_with_a_body_applies_it(s3, bucket):
    owner = s3.get_object_acl(Bucket=bucket, Key=KEY)["Owner"]
    s3.put_object_acl(
        Bucket=bucket,
        Key=KEY,
        AccessControlPolicy={
            "Owner": owner,
            "Grants": [
                canonical(owner["ID"], "FULL_CONTROL"),
                canonical(READER_A, "READ"),
                canonical(READER_B, "READ"),
            ],
        },
    )
    assert grants_of(s3.get_object_acl(Bucket=bucket, Key=KEY)) == {
        (owner["ID"], "FULL_CONTROL"),
        (READER_A, "READ"),
        (READER_B, "READ"),
    }


def test_get_object_acl_shows_every_grantee_of_a_permission(s3, bucket):
    owner = owner_id(s3, bucket)
    s3.put_object_acl(
        Bucket=bucket,
        Key=KEY,
        GrantFullControl=f'id="{owner}", id="{READER_A}"',
        GrantRead=f'id="{READER_B}", uri="{ALL_USERS}"',
    )
    assert grants_of(s3.get_object_acl(Bucket=bucket, Key=KEY)) == {
        (owner, "FULL_CONTROL"),
        (READER_A, "FULL_CONTROL"),
        (READER_B, "READ"),
        (ALL_USERS, "READ"),
    }


def test_get_bucket_acl_shows_every_grantee_of_a_permission(s3, bucket):
    owner = owner_id(s3, bucket)
    s3.put_bucket_acl(
        Bucket=bucket,
        GrantFullControl=f'id="{owner}"',
        GrantRead=f'id="{READER_A}", id="{READER_B}"',
    )
    assert grants_of(s3.get_bucket_acl(Bucket=bucket)) == {
        (owner, "FULL_CONTROL"),
        (READER_A, "READ"),
        (READER_B, "READ"),
    }


def test_put_bucket_acl_with_a_body_applies_it(s3, bucket):
    acl = s3.get_bucket_acl(Bucket=bucket)
    s3.put_bucket_acl(
        Bucket=bucket,
        AccessControlPolicy={
            "Owner": acl["Owner"],
            "Grants": [*acl["Grants"], canonical(READER_A, "READ"), canonical(READER_B, "READ")],
        },
    )
    assert grants_of(s3.get_bucket_acl(Bucket=bucket)) == grants_of(acl) | {
        (READER_A, "READ"),
        (READER_B, "READ"),
    }


def test_an_oai_is_granted_by_canonical_user_id_keeping_existing_grants(s3, cf, bucket):
    """cfshell's `oai grant --acl`: read the ACL, add the OAI's grant, write the ACL back."""
    oai = cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": "oai", "Comment": "media"}
    )["CloudFrontOriginAccessIdentity"]
    s3.put_object_acl(Bucket=bucket, Key=KEY, ACL="public-read")
    before = s3.get_object_acl(Bucket=bucket, Key=KEY)
    s3.put_object_acl(
        Bucket=bucket,
        Key=KEY,
        AccessControlPolicy={
            "Owner": before["Owner"],
            "Grants": [*before["Grants"], canonical(oai["S3CanonicalUserId"], "READ")],
        },
    )
    after = s3.get_object_acl(Bucket=bucket, Key=KEY)
    assert grants_of(after) == grants_of(before) | {(oai["S3CanonicalUserId"], "READ")}
    (oai_grant,) = [
        g for g in after["Grants"] if g["Grantee"].get("ID") == oai["S3CanonicalUserId"]
    ]
    assert oai_grant["Grantee"]["Type"] == "CanonicalUser"


# --- BucketOwnerEnforced: ACLs disabled ---


def test_put_object_acl_is_refused_when_acls_are_disabled(s3, acls_disabled):
    with pytest.raises(ClientError) as excinfo:
        s3.put_object_acl(Bucket=acls_disabled, Key=KEY, GrantRead=f'id="{READER_A}"')
    assert_error(excinfo, "AccessControlListNotSupported", 400)


def test_put_object_acl_with_a_body_is_refused_when_acls_are_disabled(s3, acls_disabled):
    owner = s3.get_object_acl(Bucket=acls_disabled, Key=KEY)["Owner"]
    with pytest.raises(ClientError) as excinfo:
        s3.put_object_acl(
            Bucket=acls_disabled,
            Key=KEY,
            AccessControlPolicy={"Owner": owner, "Grants": [canonical(READER_A, "READ")]},
        )
    assert_error(excinfo, "AccessControlListNotSupported", 400)
    assert (READER_A, "READ") not in grants_of(s3.get_object_acl(Bucket=acls_disabled, Key=KEY))


def test_put_bucket_acl_is_refused_when_acls_are_disabled(s3, acls_disabled):
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_acl(Bucket=acls_disabled, ACL="public-read")
    assert_error(excinfo, "AccessControlListNotSupported", 400)


def test_put_object_with_a_public_acl_is_refused_when_acls_are_disabled(s3):
    s3.create_bucket(Bucket=BUCKET, ObjectOwnership="BucketOwnerEnforced")
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"frames", ACL="public-read")
    assert_error(excinfo, "AccessControlListNotSupported", 400)
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket=BUCKET, Key=KEY)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_put_object_granting_another_user_is_refused_when_acls_are_disabled(s3, acls_disabled):
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=acls_disabled, Key="other", Body=b"x", GrantRead=f'id="{READER_A}"')
    assert_error(excinfo, "AccessControlListNotSupported", 400)


def test_copy_and_multipart_upload_with_an_acl_are_refused_when_acls_are_disabled(
    s3, acls_disabled
):
    with pytest.raises(ClientError) as excinfo:
        s3.copy_object(
            Bucket=acls_disabled,
            Key="copy",
            CopySource={"Bucket": acls_disabled, "Key": KEY},
            ACL="public-read",
        )
    assert_error(excinfo, "AccessControlListNotSupported", 400)
    with pytest.raises(ClientError) as excinfo:
        s3.create_multipart_upload(Bucket=acls_disabled, Key="big", ACL="authenticated-read")
    assert_error(excinfo, "AccessControlListNotSupported", 400)


def test_put_object_without_acl_or_with_bucket_owner_full_control_works_when_acls_are_disabled(
    s3, acls_disabled
):
    owner = owner_id(s3, acls_disabled)
    s3.put_object(Bucket=acls_disabled, Key="plain", Body=b"x")
    s3.put_object(Bucket=acls_disabled, Key="owned", Body=b"x", ACL="bucket-owner-full-control")
    s3.put_object(Bucket=acls_disabled, Key="granted", Body=b"x", GrantFullControl=f'id="{owner}"')
    listed = s3.list_objects_v2(Bucket=acls_disabled)["Contents"]
    assert {item["Key"] for item in listed} == {KEY, "plain", "owned", "granted"}


def test_reading_an_acl_shows_only_the_owner_when_acls_are_disabled(s3, bucket):
    owner = owner_id(s3, bucket)
    s3.put_object_acl(Bucket=bucket, Key=KEY, GrantRead=f'id="{READER_A}"')
    s3.put_bucket_ownership_controls(
        Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    assert grants_of(s3.get_object_acl(Bucket=bucket, Key=KEY)) == {(owner, "FULL_CONTROL")}
    assert grants_of(s3.get_bucket_acl(Bucket=bucket)) == {(owner, "FULL_CONTROL")}
