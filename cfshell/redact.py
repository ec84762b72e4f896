"""Secrets out of what cfshell keeps: transcripts and persistent history use `scrub`.

Secrets are AWS keys, session tokens, private keys, and the bearer parts of CloudFront signed
URLs and cookies (`Signature`, `Policy`, `CloudFront-Signature`, `CloudFront-Policy` values):
whoever holds those may fetch what they grant. Transcripts describe a signed URL by what it
grants before this filter runs (cfshell.transcript); this is the net under everything else.

Stdlib only and small, because the history filter loads with every interactive session.
"""

from __future__ import annotations

import re

REDACTED = "[REDACTED]"
_B64 = "A-Za-z0-9+/"
_SECRET_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # PEM private keys (RSA, EC, PKCS#8, OpenSSH, encrypted), to their END line or to the end.
    (
        re.compile(
            r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----.*?(?:-----END \1PRIVATE KEY-----|\Z)",
            re.S,
        ),
        r"-----BEGIN \1PRIVATE KEY----- " + REDACTED + r" -----END \1PRIVATE KEY-----",
    ),
    # The base64 body of a private key pasted without its PEM lines: DER of a SEQUENCE that
    # starts with a version INTEGER (public keys start with a nested SEQUENCE instead).
    (
        re.compile(
            rf"(?<![{_B64}])(?:MII[{_B64}]{{3}}IBA[AD]|MIG[{_B64}]AgE[AB]|MH[{_B64}]CAQ[AE]"
            rf"|MC[{_B64}]CAQAw|b3BlbnNzaC1rZXktdjE)[{_B64}=]*"
            rf"(?:(?:\r?\n|\\n)[ \t]*[{_B64}=]{{4,}})*"
        ),
        REDACTED,
    ),
    # Labelled secrets: flags, environment variables, config files, JSON from STS.
    (
        re.compile(
            r"(?i)((?:aws_)?secret_access_key|secretaccesskey|secret[-_ ]access[-_ ]key"
            r"|secret[-_ ]?key|seckey|(?:aws_)?session_token|session[-_ ]?token"
            r"|security[-_ ]?token|password|passwd)"
            r"(\"?'?\s*[:=]\s*\"?'?|\s+)"
            r"(?!\[REDACTED\])([^\s\"',}]+)"
        ),
        r"\1\2" + REDACTED,
    ),
    # Bearer parts of signed URLs and cookies (query parameters, cookies, Set-Cookie lines).
    (
        re.compile(
            r"(?<![A-Za-z0-9_])((?:CloudFront-)?(?:Signature|Policy))=(?!\[REDACTED\])"
            r"[^\s&;'\"<>]+"
        ),
        r"\1=" + REDACTED,
    ),
    # Access key IDs (long-term AKIA, temporary ASIA, and the other IAM key prefixes).
    (re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"), REDACTED),
    # Session tokens: long base64 runs (they contain + or /), or their known openings; also
    # right after `=`, as in `export AWS_SESSION_TOKEN=...` or `X=...`.
    (
        re.compile(
            rf"(?<![{_B64}])(?=[{_B64}]*[+/]|IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)"
            rf"[{_B64}]{{100,}}={{0,2}}(?![{_B64}=])"
        ),
        REDACTED,
    ),
]
# A bare secret access key: 40 base64 characters mixing upper case, lower case and digits
# (hex digests are lower case only; CloudFront IDs and ETags are upper case only).
_SECRET_KEY = re.compile(rf"(?<![{_B64}=])[{_B64}]{{40}}(?![{_B64}=])")


def _looks_like_secret_key(token: str) -> bool:
    return (
        any(c.islower() for c in token)
        and any(c.isupper() for c in token)
        and any(c.isdigit() for c in token)
    )


def scrub(text: str) -> str:
    """`text` with AWS keys, secret keys, session tokens and private keys replaced by REDACTED.

    Used on every command and every output line written to a transcript, and meant for
    persistent history too. Idempotent.
    """
    if not text:
        return text
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return _SECRET_KEY.sub(
        lambda m: REDACTED if _looks_like_secret_key(m.group(0)) else m.group(0), text
    )


def contains_secret(text: str) -> bool:
    """True if `scrub` would change `text`."""
    return scrub(text) != text
