"""`streaming ...`: the RTMP streaming distributions of the seed's workflow.

streaming list | get [ID] | wait [ID] [--timeout S]
streaming create BUCKET [--cname HOST]... [-m TEXT] [--oai [ID]] [--trusted-signer A|self]... [--disabled]
streaming modify [ID] [-m TEXT] [--enable|--disable] [--oai [ID] | --no-oai]
                      [--trusted-signer A|self]... [--cname HOST]... [--add-cname HOST] [--remove-cname HOST]
streaming delete [ID] [ETAG] [--force] [--yes]
"""

from __future__ import annotations

import argparse
from typing import Any

import cmd2

from .. import names
from ..aws import streaming
from ..errors import UsageError
from ..render import Field, cell, fields
from .base import CfShellCommandSet, base_parser, new_parser
from .lifecycle import (
    SELECTED,
    Deployable,
    DeployableCommands,
    delete_parser,
    get_parser,
    id_arg,
    list_parser,
    wait_parser,
)

KIND = Deployable(
    command="streaming",
    noun="streaming distribution",
    service=streaming,
    choose=CfShellCommandSet.choose_streaming,
)

GET_VIEW = fields(
    ("Id", "ID"),
    "ETag",
    "Status",
    "Enabled",
    ("DomainName", "Domain name"),
    "Origin",
    "CNAMEs",
    "Comment",
    ("OriginAccessIdentity", "OAI"),
    ("TrustedSigners", "Trusted signers"),
    Field(
        "ActiveSigners",
        "Active signers",
        lambda signers: (
            "; ".join(f"{s['AwsAccountNumber']}: {cell(s['KeyPairIds'])}" for s in signers or [])
            or "-"
        ),
    ),
    ("LastModifiedTime", "Last modified"),
)
LIST_VIEW = fields(
    ("Id", "ID"),
    "Status",
    "Enabled",
    ("DomainName", "Domain name"),
    "Origin",
    "CNAMEs",
    "Comment",
)


def _oai_option(parser: argparse.ArgumentParser | Any) -> None:
    parser.add_argument(
        "-o",
        "--oai",
        nargs="?",
        const=SELECTED,
        metavar="ID",
        help="origin access identity (without ID: the selected one)",
        choices_provider=CfShellCommandSet.choose_oai,
    )


def _signer_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-t",
        "--trusted-signer",
        action="append",
        metavar="ACCOUNT|self",
        dest="trusted_signers",
        help="account allowed to sign URLs, `self` or 12 digits (repeatable; replaces all)",
    )


def _create_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Create a streaming distribution on an S3 bucket (and select it).",
        "example:\n  streaming create my-video-bucket --cname cf.example.com -m 'training videos'",
    )
    parser.add_argument(
        "bucket",
        metavar="BUCKET",
        help="bucket name or NAME.s3.amazonaws.com",
        choices_provider=CfShellCommandSet.choose_bucket,
    )
    parser.add_argument(
        "-c",
        "--cname",
        action="append",
        default=[],
        metavar="HOST",
        dest="cnames",
        help="alternate domain name (repeatable)",
    )
    parser.add_argument("-m", "--comment", default="", metavar="TEXT", help="comment")
    _oai_option(parser)
    _signer_option(parser)
    parser.add_argument("--disabled", action="store_true", help="create it disabled")
    return parser


def _modify_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Change a streaming distribution: read its config, change it, write it back with its ETag.",
        "examples:\n  streaming modify --oai            (attach the selected OAI)\n"
        "  streaming modify --trusted-signer self\n  streaming modify --disable",
    )
    id_arg(parser, KIND)
    parser.add_argument("-m", "--comment", metavar="TEXT", help="new comment")
    state = parser.add_mutually_exclusive_group()
    state.add_argument("-e", "--enable", action="store_true", help="enable it")
    state.add_argument("-d", "--disable", action="store_true", help="disable it")
    origin = parser.add_mutually_exclusive_group()
    _oai_option(origin)
    origin.add_argument("--no-oai", action="store_true", help="detach the origin access identity")
    _signer_option(parser)
    parser.add_argument(
        "--no-trusted-signers", action="store_true", help="remove every trusted signer"
    )
    parser.add_argument(
        "-c",
        "--cname",
        action="append",
        metavar="HOST",
        dest="cnames",
        help="alternate domain name (repeatable; replaces all)",
    )
    parser.add_argument(
        "--add-cname", action="append", default=[], metavar="HOST", help="add one CNAME"
    )
    parser.add_argument(
        "--remove-cname",
        action="append",
        default=[],
        metavar="HOST",
        help="remove one CNAME",
        choices_provider=CfShellCommandSet.choose_streaming_cname,
    )
    return parser


