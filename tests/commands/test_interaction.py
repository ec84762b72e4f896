"""Confirmation at a terminal, and Ctrl-C ending a wait but not the shell."""

from __future__ import annotations

import time

import pytest

from cfshell.commands import base

from .conftest import BUCKET


@pytest.fixture
def at_terminal(stage, monkeypatch):
    stage.session.interactive = True
    monkeypatch.setattr(base, "_stdin_is_tty", lambda cmd: True)
    answers: list[str] = []
    prompts: list[str] = []

    def read_input(prompt: str = "", **kwargs):
        prompts.append(prompt)
        return answers.pop(0)

    monkeypatch.setattr(stage.app, "read_input", read_input)
    stage.answers, stage.prompts = answers, prompts
    return stage


def test_declining_changes_nothing(at_terminal):
    shell = at_terminal
    shell.ok("oai create keep me")
    oai_id = shell.session.context.get("oai")
    shell.answers.append("n")
    result = shell.run("oai delete")
    assert result.failed and "cancelled" in result.err
    assert f"delete origin access identity {oai_id}" in shell.prompts[0]
    assert shell.cf.get_cloud_front_origin_access_identity(Id=oai_id)


def test_agreeing_deletes(at_terminal):
    shell = at_terminal
    shell.ok("oai create delete me")
    shell.answers.append("y")
    shell.ok("oai delete")
    assert not shell.cf.list_cloud_front_origin_access_identities()[
        "CloudFrontOriginAccessIdentityList"
    ].get("Items")


def test_ctrl_c_ends_the_wait_not_the_shell(stage, monkeypatch):
    stage.ok("sim deploy-delay 30")
    stage.ok(f"streaming create {BUCKET}")

    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", interrupted)
    result = stage.run("streaming wait")
    monkeypatch.undo()
    assert result.failed and "stopped waiting" in result.err and "InProgress" in result.err
    assert "InProgress" in stage.ok("streaming get")
