"""CloudFront signed URLs and signed cookies, as the CloudFront Developer Guide documents them.

A *canned* policy is used when only an expiry is given; a *custom* policy when a start time, an
IP range, a resource pattern other than the URL itself, or a URL holding ``*`` is given. Custom
policies are byte for byte botocore's ``CloudFrontSigner.build_policy`` text. The policy JSON has no
whitespace; it is signed with the private key of a public key in a trusted key group, and both
the policy (custom only) and the signature travel in CloudFront's URL-safe base64
(``+`` -> ``-``, ``=`` -> ``_``, ``/`` -> ``~``).

- Signed URL query parameters: ``Expires``, ``Signature``, ``Key-Pair-Id`` (canned) or
  ``Policy``, ``Signature``, ``Key-Pair-Id`` (custom), then ``Hash-Algorithm=SHA256`` when the
  signature was made over SHA-256 (CloudFront assumes SHA-1 when it is absent).
- Signed cookies: ``CloudFront-Expires`` (canned only) or ``CloudFront-Policy`` (custom),
  ``CloudFront-Signature``, ``CloudFront-Key-Pair-Id``, and ``CloudFront-Hash-Algorithm=SHA256``.
- Keys: RSA 2048 (PKCS#1 v1.5) and ECDSA P-256 (DER-encoded signature, as ``openssl dgst -sign``
  makes it). RSA with SHA-1 goes through botocore's ``CloudFrontSigner``, as aws-cli's
  ``cloudfront sign`` does; the other combinations build the same URL with the matching signer.

Typical use::

    key = load_private_key("cf-key.pem")          # key.too_open -> warn, as ssh does
    signer = Signer(key, "K2JCJMDEHXQW5F", hash_algorithm="sha256")
    url = signer.sign_url("https://d111.cloudfront.net/v/a.m3u8", expires=parse_time("1h"))
    urls = signer.sign_urls(many_urls, expires=parse_time("1h"))     # fast path, canned policy
    cookies = signer.sign_cookies("https://d111.cloudfront.net/v/*", expires=..., starts=...)

Nothing here prints or reads input; errors are ``SigningError`` (a one-line ``UsageError``).
Private key material is never part of a repr, a message or a return value.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring_ascii
from typing import Any

from cfshell import durations
from cfshell.errors import UsageError

SHA1 = "sha1"
SHA256 = "sha256"
HASH_ALGORITHMS = (SHA1, SHA256)

# CloudFront's URL-safe base64: standard alphabet with three substitutions.
_B64_TO_CF = bytes.maketrans(b"+=/", b"-_~")
_CF_TO_B64 = bytes.maketrans(b"-_~", b"+=/")

SIGNING_QUERY_PARAMS = ("Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm")
SIGNING_COOKIES = (
    "CloudFront-Expires",
    "CloudFront-Policy",
    "CloudFront-Signature",
    "CloudFront-Key-Pair-Id",
    "CloudFront-Hash-Algorithm",
)


class SigningError(UsageError):
    """A signing input is wrong (bad time, key file, CIDR...); the message says which."""


_UNSUPPORTED_KEY = (
    "CloudFront signs with RSA 2048 or ECDSA P-256 keys only: use such a key "
    "(`key generate NAME` makes one)"
)


# -- encoding and policies ------------------------------------------------------------------


def cf_b64encode(data: bytes) -> str:
    """Base64 with CloudFront's substitutions (+ -> -, = -> _, / -> ~)."""
    return base64.b64encode(data).translate(_B64_TO_CF).decode("ascii")


def cf_b64decode(text: str) -> bytes:
    """Inverse of `cf_b64encode`; raises ValueError on text that is not such base64."""
    return base64.b64decode(text.encode("ascii").translate(_CF_TO_B64), validate=True)


