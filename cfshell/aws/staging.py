"""Staging S3 for a rehearsal: buckets and objects as `sim bucket` / `sim object` make and show
them. Plain S3 calls, so they work against any simulator (in-process or served); the commands
refuse them against real AWS.

Functions take a boto3 S3 client and return plain rows; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .effects import CREATED, report


def list_buckets(s3: Any) -> list[dict[str, Any]]:
    return [
        {"Name": b["Name"], "CreationDate": b.get("CreationDate")}
        for b in s3.list_buckets().get("Buckets", [])
    ]


def create_bucket(s3: Any, name: str, *, acls_enabled: bool = False) -> None:
    """A bucket in the client's region, as S3 makes one since April 2023: ACLs disabled (Object
    Ownership 'bucket owner enforced') and Block Public Access on. `acls_enabled`: Object
    Ownership 'object writer', as the seed's (older) buckets had, so per-object ACL grants work."""
    kwargs: dict[str, Any] = {}
    region = s3.meta.region_name
    if region != "us-east-1":  # S3 wants the region named everywhere else
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    if acls_enabled:
        kwargs["ObjectOwnership"] = "ObjectWriter"
    s3.create_bucket(Bucket=name, **kwargs)
    report("bucket", name, CREATED, name)


def bucket_policy(s3: Any, bucket: str) -> str | None:
    """The bucket policy's JSON text, or None when the bucket has none."""
    try:
        return s3.get_bucket_policy(Bucket=bucket)["Policy"]
    except Exception as exc:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
        if code == "NoSuchBucketPolicy":
            return None
        raise


def list_objects(s3: Any, bucket: str, prefix: str = "") -> list[dict[str, Any]]:
    paginator = s3.get_paginator("list_objects_v2")
    return [
        {"Key": item["Key"], "Size": item.get("Size"), "LastModified": item.get("LastModified")}
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix)
        for item in page.get("Contents", []) or []
    ]


def put_objects(s3: Any, bucket: str, keys: Iterable[str], body: bytes) -> int:
    """Put `body` under each key; the number put."""
    count = 0
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=body)
        count += 1
    return count


def object_grants(s3: Any, bucket: str, key: str) -> list[dict[str, str]]:
    """The object's ACL grants: grantee (canonical ID or group URI), its type, the permission."""
    acl = s3.get_object_acl(Bucket=bucket, Key=key)
    return [
        {
            "Grantee": g["Grantee"].get("ID") or g["Grantee"].get("URI") or "",
            "Type": g["Grantee"].get("Type", ""),
            "Permission": g.get("Permission", ""),
        }
        for g in acl.get("Grants", [])
    ]
