"""Custom domains as AWS refuses and serves them: certificates (ACM), DNS (Route 53), aliases.

Each rule with its source:
- CreateDistribution / UpdateDistribution with Aliases answer InvalidViewerCertificate unless
  the ViewerCertificate is an ISSUED ACM certificate in us-east-1 covering every alias
  (CloudFront API reference, errors of CreateDistribution and UpdateDistribution, and
  ViewerCertificate; Developer Guide, "Requirements for using alternate domain names").
- A wildcard name covers exactly one label (Developer Guide, same page).
- CNAMEAlreadyExists for an alias another distribution has, in any case (API reference,
  CreateDistribution errors; DNS names are case-insensitive, RFC 4343).
- ACM issues a DNS-validated certificate only once its CNAME record exists (ACM User Guide,
  "DNS validation"); a certificate in use cannot be deleted (ACM API reference,
  DeleteCertificate: ResourceInUseException); GetCertificate of an unissued one is
  RequestInProgressException (ACM API reference, GetCertificate).
In-process and served, through boto3 only.
"""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError

import simulator

from .conftest import (
    BODY,
    BUCKET,
    KEY,
    _alias_record,
    _distribution,
    _grant_oac,
    _issued_certificate,
    _oac,
    _wait_status,
    _write_validation_records,
    _zone,
)


def _code(raised) -> str:
    return raised.value.response["Error"]["Code"]


def _refused(cf, **kwargs) -> str:
    with pytest.raises(ClientError) as raised:
        _distribution(cf, **kwargs)
    return _code(raised)


# --- ACM: issuance -------------------------------------------------------------------------


def test_certificate_is_issued_only_once_its_validation_record_exists(acm, route53):
    arn = acm.request_certificate(DomainName="cf.example.com", ValidationMethod="DNS")[
        "CertificateArn"
    ]
    cert = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    (option,) = cert["DomainValidationOptions"]
    record = option["ResourceRecord"]
    assert record["Name"].endswith(".cf.example.com.") and record["Type"] == "CNAME"
    assert record["Value"].endswith(".acm-validations.aws.")
    assert "IssuedAt" not in cert

    # A zone without the record: still pending, however long one waits.
    zone_id = _zone(route53, "example.com")
    time.sleep(0.5)
    assert _wait_status(acm, arn, timeout=0.5)["Status"] == "PENDING_VALIDATION"
    with pytest.raises(ClientError) as raised:
        acm.get_certificate(CertificateArn=arn)
    assert _code(raised) == "RequestInProgressException"

    _write_validation_records(acm, route53, arn, zone_id)
    cert = _wait_status(acm, arn)
    assert cert["Status"] == "ISSUED"
    assert cert["DomainValidationOptions"][0]["ValidationStatus"] == "SUCCESS"
    assert "IssuedAt" in cert
    assert acm.get_certificate(CertificateArn=arn)["Certificate"].startswith("-----BEGIN")


def test_a_wrong_record_value_does_not_validate(acm, route53):
    arn = acm.request_certificate(DomainName="cf.example.com", ValidationMethod="DNS")[
        "CertificateArn"
    ]
    record = acm.describe_certificate(CertificateArn=arn)["Certificate"]["DomainValidationOptions"][
        0
    ]["ResourceRecord"]
    zone_id = _zone(route53, "example.com")
    route53.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": record["Name"],
                        "Type": "CNAME",
                        "TTL": 300,
                        "ResourceRecords": [{"Value": "_wrong.acm-validations.aws."}],
                    },
                }
            ]
        },
    )
    assert _wait_status(acm, arn, timeout=0.8)["Status"] == "PENDING_VALIDATION"


