"""`record start FILE [--force]`, `record stop`, `replay FILE [--check | --dry-run | --resume]`.

The format and its logic live in cfshell.transcript (no cmd2 there); this module is the seam
with cmd2: cmd2's command hooks (precmd, postcmd, command finalization) around every command
capture its output (`StdoutCapture`) and collect what the service layer reported it created,
changed or deleted (cfshell.aws.effects), and hand both to the recorder or to the replay that
ran the command. The selection plays no part: a `create --no-select`, or one command making two
things, is recorded as it happened.

Time: each recorded command carries its start on the session's clock (the simulator's clock
offline); a replay in a simulator advances that clock to each recorded moment, and its waits
advance it rather than sleep (cfshell.aws.waiting.paced). Against AWS the times are ignored.

Resume: a replay outside `--simulate` that stops at a failing line writes `FILE.resume` (0600:
the line, the `$references` bound so far without bearer tokens, the selection, a digest of each
line); `--resume` goes on from there, refusing a transcript changed since.

The state (recorder, replays running) is the Session's `transcripts` (`Transcripts.of(app)`).
The launcher reaches the same code through `start_recording(app, path)`,
`stop_recording(app)` and `run_script(app, path, *, check, keep_going)`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import cmd2
from cmd2 import plugin

from .. import __version__
from ..aws import effects
from ..aws.effects import Effect
from ..errors import CfShellError, UsageError
from .base import CfShellCommandSet, add_yes_option, confirm, new_parser

if TYPE_CHECKING:
    from .. import transcript
    from ..session import Session

# cfshell.transcript (its patterns, its diff) is imported by the functions that record or
# replay, not here: this module is loaded at every start-up and most sessions never record.


class StdoutCapture:
    """Writes go to the real stdout and are kept (the commands' recorded output).

    Not an io class on purpose: whatever else is asked of it (getvalue, seek...) is the real
    stdout's, through __getattr__.
    """

    def __init__(self, target: Any) -> None:
        self.target = target
        self.chunks: list[str] = []

    def write(self, text: str) -> int:
        self.chunks.append(text)
        return self.target.write(text)

    def flush(self) -> None:
        self.target.flush()

    def isatty(self) -> bool:
        try:
            return bool(self.target.isatty())
        except (AttributeError, ValueError):
            return False

    @property
    def encoding(self) -> str:
        return getattr(self.target, "encoding", None) or "utf-8"

    def __getattr__(self, name: str) -> Any:
        # getvalue(), seek(), fileno()...: the real stdout's.
        return getattr(self.target, name)


@dataclass
class Result:
    """What one command did: its line, its output, whether it failed, what the service layer
    reported it changed (`effects`), and of that, what it created (kind, ID) in order."""

    line: str
    output: str
    failed: bool
    effects: list[Effect] = field(default_factory=list)
    started: float | None = None  # on the session's clock, seconds since the epoch

    @property
    def created(self) -> list[tuple[str, str]]:
        from .. import transcript

        return transcript.created_by(self.effects)


@dataclass
class _Frame:
    statement: Any
    line: str
    saved_stdout: Any
    tee: StdoutCapture
    start: int  # where the command's output begins in tee.chunks
    swapped: bool  # this frame installed `tee`
    failures_before: int
    recordable: bool
    collecting: contextlib.ExitStack  # holds the effects collector open until finalization
    effects: list[Effect]
    started: float | None


class Transcripts:
    """Transcript state of a session in an app: the recorder, the replays running, and the
    capture hooks registered on the app.

    Output and effects are captured only while something needs them (a recording or a replay),
    so a plain session pays one attribute check per command.
    """

    def __init__(self, app: Any, session: Any) -> None:
        self.app = app
        self.session = session
        self.recorder: transcript.Recorder | None = None
        self.replaying = 0
        self.last_replay: transcript.Replay | None = None  # for callers that map IDs back
        self.record_started: float | None = None  # the session's clock at `record start`
        self._pace: float | None = None  # a paced replay: the clock when its time 0 was
        self._frames: list[_Frame] = []
        self._tee: StdoutCapture | None = None
        self._results: dict[int, Result] = {}
        app.register_precmd_hook(self._precmd)
        app.register_postcmd_hook(self._postcmd)
        app.register_cmdfinalization_hook(self._finalize)

    @classmethod
    def of(cls, app: Any, session: Session | None = None) -> Transcripts:
        """The session's Transcripts for `app`, created (and its hooks registered) on first use."""
        session = session if session is not None else app.session
        existing = session.transcripts
        if existing is None or existing.app is not app:
            existing = session.transcripts = cls(app, session)
        return existing

    # --- capture hooks ------------------------------------------------------------------

    @property
    def capturing(self) -> bool:
        return self.recorder is not None or self.replaying > 0

    def _precmd(self, data: plugin.PrecommandData) -> plugin.PrecommandData:
        if not self.capturing:
            return data
        from .. import transcript

        statement = data.statement
        line = statement.expanded_command_line
        stdout = self.app.stdout
        if isinstance(stdout, StdoutCapture):
            tee, swapped = stdout, False
        else:
            tee, swapped = StdoutCapture(stdout), True
            self.app.stdout = tee
            if self._tee is None and not self._frames:
                # Stays installed between commands while capturing: cmd2 then keeps one
                # console for it instead of building two per command.
                self._tee = tee
        collecting = contextlib.ExitStack()
        reported = collecting.enter_context(effects.collect())
        self._frames.append(
            _Frame(
                statement,
                line,
                stdout,
                tee,
                len(tee.chunks),
                swapped,
                len(getattr(self.app, "failures", ())),
                transcript.is_recorded(line) and not any(f.recordable for f in self._frames),
                collecting,
                reported,
                self.now() if not self._frames else None,
            )
        )
        return data

    def _unswap(self, frame: _Frame) -> None:
        if frame.swapped and frame.tee is not self._tee and self.app.stdout is frame.tee:
            self.app.stdout = frame.saved_stdout

    def _postcmd(self, data: plugin.PostcommandData) -> plugin.PostcommandData:
        # A tee around a redirection (`> file`) goes before cmd2 undoes the redirection.
        if self._frames:
            self._unswap(self._frames[-1])
        return data

    def _finalize(self, data: plugin.CommandFinalizationData) -> plugin.CommandFinalizationData:
        if not self._frames:
            return data

        frame = self._frames[-1]
        if data.statement is not frame.statement and (
            data.statement is None or data.statement.raw != frame.statement.raw
        ):
            return data  # a command that failed to parse inside an outer one: not ours
        self._frames.pop()
        frame.collecting.close()
        self._unswap(frame)
        output = "".join(frame.tee.chunks[frame.start :])
        if not self._frames:
            frame.tee.chunks.clear()
        failed = len(getattr(self.app, "failures", ())) > frame.failures_before
        result = Result(frame.line, output, failed, list(frame.effects), frame.started)
        self._results[len(self._frames)] = result
        if frame.recordable and self.recorder is not None:
            at = None
            if frame.started is not None and self.record_started is not None:
                at = frame.started - self.record_started
            try:
                if failed:
                    self.recorder.failed(result.line)
                else:
                    self.recorder.command(
                        result.line,
                        result.output,
                        effects=result.effects,
                        at=at,
                        started=frame.started,
                    )
            except OSError as exc:
                path = self.recorder.path
                self.recorder = None
                self._prompt_changed()
                self.app.perror(f"Error: recording to {path} stopped: {exc.strerror or exc}")
        if not self.capturing and not self._frames:
            self._release()
        return data

    def _release(self) -> None:
        """Put the real stdout back once nothing captures any more."""
        if self._tee is not None and self.app.stdout is self._tee:
            self.app.stdout = self._tee.target
        self._tee = None

    def now(self) -> float:
        """The session's clock (the simulator's offline), or the wall clock if it cannot be
        read."""
        try:
            return float(self.session.clock())
        except Exception:  # noqa: BLE001 - a recording never fails for want of a clock
            return time.time()

    def _prompt_changed(self) -> None:
        update = getattr(self.app, "_update_prompt", None)
        if update is not None:
            update()

    # --- recording ----------------------------------------------------------------------

    def start(self, path: str, *, force: bool = False) -> None:
        if self.recorder is not None:
            raise UsageError(f"already recording to {self.recorder.path}: `record stop` first")
        from .. import transcript

        path = os.path.expanduser(path)
        header = transcript.header_lines(
            mode=self.mode_description(),
            version=__version__,
            width=_console_width(),
            effects=True,
        )
        try:
            self.recorder = transcript.Recorder.open(path, force=force, header=header)
        except FileExistsError:
            raise UsageError(
                f"{path} exists: add --force to overwrite it, or choose another file"
            ) from None
        except OSError as exc:
            raise UsageError(f"cannot record to {path}: {exc.strerror or exc}") from None
        self.record_started = self.now()
        self._prompt_changed()

    def stop(self) -> tuple[str, int] | None:
        """Stop recording: (path, commands recorded), or None if nothing was recording."""
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            return None
        recorder.close()
        self._prompt_changed()
        if not self.capturing and not self._frames:
            self._release()
        return recorder.path, recorder.commands

    def mode_description(self) -> str:
        session = self.session
        if session.simulate:
            return "simulate"
        if session.endpoint_url:
            return f"endpoint {session.endpoint_url}"
        region = session.region or "default"
        profile = session.profile or "default"
        return f"aws region {region}, profile {profile}"

    # --- replay -------------------------------------------------------------------------

    def load(self, path: str, text: str | None = None) -> transcript.Transcript:
        """Parse and validate a transcript or script (TranscriptError names the bad line).

        `text`: the content when it was read already (piped stdin); `path` then names it."""
        from .. import transcript

        if text is None:
            text = _read_text(path)
        # A transcript is checked in full (commands and their arguments) before anything runs;
        # a plain script keeps cmd2's behaviour of failing at the line that is wrong.
        is_transcript = text.startswith("# cfshell transcript")
        check = (lambda line: _check_line(self.app, line)) if is_transcript else None
        return transcript.parse(text, source=path, check_line=check)

    def run_step(self, command: str) -> Result:
        """Run one command through the app's hooks; what it printed, created, and if it failed."""
        depth = len(self._frames)
        self._results.pop(depth, None)
        failures = getattr(self.app, "failures", None)
        before = len(failures) if failures is not None else 0
        self.replaying += 1
        try:
            if hasattr(self.app, "run_line"):
                self.app.run_line(command)
            else:
                self.app.onecmd_plus_hooks(command, raise_keyboard_interrupt=True)
        finally:
            self.replaying -= 1
        result = self._results.pop(depth, None)
        failed_now = failures is not None and len(failures) > before
        if result is None:  # the line did not even parse
            return Result(command, "", True)
        result.failed = result.failed or failed_now
        return result

    def replay(
        self,
        script: transcript.Transcript,
        *,
        check: bool = False,
        keep_going: bool = False,
        echo: bool = True,
        resume: transcript.ResumePoint | None = None,
        text: str | None = None,
    ) -> None:
        """Run every step (from `resume`'s line, with its references bound, when given);
        ReplayFailed says how it ended if not well (status: the first failure's, or 1 when
        --check found a mismatch). `text`: the transcript's text, for the resume file."""
        from .. import transcript

        state = self.last_replay = transcript.Replay(script)
        start = 0
        if resume is not None:
            state.bound.update(resume.bound)
            start = next(i for i, s in enumerate(script.steps) if s.lineno == resume.lineno)
        self.replaying += 1
        try:
            with self._pacing(script, start):
                self._replay_steps(
                    script,
                    state,
                    check=check,
                    keep_going=keep_going,
                    echo=echo,
                    start=start,
                    done_before=list(resume.done) if resume else [],
                    text=text,
                )
        finally:
            self.replaying -= 1
            if not self.capturing and not self._frames:
                self._release()

    @contextlib.contextmanager
    def _pacing(self, script: transcript.Transcript, start: int) -> Iterator[None]:
        """In a simulator: the simulator's clock is held for the replay and, before each step,
        advanced to the moment the step was recorded at; waits advance it instead of sleeping.
        Held, so that what a step sees depends on the recorded times alone, however slowly the
        machine replays. Elsewhere: nothing."""
        self._pace = None
        try:
            simulated = self.session.offline and self.session.has_simulator_clock
        except Exception:  # noqa: BLE001 - no clock to ask: replay in real time
            simulated = False
        if not simulated or not script.is_transcript:
            yield
            return
        from ..aws import waiting

        first = script.steps[start].at if start < len(script.steps) else None
        self._pace = self.session.hold_clock(True) - (first or 0.0)
        try:
            with waiting.paced(self.session.clock, self.session.advance_clock):
                yield
        finally:
            self._pace = None
            self.session.hold_clock(False)

    def _advance_to(self, step: transcript.Step) -> None:
        if self._pace is None or step.at is None:
            return
        behind = self._pace + step.at - self.session.clock()
        if behind > 0:
            self.session.advance_clock(behind)

    def _verifier(self) -> Any:
        """verify(key_id, message, signature, hash) with the public keys of this run's account."""
        from ..aws import keys

        known: dict[str, str | None] = {}

        def verify(key_id: str, message: bytes, signature: bytes, hash_algorithm: str) -> bool:
            if key_id not in known:
                try:
                    key, _ = keys.get_public_key(self.session.client("cloudfront"), key_id)
                    known[key_id] = key["PublicKeyConfig"]["EncodedKey"]
                except Exception:  # noqa: BLE001 - a key not found does not verify
                    known[key_id] = None
            pem = known[key_id]
            if pem is None:
                return False
            return keys.verify_signature(pem, message, signature, hash_algorithm)

        return verify

    def _replay_steps(
        self,
        script: transcript.Transcript,
        state: transcript.Replay,
        *,
        check: bool,
        keep_going: bool,
        echo: bool,
        start: int = 0,
        done_before: list[int] | None = None,
        text: str | None = None,
    ) -> None:
        from .. import transcript

        app = self.app
        recorded_names = script.recorded_ids()
        done: list[int] = list(done_before or [])
        failed: list[int] = []
        mismatches = 0
        checked = 0
        status = 0
        source = script.source
        verify = self._verifier() if check else None
        with _columns(script.header.get("width") if check else None):
            for index, step in enumerate(script.steps):
                if index < start:
                    continue
                if self._skipped(step):
                    if echo:
                        app.poutput(
                            f"# line {step.lineno}: skipped, simulator only: {step.command}"
                        )
                    continue
                try:
                    command = state.resolve(step)
                except transcript.TranscriptError as exc:
                    app.perror(f"Error: {exc}")
                    result = Result(step.command, "", True)
                    command = step.command
                else:
                    if echo:
                        app.poutput(f"# line {step.lineno}: {_shown(step, command)}")
                    self._advance_to(step)
                    result = self.run_step(command)
                    if not result.failed:
                        try:
                            state.created(step, result.created)
                            state.printed(step, result.output)
                        except transcript.TranscriptError as exc:
                            app.perror(f"Error: {exc}")
                            result.failed = True
                if result.failed:
                    failed.append(step.lineno)
                    failure = (getattr(app, "failures", None) or [None])[-1]
                    status = status or getattr(failure, "status", 1) or 1
                    if not keep_going:
                        message = (
                            f"{source} line {step.lineno}: `{_shown(step, command)}` failed; "
                            "stopped here. " + _done_sentence(done, len(script.steps) - index - 1)
                        )
                        resumable = self._write_resume(script, step, state, done, text)
                        if resumable:
                            message += f" Fix the cause, then go on from line {step.lineno}: "
                            message += f"`cfshell --script {source} --resume` ({resumable})."
                        raise ReplayFailed(message, status)
                    continue
                done.append(step.lineno)
                if check:
                    checked += 1
                    diff = transcript.compare(
                        step,
                        result.output,
                        recorded_names=recorded_names,
                        replayed_names=state.replayed_ids(),
                        source=source,
                        started=result.started,
                        verify=verify,
                    )
                    if diff:
                        mismatches += 1
                        app.poutput(diff)
        problems = []
        if failed:
            problems.append(
                f"{len(failed)} of {len(script.steps)} commands failed (lines "
                f"{', '.join(map(str, failed))})"
            )
        if check and mismatches:
            problems.append(f"check: {mismatches} of {checked} outputs differ from {source}")
        elif check:
            app.poutput(f"check: all {checked} outputs match {source}")
        if problems:
            raise ReplayFailed("; ".join(problems), status or 1)
        self._forget_resume(script)

    # --- resume -----------------------------------------------------------------------------

    def _resumable(self, script: transcript.Transcript) -> bool:
        """A replay that changes something real (AWS, or a served simulator) can be resumed;
        an in-process rehearsal starts afresh anyway."""
        return (
            script.is_transcript
            and not self.session.simulate
            and script.source not in ("<stdin>", "transcript")
        )

    def _write_resume(
        self,
        script: transcript.Transcript,
        step: transcript.Step,
        state: transcript.Replay,
        done: list[int],
        text: str | None,
    ) -> str:
        """Write the resume file for a stop at `step`; its path, or '' if none was written."""
        from .. import transcript

        if not self._resumable(script):
            return ""
        try:
            if text is None:
                text = _read_text(script.source)
            point = transcript.ResumePoint(
                lineno=step.lineno,
                # Bearer tokens are secrets: a resumed run signs them again if it needs them.
                bound={
                    name: value
                    for name, value in state.bound.items()
                    if transcript.kind_of_reference(name) not in transcript.BEARER_KINDS
                },
                selection=[
                    (kind, rid, self.session.context.label(kind))
                    for kind, rid in self.session.context.items()
                ],
                done=list(done),
                digests=transcript.line_digests(text),
            )
            return transcript.write_resume(script.source, point)
        except (OSError, CfShellError) as exc:
            self.app.perror(f"Error: no resume file written: {getattr(exc, 'strerror', exc)}")
            return ""

    def _forget_resume(self, script: transcript.Transcript) -> None:
        """A run that went to the end leaves no resume file behind."""
        from .. import transcript

        if self._resumable(script):
            with contextlib.suppress(OSError):
                os.unlink(transcript.resume_path(script.source))

    def resume_point(self, script: transcript.Transcript, text: str) -> transcript.ResumePoint:
        """The resume file of `script`, checked against it; says what was done already."""
        from .. import transcript

        point = transcript.read_resume(script.source)
        changed = transcript.first_changed_line(point.digests, text)
        if changed is not None:
            raise UsageError(
                f"{script.source} changed since the run that stopped (line {changed} differs): "
                "resuming it could run the wrong commands; replay it from the start, or "
                "restore that line"
            )
        if not any(step.lineno == point.lineno for step in script.steps):
            raise UsageError(f"{script.source} has no command on line {point.lineno} to resume")
        app = self.app
        done = [step for step in script.steps if step.lineno in set(point.done)]
        app.poutput(
            f"{script.source}: resuming at line {point.lineno}; already done: "
            + (f"{len(done)} commands" if done else "nothing")
        )
        for step in done:
            app.poutput(f"  done  line {step.lineno}: {step.command}")
        if point.bound:
            app.poutput(
                "  bound: " + ", ".join(f"${name} = {rid}" for name, rid in point.bound.items())
            )
        for kind, rid, label in point.selection:
            self.session.context.select(kind, rid, label)
        return point

    def _skipped(self, step: transcript.Step) -> bool:
        """`sim` commands set the rehearsal's stage: against AWS the stage is real."""
        from .. import transcript

        return not self.session.offline and transcript.simulator_only(step.command)

    def dry_run(self, script: transcript.Transcript) -> None:
        """Print each command with what it would change; run nothing. Against AWS or a served
        simulator, also ask the preflight checks (cfshell.preflight: reads only) whether AWS
        would refuse each line; ReplayFailed (status 1) when any would."""
        from .. import kinds, transcript

        preflight = None
        if not self.session.simulate:
            from ..preflight import Preflight

            preflight = Preflight(self.session)
            preflight.plan.placeholders.update(k.placeholder_id for k in kinds.referenced())
        would_fail: list[tuple[int, str]] = []
        runs = 0
        for step in script.steps:
            arguments = None if step.effects else _arguments(self.app, step.command)
            what = transcript.describe_step(step, script, arguments)
            skipped = self._skipped(step)
            if skipped:
                what = "skipped: simulator only (the stage is real outside the simulator)"
            binds = ", ".join(f"${b.name}" for b in step.binds)
            if binds:
                what += f" -> {binds}"
            self.app.poutput(f"line {step.lineno}: {step.command}")
            self.app.poutput(f"    {what}")
            if preflight is None or skipped:
                continue
            runs += 1
            group, verb = transcript.command_words(step.command)
            parsed = _arguments(self.app, transcript._placeholder_refs(step.command)) or {}
            parsed["_verb"] = verb
            problems = preflight.problems(group, parsed["_verb"], parsed)
            for problem in problems:
                self.app.poutput(f"    would fail: {problem}")
            if problems:
                would_fail.append((step.lineno, "; ".join(problems)))
            preflight.after(step.lineno, group, parsed["_verb"], parsed)
            for effect in step.effects:
                if effect.kind == "bucket" and effect.action == "created":
                    preflight.plan.buckets.add(effect.id)
        if preflight is None:
            self.app.poutput(f"{len(script.steps)} commands; nothing was run (dry run)")
            return
        summary = f"{runs} lines would run, {len(would_fail)} would fail"
        if would_fail:
            summary += ": " + ", ".join(f"line {n} ({why})" for n, why in would_fail)
        self.app.poutput(summary + " (dry run: nothing was changed)")
        if would_fail:
            raise ReplayFailed(
                f"{len(would_fail)} of {runs} lines of {script.source} would fail", 1
            )

    def confirm_target(self, script: transcript.Transcript, *, assume_yes: bool = False) -> None:
        """Against real AWS: show the account and region a replay will change, and ask."""
        if self.session.mode != "aws":
            return
        count = sum(1 for step in script.steps if not self._skipped(step))
        if not count:
            return
        from ..errors import translate
        from ..session import DEFAULT_REGION

        try:
            identity = self.session.client("sts").get_caller_identity()
            region = self.session.boto3_session.region_name or DEFAULT_REGION
        except Exception as exc:  # noqa: BLE001 - reported as one sentence
            error = translate(exc)
            if error is None:
                raise
            raise error from exc
        self.app.poutput(
            f"{script.source} will run {count} commands against real AWS: "
            f"account {identity.get('Account')} ({identity.get('Arn', '')}), region {region}"
        )
        action = f"Replay {script.source} into account {identity.get('Account')}"
        confirm(self.app, self.session, action, yes=assume_yes)


def _shown(step: Any, command: str) -> str:
    """The command as echoed: a line holding a bearer token shows the transcript's words."""
    from .. import transcript

    names = [transcript.kind_of_reference(n) for n in transcript.references_in(step.command)]
    return step.command if any(k in transcript.BEARER_KINDS for k in names) else command


def _done_sentence(done: list[int], remaining: int) -> str:
    if not done:
        return f"Nothing was done before it; {remaining} commands not run."
    lines = ", ".join(map(str, done)) if len(done) <= 8 else f"{done[0]} to {done[-1]}"
    return f"Done before it: {len(done)} commands (lines {lines}); {remaining} not run."


@contextlib.contextmanager
def _columns(width: str | None) -> Iterator[None]:
    """Render at the recorded width while checking, so tables wrap as they did."""
    if not width or not width.isdigit():
        yield
        return
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = width
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = saved


def _console_width() -> int:
    from rich.console import Console

    return Console(file=io.StringIO()).width


def _read_text(path: str) -> str:
    path = os.path.expanduser(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        from .. import transcript

        lineno = data.count(b"\n", 0, exc.start) + 1
        raise transcript.TranscriptError("is not UTF-8 text", lineno, path) from None


def _check_line(app: Any, line: str) -> str | None:
    """Why the app would refuse `line` (unknown command, bad arguments), without running it."""
    try:
        statement = app.statement_parser.parse(line)
    except Exception:  # noqa: BLE001 - the tokenizer of cfshell.transcript has checked quoting
        return None
    command = statement.command
    if command in getattr(app, "macros", {}):
        return None
    func = app.get_command_func(command)
    if func is None:
        return f"unknown command {command!r} (is an output line missing its '# '?)"
    try:
        parser = app.command_parsers.get(func)
        if parser is None:
            return None
        _, argv = app.statement_parser.get_command_arg_list(command, statement, False)
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
            try:
                parser.parse_args(argv)
            except SystemExit as exc:
                if exc.code:
                    from .. import transcript

                    # The whole message: argparse's error may run over several (wrapped) lines.
                    lines = [
                        x.strip() for x in transcript.strip_ansi(errors.getvalue()).splitlines()
                    ]
                    starts = [i for i, x in enumerate(lines) if x.startswith("Error:")]
                    message = " ".join(x for x in lines[starts[-1] :] if x) if starts else ""
                    detail = message[len("Error:") :].strip() or "bad arguments"
                    return f"`{command}` would refuse its arguments: {detail}"
    except Exception:  # noqa: BLE001 - a check that cannot run must not block the replay
        return None
    return None


def _arguments(app: Any, line: str) -> dict[str, Any] | None:
    """`line`'s arguments as the command's parser reads them, or None if it cannot be parsed."""
    try:
        statement = app.statement_parser.parse(line)
        parser = app.command_parsers.get(app.get_command_func(statement.command))
        if parser is None:
            return None
        _, argv = app.statement_parser.get_command_arg_list(statement.command, statement, False)
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            return vars(parser.parse_args(argv))
    except (Exception, SystemExit):  # noqa: BLE001 - describe() then guesses from the words
        return None


# --- the command set ------------------------------------------------------------------------


def _record_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Record the session as a transcript: each command, its output, the IDs it created.",
        "example:\n  record start rehearsal.cfsh\n  ...\n  record stop\n"
        "  replay rehearsal.cfsh --check",
    )
    sub = parser.add_subparsers(
        title="subcommands", metavar="SUBCOMMAND", dest="action", required=True
    )
    start = sub.add_parser("start", help="start recording to FILE")
    start.add_argument("file", metavar="FILE", completer=cmd2.Cmd.path_complete)
    start.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    sub.add_parser("stop", help="stop recording")
    return parser


def _replay_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Run a transcript (or script): references are bound as the creates run; the first "
        "failure stops it.",
        "example:\n  replay rehearsal.cfsh --dry-run\n  replay rehearsal.cfsh --check",
    )
    parser.add_argument("file", metavar="FILE", completer=cmd2.Cmd.path_complete)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check", action="store_true", help="compare each output with the recorded one"
    )
    mode.add_argument(
        "--dry-run",
        action="store_true",
        help="read only: show what each command would change and whether AWS would refuse it",
    )
    mode.add_argument(
        "--resume",
        action="store_true",
        help="go on from the line where a replay into AWS stopped (its FILE.resume)",
    )
    parser.add_argument(
        "--keep-going", action="store_true", help="run every command even after a failure"
    )
    return add_yes_option(parser)


