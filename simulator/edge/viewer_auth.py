"""Viewer authorization: the signed URL or signed cookies of a request to a private behaviour.

`check(route, ...)` returns None when the request may go on to the origin, else CloudFront's
403. A behaviour is private when it trusts key groups or signers (CloudFront key pairs), or both
(a key of either is accepted). The URL's parameters win when both a signed URL and cookies
are present:

- no Key-Pair-Id: 403 `MissingKey`, "Missing Key-Pair-Id query parameter or cookie value";
- a Key-Pair-Id that is no public key of the behaviour's trusted key groups, nor an active key
  pair of its trusted signers: 403 `InvalidKey`, "Unknown Key";
- a Policy that is not CloudFront base64 of a JSON policy: 403 `MalformedPolicy`,
  "Malformed Policy";
- a signature that does not verify with that public key (RSA PKCS#1 v1.5 or ECDSA P-256, over
  SHA-1, or SHA-256 with ``Hash-Algorithm=SHA256`` / ``CloudFront-Hash-Algorithm``), an expired
  or not yet valid policy, a client IP outside ``AWS:SourceIp``, or a URL outside the policy's
  Resource: 403 `AccessDenied`, "Access denied".

The signed resource is the URL as the viewer sent it (scheme, the host it named, path, and the
query without the signing parameters), in the order sent: a canned policy is rebuilt from it.
`detail` says which check failed; CloudFront itself answers "Access denied" alike.

Departures from AWS:
- Trusted signers are checked against the key pairs made with `simulator.create_key_pair`
  (`simulator.key_pairs`); the two fixed key pair IDs a streaming distribution lists sign nothing.
- Only the first statement of a custom policy is read (CloudFront's policies have one).
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from .replies import (
    ACCESS_DENIED,
    MALFORMED_POLICY,
    MISSING_KEY,
    UNKNOWN_KEY,
    EdgeResponse,
    cf_error,
)

SIGNING_QUERY_PARAMS = ("Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm")
_CF_B64 = bytes.maketrans(b"-_~", b"+=/")


def check(
    route: Any,
    scheme: str,
    path: str,
    raw_query: str,
    cookies: Mapping[str, str],
    client_ip: str,
    now: datetime,
) -> EdgeResponse | None:
    """None when the route needs no signature or the request's signature is valid, else 403."""
    signers = getattr(route, "trusted_signers", [])
    if not route.trusted_key_groups and not signers:
        return None
    unsigned = "&".join(
        part
        for part in raw_query.split("&")
        if part and part.split("=", 1)[0] not in SIGNING_QUERY_PARAMS
    )
    resource_url = f"{scheme}://{route.domain}{path}" + (f"?{unsigned}" if unsigned else "")
    query = dict(parse_qsl(raw_query, keep_blank_values=True))
    from ..key_pairs import signer_accounts

    return check_signed_request(
        route.backend,
        route.trusted_key_groups,
        resource_url,
        query,
        cookies,
        client_ip,
        now,
        signers=signer_accounts(signers, route.account_id),
    )


def check_signed_request(
    backend: Any,
    group_ids: list[str],
    resource_url: str,
    query: Mapping[str, str],
    cookies: Mapping[str, str],
    client_ip: str,
    now: datetime,
    *,
    signers: list[str] | None = None,
) -> EdgeResponse | None:
    """None when the signed URL (or cookies) is valid for `resource_url`, else the 403; the key
    is looked up in the trusted key groups, then among the active CloudFront key pairs of the
    trusted signers' accounts (`signers`, account numbers)."""
    if any(name in query for name in SIGNING_QUERY_PARAMS):
        source = "URL"
        key_pair_id = query.get("Key-Pair-Id", "")
        policy_b64, expires = query.get("Policy"), query.get("Expires")
        signature_b64, hash_name = query.get("Signature"), query.get("Hash-Algorithm")
    else:
        source = "cookies"
        key_pair_id = cookies.get("CloudFront-Key-Pair-Id", "")
        policy_b64, expires = cookies.get("CloudFront-Policy"), cookies.get("CloudFront-Expires")
        signature_b64 = cookies.get("CloudFront-Signature")
        hash_name = cookies.get("CloudFront-Hash-Algorithm")

    if not key_pair_id:
        return cf_error(403, MISSING_KEY, f"no Key-Pair-Id in the {source}")
    public_key = _trusted_public_key(backend, group_ids, key_pair_id)
    if public_key is None and signers:
        from ..key_pairs import public_key_of

        public_key = public_key_of(signers, key_pair_id)
    if public_key is None:
        trusted = []
        if group_ids:
            trusted.append(f"none of the trusted key groups ({', '.join(group_ids)})")
        if signers:
            trusted.append(f"no active key pair of the trusted signers ({', '.join(signers)})")
        return cf_error(403, UNKNOWN_KEY, f"public key {key_pair_id} is in {' and '.join(trusted)}")
    if not signature_b64:
        return cf_error(403, ACCESS_DENIED, f"no Signature in the {source}")

    canned = policy_b64 is None
    if canned:
        if expires is None or not expires.strip().isdigit():
            return cf_error(403, ACCESS_DENIED, f"neither Policy nor Expires in the {source}")
        policy_text = (
            '{"Statement":[{"Resource":' + json.dumps(resource_url) + ',"Condition":'
            '{"DateLessThan":{"AWS:EpochTime":' + str(int(expires)) + "}}}]}"
        )
    else:
        try:
            policy_text = _cf_b64decode(policy_b64).decode("utf-8")
            statement = _parse_policy(policy_text)
        except ValueError as exc:
            return cf_error(403, MALFORMED_POLICY, f"the Policy cannot be read: {exc}")

    hash_algorithm = (hash_name or "SHA1").upper()
    if hash_algorithm not in ("SHA1", "SHA256"):
        return cf_error(403, ACCESS_DENIED, f"unknown hash algorithm {hash_name!r}")
    try:
        signature = _cf_b64decode(signature_b64)
    except ValueError:
        return cf_error(403, ACCESS_DENIED, "the Signature is not CloudFront base64")
    if not verify_signature(public_key, policy_text.encode("utf-8"), signature, hash_algorithm):
        return cf_error(
            403,
            ACCESS_DENIED,
            f"the signature does not verify with public key {key_pair_id} ({hash_algorithm}); "
            "the URL or policy was changed, or another private key signed it",
        )

    if canned:
        statement = {"Resource": resource_url, "Condition": {"DateLessThan": int(expires)}}
    return _check_conditions(statement, resource_url, client_ip, now)


