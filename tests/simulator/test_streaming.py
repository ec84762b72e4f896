"""Streaming (RTMP) distributions, through boto3 only (in-process and served, deploy 0.3 s)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from .conftest import _issued_certificate, _viewer_certificate

BUCKET_DOMAIN = "media-bucket.s3.amazonaws.com"
FAST = {"Delay": 0.1, "MaxAttempts": 50}


def expect_error(call, code: str, status: int, **kwargs) -> None:
    with pytest.raises(ClientError) as excinfo:
        call(**kwargs)
    response = excinfo.value.response
    assert response["Error"]["Code"] == code
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status


def config(ref: str = "sd-1", **overrides) -> dict:
    base = {
        "CallerReference": ref,
        "S3Origin": {"DomainName": BUCKET_DOMAIN, "OriginAccessIdentity": ""},
        "Comment": "lectures",
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
        "Enabled": True,
    }
    base.update(overrides)
    return base


def create(cf, **overrides) -> dict:
    return cf.create_streaming_distribution(StreamingDistributionConfig=config(**overrides))


def wait_deployed(cf, dist_id: str) -> None:
    cf.get_waiter("streaming_distribution_deployed").wait(Id=dist_id, WaiterConfig=FAST)


def make_identity(cf) -> str:
    created = cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": "oai", "Comment": ""}
    )
    return created["CloudFrontOriginAccessIdentity"]["Id"]


# -- create --


def test_create_returns_distribution_in_progress(cf):
    before = datetime.now(UTC) - timedelta(seconds=1)
    response = create(cf)
    dist = response["StreamingDistribution"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"E[A-Z0-9]{13}", dist["Id"])
    assert dist["ARN"] == f"arn:aws:cloudfront::123456789012:streaming-distribution/{dist['Id']}"
    assert re.fullmatch(r"s[a-z0-9]{13}\.cloudfront\.net", dist["DomainName"])
    assert dist["Status"] == "InProgress"
    assert before <= dist["LastModifiedTime"] <= datetime.now(UTC) + timedelta(seconds=1)
    assert response["Location"] == (
        f"https://cloudfront.amazonaws.com/2020-05-31/streaming-distribution/{dist['Id']}"
    )
    assert response["ETag"]
    assert dist["ActiveTrustedSigners"] == {"Enabled": False, "Quantity": 0}
    # Optional parts come back with AWS's defaults.
    cfg = dist["StreamingDistributionConfig"]
    assert cfg["Aliases"] == {"Quantity": 0}
    assert cfg["Logging"] == {"Enabled": False, "Bucket": "", "Prefix": ""}
    assert cfg["PriceClass"] == "PriceClass_All"
    assert cfg["S3Origin"] == {"DomainName": BUCKET_DOMAIN, "OriginAccessIdentity": ""}


def test_create_with_tags(cf):
    response = cf.create_streaming_distribution_with_tags(
        StreamingDistributionConfigWithTags={
            "StreamingDistributionConfig": config(),
            "Tags": {"Items": [{"Key": "team", "Value": "media"}]},
        }
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    dist = response["StreamingDistribution"]
    assert dist["Status"] == "InProgress"
    tags = cf.list_tags_for_resource(Resource=dist["ARN"])["Tags"]["Items"]
    assert tags == [{"Key": "team", "Value": "media"}]


def test_create_again_with_same_reference_and_config_returns_the_same_distribution(cf):
    first = create(cf, Aliases={"Quantity": 1, "Items": ["rtmp.example.com"]})
    again = create(cf, Aliases={"Quantity": 1, "Items": ["rtmp.example.com"]})
    assert again["StreamingDistribution"]["Id"] == first["StreamingDistribution"]["Id"]
    assert cf.list_streaming_distributions()["StreamingDistributionList"]["Quantity"] == 1


def test_create_with_same_reference_and_other_config(cf):
    create(cf)
    expect_error(create, "StreamingDistributionAlreadyExists", 409, cf=cf, Comment="other")


def test_create_with_an_origin_that_is_not_a_bucket(cf):
    origin = {"DomainName": "example.com", "OriginAccessIdentity": ""}
    expect_error(create, "InvalidOrigin", 400, cf=cf, S3Origin=origin)


def test_create_with_comment_over_128_characters(cf):
    expect_error(create, "InvalidArgument", 400, cf=cf, Comment="c" * 129)


def test_create_with_existing_origin_access_identity(cf):
    identity = f"origin-access-identity/cloudfront/{make_identity(cf)}"
    dist = create(cf, S3Origin={"DomainName": BUCKET_DOMAIN, "OriginAccessIdentity": identity})
    assert dist["StreamingDistribution"]["StreamingDistributionConfig"]["S3Origin"] == {
        "DomainName": BUCKET_DOMAIN,
        "OriginAccessIdentity": identity,
    }


@pytest.mark.parametrize(
    "identity",
    [
        "E1234567890ABC",  # an id without the origin-access-identity/cloudfront/ prefix
        "origin-access-identity/s3/E1234567890ABC",
        "origin-access-identity/cloudfront/E1234567890ABC",  # well formed, does not exist
    ],
)
def test_create_with_invalid_origin_access_identity(cf, identity):
    origin = {"DomainName": BUCKET_DOMAIN, "OriginAccessIdentity": identity}
    expect_error(create, "InvalidOriginAccessIdentity", 400, cf=cf, S3Origin=origin)


def test_create_with_alias_of_another_streaming_distribution(cf):
    create(cf, ref="a", Aliases={"Quantity": 1, "Items": ["rtmp.example.com"]})
    expect_error(
        create,
        "CNAMEAlreadyExists",
        409,
        cf=cf,
        ref="b",
        Aliases={"Quantity": 1, "Items": ["RTMP.example.com"]},
    )


def test_create_with_alias_of_a_web_distribution(cf, acm, route53):
    arn = _issued_certificate(acm, route53, "cdn.example.com")
    cf.create_distribution(
        DistributionConfig={
            "CallerReference": "web-1",
            "Aliases": {"Quantity": 1, "Items": ["cdn.example.com"]},
            "ViewerCertificate": _viewer_certificate(arn),
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "videos",
                        "DomainName": BUCKET_DOMAIN,
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "videos",
                "ViewerProtocolPolicy": "https-only",
            },
            "Comment": "",
            "Enabled": True,
        }
    )
    expect_error(
        create,
        "CNAMEAlreadyExists",
        409,
        cf=cf,
        Aliases={"Quantity": 1, "Items": ["cdn.example.com"]},
    )


def test_create_with_more_than_ten_aliases(cf):
    ten = [f"r{n}.example.com" for n in range(10)]
    assert create(cf, ref="ten", Aliases={"Quantity": 10, "Items": ten})["StreamingDistribution"]
    eleven = [f"s{n}.example.com" for n in range(11)]
    expect_error(
        create,
        "TooManyStreamingDistributionCNAMEs",
        400,
        cf=cf,
        ref="eleven",
        Aliases={"Quantity": 11, "Items": eleven},
    )


def test_create_with_alias_quantity_not_matching_items(cf):
    aliases = {"Quantity": 2, "Items": ["rtmp.example.com"]}
    expect_error(create, "InconsistentQuantities", 400, cf=cf, Aliases=aliases)


def test_create_with_trusted_signer_quantity_not_matching_items(cf):
    signers = {"Enabled": True, "Quantity": 0, "Items": ["self"]}
    expect_error(create, "InconsistentQuantities", 400, cf=cf, TrustedSigners=signers)


def test_trusted_signers_are_reflected_with_the_accounts_key_pairs(cf):
    signers = {"Enabled": True, "Quantity": 2, "Items": ["self", "111122223333"]}
    dist = create(cf, TrustedSigners=signers)["StreamingDistribution"]
    active = dist["ActiveTrustedSigners"]
    assert active["Enabled"] is True and active["Quantity"] == 2
    assert [s["AwsAccountNumber"] for s in active["Items"]] == ["self", "111122223333"]
    for signer in active["Items"]:
        key_pairs = signer["KeyPairIds"]
        assert key_pairs["Quantity"] == len(key_pairs["Items"]) >= 1
        assert all(re.fullmatch(r"APKA[A-Z0-9]{16}", k) for k in key_pairs["Items"])
    # Each account holds its own key pairs, the same on every read.
    assert active["Items"][0]["KeyPairIds"] != active["Items"][1]["KeyPairIds"]
    again = cf.get_streaming_distribution(Id=dist["Id"])["StreamingDistribution"]
    assert again["ActiveTrustedSigners"] == active
    assert again["StreamingDistributionConfig"]["TrustedSigners"] == signers


def test_create_with_a_trusted_signer_that_is_no_account(cf):
    signers = {"Enabled": True, "Quantity": 1, "Items": ["not-an-account"]}
    expect_error(create, "TrustedSignerDoesNotExist", 400, cf=cf, TrustedSigners=signers)


# -- get --


def test_get_returns_distribution_and_etag(cf):
    created = create(cf)
    dist_id = created["StreamingDistribution"]["Id"]
    got = cf.get_streaming_distribution(Id=dist_id)
    assert got["ETag"] == created["ETag"]
    dist = got["StreamingDistribution"]
    for key in ("Id", "ARN", "DomainName", "LastModifiedTime", "StreamingDistributionConfig"):
        assert dist[key] == created["StreamingDistribution"][key]


def test_get_unknown_distribution(cf):
    expect_error(
        cf.get_streaming_distribution, "NoSuchStreamingDistribution", 404, Id="E1234567890ABC"
    )


def test_get_config_returns_config_and_etag(cf):
    created = create(cf)
    got = cf.get_streaming_distribution_config(Id=created["StreamingDistribution"]["Id"])
    assert got["ETag"] == created["ETag"]
    assert (
        got["StreamingDistributionConfig"]
        == (created["StreamingDistribution"]["StreamingDistributionConfig"])
    )


def test_get_config_of_unknown_distribution(cf):
    expect_error(
        cf.get_streaming_distribution_config,
        "NoSuchStreamingDistribution",
        404,
        Id="E1234567890ABC",
    )


def test_waiter_sees_the_distribution_deployed(cf):
    dist_id = create(cf)["StreamingDistribution"]["Id"]
    assert cf.get_streaming_distribution(Id=dist_id)["StreamingDistribution"]["Status"] == (
        "InProgress"
    )
    wait_deployed(cf, dist_id)
    assert cf.get_streaming_distribution(Id=dist_id)["StreamingDistribution"]["Status"] == (
        "Deployed"
    )


# -- list --


def test_list_without_distributions(cf):
    listing = cf.list_streaming_distributions()["StreamingDistributionList"]
    assert listing == {"Marker": "", "MaxItems": 100, "IsTruncated": False, "Quantity": 0}


def test_list_summarizes_each_distribution(cf):
    created = create(
        cf,
        Comment="lectures & <labs>",
        Aliases={"Quantity": 1, "Items": ["rtmp.example.com"]},
        TrustedSigners={"Enabled": True, "Quantity": 1, "Items": ["self"]},
        PriceClass="PriceClass_100",
    )
    dist = created["StreamingDistribution"]
    cfg = dist["StreamingDistributionConfig"]
    [summary] = cf.list_streaming_distributions()["StreamingDistributionList"]["Items"]
    assert summary == {
        "Id": dist["Id"],
        "ARN": dist["ARN"],
        "Status": "InProgress",
        "LastModifiedTime": dist["LastModifiedTime"],
        "DomainName": dist["DomainName"],
        "S3Origin": cfg["S3Origin"],
        "Aliases": {"Quantity": 1, "Items": ["rtmp.example.com"]},
        "TrustedSigners": {"Enabled": True, "Quantity": 1, "Items": ["self"]},
        "Comment": "lectures & <labs>",
        "PriceClass": "PriceClass_100",
        "Enabled": True,
    }


def test_list_pages_with_marker_and_max_items(cf):
    ids = [create(cf, ref=f"sd-{n}")["StreamingDistribution"]["Id"] for n in range(5)]
    first = cf.list_streaming_distributions(MaxItems="2")["StreamingDistributionList"]
    assert first["Quantity"] == 2 and first["MaxItems"] == 2 and first["IsTruncated"] is True
    assert [d["Id"] for d in first["Items"]] == ids[:2]
    second = cf.list_streaming_distributions(MaxItems="2", Marker=first["NextMarker"])
    assert second["StreamingDistributionList"]["Marker"] == first["NextMarker"]
    assert [d["Id"] for d in second["StreamingDistributionList"]["Items"]] == ids[2:4]

    pages = list(
        cf.get_paginator("list_streaming_distributions").paginate(PaginationConfig={"PageSize": 2})
    )
    assert len(pages) == 3
    assert [d["Id"] for p in pages for d in p["StreamingDistributionList"]["Items"]] == ids
    assert "NextMarker" not in pages[-1]["StreamingDistributionList"]


# -- update --


def test_update_changes_config_etag_and_status(cf):
    created = create(cf)
    dist_id = created["StreamingDistribution"]["Id"]
    wait_deployed(cf, dist_id)
    time.sleep(0.01)
    updated = cf.update_streaming_distribution(
        Id=dist_id, IfMatch=created["ETag"], StreamingDistributionConfig=config(Comment="v2")
    )
    dist = updated["StreamingDistribution"]
    assert updated["ETag"] != created["ETag"]
    assert dist["Status"] == "InProgress"
    assert dist["LastModifiedTime"] > created["StreamingDistribution"]["LastModifiedTime"]
    assert dist["StreamingDistributionConfig"]["Comment"] == "v2"
    got = cf.get_streaming_distribution(Id=dist_id)
    assert got["ETag"] == updated["ETag"]
    assert got["StreamingDistribution"]["Status"] == "InProgress"
    wait_deployed(cf, dist_id)


def test_update_without_if_match(cf):
    dist_id = create(cf)["StreamingDistribution"]["Id"]
    expect_error(
        cf.update_streaming_distribution,
        "InvalidIfMatchVersion",
        400,
        Id=dist_id,
        StreamingDistributionConfig=config(),
    )


def test_update_with_stale_if_match(cf):
    created = create(cf)
    dist_id = created["StreamingDistribution"]["Id"]
    cf.update_streaming_distribution(
        Id=dist_id, IfMatch=created["ETag"], StreamingDistributionConfig=config(Comment="v2")
    )
    expect_error(
        cf.update_streaming_distribution,
        "PreconditionFailed",
        412,
        Id=dist_id,
        IfMatch=created["ETag"],
        StreamingDistributionConfig=config(Comment="v3"),
    )


def test_update_unknown_distribution(cf):
    expect_error(
        cf.update_streaming_distribution,
        "NoSuchStreamingDistribution",
        404,
        Id="E1234567890ABC",
        IfMatch="E2QWRUHAPOMQZL",
        StreamingDistributionConfig=config(),
    )


def test_update_cannot_change_caller_reference(cf):
    created = create(cf)
    expect_error(
        cf.update_streaming_distribution,
        "IllegalUpdate",
        400,
        Id=created["StreamingDistribution"]["Id"],
        IfMatch=created["ETag"],
        StreamingDistributionConfig=config(ref="other"),
    )


def test_update_with_invalid_origin_access_identity(cf):
    created = create(cf)
    origin = {
        "DomainName": BUCKET_DOMAIN,
        "OriginAccessIdentity": "origin-access-identity/cloudfront/E1234567890ABC",
    }
    expect_error(
        cf.update_streaming_distribution,
        "InvalidOriginAccessIdentity",
        400,
        Id=created["StreamingDistribution"]["Id"],
        IfMatch=created["ETag"],
        StreamingDistributionConfig=config(S3Origin=origin),
    )


def test_update_keeps_own_aliases_but_not_anothers(cf):
    mine = create(cf, ref="a", Aliases={"Quantity": 1, "Items": ["a.example.com"]})
    create(cf, ref="b", Aliases={"Quantity": 1, "Items": ["b.example.com"]})
    dist_id = mine["StreamingDistribution"]["Id"]
    kept = cf.update_streaming_distribution(
        Id=dist_id,
        IfMatch=mine["ETag"],
        StreamingDistributionConfig=config(
            ref="a", Comment="v2", Aliases={"Quantity": 1, "Items": ["a.example.com"]}
        ),
    )
    expect_error(
        cf.update_streaming_distribution,
        "CNAMEAlreadyExists",
        409,
        Id=dist_id,
        IfMatch=kept["ETag"],
        StreamingDistributionConfig=config(
            ref="a", Aliases={"Quantity": 2, "Items": ["a.example.com", "b.example.com"]}
        ),
    )


def test_update_with_more_than_ten_aliases(cf):
    created = create(cf)
    eleven = [f"s{n}.example.com" for n in range(11)]
    expect_error(
        cf.update_streaming_distribution,
        "TooManyStreamingDistributionCNAMEs",
        400,
        Id=created["StreamingDistribution"]["Id"],
        IfMatch=created["ETag"],
        StreamingDistributionConfig=config(Aliases={"Quantity": 11, "Items": eleven}),
    )


def test_update_with_inconsistent_quantities(cf):
    created = create(cf)
    expect_error(
        cf.update_streaming_distribution,
        "InconsistentQuantities",
        400,
        Id=created["StreamingDistribution"]["Id"],
        IfMatch=created["ETag"],
        StreamingDistributionConfig=config(
            TrustedSigners={"Enabled": True, "Quantity": 2, "Items": ["self"]}
        ),
    )


# -- delete --


def _disable(cf, dist_id: str, etag: str) -> str:
    return cf.update_streaming_distribution(
        Id=dist_id, IfMatch=etag, StreamingDistributionConfig=config(Enabled=False)
    )["ETag"]


def test_delete_after_disabling_and_deploying(cf):
    created = create(cf)
    dist_id = created["StreamingDistribution"]["Id"]
    etag = _disable(cf, dist_id, created["ETag"])
    wait_deployed(cf, dist_id)
    response = cf.delete_streaming_distribution(Id=dist_id, IfMatch=etag)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    expect_error(cf.get_streaming_distribution, "NoSuchStreamingDistribution", 404, Id=dist_id)
    assert cf.list_streaming_distributions()["StreamingDistributionList"]["Quantity"] == 0


def test_delete_enabled_distribution(cf):
    created = create(cf)
    dist_id = created["StreamingDistribution"]["Id"]
    wait_deployed(cf, dist_id)
    expect_error(
        cf.delete_streaming_distribution,
        "StreamingDistributionNotDisabled",
        409,
        Id=dist_id,
        IfMatch=created["ETag"],
    )


def test_delete_while_disabling_is_not_yet_deployed(cf):
    created = create(cf)
    dist_id = created["StreamingDistribution"]["Id"]
    etag = _disable(cf, dist_id, created["ETag"])
    expect_error(
        cf.delete_streaming_distribution,
        "StreamingDistributionNotDisabled",
        409,
        Id=dist_id,
        IfMatch=etag,
    )
    wait_deployed(cf, dist_id)
    cf.delete_streaming_distribution(Id=dist_id, IfMatch=etag)


def test_delete_without_if_match(cf):
    dist_id = create(cf)["StreamingDistribution"]["Id"]
    expect_error(cf.delete_streaming_distribution, "InvalidIfMatchVersion", 400, Id=dist_id)


def test_delete_with_stale_if_match(cf):
    created = create(cf)
    dist_id = created["StreamingDistribution"]["Id"]
    _disable(cf, dist_id, created["ETag"])
    wait_deployed(cf, dist_id)
    expect_error(
        cf.delete_streaming_distribution,
        "PreconditionFailed",
        412,
        Id=dist_id,
        IfMatch=created["ETag"],
    )


def test_delete_unknown_distribution(cf):
    expect_error(
        cf.delete_streaming_distribution,
        "NoSuchStreamingDistribution",
        404,
        Id="E1234567890ABC",
        IfMatch="E2QWRUHAPOMQZL",
    )


def test_deleting_frees_its_aliases(cf):
    created = create(cf, ref="a", Aliases={"Quantity": 1, "Items": ["rtmp.example.com"]})
    dist_id = created["StreamingDistribution"]["Id"]
    etag = cf.update_streaming_distribution(
        Id=dist_id,
        IfMatch=created["ETag"],
        StreamingDistributionConfig=config(
            ref="a", Enabled=False, Aliases={"Quantity": 1, "Items": ["rtmp.example.com"]}
        ),
    )["ETag"]
    wait_deployed(cf, dist_id)
    cf.delete_streaming_distribution(Id=dist_id, IfMatch=etag)
    again = create(cf, ref="b", Aliases={"Quantity": 1, "Items": ["rtmp.example.com"]})
    assert again["StreamingDistribution"]["Id"] != dist_id
