"""Every failure fails: a refused `set`, an out-of-range `history`, and the recording marker."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import subprocess_env


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("set output yaml", "must be table or json"),
        ("set region mars-1", "is not a region name"),
        ("set nosuch 1", "not supported"),
    ],
)
def test_a_refused_set_is_a_failure(shell, line, words) -> None:
    result = shell.run(line)
    assert result.failed and result.status != 0
    assert words in result.err
    assert shell.session.output == "table"


def test_a_refused_set_stops_a_script_with_a_non_zero_status(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cfshell", "--simulate", "set output yaml", "sim clock"],
        capture_output=True,
        text=True,
        timeout=120,
        env=subprocess_env(HOME=str(tmp_path)),
    )
    assert done.returncode == 1
    assert "argument 1: `set output yaml` failed; stopped here" in done.stderr
    assert "simulator clock" not in done.stdout


def test_a_good_set_is_no_failure(shell) -> None:
    assert not shell.run("set output json").failed
    assert shell.session.output == "json"


@pytest.mark.parametrize("line", ["history 999", "history 0", "history -999"])
def test_history_out_of_range_is_one_line(shell, line) -> None:
    shell.ok("sim clock")
    result = shell.run(line)
    assert result.failed
    assert result.err.strip().splitlines() == [
        f"Error: no command {line.split()[1]} in the history (numbers: 1 to 1)"
    ]


def test_a_transcripts_argparse_error_is_shown_whole(shell, tmp_path) -> None:
    script = tmp_path / "bad.cfsh"
    script.write_text(
        "# cfshell transcript 1\n# mode: simulate\n"
        "key generate signer --algorithm rsa-1024-but-a-very-long-name-that-wraps-the-line\n"
    )
    result = shell.run(f"replay {script}")
    assert result.failed
    message = result.err
    assert "line 3: `key` would refuse its arguments: argument --algorithm: invalid choice:" in (
        message
    )
    assert "rsa2048" in message and "ecdsa-p256" in message  # the choices, not cut off


def test_the_prompt_shows_recording_until_it_stops(shell, tmp_path) -> None:
    assert "\u25cfrec" not in shell.app.prompt
    shell.ok(f"record start {tmp_path / 'r.cfsh'}")
    assert shell.app.prompt.startswith("\u25cfrec cfshell[sim]")
    shell.ok("sim bucket create my-video-bucket")
    assert shell.app.prompt.startswith("\u25cfrec cfshell[sim]")  # a selection keeps it
    shell.ok("record stop")
    assert "\u25cfrec" not in shell.app.prompt
