"""`oac ...` through the app, state read back with boto3."""

from __future__ import annotations

import json

from .conftest import BUCKET


def test_crud(shell):
    out = shell.ok("oac create video-oac -m 'private videos'")
    oac_id = shell.session.context.get("oac")
    assert f"created origin access control {oac_id}" in out
    assert "video-oac" in shell.ok("oac list")
    record = json.loads(shell.ok("oac get --output json"))
    assert record["Description"] == "private videos" and record["SigningBehavior"] == "always"
    shell.ok("oac modify --name renamed --signing no-override")
    config = shell.cf.get_origin_access_control(Id=oac_id)["OriginAccessControl"][
        "OriginAccessControlConfig"
    ]
    assert (config["Name"], config["SigningBehavior"]) == ("renamed", "no-override")
    out = shell.ok("oac modify -m 'signed videos only'")
    assert f"modified origin access control {oac_id}:" in out
    assert "description signed videos only" in out
    assert (
        shell.cf.get_origin_access_control(Id=oac_id)["OriginAccessControl"][
            "OriginAccessControlConfig"
        ]["Description"]
        == "signed videos only"
    )
    assert shell.run("oac modify").failed
    assert shell.run("oac delete").failed  # needs --yes in a script
    shell.ok("oac delete --yes")
    assert shell.cf.list_origin_access_controls()["OriginAccessControlList"].get("Items") in (
        None,
        [],
    )
    assert shell.session.context.get("oac") is None


def test_delete_in_use_is_refused(stage):
    stage.ok(f"distribution create {BUCKET}")
    result = stage.run("oac delete --yes")
    assert result.failed and "still used" in result.err


def test_grant_merges_keeps_others_and_is_idempotent(stage):
    keep = {
        "Sid": "KeepMe",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:DeleteObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    stage.s3.put_bucket_policy(
        Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [keep]})
    )
    stage.ok(f"distribution create {BUCKET}")
    arn = stage.cf.get_distribution(Id=stage.session.context.get("distribution"))["Distribution"][
        "ARN"
    ]
    assert "merged into the policy" in stage.ok(f"oac grant {BUCKET}")
    assert "nothing changed" in stage.ok(f"oac grant {BUCKET}")
    statements = json.loads(stage.s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"]
    assert statements[0] == keep
    assert statements[1]["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert statements[1]["Condition"]["StringEquals"]["AWS:SourceArn"] == arn


def test_grant_without_distribution_says_what_to_do(shell):
    shell.ok(f"sim bucket create {BUCKET}")
    shell.ok("oac create lonely")
    result = shell.run(f"oac grant {BUCKET}")
    assert result.failed and "distribution create" in result.err
