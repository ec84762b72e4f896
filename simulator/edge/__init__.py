"""CloudFront's edge: what a viewer gets for a GET on a distribution's domain name.

`viewer_request(...)` (or `get(url, ...)`) answers in-process; `wsgi_app` answers the same for
the served simulator, where the launcher routes a request whose `Host` is a `*.cloudfront.net`
name here. Each returns what CloudFront would: the object (200), or an error with CloudFront's
(or S3's, passed through) status, code and message. `EdgeResponse.detail` says which check
failed, in the simulator's words: CloudFront itself does not tell (it answers "Access denied"
for an expired URL, a bad signature, a wrong IP alike), so `detail` is never part of the body.

The steps, in CloudFront's order:

1. The distribution, by domain name (`d111111abcdef8.cloudfront.net`), alias (CNAME) or ID.
   None, or a disabled one: 403 with CloudFront's "Bad request" page.
2. The cache behaviour whose path pattern matches (``*`` and ``?`` wildcards), else the
   default one. HTTP on `redirect-to-https`: 301 to the https URL; on `https-only`: 403.
3. If the behaviour trusts key groups, a signed URL or signed cookies (the URL's parameters win
   when both are present):
   - no Key-Pair-Id: 403 `MissingKey`, "Missing Key-Pair-Id query parameter or cookie value";
   - a Key-Pair-Id that is no public key of the trusted key groups: 403 `InvalidKey`,
     "Unknown Key";
   - a Policy that is not CloudFront base64 of a JSON policy: 403 `MalformedPolicy`,
     "Malformed Policy";
   - a signature that does not verify with that public key (RSA PKCS#1 v1.5 or ECDSA P-256,
     over SHA-1, or SHA-256 with ``Hash-Algorithm=SHA256`` / ``CloudFront-Hash-Algorithm``),
     an expired or not yet valid policy, a client IP outside ``AWS:SourceIp``, or a URL outside
     the policy's Resource: 403 `AccessDenied`, "Access denied".
4. The origin: an S3 bucket (``BUCKET.s3[.-REGION].amazonaws.com``), the object key being the
   origin path plus the URL path (the default root object for ``/``). CloudFront asks S3 as the
   origin's principal and passes S3's answer on:
   - origin access control (signing "always" or "no-override"): the service principal
     ``cloudfront.amazonaws.com`` with ``AWS:SourceArn`` = the distribution's ARN;
   - origin access identity: its IAM ARN or canonical user in the bucket policy, or a READ /
     FULL_CONTROL grant to its canonical user in the object's ACL;
   - neither (or OAC signing "never"): an anonymous request.
   S3 allows GetObject when a bucket-policy statement allows it and none denies it, or when the
   object ACL grants it (to the OAI, or to everyone). Refused: 403 `AccessDenied`, "Access
   Denied" (S3's spelling). A missing object is 404 `NoSuchKey` when the principal may
   s3:ListBucket, else 403, as S3 answers.

Departures from AWS:
- Bucket policies are evaluated for what this workflow writes: Effect, Principal (``*``, AWS,
  Service, CanonicalUser), Action and Resource with wildcards, and conditions StringEquals,
  StringLike, ArnEquals, ArnLike (and their IfExists forms) on AWS:SourceArn and
  AWS:SourceAccount. A statement with NotPrincipal/NotAction/NotResource, or a condition on
  another key or with another operator, is ignored, Allow and Deny alike. S3 Block Public
  Access, Object Ownership and KMS are not consulted.
- Only S3 origins are fetched; another origin is 502 with the simulator's own message.
- The "Bad request" page for an unknown or disabled distribution is CloudFront's text for a
  request it cannot route; AWS's DNS would not resolve an unknown *.cloudfront.net name at all.
- Served, the scheme is taken from ``X-Forwarded-Proto``, else https: the served simulator
  plays an HTTPS edge reached over plain HTTP on loopback, so that URLs signed for
  ``https://d....cloudfront.net`` verify there.
- No caching, no geo restriction, no functions, no custom error responses, no range requests;
  methods other than GET and HEAD are 403 (as for a behaviour allowing only GET and HEAD).
"""

