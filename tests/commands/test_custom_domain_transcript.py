"""The shipped custom-domain rehearsal (scripts/custom-domain.cfsh) replays and checks clean
on a fresh simulator, and leaves what the README's modern workflow promises: a private
distribution on cf.example.com with an ISSUED us-east-1 certificate and DNS pointing at it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import subprocess_env

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "custom-domain.cfsh"
OUTPUTS = 14


def _assert_custom_domain_state(session) -> None:
    cf = session.client("cloudfront")
    (summary,) = cf.list_distributions()["DistributionList"]["Items"]
    config = cf.get_distribution_config(Id=summary["Id"])["DistributionConfig"]
    assert config["Aliases"]["Items"] == ["cf.example.com"]
    arn = config["ViewerCertificate"]["ACMCertificateArn"]
    assert ":acm:us-east-1:" in arn
    cert = session.client("acm").describe_certificate(CertificateArn=arn)["Certificate"]
    assert cert["Status"] == "ISSUED" and cert["InUseBy"] == [summary["ARN"]]
    route53 = session.client("route53")
    (zone,) = route53.list_hosted_zones()["HostedZones"]
    records = route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
    targets = {
        r["Type"]: r["AliasTarget"]["DNSName"] for r in records if r["Name"] == "cf.example.com."
    }
    assert targets == {"A": f"{summary['DomainName']}.", "AAAA": f"{summary['DomainName']}."}


def _home_key_store(monkeypatch, tmp_path) -> None:
    # The transcript shows the key store as the user has it, ~/.cfshell/keys: a home of the
    # test's own, never the user's.
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("CFSHELL_KEY_STORE", raising=False)


def test_custom_domain_transcript_replays_with_check_in_process(
    make_shell, monkeypatch, tmp_path
) -> None:
    _home_key_store(monkeypatch, tmp_path)
    shell = make_shell()
    result = shell.run(f"replay {SCRIPT} --check")
    assert not result.failed, result.err + result.out
    assert f"check: all {OUTPUTS} outputs match" in result.out
    assert "200 OK" in result.out  # the signed URL on the custom domain, at the edge
    _assert_custom_domain_state(shell.session)


def test_custom_domain_transcript_checks_clean_from_the_command_line(monkeypatch, tmp_path) -> None:
    _home_key_store(monkeypatch, tmp_path)
    cfshell = Path(sys.executable).with_name("cfshell")
    run = subprocess.run(
        [str(cfshell), "--simulate", "--script", str(SCRIPT), "--check"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )
    assert run.returncode == 0, run.stderr + run.stdout
    assert f"check: all {OUTPUTS} outputs match" in run.stdout
