"""`oac ...`: origin access controls, and the bucket-policy grant that lets CloudFront read.

oac list | get [ID] | create NAME | modify [ID] [--name NAME] [-m TEXT] [--signing B]
oac delete [ID] [--yes] | grant [ID] BUCKET
"""

from __future__ import annotations

import argparse

import cmd2

from .. import names
from ..aws import oac
from ..errors import UsageError
from ..render import cell, fields
from .base import (
    CfShellCommandSet,
    add_id_argument,
    add_output_options,
    add_yes_option,
    base_parser,
    new_parser,
)
from .distribution import ModernCommandSet

VIEW = fields(
    ("Id", "ID"),
    "Name",
    "Description",
    ("SigningBehavior", "Signing"),
    ("OriginType", "Origin type"),
)
GET_VIEW = fields(
    ("Id", "ID"),
    "ETag",
    "Name",
    "Description",
    ("SigningBehavior", "Signing"),
    ("SigningProtocol", "Protocol"),
    ("OriginType", "Origin type"),
)


def _id_arg(parser: argparse.ArgumentParser) -> None:
    add_id_argument(parser, "origin access control", ModernCommandSet.choose_oac)


def _signing(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument(
        "--signing",
        choices=oac.SIGNING_BEHAVIORS,
        default=default,
        metavar="BEHAVIOR",
        help="when CloudFront signs origin requests: always (default), never, no-override",
    )


def _list_parser() -> cmd2.Cmd2ArgumentParser:
    return add_output_options(new_parser("List origin access controls.", "example:\n  oac list"))


def _get_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser("Show one origin access control.", "example:\n  oac get")
    _id_arg(parser)
    return add_output_options(parser)


def _create_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Create an origin access control for S3 origins (and select it).",
        "example:\n  oac create video-oac -m 'private videos'",
    )
    parser.add_argument("name", metavar="NAME", help="a name unique in the account")
    parser.add_argument("-m", "--description", default="", metavar="TEXT", help="description")
    _signing(parser, "always")
    return parser


def _modify_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Change an origin access control's name, description or signing behavior.",
        "example:\n  oac modify --signing no-override",
    )
    _id_arg(parser)
    parser.add_argument("--name", metavar="NAME", help="new name")
    parser.add_argument("-m", "--description", metavar="TEXT", help="new description")
    _signing(parser, None)
    return parser


def _delete_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Delete an origin access control (no distribution may use it).",
        "example:\n  oac delete --yes",
    )
    _id_arg(parser)
    return add_yes_option(parser)


def _grant_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Let CloudFront read a bucket through this OAC: merge the bucket-policy statement for "
        "the CloudFront service principal, limited (AWS:SourceArn) to the distributions that "
        "use the OAC on this bucket. Other statements are kept; running it again changes "
        "nothing unless those distributions changed.",
        "example:\n  oac grant my-video-bucket",
    )
    _id_arg(parser)
    parser.add_argument(
        "bucket",
        metavar="BUCKET",
        help="bucket name or NAME.s3.amazonaws.com",
        choices_provider=CfShellCommandSet.choose_bucket,
    )
    return parser


class OacCommands(ModernCommandSet):
    """`oac` and its subcommands."""

    ABSTRACT = False
    DEFAULT_CATEGORY = "Origin access"

    @cmd2.with_argparser(base_parser("CloudFront origin access controls (OAC)."))
    def do_oac(self, args: argparse.Namespace) -> None:
        """Origin access controls."""
        args.cmd2_subcommand_func(args)

    @cmd2.as_subcommand_to("oac", "list", _list_parser, help="list origin access controls")
    def _list(self, args: argparse.Namespace) -> None:
        rows = [oac.summarize(o) for o in oac.iter_summaries(self.cf())]
        self.show_rows(rows, VIEW, args, empty="no origin access controls")

    @cmd2.as_subcommand_to("oac", "get", _get_parser, help="show one origin access control")
    def _get(self, args: argparse.Namespace) -> None:
        oac_id = self.context.require("oac", args.id)
        control, etag = self.call_on(oac.get, oac_id)
        self.show_record(oac.summarize(control, etag), GET_VIEW, args)

    @cmd2.as_subcommand_to("oac", "create", _create_parser, help="create (and select) one")
    def _create(self, args: argparse.Namespace) -> None:
        control, etag = self.call(
            oac.create,
            self.cf(),
            args.name,
            description=args.description,
            signing_behavior=args.signing,
        )
        self.context.select("oac", control["Id"], args.name)
        if self.json_output(args):
            self.show(self.renderer.value(oac.summarize(control, etag)))
            return
        self.say(f"created origin access control {control['Id']} ({args.name}) (selected)")

    @cmd2.as_subcommand_to("oac", "modify", _modify_parser, help="change one")
    def _modify(self, args: argparse.Namespace) -> None:
        oac_id = self.context.require("oac", args.id)
        if args.name is None and args.description is None and args.signing is None:
            raise UsageError("nothing to change: give --name, -m/--description or --signing")
        control, etag = self.call_on(
            oac.modify,
            oac_id,
            name=args.name,
            description=args.description,
            signing_behavior=args.signing,
        )
        record = oac.summarize(control, etag)
        if self.json_output(args):
            self.show(self.renderer.value(record))
            return
        self.say(
            f"modified origin access control {oac_id}: name {record['Name']}, "
            f"description {cell(record['Description'])}, signing {record['SigningBehavior']}"
        )

    @cmd2.as_subcommand_to("oac", "delete", _delete_parser, help="delete one")
    def _delete(self, args: argparse.Namespace) -> None:
        oac_id = self.context.require("oac", args.id)
        self.confirm(f"delete origin access control {oac_id}", args)
        self.call_on(oac.delete, oac_id)
        self.context.forget("oac", oac_id)
        self.say(f"deleted origin access control {oac_id}")

    @cmd2.as_subcommand_to("oac", "grant", _grant_parser, help="let CloudFront read a bucket")
    def _grant(self, args: argparse.Namespace) -> None:
        oac_id = self.context.require("oac", args.id)
        bucket = names.bucket_name(args.bucket)
        try:
            result = self.call(
                oac.grant,
                self.cf(),
                self.session.client("s3"),
                oac_id,
                bucket,
                id=oac_id,
                bucket=bucket,
            )
        except LookupError:
            raise UsageError(
                f"no distribution reads bucket {bucket} through OAC {oac_id}: create one with "
                f"`distribution create {bucket} --oac {oac_id}` (or attach it with "
                "`distribution modify --oac`), then grant"
            ) from None
        ids = ", ".join(arn.rsplit("/", 1)[-1] for arn in result.distribution_arns)
        if not result.changed:
            self.say(f"bucket {bucket} already lets CloudFront read for {ids} (nothing changed)")
        elif result.created:
            self.say(f"created the policy of bucket {bucket}: CloudFront may read for {ids}")
        else:
            self.say(f"merged into the policy of bucket {bucket}: CloudFront may read for {ids}")
