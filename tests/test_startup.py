"""What a session reads at start-up: the startup file, and a persistent history without secrets.

REPL tests drive `cfshell` on a pseudo-terminal, as a user types; the rest run `cfshell` as a
command, or the app in-process. (Profile and region switches: tests/commands/test_account.py.)
"""

from __future__ import annotations

import json
import lzma
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import subprocess_env

ROOT = Path(__file__).resolve().parents[1]

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "FwoGZXIvYXdzEBYaDHqa0AP1xexampletokenQ9fLSHnw"
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA7bq98example\\n-----END RSA PRIVATE KEY-----"
)
SECRETS = [ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, "MIIEpAIBAAKCAQEA7bq98example"]


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = subprocess_env(
        HOME=str(home), COLUMNS="200", TERM="dumb", PROMPT_TOOLKIT_NO_CPR="1", **extra
    )
    return {k: v for k, v in env.items() if not k.startswith("CFSHELL_")}


def cfshell(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cfshell", *args],
        input="",
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(home),
        cwd=ROOT,
    )


PROMPT = re.compile(rb"cfshell\[sim\][^\n>]*> ")


def repl(home: Path, lines: list[str], *args: str) -> str:
    """Type `lines` at cfshell's prompt on a pseudo-terminal, then `quit`; all it printed."""
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cfshell", "--simulate", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=_env(home),
        cwd=ROOT,
        close_fds=True,
    )
    os.close(slave)
    out = bytearray()

    def read_until_prompt(count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(PROMPT.findall(out)) < count:
            assert time.monotonic() < deadline, f"no prompt; got {out.decode(errors='replace')}"
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    out.extend(os.read(master, 65536))
                except OSError:
                    return

    try:
        prompts = 0
        for line in [*lines, "quit"]:
            read_until_prompt(prompts + 1)
            prompts = len(PROMPT.findall(out))
            os.write(master, line.encode() + b"\r")
        assert proc.wait(timeout=60) == 0
        while True:
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            out.extend(chunk)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return out.decode(errors="replace").replace("\r\n", "\n")


def read_history(path: Path) -> str:
    return lzma.decompress(path.read_bytes()).decode("utf-8")


# --- startup file -------------------------------------------------------------------------


RC = """\
# my cfshell habits
set output json
alias create ctx context
macro create pick use oai {1}
"""


def test_startup_file_settings_aliases_and_macros_take_effect(tmp_path):
    (tmp_path / ".cfshellrc").write_text(RC)
    run = cfshell(tmp_path, "--simulate", "pick E2QWRUHAPOMQZL", "ctx")
    assert run.returncode == 0, run.stderr
    assert "using OAI E2QWRUHAPOMQZL" in run.stdout
    shown = json.loads(run.stdout[run.stdout.index("{") :])
    assert shown["Selected"] == {"oai": "E2QWRUHAPOMQZL"}
    # The startup file's own output does not get in the way of the commands' output.
    assert "was:" not in run.stdout and "now:" not in run.stdout


def test_command_line_flags_win_over_the_startup_file(tmp_path):
    (tmp_path / ".cfshellrc").write_text(RC)
    run = cfshell(tmp_path, "--simulate", "--output", "table", "use oai E2QWRUHAPOMQZL", "ctx")
    assert run.returncode == 0, run.stderr
    assert "mode: simulator" in run.stdout and "{" not in run.stdout


def test_a_bad_line_in_the_startup_file_is_reported_and_the_rest_still_runs(tmp_path):
    (tmp_path / ".cfshellrc").write_text("set output yaml\n" + RC)
    run = cfshell(tmp_path, "--simulate", "ctx")
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip() == "Error setting output: must be table or json"
    assert json.loads(run.stdout)["Mode"] == "simulator"


def test_the_startup_file_runs_in_the_repl(tmp_path):
    (tmp_path / ".cfshellrc").write_text(RC)
    out = repl(tmp_path, ["ctx"])
    assert '"Mode": "simulator"' in out


# --- history ------------------------------------------------------------------------------


def test_repl_history_persists_but_never_holds_a_secret(tmp_path):
    typed = [
        f'oai create "key {ACCESS_KEY}"',
        f'oai create "secret {SECRET_KEY}"',
        f'oai create "aws_session_token={SESSION_TOKEN}"',
        f'oai create "{PEM}"',
        "context",
        "history",
    ]
    out = repl(tmp_path, typed)
    history_out = out[out.rindex("history") :]
    assert "oai create" in history_out and "[REDACTED]" in history_out
    for secret in SECRETS:
        assert secret not in history_out

    saved = read_history(tmp_path / ".cfshell_history")
    assert saved.count("oai create") == 4 and '"raw": "context"' in saved
    for secret in SECRETS:
        assert secret not in saved

    # The next session starts with that history (`history -a`: this and earlier sessions).
    out = repl(tmp_path, ["history -a"])
    assert 'oai create "key [REDACTED]"' in out


def test_secrets_already_in_an_old_history_file_are_scrubbed_on_load(tmp_path, make_shell):
    path = tmp_path / "old_history"
    app = make_shell(history_file=str(path)).app
    # Written as an older cfshell would have: the raw line, unscrubbed.
    from cmd2.history import History

    old = History()
    old.append(app.statement_parser.parse(f'oai create "{SECRET_KEY}"'))
    path.write_bytes(lzma.compress(old.to_json().encode()))

    app = make_shell(history_file=str(path)).app
    assert len(app.history) == 1
    assert SECRET_KEY not in app.history.to_json() and "[REDACTED]" in app.history[0].raw
