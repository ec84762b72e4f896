"""`sim get URL [--cookie NAME=VALUE]... [--ip ADDR]`: ask the simulated CloudFront edge, as a
viewer would, and print the HTTP status and the reason (on stdout). Fails unless the answer is
200, without a second error line: the status line says why.

In-process (`--simulate`) it calls `simulator.edge`; against a served simulator
(`--endpoint-url`) it sends the viewer request to the endpoint with the distribution's domain as
the `Host` header (the client IP in `X-Forwarded-For`, the URL's scheme in `X-Forwarded-Proto`),
as `curl -H 'Host: d111.cloudfront.net' http://127.0.0.1:PORT/path` would. Never against AWS.
"""

from __future__ import annotations

import argparse
import re
from typing import Any
from urllib.parse import urlsplit

import cmd2

from ..aws import distributions
from ..errors import CfShellError, Shown, UsageError
from .base import new_parser
from .distribution import ModernCommandSet

BODY_PREVIEW = 200


class EdgeRefused(Shown):
    """The edge answered with something other than 200: the status line printed says what."""


def _get_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Request URL from the simulated CloudFront edge as a viewer: checks the signed URL or "
        "cookies against the distribution's trusted key groups, then the origin grant. Prints "
        "the HTTP status and the reason; fails unless 200.",
        'examples:\n  sim get "$(sign url /videos/intro.mp4)"   (in a shell script)\n'
        "  sim get https://d111.cloudfront.net/videos/intro.mp4?Expires=...&Signature=...\n"
        "  sim get /videos/intro.mp4 --cookie CloudFront-Policy=... --ip 203.0.113.9",
    )
    parser.add_argument("url", metavar="URL", help="URL, or a path on the selected distribution")
    parser.add_argument(
        "--cookie",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        dest="cookies",
        help="a cookie to send (repeatable; a whole `A=1; B=2` header is split too)",
    )
    parser.add_argument("--ip", default="127.0.0.1", metavar="ADDR", help="the viewer's IP address")
    return parser


_SET_COOKIE_ATTRIBUTES = frozenset(
    ("domain", "path", "secure", "httponly", "expires", "max-age", "samesite", "partitioned")
)


def parse_cookies(values: list[str]) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for value in values:
        for part in value.split(";"):
            part = part.strip()
            if not part:
                continue
            if part.lower().startswith("set-cookie:"):
                part = part.split(":", 1)[1].strip()
            name, sep, content = part.partition("=")
            if name.strip().lower() in _SET_COOKIE_ATTRIBUTES:
                continue  # attributes pasted from a Set-Cookie line (Secure has no value)
            if not sep or not name.strip():
                raise UsageError(f"--cookie {value!r}: give NAME=VALUE")
            cookies[name.strip()] = content.strip()
    return cookies


class EdgeCommands(ModernCommandSet):
    """`sim get`, added to the simulator's `sim` command."""

    ABSTRACT = False
    DEFAULT_CATEGORY = "Simulator"

    @cmd2.as_subcommand_to("sim", "get", _get_parser, help="request a URL as a viewer would")
    def _sim_get(self, args: argparse.Namespace) -> None:
        import ipaddress

        try:
            ipaddress.ip_address(args.ip)
        except ValueError:
            raise UsageError(f"--ip {args.ip!r} is not an IP address") from None
        cookies = parse_cookies(args.cookies)
        url = self._full_url(args.url)
        if self.session.simulate:
            status, reason, detail = self._in_process(url, cookies, args.ip)
        elif self.session.endpoint_url and self.session.offline:
            status, reason, detail = self._served(url, cookies, args.ip)
        else:
            raise UsageError(
                "sim get plays the simulator's edge: start cfshell with --simulate or with "
                "--endpoint-url pointing at a running simulator (`curl` the real one)"
            )
        line = f"{status} {reason}" + (f" ({detail})" if detail else "")
        self.say(line)  # on stdout either way, so that `| grep 403` finds it
        if status != 200:
            raise EdgeRefused(line)

    def _full_url(self, url: str) -> str:
        if url.startswith("/"):
            dist_id = self.context.require("distribution")
            dist, _ = self.call_on(distributions.get, dist_id)
            return f"https://{dist['DomainName']}{url}"
        if not url.startswith(("http://", "https://")):
            raise UsageError(f"{url!r} is not a URL: give https://DOMAIN/PATH or a path")
        return url

    def _in_process(self, url: str, cookies: dict[str, str], ip: str) -> tuple[int, str, str]:
        self.session.require_simulator("sim get")
        from simulator import edge

        response = edge.get(url, cookies=cookies, client_ip=ip)
        reason = f"{response.code}: {response.reason}" if response.code else response.reason
        return response.status, reason, response.detail

    def _served(self, url: str, cookies: dict[str, str], ip: str) -> tuple[int, str, str]:
        import http.client

        parts = urlsplit(url)
        endpoint = urlsplit(self.session.endpoint_url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {
            "Host": parts.netloc,
            "X-Forwarded-Proto": parts.scheme,
            "X-Forwarded-For": ip,
            "User-Agent": "cfshell-sim-get",
        }
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        connection_type: Any = (
            http.client.HTTPSConnection
            if endpoint.scheme == "https"
            else http.client.HTTPConnection
        )
        connection = connection_type(endpoint.hostname, endpoint.port, timeout=30)
        try:
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            body = response.read()
        except OSError as exc:
            raise CfShellError(
                f"cannot reach the simulator at {self.session.endpoint_url}: {exc}"
            ) from None
        finally:
            connection.close()
        return response.status, _reason(response.status, response.reason, body), ""


def _reason(status: int, phrase: str, body: bytes) -> str:
    """CloudFront's error Code and Message from the body when there is one, else the phrase."""
    text = body[:4096].decode("utf-8", "replace")
    code = re.search(r"<Code>([^<]*)</Code>", text)
    message = re.search(r"<Message>([^<]*)</Message>", text)
    if code and message:
        return f"{code.group(1)}: {message.group(1)}"
    if status == 403 and "Bad request" in text:
        return "Bad request"
    return phrase