def test_every_name_of_the_certificate_needs_its_record(acm, route53):
    arn = acm.request_certificate(
        DomainName="cf.example.com",
        ValidationMethod="DNS",
        SubjectAlternativeNames=["cf.example.com", "media.example.org"],
    )["CertificateArn"]
    options = acm.describe_certificate(CertificateArn=arn)["Certificate"]["DomainValidationOptions"]
    assert [o["DomainName"] for o in options] == ["cf.example.com", "media.example.org"]
    for option, apex in zip(options, ("example.com", "example.org"), strict=True):
        record = option["ResourceRecord"]
        route53.change_resource_record_sets(
            HostedZoneId=_zone(route53, apex),
            ChangeBatch={
                "Changes": [
                    {
                        "Action": "UPSERT",
                        "ResourceRecordSet": {
                            "Name": record["Name"],
                            "Type": "CNAME",
                            "TTL": 300,
                            "ResourceRecords": [{"Value": record["Value"]}],
                        },
                    }
                ]
            },
        )
        if apex == "example.com":  # one of two names validated: still pending
            assert _wait_status(acm, arn, timeout=0.8)["Status"] == "PENDING_VALIDATION"
    assert _wait_status(acm, arn)["Status"] == "ISSUED"


def test_validation_record_is_the_same_for_the_same_domain(acm):
    first, second = (
        acm.request_certificate(DomainName=name, ValidationMethod="DNS")["CertificateArn"]
        for name in ("example.com", "*.example.com")
    )
    records = [
        acm.describe_certificate(CertificateArn=arn)["Certificate"]["DomainValidationOptions"][0][
            "ResourceRecord"
        ]
        for arn in (first, second)
    ]
    assert records[0] == records[1]  # a wildcard is validated through its base name


# --- CloudFront: InvalidViewerCertificate -------------------------------------------------


def test_alias_with_the_default_certificate_is_refused(cf):
    assert _refused(cf, aliases=["cf.example.com"]) == "InvalidViewerCertificate"


def test_alias_with_a_certificate_that_does_not_exist_is_refused(cf):
    missing = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    assert _refused(cf, aliases=["cf.example.com"], certificate=missing) == (
        "InvalidViewerCertificate"
    )


def test_certificate_outside_us_east_1_is_refused(mode, route53):
    import boto3

    kwargs = {"region_name": "eu-west-1"}
    if mode["endpoint_url"]:
        kwargs["endpoint_url"] = mode["endpoint_url"]
    acm_eu = boto3.session.Session().client("acm", **kwargs)
    arn = _issued_certificate(acm_eu, route53, "cf.example.com")
    assert ":eu-west-1:" in arn
    from .conftest import _client

    cf = _client("cloudfront", mode)
    assert _refused(cf, aliases=["cf.example.com"], certificate=arn) == ("InvalidViewerCertificate")


def test_certificate_not_yet_issued_is_refused(cf, acm):
    arn = acm.request_certificate(DomainName="cf.example.com", ValidationMethod="DNS")[
        "CertificateArn"
    ]
    assert _refused(cf, aliases=["cf.example.com"], certificate=arn) == ("InvalidViewerCertificate")


def test_certificate_not_covering_every_alias_is_refused(cf, acm, route53):
    arn = _issued_certificate(acm, route53, "cf.example.com")
    assert _refused(cf, aliases=["cf.example.com", "www.example.com"], certificate=arn) == (
        "InvalidViewerCertificate"
    )


def test_certificate_without_its_tls_settings_is_refused(cf, acm, route53):
    arn = _issued_certificate(acm, route53, "cf.example.com")
    with pytest.raises(ClientError) as raised:
        cf.create_distribution(
            DistributionConfig={
                "CallerReference": "no-sni",
                "Comment": "",
                "Enabled": True,
                "Aliases": {"Quantity": 1, "Items": ["cf.example.com"]},
                "ViewerCertificate": {"ACMCertificateArn": arn},
                "Origins": {
                    "Quantity": 1,
                    "Items": [
                        {
                            "Id": "media",
                            "DomainName": f"{BUCKET}.s3.amazonaws.com",
                            "S3OriginConfig": {"OriginAccessIdentity": ""},
                        }
                    ],
                },
                "DefaultCacheBehavior": {
                    "TargetOriginId": "media",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
                },
            }
        )
    assert _code(raised) == "InvalidViewerCertificate"


