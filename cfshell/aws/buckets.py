"""S3 buckets as origins: does one exist (as far as these credentials can tell)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

_MISSING = {"404", "NoSuchBucket", "NotFound"}


def bucket_exists(s3: Any, bucket: str) -> bool:
    """False only when S3 says there is no such bucket; a bucket of another account (403)
    exists as far as CloudFront is concerned."""
    try:
        s3.head_bucket(Bucket=bucket)
    except Exception as exc:
        code = str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))
        if code in _MISSING:
            return False
        if code:
            return True
        raise
    return True


def iter_buckets(s3: Any) -> Iterator[dict[str, Any]]:
    """Every bucket of the account (Name, CreationDate), as ListBuckets gives them."""
    yield from s3.list_buckets().get("Buckets", []) or []
