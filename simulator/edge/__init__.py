"""CloudFront's edge: what a viewer gets for a request to a distribution's domain name.

`request(method, url, headers)` answers in-process; `wsgi_app` answers the same for the served
simulator, where the launcher routes a request whose `Host` is a distribution's domain name or
alias here; `client.request` sends a viewer request to a served simulator. Each returns what
CloudFront would: the object (200), or an error with CloudFront's (or S3's, passed through)
status, code and message, as an `EdgeResponse`. Its `detail` says which check failed, in the
simulator's words: CloudFront itself does not tell (it answers "Access denied" for an expired
URL, a bad signature, a wrong IP alike), so `detail` is never part of the body.

The steps, in CloudFront's order, each in its own module (where its departures from AWS are):

1. `routing`: the distribution by Host, the cache behaviour by path. None, or a disabled
   distribution: 403 with CloudFront's "Bad request" page (`replies`).
2. Here: HTTP on `redirect-to-https` is a 301 to the https URL; on `https-only` a 403; methods
   other than GET and HEAD a 403.
3. `viewer_auth`: the signed URL or cookies, if the behaviour trusts key groups.
4. `routing.origin_of`, then `origin_auth`: the object, fetched from S3 as the origin's
   principal (OAC, OAI or anonymous), S3's answer passed on.

Importing this package is cheap (no moto): moto is reached only when a request is answered.

Departures from AWS (of the steps here):
- The "Bad request" page for an unknown or disabled distribution is CloudFront's text for a
  request it cannot route; AWS's DNS would not resolve an unknown *.cloudfront.net name at all.
- Served, the scheme is taken from ``X-Forwarded-Proto``, else https: the served simulator
  plays an HTTPS edge reached over plain HTTP on loopback, so that URLs signed for
  ``https://d....cloudfront.net`` verify there. The viewer's IP is the first address of
  ``X-Forwarded-For``, else the peer's (in-process: 127.0.0.1).
- No caching, no geo restriction, no functions, no custom error responses, no range requests;
  methods other than GET and HEAD are 403 (as for a behaviour allowing only GET and HEAD).
- The time is this machine's clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from . import origin_auth, routing, viewer_auth
from .replies import EdgeResponse, bad_request, redirect, simulator_error, status_text
from .routing import DEFAULT_ACCOUNT_ID, is_edge_host

__all__ = ["EdgeResponse", "get", "is_edge_host", "request", "viewer_request", "wsgi_app"]


def request(
    method: str, url: str, headers: Mapping[str, str] | None = None, *, now: datetime | None = None
) -> EdgeResponse:
    """A viewer's request for `url` (http or https), with the headers the edge reads: `Cookie`
    (signed cookies) and `X-Forwarded-For` (the viewer's IP), as the served edge reads them."""
    named = {name.lower(): value for name, value in (headers or {}).items()}
    return get(
        url,
        cookies=parse_cookie_header(named.get("cookie", "")),
        client_ip=_client_ip(named.get("x-forwarded-for", ""), "127.0.0.1"),
        method=method.upper(),
        now=now,
    )


def get(
    url: str,
    *,
    cookies: Mapping[str, str] | None = None,
    client_ip: str = "127.0.0.1",
    account_id: str = DEFAULT_ACCOUNT_ID,
    method: str = "GET",
    now: datetime | None = None,
) -> EdgeResponse:
    """The viewer request for a full URL (http or https), cookies given as pairs."""
    parts = urlsplit(url)
    return viewer_request(
        parts.netloc,
        parts.path or "/",
        parts.query,
        cookies or {},
        client_ip,
        account_id,
        scheme=parts.scheme or "https",
        method=method,
        now=now,
    )


def viewer_request(
    host_or_distribution: str,
    path: str,
    query: str | Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    cookies: Mapping[str, str] | None = None,
    client_ip: str = "127.0.0.1",
    account_id: str = DEFAULT_ACCOUNT_ID,
    *,
    scheme: str = "https",
    method: str = "GET",
    now: datetime | None = None,
) -> EdgeResponse:
    """A viewer's request to a distribution, checked and answered as CloudFront's edge does.

    `host_or_distribution` is the Host (domain name or alias, a port is ignored) or the
    distribution ID; `path` the URL path as sent (percent-encoded); `query` the raw query string
    (order kept, needed to verify a canned policy) or pairs; `cookies` the Cookie header's pairs.
    """
    raw_query = _raw_query(query)
    try:
        route = routing.route(host_or_distribution, path, account_id)
    except routing.NoRoute as refused:
        return bad_request(str(refused))

    protocol = route.viewer_protocol_policy
    if scheme == "http" and protocol == "redirect-to-https":
        return redirect(f"https://{route.domain}{path}" + (f"?{raw_query}" if raw_query else ""))
    if scheme == "http" and protocol == "https-only":
        return bad_request("the cache behaviour is https-only")
    if method not in ("GET", "HEAD"):
        return bad_request(f"{method} is not allowed by the cache behaviour")

    refusal = viewer_auth.check(
        route, scheme, path, raw_query, cookies or {}, client_ip, now or _now()
    )
    if refusal is not None:
        return refusal

    try:
        origin = routing.origin_of(route, path)
    except routing.NoOrigin as missing:
        return simulator_error(502, str(missing))
    response = origin_auth.fetch(route, origin)
    if method == "HEAD":
        response.body = b""
    return response


def wsgi_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """The served edge: a WSGI app for requests whose Host is a distribution's domain name."""
    path = quote(environ.get("PATH_INFO", "/").encode("latin-1"), safe="/%;:@&=+$,!~*'()")
    response = viewer_request(
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
        path or "/",
        environ.get("QUERY_STRING", ""),
        parse_cookie_header(environ.get("HTTP_COOKIE", "")),
        _client_ip(environ.get("HTTP_X_FORWARDED_FOR", ""), environ.get("REMOTE_ADDR", "")),
        scheme=environ.get("HTTP_X_FORWARDED_PROTO", "https"),
        method=environ.get("REQUEST_METHOD", "GET"),
    )
    headers = dict(response.headers)
    headers["Content-Length"] = str(len(response.body))
    start_response(f"{response.status} {status_text(response.status)}", list(headers.items()))
    return [response.body]


def parse_cookie_header(header: str) -> dict[str, str]:
    """The pairs of a Cookie header; a malformed header counts as no cookies."""
    if not header:
        return {}
    from http.cookies import CookieError, SimpleCookie

    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def _client_ip(forwarded_for: str, peer: str) -> str:
    return forwarded_for.split(",")[0].strip() or peer or "127.0.0.1"


def _now() -> datetime:
    # The edge's one reading of the time (signed URLs' Expires and DateGreaterThan): the
    # simulator's clock, which replays advance.
    from .. import clock

    return clock.now_datetime()


def _raw_query(query: Any) -> str:
    if query is None:
        return ""
    if isinstance(query, str):
        return query.lstrip("?")
    from urllib.parse import urlencode

    pairs = query.items() if isinstance(query, Mapping) else query
    return urlencode(list(pairs), safe="~")
