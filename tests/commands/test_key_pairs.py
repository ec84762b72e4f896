"""`sim key-pair create`: the seed's step 7 (CloudFront key pairs, trusted signers) in the
simulator, and the edge verifying URLs and cookies on behaviours that trust signers."""

from __future__ import annotations

import os
import re
import stat

import pytest

from cfshell import keystore

from .conftest import Shell
from .test_migrate_oac import seed_site

KEY_PAIR = re.compile(r"^created CloudFront key pair (APKA[A-Z0-9]{16}) \(selected\)$", re.M)


def trust_signers(shell: Shell, dist_id: str, signers=("self",), protocol: str = "") -> None:
    """What the seed did with `--trusted-signer self`, on a web distribution (through boto3:
    cfshell's `distribution` commands offer key groups only)."""
    answer = shell.cf.get_distribution_config(Id=dist_id)
    config = answer["DistributionConfig"]
    behavior = config["DefaultCacheBehavior"]
    behavior["TrustedSigners"] = {"Enabled": True, "Quantity": len(signers), "Items": list(signers)}
    if protocol:
        behavior["ViewerProtocolPolicy"] = protocol
    shell.cf.update_distribution(Id=dist_id, IfMatch=answer["ETag"], DistributionConfig=config)
    shell.ok(f"distribution wait {dist_id}")


def create_key_pair(shell: Shell) -> str:
    return KEY_PAIR.search(shell.ok("sim key-pair create")).group(1)


def sign(shell: Shell, url: str, key_id: str, *extra: str) -> str:
    return shell.ok(f"sign url {url} --key-pair-id {key_id} --expires 1h {' '.join(extra)}").strip()


@pytest.fixture
def signed_site(shell: Shell):
    site = seed_site(shell)
    key_pair = create_key_pair(shell)
    trust_signers(shell, site["dist"])
    return {**site, "key_pair": key_pair}


def test_key_pair_is_written_to_the_key_store_like_the_console(shell: Shell):
    out = shell.ok("sim key-pair create")
    key_pair = KEY_PAIR.search(out).group(1)
    path = keystore.directory() / f"pk-{key_pair}.pem"
    assert f"pk-{key_pair}.pem (0600" in out
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert keystore.find(key_pair) == str(path)


def test_at_most_two_active_key_pairs(shell: Shell):
    create_key_pair(shell)
    create_key_pair(shell)
    third = shell.run("sim key-pair create")
    assert third.failed
    assert "has 2 active CloudFront key pairs, the most AWS allows" in third.err


def test_active_trusted_signers_lists_the_key_pair(shell: Shell, signed_site):
    dist = shell.cf.get_distribution(Id=signed_site["dist"])["Distribution"]
    assert dist["ActiveTrustedSigners"] == {
        "Enabled": True,
        "Quantity": 1,
        "Items": [
            {
                "AwsAccountNumber": "self",
                "KeyPairIds": {"Quantity": 1, "Items": [signed_site["key_pair"]]},
            }
        ],
    }


def test_url_signed_with_the_key_pair_is_served(shell: Shell, signed_site):
    url = sign(shell, signed_site["url"], signed_site["key_pair"])
    assert shell.run(f"sim get '{url}'").out.startswith("200 OK")


def test_cookies_signed_with_the_key_pair_are_served(shell: Shell, signed_site):
    out = shell.ok(
        f"sign cookies {signed_site['url']} --key-pair-id {signed_site['key_pair']} "
        "--expires 1h --curl"
    )
    header = out.strip().removeprefix("-b ").strip("'")
    cookies = " ".join(f"--cookie '{pair.strip()}'" for pair in header.split(";"))
    assert shell.run(f"sim get {signed_site['url']} {cookies}").out.startswith("200 OK")


def test_trusted_signer_refusals_have_the_key_group_reasons(shell: Shell, signed_site):
    unsigned = shell.run(f"sim get {signed_site['url']}")
    assert unsigned.out.startswith(
        "403 MissingKey: Missing Key-Pair-Id query parameter or cookie value"
    )
    # A key of nobody the behaviour trusts: a public key of a key group it does not trust.
    shell.ok("key generate outsiders --no-select")
    outsider = shell.cf.list_public_keys()["PublicKeyList"]["Items"][0]["Id"]
    unknown = shell.run(f"sim get '{sign(shell, signed_site['url'], outsider)}'")
    assert unknown.out.startswith("403 InvalidKey: Unknown Key")
    assert "no active key pair of the trusted signers (123456789012)" in unknown.out
    tampered = sign(shell, signed_site["url"], signed_site["key_pair"]).replace(
        "Expires=", "Expires=1"
    )
    assert shell.run(f"sim get '{tampered}'").out.startswith("403 AccessDenied: Access denied")


def test_a_key_pair_of_another_account_is_unknown(shell: Shell):
    site = seed_site(shell)
    key_pair = create_key_pair(shell)
    trust_signers(shell, site["dist"], signers=("111122223333",))
    answer = shell.run(f"sim get '{sign(shell, site['url'], key_pair)}'")
    assert answer.out.startswith("403 InvalidKey: Unknown Key")


def test_distribution_modify_trusts_signers_the_seed_way(shell: Shell):
    site = seed_site(shell)
    key_pair = create_key_pair(shell)
    out = shell.ok(f"distribution modify {site['dist']} --trusted-signer self")
    assert "trusted signers - -> self" in out.lower()
    shell.ok("distribution wait")
    record = shell.ok("distribution get --output json")
    assert '"TrustedSigners": [\n    "self"\n  ]' in record
    assert key_pair in record  # ActiveSigners
    assert shell.run(f"sim get {site['url']}").out.startswith("403 MissingKey")
    shell.ok(f"distribution modify {site['dist']} --trusted-signer none")
    shell.ok("distribution wait")
    assert shell.run(f"sim get {site['url']}").out.startswith("200 OK")


def test_key_pairs_survive_save_and_load(shell: Shell, signed_site, tmp_path):
    url = sign(shell, signed_site["url"], signed_site["key_pair"])
    state = tmp_path / "world.json"
    shell.ok(f"sim save {state}")
    assert "PRIVATE KEY" not in state.read_text()  # the simulator keeps public halves only
    create_key_pair(shell)  # made after the save: gone once it is loaded
    shell.ok(f"sim load {state}")
    assert shell.run(f"sim get '{url}'").out.startswith("200 OK")
    dist = shell.cf.get_distribution(Id=signed_site["dist"])["Distribution"]
    assert dist["ActiveTrustedSigners"]["Items"][0]["KeyPairIds"]["Items"] == [
        signed_site["key_pair"]
    ]
