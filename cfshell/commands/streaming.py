"""`streaming ...`: the RTMP streaming distributions of the seed's workflow.

streaming list | get [ID] | wait [ID] [--timeout S]
streaming create BUCKET [--cname HOST]... [-m TEXT] [--oai [ID]] [--trusted-signer A|self]...
                 [--disabled] [--no-select]
streaming modify [ID] [-m TEXT] [--enable|--disable] [--oai [ID] | --no-oai]
                      [--trusted-signer A|self]... [--cname HOST]... [--add-cname HOST]
                      [--remove-cname HOST]
streaming delete [ID] [ETAG] [--force] [--yes]
"""

from __future__ import annotations

import argparse

import cmd2

from ..aws import streaming
from ..errors import UsageError
from ..render import fields
from . import lifecycle
from .base import CfShellCommandSet
from .lifecycle import GET_HEAD, LIST_HEAD, Deployable, DeployableCommands

LIST_VIEW = fields(*LIST_HEAD, "Origin", "CNAMEs", "Comment")
GET_VIEW = fields(
    *GET_HEAD,
    "Origin",
    "CNAMEs",
    "Comment",
    ("OriginAccessIdentity", "OAI"),
    ("TrustedSigners", "Trusted signers"),
    lifecycle.signers_field("ActiveSigners", "Active signers", "AwsAccountNumber"),
    ("LastModifiedTime", "Last modified"),
)
KIND = Deployable.of(
    "streaming",
    streaming,
    CfShellCommandSet.choose_streaming,
    (LIST_VIEW, GET_VIEW),
    delete_etag=True,
    origin=lambda record: record["Origin"],
    modifiable="Comment Enabled OriginAccessIdentity TrustedSigners CNAMEs",
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
    parser = lifecycle.create_parser(KIND, "bucket name or NAME.s3.amazonaws.com")
    lifecycle.add_cname_option(parser, modify=False)
    parser.add_argument("-m", "--comment", default="", metavar="TEXT", help="comment")
    lifecycle.add_oai_option(parser, "-o", "--oai")
    _signer_option(parser)
    return lifecycle.add_create_options(parser)


def _modify_parser() -> cmd2.Cmd2ArgumentParser:
    parser = lifecycle.parser(KIND, "modify")
    parser.add_argument("-m", "--comment", metavar="TEXT", help="new comment")
    lifecycle.add_state_options(parser)
    origin = parser.add_mutually_exclusive_group()
    lifecycle.add_oai_option(origin, "-o", "--oai")
    origin.add_argument("--no-oai", action="store_true", help="detach the origin access identity")
    _signer_option(parser)
    parser.add_argument(
        "--no-trusted-signers", action="store_true", help="remove every trusted signer"
    )
    lifecycle.add_cname_option(parser, modify=True)
    lifecycle.add_cname_edits(parser, CfShellCommandSet.choose_streaming_cname)
    return parser


class StreamingCommands(DeployableCommands, kind=KIND):
    """`streaming` and its subcommands (list, get, create, modify, wait, delete)."""

    @cmd2.as_subcommand_to("streaming", "create", _create_parser, help="create (and select) one")
    def _create(self, args: argparse.Namespace) -> None:
        bucket = self.new_bucket(args.bucket)
        config = streaming.new_config(
            bucket,
            cnames=args.cnames or (),
            comment=args.comment,
            oai_id=self.oai_arg(args.oai),
            trusted_signers=args.trusted_signers or (),
            enabled=not args.disabled,
        )
        self.create_from(args, config)

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
            raise self.nothing_to_change()
        self.modify_with(args, dist_id, changes)
