"""Drive real cfshell commands through the app against the in-process simulator.

`shell.run("streaming get")` runs one line as a user would type it and returns what was printed
and whether the command failed; `shell.cf` / `shell.s3` are plain boto3 clients on the same
simulator, for reading state back.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from cfshell.app import CfShell
from cfshell.session import Session

BUCKET = "my-video-bucket"


@dataclass
class Result:
    out: str
    err: str
    failed: bool
    status: int


class Shell:
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


@pytest.fixture
def shell(capsys, monkeypatch):
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    session = Session(simulate=True, deploy_seconds=0.2)
    session.poll_interval = 0.05
    app = CfShell(session, stdout=io.StringIO())
    try:
        yield Shell(app, capsys)
    finally:
        session.close()


@pytest.fixture
def stage(shell):
    """The seed's stage: bucket my-video-bucket with a few objects."""
    shell.ok(f"sim bucket create {BUCKET}")
    shell.ok(f"sim object put {BUCKET} videos/intro.mp4 --size 64")
    shell.ok(f"sim object put {BUCKET} videos/lesson.mp4 --count 3")
    shell.ok("clear")
    return shell
