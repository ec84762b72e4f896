"""`migrate oac` under simulated traffic: no viewer refused in the safe order, 403s in the unsafe
one done by hand; a dry run writes nothing; a migration stopped at any step and run again ends
as an uninterrupted one; `--disable-acls` scans and refuses when others would lose access."""

from __future__ import annotations

import json
import re

import pytest

from cfshell.aws import migration
from cfshell.errors import CfShellError

from .conftest import Shell

BUCKET = "seed-videos"
SIGNED_URL = re.compile(r"^https://\S+\?\S*Signature=\S+$", re.M)


def seed_site(shell: Shell, bucket: str = BUCKET) -> dict[str, str]:
    """The seed's set-up on a web distribution: an OAI granted in the bucket policy, a bucket
    with ACLs enabled; Deployed."""
    shell.ok(f"sim bucket create {bucket} --acls-enabled")
    shell.ok(f"sim object put {bucket} videos/intro.mp4 --size 64")
    shell.ok(f'oai create "reads {bucket}"')
    shell.ok(f"distribution create {bucket} --oai")
    shell.ok(f"oai grant {bucket}")
    shell.ok("distribution wait")
    dist_id = shell.session.context.get("distribution")
    oai_id = shell.session.context.get("oai")
    dist = shell.cf.get_distribution(Id=dist_id)["Distribution"]
    return {
        "dist": dist_id,
        "oai": oai_id,
        "url": f"https://{dist['DomainName']}/videos/intro.mp4",
        "bucket": bucket,
    }


def world(shell: Shell, site: dict[str, str]) -> dict:
    """What a migration leaves, with IDs replaced by what they are."""
    cf, s3 = shell.cf, shell.s3
    config = cf.get_distribution_config(Id=site["dist"])["DistributionConfig"]
    origin = config["Origins"]["Items"][0]
    oacs = {
        o["Id"]: o["Name"]
        for o in cf.list_origin_access_controls()["OriginAccessControlList"].get("Items", [])
    }
    try:
        policy = json.loads(s3.get_bucket_policy(Bucket=site["bucket"])["Policy"])
    except s3.exceptions.ClientError:
        policy = {"Statement": []}
    statements = []
    for statement in policy["Statement"]:
        text = json.dumps(statement, sort_keys=True)
        text = text.replace(site["dist"], "DIST").replace(site["oai"], "OAI")
        text = text.replace(site["bucket"], "BUCKET")
        for oac_id in oacs:
            text = text.replace(oac_id, "OAC")
        statements.append(text)
    oais = [
        i["Id"]
        for i in cf.list_cloud_front_origin_access_identities()[
            "CloudFrontOriginAccessIdentityList"
        ].get("Items", [])
    ]
    ownership = s3.get_bucket_ownership_controls(Bucket=site["bucket"])["OwnershipControls"]
    return {
        "origin_oac": oacs.get(origin.get("OriginAccessControlId", ""), "").replace(
            site["bucket"], "BUCKET"
        ),
        "origin_oai": origin["S3OriginConfig"]["OriginAccessIdentity"],
        "statements": sorted(statements),
        "oai_exists": site["oai"] in oais,
        "ownership": ownership["Rules"][0]["ObjectOwnership"],
        "status": cf.get_distribution(Id=site["dist"])["Distribution"]["Status"],
    }


@pytest.fixture
def site(shell: Shell) -> dict[str, str]:
    return seed_site(shell)


