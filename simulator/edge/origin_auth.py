"""Origin authorization: CloudFront asks S3 for the object as the origin's principal, and passes
S3's answer on.

The principal (`principal_for`):
- origin access control (signing "always" or "no-override"): the service principal
  ``cloudfront.amazonaws.com`` with ``AWS:SourceArn`` = the distribution's ARN;
- origin access identity: its IAM ARN or canonical user in the bucket policy, or a READ /
  FULL_CONTROL grant to its canonical user in the object's ACL;
- neither (or OAC signing "never"): an anonymous request.

S3 allows GetObject when a bucket-policy statement allows it and none denies it, or when the
object ACL grants it (to the OAI, or to everyone). Refused: 403 `AccessDenied`, "Access Denied"
(S3's spelling). A missing object is 404 `NoSuchKey` when the principal may s3:ListBucket, else
403, as S3 answers; a missing bucket is 404 `NoSuchBucket`.

Departures from AWS:
- Bucket policies are evaluated for what this workflow writes: Effect, Principal (``*``, AWS,
  Service, CanonicalUser), Action and Resource with wildcards, and conditions StringEquals,
  StringLike, ArnEquals, ArnLike (and their IfExists forms) on AWS:SourceArn and
  AWS:SourceAccount. A statement with NotPrincipal/NotAction/NotResource, or a condition on
  another key or with another operator, is ignored, Allow and Deny alike. KMS is not
  consulted. Object Ownership BucketOwnerEnforced turns ACLs off (no ACL grant counts); Block
  Public Access: IgnorePublicAcls drops grants to AllUsers, RestrictPublicBuckets drops policy
  statements allowing everyone without a condition for every principal but an OAC's (AWS
  keeps such a bucket to service principals and the owner's account); statements naming an
  OAI or OAC keep working, as on AWS.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from typing import Any

from .replies import (
    S3_ACCESS_DENIED,
    S3_NO_SUCH_BUCKET,
    S3_NO_SUCH_KEY,
    EdgeResponse,
    cf_headers,
    s3_error,
)
from .viewer_auth import wildcard_match

SERVICE_PRINCIPAL = "cloudfront.amazonaws.com"
OAI_ARN = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {}"


@dataclass
class Principal:
    """Who CloudFront is, to S3, when it fetches from this origin."""

    kind: str  # "oac" | "oai" | "anonymous"
    source_arn: str = ""
    source_account: str = ""
    oai_id: str = ""
    oai_canonical_user: str = ""


def fetch(route: Any, origin: Any) -> EdgeResponse:
    """S3's answer to the origin's principal for `origin.key` in `origin.bucket`."""
    from moto.s3.exceptions import MissingBucket
    from moto.s3.models import s3_backends

    principal = principal_for(route, origin)
    bucket_name, key = origin.bucket, origin.key
    s3 = s3_backends[route.account_id]["aws"]
    try:
        bucket = s3.get_bucket(bucket_name)
    except MissingBucket:
        bucket = None
    if bucket is None:
        return s3_error(404, S3_NO_SUCH_BUCKET, f"no bucket {bucket_name}")
    obj = s3.get_object(bucket_name, key) if key else None
    if obj is None:
        if allowed(bucket, None, principal, "s3:ListBucket", f"arn:aws:s3:::{bucket_name}"):
            return s3_error(404, S3_NO_SUCH_KEY, f"no object {key!r} in {bucket_name}")
        return s3_error(
            403,
            S3_ACCESS_DENIED,
            f"no object {key!r} in {bucket_name}, and the {principal.kind} principal may not "
            "s3:ListBucket, so S3 answers 403",
        )
    if not allowed(bucket, obj, principal, "s3:GetObject", f"arn:aws:s3:::{bucket_name}/{key}"):
        return s3_error(403, S3_ACCESS_DENIED, _grant_hint(principal, bucket_name))
    headers = cf_headers(
        {
            "Content-Type": obj.metadata.get("content-type") or "binary/octet-stream",
            "ETag": obj.etag,
            "Last-Modified": obj.last_modified_RFC1123,
            "X-Cache": "Miss from cloudfront",
        }
    )
    return EdgeResponse(200, "OK", headers, obj.value, detail=f"s3://{bucket_name}/{key}")


def principal_for(route: Any, origin: Any) -> Principal:
    """The principal CloudFront fetches from `origin` as, for the route's distribution."""
    account_id = route.account_id
    if origin.access_control_id:
        control = route.backend.origin_access_controls.get(origin.access_control_id)
        if control is not None and (control.signing_behavior or "always") != "never":
            return Principal("oac", source_arn=route.distribution.arn, source_account=account_id)
        return Principal("anonymous")
    if origin.access_identity_id:
        oai_id = origin.access_identity_id
        return Principal(
            "oai", oai_id=oai_id, oai_canonical_user=_oai_canonical_user(account_id, oai_id)
        )
    return Principal("anonymous")


def _oai_canonical_user(account_id: str, oai_id: str) -> str:
    from ..models import get_backend

    identity = get_backend(account_id).origin_access_identities.get(oai_id)
    return identity.s3_canonical_user_id if identity is not None else ""


def _grant_hint(principal: Principal, bucket: str) -> str:
    if principal.kind == "oac":
        return (
            f"the policy of bucket {bucket} does not allow s3:GetObject to the "
            f"{SERVICE_PRINCIPAL} service principal with AWS:SourceArn {principal.source_arn}"
        )
    if principal.kind == "oai":
        return (
            f"neither the policy of bucket {bucket} nor the object's ACL grants the origin "
            f"access identity {principal.oai_id} read access"
        )
    return f"the origin has no OAC or OAI, and bucket {bucket} does not allow public reads"


