"""Custom domains through the shell: `cert`, `dns`, `sim zone`, `sim cert`, and
`distribution create|modify|get` with CNAMEs, state read back with boto3."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from botocore.exceptions import ClientError

from cfshell.errors import from_client_error
from tests.domains import issued_certificate

from .conftest import BUCKET

ARN = re.compile(r"arn:aws:acm:us-east-1:\d+:certificate/[0-9a-f-]+")


def _distributions(shell) -> list:
    return shell.cf.list_distributions()["DistributionList"].get("Items", []) or []


def _oacs(shell) -> list:
    return shell.cf.list_origin_access_controls()["OriginAccessControlList"].get("Items") or []


def test_cname_without_a_covering_certificate_changes_nothing(stage, tmp_path):
    stage.ok(f"key generate viewers --out {tmp_path / 'viewers.pem'}")
    result = stage.run(f"distribution create {BUCKET} --private --cname cf.example.com")
    assert result.failed and result.status != 0
    assert "`cert request cf.example.com`" in result.err
    assert "nothing was changed" in result.err
    assert _distributions(stage) == [] and _oacs(stage) == []  # not even the bucket's OAC


def test_a_certificate_for_another_name_is_not_picked(stage):
    issued_certificate(stage, "www.example.com")
    stage.ok("clear cert")
    result = stage.run(f"distribution create {BUCKET} --cname cf.example.com")
    assert result.failed and "`cert request cf.example.com`" in result.err
    assert _distributions(stage) == []


def test_the_one_covering_certificate_is_picked_when_none_is_selected(stage):
    arn = issued_certificate(stage, "*.example.com")
    stage.ok("clear cert")
    out = stage.ok(f"distribution create {BUCKET} --cname media.example.com")
    assert f"certificate: {arn}" in out
    dist_id = stage.session.context.get("distribution")
    viewer = stage.cf.get_distribution_config(Id=dist_id)["DistributionConfig"]["ViewerCertificate"]
    assert viewer["ACMCertificateArn"] == arn
    assert (viewer["SSLSupportMethod"], viewer["MinimumProtocolVersion"]) == (
        "sni-only",
        "TLSv1.2_2021",
    )


def test_a_selected_certificate_that_does_not_cover_is_refused_before_any_change(stage):
    issued_certificate(stage, "www.example.com")  # selected
    result = stage.run(f"distribution create {BUCKET} --cname cf.example.com")
    assert result.failed and "covers www.example.com, not cf.example.com" in result.err
    assert _distributions(stage) == []


def test_a_pending_certificate_given_is_refused(stage):
    stage.ok("sim zone create example.com")
    out = stage.ok("cert request cf.example.com")  # no terminal, no --validate-in-route53
    arn = ARN.search(out).group(0)
    assert "create these DNS records" in out and "acm-validations.aws" in out
    result = stage.run(f"distribution create {BUCKET} --cname cf.example.com --certificate {arn}")
    assert result.failed and "PENDING_VALIDATION, not ISSUED" in result.err
    assert f"`cert wait {arn}`" in result.err


def test_cert_request_outside_the_simulated_zones_and_sim_cert_issue(shell):
    out = shell.ok("cert request media.example.net --alt www.example.net")
    arn = ARN.search(out).group(0)
    assert "in us-east-1 (selected)" in out
    assert "_" in out and ".media.example.net." in out and ".www.example.net." in out
    assert "PENDING_VALIDATION" in shell.ok("cert get")
    assert "ISSUED" in shell.ok("sim cert issue")
    cert = shell.session.client("acm").describe_certificate(CertificateArn=arn)["Certificate"]
    assert cert["Status"] == "ISSUED"
    # A certificate whose name is in a simulated zone is issued through its record instead.
    shell.ok("sim zone create example.org")
    shell.ok("cert request cf.example.org")
    refused = shell.run("sim cert issue")
    assert refused.failed and "hosted zone example.org" in refused.err


def test_certificates_are_in_us_east_1_whatever_the_region(make_shell):
    shell = make_shell(region="eu-west-1")
    out = shell.ok("cert request cf.example.com")
    assert ":acm:us-east-1:" in out and "us-east-1" in shell.ok("help cert")


def test_cert_delete_of_a_certificate_in_use_names_the_distribution(stage):
    arn = issued_certificate(stage, "cf.example.com")
    stage.ok(f"distribution create {BUCKET} --cname cf.example.com")
    dist_id = stage.session.context.get("distribution")
    assert dist_id in stage.ok("cert get")  # In use by
    result = stage.run(f"cert delete {arn} --yes")
    assert result.failed and f"in use by distribution {dist_id}" in result.err
    assert stage.session.client("acm").describe_certificate(CertificateArn=arn)
    # Remove the CNAME: the distribution goes back to CloudFront's certificate, and the
    # certificate can go.
    out = stage.ok("distribution modify --remove-cname cf.example.com")
    assert "CNAMEs cf.example.com -> -" in out
    config = stage.cf.get_distribution_config(Id=dist_id)["DistributionConfig"]
    assert config["ViewerCertificate"]["CloudFrontDefaultCertificate"] is True
    stage.ok("cert delete --yes")
    with pytest.raises(ClientError):
        stage.session.client("acm").describe_certificate(CertificateArn=arn)


def test_modify_add_cname_keeps_a_covering_certificate_or_finds_one(stage):
    first = issued_certificate(stage, "cf.example.com")
    stage.ok(f"distribution create {BUCKET} --cname cf.example.com")
    dist_id = stage.session.context.get("distribution")
    stage.ok("clear cert")
    refused = stage.run("distribution modify --add-cname www.example.com")
    assert refused.failed and "`cert request cf.example.com --alt www.example.com`" in refused.err
    second = issued_certificate(stage, "cf.example.com", "www.example.com")
    out = stage.ok("distribution modify --add-cname www.example.com")
    assert f"certificate {first} -> {second}" in out
    config = stage.cf.get_distribution_config(Id=dist_id)["DistributionConfig"]
    assert config["Aliases"]["Items"] == ["cf.example.com", "www.example.com"]
    assert config["ViewerCertificate"]["ACMCertificateArn"] == second
    # --certificate chooses explicitly, and is checked against the CNAMEs.
    refused = stage.run(f"distribution modify --certificate {first}")
    assert refused.failed and "not www.example.com" in refused.err


def _imported_certificate(shell, name: str, days: int) -> str:
    """A certificate imported into ACM (us-east-1), valid for `days` more days."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=300))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return shell.session.client("acm").import_certificate(
        Certificate=cert.public_bytes(serialization.Encoding.PEM),
        PrivateKey=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ),
    )["CertificateArn"]