class TranscriptCommands(CfShellCommandSet):
    """Transcripts: `record start|stop`, `replay`."""

    DEFAULT_CATEGORY = "Transcripts"

    def on_registered(self) -> None:
        super().on_registered()
        Transcripts.of(self._cmd, self.session)

    @property
    def transcripts(self) -> Transcripts:
        return Transcripts.of(self._cmd, self.session)

    @cmd2.with_argparser(_record_parser)
    def do_record(self, args: argparse.Namespace) -> None:
        """Start or stop recording a transcript."""
        if args.action == "start":
            self.transcripts.start(args.file, force=args.force)
            self.say(f"recording to {self.transcripts.recorder.path}")  # type: ignore[union-attr]
        else:
            stopped = self.transcripts.stop()
            if stopped is None:
                raise UsageError("not recording: `record start FILE` first")
            path, count = stopped
            self.say(f"recorded {count} commands to {path}")

    @cmd2.with_argparser(_replay_parser)
    def do_replay(self, args: argparse.Namespace) -> None:
        """Replay a transcript, check it against its recorded output, or show its plan."""
        replay_file(
            self._cmd,
            args.file,
            check=args.check,
            keep_going=args.keep_going,
            dry_run=args.dry_run,
            resume=args.resume,
            assume_yes=args.yes,
        )


