"""`oac ...`: origin access controls, and the bucket-policy grant that lets CloudFront read.

oac list | get [ID] | create NAME [--no-select] | modify [ID] [--name NAME] [-m TEXT] [--signing B]
oac delete [ID] [--clean] [--bucket BUCKET]... [--yes] | grant [ID] BUCKET
"""

from __future__ import annotations

import argparse

import cmd2

from .. import names
from ..aws import buckets, oac
from ..errors import UsageError, missing_bucket
from ..render import cell, fields
from . import lifecycle
from .base import CfShellCommandSet, add_select_option, new_parser
from .distribution import ModernCommandSet
from .lifecycle import Resource, ResourceCommands

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
KIND = Resource.of(
    "oac",
    oac,
    ModernCommandSet.choose_oac,
    (VIEW, GET_VIEW),
    in_use_code="OriginAccessControlInUse",
    origin_grant=True,
)


def _signing(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument(
        "--signing",
        choices=oac.SIGNING_BEHAVIORS,
        default=default,
        metavar="BEHAVIOR",
        help="when CloudFront signs origin requests: always (default), never, no-override",
    )


def _create_parser() -> cmd2.Cmd2ArgumentParser:
    parser = lifecycle.parser(KIND, "create")
    parser.add_argument("name", metavar="NAME", help="a name unique in the account")
    parser.add_argument("-m", "--description", default="", metavar="TEXT", help="description")
    _signing(parser, "always")
    return add_select_option(parser)


def _modify_parser() -> cmd2.Cmd2ArgumentParser:
    parser = lifecycle.parser(KIND, "modify")
    parser.add_argument("--name", metavar="NAME", help="new name")
    parser.add_argument("-m", "--description", metavar="TEXT", help="new description")
    _signing(parser, None)
    return parser


def _grant_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Let CloudFront read a bucket through this OAC: merge the bucket-policy statement for "
        "the CloudFront service principal, limited (AWS:SourceArn) to the distributions that "
        "use the OAC on this bucket. Other statements are kept; running it again changes "
        "nothing unless those distributions changed.",
        "example:\n  oac grant my-video-bucket",
    )
    lifecycle.id_arg(parser, KIND)
    parser.add_argument(
        "bucket",
        metavar="BUCKET",
        help="bucket name or NAME.s3.amazonaws.com",
        choices_provider=CfShellCommandSet.choose_bucket,
    )
    return parser


class OacCommands(ResourceCommands, ModernCommandSet, kind=KIND):
    """`oac` and its subcommands."""

    @cmd2.as_subcommand_to("oac", "create", _create_parser, help="create (and select) one")
    def _create(self, args: argparse.Namespace) -> None:
        control, etag = self.call(
            oac.create,
            self.cf(),
            args.name,
            description=args.description,
            signing_behavior=args.signing,
        )
        selected = self.select_new(args, control["Id"], args.name)
        if not self.shown_as_json(args, oac.summarize(control, etag)):
            self.say(f"created origin access control {control['Id']} ({args.name}){selected}")

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
        if self.shown_as_json(args, record):
            return
        self.say(
            f"modified origin access control {oac_id}: name {record['Name']}, "
            f"description {cell(record['Description'])}, signing {record['SigningBehavior']}"
        )

    @cmd2.as_subcommand_to("oac", "grant", _grant_parser, help="let CloudFront read a bucket")
    def _grant(self, args: argparse.Namespace) -> None:
        oac_id = self.context.require("oac", args.id)
        bucket = names.bucket_name(args.bucket)
        # Named first, so that a missing OAC or bucket is not reported as "no distribution".
        self.call(oac.get, self.cf(), oac_id, id=oac_id)
        if not self.call(buckets.bucket_exists, self.session.client("s3"), bucket, bucket=bucket):
            raise missing_bucket(bucket)
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
