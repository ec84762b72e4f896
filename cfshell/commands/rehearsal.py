"""`sim traffic` and `sim key-pair`: rehearsing day two in the simulator.

    sim traffic URL... [--rate N] [--duration S] [--cookie NAME=VALUE]...
    sim traffic status | sim traffic stop
    sim key-pair create
    sim propagation [--previous-share R] [--seed N]

`sim traffic` plays viewers who keep requesting signed URLs through the simulator's edge in the
background while a migration runs; `stop` prints every non-2xx answer with its reason and fails
when there was one. Simulator only (in-process, or a served simulator on this machine).
"""

from __future__ import annotations

import argparse
from typing import Any
from urllib.parse import urlsplit

import cmd2

from ..errors import Shown, UsageError
from .base import CfShellCommandSet, base_parser, new_parser


class TrafficRefused(Shown):
    """Some simulated viewer requests got something other than 2xx (printed by `stop`)."""


def _traffic_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Simulated viewers: request the given (signed) URLs through the simulator's edge in "
        "the background, in turn, RATE a second for S seconds. `sim traffic status` shows "
        "what they got so far, `sim traffic stop` ends it and lists every non-2xx answer "
        "with its reason (and fails if there was one). Signed URLs are never printed.",
        'examples:\n  sim traffic "$(sign url /videos/intro.mp4 --expires 2h)" --rate 20 '
        "--duration 300\n  sim traffic status\n  sim traffic stop",
    )
    parser.add_argument(
        "urls",
        nargs="+",
        metavar="URL",
        help="URLs to request (a path: on the selected distribution); or `status`, `stop`",
    )
    parser.add_argument(
        "--rate", type=float, default=10.0, metavar="N", help="requests a second (default 10)"
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=300.0,
        metavar="S",
        help="seconds before it stops by itself (default 300)",
    )
    parser.add_argument(
        "--sign",
        action="store_true",
        help="sign each URL first, as `sign url` would (the selected key, or --key-pair-id), "
        "valid for the whole run: nothing secret in the command line or a transcript",
    )
    parser.add_argument(
        "--key-pair-id", metavar="ID", help="with --sign: the key (public key or key pair) ID"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would be requested; request nothing"
    )
    parser.add_argument(
        "--cookie",
        action="append",
        default=[],
        dest="cookies",
        metavar="NAME=VALUE",
        help="a cookie sent with every request (signed cookies)",
    )
    return parser


def _key_pair_create_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Make a CloudFront key pair for the account, as the console did for the root user: "
        "prints its ID (APKA...) and writes its private key as pk-ID.pem (0600) into the key "
        "store, where `sign --key-pair-id ID` finds it. At most two active key pairs per "
        "account, as on AWS. Distributions trusting signers ('self') accept URLs signed with it.",
        "examples:\n  sim key-pair create\n  sign url /videos/intro.mp4 --key-pair-id APKA...",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would be made; make nothing"
    )
    return parser


def _propagation_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "While a distribution is InProgress, the simulator's edge serves a share of requests "
        "with the previous deployed configuration (as CloudFront's edges not yet updated), the "
        "rest with the new one; once Deployed, only the new one. Set the share (0 to 1, "
        "default 0.5) and the seed of the draw; without options, show them.",
        "examples:\n  sim propagation\n  sim propagation --previous-share 1\n"
        "  sim propagation --previous-share 0.3 --seed 7",
    )
    parser.add_argument(
        "--previous-share", type=float, metavar="R", help="share served the previous config"
    )
    parser.add_argument("--seed", type=int, metavar="N", help="seed of the draw (repeatable)")
    return parser


