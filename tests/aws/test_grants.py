"""`cfshell.aws.grants` through boto3 against the in-process simulator.

Every result is read back with boto3, as a user would check it. The OAI's S3 canonical user id is
a 64-hex string; these tests use such ids directly, so they need no CloudFront OAI.
"""

from __future__ import annotations

import json
import secrets
import threading

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from cfshell.aws import grants
from cfshell.aws import policy as bucket_policy
from simulator import faults
from simulator.config import settings
from tests.aws.conftest import BUCKET

OAI = "E2QWRUHEXAMPLE"
OAI_ARN = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHEXAMPLE"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
FAST = grants.Retry(attempts=8, base=0.001, cap=0.01)


@pytest.fixture
def oai_user():
    """An S3 canonical user id as CloudFront gives an OAI."""
    return secrets.token_hex(32)


def fill(s3, keys, bucket=BUCKET):
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"video")


def acl(s3, key, bucket=BUCKET):
    return s3.get_object_acl(Bucket=bucket, Key=key)


def grantee_permissions(s3, key, user, bucket=BUCKET):
    return sorted(
        g["Permission"] for g in acl(s3, key, bucket)["Grants"] if g["Grantee"].get("ID") == user
    )


def grant_set(grant_list):
    return {
        (g["Grantee"].get("ID") or g["Grantee"].get("URI"), g["Permission"]) for g in grant_list
    }


def read_policy(s3):
    return json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])


# -- policy mode ------------------------------------------------------------------------------


def test_policy_grant_creates_the_policy(s3):
    result = grants.grant_policy(s3, OAI, BUCKET)
    assert result.changed and result.created
    [statement] = read_policy(s3)["Statement"]
    assert statement["Principal"] == {"AWS": OAI_ARN}
    assert statement["Action"] == "s3:GetObject"
    assert statement["Resource"] == f"arn:aws:s3:::{BUCKET}/*"


