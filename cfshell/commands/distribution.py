"""`distribution ...`: web distributions on an S3 origin, the private-video path of today.

    distribution list | get [ID] | wait [ID] [--timeout S] | delete [ID] [--force] [--yes]
    distribution create BUCKET [--oac [ID] | --oai [ID]] [--key-group ID]... [--private]
                        [--cname HOST]... [--certificate ARN] [-m TEXT]
                        [--default-root-object KEY] [--price-class CLASS] [--disabled] [--no-select]
    distribution modify [ID] [same options] [--enable|--disable]
                        [--add-cname HOST] [--remove-cname HOST]
    distribution invalidate [ID] PATH... [--wait]

A CNAME needs an ISSUED ACM certificate (us-east-1) covering it: --certificate, else the
selected one, else the one that covers every CNAME (`cfshell.aws.certs.choose_for`); without
one, create and modify stop before any change and say how to get one.

`ModernCommandSet` (the base of the oac, key, key-group, sign and sim-get sets too) holds the
completers of live IDs and the session-wide memory of generated key files.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import cmd2

from .. import names
from ..aws import certs, distributions, oac
from ..aws.shapes import edit_cnames
from ..aws.waiting import format_elapsed
from ..context import check_id
from ..errors import Interrupted, UsageError
from ..render import fields
from . import lifecycle
from .base import (
    CfShellCommandSet,
    _choices,
    _meta,
    _stdin_is_tty,
    choose,
    new_parser,
)
from .lifecycle import GET_HEAD, LIST_HEAD, SELECTED, Deployable, DeployableCommands

GET_VIEW = fields(
    *GET_HEAD,
    "ARN",
    "Origins",
    ("OriginAccess", "Origin access"),
    ("TrustedKeyGroups", "Trusted key groups"),
    lifecycle.signers_field("ActiveKeyGroups", "Active key groups", "KeyGroupId"),
    ("TrustedSigners", "Trusted signers"),
    lifecycle.signers_field("ActiveSigners", "Active signers", "AwsAccountNumber"),
    "CNAMEs",
    "Certificate",
    "Comment",
    ("DefaultRootObject", "Default root object"),
    ("PriceClass", "Price class"),
    ("ViewerProtocolPolicy", "Viewer protocol"),
    ("CachePolicyId", "Cache policy"),
    ("InProgressInvalidations", "Invalidations in progress"),
    ("LastModifiedTime", "Last modified"),
)
LIST_VIEW = fields(
    *LIST_HEAD,
    "Origins",
    ("OriginAccess", "Origin access"),
    ("TrustedKeyGroups", "Key groups"),
    "CNAMEs",
    "Comment",
)


class ModernCommandSet(CfShellCommandSet):
    """Base of the modern path's command sets: completers and shared helpers."""

    ABSTRACT = True  # a base: subclasses set False to be registered

    # --- completion of live IDs ---------------------------------------------------------

    def choose_distribution(self) -> cmd2.Choices:
        """Live distribution IDs, with their domain name and comment."""

        def items() -> list[cmd2.CompletionItem]:
            return [
                cmd2.CompletionItem(
                    d["Id"], display_meta=_meta(d.get("DomainName"), d.get("Comment"))
                )
                for d in distributions.iter_summaries(self.cf())
            ]

        return _choices(items)

    def choose_oac(self) -> cmd2.Choices:
        """Live origin access control IDs, with their name."""

        def items() -> list[cmd2.CompletionItem]:
            return [
                cmd2.CompletionItem(o["Id"], display_meta=_meta(o.get("Name")))
                for o in oac.iter_summaries(self.cf())
            ]

        return _choices(items)

    def choose_key(self) -> cmd2.Choices:
        """Live public key IDs, with their name."""
        from ..aws import keys

        def items() -> list[cmd2.CompletionItem]:
            return [
                cmd2.CompletionItem(k["Id"], display_meta=_meta(k.get("Name")))
                for k in keys.iter_public_keys(self.cf())
            ]

        return _choices(items)

    def choose_key_group(self) -> cmd2.Choices:
        """Live key group IDs, with their name."""
        from ..aws import keys

        def items() -> list[cmd2.CompletionItem]:
            return [
                cmd2.CompletionItem(g["Id"], display_meta=_meta(g["KeyGroupConfig"].get("Name")))
                for g in keys.iter_key_groups(self.cf())
            ]

        return _choices(items)

    def choose_cname(self, arg_tokens: dict[str, list[str]]) -> cmd2.Choices:
        """The current CNAMEs of the distribution named on the line (or selected)."""

        def items() -> list[cmd2.CompletionItem]:
            given = (arg_tokens.get("id") or [None])[0]
            dist_id = self.context.require("distribution", given)
            config, _ = distributions.get_config(self.cf(), dist_id)
            return [cmd2.CompletionItem(c) for c in distributions.cnames_of(config)]

        return _choices(items)

    # --- what `key generate` wrote in this session --------------------------------------

    def key_files(self) -> dict[str, str]:
        """Public key ID -> private key file written by `key generate` in this session."""
        return self.session.generated_key_files


