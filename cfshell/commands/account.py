"""`profile [NAME]`, `region [NAME]`, and the settables `profile` and `region`.

Switching takes effect from the next command on: the Session drops its boto3 session and
clients, and the next command makes them again for the new profile or region (asking for an MFA
code, if the profile needs one, once). The lists of known regions and profiles come from the
service layer (cfshell.aws.regions, cfshell.aws.profiles), which reads them from botocore when
first asked.
"""

from __future__ import annotations

import argparse
import difflib
import re
from typing import Any

import cmd2

from ..aws.profiles import known_profiles
from ..aws.regions import known_regions
from ..errors import UsageError
from .base import CfShellCommandSet, new_parser

# A region name as AWS spells them (us-east-1, eu-central-2, us-gov-west-1, cn-north-1...).
_REGION_SHAPE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")


def check_region(name: str) -> str:
    """`name` if botocore knows that region; a UsageError naming the nearest one otherwise.

    The launcher checks `--region` with it too: a region newer than the installed botocore
    needs a newer botocore (`pip install -U botocore`), at launch as in the shell."""
    name = name.strip()
    known = known_regions()
    if name in known:
        return name
    near = difflib.get_close_matches(name, known, n=1)
    hint = f": did you mean {near[0]}?" if near else " (e.g. eu-west-1)"
    if not _REGION_SHAPE.match(name):
        raise UsageError(f"{name!r} is not a region name{hint}")
    raise UsageError(f"unknown region {name!r}{hint}")


def check_profile(session: Any, name: str) -> str:
    name = name.strip()
    if session.simulate:
        return name  # fake credentials in the simulator: the profile applies when you leave it
    profiles = known_profiles()
    if name not in profiles:
        near = difflib.get_close_matches(name, profiles, n=1)
        hint = f"did you mean {near[0]}? " if near else ""
        raise UsageError(
            f"no profile {name!r} in your AWS config: {hint}"
            f"known: {', '.join(profiles) or 'none'} (see `aws configure list-profiles`)"
        )
    return name


def _profile_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Show or switch the AWS profile (from ~/.aws/config) used from the next command on. "
        "MFA and SSO profiles work through boto3's own providers: an MFA code is asked once "
        "per session (cached with the AWS CLI's cache); for SSO run `aws sso login` first.",
        "example:\n  profile\n  profile prod-readonly",
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help="profile name (none: show)")
    return parser


def _region_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Show or switch the AWS region used from the next command on (CloudFront itself is "
        "global; buckets and the simulator's S3 are per region).",
        "example:\n  region\n  region eu-west-1",
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help="region name (none: show)")
    return parser


class AccountCommands(CfShellCommandSet):
    """Switch profile and region in a session; settables `profile` and `region`."""

    DEFAULT_CATEGORY = "AWS account"

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.add_settable(
            cmd2.Settable(
                "profile",
                self._profile_value,
                "AWS profile used from the next command on",
                session,
                onchange_cb=self._profile_changed,
            )
        )
        self.add_settable(
            cmd2.Settable(
                "region",
                self._region_value,
                "AWS region used from the next command on",
                session,
                onchange_cb=self._region_changed,
            )
        )

    # --- settables --------------------------------------------------------------------------

    # cmd2's `set` reports a ValueError in one line; "" unsets.

    def _profile_value(self, value: str) -> str | None:
        try:
            return check_profile(self.session, value) if value.strip() else None
        except UsageError as exc:
            raise ValueError(str(exc)) from None

    def _region_value(self, value: str) -> str | None:
        try:
            return check_region(value) if value.strip() else None
        except UsageError as exc:
            raise ValueError(str(exc)) from None

    def _profile_changed(self, _name: str, _old: Any, new: Any) -> None:
        self.session.set_profile(new)

    def _region_changed(self, _name: str, _old: Any, new: Any) -> None:
        self.session.set_region(new)

    # --- commands ---------------------------------------------------------------------------

    @cmd2.with_argparser(_profile_parser)
    def do_profile(self, args: argparse.Namespace) -> None:
        """Show or switch the AWS profile."""
        if args.name:
            self.session.set_profile(check_profile(self.session, args.name))
        self.say(f"profile {self.session.profile or 'default'}{self._where()}")

    @cmd2.with_argparser(_region_parser)
    def do_region(self, args: argparse.Namespace) -> None:
        """Show or switch the AWS region."""
        if args.name:
            self.session.set_region(check_region(args.name))
        self.say(f"region {self._region()}{self._where(region=False)}")

    def _region(self) -> str:
        if self.session.region:
            return self.session.region
        if self.session.offline:
            return "us-east-1, the default"
        return self.session.boto3_session.region_name or "us-east-1, the default"

    def _where(self, region: bool = True) -> str:
        parts = []
        if region:
            parts.append(f"region {self._region()}")
        if self.session.simulate:
            parts.append("simulator: fake credentials")
        elif self.session.endpoint_url:
            parts.append(f"endpoint {self.session.endpoint_url}")
        return f" ({', '.join(parts)})" if parts else ""
