"""`oai ...`: CloudFront origin access identities.

    oai list | get [ID] | create COMMENT | modify [ID] -m TEXT | delete [ID] [ETAG] [--yes]

`oai grant` and `oai revoke` are added to this command by cfshell.commands.grants.
"""

from __future__ import annotations

import argparse

import cmd2

from ..aws import oai
from ..render import fields
from .base import (
    CfShellCommandSet,
    add_id_argument,
    add_output_options,
    add_yes_option,
    base_parser,
    new_parser,
)

GET_VIEW = fields(
    ("Id", "ID"),
    "ETag",
    ("CallerReference", "Caller reference"),
    "Comment",
    ("S3CanonicalUserId", "S3 canonical user ID"),
)
LIST_VIEW = fields(("Id", "ID"), ("S3CanonicalUserId", "S3 canonical user ID"), "Comment")


def _id_arg(parser: argparse.ArgumentParser) -> None:
    add_id_argument(parser, "OAI", CfShellCommandSet.choose_oai)


def _list_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser("List every origin access identity.", "example:\n  oai list")
    return add_output_options(parser)


def _get_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Show one origin access identity: ID, ETag, caller reference, comment, canonical user ID.",
        "example:\n  oai get --query S3CanonicalUserId",
    )
    _id_arg(parser)
    return add_output_options(parser)


def _create_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Create an origin access identity (and select it).",
        "example:\n  oai create video bucket reader",
    )
    parser.add_argument("comment", nargs="+", metavar="COMMENT", help="comment (words are joined)")
    return parser


def _modify_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Change an origin access identity's comment.", "example:\n  oai modify -m 'new comment'"
    )
    _id_arg(parser)
    parser.add_argument("-m", "--comment", required=True, metavar="TEXT", help="new comment")
    return parser


def _delete_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Delete an origin access identity (no distribution may use it). The ETag is fetched "
        "when left out.",
        "example:\n  oai delete --yes",
    )
    _id_arg(parser)
    parser.add_argument("etag", nargs="?", metavar="ETAG", help="ETag from `oai get`")
    return add_yes_option(parser)


class OaiCommands(CfShellCommandSet):
    """`oai` and its subcommands (list, get, create, modify, delete)."""

    DEFAULT_CATEGORY = "Origin access"

    @cmd2.with_argparser(base_parser("CloudFront origin access identities (OAI)."))
    def do_oai(self, args: argparse.Namespace) -> None:
        """Origin access identities."""
        args.cmd2_subcommand_func(args)

    @cmd2.as_subcommand_to("oai", "list", _list_parser, help="list origin access identities")
    def _list(self, args: argparse.Namespace) -> None:
        rows = [oai.summarize_item(i) for i in oai.iter_summaries(self.cf())]
        self.show_rows(rows, LIST_VIEW, args, empty="no origin access identities")

    @cmd2.as_subcommand_to("oai", "get", _get_parser, help="show one origin access identity")
    def _get(self, args: argparse.Namespace) -> None:
        oai_id = self.context.require("oai", args.id)
        identity, etag = self.call_on(oai.get, oai_id)
        self.show_record(oai.summarize(identity, etag), GET_VIEW, args)

    @cmd2.as_subcommand_to("oai", "create", _create_parser, help="create (and select) one")
    def _create(self, args: argparse.Namespace) -> None:
        identity, etag, location = oai.create(self.cf(), " ".join(args.comment))
        self.context.select("oai", identity["Id"], " ".join(args.comment))
        record = oai.summarize(identity, etag, location)
        if self.json_output(args):
            self.show(self.renderer.value(record))
            return
        self.say(f"created origin access identity {record['Id']} (selected)")
        self.say(f"  location: {location or '-'}")
        self.say(f"  S3 canonical user ID: {record['S3CanonicalUserId']}")

    @cmd2.as_subcommand_to("oai", "modify", _modify_parser, help="change the comment")
    def _modify(self, args: argparse.Namespace) -> None:
        oai_id = self.context.require("oai", args.id)
        identity, etag = self.call_on(oai.modify, oai_id, args.comment)
        if self.json_output(args):
            self.show(self.renderer.value(oai.summarize(identity, etag)))
            return
        self.say(f"modified origin access identity {oai_id}: comment {args.comment!r}")

    @cmd2.as_subcommand_to("oai", "delete", _delete_parser, help="delete one")
    def _delete(self, args: argparse.Namespace) -> None:
        oai_id = self.context.require("oai", args.id)
        self.confirm(f"delete origin access identity {oai_id}", args)
        self.call_on(oai.delete, oai_id, args.etag)
        self.context.forget("oai", oai_id)
        self.say(f"deleted origin access identity {oai_id}")
