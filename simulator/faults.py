"""Fault injection: an added latency per request and a rate of throttling errors.

Off by default; `settings.latency_ms` and `settings.fault_rate` turn it on (set when a simulation
starts, in-process or served). One hook serves both modes: moto builds a response object for every
CloudFront and S3 request and calls its `setup_class` first, whether the request came through
botocore in-process or over HTTP. `install()` wraps that method on the two response classes, so a
fault is decided before moto parses or touches anything, as AWS throttles before it processes a
request.

The two errors are werkzeug `HTTPException`s, as moto's own pre-dispatch errors (signature, access
denied) are, not `ServiceException`s: moto serializes a `ServiceException` from the botocore model,
which has no `Throttling` or `SlowDown` shape and so would give S3's `SlowDown` status 400
instead of AWS's 503.

Departures from AWS:
- AWS throttles by request rate; the simulator throttles a fixed share of requests at random.
- The latency is added to CloudFront and S3 API requests only, not to viewer (edge) requests.
"""

from __future__ import annotations

import random
import secrets
import time
from typing import Any

from werkzeug.exceptions import HTTPException

from .config import settings

_rng = random.Random()


class _Throttle(HTTPException):
    code = 400
    error_code = ""
    message = ""

    def __init__(self, method: str = "GET") -> None:
        super().__init__()
        self.request_id = secrets.token_hex(16)
        self.method = method

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [("Content-Type", "text/xml"), ("x-amzn-RequestId", self.request_id)]

    def get_body(self, *args: Any, **kwargs: Any) -> str:
        raise NotImplementedError


class Throttling(_Throttle):
    """CloudFront's throttling error: HTTP 400, code `Throttling`, in CloudFront's error XML."""

    code = 400
    error_code = "Throttling"
    message = "Rate exceeded"

    def get_body(self, *args: Any, **kwargs: Any) -> str:
        return (
            '<?xml version="1.0"?>\n'
            '<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">'
            f"<Error><Type>Sender</Type><Code>{self.error_code}</Code>"
            f"<Message>{self.message}</Message></Error>"
            f"<RequestId>{self.request_id}</RequestId></ErrorResponse>"
        )


class SlowDown(_Throttle):
    """S3's throttling error: HTTP 503, code `SlowDown`, in S3's error XML (no body on HEAD)."""

    code = 503
    error_code = "SlowDown"
    message = "Please reduce your request rate."

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [
            ("Content-Type", "application/xml"),
            ("x-amz-request-id", self.request_id[:16].upper()),
            ("x-amz-id-2", self.request_id),
        ]

    def get_body(self, *args: Any, **kwargs: Any) -> str:
        if self.method == "HEAD":
            return ""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{self.error_code}</Code><Message>{self.message}</Message>"
            f"<RequestId>{self.request_id[:16].upper()}</RequestId>"
            f"<HostId>{self.request_id}</HostId></Error>"
        )


def reseed(seed: int | None = None) -> None:
    """Restart the fault draw: the same seed gives the same sequence of faults."""
    _rng.seed(seed)


def delay() -> None:
    """Sleep for the configured latency (usable by other request paths, e.g. the edge)."""
    if settings.latency_ms > 0:
        time.sleep(settings.latency_ms / 1000.0)


def before_request(error: type[_Throttle], method: str) -> None:
    """Apply the configured latency, then raise `error` for the configured share of requests."""
    delay()
    rate = settings.fault_rate
    if rate > 0 and (rate >= 1 or _rng.random() < rate):
        raise error(method)


def _guard(response_class: type, error: type[_Throttle]) -> None:
    original = response_class.setup_class

    def setup_class(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        before_request(error, getattr(request, "method", "GET"))
        return original(self, request, *args, **kwargs)

    setup_class.__wrapped__ = original  # type: ignore[attr-defined]
    response_class.setup_class = setup_class


_installed = False


def install() -> None:
    """Wrap `setup_class` of moto's CloudFront and S3 responses (once per process)."""
    global _installed
    if _installed:
        return
    from moto.cloudfront.responses import CloudFrontResponse
    from moto.s3.responses import S3Response

    _guard(CloudFrontResponse, Throttling)
    _guard(S3Response, SlowDown)
    _installed = True
