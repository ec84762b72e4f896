"""Web distributions on an S3 origin: config templates, read-modify-write with ETags, invalidations.

Functions take a boto3 CloudFront client and return plain dicts. The calls (create, get,
update, delete, wait...) are those of every deployable kind (cfshell.aws.deployable). Nothing
here prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .. import names
from ..errors import UsageError
from . import certs, deployable, effects, waiting
from .shapes import caller_reference, quantity_items
from .shapes import cnames_of as cnames_of  # DeployableService: the module reads its CNAMEs

# AWS's managed "CachingOptimized" cache policy: the recommended default for S3 origins.
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
PRICE_CLASSES = ("PriceClass_100", "PriceClass_200", "PriceClass_All")

FAMILY = deployable.Family("distribution", "distribution", "Distribution")


def bucket_name(bucket_or_domain: str) -> str:
    """`NAME` from `NAME` or an S3 origin domain (UsageError when it is not a bucket name)."""
    return names.bucket_name(bucket_or_domain.strip())


def origin_domain(bucket_or_domain: str, region: str | None = None) -> str:
    """The S3 origin domain: regional when a region other than us-east-1 is known.

    A regional domain given in full is kept as given (it already says which endpoint to use).
    """
    text = bucket_or_domain.strip()
    name = names.bucket_name(text)
    if text != name and not text.endswith(names.S3_SUFFIX):
        return text
    if region and region != "us-east-1":
        return f"{name}.s3.{region}.amazonaws.com"
    return f"{name}{names.S3_SUFFIX}"


def _check_cnames(cnames: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names.cname(c) for c in cnames))


def new_config(
    bucket: str,
    *,
    region: str | None = None,
    oac_id: str | None = None,
    oai_id: str | None = None,
    key_group_ids: Iterable[str] = (),
    cnames: Iterable[str] = (),
    comment: str = "",
    default_root_object: str = "",
    price_class: str | None = None,
    enabled: bool = True,
    certificate_arn: str | None = None,
) -> dict[str, Any]:
    """A DistributionConfig for one S3 origin: HTTPS redirect and CachingOptimized by default;
    with `certificate_arn`, that ACM certificate as AWS recommends it (certs.viewer_certificate)."""
    if oac_id and oai_id:
        raise UsageError("choose either an origin access control or an origin access identity")
    domain = origin_domain(bucket, region)
    origin_id = f"s3-{bucket_name(domain)}"
    origin: dict[str, Any] = {
        "Id": origin_id,
        "DomainName": domain,
        "OriginPath": "",
        "S3OriginConfig": {"OriginAccessIdentity": oai_path(oai_id) if oai_id else ""},
        "OriginAccessControlId": oac_id or "",
    }
    behavior: dict[str, Any] = {
        "TargetOriginId": origin_id,
        "ViewerProtocolPolicy": "redirect-to-https",
        "CachePolicyId": CACHING_OPTIMIZED,
        "Compress": True,
        "AllowedMethods": {
            "Quantity": 2,
            "Items": ["GET", "HEAD"],
            "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
        },
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
        "TrustedKeyGroups": _trusted_key_groups(key_group_ids),
    }
    config: dict[str, Any] = {
        "CallerReference": caller_reference(),
        "Aliases": quantity_items(_check_cnames(cnames)),
        "DefaultRootObject": default_root_object,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": behavior,
        "Comment": names.comment(comment),
        "Enabled": enabled,
    }
    if price_class:
        config["PriceClass"] = normalize_price_class(price_class)
    if certificate_arn:
        config["ViewerCertificate"] = certs.viewer_certificate(certificate_arn)
    return config


def normalize_price_class(value: str) -> str:
    """Accept `100`, `PriceClass_100`, `all` ... and return AWS's spelling."""
    key = value.strip().lower().removeprefix("priceclass_").removeprefix("priceclass")
    for name in PRICE_CLASSES:
        if name.lower().removeprefix("priceclass_") == key:
            return name
    raise UsageError(f"unknown price class '{value}' (choose one of {', '.join(PRICE_CLASSES)})")


def oai_path(oai_id: str) -> str:
    return f"origin-access-identity/cloudfront/{oai_id}"


def _trusted_key_groups(ids: Iterable[str]) -> dict[str, Any]:
    items = list(dict.fromkeys(ids))
    if not items:
        return {"Enabled": False, "Quantity": 0}
    return {"Enabled": True, "Quantity": len(items), "Items": items}