def test_policy_grant_keeps_other_statements_and_is_idempotent(s3):
    public = {
        "Sid": "PublicThumbnails",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/thumbs/*",
    }
    # A public statement: S3 takes it only with Block Public Access off (on for new buckets).
    s3.delete_public_access_block(Bucket=BUCKET)
    s3.put_bucket_policy(
        Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [public]})
    )
    first = grants.grant_policy(s3, OAI, BUCKET, prefix="videos/")
    assert first.changed and not first.created
    after_first = read_policy(s3)
    assert after_first["Statement"][0] == public
    assert after_first["Statement"][1]["Resource"] == f"arn:aws:s3:::{BUCKET}/videos/*"

    second = grants.grant_policy(s3, OAI, BUCKET, prefix="videos/")
    assert not second.changed
    assert read_policy(s3) == after_first


def test_policy_grant_dry_run_writes_nothing(s3):
    result = grants.grant_policy(s3, OAI, BUCKET, dry_run=True)
    assert result.changed and result.dry_run
    with pytest.raises(ClientError) as caught:
        s3.get_bucket_policy(Bucket=BUCKET)
    assert caught.value.response["Error"]["Code"] == "NoSuchBucketPolicy"


def test_policy_grant_recognises_the_canonical_user_form(s3, oai_user):
    statement = dict(
        bucket_policy.oai_statement(OAI, BUCKET), Principal={"CanonicalUser": oai_user}
    )
    document = {"Version": "2012-10-17", "Statement": [statement]}
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(document))
    assert not grants.grant_policy(s3, OAI, BUCKET, canonical_user_id=oai_user).changed


def test_policy_revoke_removes_exactly_the_statement(s3):
    other = {
        "Sid": "Other",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    s3.put_bucket_policy(
        Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [other]})
    )
    grants.grant_policy(s3, OAI, BUCKET)
    result = grants.revoke_policy(s3, OAI, BUCKET)
    assert result.changed and not result.deleted
    assert read_policy(s3)["Statement"] == [other]
    assert not grants.revoke_policy(s3, OAI, BUCKET).changed


def test_policy_revoke_of_the_only_statement_deletes_the_policy(s3):
    grants.grant_policy(s3, OAI, BUCKET)
    result = grants.revoke_policy(s3, OAI, BUCKET)
    assert result.deleted
    with pytest.raises(ClientError) as caught:
        s3.get_bucket_policy(Bucket=BUCKET)
    assert caught.value.response["Error"]["Code"] == "NoSuchBucketPolicy"


def test_policy_grant_on_a_missing_bucket_raises_the_aws_error(s3):
    with pytest.raises(ClientError) as caught:
        grants.grant_policy(s3, OAI, "no-such-bucket-here")
    assert caught.value.response["Error"]["Code"] == "NoSuchBucket"


# -- ACL mode ---------------------------------------------------------------------------------


def test_acl_grant_adds_read_to_every_object(s3, oai_user):
    keys = [f"videos/{i:03}.mp4" for i in range(40)]
    fill(s3, keys)
    summary = grants.grant_acl(s3, BUCKET, oai_user, concurrency=8)
    assert (summary.changed, summary.unchanged, summary.failed) == (40, 0, 0)
    assert summary.listing_complete and not summary.cancelled and summary.remaining == 0
    for key in keys:
        assert grantee_permissions(s3, key, oai_user) == ["READ"]


def test_acl_grant_keeps_every_existing_grant(s3, oai_user):
    """Needs simulator/s3.py: moto ignores AccessControlPolicy bodies and reads back one grantee."""
    partner = secrets.token_hex(32)
    fill(s3, ["a.mp4", "b.mp4"])
    owner = acl(s3, "a.mp4")["Owner"]["ID"]
    for key in ("a.mp4", "b.mp4"):
        s3.put_object_acl(
            Bucket=BUCKET,
            Key=key,
            GrantFullControl=f'id="{owner}"',
            GrantRead=f'id="{partner}", uri="{ALL_USERS}"',
        )
    before = {key: grant_set(acl(s3, key)["Grants"]) for key in ("a.mp4", "b.mp4")}
    assert (partner, "READ") in before["a.mp4"] and (ALL_USERS, "READ") in before["a.mp4"]

    summary = grants.grant_acl(s3, BUCKET, oai_user, permission="FULL_CONTROL")
    assert summary.changed == 2
    for key in ("a.mp4", "b.mp4"):
        after = acl(s3, key)
        assert grant_set(after["Grants"]) == before[key] | {(oai_user, "FULL_CONTROL")}
        assert after["Owner"]["ID"] == owner


def test_acl_grant_is_idempotent_and_skips_objects_that_have_it(s3, oai_user):
    fill(s3, [f"k{i:02}" for i in range(30)])
    first = grants.grant_acl(s3, BUCKET, oai_user, concurrency=4)
    assert first.changed == 30
    snapshot = {f"k{i:02}": acl(s3, f"k{i:02}")["Grants"] for i in range(30)}
    second = grants.grant_acl(s3, BUCKET, oai_user, concurrency=4)
    assert (second.changed, second.unchanged) == (0, 30)
    assert {k: acl(s3, k)["Grants"] for k in snapshot} == snapshot


def test_acl_full_control_counts_as_read_and_read_is_upgraded(s3, oai_user):
    fill(s3, ["full", "read"])
    grants.grant_acl(s3, BUCKET, oai_user, permission="FULL_CONTROL", prefix="full")
    grants.grant_acl(s3, BUCKET, oai_user, prefix="read")

    read = grants.grant_acl(s3, BUCKET, oai_user)
    assert (read.changed, read.unchanged) == (0, 2)
    full = grants.grant_acl(s3, BUCKET, oai_user, permission="FULL_CONTROL")
    assert (full.changed, full.unchanged) == (1, 1)
    assert grantee_permissions(s3, "full", oai_user) == ["FULL_CONTROL"]
    assert "FULL_CONTROL" in grantee_permissions(s3, "read", oai_user)


def test_acl_grant_under_a_prefix_touches_only_those_objects(s3, oai_user):
    fill(s3, ["videos/a.mp4", "videos/b.mp4", "thumbs/a.jpg", "index.html"])
    summary = grants.grant_acl(s3, BUCKET, oai_user, prefix="videos/")
    assert summary.changed == 2
    assert grantee_permissions(s3, "videos/a.mp4", oai_user) == ["READ"]
    assert grantee_permissions(s3, "thumbs/a.jpg", oai_user) == []
    assert grantee_permissions(s3, "index.html", oai_user) == []


def test_acl_dry_run_lists_what_would_change_and_writes_nothing(s3, oai_user):
    fill(s3, ["a", "b", "c"])
    grants.grant_acl(s3, BUCKET, oai_user, prefix="a")
    before = {k: acl(s3, k)["Grants"] for k in "abc"}
    would = []
    summary = grants.grant_acl(s3, BUCKET, oai_user, dry_run=True, on_change=would.append)
    assert sorted(would) == ["b", "c"]
    assert (summary.changed, summary.unchanged, summary.dry_run) == (2, 1, True)
    assert {k: acl(s3, k)["Grants"] for k in "abc"} == before


def test_acl_grant_pages_through_more_than_one_listing_page(s3, oai_user):
    fill(s3, [f"obj{i:05}" for i in range(1100)])
    summary = grants.grant_acl(s3, BUCKET, oai_user, concurrency=16, dry_run=True)
    assert summary.listed == 1100 and summary.changed == 1100 and summary.listing_complete


def test_acl_progress_reports_counts_and_rate(s3, oai_user):
    fill(s3, [f"k{i}" for i in range(25)])
    seen = []
    grants.grant_acl(s3, BUCKET, oai_user, concurrency=4, on_progress=seen.append)
    done = [p.done for p in seen]
    assert done == sorted(done) and done[-1] == 25
    assert all(p.done <= p.listed for p in seen)
    assert seen[-1].listing_complete and seen[-1].rate > 0


def test_acl_cancel_stops_cleanly_and_a_rerun_finishes(s3, oai_user):
    keys = [f"k{i:03}" for i in range(120)]
    fill(s3, keys)
    cancel = threading.Event()

    def stop_after_20(progress):
        if progress.done >= 20:
            cancel.set()

    first = grants.grant_acl(
        s3, BUCKET, oai_user, concurrency=4, cancel=cancel, on_progress=stop_after_20
    )
    assert first.cancelled
    assert 20 <= first.done < 120
    assert first.remaining > 0
    # The summary is the truth: exactly the objects it counts were granted.
    have = [k for k in keys if grantee_permissions(s3, k, oai_user)]
    assert len(have) == first.changed

    rest = grants.grant_acl(s3, BUCKET, oai_user, concurrency=4)
    assert not rest.cancelled
    assert (rest.changed, rest.unchanged) == (120 - first.changed, first.changed)
    assert all(grantee_permissions(s3, k, oai_user) == ["READ"] for k in keys)


def test_acl_failures_are_counted_with_their_reason(s3, oai_user):
    fill(s3, ["keep-1", "gone-1", "keep-2", "gone-2"])
    other = boto3.client("s3", region_name="us-east-1")

    def delete_first(params, **_):
        # Another user deletes the object between our listing and our read of its ACL.
        if params["Key"].startswith("gone"):
            other.delete_object(Bucket=BUCKET, Key=params["Key"])

    s3.meta.events.register("provide-client-params.s3.GetObjectAcl", delete_first)
    summary = grants.grant_acl(s3, BUCKET, oai_user, concurrency=2)
    assert (summary.changed, summary.failed) == (2, 2)
    assert sorted(key for key, _ in summary.failures) == ["gone-1", "gone-2"]
    assert all(reason.startswith("NoSuchKey") for _, reason in summary.failures)
    assert summary.failure_codes == {"NoSuchKey": 2}


def test_acl_grant_on_a_bucket_with_acls_disabled(s3, oai_user):
    s3.create_bucket(Bucket="enforced-bucket")
    s3.put_bucket_ownership_controls(
        Bucket="enforced-bucket",
        OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
    )
    fill(s3, ["a"], bucket="enforced-bucket")
    for dry_run in (False, True):
        with pytest.raises(ClientError) as caught:
            grants.grant_acl(s3, "enforced-bucket", oai_user, dry_run=dry_run)
        assert caught.value.response["Error"]["Code"] == "AccessControlListNotSupported"


def test_acl_grant_on_a_missing_bucket_raises_the_aws_error(s3, oai_user):
    with pytest.raises(ClientError) as caught:
        grants.grant_acl(s3, "no-such-bucket-here", oai_user)
    assert caught.value.response["Error"]["Code"] == "NoSuchBucket"


def test_acl_revoke_removes_the_grantee_and_keeps_the_rest(s3, oai_user):
    """Needs simulator/s3.py (AccessControlPolicy bodies honoured)."""
    fill(s3, ["a", "b", "c"])
    before = {k: grant_set(acl(s3, k)["Grants"]) for k in "abc"}
    grants.grant_acl(s3, BUCKET, oai_user, permission="FULL_CONTROL", prefix="a")
    grants.grant_acl(s3, BUCKET, oai_user, prefix="b")

    summary = grants.revoke_acl(s3, BUCKET, oai_user)
    assert (summary.changed, summary.unchanged, summary.revoke) == (2, 1, True)
    assert {k: grant_set(acl(s3, k)["Grants"]) for k in "abc"} == before
    again = grants.revoke_acl(s3, BUCKET, oai_user)
    assert (again.changed, again.unchanged) == (0, 3)


def test_acl_throttling_is_retried_with_backoff(s3, oai_user):
    keys = [f"k{i:02}" for i in range(40)]
    fill(s3, keys)
    # botocore's own retries are off, so every retry seen here is cfshell's.
    no_retries = Config(retries={"total_max_attempts": 1, "mode": "standard"})
    client = boto3.client("s3", region_name="us-east-1", config=no_retries)
    settings.fault_rate = 0.3  # simulate() restores the previous settings when it stops
    faults.reseed(7)
    try:
        summary = grants.grant_acl(client, BUCKET, oai_user, concurrency=8, retry=FAST)
    finally:
        settings.fault_rate = 0.0
    assert (summary.changed, summary.failed) == (40, 0)
    assert summary.retries > 0
    assert all(grantee_permissions(s3, k, oai_user) == ["READ"] for k in keys)


def test_acl_gives_up_after_the_last_retry_and_says_why(s3, oai_user):
    fill(s3, ["a", "b"])
    no_retries = Config(retries={"total_max_attempts": 1, "mode": "standard"})
    client = boto3.client("s3", region_name="us-east-1", config=no_retries)
    # Throttle every object request but not the listing: fail only what comes after it.
    listed = boto3.client("s3", region_name="us-east-1").list_objects_v2(Bucket=BUCKET)
    assert listed["KeyCount"] == 2

    def throttle_everything(**_):
        settings.fault_rate = 1.0

    client.meta.events.register("before-call.s3.GetObjectAcl", throttle_everything)
    try:
        summary = grants.grant_acl(
            client, BUCKET, oai_user, concurrency=2, retry=grants.Retry(3, 0.001, 0.002)
        )
    finally:
        settings.fault_rate = 0.0
    assert (summary.changed, summary.failed) == (0, 2)
    assert summary.failure_codes == {"SlowDown": 2}
    assert summary.retries == 4  # two retries for each of the two objects


def test_acl_cancel_during_a_backoff_leaves_the_object_to_the_rerun(s3, oai_user):
    fill(s3, ["a", "b"])
    no_retries = Config(retries={"total_max_attempts": 1, "mode": "standard"})
    client = boto3.client("s3", region_name="us-east-1", config=no_retries)

    def throttle_everything(**_):
        settings.fault_rate = 1.0

    client.meta.events.register("before-call.s3.GetObjectAcl", throttle_everything)
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    try:
        summary = grants.grant_acl(
            client, BUCKET, oai_user, cancel=cancel, retry=grants.Retry(8, 5.0, 5.0)
        )
    finally:
        settings.fault_rate = 0.0
    assert summary.cancelled
    assert (summary.done, summary.failed, summary.remaining) == (0, 0, 2)
    assert summary.elapsed < 3  # the 5 s backoffs were cut short

    rest = grants.grant_acl(s3, BUCKET, oai_user)
    assert rest.changed == 2
