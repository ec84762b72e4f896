"""Launch flags -> Session -> CfShell -> exit status (design.md section 2).

    cfshell [--simulate | --endpoint-url URL] [--profile NAME] [--region NAME]
            [--output table|json] [--record FILE]
            [--script FILE [--check | --dry-run | --resume] [--keep-going]] [--yes] [COMMAND ...]

No arguments: the REPL. `--script FILE`, then commands given as arguments (one quoted command
each), or else piped stdin run in order; the exit status is 0 only if every command succeeded,
and the first failure stops the run and names the line (`--keep-going` runs the rest).

Transcripts (design.md section 5) go through `cfshell.commands.transcripts` (the cmd2 side of
`cfshell.transcript`): `start_recording(app, path)`, `stop_recording(app)` and
`run_script(app, path, *, check, keep_going, text=None, dry_run, resume) -> int`.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import sys
from collections.abc import Iterable
from typing import Any

from . import __version__

TRANSCRIPT_HEADER = "# cfshell transcript"  # first line of a transcript (cfshell.transcript)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cfshell",
        # The command line of design.md section 2, as written there (argparse cannot nest
        # --check and --keep-going under --script).
        usage=(
            "%(prog)s [--simulate | --endpoint-url URL] [--profile NAME] [--region NAME]\n"
            "               [--output table|json] [--record FILE]\n"
            "               [--script FILE [--check | --dry-run | --resume] [--keep-going]]\n"
            "               [--yes] [COMMAND ...]"
        ),
        description="A stateful shell for private CloudFront distributions.",
        epilog=(
            "examples:\n"
            "  cfshell --simulate                       rehearse offline\n"
            "  cfshell --simulate 'streaming list'      run commands and exit\n"
            "  cfshell --endpoint-url http://127.0.0.1:5000 --script seed.cfsh --yes"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    target = parser.add_mutually_exclusive_group()
    target.add_argument(
        "--simulate",
        action="store_true",
        help="in-process simulator with fake credentials: nothing leaves this process",
    )
    target.add_argument("--endpoint-url", metavar="URL", help="send every AWS call to URL")
    parser.add_argument("--profile", metavar="NAME", help="AWS profile (boto3 credential chain)")
    parser.add_argument("--region", metavar="NAME", help="AWS region")
    parser.add_argument(
        "--output",
        metavar="table|json",  # checked as `set output` checks it (_check_settings)
        help="output of read commands (default: table)",
    )
    parser.add_argument("--record", metavar="FILE", help="record the session as a transcript")
    parser.add_argument(
        "--script", metavar="FILE", help="run a script or transcript (before any COMMAND)"
    )
    replay = parser.add_mutually_exclusive_group()
    replay.add_argument(
        "--check", action="store_true", help="with --script: compare output with the transcript"
    )
    replay.add_argument(
        "--dry-run",
        action="store_true",
        help="with --script: read only; report each line AWS would refuse (exit 1 if any)",
    )
    replay.add_argument(
        "--resume",
        action="store_true",
        help="with --script: go on from the line where a replay into AWS stopped",
    )
    parser.add_argument(
        "--keep-going", action="store_true", help="run every command even after a failure"
    )
    parser.add_argument(
        "--yes", action="store_true", help="answer yes to confirmations (needed in scripts)"
    )
    parser.add_argument("--version", action="version", version=f"cfshell {__version__}")
    parser.add_argument("commands", nargs="*", metavar="COMMAND", help="commands to run, in order")
    return parser


def run_lines(app: Any, lines: Iterable[str], *, source: str, keep_going: bool = False) -> int:
    """Run command lines in order; the status of the first failure, or 0.

    `source` names where the lines come from in the message about a failure ("seed.cfsh",
    "<stdin>", or "argument" for commands given on the command line).
    """
    status = 0
    failed = total = 0
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        total += 1
        try:
            stop, failure = app.run_line(line)
        except KeyboardInterrupt:
            app.perror(f"{_where(source, number)}: interrupted at `{line}`")
            return 130
        if failure is not None:
            failed += 1
            status = status or failure.status
            if not keep_going:
                app.perror(f"{_where(source, number)}: `{line}` failed; stopped here")
                return status
        if stop:
            break
    if failed:
        app.perror(f"{failed} of {total} commands failed")
    return status


def _where(source: str, number: int) -> str:
    return f"argument {number}" if source == "argument" else f"{source} line {number}"


def _cache_argparse_messages() -> None:
    """Look up each argparse message's translation once per process, not once per use.

    cfshell builds about 150 parsers at start-up, and each `_()` call walks gettext's locale
    files again (about a sixth of start-up). Only the launcher does this; an app that embeds
    cfshell's command sets keeps its own argparse as it is.
    """
    import functools
    import gettext

    if argparse._ is gettext.gettext:
        argparse._ = functools.lru_cache(maxsize=None)(gettext.gettext)


def main(argv: list[str] | None = None) -> int:
    # Start-up allocates much and frees little: the cyclic collector would only cost time
    # (a fifth of a one-command run). It resumes after the first command (_resume_collection).
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def _resume_collection(app: Any, *, now: bool) -> None:
    """Collect again once start-up is over: after the first command, which may start the
    simulator or create the first client (more start-up), or `now`. What start-up made lives
    as long as the process, so it is frozen out of later collections."""

    from cmd2.plugin import CommandFinalizationData

    def resume(data: CommandFinalizationData) -> CommandFinalizationData:
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
        return data

    # The real classes: cmd2 checks these, and cannot resolve the name imported here.
    resume.__annotations__ = {"data": CommandFinalizationData, "return": CommandFinalizationData}
    if now:
        resume(CommandFinalizationData(stop=False, statement=None))
    else:
        app.register_cmdfinalization_hook(resume)


def _main(argv: list[str] | None) -> int:
    _cache_argparse_messages()
    parser = build_parser()
    args = parser.parse_args(argv)
    for flag in ("check", "dry_run", "resume"):
        if getattr(args, flag) and not args.script:
            parser.error(f"--{flag.replace('_', '-')} needs --script FILE")

    from .deps import cfshell_problem

    # Before cmd2 is imported: a wrong environment is one line, not an ImportError traceback.
    trouble = cfshell_problem(simulate=args.simulate)
    if trouble:
        print(f"cfshell: {trouble}", file=sys.stderr)
        return 1
    try:
        from .app import CfShell
    except ModuleNotFoundError as exc:
        print(
            f"cfshell: needs {exc.name}, which is not installed: pip install -e . in the "
            "repository installs every dependency",
            file=sys.stderr,
        )
        return 1
    from .errors import CfShellError
    from .session import Session

    if args.output is not None:
        from .app import output_value

        try:
            args.output = output_value(args.output)
        except ValueError as exc:
            parser.error(f"argument --output: {exc}")

    stdin_is_tty = _isatty(sys.stdin)
    stdin_script = not args.commands and not args.script and not stdin_is_tty
    repl = not args.commands and not args.script and not stdin_script
    try:
        session = Session(
            simulate=args.simulate,
            endpoint_url=args.endpoint_url,
            profile=args.profile,
            region=args.region,
            output=args.output or "table",
            assume_yes=args.yes,
            interactive=stdin_is_tty and not stdin_script,
        )
        _check_settings(session)
    except CfShellError as exc:
        parser.error(str(exc))

    from .startup import history_path

    app = CfShell(
        session,
        interactive=repl,
        # What a user types at the prompt is kept, scrubbed of secrets; scripts are not.
        persistent_history_file=history_path() if repl else "",
    )
    _start_up(app, args)
    _resume_collection(app, now=repl)
    recording = False
    try:
        if args.record:
            from .commands.transcripts import start_recording

            start_recording(app, args.record)
            recording = True
        status = 0
        if args.script:
            status = _run_script(
                app,
                args.script,
                check=args.check,
                keep_going=args.keep_going,
                dry_run=args.dry_run,
                resume=args.resume,
            )
            if not args.commands or (status and not args.keep_going):
                return status
        if args.commands:
            # After --script, if any: the script sets the stage, the commands run on it.
            after = run_lines(app, args.commands, source="argument", keep_going=args.keep_going)
            return status or after
        if stdin_script:
            first = sys.stdin.readline()
            if first.startswith(TRANSCRIPT_HEADER):
                # A transcript piped in replays as with --script: its $references are bound.
                text = first + sys.stdin.read()
                return _run_script(
                    app, "<stdin>", check=False, keep_going=args.keep_going, text=text
                )
            lines = itertools.chain([first], sys.stdin)  # a plain script runs as it arrives
            return run_lines(app, lines, source="<stdin>", keep_going=args.keep_going)
        if session.simulate:
            app.intro = (
                f"cfshell {__version__}, simulator mode: nothing leaves this process. "
                "Type `help` to see the commands."
            )
        return app.cmdloop()
    except CfShellError as exc:
        app.perror(f"Error: {exc}")
        return exc.exit_status
    finally:
        if recording:
            from .commands.transcripts import stop_recording

            stop_recording(app)
        session.close()


def _check_settings(session: Any) -> None:
    """--region and --profile refused as the shell's `region` and `profile` refuse them
    (same sentence; exit 2): an unknown region, or outside the simulator an unknown profile.
    (--output is checked with `set output`'s own check, app.output_value.)"""
    if session.region is None and session.profile is None:
        return
    from .commands.account import check_profile, check_region

    if session.region is not None:
        check_region(session.region)
    if session.profile is not None:
        check_profile(session, session.profile)


def _start_up(app: Any, args: argparse.Namespace) -> None:
    """Installed plugins, then the startup file (not for --script: scripts run the same anywhere).

    Flags given on the command line win over the startup file's settings.
    """
    from .plugins import load_plugins
    from .startup import run_startup, startup_path

    load_plugins(app)
    if args.script or not run_startup(app, startup_path()):
        return
    session = app.session
    if args.profile:
        session.set_profile(args.profile)
    if args.region:
        session.set_region(args.region)
    if args.output:
        session.output = args.output


def _run_script(
    app: Any,
    path: str,
    *,
    check: bool,
    keep_going: bool,
    text: str | None = None,
    dry_run: bool = False,
    resume: bool = False,
) -> int:
    from .commands.transcripts import run_script

    return run_script(
        app, path, check=check, keep_going=keep_going, text=text, dry_run=dry_run, resume=resume
    )


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


if __name__ == "__main__":
    sys.exit(main())