from __future__ import annotations

import fnmatch
import ipaddress
import json
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from moto.cloudfront.models import cloudfront_backends

from ..keys import cache_behaviors, trusted_key_group_ids

DEFAULT_ACCOUNT_ID = "123456789012"

MISSING_KEY = ("MissingKey", "Missing Key-Pair-Id query parameter or cookie value")
UNKNOWN_KEY = ("InvalidKey", "Unknown Key")
MALFORMED_POLICY = ("MalformedPolicy", "Malformed Policy")
ACCESS_DENIED = ("AccessDenied", "Access denied")
S3_ACCESS_DENIED = ("AccessDenied", "Access Denied")
S3_NO_SUCH_KEY = ("NoSuchKey", "The specified key does not exist.")
S3_NO_SUCH_BUCKET = ("NoSuchBucket", "The specified bucket does not exist")

BAD_REQUEST_PAGE = (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" '
    '"http://www.w3.org/TR/html4/loose.dtd">\n'
    '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">\n'
    "<TITLE>ERROR: The request could not be satisfied</TITLE>\n</HEAD><BODY>\n"
    '<H1>403 ERROR</H1>\n<H2>The request could not be satisfied.</H2>\n<HR noshade size="1px">\n'
    "Bad request.\nWe can't connect to the server for this app or website at this time. "
    "There might be too much traffic or a configuration error. Try again later, or contact "
    "the app or website owner.\n</BODY></HTML>\n"
)

SIGNING_QUERY_PARAMS = ("Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm")
SERVICE_PRINCIPAL = "cloudfront.amazonaws.com"
OAI_PREFIX = "origin-access-identity/cloudfront/"
OAI_ARN = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {}"
_S3_DOMAIN = re.compile(
    r"^(?P<bucket>[a-z0-9][a-z0-9.\-]*?)\.s3(?:[.-](?P<region>[a-z0-9-]+))?\.amazonaws\.com$"
)
_CF_B64 = bytes.maketrans(b"-_~", b"+=/")


@dataclass
class EdgeResponse:
    """What the viewer gets. `code`/`reason` are the error's Code and Message ('' / 'OK' on
    success); `detail` is the simulator's explanation, never sent to a viewer."""

    status: int
    reason: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    code: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200


# -- entry points -------------------------------------------------------------------------------


def get(
    url: str,
    *,
    cookies: Mapping[str, str] | None = None,
    client_ip: str = "127.0.0.1",
    account_id: str = DEFAULT_ACCOUNT_ID,
    method: str = "GET",
    now: datetime | None = None,
) -> EdgeResponse:
    """`sim get URL`: the viewer request for a full URL (http or https)."""
    parts = urlsplit(url)
    return viewer_request(
        parts.netloc,
        parts.path or "/",
        parts.query,
        cookies or {},
        client_ip,
        account_id,
        scheme=parts.scheme or "https",
        method=method,
        now=now,
    )