KIND = Deployable.of(
    "distribution",
    distributions,
    ModernCommandSet.choose_distribution,
    (LIST_VIEW, GET_VIEW),
    origin=lambda record: ", ".join(record["Origins"]),  # a web distribution may have several
    modifiable="Comment Enabled OriginAccess TrustedKeyGroups TrustedSigners CNAMEs Certificate "
    "DefaultRootObject PriceClass",
)


def _common_options(parser: argparse.ArgumentParser, *, modify: bool) -> None:
    access = parser.add_mutually_exclusive_group()
    access.add_argument(
        "--oac",
        nargs="?",
        const=SELECTED,
        metavar="ID",
        help="origin access control (the default on create; without ID: the selected one, "
        "else the bucket's own, made when missing)",
        choices_provider=ModernCommandSet.choose_oac,
    )
    lifecycle.add_oai_option(access, "--oai", instead=" instead")
    parser.add_argument(
        "--key-group",
        action="append",
        metavar="ID",
        dest="key_groups",
        help="require URLs signed with a key of this key group (repeatable"
        + ("; replaces the trusted list)" if modify else ")"),
        choices_provider=ModernCommandSet.choose_key_group,
    )
    parser.add_argument(
        "--private",
        action="store_true",
        help="require signed URLs or cookies: trust the selected key group",
    )
    lifecycle.add_cname_option(parser, modify=modify)
    parser.add_argument(
        "--certificate",
        metavar="ARN",
        help="ACM certificate (us-east-1) for the CNAMEs (default: the selected one, else the "
        "one ISSUED certificate covering them all)",
        choices_provider=choose("cert"),
    )
    parser.add_argument("-m", "--comment", metavar="TEXT", help="comment")
    parser.add_argument(
        "--default-root-object", metavar="KEY", help="object served for the root URL (/)"
    )
    parser.add_argument(
        "--price-class",
        metavar="CLASS",
        choices=["100", "200", "All", "PriceClass_100", "PriceClass_200", "PriceClass_All"],
        help="edge locations used: 100, 200 or All",
    )


def _create_parser() -> cmd2.Cmd2ArgumentParser:
    parser = lifecycle.create_parser(KIND, "bucket name or NAME.s3[.REGION].amazonaws.com")
    _common_options(parser, modify=False)
    return lifecycle.add_create_options(parser)


def _modify_parser() -> cmd2.Cmd2ArgumentParser:
    parser = lifecycle.parser(KIND, "modify")
    _common_options(parser, modify=True)
    parser.add_argument(
        "--no-key-groups",
        action="store_true",
        help="stop requiring signed URLs (trust no key group)",
    )
    parser.add_argument(
        "--trusted-signer",
        action="append",
        metavar="ACCOUNT|self",
        dest="trusted_signers",
        help="legacy: trust this account's CloudFront key pairs (repeatable; replaces the list; "
        "`none` trusts none); prefer key groups (`migrate key-group`)",
    )
    lifecycle.add_state_options(parser)
    lifecycle.add_cname_edits(parser, ModernCommandSet.choose_cname)
    return parser


def _invalidate_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Remove objects from the edge caches before they expire.",
        "examples:\n  distribution invalidate /videos/intro.m3u8 /videos/intro-*.ts\n"
        "  distribution invalidate E2QWRUHAPOMQZL '/*' --wait",
    )
    parser.add_argument(
        "targets",
        nargs="+",
        metavar="[ID] PATH",
        help="distribution ID (default: the selected one), then paths such as /index.html or /*",
    )
    parser.add_argument("--wait", action="store_true", help="wait until the invalidation completes")
    parser.add_argument(
        "--timeout", type=float, metavar="S", help="with --wait: seconds to wait at most"
    )
    return parser


