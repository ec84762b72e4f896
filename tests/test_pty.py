"""The REPL in a real pseudo-terminal (pexpect): what Tab and the grey history suggestion do.

- Tab with several matches lists them and inserts nothing (not even the prefix they share, a
  prefix of no ID), so Enter runs the line as typed; with one match it inserts it whole.
- The suggestion from history never proposes a line that failed.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parents[1]
PROMPT = r"cfshell\[sim\][^\r\n>]*>"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|[\x08\x07]")
ID = re.compile(r"\bE[A-Z0-9]{13}\b")
MISSING = "EBADBADBADBAD1"  # well-formed, no such distribution


def _plain(text: str) -> str:
    return ANSI.sub("", text)


class Repl:
    def __init__(self, tmp_path: Path) -> None:
        env = subprocess_env(
            HOME=str(tmp_path),
            CFSHELL_HISTORY=str(tmp_path / "history"),
            CFSHELL_STARTUP="",
            TERM="xterm",
            PROMPT_TOOLKIT_NO_CPR="1",  # pexpect answers no cursor-position requests
        )
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "cfshell", "--simulate"],
            env=env,
            cwd=str(ROOT),
            encoding="utf-8",
            dimensions=(40, 200),
            timeout=60,
        )
        self.child.expect(PROMPT)

    def run(self, line: str) -> str:
        """Type `line` and Enter; what it printed (escape sequences removed)."""
        self.child.sendline(line)
        self.child.expect("\r\n")  # the line is accepted; then its output, then the prompt
        self.child.expect(PROMPT)
        return _plain(self.child.before)

    def keys(self, keys: str, settle: float = 1.5) -> str:
        """Send `keys` without Enter; what the terminal showed after `settle` seconds."""
        self.child.send(keys)
        time.sleep(settle)
        shown = ""
        while True:
            try:
                shown += self.child.read_nonblocking(65536, timeout=0.3)
            except pexpect.TIMEOUT:
                return _plain(shown)

    def enter(self) -> str:
        self.child.send("\r")
        self.child.expect("\r\n")
        self.child.expect(PROMPT)
        return _plain(self.child.before)

    def close(self) -> None:
        self.child.send("\x15")  # Ctrl-U: whatever a test left on the line goes
        self.child.sendline("quit")
        self.child.expect(pexpect.EOF)


@pytest.fixture
def repl(tmp_path):
    shell = Repl(tmp_path)
    shell.run("sim bucket create my-video-bucket")
    yield shell
    shell.close()


def _create_two(repl: Repl) -> tuple[str, str]:
    first = ID.findall(repl.run("streaming create my-video-bucket -m first --no-select"))
    second = ID.findall(repl.run("streaming create my-video-bucket -m second --no-select"))
    return first[0], second[0]


def test_tab_lists_several_ids_and_inserts_nothing(repl):
    first, second = _create_two(repl)
    repl.keys("streaming get ", settle=0.3)
    shown = repl.keys("\t")
    assert first in shown and second in shown  # the menu lists both, with their labels
    assert "first" in shown and "second" in shown
    # Enter runs what was typed, not `streaming get E`: no ID was given, none is selected.
    out = repl.enter()
    assert "no streaming distribution selected" in out
    assert "not a valid streaming distribution ID" not in out


def test_tab_completes_a_single_match_whole(repl):
    first, second = _create_two(repl)
    common = 0
    while first[common] == second[common]:
        common += 1
    repl.keys(f"streaming get {first[: common + 1]}", settle=0.3)
    repl.keys("\t")
    out = repl.enter()  # `streaming get FIRST-ID`, completed
    assert first in out and "first" in out
    assert "Error" not in out


def test_the_history_suggestion_skips_lines_that_failed(repl):
    first, _second = _create_two(repl)
    assert first in repl.run(f"streaming get {first}")
    assert f"no streaming distribution {MISSING}" in repl.run(f"streaming get {MISSING}")
    # The most recent line starting so is the failed one: the suggestion is the older success.
    shown = repl.keys("streaming g")
    assert first in shown
    assert MISSING not in shown
    repl.keys("\x15", settle=0.3)  # Ctrl-U: clear the line
    # A mistyped command is never suggested either.
    repl.run("strem list")
    shown = repl.keys("str")
    assert "em list" not in shown  # what would follow the typed `str`
    assert f"eaming get {first}" in shown  # the latest line that worked