def viewer_request(
    host_or_distribution: str,
    path: str,
    query: str | Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    cookies: Mapping[str, str] | None = None,
    client_ip: str = "127.0.0.1",
    account_id: str = DEFAULT_ACCOUNT_ID,
    *,
    scheme: str = "https",
    method: str = "GET",
    now: datetime | None = None,
) -> EdgeResponse:
    """A viewer's request to a distribution, checked and answered as CloudFront's edge does.

    `host_or_distribution` is the Host (domain name or alias, a port is ignored) or the
    distribution ID; `path` the URL path as sent (percent-encoded); `query` the raw query string
    (order kept, needed to verify a canned policy) or pairs; `cookies` the Cookie header's pairs.
    """
    now = now or datetime.now(UTC)
    raw_query = _raw_query(query)
    host = host_or_distribution.split(":", 1)[0].lower()
    dist = find_distribution(host, account_id)
    if dist is None or not _enabled(dist):
        detail = "no distribution has this domain name" if dist is None else "disabled"
        return _bad_request(detail)
    config = dist.distribution_config
    behavior = match_cache_behavior(config, path)
    domain = host if "." in host else dist.domain_name

    protocol = _get(behavior, "viewer_protocol_policy", "ViewerProtocolPolicy") or "allow-all"
    if scheme == "http" and protocol == "redirect-to-https":
        location = f"https://{domain}{path}" + (f"?{raw_query}" if raw_query else "")
        return EdgeResponse(
            301, "Moved Permanently", _cf_headers({"Location": location}), code="", detail=""
        )
    if scheme == "http" and protocol == "https-only":
        return _bad_request("the cache behaviour is https-only")
    if method not in ("GET", "HEAD"):
        return _bad_request(f"{method} is not allowed by the cache behaviour")

    group_ids = trusted_key_group_ids(behavior)
    if group_ids:
        pairs = parse_qsl(raw_query, keep_blank_values=True)
        unsigned = "&".join(
            part
            for part in raw_query.split("&")
            if part and part.split("=", 1)[0] not in SIGNING_QUERY_PARAMS
        )
        resource_url = f"{scheme}://{domain}{path}" + (f"?{unsigned}" if unsigned else "")
        refusal = check_signed_request(
            dist, group_ids, resource_url, dict(pairs), cookies or {}, client_ip, now
        )
        if refusal is not None:
            return refusal

    response = fetch_from_origin(dist, config, behavior, path)
    if method == "HEAD":
        response.body = b""
    return response


def wsgi_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """The served edge: a WSGI app for requests whose Host is a distribution's domain name."""
    from http.cookies import SimpleCookie

    cookies: dict[str, str] = {}
    if environ.get("HTTP_COOKIE"):
        jar = SimpleCookie()
        try:
            jar.load(environ["HTTP_COOKIE"])
        except Exception:  # noqa: BLE001 - a malformed Cookie header counts as no cookies
            jar = SimpleCookie()
        cookies = {name: morsel.value for name, morsel in jar.items()}
    forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
    client_ip = forwarded.split(",")[0].strip() or environ.get("REMOTE_ADDR", "127.0.0.1")
    path = quote(environ.get("PATH_INFO", "/").encode("latin-1"), safe="/%;:@&=+$,!~*'()")
    response = viewer_request(
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
        path or "/",
        environ.get("QUERY_STRING", ""),
        cookies,
        client_ip,
        scheme=environ.get("HTTP_X_FORWARDED_PROTO", "https"),
        method=environ.get("REQUEST_METHOD", "GET"),
    )
    headers = dict(response.headers)
    headers["Content-Length"] = str(len(response.body))
    start_response(f"{response.status} {_status_text(response.status)}", list(headers.items()))
    return [response.body]


def is_edge_host(host: str, account_id: str | None = None) -> bool:
    """Whether `host` (a port is ignored) names a distribution: its domain name or an alias."""
    return find_distribution(host.split(":", 1)[0].lower(), account_id) is not None


# -- the distribution and its cache behaviour ---------------------------------------------------


def _backends(account_id: str | None) -> Iterable[Any]:
    """The CloudFront backends to search: the given account's first, then every other."""
    seen = set()
    if account_id:
        backend = cloudfront_backends[account_id]["aws"]
        seen.add(id(backend))
        yield backend
    for _, _, backend in cloudfront_backends.iter_backends():
        if id(backend) not in seen:
            seen.add(id(backend))
            yield backend


def find_distribution(host: str, account_id: str | None = DEFAULT_ACCOUNT_ID) -> Any | None:
    """The web distribution whose domain name, alias or ID is `host` (case-insensitive)."""
    host = host.lower().rstrip(".")
    for backend in _backends(account_id):
        for dist in backend.distributions.values():
            if dist.domain_name.lower() == host or dist.distribution_id.lower() == host:
                return dist
            aliases = _get(dist.distribution_config, "Aliases", "Aliases") or {}
            if host in {a.lower() for a in aliases.get("Items") or []}:
                return dist
    return None


