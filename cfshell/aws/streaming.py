"""RTMP streaming distributions: config template, read-modify-write with ETags, wait, delete.

Functions take a boto3 CloudFront client and return plain data. The calls (create, get,
update, delete, wait...) are those of every deployable kind (cfshell.aws.deployable): an update
reads the current config and its ETag, changes it, and writes it back with `IfMatch` (an
explicit ETag from the user replaces the one read, so AWS checks it). Nothing here prints or
reads input.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import names
from ..errors import UsageError
from . import deployable
from .shapes import caller_reference, quantity_items
from .shapes import cnames_of as cnames_of  # DeployableService: the module reads its CNAMEs

OAI_PREFIX = "origin-access-identity/cloudfront/"
FAMILY = deployable.Family("streaming", "streaming distribution", "StreamingDistribution")
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
    oai_id: Any = UNSET,
    trusted_signers: list[str] | None = None,
    **common: Any,
) -> dict[str, Any]:
    """A changed copy of `config`: `common` as deployable.edited (comment, enabled, CNAMEs);
    `oai_id=None` removes the OAI; lists given replace all."""
    new = deployable.edited(config, **common)
    _check_cnames(cnames_of(new))
    if oai_id is not UNSET:
        new.setdefault("S3Origin", {})["OriginAccessIdentity"] = oai_path(oai_id) if oai_id else ""
    if trusted_signers is not None:
        new["TrustedSigners"] = _trusted_signers(trusted_signers)
    return new


# --- calls (cfshell.aws.deployable: the same for web distributions) --------------------------

create, get, get_config, iter_summaries, update, modify, disable, delete, wait_deployed, changed = (
    deployable.calls(FAMILY, apply_changes=apply_changes)
)


# --- plain views ----------------------------------------------------------------------------


def _signers(trusted: dict[str, Any] | None) -> list[str]:
    trusted = trusted or {}
    return list(trusted.get("Items", []) or [])


def _details(dist: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    origin = config.get("S3Origin", {})
    return {
        "Origin": origin.get("DomainName", ""),
        "OriginAccessIdentity": oai_id_of(origin.get("OriginAccessIdentity")),
        "TrustedSigners": _signers(config.get("TrustedSigners")),
        "ActiveSigners": deployable.active_signers(
            dist, "ActiveTrustedSigners", "AwsAccountNumber"
        ),
    }


# `summarize`: everything the old `get` showed, plus last modified; `summarize_item`: what the
# old `list` showed.
summarize, summarize_item = deployable.views(
    FAMILY,
    "Id ETag Status Enabled DomainName Origin CNAMEs Comment OriginAccessIdentity TrustedSigners "
    "ActiveSigners LastModifiedTime",
    "Id Status Enabled DomainName Origin CNAMEs Comment LastModifiedTime",
    _details,
)
