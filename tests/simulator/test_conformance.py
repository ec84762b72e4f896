"""The simulator answers as AWS does: each rule with its source, checked through boto3 only.

Every test runs twice (the `cf` and `s3` fixtures): against the in-process simulator and a
served one. Each test's docstring states the AWS rule and where AWS documents it.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

import simulator

from .test_listing import public_key_pem, web_config

WIRE_TIME = re.compile(r"<LastModifiedTime>([^<]*)</LastModifiedTime>")
MILLISECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def error_of(call, *args: Any, **kwargs: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as excinfo:
        call(*args, **kwargs)
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def behaviour(path: str, target: str) -> dict[str, Any]:
    return {
        "PathPattern": path,
        "TargetOriginId": target,
        "ViewerProtocolPolicy": "allow-all",
        "MinTTL": 0,
        "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
    }


def streaming_config(reference: str, domain: str = "media.s3.amazonaws.com") -> dict[str, Any]:
    return {
        "CallerReference": reference,
        "S3Origin": {"DomainName": domain, "OriginAccessIdentity": ""},
        "Comment": "",
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
        "Enabled": True,
    }


def distribution_count(cf) -> int:
    return cf.list_distributions()["DistributionList"]["Quantity"]


# --- errors AWS lists for the operation ---


def test_a_cache_behaviour_naming_no_origin_is_no_such_origin(cf):
    """A cache behaviour's TargetOriginId must name an origin (or origin group) of the
    distribution, the default cache behaviour's and every other's.

    Source: CreateDistribution errors, NoSuchOrigin "No origin exists with the specified Origin
    Id" (HTTP 404), and UpdateDistribution errors, the same:
    https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateDistribution.html
    https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateDistribution.html
    """
    unknown = web_config("unknown-target")
    unknown["CacheBehaviors"] = {"Quantity": 1, "Items": [behaviour("/video/*", "nowhere")]}
    assert error_of(cf.create_distribution, DistributionConfig=unknown) == ("NoSuchOrigin", 404)
    assert distribution_count(cf) == 0

    known = web_config("known-target")
    known["CacheBehaviors"] = {"Quantity": 1, "Items": [behaviour("/video/*", "bucket")]}
    dist_id = cf.create_distribution(DistributionConfig=known)["Distribution"]["Id"]

    current = cf.get_distribution_config(Id=dist_id)
    changed = current["DistributionConfig"]
    changed["CacheBehaviors"]["Items"][0]["TargetOriginId"] = "nowhere"
    update = cf.update_distribution
    assert error_of(update, Id=dist_id, DistributionConfig=changed, IfMatch=current["ETag"]) == (
        "NoSuchOrigin",
        404,
    )
    kept = cf.get_distribution_config(Id=dist_id)["DistributionConfig"]
    assert kept["CacheBehaviors"]["Items"][0]["TargetOriginId"] == "bucket"


def test_aliases_quantity_other_than_its_items_is_inconsistent_quantities(cf):
    """A Quantity must be the number of Items: Aliases with Quantity 3 and one item is refused,
    not stored as Quantity 1.

    Source: CreateDistribution errors, InconsistentQuantities "The value of Quantity and the
    size of Items don't match" (HTTP 400):
    https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateDistribution.html
    """
    config = web_config("three-for-one")
    config["Aliases"] = {"Quantity": 3, "Items": ["cf.example.com"]}
    code = error_of(cf.create_distribution, DistributionConfig=config)
    assert code == ("InconsistentQuantities", 400)
    assert distribution_count(cf) == 0


def test_a_streaming_origin_that_is_not_a_bucket_is_invalid_origin(cf):
    """A streaming distribution's origin must be an S3 bucket.

    Source: CreateStreamingDistribution errors, InvalidOrigin "The Amazon S3 origin server
    specified does not refer to a valid Amazon S3 bucket" (HTTP 400):
    https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateStreamingDistribution.html
    """
    config = streaming_config("not-a-bucket", domain="www.example.com")
    code = error_of(cf.create_streaming_distribution, StreamingDistributionConfig=config)
    assert code == ("InvalidOrigin", 400)
    listed = cf.list_streaming_distributions()["StreamingDistributionList"]
    assert listed["Quantity"] == 0


# --- IDs as AWS makes them ---


def _web(cf) -> dict[str, Any]:
    return cf.create_distribution(DistributionConfig=web_config("ids"))["Distribution"]


def _streaming(cf) -> dict[str, Any]:
    made = cf.create_streaming_distribution(StreamingDistributionConfig=streaming_config("ids"))
    return made["StreamingDistribution"]


def _identity(cf) -> dict[str, Any]:
    config = {"CallerReference": "ids", "Comment": ""}
    made = cf.create_cloud_front_origin_access_identity(CloudFrontOriginAccessIdentityConfig=config)
    return made["CloudFrontOriginAccessIdentity"]


def _control(cf) -> dict[str, Any]:
    config = {
        "Name": "ids",
        "SigningProtocol": "sigv4",
        "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3",
    }
    return cf.create_origin_access_control(OriginAccessControlConfig=config)["OriginAccessControl"]


def _public_key(cf) -> dict[str, Any]:
    config = {"CallerReference": "ids", "Name": "ids", "EncodedKey": public_key_pem()}
    return cf.create_public_key(PublicKeyConfig=config)["PublicKey"]


def _key_group(cf) -> dict[str, Any]:
    key_id = _public_key(cf)["Id"]
    made = cf.create_key_group(KeyGroupConfig={"Name": "ids", "Items": [key_id]})
    return made["KeyGroup"]


def _invalidation(cf) -> dict[str, Any]:
    batch = {"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": "ids"}
    made = cf.create_invalidation(DistributionId=_web(cf)["Id"], InvalidationBatch=batch)
    return made["Invalidation"]


E13 = r"E[A-Z0-9]{13}"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# (what is made, its field, the shape AWS gives it today)
ID_SHAPES = [
    (_web, "Id", E13, "distribution"),
    (_web, "DomainName", r"d[a-z0-9]{13}\.cloudfront\.net", "web distribution domain"),
    (_streaming, "Id", E13, "streaming distribution"),
    (_streaming, "DomainName", r"s[a-z0-9]{13}\.cloudfront\.net", "streaming domain"),
    (_identity, "Id", E13, "origin access identity"),
    (_control, "Id", E13, "origin access control"),
    (_public_key, "Id", r"K[A-Z0-9]{13}", "public key"),
    (_key_group, "Id", UUID, "key group"),
    (_invalidation, "Id", r"I[A-Z0-9]{13}", "invalidation"),
]


@pytest.mark.parametrize(
    ("make", "field", "shape", "source"),
    ID_SHAPES,
    ids=[f"{make.__name__.strip('_')}-{field}" for make, field, _, _ in ID_SHAPES],
)
def test_ids_are_shaped_as_aws_makes_them(cf, make, field, shape, source):
    """IDs as AWS makes them: distributions, streaming distributions, OAIs and OACs `E` + 13
    upper-case letters and digits, public keys `K` + 13, invalidations `I` + 13, key groups
    UUIDs, web domains `d` + 13 and streaming domains `s` + 13 lower-case `.cloudfront.net`.

    AWS documents no format. Sources of the shapes: aws-cli's examples of what AWS answered,
    awscli/examples/cloudfront/create-distribution.rst (`"DomainName":
    "d2wkuj2w9l34gt.cloudfront.net"`, `"ETag": "E37HOT42DHPVYH"`) and create-invalidation.rst
    (`"Id": "I2J0I21PCUYOIK"`); the CloudFront Developer Guide's signed URLs
    (`Key-Pair-Id=K2JCJMDEHXQW5F`, a public key ID); the managed cache policies' UUIDs
    (CachingOptimized 658327ea-f89d-4fab-a63d-7e88639e58f6), which key groups share.
    """
    made = make(cf)
    assert re.fullmatch(shape, made[field]), f"{source}: {made[field]!r} is not {shape}"
    if shape == UUID:
        assert str(uuid.UUID(made[field])) == made[field]


# --- what a read shows ---


def test_list_buckets_names_the_owner_every_acl_names(s3):
    """ListBuckets names the owner by the account's canonical user ID, the same ID that
    GetBucketAcl gives as the bucket's owner and its full-control grantee.

    Source: ListBuckets, Owner; the canonical user ID of an account:
    https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/finding-canonical-user-id.html
    """
    s3.create_bucket(Bucket="conformance-owner")
    owner = s3.list_buckets()["Owner"]["ID"]
    acl = s3.get_bucket_acl(Bucket="conformance-owner")
    assert re.fullmatch(r"[0-9a-f]{64}", owner)
    assert owner == acl["Owner"]["ID"]
    full_control = [
        g["Grantee"].get("ID") for g in acl["Grants"] if g["Permission"] == "FULL_CONTROL"
    ]
    assert owner in full_control


def test_list_distributions_items_carry_staging(cf):
    """ListDistributions: every DistributionSummary has Staging.

    Source: DistributionSummary, Staging "Required: Yes" (botocore's model lists it among the
    required members too):
    https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionSummary.html
    """
    cf.create_distribution(DistributionConfig=web_config("staging"))
    (summary,) = cf.list_distributions()["DistributionList"]["Items"]
    assert summary["Staging"] is False


def _wire_times(cf, operations: list[str]) -> dict[str, list[str]]:
    """LastModifiedTime as written in each response body of the named operations."""
    seen: dict[str, list[str]] = {}

    def record(http_response, model, **kwargs):
        seen.setdefault(model.name, []).extend(WIRE_TIME.findall(http_response.text))

    for operation in operations:
        cf.meta.events.register(f"after-call.cloudfront.{operation}", record)
    return seen


def test_last_modified_time_is_to_the_millisecond_in_get_and_list_alike(cf):
    """LastModifiedTime is written to the millisecond, the same in a create, a read of the
    distribution and a listing (web and streaming).

    Sources: aws-cli's examples print what AWS sent: `"LastModifiedTime":
    "2015-08-31T21:11:29.093Z"` (awscli/examples/cloudfront/create-distribution.rst,
    list-distributions.rst); Smithy's timestamp rules: "Values that are more granular than
    millisecond precision SHOULD be truncated to fit millisecond precision"; the same field in
    https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Distribution.html
    https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionSummary.html
    """
    operations = [
        "CreateDistribution",
        "GetDistribution",
        "ListDistributions",
        "CreateStreamingDistribution",
        "GetStreamingDistribution",
        "ListStreamingDistributions",
    ]
    wire = _wire_times(cf, operations)
    web_id = cf.create_distribution(DistributionConfig=web_config("times"))["Distribution"]["Id"]
    made = cf.create_streaming_distribution(StreamingDistributionConfig=streaming_config("times"))
    streaming_id = made["StreamingDistribution"]["Id"]

    web_got = cf.get_distribution(Id=web_id)["Distribution"]["LastModifiedTime"]
    (web_listed,) = cf.list_distributions()["DistributionList"]["Items"]
    streaming_got = cf.get_streaming_distribution(Id=streaming_id)["StreamingDistribution"]
    (streaming_listed,) = cf.list_streaming_distributions()["StreamingDistributionList"]["Items"]

    assert web_got == web_listed["LastModifiedTime"]
    assert streaming_got["LastModifiedTime"] == streaming_listed["LastModifiedTime"]
    assert web_got.microsecond % 1000 == 0
    assert sorted(wire) == sorted(operations)
    for operation, times in wire.items():
        assert times, f"{operation} wrote no LastModifiedTime"
        for text in times:
            assert MILLISECONDS.match(text), f"{operation} wrote {text!r}"
    assert len(set(wire["GetDistribution"] + wire["ListDistributions"])) == 1
    assert len(set(wire["GetStreamingDistribution"] + wire["ListStreamingDistributions"])) == 1


@pytest.fixture
def no_deploy_delay(mode):
    """The simulator deploys at once (deploy delay 0) for the test, then as before."""
    previous = simulator.settings()["deploy_seconds"]
    simulator.configure(deploy_seconds=0)
    try:
        yield
    finally:
        simulator.configure(deploy_seconds=previous)


def test_a_create_answers_in_progress_even_when_deployment_is_instant(cf, no_deploy_delay):
    """CreateDistribution and UpdateDistribution answer Status InProgress, even when the
    simulator deploys at once; a later read may say Deployed.

    Sources: Distribution, Status: "When the status is Deployed, the distribution's
    information is fully propagated to all CloudFront edge locations", which a change just
    made is not; aws-cli's awscli/examples/cloudfront/create-distribution.rst shows
    `"Status": "InProgress"` in the answer to a create:
    https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Distribution.html
    """
    created = cf.create_distribution(DistributionConfig=web_config("instant"))
    dist_id = created["Distribution"]["Id"]
    assert created["Distribution"]["Status"] == "InProgress"
    assert cf.get_distribution(Id=dist_id)["Distribution"]["Status"] == "Deployed"

    current = cf.get_distribution_config(Id=dist_id)
    config = {**current["DistributionConfig"], "Comment": "changed"}
    updated = cf.update_distribution(Id=dist_id, DistributionConfig=config, IfMatch=current["ETag"])
    assert updated["Distribution"]["Status"] == "InProgress"
    assert cf.get_distribution(Id=dist_id)["Distribution"]["Status"] == "Deployed"


def test_a_response_has_one_server_header(cf, s3):
    """A response carries one Server header (botocore joins repeated fields with ", ").

    Source: RFC 9110, section 5.3: "A sender MUST NOT generate multiple field lines with the
    same name in a message ... unless that field's definition allows multiple field line
    values to be recombined as a comma-separated list"; Server (section 10.2.4) does not:
    https://www.rfc-editor.org/rfc/rfc9110#section-5.3
    """
    answers = [
        cf.list_distributions()["ResponseMetadata"],
        s3.list_buckets()["ResponseMetadata"],
    ]
    for metadata in answers:
        server = metadata["HTTPHeaders"].get("server", "")
        assert server and "," not in server, f"Server: {server!r}"
