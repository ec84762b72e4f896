"""Day two end to end, under simulated traffic: a distribution set up the seed's way (OAI, trusted
signers with a key pair from `sim key-pair create`) migrates to OAC and a key group, then
rotates its key, with no viewer refused; `key retire` refuses while URLs may still be valid."""

from __future__ import annotations

import re

import pytest

from .conftest import Shell
from .test_key_pairs import create_key_pair, sign, trust_signers
from .test_migrate_oac import seed_site

REQUESTS = re.compile(r"(\d+) requests")


def traffic(shell: Shell, url: str) -> None:
    shell.ok(f"sim traffic '{url}' --rate 40 --duration 60")


def stop_traffic(shell: Shell, minimum: int = 10) -> str:
    stopped = shell.run("sim traffic stop")
    assert not stopped.failed, stopped.out
    assert " 403 " not in stopped.out
    assert int(REQUESTS.search(stopped.out).group(1)) >= minimum  # the viewers were there
    return stopped.out


def test_seed_setup_migrates_with_no_viewer_refused(shell: Shell):
    site = seed_site(shell)
    key_pair = create_key_pair(shell)
    trust_signers(shell, site["dist"])
    old_url = sign(shell, site["url"], key_pair)
    shell.ok("sim deploy-delay 1")

    traffic(shell, old_url)
    oac = shell.ok(f"migrate oac {site['dist']} --yes")
    assert "the edge served /videos/intro.mp4" in oac  # signed with the key pair, verified
    # The key group is trusted next to the signers and Deployed before its URLs go out.
    kept = shell.ok(f"migrate key-group {site['dist']} --keep-signers")
    assert "left    trusted signers kept (--keep-signers)" in kept
    assert key_pair in kept
    stop_traffic(shell)

    new_url = shell.ok(f"sign url {site['url']} --expires 1h").strip()
    new_key = re.search(r"Key-Pair-Id=(\w+)", new_url).group(1)
    assert new_key != key_pair and new_key.startswith("K")
    traffic(shell, new_url)
    removed = shell.ok(f"migrate key-group {site['dist']}")
    assert "already key group" in removed
    assert f"URLs and cookies signed with key pair {key_pair} (trusted signer self)" in removed
    assert "would have expired by" in removed
    assert "done    remove the trusted signers" in removed
    stop_traffic(shell)

    # The key pair's URLs stop working now, as the command said.
    refused = shell.run(f"sim get '{old_url}'")
    assert refused.out.startswith("403 InvalidKey: Unknown Key")
    assert shell.run(f"sim get '{new_url}'").out.startswith("200 OK")
    config = shell.cf.get_distribution_config(Id=site["dist"])["DistributionConfig"]
    behavior = config["DefaultCacheBehavior"]
    assert behavior["TrustedSigners"]["Quantity"] == 0
    assert behavior["TrustedKeyGroups"]["Quantity"] == 1
    assert config["Origins"]["Items"][0]["OriginAccessControlId"]


def test_key_rotate_under_traffic_and_retire_refused(shell: Shell):
    shell.ok("sim bucket create rotating-videos")
    shell.ok("sim object put rotating-videos videos/intro.mp4 --size 64")
    shell.ok("key generate viewers")
    shell.ok("distribution create rotating-videos --private")
    shell.ok("oac grant rotating-videos")
    shell.ok("distribution wait")
    old_key = shell.session.context.get("key")
    group = shell.session.context.get("key-group")
    old_url = shell.ok("sign url /videos/intro.mp4 --expires 1h").strip()
    assert f"Key-Pair-Id={old_key}" in old_url
    shell.ok("sim deploy-delay 1")

    traffic(shell, old_url)
    out = shell.ok(f"key rotate {group} --url-lifetime 2h")
    assert f"mark public key {old_key} to retire" in out
    new_key = shell.session.context.get("key")
    assert new_key != old_key
    new_url = shell.ok("sign url /videos/intro.mp4 --expires 1h").strip()
    assert f"Key-Pair-Id={new_key}" in new_url
    assert shell.run(f"sim get '{new_url}'").out.startswith("200 OK")
    stop_traffic(shell, minimum=1)  # no deployment to wait for: a key group change is quick

    refused = shell.run(f"key retire {old_key}")
    assert refused.failed
    assert f"URLs signed with public key {old_key} may be valid until" in refused.err
    assert "(in 2h)" in refused.err
    assert shell.run(f"sim get '{old_url}'").out.startswith("200 OK")  # still in the group

    never = shell.run(f"key retire {new_key}")
    assert never.failed and "was never rotated out" in never.err

    shell.ok("sim clock advance 2h")
    retired = shell.ok(f"key retire {old_key}")
    assert f"done    remove public key {old_key} from key group viewers" in retired
    group_keys = shell.cf.get_key_group(Id=group)["KeyGroup"]["KeyGroupConfig"]["Items"]
    assert group_keys == [new_key]


def _key_group_world(shell: Shell, dist_id: str) -> dict:
    config = shell.cf.get_distribution_config(Id=dist_id)["DistributionConfig"]
    behavior = config["DefaultCacheBehavior"]
    groups = {
        g["KeyGroup"]["Id"]: g["KeyGroup"]["KeyGroupConfig"]
        for g in shell.cf.list_key_groups()["KeyGroupList"].get("Items", [])
    }
    trusted = behavior["TrustedKeyGroups"].get("Items", [])
    return {
        "signers": behavior["TrustedSigners"].get("Items", []),
        "trusted": [groups[g]["Name"].replace(dist_id, "DIST") for g in trusted],
        "keys_in_group": [len(groups[g]["Items"]) for g in trusted],
        "groups": sorted(c["Name"].replace(dist_id, "DIST") for c in groups.values()),
        "status": shell.cf.get_distribution(Id=dist_id)["Distribution"]["Status"],
    }


@pytest.mark.parametrize("step", ["generate-key", "trust-key-group", "remove-signers"])
def test_interrupted_key_group_migration_rerun_ends_as_uninterrupted(make_shell, monkeypatch, step):
    from cfshell.aws import migration

    from .test_migrate_oac import Stopped

    def staged(shell: Shell, bucket: str) -> dict:
        site = seed_site(shell, bucket)
        create_key_pair(shell)
        trust_signers(shell, site["dist"])
        return site

    reference = make_shell()
    site = staged(reference, "reference-videos")
    reference.ok(f"migrate key-group {site['dist']}")
    expected = _key_group_world(reference, site["dist"])
    reference.close()

    shell = make_shell()
    site = staged(shell, "stopped-videos")
    original = migration.Steps.do

    def failing(self, name, text, action):
        if name == step:
            raise Stopped(f"simulated failure before {name}")
        return original(self, name, text, action)

    monkeypatch.setattr(migration.Steps, "do", failing)
    assert shell.run(f"migrate key-group {site['dist']}").failed
    shell.ok("distribution wait")
    url = sign(shell, site["url"], shell.session.context.get("key"))
    assert shell.run(f"sim get '{url}'").out.startswith("200 OK")  # still served
    monkeypatch.setattr(migration.Steps, "do", original)
    shell.ok(f"migrate key-group {site['dist']}")
    assert _key_group_world(shell, site["dist"]) == expected
