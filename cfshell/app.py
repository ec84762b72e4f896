"""CfShell: the cmd2 application. Settables, prompt, command sets, and the one place errors end.

Every command, whichever command set it comes from, runs through `CfShell.onecmd`: a
CfShellError or a botocore error is printed as one line (a traceback only with `set debug true`)
and recorded in `failures`, which the launcher turns into the exit status of a script run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import cmd2
from cmd2.exceptions import Cmd2ShlexError

from . import kinds
from .errors import CfShellError, Shown, translate
from .ondemand import SubcommandsOnDemand
from .session import Session

CATEGORY_SHELL = "Shell"
RECORDING_MARK = "\u25cfrec"  # in the prompt while a transcript is being recorded
# cmd2's own commands that report a refusal only by printing it and leaving last_result False.
_FAILS_BY_LAST_RESULT = frozenset({"set", "alias", "macro", "shortcuts", "run_script"})


# Beyond this the prompt shows each selection abbreviated (`s:…MQZL`); `context` and the
# toolbar show it whole.
PROMPT_WIDTH = 64
PROMPT_ID_TAIL = 5  # characters kept of an ID; enough to tell one's own resources apart
PROMPT_NAME_HEAD = 10  # characters kept of a name the user chose (a bucket)


def _abbreviated(selected: list[tuple[Any, str, str]]) -> list[str]:
    """`kind:ID` entries of the prompt, short: kind initials (`s`, `kg`; names of three letters
    or fewer whole, `oai`), the end of an ID (`…MQZL`), the start of a name (`my-video-b…`)."""

    def initials(name: str) -> str:
        return name if len(name) <= 3 else "".join(word[:1] for word in name.split("-"))

    names = [entry.prompt_name if entry else kind for entry, kind, _ in selected]
    short = [initials(name) for name in names]
    out = []
    for (entry, _kind, rid), name, initial in zip(selected, names, short, strict=True):
        label = initial if short.count(initial) == 1 else name  # initials alike: names whole
        if entry is not None and not entry.ref_prefix:  # a name the user chose: its start
            value = rid if len(rid) <= PROMPT_NAME_HEAD else rid[:PROMPT_NAME_HEAD] + "\u2026"
        else:
            value = rid if len(rid) <= PROMPT_ID_TAIL + 1 else "\u2026" + rid[-PROMPT_ID_TAIL:]
        out.append(f"{label}:{value}")
    return out


def output_value(value: str) -> str:
    """`set output` and `--output`: table or json (the same sentence refuses others)."""
    value = value.strip().lower()
    if value not in ("table", "json"):
        raise ValueError("must be table or json")
    return value


@dataclass
class Failure:
    """One command that failed: the line as typed, the message shown, the exit status."""

    line: str
    message: str
    status: int


class CfShell(SubcommandsOnDemand, cmd2.Cmd):  # subcommand parsers built on first use
    """The cfshell REPL. `session` carries mode, context, renderer and settings.

    `interactive=True` (the launcher's REPL on a terminal) adds the bottom toolbar; whether
    confirmations may be asked is `session.interactive`.
    """

    DEFAULT_CATEGORY = CATEGORY_SHELL

    def __init__(
        self,
        session: Session | None = None,
        *,
        command_sets: Iterable[Any] | None = None,
        stdin: Any = None,
        stdout: Any = None,
        startup_script: str = "",
        persistent_history_file: str = "",
        interactive: bool = False,
    ) -> None:
        self.session = session if session is not None else Session()
        self.failures: list[Failure] = []
        # Lines that failed (stripped), which the history suggestion skips (SuggestSucceeded).
        self.failed_lines: set[str] = set()
        if command_sets is None:
            from .commands import default_command_sets

            command_sets = default_command_sets(self.session)
        super().__init__(
            stdin=stdin,
            stdout=stdout,
            allow_cli_args=False,
            auto_load_commands=False,
            command_sets=list(command_sets),
            startup_script=startup_script,
            persistent_history_file=persistent_history_file,
            # The toolbar repeats the selection in full when the prompt abbreviates it.
            enable_bottom_toolbar=interactive,
        )
        self.default_to_shell = False
        if self.main_session.auto_suggest is not None:
            from .history import SuggestSucceeded

            self.main_session.auto_suggest = SuggestSucceeded(self.failed_lines)
        self._add_settables()
        self.session.context.on_change(self._update_prompt)
        self._update_prompt()

    def _initialize_history(self, hist_file: str) -> None:
        if hist_file:
            from .history import private_file

            private_file(hist_file)  # 0600 before cmd2 ever writes it
        super()._initialize_history(hist_file)
        # Secrets typed on a command line never reach `history` or the history file.
        from .history import ScrubbedHistory

        self.history = ScrubbedHistory.of(self.history)

    def _create_key_bindings(self, completekey: str) -> Any:
        bindings = super()._create_key_bindings(completekey)
        if completekey in ("", self.DEFAULT_COMPLETEKEY):
            from .completion import add_tab_binding

            add_tab_binding(bindings)  # several matches: the list, no shared prefix inserted
        return bindings

    def _persist_history(self) -> None:
        super()._persist_history()
        if self.persistent_history_file:
            from .history import private_file

            private_file(self.persistent_history_file)

    # --- settables ----------------------------------------------------------------------

    def _add_settables(self) -> None:
        session = self.session

        def positive_int(value: str) -> int:
            number = int(value)
            if number < 1:
                raise ValueError("must be at least 1")
            return number

        def seconds(value: str) -> float:
            number = float(value)
            if number < 0:
                raise ValueError("must be 0 (AWS's waiter limit) or more")
            return number

        self.add_settable(
            cmd2.Settable(
                "output",
                output_value,
                "output of read commands: table or json",
                session,
                choices=["table", "json"],
            )
        )
        self.add_settable(
            cmd2.Settable(
                "concurrency",
                positive_int,
                "parallel requests of bulk commands (oai grant --acl)",
                session,
            )
        )
        self.add_settable(
            cmd2.Settable(
                "wait_timeout",
                seconds,
                "seconds `wait` waits at most (0: AWS's waiter limit)",
                session,
            )
        )

    # --- prompt -------------------------------------------------------------------------

    def _update_prompt(self) -> None:
        parts = [f"cfshell[{self.session.mode_label}]"]
        transcripts = self.session.transcripts
        if transcripts is not None and transcripts.recorder is not None:
            parts.insert(0, RECORDING_MARK)
        selected = [(kinds.get(kind), kind, rid) for kind, rid in self.session.context.items()]
        full = [f"{entry.prompt_name if entry else kind}:{rid}" for entry, kind, rid in selected]
        prompt = " ".join(parts + full) + "> "
        if len(prompt) > PROMPT_WIDTH:
            prompt = " ".join(parts + _abbreviated(selected)) + "> "
        self.prompt = prompt

    def get_bottom_toolbar(self) -> Any:
        context = self.session.context
        selected = ", ".join(f"{kind} {rid}" for kind, rid in context.items()) or "nothing selected"
        return f" {self.session.mode} ({self.session.mode_label}) | {selected}"

    # --- running commands and reporting failures ------------------------------------------

    def onecmd(self, statement: cmd2.Statement | str, *, add_to_history: bool = True) -> bool:
        line = statement.raw if isinstance(statement, cmd2.Statement) else statement
        command = statement.command if isinstance(statement, cmd2.Statement) else ""
        try:
            if command in _FAILS_BY_LAST_RESULT:
                self.last_result = None
                stop = super().onecmd(statement, add_to_history=add_to_history)
                if self.last_result is False:
                    # cmd2 printed why (`set output yaml`, an unknown setting): still a failure.
                    self.failures.append(Failure(line, f"{command} refused", 1))
                return stop
            return super().onecmd(statement, add_to_history=add_to_history)
        except cmd2.Cmd2ArgparseError as exc:
            # argparse has printed the usage and the error already; `-h` exits 0 and is no failure.
            if getattr(exc.__cause__, "code", 2) not in (0, None):
                self.failures.append(Failure(line, "invalid arguments", 2))
            raise
        except KeyboardInterrupt:
            self.failures.append(Failure(line, "interrupted", 130))
            self.perror("interrupted")
            raise
        except Exception as exc:  # noqa: BLE001 - the one place command errors end
            error = translate(exc, simulated="true" if self.session.offline else "")
            if error is None:
                self.failures.append(Failure(line, f"{type(exc).__name__}: {exc}", 1))
                raise  # an unexpected bug: cmd2 prints it (traceback with `set debug true`)
            self.report(error, exc)
            self.failures.append(Failure(line, str(error), error.exit_status))
            return False

    def report(self, error: CfShellError, original: BaseException) -> None:
        """Print a failure: one line, or the traceback too when `debug` is set; nothing when
        the command has shown it already (errors.Shown)."""
        if isinstance(error, Shown):
            return
        if self.debug:
            self.pexcept(original)
        self.perror(f"Error: {error}")

    def default(self, statement: cmd2.Statement) -> bool | None:
        """An unknown command: one `Error:` line naming the closest commands (cmd2's own
        message has neither), and a failure of the script it is in."""
        word = statement.command
        message = f"`{word}` is not a recognized command"
        self.failures.append(Failure(statement.raw, message, 2))
        names = [*self.get_visible_commands(), *self.aliases, *self.macros]
        near = difflib.get_close_matches(word, sorted(set(names)), n=3, cutoff=0.6)
        rest = f" {statement.args}" if statement.args else ""
        if near:
            message += ": did you mean " + " or ".join(f"`{n}{rest}`" for n in near) + "?"
        else:
            message += " (`help` lists the commands)"
        self.perror(f"Error: {message}")
        return None

    def _input_line_to_statement(self, line: str) -> cmd2.Statement:
        # Unbalanced quotes fail before onecmd runs; count them as failures too.
        try:
            return super()._input_line_to_statement(line)
        except Cmd2ShlexError:
            self.failures.append(Failure(line, "invalid syntax", 2))
            raise

    def onecmd_plus_hooks(self, line: str, **kwargs: Any) -> bool:
        before = len(self.failures)
        last = self.history[-1] if self.history else None
        try:
            return super().onecmd_plus_hooks(line, **kwargs)
        finally:
            # A failed line is suggested no more (SuggestSucceeded) and not kept in the
            # history file (ScrubbedHistory); it succeeding later makes it suggestible again.
            if len(self.failures) > before:
                self.failed_lines.add(line.strip())
                if self.history and self.history[-1] is not last:
                    mark = getattr(self.history, "mark_failed", None)
                    if mark is not None:
                        mark(self.history[-1])
            else:
                self.failed_lines.discard(line.strip())

    def run_line(self, line: str) -> tuple[bool, Failure | None]:
        """Run one command line: (stop, the failure it caused or None)."""
        before = len(self.failures)
        stop = self.onecmd_plus_hooks(line, raise_keyboard_interrupt=True)
        failure = self.failures[-1] if len(self.failures) > before else None
        return stop, failure

    def postloop(self) -> None:
        self.session.close()
        super().postloop()
