"""`oai grant` / `oai revoke` driven through the cfshell app against the in-process simulator.

Each test runs real command lines and checks what a user sees (stdout, the error line, the exit
status a script would get) and the resulting bucket state, read back with boto3.
"""

from __future__ import annotations

import json
import os
import signal
import threading

import pytest

from tests.conftest import BUCKET


@pytest.fixture
def shell(make_shell):
    sh = make_shell(concurrency=4)
    sh.s3.create_bucket(Bucket=BUCKET, ObjectOwnership="ObjectWriter")  # ACLs enabled
    return sh


def create_oai(shell, comment="for my-video-bucket"):
    identity = shell.cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": comment, "Comment": comment}
    )["CloudFrontOriginAccessIdentity"]
    return identity["Id"], identity["S3CanonicalUserId"]


def fill(shell, keys, bucket=BUCKET):
    for key in keys:
        shell.s3.put_object(Bucket=bucket, Key=key, Body=b"video")


def permissions(shell, key, user, bucket=BUCKET):
    grants = shell.s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return sorted(g["Permission"] for g in grants if g["Grantee"].get("ID") == user)


def policy(shell):
    return json.loads(shell.s3.get_bucket_policy(Bucket=BUCKET)["Policy"])


# -- policy mode ------------------------------------------------------------------------------