def test_covering_certificate_is_accepted_and_read_back(cf, acm, route53):
    arn = _issued_certificate(acm, route53, "cf.example.com", "www.example.com")
    dist = _distribution(cf, aliases=["cf.example.com", "WWW.example.com"], certificate=arn)
    viewer = cf.get_distribution_config(Id=dist["Id"])["DistributionConfig"]["ViewerCertificate"]
    assert viewer["ACMCertificateArn"] == arn
    assert viewer["CloudFrontDefaultCertificate"] is False
    assert (viewer["SSLSupportMethod"], viewer["MinimumProtocolVersion"]) == (
        "sni-only",
        "TLSv1.2_2021",
    )
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["InUseBy"] == [dist["ARN"]]


def test_wildcard_covers_one_label_only(cf, acm, route53):
    arn = _issued_certificate(acm, route53, "*.example.com")
    assert _distribution(cf, aliases=["media.example.com"], certificate=arn)["Id"]
    assert _distribution(cf, aliases=["*.example.com"], certificate=arn)["Id"]
    assert _refused(cf, aliases=["example.com"], certificate=arn) == "InvalidViewerCertificate"
    assert _refused(cf, aliases=["a.b.example.com"], certificate=arn) == (
        "InvalidViewerCertificate"
    )


def test_a_named_certificate_does_not_cover_a_wildcard_alias(cf, acm, route53):
    arn = _issued_certificate(acm, route53, "media.example.com")
    assert _refused(cf, aliases=["*.example.com"], certificate=arn) == ("InvalidViewerCertificate")


def test_update_adding_an_uncovered_alias_is_refused(cf, acm, route53):
    arn = _issued_certificate(acm, route53, "cf.example.com")
    dist = _distribution(cf, aliases=["cf.example.com"], certificate=arn)
    got = cf.get_distribution_config(Id=dist["Id"])
    config = got["DistributionConfig"]
    config["Aliases"] = {"Quantity": 2, "Items": ["cf.example.com", "other.example.net"]}
    with pytest.raises(ClientError) as raised:
        cf.update_distribution(Id=dist["Id"], IfMatch=got["ETag"], DistributionConfig=config)
    assert _code(raised) == "InvalidViewerCertificate"
    # Back to CloudFront's default certificate while an alias remains: refused too.
    config["Aliases"] = {"Quantity": 1, "Items": ["cf.example.com"]}
    config["ViewerCertificate"] = {"CloudFrontDefaultCertificate": True}
    with pytest.raises(ClientError) as raised:
        cf.update_distribution(Id=dist["Id"], IfMatch=got["ETag"], DistributionConfig=config)
    assert _code(raised) == "InvalidViewerCertificate"


def test_same_alias_in_another_case_is_cname_already_exists(cf, acm, route53):
    arn = _issued_certificate(acm, route53, "cf.example.com")
    _distribution(cf, aliases=["cf.example.com"], certificate=arn)
    assert _refused(cf, aliases=["CF.Example.COM"], certificate=arn) == "CNAMEAlreadyExists"


def test_certificate_in_use_cannot_be_deleted(cf, acm, route53):
    arn = _issued_certificate(acm, route53, "cf.example.com")
    _distribution(cf, aliases=["cf.example.com"], certificate=arn)
    with pytest.raises(ClientError) as raised:
        acm.delete_certificate(CertificateArn=arn)
    assert _code(raised) == "ResourceInUseException"
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "ISSUED"


def test_unused_certificate_is_deleted(acm, route53):
    arn = _issued_certificate(acm, route53, "cf.example.com")
    acm.delete_certificate(CertificateArn=arn)
    with pytest.raises(ClientError) as raised:
        acm.describe_certificate(CertificateArn=arn)
    assert _code(raised) == "ResourceNotFoundException"


