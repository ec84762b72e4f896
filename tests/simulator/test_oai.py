"""Origin access identities, through boto3 only (in-process and served)."""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError

BUCKET_DOMAIN = "media-bucket.s3.amazonaws.com"


def expect_error(call, code: str, status: int, **kwargs) -> None:
    with pytest.raises(ClientError) as excinfo:
        call(**kwargs)
    response = excinfo.value.response
    assert response["Error"]["Code"] == code
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status


def create(cf, ref: str = "ref-1", comment: str = "for the video bucket") -> dict:
    return cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": ref, "Comment": comment}
    )


def streaming_config(ref: str, identity: str) -> dict:
    return {
        "CallerReference": ref,
        "S3Origin": {"DomainName": BUCKET_DOMAIN, "OriginAccessIdentity": identity},
        "Comment": "",
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
        "Enabled": True,
    }


def test_create_returns_identity_location_and_etag(cf):
    response = create(cf)
    identity = response["CloudFrontOriginAccessIdentity"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"E[A-Z0-9]{13}", identity["Id"])
    assert re.fullmatch(r"[0-9a-f]{64}", identity["S3CanonicalUserId"])
    assert identity["CloudFrontOriginAccessIdentityConfig"] == {
        "CallerReference": "ref-1",
        "Comment": "for the video bucket",
    }
    assert response["Location"] == (
        "https://cloudfront.amazonaws.com/2020-05-31/origin-access-identity/cloudfront/"
        + identity["Id"]
    )
    assert response["ETag"]


def test_create_again_with_same_reference_and_config_returns_the_same_identity(cf):
    first = create(cf)
    again = create(cf)
    assert again["CloudFrontOriginAccessIdentity"] == first["CloudFrontOriginAccessIdentity"]
    listing = cf.list_cloud_front_origin_access_identities()
    assert listing["CloudFrontOriginAccessIdentityList"]["Quantity"] == 1


def test_create_with_same_reference_and_other_config_is_refused(cf):
    create(cf, comment="first")
    expect_error(create, "CloudFrontOriginAccessIdentityAlreadyExists", 409, cf=cf, comment="x")


def test_create_with_comment_over_128_characters_is_refused(cf):
    assert create(cf, ref="ok", comment="c" * 128)["CloudFrontOriginAccessIdentity"]["Id"]
    expect_error(create, "InvalidArgument", 400, cf=cf, ref="long", comment="c" * 129)


def test_get_returns_identity_and_etag(cf):
    created = create(cf)
    identity_id = created["CloudFrontOriginAccessIdentity"]["Id"]
    got = cf.get_cloud_front_origin_access_identity(Id=identity_id)
    assert got["CloudFrontOriginAccessIdentity"] == created["CloudFrontOriginAccessIdentity"]
    assert got["ETag"] == created["ETag"]


def test_get_unknown_identity(cf):
    expect_error(
        cf.get_cloud_front_origin_access_identity,
        "NoSuchCloudFrontOriginAccessIdentity",
        404,
        Id="E1234567890ABC",
    )


def test_get_config_returns_config_and_etag(cf):
    created = create(cf)
    got = cf.get_cloud_front_origin_access_identity_config(
        Id=created["CloudFrontOriginAccessIdentity"]["Id"]
    )
    assert got["CloudFrontOriginAccessIdentityConfig"] == {
        "CallerReference": "ref-1",
        "Comment": "for the video bucket",
    }
    assert got["ETag"] == created["ETag"]


def test_get_config_of_unknown_identity(cf):
    expect_error(
        cf.get_cloud_front_origin_access_identity_config,
        "NoSuchCloudFrontOriginAccessIdentity",
        404,
        Id="E1234567890ABC",
    )


def test_list_without_identities(cf):
    listing = cf.list_cloud_front_origin_access_identities()["CloudFrontOriginAccessIdentityList"]
    assert listing["Quantity"] == 0
    assert listing["IsTruncated"] is False
    assert "Items" not in listing


def test_list_pages_with_marker_and_max_items(cf):
    created = [create(cf, ref=f"ref-{n}", comment=f"c{n}") for n in range(5)]
    ids = [c["CloudFrontOriginAccessIdentity"]["Id"] for c in created]

    first = cf.list_cloud_front_origin_access_identities(MaxItems="2")
    page = first["CloudFrontOriginAccessIdentityList"]
    assert page["Quantity"] == 2 and page["MaxItems"] == 2 and page["IsTruncated"] is True
    assert [i["Id"] for i in page["Items"]] == ids[:2]
    assert page["Items"][0]["Comment"] == "c0"
    assert (
        page["Items"][0]["S3CanonicalUserId"]
        == (created[0]["CloudFrontOriginAccessIdentity"]["S3CanonicalUserId"])
    )

    second = cf.list_cloud_front_origin_access_identities(MaxItems="2", Marker=page["NextMarker"])
    assert [i["Id"] for i in second["CloudFrontOriginAccessIdentityList"]["Items"]] == ids[2:4]

    paginator = cf.get_paginator("list_cloud_front_origin_access_identities")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) == 3
    seen = [i["Id"] for p in pages for i in p["CloudFrontOriginAccessIdentityList"]["Items"]]
    assert seen == ids
    assert pages[-1]["CloudFrontOriginAccessIdentityList"]["IsTruncated"] is False


