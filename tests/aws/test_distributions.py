"""cfshell.aws.distributions through boto3 against the in-process simulator."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from cfshell.aws import certs, dns, keys, oac
from cfshell.aws import distributions as dist
from cfshell.aws.waiting import WaitTimeout
from cfshell.errors import UsageError
from simulator import simulate


@pytest.fixture
def cf(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with simulate(deploy_seconds=0.2):
        yield boto3.client("cloudfront", region_name="us-east-1")


# --- pure helpers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("my-video-bucket", "my-video-bucket"),
        ("my-video-bucket.s3.amazonaws.com", "my-video-bucket"),
        ("my-video-bucket.s3.eu-west-1.amazonaws.com", "my-video-bucket"),
        ("logs.example.com.s3-us-west-2.amazonaws.com", "logs.example.com"),
    ],
)
def test_bucket_name_accepts_names_and_domains(given, name):
    assert dist.bucket_name(given) == name


@pytest.mark.parametrize(
    "bad", ["", "a", "UPPER_case!", "MyBucket", "-starts-with-dash", "a..b", "x" * 64]
)
def test_bucket_name_rejects_invalid(bad):
    with pytest.raises(UsageError):
        dist.bucket_name(bad)


def test_origin_domain_global_or_regional():
    assert dist.origin_domain("bk1") == "bk1.s3.amazonaws.com"
    assert dist.origin_domain("bk1", "us-east-1") == "bk1.s3.amazonaws.com"
    assert dist.origin_domain("bk1", "eu-west-1") == "bk1.s3.eu-west-1.amazonaws.com"
    assert dist.origin_domain("bk1.s3.eu-west-1.amazonaws.com") == "bk1.s3.eu-west-1.amazonaws.com"


def test_new_config_defaults_are_https_redirect_and_caching_optimized():
    config = dist.new_config("my-video-bucket", oac_id="OAC1", key_group_ids=["KG1"])
    behavior = config["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["CachePolicyId"] == "658327ea-f89d-4fab-a63d-7e88639e58f6"
    assert behavior["TrustedKeyGroups"] == {"Enabled": True, "Quantity": 1, "Items": ["KG1"]}
    (origin,) = config["Origins"]["Items"]
    assert origin["DomainName"] == "my-video-bucket.s3.amazonaws.com"
    assert origin["OriginAccessControlId"] == "OAC1"
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}


def test_new_config_refuses_oac_and_oai_together():
    with pytest.raises(UsageError):
        dist.new_config("bk1", oac_id="A", oai_id="B")


def test_price_class_spellings():
    assert dist.normalize_price_class("100") == "PriceClass_100"
    assert dist.normalize_price_class("priceclass_all") == "PriceClass_All"
    with pytest.raises(UsageError):
        dist.normalize_price_class("cheap")


def test_apply_changes_cnames_and_switch_to_oai():
    config = dist.new_config("bk1", oac_id="OAC1", cnames=["a.example.com"])
    # What a read returns next to a cache policy: the update must not send both.
    config["DefaultCacheBehavior"]["ForwardedValues"] = {"QueryString": False}
    new = dist.apply_changes(
        config, add_cnames=["b.example.com"], remove_cnames=["a.example.com"], oai_id="E1OAI"
    )
    assert new["Aliases"] == {"Quantity": 1, "Items": ["b.example.com"]}
    (origin,) = new["Origins"]["Items"]
    assert origin["OriginAccessControlId"] == ""
    assert origin["S3OriginConfig"]["OriginAccessIdentity"] == (
        "origin-access-identity/cloudfront/E1OAI"
    )
    assert "ForwardedValues" not in new["DefaultCacheBehavior"]
    assert config["Aliases"]["Items"] == ["a.example.com"]  # the input is left alone
    with pytest.raises(UsageError, match="not a CNAME"):
        dist.apply_changes(config, remove_cnames=["nope.example.com"])


# --- through boto3 ---------------------------------------------------------------------------


def _create(cf, bucket="my-video-bucket", **kwargs):
    return dist.create(cf, dist.new_config(bucket, **kwargs))


def test_new_config_checks_cnames_and_comment():
    with pytest.raises(UsageError, match="CNAME"):
        dist.new_config("bk1", cnames=["not a host"])
    with pytest.raises(UsageError, match="128"):
        dist.new_config("bk1", comment="x" * 129)


def _issued_certificate(name: str) -> str:
    """Through the service layer: a zone, a certificate, its validation records, ISSUED."""
    acm = boto3.client("acm", region_name="us-east-1")
    route53 = boto3.client("route53", region_name="us-east-1")
    zone = dns.create_zone(route53, name.split(".", 1)[1])
    arn = certs.request(acm, name)
    records = certs.validation_records(certs.describe_with_records(acm, arn))
    dns.write_validation_records(route53, dns.zone_id(zone), records)
    assert certs.wait_issued(acm, arn, interval=0.05, timeout=5)["Status"] == "ISSUED"
    return arn


def test_create_get_list(cf):
    control, _ = oac.create(cf, "my-video-bucket")
    arn = _issued_certificate("cf.example.com")
    created, etag = _create(
        cf,
        oac_id=control["Id"],
        cnames=["cf.example.com"],
        comment="video",
        certificate_arn=arn,
    )
    assert created["Status"] == "InProgress"
    assert created["DomainName"].endswith(".cloudfront.net")
    got, got_etag = dist.get(cf, created["Id"])
    assert got_etag == etag
    config = got["DistributionConfig"]
    assert config["Comment"] == "video"
    assert dist.cnames_of(config) == ["cf.example.com"]
    assert certs.certificate_of(config) == arn
    assert dist.origin_buckets(config) == ["my-video-bucket"]
    assert dist.oac_ids_of(config) == [control["Id"]]
    assert [d["Id"] for d in dist.list_distributions(cf)] == [created["Id"]]


def test_modify_uses_the_etag_and_changes_it(cf):
    created, etag = _create(cf)
    updated, new_etag = dist.modify(cf, created["Id"], comment="changed", enabled=False)
    assert new_etag != etag
    assert updated["DistributionConfig"]["Comment"] == "changed"
    assert updated["DistributionConfig"]["Enabled"] is False
    with pytest.raises(ClientError) as caught:
        dist.modify(cf, created["Id"], if_match=etag, comment="stale")
    assert caught.value.response["Error"]["Code"] == "PreconditionFailed"


def _key_group(cf, name: str) -> str:
    public = keys.generate_key_pair("ecdsa-p256").public_key_pem
    key, _ = keys.upload_public_key(cf, f"{name}-key", public)
    group, _ = keys.create_key_group(cf, name, [key["Id"]])
    return group["Id"]


def test_key_groups_trusted_and_untrusted(cf):
    created, _ = _create(cf)
    groups = [_key_group(cf, "kg1"), _key_group(cf, "kg2")]
    updated, _ = dist.modify(cf, created["Id"], key_group_ids=groups)
    assert dist.key_group_ids_of(updated["DistributionConfig"]) == groups
    assert [g["KeyGroupId"] for g in updated["ActiveTrustedKeyGroups"]["Items"]] == groups
    updated, _ = dist.modify(cf, created["Id"], key_group_ids=[])
    assert dist.key_group_ids_of(updated["DistributionConfig"]) == []


def test_unknown_key_group_is_refused(cf):
    created, _ = _create(cf)
    with pytest.raises(ClientError) as caught:
        dist.modify(cf, created["Id"], key_group_ids=["NOSUCHGROUP1"])
    assert caught.value.response["Error"]["Code"] == "TrustedKeyGroupDoesNotExist"


def test_wait_until_deployed_and_timeout(cf):
    created, _ = _create(cf)
    states = []
    deployed = dist.wait_deployed(
        cf, created["Id"], interval=0.05, timeout=5, on_poll=lambda _, s: states.append(s)
    )
    assert deployed["Status"] == "Deployed"
    assert states[0] == "InProgress"
    assert states[-1] == "Deployed"
    dist.modify(cf, created["Id"], comment="again")
    with pytest.raises(WaitTimeout, match="InProgress"):
        dist.wait_deployed(cf, created["Id"], interval=0.05, timeout=0.01)


def test_delete_needs_disabled(cf):
    created, _ = _create(cf)
    with pytest.raises(ClientError) as caught:
        dist.delete(cf, created["Id"])
    assert caught.value.response["Error"]["Code"] == "DistributionNotDisabled"
    dist.modify(cf, created["Id"], enabled=False)
    dist.wait_deployed(cf, created["Id"], interval=0.05, timeout=5)
    dist.delete(cf, created["Id"])
    assert dist.list_distributions(cf) == []


def test_invalidate_and_poll(cf):
    created, _ = _create(cf)
    invalidation = dist.invalidate(cf, created["Id"], ["index.html", "/videos/*"])
    assert invalidation["InvalidationBatch"]["Paths"]["Items"] == ["/index.html", "/videos/*"]
    done = dist.wait_invalidation(cf, created["Id"], invalidation["Id"], interval=0.05, timeout=5)
    assert done["Id"] == invalidation["Id"]
    assert done["Status"].lower() == "completed"


def test_using_oac_filters_by_oac_and_bucket(cf):
    a, _ = oac.create(cf, "a")
    b, _ = oac.create(cf, "b")
    d1, _ = _create(cf, "bucket-one", oac_id=a["Id"])
    _create(cf, "bucket-two", oac_id=a["Id"])
    _create(cf, "bucket-one", oac_id=b["Id"])
    assert len(dist.using_oac(cf, a["Id"])) == 2
    assert [d["Id"] for d in dist.using_oac(cf, a["Id"], "bucket-one")] == [d1["Id"]]
