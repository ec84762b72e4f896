"""Completion of live names: streaming and OAI IDs (with domain/comment shown), buckets, and the
current CNAMEs for --remove-cname."""

from __future__ import annotations

from .conftest import BUCKET


def complete(shell, line: str):
    text = line.split(" ")[-1]
    return shell.app.complete(text, line, len(line) - len(text), len(line))


def test_streaming_ids_complete_with_domain_and_comment(stage):
    stage.ok(f"streaming create {BUCKET} -m 'first one'")
    dist_id = stage.session.context.get("streaming")
    domain = stage.session.context.label("streaming")
    result = complete(stage, "streaming get ")
    items = {item.text: item for item in result}
    assert dist_id in items
    assert domain in items[dist_id].display_meta and "first one" in items[dist_id].display_meta
    assert [i.text for i in complete(stage, f"streaming get {dist_id[:3]}")] == [dist_id]


def test_oai_ids_complete_with_comment_for_oai_and_streaming_option(stage):
    stage.ok("oai create reader of videos")
    oai_id = stage.session.context.get("oai")
    items = {i.text: i for i in complete(stage, "oai get ")}
    assert "reader of videos" in items[oai_id].display_meta
    assert oai_id in [i.text for i in complete(stage, "streaming modify --oai ")]


def test_bucket_names_complete(stage):
    stage.ok("sim bucket create other-bucket")
    texts = [i.text for i in complete(stage, "streaming create ")]
    assert sorted(texts) == sorted([BUCKET, "other-bucket"])
    assert [i.text for i in complete(stage, "streaming create oth")] == ["other-bucket"]


def test_remove_cname_completes_the_current_cnames(stage):
    stage.ok(f"streaming create {BUCKET} --cname a.example.com --cname b.example.com")
    texts = sorted(i.text for i in complete(stage, "streaming modify --remove-cname "))
    assert texts == ["a.example.com", "b.example.com"]


def test_completion_failure_is_a_hint_not_a_crash(stage):
    stage.ok("sim faults --fault-rate 1")
    try:
        result = complete(stage, "streaming get ")
    finally:
        stage.ok("sim faults --fault-rate 0")
    assert len(result) == 0 and "throttled" in result.error


# --- the history suggestion (the grey rest of a line; tests/test_pty.py types it for real) ---


def _suggest(shell, typed: str) -> str | None:
    from prompt_toolkit.buffer import Buffer
    from prompt_toolkit.document import Document
    from prompt_toolkit.history import InMemoryHistory

    history = InMemoryHistory()
    for item in shell.app.history:
        history.append_string(item.raw)
    for line in shell.typed:
        history.append_string(line)  # prompt_toolkit keeps every accepted line, even unknown ones
    suggestion = shell.app.main_session.auto_suggest.get_suggestion(
        Buffer(history=history), Document(typed)
    )
    return suggestion.text if suggestion else None


def test_history_suggestion_skips_failed_lines_until_they_succeed(stage):
    stage.typed = []
    stage.ok(f"streaming create {BUCKET} -m one --no-select")
    dist_id = stage.ok("streaming list --output json --query '[0].Id'").strip().strip('"')
    stage.ok(f"streaming get {dist_id}")
    assert stage.run("streaming get EBADBADBADBAD1").failed
    assert _suggest(stage, "streaming g") == f"et {dist_id}"
    assert _suggest(stage, "streaming get EB") is None
    stage.typed.append("strem list")
    assert stage.run("strem list").failed
    assert _suggest(stage, "stre") == f"aming get {dist_id}"
    # The same line succeeding later is suggested again.
    stage.ok(f"use streaming {dist_id}")
    assert not stage.run("streaming get").failed
    assert _suggest(stage, "streaming g") == "et"


def test_failed_commands_are_not_kept_in_the_history_file(stage, make_shell, tmp_path):
    path = tmp_path / "history"
    first = make_shell(history_file=str(path))
    first.ok("context")
    assert first.run("streaming get EBADBADBADBAD1").failed
    assert first.run("streaming lsit").failed
    first.ok("oai list")
    # This session still lists it (to fix it with the up arrow or `history -e`).
    assert "streaming get EBADBADBADBAD1" in first.ok("history")
    first.app._persist_history()
    second = make_shell(history_file=str(path))
    kept = "\n".join(item.raw for item in second.app.history)
    assert kept == "context\noai list"
    assert "EBADBADBADBAD1" not in kept and "lsit" not in kept
    assert _suggest_in(second, "streaming") is None


def _suggest_in(shell, typed: str) -> str | None:
    shell.typed = []
    return _suggest(shell, typed)
