"""Public keys and key groups for signed URLs and cookies, and the key pairs behind them.

Functions take a boto3 CloudFront client (`cf`) and return plain dicts as the API shapes them,
with the ETag alongside where there is one (`(resource, etag)`). Every change of a key group is
a read-modify-write: get the config and its ETag, change it, update with ``IfMatch``.

Private keys stay in memory (`GeneratedKey`) until `write_private_key` puts them in a file
(mode 0600, written atomically, never over an existing file): by default in the key store
(cfshell.keystore), named by the public key's ID; nothing returned here holds the
private key's text, so a result can be printed or recorded as is. Nothing here prints.
Every write reports its effect (cfshell.aws.effects): `generate` reports the public key, then
the key group it created or changed.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfshell.aws import effects
from cfshell.errors import UsageError

ALGORITHMS = ("rsa2048", "ecdsa-p256")
DEFAULT_ALGORITHM = "rsa2048"
# CloudFront's quota of public keys per key group.
MAX_KEYS_PER_GROUP = 5


class KeyFileError(UsageError):
    """A private key file cannot be written (exists already, directory missing...)."""


# -- key pairs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedKey:
    """A new key pair. The private key is kept out of the repr; `public_key_pem` is public."""

    algorithm: str
    public_key_pem: str
    key: Any = field(repr=False)


def generate_key_pair(algorithm: str = DEFAULT_ALGORITHM) -> GeneratedKey:
    """An RSA 2048 (default) or ECDSA P-256 key pair, the two kinds CloudFront accepts."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    if algorithm == "rsa2048":
        key: Any = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif algorithm == "ecdsa-p256":
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        raise UsageError(f"unknown key algorithm {algorithm!r}: use {' or '.join(ALGORITHMS)}")
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return GeneratedKey(algorithm=algorithm, public_key_pem=public.decode("ascii"), key=key)


def default_key_path(key_id: str) -> Path:
    """Where `key generate` keeps the private key of public key `key_id` when `--out` is not
    given: the key store (cfshell.keystore)."""
    from cfshell import keystore

    return keystore.path_for(key_id)


def write_private_key(path: str | os.PathLike[str], key: GeneratedKey | Any) -> Path:
    """Write the private key as PKCS#8 PEM with mode 0600; never replace an existing file.

    Written to a temporary file (0600 from its creation) in the same directory, then linked to
    its name: the link fails if the name exists, so an existing key is never overwritten and a
    reader never sees a half-written file.
    """
    from cryptography.hazmat.primitives import serialization

    raw = key.key if isinstance(key, GeneratedKey) else key
    target = Path(os.path.expanduser(os.fspath(path)))
    if target.exists() or target.is_symlink():
        raise _exists_already(target)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise KeyFileError(f"no directory {directory} for the private key: create it first")
    pem = raw.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # mkstemp creates the file with mode 0600 and O_EXCL.
    fd, temp = tempfile.mkstemp(prefix=".cfshell-key-", dir=directory)
    try:
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, pem)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temp, target)
        except FileExistsError:
            raise _exists_already(target) from None
        except OSError:
            # Filesystems without hard links: exclusive create, still never overwriting.
            _write_exclusive(target, pem)
    finally:
        os.unlink(temp)
    return target


def _exists_already(target: Path) -> KeyFileError:
    return KeyFileError(f"{target} exists already: choose another file with --out")


def _write_exclusive(target: Path, pem: bytes) -> None:
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise _exists_already(target) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def read_public_key(path: str | os.PathLike[str]) -> str:
    """The public key PEM for `key upload`: from a public key file, or derived from a private
    key file (only the public half is returned)."""
    from cryptography.hazmat.primitives import serialization

    from .signing import key_algorithm, load_private_key

    name = os.fspath(path)
    try:
        data = Path(os.path.expanduser(name)).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {name} ({exc.strerror}): check the path") from None
    if b"PRIVATE KEY" in data:
        return load_private_key(name).public_key_pem()
    try:
        public = serialization.load_pem_public_key(data)
    except ValueError:
        raise UsageError(
            f"no PEM public key in {name}: give a public key PEM or a private key file"
        ) from None
    key_algorithm(public)  # RSA or P-256 only
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def verify_signature(
    public_key_pem: str, message: bytes, signature: bytes, hash_algorithm: str = "sha1"
) -> bool:
    """True if `signature` over `message` verifies with the public key (RSA PKCS#1 v1.5 or
    ECDSA, SHA-1 or SHA-256: what CloudFront checks a signed URL or cookie with)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    try:
        public = serialization.load_pem_public_key(public_key_pem.encode())
    except ValueError:
        return False
    digest = hashes.SHA256() if hash_algorithm.lower() == "sha256" else hashes.SHA1()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, message, padding.PKCS1v15(), digest)
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, message, ec.ECDSA(digest))
        else:
            return False
    except InvalidSignature:
        return False
    return True


# -- public keys --------------------------------------------------------------------------------


def upload_public_key(
    cf: Any, name: str, public_key_pem: str, *, comment: str = ""
) -> tuple[dict[str, Any], str]:
    """CreatePublicKey; returns (PublicKey, ETag). The public key's Id is the Key-Pair-Id."""
    config = {
        "CallerReference": _caller_reference(),
        "Name": name,
        "EncodedKey": public_key_pem,
    }
    if comment:
        config["Comment"] = comment
    response = cf.create_public_key(PublicKeyConfig=config)
    effects.report("key", response["PublicKey"]["Id"], effects.CREATED, name)
    return response["PublicKey"], response["ETag"]


