"""`sim ...`: the simulator's stage and settings, checked with boto3."""

from __future__ import annotations

import json

import simulator

from .conftest import BUCKET


def test_bucket_create_and_list(shell):
    out = shell.ok(f"sim bucket create {BUCKET}")
    assert BUCKET in out and shell.session.context.get("bucket") == BUCKET
    assert [b["Name"] for b in shell.s3.list_buckets()["Buckets"]] == [BUCKET]
    assert BUCKET in shell.ok("sim bucket list")


def test_bucket_create_in_another_region(shell):
    shell.ok("region eu-west-1")
    shell.ok("sim bucket create eu-videos")
    location = shell.s3.get_bucket_location(Bucket="eu-videos")["LocationConstraint"]
    assert location == "eu-west-1"


def test_bucket_with_acls_disabled_refuses_acls(shell):
    shell.ok("sim bucket create modern-bucket --acls-disabled")
    rules = shell.s3.get_bucket_ownership_controls(Bucket="modern-bucket")
    assert rules["OwnershipControls"]["Rules"][0]["ObjectOwnership"] == "BucketOwnerEnforced"


def test_object_put_one_and_many_and_list(shell):
    shell.ok(f"sim bucket create {BUCKET}")
    shell.ok(f"sim object put {BUCKET} videos/intro.mp4 --size 100")
    shell.ok(f"sim object put {BUCKET} clips/clip.mp4 --count 5")
    shell.ok(f"sim object put {BUCKET} notes.txt --body hello")
    listing = shell.s3.list_objects_v2(Bucket=BUCKET)["Contents"]
    sizes = {o["Key"]: o["Size"] for o in listing}
    assert sizes["videos/intro.mp4"] == 100
    assert (
        sizes["clips/clip-0005.mp4"] == 16
        and len([k for k in sizes if k.startswith("clips/")]) == 5
    )
    assert shell.s3.get_object(Bucket=BUCKET, Key="notes.txt")["Body"].read() == b"hello"
    rows = json.loads(shell.ok(f"sim object list {BUCKET} --prefix clips/ --output json"))
    assert len(rows) == 5


def test_object_acl_shows_the_owner_grant(shell):
    shell.ok(f"sim bucket create {BUCKET}")
    shell.ok(f"sim object put {BUCKET} a.mp4")
    out = shell.ok(f"sim object acl {BUCKET} a.mp4")
    assert "FULL_CONTROL" in out and "CanonicalUser" in out


def test_deploy_delay_and_faults_change_the_settings(shell):
    shell.ok("sim deploy-delay 0.5")
    assert simulator.settings()["deploy_seconds"] == 0.5
    shell.ok("sim faults --latency-ms 3 --fault-rate 0.25 --seed 4")
    settings = simulator.settings()
    assert (settings["latency_ms"], settings["fault_rate"], settings["fault_seed"]) == (3, 0.25, 4)
    data = json.loads(shell.ok("sim settings --output json"))
    assert data["fault_rate"] == 0.25
    shell.ok("sim faults --latency-ms 0 --fault-rate 0")
    assert shell.run("sim faults --fault-rate 2").failed
    assert simulator.settings()["fault_rate"] == 0


def test_fault_rate_one_throttles_and_the_error_says_so(shell):
    shell.ok(f"sim bucket create {BUCKET}")
    shell.ok("sim faults --fault-rate 1")
    result = shell.run("streaming list")
    shell.ok("sim faults --fault-rate 0")
    assert result.failed and "throttled" in result.err


def test_save_and_load_state(shell, tmp_path):
    shell.ok(f"sim bucket create {BUCKET}")
    shell.ok("oai create kept")
    path = tmp_path / "world.state"
    shell.ok(f"sim save {path}")
    shell.ok("oai create dropped")
    assert (
        len(
            shell.cf.list_cloud_front_origin_access_identities()[
                "CloudFrontOriginAccessIdentityList"
            ]["Items"]
        )
        == 2
    )
    shell.ok(f"sim load {path}")
    items = shell.cf.list_cloud_front_origin_access_identities()[
        "CloudFrontOriginAccessIdentityList"
    ]["Items"]
    assert [i["Comment"] for i in items] == ["kept"]


def test_load_of_a_bad_file_is_one_line(shell, tmp_path):
    path = tmp_path / "junk.state"
    path.write_text("not a state")
    result = shell.run(f"sim load {path}")
    assert result.failed and len(result.err.strip().splitlines()) == 1
