"""cfshell.aws.migration without the shell: the steps' states, the ACL scan's bound and who it
finds, the retire mark, and the note when no edge can be asked (real AWS)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from cfshell.aws import distributions, migration, oai
from cfshell.aws import policy as bucket_policy
from simulator import simulate

BUCKET = "media-bucket"


@pytest.fixture
def clients(monkeypatch):
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    with simulate(deploy_seconds=0):
        s3 = boto3.client("s3", region_name="us-east-1")
        cf = boto3.client("cloudfront", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET, ObjectOwnership="ObjectWriter")  # ACLs enabled
        yield cf, s3


def _steps(dry_run=False, stop_at=None):
    seen: list[tuple[str, str]] = []

    def checkpoint(name: str) -> None:
        if name == stop_at:
            raise RuntimeError(f"stopped before {name}")

    steps = migration.Steps(lambda s, t: seen.append((s, t)), dry_run=dry_run)
    steps.checkpoint = checkpoint
    return steps, seen


def test_a_dry_step_says_would_and_does_nothing():
    steps, seen = _steps(dry_run=True)
    called = []
    assert steps.do("x", "make a thing", lambda: called.append(1)) is None
    assert called == [] and seen == [("would", "make a thing")]


def test_a_step_is_checked_before_it_runs():
    steps, seen = _steps(stop_at="x")
    called = []
    with pytest.raises(RuntimeError):
        steps.do("x", "make a thing", lambda: called.append(1))
    assert called == [] and seen == []


def test_scan_is_bounded_and_names_other_grantees(clients):
    _, s3 = clients
    owner = s3.get_bucket_acl(Bucket=BUCKET)["Owner"]
    for n in range(5):
        s3.put_object(Bucket=BUCKET, Key=f"v/{n}.mp4", Body=b"x")
    other, skipped = "a" * 64, "b" * 64
    for grantee in (other, skipped):
        acl = s3.get_object_acl(Bucket=BUCKET, Key="v/0.mp4")
        s3.put_object_acl(
            Bucket=BUCKET,
            Key="v/0.mp4",
            AccessControlPolicy={
                "Grants": acl["Grants"]
                + [{"Grantee": {"Type": "CanonicalUser", "ID": grantee}, "Permission": "READ"}],
                "Owner": owner,
            },
        )
    scan = migration.scan_acls(s3, BUCKET, skip=[skipped], limit=10)
    assert (scan.scanned, scan.complete) == (5, True)
    assert scan.grantees == {other: {"v/0.mp4 (READ)"}}
    bounded = migration.scan_acls(s3, BUCKET, skip=[skipped], limit=2)
    assert (bounded.scanned, bounded.complete) == (2, False)


def test_without_an_edge_the_migration_says_it_did_not_check(clients):
    cf, s3 = clients
    identity, _, _ = oai.create(cf, "reads the bucket")
    dist, _ = distributions.create(cf, distributions.new_config(BUCKET, oai_id=identity["Id"]))
    s3.put_bucket_policy(
        Bucket=BUCKET,
        Policy=bucket_policy.dump(
            {
                "Version": "2012-10-17",
                "Statement": [bucket_policy.oai_statement(identity["Id"], BUCKET)],
            }
        ),
    )
    steps, seen = _steps()
    result = migration.migrate_oac(cf, s3, dist["Id"], steps, wait=lambda _: None, check=None)
    states = [state for state, _ in seen]
    assert "left" in states
    assert any("not checked through the edge" in text for _, text in seen)
    assert result.deletable_oais == [identity["Id"]]
    assert s3.get_bucket_policy(Bucket=BUCKET)["Policy"].count("CloudFront Origin Access") == 0


def test_retire_mark_round_trip_and_time_left():
    when = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    assert (
        migration.retire_after(f"viewers cfshell: retire after {when:%Y-%m-%dT%H:%M:%SZ}") == when
    )
    assert migration.retire_after("viewers") is None
    assert migration._remaining(timedelta(seconds=7199)) == "2h"
    assert migration._remaining(timedelta(minutes=119)) == "1h59m"
    assert migration._remaining(timedelta(seconds=5)) == "1m"
