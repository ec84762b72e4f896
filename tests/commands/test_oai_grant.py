"""`oai grant` / `oai revoke` driven through the cfshell app against the in-process simulator.

Each test runs real command lines and checks what a user sees (stdout, the error line, the exit
status a script would get) and the resulting bucket state, read back with boto3.
"""

from __future__ import annotations

import io
import json
import os
import signal
import threading

import pytest

from cfshell.app import CfShell
from cfshell.session import Session

BUCKET = "my-video-bucket"


class Shell:
    """The app with its stdout captured; `run` gives (ok, stdout, stderr, exit status)."""

    def __init__(self, capsys):
        self.capsys = capsys
        self.session = Session(simulate=True, concurrency=4)
        self.stdout = io.StringIO()
        self.app = CfShell(self.session, stdout=self.stdout)
        self.s3 = self.session.client("s3")
        self.cf = self.session.client("cloudfront")

    def run(self, line):
        self.capsys.readouterr()
        start = self.stdout.tell()
        _, failure = self.app.run_line(line)
        out = self.stdout.getvalue()[start:]
        err = self.capsys.readouterr().err
        return failure is None, out, err, failure.status if failure else 0

    def create_oai(self, comment="for my-video-bucket"):
        identity = self.cf.create_cloud_front_origin_access_identity(
            CloudFrontOriginAccessIdentityConfig={"CallerReference": comment, "Comment": comment}
        )["CloudFrontOriginAccessIdentity"]
        return identity["Id"], identity["S3CanonicalUserId"]

    def fill(self, keys, bucket=BUCKET):
        for key in keys:
            self.s3.put_object(Bucket=bucket, Key=key, Body=b"video")

    def permissions(self, key, user, bucket=BUCKET):
        grants = self.s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]
        return sorted(g["Permission"] for g in grants if g["Grantee"].get("ID") == user)

    def policy(self):
        return json.loads(self.s3.get_bucket_policy(Bucket=BUCKET)["Policy"])


@pytest.fixture
def shell(capsys):
    sh = Shell(capsys)
    sh.s3.create_bucket(Bucket=BUCKET)
    try:
        yield sh
    finally:
        sh.session.close()


# -- policy mode ------------------------------------------------------------------------------


