"""A rehearsal typed at a real terminal, with the pauses a person makes, is a gate: its transcript
replays with --check on a fresh simulator and passes; one changed output fails it with a diff.

Driven through a pseudo-terminal (pexpect), as a user would: `cfshell --simulate --record FILE`,
commands typed one by one with pauses longer than the simulator's deploy delay (so the
distribution deploys while the user types, which the fast replay must see again), the signed
URL copied from the screen and pasted into `sim get`, then `quit`.
"""

from __future__ import annotations

import lzma
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

pexpect = pytest.importorskip("pexpect")

DEPLOY = 0.6  # the simulator's deploy delay in these rehearsals
PAUSE = 1.0  # a user's pause after a change: longer than the deploy delay
PROMPT = r"cfshell\[sim\][^\r\n]*> "
SECRET_VALUE = re.compile(r"(?:Signature|Policy)=(?!<|\[REDACTED\])[^\s&;'\"]+")


class Terminal:
    """cfshell in a pseudo-terminal, recording to `transcript`."""

    def __init__(self, home: Path, transcript: Path) -> None:
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "cfshell", "--simulate", "--record", str(transcript)],
            env=_env(home),
            encoding="utf-8",
            timeout=60,
            dimensions=(50, 200),
        )
        self.child.expect("\u25cfrec " + PROMPT)  # recording shows in the prompt

    def type(self, line: str, pause: float = 0.2, answer: str = "") -> str:
        """Type `line` after `pause` seconds (and `answer` to the question it asks); what it
        printed."""
        time.sleep(pause)
        self.child.sendline(line)
        if answer:
            self.child.expect(r"\[Y/n\]")
            self.child.sendline(answer)
        self.child.expect("\u25cfrec " + PROMPT)
        output = self.child.before
        return output.split("\n", 1)[1] if "\n" in output else ""

    def quit(self) -> None:
        self.child.sendline("quit")
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert self.child.exitstatus == 0


def _env(home: Path) -> dict[str, str]:
    home.mkdir(exist_ok=True)
    env = subprocess_env(HOME=str(home), TERM="dumb", COLUMNS="200")
    env.pop("CFSHELL_KEY_STORE", None)  # the user's own store under HOME
    env.pop("CFSHELL_HISTORY", None)
    return env


def _check(home: Path, transcript: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cfshell", "--simulate", "--script", str(transcript), "--check"],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_legacy_rehearsal_with_pauses_passes_its_own_check(tmp_path) -> None:
    home, transcript = tmp_path / "home", tmp_path / "legacy.cfsh"
    term = Terminal(home, transcript)
    term.type(f"sim deploy-delay {DEPLOY}")
    term.type("sim bucket create my-video-bucket --acls-enabled")
    term.type("sim object put my-video-bucket videos/intro.mp4 --size 1024")
    term.type("streaming create my-video-bucket --cname cf.example.com -m 'legacy'")
    # The user looks at it after a while: deployed by then.
    assert "Deployed" in term.type("streaming get", pause=PAUSE)
    term.type("oai create 'reads my-video-bucket'")
    term.type("streaming modify --oai")
    term.type("oai grant my-video-bucket")
    assert "Deployed" in term.type("streaming get", pause=PAUSE)
    term.type("streaming wait")
    term.quit()

    text = transcript.read_text()
    assert re.search(r"^#@ \+\d+\.\ds$", text, re.M)
    started = time.monotonic()
    done = _check(home, transcript)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check: all 10 outputs match" in done.stdout
    # The deploys the user waited for are not waited for again.
    assert time.monotonic() - started < 20

    # One changed output: the check fails and shows where.
    changed = tmp_path / "changed.cfsh"
    changed.write_text(text.replace("# created bucket my-video-bucket", "# made bucket x", 1))
    failed = _check(home, changed)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "-made bucket x" in failed.stdout
    assert "+created bucket my-video-bucket" in failed.stdout
    assert "check: 1 of 10 outputs differ" in failed.stderr


def test_modern_rehearsal_with_pauses_passes_its_own_check_and_keeps_no_bearer_token(
    tmp_path,
) -> None:
    home, transcript = tmp_path / "home", tmp_path / "modern.cfsh"
    term = Terminal(home, transcript)
    term.type(f"sim deploy-delay {DEPLOY}")
    term.type("sim bucket create my-video-bucket")
    term.type("sim object put my-video-bucket videos/intro.mp4 --size 64")
    term.type("key generate video-signer")
    term.type("distribution create my-video-bucket --oac --private", answer="n")
    term.type("oac grant my-video-bucket")
    term.type("distribution wait", pause=PAUSE)
    signed = term.type("sign url /videos/intro.mp4")
    url = re.search(r"https://\S+Signature=\S+", signed).group(0)
    assert "200" in term.type(f"sim get '{url}'", pause=PAUSE)
    cookies = term.type("sign cookies /videos/intro.mp4")
    pairs = re.findall(r"Set-Cookie: (CloudFront-[A-Za-z-]+=[^;\s]+)", cookies)
    assert len(pairs) == 3
    flags = " ".join(f"--cookie {pair}" for pair in pairs)
    assert "200" in term.type(f"sim get /videos/intro.mp4 {flags}", pause=PAUSE)
    term.quit()

    text = transcript.read_text()
    history = home / ".cfshell_history"
    assert not SECRET_VALUE.search(text), text
    assert "sim get '$signedurl1'" in text  # the pasted URL is a reference, bound at replay
    assert "--cookie $cookie1 --cookie $cookie2 --cookie CloudFront-Key-Pair-Id=$key1" in text
    assert "video-signer.pem" not in text  # keys live in the key store, named by their ID
    history_text = lzma.decompress(history.read_bytes()).decode()  # cmd2's format
    assert "sim get /videos/intro.mp4 --cookie CloudFront-Expires=" in history_text
    assert "sim get 'https://" in history_text  # the command line is kept...
    assert not SECRET_VALUE.search(history_text)  # ...without the bearer parts
    assert _mode(transcript) == 0o600
    assert _mode(history) == 0o600
    store = home / ".cfshell" / "keys"
    assert _mode(store) == 0o700
    assert [_mode(p) for p in store.iterdir()] == [0o600]

    # Replayed twice on fresh simulators, under the same home: a new key each time, no clash.
    for _ in range(2):
        done = _check(home, transcript)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "check: all 11 outputs match" in done.stdout
    assert len(list(store.iterdir())) == 3

    # What a signed URL grants is checked: another lifetime is a difference.
    changed = tmp_path / "changed.cfsh"
    changed.write_text(
        text.replace("expires PT1H after the command", "expires PT2H after the command", 1)
    )
    failed = _check(home, changed)
    assert failed.returncode == 1
    assert (
        "-<signed URL https://<domain>/videos/intro.mp4 canned policy, expires PT2H"
        in failed.stdout
    )
