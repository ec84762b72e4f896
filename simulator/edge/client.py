"""A viewer request sent to a served simulator's edge over HTTP (stdlib only, no moto).

As `curl -H 'Host: d111.cloudfront.net' http://127.0.0.1:PORT/path` would: the URL's host goes
in the `Host` header and its scheme in `X-Forwarded-Proto`, the request to the endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from .replies import EdgeResponse

USER_AGENT = "cfshell-sim-get"


def request(
    endpoint_url: str,
    method: str,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    timeout: float = 30,
) -> EdgeResponse:
    """The served edge's answer; `code` and `reason` read from the error body when there is
    one (only the status and body travel: `detail` stays empty). OSError if unreachable."""
    import http.client

    parts = urlsplit(url)
    endpoint = urlsplit(endpoint_url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = {"Host": parts.netloc, "X-Forwarded-Proto": parts.scheme, "User-Agent": USER_AGENT}
    sent.update(headers or {})
    connection_type: Any = (
        http.client.HTTPSConnection if endpoint.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_type(endpoint.hostname, endpoint.port, timeout=timeout)
    try:
        connection.request(method, target, headers=sent)
        answer = connection.getresponse()
        body = answer.read()
    finally:
        connection.close()
    code, reason = _error_of(answer.status, answer.reason, body)
    return EdgeResponse(answer.status, reason, dict(answer.getheaders()), body, code=code)


def _error_of(status: int, phrase: str, body: bytes) -> tuple[str, str]:
    """(Code, Message) of CloudFront's or S3's error body, else ('', the status phrase)."""
    text = body[:4096].decode("utf-8", "replace")
    code = re.search(r"<Code>([^<]*)</Code>", text)
    message = re.search(r"<Message>([^<]*)</Message>", text)
    if code and message:
        return code.group(1), message.group(1)
    if status == 403 and "Bad request" in text:
        return "", "Bad request"
    return "", phrase
