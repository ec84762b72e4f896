"""CloudFront public keys and key groups, completed: moto 5.2.5 has only create/get/list.

Added: UpdatePublicKey, GetPublicKeyConfig, DeletePublicKey with If-Match, UpdateKeyGroup,
GetKeyGroupConfig, DeleteKeyGroup; IDs as AWS makes them (`simulator.ids`: public keys `K` + 13
upper-case letters and digits, key groups UUIDs; moto: 14 characters of any kind); ETags that
change on every update (`versioning.Versioned`); the errors AWS returns (NoSuchPublicKey,
NoSuchResource, PublicKeyInUse, ResourceInUse, PublicKeyAlreadyExists, KeyGroupAlreadyExists,
CannotChangeImmutablePublicKeyFields, InvalidArgument, the quotas). moto's own create/get/list
raise a bare KeyError (HTTP 500) for an unknown ID and accept any key text, and its lists page
with opaque tokens and fail with a 500 on a MaxItems that is not a number; those are taken over
here too (lists page as `simulator.paging` describes).

The resources live in moto's own CloudFront backend (`public_keys`, `key_groups`), as subclasses
of moto's models, so moto's reset, the simulator's state file and anything reading moto's
backend see one store. `KeyStore` holds the operations; `KeysResponse` is the thin response
class the url paths route to; `install()` registers those paths.

Departures from AWS that remain:
- The key text must be a PEM public key, RSA 2048 or ECDSA P-256 (CloudFront's two kinds for
  signed URLs); anything else is InvalidArgument with the simulator's own message.
- Public key names and key group names are unique per account (PublicKeyAlreadyExists /
  KeyGroupAlreadyExists); reusing a CallerReference with the same config returns the existing
  key, with another config is PublicKeyAlreadyExists.
- UpdatePublicKey may change the Comment only: any other field is
  CannotChangeImmutablePublicKeyFields (AWS documents Comment as the only mutable field).
- A key group naming a public key that does not exist, or with no key at all, is
  InvalidArgument (AWS's message is not documented).
- Quotas are AWS's defaults, not adjustable: 10 public keys and 10 key groups per account,
  5 public keys per key group, 4 key groups per cache behaviour.
"""

from __future__ import annotations

from typing import Any

from moto.cloudfront.models import KeyGroup as MotoKeyGroup
from moto.cloudfront.models import PublicKey as MotoPublicKey
from moto.cloudfront.models import cloudfront_backends
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult, EmptyResult

from . import ids, paging
from .exceptions import (
    CannotChangeImmutablePublicKeyFields,
    InvalidArgument,
    KeyGroupAlreadyExists,
    NoSuchPublicKey,
    NoSuchResource,
    PublicKeyAlreadyExists,
    PublicKeyInUse,
    ResourceInUse,
    TooManyKeyGroups,
    TooManyKeyGroupsAssociatedToDistribution,
    TooManyPublicKeys,
    TooManyPublicKeysInKeyGroup,
    TrustedKeyGroupDoesNotExist,
)
from .versioning import Versioned, now

MAX_PUBLIC_KEYS = 10
MAX_KEY_GROUPS = 10
MAX_KEYS_PER_GROUP = 5
MAX_KEY_GROUPS_PER_BEHAVIOR = 4
COMMENT_MAX = 128
API_ROOT = "https://cloudfront.amazonaws.com/2020-05-31"


class PublicKey(Versioned, MotoPublicKey):
    def __init__(self, caller_ref: str, name: str, encoded_key: str, comment: str = "") -> None:
        super().__init__(caller_ref=caller_ref, name=name, encoded_key=encoded_key)
        # moto's ids are 14 characters of any kind: AWS's are K + 13.
        self.id = ids.new_public_key_id()
        self.location = f"{API_ROOT}/public-key/{self.id}"
        self.comment = comment
        self.created_time = now()
        self.touch()


class KeyGroup(Versioned, MotoKeyGroup):
    def __init__(self, name: str, items: list[str], comment: str = "") -> None:
        super().__init__(name=name, items=items)
        self.id = ids.new_key_group_id()  # a UUID, as AWS's (moto's: 14 characters)
        self.location = f"{API_ROOT}/key-group/{self.id}"
        self.comment = comment
        self.touch()

    @property
    def key_group_config(self) -> dict[str, Any]:  # type: ignore[override]
        config: dict[str, Any] = {"Name": self.name, "Items": list(self.items)}
        if self.comment:
            config["Comment"] = self.comment
        return config