def test_grant_uses_the_selected_oai_and_merges_into_the_policy(shell):
    oai_id, _ = shell.create_oai()
    other = {
        "Sid": "PublicThumbs",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/thumbs/*",
    }
    shell.s3.put_bucket_policy(
        Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [other]})
    )
    shell.run(f"use oai {oai_id}")

    ok, out, err, _ = shell.run(f"oai grant {BUCKET}")
    assert ok, err
    assert f"granted OAI {oai_id} read access to {BUCKET}/*" in out
    statements = shell.policy()["Statement"]
    assert statements[0] == other
    assert statements[1]["Principal"] == {
        "AWS": f"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {oai_id}"
    }
    assert statements[1]["Resource"] == f"arn:aws:s3:::{BUCKET}/*"

    ok, out, _, _ = shell.run(f"oai grant {BUCKET}.s3.amazonaws.com")
    assert ok and "nothing changed" in out
    assert shell.policy()["Statement"] == statements


def test_grant_dry_run_shows_the_statement_and_writes_nothing(shell):
    oai_id, _ = shell.create_oai()
    ok, out, _, _ = shell.run(f"oai grant {oai_id} {BUCKET} --prefix videos/ --dry-run")
    assert ok
    assert (
        f"would grant OAI {oai_id} read access to {BUCKET}/videos/* in a new bucket policy" in out
    )
    assert f'"Resource":"arn:aws:s3:::{BUCKET}/videos/*"' in out
    with pytest.raises(shell.s3.exceptions.ClientError):
        shell.s3.get_bucket_policy(Bucket=BUCKET)


def test_revoke_deletes_a_policy_left_empty(shell):
    oai_id, _ = shell.create_oai()
    shell.run(f"oai grant {oai_id} {BUCKET}")
    ok, out, _, _ = shell.run(f"oai revoke {oai_id} {BUCKET}")
    assert ok and "the bucket policy was deleted" in out
    with pytest.raises(shell.s3.exceptions.ClientError):
        shell.s3.get_bucket_policy(Bucket=BUCKET)
    ok, out, _, _ = shell.run(f"oai revoke {oai_id} {BUCKET}")
    assert ok and "nothing changed" in out


# -- ACL mode ---------------------------------------------------------------------------------


def test_acl_grant_reaches_every_object_and_reports_counts(shell):
    oai_id, user = shell.create_oai()
    keys = [f"videos/{i:02}.mp4" for i in range(12)]
    shell.fill(keys)
    ok, out, err, _ = shell.run(f"oai grant {oai_id} {BUCKET} --acl")
    assert ok, err
    assert f"granted READ to OAI {oai_id} on {BUCKET}/*: 12 objects" in out
    assert "granted: 12, already had it: 0, failed: 0" in out
    assert all(shell.permissions(k, user) == ["READ"] for k in keys)
    # Not a terminal: no progress bar drawn into the output.
    assert "\x1b[" not in out and "\r" not in out

    ok, out, _, _ = shell.run(f"oai grant {oai_id} {BUCKET} --acl")
    assert ok and "granted: 0, already had it: 12, failed: 0" in out


def test_acl_full_control_as_the_seed_did(shell):
    oai_id, user = shell.create_oai()
    shell.fill(["a.mp4"])
    ok, out, _, _ = shell.run(f"oai grant {oai_id} {BUCKET} --acl --permission FULL_CONTROL")
    assert ok and "granted FULL_CONTROL" in out
    assert shell.permissions("a.mp4", user) == ["FULL_CONTROL"]


def test_acl_dry_run_lists_the_objects_and_changes_nothing(shell):
    oai_id, user = shell.create_oai()
    shell.fill(["videos/a.mp4", "videos/b.mp4", "index.html"])
    ok, out, _, _ = shell.run(f"oai grant {oai_id} {BUCKET} --acl --prefix videos/ --dry-run")
    assert ok
    lines = sorted(line for line in out.splitlines() if line.startswith("would grant: "))
    assert lines == ["would grant: videos/a.mp4", "would grant: videos/b.mp4"]
    assert "dry run, nothing changed" in out
    assert all(shell.permissions(k, user) == [] for k in ("videos/a.mp4", "videos/b.mp4"))


def test_acl_revoke_removes_the_grant(shell):
    oai_id, user = shell.create_oai()
    shell.fill(["a", "b"])
    shell.run(f"oai grant {oai_id} {BUCKET} --acl")
    ok, out, _, _ = shell.run(f"oai revoke {oai_id} {BUCKET} --acl")
    assert ok and "revoked: 2, did not have it: 0, failed: 0" in out
    assert shell.permissions("a", user) == [] and shell.permissions("b", user) == []


def test_acl_on_a_bucket_with_acls_disabled_points_to_policy_mode(shell):
    oai_id, _ = shell.create_oai()
    shell.s3.create_bucket(Bucket="enforced-bucket")
    shell.s3.put_bucket_ownership_controls(
        Bucket="enforced-bucket",
        OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
    )
    ok, out, err, status = shell.run(f"oai grant {oai_id} enforced-bucket --acl")
    assert not ok and status == 1
    assert "ACLs disabled" in err and "without `--acl`" in err
    assert "Traceback" not in err
    # The shell is still usable.
    assert shell.run(f"oai grant {oai_id} enforced-bucket")[0]


def test_ctrl_c_stops_cleanly_and_a_rerun_finishes(shell):
    oai_id, user = shell.create_oai()
    keys = [f"k{i:03}" for i in range(80)]
    shell.fill(keys)
    writes = []

    def interrupt_after_ten(**_):
        # Ctrl-C, as the terminal sends it, while the grant is under way.
        writes.append(1)
        if len(writes) == 10:
            os.kill(os.getpid(), signal.SIGINT)

    shell.s3.meta.events.register("after-call.s3.PutObjectAcl", interrupt_after_ten)
    ok, out, err, status = shell.run(f"oai grant {oai_id} {BUCKET} --acl")
    shell.s3.meta.events.unregister("after-call.s3.PutObjectAcl", interrupt_after_ten)
    assert not ok and status == 130
    assert "stopped by Ctrl-C:" in err and "remaining" in err and "run the same command" in err
    granted = [k for k in keys if shell.permissions(k, user)]
    assert 10 <= len(granted) < 80
    assert f"granted: {len(granted)}," in out

    ok, out, _, _ = shell.run(f"oai grant {oai_id} {BUCKET} --acl")
    assert ok
    assert f"granted: {80 - len(granted)}, already had it: {len(granted)}, failed: 0" in out
    assert all(shell.permissions(k, user) == ["READ"] for k in keys)


def test_failures_are_listed_and_make_the_command_fail(shell):
    oai_id, _ = shell.create_oai()
    shell.fill(["keep.mp4", "gone.mp4"])
    lock = threading.Lock()

    def delete_gone(params, **_):
        # Someone deletes the object between the listing and our read of its ACL.
        if params["Key"] == "gone.mp4":
            with lock:
                shell.s3.delete_object(Bucket=BUCKET, Key="gone.mp4")

    shell.s3.meta.events.register("provide-client-params.s3.GetObjectAcl", delete_gone)
    ok, out, err, status = shell.run(f"oai grant {oai_id} {BUCKET} --acl")
    assert not ok and status == 1
    assert "granted: 1, already had it: 0, failed: 1" in out
    assert "failed: gone.mp4: NoSuchKey" in out
    assert "1 object failed: run the same command again" in err


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
    ok, out, err, status = shell.run(line)
    assert not ok and status in (1, 2)
    assert message in err
    assert "Traceback" not in err


def test_missing_bucket_and_unknown_permission(shell):
    oai_id, _ = shell.create_oai()
    ok, _, err, _ = shell.run(f"oai grant {oai_id} no-such-bucket-here")
    assert not ok and "does not exist" in err
    ok, _, err, status = shell.run(f"oai grant {oai_id} {BUCKET} --acl --permission WRITE")
    assert not ok and status == 2 and "invalid choice" in err
    assert shell.run("context")[0]


def test_revoke_still_works_after_the_oai_was_deleted(shell):
    oai_id, _ = shell.create_oai()
    shell.run(f"oai grant {oai_id} {BUCKET}")
    etag = shell.cf.get_cloud_front_origin_access_identity(Id=oai_id)["ETag"]
    shell.cf.delete_cloud_front_origin_access_identity(Id=oai_id, IfMatch=etag)
    ok, out, err, _ = shell.run(f"oai revoke {oai_id} {BUCKET}")
    assert ok, err
    assert "the bucket policy was deleted" in out
    # ACL mode needs the OAI's canonical user id, which only CloudFront knows.
    ok, _, err, _ = shell.run(f"oai revoke {oai_id} {BUCKET} --acl")
    assert not ok and "no origin access identity" in err


@pytest.mark.parametrize("mode", ["", " --acl", " --acl --dry-run"])
def test_errors_name_the_missing_oai_and_bucket(shell, mode):
    ok, _, err, _ = shell.run(f"oai grant E2QWRUHEXAMPLE {BUCKET}{mode}")
    assert not ok and "no origin access identity E2QWRUHEXAMPLE" in err
    oai_id, _ = shell.create_oai()
    ok, _, err, _ = shell.run(f"oai grant {oai_id} no-such-bucket-here{mode}")
    assert not ok and "bucket no-such-bucket-here does not exist" in err
    ok, _, err, _ = shell.run(f"oai revoke {oai_id} no-such-bucket-here{mode.replace(' --dry-run', '')}")
    assert not ok and "bucket no-such-bucket-here does not exist" in err
