"""`cert ...`: ACM certificates for custom domains, always in us-east-1 (CloudFront's region).

cert request NAME [--alt NAME]... [--validate-in-route53] [--no-select]
cert list | get [ARN] | wait [ARN] [--timeout S] | delete [ARN] [--yes]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import cmd2

from ..aws import certs, dns
from ..aws.waiting import format_elapsed
from ..errors import Interrupted
from ..render import fields
from .base import (
    CfShellCommandSet,
    _stdin_is_tty,
    add_output_options,
    add_select_option,
    add_yes_option,
    base_parser,
    choose,
    confirm,
    new_parser,
)

REGION_NOTE = "(ACM in us-east-1, the region CloudFront takes certificates from)"

LIST_VIEW = fields(
    ("CertificateArn", "ARN"), "Names", "Status", ("NotAfter", "Expires"), ("InUseBy", "In use by")
)
GET_VIEW = fields(
    ("CertificateArn", "ARN"),
    ("DomainName", "Domain"),
    "Names",
    "Status",
    "Type",
    ("NotAfter", "Expires"),
    ("InUseBy", "In use by"),
)
RECORD_VIEW = fields(("Domains", "For"), "Name", "Type", "Value", "Status")
choose_cert = choose("cert")


def _arn_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "arn",
        nargs="?",
        metavar="ARN",
        help="certificate ARN (default: the selected one)",
        choices_provider=choose_cert,
    )


def _request_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        f"Request a DNS-validated certificate {REGION_NOTE}, and select it. When the "
        "validation names are in a Route 53 hosted zone of the account, offer to write the "
        "validation records there (--validate-in-route53: write them without asking); "
        "otherwise print the records to create at your DNS provider.",
        "examples:\n  cert request cf.example.com --validate-in-route53\n"
        "  cert request example.com --alt '*.example.com'",
    )
    parser.add_argument("name", metavar="NAME", help="domain name (a leading *. for a wildcard)")
    parser.add_argument(
        "--alt",
        action="append",
        default=[],
        metavar="NAME",
        help="another name the certificate covers (repeatable)",
    )
    parser.add_argument(
        "--validate-in-route53",
        action="store_true",
        help="write the validation records in the account's hosted zones without asking",
    )
    return add_select_option(parser)


def _list_parser() -> cmd2.Cmd2ArgumentParser:
    return add_output_options(
        new_parser(f"List certificates {REGION_NOTE}.", "example:\n  cert list")
    )


def _get_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Show a certificate: status, names covered, expiry, validation records, and the "
        "distributions using it.",
        "example:\n  cert get",
    )
    _arn_arg(parser)
    return add_output_options(parser)


def _wait_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Wait until the certificate is ISSUED (Ctrl-C ends only the wait).",
        "example:\n  cert wait --timeout 600",
    )
    _arn_arg(parser)
    parser.add_argument("--timeout", type=float, metavar="S", help="give up after S seconds")
    return parser


def _delete_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Delete a certificate (refused while a distribution uses it).", "example:\n  cert delete"
    )
    _arn_arg(parser)
    return add_yes_option(parser)


class CertCommands(CfShellCommandSet):
    """`cert` and its subcommands."""

    def acm(self) -> Any:
        # A method, not a property: cmd2 inspects every attribute when it registers a set.
        return self.session.client("acm")

    def _arn(self, given: str | None) -> str:
        return self.context.require("cert", given)

    @cmd2.with_argparser(base_parser(f"ACM certificates for custom domains {REGION_NOTE}."))
    def do_cert(self, args: argparse.Namespace) -> None:
        """Certificates for custom domains."""
        args.cmd2_subcommand_func(args)

    @cmd2.as_subcommand_to("cert", "request", _request_parser, help="request one (DNS validation)")
    def _request(self, args: argparse.Namespace) -> None:
        acm = self.acm()
        arn = self.call(certs.request, acm, args.name, args.alt)
        if not args.no_select:
            self.context.select("cert", arn, certs.check_name(args.name))
        selected = "" if args.no_select else " (selected)"
        self.say(f"requested certificate {arn} in us-east-1{selected}")
        cert = self.call(certs.describe_with_records, acm, arn, id=arn)
        records = certs.validation_records(cert)
        if not records:
            self.say(
                f"ACM has not made up the validation records yet: see them with `cert get {arn}`"
            )
            return
        self._validate(args, records)

    def _validate(self, args: argparse.Namespace, records: list[dict[str, str]]) -> None:
        """Write the records in the account's hosted zones (asked, or --validate-in-route53);
        print those no zone holds."""
        route53 = self.session.client("route53")
        by_zone: dict[str, tuple[dict[str, Any], list[dict[str, str]]]] = {}
        outside = []
        declined = []
        for record in records:
            zone = self.call(dns.zone_for, route53, record["Name"])
            if zone is None:
                outside.append(record)
            else:
                by_zone.setdefault(dns.zone_id(zone), (zone, []))[1].append(record)
        for zone_id, (zone, held) in by_zone.items():
            where = f"hosted zone {dns.bare(zone['Name'])} ({zone_id})"
            if not args.validate_in_route53 and not self._agreed(
                f"write {len(held)} validation record(s) in {where}"
            ):
                outside.extend(held)
                declined.append(where)
                continue
            self.call(dns.write_validation_records, route53, zone_id, held)
            for record in held:
                self.say(f"wrote {record['Type']} {record['Name']} in {where}")
        if outside:
            self.say("create these DNS records where the domain is hosted, then `cert wait`:")
            self.show_rows(outside, RECORD_VIEW, args)
            if declined:
                self.say(
                    f"(or run it again with --validate-in-route53 to write them in "
                    f"{', '.join(declined)})"
                )
        else:
            self.say("validation records in place: `cert wait` until ACM issues it")

    def _agreed(self, action: str) -> bool:
        """Yes from the user (a terminal) or --yes; no when nobody can answer."""
        if self.session.assume_yes:
            return True
        if not self.session.interactive or not _stdin_is_tty(self._cmd):
            return False
        answer = self._cmd.read_input(f"{action}? [y/N] ").strip().lower()
        return answer in ("y", "yes")

    @cmd2.as_subcommand_to("cert", "list", _list_parser, help="list certificates")
    def _list(self, args: argparse.Namespace) -> None:
        found = self.call(certs.list_certificates, self.acm())
        rows = [certs.summarize_item(c) for c in found]
        self.show_rows(rows, LIST_VIEW, args, empty="no certificates in us-east-1")

    @cmd2.as_subcommand_to("cert", "get", _get_parser, help="show one")
    def _get(self, args: argparse.Namespace) -> None:
        arn = self._arn(args.arn)
        cert = self.call(certs.describe, self.acm(), arn, id=arn)
        record = certs.summarize(cert)
        records = certs.validation_records(cert)
        if self.json_output(args) or args.query:
            self.show_record({**record, "ValidationRecords": records}, GET_VIEW, args)
            return
        self.show_record(record, GET_VIEW, args)
        if records and cert.get("Status") != "ISSUED":
            self.say("validation records (CNAME) ACM is waiting for:")
            self.show_rows(records, RECORD_VIEW, args)
        warning = certs.expiry_warning(cert)
        if warning:
            self._cmd.perror(f"warning: {warning}")

    @cmd2.as_subcommand_to("cert", "wait", _wait_parser, help="wait until ISSUED")
    def _wait(self, args: argparse.Namespace) -> None:
        arn = self._arn(args.arn)
        limit = self.timeout_arg(args.timeout)
        last: dict[str, Any] = {"status": None}

        def on_poll(elapsed: float, status: str) -> None:
            if status != last["status"]:
                self.say(f"[{format_elapsed(elapsed):>7}] {status}")
                last["status"] = status

        started = time.monotonic()
        try:
            self.call(
                certs.wait_issued,
                self.acm(),
                arn,
                timeout=limit,
                interval=self.session.effective_poll_interval(),
                on_poll=on_poll,
                id=arn,
            )
        except KeyboardInterrupt:
            raise Interrupted(
                f"stopped waiting after {format_elapsed(time.monotonic() - started)}: the "
                f"certificate was {last['status'] or 'not read yet'} (nothing was changed)"
            ) from None
        self.say(f"certificate is ISSUED after {format_elapsed(time.monotonic() - started)}")

    @cmd2.as_subcommand_to("cert", "delete", _delete_parser, help="delete one")
    def _delete(self, args: argparse.Namespace) -> None:
        arn = self._arn(args.arn)
        acm = self.acm()
        cert = self.call(certs.describe, acm, arn, id=arn)
        users = [u.rsplit("/", 1)[-1] for u in cert.get("InUseBy") or []]
        if users:
            raise certs.CertificateInUse(certs.in_use_sentence(arn, users))
        confirm(self._cmd, self.session, f"delete certificate {arn}", yes=args.yes)
        self.call(certs.delete, acm, arn, id=arn)
        self.context.forget("cert", arn)
        self.say(f"deleted certificate {arn}")
