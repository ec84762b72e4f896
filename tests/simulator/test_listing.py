"""Every CloudFront list operation pages alike, as AWS documents it, through boto3.

The Marker names the last resource already seen, NextMarker is the id of the last resource of
the page (present only while IsTruncated is true), MaxItems is 1 to 100 (default 100), and a
MaxItems that is not a whole number is InvalidArgument.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@cache
def public_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def web_config(reference: str) -> dict[str, Any]:
    return {
        "CallerReference": reference,
        "Comment": "",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "bucket",
                    "DomainName": "media.s3.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "bucket",
            "ViewerProtocolPolicy": "allow-all",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
    }


def make_identities(cf, n: int) -> tuple[dict, list[str]]:
    ids = [
        cf.create_cloud_front_origin_access_identity(
            CloudFrontOriginAccessIdentityConfig={"CallerReference": f"r{i}", "Comment": ""}
        )["CloudFrontOriginAccessIdentity"]["Id"]
        for i in range(n)
    ]
    return {}, ids


def make_streaming(cf, n: int) -> tuple[dict, list[str]]:
    ids = [
        cf.create_streaming_distribution(
            StreamingDistributionConfig={
                "CallerReference": f"r{i}",
                "S3Origin": {"DomainName": "media.s3.amazonaws.com", "OriginAccessIdentity": ""},
                "Comment": "",
                "TrustedSigners": {"Enabled": False, "Quantity": 0},
                "Enabled": True,
            }
        )["StreamingDistribution"]["Id"]
        for i in range(n)
    ]
    return {}, ids


def make_web(cf, n: int) -> tuple[dict, list[str]]:
    ids = [
        cf.create_distribution(DistributionConfig=web_config(f"r{i}"))["Distribution"]["Id"]
        for i in range(n)
    ]
    return {}, ids


def make_controls(cf, n: int) -> tuple[dict, list[str]]:
    ids = [
        cf.create_origin_access_control(
            OriginAccessControlConfig={
                "Name": f"oac-{i}",
                "SigningProtocol": "sigv4",
                "SigningBehavior": "always",
                "OriginAccessControlOriginType": "s3",
            }
        )["OriginAccessControl"]["Id"]
        for i in range(n)
    ]
    return {}, ids


def _public_keys(cf, n: int) -> list[str]:
    return [
        cf.create_public_key(
            PublicKeyConfig={
                "CallerReference": f"r{i}",
                "Name": f"k{i}",
                "EncodedKey": public_key_pem(),
            }
        )["PublicKey"]["Id"]
        for i in range(n)
    ]


def make_public_keys(cf, n: int) -> tuple[dict, list[str]]:
    return {}, _public_keys(cf, n)


def make_key_groups(cf, n: int) -> tuple[dict, list[str]]:
    (key_id,) = _public_keys(cf, 1)
    ids = [
        cf.create_key_group(KeyGroupConfig={"Name": f"g{i}", "Items": [key_id]})["KeyGroup"]["Id"]
        for i in range(n)
    ]
    return {}, ids


def make_invalidations(cf, n: int) -> tuple[dict, list[str]]:
    _, (dist_id,) = make_web(cf, 1)
    ids = [
        cf.create_invalidation(
            DistributionId=dist_id,
            InvalidationBatch={
                "Paths": {"Quantity": 1, "Items": [f"/{i}"]},
                "CallerReference": f"r{i}",
            },
        )["Invalidation"]["Id"]
        for i in range(n)
    ]
    return {"DistributionId": dist_id}, ids[::-1]  # AWS lists the most recent first


@dataclass(frozen=True)
class Listing:
    operation: str
    result_key: str
    make: Callable[[Any, int], tuple[dict, list[str]]]
    # PublicKeyList and KeyGroupList have neither Marker nor IsTruncated (botocore's shapes).
    full_envelope: bool = True

    def __call__(self, cf, **kwargs) -> dict[str, Any]:
        return getattr(cf, self.operation)(**kwargs)[self.result_key]

    def ids(self, page: dict[str, Any]) -> list[str]:
        items = page.get("Items", [])
        if self.result_key == "KeyGroupList":
            return [item["KeyGroup"]["Id"] for item in items]
        return [item["Id"] for item in items]


LISTINGS = [
    Listing(
        "list_cloud_front_origin_access_identities",
        "CloudFrontOriginAccessIdentityList",
        make_identities,
    ),
    Listing("list_streaming_distributions", "StreamingDistributionList", make_streaming),
    Listing("list_distributions", "DistributionList", make_web),
    Listing("list_origin_access_controls", "OriginAccessControlList", make_controls),
    Listing("list_public_keys", "PublicKeyList", make_public_keys, full_envelope=False),
    Listing("list_key_groups", "KeyGroupList", make_key_groups, full_envelope=False),
    Listing("list_invalidations", "InvalidationList", make_invalidations),
]
by_name = pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.operation)


@by_name
def test_next_marker_is_the_last_id_of_the_page(cf, listing):
    kwargs, ids = listing.make(cf, 3)

    first = listing(cf, MaxItems="2", **kwargs)
    assert listing.ids(first) == ids[:2]
    assert (first["Quantity"], first["MaxItems"], first["NextMarker"]) == (2, 2, ids[1])
    if listing.full_envelope:
        assert (first["Marker"], first["IsTruncated"]) == ("", True)

    last = listing(cf, MaxItems="2", Marker=first["NextMarker"], **kwargs)
    assert listing.ids(last) == ids[2:]
    assert last["Quantity"] == 1
    assert "NextMarker" not in last
    if listing.full_envelope:
        assert (last["Marker"], last["IsTruncated"]) == (ids[1], False)


@by_name
def test_an_empty_list_has_no_items_and_max_items_100(cf, listing):
    kwargs, _ = listing.make(cf, 0)
    page = listing(cf, **kwargs)
    assert (page["Quantity"], page["MaxItems"]) == (0, 100)
    assert "Items" not in page and "NextMarker" not in page
    if listing.full_envelope:
        assert (page["Marker"], page["IsTruncated"]) == ("", False)


@by_name
@pytest.mark.parametrize("max_items", ["abc", "-1", "0"])
def test_max_items_not_a_positive_whole_number_is_invalid_argument(cf, listing, max_items):
    kwargs, _ = listing.make(cf, 1)
    with pytest.raises(ClientError) as caught:
        listing(cf, MaxItems=max_items, **kwargs)
    response = caught.value.response
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "InvalidArgument",
        400,
    )


@by_name
def test_max_items_above_100_is_served_as_100(cf, listing):
    kwargs, ids = listing.make(cf, 1)
    page = listing(cf, MaxItems="1000", **kwargs)
    assert (page["MaxItems"], listing.ids(page)) == (100, ids)


@by_name
def test_a_marker_naming_no_resource_gives_an_empty_page(cf, listing):
    kwargs, _ = listing.make(cf, 2)
    page = listing(cf, Marker="ENOSUCHRESOURCE", **kwargs)
    assert page["Quantity"] == 0
    assert "Items" not in page and "NextMarker" not in page
