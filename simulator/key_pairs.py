"""CloudFront key pairs (trusted signers), as the root user made them in the AWS console.

Before key groups, signed URLs were verified against the CloudFront key pairs of the accounts a
behaviour trusted (TrustedSigners: "self" or account numbers). AWS has no API for them: the
console generated a key pair (ID `APKA...`), let you download `pk-APKA....pem` once, and allowed
at most two active key pairs per account. `create(account_id)` does the same here and returns
the private key's PEM (the simulator keeps only the public half).

The edge (`simulator.edge.viewer_auth`) verifies a URL or cookies on a behaviour that trusts
signers against the active key pairs of the trusted accounts; a web distribution's
ActiveTrustedSigners lists them (`active_trusted_signers`).

Departures from AWS:
- Key pairs are made through the simulator's API (`simulator.create_key_pair`, `sim key-pair
  create`), in-process only; AWS made them in the console only, for the root user.
- They cannot be deactivated or deleted here. A saved state (`sim save`) keeps their public
  halves (`simulator.state`, "cloudfront_key_pairs").
- A streaming distribution's ActiveTrustedSigners keeps the two fixed key pair IDs each
  simulated account has (`simulator.models.key_pair_ids_for`), which sign nothing; a web
  distribution's lists the key pairs made here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend
from moto.utilities.utils import PARTITION_NAMES

from . import ids
from .versioning import now

MAX_ACTIVE = 2  # AWS: "You can have up to two active CloudFront key pairs per AWS account"


class TooManyKeyPairs(ValueError):
    """A third active key pair for an account."""


@dataclass
class KeyPair:
    id: str
    public_key_pem: str
    created: Any
    active: bool = True


class KeyPairBackend(BaseBackend):
    """The CloudFront key pairs of one account (per partition, like moto's CloudFront)."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.key_pairs: dict[str, KeyPair] = {}

    def active(self) -> list[KeyPair]:
        return [k for k in self.key_pairs.values() if k.active]


key_pair_backends = BackendDict(
    KeyPairBackend,
    "cloudfront",
    use_boto3_regions=False,
    additional_regions=PARTITION_NAMES,
)


def _backend(account_id: str, partition: str = "aws") -> KeyPairBackend:
    return key_pair_backends[account_id][partition]


def create(account_id: str, partition: str = "aws") -> tuple[str, str]:
    """A new active RSA 2048 key pair for the account: (its ID, the private key's PEM).
    TooManyKeyPairs when the account has two active ones already."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    backend = _backend(account_id, partition)
    if len(backend.active()) >= MAX_ACTIVE:
        raise TooManyKeyPairs(
            f"account {account_id} has {MAX_ACTIVE} active CloudFront key pairs, the most AWS "
            "allows: use a key group instead (`key generate NAME`)"
        )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,  # the console's pk-*.pem: PKCS#1
        serialization.NoEncryption(),
    )
    key_pair_id = ids.key_pair_id(f"{account_id}:{secrets.token_hex(16)}".encode())
    backend.key_pairs[key_pair_id] = KeyPair(key_pair_id, public.decode("ascii"), now())
    return key_pair_id, private.decode("ascii")


def public_key_of(account_ids: list[str], key_pair_id: str, partition: str = "aws") -> str | None:
    """The PEM of `key_pair_id` if it is an active key pair of one of the accounts."""
    for account_id in account_ids:
        pair = _backend(account_id, partition).key_pairs.get(key_pair_id)
        if pair is not None and pair.active:
            return pair.public_key_pem
    return None


def signer_accounts(signers: list[str], own_account: str) -> list[str]:
    """Account numbers of a TrustedSigners list ("self" is the distribution's account)."""
    return [own_account if s == "self" else s for s in signers]


def active_trusted_signers(
    own_account: str, signers: list[str], partition: str = "aws"
) -> dict[str, Any]:
    """The ActiveTrustedSigners block of a web distribution trusting `signers`."""
    items = []
    for signer, account in zip(signers, signer_accounts(signers, own_account), strict=True):
        pairs = [k.id for k in _backend(account, partition).active()]
        items.append(
            {"AwsAccountNumber": signer, "KeyPairIds": {"Quantity": len(pairs), "Items": pairs}}
        )
    return {
        "Enabled": any(i["KeyPairIds"]["Quantity"] for i in items),
        "Quantity": len(items),
        "Items": items,
    }