def test_migrate_oac_under_traffic_refuses_no_viewer(shell: Shell, site):
    shell.ok("sim deploy-delay 1")
    shell.ok(f"sim traffic {site['url']} --rate 40 --duration 30")
    out = shell.ok(f"migrate oac {site['dist']} --yes")
    stopped = shell.run("sim traffic stop")
    assert not stopped.failed, stopped.out
    requests = int(re.search(r"(\d+) requests", stopped.out).group(1))
    assert requests >= 30  # the viewers were there through the deployment
    assert "403" not in stopped.out
    # Each step said what it did, in the safe order.
    steps = [line.split()[0] for line in out.splitlines() if line[:1].isalpha()]
    assert "done" in steps
    lines = out.splitlines()
    allow = next(i for i, line in enumerate(lines) if "allow CloudFront (OAC" in line)
    switch = next(i for i, line in enumerate(lines) if "switch the S3 origin" in line)
    deployed = next(i for i, line in enumerate(lines) if line.endswith("is Deployed"))
    served = next(i for i, line in enumerate(lines) if "the edge served /videos/intro.mp4" in line)
    removed = next(i for i, line in enumerate(lines) if "remove the statement for OAI" in line)
    assert allow < switch < deployed < served < removed
    assert f"deleted origin access identity {site['oai']}" in out
    after = world(shell, site)
    assert after["origin_oac"].startswith("BUCKET")  # the bucket's own OAC, made for it
    assert after["origin_oai"] == ""
    assert not any("OAI" in s for s in after["statements"])
    assert not after["oai_exists"]
    assert shell.run(f"sim get {site['url']}").out.startswith("200 ")


def test_unsafe_order_by_hand_gives_403s(shell: Shell, site):
    shell.ok("sim deploy-delay 2")
    shell.ok(f"sim traffic {site['url']} --rate 40 --duration 30")
    shell.ok(f"distribution modify {site['dist']} --oac")
    shell.ok(f"oac grant {BUCKET}")
    shell.ok(f"oai revoke {site['oai']} {BUCKET}")  # before the change is Deployed
    shell.ok("distribution wait")
    stopped = shell.run("sim traffic stop")
    assert stopped.failed
    assert re.search(r"^  403 AccessDenied: Access Denied x \d+", stopped.out, re.M), stopped.out
    assert f"origin access identity {site['oai']}" in stopped.out  # the reason, in detail


def test_dry_run_writes_nothing(shell: Shell, site):
    before = world(shell, site)
    out = shell.ok(f"migrate oac {site['dist']} --dry-run --disable-acls")
    assert out.splitlines()[1] == "plan (--dry-run: nothing is written):"
    assert "would   create origin access control" in out
    assert "would   switch the S3 origin" in out
    assert "would   remove the statement for OAI" in out
    assert not [line for line in out.splitlines() if line.startswith("done")]
    assert "read    scanned the ACL of bucket seed-videos and of 1 object" in out
    assert world(shell, site) == before


def test_rerun_after_success_changes_nothing(shell: Shell, site):
    shell.ok(f"migrate oac {site['dist']} --yes")
    first = world(shell, site)
    out = shell.ok(f"migrate oac {site['dist']} --yes")
    assert "already distribution" in out
    assert "would" not in out
    assert world(shell, site) == first


class Stopped(CfShellError):
    """A simulated failure part way through a migration."""


@pytest.mark.parametrize(
    "step", ["create-oac", "allow-oac", "switch-origin", "remove-oai-statement", "disable-acls"]
)
def test_interrupted_migration_rerun_ends_as_uninterrupted(make_shell, monkeypatch, step):
    reference = make_shell()
    site = seed_site(reference, "reference-videos")
    reference.ok(f"migrate oac {site['dist']} --disable-acls --yes")
    expected = world(reference, site)
    reference.close()

    shell = make_shell()
    site = seed_site(shell, "stopped-videos")
    original = migration.Steps.do

    def failing(self, name, text, action):
        if name == step:
            raise Stopped(f"simulated failure before {name}")
        return original(self, name, text, action)

    monkeypatch.setattr(migration.Steps, "do", failing)
    stopped = shell.run(f"migrate oac {site['dist']} --disable-acls --yes")
    assert stopped.failed and f"simulated failure before {step}" in stopped.err
    # Stopped anywhere, the distribution still serves its viewers.
    shell.ok("distribution wait")
    assert shell.run(f"sim get {site['url']}").out.startswith("200 ")
    monkeypatch.setattr(migration.Steps, "do", original)
    shell.ok(f"migrate oac {site['dist']} --disable-acls --yes")
    assert world(shell, site) == expected


