"""The state document in-process (what `sim export` / `sim import` and `serve --state` use):
written, loaded into a fresh simulator, and read back equal through boto3; refused, and left
byte for byte, when it is not one."""

from __future__ import annotations

import json
import os
from pathlib import Path

import boto3
import pytest

import simulator
from simulator import simulate
from simulator.state import StateError, load_state, save_state

from . import world

CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
}
FIXTURE = Path(__file__).parent / "fixtures" / "world-v2.json"


def _clients():
    session = boto3.session.Session()
    return [session.client(name, **CREDENTIALS) for name in ("cloudfront", "s3", "acm", "route53")]


def test_every_resource_reads_back_equal_after_a_restart(tmp_path):
    path = tmp_path / "world.json"
    # A long deploy delay: what was InProgress when saved still is, and says so after loading.
    with simulate(deploy_seconds=60):
        cf, s3, acm, route53 = _clients()
        ids = world.build(cf, s3, acm, route53)
        before = world.read(cf, s3, ids, acm, route53)
        save_state(path)
    with simulate():
        cf, s3, acm, route53 = _clients()
        assert s3.list_buckets()["Buckets"] == []
        load_state(path)
        after = world.read(cf, s3, ids, acm, route53)
    assert after == before
    assert before["streaming"]["StreamingDistribution"]["Status"] == "InProgress"
    grantees = {
        g["Grantee"].get("ID") for g in after[world.ACL_BUCKET]["object_acls"][world.KEY]["Grants"]
    }
    assert before["oai"]["CloudFrontOriginAccessIdentity"]["S3CanonicalUserId"] in grantees


def test_statuses_keep_their_clocks(tmp_path):
    """A distribution saved InProgress becomes Deployed when its deploy time comes, after a load."""
    path = tmp_path / "world.json"
    with simulate(deploy_seconds=0.5):
        cf, s3, _, _ = _clients()
        s3.create_bucket(Bucket=world.NEW_BUCKET)
        dist = cf.create_distribution(DistributionConfig=world.web_config("clock"))
        save_state(path)
    with simulate(deploy_seconds=3600):
        cf, _, _, _ = _clients()
        load_state(path)
        got = cf.get_distribution(Id=dist["Distribution"]["Id"])
        assert got["ETag"] == dist["ETag"]
        cf.get_waiter("distribution_deployed").wait(
            Id=dist["Distribution"]["Id"], WaiterConfig={"Delay": 0.1, "MaxAttempts": 30}
        )


def test_the_simulator_clock_is_kept(tmp_path):
    """A world saved after `advance_clock` is loaded at that time: what had deployed by the
    simulator's clock still has, and a new simulation's clock moves on to it."""
    path = tmp_path / "world.json"
    with simulate(deploy_seconds=3600):
        cf, s3, _, _ = _clients()
        s3.create_bucket(Bucket=world.NEW_BUCKET)
        dist_id = cf.create_distribution(DistributionConfig=world.web_config("advanced"))[
            "Distribution"
        ]["Id"]
        simulator.advance_clock(7200)
        assert cf.get_distribution(Id=dist_id)["Distribution"]["Status"] == "Deployed"
        saved_at = simulator.clock_now()
        save_state(path)
    assert json.loads(path.read_text())["clock"]["offset_seconds"] >= 7200
    with simulate():
        cf, _, _, _ = _clients()
        load_state(path)
        assert simulator.clock_now() >= saved_at
        assert cf.get_distribution(Id=dist_id)["Distribution"]["Status"] == "Deployed"


def test_the_document_is_json_a_person_and_jq_can_read(tmp_path):
    path = tmp_path / "world.json"
    with simulate():
        cf, s3, _, _ = _clients()
        ids = world.build(cf, s3)
        save_state(path)
    doc = json.loads(path.read_text())
    assert (doc["format"], doc["version"]) == ("cfshell-simulator-state", 2)
    (account,) = doc["cloudfront"]["accounts"]
    assert [d["Id"] for d in account["Distributions"]] == [ids["dist"]]
    assert [d["Id"] for d in account["StreamingDistributions"]] == [ids["streaming"]]
    assert account["OriginAccessIdentities"][0]["Comment"] == "legacy"
    buckets = {b["Name"]: b for b in doc["s3"]["buckets"]}
    assert buckets[world.NEW_BUCKET]["ObjectOwnership"] == "BucketOwnerEnforced"
    assert buckets[world.ACL_BUCKET]["ObjectOwnership"] == "ObjectWriter"
    objects = {o["Key"]: o for o in buckets[world.NEW_BUCKET]["Objects"]}
    assert objects["big.bin"]["Fill"] == "eA==" and objects["big.bin"]["Body"] is None
    assert path.read_text().count("\n") > 100  # indented, one field a line