def check_public_key_text(encoded_key: str) -> None:
    """InvalidArgument unless the text is a PEM RSA 2048 or ECDSA P-256 public key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    try:
        key = serialization.load_pem_public_key(encoded_key.encode())
    except (ValueError, TypeError):
        raise InvalidArgument("The public key is not a valid PEM-encoded public key.") from None
    if isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048:
        return
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return
    raise InvalidArgument("CloudFront accepts RSA 2048 and ECDSA P-256 public keys only.")


def _config_value(config: dict[str, Any] | None, name: str) -> Any:
    if not config:
        raise InvalidArgument(f"The {name} is missing.")
    value = config.get(name)
    if value in (None, ""):
        raise InvalidArgument(f"The {name} is missing.")
    return value


def _check_comment(comment: str | None) -> str:
    comment = comment or ""
    if len(comment) > COMMENT_MAX:
        raise InvalidArgument(f"The comment cannot be longer than {COMMENT_MAX} characters.")
    return comment


class KeyStore:
    """The public-key and key-group operations over one moto CloudFront backend."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    @property
    def public_keys(self) -> dict[str, Any]:
        return self.backend.public_keys

    @property
    def key_groups(self) -> dict[str, Any]:
        return self.backend.key_groups

    # -- public keys --

    def create_public_key(self, config: dict[str, Any] | None) -> PublicKey:
        ref = _config_value(config, "CallerReference")
        name = _config_value(config, "Name")
        encoded = _config_value(config, "EncodedKey")
        comment = _check_comment((config or {}).get("Comment"))
        for existing in self.public_keys.values():
            if existing.caller_ref == ref:
                same = (existing.name, existing.encoded_key.strip(), existing.comment) == (
                    name,
                    encoded.strip(),
                    comment,
                )
                if same:
                    return existing
                raise PublicKeyAlreadyExists()
            if existing.name == name:
                raise PublicKeyAlreadyExists()
        check_public_key_text(encoded)
        if len(self.public_keys) >= MAX_PUBLIC_KEYS:
            raise TooManyPublicKeys()
        key = PublicKey(caller_ref=ref, name=name, encoded_key=encoded, comment=comment)
        self.public_keys[key.id] = key
        return key

    def get_public_key(self, key_id: str) -> PublicKey:
        try:
            return self.public_keys[key_id]
        except KeyError:
            raise NoSuchPublicKey() from None

    def update_public_key(
        self, key_id: str, config: dict[str, Any] | None, if_match: str | None
    ) -> PublicKey:
        key = self.get_public_key(key_id)
        key.check_if_match(if_match)
        ref = _config_value(config, "CallerReference")
        name = _config_value(config, "Name")
        encoded = _config_value(config, "EncodedKey")
        if (ref, name, encoded.strip()) != (key.caller_ref, key.name, key.encoded_key.strip()):
            raise CannotChangeImmutablePublicKeyFields()
        key.comment = _check_comment((config or {}).get("Comment"))
        key.touch()
        return key

    def delete_public_key(self, key_id: str, if_match: str | None) -> None:
        key = self.get_public_key(key_id)
        key.check_if_match(if_match)
        if any(key_id in group.items for group in self.key_groups.values()):
            raise PublicKeyInUse()
        del self.public_keys[key_id]

    # -- key groups --

    def _check_group_config(self, config: dict[str, Any] | None, exclude_id: str | None) -> tuple:
        name = _config_value(config, "Name")
        items = list(dict.fromkeys((config or {}).get("Items") or []))
        comment = _check_comment((config or {}).get("Comment"))
        if not items:
            raise InvalidArgument("A key group must contain at least one public key.")
        if len(items) > MAX_KEYS_PER_GROUP:
            raise TooManyPublicKeysInKeyGroup()
        for key_id in items:
            if key_id not in self.public_keys:
                raise InvalidArgument(f"The public key {key_id} does not exist.")
        for group in self.key_groups.values():
            if group.id != exclude_id and group.name == name:
                raise KeyGroupAlreadyExists()
        return name, items, comment

    def create_key_group(self, config: dict[str, Any] | None) -> KeyGroup:
        name, items, comment = self._check_group_config(config, exclude_id=None)
        if len(self.key_groups) >= MAX_KEY_GROUPS:
            raise TooManyKeyGroups()
        group = KeyGroup(name=name, items=items, comment=comment)
        self.key_groups[group.id] = group
        return group

    def get_key_group(self, group_id: str) -> KeyGroup:
        try:
            return self.key_groups[group_id]
        except KeyError:
            raise NoSuchResource() from None

    def update_key_group(
        self, group_id: str, config: dict[str, Any] | None, if_match: str | None
    ) -> KeyGroup:
        group = self.get_key_group(group_id)
        group.check_if_match(if_match)
        group.name, group.items, group.comment = self._check_group_config(config, group_id)
        group.touch()
        return group

    def delete_key_group(self, group_id: str, if_match: str | None) -> None:
        group = self.get_key_group(group_id)
        group.check_if_match(if_match)
        if group_id in trusted_key_group_ids_in_use(self.backend):
            raise ResourceInUse()
        del self.key_groups[group_id]