def test_disable_acls_refuses_when_others_would_lose_access(shell: Shell, site):
    # Someone else was granted an object by ACL: disabling ACLs would end that.
    acl = shell.s3.get_object_acl(Bucket=BUCKET, Key="videos/intro.mp4")
    other = "f" * 64
    grants = acl["Grants"] + [
        {"Grantee": {"Type": "CanonicalUser", "ID": other}, "Permission": "READ"}
    ]
    shell.s3.put_object_acl(
        Bucket=BUCKET,
        Key="videos/intro.mp4",
        AccessControlPolicy={"Grants": grants, "Owner": acl["Owner"]},
    )
    result = shell.run(f"migrate oac {site['dist']} --disable-acls")
    assert result.failed
    assert f"loses   {other} (1 grant, e.g. videos/intro.mp4 (READ))" in result.out
    assert "1 other grantee would lose ACL-based access" in result.err
    assert world(shell, site)["ownership"] != "BucketOwnerEnforced"
    # The distribution reads through its OAC already, and a rerun with --yes finishes.
    shell.ok(f"migrate oac {site['dist']} --disable-acls --yes")
    assert world(shell, site)["ownership"] == "BucketOwnerEnforced"


def test_scan_limit_bounds_the_scan(shell: Shell, site):
    shell.ok(f"sim object put {BUCKET} clips/c.mp4 --count 5")
    result = shell.run(f"migrate oac {site['dist']} --disable-acls --scan-limit 2")
    assert result.failed
    assert "objects past the first 2 were not scanned" in result.err


def test_all_migrates_every_oai_distribution_and_deletes_a_shared_oai_once_unused(
    shell: Shell, site
):
    # A second distribution reads another bucket through the same OAI.
    shell.ok("sim bucket create second-videos --acls-enabled")
    shell.ok("sim object put second-videos videos/intro.mp4 --size 8")
    shell.ok(f"distribution create second-videos --oai {site['oai']}")
    shell.ok(f"oai grant {site['oai']} second-videos")
    shell.ok("distribution create second-videos --no-select")  # an OAC one: not migrated
    shell.ok("distribution wait")
    out = shell.ok("migrate oac --all --yes")
    assert out.count("from OAI to OAC") == 2
    # Shared, the OAI is deleted only after the second distribution moved.
    assert out.count(f"deleted origin access identity {site['oai']}") == 1
    assert out.rindex("deleted origin access identity") > out.rindex("from OAI to OAC")
    for summary in shell.cf.list_distributions()["DistributionList"]["Items"]:
        config = shell.cf.get_distribution_config(Id=summary["Id"])["DistributionConfig"]
        origin = config["Origins"]["Items"][0]
        assert origin["S3OriginConfig"]["OriginAccessIdentity"] == ""
        assert origin["OriginAccessControlId"]
    assert shell.ok("migrate oac --all").strip() == (
        "no distribution reads through an origin access identity"
    )


