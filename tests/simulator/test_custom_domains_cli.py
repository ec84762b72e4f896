"""The AWS CLI against a served simulator gets AWS's codes and statuses for custom domains:
InvalidViewerCertificate (HTTP 400) for an alias without a certificate, RequestInProgressException
for an unissued certificate, ResourceInUseException for one in use (see test_custom_domains for
the rules and their sources)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

AWS = Path(sys.executable).with_name("aws")

pytestmark = pytest.mark.skipif(not AWS.exists(), reason="the AWS CLI is not installed")


def _aws(server, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(AWS), "--endpoint-url", server.url, "--region", "us-east-1", "--output=json", *args],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )


def _config(aliases: list[str], certificate: str = "") -> str:
    config = {
        "CallerReference": str(uuid.uuid4()),
        "Comment": "",
        "Enabled": True,
        "Aliases": {"Quantity": len(aliases), "Items": aliases},
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "media",
                    "DomainName": "media.s3.amazonaws.com",
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
    if certificate:
        config["ViewerCertificate"] = {
            "ACMCertificateArn": certificate,
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        }
    return json.dumps(config)


def test_aws_cli_gets_the_custom_domain_codes(served_simulator):
    server = served_simulator
    server.reset()
    refused = _aws(
        server,
        "cloudfront",
        "create-distribution",
        "--distribution-config",
        _config(["cf.example.com"]),
    )
    assert refused.returncode != 0
    assert "(InvalidViewerCertificate)" in refused.stderr

    requested = _aws(
        server,
        "acm",
        "request-certificate",
        "--domain-name",
        "cf.example.com",
        "--validation-method",
        "DNS",
    )
    assert requested.returncode == 0, requested.stderr
    arn = json.loads(requested.stdout)["CertificateArn"]
    pending = _aws(server, "acm", "get-certificate", "--certificate-arn", arn)
    assert pending.returncode != 0 and "(RequestInProgressException)" in pending.stderr
    refused = _aws(
        server,
        "cloudfront",
        "create-distribution",
        "--distribution-config",
        _config(["cf.example.com"], arn),
    )
    assert refused.returncode != 0 and "(InvalidViewerCertificate)" in refused.stderr

    # The validation record, through Route 53: then ACM issues it.
    zone = json.loads(
        _aws(
            server,
            "route53",
            "create-hosted-zone",
            "--name",
            "example.com.",
            "--caller-reference",
            str(uuid.uuid4()),
        ).stdout
    )["HostedZone"]["Id"]
    cert = json.loads(_aws(server, "acm", "describe-certificate", "--certificate-arn", arn).stdout)
    record = cert["Certificate"]["DomainValidationOptions"][0]["ResourceRecord"]
    batch = {
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
    }
    changed = _aws(
        server,
        "route53",
        "change-resource-record-sets",
        "--hosted-zone-id",
        zone,
        "--change-batch",
        json.dumps(batch),
    )
    assert changed.returncode == 0, changed.stderr
    # (not `aws acm wait certificate-validated`: its first poll is a minute away)
    for _ in range(20):
        described = _aws(server, "acm", "describe-certificate", "--certificate-arn", arn)
        if json.loads(described.stdout)["Certificate"]["Status"] == "ISSUED":
            break
    assert json.loads(described.stdout)["Certificate"]["Status"] == "ISSUED"

    created = _aws(
        server,
        "cloudfront",
        "create-distribution",
        "--distribution-config",
        _config(["cf.example.com"], arn),
    )
    assert created.returncode == 0, created.stderr
    in_use = _aws(server, "acm", "delete-certificate", "--certificate-arn", arn)
    assert in_use.returncode != 0 and "(ResourceInUseException)" in in_use.stderr
