"""`sim get URL [--cookie NAME=VALUE]... [--ip ADDR]`: ask the simulated CloudFront edge, as a
viewer would, and print the HTTP status and the reason (on stdout). Fails unless the answer is
200, without a second error line: the status line says why.

In-process (`--simulate`) and against a served simulator (`--endpoint-url`) alike, through
`simulator.edge_request`: served, the viewer request goes to the endpoint with the
distribution's domain as the `Host` header, as `curl -H 'Host: d111.cloudfront.net'
http://127.0.0.1:PORT/path` would. The client IP travels in `X-Forwarded-For`, the cookies in
`Cookie`, in both modes. Never against AWS.
"""

from __future__ import annotations

import argparse

import cmd2

from ..errors import CfShellError, Shown, UsageError
from .base import new_parser
from .distribution import ModernCommandSet

BODY_PREVIEW = 200


class ViewerRefused(Shown):
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


class ViewerCommands(ModernCommandSet):
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
        url = self.viewer_url(args.url, web_only=True)
        headers = {"X-Forwarded-For": args.ip}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if self.session.simulate:
            self.session.require_simulator("sim get")
            endpoint_url = None
        elif self.session.endpoint_url and self.session.offline:
            endpoint_url = self.session.endpoint_url
        else:
            raise UsageError(
                "sim get plays the simulator's edge: start cfshell with --simulate or with "
                "--endpoint-url pointing at a running simulator (`curl` the real one)"
            )
        import simulator

        try:
            response = simulator.edge_request("GET", url, headers, endpoint_url=endpoint_url)
        except OSError as exc:
            if endpoint_url is None:
                raise
            raise CfShellError(f"cannot reach the simulator at {endpoint_url}: {exc}") from None
        reason = f"{response.code}: {response.reason}" if response.code else response.reason
        line = f"{response.status} {reason}" + (f" ({response.detail})" if response.detail else "")
        self.say(line)  # on stdout either way, so that `| grep 403` finds it
        if response.status != 200:
            raise ViewerRefused(line)