def test_grant_uses_the_selected_oai_and_merges_into_the_policy(shell):
    oai_id, _ = create_oai(shell)
    other = {
        "Sid": "PublicThumbs",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/thumbs/*",
    }
    # A public statement: S3 takes it only with Block Public Access off (on for new buckets).
    shell.s3.delete_public_access_block(Bucket=BUCKET)
    shell.s3.put_bucket_policy(
        Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [other]})
    )
    shell.run(f"use oai {oai_id}")

    result = shell.run(f"oai grant {BUCKET}")
    assert not result.failed, result.err
    assert f"granted OAI {oai_id} read access to {BUCKET}/*" in result.out
    statements = policy(shell)["Statement"]
    assert statements[0] == other
    assert statements[1]["Principal"] == {
        "AWS": f"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {oai_id}"
    }
    assert statements[1]["Resource"] == f"arn:aws:s3:::{BUCKET}/*"

    result = shell.run(f"oai grant {BUCKET}.s3.amazonaws.com")
    assert not result.failed and "nothing changed" in result.out
    assert policy(shell)["Statement"] == statements


def test_grant_dry_run_shows_the_statement_and_writes_nothing(shell):
    oai_id, _ = create_oai(shell)
    result = shell.run(f"oai grant {oai_id} {BUCKET} --prefix videos/ --dry-run")
    assert not result.failed
    assert (
        f"would grant OAI {oai_id} read access to {BUCKET}/videos/* in a new bucket policy"
        in result.out
    )
    assert f'"Resource":"arn:aws:s3:::{BUCKET}/videos/*"' in result.out
    with pytest.raises(shell.s3.exceptions.ClientError):
        shell.s3.get_bucket_policy(Bucket=BUCKET)


def test_revoke_deletes_a_policy_left_empty(shell):
    oai_id, _ = create_oai(shell)
    shell.run(f"oai grant {oai_id} {BUCKET}")
    result = shell.run(f"oai revoke {oai_id} {BUCKET}")
    assert not result.failed and "the bucket policy was deleted" in result.out
    with pytest.raises(shell.s3.exceptions.ClientError):
        shell.s3.get_bucket_policy(Bucket=BUCKET)
    result = shell.run(f"oai revoke {oai_id} {BUCKET}")
    assert not result.failed and "nothing changed" in result.out


# -- ACL mode ---------------------------------------------------------------------------------


def test_acl_grant_reaches_every_object_and_reports_counts(shell):
    oai_id, user = create_oai(shell)
    keys = [f"videos/{i:02}.mp4" for i in range(12)]
    fill(shell, keys)
    result = shell.run(f"oai grant {oai_id} {BUCKET} --acl")
    assert not result.failed, result.err
    assert f"granted READ to OAI {oai_id} on {BUCKET}/*: 12 objects" in result.out
    assert "granted: 12, already had it: 0, failed: 0" in result.out
    assert all(permissions(shell, k, user) == ["READ"] for k in keys)
    # Not a terminal: no progress bar drawn into the output.
    assert "\x1b[" not in result.out and "\r" not in result.out

    result = shell.run(f"oai grant {oai_id} {BUCKET} --acl")
    assert not result.failed and "granted: 0, already had it: 12, failed: 0" in result.out


def test_acl_full_control_as_the_seed_did(shell):
    oai_id, user = create_oai(shell)
    fill(shell, ["a.mp4"])
    result = shell.run(f"oai grant {oai_id} {BUCKET} --acl --permission FULL_CONTROL")
    assert not result.failed and "granted FULL_CONTROL" in result.out
    assert permissions(shell, "a.mp4", user) == ["FULL_CONTROL"]


def test_acl_dry_run_lists_the_objects_and_changes_nothing(shell):
    oai_id, user = create_oai(shell)
    fill(shell, ["videos/a.mp4", "videos/b.mp4", "index.html"])
    result = shell.run(f"oai grant {oai_id} {BUCKET} --acl --prefix videos/ --dry-run")
    assert not result.failed
    lines = sorted(line for line in result.out.splitlines() if line.startswith("would grant: "))
    assert lines == ["would grant: videos/a.mp4", "would grant: videos/b.mp4"]
    assert "dry run, nothing changed" in result.out
    assert all(permissions(shell, k, user) == [] for k in ("videos/a.mp4", "videos/b.mp4"))


def test_acl_revoke_removes_the_grant(shell):
    oai_id, user = create_oai(shell)
    fill(shell, ["a", "b"])
    shell.run(f"oai grant {oai_id} {BUCKET} --acl")
    result = shell.run(f"oai revoke {oai_id} {BUCKET} --acl")
    assert not result.failed and "revoked: 2, did not have it: 0, failed: 0" in result.out
    assert permissions(shell, "a", user) == [] and permissions(shell, "b", user) == []


def test_acl_on_a_bucket_with_acls_disabled_points_to_policy_mode(shell):
    oai_id, _ = create_oai(shell)
    shell.s3.create_bucket(Bucket="enforced-bucket")
    shell.s3.put_bucket_ownership_controls(
        Bucket="enforced-bucket",
        OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
    )
    result = shell.run(f"oai grant {oai_id} enforced-bucket --acl")
    assert result.failed and result.status == 1
    assert "ACLs disabled" in result.err and "without `--acl`" in result.err
    assert "Traceback" not in result.err
    # The shell is still usable.
    assert not shell.run(f"oai grant {oai_id} enforced-bucket").failed


def test_ctrl_c_stops_cleanly_and_a_rerun_finishes(shell):
    oai_id, user = create_oai(shell)
    keys = [f"k{i:03}" for i in range(80)]
    fill(shell, keys)
    writes = []

    def interrupt_after_ten(**_):
        # Ctrl-C, as the terminal sends it, while the grant is under way.
        writes.append(1)
        if len(writes) == 10:
            os.kill(os.getpid(), signal.SIGINT)

    shell.s3.meta.events.register("after-call.s3.PutObjectAcl", interrupt_after_ten)
    result = shell.run(f"oai grant {oai_id} {BUCKET} --acl")
    shell.s3.meta.events.unregister("after-call.s3.PutObjectAcl", interrupt_after_ten)
    assert result.failed and result.status == 130
    assert (
        "stopped by Ctrl-C:" in result.err
        and "remaining" in result.err
        and "run the same command" in result.err
    )
    granted = [k for k in keys if permissions(shell, k, user)]
    assert 10 <= len(granted) < 80
    assert f"granted: {len(granted)}," in result.out

    result = shell.run(f"oai grant {oai_id} {BUCKET} --acl")
    assert not result.failed
    assert f"granted: {80 - len(granted)}, already had it: {len(granted)}, failed: 0" in result.out
    assert all(permissions(shell, k, user) == ["READ"] for k in keys)


def test_failures_are_listed_and_make_the_command_fail(shell):
    oai_id, _ = create_oai(shell)
    fill(shell, ["keep.mp4", "gone.mp4"])
    lock = threading.Lock()

    def delete_gone(params, **_):
        # Someone deletes the object between the listing and our read of its ACL.
        if params["Key"] == "gone.mp4":
            with lock:
                shell.s3.delete_object(Bucket=BUCKET, Key="gone.mp4")

    shell.s3.meta.events.register("provide-client-params.s3.GetObjectAcl", delete_gone)
    result = shell.run(f"oai grant {oai_id} {BUCKET} --acl")
    assert result.failed and result.status == 1
    assert "granted: 1, already had it: 0, failed: 1" in result.out
    assert "failed: gone.mp4: NoSuchKey" in result.out
    assert "1 object failed: run the same command again" in result.err


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (f"oai grant {BUCKET}", "no OAI selected"),
        (f"oai revoke {BUCKET} --acl", "no OAI selected"),
        (f"oai grant E2QWRUHEXAMPLE {BUCKET}", "no origin access identity"),
        (f"oai grant e2qwru {BUCKET}", "not a valid OAI ID"),
        ("oai grant E2QWRUHEXAMPLE Not_A_Bucket", "not a valid bucket name"),
        (f"oai grant E2QWRUHEXAMPLE {BUCKET} --permission READ", "--permission applies to ACL"),
    ],
)
def test_bad_input_gives_one_line_and_a_failure(shell, line, message):
    result = shell.run(line)
    assert result.failed and result.status in (1, 2)
    assert message in result.err
    assert "Traceback" not in result.err


def test_missing_bucket_and_unknown_permission(shell):
    oai_id, _ = create_oai(shell)
    result = shell.run(f"oai grant {oai_id} no-such-bucket-here")
    assert result.failed and "does not exist" in result.err
    result = shell.run(f"oai grant {oai_id} {BUCKET} --acl --permission WRITE")
    assert result.failed and result.status == 2 and "invalid choice" in result.err
    assert not shell.run("context").failed


def test_revoke_still_works_after_the_oai_was_deleted(shell):
    oai_id, _ = create_oai(shell)
    shell.run(f"oai grant {oai_id} {BUCKET}")
    etag = shell.cf.get_cloud_front_origin_access_identity(Id=oai_id)["ETag"]
    shell.cf.delete_cloud_front_origin_access_identity(Id=oai_id, IfMatch=etag)
    result = shell.run(f"oai revoke {oai_id} {BUCKET}")
    assert not result.failed, result.err
    assert "the bucket policy was deleted" in result.out
    # ACL mode needs the OAI's canonical user id, which only CloudFront knows.
    result = shell.run(f"oai revoke {oai_id} {BUCKET} --acl")
    assert result.failed and "no origin access identity" in result.err


@pytest.mark.parametrize("mode", ["", " --acl", " --acl --dry-run"])
def test_errors_name_the_missing_oai_and_bucket(shell, mode):
    result = shell.run(f"oai grant E2QWRUHEXAMPLE {BUCKET}{mode}")
    assert result.failed and "no origin access identity E2QWRUHEXAMPLE" in result.err
    oai_id, _ = create_oai(shell)
    result = shell.run(f"oai grant {oai_id} no-such-bucket-here{mode}")
    assert result.failed and "bucket no-such-bucket-here does not exist" in result.err
    result = shell.run(f"oai revoke {oai_id} no-such-bucket-here{mode.replace(' --dry-run', '')}")
    assert result.failed and "bucket no-such-bucket-here does not exist" in result.err
