"""`audit`: each finding once with the command that fixes it, exit status 1; after running those
commands, nothing found and exit status 0. A CNAME without a certificate, which the simulator
refuses as AWS does today, is tested on the service's pure functions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from cfshell.aws import audit
from tests.domains import issued_certificate

from .conftest import Shell
from .test_custom_domains import _imported_certificate
from .test_key_pairs import create_key_pair, trust_signers
from .test_migrate_oac import seed_site

PUBLIC_READ = {
    "Sid": "PublicRead",
    "Effect": "Allow",
    "Principal": "*",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::seed-videos/*",
}


def _make_public(shell: Shell, bucket: str) -> None:
    shell.s3.delete_public_access_block(Bucket=bucket)
    policy = json.loads(shell.s3.get_bucket_policy(Bucket=bucket)["Policy"])
    policy["Statement"].append(PUBLIC_READ)
    shell.s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))


def test_audit_reports_each_finding_once_then_nothing_after_the_fixes(shell: Shell):
    site = seed_site(shell)  # an OAI, ACLs enabled
    create_key_pair(shell)
    trust_signers(shell, site["dist"], protocol="allow-all")  # signers, plain HTTP
    _make_public(shell, site["bucket"])
    shell.ok("sim bucket create keyed-videos")
    shell.ok("key generate viewers")
    expiring = _imported_certificate(shell, "cf.example.com", days=210)  # 10 days after +200d
    cname = f"--cname cf.example.com --certificate {expiring}"
    shell.ok(f"distribution create keyed-videos --private {cname}")
    shell.ok("oac grant keyed-videos")
    keyed = shell.session.context.get("distribution")
    group = shell.session.context.get("key-group")
    old_key = shell.session.context.get("key")
    shell.ok("sim clock advance 200d")

    table = shell.run("audit --max-key-age 180d")
    assert table.failed and table.status == 1
    assert table.err == ""  # the findings are the output, not an error line
    result = shell.run("audit --max-key-age 180d --output json")
    assert result.failed
    findings = json.loads(result.out)
    got = sorted((f["Distribution"], f["Check"], f["Fix"]) for f in findings)
    dist, bucket = site["dist"], site["bucket"]
    assert got == sorted(
        [
            (dist, "oai", f"migrate oac {dist}"),
            (dist, "trusted-signers", f"migrate key-group {dist}"),
            (dist, "public-bucket", f"migrate block-public {bucket}"),
            (dist, "acls-enabled", f"migrate oac {dist} --disable-acls"),
            (dist, "http-private", f"migrate https {dist}"),
            (keyed, "old-key", f"key rotate {group}"),
            (
                keyed,
                "cert-expiring",
                "cert request cf.example.com --validate-in-route53, then "
                f"distribution modify {keyed} --certificate ARN",
            ),
        ]
    )
    old = next(f for f in findings if f["Check"] == "old-key")
    assert f"public key {old_key} of key group {group} is 200 days old" in old["Problem"]
    for finding in findings:  # the table shows the same lines (a long fix wraps in its cell)
        assert finding["Check"] in table.out
        assert finding["Fix"].split(",")[0] in table.out

    for fix in dict.fromkeys(f["Fix"] for f in findings):
        if fix.startswith("cert request"):  # two steps: a new certificate, then attach it
            request, _, attach = fix.partition(", then ")
            arn = issued_certificate(shell, request.split()[2])
            shell.ok(attach.replace("ARN", arn))
            continue
        shell.ok(fix + (" --yes" if fix.startswith("migrate oac") else ""))

    clean = shell.run("audit --max-key-age 180d")
    assert not clean.failed, clean.out
    assert clean.out.strip() == "nothing found in the account's distributions"
    assert json.loads(shell.ok("audit --output json")) == []


def test_audit_of_one_distribution(shell: Shell):
    site = seed_site(shell)
    shell.ok("sim bucket create other-videos")
    shell.ok("distribution create other-videos")
    other = shell.session.context.get("distribution")
    result = shell.run(f"audit {other} --output json")
    assert not result.failed
    assert json.loads(result.out) == []
    result = shell.run(f"audit {site['dist']} --output json")
    assert result.failed
    assert {f["Check"] for f in json.loads(result.out)} == {"oai", "acls-enabled"}


def test_bad_max_key_age_is_one_line(shell: Shell):
    result = shell.run("audit --max-key-age soon")
    assert result.failed and result.status == 2
    assert len(result.err.strip().splitlines()) == 1


NOW = datetime(2026, 12, 3, tzinfo=UTC)


def _config(aliases=(), certificate=None):
    config = {
        "Origins": {"Items": []},
        "DefaultCacheBehavior": {"ViewerProtocolPolicy": "redirect-to-https"},
        "Aliases": {"Quantity": len(aliases), "Items": list(aliases)},
    }
    config["ViewerCertificate"] = (
        {"ACMCertificateArn": certificate, "CloudFrontDefaultCertificate": False}
        if certificate
        else {"CloudFrontDefaultCertificate": True}
    )
    return config


def test_cname_without_certificate_is_found_with_its_fix():
    [finding] = audit.config_findings("E1", _config(["cf.example.com", "www.example.com"]))
    assert finding.check == "cname-no-cert"
    assert finding.fix == (
        "cert request cf.example.com --alt www.example.com --validate-in-route53, then "
        "distribution modify E1 --certificate ARN"
    )


def test_certificate_expiring_within_30_days_is_found():
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    config = _config(["cf.example.com"], arn)
    cert = {"DomainName": "cf.example.com", "NotAfter": NOW + timedelta(days=20, hours=1)}
    [finding] = audit.certificate_findings("E1", config, cert, NOW)
    assert (finding.check, finding.subject) == ("cert-expiring", arn)
    assert "expires in 20 days" in finding.problem
    cert["NotAfter"] = NOW + timedelta(days=90)
    assert audit.certificate_findings("E1", config, cert, NOW) == []
    # A certificate that does not cover the CNAME is a CNAME without a certificate.
    cert["DomainName"] = "other.example.com"
    [finding] = audit.certificate_findings("E1", config, cert, NOW)
    assert finding.check == "cname-no-cert"