def _enabled(dist: Any) -> bool:
    enabled = _get(dist.distribution_config, "Enabled", "Enabled")
    return enabled is None or enabled is True or str(enabled).lower() == "true"


def match_cache_behavior(config: Any, path: str) -> Any:
    """The first cache behaviour whose PathPattern matches `path`, else the default one."""
    behaviors = cache_behaviors(config)
    for behavior in behaviors[1:]:
        pattern = _get(behavior, "path_pattern", "PathPattern") or ""
        if pattern and _path_matches(pattern, path):
            return behavior
    return behaviors[0]


def _path_matches(pattern: str, path: str) -> bool:
    # CloudFront patterns: * and ? only, case-sensitive; a leading / is optional.
    regex = "".join(
        ".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern.lstrip("/")
    )
    return re.fullmatch(regex, unquote(path).lstrip("/"), flags=re.DOTALL) is not None


# -- signed URLs and cookies --------------------------------------------------------------------


def check_signed_request(
    dist: Any,
    group_ids: list[str],
    resource_url: str,
    query: Mapping[str, str],
    cookies: Mapping[str, str],
    client_ip: str,
    now: datetime,
) -> EdgeResponse | None:
    """None when the signed URL (or cookies) is valid for this request, else the 403."""
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
        return _cf_error(403, MISSING_KEY, f"no Key-Pair-Id in the {source}")
    backend = _backend_of(dist)
    public_key = _trusted_public_key(backend, group_ids, key_pair_id)
    if public_key is None:
        return _cf_error(
            403,
            UNKNOWN_KEY,
            f"public key {key_pair_id} is in none of the trusted key groups "
            f"({', '.join(group_ids)})",
        )
    if not signature_b64:
        return _cf_error(403, ACCESS_DENIED, f"no Signature in the {source}")

    canned = policy_b64 is None
    if canned:
        if expires is None or not expires.strip().isdigit():
            return _cf_error(403, ACCESS_DENIED, f"neither Policy nor Expires in the {source}")
        policy_text = (
            '{"Statement":[{"Resource":' + json.dumps(resource_url) + ',"Condition":'
            '{"DateLessThan":{"AWS:EpochTime":' + str(int(expires)) + "}}}]}"
        )
    else:
        try:
            policy_text = _cf_b64decode(policy_b64).decode("utf-8")
            statement = _parse_policy(policy_text)
        except ValueError as exc:
            return _cf_error(403, MALFORMED_POLICY, f"the Policy cannot be read: {exc}")

    hash_algorithm = (hash_name or "SHA1").upper()
    if hash_algorithm not in ("SHA1", "SHA256"):
        return _cf_error(403, ACCESS_DENIED, f"unknown hash algorithm {hash_name!r}")
    try:
        signature = _cf_b64decode(signature_b64)
    except ValueError:
        return _cf_error(403, ACCESS_DENIED, "the Signature is not CloudFront base64")
    if not verify_signature(public_key, policy_text.encode("utf-8"), signature, hash_algorithm):
        return _cf_error(
            403,
            ACCESS_DENIED,
            f"the signature does not verify with public key {key_pair_id} ({hash_algorithm}); "
            "the URL or policy was changed, or another private key signed it",
        )

    if canned:
        statement = {"Resource": resource_url, "Condition": {"DateLessThan": int(expires)}}
    return _check_conditions(statement, resource_url, client_ip, now)


def _backend_of(dist: Any) -> Any:
    for backend in _backends(None):
        if dist.distribution_id in backend.distributions:
            return backend
    raise LookupError(dist.distribution_id)


