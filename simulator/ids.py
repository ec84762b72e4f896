"""The shapes of CloudFront's IDs, in one place: a compiled pattern and a generator for each.

The simulator makes every ID here; cfshell validates the IDs a user types against the same
patterns. Stdlib only, so that importing it costs nothing.

The shapes are the ones AWS gives (the API reference's examples and real accounts): web and
streaming distributions, origin access identities and origin access controls `E` + 13
upper-case letters and digits, as are ETags; public keys `K` + 13; invalidations `I` + 13; key
groups and cache policies UUIDs; web distribution domains `d` + 13 lower-case letters and
digits `.cloudfront.net`, streaming ones `s` + 13; CloudFront key pairs `APKA` + 16; canonical
user IDs 64 lower-case hex digits.

Departures from AWS: AWS documents none of these shapes, and IDs of older resources differ
(aws-cli's 2015 example of create-distribution answers `S11A16G5KZMEQD`); the patterns
describe what the simulator makes, as AWS makes them today. What a user may type is the
`TYPED_*` patterns at the end: today's shapes and those older ones (CloudFront IDs of up to 32
upper-case letters and digits), since real accounts hold resources made before today's shapes.
cfshell validates typed IDs with them (cfshell.kinds names them), so both sides read one module.
Nothing heavy is imported here: `uuid` and `secrets` load when an ID is first made.
"""

from __future__ import annotations

import re

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"

DISTRIBUTION_ID = re.compile(r"^E[A-Z0-9]{13}$")
STREAMING_DISTRIBUTION_ID = DISTRIBUTION_ID
ORIGIN_ACCESS_IDENTITY_ID = DISTRIBUTION_ID
ORIGIN_ACCESS_CONTROL_ID = DISTRIBUTION_ID
ETAG = DISTRIBUTION_ID
PUBLIC_KEY_ID = re.compile(r"^K[A-Z0-9]{13}$")
INVALIDATION_ID = re.compile(r"^I[A-Z0-9]{13}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
KEY_GROUP_ID = UUID
CACHE_POLICY_ID = UUID
WEB_DOMAIN = re.compile(r"^d[a-z0-9]{13}\.cloudfront\.net$")
STREAMING_DOMAIN = re.compile(r"^s[a-z0-9]{13}\.cloudfront\.net$")
KEY_PAIR_ID = re.compile(r"^APKA[A-Z0-9]{16}$")
CANONICAL_USER_ID = re.compile(r"^[0-9a-f]{64}$")


def _random(alphabet: str, length: int) -> str:
    import secrets

    return "".join(secrets.choice(alphabet) for _ in range(length))


def _e13() -> str:
    return "E" + _random(_UPPER, 13)


def new_distribution_id() -> str:
    return _e13()


def new_streaming_distribution_id() -> str:
    return _e13()


def new_origin_access_identity_id() -> str:
    return _e13()


def new_origin_access_control_id() -> str:
    return _e13()


def new_etag() -> str:
    return _e13()


def new_public_key_id() -> str:
    return "K" + _random(_UPPER, 13)


def new_invalidation_id() -> str:
    return "I" + _random(_UPPER, 13)


def new_uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def new_key_group_id() -> str:
    return new_uuid()


def new_cache_policy_id() -> str:
    return new_uuid()


def new_web_domain() -> str:
    return f"d{_random(_LOWER, 13)}.cloudfront.net"


def new_streaming_domain() -> str:
    return f"s{_random(_LOWER, 13)}.cloudfront.net"


def new_canonical_user_id() -> str:
    import secrets

    return secrets.token_hex(32)


def key_pair_id(seed: bytes) -> str:
    """A key pair ID derived from `seed` (the same seed gives the same ID)."""
    import hashlib

    digest = hashlib.sha256(seed).digest()
    return "APKA" + "".join(_UPPER[b % 36] for b in digest[:16])


# --- What a user may type (cfshell's validation) ----------------------------------------------

# A CloudFront ID of any age: distributions, streaming distributions, OAIs, OACs, public keys,
# invalidations (today's `E`/`K`/`I` + 13 match it, and so do older IDs such as S11A16G5KZMEQD).
TYPED_CLOUDFRONT_ID = re.compile(r"^[A-Z0-9]{8,32}$")
# Key groups have been UUIDs since AWS introduced them (2020): nothing else is one.
TYPED_KEY_GROUP_ID = UUID
