"""The README's cfshell sessions run as written: each is typed into `cfshell --simulate` with the
demo stage set (as `scripts/run` sets it), and a line that fails is named by its README line.

The rules, which README.md is written to:

1. A session block is a fenced block with no info string (or the info string `cfshell`) whose
   every command line is a cfshell command: its first word, after an optional prompt, is one
   of the shell's commands. Blocks of shell commands (`scripts/run`, `cfshell --simulate ...`,
   `python -m simulator ...`), and blocks with another info string (python, toml), are not
   run. A block that mixes the two is an error of this test, so none is silently skipped.
2. A prompt at the start of a line is removed: `cfshell[sim]> `, `cfshell[sim] streaming:E…> `
   (anything from `cfshell[` to the first `> `), and the continuation prompts `… > ` and
   `... > `.
3. A `#` that starts a word outside quotes starts a comment, removed with the rest of the line;
   lines left empty (blank lines, comment-only continuation lines) are not commands.
4. A command that still contains `…` holds a placeholder the reader fills in (a signed URL's
   query string) and is not run; every other line is run exactly as written. Each block must
   run at least one line.
5. Each session block runs in a fresh `cfshell --simulate --yes` (confirmations answered yes,
   as the reader at the prompt would answer them) with `CFSHELL_STARTUP=scripts/demo-stage.cfsh`
   (bucket my-video-bucket, ACLs enabled, a few videos), in a scratch directory (files the
   commands write, such as `video-signer.pem`, go there), lines in README order; the first line
   that fails fails the test, naming its README line and what cfshell printed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
STAGE = ROOT / "scripts" / "demo-stage.cfsh"
FENCE = re.compile(r"^\s*```\s*([\w+-]*)\s*$")
PROMPT = re.compile(r"^\s*(?:\u25cfrec\s+)?(?:cfshell\[.*?>|\u2026\s*>|\.\.\.\s*>)\s?")
PLACEHOLDER = "\u2026"


@dataclass
class Line:
    number: int  # in README.md, from 1
    text: str  # as written
    command: str  # what is typed: prompt and comment removed


@dataclass
class Block:
    start: int  # README line of the opening fence
    run: list[Line] = field(default_factory=list)
    placeholders: list[Line] = field(default_factory=list)
    others: list[Line] = field(default_factory=list)  # lines that are no cfshell command


def strip_comment(text: str) -> str:
    """`text` without a `#` comment: a `#` starting a word, outside quotes (rule 3)."""
    quote = ""
    for i, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or text[i - 1].isspace()):
            return text[:i].rstrip()
    return text.rstrip()


def command_of(text: str) -> str:
    return strip_comment(PROMPT.sub("", text, count=1)).strip()


def fenced_blocks(text: str) -> list[tuple[int, str, list[tuple[int, str]]]]:
    """(line of the opening fence, info string, [(line number, text)]) of each fenced block."""
    found = []
    current: tuple[int, str, list[tuple[int, str]]] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        fence = FENCE.match(line)
        if current is None and fence:
            current = (number, fence.group(1), [])
        elif current is not None and line.strip() == "```":
            found.append(current)
            current = None
        elif current is not None:
            current[2].append((number, line))
    return found


def session_blocks(text: str, commands: set[str]) -> list[Block]:
    """The README's session blocks (rule 1), their lines sorted by rules 2-4."""
    blocks = []
    for start, info, lines in fenced_blocks(text):
        if info not in ("", "cfshell"):
            continue
        block = Block(start)
        for number, written in lines:
            command = command_of(written)
            if not command:
                continue
            line = Line(number, written, command)
            if command.split()[0] not in commands:
                block.others.append(line)
            elif PLACEHOLDER in command:
                block.placeholders.append(line)
            else:
                block.run.append(line)
        if block.run or block.placeholders:
            blocks.append(block)
    return blocks


def _commands() -> set[str]:
    from cfshell.app import CfShell

    app = CfShell()
    try:
        return set(app.get_all_commands())
    finally:
        app.session.close()


BLOCKS = session_blocks(README.read_text(encoding="utf-8"), _commands())


def test_the_readme_has_sessions_to_run():
    assert len(BLOCKS) >= 2, "README.md shows no cfshell session this test can run"


@pytest.mark.parametrize("block", BLOCKS, ids=[f"README line {b.start}" for b in BLOCKS])
def test_a_readme_session_runs_as_written(block: Block, tmp_path):
    where = f"README.md block at line {block.start}"
    assert not block.others, f"{where} mixes shell lines with cfshell commands: " + "; ".join(
        f"line {ln.number}: {ln.text.strip()}" for ln in block.others
    )
    assert block.run, f"{where} has no line to run (all are placeholders)"
    proc = subprocess.run(
        [sys.executable, "-m", "cfshell", "--simulate", "--yes"],
        input="".join(line.command + "\n" for line in block.run),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=subprocess_env(
            HOME=str(tmp_path),
            CFSHELL_STARTUP=str(STAGE),
            CFSHELL_HISTORY="",
            COLUMNS="200",
        ),
    )
    if proc.returncode == 0:
        return
    failed = re.search(r"<stdin> line (\d+): `", proc.stderr)
    if failed is None:
        pytest.fail(f"{where}: cfshell exited {proc.returncode}:\n{proc.stderr}")
    line = block.run[int(failed.group(1)) - 1]
    pytest.fail(
        f"README.md line {line.number}: `{line.text.strip()}` failed "
        f"(typed: `{line.command}`):\n{proc.stderr}"
    )


def test_the_rules_read_the_readme_as_documented():
    """The parsing rules themselves, on a README of their own."""
    text = "\n".join(
        [
            "```",  # 1: a session with prompts, comments and a placeholder
            'cfshell[sim]> streaming create b -m "a # not a comment"   # a comment',
            "cfshell[sim] streaming:E\u2026> oai create x",
            "\u2026 > streaming get          # shows it",
            "                               # a continuation comment",
            "sim get 'https://d/v.m3u8?Expires=\u2026'",
            "```",
            "```",  # 8: shell commands: not a session
            "scripts/run     # start",
            "cfshell --simulate",
            "```",
            "```python",  # 12: another language
            "streaming list",
            "```",
        ]
    )
    blocks = session_blocks(text, {"streaming", "oai", "sim"})
    assert len(blocks) == 1
    block = blocks[0]
    assert block.start == 1
    assert [(ln.number, ln.command) for ln in block.run] == [
        (2, 'streaming create b -m "a # not a comment"'),
        (3, "oai create x"),
        (4, "streaming get"),
    ]
    assert [ln.number for ln in block.placeholders] == [6]
    assert block.others == []
