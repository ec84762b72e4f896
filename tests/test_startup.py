"""Habits: startup file, persistent history without secrets, settables, profile and region
switches that change the client the next command uses, MFA asked once per session.

REPL tests drive `cfshell` on a pseudo-terminal, as a user types; the rest run real commands
in-process against the simulator (moto answers STS too, so assumed roles work offline).
"""

from __future__ import annotations

import io
import json
import lzma
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

from cfshell import credentials
from cfshell.app import CfShell
from cfshell.commands import default_command_sets
from cfshell.commands.base import CfShellCommandSet
from cfshell.session import Session
from simulator import simulate
from tests.conftest import subprocess_env

ROOT = Path(__file__).resolve().parents[1]

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "FwoGZXIvYXdzEBYaDHqa0AP1xexampletokenQ9fLSHnw"
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA7bq98example\\n"
    "-----END RSA PRIVATE KEY-----"
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
        input="", capture_output=True, text=True, timeout=120, env=_env(home), cwd=ROOT,
    )


PROMPT = re.compile(rb"cfshell\[sim\][^\n>]*> ")


def repl(home: Path, lines: list[str], *args: str) -> str:
    """Type `lines` at cfshell's prompt on a pseudo-terminal, then `quit`; all it printed."""
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cfshell", "--simulate", *args],
        stdin=slave, stdout=slave, stderr=slave, env=_env(home), cwd=ROOT, close_fds=True,
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
    shown = json.loads(run.stdout[run.stdout.index("{"):])
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


def test_secrets_already_in_an_old_history_file_are_scrubbed_on_load(tmp_path):
    path = tmp_path / "old_history"
    app = CfShell(Session(simulate=True), stdout=io.StringIO(), persistent_history_file=str(path))
    # Written as an older cfshell would have: the raw line, unscrubbed.
    from cmd2.history import History

    old = History()
    old.append(app.statement_parser.parse(f'oai create "{SECRET_KEY}"'))
    path.write_bytes(lzma.compress(old.to_json().encode()))

    app = CfShell(Session(simulate=True), stdout=io.StringIO(), persistent_history_file=str(path))
    assert len(app.history) == 1
    assert SECRET_KEY not in app.history.to_json() and "[REDACTED]" in app.history[0].raw


# --- settables, profile, region -----------------------------------------------------------


class Probe(CfShellCommandSet):
    """A command that lists the buckets of the region its S3 client is in."""

    def do_buckets_here(self, _statement: object) -> None:
        s3 = self.session.client("s3")
        region = s3.meta.region_name
        names = [b["Name"] for b in s3.list_buckets(BucketRegion=region).get("Buckets", [])]
        self.say(f"{region}: {' '.join(sorted(names)) or '-'}")


def make_shell(session: Session, capsys: pytest.CaptureFixture[str]):
    app = CfShell(session, stdout=io.StringIO(), command_sets=[
        *default_command_sets(session), Probe(session),
    ])

    def run(line: str) -> tuple[str, str, bool]:
        capsys.readouterr()
        app.stdout.seek(0)
        app.stdout.truncate()
        _, failure = app.run_line(line)
        captured = capsys.readouterr()
        return app.stdout.getvalue() + captured.out, captured.err, failure is not None

    def ok(line: str) -> str:
        out, err, failed = run(line)
        assert not failed, f"{line!r} failed: {err}"
        return out

    return app, run, ok