# -- S3's decision ----------------------------------------------------------------------------


def allowed(bucket: Any, obj: Any, principal: Principal, action: str, resource: str) -> bool:
    """S3's decision for `principal` doing `action` on `resource`: explicit deny wins, then an
    Allow in the bucket policy, then (for objects) an ACL grant."""
    statements = _policy_statements(bucket)
    if _block(bucket, "restrict_public_buckets") and principal.kind != "oac":
        # Only service principals (an OAC's) and the owner's account keep public access.
        statements = [st for st in statements if not _is_public(st)]
    decisions = [
        st.get("Effect") for st in statements if _statement_applies(st, principal, action, resource)
    ]
    if "Deny" in decisions:
        return False
    if "Allow" in decisions:
        return True
    if _acls_disabled(bucket):
        return False  # Object Ownership BucketOwnerEnforced: ACLs no longer grant anything
    ignore_public = _block(bucket, "ignore_public_acls")
    if obj is not None and action == "s3:GetObject":
        return _acl_allows(getattr(obj, "acl", None), principal, ignore_public)
    if obj is None and action == "s3:ListBucket":
        return _acl_allows(getattr(bucket, "acl", None), principal, ignore_public)
    return False


def _acls_disabled(bucket: Any) -> bool:
    rule = getattr(bucket, "ownership_rule", None)
    if isinstance(rule, dict):
        rule = rule.get("ObjectOwnership") or (rule.get("Rule") or {}).get("ObjectOwnership")
    return rule == "BucketOwnerEnforced"


def _block(bucket: Any, setting: str) -> bool:
    """A Block Public Access setting of the bucket (moto's PublicAccessBlock)."""
    block = getattr(bucket, "public_access_block", None)
    return bool(getattr(block, setting, False)) if block is not None else False


def _is_public(statement: dict[str, Any]) -> bool:
    """An Allow to everyone with no condition: what RestrictPublicBuckets makes inert."""
    principal = statement.get("Principal")
    everyone = principal == "*" or (
        isinstance(principal, dict) and "*" in _as_list(principal.get("AWS"))
    )
    return everyone and statement.get("Effect") == "Allow" and not statement.get("Condition")


def _policy_statements(bucket: Any) -> list[dict[str, Any]]:
    raw = getattr(bucket, "policy", None)
    if not raw:
        return []
    try:
        document = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
    except ValueError:
        return []
    statements = document.get("Statement", [])
    return [statements] if isinstance(statements, dict) else list(statements)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _statement_applies(
    st: dict[str, Any], principal: Principal, action: str, resource: str
) -> bool:
    if {"NotPrincipal", "NotAction", "NotResource"} & set(st):
        return False
    if not _principal_matches(st.get("Principal"), principal):
        return False
    if not any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in _as_list(st.get("Action"))):
        return False
    if not any(wildcard_match(r, resource) for r in _as_list(st.get("Resource"))):
        return False
    return _conditions_hold(st.get("Condition") or {}, principal)


def _principal_matches(spec: Any, principal: Principal) -> bool:
    if spec == "*":
        return True
    if not isinstance(spec, dict):
        return False
    if "*" in _as_list(spec.get("AWS")):
        return True
    if principal.kind == "oac":
        return SERVICE_PRINCIPAL in _as_list(spec.get("Service"))
    if principal.kind == "oai":
        arns = _as_list(spec.get("AWS"))
        if OAI_ARN.format(principal.oai_id) in arns:
            return True
        canonical = _as_list(spec.get("CanonicalUser"))
        return bool(principal.oai_canonical_user) and principal.oai_canonical_user in canonical
    return False


_CONDITION_OPERATORS = {
    "stringequals": lambda want, have: have in want,
    "arnequals": lambda want, have: have in want,
    "stringlike": lambda want, have: any(wildcard_match(w, have) for w in want),
    "arnlike": lambda want, have: any(wildcard_match(w, have) for w in want),
}


def _conditions_hold(conditions: dict[str, Any], principal: Principal) -> bool:
    context = {"aws:sourcearn": principal.source_arn, "aws:sourceaccount": principal.source_account}
    for operator, tests in conditions.items():
        name = operator.lower()
        if_exists = name.endswith("ifexists")
        check = _CONDITION_OPERATORS.get(name.removesuffix("ifexists"))
        if check is None or not isinstance(tests, dict):
            return False
        for key, want in tests.items():
            if key.lower() not in context:
                return False
            have = context[key.lower()]
            if not have:
                if if_exists:
                    continue
                return False
            if not check(_as_list(want), have):
                return False
    return True


def _acl_allows(acl: Any, principal: Principal, ignore_public: bool = False) -> bool:
    if acl is None:
        return False
    for grant in getattr(acl, "grants", []):
        if not {"READ", "FULL_CONTROL"} & set(grant.permissions):
            continue
        for grantee in grant.grantees:
            if getattr(grantee, "uri", "").endswith("/global/AllUsers"):
                if ignore_public:
                    continue
                return True
            if (
                principal.kind == "oai"
                and principal.oai_canonical_user
                and getattr(grantee, "id", "") == principal.oai_canonical_user
            ):
                return True
    return False