def epoch(moment: datetime) -> int:
    """Whole seconds since the epoch; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def canned_policy(resource: str, expires: datetime | int) -> str:
    """The canned policy CloudFront reconstructs from a URL and its Expires value.

    Key order and the absence of whitespace matter: CloudFront verifies the signature over
    exactly this text.
    """
    seconds = expires if isinstance(expires, int) else epoch(expires)
    return (
        '{"Statement":[{"Resource":' + json.dumps(resource) + ',"Condition":'
        '{"DateLessThan":{"AWS:EpochTime":' + str(seconds) + "}}}]}"
    )


def custom_policy(
    resource: str,
    expires: datetime | int,
    starts: datetime | int | None = None,
    ip_range: str | None = None,
) -> str:
    """A custom policy, byte for byte what botocore's `CloudFrontSigner.build_policy` (and so
    `aws cloudfront sign`) makes: JSON without whitespace, conditions in the order
    DateLessThan, IpAddress, DateGreaterThan.

    `resource` may hold ``*`` (zero or more characters) and ``?`` (one character) wildcards.
    `ip_range` is an IPv4 or IPv6 address or CIDR; a bare address means that address only
    (/32, or /128 for IPv6 where botocore would write a wrong /32).
    """
    condition: dict[str, Any] = {
        "DateLessThan": {"AWS:EpochTime": expires if isinstance(expires, int) else epoch(expires)}
    }
    if ip_range:
        condition["IpAddress"] = {"AWS:SourceIp": normalize_cidr(ip_range)}
    if starts is not None:
        condition["DateGreaterThan"] = {
            "AWS:EpochTime": starts if isinstance(starts, int) else epoch(starts)
        }
    statement = {"Resource": resource, "Condition": condition}
    return json.dumps({"Statement": [statement]}, separators=(",", ":"))


def normalize_cidr(value: str) -> str:
    """`203.0.113.7` -> `203.0.113.7/32`; a CIDR is kept (host bits must be zero)."""
    try:
        network = ipaddress.ip_network(value.strip(), strict=True)
    except ValueError:
        raise SigningError(
            f"{value!r} is not an IP address or CIDR range: give one such as 203.0.113.0/24"
        ) from None
    return str(network)


# -- times ------------------------------------------------------------------------------------


def parse_duration(text: str) -> timedelta:
    """`90m`, `2h`, `2 hours`, `1d`, `1h30m`, `PT2H` (cfshell.durations); SigningError if not."""
    try:
        return durations.parse_duration(text)
    except durations.DurationError as exc:
        raise SigningError(str(exc)) from None


def parse_time(text: str, *, now: datetime | None = None) -> datetime:
    """A duration from now (`2h`, `+2h`, `-1h`), an ISO-8601 time or epoch seconds, as an aware
    UTC datetime (cfshell.durations.parse_time); SigningError if it is none of these."""
    try:
        return durations.parse_time(text, now=now)
    except durations.DurationError as exc:
        raise SigningError(str(exc)) from None


def check_window(
    expires: datetime, starts: datetime | None = None, *, now: datetime | None = None
) -> None:
    """Refuse what would sign something no viewer can use: an expiry already past, or a start
    not before the expiry. The message shows the times (UTC). AWS itself signs nothing, so it
    never refuses these; CloudFront answers such a URL with 403."""
    now = now or datetime.now(UTC)
    show = durations.format_time
    if expires <= now:
        raise SigningError(
            f"the expiry {show(expires)} is in the past (now {show(now)}): "
            "give a later --expires, such as 2h or an ISO time to come"
        )
    if starts is not None and starts >= expires:
        raise SigningError(
            f"the start {show(starts)} is not before the expiry {show(expires)}: "
            "give --starts before --expires"
        )


# -- keys ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrivateKey:
    """A loaded private key. `too_open` is ssh's check: readable or writable by group/others.

    The key object itself is kept out of the repr so that it cannot end up in output.
    """

    key: Any = field(repr=False)
    algorithm: str  # "rsa2048" | "ecdsa-p256" (or "rsa<bits>" for another RSA size)
    path: str | None = None
    mode: int | None = None

    @property
    def too_open(self) -> bool:
        return self.mode is not None and bool(self.mode & 0o077)

    def permission_warning(self) -> str | None:
        """ssh's wording, for the command to print; None when the file is private enough."""
        if not self.too_open:
            return None
        return (
            f"WARNING: UNPROTECTED PRIVATE KEY FILE! Permissions {self.mode:04o} for "
            f"'{self.path}' are too open: run chmod 600 '{self.path}'."
        )

    def public_key_pem(self) -> str:
        from cryptography.hazmat.primitives import serialization

        return (
            self.key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode("ascii")
        )


def key_algorithm(key: Any) -> str:
    """'rsa2048', 'ecdsa-p256' for the keys CloudFront accepts; raises SigningError otherwise."""
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return f"rsa{key.key_size}"
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        if isinstance(key.curve, ec.SECP256R1):
            return "ecdsa-p256"
        raise SigningError(
            f"CloudFront accepts ECDSA keys on curve P-256 only, not {key.curve.name}: "
            "use a P-256 or RSA 2048 key (`key generate NAME` makes one)"
        )
    raise SigningError(_UNSUPPORTED_KEY)


def private_key_from_pem(
    data: bytes, *, path: str | None = None, mode: int | None = None
) -> PrivateKey:
    from cryptography.hazmat.primitives import serialization

    where = f" in {path}" if path else ""
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise SigningError(f"the private key{where} is encrypted: decrypt it first") from None
    except ValueError:
        raise SigningError(
            f"no PEM private key{where}: give the file that `key generate` wrote"
        ) from None
    return PrivateKey(key=key, algorithm=key_algorithm(key), path=path, mode=mode)