def _trusted_public_key(backend: Any, group_ids: list[str], key_pair_id: str) -> str | None:
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
        return _cf_error(403, ACCESS_DENIED, f"expired at {_iso(expires)} (now {_iso(seconds)})")
    starts = condition.get("DateGreaterThan")
    if starts is not None and seconds < starts:
        return _cf_error(403, ACCESS_DENIED, f"not valid before {_iso(starts)}")
    cidr = condition.get("IpAddress")
    if cidr:
        try:
            inside = ipaddress.ip_address(client_ip) in ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            inside = False
        if not inside:
            return _cf_error(403, ACCESS_DENIED, f"client IP {client_ip} is not in {cidr}")
    if not wildcard_match(statement["Resource"], resource_url):
        return _cf_error(
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


# -- the origin ---------------------------------------------------------------------------------


@dataclass
class Principal:
    """Who CloudFront is, to S3, when it fetches from this origin."""

    kind: str  # "oac" | "oai" | "anonymous"
    source_arn: str = ""
    source_account: str = ""
    oai_id: str = ""
    oai_canonical_user: str = ""


def fetch_from_origin(dist: Any, config: Any, behavior: Any, path: str) -> EdgeResponse:
    target = _get(behavior, "target_origin_id", "TargetOriginId")
    origins = (_get(config, "Origins", "Origins") or {}).get("Items") or []
    origin = next((o for o in origins if _get(o, "id", "Id") == target), None)
    if origin is None:
        return _simulator_error(502, f"no origin {target} in the distribution")
    domain = (_get(origin, "domain_name", "DomainName") or "").lower()
    match = _S3_DOMAIN.match(domain)
    if match is None:
        return _simulator_error(502, f"origin {domain} is not an S3 bucket (not simulated)")
    bucket_name = match.group("bucket")
    key = unquote(path).lstrip("/")
    if not key:
        key = (_get(config, "DefaultRootObject", "DefaultRootObject") or "").lstrip("/")
    origin_path = (_get(origin, "origin_path", "OriginPath") or "").strip("/")
    if origin_path:
        key = f"{origin_path}/{key}"
    principal = origin_principal(dist, origin)

    from moto.s3.exceptions import MissingBucket
    from moto.s3.models import s3_backends

    account_id = dist.arn.split(":")[4]
    s3 = s3_backends[account_id]["aws"]
    try:
        bucket = s3.get_bucket(bucket_name)
    except MissingBucket:
        bucket = None
    if bucket is None:
        return _s3_error(404, S3_NO_SUCH_BUCKET, f"no bucket {bucket_name}")
    obj = s3.get_object(bucket_name, key) if key else None
    if obj is None:
        if allowed(bucket, None, principal, "s3:ListBucket", f"arn:aws:s3:::{bucket_name}"):
            return _s3_error(404, S3_NO_SUCH_KEY, f"no object {key!r} in {bucket_name}")
        return _s3_error(
            403,
            S3_ACCESS_DENIED,
            f"no object {key!r} in {bucket_name}, and the {principal.kind} principal may not "
            "s3:ListBucket, so S3 answers 403",
        )
    if not allowed(bucket, obj, principal, "s3:GetObject", f"arn:aws:s3:::{bucket_name}/{key}"):
        return _s3_error(403, S3_ACCESS_DENIED, _grant_hint(principal, bucket_name))
    body = obj.value
    headers = _cf_headers(
        {
            "Content-Type": obj.metadata.get("content-type") or "binary/octet-stream",
            "ETag": obj.etag,
            "Last-Modified": obj.last_modified_RFC1123,
            "X-Cache": "Miss from cloudfront",
        }
    )
    return EdgeResponse(200, "OK", headers, body, detail=f"s3://{bucket_name}/{key}")


def origin_principal(dist: Any, origin: Any) -> Principal:
    account_id = dist.arn.split(":")[4]
    control_id = _get(origin, "origin_access_control_id", "OriginAccessControlId") or ""
    if control_id:
        backend = _backend_of(dist)
        control = backend.origin_access_controls.get(control_id)
        if control is not None and (control.signing_behavior or "always") != "never":
            return Principal("oac", source_arn=dist.arn, source_account=account_id)
        return Principal("anonymous")
    identity = _get(origin, "s3_access_identity", "S3OriginConfig") or ""
    if isinstance(identity, dict):
        identity = identity.get("OriginAccessIdentity") or ""
    if identity:
        oai_id = identity.rsplit("/", 1)[-1]
        return Principal(
            "oai", oai_id=oai_id, oai_canonical_user=_oai_canonical_user(account_id, oai_id)
        )
    return Principal("anonymous")


def _oai_canonical_user(account_id: str, oai_id: str) -> str:
    try:
        from ..models import get_backend
    except ImportError:  # pragma: no cover - the OAI part is another module of the simulator
        return ""
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


# -- S3 permission evaluation -------------------------------------------------------------------


def allowed(bucket: Any, obj: Any, principal: Principal, action: str, resource: str) -> bool:
    """S3's decision for `principal` doing `action` on `resource`: explicit deny wins, then an
    Allow in the bucket policy, then (for objects) an ACL grant."""
    statements = _policy_statements(bucket)
    decisions = [
        st.get("Effect") for st in statements if _statement_applies(st, principal, action, resource)
    ]
    if "Deny" in decisions:
        return False
    if "Allow" in decisions:
        return True
    if obj is not None and action == "s3:GetObject":
        return _acl_allows(getattr(obj, "acl", None), principal)
    if obj is None and action == "s3:ListBucket":
        return _acl_allows(getattr(bucket, "acl", None), principal)
    return False


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


def _acl_allows(acl: Any, principal: Principal) -> bool:
    if acl is None:
        return False
    for grant in getattr(acl, "grants", []):
        if not {"READ", "FULL_CONTROL"} & set(grant.permissions):
            continue
        for grantee in grant.grantees:
            if getattr(grantee, "uri", "").endswith("/global/AllUsers"):
                return True
            if (
                principal.kind == "oai"
                and principal.oai_canonical_user
                and getattr(grantee, "id", "") == principal.oai_canonical_user
            ):
                return True
    return False


# -- responses ----------------------------------------------------------------------------------


def _cf_headers(extra: dict[str, str] | None = None) -> dict[str, str]:
    headers = {
        "Server": "CloudFront",
        "Via": "1.1 simulator.cloudfront.net (CloudFront)",
        "X-Amz-Cf-Pop": "SIM50-C1",
        "X-Amz-Cf-Id": secrets.token_urlsafe(42)[:56],
    }
    headers.update(extra or {})
    return headers


def _cf_error(status: int, error: tuple[str, str], detail: str) -> EdgeResponse:
    code, message = error
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    ).encode()
    headers = _cf_headers({"Content-Type": "text/xml", "X-Cache": "Error from cloudfront"})
    return EdgeResponse(status, message, headers, body, code=code, detail=detail)