def _trusted_public_key(backend: Any, group_ids: list[str], key_pair_id: str) -> str | None:
    """The PEM of `key_pair_id` if one of the trusted key groups holds it."""
    for group_id in group_ids:
        group = backend.key_groups.get(group_id)
        if group is not None and key_pair_id in group.items:
            key = backend.public_keys.get(key_pair_id)
            if key is not None:
                return key.encoded_key
    return None


def verify_signature(public_key_pem: str, message: bytes, signature: bytes, hash_name: str) -> bool:
    """Whether `signature` is the key's signature of `message` (RSA PKCS#1 v1.5 or ECDSA DER)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    digest = hashes.SHA256() if hash_name == "SHA256" else hashes.SHA1()
    try:
        key = serialization.load_pem_public_key(public_key_pem.encode())
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, message, padding.PKCS1v15(), digest)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, message, ec.ECDSA(digest))
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True


def _cf_b64decode(text: str) -> bytes:
    import base64

    return base64.b64decode(text.strip().encode("ascii").translate(_CF_B64), validate=True)


def _parse_policy(text: str) -> dict[str, Any]:
    """The one statement of a custom policy, with its condition values flattened."""
    try:
        document = json.loads(text)
        statement = document["Statement"][0]
        resource = statement.get("Resource", "*")
        condition = statement["Condition"]
        result: dict[str, Any] = {"Resource": resource, "Condition": {}}
        result["Condition"]["DateLessThan"] = int(condition["DateLessThan"]["AWS:EpochTime"])
        if "DateGreaterThan" in condition:
            result["Condition"]["DateGreaterThan"] = int(
                condition["DateGreaterThan"]["AWS:EpochTime"]
            )
        if "IpAddress" in condition:
            result["Condition"]["IpAddress"] = str(condition["IpAddress"]["AWS:SourceIp"])
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a CloudFront policy ({exc.__class__.__name__})") from None
    return result


def _check_conditions(
    statement: dict[str, Any], resource_url: str, client_ip: str, now: datetime
) -> EdgeResponse | None:
    condition = statement["Condition"]
    seconds = int(now.timestamp())
    expires = condition["DateLessThan"]
    if seconds >= expires:
        return cf_error(403, ACCESS_DENIED, f"expired at {_iso(expires)} (now {_iso(seconds)})")
    starts = condition.get("DateGreaterThan")
    if starts is not None and seconds < starts:
        return cf_error(403, ACCESS_DENIED, f"not valid before {_iso(starts)}")
    cidr = condition.get("IpAddress")
    if cidr:
        try:
            inside = ipaddress.ip_address(client_ip) in ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            inside = False
        if not inside:
            return cf_error(403, ACCESS_DENIED, f"client IP {client_ip} is not in {cidr}")
    if not wildcard_match(statement["Resource"], resource_url):
        return cf_error(
            403,
            ACCESS_DENIED,
            f"{resource_url} is outside the policy's Resource {statement['Resource']}",
        )
    return None


def wildcard_match(pattern: str, value: str) -> bool:
    """CloudFront's Resource matching: * is zero or more characters, ? exactly one."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, flags=re.DOTALL) is not None


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
