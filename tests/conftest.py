"""Settings for the whole suite, and the one harness that drives cfshell in-process.

No test may reach past this machine: the last step of boto3's credential chain asks the
instance metadata service (169.254.169.254), so it is turned off here, for this process and
for every subprocess that inherits its environment (`subprocess_env` keeps it).

The harness: `shell.run("streaming get")` runs one line as a user would type it and returns a
`Result` (what was printed on stdout and stderr, whether the command failed, the exit status a
script would get); `shell.ok(line)` asserts success and returns stdout; `shell.cf` / `shell.s3`
are plain boto3 clients on the same simulator, for reading state back.

- `shell`: a CfShell on the in-process simulator (deploys take 0.2 s).
- `stage`: `shell` with the seed's bucket my-video-bucket and a few objects.
- `make_shell(*, command_sets=(), history_file="", **session_kwargs)`: more shells, or shells
  that differ: `Session(**session_kwargs)` (the simulator unless `simulate=False` or
  `endpoint_url=` is given), extra command sets (classes built with the Session) after the
  default ones, a persistent history file. Every shell made is closed after the test.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

if TYPE_CHECKING:
    from cfshell.app import CfShell

os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


def _share_botocore_models() -> None:
    """One botocore data loader for every session this test process makes.

    Each test makes fresh sessions (a Session per shell), and each botocore session would
    parse the CloudFront and S3 models from JSON again: some 70 ms a test, most of a short
    test's time. The models are read-only data; a process with one session reads them once.
    (boto3 appends its data path to the loader of every session it wraps: kept once.)
    """
    import botocore.loaders
    import botocore.session

    class OncePaths(list):
        def append(self, path: str) -> None:
            if path not in self:
                super().append(path)

    shared = botocore.loaders.create_loader()
    shared._search_paths = OncePaths(shared.search_paths)

    def register(session: botocore.session.Session) -> None:
        session._components.lazy_register_component("data_loader", lambda: shared)

    botocore.session.Session._register_data_loader = register


_share_botocore_models()

BUCKET = "my-video-bucket"


def subprocess_env(**extra: str) -> dict[str, str]:
    """This environment without the developer's AWS settings, with fake keys and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def served_simulator(deploy_seconds: float = 0.5, **env: str) -> Iterator[str]:
    """`python -m simulator serve --port 0` in a subprocess, as a user starts it: its URL (the
    one line it prints), then SIGTERM and a wait for it to stop."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", "0"]
        + ["--deploy-seconds", str(deploy_seconds)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(**env),
        cwd=ROOT,
    )
    try:
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert match, line + proc.stderr.read()
        yield match.group(0)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


@pytest.fixture(autouse=True)
def _own_home(tmp_path_factory, monkeypatch):
    """Each test has an empty HOME of its own (no ~/.cfshellrc, history or ~/.aws of the
    developer's), inherited by the processes it starts: tests on parallel workers share no file."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture(autouse=True)
def _ctrl_c_interrupts():
    """Ctrl-C raises KeyboardInterrupt in every test, whatever handler a test run before it on
    the same worker left behind (cmd2 installs its own while it runs)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _key_store(tmp_path_factory, monkeypatch):
    """Private keys `key generate` makes go to a key store of the test's, never the user's."""
    monkeypatch.setenv("CFSHELL_KEY_STORE", str(tmp_path_factory.mktemp("keys")))


@dataclass
class Result:
    out: str
    err: str
    failed: bool
    status: int


class Shell:
    """A CfShell whose stdout is a StringIO, driven one line at a time (see module doc)."""

    def __init__(self, app: CfShell, capsys: pytest.CaptureFixture[str]) -> None:
        self.app = app
        self.session = app.session
        self._capsys = capsys

    def run(self, line: str) -> Result:
        self._capsys.readouterr()
        self.app.stdout.seek(0)
        self.app.stdout.truncate()
        _, failure = self.app.run_line(line)
        captured = self._capsys.readouterr()
        out = self.app.stdout.getvalue() + captured.out
        return Result(out, captured.err, failure is not None, failure.status if failure else 0)

    def ok(self, line: str) -> str:
        """Run `line`, assert it succeeded, return its output."""
        result = self.run(line)
        assert not result.failed, f"{line!r} failed: {result.err}"
        return result.out

    @property
    def cf(self):
        return self.session.client("cloudfront")

    @property
    def s3(self):
        return self.session.client("s3")

    def close(self) -> None:
        self.session.close()


MakeShell = Callable[..., Shell]


def new_app(
    *,
    command_sets: tuple[type, ...] = (),
    history_file: str = "",
    poll_interval: float = 0.05,
    **session_kwargs: Any,
) -> Any:
    """The one way tests build a cfshell app (a CfShell with its Session): the simulator with
    short deploys unless `endpoint_url` or `simulate=False` says otherwise, `command_sets`
    added after the default ones. Fixtures wrap it; a test that cannot take a function-scoped
    fixture (a hypothesis property) calls it directly."""
    # Imported here, not at collection: tests of the simulator alone do not load the shell.
    from cfshell.app import CfShell
    from cfshell.commands import default_command_sets
    from cfshell.session import Session

    if not session_kwargs.get("endpoint_url"):
        session_kwargs.setdefault("simulate", True)
    if session_kwargs.get("simulate"):
        session_kwargs.setdefault("deploy_seconds", 0.2)
    session = Session(**session_kwargs)
    session.poll_interval = poll_interval
    sets = None
    if command_sets:
        sets = [*default_command_sets(session), *(cls(session) for cls in command_sets)]
    return CfShell(
        session, stdout=io.StringIO(), command_sets=sets, persistent_history_file=history_file
    )


@pytest.fixture
def make_shell(capsys, monkeypatch) -> Iterator[MakeShell]:
    """A factory of Shells (see module doc); the developer's AWS profile is out of the way."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    made: list[Shell] = []

    def make(
        *, command_sets: tuple[type, ...] = (), history_file: str = "", **session_kwargs: Any
    ) -> Shell:
        app = new_app(command_sets=command_sets, history_file=history_file, **session_kwargs)
        shell = Shell(app, capsys)
        made.append(shell)
        return shell

    try:
        yield make
    finally:
        for shell in made:
            shell.close()


@pytest.fixture
def shell(make_shell: MakeShell) -> Shell:
    return make_shell()


@pytest.fixture
def stage(shell: Shell) -> Shell:
    """The seed's stage: bucket my-video-bucket (ACLs enabled, for the seed's ACL grants) with
    a few objects."""
    shell.ok(f"sim bucket create {BUCKET} --acls-enabled")
    shell.ok(f"sim object put {BUCKET} videos/intro.mp4 --size 64")
    shell.ok(f"sim object put {BUCKET} videos/lesson.mp4 --count 3")
    shell.ok("clear")
    return shell
