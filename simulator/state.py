"""The simulated world as a JSON document: saved by `save_state`, replayed by `load_state`.

`python -m simulator serve --state FILE`, `simulator.save_state(path)` / `load_state(path)` and
cfshell's `sim export FILE` / `sim import FILE` (also `sim save` / `sim load`) all read and
write this one format. A person can read it, jq can query it
(`jq '.cloudfront.accounts[].Distributions[].Id' world.json`), and loading it never runs code
from it: each resource is built again through the backends (moto's models and the simulator's,
constructed as their create operations construct them), then given back the fields no API
sets (ID, ETag, times, status clock).

The document (format version 2; version 1 was a pickle, refused):

    {
      "format": "cfshell-simulator-state",  "version": 2,
      "saved_at": ISO 8601,  "moto": moto's version (for information),
      "clock": {"offset_seconds": S},        the simulator clock's advance (simulator.clock)
      "s3": {"buckets": [{
          "Account", "Region", "Name", "CreationDate",
          "ObjectOwnership": "BucketOwnerEnforced" | "ObjectWriter" | ... | null,
          "PublicAccessBlock": {"BlockPublicAcls": true, ...} | null,
          "Policy": the policy's JSON text | null,  "Versioning": "Enabled" | ... | null,
          "Acl": [GRANT] | null,  "Tags": {KEY: VALUE},
          "Objects": [{"Key", "ETag", "Size", "LastModified", "StorageClass",
                       "Metadata": {...}, "Acl": [GRANT] | null,
                       "ChecksumAlgorithm", "ChecksumValue",
                       "Body": base64 | null, "Fill": one byte repeated Size times, base64}]}]},
        GRANT = {"Grantee": {"ID", "URI", "DisplayName"}, "Permissions": [...]}
      "cloudfront": {"accounts": [{"Account", "Partition",
          "OriginAccessIdentities": [{"Id", "S3CanonicalUserId", "CallerReference", "Comment",
                                      "ETag", "LastModifiedTime"}],
          "StreamingDistributions": [{"Id", "ARN", "DomainName", "ETag", "LastModifiedTime",
                                      "Status", "DeployedAt", "Tags",
                                      "StreamingDistributionConfig": {...}}],
          "Distributions": [{... the same, "DistributionConfig": {...} as GetDistributionConfig
                             answers it}],
          "OriginAccessControls": [{"Id", "ETag", "LastModifiedTime",
                                    "OriginAccessControlConfig": {...}}],
          "PublicKeys": [{"Id", "ETag", "CreatedTime", "LastModifiedTime",
                          "PublicKeyConfig": {"CallerReference", "Name", "EncodedKey",
                                              "Comment"}}],
          "KeyGroups": [{"Id", "ETag", "LastModifiedTime", "KeyGroupConfig": {...}}],
          "Invalidations": [{"DistributionId", "Id", "CallerReference", "Paths",
                             "CreateTime", "CompletesAt"}]}]},
      "acm": {"accounts": [{"Account", "Region", "Certificates": [{"CertificateArn",
                 "Certificate", "PrivateKey", "Type", "Status", "Attributes": {...}}]}]},
      "route53": {"accounts": [{"Account", "Partition", "Tags": {...}, "HostedZones": [{
                 "Id", "Name", "PrivateZone", "CallerReference", "Comment",
                 "DelegationSet": {"Id", "CallerReference", "NameServers"} | null,
                 "Attributes": {...}, "RecordSets": [{...}]}]}]},
      "cloudfront_key_pairs": {"accounts": [{"Account", "Partition", "KeyPairs": [{"Id",
                 "PublicKey", "Created", "Active"}]}]}   (optional: CloudFront key pairs,
                 simulator.key_pairs; their private keys are never here)
    }

Times are ISO 8601 in UTC; `DeployedAt` / `CompletesAt` are on the simulator's clock, and
`Status` is what the resource said when it was saved. ACM certificates and Route 53 records
are moto's models, kept by their plain attributes ("Attributes", "RecordSets": strings,
numbers, lists, objects; bytes as {"$bytes": base64}, times as {"$datetime": ISO 8601}), so
whatever the simulator adds to them as plain data is kept too.

Saving is atomic (a temporary file in the same folder, 0600, then `os.replace`). Loading checks
the whole document first: a file that is not JSON (the line, column and reason), of another
format or version, or whose content does not fit (the path of the field and why) raises
`StateError`, the file is left as it was, and so is the simulated world: if building it fails
part way, the world before is built again.

Departures from the running simulator that remain (what a state file does not keep):
- S3: only each key's current version; object bodies over `BODY_LIMIT` bytes (1 MiB) unless
  one byte repeated (what `sim object put` makes), which come back as zero bytes of that size
  with their ETag; CORS, lifecycle, website, logging, encryption, notification, inventory and
  object-lock settings, object tags, multipart uploads in progress.
- CloudFront: policies (cache, origin request, response headers), functions, key value
  stores, field-level encryption, realtime logs, continuous deployment.
- Route 53: health checks, query logging, reusable delegation sets (a zone's own NS and SOA
  records are kept as records).
- The settings (deploy delay, latency, faults): they are the server's flags, not the world.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

FORMAT = "cfshell-simulator-state"
VERSION = 2
BODY_LIMIT = 1024 * 1024
# The first bytes of a version 1 file (a pickle, never loaded: it could run code).
PICKLE_MAGIC = b"cfshell-simulator-state "


class StateError(Exception):
    """A state file that cannot be loaded or saved; the message is one line."""


class _Unfit(Exception):
    """A field of the document that does not fit; args: (path, reason)."""


# --- encoding helpers -----------------------------------------------------------------------


def _time(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        value = datetime.fromtimestamp(value, UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _parse_time(text: Any, path: str) -> datetime:
    if not isinstance(text, str):
        raise _Unfit(path, "expected an ISO 8601 time")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _Unfit(path, f"not an ISO 8601 time: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _epoch(text: Any, path: str) -> float:
    return _parse_time(text, path).timestamp()


def _naive(value: datetime) -> datetime:
    # moto keeps some times without a zone (utcnow()), compared with others like them.
    return value.astimezone(UTC).replace(tzinfo=None)


_SKIP = object()


def _plain(value: Any) -> Any:
    """A value as JSON, or _SKIP when it (or anything in it) is not plain data."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, datetime):
        return {"$datetime": _time(value), "$naive": value.tzinfo is None}
    if isinstance(value, (list, tuple)):
        items = [_plain(v) for v in value]
        return _SKIP if any(i is _SKIP for i in items) else items
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            return _SKIP
        items = {k: _plain(v) for k, v in value.items()}
        return _SKIP if any(v is _SKIP for v in items.values()) else items
    return _SKIP