def apply_changes(
    config: dict[str, Any],
    *,
    oac_id: str | None = None,
    oai_id: str | None = None,
    key_group_ids: Iterable[str] | None = None,
    default_root_object: str | None = None,
    price_class: str | None = None,
    certificate_arn: str | None = None,
    trusted_signers: Iterable[str] | None = None,
    **common: Any,
) -> dict[str, Any]:
    """Return a copy of `config` with the requested changes (None leaves a field as it is);
    `common` as deployable.edited (comment, enabled, CNAMEs).

    `oac_id` and `oai_id` apply to every S3 origin; setting one clears the other, as CloudFront
    refuses an origin with both. `key_group_ids=[]` stops requiring signed requests.
    `certificate_arn` sets the ACM certificate; "" goes back to CloudFront's default one.
    """
    if oac_id and oai_id:
        raise UsageError("choose either an origin access control or an origin access identity")
    new = deployable.edited(config, **common)
    if default_root_object is not None:
        new["DefaultRootObject"] = default_root_object
    if price_class is not None:
        new["PriceClass"] = normalize_price_class(price_class)
    if certificate_arn is not None and certificate_arn != certs.certificate_of(new):
        new["ViewerCertificate"] = certs.viewer_certificate(certificate_arn)
    for origin in new.get("Origins", {}).get("Items", []):
        if "S3OriginConfig" not in origin:
            continue
        if oac_id:
            origin["OriginAccessControlId"] = oac_id
            origin["S3OriginConfig"] = {"OriginAccessIdentity": ""}
        elif oai_id:
            origin["OriginAccessControlId"] = ""
            origin["S3OriginConfig"] = {"OriginAccessIdentity": oai_path(oai_id)}
    if key_group_ids is not None:
        new["DefaultCacheBehavior"]["TrustedKeyGroups"] = _trusted_key_groups(key_group_ids)
    if trusted_signers is not None:  # legacy (CloudFront key pairs): the seed's set-up
        signers = list(dict.fromkeys(trusted_signers))
        new["DefaultCacheBehavior"]["TrustedSigners"] = (
            {"Enabled": True, "Quantity": len(signers), "Items": signers}
            if signers
            else {"Enabled": False, "Quantity": 0}
        )
    _drop_legacy_cache_settings(new)
    return new


def _drop_legacy_cache_settings(config: dict[str, Any]) -> None:
    # A read returns ForwardedValues and TTLs next to CachePolicyId; CloudFront refuses both
    # together on an update, so a behaviour on a cache policy keeps only the policy.
    behaviors = [config.get("DefaultCacheBehavior", {})]
    behaviors += config.get("CacheBehaviors", {}).get("Items", []) or []
    for behavior in behaviors:
        if behavior.get("CachePolicyId"):
            for key in ("ForwardedValues", "MinTTL", "DefaultTTL", "MaxTTL"):
                behavior.pop(key, None)


def s3_origins(config: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in config.get("Origins", {}).get("Items", []) or [] if "S3OriginConfig" in o]


def origin_buckets(config: dict[str, Any]) -> list[str]:
    """Names of the S3 buckets the distribution reads from."""
    return [names.bucket_from_origin(o["DomainName"]) for o in s3_origins(config)]


def oac_ids_of(config: dict[str, Any]) -> list[str]:
    origins = config.get("Origins", {}).get("Items", []) or []
    return [o["OriginAccessControlId"] for o in origins if o.get("OriginAccessControlId")]


def oai_ids_of(config: dict[str, Any]) -> list[str]:
    ids = []
    for origin in s3_origins(config):
        path = origin.get("S3OriginConfig", {}).get("OriginAccessIdentity", "")
        if path:
            ids.append(path.rsplit("/", 1)[-1])
    return ids


def key_group_ids_of(config: dict[str, Any]) -> list[str]:
    groups = config.get("DefaultCacheBehavior", {}).get("TrustedKeyGroups", {})
    return list(groups.get("Items", []) or []) if groups.get("Enabled") else []


# --- API calls (cfshell.aws.deployable: the same for streaming distributions) -----------------


create, get, get_config, iter_summaries, update, modify, disable, delete, wait_deployed, changed = (
    deployable.calls(FAMILY, apply_changes=apply_changes)
)


def list_distributions(cf: Any) -> list[dict[str, Any]]:
    return list(iter_summaries(cf))


def invalidate(cf: Any, distribution_id: str, paths: Iterable[str]) -> dict[str, Any]:
    items = [p if p.startswith("/") else f"/{p}" for p in paths]
    if not items:
        raise UsageError("give at least one path to invalidate, such as /index.html or /*")
    response = cf.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": len(items), "Items": items},
            "CallerReference": caller_reference(),
        },
    )
    invalidation = response["Invalidation"]
    effects.report("invalidation", invalidation["Id"], effects.CREATED, distribution_id)
    return invalidation


