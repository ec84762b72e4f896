"""`streaming ...`: the RTMP streaming distributions of the seed's workflow.

streaming list | get [ID] | wait [ID] [--timeout S]
streaming create BUCKET [--cname HOST]... [-m TEXT] [--oai [ID]] [--trusted-signer A|self]... [--disabled]
streaming modify [ID] [-m TEXT] [--enable|--disable] [--oai [ID] | --no-oai]
                      [--trusted-signer A|self]... [--cname HOST]... [--add-cname HOST] [--remove-cname HOST]
streaming delete [ID] [ETAG] [--force] [--yes]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import cmd2

from .. import names
from ..aws import buckets, streaming
from ..aws.waiting import format_elapsed
from ..errors import (
    CfShellError,
    Interrupted,
    StepsFailed,
    UsageError,
    translate,
)
from ..render import Field, cell, fields
from .base import (
    CfShellCommandSet,
    add_output_options,
    add_yes_option,
    base_parser,
    new_parser,
)

SELECTED = "\0selected"  # `--oai` given without an ID: the selected OAI

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


def _id_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "id",
        nargs="?",
        metavar="ID",
        help="streaming distribution ID (default: the selected one)",
        choices_provider=CfShellCommandSet.choose_streaming,
    )


def _list_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "List every streaming distribution.",
        "example:\n  streaming list\n  streaming list --query '[].DomainName'",
    )
    return add_output_options(parser)


def _get_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Show one streaming distribution: ID, ETag, status, domain, origin, CNAMEs, comment, "
        "OAI, trusted and active signers, last modified.",
        "example:\n  streaming get\n  streaming get E2QWRUHAPOMQZL --output json",
    )
    _id_arg(parser)
    return add_output_options(parser)


def _wait_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Wait until the distribution is Deployed, showing elapsed time and status. "
        "Ctrl-C stops waiting (the shell stays).",
        "example:\n  streaming wait --timeout 600",
    )
    _id_arg(parser)
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="S",
        help="seconds to wait at most (default: `set wait_timeout`, else AWS's waiter limit)",
    )
    return parser


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
    _id_arg(parser)
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


def _delete_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Delete a streaming distribution. It must be disabled and Deployed; --force disables it, "
        "waits, then deletes, reporting each step. The ETag is fetched when left out.",
        "example:\n  streaming delete --force --yes",
    )
    _id_arg(parser)
    parser.add_argument("etag", nargs="?", metavar="ETAG", help="ETag from `streaming get`")
    parser.add_argument("--force", action="store_true", help="disable, wait, then delete")
    return add_yes_option(parser)


class StreamingCommands(CfShellCommandSet):
    """`streaming` and its subcommands (list, get, create, modify, wait, delete)."""

    DEFAULT_CATEGORY = "Streaming (RTMP, legacy)"

    def cf(self) -> Any:
        # A method, not a property: cmd2 inspects every attribute when it registers a set.
        return self.session.client("cloudfront")

    @cmd2.with_argparser(base_parser("RTMP streaming distributions (the seed's legacy path)."))
    def do_streaming(self, args: argparse.Namespace) -> None:
        """RTMP streaming distributions."""
        args.cmd2_subcommand_func(args)

    @cmd2.as_subcommand_to("streaming", "list", _list_parser, help="list streaming distributions")
    def _list(self, args: argparse.Namespace) -> None:
        rows = [streaming.summarize_item(i) for i in streaming.iter_summaries(self.cf())]
        self.show_rows(rows, LIST_VIEW, args, empty="no streaming distributions")

    @cmd2.as_subcommand_to("streaming", "get", _get_parser, help="show one streaming distribution")
    def _get(self, args: argparse.Namespace) -> None:
        dist_id = self.context.require("streaming", args.id)
        dist, etag = self._call(streaming.get, dist_id)
        self.show_record(streaming.summarize(dist, etag), GET_VIEW, args)

    @cmd2.as_subcommand_to("streaming", "create", _create_parser, help="create (and select) one")
    def _create(self, args: argparse.Namespace) -> None:
        bucket = names.bucket_name(args.bucket)
        if not buckets.bucket_exists(self.session.client("s3"), bucket):
            raise UsageError(
                f"bucket {bucket} does not exist: check the name, or create it first "
                f"(`sim bucket create {bucket}` in the simulator)"
            )
        config = streaming.new_config(
            bucket,
            cnames=args.cnames,
            comment=args.comment,
            oai_id=self._oai_arg(args.oai),
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
        if args.cnames is not None and (args.add_cname or args.remove_cname):
            raise UsageError(
                "--cname replaces every CNAME: do not combine it with --add-cname/--remove-cname"
            )
        if args.trusted_signers and args.no_trusted_signers:
            raise UsageError("--trusted-signer and --no-trusted-signers exclude each other")
        changes: dict[str, Any] = {}
        if args.comment is not None:
            changes["comment"] = args.comment
        if args.enable or args.disable:
            changes["enabled"] = bool(args.enable)
        if args.oai is not None:
            changes["oai_id"] = self._oai_arg(args.oai)
        elif args.no_oai:
            changes["oai_id"] = None
        if args.trusted_signers:
            changes["trusted_signers"] = args.trusted_signers
        elif args.no_trusted_signers:
            changes["trusted_signers"] = []
        if args.cnames is not None:
            changes["cnames"] = args.cnames
        if args.add_cname:
            changes["add_cnames"] = args.add_cname
        if args.remove_cname:
            changes["remove_cnames"] = args.remove_cname
        if not changes:
            raise UsageError("nothing to change: give an option (see `help streaming modify`)")
        before: dict[str, Any] = {}

        def change(config: dict[str, Any]) -> dict[str, Any]:
            before.update(streaming.summarize({"StreamingDistributionConfig": config}))
            return streaming.apply_changes(config, **changes)

        dist, etag = self._call(streaming.modify, dist_id, change)
        after = streaming.summarize(dist, etag)
        if self.json_output(args):
            self.show(self.renderer.value(after))
            return
        changed = [
            f"{label} {cell(before.get(key))} -> {cell(after.get(key))}"
            for key, label in _MODIFIABLE
            if before.get(key) != after.get(key)
        ]
        summary = "; ".join(changed) if changed else "no change"
        self.say(f"modified {dist_id}: {summary}; status {after['Status']}")

    @cmd2.as_subcommand_to("streaming", "wait", _wait_parser, help="wait until Deployed")
    def _wait(self, args: argparse.Namespace) -> None:
        dist_id = self.context.require("streaming", args.id)
        self._wait_deployed(dist_id, args.timeout)

    @cmd2.as_subcommand_to("streaming", "delete", _delete_parser, help="delete one")
    def _delete(self, args: argparse.Namespace) -> None:
        dist_id = self.context.require("streaming", args.id)
        if args.force and args.etag:
            raise UsageError("--force fetches fresh ETags as it goes: leave out the ETAG")
        self.confirm(f"delete streaming distribution {dist_id}", args)
        if args.force:
            self._force_delete(dist_id)
        else:
            self._call(streaming.delete, dist_id, args.etag)
            self.say(f"deleted streaming distribution {dist_id}")
        self.context.forget("streaming", dist_id)

    # --- helpers ----------------------------------------------------------------------------

    def _call(self, func: Any, dist_id: str, *args: Any) -> Any:
        """Call the service layer; a ClientError's sentence names the resource."""
        return self.call(func, self.cf(), dist_id, *args, id=dist_id)

    def _oai_arg(self, value: str | None) -> str | None:
        if value is None:
            return None
        if value == SELECTED:
            return self.context.require("oai")
        return self.context.require("oai", value)

    def _timeout(self, given: float | None) -> float:
        if given is not None:
            if given <= 0:
                raise UsageError("--timeout must be a positive number of seconds")
            return given
        return float(self.session.wait_timeout or 0)

    def _wait_deployed(
        self, dist_id: str, timeout: float | None, *, changed_nothing: bool = True
    ) -> dict[str, Any]:
        """Wait until Deployed; `changed_nothing`: a Ctrl-C may say that nothing was changed
        (not so inside `delete --force`, which has disabled the distribution already)."""
        limit = self._timeout(timeout)
        last = {"status": None, "shown": -1e9}
        report_every = 15.0

        def on_poll(elapsed: float, status: str) -> None:
            if status != last["status"] or elapsed - last["shown"] >= report_every:
                self.say(f"[{format_elapsed(elapsed):>7}] {dist_id} {status}")
                last.update(status=status, shown=elapsed)

        started = time.monotonic()
        try:
            dist = self._call(
                lambda cf, i: streaming.wait_deployed(
                    cf,
                    i,
                    timeout=limit,
                    interval=self.session.effective_poll_interval(),
                    on_poll=on_poll,
                ),
                dist_id,
            )
        except KeyboardInterrupt:
            raise Interrupted(
                f"stopped waiting after {format_elapsed(time.monotonic() - started)}: "
                f"{dist_id} was {last['status'] or 'not read yet'}"
                + (" (nothing was changed)" if changed_nothing else "")
            ) from None
        self.say(f"{dist_id} is Deployed after {format_elapsed(time.monotonic() - started)}")
        return dist

    def _force_delete(self, dist_id: str) -> None:
        done: list[str] = []
        step = "read"
        try:
            config, etag = self._call(streaming.get_config, dist_id)
            if config.get("Enabled"):
                step = "disable"
                self._call(
                    streaming.update, dist_id, streaming.apply_changes(config, enabled=False), etag
                )
                done.append(f"disabled {dist_id}")
                self.say(f"disabled {dist_id}")
            else:
                self.say(f"{dist_id} is already disabled")
            step = "wait"
            self._wait_deployed(dist_id, None, changed_nothing=not done)
            step = "delete"
            self._call(streaming.delete, dist_id, None)
            self.say(f"deleted streaming distribution {dist_id}")
        except (Exception, KeyboardInterrupt) as exc:
            if not done:
                raise
            error = exc if isinstance(exc, CfShellError) else translate(exc)
            reason = str(error) if error else f"{type(exc).__name__}: {exc}"
            failed = StepsFailed(
                f"streaming delete --force stopped at step '{step}': {reason}; already done: "
                f"{'; '.join(done)} (run `streaming delete --force` again to finish)",
                done=done,
                cause=exc,
            )
            if isinstance(exc, KeyboardInterrupt | Interrupted):
                failed.exit_status = Interrupted.exit_status  # a script stopped by Ctrl-C: 130
            raise failed from exc


_MODIFIABLE = (
    ("Comment", "comment"),
    ("Enabled", "enabled"),
    ("OriginAccessIdentity", "OAI"),
    ("TrustedSigners", "trusted signers"),
    ("CNAMEs", "CNAMEs"),
)
