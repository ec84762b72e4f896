"""RTMP streaming distributions: config template, read-modify-write with ETags, wait, delete.

Functions take a boto3 CloudFront client and return plain data. An update always reads the
current config and its ETag, changes it, and writes it back with `IfMatch` (an explicit ETag
from the user replaces the one read, so AWS checks it). Nothing here prints or reads input.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .. import names
from ..errors import UsageError
from . import waiting
from .shapes import caller_reference, cnames_of, edit_cnames, quantity_items

OAI_PREFIX = "origin-access-identity/cloudfront/"
WAITER = "streaming_distribution_deployed"
MAX_CNAMES = 10


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()  # "leave as is", distinct from None ("remove")


def oai_path(oai_id: str) -> str:
    """How a streaming distribution stores an OAI: origin-access-identity/cloudfront/ID."""
    return oai_id if oai_id.startswith(OAI_PREFIX) else OAI_PREFIX + oai_id


def oai_id_of(path: str | None) -> str:
    """The OAI ID in `origin-access-identity/cloudfront/ID` ("" when there is none)."""
    if not path:
        return ""
    return path.rsplit("/", 1)[-1]


def _trusted_signers(accounts: Iterable[str]) -> dict[str, Any]:
    items = list(dict.fromkeys(names.trusted_signer(a) for a in accounts))
    return {"Enabled": bool(items), **quantity_items(items)}


def _check_cnames(cnames: list[str]) -> list[str]:
    unique = list(dict.fromkeys(names.cname(c) for c in cnames))
    if len(unique) > MAX_CNAMES:
        raise UsageError(
            f"{len(unique)} CNAMEs given: a streaming distribution takes at most {MAX_CNAMES}"
        )
    return unique


def new_config(
    bucket: str,
    *,
    cnames: Iterable[str] = (),
    comment: str = "",
    oai_id: str | None = None,
    trusted_signers: Iterable[str] = (),
    enabled: bool = True,
    reference: str | None = None,
) -> dict[str, Any]:
    """A StreamingDistributionConfig on `bucket` (a name or NAME.s3.amazonaws.com)."""
    return {
        "CallerReference": reference or caller_reference(),
        "S3Origin": {
            "DomainName": names.origin_domain(bucket),
            "OriginAccessIdentity": oai_path(oai_id) if oai_id else "",
        },
        "Aliases": quantity_items(_check_cnames(list(cnames))),
        "Comment": names.comment(comment),
        "TrustedSigners": _trusted_signers(trusted_signers),
        "PriceClass": "PriceClass_All",
        "Enabled": enabled,
    }


def apply_changes(
    config: dict[str, Any],
    *,
    comment: str | None = None,
    enabled: bool | None = None,
    oai_id: Any = UNSET,
    trusted_signers: list[str] | None = None,
    cnames: list[str] | None = None,
    add_cnames: Iterable[str] = (),
    remove_cnames: Iterable[str] = (),
) -> dict[str, Any]:
    """A changed copy of `config`. `oai_id=None` removes the OAI; lists given replace all."""
    new = copy.deepcopy(config)
    if comment is not None:
        new["Comment"] = names.comment(comment)
    if enabled is not None:
        new["Enabled"] = enabled
    if oai_id is not UNSET:
        new.setdefault("S3Origin", {})["OriginAccessIdentity"] = oai_path(oai_id) if oai_id else ""
    if trusted_signers is not None:
        new["TrustedSigners"] = _trusted_signers(trusted_signers)
    if cnames is not None or add_cnames or remove_cnames:
        hosts = edit_cnames(cnames_of(new), replace=cnames, add=add_cnames, remove=remove_cnames)
        new["Aliases"] = quantity_items(_check_cnames(hosts))
    return new


# --- calls ----------------------------------------------------------------------------------


def create(cf: Any, config: dict[str, Any]) -> tuple[dict[str, Any], str]:
    response = cf.create_streaming_distribution(StreamingDistributionConfig=config)
    return response["StreamingDistribution"], response.get("ETag", "")


def get(cf: Any, distribution_id: str) -> tuple[dict[str, Any], str]:
    response = cf.get_streaming_distribution(Id=distribution_id)
    return response["StreamingDistribution"], response.get("ETag", "")


def get_config(cf: Any, distribution_id: str) -> tuple[dict[str, Any], str]:
    response = cf.get_streaming_distribution_config(Id=distribution_id)
    return response["StreamingDistributionConfig"], response.get("ETag", "")


def iter_summaries(cf: Any) -> Iterator[dict[str, Any]]:
    """Every streaming distribution summary, page by page."""
    paginator = cf.get_paginator("list_streaming_distributions")
    for page in paginator.paginate():
        yield from page.get("StreamingDistributionList", {}).get("Items", []) or []


def update(
    cf: Any,
    distribution_id: str,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    if_match: str | None = None,
) -> tuple[dict[str, Any], str]:
    """get-config, change, update with If-Match (the ETag read, unless one is given)."""
    config, etag = get_config(cf, distribution_id)
    return _write(cf, distribution_id, change(config), if_match or etag)


def _write(
    cf: Any, distribution_id: str, config: dict[str, Any], etag: str
) -> tuple[dict[str, Any], str]:
    response = cf.update_streaming_distribution(
        Id=distribution_id, StreamingDistributionConfig=config, IfMatch=etag
    )
    return response["StreamingDistribution"], response.get("ETag", "")


def disable(
    cf: Any, distribution_id: str, config: dict[str, Any], etag: str
) -> tuple[dict[str, Any], str]:
    """Write `config`, as read with `etag`, back disabled."""
    return _write(cf, distribution_id, apply_changes(config, enabled=False), etag)


def delete(cf: Any, distribution_id: str, etag: str | None = None) -> None:
    if not etag:
        _, etag = get_config(cf, distribution_id)
    cf.delete_streaming_distribution(Id=distribution_id, IfMatch=etag)


def wait_deployed(cf: Any, distribution_id: str, **kw: Any) -> dict[str, Any]:
    """Wait (AWS's StreamingDistributionDeployed acceptors) and return the distribution; `kw`:
    see waiting.wait (timeout, interval, on_poll...)."""
    return waiting.wait_deployed(
        cf,
        WAITER,
        "StreamingDistribution",
        distribution_id,
        what=f"streaming distribution {distribution_id}",
        **kw,
    )


# --- plain views ----------------------------------------------------------------------------


def _signers(trusted: dict[str, Any] | None) -> list[str]:
    trusted = trusted or {}
    return list(trusted.get("Items", []) or [])


def summarize(dist: dict[str, Any], etag: str = "") -> dict[str, Any]:
    """Everything the old `get` showed, plus last modified, as one flat record."""
    config = dist.get("StreamingDistributionConfig", {})
    origin = config.get("S3Origin", {})
    active = dist.get("ActiveTrustedSigners", {}) or {}
    signers = [
        {
            "AwsAccountNumber": s.get("AwsAccountNumber", ""),
            "KeyPairIds": list((s.get("KeyPairIds", {}) or {}).get("Items", []) or []),
        }
        for s in active.get("Items", []) or []
    ]
    return {
        "Id": dist.get("Id", ""),
        "ETag": etag,
        "Status": dist.get("Status", ""),
        "Enabled": config.get("Enabled"),
        "DomainName": dist.get("DomainName", ""),
        "Origin": origin.get("DomainName", ""),
        "CNAMEs": cnames_of(config),
        "Comment": config.get("Comment", ""),
        "OriginAccessIdentity": oai_id_of(origin.get("OriginAccessIdentity")),
        "TrustedSigners": _signers(config.get("TrustedSigners")),
        "ActiveSigners": signers,
        "LastModifiedTime": dist.get("LastModifiedTime"),
    }


def summarize_item(item: dict[str, Any]) -> dict[str, Any]:
    """A list entry: what the old `list` showed."""
    origin = item.get("S3Origin", {})
    return {
        "Id": item.get("Id", ""),
        "Status": item.get("Status", ""),
        "Enabled": item.get("Enabled"),
        "DomainName": item.get("DomainName", ""),
        "Origin": origin.get("DomainName", ""),
        "CNAMEs": list((item.get("Aliases", {}) or {}).get("Items", []) or []),
        "Comment": item.get("Comment", ""),
        "LastModifiedTime": item.get("LastModifiedTime"),
    }