def load_private_key(path: str | os.PathLike[str]) -> PrivateKey:
    """Read a PEM private key file (PKCS#1, PKCS#8 or SEC1, unencrypted).

    The result's `too_open` / `permission_warning()` tell whether group or others can read it.
    """
    name = os.fspath(path)
    try:
        with open(os.path.expanduser(name), "rb") as handle:
            mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
            data = handle.read()
    except FileNotFoundError:
        raise SigningError(f"no private key file {name}: check the path") from None
    except OSError as exc:
        raise SigningError(
            f"cannot read the private key file {name} ({exc.strerror}): check its permissions"
        ) from None
    return private_key_from_pem(data, path=name, mode=mode)


def message_signer(key: PrivateKey | Any, hash_algorithm: str = SHA1) -> Any:
    """A callable(bytes) -> signature bytes for `key`, in the form CloudFront verifies.

    This is the "small signer function" botocore's `CloudFrontSigner` takes.
    """
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    raw = key.key if isinstance(key, PrivateKey) else key
    if hash_algorithm not in HASH_ALGORITHMS:
        raise SigningError(f"unknown hash {hash_algorithm!r}: use sha1 or sha256")
    digest = hashes.SHA256() if hash_algorithm == SHA256 else hashes.SHA1()
    if isinstance(raw, rsa.RSAPrivateKey):
        pkcs1 = padding.PKCS1v15()
        sign = raw.sign

        def rsa_signer(message: bytes) -> bytes:
            return sign(message, pkcs1, digest)

        return rsa_signer
    if isinstance(raw, ec.EllipticCurvePrivateKey):
        ecdsa = ec.ECDSA(digest)
        sign = raw.sign

        def ecdsa_signer(message: bytes) -> bytes:
            return sign(message, ecdsa)

        return ecdsa_signer
    raise SigningError(_UNSUPPORTED_KEY)


# -- the signer ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedCookies:
    """The cookies of one signed-cookie grant, in the order CloudFront documents them."""

    cookies: dict[str, str]
    domain: str | None = None
    path: str = "/"

    def set_cookie_headers(self) -> list[str]:
        """One `Set-Cookie:` value per cookie (Secure; HttpOnly, no Expires: a session cookie)."""
        attrs = (f"; Domain={self.domain}" if self.domain else "") + f"; Path={self.path}"
        return [f"{name}={value}{attrs}; Secure; HttpOnly" for name, value in self.cookies.items()]

    def cookie_header(self) -> str:
        """The `Cookie:` request header value, e.g. for `curl -b`."""
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


