"""The service-module contract of the deployable kinds, and the effects every write reports.

`DeployableService` is what cfshell.commands.lifecycle drives: both distribution modules must
offer each of its members with the same parameters. The effects tests run the service
functions against the in-process simulator and read what `effects.collect()` saw, in order.
"""

from __future__ import annotations

import inspect

import boto3
import pytest
from botocore.exceptions import ClientError

from cfshell.aws import deployable, distributions, effects, oac, oai, streaming
from cfshell.aws.deployable import DeployableService
from simulator import simulate

BUCKET = "my-video-bucket"
MEMBERS = [
    name
    for name, value in vars(DeployableService).items()
    if inspect.isfunction(value) and not name.startswith("_")
]


# --- the contract ----------------------------------------------------------------------------


@pytest.mark.parametrize("module", [distributions, streaming], ids=lambda m: m.__name__)
def test_both_distribution_modules_satisfy_the_protocol(module):
    assert isinstance(module, DeployableService)
    assert isinstance(module.FAMILY, deployable.Family)


@pytest.mark.parametrize("module", [distributions, streaming], ids=lambda m: m.__name__)
@pytest.mark.parametrize("name", MEMBERS)
def test_each_member_takes_the_protocols_parameters(module, name):
    expected = list(inspect.signature(getattr(DeployableService, name)).parameters.values())[1:]
    actual = list(inspect.signature(getattr(module, name)).parameters.values())
    assert [(p.name, p.kind, p.default) for p in actual] == [
        (p.name, p.kind, p.default) for p in expected
    ]


def test_a_module_without_the_members_is_not_a_deployable_service():
    # The check can fail: an OAI has no deployment, so its module lacks wait_deployed & co.
    assert not isinstance(oai, DeployableService)
    assert MEMBERS and "wait_deployed" in MEMBERS


def test_family_names_the_operations():
    family = streaming.FAMILY
    assert (family.kind, family.config_key) == ("streaming", "StreamingDistributionConfig")
    assert family.op("get", "_config") == "get_streaming_distribution_config"
    assert distributions.FAMILY.op("list", "s") == "list_distributions"


# --- effects, through the simulator ------------------------------------------------------------


@pytest.fixture
def cf(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with simulate(deploy_seconds=0.1):
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        yield boto3.client("cloudfront", region_name="us-east-1")


def _seen(log):
    return [(e.kind, e.action, e.id) for e in log]


def test_private_distribution_flow_reports_the_oac_then_the_distribution(cf):
    with effects.collect() as log:
        oac_id, made = oac.find_or_create(cf, BUCKET)
        dist, _ = distributions.create(cf, distributions.new_config(BUCKET, oac_id=oac_id))
    assert made
    assert _seen(log) == [("oac", "created", oac_id), ("distribution", "created", dist["Id"])]
    assert log[0].label == BUCKET
    assert log[1].label == dist["DomainName"]
    with effects.collect() as again:
        assert oac.find_or_create(cf, BUCKET) == (oac_id, False)
    assert again == []  # reused, not created: nothing to report


def test_distribution_lifecycle_reports_each_write_in_order(cf):
    dist, _ = distributions.create(cf, distributions.new_config(BUCKET))
    dist_id = dist["Id"]
    with effects.collect() as log:
        distributions.modify(cf, dist_id, comment="changed")
        invalidation = distributions.invalidate(cf, dist_id, ["/index.html"])
        config, etag = distributions.get_config(cf, dist_id)
        distributions.disable(cf, dist_id, config, etag)
        distributions.wait_deployed(cf, dist_id, interval=0.05, timeout=5)
        distributions.delete(cf, dist_id)
    assert _seen(log) == [
        ("distribution", "modified", dist_id),
        ("invalidation", "created", invalidation["Id"]),
        ("distribution", "modified", dist_id),
        ("distribution", "deleted", dist_id),
    ]
    assert log[1].label == dist_id  # an invalidation is named with its distribution


def test_a_refused_write_reports_nothing(cf):
    dist, _ = distributions.create(cf, distributions.new_config(BUCKET))
    with effects.collect() as log, pytest.raises(ClientError) as caught:
        distributions.delete(cf, dist["Id"])  # still enabled: AWS refuses
    assert caught.value.response["Error"]["Code"] == "DistributionNotDisabled"
    assert log == []
    with effects.collect() as log, pytest.raises(ClientError):
        distributions.modify(cf, dist["Id"], if_match="stale", comment="x")
    assert log == []


def test_streaming_lifecycle_reports_each_write(cf):
    with effects.collect() as log:
        dist, _ = streaming.create(cf, streaming.new_config(BUCKET, comment="videos"))
        dist_id = dist["Id"]
        streaming.modify(cf, dist_id, enabled=False, add_cnames=["cf.example.com"])
        streaming.wait_deployed(cf, dist_id, interval=0.05, timeout=5)
        streaming.delete(cf, dist_id)
    assert _seen(log) == [
        ("streaming", "created", dist_id),
        ("streaming", "modified", dist_id),
        ("streaming", "deleted", dist_id),
    ]
    assert log[0].label == dist["DomainName"]
    assert list(streaming.iter_summaries(cf)) == []


def test_oai_and_oac_report_create_modify_delete(cf):
    with effects.collect() as log:
        identity, _, _ = oai.create(cf, "reads the bucket")
        oai.modify(cf, identity["Id"], "still reads it")
        oai.delete(cf, identity["Id"])
        control, _ = oac.create(cf, "video")
        oac.modify(cf, control["Id"], description="for video")
        oac.delete(cf, control["Id"])
    assert _seen(log) == [
        ("oai", "created", identity["Id"]),
        ("oai", "modified", identity["Id"]),
        ("oai", "deleted", identity["Id"]),
        ("oac", "created", control["Id"]),
        ("oac", "modified", control["Id"]),
        ("oac", "deleted", control["Id"]),
    ]
    assert [e.label for e in log[:2]] == ["reads the bucket", "still reads it"]
    assert log[3].label == "video"


def test_summaries_keep_their_field_order(cf):
    # JSON output prints the record as built: the order is part of what users see.
    dist, etag = distributions.create(cf, distributions.new_config(BUCKET))
    assert list(distributions.summarize(dist, etag))[:6] == [
        "Id",
        "ETag",
        "ARN",
        "Status",
        "Enabled",
        "DomainName",
    ]
    (item,) = [distributions.summarize_item(i) for i in distributions.iter_summaries(cf)]
    assert list(item)[-3:] == ["CNAMEs", "Comment", "LastModifiedTime"]
    assert item["Id"] == dist["Id"] and item["Origins"] == [f"{BUCKET}.s3.amazonaws.com"]


def test_oac_grant_reports_the_bucket_policy_only_when_it_changes(cf):
    control, _ = oac.create(cf, "video")
    distributions.create(cf, distributions.new_config(BUCKET, oac_id=control["Id"]))
    s3 = boto3.client("s3", region_name="us-east-1")
    with effects.collect() as log:
        oac.grant(cf, s3, control["Id"], BUCKET)
        oac.grant(cf, s3, control["Id"], BUCKET)  # the same statement: nothing written
    assert [(e.kind, e.action, e.id, e.label) for e in log] == [
        ("bucket", "modified", BUCKET, "bucket policy")
    ]