def get_public_key(cf: Any, key_id: str) -> tuple[dict[str, Any], str]:
    response = cf.get_public_key(Id=key_id)
    return response["PublicKey"], response["ETag"]


def iter_public_keys(cf: Any) -> Iterator[dict[str, Any]]:
    """Every PublicKeySummary (Id, Name, CreatedTime, EncodedKey, Comment), across pages."""
    for page in _pages(cf.list_public_keys, "PublicKeyList"):
        yield from page


def list_public_keys(cf: Any) -> list[dict[str, Any]]:
    return list(iter_public_keys(cf))


def update_public_key_comment(cf: Any, key_id: str, comment: str) -> tuple[dict[str, Any], str]:
    """The only change CloudFront allows to a public key."""
    response = cf.get_public_key_config(Id=key_id)
    config = response["PublicKeyConfig"]
    config["Comment"] = comment
    updated = cf.update_public_key(Id=key_id, IfMatch=response["ETag"], PublicKeyConfig=config)
    effects.report("key", key_id, effects.MODIFIED, config.get("Name", ""))
    return updated["PublicKey"], updated["ETag"]


def delete_public_key(cf: Any, key_id: str, etag: str | None = None) -> None:
    """DeletePublicKey; the ETag is fetched when not given. Fails with PublicKeyInUse while a
    key group holds the key (remove it from the group first)."""
    if etag is None:
        etag = cf.get_public_key(Id=key_id)["ETag"]
    cf.delete_public_key(Id=key_id, IfMatch=etag)
    effects.report("key", key_id, effects.DELETED)


# -- key groups ---------------------------------------------------------------------------------


def create_key_group(
    cf: Any, name: str, key_ids: list[str], *, comment: str = ""
) -> tuple[dict[str, Any], str]:
    if not key_ids:
        raise UsageError("a key group needs at least one public key: give --key ID")
    _check_group_size(key_ids)
    config: dict[str, Any] = {"Name": name, "Items": list(dict.fromkeys(key_ids))}
    if comment:
        config["Comment"] = comment
    response = cf.create_key_group(KeyGroupConfig=config)
    effects.report("key-group", response["KeyGroup"]["Id"], effects.CREATED, name)
    return response["KeyGroup"], response["ETag"]


def get_key_group(cf: Any, group_id: str) -> tuple[dict[str, Any], str]:
    response = cf.get_key_group(Id=group_id)
    return response["KeyGroup"], response["ETag"]


def iter_key_groups(cf: Any) -> Iterator[dict[str, Any]]:
    """Every KeyGroup (Id, LastModifiedTime, KeyGroupConfig), across pages."""
    for page in _pages(cf.list_key_groups, "KeyGroupList"):
        for item in page:
            yield item["KeyGroup"]


def list_key_groups(cf: Any) -> list[dict[str, Any]]:
    return list(iter_key_groups(cf))


def find_key_group_by_name(cf: Any, name: str) -> dict[str, Any] | None:
    for group in iter_key_groups(cf):
        if group["KeyGroupConfig"]["Name"] == name:
            return group
    return None


def add_keys_to_group(cf: Any, group_id: str, key_ids: list[str]) -> tuple[dict[str, Any], str]:
    """Read-modify-write: keys already in the group are left as they are (idempotent)."""

    def change(items: list[str]) -> list[str]:
        return items + [k for k in key_ids if k not in items]

    return _update_group_items(cf, group_id, change)


def remove_keys_from_group(
    cf: Any, group_id: str, key_ids: list[str]
) -> tuple[dict[str, Any], str]:
    """Read-modify-write. A key group cannot be left empty: delete the group instead."""

    def change(items: list[str]) -> list[str]:
        missing = [k for k in key_ids if k not in items]
        if missing:
            raise UsageError(
                f"key group {group_id} does not hold {', '.join(missing)}: "
                f"check its keys with `key-group get {group_id}`"
            )
        remaining = [k for k in items if k not in key_ids]
        if not remaining:
            raise UsageError(
                f"that would leave key group {group_id} empty: delete the group instead"
            )
        return remaining

    return _update_group_items(cf, group_id, change)


def groups_holding(cf: Any, key_id: str) -> list[tuple[str, str]]:
    """("key-group", ID) of every key group holding the public key."""
    return [
        ("key-group", g["Id"])
        for g in iter_key_groups(cf)
        if key_id in (g["KeyGroupConfig"].get("Items") or [])
    ]


