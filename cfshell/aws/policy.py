"""Bucket-policy statements for CloudFront origin grants: build, find, merge, remove.

Pure functions on the policy document (a dict as `json.loads` gives it): no boto3, no I/O, so the
OAI grant (`oai grant`) and the OAC grant (`oac grant`) share one tested merge.

A merge keeps every other statement as it was, is idempotent (a statement that already grants the
same access counts as present), and identifies cfshell's own statement by a stable Sid so that a
later grant replaces it and a revoke removes exactly it.
"""

from __future__ import annotations

import copy
import fnmatch
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

POLICY_VERSION = "2012-10-17"
GET_OBJECT = "s3:GetObject"
CLOUDFRONT_SERVICE = "cloudfront.amazonaws.com"
OAI_ARN_PREFIX = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity "

Statement = dict[str, Any]
Policy = dict[str, Any]


@dataclass(frozen=True)
class PolicyChange:
    """The outcome of a merge or a removal.

    `policy` is the document to write back, or None when no statement is left (delete the policy).
    `changed` is False when the document is already as asked, so nothing needs writing.
    """

    policy: Policy | None
    changed: bool
    statement: Statement


# -- building statements ----------------------------------------------------------------------


def oai_principal_arn(oai_id: str) -> str:
    return OAI_ARN_PREFIX + oai_id


def object_resource(bucket: str, prefix: str = "") -> str:
    """`arn:aws:s3:::BUCKET/*`, or `BUCKET/PREFIX*` for a prefix."""
    return f"arn:aws:s3:::{bucket}/{prefix}*"


def _sid(kind: str, ident: str, prefix: str) -> str:
    # Sids are kept to letters and digits (the strictest rule among AWS policy types); a prefix
    # becomes a short digest so each prefix has its own statement.
    clean = "".join(ch for ch in ident if ch.isalnum())
    suffix = hashlib.sha256(prefix.encode()).hexdigest()[:10] if prefix else ""
    return f"Cfshell{kind}{clean}{suffix}"


def oai_sid(oai_id: str, prefix: str = "") -> str:
    return _sid("Oai", oai_id, prefix)


def oai_statement(oai_id: str, bucket: str, prefix: str = "") -> Statement:
    """Allow the OAI to read the bucket's objects (or those under `prefix`)."""
    return {
        "Sid": oai_sid(oai_id, prefix),
        "Effect": "Allow",
        "Principal": {"AWS": oai_principal_arn(oai_id)},
        "Action": GET_OBJECT,
        "Resource": object_resource(bucket, prefix),
    }


def oac_sid(oac_id: str, prefix: str = "") -> str:
    return _sid("Oac", oac_id, prefix)


def oac_statement(
    oac_id: str, bucket: str, source_arns: Iterable[str], prefix: str = ""
) -> Statement:
    """Allow CloudFront to read the bucket's objects on behalf of the given distributions.

    AWS's documented OAC statement: the CloudFront service principal, limited by an
    `AWS:SourceArn` condition to the distributions (ARNs) that use the origin access control.
    """
    arns = sorted(set(source_arns))
    return {
        "Sid": oac_sid(oac_id, prefix),
        "Effect": "Allow",
        "Principal": {"Service": CLOUDFRONT_SERVICE},
        "Action": GET_OBJECT,
        "Resource": object_resource(bucket, prefix),
        "Condition": {"StringEquals": {"AWS:SourceArn": arns[0] if len(arns) == 1 else arns}},
    }


# -- reading documents ------------------------------------------------------------------------


def parse(text: str | None) -> Policy | None:
    """The policy document from `get_bucket_policy`'s text (None or empty: no policy)."""
    if not text:
        return None
    return json.loads(text)


def dump(policy: Policy) -> str:
    return json.dumps(policy, separators=(",", ":"))


