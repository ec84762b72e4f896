"""`streaming ...` driven through the app; state read back with boto3."""

from __future__ import annotations

import json

from .conftest import BUCKET


def _create(shell, extra: str = "") -> str:
    shell.ok(f"streaming create {BUCKET} {extra}")
    return shell.session.context.get("streaming")


def test_create_selects_and_stores_the_config(stage):
    out = stage.ok(
        f"streaming create {BUCKET}.s3.amazonaws.com --cname cf.example.com -m 'training videos'"
    )
    dist_id = stage.session.context.get("streaming")
    assert dist_id and dist_id in out and "InProgress" in out
    config = stage.cf.get_streaming_distribution_config(Id=dist_id)["StreamingDistributionConfig"]
    assert config["S3Origin"]["DomainName"] == f"{BUCKET}.s3.amazonaws.com"
    assert config["Aliases"]["Items"] == ["cf.example.com"]
    assert config["Comment"] == "training videos"
    assert config["Enabled"] is True
    assert stage.app.prompt.startswith("cfshell[sim]") and dist_id in stage.app.prompt


def test_create_with_selected_oai_signers_and_disabled(stage):
    stage.ok("oai create reader")
    oai_id = stage.session.context.get("oai")
    dist_id = _create(
        stage, "--oai --trusted-signer self --trusted-signer 1234-5678-9012 --disabled"
    )
    config = stage.cf.get_streaming_distribution_config(Id=dist_id)["StreamingDistributionConfig"]
    assert (
        config["S3Origin"]["OriginAccessIdentity"] == f"origin-access-identity/cloudfront/{oai_id}"
    )
    assert config["TrustedSigners"] == {
        "Enabled": True,
        "Quantity": 2,
        "Items": ["self", "123456789012"],
    }
    assert config["Enabled"] is False


def test_get_shows_everything_the_old_get_showed(stage):
    stage.ok("oai create reader")
    dist_id = _create(stage, "--cname cf.example.com -m hello --oai --trusted-signer self")
    etag = stage.cf.get_streaming_distribution(Id=dist_id)["ETag"]
    out = stage.ok("streaming get")
    # Labelled with the keys --query names (the JSON's), not friendlier names.
    for label in (
        "Id",
        "ETag",
        "Status",
        "Enabled",
        "DomainName",
        "Origin",
        "CNAMEs",
        "Comment",
        "OriginAccessIdentity",
        "TrustedSigners",
        "ActiveSigners",
        "LastModifiedTime",
    ):
        assert label in out
    assert dist_id in out and etag in out and "cf.example.com" in out and "hello" in out
    assert stage.session.context.get("oai") in out


def test_get_json_and_query(stage):
    dist_id = _create(stage, "--cname a.example.com")
    data = json.loads(stage.ok(f"streaming get {dist_id} --output json"))
    assert data["Id"] == dist_id and data["CNAMEs"] == ["a.example.com"]
    assert data["ETag"] == stage.cf.get_streaming_distribution(Id=dist_id)["ETag"]
    assert json.loads(stage.ok("streaming get --output json --query CNAMEs")) == ["a.example.com"]
    assert stage.ok("streaming get --query Origin").strip() == f"{BUCKET}.s3.amazonaws.com"
    stage.ok("set output json")
    assert json.loads(stage.ok("streaming list"))[0]["Id"] == dist_id


def test_list_shows_each_distribution(stage):
    first = _create(stage, "-m first")
    second = _create(stage, "-m second")
    out = stage.ok("streaming list")
    assert first in out and second in out and "first" in out and "second" in out
    ids = json.loads(stage.ok("streaming list --output json --query '[].Id'"))
    assert sorted(ids) == sorted([first, second])


def test_modify_the_seed_steps_with_no_ids_typed(stage):
    dist_id = _create(stage, "--cname cf.example.com")
    stage.ok("oai create seed reader")
    oai_id = stage.session.context.get("oai")
    out = stage.ok("streaming modify --oai")
    assert oai_id in out
    stage.ok("streaming modify --trusted-signer self")
    config = stage.cf.get_streaming_distribution_config(Id=dist_id)["StreamingDistributionConfig"]
    assert config["S3Origin"]["OriginAccessIdentity"].endswith(oai_id)
    assert config["TrustedSigners"]["Items"] == ["self"]
    assert config["Aliases"]["Items"] == ["cf.example.com"]


def test_modify_each_option(stage):
    dist_id = _create(stage, "--cname a.example.com")

    def config():
        return stage.cf.get_streaming_distribution_config(Id=dist_id)["StreamingDistributionConfig"]

    stage.ok("streaming modify -m 'new comment' --disable")
    assert config()["Comment"] == "new comment" and config()["Enabled"] is False
    stage.ok("streaming modify --enable")
    assert config()["Enabled"] is True
    stage.ok("streaming modify --add-cname b.example.com")
    assert config()["Aliases"]["Items"] == ["a.example.com", "b.example.com"]
    stage.ok("streaming modify --remove-cname a.example.com")
    assert config()["Aliases"]["Items"] == ["b.example.com"]
    stage.ok("streaming modify --cname x.example.com --cname y.example.com")
    assert config()["Aliases"]["Items"] == ["x.example.com", "y.example.com"]
    stage.ok("oai create other")
    oai_id = stage.session.context.get("oai")
    stage.ok(f"streaming modify {dist_id} --oai {oai_id}")
    assert (
        config()["S3Origin"]["OriginAccessIdentity"]
        == f"origin-access-identity/cloudfront/{oai_id}"
    )
    stage.ok("streaming modify --no-oai")
    assert config()["S3Origin"]["OriginAccessIdentity"] == ""
    stage.ok("streaming modify -t self -t 111122223333")
    assert config()["TrustedSigners"]["Items"] == ["self", "111122223333"]
    stage.ok("streaming modify --no-trusted-signers")
    assert config()["TrustedSigners"] == {"Enabled": False, "Quantity": 0}