def key_store(account_id: str, partition: str = "aws") -> KeyStore:
    return KeyStore(cloudfront_backends[account_id][partition])


# -- what web distributions reference -----------------------------------------------------------


def _get(obj: Any, attr: str, key: str) -> Any:
    """A field of one of moto's distribution parts, stored as an object or as a dict."""
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, attr, None)


def cache_behaviors(dist_config: Any) -> list[Any]:
    """The default cache behaviour, then the others in order, however moto stored them."""
    behaviors = [_get(dist_config, "DefaultCacheBehavior", "DefaultCacheBehavior")]
    others = _get(dist_config, "CacheBehaviors", "CacheBehaviors") or {}
    behaviors.extend(others.get("Items") or [] if isinstance(others, dict) else [])
    return [b for b in behaviors if b is not None]


def trusted_key_group_ids(behavior: Any) -> list[str]:
    """The key group IDs a cache behaviour trusts ([] when it does not require signing)."""
    return trusted_ids(behavior, "trusted_key_groups", "TrustedKeyGroups")


def trusted_ids(behavior: Any, attr: str, key: str) -> list[str]:
    """The items of a behaviour's TrustedKeyGroups or TrustedSigners block when it is enabled
    ([] otherwise), however moto stored the block (object or dict)."""
    trusted = _get(behavior, attr, key)
    if trusted is None:
        return []
    if isinstance(trusted, dict):
        enabled, items = trusted.get("Enabled"), trusted.get("Items") or []
    else:
        enabled, items = getattr(trusted, "enabled", True), getattr(trusted, "items", []) or []
    return list(items) if enabled and items else []


def trusted_key_group_ids_in_use(backend: Any) -> set[str]:
    used: set[str] = set()
    for dist in backend.distributions.values():
        for behavior in cache_behaviors(dist.distribution_config):
            trusted = _get(behavior, "trusted_key_groups", "TrustedKeyGroups")
            items = (
                trusted.get("Items") if isinstance(trusted, dict) else getattr(trusted, "items", [])
            )
            used.update(items or [])
    return used


def check_trusted_key_groups(account_id: str, group_ids: list[str], partition: str = "aws") -> None:
    """For CreateDistribution/UpdateDistribution: TrustedKeyGroupDoesNotExist for an unknown
    key group, TooManyKeyGroupsAssociatedToDistribution above AWS's 4 per cache behaviour."""
    if len(group_ids) > MAX_KEY_GROUPS_PER_BEHAVIOR:
        raise TooManyKeyGroupsAssociatedToDistribution()
    groups = cloudfront_backends[account_id][partition].key_groups
    for group_id in group_ids:
        if group_id not in groups:
            raise TrustedKeyGroupDoesNotExist()