def get_invalidation(cf: Any, distribution_id: str, invalidation_id: str) -> dict[str, Any]:
    return cf.get_invalidation(DistributionId=distribution_id, Id=invalidation_id)["Invalidation"]


def wait_invalidation(
    cf: Any,
    distribution_id: str,
    invalidation_id: str,
    *,
    timeout: float = 0.0,
    interval: float = 5.0,
    on_poll: Callable[[float, str], None] | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """Poll until the invalidation is Completed and return it; `timeout` 0: AWS's waiter limit.

    Not `waiting.wait`: moto spells the status COMPLETED, which AWS's acceptor would not match.
    Paced as `waiting.wait` is (a replay in the simulator advances its clock instead of sleeping).
    """
    clock, sleep = waiting.pacing(clock, sleep)
    limit = timeout or waiting.waiter_limit(cf, "invalidation_completed")
    start = clock()
    while True:
        invalidation = get_invalidation(cf, distribution_id, invalidation_id)
        elapsed = clock() - start
        status = invalidation["Status"]
        if on_poll is not None:
            on_poll(elapsed, status)
        if status.lower() == "completed":
            return invalidation
        if elapsed + interval > limit:
            raise waiting.WaitTimeout(
                f"invalidation {invalidation_id} is still {status} after "
                f"{waiting.format_elapsed(elapsed)}: check it later with `distribution get`",
                status=status,
                elapsed=elapsed,
            )
        sleep(interval)


def using_oac(cf: Any, oac_id: str, bucket: str | None = None) -> list[dict[str, Any]]:
    """Summaries of the distributions whose origins use `oac_id` (on `bucket`, if given)."""
    found = []
    name = bucket_name(bucket) if bucket else None
    for summary in iter_summaries(cf):
        for origin in summary.get("Origins", {}).get("Items", []) or []:
            if origin.get("OriginAccessControlId") != oac_id:
                continue
            if name is not None and names.bucket_from_origin(origin["DomainName"]) != name:
                continue
            found.append(summary)
            break
    return found


# --- plain views ----------------------------------------------------------------------------


def origin_access(config: dict[str, Any]) -> str:
    """`OAC ID`, `OAI ID` or `none` for the distribution's S3 origins (comma-separated)."""
    parts = [f"OAC {i}" for i in oac_ids_of(config)] + [f"OAI {i}" for i in oai_ids_of(config)]
    return ", ".join(dict.fromkeys(parts)) or "none"


def _signers_of(behavior: dict[str, Any]) -> list[str]:
    """Trusted signers (legacy CloudFront key pairs) of a cache behaviour."""
    signers = behavior.get("TrustedSigners") or {}
    return list(signers.get("Items") or []) if signers.get("Enabled") else []


def _details(dist: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    behavior = config.get("DefaultCacheBehavior", {})
    return {
        "ARN": dist.get("ARN", ""),
        "Origins": [o.get("DomainName", "") for o in config.get("Origins", {}).get("Items", [])],
        "OriginAccess": origin_access(config),
        "TrustedKeyGroups": key_group_ids_of(config),
        "ActiveKeyGroups": deployable.active_signers(dist, "ActiveTrustedKeyGroups", "KeyGroupId"),
        "TrustedSigners": _signers_of(behavior),
        "ActiveSigners": deployable.active_signers(
            dist, "ActiveTrustedSigners", "AwsAccountNumber"
        ),
        "DefaultRootObject": config.get("DefaultRootObject", ""),
        "Certificate": certs.certificate_of(config),
        "PriceClass": config.get("PriceClass", ""),
        "ViewerProtocolPolicy": behavior.get("ViewerProtocolPolicy", ""),
        "CachePolicyId": behavior.get("CachePolicyId", ""),
        "InProgressInvalidations": dist.get("InProgressInvalidationBatches", 0),
    }


# `summarize`: one distribution as a flat record, what `distribution get` shows;
# `summarize_item`: a list entry.
summarize, summarize_item = deployable.views(
    FAMILY,
    "Id ETag ARN Status Enabled DomainName Origins OriginAccess TrustedKeyGroups ActiveKeyGroups "
    "TrustedSigners ActiveSigners CNAMEs Certificate Comment DefaultRootObject PriceClass "
    "ViewerProtocolPolicy CachePolicyId "
    "InProgressInvalidations LastModifiedTime",
    "Id Status Enabled DomainName Origins OriginAccess TrustedKeyGroups CNAMEs Comment "
    "LastModifiedTime",
    _details,
)
