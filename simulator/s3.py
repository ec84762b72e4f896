"""S3 access control lists as AWS applies them, where moto 5.2 is more lenient.

moto's S3 routes every request to `moto.s3.responses.S3Response` (its url module is reloaded on
each request, so a url path of our own would not stay): `install()` replaces a few of that
class's methods, checking first that each still exists, so that an upgrade of moto breaks here.

Corrections:
- ListBuckets names the owner by the account's canonical user ID, the one every ACL of the
  account names (moto answered a 32-digit ID of its own, `bcaf1ffd...`, found nowhere else).
- PutObjectAcl with an `AccessControlPolicy` body applies it, like header grants (moto ignored
  the body and reset the object's ACL to the bucket's).
- GetObjectAcl and GetBucketAcl show every grantee of every permission (moto showed the first
  grantee and the first permission of each grant, so `x-amz-grant-read: id="a", id="b"` read
  back as one grant).
- With the ownership control `BucketOwnerEnforced` (ACLs disabled): PutObjectAcl and
  PutBucketAcl fail with `AccessControlListNotSupported` (400); PutObject, CopyObject and
  CreateMultipartUpload fail the same way unless they give no ACL or only full control to the
  bucket owner; reading an ACL shows the bucket owner's full control only.
- New buckets are made as S3 has made them since April 2023 (moto: ACLs enabled, no public
  access block): Object Ownership `BucketOwnerEnforced` unless CreateBucket names another
  (`x-amz-object-ownership`: `ObjectWriter` or `BucketOwnerPreferred` take ACLs), and all four
  Block Public Access settings on. Sources: the S3 User Guide, "Default settings for new S3
  buckets FAQ" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/create-bucket-faq.html);
  the CreateBucket API reference (x-amz-object-ownership, default BucketOwnerEnforced); AWS
  What's New, 13 December 2022, "Amazon S3 will automatically enable S3 Block Public Access and
  disable access control lists for all new buckets starting in April 2023".
- CreateBucket with an ACL granting anyone but the owner, on a bucket whose ACLs are disabled,
  is `InvalidBucketAclWithObjectOwnership` (400), as S3 answers.
- With `BlockPublicPolicy` on, PutBucketPolicy with a public policy is `AccessDenied` (403),
  "... because public policies are blocked by the BlockPublicPolicy block public access
  setting." Public, as the S3 User Guide's "The meaning of 'public'" and the
  PublicAccessBlockConfiguration API reference define it: an Allow statement for any
  principal (`*`, `{"AWS": "*"}`, or NotPrincipal) unless a condition fixes aws:SourceIp,
  aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount, aws:userid
  or s3:x-amz-server-side-encryption-aws-kms-key-id to values without wildcards. A policy for
  CloudFront (an OAI, or the service principal with AWS:SourceArn) is not public.

Departures from AWS that remain:
- Of the Block Public Access settings only BlockPublicPolicy is applied: public ACLs are not
  refused (BlockPublicAcls) nor ignored (IgnorePublicAcls), and a public policy does not
  restrict access (RestrictPublicBuckets). "Bad actions" are not told apart: any action granted
  to anyone counts. Account-level Block Public Access is not modelled.
- The canned ACL `private` counts as bucket-owner full control when ACLs are disabled: in the
  simulator the writer always is the bucket owner, so both give the same grants.
- Grantee canonical user ids and e-mail addresses are not checked (AWS answers `InvalidArgument`
  for an unknown id); an `emailAddress=` header grant is stored as moto stores it.
- `InvalidBucketAclWithObjectOwnership` when PutBucketOwnershipControls sets
  `BucketOwnerEnforced` on a bucket whose ACL grants others is not modelled.
"""

from __future__ import annotations

import json
import re
from typing import Any

from moto.core.responses import ActionResult

from .exceptions import (
    AccessControlListNotSupported,
    InvalidBucketAclWithObjectOwnership,
    PublicPolicyBlocked,
)

