"""What the edge sends back: `EdgeResponse`, and the error pages of CloudFront and of S3.

Stdlib only. The texts are the services' own: CloudFront's error XML for a refused signed URL,
S3's (passed through by CloudFront) for a refused or missing object, and CloudFront's HTML
"Bad request" page for a request it cannot route.

Departure from AWS: a 502 for an origin the simulator does not fetch carries the simulator's
own plain-text explanation, not CloudFront's HTML error page.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

MISSING_KEY = ("MissingKey", "Missing Key-Pair-Id query parameter or cookie value")
UNKNOWN_KEY = ("InvalidKey", "Unknown Key")
MALFORMED_POLICY = ("MalformedPolicy", "Malformed Policy")
ACCESS_DENIED = ("AccessDenied", "Access denied")
S3_ACCESS_DENIED = ("AccessDenied", "Access Denied")
S3_NO_SUCH_KEY = ("NoSuchKey", "The specified key does not exist.")
S3_NO_SUCH_BUCKET = ("NoSuchBucket", "The specified bucket does not exist")

BAD_REQUEST_PAGE = (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" '
    '"http://www.w3.org/TR/html4/loose.dtd">\n'
    '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">\n'
    "<TITLE>ERROR: The request could not be satisfied</TITLE>\n</HEAD><BODY>\n"
    '<H1>403 ERROR</H1>\n<H2>The request could not be satisfied.</H2>\n<HR noshade size="1px">\n'
    "Bad request.\nWe can't connect to the server for this app or website at this time. "
    "There might be too much traffic or a configuration error. Try again later, or contact "
    "the app or website owner.\n</BODY></HTML>\n"
)


@dataclass
class EdgeResponse:
    """What the viewer gets. `code`/`reason` are the error's Code and Message ('' / 'OK' on
    success); `detail` is the simulator's explanation, never sent to a viewer."""

    status: int
    reason: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    code: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200


def cf_headers(extra: dict[str, str] | None = None) -> dict[str, str]:
    headers = {
        "Server": "CloudFront",
        "Via": "1.1 simulator.cloudfront.net (CloudFront)",
        "X-Amz-Cf-Pop": "SIM50-C1",
        "X-Amz-Cf-Id": secrets.token_urlsafe(42)[:56],
    }
    headers.update(extra or {})
    return headers


def cf_error(status: int, error: tuple[str, str], detail: str) -> EdgeResponse:
    """CloudFront's own refusal (a signed URL or cookies it does not accept)."""
    code, message = error
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    ).encode()
    headers = cf_headers({"Content-Type": "text/xml", "X-Cache": "Error from cloudfront"})
    return EdgeResponse(status, message, headers, body, code=code, detail=detail)


def s3_error(status: int, error: tuple[str, str], detail: str) -> EdgeResponse:
    """S3's refusal, passed on by CloudFront as the origin's answer."""
    code, message = error
    request_id = secrets.token_hex(8).upper()
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        f"<RequestId>{request_id}</RequestId><HostId>{secrets.token_urlsafe(48)}</HostId></Error>"
    ).encode()
    headers = cf_headers({"Content-Type": "application/xml", "X-Cache": "Error from cloudfront"})
    return EdgeResponse(status, message, headers, body, code=code, detail=detail)


def bad_request(detail: str) -> EdgeResponse:
    headers = cf_headers({"Content-Type": "text/html", "X-Cache": "Error from cloudfront"})
    return EdgeResponse(
        403, "Bad request", headers, BAD_REQUEST_PAGE.encode(), code="", detail=detail
    )


def redirect(location: str) -> EdgeResponse:
    return EdgeResponse(301, "Moved Permanently", cf_headers({"Location": location}))


def simulator_error(status: int, detail: str) -> EdgeResponse:
    body = f"{detail}\n".encode()
    headers = cf_headers({"Content-Type": "text/plain", "X-Cache": "Error from cloudfront"})
    return EdgeResponse(status, "Bad Gateway", headers, body, detail=detail)


def status_text(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