def test_oai_granted_by_object_acls_migrates_under_traffic(shell: Shell):
    shell.ok(f"sim bucket create {BUCKET} --acls-enabled")
    shell.ok(f"sim object put {BUCKET} videos/intro.mp4 --size 64")
    shell.ok('oai create "reads by ACL"')
    oai_id = shell.session.context.get("oai")
    shell.ok(f"distribution create {BUCKET} --oai")
    shell.ok(f"oai grant {BUCKET} --acl")  # the seed's per-object grant, no bucket policy
    shell.ok("distribution wait")
    dist_id = shell.session.context.get("distribution")
    domain = shell.cf.get_distribution(Id=dist_id)["Distribution"]["DomainName"]
    shell.ok("sim deploy-delay 1")
    shell.ok(f"sim traffic https://{domain}/videos/intro.mp4 --rate 40 --duration 30")
    out = shell.ok(f"migrate oac {dist_id} --disable-acls --yes")
    stopped = shell.run("sim traffic stop")
    assert not stopped.failed, stopped.out
    assert f"already the policy of bucket {BUCKET} has no statement for OAI {oai_id}" in out
    # The OAI's own ACL grants are not "other grantees": nothing to refuse.
    assert "loses" not in out
    assert f"set Object Ownership of bucket {BUCKET} to BucketOwnerEnforced" in out
    assert shell.run(f"sim get https://{domain}/videos/intro.mp4").out.startswith("200 ")


def test_disabling_acls_before_the_switch_is_deployed_gives_403s(shell: Shell):
    shell.ok(f"sim bucket create {BUCKET} --acls-enabled")
    shell.ok(f"sim object put {BUCKET} videos/intro.mp4 --size 64")
    shell.ok('oai create "reads by ACL"')
    shell.ok(f"distribution create {BUCKET} --oai")
    shell.ok(f"oai grant {BUCKET} --acl")
    shell.ok("distribution wait")
    dist_id = shell.session.context.get("distribution")
    url = f"https://{shell.cf.get_distribution(Id=dist_id)['Distribution']['DomainName']}"
    url += "/videos/intro.mp4"
    assert shell.run(f"sim get {url}").out.startswith("200 ")
    # By hand, in the wrong order: ACLs off while edges still read through the OAI.
    shell.s3.put_bucket_ownership_controls(
        Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    refused = shell.run(f"sim get {url}")
    assert refused.out.startswith("403 AccessDenied: Access Denied")


def test_block_public_makes_a_public_policy_inert_at_the_edge(shell: Shell):
    shell.ok(f"sim bucket create {BUCKET}")
    shell.ok(f"sim object put {BUCKET} videos/intro.mp4 --size 64")
    shell.s3.delete_public_access_block(Bucket=BUCKET)
    public = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    shell.s3.put_bucket_policy(
        Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [public]})
    )
    shell.ok('oai create "reads through the public policy"')
    shell.ok(f"distribution create {BUCKET} --oai")
    shell.ok("distribution wait")
    dist_id = shell.session.context.get("distribution")
    url = f"https://{shell.cf.get_distribution(Id=dist_id)['Distribution']['DomainName']}"
    url += "/videos/intro.mp4"
    assert shell.run(f"sim get {url}").out.startswith("200 ")  # through the public policy
    out = shell.ok(f"migrate block-public {BUCKET}")
    assert out.startswith(f"done    block public access to bucket {BUCKET}")
    assert shell.run(f"sim get {url}").out.startswith("403 AccessDenied")
    assert shell.ok(f"migrate block-public {BUCKET}").startswith("already ")


def test_sim_propagation_sets_the_share_the_edge_serves_the_previous_config(shell: Shell, site):
    assert shell.ok("sim propagation").startswith("while InProgress, 50% of edge requests")
    out = shell.ok("sim propagation --previous-share 1 --seed 3")
    assert out.strip() == (
        "while InProgress, 100% of edge requests get the previous configuration (seed 3)"
    )
    shell.ok("sim deploy-delay 30")
    shell.ok(f"distribution modify {site['dist']} --oac")
    shell.ok(f"oac grant {BUCKET}")
    shell.ok(f"oai revoke {site['oai']} {BUCKET}")
    # Every edge still has the OAI configuration, whose grant is gone.
    assert shell.run(f"sim get {site['url']}").out.startswith("403 AccessDenied")
    shell.ok("sim propagation --previous-share 0")
    assert shell.run(f"sim get {site['url']}").out.startswith("200 ")
    bad = shell.run("sim propagation --previous-share 2")
    assert bad.failed and "previous_share must be between 0 and 1" in bad.err
