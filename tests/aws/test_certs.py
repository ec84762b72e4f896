"""cfshell.aws.certs: which certificate covers which CNAME, and what a distribution is given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cfshell.aws import certs
from cfshell.errors import UsageError


@pytest.mark.parametrize(
    ("name", "alias", "covered"),
    [
        ("cf.example.com", "cf.example.com", True),
        ("cf.example.com", "CF.Example.com.", True),
        ("*.example.com", "cf.example.com", True),
        ("*.example.com", "example.com", False),  # a wildcard stands for one label, not none
        ("*.example.com", "a.b.example.com", False),  # nor two
        ("*.example.com", "*.example.com", True),
        ("cf.example.com", "*.example.com", False),
        ("example.com", "cf.example.com", False),
    ],
)
def test_covers_as_cloudfront_matches_names(name, alias, covered):
    assert certs.covers(name, alias) is covered


def test_uncovered_lists_what_no_name_covers():
    cert = {
        "DomainName": "example.com",
        "SubjectAlternativeNames": ["example.com", "*.example.com"],
    }
    assert certs.names_of(cert) == ["example.com", "*.example.com"]
    assert certs.uncovered(cert, ["example.com", "www.example.com", "a.b.example.com"]) == [
        "a.b.example.com"
    ]


def test_viewer_certificate_is_what_aws_recommends():
    assert certs.viewer_certificate("arn:aws:acm:us-east-1:1:certificate/x") == {
        "ACMCertificateArn": "arn:aws:acm:us-east-1:1:certificate/x",
        "SSLSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
        "CloudFrontDefaultCertificate": False,
    }
    assert certs.viewer_certificate(None)["CloudFrontDefaultCertificate"] is True


def test_expiry_warning_within_30_days_only():
    now = datetime(2026, 12, 1, tzinfo=UTC)
    cert = {"CertificateArn": "arn:c", "Type": "AMAZON_ISSUED"}
    assert certs.expiry_warning({**cert, "NotAfter": now + timedelta(days=31)}, now) == ""
    soon = certs.expiry_warning({**cert, "NotAfter": now + timedelta(days=12)}, now)
    assert "expires on 2026-12-13 (in 12 days)" in soon and "ACM renews it" in soon
    gone = certs.expiry_warning({**cert, "NotAfter": now - timedelta(days=1)}, now)
    assert "expired on 2026-11-30" in gone


def test_check_name_refuses_what_is_no_domain():
    assert certs.check_name("CF.Example.com") == "cf.example.com"
    with pytest.raises(UsageError, match="not a domain name"):
        certs.check_name("not a name")
