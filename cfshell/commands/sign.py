"""`sign url` and `sign cookies`: what a viewer needs to reach a private distribution.

    sign url URL [--key-pair-id ID] [--private-key FILE] [--expires DURATION|TIME] [--starts TIME]
                 [--ip CIDR] [--resource PATTERN] [--hash sha1|sha256] [--from-file FILE]
    sign cookies URL [same options] [--curl]

Defaults come from the session: the selected public key (or the selected key group's key) is the
Key-Pair-Id, the private key file is the one `key generate` wrote for it (found in the key store
by the key's ID), and a URL or a --resource given as a path alone (`/videos/intro.m3u8`,
`/videos/*`) is on the selected distribution's domain. An expiry in the past, or a start not
before the expiry, is refused. "Now" is the session's clock: the simulator's, in a rehearsal.
"""

from __future__ import annotations

import argparse
import re
import shlex
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import cmd2

from .. import durations, keystore
from ..aws import keys, signing
from ..errors import UsageError
from .base import base_parser, choose
from .distribution import ModernCommandSet

DEFAULT_EXPIRES = "1h"
CHUNK = 1000  # URLs printed per write on the --from-file path
TIME_OPTIONS = ("--expires", "--starts")


class SignParser(cmd2.Cmd2ArgumentParser):
    """Reads `--expires 2 hours`, typed at the prompt without quotes, as one value.

    Without this the word `hours` is left over and the parent `sign` parser answers with its
    usage; only words that extend the value into a longer duration are joined."""

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        if args is not None:
            args = join_time_words(list(args))
        return super().parse_known_args(args, namespace)