def test_a_hand_written_document_loads():
    with simulate():
        cf, s3, _, _ = _clients()
        simulator.load_state(FIXTURE)
        body = s3.get_object(Bucket="my-video-bucket", Key="videos/intro.mp4")
        assert (body["Body"].read(), body["ContentType"]) == (b"intro frames", "video/mp4")
        lesson = s3.get_object(Bucket="my-video-bucket", Key="videos/lesson.mp4")["Body"].read()
        assert lesson == b"x" * 2048
        grants = s3.get_object_acl(Bucket="my-video-bucket", Key="videos/intro.mp4")["Grants"]
        oai = cf.get_cloud_front_origin_access_identity(Id="E2QWRUHAPOMQZL")
        assert oai["ETag"] == "E3UN6WX5RRO2AG"
        canonical = oai["CloudFrontOriginAccessIdentity"]["S3CanonicalUserId"]
        assert {"Grantee": {"ID": canonical, "Type": "CanonicalUser"}, "Permission": "READ"} in [
            {"Grantee": {k: g["Grantee"][k] for k in ("ID", "Type")}, "Permission": g["Permission"]}
            for g in grants
        ]
        policy = json.loads(s3.get_bucket_policy(Bucket="my-video-bucket")["Policy"])
        assert "E2QWRUHAPOMQZL" in policy["Statement"][0]["Principal"]["AWS"]
        streaming = cf.get_streaming_distribution(Id="EIQ7CPS0FGFN9R")
        assert (streaming["ETag"], streaming["StreamingDistribution"]["Status"]) == (
            "EYVA6CJSVK3UZD",
            "Deployed",
        )
        signers = streaming["StreamingDistribution"]["ActiveTrustedSigners"]
        assert signers["Items"][0]["AwsAccountNumber"] == "self"
        dist = cf.get_distribution(Id="E1WEBDISTRIB01")
        assert (dist["ETag"], dist["Distribution"]["Status"]) == ("E2WEBETAG00001", "InProgress")
        origin = dist["Distribution"]["DistributionConfig"]["Origins"]["Items"][0]
        assert origin["OriginAccessControlId"] == "E3OACSEED00001"
        assert cf.get_origin_access_control(Id="E3OACSEED00001")["ETag"] == "E3OACETAG00001"
        invalidation = cf.get_invalidation(DistributionId="E1WEBDISTRIB01", Id="I2J0I21PCUYOIK")
        assert invalidation["Invalidation"]["Status"] == "Completed"
        tags = cf.list_tags_for_resource(Resource=dist["Distribution"]["ARN"])["Tags"]["Items"]
        assert tags == [{"Key": "path", "Value": "modern"}]
        # The loaded world keeps working: the rules apply to what was loaded.
        with pytest.raises(cf.exceptions.ClientError) as caught:
            cf.delete_cloud_front_origin_access_identity(Id="E2QWRUHAPOMQZL", IfMatch=oai["ETag"])
        assert caught.value.response["Error"]["Code"] == "CloudFrontOriginAccessIdentityInUse"


def test_load_replaces_the_current_world(tmp_path):
    path = tmp_path / "world.json"
    with simulate():
        cf, s3, _, _ = _clients()
        ids = world.build(cf, s3)
        before = world.read(cf, s3, ids)
        save_state(path)
        s3.create_bucket(Bucket="made-after-saving")
        s3.delete_object(Bucket=world.NEW_BUCKET, Key=world.KEY)
        cf.create_cloud_front_origin_access_identity(
            CloudFrontOriginAccessIdentityConfig={"CallerReference": "late", "Comment": "late"}
        )
        load_state(path)
        assert world.read(cf, s3, ids) == before
        # The bucket namespace is back as saved: the other name is free, the saved one taken.
        s3.create_bucket(Bucket="made-after-saving")
        elsewhere = boto3.session.Session().client(
            "s3", **{**CREDENTIALS, "region_name": "eu-west-1"}
        )
        with pytest.raises(s3.exceptions.ClientError) as caught:
            elsewhere.create_bucket(
                Bucket=world.NEW_BUCKET,
                CreateBucketConfiguration={"LocationConstraint": "eu-west-1"},
            )
        assert caught.value.response["Error"]["Code"] == "BucketAlreadyOwnedByYou"


