"""Day two: `migrate ...`, `key rotate`, `key retire` (the steps are cfshell.aws.migration's).

    migrate oac [DIST] [--all] [--disable-acls] [--scan-limit N] [--yes] [--dry-run]
    migrate key-group [DIST] [--keep-signers] [--url-lifetime DURATION] [--key ID] [--dry-run]
    migrate https [DIST] [--dry-run]          (private behaviours: redirect HTTP to HTTPS)
    migrate block-public BUCKET [--dry-run]   (Block Public Access on an origin bucket)
    key rotate [GROUP] [--url-lifetime DURATION] [--dry-run]
    key retire KEY [--force] [--dry-run]

Each step prints one line: `done`, `already` (the world was so: a rerun continues where a
stopped one left off), `would` (--dry-run: nothing is written), `left` (not done, and why).
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import cmd2

from .. import keystore, names
from ..aws import distributions, migration, oai
from ..aws.waiting import format_elapsed
from ..durations import parse_duration
from ..errors import Interrupted, NotConfirmed, UsageError
from .base import CfShellCommandSet, add_yes_option, base_parser, choose, new_parser

REPORT_EVERY = 10.0


def _dry_run(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument(
        "--dry-run", action="store_true", help="print the plan, step by step; write nothing"
    )
    return parser


def _dist_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "id",
        nargs="?",
        metavar="DIST",
        help="distribution ID (default: the selected one)",
        choices_provider=choose("distribution"),
    )


def _url_lifetime(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--url-lifetime",
        metavar="DURATION",
        default="24h",
        help=f"the longest lifetime of the URLs and cookies you sign (default 24h): {what}",
    )


def _oac_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Move a distribution's S3 origin from its origin access identity (OAI) to an origin "
        "access control (OAC), in the order that keeps viewers served: the bucket policy allows "
        "the OAC first, the origin switches, the change is Deployed and checked through the "
        "edge, and only then the OAI's statement goes. A rerun continues where it stopped.",
        "examples:\n  migrate oac --dry-run\n  migrate oac E2QWRUHAPOMQZL\n"
        "  migrate oac --all --disable-acls --yes",
    )
    _dist_arg(parser)
    parser.add_argument(
        "--all", action="store_true", help="every distribution that reads through an OAI"
    )
    parser.add_argument(
        "--disable-acls",
        action="store_true",
        help="then set the bucket's Object Ownership to BucketOwnerEnforced, after a scan of "
        "who would lose ACL-based access (refused unless --yes when anyone would)",
    )
    parser.add_argument(
        "--scan-limit",
        type=int,
        default=migration.DEFAULT_SCAN_LIMIT,
        metavar="N",
        help=f"read at most N object ACLs (default {migration.DEFAULT_SCAN_LIMIT})",
    )
    add_yes_option(parser)
    return _dry_run(parser)


def _key_group_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Move a distribution from trusted signers (CloudFront key pairs) to a trusted key "
        "group: a key pair is generated (or --key taken), its key group trusted next to the "
        "signers and Deployed; then the signers are removed, after saying which signed URLs "
        "stop working and when they would have expired anyway (--keep-signers leaves them: "
        "run it again later to remove them). Sign new URLs with the new key once the group "
        "is trusted.",
        "examples:\n  migrate key-group --dry-run\n  migrate key-group --keep-signers\n"
        "  migrate key-group E2QWRUHAPOMQZL --url-lifetime 2h",
    )
    _dist_arg(parser)
    parser.add_argument(
        "--keep-signers", action="store_true", help="trust the key group, leave the signers"
    )
    _url_lifetime(parser, "says until when URLs signed by the key pairs would have been valid")
    parser.add_argument(
        "--key",
        metavar="ID",
        help="make the key group with this public key (its private key in the key store) "
        "instead of generating one",
        choices_provider=choose("key"),
    )
    return _dry_run(parser)


def _https_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Make the private behaviours of a distribution redirect HTTP to HTTPS, so that signed "
        "URLs and cookies never travel in clear.",
        "example:\n  migrate https E2QWRUHAPOMQZL",
    )
    _dist_arg(parser)
    return _dry_run(parser)


def _block_public_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Turn on S3 Block Public Access for an origin bucket: public bucket policies and ACLs "
        "stop applying; CloudFront's OAC and OAI grants keep working.",
        "example:\n  migrate block-public my-video-bucket",
    )
    parser.add_argument(
        "bucket", metavar="BUCKET", help="bucket name", choices_provider=choose("bucket")
    )
    return _dry_run(parser)


def _rotate_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Add a new key to a key group and make it the key `sign` uses; the old keys stay in "
        "the group until the URLs signed with them have expired (the command says when: then "
        "`key retire KEY`).",
        "examples:\n  key rotate\n  key rotate 3f2a...-uuid --url-lifetime 2h",
    )
    parser.add_argument(
        "id",
        nargs="?",
        metavar="GROUP",
        help="key group ID (default: the selected one)",
        choices_provider=choose("key-group"),
    )
    _url_lifetime(parser, "the old keys retire after it")
    return _dry_run(parser)


def _retire_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Remove a rotated-out key from its key groups and delete it: refused while URLs "
        "signed with it may still be valid (the time `key rotate` said), unless --force.",
        "examples:\n  key retire K2JCJMDEHXQW5F\n  key retire K2JCJMDEHXQW5F --force",
    )
    parser.add_argument("key", metavar="KEY", help="public key ID", choices_provider=choose("key"))
    parser.add_argument(
        "--force",
        action="store_true",
        help="retire it even though URLs signed with it may still be valid (they stop working)",
    )
    return _dry_run(parser)


class MigrateCommands(CfShellCommandSet):
    """`migrate` and its subcommands, `key rotate`, `key retire`."""

    DEFAULT_CATEGORY = "Day two"

    @cmd2.with_argparser(
        base_parser("Day two: from OAI to OAC, from trusted signers to key groups, and fixes.")
    )
    def do_migrate(self, args: argparse.Namespace) -> None:
        """Migrate private distributions to what AWS recommends, viewers served throughout."""
        args.cmd2_subcommand_func(args)

    # --- helpers ------------------------------------------------------------------------

    def _steps(self, args: argparse.Namespace) -> migration.Steps:
        if getattr(args, "dry_run", False):
            self.say("plan (--dry-run: nothing is written):")

        def progress(state: str, text: str) -> None:
            self.say(f"{state:<8}{text}")

        return migration.Steps(progress, dry_run=getattr(args, "dry_run", False))

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.session.clock(), UTC)

    def _wait(self, dist_id: str) -> None:
        last: dict[str, Any] = {"status": None, "shown": -1e9}

        def on_poll(elapsed: float, status: str) -> None:
            if status != last["status"] or elapsed - last["shown"] >= REPORT_EVERY:
                self.say(f"        [{format_elapsed(elapsed):>7}] {dist_id} {status}")
                last.update(status=status, shown=elapsed)

        started = time.monotonic()
        try:
            self.call_on(
                distributions.wait_deployed,
                dist_id,
                timeout=float(self.session.wait_timeout or 0),
                interval=self.session.effective_poll_interval(),
                on_poll=on_poll,
            )
        except KeyboardInterrupt:
            raise Interrupted(
                f"stopped waiting after {format_elapsed(time.monotonic() - started)}: {dist_id} "
                "was InProgress; viewers are served either way: run the same command again "
                "to continue"
            ) from None

    def _lifetime(self, text: str) -> timedelta:
        lifetime = parse_duration(text)
        if lifetime.total_seconds() <= 0:
            raise UsageError("--url-lifetime must be a positive duration, such as 24h")
        return lifetime

    def _key_file(self, key_id: str) -> str | None:
        return self.session.generated_key_files.get(key_id) or keystore.find(key_id)

    def _edge_check(self) -> migration.Check | None:
        """In a simulator: ask its edge for a sample object after the change (signed with a
        key of the store the distribution trusts; else the origin's answer to the edge)."""
        if not self.session.offline:
            return None

        def check(dist: dict[str, Any], path: str) -> str | None:
            import simulator

            url = f"https://{dist['DomainName']}{path}"
            behavior = dist["DistributionConfig"]["DefaultCacheBehavior"]
            private = any(
                (behavior.get(block) or {}).get("Enabled")
                for block in ("TrustedKeyGroups", "TrustedSigners")
            )
            signed = self._signed(dist, url) if private else url
            endpoint = None if self.session.simulate else self.session.endpoint_url
            if signed is not None:
                response = simulator.edge_request("GET", signed, endpoint_url=endpoint)
            elif endpoint is None:
                response = simulator.origin_request(url)
            else:
                return migration.NOT_CHECKED  # a served origin is asked with a signed URL only
            if response.status == 200:
                return None
            return f"{response.status} {response.code or response.reason}: {response.detail}"

        return check

    def _signed(self, dist: dict[str, Any], url: str) -> str | None:
        from ..aws import keys, signing

        config = dist["DistributionConfig"]
        behavior = config["DefaultCacheBehavior"]
        candidates: list[str] = []
        groups = behavior.get("TrustedKeyGroups") or {}
        for group_id in groups.get("Items") or [] if groups.get("Enabled") else []:
            group, _ = self.call_on(keys.get_key_group, group_id)
            candidates += group["KeyGroupConfig"].get("Items") or []
        for item in (dist.get("ActiveTrustedSigners") or {}).get("Items") or []:
            candidates += (item.get("KeyPairIds") or {}).get("Items") or []
        for key_id in candidates:
            path = self._key_file(key_id)
            if path:
                signer = signing.Signer(signing.load_private_key(path), key_id)
                return signer.sign_url(url, expires=self._now() + timedelta(minutes=5))
        return None  # no key at hand: the caller asks the origin instead

    # --- migrate oac --------------------------------------------------------------------

    @cmd2.as_subcommand_to("migrate", "oac", _oac_parser, help="from OAI to OAC")
    def _oac(self, args: argparse.Namespace) -> None:
        if args.scan_limit < 1:
            raise UsageError("--scan-limit must be at least 1")
        if args.all:
            if args.id:
                raise UsageError("give a distribution ID or --all, not both")
            ids = [
                s["Id"]
                for s in self.call(distributions.iter_summaries, self.cf())
                if distributions.oai_ids_of(self.call_on(distributions.get_config, s["Id"])[0])
            ]
            if not ids:
                self.say("no distribution reads through an origin access identity")
                return
        else:
            ids = [self.context.require("distribution", args.id)]
        for dist_id in ids:
            self._migrate_one(dist_id, args)

    def _migrate_one(self, dist_id: str, args: argparse.Namespace) -> None:
        self.say(f"migrate {dist_id} from OAI to OAC")
        steps = self._steps(args)
        result = self.call(
            migration.migrate_oac,
            self.cf(),
            self.session.client("s3"),
            dist_id,
            steps,
            wait=self._wait,
            check=self._edge_check(),
            disable_acls=args.disable_acls,
            scan_limit=args.scan_limit,
            yes=args.yes or self.session.assume_yes,
            id=dist_id,
        )
        for oai_id in result.deletable_oais:
            self._offer_oai_delete(oai_id, args)
        if not args.dry_run:
            self.say(f"{dist_id} reads its bucket through origin access control {result.oac_id}")

    def _offer_oai_delete(self, oai_id: str, args: argparse.Namespace) -> None:
        try:
            self.confirm(f"nothing uses origin access identity {oai_id} any more: delete it", args)
        except NotConfirmed:
            self.say(
                f"left    OAI {oai_id} is used by nothing: delete it with `oai delete {oai_id}`"
            )
            return
        self.call_on(oai.delete, oai_id)
        self.say(f"done    deleted origin access identity {oai_id}")

    # --- migrate key-group --------------------------------------------------------------

    @cmd2.as_subcommand_to(
        "migrate", "key-group", _key_group_parser, help="from trusted signers to a key group"
    )
    def _key_group(self, args: argparse.Namespace) -> None:
        dist_id = self.context.require("distribution", args.id)
        lifetime = self._lifetime(args.url_lifetime)
        self.say(f"migrate {dist_id} from trusted signers to a trusted key group")
        steps = self._steps(args)
        result = self.call(
            migration.migrate_key_group,
            self.cf(),
            dist_id,
            steps,
            wait=self._wait,
            url_lifetime=lifetime,
            now=self._now(),
            keep_signers=args.keep_signers,
            key_id=args.key,
            id=dist_id,
        )
        if args.dry_run:
            return
        if result.key_id:
            self.context.select("key", result.key_id)
        self.context.select("key-group", result.key_group_id)
        key = result.key_id or "a key of the group"
        self.say(
            f"{dist_id} trusts key group {result.key_group_id}: sign with {key} from now on "
            f"(`sign url URL --key-pair-id {result.key_id or 'KEY'}`; selected)"
        )

    # --- smaller fixes --------------------------------------------------------------------

    @cmd2.as_subcommand_to(
        "migrate", "https", _https_parser, help="private behaviours: redirect to HTTPS"
    )
    def _https(self, args: argparse.Namespace) -> None:
        dist_id = self.context.require("distribution", args.id)
        steps = self._steps(args)
        self.call(migration.require_https, self.cf(), dist_id, steps, wait=self._wait, id=dist_id)

    @cmd2.as_subcommand_to(
        "migrate", "block-public", _block_public_parser, help="Block Public Access on a bucket"
    )
    def _block_public(self, args: argparse.Namespace) -> None:
        bucket = names.bucket_name(args.bucket)
        steps = self._steps(args)
        self.call(migration.block_public, self.session.client("s3"), bucket, steps, bucket=bucket)

    # --- key rotate / retire --------------------------------------------------------------

    @cmd2.as_subcommand_to("key", "rotate", _rotate_parser, help="add a new key, retire the old")
    def _rotate(self, args: argparse.Namespace) -> None:
        group_id = self.context.require("key-group", args.id)
        steps = self._steps(args)
        result = self.call(
            migration.rotate_key,
            self.cf(),
            group_id,
            steps,
            wait=self._wait,
            now=self._now(),
            url_lifetime=self._lifetime(args.url_lifetime),
            id=group_id,
            kind="key-group",
        )
        if args.dry_run:
            return
        self.context.select("key", result.new_key_id)
        self.say(
            f"sign with public key {result.new_key_id} from now on (selected); "
            f"retire {', '.join(result.old_key_ids) or 'nothing'} after "
            f"{result.retire_after:%Y-%m-%d %H:%M UTC}"
        )

    @cmd2.as_subcommand_to("key", "retire", _retire_parser, help="remove a rotated-out key")
    def _retire(self, args: argparse.Namespace) -> None:
        steps = self._steps(args)
        self.call(
            migration.retire_key,
            self.cf(),
            args.key,
            steps,
            wait=self._wait,
            now=self._now(),
            force=args.force,
            id=args.key,
            kind="key",
        )
        if not args.dry_run and self.context.get("key") == args.key:
            self.context.clear("key")
