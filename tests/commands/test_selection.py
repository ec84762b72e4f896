"""`use`, `context`, `clear` (cfshell.commands.selection), and the prompt showing the selection."""

from __future__ import annotations

import json


def test_use_selects_and_prompt_shows_it(shell):
    shell.ok("use streaming E2QWRUHAPOMQZL")
    shell.ok("use bucket my-video-bucket.s3.amazonaws.com")
    assert shell.session.context.get("streaming") == "E2QWRUHAPOMQZL"
    assert shell.session.context.get("bucket") == "my-video-bucket"
    assert "streaming:E2QWRUHAPOMQZL" in shell.app.prompt
    assert "bucket:my-video-bucket" in shell.app.prompt


def test_context_lists_the_selection_and_the_mode(shell):
    assert "nothing selected" in shell.ok("context")
    shell.ok("use oai E2QWRUHAPOMQZL")
    out = shell.ok("context")
    assert "simulator" in out and "oai" in out and "E2QWRUHAPOMQZL" in out
    data = json.loads(shell.ok("context --output json"))
    assert data["Mode"] == "simulator" and data["Selected"] == {"oai": "E2QWRUHAPOMQZL"}


def test_clear_one_kind_or_all(shell):
    shell.ok("use oai E2QWRUHAPOMQZL")
    shell.ok("use streaming E3QWRUHAPOMQZL")
    shell.ok("clear oai")
    assert shell.session.context.as_dict() == {"streaming": "E3QWRUHAPOMQZL"}
    shell.ok("clear")
    assert shell.session.context.as_dict() == {}
    assert shell.app.prompt == "cfshell[sim]> "


def test_selected_id_is_the_default_and_an_explicit_id_wins(stage):
    stage.ok("streaming create my-video-bucket -m first")
    first = stage.session.context.get("streaming")
    stage.ok("streaming create my-video-bucket -m second")
    second = stage.session.context.get("streaming")
    assert "second" in stage.ok("streaming get")
    assert "first" in stage.ok(f"streaming get {first}")
    stage.ok(f"use streaming {first}")
    assert "first" in stage.ok("streaming get")
    assert second != first


def test_context_needs_no_aws_call(shell):
    shell.ok("context")
    assert not shell.session.simulation_started
