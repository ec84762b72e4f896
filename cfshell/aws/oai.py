"""CloudFront origin access identities: create, read, change the comment, delete.

Functions take a boto3 CloudFront client and return plain data; updates are read-modify-write
with the ETag as If-Match. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import names
from . import effects
from .shapes import caller_reference


def create(cf: Any, comment: str) -> tuple[dict[str, Any], str, str]:
    """A new OAI: (identity, ETag, location URL)."""
    response = cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={
            "CallerReference": caller_reference(),
            "Comment": names.comment(comment),
        }
    )
    identity = response["CloudFrontOriginAccessIdentity"]
    effects.report("oai", identity["Id"], effects.CREATED, comment)
    return identity, response.get("ETag", ""), response.get("Location", "")


def get(cf: Any, oai_id: str) -> tuple[dict[str, Any], str]:
    response = cf.get_cloud_front_origin_access_identity(Id=oai_id)
    return response["CloudFrontOriginAccessIdentity"], response.get("ETag", "")


def get_config(cf: Any, oai_id: str) -> tuple[dict[str, Any], str]:
    response = cf.get_cloud_front_origin_access_identity_config(Id=oai_id)
    return response["CloudFrontOriginAccessIdentityConfig"], response.get("ETag", "")


def canonical_user_id(cf: Any, oai_id: str) -> str:
    identity, _ = get(cf, oai_id)
    return identity["S3CanonicalUserId"]


def grant_subject(cf: Any, oai_id: str) -> dict[str, str]:
    """How bucket policies and ACLs name the OAI (the keywords of grants.find_leftovers)."""
    return {"oai_id": oai_id, "canonical_user_id": canonical_user_id(cf, oai_id)}


def iter_summaries(cf: Any) -> Iterator[dict[str, Any]]:
    paginator = cf.get_paginator("list_cloud_front_origin_access_identities")
    for page in paginator.paginate():
        yield from page.get("CloudFrontOriginAccessIdentityList", {}).get("Items", []) or []


def modify(
    cf: Any, oai_id: str, comment: str, etag: str | None = None
) -> tuple[dict[str, Any], str]:
    """Change the comment (the only thing an OAI has to change)."""
    config, current_etag = get_config(cf, oai_id)
    config = dict(config, Comment=names.comment(comment))
    response = cf.update_cloud_front_origin_access_identity(
        Id=oai_id, CloudFrontOriginAccessIdentityConfig=config, IfMatch=etag or current_etag
    )
    effects.report("oai", oai_id, effects.MODIFIED, config["Comment"])
    return response["CloudFrontOriginAccessIdentity"], response.get("ETag", "")


def delete(cf: Any, oai_id: str, etag: str | None = None) -> None:
    if not etag:
        _, etag = get_config(cf, oai_id)
    cf.delete_cloud_front_origin_access_identity(Id=oai_id, IfMatch=etag)
    effects.report("oai", oai_id, effects.DELETED)


def used_by(cf: Any, oai_id: str) -> list[tuple[str, str]]:
    """(kind, ID) of every distribution, streaming or web, whose S3 origin uses `oai_id`."""
    from . import distributions, streaming

    found = [
        ("streaming", s["Id"])
        for s in streaming.iter_summaries(cf)
        if streaming.oai_id_of((s.get("S3Origin") or {}).get("OriginAccessIdentity")) == oai_id
    ]
    found += [
        ("distribution", d["Id"])
        for d in distributions.iter_summaries(cf)
        if oai_id in distributions.oai_ids_of(d)  # a summary carries its config's origins
    ]
    return found


def summarize(identity: dict[str, Any], etag: str = "", location: str = "") -> dict[str, Any]:
    """What the old `get` (and `create`) showed, as one flat record."""
    config = identity.get("CloudFrontOriginAccessIdentityConfig", {})
    record = {
        "Id": identity.get("Id", ""),
        "ETag": etag,
        "CallerReference": config.get("CallerReference", ""),
        "Comment": config.get("Comment", ""),
        "S3CanonicalUserId": identity.get("S3CanonicalUserId", ""),
    }
    if location:
        record["Location"] = location
    return record


def summarize_item(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "Id": item.get("Id", ""),
        "S3CanonicalUserId": item.get("S3CanonicalUserId", ""),
        "Comment": item.get("Comment", ""),
    }