def _two_region_buckets() -> None:
    creds = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    boto3.client("s3", region_name="us-east-1", **creds).create_bucket(Bucket="videos-us")
    boto3.client("s3", region_name="eu-west-1", **creds).create_bucket(
        Bucket="videos-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )


def test_settables_are_there_and_take_effect(capsys):
    session = Session(simulate=True)
    app, run, ok = make_shell(session, capsys)
    listing = ok("set")
    for name in ("output", "region", "profile", "concurrency", "wait_timeout"):
        assert name in listing
    ok("set output json")
    ok("set concurrency 4")
    ok("set wait_timeout 30")
    ok("set region eu-west-1")
    assert (session.output, session.concurrency, session.wait_timeout) == ("json", 4, 30)
    assert session.region == "eu-west-1"
    _, err, _ = run("set region eu-wset-1")
    assert "did you mean eu-west-1?" in err and session.region == "eu-west-1"
    _, err, failed = run("region nowhere")
    assert failed and err.strip().startswith("Error: 'nowhere' is not a region name")


def test_switching_region_changes_the_client_of_the_next_command(capsys):
    session = Session(simulate=True)
    try:
        _app, _run, ok = make_shell(session, capsys)
        ok("sim bucket list")  # starts the simulator
        _two_region_buckets()
        assert ok("buckets_here").strip() == "us-east-1: videos-us"
        assert "region eu-west-1" in ok("region eu-west-1")
        assert ok("buckets_here").strip() == "eu-west-1: videos-eu"
        ok("set region us-east-1")
        assert ok("buckets_here").strip() == "us-east-1: videos-us"
    finally:
        session.close()


@pytest.fixture
def aws_config(tmp_path, monkeypatch):
    """A HOME with ~/.aws/config and credentials: profiles alpha, beta, and mfa (assumed role)."""
    for name in list(os.environ):
        if name.startswith("AWS_") and name != "AWS_EC2_METADATA_DISABLED":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    aws = tmp_path / ".aws"
    aws.mkdir()
    (aws / "config").write_text(
        "[profile alpha]\nregion = us-east-1\n"
        "[profile beta]\nregion = eu-west-1\n"
        "[profile mfa]\nregion = eu-west-1\nsource_profile = alpha\n"
        "role_arn = arn:aws:iam::123456789012:role/video-admin\n"
        "mfa_serial = arn:aws:iam::123456789012:mfa/me\n"
    )
    (aws / "credentials").write_text(
        "[alpha]\naws_access_key_id = alphakeyalphakey\naws_secret_access_key = alpha\n"
        "[beta]\naws_access_key_id = betakeybetakeybe\naws_secret_access_key = beta\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(aws / "credentials"))
    return tmp_path


def _access_key(client: object) -> str:
    return client._request_signer._credentials.get_frozen_credentials().access_key


def test_switching_profile_changes_credentials_and_region_of_the_next_command(
    aws_config, capsys
):
    with simulate():
        _two_region_buckets()
        session = Session(profile="alpha")
        _app, run, ok = make_shell(session, capsys)
        assert ok("buckets_here").strip() == "us-east-1: videos-us"
        assert _access_key(session.client("s3")) == "alphakeyalphakey"

        assert "profile beta (region eu-west-1)" in ok("profile beta")
        assert ok("buckets_here").strip() == "eu-west-1: videos-eu"
        assert _access_key(session.client("s3")) == "betakeybetakeybe"

        ok("set profile alpha")
        assert ok("buckets_here").strip() == "us-east-1: videos-us"

        _, err, failed = run("profile alpah")
        assert failed and "did you mean alpha?" in err and session.profile == "alpha"


def test_an_mfa_code_is_asked_once_per_session_and_cached_as_the_aws_cli_does(
    aws_config, capsys, monkeypatch
):
    asked: list[str] = []

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return "123456"

    monkeypatch.setattr(credentials, "ask_mfa_code", answer)
    with simulate():
        _two_region_buckets()
        session = Session(profile="mfa")
        _app, _run, ok = make_shell(session, capsys)
        first = session.boto3_session
        assert ok("buckets_here").strip() == "eu-west-1: videos-eu"
        ok("oai list")
        ok("streaming list")
        assert ok("buckets_here").strip() == "eu-west-1: videos-eu"
        assert len(asked) == 1 and "arn:aws:iam::123456789012:mfa/me" in asked[0]
        # One boto3 session for the whole cfshell session: its credentials are reused.
        assert session.boto3_session is first
        assert _access_key(session.client("s3")).startswith("ASIA")

        # The next cfshell session finds the assumed role in the AWS CLI's cache.
        assert list((aws_config / ".aws" / "cli" / "cache").glob("*.json"))
        again = Session(profile="mfa")
        _app, _run, ok = make_shell(again, capsys)
        ok("buckets_here")
        assert len(asked) == 1
