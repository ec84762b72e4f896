"""Origin access controls (OAC): CRUD with ETags, and the bucket-policy grant they need.

Functions take boto3 clients and return plain dicts. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from . import distributions, effects

# `grants` and `policy` (json, hashlib, threads) are imported by `grant`, their one user, not
# here: the `oac` command's parser needs this module at start-up.

SIGNING_BEHAVIORS = ("always", "never", "no-override")
NAME_MAX = 64


def default_name(bucket: str) -> str:
    """The OAC `distribution create` makes (or reuses) for a bucket: one per bucket, by name."""
    return distributions.bucket_name(bucket)[:NAME_MAX]


def create(
    cf: Any, name: str, *, description: str = "", signing_behavior: str = "always"
) -> tuple[dict[str, Any], str]:
    _check(name, signing_behavior)
    response = cf.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": name,
            "Description": description,
            "SigningProtocol": "sigv4",
            "SigningBehavior": signing_behavior,
            "OriginAccessControlOriginType": "s3",
        }
    )
    control = response["OriginAccessControl"]
    effects.report("oac", control["Id"], effects.CREATED, name)
    return control, response["ETag"]


def _check(name: str | None, signing_behavior: str | None) -> None:
    if name is not None and not (1 <= len(name) <= NAME_MAX):
        raise UsageError(f"an OAC name has 1 to {NAME_MAX} characters")
    if signing_behavior is not None and signing_behavior not in SIGNING_BEHAVIORS:
        raise UsageError(f"signing behavior is one of {', '.join(SIGNING_BEHAVIORS)}")


def get(cf: Any, oac_id: str) -> tuple[dict[str, Any], str]:
    response = cf.get_origin_access_control(Id=oac_id)
    return response["OriginAccessControl"], response["ETag"]


def iter_summaries(cf: Any) -> Iterator[dict[str, Any]]:
    marker = None
    while True:
        kwargs = {"Marker": marker} if marker else {}
        page = cf.list_origin_access_controls(**kwargs)["OriginAccessControlList"]
        yield from page.get("Items", []) or []
        marker = page.get("NextMarker")
        if not page.get("IsTruncated") or not marker:
            return


def list_oacs(cf: Any) -> list[dict[str, Any]]:
    return list(iter_summaries(cf))


def find_by_name(cf: Any, name: str) -> dict[str, Any] | None:
    for summary in iter_summaries(cf):
        if summary.get("Name") == name:
            return summary
    return None


def find_or_create(cf: Any, bucket: str) -> tuple[str, bool]:
    """The id of the bucket's OAC (see `default_name`), and whether it was created now."""
    name = default_name(bucket)
    found = find_by_name(cf, name)
    if found is not None:
        return found["Id"], False
    oac, _ = create(cf, name, description=f"cfshell: S3 bucket {distributions.bucket_name(bucket)}")
    return oac["Id"], True


def modify(
    cf: Any,
    oac_id: str,
    *,
    name: str | None = None,
    description: str | None = None,
    signing_behavior: str | None = None,
    if_match: str | None = None,
) -> tuple[dict[str, Any], str]:
    """get, change, update with If-Match (the ETag read, unless one is given)."""
    _check(name, signing_behavior)
    current, etag = get(cf, oac_id)
    config = dict(current["OriginAccessControlConfig"])
    if name is not None:
        config["Name"] = name
    if description is not None:
        config["Description"] = description
    if signing_behavior is not None:
        config["SigningBehavior"] = signing_behavior
    response = cf.update_origin_access_control(
        Id=oac_id, OriginAccessControlConfig=config, IfMatch=if_match or etag
    )
    effects.report("oac", oac_id, effects.MODIFIED, config["Name"])
    return response["OriginAccessControl"], response["ETag"]


def delete(cf: Any, oac_id: str, etag: str | None = None) -> None:
    if etag is None:
        _, etag = get(cf, oac_id)
    cf.delete_origin_access_control(Id=oac_id, IfMatch=etag)
    effects.report("oac", oac_id, effects.DELETED)


def grant_subject(cf: Any, oac_id: str) -> dict[str, str]:
    """How bucket policies name the OAC (the keywords of grants.find_leftovers); it must exist."""
    get(cf, oac_id)
    return {"oac_id": oac_id}


def used_by(cf: Any, oac_id: str) -> list[tuple[str, str]]:
    """(kind, ID) of every distribution whose origins use `oac_id`."""
    return [("distribution", d["Id"]) for d in distributions.using_oac(cf, oac_id)]


@dataclass(frozen=True)
class GrantResult:
    """What `grant` did: `changed` is False when the policy already said the same."""

    bucket: str
    changed: bool
    created: bool  # the bucket had no policy before
    statement: dict[str, Any]
    distribution_arns: list[str]


def grant(cf: Any, s3: Any, oac_id: str, bucket: str) -> GrantResult:
    """Let CloudFront read `bucket` for the distributions that reach it through `oac_id`.

    Merges AWS's documented OAC statement (the CloudFront service principal, s3:GetObject,
    `AWS:SourceArn` naming those distributions) into the bucket policy, keeping every other
    statement; a second run with the same distributions changes nothing. Distributions that
    use the OAC for another bucket are left out: each bucket names only its own readers.
    Raises LookupError when no distribution uses the OAC on this bucket.
    """
    from . import grants
    from . import policy as bucket_policy

    name = distributions.bucket_name(bucket)
    using = distributions.using_oac(cf, oac_id, name)
    if not using:
        raise LookupError(
            f"no distribution reads bucket {name} through origin access control {oac_id}"
        )
    arns = sorted(d["ARN"] for d in using)
    before = grants.get_bucket_policy(s3, name)
    change = bucket_policy.merge_oac(before, oac_id, name, arns)
    if change.changed and change.policy is not None:
        s3.put_bucket_policy(Bucket=name, Policy=bucket_policy.dump(change.policy))
        effects.report("bucket", name, effects.MODIFIED, "bucket policy")
    return GrantResult(
        bucket=name,
        changed=change.changed,
        created=change.changed and before is None,
        statement=change.statement,
        distribution_arns=arns,
    )


def summarize_item(item: dict[str, Any]) -> dict[str, Any]:
    """A list entry: the same fields as `summarize` (a summary carries the config's fields)."""
    return summarize(item)


def summarize(control: dict[str, Any], etag: str = "") -> dict[str, Any]:
    config = control.get("OriginAccessControlConfig", control)
    record = {
        "Id": control.get("Id", ""),
        "Name": config.get("Name", ""),
        "Description": config.get("Description", ""),
        "SigningBehavior": config.get("SigningBehavior", ""),
        "SigningProtocol": config.get("SigningProtocol", ""),
        "OriginType": config.get("OriginAccessControlOriginType", ""),
    }
    if etag:
        record["ETag"] = etag
    return record
