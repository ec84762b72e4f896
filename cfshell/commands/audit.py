"""`audit`: every finding in the account's distributions (or the selected one), with its fix.

    audit [DIST] [--all] [--max-key-age DURATION] [--output table|json] [--query JMESPATH]

One line per finding with the cfshell command that fixes it; the exit status is 0 only when
nothing is found. The checks are cfshell.aws.audit's.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

import cmd2

from ..aws import audit
from ..durations import parse_duration
from ..errors import Shown, UsageError
from ..render import fields
from .base import CfShellCommandSet, add_output_options, choose, new_parser


class FindingsFound(Shown):
    """audit found something: the findings are printed, the exit status says so."""


def _audit_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Check private distributions for what AWS calls legacy or unsafe: an OAI (use an "
        "OAC), trusted signers (use key groups), a bucket readable without CloudFront, ACLs "
        "enabled on an origin bucket, a CNAME without a valid certificate (or one expiring "
        "within 30 days), plain HTTP on a private behaviour, old keys. One line per finding "
        "with the command that fixes it; exit status 0 only when nothing is found.",
        "examples:\n  audit\n  audit --max-key-age 180d\n  audit E2QWRUHAPOMQZL --output json",
    )
    parser.add_argument(
        "id",
        nargs="?",
        metavar="DIST",
        help="only this distribution (default: every distribution in the account)",
        choices_provider=choose("distribution"),
    )
    parser.add_argument(
        "--selected",
        action="store_true",
        help="only the selected distribution",
    )
    parser.add_argument(
        "--max-key-age",
        metavar="DURATION",
        help="report public keys of trusted key groups older than this (e.g. 180d)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="accepted for uniformity: audit only reads"
    )
    return add_output_options(parser)


class AuditCommands(CfShellCommandSet):
    """`audit`."""

    DEFAULT_CATEGORY = "Day two"

    @cmd2.with_argparser(_audit_parser)
    def do_audit(self, args: argparse.Namespace) -> None:
        """Find legacy or unsafe settings in the account's distributions, with their fixes."""
        max_age = None
        if args.max_key_age:
            max_age = parse_duration(args.max_key_age)
            if max_age.total_seconds() <= 0:
                raise UsageError("--max-key-age must be a positive duration, such as 180d")
        ids = None
        if args.id or args.selected:
            ids = [self.context.require("distribution", args.id)]
        now = datetime.fromtimestamp(self.session.clock(), UTC)
        findings = self.call(
            audit.audit,
            self.cf(),
            self.session.client("s3"),
            self.session.client("acm"),
            distribution_ids=ids,
            max_key_age=max_age,
            now=now,
            id=ids[0] if ids else "",
        )
        records = audit.as_records(findings)
        if records or self.json_output(args) or args.query:
            self.show_rows(records, fields("Distribution", "Check", "Problem", "Fix"), args)
        else:
            scope = f"distribution {ids[0]}" if ids else "the account's distributions"
            self.say(f"nothing found in {scope}")
        if findings:
            raise FindingsFound(f"audit: {len(findings)} finding{'s' if len(findings) > 1 else ''}")
