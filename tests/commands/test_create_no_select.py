"""`--no-select` on every create of the distribution families and origin access, and what
the service layer reports while those commands run."""

from __future__ import annotations

import json

from cfshell.aws import effects

from .conftest import BUCKET


def _selection(shell):
    return dict(shell.session.context.items())


def test_oai_create_no_select_keeps_the_selection_and_makes_the_oai(shell):
    shell.ok("oai create first")
    first = shell.session.context.get("oai")
    before = _selection(shell)
    out = shell.ok("oai create second --no-select")
    assert _selection(shell) == before
    (made,) = [
        o["Id"]
        for o in shell.cf.list_cloud_front_origin_access_identities()[
            "CloudFrontOriginAccessIdentityList"
        ]["Items"]
        if o["Id"] != first
    ]
    assert f"created origin access identity {made}\n" in out
    assert "(selected)" not in out
    assert shell.ok(f"oai get {made} --output json --query Comment").strip() == '"second"'


def test_oac_create_no_select(shell):
    out = shell.ok("oac create video --no-select")
    (control,) = shell.cf.list_origin_access_controls()["OriginAccessControlList"]["Items"]
    assert out.strip() == f"created origin access control {control['Id']} (video)"
    assert shell.session.context.get("oac") is None
    assert "(selected)" in shell.ok("oac create other")


def test_streaming_create_no_select(stage):
    out = stage.ok(f"streaming create {BUCKET} --no-select")
    (dist,) = stage.cf.list_streaming_distributions()["StreamingDistributionList"]["Items"]
    assert out.startswith(f"created streaming distribution {dist['Id']} on ")
    assert out.rstrip().endswith("status InProgress")
    assert stage.session.context.get("streaming") is None


def test_distribution_create_no_select_selects_neither_it_nor_its_oac(stage):
    out = stage.ok(f"distribution create {BUCKET} --no-select")
    (dist,) = stage.cf.list_distributions()["DistributionList"]["Items"]
    (control,) = stage.cf.list_origin_access_controls()["OriginAccessControlList"]["Items"]
    assert f"created distribution {dist['Id']} on " in out
    assert "(selected)" not in out
    assert f"origin access: OAC {control['Id']} (created)" in out
    assert _selection(stage) == {}


def test_no_select_with_json_output_prints_the_record_alone(shell):
    shell.ok("set output json")
    data = json.loads(shell.ok("oai create x --no-select"))
    assert data["Comment"] == "x" and data["Id"].startswith("E")
    assert shell.session.context.get("oai") is None


# --- effects while commands run ----------------------------------------------------------------


def test_distribution_create_reports_the_oac_it_made_then_the_distribution(stage, tmp_path):
    stage.ok(f"key generate signer --out {tmp_path / 'k.pem'}")
    with effects.collect() as log:
        stage.ok(f"distribution create {BUCKET} --private")
    dist_id = stage.session.context.get("distribution")
    oac_id = stage.session.context.get("oac")
    assert [(e.kind, e.action, e.id) for e in log] == [
        ("oac", "created", oac_id),
        ("distribution", "created", dist_id),
    ]


def test_delete_force_reports_disable_then_delete(stage):
    stage.ok(f"streaming create {BUCKET}")
    dist_id = stage.session.context.get("streaming")
    with effects.collect() as log:
        stage.ok("streaming delete --force --yes")
    assert [(e.kind, e.action, e.id) for e in log] == [
        ("streaming", "modified", dist_id),
        ("streaming", "deleted", dist_id),
    ]
