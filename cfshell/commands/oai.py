"""`oai ...`: CloudFront origin access identities.

    oai list | get [ID] | create COMMENT [--no-select] | modify [ID] -m TEXT
    oai delete [ID] [ETAG] [--clean] [--bucket BUCKET]... [--yes]

`oai grant` and `oai revoke` are added to this command by cfshell.commands.grants.
"""

from __future__ import annotations

import argparse

import cmd2

from ..aws import oai
from ..render import fields
from . import lifecycle
from .base import CfShellCommandSet, add_select_option
from .lifecycle import Resource, ResourceCommands

GET_VIEW = fields(
    ("Id", "ID"),
    "ETag",
    ("CallerReference", "Caller reference"),
    "Comment",
    ("S3CanonicalUserId", "S3 canonical user ID"),
)
LIST_VIEW = fields(("Id", "ID"), ("S3CanonicalUserId", "S3 canonical user ID"), "Comment")


# Its `[ID]` help says OAI, as the old tool did.
KIND = Resource.of(
    "oai",
    oai,
    CfShellCommandSet.choose_oai,
    (LIST_VIEW, GET_VIEW),
    delete_etag=True,
    id_noun="OAI",
    in_use_code="CloudFrontOriginAccessIdentityInUse",
    origin_grant=True,
)


def _create_parser() -> cmd2.Cmd2ArgumentParser:
    parser = lifecycle.parser(KIND, "create")
    parser.add_argument("comment", nargs="+", metavar="COMMENT", help="comment (words are joined)")
    return add_select_option(parser)


def _modify_parser() -> cmd2.Cmd2ArgumentParser:
    parser = lifecycle.parser(KIND, "modify")
    parser.add_argument("-m", "--comment", required=True, metavar="TEXT", help="new comment")
    return parser


class OaiCommands(ResourceCommands, kind=KIND):
    """`oai` and its subcommands (list, get, create, modify, delete)."""

    @cmd2.as_subcommand_to("oai", "create", _create_parser, help="create (and select) one")
    def _create(self, args: argparse.Namespace) -> None:
        comment = " ".join(args.comment)
        identity, etag, location = oai.create(self.cf(), comment)
        selected = self.select_new(args, identity["Id"], comment)
        record = oai.summarize(identity, etag, location)
        if self.shown_as_json(args, record):
            return
        self.say(f"created origin access identity {record['Id']}{selected}")
        self.say(f"  location: {location or '-'}")
        self.say(f"  S3 canonical user ID: {record['S3CanonicalUserId']}")

    @cmd2.as_subcommand_to("oai", "modify", _modify_parser, help="change the comment")
    def _modify(self, args: argparse.Namespace) -> None:
        oai_id = self.context.require("oai", args.id)
        identity, etag = self.call_on(oai.modify, oai_id, args.comment)
        if not self.shown_as_json(args, oai.summarize(identity, etag)):
            self.say(f"modified origin access identity {oai_id}: comment {args.comment!r}")