class RehearsalCommands(CfShellCommandSet):
    """`sim traffic` (added to the simulator's `sim` command)."""

    DEFAULT_CATEGORY = "Simulator"

    def _endpoint(self, what: str) -> str | None:
        if self.session.simulate:
            self.session.require_simulator(what)
            return None
        if self.session.endpoint_url and self.session.offline:
            return self.session.endpoint_url
        raise UsageError(
            f"{what} plays viewers of the simulator's edge: start cfshell with --simulate or "
            "with --endpoint-url of a simulator on this machine"
        )

    @cmd2.as_subcommand_to(
        "sim", "traffic", _traffic_parser, help="simulated viewers in the background"
    )
    def _traffic(self, args: argparse.Namespace) -> None:
        import simulator

        if args.urls == ["stop"]:
            self._show(simulator.traffic_stop(), final=True)
            return
        if args.urls == ["status"]:
            self._show(simulator.traffic_status(), final=False)
            return
        endpoint = self._endpoint("sim traffic")
        urls = [self.viewer_url(u, web_only=True) for u in args.urls]
        if args.sign:
            urls = self._signed(urls, args)
        elif args.key_pair_id:
            raise UsageError("--key-pair-id goes with --sign")
        if args.dry_run:
            hosts = sorted({urlsplit(u).netloc for u in urls})
            self.say(
                f"would request {len(urls)} URL{'s' if len(urls) > 1 else ''} on "
                f"{', '.join(hosts)}, {args.rate:g} a second for at most {args.duration:g}s"
            )
            return
        headers: dict[str, str] = {}
        if args.cookies:
            from .viewer import parse_cookies

            cookies = parse_cookies(args.cookies)
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        try:
            simulator.traffic_start(
                urls,
                rate=args.rate,
                duration=args.duration,
                headers=headers,
                endpoint_url=endpoint,
            )
        except ValueError as exc:
            raise UsageError(f"sim traffic: {exc}") from None
        hosts = sorted({urlsplit(u).netloc for u in urls})
        self.say(
            f"traffic: {len(urls)} URL{'s' if len(urls) > 1 else ''} on {', '.join(hosts)}, "
            f"{args.rate:g} a second for at most {args.duration:g}s"
            + (" (signed)" if args.sign else "")
            + " (`sim traffic status`, `sim traffic stop`)"
        )

    @cmd2.as_subcommand_to(
        "sim", "propagation", _propagation_parser, help="the edge while InProgress"
    )
    def _propagation(self, args: argparse.Namespace) -> None:
        self.session.require_simulator("sim propagation")
        import simulator

        changes: dict[str, Any] = {}
        if args.previous_share is not None:
            changes["previous_share"] = args.previous_share
        if args.seed is not None:
            changes["edge_seed"] = args.seed
        try:
            current = simulator.configure(**changes) if changes else simulator.settings()
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        seed = current["edge_seed"]
        self.say(
            f"while InProgress, {current['previous_share']:.0%} of edge requests get the "
            f"previous configuration (seed {'random' if seed is None else seed})"
        )

    @cmd2.as_subcommand_to(
        "sim",
        "key-pair",
        base_parser("CloudFront key pairs (trusted signers), as the AWS console made them."),
        help="CloudFront key pairs",
    )
    def _key_pair(self, args: argparse.Namespace) -> None:
        args.cmd2_subcommand_func(args)

    @cmd2.as_subcommand_to(
        "sim key-pair", "create", _key_pair_create_parser, help="make a key pair (console)"
    )
    def _key_pair_create(self, args: argparse.Namespace) -> None:
        import os

        from .. import keystore
        from ..aws import effects

        endpoint = self.session.simulator_endpoint("sim key-pair create")
        import simulator

        if args.dry_run:
            self.say(
                "would create a CloudFront key pair and write its private key as pk-ID.pem "
                f"(0600) in {keystore.display(keystore.directory())}"
            )
            return

        try:
            store = keystore.ensure_directory()
        except OSError as exc:
            raise UsageError(f"cannot make the key store {keystore.directory()}: {exc}") from None
        try:
            key_pair_id, pem = simulator.create_key_pair(self._account_id(), endpoint_url=endpoint)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:
            raise UsageError(f"cannot reach the simulator at {endpoint}: {exc}") from None
        path = keystore.key_pair_path(key_pair_id)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(pem)
        effects.report("key", key_pair_id, effects.CREATED, "CloudFront key pair")
        self.context.select("key", key_pair_id, "CloudFront key pair")
        self.say(f"created CloudFront key pair {key_pair_id} (selected)")
        self.say(f"  private key: {keystore.display(path)} (0600; in {keystore.display(store)})")

    def _account_id(self) -> str:
        sts = self.session.client("sts")
        return str(self.call(sts.get_caller_identity)["Account"])

    def _signed(self, urls: list[str], args: argparse.Namespace) -> list[str]:
        """The URLs signed (canned policy) to outlive the run by an hour."""
        from datetime import UTC, datetime, timedelta

        from .. import keystore
        from ..aws import keys, signing

        key_id = args.key_pair_id or self.context.get("key")
        if not key_id and self.context.get("key-group"):
            group_id = self.context.get("key-group")
            group, _ = self.call_on(keys.get_key_group, group_id, kind="key-group")
            items = group["KeyGroupConfig"].get("Items") or []
            key_id = next((k for k in items if keystore.find(k)), "")
        if not key_id:
            raise UsageError("--sign needs a key: give --key-pair-id ID, or `use key ID`")
        path = self.session.generated_key_files.get(key_id) or keystore.find(key_id)
        if not path:
            raise UsageError(f"no private key of {key_id} in the key store: give another key")
        signer = signing.Signer(signing.load_private_key(path), key_id)
        now = datetime.fromtimestamp(self.session.clock(), UTC)
        expires = now + timedelta(seconds=args.duration) + timedelta(hours=1)
        return [signer.sign_url(u, expires=expires) for u in urls]

    def _show(self, summary: dict[str, Any] | None, *, final: bool) -> None:
        if summary is None:
            self.say("no traffic has run: start it with `sim traffic URL...`")
            return
        counts = ", ".join(f"{n} x {status}" for status, n in summary["statuses"].items())
        state = "running" if summary["running"] else "stopped"
        self.say(
            f"traffic {state}: {summary['requests']} requests in {summary['seconds']:.1f}s"
            + (f": {counts}" if counts else "")
        )
        groups: dict[tuple, list[dict[str, Any]]] = {}
        for refusal in summary["refusals"]:
            key = (refusal["status"], refusal["code"], refusal["reason"], refusal["detail"])
            groups.setdefault(key, []).append(refusal)
        for (status, code, reason, detail), items in groups.items():
            first = items[0]
            what = f"{code}: {reason}" if code else reason
            self.say(
                f"  {status} {what} x {len(items)}, first at +{first['at']:.1f}s on "
                f"{first['url']}" + (f" ({detail})" if detail else "")
            )
        if summary["refused"] > len(summary["refusals"]):
            self.say(f"  ... {summary['refused'] - len(summary['refusals'])} more not kept")
        if final and summary["refused"]:
            raise TrafficRefused(f"{summary['refused']} requests were not answered with 2xx")