class StreamingCommands(DeployableCommands):
    """`streaming` and its subcommands (list, get, create, modify, wait, delete)."""

    ABSTRACT = False
    DEFAULT_CATEGORY = "Streaming (RTMP, legacy)"
    KIND = KIND

    @cmd2.with_argparser(base_parser("RTMP streaming distributions (the seed's legacy path)."))
    def do_streaming(self, args: argparse.Namespace) -> None:
        """RTMP streaming distributions."""
        args.cmd2_subcommand_func(args)

    @cmd2.as_subcommand_to(
        "streaming",
        "list",
        list_parser(KIND, "List every streaming distribution."),
        help="list streaming distributions",
    )
    def _list(self, args: argparse.Namespace) -> None:
        self.list_command(args, LIST_VIEW)

    @cmd2.as_subcommand_to(
        "streaming",
        "get",
        get_parser(
            KIND,
            "Show one streaming distribution: ID, ETag, status, domain, origin, CNAMEs, comment, "
            "OAI, trusted and active signers, last modified.",
        ),
        help="show one streaming distribution",
    )
    def _get(self, args: argparse.Namespace) -> None:
        self.get_command(args, GET_VIEW)

    @cmd2.as_subcommand_to("streaming", "create", _create_parser, help="create (and select) one")
    def _create(self, args: argparse.Namespace) -> None:
        bucket = names.bucket_name(args.bucket)
        self.require_bucket(bucket)
        config = streaming.new_config(
            bucket,
            cnames=args.cnames,
            comment=args.comment,
            oai_id=self.oai_arg(args.oai),
            trusted_signers=args.trusted_signers or (),
            enabled=not args.disabled,
        )
        dist, etag = streaming.create(self.cf(), config)
        self.context.select("streaming", dist["Id"], dist.get("DomainName", ""))
        record = streaming.summarize(dist, etag)
        if self.json_output(args):
            self.show(self.renderer.value(record))
            return
        self.say(
            f"created streaming distribution {dist['Id']} on {record['Origin']}: "
            f"domain {record['DomainName']}, status {record['Status']} (selected)"
        )

    @cmd2.as_subcommand_to("streaming", "modify", _modify_parser, help="change one")
    def _modify(self, args: argparse.Namespace) -> None:
        dist_id = self.context.require("streaming", args.id)
        if args.trusted_signers and args.no_trusted_signers:
            raise UsageError("--trusted-signer and --no-trusted-signers exclude each other")
        changes = self.common_changes(args)
        if args.oai is not None:
            changes["oai_id"] = self.oai_arg(args.oai)
        elif args.no_oai:
            changes["oai_id"] = None
        if args.trusted_signers:
            changes["trusted_signers"] = args.trusted_signers
        elif args.no_trusted_signers:
            changes["trusted_signers"] = []
        if not changes:
            raise UsageError("nothing to change: give an option (see `help streaming modify`)")
        before: dict[str, Any] = {}

        def change(config: dict[str, Any]) -> dict[str, Any]:
            before.update(streaming.summarize({"StreamingDistributionConfig": config}))
            return streaming.apply_changes(config, **changes)

        dist, etag = self.call_on(streaming.update, dist_id, change)
        after = streaming.summarize(dist, etag)
        if self.json_output(args):
            self.show(self.renderer.value(after))
            return
        self.say_modified(dist_id, before, after, _MODIFIABLE)

    @cmd2.as_subcommand_to("streaming", "wait", wait_parser(KIND, 600), help="wait until Deployed")
    def _wait(self, args: argparse.Namespace) -> None:
        self.wait_command(args)

    @cmd2.as_subcommand_to(
        "streaming",
        "delete",
        delete_parser(
            KIND,
            "Delete a streaming distribution. It must be disabled and Deployed; --force disables "
            "it, waits, then deletes, reporting each step. The ETag is fetched when left out.",
            etag=True,
        ),
        help="delete one",
    )
    def _delete(self, args: argparse.Namespace) -> None:
        self.delete_command(args)


_MODIFIABLE = (
    ("Comment", "comment"),
    ("Enabled", "enabled"),
    ("OriginAccessIdentity", "OAI"),
    ("TrustedSigners", "trusted signers"),
    ("CNAMEs", "CNAMEs"),
)
