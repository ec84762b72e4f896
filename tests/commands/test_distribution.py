"""`distribution ...` through the app, state read back with boto3."""

from __future__ import annotations

import json

from cfshell.aws import distributions as dist
from tests.domains import issued_certificate

from .conftest import BUCKET


def _config(shell, dist_id):
    return shell.cf.get_distribution_config(Id=dist_id)["DistributionConfig"]


def test_create_defaults_and_selection(stage):
    arn = issued_certificate(stage, "cf.example.com")
    out = stage.ok(f"distribution create {BUCKET} --cname cf.example.com -m 'training videos'")
    dist_id = stage.session.context.get("distribution")
    oac_id = stage.session.context.get("oac")
    assert f"created distribution {dist_id}" in out and f"OAC {oac_id}" in out
    config = _config(stage, dist_id)
    behavior = config["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["CachePolicyId"] == dist.CACHING_OPTIMIZED
    assert config["Origins"]["Items"][0]["DomainName"] == f"{BUCKET}.s3.amazonaws.com"
    assert config["Origins"]["Items"][0]["OriginAccessControlId"] == oac_id
    assert config["Aliases"]["Items"] == ["cf.example.com"]
    assert config["ViewerCertificate"]["ACMCertificateArn"] == arn
    assert f"`oac grant {oac_id} {BUCKET}`" in out
    # A second distribution on the bucket reuses the selected OAC.
    stage.ok(f"distribution create {BUCKET}")
    assert len(stage.cf.list_origin_access_controls()["OriginAccessControlList"]["Items"]) == 1


def test_create_selects_the_bucket_oac_it_reuses(stage):
    # In a later session the bucket's OAC exists and nothing is selected: `oac grant BUCKET`
    # (its [ID] left out) must still work after `distribution create`.
    stage.ok(f"distribution create {BUCKET}")
    oac_id = stage.session.context.get("oac")
    stage.ok("clear")
    out = stage.ok(f"distribution create {BUCKET} -m again")
    assert f"OAC {oac_id} (reused and selected)" in out
    assert stage.session.context.get("oac") == oac_id
    assert "CloudFront may read" in stage.ok(f"oac grant {BUCKET}")


def test_create_with_oai_and_options(stage):
    stage.ok("oai create 'legacy'")
    oai_id = stage.session.context.get("oai")
    stage.ok(
        f"distribution create {BUCKET}.s3.amazonaws.com --oai --default-root-object index.html "
        "--price-class 100 --disabled"
    )
    config = _config(stage, stage.session.context.get("distribution"))
    origin = config["Origins"]["Items"][0]
    assert origin["S3OriginConfig"]["OriginAccessIdentity"].endswith(oai_id)
    assert not origin.get("OriginAccessControlId")
    assert config["DefaultRootObject"] == "index.html"
    assert config["PriceClass"] == "PriceClass_100"
    assert config["Enabled"] is False


def test_private_needs_a_key_group(stage):
    result = stage.run(f"distribution create {BUCKET} --private")
    assert result.failed and "key generate" in result.err
    assert stage.cf.list_distributions()["DistributionList"].get("Items", []) == []


def test_create_refuses_a_missing_bucket(shell):
    result = shell.run("distribution create no-such-bucket")
    assert result.failed and "does not exist" in result.err


def test_get_list_json_and_query(stage):
    stage.ok(f"distribution create {BUCKET} -m first")
    dist_id = stage.session.context.get("distribution")
    record = json.loads(stage.ok("distribution get --output json"))
    assert record["Id"] == dist_id and record["Comment"] == "first" and record["ETag"]
    assert stage.ok("distribution list --query '[0].Id' --output json").strip() == f'"{dist_id}"'
    assert dist_id in stage.ok("distribution list")


def test_modify_cnames_state_and_key_groups(stage, tmp_path):
    issued_certificate(stage, "*.example.com")  # covers a. and b.example.com
    stage.ok(f"distribution create {BUCKET} --cname a.example.com")
    dist_id = stage.session.context.get("distribution")
    etag = stage.cf.get_distribution(Id=dist_id)["ETag"]
    out = stage.ok("distribution modify --add-cname b.example.com --remove-cname a.example.com -d")
    assert "CNAMEs a.example.com -> b.example.com" in out and "enabled yes -> no" in out
    config = _config(stage, dist_id)
    assert config["Aliases"]["Items"] == ["b.example.com"] and config["Enabled"] is False
    assert stage.cf.get_distribution(Id=dist_id)["ETag"] != etag
    stage.ok(f"key generate signer --out {tmp_path / 'k.pem'}")
    group = stage.session.context.get("key-group")
    stage.ok("distribution modify --private")
    assert dist.key_group_ids_of(_config(stage, dist_id)) == [group]
    stage.ok("distribution modify --no-key-groups")
    assert dist.key_group_ids_of(_config(stage, dist_id)) == []
    bad = stage.run("distribution modify --remove-cname nope.example.com")
    assert bad.failed and "not a CNAME" in bad.err
    assert stage.run("distribution modify").failed


def test_delete_needs_disabled_then_force(stage):
    stage.ok(f"distribution create {BUCKET}")
    dist_id = stage.session.context.get("distribution")
    result = stage.run("distribution delete --yes")
    assert result.failed and "distribution modify --disable" in result.err
    no_yes = stage.run("distribution delete --force")
    assert no_yes.failed and "--yes" in no_yes.err
    out = stage.ok("distribution delete --force --yes")
    assert (
        f"disabled {dist_id}" in out
        and "Deployed" in out
        and f"deleted distribution {dist_id}" in out
    )
    assert stage.cf.list_distributions()["DistributionList"].get("Items", []) == []
    assert stage.session.context.get("distribution") is None


def test_wait_and_invalidate(stage):
    stage.ok(f"distribution create {BUCKET}")
    dist_id = stage.session.context.get("distribution")
    assert "is Deployed" in stage.ok("distribution wait --timeout 10")
    out = stage.ok(f"distribution invalidate {dist_id} /videos/* index.html --wait")
    assert "/videos/*, /index.html" in out and "after" in out
    listed = stage.cf.list_invalidations(DistributionId=dist_id)["InvalidationList"]
    assert listed["Quantity"] == 1
    assert stage.run("distribution invalidate").failed


def test_unknown_distribution_is_one_sentence(stage):
    result = stage.run("distribution get E2QWRUHAPOMQZL")
    assert result.failed and "distribution list" in result.err
    assert "Traceback" not in result.err


def test_wait_for_an_unknown_distribution_shows_no_empty_progress_line(stage):
    result = stage.run("distribution wait E2QWRUHAPOMQZL --timeout 5")
    assert result.failed and "no distribution E2QWRUHAPOMQZL" in result.err
    assert result.out.strip() == ""


def test_create_with_json_output_prints_json_alone_on_stdout(stage):
    stage.ok("set output json")
    result = stage.run(f"distribution create {BUCKET}")
    assert not result.failed, result.err
    record = json.loads(result.out)  # nothing but the JSON document
    assert record["OriginAccess"].startswith("OAC ")
    assert "`oac grant" in result.err  # the next step is still said, on stderr


def test_unknown_oac_is_named_in_the_error(stage):
    missing = "E1NOSUCHOAC123"
    result = stage.run(f"distribution create {BUCKET} --oac {missing}")
    assert result.failed and f"no origin access control {missing}" in result.err
    stage.ok(f"distribution create {BUCKET}")
    dist_id = stage.session.context.get("distribution")
    result = stage.run(f"distribution modify --oac {missing}")
    assert result.failed and f"no origin access control {missing}" in result.err
    assert dist_id not in result.err
