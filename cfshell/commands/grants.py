"""`oai grant` and `oai revoke`: give an origin access identity read access to a bucket.

Subcommands of `oai` (the base command in `commands/oai.py`). The work is in `cfshell.aws.grants`;
this module parses, resolves the OAI from the argument or the selection, shows progress, and
reports the summary.
"""

from __future__ import annotations

import argparse
import sys
import threading
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import cmd2

from .. import names
from ..errors import AwsError, CfShellError, Interrupted, UsageError
from .base import CfShellCommandSet, new_parser

if TYPE_CHECKING:
    from ..session import Session

PERMISSIONS = ("READ", "FULL_CONTROL")
NO_SUCH_OAI = "NoSuchCloudFrontOriginAccessIdentity"


def _grant_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Give an origin access identity read access to a bucket's objects.\n\n"
        "By default one statement for the OAI is merged into the bucket policy (other statements\n"
        "are kept; a second grant changes nothing). With --acl a grant is added to every object's\n"
        "ACL instead, keeping every existing grant; objects that already have it are skipped, so\n"
        "a run stopped with Ctrl-C finishes when run again.",
        "examples:\n"
        "  oai grant my-video-bucket                 (the selected OAI, bucket policy)\n"
        "  oai grant E2QWRUHAPOMQZL my-video-bucket --prefix videos/\n"
        "  oai grant my-video-bucket --acl --dry-run\n"
        "  oai grant my-video-bucket --acl --permission FULL_CONTROL   (what the old script did)",
    )
    _add_targets(parser)
    parser.add_argument("--acl", action="store_true", help="grant on each object's ACL instead")
    parser.add_argument(
        "--permission",
        type=str.upper,
        choices=PERMISSIONS,
        help="ACL permission to grant with --acl (default: READ)",
    )
    parser.add_argument(
        "--prefix", default="", metavar="P", help="only objects whose key starts with P"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )
    return parser


def _revoke_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Take back what `oai grant` gave: the OAI's bucket-policy statement, or with --acl its\n"
        "grant on every object's ACL (every other grant is kept).",
        "examples:\n"
        "  oai revoke my-video-bucket\n"
        "  oai revoke E2QWRUHAPOMQZL my-video-bucket --acl --prefix videos/",
    )
    _add_targets(parser)
    parser.add_argument(
        "--acl", action="store_true", help="remove the grant from each object's ACL"
    )
    parser.add_argument(
        "--prefix", default="", metavar="P", help="only objects whose key starts with P"
    )
    return parser


def _add_targets(parser: cmd2.Cmd2ArgumentParser) -> None:
    parser.add_argument(
        "oai_id",
        nargs="?",
        metavar="OAI_ID",
        help="OAI (default: the selected one)",
        choices_provider=CfShellCommandSet.choose_oai,
    )
    parser.add_argument(
        "bucket",
        metavar="BUCKET",
        help="bucket name or NAME.s3.amazonaws.com",
        choices_provider=CfShellCommandSet.choose_bucket,
    )


def _where(bucket: str, prefix: str) -> str:
    return f"{bucket}/{prefix}*"