def trusting(cf: Any, group_id: str) -> list[tuple[str, str]]:
    """("distribution", ID) of every distribution trusting the key group (any behaviour)."""
    from . import distributions

    found = []
    for summary in distributions.iter_summaries(cf):  # a summary carries its behaviours
        behaviors = [summary.get("DefaultCacheBehavior", {})]
        behaviors += (summary.get("CacheBehaviors") or {}).get("Items") or []
        groups = {
            g for b in behaviors for g in (b.get("TrustedKeyGroups") or {}).get("Items") or []
        }
        if group_id in groups:
            found.append(("distribution", summary["Id"]))
    return found


def delete_key_group(cf: Any, group_id: str, etag: str | None = None) -> None:
    """DeleteKeyGroup; the ETag is fetched when not given. Fails with ResourceInUse while a
    distribution trusts the group."""
    if etag is None:
        etag = cf.get_key_group(Id=group_id)["ETag"]
    cf.delete_key_group(Id=group_id, IfMatch=etag)
    effects.report("key-group", group_id, effects.DELETED)


def _update_group_items(cf: Any, group_id: str, change: Any) -> tuple[dict[str, Any], str]:
    response = cf.get_key_group_config(Id=group_id)
    config = response["KeyGroupConfig"]
    items = change(list(config.get("Items") or []))
    _check_group_size(items)
    config["Items"] = items
    updated = cf.update_key_group(Id=group_id, IfMatch=response["ETag"], KeyGroupConfig=config)
    effects.report("key-group", group_id, effects.MODIFIED, config.get("Name", ""))
    return updated["KeyGroup"], updated["ETag"]


def _check_group_size(key_ids: list[str]) -> None:
    if len(set(key_ids)) > MAX_KEYS_PER_GROUP:
        raise UsageError(
            f"a key group holds at most {MAX_KEYS_PER_GROUP} public keys: use another group"
        )


# -- key generate -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GenerateResult:
    """What `key generate` did; holds the file name, never the private key."""

    public_key_id: str
    name: str
    algorithm: str
    private_key_path: str
    key_group_id: str
    key_group_created: bool
    etag: str


def generate(
    cf: Any,
    name: str,
    *,
    algorithm: str = DEFAULT_ALGORITHM,
    out: str | os.PathLike[str] | None = None,
    key_group_id: str | None = None,
    key_group_name: str | None = None,
    comment: str = "",
) -> GenerateResult:
    """`key generate`: new key pair, private key to `out` (0600, never overwritten) or, by
    default, into the key store named by the public key's ID; public key uploaded, then added
    to `key_group_id`, or to a new key group (`key_group_name`, default NAME) when none is given.

    The file is written before anything is uploaded, so a file that cannot be written stops the
    command with nothing changed in the account; if the upload fails, the new file is removed
    again. In the store it is written under a temporary name, then linked to `ID.pem` once
    CloudFront has named the key.
    """
    pair = generate_key_pair(algorithm)
    stored = out is None
    if stored:
        path = _write_pending(pair)
    else:
        path = write_private_key(out, pair)  # type: ignore[arg-type]
    try:
        public_key, _ = upload_public_key(cf, name, pair.public_key_pem, comment=comment)
        if stored:
            path = _file_under_id(path, public_key["Id"])
    except BaseException:
        # Nothing was made in the account: the key file is of no use, and keeping it would
        # block a retry with the same --out.
        path.unlink(missing_ok=True)
        raise
    key_id = public_key["Id"]
    if key_group_id:
        group, etag = add_keys_to_group(cf, key_group_id, [key_id])
        created = False
    else:
        group, etag = create_key_group(cf, key_group_name or name, [key_id])
        created = True
    return GenerateResult(
        public_key_id=key_id,
        name=name,
        algorithm=algorithm,
        private_key_path=str(path),
        key_group_id=group["Id"],
        key_group_created=created,
        etag=etag,
    )


def _write_pending(pair: GeneratedKey) -> Path:
    """The private key in the key store under a name of its own until the key has an ID."""
    from cfshell import keystore

    try:
        store = keystore.ensure_directory()
    except OSError as exc:
        raise KeyFileError(
            f"cannot make the key store {keystore.directory()}: {exc.strerror or exc}"
        ) from None
    return write_private_key(store / f".pending-{secrets.token_hex(8)}.pem", pair)


def _file_under_id(pending: Path, key_id: str) -> Path:
    target = default_key_path(key_id)
    try:
        os.link(pending, target)  # fails rather than replace an existing file
    except FileExistsError:
        raise _exists_already(target) from None
    except OSError:  # a filesystem without hard links
        if target.exists():
            raise _exists_already(target) from None
        os.rename(pending, target)
        return target
    pending.unlink()
    return target


def _caller_reference() -> str:
    return f"cfshell-{int(time.time())}-{secrets.token_hex(4)}"


def _pages(list_call: Any, list_key: str) -> Iterator[list[dict[str, Any]]]:
    marker = None
    while True:
        kwargs = {"Marker": marker} if marker else {}
        page = list_call(**kwargs)[list_key]
        yield page.get("Items") or []
        marker = page.get("NextMarker")
        if not marker:
            return