# --- the edge: an alias is served only through DNS that points at it ----------------------


def _alias_site(cf, s3, acm, route53, alias="cdn.example.com"):
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=BODY)
    arn = _issued_certificate(acm, route53, alias)
    dist = _distribution(cf, oac_id=_oac(cf), aliases=[alias], certificate=arn)
    _grant_oac(s3, dist["ARN"])
    return dist


def _deployed(cf, dist_id: str) -> None:
    deadline = time.monotonic() + 5
    while cf.get_distribution(Id=dist_id)["Distribution"]["Status"] != "Deployed":
        assert time.monotonic() < deadline
        time.sleep(0.05)


def _get(mode, url: str):
    return simulator.edge_request("GET", url, endpoint_url=mode["endpoint_url"])


def _zone_id(route53, name: str) -> str:
    zones = route53.list_hosted_zones_by_name(DNSName=f"{name}.")["HostedZones"]
    return next(z["Id"] for z in zones if z["Name"] == f"{name}.").rsplit("/", 1)[-1]


def test_alias_is_not_served_before_the_distribution_is_deployed(mode, cf, s3, acm, route53):
    if mode["endpoint_url"]:
        pytest.skip("the served simulator deploys in 0.3 s: too short to read in between")
    arn = _issued_certificate(acm, route53, "cdn.example.com")
    simulator.configure(deploy_seconds=30)  # the distribution stays InProgress
    dist = _distribution(cf, aliases=["cdn.example.com"], certificate=arn)
    _alias_record(route53, _zone_id(route53, "example.com"), "cdn.example.com", dist["DomainName"])
    answer = _get(mode, f"https://cdn.example.com/{KEY}")
    assert (answer.status, answer.reason) == (403, "Bad request")
    assert "not yet Deployed" in answer.detail


def test_alias_without_its_dns_record_is_refused_and_with_it_served(mode, cf, s3, acm, route53):
    dist = _alias_site(cf, s3, acm, route53)
    _deployed(cf, dist["Id"])
    zone_id = _zone_id(route53, "example.com")

    answer = _get(mode, f"https://cdn.example.com/{KEY}")
    assert (answer.status, answer.reason) == (403, "Bad request")
    if not mode["endpoint_url"]:
        assert "no A, AAAA or CNAME record for cdn.example.com" in answer.detail
        assert zone_id in answer.detail

    _alias_record(route53, zone_id, "cdn.example.com", "d0000000000000.cloudfront.net")
    answer = _get(mode, f"https://cdn.example.com/{KEY}")
    assert answer.status == 403
    if not mode["endpoint_url"]:
        assert "d0000000000000.cloudfront.net" in answer.detail
        assert dist["DomainName"] in answer.detail

    _alias_record(route53, zone_id, "cdn.example.com", dist["DomainName"])
    answer = _get(mode, f"https://cdn.example.com/{KEY}")
    assert (answer.status, answer.body) == (200, BODY)


def test_alias_outside_every_simulated_zone_is_served_once_deployed(mode, cf, s3, acm, route53):
    # The certificate's zone is example.com; the alias lives in a zone the simulator lacks.
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=BODY)
    arn = acm.request_certificate(DomainName="cdn.example.net", ValidationMethod="DNS")[
        "CertificateArn"
    ]
    assert simulator.issue_certificate(arn, endpoint_url=mode["endpoint_url"]) == "ISSUED"
    dist = _distribution(cf, oac_id=_oac(cf), aliases=["cdn.example.net"], certificate=arn)
    _grant_oac(s3, dist["ARN"])
    _deployed(cf, dist["Id"])
    answer = _get(mode, f"https://cdn.example.net/{KEY}")
    assert (answer.status, answer.body) == (200, BODY)