def active_trusted_key_groups(
    account_id: str, group_ids: list[str], partition: str = "aws"
) -> dict[str, Any]:
    """The ActiveTrustedKeyGroups block of a distribution trusting `group_ids`."""
    groups = cloudfront_backends[account_id][partition].key_groups
    items = [
        {
            "KeyGroupId": gid,
            "KeyPairIds": {"Quantity": len(groups[gid].items), "Items": list(groups[gid].items)},
        }
        for gid in group_ids
        if gid in groups
    ]
    return {"Enabled": bool(items), "Quantity": len(items), "Items": items}


# -- responses ----------------------------------------------------------------------------------


class KeysResponse(CloudFrontResponse):
    """Public-key and key-group operations; every other action is moto's own."""

    @property
    def keys(self) -> KeyStore:
        return KeyStore(self.backend)

    def create_public_key(self) -> ActionResult:
        key = self.keys.create_public_key(self._get_param("PublicKeyConfig"))
        return ActionResult({"PublicKey": key, "Location": key.location, "ETag": key.etag})

    def get_public_key(self) -> ActionResult:
        key = self.keys.get_public_key(self._get_param("Id"))
        return ActionResult({"PublicKey": key, "ETag": key.etag})

    def get_public_key_config(self) -> ActionResult:
        key = self.keys.get_public_key(self._get_param("Id"))
        return ActionResult({"PublicKeyConfig": key.public_key_config, "ETag": key.etag})

    def update_public_key(self) -> ActionResult:
        key = self.keys.update_public_key(
            self._get_param("Id"), self._get_param("PublicKeyConfig"), self._get_param("IfMatch")
        )
        return ActionResult({"PublicKey": key, "ETag": key.etag})

    def delete_public_key(self) -> EmptyResult:
        self.keys.delete_public_key(self._get_param("Id"), self._get_param("IfMatch"))
        return EmptyResult()

    def create_key_group(self) -> ActionResult:
        group = self.keys.create_key_group(self._get_param("KeyGroupConfig"))
        return ActionResult({"KeyGroup": group, "Location": group.location, "ETag": group.etag})

    def get_key_group(self) -> ActionResult:
        group = self.keys.get_key_group(self._get_param("Id"))
        return ActionResult({"KeyGroup": group, "ETag": group.etag})

    def get_key_group_config(self) -> ActionResult:
        group = self.keys.get_key_group(self._get_param("Id"))
        return ActionResult({"KeyGroupConfig": group.key_group_config, "ETag": group.etag})

    def update_key_group(self) -> ActionResult:
        group = self.keys.update_key_group(
            self._get_param("Id"), self._get_param("KeyGroupConfig"), self._get_param("IfMatch")
        )
        return ActionResult({"KeyGroup": group, "ETag": group.etag})

    def delete_key_group(self) -> EmptyResult:
        self.keys.delete_key_group(self._get_param("Id"), self._get_param("IfMatch"))
        return EmptyResult()

    def _listing(self, resources: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        limit = paging.max_items(self._get_param("MaxItems"))
        ids, next_marker = paging.page(list(resources), self._get_param("Marker"), limit)
        envelope = {"NextMarker": next_marker, "MaxItems": limit, "Quantity": len(ids)}
        return [resources[i] for i in ids], envelope

    def list_public_keys(self) -> ActionResult:
        keys, envelope = self._listing(self.keys.public_keys)
        return ActionResult({"PublicKeyList": {**envelope, "Items": keys or None}})

    def list_key_groups(self) -> ActionResult:
        groups, envelope = self._listing(self.keys.key_groups)
        items = [{"KeyGroup": group} for group in groups]
        return ActionResult({"KeyGroupList": {**envelope, "Items": items or None}})


PATHS = (
    "{0}/2020-05-31/public-key$",
    "{0}/2020-05-31/public-key/(?P<key_name>[^/]+)$",
    "{0}/2020-05-31/public-key/(?P<key_name>[^/]+)/config$",
    "{0}/2020-05-31/key-group$",
    "{0}/2020-05-31/key-group/(?P<key_name>[^/]+)$",
    "{0}/2020-05-31/key-group/(?P<key_name>[^/]+)/config$",
)


def install() -> None:
    """Route the public-key and key-group paths (moto's and the new /config ones) to
    `KeysResponse`. Idempotent; moto reads its url_paths table on every request."""
    from moto.cloudfront import urls as moto_urls

    for path in PATHS:
        moto_urls.url_paths[path] = KeysResponse.dispatch
