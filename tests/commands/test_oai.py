"""`oai ...` (grant/revoke are tested with the grants command set)."""

from __future__ import annotations

import json

from .conftest import BUCKET


def test_create_prints_id_location_and_canonical_user_and_selects(shell):
    out = shell.ok("oai create video bucket reader")
    oai_id = shell.session.context.get("oai")
    identity = shell.cf.get_cloud_front_origin_access_identity(Id=oai_id)
    canonical = identity["CloudFrontOriginAccessIdentity"]["S3CanonicalUserId"]
    assert oai_id in out and canonical in out and "location" in out
    config = identity["CloudFrontOriginAccessIdentity"]["CloudFrontOriginAccessIdentityConfig"]
    assert config["Comment"] == "video bucket reader"


def test_get_shows_etag_caller_reference_comment_and_canonical_user(shell):
    shell.ok("oai create reader")
    oai_id = shell.session.context.get("oai")
    response = shell.cf.get_cloud_front_origin_access_identity(Id=oai_id)
    identity = response["CloudFrontOriginAccessIdentity"]
    out = shell.ok("oai get")
    assert oai_id in out and response["ETag"] in out and "reader" in out
    assert identity["S3CanonicalUserId"] in out
    assert identity["CloudFrontOriginAccessIdentityConfig"]["CallerReference"] in out
    assert shell.ok("oai get --query S3CanonicalUserId").strip() == identity["S3CanonicalUserId"]


def test_list(shell):
    shell.ok("oai create one")
    first = shell.session.context.get("oai")
    shell.ok("oai create two")
    second = shell.session.context.get("oai")
    out = shell.ok("oai list")
    assert first in out and second in out and "one" in out and "two" in out
    rows = json.loads(shell.ok("oai list --output json"))
    assert {r["Id"] for r in rows} == {first, second}


def test_modify_changes_the_comment_with_the_current_etag(shell):
    shell.ok("oai create before")
    oai_id = shell.session.context.get("oai")
    shell.ok("oai modify -m after")
    config = shell.cf.get_cloud_front_origin_access_identity_config(Id=oai_id)
    assert config["CloudFrontOriginAccessIdentityConfig"]["Comment"] == "after"


def test_delete_fetches_the_etag_and_clears_the_selection(shell):
    shell.ok("oai create doomed")
    oai_id = shell.session.context.get("oai")
    assert shell.run("oai delete").failed  # not a terminal: needs --yes
    shell.ok("oai delete --yes")
    items = shell.cf.list_cloud_front_origin_access_identities()[
        "CloudFrontOriginAccessIdentityList"
    ]
    assert oai_id not in [i["Id"] for i in items.get("Items", [])]
    assert shell.session.context.get("oai") is None


def test_delete_with_explicit_etag(shell):
    shell.ok("oai create doomed")
    oai_id = shell.session.context.get("oai")
    etag = shell.cf.get_cloud_front_origin_access_identity(Id=oai_id)["ETag"]
    shell.ok(f"oai delete {oai_id} {etag} --yes")
    assert not shell.cf.list_cloud_front_origin_access_identities()[
        "CloudFrontOriginAccessIdentityList"
    ].get("Items")


def test_delete_of_an_oai_in_use_says_to_detach_it(stage):
    stage.ok("oai create in use")
    oai_id = stage.session.context.get("oai")
    stage.ok(f"streaming create {BUCKET} --oai")
    result = stage.run("oai delete --yes")
    assert result.failed and "still used" in result.err and "--no-oai" in result.err
    assert stage.cf.get_cloud_front_origin_access_identity(Id=oai_id)
