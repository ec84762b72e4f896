"""`dns ...`: Route 53 records that send a custom domain to a distribution; and the
simulator's `sim zone create` and `sim cert issue`.

    dns alias NAME [--zone ZONE_ID]     A and AAAA alias records -> the selected distribution
    dns cname NAME [--zone ZONE_ID]     a CNAME -> the selected streaming distribution's domain
    dns show NAME | dns remove NAME [--zone ZONE_ID] [--yes]
    sim zone create NAME | sim cert issue [ARN]
"""

from __future__ import annotations

import argparse
from typing import Any

import cmd2

from ..aws import certs, distributions, dns, streaming
from ..errors import CfShellError, UsageError
from ..render import fields
from .base import (
    CfShellCommandSet,
    add_output_options,
    add_select_option,
    add_yes_option,
    base_parser,
    choose,
    new_parser,
)

RECORD_VIEW = fields("Name", "Type", "Alias", "Target")


def _name_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the custom domain name (cf.example.com)")


def _zone_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--zone",
        metavar="ZONE_ID",
        help="the hosted zone (default: the account's zone with the longest matching suffix)",
        choices_provider=choose("zone"),
    )


def _alias_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Create or update Route 53 alias records A and AAAA for NAME, pointing at the selected "
        f"distribution (CloudFront's alias hosted zone {dns.CLOUDFRONT_ZONE_ID}).",
        "example:\n  dns alias cf.example.com",
    )
    _name_arg(parser)
    _zone_arg(parser)
    return parser


def _cname_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Create or update a CNAME record NAME -> the selected streaming distribution's domain "
        "(a zone apex cannot be a CNAME: use a subdomain).",
        "example:\n  dns cname cf.example.com",
    )
    _name_arg(parser)
    _zone_arg(parser)
    return parser


def _show_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Say where NAME points, and whether that is the selected distribution.",
        "example:\n  dns show cf.example.com",
    )
    _name_arg(parser)
    _zone_arg(parser)
    return add_output_options(parser)


def _zones_parser() -> cmd2.Cmd2ArgumentParser:
    return add_output_options(
        new_parser("List the account's Route 53 hosted zones.", "example:\n  dns zones")
    )


def _remove_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Delete NAME's A, AAAA and CNAME records.", "example:\n  dns remove cf.example.com --yes"
    )
    _name_arg(parser)
    _zone_arg(parser)
    return add_yes_option(parser)


def _zone_create_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Create a public hosted zone in the simulator's Route 53 (and select it).",
        "example:\n  sim zone create example.com",
    )
    parser.add_argument("name", metavar="NAME", help="the zone's domain name")
    return add_select_option(parser)


def _cert_issue_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Issue a pending certificate whose names no hosted zone of the simulator holds (as if "
        "its validation records had been created at a DNS provider outside).",
        "example:\n  sim cert issue",
    )
    parser.add_argument(
        "arn",
        nargs="?",
        metavar="ARN",
        help="certificate ARN (default: the selected one)",
        choices_provider=choose("cert"),
    )
    return parser