ENFORCED = "BucketOwnerEnforced"
# Condition keys that, fixed to values without wildcards, make a policy non-public.
_FIXING_KEYS = {
    "aws:sourceip",
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "aws:userid",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
}
_originals: dict[str, Any] = {}


def _acls_disabled(response: Any) -> bool:
    bucket = response.backend.get_bucket(response.bucket_name)
    return getattr(bucket, "ownership_rule", None) == ENFORCED


def _owner_full_control_only(headers: Any) -> bool:
    """True when a PUT gives no ACL, or only full control to the bucket owner (AWS's rule)."""
    from moto.s3.models import OWNER

    canned = headers.get("x-amz-acl")
    grants = {
        name.lower(): value
        for name, value in headers.items()
        if name.lower().startswith("x-amz-grant-")
    }
    if canned:
        return canned in ("bucket-owner-full-control", "private") and not grants
    if not grants:
        return True
    if set(grants) != {"x-amz-grant-full-control"}:
        return False
    grantees = re.findall(r'([^=,\s]+)="?([^",]+)"?', grants["x-amz-grant-full-control"])
    return all(kind.lower() == "id" and value == OWNER for kind, value in grantees)


def _refuse_acl_on_put(response: Any) -> None:
    if _acls_disabled(response) and not _owner_full_control_only(response.headers):
        raise AccessControlListNotSupported()


# --- the methods that replace S3Response's (self is an S3Response) ---


def put_object_acl(self: Any) -> Any:
    if _acls_disabled(self):
        raise AccessControlListNotSupported()
    acl = self._acl_from_headers(self.headers)
    if acl is None and self.body:
        acl = self._acl_from_body()
    if acl is None:  # moto's answer to a request with neither: the bucket's ACL
        acl = self.backend.get_bucket(self.bucket_name).acl
    self.backend.put_object_acl(self.bucket_name, self.parse_key_name(), acl)
    response_headers = self._get_cors_headers_other()
    self._get_checksum(response_headers)
    return 200, response_headers, ""


def put_object(self: Any) -> Any:
    _refuse_acl_on_put(self)
    return _originals["put_object"](self)


def copy_object(self: Any) -> Any:
    _refuse_acl_on_put(self)
    return _originals["copy_object"](self)


def _key_response_post(
    self: Any, request: Any, body: bytes, bucket_name: str, query: dict[str, Any], key_name: str
) -> Any:
    if body == b"" and "uploads" in query:  # CreateMultipartUpload
        _refuse_acl_on_put(self)
    return _originals["_key_response_post"](self, request, body, bucket_name, query, key_name)


def _bucket_response_put(
    self: Any, request: Any, bucket_name: str, querystring: dict[str, Any]
) -> Any:
    if "acl" in querystring and _acls_disabled(self):  # PutBucketAcl
        raise AccessControlListNotSupported()
    if "policy" in querystring and _public_policy_blocked(self, bucket_name):
        error = PublicPolicyBlocked(
            user=f"arn:aws:iam::{self.get_current_account()}:root",
            resource=f"arn:aws:s3:::{bucket_name}",
        )
        _, headers, body = self.serialized(ActionResult(error))
        return 403, headers, body  # botocore's S3 model has no AccessDenied shape (moto: 400)
    new = not querystring and bucket_name not in self.backend.buckets  # CreateBucket
    if new:
        ownership = request.headers.get("x-amz-object-ownership") or ENFORCED
        if ownership == ENFORCED and not _owner_full_control_only(request.headers):
            raise InvalidBucketAclWithObjectOwnership()
    answer = _originals["_bucket_response_put"](self, request, bucket_name, querystring)
    if new and bucket_name in self.backend.buckets:
        new_bucket_defaults(self.backend.buckets[bucket_name], request.headers)
    return answer


def new_bucket_defaults(bucket: Any, headers: Any) -> None:
    """What S3 sets on a new bucket (see the module doc): ACLs disabled unless CreateBucket
    names another Object Ownership, and every Block Public Access setting on."""
    from moto.s3.models import PublicAccessBlock

    bucket.ownership_rule = headers.get("x-amz-object-ownership") or ENFORCED
    bucket.public_access_block = PublicAccessBlock(True, True, True, True)