def test_loaded_world_keeps_working(tmp_path):
    path = tmp_path / "world.json"
    with simulate():
        cf, s3, _, _ = _clients()
        ids = world.build(cf, s3)
        save_state(path)
    with simulate():
        cf, s3, _, _ = _clients()
        load_state(path)
        s3.put_object(Bucket=world.NEW_BUCKET, Key="second.mp4", Body=b"more")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=world.NEW_BUCKET)["Contents"]]
        assert keys == ["big.bin", "second.mp4", world.KEY]
        cf.create_distribution(DistributionConfig=world.web_config("after-load"))
        assert cf.list_distributions()["DistributionList"]["Quantity"] == 2
        # An update needs the saved ETag, and gives a new one.
        config = cf.get_distribution_config(Id=ids["dist"])
        config["DistributionConfig"]["Comment"] = "changed after loading"
        updated = cf.update_distribution(
            Id=ids["dist"], IfMatch=config["ETag"], DistributionConfig=config["DistributionConfig"]
        )
        assert updated["ETag"] != config["ETag"]


def test_save_is_atomic_private_and_replaces(tmp_path):
    path = tmp_path / "world.json"
    path.write_bytes(b"previous")
    with simulate():
        _, s3, _, _ = _clients()
        s3.create_bucket(Bucket=world.NEW_BUCKET)
        save_state(path)
    assert json.loads(path.read_text())["s3"]["buckets"][0]["Name"] == world.NEW_BUCKET
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert os.listdir(tmp_path) == ["world.json"]


def _saved_document() -> str:
    with simulate():
        cf, s3, _, _ = _clients()
        world.build(cf, s3)
        return json.dumps(simulator.state.document(), indent=2)


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "is not a simulator state file: line 1 column 1"),
        (b"junk", "is not a simulator state file: line 1 column 1"),
        (b"{}", 'is not a simulator state file (no "format"'),
        (b"\xff\xfe{}", "not UTF-8"),
        (
            b"cfshell-simulator-state 1 moto=5.2.5\n\x80\x05\x95",
            "a pickle, version 1), not loaded: a pickle can run code",
        ),
        (
            b'{\n  "format": "cfshell-simulator-state",\n  "version": 3\n}\n',
            "line 3: state format version 3 is not one this simulator reads (it reads 2)",
        ),
        (
            b'{"format": "cfshell-simulator-state", "version": 2, "s3": {"buckets": 7}}',
            "$.s3.buckets: expected a list",
        ),
    ],
)
def test_bad_files_are_refused_and_change_nothing(tmp_path, content, reason):
    path = tmp_path / "world.json"
    path.write_bytes(content)
    with simulate():
        _, s3, _, _ = _clients()
        s3.create_bucket(Bucket="current-bucket")
        with pytest.raises(StateError) as caught:
            load_state(path)
        assert reason in str(caught.value)
        assert str(path) in str(caught.value)
        assert "\n" not in str(caught.value)
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["current-bucket"]
    assert path.read_bytes() == content


def test_truncated_file_is_refused_with_its_line_and_changes_nothing(tmp_path):
    whole = _saved_document()
    path = tmp_path / "world.json"
    cut = whole[: len(whole) // 2]
    path.write_text(cut)
    with simulate():
        _, s3, _, _ = _clients()
        s3.create_bucket(Bucket="current-bucket")
        with pytest.raises(StateError) as caught:
            load_state(path)
        message = str(caught.value)
        assert "is corrupt or truncated: line " in message
        assert f"line {cut.count(chr(10)) + 1} column" in message
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["current-bucket"]
    assert path.read_text() == cut


def test_a_document_that_fails_part_way_leaves_the_world_as_it_was(tmp_path):
    doc = json.loads(_saved_document())
    doc["cloudfront"]["accounts"][0]["KeyGroups"][0]["LastModifiedTime"] = "last tuesday"
    path = tmp_path / "world.json"
    path.write_text(json.dumps(doc))
    with simulate():
        cf, s3, _, _ = _clients()
        ids = world.build(cf, s3)
        before = world.read(cf, s3, ids)
        with pytest.raises(StateError) as caught:
            load_state(path)
        assert "$.cloudfront.accounts[0].KeyGroups[0].LastModifiedTime" in str(caught.value)
        assert "not an ISO 8601 time: 'last tuesday'" in str(caught.value)
        assert world.read(cf, s3, ids) == before


def test_missing_file_and_folder_are_state_errors(tmp_path):
    with simulate():
        with pytest.raises(StateError, match="cannot read state"):
            load_state(tmp_path / "absent.json")
        with pytest.raises(StateError, match="cannot write state"):
            save_state(tmp_path / "no-folder" / "world.json")
