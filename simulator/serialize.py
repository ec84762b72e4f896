"""CloudFront's timestamps on the wire: ISO 8601 to the millisecond, as AWS writes them.

moto 5.2.5 writes rest-xml timestamps with microseconds (`2026-12-03T15:00:04.886283Z`), or
none at all when they are zero. AWS writes milliseconds: `"LastModifiedTime":
"2015-08-31T21:11:29.093Z"` and `"2019-11-22T00:55:15.705Z"` in aws-cli's examples
(awscli/examples/cloudfront/list-distributions.rst, get-distribution.rst), which printed the
wire value, and `2024-08-05T18:23:40.375000+00:00` once aws-cli v2 parsed it (three digits
padded to six); Smithy's timestamp rules say the same ("Values that are more granular than
millisecond precision SHOULD be truncated to fit millisecond precision").

`CloudFrontSerializer` is moto's rest-xml serializer with that one difference, registered the
way moto registers S3's own (`moto.core.serialize.SERVICE_SPECIFIC_SERIALIZERS`), so every
CloudFront response moto serializes (Get, List, Create, Update of every resource) agrees.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def iso8601_millis(value: datetime) -> str:
    """`2026-12-03T15:00:04.886Z`: always three digits of milliseconds, truncated."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def install() -> None:
    """Register `CloudFrontSerializer` for CloudFront's rest-xml responses (idempotent)."""
    from moto.core import serialize

    class MillisecondTimestamps(serialize.TimestampSerializer):
        def _timestamp_iso8601(self, value: datetime) -> str:
            return iso8601_millis(value)

    class CloudFrontSerializer(serialize.RestXMLSerializer):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._timestamp_serializer = MillisecondTimestamps(self.DEFAULT_TIMESTAMP_FORMAT)

    specific = serialize.SERVICE_SPECIFIC_SERIALIZERS.setdefault("cloudfront", {})
    if "rest-xml" not in specific:
        specific["rest-xml"] = CloudFrontSerializer