class DistributionCommands(DeployableCommands, ModernCommandSet, kind=KIND):
    """`distribution` and its subcommands."""

    @cmd2.as_subcommand_to("distribution", "create", _create_parser, help="create (and select) one")
    def _create(self, args: argparse.Namespace) -> None:
        bucket = self.new_bucket(args.bucket)
        key_groups = self._key_groups(args, current=[])
        oai_id = self.oai_arg(args.oai)
        # Made or found by the bucket's name (not given, not selected): selected, for `oac grant`.
        oac_picked = not oai_id and args.oac in (None, SELECTED) and not self.context.get("oac")
        # Before anything is made (the bucket's OAC below): no certificate, no change.
        cnames = [names.cname(c) for c in args.cnames or ()]
        certificate = self._certificate(cnames, args.certificate)
        oac_id, oac_made = (None, False) if oai_id else self._oac_arg(args.oac or SELECTED, bucket)
        config = distributions.new_config(
            args.bucket,
            oac_id=oac_id,
            oai_id=oai_id,
            key_group_ids=key_groups,
            cnames=args.cnames or (),
            comment=args.comment or "",
            default_root_object=args.default_root_object or "",
            price_class=args.price_class,
            enabled=not args.disabled,
            certificate_arn=certificate,
        )
        dist, said = self.create_from(args, config)
        if oac_picked:  # --no-select keeps the OAC's selection as it was too
            self.select_created(args, "oac", oac_id, oac.default_name(bucket))
            oac_picked = not args.no_select
        if said:
            if oac_id:
                how = "created" if oac_made else "reused"
                how += " and selected" if oac_picked else ""
                self.say(f"  origin access: OAC {oac_id} ({how})")
            else:
                self.say(f"  origin access: OAI {oai_id}")
            if key_groups:
                self.say(f"  signed URLs or cookies required: key group {', '.join(key_groups)}")
            if certificate:
                self.say(f"  certificate: {certificate} (sni-only, TLSv1.2_2021)")
        self._offer_grant(dist["Id"], bucket, oac_id, oai_id)

    @cmd2.as_subcommand_to("distribution", "modify", _modify_parser, help="change one")
    def _modify(self, args: argparse.Namespace) -> None:
        dist_id = self.context.require("distribution", args.id)
        changes = self.common_changes(args)
        if args.no_key_groups and (args.key_groups or args.private):
            raise UsageError("--no-key-groups excludes --key-group and --private")
        if args.default_root_object is not None:
            changes["default_root_object"] = args.default_root_object
        if args.price_class is not None:
            changes["price_class"] = args.price_class
        if args.oai is not None:
            changes["oai_id"] = self.oai_arg(args.oai)
        if args.trusted_signers is not None:
            changes["trusted_signers"] = [t for t in args.trusted_signers if t != "none"]
        if (
            not changes
            and args.oac is None
            and args.certificate is None
            and not (args.key_groups or args.private or args.no_key_groups)
        ):
            raise self.nothing_to_change()
        oac_picked = args.oac == SELECTED and not self.context.get("oac")

        def more(config: dict[str, Any]) -> dict[str, Any]:
            found: dict[str, Any] = {}
            if args.oac is not None:
                buckets_ = distributions.origin_buckets(config)
                found["oac_id"], _ = self._oac_arg(args.oac, buckets_[0] if buckets_ else "")
            if args.no_key_groups:
                found["key_group_ids"] = []
            elif args.key_groups or args.private:
                found["key_group_ids"] = self._key_groups(
                    args, current=distributions.key_group_ids_of(config)
                )
            if args.certificate is not None or {"cnames", "add_cnames", "remove_cnames"} & set(
                changes
            ):
                found["certificate_arn"] = self._certificate_after(config, changes, args)
            return found

        dist, said = self.modify_with(args, dist_id, changes, more)
        config = dist["DistributionConfig"]
        if oac_picked:
            self.context.select("oac", distributions.oac_ids_of(config)[0])
        if said and (args.oac is not None or args.oai is not None):
            bucket_list = distributions.origin_buckets(config)
            if bucket_list:
                oac_ids = distributions.oac_ids_of(config)
                oai_ids = distributions.oai_ids_of(config)
                self._offer_grant(
                    dist_id,
                    bucket_list[0],
                    oac_ids[0] if oac_ids else None,
                    oai_ids[0] if oai_ids else None,
                )

    @cmd2.as_subcommand_to(
        "distribution", "invalidate", _invalidate_parser, help="invalidate cached paths"
    )
    def _invalidate(self, args: argparse.Namespace) -> None:
        targets = list(args.targets)
        given = None
        if not targets[0].startswith("/") and _looks_like_id(targets[0]):
            given = targets.pop(0)
        dist_id = self.context.require("distribution", given)
        if not targets:
            raise UsageError("give at least one path to invalidate, such as /index.html or '/*'")
        invalidation = self.call_on(distributions.invalidate, dist_id, targets)
        paths = invalidation["InvalidationBatch"]["Paths"].get("Items", [])
        self.say(
            f"invalidation {invalidation['Id']} of {dist_id} for {', '.join(paths)}: "
            f"{invalidation['Status']}"
        )
        if not args.wait:
            return
        started = time.monotonic()
        try:
            done = self.call_on(
                distributions.wait_invalidation,
                dist_id,
                invalidation["Id"],
                timeout=self.timeout_arg(args.timeout),
                interval=self.session.effective_poll_interval(),
            )
        except KeyboardInterrupt:
            raise Interrupted(
                f"stopped waiting after {format_elapsed(time.monotonic() - started)}: "
                f"invalidation {invalidation['Id']} goes on"
            ) from None
        self.say(
            f"invalidation {done['Id']} is {done['Status']} after "
            f"{format_elapsed(time.monotonic() - started)}"
        )

    def get_command(self, args: argparse.Namespace) -> None:
        """`distribution get`, then the certificate's status and expiry (a warning when it
        expires within 30 days)."""
        super().get_command(args)
        dist_id = self.context.require("distribution", args.id)
        config, _ = self.call_on(distributions.get_config, dist_id)
        arn = certs.certificate_of(config)
        if not arn:
            return
        cert = self.call(certs.describe, self.session.client("acm"), arn, id=arn)
        if not (self.json_output(args) or args.query):
            expiry = certs.summarize(cert)["NotAfter"] or "no expiry date yet"
            self.say(f"certificate {cert.get('Status')}, expires {expiry}")
        warning = certs.expiry_warning(cert)
        if warning:
            self._cmd.perror(f"warning: {warning}")

    # --- helpers ----------------------------------------------------------------------------

    def _certificate(self, cnames: list[str], given: str | None) -> str | None:
        """The ACM certificate for `cnames` (certs.choose_for), read before anything changes."""
        explicit = self.context.require("cert", given) if given else None
        return self.call(
            certs.choose_for,
            self.session.client("acm"),
            cnames,
            explicit=explicit,
            selected=self.context.get("cert"),
            id=explicit or "",
        )

    def _certificate_after(
        self, config: dict[str, Any], changes: dict[str, Any], args: argparse.Namespace
    ) -> str:
        """The certificate once `changes` apply: --certificate (checked), else the current one
        while it still covers every CNAME, else as on create; '' (CloudFront's default) when
        no CNAME is left."""
        cnames = edit_cnames(
            distributions.cnames_of(config),
            replace=changes.get("cnames"),
            add=changes.get("add_cnames", ()),
            remove=changes.get("remove_cnames", ()),
        )
        if args.certificate is None:
            if not cnames:
                return ""
            current = certs.certificate_of(config)
            if current:
                cert = self.call(certs.describe, self.session.client("acm"), current, id=current)
                if cert.get("Status") == "ISSUED" and not certs.uncovered(cert, cnames):
                    return current
        return self._certificate(cnames, args.certificate) or ""

    def _oac_arg(self, value: str, bucket: str) -> tuple[str, bool]:
        """(OAC ID, made now): the given one, the selected one, else the bucket's own."""
        if value != SELECTED:
            oac_id = self.context.require("oac", value)
            # Read it first: a missing OAC then names itself, not the distribution being changed.
            self.call(oac.get, self.cf(), oac_id, id=oac_id)
            return oac_id, False
        selected = self.context.get("oac")
        if selected:
            return selected, False
        if not bucket:
            raise UsageError("no OAC selected and no S3 origin to name one after: give --oac ID")
        return self.call(oac.find_or_create, self.cf(), bucket)

    def _key_groups(self, args: argparse.Namespace, *, current: list[str]) -> list[str]:
        groups = [self.context.require("key-group", g) for g in args.key_groups or []]
        if not groups:
            groups = list(current)
        if args.private:
            selected = self.context.get("key-group")
            if not selected and not groups:
                raise UsageError(
                    "--private needs a key group: run `key generate NAME` (it makes and selects "
                    "one), `use key-group ID`, or give --key-group ID"
                )
            if selected and selected not in groups:
                groups.append(selected)
        return groups

    def _offer_grant(
        self, dist_id: str, bucket: str, oac_id: str | None, oai_id: str | None
    ) -> None:
        """CloudFront cannot read the bucket until its policy says so: offer the grant."""
        if oac_id:
            command = f"oac grant {oac_id} {bucket}"
        elif oai_id:
            command = f"oai grant {oai_id} {bucket}"
        else:
            return
        interactive = self.session.interactive and _stdin_is_tty(self._cmd)
        if not interactive:
            hint = f"next: `{command}` so that CloudFront may read the bucket"
            # With JSON output, stdout carries the JSON document alone.
            (self._cmd.pwarning if self.json_output(None) else self.say)(hint)
            return
        answer = self._cmd.read_input(f"grant {dist_id} read access to {bucket} now? [Y/n] ")
        if answer.strip().lower() in ("", "y", "yes"):
            self._cmd.onecmd_plus_hooks(command)
        else:
            # The same words as a script gets, so that a rehearsal's transcript checks alike.
            self.say(f"next: `{command}` so that CloudFront may read the bucket")


def _looks_like_id(text: str) -> bool:
    try:
        check_id("distribution", text)
    except UsageError:
        return False
    return True
