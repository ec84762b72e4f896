"""Mistyped commands, bare groups, unknown subcommands and options: what a new user sees.

An unknown command is one `Error:` line naming the closest commands; a group typed alone
prints the group's help (and fails in a script, as `aws cloudfront` alone does); an unknown
subcommand's error names the closest subcommand; a wrong option is reported with the
subcommand's own usage, not its group's.
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import subprocess_env


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_unknown_command_is_one_error_line_with_the_closest_command(shell):
    result = shell.run("strem list")
    assert result.failed and result.status == 2
    assert result.err.strip().splitlines() == [
        "Error: `strem` is not a recognized command: did you mean `streaming list`?"
    ]
    assert result.out == ""


def test_unknown_command_without_a_close_one_points_to_help(shell):
    result = shell.run("xyzzy")
    assert result.failed and result.status == 2
    assert (
        result.err.strip()
        == "Error: `xyzzy` is not a recognized command (`help` lists the commands)"
    )


def test_aliases_are_suggested_too(shell):
    shell.ok("alias create slist streaming list")
    result = shell.run("slst")
    assert result.failed and "did you mean `slist`?" in result.err


def test_a_group_alone_prints_its_help_and_fails(shell):
    result = shell.run("streaming")
    assert result.failed and result.status == 2
    assert "required" not in result.err and "Error" not in result.err
    assert result.out.startswith("Usage: streaming [-h] SUBCOMMAND ...")
    for subcommand in ("create", "delete", "get", "list", "modify", "wait"):
        assert f"\n    {subcommand} " in result.out
    # The shell goes on.
    assert "mode: simulator" in shell.ok("context")


def test_a_nested_group_alone_prints_its_own_help(shell):
    result = shell.run("sim bucket")
    assert result.failed
    assert result.out.startswith("Usage: sim bucket [-h] SUBCOMMAND ...")
    assert "\n    create " in result.out and "\n    list " in result.out


def test_group_help_is_no_failure_when_asked_for(shell):
    result = shell.run("streaming -h")
    assert not result.failed and result.out.startswith("Usage: streaming")


def test_unknown_subcommand_names_the_closest(shell):
    result = shell.run("streaming lsit")
    assert result.failed and result.status == 2
    err = _one_line(result.err)
    assert "invalid choice: 'lsit': did you mean `streaming list`?" in err
    assert "(choose from create, delete, get, list, modify, wait)" in err
    assert [ln for ln in result.err.splitlines() if ln.startswith("Error:")]  # one Error line


def test_unknown_nested_subcommand_names_the_nested_one(shell):
    result = shell.run("sim bucket lst")
    assert result.failed
    assert "did you mean `sim bucket list`?" in _one_line(result.err)


def test_wrong_flag_shows_the_subcommands_usage(shell):
    result = shell.run("streaming modify --frobnicate")
    assert result.failed and result.status == 2
    assert result.err.startswith("Usage: streaming modify ")
    assert "Error: unrecognized arguments: --frobnicate" in result.err
    assert "Usage: streaming [-h] SUBCOMMAND" not in result.err


def test_misspelt_flag_names_the_right_one(shell):
    result = shell.run("streaming list --ouput json")
    assert result.failed
    assert result.err.startswith("Usage: streaming list ")
    assert "unrecognized arguments: --ouput json (did you mean `--output`?)" in _one_line(
        result.err
    )


def test_wrong_flag_in_a_nested_subcommand_shows_its_usage(shell):
    result = shell.run("sim bucket list --frobnicate")
    assert result.failed and result.err.startswith("Usage: sim bucket list ")


def test_in_a_script_each_is_a_failure_that_stops_the_run():
    for line in ("strem list", "streaming", "streaming lsit", "streaming modify --frob"):
        proc = subprocess.run(
            [sys.executable, "-m", "cfshell", "--simulate", line, "context"],
            capture_output=True,
            text=True,
            env=subprocess_env(HOME="/nonexistent"),
            timeout=60,
        )
        assert proc.returncode == 2, (line, proc.stderr)
        assert f"argument 1: `{line}` failed; stopped here" in proc.stderr
        assert "Traceback" not in proc.stderr
        assert "mode:" not in proc.stdout  # `context` did not run