def test_modify_reports_what_changed_and_goes_back_in_progress(stage):
    _create(stage)
    stage.ok("streaming wait")
    out = stage.ok("streaming modify -m changed")
    assert "comment" in out and "changed" in out and "InProgress" in out


def test_wait_shows_elapsed_time_and_status(stage):
    dist_id = _create(stage)
    out = stage.ok("streaming wait")
    assert "InProgress" in out and "Deployed" in out and "s]" in out
    status = stage.cf.get_streaming_distribution(Id=dist_id)["StreamingDistribution"]["Status"]
    assert status == "Deployed"


def test_wait_times_out_with_a_clear_error(stage):
    stage.ok("sim deploy-delay 30")
    _create(stage)
    result = stage.run("streaming wait --timeout 0.2")
    assert result.failed and "still InProgress" in result.err and "--timeout" in result.err


def test_wait_uses_the_wait_timeout_setting(stage):
    stage.ok("sim deploy-delay 30")
    _create(stage)
    stage.ok("set wait_timeout 0.2")
    result = stage.run("streaming wait")
    assert result.failed and "still InProgress" in result.err


def test_delete_needs_yes_outside_a_terminal_and_changes_nothing(stage):
    dist_id = _create(stage, "--disabled")
    stage.ok("streaming wait")  # deletable: still deploying is refused before the prompt
    result = stage.run("streaming delete")
    assert result.failed and "--yes" in result.err
    assert stage.cf.get_streaming_distribution(Id=dist_id)


def test_delete_fetches_the_etag(stage):
    dist_id = _create(stage, "--disabled")
    stage.ok("streaming wait")
    out = stage.ok("streaming delete --yes")
    assert f"deleted streaming distribution {dist_id}" in out
    items = stage.cf.list_streaming_distributions()["StreamingDistributionList"].get("Items", [])
    assert items == []
    assert stage.session.context.get("streaming") is None


def test_delete_with_a_stale_etag_says_what_to_do(stage):
    dist_id = _create(stage, "--disabled")
    stale = stage.cf.get_streaming_distribution(Id=dist_id)["ETag"]
    stage.ok("streaming modify -m touched")
    stage.ok("streaming wait")
    result = stage.run(f"streaming delete {dist_id} {stale} --yes")
    assert result.failed and "ETag" in result.err
    assert stage.cf.get_streaming_distribution(Id=dist_id)


def test_delete_of_an_enabled_distribution_points_to_force(stage):
    _create(stage)
    result = stage.run("streaming delete --yes")
    assert result.failed and "--force" in result.err and "disable" in result.err


def test_delete_force_disables_waits_and_deletes_reporting_each_step(stage):
    dist_id = _create(stage)
    out = stage.ok("streaming delete --force --yes")
    assert f"disabled {dist_id}" in out
    assert "Deployed" in out
    assert f"deleted streaming distribution {dist_id}" in out
    assert out.index("disabled") < out.index("Deployed") < out.index("deleted")
    assert not stage.cf.list_streaming_distributions()["StreamingDistributionList"].get("Items")


def test_delete_force_that_fails_says_what_it_changed(stage):
    stage.ok("sim deploy-delay 30")
    dist_id = _create(stage)
    stage.ok("set wait_timeout 0.2")
    result = stage.run("streaming delete --force --yes")
    assert result.failed
    assert "already done" in result.err and f"disabled {dist_id}" in result.err
    config = stage.cf.get_streaming_distribution_config(Id=dist_id)["StreamingDistributionConfig"]
    assert config["Enabled"] is False


def test_wait_polls_once_more_at_the_timeout_instead_of_giving_up_early(stage):
    # Polls 1 s apart (as against AWS, 5 s apart) and a timeout shorter than that: the wait
    # must still last until the timeout, not stop after the first poll.
    stage.ok("sim deploy-delay 0.3")
    _create(stage)
    stage.session.poll_interval = 1.0
    out = stage.ok("streaming wait --timeout 0.6")
    assert "is Deployed" in out


def test_delete_force_stopped_by_ctrl_c_while_waiting_says_what_it_changed(stage, monkeypatch):
    import time

    stage.ok("sim deploy-delay 30")
    dist_id = _create(stage)

    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", interrupted)
    result = stage.run("streaming delete --force --yes")
    monkeypatch.undo()
    assert result.failed and result.status == 130
    assert f"already done: disabled {dist_id}" in result.err
    # The disable happened: the message must not also claim that nothing changed.
    assert "nothing was changed" not in result.err
    config = stage.cf.get_streaming_distribution_config(Id=dist_id)["StreamingDistributionConfig"]
    assert config["Enabled"] is False