def _s3_error(status: int, error: tuple[str, str], detail: str) -> EdgeResponse:
    code, message = error
    request_id = secrets.token_hex(8).upper()
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        f"<RequestId>{request_id}</RequestId><HostId>{secrets.token_urlsafe(48)}</HostId></Error>"
    ).encode()
    headers = _cf_headers({"Content-Type": "application/xml", "X-Cache": "Error from cloudfront"})
    return EdgeResponse(status, message, headers, body, code=code, detail=detail)


def _bad_request(detail: str) -> EdgeResponse:
    headers = _cf_headers({"Content-Type": "text/html", "X-Cache": "Error from cloudfront"})
    return EdgeResponse(
        403, "Bad request", headers, BAD_REQUEST_PAGE.encode(), code="", detail=detail
    )


def _simulator_error(status: int, detail: str) -> EdgeResponse:
    body = f"{detail}\n".encode()
    headers = _cf_headers({"Content-Type": "text/plain", "X-Cache": "Error from cloudfront"})
    return EdgeResponse(status, "Bad Gateway", headers, body, detail=detail)


def _status_text(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


# -- small helpers --------------------------------------------------------------------------------


def _get(obj: Any, attr: str, key: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(key)
    value = getattr(obj, attr, None)
    if value is None and attr != key:
        value = getattr(obj, key, None)
    return value


def _raw_query(query: Any) -> str:
    if query is None:
        return ""
    if isinstance(query, str):
        return query.lstrip("?")
    from urllib.parse import urlencode

    pairs = query.items() if isinstance(query, Mapping) else query
    return urlencode(list(pairs), safe="~")