class Signer:
    """Signs URLs and cookies for one key pair id with one private key.

    Build it once (the key is loaded once) and call `sign_url` / `sign_urls` / `sign_cookies`.
    """

    def __init__(
        self, private_key: PrivateKey | Any, key_pair_id: str, hash_algorithm: str = SHA1
    ) -> None:
        if not key_pair_id:
            raise SigningError(
                "a key pair ID (the public key's ID) is needed to sign: give --key-pair-id ID"
            )
        self.key_pair_id = key_pair_id
        self.hash_algorithm = hash_algorithm.lower()
        self._sign = message_signer(private_key, self.hash_algorithm)
        # Appended after Key-Pair-Id, as in the Developer Guide's example.
        self._hash_param = "&Hash-Algorithm=SHA256" if self.hash_algorithm == SHA256 else ""
        from botocore.signers import CloudFrontSigner

        # botocore builds the URL and the policies; our signer function picks key type and hash.
        self._botocore = CloudFrontSigner(key_pair_id, self._sign)

    def __repr__(self) -> str:
        return f"Signer(key_pair_id={self.key_pair_id!r}, hash={self.hash_algorithm!r})"

    @staticmethod
    def is_canned(
        url: str, starts: Any = None, ip_range: str | None = None, resource: str | None = None
    ) -> bool:
        """A canned policy covers exactly one URL: a wildcard needs a custom policy (a canned
        one would cover the literal text `.../hls/*` and open nothing)."""
        return (
            starts is None
            and not ip_range
            and (resource is None or resource == url)
            and "*" not in url
        )

    def policy_for(
        self,
        url: str,
        expires: datetime,
        starts: datetime | None = None,
        ip_range: str | None = None,
        resource: str | None = None,
    ) -> str:
        """The policy text that would be signed for these options (canned or custom)."""
        if self.is_canned(url, starts, ip_range, resource):
            return canned_policy(url, expires)
        return custom_policy(resource or url, expires, starts, ip_range)

    def sign_url(
        self,
        url: str,
        *,
        expires: datetime,
        starts: datetime | None = None,
        ip_range: str | None = None,
        resource: str | None = None,
    ) -> str:
        """The signed URL: canned policy when only `expires` is given, custom otherwise."""
        _check_url(url)
        _check_resource(resource)
        if self.is_canned(url, starts, ip_range, resource):
            signed = self._botocore.generate_presigned_url(url, date_less_than=expires)
        else:
            policy = custom_policy(resource or url, expires, starts, ip_range)
            signed = self._botocore.generate_presigned_url(url, policy=policy)
        return signed + self._hash_param

    def sign_urls(self, urls: Iterable[str], *, expires: datetime) -> Iterator[str]:
        """Fast path for many URLs with a canned policy (`sign url --from-file`).

        Same output as `sign_url` for each URL; the expiry, the query suffix and the signer are
        computed once, so the time per URL is the signature plus a few string operations.
        Blank lines are skipped; surrounding whitespace is dropped.
        """
        seconds = str(epoch(expires))
        head = '{"Statement":[{"Resource":'
        tail = ',"Condition":{"DateLessThan":{"AWS:EpochTime":' + seconds + "}}}]}"
        suffix = "&Key-Pair-Id=" + self.key_pair_id + self._hash_param
        expires_param = "Expires=" + seconds + "&Signature="
        sign = self._sign
        # The C helpers behind json.dumps(str) and base64.b64encode, without their wrappers.
        quote_json = encode_basestring_ascii
        b64 = binascii.b2a_base64
        checked = ""  # scheme and host of the last URL checked (a file's URLs share them)
        for line in urls:
            url = line.strip()
            if not url:
                continue
            if "*" in url:  # a pattern: custom policy, the slow path
                yield self.sign_url(url, expires=expires)
                continue
            if not checked or not url.startswith(checked) or "#" in url:
                _check_url(url)
                slash = url.find("/", url.find("://") + 3)
                checked = url[: slash + 1] if slash > 0 else ""
            signature = sign((head + quote_json(url) + tail).encode())
            encoded = b64(signature, newline=False).translate(_B64_TO_CF).decode("ascii")
            yield url + ("&" if "?" in url else "?") + expires_param + encoded + suffix

    def sign_cookies(
        self,
        url: str,
        *,
        expires: datetime,
        starts: datetime | None = None,
        ip_range: str | None = None,
        resource: str | None = None,
    ) -> SignedCookies:
        """Signed cookies; canned (CloudFront-Expires) when only `expires` is given.

        A canned cookie is valid for exactly `url`; for a directory or a whole site, give a
        `resource` pattern such as ``https://d111.cloudfront.net/videos/*`` (custom policy).
        A `url` holding ``*`` is such a pattern itself.
        """
        _check_url(url)
        _check_resource(resource)
        from urllib.parse import urlsplit

        cookies: dict[str, str] = {}
        if self.is_canned(url, starts, ip_range, resource):
            policy = canned_policy(url, expires)
            cookies["CloudFront-Expires"] = str(epoch(expires))
        else:
            policy = custom_policy(resource or url, expires, starts, ip_range)
            cookies["CloudFront-Policy"] = cf_b64encode(policy.encode())
        cookies["CloudFront-Signature"] = cf_b64encode(self._sign(policy.encode()))
        cookies["CloudFront-Key-Pair-Id"] = self.key_pair_id
        if self.hash_algorithm == SHA256:
            cookies["CloudFront-Hash-Algorithm"] = "SHA256"
        return SignedCookies(cookies=cookies, domain=urlsplit(url).hostname)


def _check_url(url: str) -> None:
    if not url.startswith(("https://", "http://")):
        raise SigningError(f"{url!r} is not an http(s) URL: give the full URL to sign")
    if "#" in url:
        raise SigningError("a URL to sign cannot hold a #fragment: remove it")
    _check_host(url)


def _check_resource(resource: str | None) -> None:
    if resource is None:
        return
    # `videos/*` would sign a policy that matches no request, and nothing would say so.
    if "://" not in resource:
        raise SigningError(
            f"{resource!r} is not a URL pattern: give a path such as '/videos/*' (on the "
            "selected distribution's domain) or a URL such as 'https://d111.cloudfront.net/videos/*'"
        )
    _check_host(resource)


def placeholder_host(url: str) -> str | None:
    """`DOMAIN` in `https://DOMAIN/videos/*`: an upper-case single label, as documentation
    writes a placeholder; no real host is written so (CloudFront's are d....cloudfront.net)."""
    from urllib.parse import urlsplit

    host = urlsplit(url).netloc.rpartition("@")[2].split(":")[0]
    if host and "." not in host and host.upper() == host and any(c.isalpha() for c in host):
        return host
    return None


def _check_host(url: str) -> None:
    host = placeholder_host(url)
    if host:
        raise SigningError(
            f"{url!r} has the placeholder {host} for a host: give a path such as '/videos/*' "
            "(on the selected distribution's domain) or the distribution's real domain"
        )