def join_time_words(tokens: list[str]) -> list[str]:
    """`["--expires", "2", "hours", URL]` -> `["--expires", "2 hours", URL]`."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        out.append(token)
        i += 1
        if token not in TIME_OPTIONS or i >= len(tokens):
            continue
        value = tokens[i]
        i += 1
        extended = True
        while extended:
            extended = False
            for take in (1, 2):  # `hours`, or `30 minutes`
                words = tokens[i : i + take]
                longer = " ".join([value, *words])
                if len(words) == take and durations.is_duration(longer.lstrip("+-")):
                    value, i, extended = longer, i + take, True
                    break
        out.append(value)
    return out


def _new_parser(description: str, epilog: str) -> SignParser:
    return SignParser(
        description=description,
        epilog=epilog,
        formatter_class=cmd2.RawDescriptionCmd2HelpFormatter,
    )


def _signing_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--key-pair-id",
        metavar="ID",
        help="public key ID (default: the selected key, or the selected key group's)",
        choices_provider=choose("key"),
    )
    parser.add_argument(
        "--private-key",
        metavar="FILE",
        completer=cmd2.Cmd.path_complete,
        help="private key file (default: the file `key generate` wrote in this session)",
    )
    parser.add_argument(
        "--expires",
        default=DEFAULT_EXPIRES,
        metavar="DURATION|TIME",
        help=f"from now ({durations.DURATION_HELP}, +2h), or an ISO-8601 time (default 1h)",
    )
    parser.add_argument(
        "--starts",
        metavar="TIME",
        help="not valid before: a duration from now or an ISO-8601 time (custom policy)",
    )
    parser.add_argument(
        "--ip", metavar="CIDR", help="only for viewers in this range (custom policy)"
    )
    parser.add_argument(
        "--resource",
        metavar="PATTERN",
        help="URL pattern the signature covers, * and ? allowed, or a path on the selected "
        "distribution such as '/videos/*' (custom policy)",
    )
    parser.add_argument(
        "--hash",
        choices=signing.HASH_ALGORITHMS,
        default=signing.SHA1,
        help="signature hash (default sha1; sha256 adds Hash-Algorithm=SHA256)",
    )
    # argparse takes `--expires -1h` for an unknown option `-1h` ("expected one argument");
    # read a negative duration as a value, as it reads -1, so the window check can answer.
    parser._negative_number_matcher = re.compile(  # noqa: SLF001 - argparse's own hook
        rf"^-\d+$|^-\d*\.\d+$|{durations.NEGATIVE_DURATION.pattern}", re.IGNORECASE
    )


def _url_parser() -> cmd2.Cmd2ArgumentParser:
    parser = _new_parser(
        "Print a signed URL, alone on a line: canned policy when only an expiry is given, "
        "custom policy with --starts, --ip or --resource, or for a URL holding *.",
        "examples:\n  sign url /videos/intro.m3u8\n"
        "  sign url https://d111.cloudfront.net/v/a.mp4 --expires 2h --ip 203.0.113.0/24\n"
        "  sign url --from-file urls.txt --expires 1d > signed.txt",
    )
    parser.add_argument(
        "url", nargs="?", metavar="URL", help="URL, or a path on the selected distribution"
    )
    _signing_options(parser)
    parser.add_argument(
        "--from-file",
        metavar="FILE",
        completer=cmd2.Cmd.path_complete,
        help="sign every URL (or path) in FILE, one per line",
    )
    return parser


def _cookies_parser() -> cmd2.Cmd2ArgumentParser:
    parser = _new_parser(
        "Print signed cookies as Set-Cookie lines (or a `curl -b` argument). A canned policy "
        "covers exactly URL; a URL or --resource holding * (such as '/videos/*') gives a custom "
        "policy for a whole directory.",
        "examples:\n  sign cookies /videos/ --resource '/videos/*'\n"
        "  sign cookies 'https://d111.cloudfront.net/hls/*' --expires '2 hours'\n"
        "  sign cookies /videos/intro.m3u8 --curl",
    )
    parser.add_argument("url", metavar="URL", help="URL, or a path on the selected distribution")
    _signing_options(parser)
    parser.add_argument("--curl", action="store_true", help="print a `curl -b` argument instead")
    return parser


class SignCommands(ModernCommandSet):
    """`sign url` and `sign cookies`."""

    ABSTRACT = False
    DEFAULT_CATEGORY = "Signing keys"

    @cmd2.with_argparser(base_parser("Signed URLs and cookies for a private distribution."))
    def do_sign(self, args: argparse.Namespace) -> None:
        """Signed URLs and cookies."""
        args.cmd2_subcommand_func(args)

    @cmd2.as_subcommand_to("sign", "url", _url_parser, help="print a signed URL")
    def _url(self, args: argparse.Namespace) -> None:
        if bool(args.url) == bool(args.from_file):
            raise UsageError("give either a URL or --from-file FILE")
        expires, starts = self._times(args)
        signer = self._signer(args)
        resource = self.viewer_url(args.resource) if args.resource else None
        custom = {"starts": starts, "ip_range": args.ip, "resource": resource}
        if not args.from_file:
            url = self.viewer_url(args.url)
            self.say(signer.sign_url(url, expires=expires, **custom))
            return
        lines = self._read_lines(args.from_file)
        if starts is None and not args.ip and not resource:
            signed: Iterator[str] = signer.sign_urls(self._full_urls(lines), expires=expires)
        else:
            signed = (signer.sign_url(u, expires=expires, **custom) for u in self._full_urls(lines))
        chunk: list[str] = []
        for url in signed:
            chunk.append(url)
            if len(chunk) >= CHUNK:
                self.say("\n".join(chunk))
                chunk.clear()
        if chunk:
            self.say("\n".join(chunk))

    @cmd2.as_subcommand_to("sign", "cookies", _cookies_parser, help="print signed cookies")
    def _cookies(self, args: argparse.Namespace) -> None:
        expires, starts = self._times(args)
        signer = self._signer(args)
        url = self.viewer_url(args.url)
        resource = self.viewer_url(args.resource) if args.resource else None
        cookies = signer.sign_cookies(
            url, expires=expires, starts=starts, ip_range=args.ip, resource=resource
        )
        if args.curl:
            self.say(f"-b {shlex.quote(cookies.cookie_header())}")
            return
        for header in cookies.set_cookie_headers():
            self.say(f"Set-Cookie: {header}")

    # --- helpers ----------------------------------------------------------------------------

    def _signer(self, args: argparse.Namespace) -> signing.Signer:
        key_id = args.key_pair_id or self._default_key_id()
        path = args.private_key or self.key_files().get(key_id) or keystore.find(key_id)
        if not path:
            raise UsageError(
                f"no private key file known for public key {key_id} (none in the key store "
                f"{keystore.display(keystore.directory())}): give --private-key FILE"
            )
        key = signing.load_private_key(path)
        warning = key.permission_warning()
        if warning:
            self._cmd.perror(warning)
        return signing.Signer(key, key_id, hash_algorithm=args.hash)

    def _default_key_id(self) -> str:
        selected = self.context.get("key")
        if selected:
            return selected
        group_id = self.context.get("key-group")
        if not group_id:
            raise UsageError(
                "no key selected: give --key-pair-id ID, `use key ID`, or run `key generate NAME`"
            )
        group, _ = self.call_on(keys.get_key_group, group_id)
        items = list(group["KeyGroupConfig"].get("Items") or [])
        known = [k for k in items if k in self.key_files() or keystore.find(k)]
        if known or items:
            return (known or items)[0]
        raise UsageError(f"key group {group_id} holds no key: give --key-pair-id ID")

    def _times(self, args: argparse.Namespace) -> tuple[datetime, datetime | None]:
        # Now as the services see it: a rehearsal's clock is the simulator's, which replays
        # advance, so a URL signed for 1h expires 1h after the command on that clock.
        now = datetime.fromtimestamp(self.session.clock(), UTC)
        expires = signing.parse_time(args.expires, now=now)
        starts = signing.parse_time(args.starts, now=now) if args.starts else None
        signing.check_window(expires, starts, now=now)
        if args.ip:
            args.ip = signing.normalize_cidr(args.ip)
        return expires, starts

    def _full_urls(self, lines: list[str]) -> Iterator[str]:
        domain = None
        for line in lines:
            url = line.strip()
            if not url:
                continue
            if url.startswith("/"):
                domain = domain or self.selected_domain()
                url = f"https://{domain}{url}"
            yield url

    @staticmethod
    def _read_lines(path: str) -> list[str]:
        import os

        try:
            with open(os.path.expanduser(path), encoding="utf-8") as handle:
                return handle.read().splitlines()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}") from None
