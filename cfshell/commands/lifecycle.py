"""What `distribution` and `streaming` share: list, get, wait, delete (with `--force`), and the
summary of a modify.

Both kinds are deployed by CloudFront, refuse deletion until disabled and Deployed, and are
changed by read-modify-write. A `Deployable` names one kind and its service module
(cfshell.aws.distributions or cfshell.aws.streaming), which offers `iter_summaries`,
`summarize_item`, `get`, `summarize`, `get_config`, `disable`, `delete` and `wait_deployed`
with the same signatures. `DeployableCommands` runs the flows for the set's `KIND`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import cmd2

from ..aws.waiting import format_elapsed
from ..errors import CfShellError, Interrupted, StepsFailed, UsageError, translate
from ..render import Field, cell
from .base import (
    CfShellCommandSet,
    add_id_argument,
    add_output_options,
    add_yes_option,
    new_parser,
)

SELECTED = "\0selected"  # `--oai` (or `--oac`) given without an ID: the selected one
REPORT_EVERY = 15.0  # seconds between two progress lines of an unchanged status

ParserBuilder = Callable[[], cmd2.Cmd2ArgumentParser]


@dataclass(frozen=True)
class Deployable:
    """One kind of distribution: its command (also its kind in the context), its noun in
    messages, its service module and the completer of its live IDs."""

    command: str
    noun: str
    service: Any
    choose: Any


# --- parsers ----------------------------------------------------------------------------------


def id_arg(parser: argparse.ArgumentParser | Any, kind: Deployable) -> None:
    add_id_argument(parser, kind.noun, kind.choose)


def list_parser(kind: Deployable, description: str) -> ParserBuilder:
    def build() -> cmd2.Cmd2ArgumentParser:
        parser = new_parser(
            description,
            f"example:\n  {kind.command} list\n  {kind.command} list --query '[].DomainName'",
        )
        return add_output_options(parser)

    return build


def get_parser(kind: Deployable, description: str) -> ParserBuilder:
    def build() -> cmd2.Cmd2ArgumentParser:
        parser = new_parser(
            description,
            f"example:\n  {kind.command} get\n  {kind.command} get E2QWRUHAPOMQZL --output json",
        )
        id_arg(parser, kind)
        return add_output_options(parser)

    return build


def wait_parser(kind: Deployable, example_timeout: int) -> ParserBuilder:
    def build() -> cmd2.Cmd2ArgumentParser:
        parser = new_parser(
            "Wait until the distribution is Deployed, showing elapsed time and status. "
            "Ctrl-C stops waiting (the shell stays).",
            f"example:\n  {kind.command} wait --timeout {example_timeout}",
        )
        id_arg(parser, kind)
        parser.add_argument(
            "--timeout",
            type=float,
            metavar="S",
            help="seconds to wait at most (default: `set wait_timeout`, else AWS's waiter limit)",
        )
        return parser

    return build


def delete_parser(kind: Deployable, description: str, *, etag: bool = False) -> ParserBuilder:
    """`delete [ID] [ETAG] [--force] [--yes]`; ETAG only where the command takes one."""

    def build() -> cmd2.Cmd2ArgumentParser:
        parser = new_parser(description, f"example:\n  {kind.command} delete --force --yes")
        id_arg(parser, kind)
        if etag:
            parser.add_argument(
                "etag", nargs="?", metavar="ETAG", help=f"ETag from `{kind.command} get`"
            )
        parser.add_argument("--force", action="store_true", help="disable, wait, then delete")
        return add_yes_option(parser)

    return build


# --- flows ------------------------------------------------------------------------------------


class DeployableCommands(CfShellCommandSet):
    """Base of the `distribution` and `streaming` sets: the flows both run, for `KIND`."""

    ABSTRACT = True  # a base: subclasses set False to be registered
    KIND: ClassVar[Deployable]

    def list_command(self, args: argparse.Namespace, view: Sequence[Field]) -> None:
        service = self.KIND.service
        rows = [service.summarize_item(i) for i in service.iter_summaries(self.cf())]
        self.show_rows(rows, view, args, empty=f"no {self.KIND.noun}s")

    def get_command(self, args: argparse.Namespace, view: Sequence[Field]) -> None:
        dist_id = self.context.require(self.KIND.command, args.id)
        dist, etag = self.call_on(self.KIND.service.get, dist_id)
        self.show_record(self.KIND.service.summarize(dist, etag), view, args)

    def wait_command(self, args: argparse.Namespace) -> None:
        self.wait_deployed(self.context.require(self.KIND.command, args.id), args.timeout)

    def delete_command(self, args: argparse.Namespace) -> None:
        kind = self.KIND
        dist_id = self.context.require(kind.command, args.id)
        etag = getattr(args, "etag", None)
        if args.force and etag:
            raise UsageError("--force fetches fresh ETags as it goes: leave out the ETAG")
        self.confirm(f"delete {kind.noun} {dist_id}", args)
        if args.force:
            self.force_delete(dist_id)
        else:
            self.call_on(kind.service.delete, dist_id, etag)
            self.say(f"deleted {kind.noun} {dist_id}")
        self.context.forget(kind.command, dist_id)

    # --- helpers of create and modify ---------------------------------------------------

    def require_bucket(self, bucket: str) -> None:
        from ..aws import buckets

        if not self.call(buckets.bucket_exists, self.session.client("s3"), bucket, bucket=bucket):
            raise UsageError(
                f"bucket {bucket} does not exist: check the name, or create it first "
                f"(`sim bucket create {bucket}` in the simulator)"
            )

    def oai_arg(self, value: str | None) -> str | None:
        """The OAI ID of `--oai [ID]` (None when not given)."""
        if value is None:
            return None
        return self.context.require("oai", None if value == SELECTED else value)

    def common_changes(self, args: argparse.Namespace) -> dict[str, Any]:
        """The changes of the options both modify commands take: comment, state, CNAMEs."""
        if args.cnames is not None and (args.add_cname or args.remove_cname):
            raise UsageError(
                "--cname replaces every CNAME: do not combine it with --add-cname/--remove-cname"
            )
        changes: dict[str, Any] = {}
        if args.comment is not None:
            changes["comment"] = args.comment
        if args.enable or args.disable:
            changes["enabled"] = bool(args.enable)
        if args.cnames is not None:
            changes["cnames"] = args.cnames
        if args.add_cname:
            changes["add_cnames"] = args.add_cname
        if args.remove_cname:
            changes["remove_cnames"] = args.remove_cname
        return changes

    def say_modified(
        self,
        dist_id: str,
        before: dict[str, Any],
        after: dict[str, Any],
        modifiable: Sequence[tuple[str, str]],
    ) -> None:
        """`modified ID: LABEL OLD -> NEW; ...; status S` over the (key, label) pairs given."""
        changed = [
            f"{label} {cell(before.get(key))} -> {cell(after.get(key))}"
            for key, label in modifiable
            if before.get(key) != after.get(key)
        ]
        summary = "; ".join(changed) if changed else "no change"
        self.say(f"modified {dist_id}: {summary}; status {after['Status']}")

    # --- wait and delete --force --------------------------------------------------------

    def wait_deployed(
        self, dist_id: str, timeout: float | None, *, changed_nothing: bool = True
    ) -> dict[str, Any]:
        """Wait until Deployed, reporting progress; `changed_nothing`: a Ctrl-C may say that
        nothing was changed (not so inside `delete --force`, which may have disabled it)."""
        limit = self.timeout_arg(timeout)
        last: dict[str, Any] = {"status": None, "shown": -1e9}

        def on_poll(elapsed: float, status: str) -> None:
            if status != last["status"] or elapsed - last["shown"] >= REPORT_EVERY:
                self.say(f"[{format_elapsed(elapsed):>7}] {dist_id} {status}")
                last.update(status=status, shown=elapsed)

        started = time.monotonic()
        try:
            dist = self.call_on(
                self.KIND.service.wait_deployed,
                dist_id,
                timeout=limit,
                interval=self.session.effective_poll_interval(),
                on_poll=on_poll,
            )
        except KeyboardInterrupt:
            raise Interrupted(
                f"stopped waiting after {format_elapsed(time.monotonic() - started)}: "
                f"{dist_id} was {last['status'] or 'not read yet'}"
                + (" (nothing was changed)" if changed_nothing else "")
            ) from None
        self.say(f"{dist_id} is Deployed after {format_elapsed(time.monotonic() - started)}")
        return dist

    def force_delete(self, dist_id: str) -> None:
        """Disable, wait, delete, saying each step; a failure after a change says what changed."""
        kind = self.KIND
        done: list[str] = []
        step = "read"
        try:
            config, etag = self.call_on(kind.service.get_config, dist_id)
            if config.get("Enabled"):
                step = "disable"
                self.call_on(kind.service.disable, dist_id, config, etag)
                done.append(f"disabled {dist_id}")
                self.say(f"disabled {dist_id}")
            else:
                self.say(f"{dist_id} is already disabled")
            step = "wait"
            self.wait_deployed(dist_id, None, changed_nothing=not done)
            step = "delete"
            self.call_on(kind.service.delete, dist_id, None)
            self.say(f"deleted {kind.noun} {dist_id}")
        except (Exception, KeyboardInterrupt) as exc:
            if not done:
                raise
            error = exc if isinstance(exc, CfShellError) else translate(exc)
            reason = str(error) if error else f"{type(exc).__name__}: {exc}"
            failed = StepsFailed(
                f"{kind.command} delete --force stopped at step '{step}': {reason}; "
                f"already done: {'; '.join(done)} "
                f"(run `{kind.command} delete --force` again to finish)",
                done=done,
                cause=exc,
            )
            if isinstance(exc, KeyboardInterrupt | Interrupted):
                failed.exit_status = Interrupted.exit_status  # a script stopped by Ctrl-C: 130
            raise failed from exc