def _plural(count: int, word: str = "object") -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class GrantCommands(CfShellCommandSet):
    """`oai grant` and `oai revoke`."""

    if TYPE_CHECKING:
        session: Session

    @cmd2.as_subcommand_to(
        "oai", "grant", _grant_parser, help="give an OAI read access to a bucket"
    )
    def oai_grant(self, args: argparse.Namespace) -> None:
        if args.permission and not args.acl:
            raise UsageError("--permission applies to ACL grants only: add --acl, or leave it out")
        self._run(args, revoke=False)

    @cmd2.as_subcommand_to("oai", "revoke", _revoke_parser, help="take back what `oai grant` gave")
    def oai_revoke(self, args: argparse.Namespace) -> None:
        args.permission, args.dry_run = None, False
        self._run(args, revoke=True)

    # -- shared -----------------------------------------------------------------------------

    def _run(self, args: argparse.Namespace, *, revoke: bool) -> None:
        from ..aws import oai

        bucket = names.bucket_name(args.bucket)
        oai_id = self.context.require("oai", args.oai_id)
        cf = self.session.client("cloudfront")
        try:
            canonical_user_id = self.call(oai.canonical_user_id, cf, oai_id, id=oai_id)
        except AwsError as exc:
            # A deleted OAI's policy statement can still be revoked (it is found by Sid and ARN).
            if not (revoke and not args.acl and exc.code == NO_SUCH_OAI):
                raise
            canonical_user_id = ""
        # Errors name the bucket ("bucket NAME does not exist").
        work = self._acl if args.acl else self._policy
        self.call(work, args, oai_id, canonical_user_id, bucket, revoke, bucket=bucket)

    def _policy(
        self,
        args: argparse.Namespace,
        oai_id: str,
        canonical_user_id: str,
        bucket: str,
        revoke: bool,
    ) -> None:
        from ..aws import grants

        action = grants.revoke_policy if revoke else grants.grant_policy
        result = action(
            self.session.client("s3"),
            oai_id,
            bucket,
            prefix=args.prefix,
            canonical_user_id=canonical_user_id,
            dry_run=args.dry_run,
        )
        where = _where(bucket, args.prefix)
        if revoke:
            if not result.changed:
                self.say(
                    f"OAI {oai_id} has no statement in the policy of bucket {bucket}: "
                    "nothing changed"
                )
            elif result.deleted:
                self.say(
                    f"revoked OAI {oai_id}'s read access to {where}; it was the policy's only "
                    f"statement, so the bucket policy was deleted"
                )
            else:
                self.say(f"revoked OAI {oai_id}'s read access to {where} (other statements kept)")
            return
        if not result.changed:
            self.say(
                f"OAI {oai_id} can already read {where} through the bucket policy: nothing changed"
            )
            return
        from ..aws import policy

        verb = "would grant" if result.dry_run else "granted"
        where_to = (
            "in a new bucket policy"
            if result.created
            else "in the bucket policy (other statements kept)"
        )
        self.say(f"{verb} OAI {oai_id} read access to {where} {where_to}")
        if result.dry_run:
            self.say(policy.dump(result.statement))

    def _acl(
        self,
        args: argparse.Namespace,
        oai_id: str,
        canonical_user_id: str,
        bucket: str,
        revoke: bool,
    ) -> None:
        from ..aws import grants

        permission = args.permission or "READ"
        cancel = threading.Event()
        progress = self._progress_bar("revoking" if revoke else "granting", args.dry_run)
        job = grants.AclJob(
            self.session.client("s3"),
            bucket,
            canonical_user_id,
            permission=permission,
            prefix=args.prefix,
            revoke=revoke,
            dry_run=args.dry_run,
            concurrency=self.session.concurrency,
            cancel=cancel,
            on_progress=progress.update if progress else None,
            on_change=self._would_change(revoke) if args.dry_run else None,
        )
        with progress or nullcontext():
            job.start()
            try:
                summary = job.wait()
            except KeyboardInterrupt:
                # Ctrl-C: stop handing out objects, let the requests in flight finish.
                job.cancel()
                summary = job.wait()
        self._report(summary, oai_id, permission, args.prefix)

    def _would_change(self, revoke: bool) -> Any:
        verb = "would revoke" if revoke else "would grant"

        def show(key: str) -> None:
            self.say(f"{verb}: {key}")

        return show

    def _progress_bar(self, label: str, dry_run: bool) -> _ProgressBar | None:
        # A live bar only for a person watching; scripts and pipes get the summary alone.
        if dry_run or not self.session.interactive or not _isatty(sys.stderr):
            return None
        return _ProgressBar(label)

    def _report(self, summary: Any, oai_id: str, permission: str, prefix: str) -> None:
        where = _where(summary.bucket, prefix)
        total = f"{_plural(summary.done)} in {summary.elapsed:.1f} s ({summary.rate:.0f}/s)"
        if summary.revoke:
            changed, unchanged = "revoked", "did not have it"
            head = f"revoked OAI {oai_id}'s ACL grants on {where}"
        else:
            changed, unchanged = "granted", "already had it"
            head = f"granted {permission} to OAI {oai_id} on {where}"
        if summary.dry_run:
            head = "dry run, nothing changed: " + head.replace(changed, f"would have {changed}", 1)
            changed = f"would be {changed}"
        self.say(f"{head}: {total}")
        self.say(
            f"  {changed}: {summary.changed}, {unchanged}: {summary.unchanged}, "
            f"failed: {summary.failed}"
            + (f", throttled and retried: {summary.retries}" if summary.retries else "")
        )
        for key, reason in summary.failures:
            self.say(f"  failed: {key}: {reason}")
        if summary.failed > len(summary.failures):
            codes = ", ".join(f"{code} {n}" for code, n in summary.failure_codes.most_common())
            self.say(f"  ... {summary.failed - len(summary.failures)} more failures ({codes})")
        if summary.cancelled:
            remaining = (
                str(summary.remaining)
                if summary.listing_complete
                else f"at least {summary.remaining}"
            )
            raise Interrupted(
                f"stopped by Ctrl-C: {summary.done} done, {remaining} remaining; run the same "
                f"command again to finish the rest (objects already done are skipped)"
            )
        if summary.failed:
            raise CfShellError(
                f"{_plural(summary.failed)} failed: run the same command again to retry them "
                f"(objects already done are skipped)"
            )


class _ProgressBar:
    """A rich progress bar with count and rate, updated from the job's worker threads."""

    def __init__(self, label: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:>6.0f} objects/s"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self._task = self._progress.add_task(label, total=None, rate=0.0)

    def update(self, progress: Any) -> None:
        total = progress.listed if progress.listing_complete else None
        self._progress.update(self._task, completed=progress.done, total=total, rate=progress.rate)

    def __enter__(self) -> _ProgressBar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
