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