def test_a_certificate_due_to_expire_is_warned_about(stage):
    arn = _imported_certificate(stage, "cf.example.com", days=10)
    stage.ok(f"distribution create {BUCKET} --cname cf.example.com --certificate {arn}")
    got = stage.run("distribution get")
    assert not got.failed
    assert "certificate ISSUED, expires" in got.out
    assert f"warning: certificate {arn} expires on" in got.err and "in 9 days" in got.err
    assert "import a renewed one" in got.err
    assert "warning:" in stage.run(f"cert get {arn}").err
    # A certificate with a year to go is not warned about.
    issued_certificate(stage, "www.example.com")
    assert "warning" not in stage.run("cert get").err


def test_dns_alias_show_remove(stage):
    issued_certificate(stage, "cf.example.com")
    stage.ok(f"distribution create {BUCKET} --cname cf.example.com")
    domain = stage.cf.get_distribution(Id=stage.session.context.get("distribution"))[
        "Distribution"
    ]["DomainName"]
    assert "has no A, AAAA or CNAME record" in stage.ok("dns show cf.example.com")
    out = stage.ok("dns alias cf.example.com")
    assert f"cf.example.com -> {domain}" in out and "A and AAAA" in out
    zone = stage.session.client("route53").list_hosted_zones()["HostedZones"][0]["Id"]
    records = stage.session.client("route53").list_resource_record_sets(HostedZoneId=zone)
    alias = [r for r in records["ResourceRecordSets"] if r["Name"] == "cf.example.com."]
    assert sorted(r["Type"] for r in alias) == ["A", "AAAA"]
    assert {r["AliasTarget"]["HostedZoneId"] for r in alias} == {"Z2FDTNDATAQYW2"}
    assert {r["AliasTarget"]["DNSName"] for r in alias} == {f"{domain}."}
    assert "points at the selected distribution" in stage.ok("dns show cf.example.com")
    assert "nothing was changed" in stage.run("dns remove cf.example.com").err  # needs --yes
    assert "removed A, AAAA" in stage.ok("dns remove cf.example.com --yes")
    assert "has no A, AAAA or CNAME record" in stage.ok("dns show cf.example.com")


def test_dns_alias_needs_a_zone(stage):
    stage.ok(f"distribution create {BUCKET}")
    result = stage.run("dns alias cf.example.com")
    assert result.failed and "no hosted zone of this account holds cf.example.com" in result.err


def test_dns_cname_for_a_streaming_distribution(stage):
    stage.ok("sim zone create example.com")
    stage.ok(f"streaming create {BUCKET} --cname cf.example.com")
    domain = stage.cf.get_streaming_distribution(Id=stage.session.context.get("streaming"))[
        "StreamingDistribution"
    ]["DomainName"]
    out = stage.ok("dns cname cf.example.com")
    assert f"cf.example.com CNAME {domain}" in out
    assert "CNAME" in stage.ok("dns show cf.example.com")
    assert "is the apex" in stage.run("dns cname example.com").err


def test_new_aws_error_codes_become_one_sentence_with_the_next_step():
    def sentence(code: str, operation: str, **context: str) -> str:
        error = ClientError({"Error": {"Code": code, "Message": "detail."}}, operation)
        return str(from_client_error(error, **context))

    assert "`cert request NAME`" in sentence("InvalidViewerCertificate", "CreateDistribution")
    assert "`cert get` names the distributions" in sentence(
        "ResourceInUseException", "DeleteCertificate", id="arn:c"
    )
    assert "`cert wait`" in sentence("RequestInProgressException", "GetCertificate")
    assert sentence("NoSuchHostedZone", "ChangeResourceRecordSets", id="Z1") == (
        "no hosted zone Z1: check the ID with `dns zones`"
    )
    assert "`dns zones`" in sentence("InvalidChangeBatch", "ChangeResourceRecordSets")
    assert "`sim zone create NAME`" in sentence("HostedZoneNotFound", "ListHostedZones")


def test_a_certificate_is_a_selectable_completed_kind(stage):
    from cfshell import kinds

    arn = issued_certificate(stage, "cf.example.com")
    stage.ok("clear cert")
    assert stage.session.context.get("cert") is None
    stage.ok(f"use cert {arn}")
    assert stage.session.context.get("cert") == arn
    assert "is not a valid" in stage.run("use cert not-an-arn").err
    listed = dict(kinds.get("cert").lister.items(stage.session.client))
    assert arn in listed and "cf.example.com" in listed[arn]
    zones = dict(kinds.get("zone").lister.items(stage.session.client))
    assert list(zones.values()) == ["example.com"]