def _unplain(value: Any, path: str) -> Any:
    if isinstance(value, list):
        return [_unplain(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        if "$bytes" in value:
            try:
                return base64.b64decode(value["$bytes"], validate=True)
            except (ValueError, TypeError):
                raise _Unfit(path, "not base64") from None
        if "$datetime" in value:
            stamp = _parse_time(value["$datetime"], path)
            return _naive(stamp) if value.get("$naive") else stamp
        return {k: _unplain(v, f"{path}.{k}") for k, v in value.items()}
    return value


def _attributes(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The plain-data attributes of a moto model."""
    found = {}
    for name, value in vars(obj).items():
        if name in skip:
            continue
        plain = _plain(value)
        if plain is not _SKIP:
            found[name] = plain
    return found


def _restore_attributes(obj: Any, attributes: Any, path: str) -> None:
    if not isinstance(attributes, dict):
        raise _Unfit(path, "expected an object")
    for name, plain in attributes.items():
        value = _unplain(plain, f"{path}.{name}")
        current = vars(obj).get(name)
        # A dict or list of moto's own type (TagHolder, LowercaseDict...) is refilled, in place.
        if isinstance(current, dict) and type(current) is not dict and isinstance(value, dict):
            current.clear()
            current.update(value)
        elif isinstance(current, list) and type(current) is not list and isinstance(value, list):
            current[:] = value
        else:
            vars(obj)[name] = value


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: Any, path: str) -> bytes:
    if not isinstance(text, str):
        raise _Unfit(path, "expected base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise _Unfit(path, "not base64") from None


def _get(obj: Any, key: str, path: str, kind: Any = None, *, optional: bool = False) -> Any:
    """obj[key], checked: missing or of the wrong JSON type is _Unfit with its path."""
    if not isinstance(obj, dict):
        raise _Unfit(path, "expected an object")
    if key not in obj or (optional and obj[key] is None):
        if optional:
            return None
        raise _Unfit(f"{path}.{key}", "missing")
    value = obj[key]
    numeric = kind in (int, float, (int, float))
    if kind is not None and (not isinstance(value, kind) or numeric and isinstance(value, bool)):
        names = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}
        wanted = names.get(kind, "a number")
        raise _Unfit(f"{path}.{key}", f"expected {wanted}")
    return value


def _items(obj: Any, key: str, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for i, item in enumerate(_get(obj, key, path, list)):
        where = f"{path}.{key}[{i}]"
        if not isinstance(item, dict):
            raise _Unfit(where, "expected an object")
        yield where, item


# --- the backends ----------------------------------------------------------------------------


def _backends() -> dict[str, Any]:
    """Every BackendDict the document covers, by name."""
    from moto.acm.models import acm_backends
    from moto.cloudfront.models import cloudfront_backends
    from moto.route53.models import route53_backends
    from moto.s3.models import s3_backends

    from .key_pairs import key_pair_backends
    from .models import simulator_cloudfront_backends

    return {
        "s3": s3_backends,
        "cloudfront": cloudfront_backends,
        "simulator": simulator_cloudfront_backends,
        "acm": acm_backends,
        "route53": route53_backends,
        "key_pairs": key_pair_backends,
    }


def _clock() -> Any | None:
    if importlib.util.find_spec("simulator.clock") is None:
        return None
    return importlib.import_module("simulator.clock")


def _reset() -> None:
    for backend_dict in _backends().values():
        for account_backends in backend_dict.values():
            account_backends.reset()
        backend_dict.clear()
    from moto.s3.models import s3_backends

    s3_backends.bucket_accounts.clear()


# --- saving ---------------------------------------------------------------------------------


def _grants(acl: Any) -> list[dict[str, Any]] | None:
    if acl is None:
        return None
    return [
        {
            "Grantee": {"ID": g.id or "", "URI": g.uri or "", "DisplayName": g.display_name or ""},
            "Permissions": list(grant.permissions),
        }
        for grant in acl.grants
        for g in grant.grantees
    ]


def _object(key: Any, body_limit: float) -> dict[str, Any]:
    value = key.value
    entry: dict[str, Any] = {
        "Key": key.name,
        "ETag": key.etag,
        "Size": len(value),
        "LastModified": _time(key.last_modified),
        "StorageClass": key.storage_class,
        "Metadata": dict(key.metadata),
        "Acl": _grants(key.acl),
        "ChecksumAlgorithm": key.checksum_algorithm,
        "ChecksumValue": key.checksum_value,
        "Body": None,
    }
    if len(value) > 1 and value == value[:1] * len(value):
        entry["Fill"] = _b64(value[:1])
    elif len(value) <= body_limit:
        entry["Body"] = _b64(value)
    return entry


def _bucket(account: str, backend: Any, bucket: Any, body_limit: float) -> dict[str, Any]:
    block = bucket.public_access_block
    policy = bucket.policy
    tags = backend.tagger.get_tag_dict_for_resource(bucket.arn)
    return {
        "Account": account,
        "Region": bucket.region_name,
        "Name": bucket.name,
        "CreationDate": _time(bucket.creation_date),
        "ObjectOwnership": bucket.ownership_rule,
        "PublicAccessBlock": None
        if block is None
        else {
            "BlockPublicAcls": bool(block.block_public_acls),
            "IgnorePublicAcls": bool(block.ignore_public_acls),
            "BlockPublicPolicy": bool(block.block_public_policy),
            "RestrictPublicBuckets": bool(block.restrict_public_buckets),
        },
        "Policy": policy.decode() if isinstance(policy, bytes) else policy,
        "Versioning": bucket.versioning_status,
        "Acl": _grants(bucket.acl),
        "Tags": dict(tags),
        "Objects": [_object(key, body_limit) for key in bucket.keys.values()],
    }


def _api_view(operation: str, result: dict[str, Any], member: str) -> Any:
    """`member` of CloudFront's answer to `operation`, as boto3 reads it: moto's serializer
    renders the models, botocore's parser reads them back."""
    from botocore.parsers import create_parser
    from moto.core.serialize import XFormedAttributePicker, get_serializer_class
    from moto.core.utils import get_service_model

    model = get_service_model("cloudfront")
    operation_model = model.operation_model(operation)
    serializer = get_serializer_class(model.service_name, model.protocol)(
        operation_model=operation_model, pretty_print=False, value_picker=XFormedAttributePicker()
    )
    answer = serializer.serialize(result)
    body = answer["body"]
    parsed = create_parser(model.protocol).parse(
        {
            "body": body.encode() if isinstance(body, str) else body,
            "headers": answer["headers"],
            "status_code": 200,
        },
        operation_model.output_shape,
    )
    return parsed[member]


def _versioned(resource: Any) -> dict[str, Any]:
    return {"ETag": resource.etag, "LastModifiedTime": _time(resource.last_modified_time)}


def _deploying(resource: Any) -> dict[str, Any]:
    return {
        **_versioned(resource),
        "Status": resource.status,
        "DeployedAt": _time(getattr(resource, "_deployed_at", 0.0)),
    }


def _cloudfront_account(account: str, partition: str, web: Any, own: Any) -> dict[str, Any]:
    def tags(arn: str) -> list[dict[str, str]]:
        return list(web.tagger.list_tags_for_resource(arn)["Tags"])

    entry: dict[str, Any] = {"Account": account, "Partition": partition}
    entry["OriginAccessIdentities"] = [
        {
            "Id": oai.id,
            "S3CanonicalUserId": oai.s3_canonical_user_id,
            "CallerReference": oai.caller_reference,
            "Comment": oai.comment,
            **_versioned(oai),
        }
        for oai in (own.origin_access_identities.values() if own else [])
    ]
    entry["StreamingDistributions"] = [
        {
            "Id": d.id,
            "ARN": d.arn,
            "DomainName": d.domain_name,
            **_deploying(d),
            "Tags": tags(d.arn),
            "StreamingDistributionConfig": d.config,
        }
        for d in (own.streaming_distributions.values() if own else [])
    ]
    entry["Distributions"] = [
        {
            "Id": d.id,
            "ARN": d.arn,
            "DomainName": d.domain_name,
            **_deploying(d),
            "Tags": tags(d.arn),
            "DistributionConfig": _api_view(
                "GetDistributionConfig",
                {"DistributionConfig": d.distribution_config, "ETag": d.etag},
                "DistributionConfig",
            ),
        }
        for d in (web.distributions.values() if web else [])
    ]
    entry["OriginAccessControls"] = [
        {"Id": c.id, **_versioned(c), "OriginAccessControlConfig": c.config}
        for c in (web.origin_access_controls.values() if web else [])
    ]
    entry["PublicKeys"] = [
        {
            "Id": k.id,
            **_versioned(k),
            "CreatedTime": _time(k.created_time),
            "PublicKeyConfig": {
                "CallerReference": k.caller_ref,
                "Name": k.name,
                "EncodedKey": k.encoded_key,
                "Comment": k.comment or "",
            },
        }
        for k in (web.public_keys.values() if web else [])
    ]
    entry["KeyGroups"] = [
        {"Id": g.id, **_versioned(g), "KeyGroupConfig": g.key_group_config}
        for g in (web.key_groups.values() if web else [])
    ]
    entry["Invalidations"] = [
        {
            "DistributionId": dist_id,
            "Id": i.id,
            "CallerReference": i.caller_ref,
            "Paths": list(i.paths),
            "CreateTime": _time(i.create_time),
            "CompletesAt": _time(getattr(i, "completes_at", 0.0)),
        }
        for dist_id, batch in (web.invalidations.items() if web else [])
        for i in batch
    ]
    return entry


def document(body_limit: float = BODY_LIMIT) -> dict[str, Any]:
    """The simulated world, as the JSON document described in the module doc (object bodies
    up to `body_limit` bytes)."""
    import moto

    dicts = _backends()
    buckets = [
        _bucket(account, backend, bucket, body_limit)
        for account, _partition, backend in dicts["s3"].iter_backends()
        for bucket in backend.buckets.values()
    ]
    web = {(a, p): b for a, p, b in dicts["cloudfront"].iter_backends()}
    own = {(a, p): b for a, p, b in dicts["simulator"].iter_backends()}
    cloudfront = [
        _cloudfront_account(account, partition, web.get(key), own.get(key))
        for key in sorted(set(web) | set(own))
        for account, partition in [key]
    ]
    certificates = [
        {
            "Account": account,
            "Region": region,
            "Certificates": [
                {
                    "CertificateArn": arn,
                    "Certificate": bundle.cert.decode(),
                    "PrivateKey": bundle.key.decode(),
                    "Type": bundle.type,
                    "Status": bundle.status,
                    "Attributes": _attributes(bundle, skip=("cert", "key", "type", "status")),
                }
                for arn, bundle in backend._certificates.items()
            ],
        }
        for account, region, backend in dicts["acm"].iter_backends()
        if backend._certificates
    ]
    zones = [
        {
            "Account": account,
            "Partition": partition,
            "Tags": _plain(dict(backend.resource_tags)),
            "HostedZones": [
                {
                    "Id": zone.resource_id,
                    "Name": zone.name,
                    "PrivateZone": bool(zone.private_zone),
                    "CallerReference": zone.caller_reference,
                    "Comment": zone.comment,
                    "DelegationSet": None
                    if zone.delegation_set is None
                    else {
                        "Id": zone.delegation_set.id,
                        "CallerReference": zone.delegation_set.caller_reference,
                        "NameServers": list(zone.delegation_set.name_servers),
                    },
                    "Attributes": _attributes(zone, skip=("rrsets",)),
                    "RecordSets": [_attributes(rrset) for rrset in zone.rrsets],
                }
                for zone in backend.zones.values()
            ],
        }
        for account, partition, backend in dicts["route53"].iter_backends()
        if backend.zones or backend.resource_tags
    ]
    key_pairs = [
        {
            "Account": account,
            "Partition": partition,
            "KeyPairs": [
                {
                    "Id": pair.id,
                    "PublicKey": pair.public_key_pem,
                    "Created": _time(pair.created),
                    "Active": pair.active,
                }
                for pair in backend.key_pairs.values()
            ],
        }
        for account, partition, backend in dicts["key_pairs"].iter_backends()
        if backend.key_pairs
    ]
    clock = _clock()
    return {
        "format": FORMAT,
        "version": VERSION,
        "saved_at": _time(datetime.now(UTC)),
        "moto": moto.__version__,
        "clock": {"offset_seconds": float(clock.offset()) if clock else 0.0},
        "s3": {"buckets": buckets},
        "cloudfront": {"accounts": cloudfront},
        "acm": {"accounts": certificates},
        "route53": {"accounts": zones},
        "cloudfront_key_pairs": {"accounts": key_pairs},
    }


def dumps() -> bytes:
    """The world as the bytes of a state file."""
    return (json.dumps(document(), indent=2, ensure_ascii=False) + "\n").encode()


def save_state(path: str | os.PathLike[str]) -> None:
    """Write the world to `path` atomically (readers see the old file or the new one, whole)."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    data = dumps()
    try:
        fd, tmp = tempfile.mkstemp(prefix=".sim-state-", dir=folder)  # mode 0600
    except OSError as err:
        raise StateError(f"cannot write state to {path}: {err.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise StateError(f"cannot write state to {path}: {err.strerror}") from None


# --- loading --------------------------------------------------------------------------------


def _acl(grants: Any, path: str) -> Any:
    from moto.s3.models import FakeAcl, FakeGrant, FakeGrantee

    if grants is None:
        return None
    if not isinstance(grants, list):
        raise _Unfit(path, "expected a list of grants or null")
    made = []
    for i, grant in enumerate(grants):
        where = f"{path}[{i}]"
        grantee = _get(grant, "Grantee", where, dict)
        made.append(
            FakeGrant(
                [
                    FakeGrantee(
                        grantee_id=_get(grantee, "ID", f"{where}.Grantee", str),
                        uri=_get(grantee, "URI", f"{where}.Grantee", str),
                        display_name=_get(grantee, "DisplayName", f"{where}.Grantee", str),
                    )
                ],
                list(_get(grant, "Permissions", where, list)),
            )
        )
    return FakeAcl(made)


def _load_bucket(entry: dict[str, Any], path: str) -> None:
    from moto.s3.models import PublicAccessBlock, s3_backends
    from moto.utilities.utils import get_partition

    account = _get(entry, "Account", path, str)
    region = _get(entry, "Region", path, str)
    name = _get(entry, "Name", path, str)
    backend = s3_backends[account][get_partition(region)]
    bucket = backend.create_bucket(name, region)
    bucket.creation_date = _parse_time(_get(entry, "CreationDate", path), f"{path}.CreationDate")
    bucket.ownership_rule = _get(entry, "ObjectOwnership", path, str, optional=True)
    block = _get(entry, "PublicAccessBlock", path, dict, optional=True)
    if block is not None:
        flags = [
            _get(block, flag, f"{path}.PublicAccessBlock", bool)
            for flag in (
                "BlockPublicAcls",
                "IgnorePublicAcls",
                "BlockPublicPolicy",
                "RestrictPublicBuckets",
            )
        ]
        bucket.public_access_block = PublicAccessBlock(*flags)
    policy = _get(entry, "Policy", path, str, optional=True)
    bucket.policy = policy.encode() if policy is not None else None
    bucket.versioning_status = _get(entry, "Versioning", path, str, optional=True)
    bucket.acl = _acl(_get(entry, "Acl", path, optional=True), f"{path}.Acl")
    tags = _get(entry, "Tags", path, dict)
    if tags:
        backend.tagger.tag_resource(bucket.arn, [{"Key": k, "Value": v} for k, v in tags.items()])
    for where, item in _items(entry, "Objects", path):
        size = _get(item, "Size", where, int)
        fill = item.get("Fill")
        if fill is not None:
            value = _unb64(fill, f"{where}.Fill") * size
        elif item.get("Body") is not None:
            value = _unb64(item["Body"], f"{where}.Body")
        else:
            value = b"\0" * size
        if len(value) != size:
            raise _Unfit(f"{where}.Size", f"{size}, but the body has {len(value)} bytes")
        etag = _get(item, "ETag", where, str).strip('"')
        key = backend.put_object(
            name,
            _get(item, "Key", where, str),
            value,
            storage=_get(item, "StorageClass", where, str, optional=True),
            etag=etag,
            disable_notification=True,
        )
        key.last_modified = _naive(
            _parse_time(_get(item, "LastModified", where), f"{where}.LastModified")
        )
        key.set_metadata(dict(_get(item, "Metadata", where, dict)))
        key.set_acl(_acl(_get(item, "Acl", where, optional=True), f"{where}.Acl"))
        key.checksum_algorithm = _get(item, "ChecksumAlgorithm", where, str, optional=True)
        key.checksum_value = _get(item, "ChecksumValue", where, str, optional=True)


def _set_version(resource: Any, entry: dict[str, Any], path: str) -> None:
    resource.etag = _get(entry, "ETag", path, str)
    resource.last_modified_time = _parse_time(
        _get(entry, "LastModifiedTime", path), f"{path}.LastModifiedTime"
    )


def _set_deployment(resource: Any, entry: dict[str, Any], path: str) -> None:
    _set_version(resource, entry, path)
    status = _get(entry, "Status", path, str)
    if status not in ("InProgress", "Deployed"):
        raise _Unfit(f"{path}.Status", f"InProgress or Deployed, not {status!r}")
    resource._status = status
    resource._deployed_at = _epoch(_get(entry, "DeployedAt", path), f"{path}.DeployedAt")


def _tag(web: Any, arn: str, entry: dict[str, Any], path: str) -> None:
    tags = _get(entry, "Tags", path, list)
    if tags:
        web.tagger.tag_resource(arn, tags)


def _load_cloudfront(entry: dict[str, Any], path: str) -> None:
    from moto.cloudfront.models import cloudfront_backends

    from .invalidations import Invalidation
    from .keys import KeyGroup, PublicKey
    from .models import OriginAccessIdentity, StreamingDistribution, simulator_cloudfront_backends
    from .oac import OriginAccessControl
    from .web import WebDistribution

    account = _get(entry, "Account", path, str)
    partition = _get(entry, "Partition", path, str)
    web = cloudfront_backends[account][partition]
    own = simulator_cloudfront_backends[account][partition]

    for where, item in _items(entry, "OriginAccessIdentities", path):
        oai = OriginAccessIdentity(
            _get(item, "CallerReference", where, str), _get(item, "Comment", where, str)
        )
        oai.id = _get(item, "Id", where, str)
        oai.s3_canonical_user_id = _get(item, "S3CanonicalUserId", where, str)
        _set_version(oai, item, where)
        own.origin_access_identities[oai.id] = oai

    for where, item in _items(entry, "OriginAccessControls", path):
        control = OriginAccessControl(dict(_get(item, "OriginAccessControlConfig", where, dict)))
        control.id = _get(item, "Id", where, str)
        _set_version(control, item, where)
        web.origin_access_controls[control.id] = control

    for where, item in _items(entry, "PublicKeys", path):
        config = _get(item, "PublicKeyConfig", where, dict)
        key = PublicKey(
            caller_ref=_get(config, "CallerReference", f"{where}.PublicKeyConfig", str),
            name=_get(config, "Name", f"{where}.PublicKeyConfig", str),
            encoded_key=_get(config, "EncodedKey", f"{where}.PublicKeyConfig", str),
            comment=config.get("Comment") or "",
        )
        key.id = _get(item, "Id", where, str)
        key.location = key.location.rsplit("/", 1)[0] + f"/{key.id}"
        key.created_time = _parse_time(_get(item, "CreatedTime", where), f"{where}.CreatedTime")
        _set_version(key, item, where)
        web.public_keys[key.id] = key

    for where, item in _items(entry, "KeyGroups", path):
        config = _get(item, "KeyGroupConfig", where, dict)
        group = KeyGroup(
            name=_get(config, "Name", f"{where}.KeyGroupConfig", str),
            items=list(_get(config, "Items", f"{where}.KeyGroupConfig", list)),
            comment=config.get("Comment") or "",
        )
        group.id = _get(item, "Id", where, str)
        group.location = group.location.rsplit("/", 1)[0] + f"/{group.id}"
        _set_version(group, item, where)
        web.key_groups[group.id] = group

    for where, item in _items(entry, "Distributions", path):
        raw = _get(item, "DistributionConfig", where, dict)
        dist = WebDistribution(account, web.region_name, raw)
        dist.distribution_id = dist.id = _get(item, "Id", where, str)
        dist.arn = _get(item, "ARN", where, str)
        dist.domain_name = _get(item, "DomainName", where, str)
        _set_deployment(dist, item, where)
        web.distributions[dist.id] = dist
        _tag(web, dist.arn, item, where)

    for where, item in _items(entry, "StreamingDistributions", path):
        config = _get(item, "StreamingDistributionConfig", where, dict)
        dist = StreamingDistribution(account, partition, config)
        dist.id = _get(item, "Id", where, str)
        dist.arn = _get(item, "ARN", where, str)
        dist.domain_name = _get(item, "DomainName", where, str)
        _set_deployment(dist, item, where)
        own.streaming_distributions[dist.id] = dist
        _tag(web, dist.arn, item, where)
    for dist in own.streaming_distributions.values():  # once every identity and account is in
        dist.active_trusted_signers = own._active_trusted_signers(dist.config)

    for where, item in _items(entry, "Invalidations", path):
        dist_id = _get(item, "DistributionId", where, str)
        if dist_id not in web.distributions:
            raise _Unfit(f"{where}.DistributionId", f"no distribution {dist_id} in this account")
        invalidation = Invalidation(
            web.distributions[dist_id],
            list(_get(item, "Paths", where, list)),
            _get(item, "CallerReference", where, str),
        )
        invalidation.id = _get(item, "Id", where, str)
        invalidation.create_time = _naive(
            _parse_time(_get(item, "CreateTime", where), f"{where}.CreateTime")
        )
        invalidation.completes_at = _epoch(_get(item, "CompletesAt", where), f"{where}.CompletesAt")
        web.invalidations.setdefault(dist_id, []).append(invalidation)


def _load_acm(entry: dict[str, Any], path: str) -> None:
    from moto.acm.models import CertBundle, acm_backends

    account = _get(entry, "Account", path, str)
    region = _get(entry, "Region", path, str)
    backend = acm_backends[account][region]
    for where, item in _items(entry, "Certificates", path):
        arn = _get(item, "CertificateArn", where, str)
        try:
            bundle = CertBundle(
                account,
                _get(item, "Certificate", where, str).encode(),
                _get(item, "PrivateKey", where, str).encode(),
                region=region,
                arn=arn,
                cert_type=_get(item, "Type", where, str),
                cert_status=_get(item, "Status", where, str),
            )
        except _Unfit:
            raise
        except Exception as err:  # moto's PEM checks
            raise _Unfit(where, f"not a certificate and key moto reads ({err})") from None
        _restore_attributes(bundle, _get(item, "Attributes", where, dict), f"{where}.Attributes")
        backend._certificates[arn] = bundle


def _load_route53(entry: dict[str, Any], path: str) -> None:
    from moto.route53.models import DelegationSet, FakeZone, RecordSet, route53_backends

    account = _get(entry, "Account", path, str)
    partition = _get(entry, "Partition", path, str)
    backend = route53_backends[account][partition]
    tags = _unplain(_get(entry, "Tags", path, dict), f"{path}.Tags")
    backend.resource_tags.update(tags)
    for where, item in _items(entry, "HostedZones", path):
        zone = FakeZone(
            name=_get(item, "Name", where, str),
            id_=_get(item, "Id", where, str),
            private_zone=_get(item, "PrivateZone", where, bool),
            caller_reference=_get(item, "CallerReference", where, str),
            comment=_get(item, "Comment", where, str, optional=True),
        )
        _restore_attributes(zone, _get(item, "Attributes", where, dict), f"{where}.Attributes")
        servers = _get(item, "DelegationSet", where, dict, optional=True)
        if servers is not None:
            here = f"{where}.DelegationSet"
            zone.delegation_set = DelegationSet(
                _get(servers, "CallerReference", here, str),
                list(_get(servers, "NameServers", here, list)),
                None,
            )
            zone.delegation_set.id = _get(servers, "Id", here, str)
        for index, record in enumerate(_get(item, "RecordSets", where, list)):
            rrset = RecordSet({})
            _restore_attributes(rrset, record, f"{where}.RecordSets[{index}]")
            zone.rrsets.append(rrset)
        backend.zones[zone.resource_id] = zone


def _replay(doc: dict[str, Any]) -> None:
    for where, entry in _items(_get(doc, "s3", "$", dict), "buckets", "$.s3"):
        _load_bucket(entry, where)
    for where, entry in _items(_get(doc, "cloudfront", "$", dict), "accounts", "$.cloudfront"):
        _load_cloudfront(entry, where)
    for where, entry in _items(_get(doc, "acm", "$", dict), "accounts", "$.acm"):
        _load_acm(entry, where)
    for where, entry in _items(_get(doc, "route53", "$", dict), "accounts", "$.route53"):
        _load_route53(entry, where)
    pairs = _get(doc, "cloudfront_key_pairs", "$", dict, optional=True) or {"accounts": []}
    for where, entry in _items(pairs, "accounts", "$.cloudfront_key_pairs"):
        _load_key_pairs(entry, where)
    offset = _get(_get(doc, "clock", "$", dict), "offset_seconds", "$.clock", (int, float))
    clock = _clock()
    if clock is not None and offset > clock.offset():
        clock.advance(offset - clock.offset())  # the clock moves on, never back


def _load_key_pairs(entry: dict[str, Any], path: str) -> None:
    from .key_pairs import KeyPair, key_pair_backends

    account = _get(entry, "Account", path, str)
    partition = _get(entry, "Partition", path, str)
    backend = key_pair_backends[account][partition]
    for where, pair in _items(entry, "KeyPairs", path):
        key_id = _get(pair, "Id", where, str)
        backend.key_pairs[key_id] = KeyPair(
            key_id,
            _get(pair, "PublicKey", where, str),
            _parse_time(_get(pair, "Created", where, str), f"{where}.Created"),
            bool(_get(pair, "Active", where, bool)),
        )


def _line_of(text: str, needle: str) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def parse(data: bytes, source: str = "state") -> dict[str, Any]:
    """The document in `data`, after checking that it is JSON of this format and version."""
    if data.startswith(PICKLE_MAGIC):
        raise StateError(
            f"{source} is a state file of an earlier simulator (a pickle, version 1), not loaded: "
            "a pickle can run code; this simulator reads JSON state documents (version 2)"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise StateError(
            f"{source} is not a simulator state file (not UTF-8 text at byte {err.start})"
        ) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        if text.lstrip().startswith("{"):
            what = "is corrupt or truncated"
        else:
            what = "is not a simulator state file"
        raise StateError(
            f"{source} {what}: line {err.lineno} column {err.colno}: {err.msg}"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise StateError(f'{source} is not a simulator state file (no "format": "{FORMAT}")')
    version = doc.get("version")
    if version != VERSION:
        line = _line_of(text, '"version"')
        raise StateError(
            f"{source} line {line}: state format version "
            f"{json.dumps(version)} is not one this simulator reads (it reads {VERSION})"
        )
    return doc


def loads(data: bytes, source: str = "state") -> None:
    """Replace the world with the one in `data`; on any error (StateError) nothing changes."""
    from moto.core.base_backend import backend_lock

    doc = parse(data, source)
    with backend_lock:
        before = document(body_limit=float("inf"))  # to build again if this load fails
        try:
            _reset()
            _replay(doc)
        except Exception as err:
            _reset()
            _replay(before)
            if isinstance(err, _Unfit):
                where, reason = err.args
                raise StateError(f"{source}: {where}: {reason}") from None
            raise StateError(
                f"{source} could not be loaded ({type(err).__name__}: {err})".splitlines()[0]
            ) from None


def load_state(path: str | os.PathLike[str]) -> None:
    """Replace the world with the one saved in `path`; on any error nothing changes."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as src:
            data = src.read()
    except OSError as err:
        raise StateError(f"cannot read state from {path}: {err.strerror}") from None
    loads(data, source=path)
