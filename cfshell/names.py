"""Checks of what users type for names: buckets, CNAMEs, comments, accounts. Stdlib only.

Each check returns the normalised value or raises a UsageError saying what is wrong, before any
request is sent.
"""

from __future__ import annotations

import re

from .errors import UsageError

S3_SUFFIX = ".s3.amazonaws.com"
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_REGIONAL_SUFFIX = re.compile(r"\.s3[.-]([a-z0-9-]+)\.amazonaws\.com$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_ACCOUNT = re.compile(r"^\d{12}$")

COMMENT_MAX = 128  # CloudFront's limit on a distribution's or OAI's comment


def bucket_name(value: str) -> str:
    """The bucket name from `NAME` or `NAME.s3.amazonaws.com` (or a regional S3 domain)."""
    name = (value or "").strip()
    if name.endswith(S3_SUFFIX):
        name = name[: -len(S3_SUFFIX)]
    else:
        name = _REGIONAL_SUFFIX.sub("", name)
    if not _BUCKET.match(name) or ".." in name or _IPV4.match(name):
        raise UsageError(
            f"{value!r} is not a valid bucket name: use 3-63 lowercase letters, digits, dots "
            f"and hyphens (or NAME{S3_SUFFIX})"
        )
    return name


def origin_domain(bucket: str) -> str:
    """The S3 origin domain CloudFront stores for `bucket`."""
    return bucket_name(bucket) + S3_SUFFIX


def bucket_from_origin(domain: str) -> str:
    """The bucket name in an S3 origin domain (unchanged when it is not one)."""
    if domain.endswith(S3_SUFFIX):
        return domain[: -len(S3_SUFFIX)]
    return _REGIONAL_SUFFIX.sub("", domain)


def cname(value: str) -> str:
    """A CNAME (alternate domain name): a DNS host name, optionally starting with `*.`."""
    host = (value or "").strip().lower().rstrip(".")
    labels = host.split(".")
    if labels and labels[0] == "*":
        labels = labels[1:]
    if (
        len(host) > 253
        or len(labels) < 2
        or not all(_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise UsageError(f"{value!r} is not a valid CNAME: give a host name such as cf.example.com")
    return host


def comment(value: str) -> str:
    if len(value) > COMMENT_MAX:
        raise UsageError(
            f"the comment is {len(value)} characters long: CloudFront takes at most {COMMENT_MAX}"
        )
    return value


def trusted_signer(value: str) -> str:
    """`self` or a 12-digit AWS account number (dashes allowed, as the console shows them)."""
    text = (value or "").strip()
    if text.lower() == "self":
        return "self"
    digits = text.replace("-", "")
    if not _ACCOUNT.match(digits):
        raise UsageError(
            f"{value!r} is not a trusted signer: give `self` or a 12-digit AWS account number"
        )
    return digits