def statements(policy: Policy | None) -> list[Statement]:
    if not policy:
        return []
    found = policy.get("Statement", [])
    # A single statement may be written as an object rather than a list.
    return [found] if isinstance(found, dict) else list(found)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def principal_is_oai(principal: Any, oai_id: str, canonical_user_id: str | None = None) -> bool:
    """True if `principal` names this OAI and nobody else.

    Accepts both forms AWS uses: the OAI's IAM ARN under "AWS", and its S3 canonical user id under
    "CanonicalUser" (older reads normalise the ARN to that).
    """
    if not isinstance(principal, dict):
        return False
    names: list[tuple[str, str]] = [
        (kind, value) for kind, values in principal.items() for value in _as_list(values)
    ]
    if not names:
        return False
    for kind, value in names:
        if kind == "AWS" and value == oai_principal_arn(oai_id):
            continue
        if kind == "CanonicalUser" and canonical_user_id and value == canonical_user_id:
            continue
        return False
    return True


def _principal_includes_oai(principal: Any, oai_id: str, canonical_user_id: str | None) -> bool:
    if principal == "*" or principal == {"AWS": "*"}:
        return True
    if not isinstance(principal, dict):
        return False
    if oai_principal_arn(oai_id) in _as_list(principal.get("AWS")):
        return True
    return bool(canonical_user_id) and canonical_user_id in _as_list(principal.get("CanonicalUser"))


def _allows_get_object(statement: Statement) -> bool:
    actions = _as_list(statement.get("Action"))
    return any(fnmatch.fnmatchcase(GET_OBJECT.lower(), a.lower()) for a in actions)


def _covers_resource(statement: Statement, resource: str) -> bool:
    # A broader pattern covers a narrower one: `bucket/*` covers `bucket/videos/*`.
    return any(fnmatch.fnmatchcase(resource, r) for r in _as_list(statement.get("Resource")))


def grants_oai(
    statement: Statement, oai_id: str, bucket: str, prefix: str = "", canonical_user_id: str = ""
) -> bool:
    """True if `statement` alone already lets the OAI read every object under `prefix`."""
    return (
        statement.get("Effect") == "Allow"
        and "Condition" not in statement
        and "NotPrincipal" not in statement
        and "NotAction" not in statement
        and "NotResource" not in statement
        and _principal_includes_oai(statement.get("Principal"), oai_id, canonical_user_id or None)
        and _allows_get_object(statement)
        and _covers_resource(statement, object_resource(bucket, prefix))
    )


def is_oai_statement(
    statement: Statement, oai_id: str, bucket: str, prefix: str = "", canonical_user_id: str = ""
) -> bool:
    """True if `statement` is the OAI grant cfshell writes: its Sid, or exactly its shape.

    The shape test finds the statement again after AWS rewrote its principal, or when it was
    written by another tool, without touching statements that grant more than that.
    """
    if statement.get("Sid") == oai_sid(oai_id, prefix):
        return True
    return (
        statement.get("Effect") == "Allow"
        and set(statement) <= {"Sid", "Effect", "Principal", "Action", "Resource"}
        and principal_is_oai(statement.get("Principal"), oai_id, canonical_user_id or None)
        and [a.lower() for a in _as_list(statement.get("Action"))] == [GET_OBJECT.lower()]
        and _as_list(statement.get("Resource")) == [object_resource(bucket, prefix)]
    )


def names_oai(statement: Statement, oai_id: str, canonical_user_id: str = "") -> bool:
    """True if the statement's principal names the OAI (its ARN, or its canonical user),
    alone or among others; a wildcard principal names nobody in particular."""
    principal = statement.get("Principal")
    if not isinstance(principal, dict):
        return False
    if oai_principal_arn(oai_id) in _as_list(principal.get("AWS")):
        return True
    return bool(canonical_user_id) and canonical_user_id in _as_list(principal.get("CanonicalUser"))


def names_only_oai(statement: Statement, oai_id: str, canonical_user_id: str = "") -> bool:
    """True if the OAI is the statement's one principal: without the OAI it grants nothing."""
    return principal_is_oai(statement.get("Principal"), oai_id, canonical_user_id or None)


