"""Going live: `--dry-run` preflight (reads only, says which lines AWS would refuse) and
`--resume` after a replay that stopped, against a served simulator (real AWS for cfshell)."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from tests.conftest import served_simulator, subprocess_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def served():
    with served_simulator(deploy_seconds=0.3) as url:
        yield url


@pytest.fixture
def fresh():
    """A second simulator, for an uninterrupted replay."""
    with served_simulator(deploy_seconds=0.3) as url:
        yield url


def _clients(url: str):
    kw = dict(
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return boto3.client("cloudfront", **kw), boto3.client("s3", **kw)


def _cfshell(url: str, *args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cfshell", "--endpoint-url", url, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=subprocess_env(HOME=str(home)),
    )


def _world(cf, s3) -> dict:
    """Everything a transcript here could change, as listed."""
    dists = cf.list_streaming_distributions()["StreamingDistributionList"].get("Items", [])
    oais = cf.list_cloud_front_origin_access_identities()["CloudFrontOriginAccessIdentityList"]
    buckets = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    policies = {}
    for name in buckets:
        try:
            policies[name] = s3.get_bucket_policy(Bucket=name)["Policy"]
        except Exception:  # noqa: BLE001 - no policy
            policies[name] = None
    return {
        "streaming": sorted(
            (d["Id"], d["S3Origin"]["DomainName"], tuple(d["Aliases"].get("Items", [])))
            for d in dists
        ),
        "oais": sorted(o["Id"] for o in oais.get("Items", [])),
        "buckets": sorted(buckets),
        "policies": policies,
    }


TRANSCRIPT = """# cfshell transcript 1
# mode: simulate
oai create 'reads the bucket'
#= $oai1
streaming create my-video-bucket --cname cf.example.com --oai $oai1
#= $streaming1
oai grant $oai1 other-bucket
streaming create other-bucket --cname taken.example.com -m 'second'
#= $streaming2
streaming wait $streaming1
"""


def test_dry_run_reports_exactly_the_lines_aws_would_refuse_and_writes_nothing(
    served, tmp_path
) -> None:
    cf, s3 = _clients(served)
    s3.create_bucket(Bucket="other-bucket")
    cf.create_streaming_distribution(
        StreamingDistributionConfig={
            "CallerReference": "existing",
            "S3Origin": {"DomainName": "other-bucket.s3.amazonaws.com", "OriginAccessIdentity": ""},
            "Comment": "holds the CNAME",
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
            "Enabled": True,
            "Aliases": {"Quantity": 1, "Items": ["taken.example.com"]},
        }
    )
    path = tmp_path / "golive.cfsh"
    path.write_text(TRANSCRIPT)
    before = _world(cf, s3)
    done = _cfshell(served, "--script", str(path), "--dry-run", home=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    refused = [line.strip() for line in done.stdout.splitlines() if line.startswith("    would")]
    assert refused == [
        "would fail: bucket my-video-bucket does not exist",
        "would fail: CNAME already in use in this account: taken.example.com (used by "
        + before["streaming"][0][0]
        + ")",
    ]
    assert "line 5: streaming create my-video-bucket" in done.stdout
    assert re.search(
        r"5 lines would run, 2 would fail: line 5 \(bucket my-video-bucket does not exist\), "
        r"line 8 \(CNAME already in use",
        done.stdout,
    )
    assert _world(cf, s3) == before  # nothing written


def test_dry_run_of_lines_that_would_run_exits_zero(served, tmp_path) -> None:
    cf, s3 = _clients(served)
    s3.create_bucket(Bucket="my-video-bucket")
    s3.create_bucket(Bucket="other-bucket")
    path = tmp_path / "golive.cfsh"
    path.write_text(TRANSCRIPT)
    done = _cfshell(served, "--script", str(path), "--dry-run", home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 lines would run, 0 would fail" in done.stdout
    assert _world(cf, s3)["streaming"] == []


def _shape(world: dict) -> dict:
    """A world without its generated IDs: what an uninterrupted replay would also make."""
    oais = world["oais"]
    policies = {
        name: (policy or "").replace(oais[0], "OAI") if oais else policy
        for name, policy in world["policies"].items()
    }
    return {
        "streaming": sorted((origin, aliases) for _, origin, aliases in world["streaming"]),
        "oais": len(oais),
        "buckets": world["buckets"],
        "policies": {k: bool(v) and "OAI" in v for k, v in policies.items()},
    }


def test_a_stopped_replay_resumes_where_it_stopped(served, fresh, tmp_path) -> None:
    cf, s3 = _clients(served)
    s3.create_bucket(Bucket="other-bucket")  # my-video-bucket is missing: line 7 fails
    path = tmp_path / "golive.cfsh"
    path.write_text(TRANSCRIPT.replace(" --cname taken.example.com", ""))
    stopped = _cfshell(served, "--script", str(path), home=tmp_path)
    assert stopped.returncode != 0
    assert "line 5: `streaming create my-video-bucket" in stopped.stderr
    resume = Path(f"{path}.resume")
    assert stat.S_IMODE(os.stat(resume).st_mode) == 0o600
    saved = json.loads(resume.read_text())
    oai_id = _world(cf, s3)["oais"][0]
    assert saved["line"] == 5 and saved["bound"] == {"oai1": oai_id}
    assert "--resume" in stopped.stderr

    # An edit since the stop is refused, naming the line.
    edited = path.read_text()
    path.write_text(edited.replace("-m 'second'", "-m 'changed'"))
    refused = _cfshell(served, "--script", str(path), "--resume", home=tmp_path)
    assert refused.returncode != 0
    assert "line 8 differs" in refused.stderr
    path.write_text(edited)

    s3.create_bucket(Bucket="my-video-bucket")  # the cause, fixed
    resumed = _cfshell(served, "--script", str(path), "--resume", "--yes", home=tmp_path)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "resuming at line 5; already done: 1 commands" in resumed.stdout
    assert "done  line 3: oai create 'reads the bucket'" in resumed.stdout
    assert "# line 3:" not in resumed.stdout  # not run again
    assert not resume.exists()

    world = _world(cf, s3)
    assert world["oais"] == [oai_id]  # nothing made twice
    origins = sorted(origin for _, origin, _ in world["streaming"])
    assert origins == ["my-video-bucket.s3.amazonaws.com", "other-bucket.s3.amazonaws.com"]

    # The same as an uninterrupted replay on a fresh world.
    cf2, s32 = _clients(fresh)
    s32.create_bucket(Bucket="other-bucket")
    s32.create_bucket(Bucket="my-video-bucket")
    whole = _cfshell(fresh, "--script", str(path), "--yes", home=tmp_path)
    assert whole.returncode == 0, whole.stdout + whole.stderr
    assert _shape(_world(cf2, s32)) == _shape(world)
    assert _shape(world)["policies"] == {"my-video-bucket": False, "other-bucket": True}


def test_resume_without_a_stopped_run_says_so(served, tmp_path) -> None:
    path = tmp_path / "golive.cfsh"
    path.write_text(TRANSCRIPT)
    done = _cfshell(served, "--script", str(path), "--resume", home=tmp_path)
    assert done.returncode != 0
    assert "no resume file" in done.stderr and "nothing stopped there" in done.stderr


def test_dry_run_names_acls_disabled_and_literal_ids_that_do_not_exist(served, tmp_path) -> None:
    cf, s3 = _clients(served)
    s3.create_bucket(Bucket="new-bucket")  # made today: BucketOwnerEnforced, ACLs disabled
    path = tmp_path / "literal.cfsh"
    path.write_text(
        "# cfshell transcript 1\n# mode: simulate\n"
        "oai grant E2QWRUHAPOMQZL new-bucket --acl\n"
        "key-group create signers --key K2JCJMDEHXQW5F\n"
        "dns alias cf.example.com\n"
    )
    before = _world(cf, s3)
    done = _cfshell(served, "--script", str(path), "--dry-run", home=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    refused = [line.strip() for line in done.stdout.splitlines() if line.startswith("    would")]
    assert refused == [
        "would fail: bucket new-bucket has ACLs disabled (Object Ownership BucketOwnerEnforced): "
        "AWS refuses ACL grants there; grant by bucket policy (without --acl)",
        "would fail: origin access identity E2QWRUHAPOMQZL does not exist in this account",
        "would fail: public key K2JCJMDEHXQW5F does not exist in this account",
        "would fail: no hosted zone of this account holds cf.example.com",
    ]
    assert "3 lines would run, 3 would fail" in done.stdout
    assert _world(cf, s3) == before
