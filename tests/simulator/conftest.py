"""Every simulator test runs twice: against the in-process simulator and a served one.

Tests use boto3 only, as a client would: the `cf` and `s3` fixtures are plain boto3 clients.
"""

from __future__ import annotations

import json
import uuid

import boto3
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from cfshell.aws.signing import PrivateKey, Signer
from simulator import simulate

REGION = "us-east-1"
BUCKET = "private-media"
KEY = "videos/intro/index.m3u8"
BODY = b"#EXTM3U\n#EXT-X-VERSION:3\n"
FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


@pytest.fixture(scope="session")
def served_simulator():
    """One loopback server for the session; `reset` gives each test fresh state."""
    from simulator.launcher import serve_in_thread

    server = serve_in_thread(host="127.0.0.1", port=0, deploy_seconds=0.3)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["inproc", "served"])
def mode(request, monkeypatch):
    for key, value in FAKE_ENV.items():
        monkeypatch.setenv(key, value)
    if request.param == "inproc":
        with simulate(deploy_seconds=0.3):
            yield {"endpoint_url": None}
    else:
        server = request.getfixturevalue("served_simulator")
        server.reset()
        yield {"endpoint_url": server.url}


def _client(service: str, mode: dict):
    kwargs = {"region_name": REGION}
    if mode["endpoint_url"]:
        kwargs["endpoint_url"] = mode["endpoint_url"]
    return boto3.session.Session().client(service, **kwargs)


@pytest.fixture
def cf(mode):
    return _client("cloudfront", mode)


@pytest.fixture
def s3(mode):
    return _client("s3", mode)


# -- a private distribution on S3 (OAC, trusted key group), made through boto3 -----------


def _public_pem(key) -> str:
    return PrivateKey(key=key, algorithm="x").public_key_pem()


def _key_and_group(cf, private_key, name="viewers"):
    key_id = cf.create_public_key(
        PublicKeyConfig={
            "CallerReference": str(uuid.uuid4()),
            "Name": f"{name}-key",
            "EncodedKey": _public_pem(private_key),
        }
    )["PublicKey"]["Id"]
    group_id = cf.create_key_group(KeyGroupConfig={"Name": name, "Items": [key_id]})["KeyGroup"][
        "Id"
    ]
    return key_id, group_id


def _distribution(cf, *, key_group_id=None, oac_id="", oai="", aliases=(), certificate=""):
    behavior = {
        "TargetOriginId": "media",
        "ViewerProtocolPolicy": "redirect-to-https",
        "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
    }
    if key_group_id:
        behavior["TrustedKeyGroups"] = {"Enabled": True, "Quantity": 1, "Items": [key_group_id]}
    origin = {
        "Id": "media",
        "DomainName": f"{BUCKET}.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": oai},
    }
    if oac_id:
        origin["OriginAccessControlId"] = oac_id
    dist = cf.create_distribution(
        DistributionConfig={
            "CallerReference": str(uuid.uuid4()),
            "Comment": "private video",
            "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [origin]},
            "DefaultCacheBehavior": behavior,
            **_custom_domain(aliases, certificate),
        }
    )["Distribution"]
    return dist


def _custom_domain(aliases, certificate: str) -> dict:
    """The Aliases and ViewerCertificate of a distribution config (none: CloudFront's default)."""
    config: dict = {}
    if aliases:
        config["Aliases"] = {"Quantity": len(aliases), "Items": list(aliases)}
    if certificate:
        config["ViewerCertificate"] = _viewer_certificate(certificate)
    return config


def _oac(cf) -> str:
    return cf.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": f"oac-{uuid.uuid4().hex[:8]}",
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]["Id"]


def _grant_oac(s3, dist_arn: str, *, actions=("s3:GetObject",)) -> None:
    statement = {
        "Sid": "AllowCloudFrontServicePrincipal",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": list(actions),
        "Resource": [f"arn:aws:s3:::{BUCKET}/*", f"arn:aws:s3:::{BUCKET}"],
        "Condition": {"StringEquals": {"AWS:SourceArn": dist_arn}},
    }
    s3.put_bucket_policy(
        Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    )


@pytest.fixture
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def private_site(cf, s3, rsa_key):
    """A private distribution: OAC with its bucket-policy grant, one trusted key group."""
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=BODY, ContentType="application/x-mpegURL")
    key_id, group_id = _key_and_group(cf, rsa_key)
    dist = _distribution(cf, key_group_id=group_id, oac_id=_oac(cf))
    _grant_oac(s3, dist["ARN"])
    signer = Signer(PrivateKey(key=rsa_key, algorithm="rsa2048"), key_id)
    return {
        "dist": dist,
        "url": f"https://{dist['DomainName']}/{KEY}",
        "key_id": key_id,
        "group_id": group_id,
        "signer": signer,
    }


# -- custom domains: hosted zones and ISSUED certificates, through ACM and Route 53 ---------


@pytest.fixture
def acm(mode):
    return _client("acm", mode)


@pytest.fixture
def route53(mode):
    return _client("route53", mode)


def _zone(route53, name: str) -> str:
    """A hosted zone for `name`; its bare ID."""
    zone = route53.create_hosted_zone(Name=f"{name}.", CallerReference=str(uuid.uuid4()))
    return zone["HostedZone"]["Id"].rsplit("/", 1)[-1]


def _write_validation_records(acm, route53, arn: str, zone_id: str) -> None:
    options = acm.describe_certificate(CertificateArn=arn)["Certificate"]["DomainValidationOptions"]
    records = {o["ResourceRecord"]["Name"]: o["ResourceRecord"] for o in options}
    route53.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": r["Name"],
                        "Type": "CNAME",
                        "TTL": 300,
                        "ResourceRecords": [{"Value": r["Value"]}],
                    },
                }
                for r in records.values()
            ]
        },
    )


def _wait_status(acm, arn: str, status: str = "ISSUED", timeout: float = 5.0) -> dict:
    import time

    deadline = time.monotonic() + timeout
    while True:
        cert = acm.describe_certificate(CertificateArn=arn)["Certificate"]
        if cert["Status"] == status or time.monotonic() > deadline:
            return cert
        time.sleep(0.05)


def _issued_certificate(acm, route53, name: str, *alternatives: str, zone_id: str = "") -> str:
    """A DNS-validated certificate, ISSUED: its validation records written in a zone for the
    apex of `name` (created unless `zone_id` is given)."""
    kwargs = {"SubjectAlternativeNames": [name, *alternatives]} if alternatives else {}
    arn = acm.request_certificate(DomainName=name, ValidationMethod="DNS", **kwargs)[
        "CertificateArn"
    ]
    apex = ".".join(name.removeprefix("*.").split(".")[-2:])
    _write_validation_records(acm, route53, arn, zone_id or _zone(route53, apex))
    assert _wait_status(acm, arn)["Status"] == "ISSUED"
    return arn


def _viewer_certificate(arn: str) -> dict:
    return {
        "ACMCertificateArn": arn,
        "SSLSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }


def _alias_record(route53, zone_id: str, name: str, domain: str, kind: str = "A") -> None:
    """An alias record `name` -> the distribution `domain` (CloudFront's zone Z2FDTNDATAQYW2)."""
    route53.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": name,
                        "Type": kind,
                        "AliasTarget": {
                            "HostedZoneId": "Z2FDTNDATAQYW2",
                            "DNSName": f"{domain}.",
                            "EvaluateTargetHealth": False,
                        },
                    },
                }
            ]
        },
    )