class DnsCommands(CfShellCommandSet):
    """`dns` and its subcommands; `sim zone` and `sim cert`."""

    def route53(self) -> Any:
        # A method, not a property: cmd2 inspects every attribute when it registers a set.
        return self.session.client("route53")

    def _zone(self, name: str, given: str | None) -> dict[str, Any]:
        return self.call(dns.require_zone, self.route53(), name, given, id=given or "")

    def _domain(self, kind: str) -> tuple[str, str]:
        """(ID, domain name) of the selected distribution of `kind`."""
        dist_id = self.context.require(kind)
        service = distributions if kind == "distribution" else streaming
        dist, _ = self.call_on(service.get, dist_id)
        return dist_id, dist["DomainName"]

    @cmd2.with_argparser(base_parser("Route 53 records for custom domains."))
    def do_dns(self, args: argparse.Namespace) -> None:
        """DNS records for custom domains."""
        args.cmd2_subcommand_func(args)

    @cmd2.as_subcommand_to("dns", "alias", _alias_parser, help="alias NAME to the distribution")
    def _alias(self, args: argparse.Namespace) -> None:
        name = certs.check_name(args.name)
        if name.startswith("*."):
            raise UsageError("give a name, not a wildcard: alias records are per name")
        dist_id, domain = self._domain("distribution")
        zone = self._zone(name, args.zone)
        zone_id = dns.zone_id(zone)
        self.call(dns.alias, self.route53(), zone_id, name, domain, id=zone_id)
        self.say(
            f"{name} -> {domain} (distribution {dist_id}): alias records A and AAAA in hosted "
            f"zone {dns.bare(zone['Name'])} ({zone_id})"
        )

    @cmd2.as_subcommand_to("dns", "cname", _cname_parser, help="CNAME to a streaming distribution")
    def _cname(self, args: argparse.Namespace) -> None:
        name = certs.check_name(args.name)
        dist_id, domain = self._domain("streaming")
        zone = self._zone(name, args.zone)
        if dns.bare(zone["Name"]) == name:
            raise UsageError(
                f"{name} is the apex of its zone, which cannot hold a CNAME: use a subdomain"
            )
        zone_id = dns.zone_id(zone)
        self.call(dns.cname, self.route53(), zone_id, name, domain, id=zone_id)
        self.say(
            f"{name} CNAME {domain} (streaming distribution {dist_id}) in hosted zone "
            f"{dns.bare(zone['Name'])} ({zone_id})"
        )

    @cmd2.as_subcommand_to("dns", "show", _show_parser, help="where NAME points")
    def _show(self, args: argparse.Namespace) -> None:
        name = certs.check_name(args.name)
        zone = self._zone(name, args.zone)
        rows = self.call(dns.describe, self.route53(), name, zone)
        where = f"hosted zone {dns.bare(zone['Name'])} ({dns.zone_id(zone)})"
        if self.json_output(args) or args.query:
            self.show_rows(rows, RECORD_VIEW, args)
            return
        if not rows:
            self.say(f"{name} has no A, AAAA or CNAME record in {where}")
            return
        self.show_rows(rows, RECORD_VIEW, args)
        selected = self._selected_domains()
        targets = {r["Target"] for r in rows}
        hit = [f"{kind} {i}" for kind, i, d in selected if d in targets]
        if hit:
            self.say(f"{name} points at the selected {hit[0]}")
        elif selected:
            kind, dist_id, domain = selected[0]
            self.say(f"{name} does not point at the selected {kind} {dist_id} ({domain})")

    def _selected_domains(self) -> list[tuple[str, str, str]]:
        found = []
        for kind in ("distribution", "streaming"):
            if self.context.get(kind):
                dist_id, domain = self._domain(kind)
                found.append((kind, dist_id, dns.bare(domain)))
        return found

    @cmd2.as_subcommand_to("dns", "zones", _zones_parser, help="list hosted zones")
    def _zones(self, args: argparse.Namespace) -> None:
        rows = list(self.call(dns.iter_zone_summaries, self.route53()))
        self.show_rows(rows, fields("Id", "Name", "Records"), args, empty="no hosted zones")

    @cmd2.as_subcommand_to("dns", "remove", _remove_parser, help="delete NAME's records")
    def _remove(self, args: argparse.Namespace) -> None:
        name = certs.check_name(args.name)
        zone = self._zone(name, args.zone)
        zone_id = dns.zone_id(zone)
        where = f"hosted zone {dns.bare(zone['Name'])} ({zone_id})"
        if not self.call(dns.describe, self.route53(), name, zone):
            raise CfShellError(
                f"{name} has no A, AAAA or CNAME record in {where} (nothing to remove)"
            )
        self.confirm(f"delete the records of {name} in {where}", args)
        removed = self.call(dns.remove, self.route53(), zone_id, name, id=zone_id)
        self.say(f"removed {', '.join(removed)} of {name} from {where}")

    # --- the simulator ------------------------------------------------------------------

    @cmd2.as_subcommand_to(
        "sim", "zone", base_parser("Route 53 hosted zones in the simulator."), help="hosted zones"
    )
    def _sim_zone(self, args: argparse.Namespace) -> None:
        args.cmd2_subcommand_func(args)

    @cmd2.as_subcommand_to("sim zone", "create", _zone_create_parser, help="create a hosted zone")
    def _sim_zone_create(self, args: argparse.Namespace) -> None:
        if not self.session.offline:
            raise UsageError(
                "`sim zone create` works only against a simulator: on AWS, create the zone in "
                "Route 53 and delegate it from your registrar"
            )
        zone = self.call(dns.create_zone, self.route53(), args.name)
        zone_id = dns.zone_id(zone)
        selected = ""
        if not args.no_select:
            self.context.select("zone", zone_id, dns.bare(zone["Name"]))
            selected = " (selected)"
        self.say(f"created hosted zone {dns.bare(zone['Name'])} {zone_id}{selected}")

    @cmd2.as_subcommand_to(
        "sim", "cert", base_parser("Certificates in the simulator."), help="certificates"
    )
    def _sim_cert(self, args: argparse.Namespace) -> None:
        args.cmd2_subcommand_func(args)

    @cmd2.as_subcommand_to("sim cert", "issue", _cert_issue_parser, help="issue a certificate")
    def _sim_cert_issue(self, args: argparse.Namespace) -> None:
        endpoint = self.session.simulator_endpoint("`sim cert issue`")
        arn = self.context.require("cert", args.arn)
        import simulator

        try:
            status = simulator.issue_certificate(arn, endpoint_url=endpoint)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:
            raise UsageError(f"cannot reach the simulator at {endpoint}: {exc}") from None
        self.say(f"certificate {arn} is {status}")