class ReplayFailed(CfShellError):
    """A replay that did not run cleanly; the message says where it stopped and why."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.exit_status = status


# --- the launcher's hooks (cfshell.__main__) ------------------------------------------------


def start_recording(app: Any, path: str, *, force: bool = False) -> None:
    if not force and os.path.exists(os.path.expanduser(path)):
        # `cfshell --record FILE` has no --force of its own: say where overwriting is asked for.
        raise UsageError(
            f"{path} exists: choose another file, or overwrite it from the shell with "
            f"`record start {path} --force`"
        )
    Transcripts.of(app).start(path, force=force)


def stop_recording(app: Any) -> None:
    Transcripts.of(app).stop()


def run_script(
    app: Any,
    path: str,
    *,
    check: bool = False,
    keep_going: bool = False,
    text: str | None = None,
    dry_run: bool = False,
    resume: bool = False,
) -> int:
    """`cfshell --script FILE [--check | --dry-run | --resume] [--keep-going]`: the exit status.

    `text`: a transcript already read (piped to stdin), named `path` in messages."""
    try:
        replay_file(
            app,
            path,
            check=check,
            keep_going=keep_going,
            text=text,
            dry_run=dry_run,
            resume=resume,
            assume_yes=getattr(app.session, "assume_yes", False),
        )
    except CfShellError as exc:
        app.perror(f"Error: {exc}")
        return exc.exit_status
    return 0


def replay_file(
    app: Any,
    path: str,
    *,
    check: bool = False,
    keep_going: bool = False,
    dry_run: bool = False,
    resume: bool = False,
    assume_yes: bool = False,
    text: str | None = None,
) -> None:
    """Run a transcript or script file, validated in full first; raises CfShellError."""
    from .. import transcript

    transcripts = Transcripts.of(app)
    try:
        if text is None:
            text = _read_text(path)
        script = transcripts.load(path, text)
    except transcript.TranscriptError as exc:
        raise ReplayFailed(f"{exc} (nothing was run)", 2) from None
    if check and not script.is_transcript:
        raise UsageError(
            f"{path} is a plain script, not a transcript: --check needs the recorded output "
            "(record one with `record start FILE`)"
        )
    if dry_run:
        transcripts.dry_run(script)
        return
    point = None
    if resume:
        if not script.is_transcript:
            raise UsageError(f"{path} is a plain script: only a transcript's replay can resume")
        try:
            point = transcripts.resume_point(script, text)
        except transcript.TranscriptError as exc:
            raise UsageError(str(exc)) from None
    if script.is_transcript:
        transcripts.confirm_target(script, assume_yes=assume_yes)
    transcripts.replay(
        script,
        check=check,
        keep_going=keep_going,
        echo=script.is_transcript,
        resume=point,
        text=text,
    )
