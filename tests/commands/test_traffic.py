"""`sim traffic`: bounded simulated viewers; `stop` lists every non-2xx answer with its reason
(never a signed URL's token) and fails when there was one. And the day-two commands' --dry-run:
the plan, nothing written."""

from __future__ import annotations

import re

from .conftest import Shell
from .test_key_pairs import create_key_pair, trust_signers
from .test_migrate_oac import seed_site


def test_traffic_reports_refusals_with_reasons_and_no_token(shell: Shell):
    site = seed_site(shell)
    create_key_pair(shell)
    trust_signers(shell, site["dist"])
    shell.ok(f"sim traffic {site['url']} /videos/intro.mp4 --rate 50 --duration 0.3")  # unsigned
    stopped = shell.run("sim traffic stop")
    assert stopped.failed
    assert re.search(
        r"^  403 MissingKey: Missing Key-Pair-Id query parameter or cookie value x \d+, first at "
        r"\+\d+\.\ds on https://\S+/videos/intro\.mp4 \(no Key-Pair-Id in the cookies\)$",
        stopped.out,
        re.M,
    ), stopped.out
    assert "Signature=" not in stopped.out


def test_signed_traffic_is_all_200(shell: Shell):
    site = seed_site(shell)
    create_key_pair(shell)
    trust_signers(shell, site["dist"])
    started = shell.ok(f"sim traffic {site['url']} --sign --rate 50 --duration 0.3")
    assert "(signed)" in started and "Signature=" not in started
    status = shell.ok("sim traffic status")
    assert status.startswith("traffic ")
    out = shell.ok("sim traffic stop")
    assert re.match(r"traffic stopped: (\d+) requests in \d+\.\ds: \1 x 200$", out.strip()), out


def test_traffic_is_bounded(shell: Shell):
    for line, reason in [
        ("sim traffic https://d1.cloudfront.net/a --rate 1000", "the rate must be"),
        ("sim traffic https://d1.cloudfront.net/a --duration 7200", "the duration must be"),
        ("sim traffic ftp://d1.cloudfront.net/a", "is not a URL: give https://DOMAIN/PATH"),
    ]:
        result = shell.run(line)
        assert result.failed and reason in result.err, (line, result.err)
    assert shell.ok("sim traffic stop").startswith("no traffic has run")


def test_running_traffic_twice_is_refused(shell: Shell):
    shell.ok("sim traffic https://d1.cloudfront.net/a --rate 5 --duration 5")
    again = shell.run("sim traffic https://d1.cloudfront.net/a")
    assert again.failed and "traffic is running already: stop it first" in again.err
    assert "403" in shell.run("sim traffic stop").out  # nothing routes d1: Bad request


def test_day_two_dry_runs_write_nothing(shell: Shell):
    site = seed_site(shell)
    create_key_pair(shell)
    trust_signers(shell, site["dist"])
    before = shell.cf.get_distribution_config(Id=site["dist"])["DistributionConfig"]
    groups = shell.cf.list_key_groups()["KeyGroupList"].get("Items", [])
    out = shell.ok(f"migrate key-group {site['dist']} --dry-run")
    assert "would   generate a key pair" in out
    assert "would   trust key group (new)" in out
    assert "would   remove the trusted signers" in out
    assert shell.cf.get_distribution_config(Id=site["dist"])["DistributionConfig"] == before
    assert shell.cf.list_key_groups()["KeyGroupList"].get("Items", []) == groups

    shell.ok("key generate viewers")
    group = shell.session.context.get("key-group")
    key = shell.session.context.get("key")
    out = shell.ok(f"key rotate {group} --dry-run")
    assert "would   generate a key pair" in out and f"would   mark public key {key}" in out
    items = shell.cf.get_key_group(Id=group)["KeyGroup"]["KeyGroupConfig"]["Items"]
    assert items == [key]
    assert shell.ok("sim key-pair create --dry-run").startswith("would create a CloudFront key")


def test_day_two_records_and_replays_with_check(make_shell, tmp_path):
    path = tmp_path / "day-two.cfsh"
    shell = make_shell()
    shell.ok(f"record start {path}")
    site = seed_site(shell)
    shell.ok("sim key-pair create")
    shell.ok(f"distribution modify {site['dist']} --trusted-signer self")
    shell.ok("distribution wait")
    shell.ok("sim traffic /videos/intro.mp4 --sign --rate 20 --duration 60")
    shell.ok(f"migrate oac {site['dist']} --dry-run")
    shell.ok(f"migrate oac {site['dist']} --disable-acls --yes")
    shell.ok(f"migrate key-group {site['dist']} --keep-signers")
    shell.ok("sim traffic stop")
    shell.ok("sim traffic /videos/intro.mp4 --sign --rate 20 --duration 60")  # the new key
    shell.ok(f"migrate key-group {site['dist']}")
    shell.ok("sim traffic stop")
    shell.ok("audit")
    shell.ok("record stop")
    text = path.read_text()
    assert "Signature=" not in text and "PRIVATE KEY" not in text
    commands = [line for line in text.splitlines() if not line.startswith("#")]
    assert "migrate oac $distribution1 --disable-acls --yes" in commands
    assert "#> created key-group $keygroup1 cfshell-" in text
    shell.close()

    replay = make_shell()
    result = replay.run(f"replay {path} --check")
    assert not result.failed, result.out + result.err
