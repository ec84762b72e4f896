"""`sim ...`: set the stage in the simulator (buckets, objects, deploy delay, faults, state).

    sim bucket list | create NAME [--acls-enabled] | policy NAME
    sim object list BUCKET [--prefix P] | acl BUCKET KEY
    sim object put BUCKET KEY [--size N | --body TEXT] [--count N]
    sim settings | sim deploy-delay SECONDS
    sim faults [--latency-ms MS] [--fault-rate R] [--seed N]
    sim export FILE | sim import FILE      (the JSON state document; also `sim save` / `sim load`)
    sim clock [advance DURATION]           (the simulator's clock; replays advance it)

Bucket, object and clock commands work against any simulator (`--simulate`, or a loopback
`--endpoint-url`); settings, faults and state need the in-process one (`--simulate`).
Nothing here ever runs against real AWS. `sim get URL` is added by `viewer`.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import cmd2

from .. import names
from ..aws import staging
from ..errors import CfShellError, UsageError
from ..render import fields
from .base import CfShellCommandSet, add_output_options, base_parser, new_parser

MAX_OBJECT_SIZE = 64 * 1024 * 1024


def _bucket_arg(parser: argparse.ArgumentParser, help_text: str = "bucket name") -> None:
    parser.add_argument(
        "bucket", metavar="BUCKET", help=help_text, choices_provider=CfShellCommandSet.choose_bucket
    )


def _bucket_list_parser() -> cmd2.Cmd2ArgumentParser:
    return add_output_options(new_parser("List buckets.", "example:\n  sim bucket list"))


def _bucket_create_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Create a bucket (and select it).\n\n"
        "A new bucket is as S3 makes one since April 2023: ACLs disabled (Object Ownership\n"
        "'bucket owner enforced') and Block Public Access on. `oai grant` (a bucket policy)\n"
        "works on it; `oai grant --acl`, the seed's per-object ACL grant, needs --acls-enabled.",
        "examples:\n  sim bucket create my-video-bucket\n"
        "  sim bucket create my-video-bucket --acls-enabled",
    )
    parser.add_argument("name", metavar="NAME", help="bucket name")
    acls = parser.add_mutually_exclusive_group()
    acls.add_argument(
        "--acls-enabled",
        action="store_true",
        help="Object Ownership 'object writer': ACLs accepted, as buckets made before 2023",
    )
    acls.add_argument(
        "--acls-disabled",
        action="store_true",
        help="Object Ownership 'bucket owner enforced', the default (as new AWS buckets)",
    )
    return parser


def _bucket_policy_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser("Show a bucket's policy.", "example:\n  sim bucket policy my-video-bucket")
    _bucket_arg(parser)
    return add_output_options(parser)


def _object_list_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser("List a bucket's objects.", "example:\n  sim object list my-video-bucket")
    _bucket_arg(parser)
    parser.add_argument("--prefix", default="", metavar="P", help="only keys starting with P")
    return add_output_options(parser)


def _object_put_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Put an object (or --count numbered ones: KEY-0001, KEY-0002, ...).",
        "examples:\n  sim object put my-video-bucket videos/intro.mp4 --size 1024\n"
        "  sim object put my-video-bucket clips/clip.mp4 --count 300",
    )
    _bucket_arg(parser)
    parser.add_argument("key", metavar="KEY", help="object key")
    body = parser.add_mutually_exclusive_group()
    body.add_argument("--size", type=int, default=None, metavar="N", help="N bytes of filler")
    body.add_argument("--body", metavar="TEXT", help="the object's content")
    parser.add_argument("--count", type=int, default=1, metavar="N", help="put N objects")
    return parser


def _object_acl_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Show an object's ACL grants.", "example:\n  sim object acl my-video-bucket intro.mp4"
    )
    _bucket_arg(parser)
    parser.add_argument("key", metavar="KEY", help="object key")
    return add_output_options(parser)


def _settings_parser() -> cmd2.Cmd2ArgumentParser:
    return add_output_options(
        new_parser("Show the simulator's settings.", "example:\n  sim settings")
    )


def _deploy_delay_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Seconds a distribution stays InProgress after a change (from the next change on).",
        "example:\n  sim deploy-delay 5",
    )
    parser.add_argument("seconds", type=float, metavar="SECONDS")
    return parser


def _faults_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Inject latency and throttling errors into every CloudFront and S3 request.",
        "examples:\n  sim faults --latency-ms 50\n  sim faults --fault-rate 0.1 --seed 7\n"
        "  sim faults --latency-ms 0 --fault-rate 0",
    )
    parser.add_argument("--latency-ms", type=float, metavar="MS", help="added latency per request")
    parser.add_argument("--fault-rate", type=float, metavar="R", help="share throttled, 0 to 1")
    parser.add_argument("--seed", type=int, metavar="N", help="seed of the fault draw")
    return parser


def _file_parser(description: str, example: str) -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(description, example)
    parser.add_argument("file", metavar="FILE", completer=cmd2.Cmd.path_complete)
    return parser


_STATE_DOC = (
    "The state is a JSON document (format version 2): buckets, objects, ACLs, policies,\n"
    "distributions with their ETags and status clocks, identities, keys, invalidations,\n"
    "certificates, hosted zones. `jq` reads it; `python -m simulator serve --state FILE`\n"
    "starts from it."
)


def _save_parser() -> cmd2.Cmd2ArgumentParser:
    return _file_parser(
        f"Save the simulator's whole state to FILE (as `sim export`).\n\n{_STATE_DOC}",
        "example:\n  sim save rehearsal.json",
    )


def _load_parser() -> cmd2.Cmd2ArgumentParser:
    return _file_parser(
        f"Replace the simulator's state with the one in FILE (as `sim import`).\n\n{_STATE_DOC}",
        "example:\n  sim load rehearsal.json",
    )


def _export_parser() -> cmd2.Cmd2ArgumentParser:
    return _file_parser(
        f"Write the simulator's whole state to FILE, a JSON document.\n\n{_STATE_DOC}",
        "example:\n  sim export rehearsal.json\n"
        "  (then: jq '.cloudfront.accounts[].Distributions[].Id' rehearsal.json)",
    )


def _import_parser() -> cmd2.Cmd2ArgumentParser:
    return _file_parser(
        "Replace the simulator's state with the JSON document in FILE (written by `sim export`\n"
        "or `serve --state`). A file that is not one is refused, with the line and the reason,\n"
        f"and nothing changes.\n\n{_STATE_DOC}",
        "example:\n  sim import rehearsal.json",
    )


def _clock_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "The simulator's clock: what deployments, invalidations and signed URLs' expiry go by. "
        "`advance` moves it on at once (replays of transcripts do so instead of waiting).",
        "examples:\n  sim clock\n  sim clock advance 2h",
    )
    parser.add_argument("action", nargs="?", choices=["advance"], help="move the clock on")
    parser.add_argument("duration", nargs="?", metavar="DURATION", help="e.g. 90s, 15m, 2h")
    return parser


class SimCommands(CfShellCommandSet):
    """`sim` and its subcommands: the simulator's stage and settings."""

    DEFAULT_CATEGORY = "Simulator"

    def s3(self) -> Any:
        # A method, not a property: cmd2 inspects every attribute when it registers a set.
        return self.session.client("s3")

    def _offline(self, what: str) -> None:
        if not self.session.offline:
            raise UsageError(
                f"`sim {what}` works only against a simulator: start cfshell with --simulate "
                "or --endpoint-url of a local simulator"
            )

    def _in_process(self, what: str) -> None:
        self.session.require_simulator(f"`sim {what}`")

    @cmd2.with_argparser(
        base_parser("The simulator: buckets, objects, deploy delay, faults, state.")
    )
    def do_sim(self, args: argparse.Namespace) -> None:
        """Simulator controls (offline only)."""
        args.cmd2_subcommand_func(args)

    # --- buckets ------------------------------------------------------------------------

    @cmd2.as_subcommand_to(
        "sim", "bucket", base_parser("Buckets in the simulator."), help="buckets"
    )
    def _bucket(self, args: argparse.Namespace) -> None:
        args.cmd2_subcommand_func(args)

    @cmd2.as_subcommand_to("sim bucket", "list", _bucket_list_parser, help="list buckets")
    def _bucket_list(self, args: argparse.Namespace) -> None:
        self._offline("bucket list")
        rows = self.call(staging.list_buckets, self.s3())
        self.show_rows(rows, fields("Name", ("CreationDate", "Created")), args, empty="no buckets")

    @cmd2.as_subcommand_to("sim bucket", "create", _bucket_create_parser, help="create a bucket")
    def _bucket_create(self, args: argparse.Namespace) -> None:
        self._offline("bucket create")
        name = names.bucket_name(args.name)
        self.call(
            staging.create_bucket, self.s3(), name, acls_enabled=args.acls_enabled, bucket=name
        )
        self.context.select("bucket", name)
        acls = "ACLs enabled" if args.acls_enabled else "ACLs disabled"
        self.say(f"created bucket {name} ({acls}) (selected)")

    @cmd2.as_subcommand_to(
        "sim bucket", "policy", _bucket_policy_parser, help="show a bucket policy"
    )
    def _bucket_policy(self, args: argparse.Namespace) -> None:
        self._offline("bucket policy")
        bucket = names.bucket_name(args.bucket)
        text = self.call(staging.bucket_policy, self.s3(), bucket, bucket=bucket)
        if text is None:
            self.say(f"bucket {bucket} has no policy")
            return
        self.show(
            self.renderer.value(json.loads(text), query=args.query, output=args.output or "json")
        )

    # --- objects ------------------------------------------------------------------------

    @cmd2.as_subcommand_to(
        "sim", "object", base_parser("Objects in the simulator's buckets."), help="objects"
    )
    def _object(self, args: argparse.Namespace) -> None:
        args.cmd2_subcommand_func(args)

    @cmd2.as_subcommand_to("sim object", "list", _object_list_parser, help="list objects")
    def _object_list(self, args: argparse.Namespace) -> None:
        self._offline("object list")
        bucket = names.bucket_name(args.bucket)
        rows = self.call(staging.list_objects, self.s3(), bucket, args.prefix, bucket=bucket)
        self.show_rows(
            rows, fields("Key", "Size", ("LastModified", "Last modified")), args, empty="no objects"
        )

    @cmd2.as_subcommand_to("sim object", "put", _object_put_parser, help="put objects")
    def _object_put(self, args: argparse.Namespace) -> None:
        self._offline("object put")
        bucket = names.bucket_name(args.bucket)
        if not args.key or len(args.key.encode()) > 1024:
            raise UsageError("an object key is 1 to 1024 bytes long")
        if args.size is not None and not 0 <= args.size <= MAX_OBJECT_SIZE:
            raise UsageError(f"--size must be between 0 and {MAX_OBJECT_SIZE} bytes")
        if not 1 <= args.count <= 100_000:
            raise UsageError("--count must be between 1 and 100000")
        if args.body is not None:
            body = args.body.encode()
        else:
            body = b"x" * (args.size if args.size is not None else 16)
        keys = (
            [args.key]
            if args.count == 1
            else [_numbered(args.key, i) for i in range(1, args.count + 1)]
        )
        self.call(staging.put_objects, self.s3(), bucket, keys, body, bucket=bucket)
        if args.count == 1:
            self.say(f"put s3://{bucket}/{args.key} ({len(body)} bytes)")
        else:
            self.say(f"put {len(keys)} objects in s3://{bucket}/ ({keys[0]} ... {keys[-1]})")

    @cmd2.as_subcommand_to("sim object", "acl", _object_acl_parser, help="show an object's ACL")
    def _object_acl(self, args: argparse.Namespace) -> None:
        self._offline("object acl")
        bucket = names.bucket_name(args.bucket)
        rows = self.call(staging.object_grants, self.s3(), bucket, args.key, bucket=bucket)
        self.show_rows(rows, fields("Grantee", "Type", "Permission"), args, empty="no grants")

    # --- settings, faults, state --------------------------------------------------------

    @cmd2.as_subcommand_to(
        "sim", "settings", _settings_parser, help="show the simulator's settings"
    )
    def _settings(self, args: argparse.Namespace) -> None:
        self._in_process("settings")
        import simulator

        data = simulator.settings()
        self.show(self.renderer.record(data, fields(*data), query=args.query, output=args.output))

    @cmd2.as_subcommand_to("sim", "deploy-delay", _deploy_delay_parser, help="set the deploy delay")
    def _deploy_delay(self, args: argparse.Namespace) -> None:
        self._in_process("deploy-delay")
        self._apply_settings({"deploy_seconds": args.seconds})
        self.say(f"distributions now stay InProgress {args.seconds:g}s after each change")

    @cmd2.as_subcommand_to("sim", "faults", _faults_parser, help="inject latency and throttling")
    def _faults(self, args: argparse.Namespace) -> None:
        self._in_process("faults")
        changes: dict[str, Any] = {}
        if args.latency_ms is not None:
            changes["latency_ms"] = args.latency_ms
        if args.fault_rate is not None:
            changes["fault_rate"] = args.fault_rate
        if args.seed is not None:
            changes["fault_seed"] = args.seed
        settings = self._apply_settings(changes)
        self.say(
            f"faults: latency {settings['latency_ms']:g} ms per request, "
            f"{settings['fault_rate']:.0%} of requests throttled"
        )

    def _apply_settings(self, changes: dict[str, Any]) -> dict[str, Any]:
        import simulator

        try:
            return simulator.configure(**changes)
        except ValueError as exc:
            raise UsageError(str(exc)) from None

    @cmd2.as_subcommand_to("sim", "export", _export_parser, help="write the state as JSON")
    def _export(self, args: argparse.Namespace) -> None:
        self._write_state("export", args.file)

    @cmd2.as_subcommand_to("sim", "import", _import_parser, help="replace the state from JSON")
    def _import(self, args: argparse.Namespace) -> None:
        self._read_state("import", args.file)

    @cmd2.as_subcommand_to("sim", "save", _save_parser, help="save the simulator's state")
    def _save(self, args: argparse.Namespace) -> None:
        self._write_state("save", args.file)

    @cmd2.as_subcommand_to("sim", "load", _load_parser, help="load a saved state")
    def _load(self, args: argparse.Namespace) -> None:
        self._read_state("load", args.file)

    def _write_state(self, what: str, path: str) -> None:
        self._in_process(what)
        import simulator

        try:
            simulator.save_state(path)
        except simulator.StateError as exc:
            raise CfShellError(str(exc)) from None
        self.say(f"saved the simulator's state to {path}")

    def _read_state(self, what: str, path: str) -> None:
        self._in_process(what)
        import simulator

        try:
            simulator.load_state(path)
        except simulator.StateError as exc:
            raise CfShellError(str(exc)) from None
        self.say(f"loaded the simulator's state from {path}")

    @cmd2.as_subcommand_to("sim", "clock", _clock_parser, help="show or advance the clock")
    def _clock(self, args: argparse.Namespace) -> None:
        """`sim clock [advance DURATION]` (any simulator: in-process or served)."""
        from datetime import UTC, datetime

        from .. import durations

        self._offline("clock")
        if args.action is None and args.duration:
            raise UsageError("say `sim clock advance DURATION` to move the clock on")
        if args.action == "advance":
            if not args.duration:
                raise UsageError("give how far to advance: `sim clock advance 2h`")
            try:
                step = durations.parse_duration(args.duration).total_seconds()
            except durations.DurationError as exc:
                raise UsageError(str(exc)) from None
            try:
                now = self.session.advance_clock(step)
            except (OSError, ValueError) as exc:
                raise UsageError(f"cannot advance the simulator's clock: {exc}") from None
            shown = durations.format_time(datetime.fromtimestamp(now, UTC))
            self.say(f"advanced the simulator's clock by {args.duration}: now {shown}")
            return
        try:
            now = self.session.clock()
        except OSError as exc:
            raise UsageError(f"cannot read the simulator's clock: {exc}") from None
        ahead = now - datetime.now(UTC).timestamp()
        self.say(
            f"simulator clock: {durations.format_time(datetime.fromtimestamp(now, UTC))}"
            + (f" ({ahead:.0f} s ahead of the wall clock)" if ahead >= 1 else " (the wall clock)")
        )


def _numbered(key: str, number: int) -> str:
    stem, dot, ext = key.rpartition(".")
    if dot and "/" not in ext:
        return f"{stem}-{number:04d}.{ext}"
    return f"{key}-{number:04d}"