def test_update_changes_comment_and_etag(cf):
    created = create(cf)
    identity = created["CloudFrontOriginAccessIdentity"]
    updated = cf.update_cloud_front_origin_access_identity(
        Id=identity["Id"],
        IfMatch=created["ETag"],
        CloudFrontOriginAccessIdentityConfig={"CallerReference": "ref-1", "Comment": "renamed"},
    )
    assert updated["ETag"] != created["ETag"]
    new = updated["CloudFrontOriginAccessIdentity"]
    assert new["CloudFrontOriginAccessIdentityConfig"]["Comment"] == "renamed"
    assert new["S3CanonicalUserId"] == identity["S3CanonicalUserId"]
    got = cf.get_cloud_front_origin_access_identity(Id=identity["Id"])
    assert got["ETag"] == updated["ETag"]
    assert got["CloudFrontOriginAccessIdentity"]["CloudFrontOriginAccessIdentityConfig"] == {
        "CallerReference": "ref-1",
        "Comment": "renamed",
    }


def _update(cf, identity_id: str, ref: str = "ref-1", comment: str = "new", **if_match):
    return cf.update_cloud_front_origin_access_identity(
        Id=identity_id,
        CloudFrontOriginAccessIdentityConfig={"CallerReference": ref, "Comment": comment},
        **if_match,
    )


def test_update_without_if_match(cf):
    identity_id = create(cf)["CloudFrontOriginAccessIdentity"]["Id"]
    expect_error(_update, "InvalidIfMatchVersion", 400, cf=cf, identity_id=identity_id)


def test_update_with_stale_if_match(cf):
    created = create(cf)
    identity_id = created["CloudFrontOriginAccessIdentity"]["Id"]
    _update(cf, identity_id, IfMatch=created["ETag"])
    expect_error(
        _update, "PreconditionFailed", 412, cf=cf, identity_id=identity_id, IfMatch=created["ETag"]
    )


def test_update_unknown_identity(cf):
    expect_error(
        _update,
        "NoSuchCloudFrontOriginAccessIdentity",
        404,
        cf=cf,
        identity_id="E1234567890ABC",
        IfMatch="E2QWRUHAPOMQZL",
    )


def test_update_cannot_change_caller_reference(cf):
    created = create(cf)
    identity_id = created["CloudFrontOriginAccessIdentity"]["Id"]
    expect_error(
        _update,
        "IllegalUpdate",
        400,
        cf=cf,
        identity_id=identity_id,
        ref="other",
        IfMatch=created["ETag"],
    )


def test_update_with_comment_over_128_characters(cf):
    created = create(cf)
    identity_id = created["CloudFrontOriginAccessIdentity"]["Id"]
    expect_error(
        _update,
        "InvalidArgument",
        400,
        cf=cf,
        identity_id=identity_id,
        comment="c" * 129,
        IfMatch=created["ETag"],
    )


def test_delete_removes_identity(cf):
    created = create(cf)
    identity_id = created["CloudFrontOriginAccessIdentity"]["Id"]
    response = cf.delete_cloud_front_origin_access_identity(Id=identity_id, IfMatch=created["ETag"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    expect_error(
        cf.get_cloud_front_origin_access_identity,
        "NoSuchCloudFrontOriginAccessIdentity",
        404,
        Id=identity_id,
    )


def test_delete_without_if_match(cf):
    identity_id = create(cf)["CloudFrontOriginAccessIdentity"]["Id"]
    expect_error(
        cf.delete_cloud_front_origin_access_identity, "InvalidIfMatchVersion", 400, Id=identity_id
    )


def test_delete_with_stale_if_match(cf):
    created = create(cf)
    identity_id = created["CloudFrontOriginAccessIdentity"]["Id"]
    _update(cf, identity_id, IfMatch=created["ETag"])
    expect_error(
        cf.delete_cloud_front_origin_access_identity,
        "PreconditionFailed",
        412,
        Id=identity_id,
        IfMatch=created["ETag"],
    )


def test_delete_unknown_identity(cf):
    expect_error(
        cf.delete_cloud_front_origin_access_identity,
        "NoSuchCloudFrontOriginAccessIdentity",
        404,
        Id="E1234567890ABC",
        IfMatch="E2QWRUHAPOMQZL",
    )


def test_delete_refused_while_a_streaming_distribution_uses_it(cf):
    created = create(cf)
    identity_id = created["CloudFrontOriginAccessIdentity"]["Id"]
    reference = f"origin-access-identity/cloudfront/{identity_id}"
    dist = cf.create_streaming_distribution(
        StreamingDistributionConfig=streaming_config("sd-1", reference)
    )
    expect_error(
        cf.delete_cloud_front_origin_access_identity,
        "CloudFrontOriginAccessIdentityInUse",
        409,
        Id=identity_id,
        IfMatch=created["ETag"],
    )

    # Once the distribution no longer refers to it, the identity can go.
    cf.update_streaming_distribution(
        Id=dist["StreamingDistribution"]["Id"],
        IfMatch=dist["ETag"],
        StreamingDistributionConfig=streaming_config("sd-1", ""),
    )
    cf.delete_cloud_front_origin_access_identity(Id=identity_id, IfMatch=created["ETag"])


def test_delete_refused_while_a_web_distribution_uses_it(cf):
    created = create(cf)
    identity_id = created["CloudFrontOriginAccessIdentity"]["Id"]
    cf.create_distribution(
        DistributionConfig={
            "CallerReference": "web-1",
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "videos",
                        "DomainName": BUCKET_DOMAIN,
                        "S3OriginConfig": {
                            "OriginAccessIdentity": "origin-access-identity/cloudfront/"
                            + identity_id
                        },
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
        cf.delete_cloud_front_origin_access_identity,
        "CloudFrontOriginAccessIdentityInUse",
        409,
        Id=identity_id,
        IfMatch=created["ETag"],
    )