def _public_policy_blocked(response: Any, bucket_name: str) -> bool:
    bucket = response.backend.get_bucket(bucket_name)
    block = getattr(bucket, "public_access_block", None)
    if block is None or not block.block_public_policy:
        return False
    try:
        policy = json.loads(response.body)
    except (ValueError, TypeError):
        return False  # moto's own answer to a malformed policy
    return is_public_policy(policy)


def is_public_policy(policy: Any) -> bool:
    """True when a statement allows any principal without a fixing condition (module doc)."""
    statements = policy.get("Statement") if isinstance(policy, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    return any(_public_statement(s) for s in statements or [] if isinstance(s, dict))


def _public_statement(statement: dict[str, Any]) -> bool:
    if statement.get("Effect") != "Allow":
        return False
    if "NotPrincipal" not in statement and not _any_principal(statement.get("Principal")):
        return False
    return not _fixing_condition(statement.get("Condition"))


def _any_principal(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        values = principal.get("AWS", [])
        values = values if isinstance(values, list) else [values]
        return any("*" in str(v) for v in values)
    return False


def _fixing_condition(condition: Any) -> bool:
    if not isinstance(condition, dict):
        return False
    for operator, tests in condition.items():
        if not isinstance(tests, dict) or operator.startswith(("StringNot", "NotIp", "ArnNot")):
            continue
        for key, values in tests.items():
            values = values if isinstance(values, list) else [values]
            if key.lower() in _FIXING_KEYS and values and not any("*" in str(v) for v in values):
                if key.lower() != "aws:sourceip" or operator == "IpAddress":
                    return True
    return False


def _acl_to_dict(self: Any, acl: Any) -> dict[str, Any]:
    """GetObjectAcl / GetBucketAcl body: one grant per grantee and permission."""
    from moto.s3.models import OWNER, get_canned_acl

    if _acls_disabled(self):
        acl = get_canned_acl("private")
    grants = [
        {
            "Grantee": {
                "Type": grantee.type,
                "URI": grantee.uri or None,
                "ID": grantee.id or None,
                "DisplayName": grantee.display_name or None,
            },
            "Permission": permission,
        }
        for grant in (acl.grants if acl is not None else [])
        for grantee in grant.grantees
        for permission in grant.permissions
    ]
    return {"Owner": {"ID": OWNER, "DisplayName": "webfile"}, "Grants": grants}


def all_buckets(self: Any) -> Any:
    """ListBuckets, as moto's, with the owner every ACL of the account names."""
    from moto.s3.models import OWNER

    self.data["Action"] = "ListAllMyBuckets"
    self._authenticate_and_authorize_s3_action()
    found = self.backend.list_buckets(
        prefix=self._get_param("prefix"),
        bucket_region=self._get_param("bucket-region"),
        max_buckets=self._get_param("max-buckets"),
    )
    buckets = [{"Name": b.name, "CreationDate": b.creation_date_ISO8601} for b in found]
    self.data["Action"] = "ListBuckets"
    owner = {"ID": OWNER, "DisplayName": "webfile"}
    return self.serialized(ActionResult({"Owner": owner, "Buckets": buckets}))


_REPLACEMENTS = {
    "all_buckets": all_buckets,
    "put_object_acl": put_object_acl,
    "put_object": put_object,
    "copy_object": copy_object,
    "_key_response_post": _key_response_post,
    "_bucket_response_put": _bucket_response_put,
    "_acl_to_dict": _acl_to_dict,
}


def install() -> None:
    """Replace S3Response's ACL methods (idempotent)."""
    from moto.s3.responses import S3Response

    if _originals:
        return
    missing = [name for name in _REPLACEMENTS if not hasattr(S3Response, name)]
    if missing:
        raise RuntimeError(f"moto's S3Response lacks {missing}: simulator.s3 needs updating")
    for name, replacement in _REPLACEMENTS.items():
        _originals[name] = getattr(S3Response, name)
        setattr(S3Response, name, replacement)
