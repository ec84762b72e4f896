"""ETag and Location headers of every versioned CloudFront resource, through boto3.

Create answers 201 with a Location naming the new resource and its ETag; Get and GetConfig give
that ETag; Update gives a new one, which Get and GetConfig then give.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from botocore import xform_name

from .test_listing import public_key_pem, web_config

API = "https://cloudfront.amazonaws.com/2020-05-31"


@dataclass(frozen=True)
class Resource:
    name: str  # as in the operation names: CreateX, GetX, GetXConfig, UpdateX
    body_key: str  # the result key of Create/Get/Update
    config_key: str  # the config's parameter and result key
    path: str  # Location: API/path/ID

    def op(self, cf, verb: str, suffix: str = ""):
        return getattr(cf, xform_name(f"{verb}{self.name}{suffix}"))


RESOURCES = [
    Resource("Distribution", "Distribution", "DistributionConfig", "distribution"),
    Resource(
        "StreamingDistribution",
        "StreamingDistribution",
        "StreamingDistributionConfig",
        "streaming-distribution",
    ),
    Resource(
        "CloudFrontOriginAccessIdentity",
        "CloudFrontOriginAccessIdentity",
        "CloudFrontOriginAccessIdentityConfig",
        "origin-access-identity/cloudfront",
    ),
    Resource(
        "OriginAccessControl",
        "OriginAccessControl",
        "OriginAccessControlConfig",
        "origin-access-control",
    ),
    Resource("PublicKey", "PublicKey", "PublicKeyConfig", "public-key"),
    Resource("KeyGroup", "KeyGroup", "KeyGroupConfig", "key-group"),
]


def first_config(cf, resource: Resource) -> dict[str, Any]:
    if resource.name == "Distribution":
        return web_config("ref")
    if resource.name == "StreamingDistribution":
        return {
            "CallerReference": "ref",
            "S3Origin": {"DomainName": "media.s3.amazonaws.com", "OriginAccessIdentity": ""},
            "Comment": "",
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
            "Enabled": True,
        }
    if resource.name == "CloudFrontOriginAccessIdentity":
        return {"CallerReference": "ref", "Comment": ""}
    if resource.name == "OriginAccessControl":
        return {
            "Name": "oac",
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    key = {"CallerReference": "ref", "Name": "key", "EncodedKey": public_key_pem()}
    if resource.name == "PublicKey":
        return key
    key_id = cf.create_public_key(PublicKeyConfig=key)["PublicKey"]["Id"]
    return {"Name": "group", "Items": [key_id]}


def headers(response: dict[str, Any]) -> dict[str, str]:
    return response["ResponseMetadata"]["HTTPHeaders"]


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_create_get_update_headers(cf, resource):
    created = resource.op(cf, "Create")(**{resource.config_key: first_config(cf, resource)})
    resource_id = created[resource.body_key]["Id"]
    etag = created["ETag"]
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert headers(created)["location"] == f"{API}/{resource.path}/{resource_id}"
    assert headers(created)["etag"] == etag

    got = resource.op(cf, "Get")(Id=resource_id)
    config = resource.op(cf, "Get", "Config")(Id=resource_id)
    assert "location" not in headers(got)
    assert (headers(got)["etag"], headers(config)["etag"]) == (etag, etag)

    updated = resource.op(cf, "Update")(
        Id=resource_id, IfMatch=etag, **{resource.config_key: config[resource.config_key]}
    )
    new_etag = headers(updated)["etag"]
    assert new_etag != etag
    assert resource.op(cf, "Get")(Id=resource_id)["ETag"] == new_etag
    assert resource.op(cf, "Get", "Config")(Id=resource_id)["ETag"] == new_etag