def names_oac(statement: Statement, oac_id: str) -> bool:
    """True for the statement `oac grant` writes for the OAC (its Sid, for any prefix): the
    OAC's own, naming its distributions and no other principal."""
    sid, base = str(statement.get("Sid", "")), oac_sid(oac_id)
    rest = sid[len(base) :] if sid.startswith(base) else None
    return rest is not None and (rest == "" or (len(rest) == 10 and _is_hex(rest)))


def _is_hex(text: str) -> bool:
    return all(ch in "0123456789abcdef" for ch in text)


def label(statement: Statement, index: int) -> str:
    """How to name a statement: its Sid, else its place in the policy (`#2`)."""
    return str(statement.get("Sid") or f"#{index + 1}")


# -- merging ----------------------------------------------------------------------------------


def merge(
    policy: Policy | None,
    statement: Statement,
    already_granted: Callable[[Statement], bool] | None = None,
) -> PolicyChange:
    """Add `statement` to `policy`, keeping every other statement.

    Unchanged when a statement equal to it, or one `already_granted` accepts, is present. A
    statement with the same Sid but other content is replaced (a grant brought up to date).
    """
    document = copy.deepcopy(policy) if policy else {"Version": POLICY_VERSION}
    current = statements(document)
    sid = statement.get("Sid")
    for existing in current:
        if existing == statement or (already_granted and already_granted(existing)):
            return PolicyChange(policy, False, existing)
    kept = [s for s in current if not (sid and s.get("Sid") == sid)]
    document.setdefault("Version", POLICY_VERSION)
    document["Statement"] = [*kept, statement]
    return PolicyChange(document, True, statement)


def remove(policy: Policy | None, matches: Callable[[Statement], bool]) -> PolicyChange:
    """Drop the statements `matches` accepts; None as policy when none is left."""
    current = statements(policy)
    gone = [s for s in current if matches(s)]
    if not gone:
        return PolicyChange(policy, False, {})
    kept = [s for s in current if not matches(s)]
    if not kept:
        return PolicyChange(None, True, gone[0])
    document = copy.deepcopy(policy) or {}
    document["Statement"] = kept
    return PolicyChange(document, True, gone[0])


def merge_oai(
    policy: Policy | None, oai_id: str, bucket: str, prefix: str = "", canonical_user_id: str = ""
) -> PolicyChange:
    """`policy` with the OAI's read grant merged in (see `merge`)."""
    return merge(
        policy,
        oai_statement(oai_id, bucket, prefix),
        lambda s: grants_oai(s, oai_id, bucket, prefix, canonical_user_id),
    )


def remove_oai(
    policy: Policy | None, oai_id: str, bucket: str, prefix: str = "", canonical_user_id: str = ""
) -> PolicyChange:
    """`policy` without the OAI's read grant (see `is_oai_statement`)."""
    return remove(policy, lambda s: is_oai_statement(s, oai_id, bucket, prefix, canonical_user_id))


def merge_oac(
    policy: Policy | None, oac_id: str, bucket: str, source_arns: Iterable[str], prefix: str = ""
) -> PolicyChange:
    """`policy` with the OAC statement for these distributions merged in.

    Equality is on the whole statement, so a new list of distributions replaces the old one
    under the same Sid; the caller passes every distribution that uses the OAC.
    """
    wanted = oac_statement(oac_id, bucket, source_arns, prefix)
    return merge(policy, wanted, lambda s: _same_oac(s, wanted))


def _same_oac(statement: Statement, wanted: Statement) -> bool:
    # AWS may read a one-element list back as a string, or reorder: compare the sets.
    def arns(s: Statement) -> set[str]:
        return set(_as_list(s.get("Condition", {}).get("StringEquals", {}).get("AWS:SourceArn")))

    return (
        statement.get("Sid") == wanted["Sid"]
        and {k: v for k, v in statement.items() if k != "Condition"}
        == {k: v for k, v in wanted.items() if k != "Condition"}
        and arns(statement) == arns(wanted)
    )


def remove_oac(policy: Policy | None, oac_id: str, prefix: str = "") -> PolicyChange:
    return remove(policy, lambda s: s.get("Sid") == oac_sid(oac_id, prefix))
