"""Signed URLs and cookies are bearer tokens: find them in text and say what they grant.

Transcripts never hold one (design.md section 5). A signed URL is written as a placeholder
that says what it grants, which is also what `--check` compares::

    <signed URL https://d111.cloudfront.net/videos/intro.mp4 canned policy, key K2JCJMDEHXQW5F,
     expires PT1H after the command>

and a cookie's bearer value likewise (`CloudFront-Policy=<policy ...>`,
`CloudFront-Signature=<signature>`, `CloudFront-Expires=<expires PT1H after the command>`).
Lifetimes are written as ISO-8601 durations, counted from the command's start in whole seconds
(the signer truncates Expires to a whole second too).

`find_urls`/`find_cookies` give the tokens in the order they appear, for binding them to
`$signedurl1` / `$cookie1` references. Stdlib only; a signature is checked only through the
`verify(key_id, message, signature, hash_algorithm) -> bool` a caller passes in.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

Verify = Callable[[str, bytes, bytes, str], bool]

_URL = re.compile(r"https?://[^\s'\"<>]+[?&]Signature=[^\s'\"<>]+")
_COOKIE = re.compile(
    r"(?<![A-Za-z0-9_-])(CloudFront-(?:Policy|Signature|Expires))=(?!<)([^\s;'\"<>]+)"
)
_SIGNING_START = re.compile(r"[?&](?:Expires|Policy)=")


def iso_duration(seconds: float) -> str:
    """Whole seconds as ISO 8601: 3600 -> PT1H, 5400 -> PT1H30M, 86400 -> P1D, -5 -> -PT5S."""
    total = int(seconds)
    sign, total = ("-", -total) if total < 0 else ("", total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"P{days}D" if days else "P"
    time = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    time += f"{secs}S" if secs or (not time and not days) else ""
    return sign + text + (f"T{time}" if time else "")


def _b64(text: str) -> bytes:
    return base64.b64decode(text.translate(str.maketrans("-_~", "+=/")).encode(), validate=True)


@dataclass(frozen=True)
class Grant:
    """What one signed URL or cookie policy grants."""

    resource: str
    expires: int | None
    starts: int | None = None
    ip: str | None = None
    canned: bool = True

    def describe(self, since: float | None) -> str:
        def after(moment: int) -> str:
            if since is None:
                return f"at {moment}"
            return f"{iso_duration(moment - math.floor(since))} after the command"

        parts = ["canned policy" if self.canned else f"custom policy for {self.resource}"]
        if self.starts is not None:
            parts.append(f"valid from {after(self.starts)}")
        if self.ip:
            parts.append(f"from {self.ip}")
        if self.expires is not None:
            parts.append(f"expires {after(self.expires)}")
        return ", ".join(parts)


def _policy_grant(policy: str) -> Grant | None:
    try:
        statement = json.loads(policy)["Statement"][0]
        condition = statement.get("Condition", {})
        return Grant(
            resource=str(statement.get("Resource", "")),
            expires=_epoch(condition.get("DateLessThan")),
            starts=_epoch(condition.get("DateGreaterThan")),
            ip=(condition.get("IpAddress") or {}).get("AWS:SourceIp"),
            canned=False,
        )
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None


def _epoch(value: object) -> int | None:
    if isinstance(value, dict) and "AWS:EpochTime" in value:
        return int(value["AWS:EpochTime"])
    return None


def describe_url(url: str, since: float | None, verify: Verify | None = None) -> str:
    """The placeholder of one signed URL (see module doc); with `verify`, a URL whose signature
    does not verify says so."""
    params = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    # The signer appends its parameters to the URL as given: what precedes them was signed.
    cut = _SIGNING_START.search(url)
    bare = url[: cut.start()] if cut else url
    key_id = params.get("Key-Pair-Id", "?")
    hash_algorithm = "sha256" if params.get("Hash-Algorithm", "").upper() == "SHA256" else "sha1"
    grant: Grant | None
    if "Policy" in params:
        try:
            policy = _b64(params["Policy"]).decode()
        except (ValueError, UnicodeDecodeError):
            policy = ""
        grant = _policy_grant(policy)
    else:
        expires = params.get("Expires", "")
        grant = Grant(bare, int(expires)) if expires.isdigit() else None
        policy = (
            '{"Statement":[{"Resource":' + json.dumps(bare) + ',"Condition":'
            '{"DateLessThan":{"AWS:EpochTime":' + expires + "}}}]}"
        )
    what = grant.describe(since) if grant else "unreadable policy"
    text = f"<signed URL {bare} {what}, key {key_id}"
    if hash_algorithm == "sha256":
        text += ", SHA-256"
    if verify is not None and not _verifies(verify, key_id, policy, params, hash_algorithm):
        text += ", signature does not verify"
    return text + ">"


def _verifies(
    verify: Verify, key_id: str, policy: str, params: dict[str, str], hash_algorithm: str
) -> bool:
    try:
        signature = _b64(params.get("Signature", ""))
    except ValueError:
        return False
    return bool(policy) and verify(key_id, policy.encode(), signature, hash_algorithm)


def describe_cookie(name: str, value: str, since: float | None) -> str:
    """`NAME=<placeholder>` for one bearer cookie."""
    if name == "CloudFront-Signature":
        return f"{name}=<signature>"
    if name == "CloudFront-Expires":
        if value.isdigit():
            return f"{name}=<expires {Grant('', int(value)).describe(since).split('expires ')[1]}>"
        return f"{name}=<expires ?>"
    try:
        grant = _policy_grant(_b64(value).decode())
    except (ValueError, UnicodeDecodeError):
        grant = None
    return f"{name}=<policy {grant.describe(since) if grant else 'unreadable'}>"


def describe(text: str, since: float | None, verify: Verify | None = None) -> str:
    """`text` with every signed URL and bearer cookie value replaced by its placeholder."""
    if "Signature=" not in text and "CloudFront-" not in text:
        return text
    text = _URL.sub(lambda m: describe_url(m.group(0), since, verify), text)
    return _COOKIE.sub(lambda m: describe_cookie(m.group(1), m.group(2), since), text)


def find_urls(text: str) -> list[str]:
    return _URL.findall(text) if "Signature=" in text else []


def find_cookies(text: str) -> list[str]:
    """Each bearer cookie as `NAME=VALUE`, in order, without repeats."""
    found: list[str] = []
    for match in _COOKIE.finditer(text):
        pair = f"{match.group(1)}={match.group(2)}"
        if pair not in found:
            found.append(pair)
    return found
