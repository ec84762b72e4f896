"""CloudFront's edge in the simulator, end to end: a private distribution on S3 through an OAC
(or an OAI), a trusted key group, and signed URLs and cookies made by cfshell's signer.

Resources are made through boto3 only; the viewer request goes to `simulator.edge.get`
in-process, and over HTTP with a `Host` header to the served simulator.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cfshell.aws.signing import PrivateKey, Signer
from simulator import edge

from .conftest import (
    BODY,
    BUCKET,
    KEY,
    _alias_record,
    _distribution,
    _grant_oac,
    _issued_certificate,
    _oac,
    _public_pem,
    _viewer_certificate,
    _zone,
)

VIEWER_IP = "203.0.113.7"


class Viewer:
    """GETs a URL at the edge, in-process or from the served simulator, as `sim get` does."""

    def __init__(self, mode: dict) -> None:
        self.endpoint = mode["endpoint_url"]

    def get(self, url: str, cookies: dict | None = None, ip: str = VIEWER_IP) -> edge.EdgeResponse:
        if not self.endpoint:
            return edge.get(url, cookies=cookies, client_ip=ip)
        parts = urlsplit(url)
        target = self.endpoint + parts.path + (f"?{parts.query}" if parts.query else "")
        request = urllib.request.Request(target)
        request.add_header("Host", parts.netloc)
        request.add_header("X-Forwarded-For", ip)
        request.add_header("X-Forwarded-Proto", parts.scheme)
        if cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                status, body = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        return _parsed(status, body)


def _parsed(status: int, body: bytes) -> edge.EdgeResponse:
    # Over HTTP only the status and body travel: read the code and message from the XML.
    code = reason = ""
    if body.startswith(b"<?xml"):
        text = body.decode()
        code = text.split("<Code>")[1].split("</Code>")[0]
        reason = text.split("<Message>")[1].split("</Message>")[0]
    elif b"Bad request." in body:
        reason = "Bad request"
    return edge.EdgeResponse(status, reason or "OK", {}, body, code=code)


@pytest.fixture
def viewer(mode) -> Viewer:
    return Viewer(mode)


def _in(delta: timedelta) -> datetime:
    return datetime.now(UTC) + delta


def test_signed_url_gets_the_object(viewer, private_site):
    url = private_site["signer"].sign_url(private_site["url"], expires=_in(timedelta(hours=1)))
    answer = viewer.get(url)
    assert answer.status == 200
    assert answer.body == BODY


def test_unsigned_request_is_refused_with_missing_key(viewer, private_site):
    answer = viewer.get(private_site["url"])
    assert answer.status == 403
    assert answer.code == "MissingKey"
    assert answer.reason == "Missing Key-Pair-Id query parameter or cookie value"


def test_expired_url_is_refused(viewer, private_site):
    url = private_site["signer"].sign_url(private_site["url"], expires=_in(timedelta(seconds=-5)))
    answer = viewer.get(url)
    assert (answer.status, answer.code, answer.reason) == (403, "AccessDenied", "Access denied")


def test_url_not_yet_valid_is_refused(viewer, private_site):
    url = private_site["signer"].sign_url(
        private_site["url"], expires=_in(timedelta(hours=2)), starts=_in(timedelta(hours=1))
    )
    answer = viewer.get(url)
    assert (answer.status, answer.reason) == (403, "Access denied")


def test_ip_range_is_enforced(viewer, private_site):
    url = private_site["signer"].sign_url(
        private_site["url"], expires=_in(timedelta(hours=1)), ip_range="203.0.113.0/24"
    )
    assert viewer.get(url, ip=VIEWER_IP).status == 200
    wrong = viewer.get(url, ip="198.51.100.9")
    assert (wrong.status, wrong.reason) == (403, "Access denied")


def test_url_signed_with_another_key_is_refused(viewer, private_site):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    # The right Key-Pair-Id, the wrong private key.
    forged = Signer(PrivateKey(key=other, algorithm="rsa2048"), private_site["key_id"])
    answer = viewer.get(forged.sign_url(private_site["url"], expires=_in(timedelta(hours=1))))
    assert (answer.status, answer.reason) == (403, "Access denied")


def test_key_outside_the_trusted_groups_is_unknown(cf, viewer, private_site):
    other = ec.generate_private_key(ec.SECP256R1())
    other_id = cf.create_public_key(
        PublicKeyConfig={
            "CallerReference": "other",
            "Name": "untrusted",
            "EncodedKey": _public_pem(other),
        }
    )["PublicKey"]["Id"]
    signer = Signer(PrivateKey(key=other, algorithm="ecdsa-p256"), other_id)
    answer = viewer.get(signer.sign_url(private_site["url"], expires=_in(timedelta(hours=1))))
    assert (answer.status, answer.code, answer.reason) == (403, "InvalidKey", "Unknown Key")


def test_tampered_url_is_refused(viewer, private_site, s3):
    s3.put_object(Bucket=BUCKET, Key="videos/other.m3u8", Body=b"other")
    url = private_site["signer"].sign_url(private_site["url"], expires=_in(timedelta(hours=1)))
    tampered = url.replace(KEY, "videos/other.m3u8")
    answer = viewer.get(tampered)
    assert (answer.status, answer.reason) == (403, "Access denied")
    later = url.replace("Expires=", "Expires=9")
    assert viewer.get(later).status == 403


def test_missing_origin_grant_is_refused_by_s3(viewer, private_site, s3):
    s3.delete_bucket_policy(Bucket=BUCKET)
    url = private_site["signer"].sign_url(private_site["url"], expires=_in(timedelta(hours=1)))
    answer = viewer.get(url)
    assert (answer.status, answer.code, answer.reason) == (403, "AccessDenied", "Access Denied")


def test_grant_for_another_distribution_does_not_count(viewer, private_site, s3):
    other_arn = private_site["dist"]["ARN"][:-3] + "XYZ"
    _grant_oac(s3, other_arn)
    url = private_site["signer"].sign_url(private_site["url"], expires=_in(timedelta(hours=1)))
    assert viewer.get(url).status == 403


def test_missing_object_is_403_without_list_and_404_with_it(viewer, private_site, s3):
    missing = private_site["url"].replace("index.m3u8", "nope.ts")
    url = private_site["signer"].sign_url(missing, expires=_in(timedelta(hours=1)))
    assert viewer.get(url).status == 403
    _grant_oac(s3, private_site["dist"]["ARN"], actions=("s3:GetObject", "s3:ListBucket"))
    answer = viewer.get(url)
    assert (answer.status, answer.code) == (404, "NoSuchKey")


def test_custom_policy_with_wildcard_resource_covers_a_directory(viewer, private_site, s3):
    s3.put_object(Bucket=BUCKET, Key="videos/intro/seg1.ts", Body=b"segment")
    domain = private_site["dist"]["DomainName"]
    signer = private_site["signer"]
    expires = _in(timedelta(hours=1))
    resource = f"https://{domain}/videos/intro/*"
    for key, body in ((KEY, BODY), ("videos/intro/seg1.ts", b"segment")):
        url = signer.sign_url(f"https://{domain}/{key}", expires=expires, resource=resource)
        answer = viewer.get(url)
        assert (answer.status, answer.body) == (200, body)
    outside = signer.sign_url(f"https://{domain}/videos/x.ts", expires=expires, resource=resource)
    assert viewer.get(outside).status == 403


def test_signed_cookies_canned_and_custom(viewer, private_site):
    signer = private_site["signer"]
    expires = _in(timedelta(hours=1))
    canned = signer.sign_cookies(private_site["url"], expires=expires)
    assert viewer.get(private_site["url"], cookies=canned.cookies).status == 200
    domain = private_site["dist"]["DomainName"]
    custom = signer.sign_cookies(
        private_site["url"], expires=expires, resource=f"https://{domain}/*"
    )
    assert viewer.get(private_site["url"], cookies=custom.cookies).status == 200
    expired = signer.sign_cookies(private_site["url"], expires=_in(timedelta(seconds=-1)))
    assert viewer.get(private_site["url"], cookies=expired.cookies).status == 403


def test_ecdsa_and_sha256_signatures_verify(cf, viewer, private_site):
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_id = cf.create_public_key(
        PublicKeyConfig={"CallerReference": "ec", "Name": "ec", "EncodedKey": _public_pem(ec_key)}
    )["PublicKey"]["Id"]
    config = cf.get_key_group_config(Id=private_site["group_id"])
    items = config["KeyGroupConfig"]["Items"] + [ec_id]
    cf.update_key_group(
        Id=private_site["group_id"],
        IfMatch=config["ETag"],
        KeyGroupConfig={"Name": config["KeyGroupConfig"]["Name"], "Items": items},
    )
    expires = _in(timedelta(hours=1))
    for hash_name in ("sha1", "sha256"):
        signer = Signer(PrivateKey(key=ec_key, algorithm="ecdsa-p256"), ec_id, hash_name)
        assert viewer.get(signer.sign_url(private_site["url"], expires=expires)).status == 200


def test_sha256_url_without_its_parameter_fails(viewer, private_site, rsa_key):
    signer = Signer(PrivateKey(key=rsa_key, algorithm="rsa2048"), private_site["key_id"], "sha256")
    url = signer.sign_url(private_site["url"], expires=_in(timedelta(hours=1)))
    assert url.endswith("&Hash-Algorithm=SHA256")
    assert viewer.get(url).status == 200
    # Without the parameter CloudFront verifies over SHA-1, and the signature does not match.
    assert viewer.get(url.removesuffix("&Hash-Algorithm=SHA256")).status == 403


def test_unknown_domain_is_bad_request(viewer):
    answer = viewer.get("https://dnotadistribution.cloudfront.net/a.mp4")
    assert (answer.status, answer.reason) == (403, "Bad request")


def test_alternate_domain_name_reaches_the_distribution(cf, s3, acm, route53, viewer):
    # A viewer whose DNS points cdn.example.com at the distribution sends that name as Host.
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=BODY)
    oac_id = _oac(cf)
    dist = _distribution(cf, oac_id=oac_id)
    zone_id = _zone(route53, "example.com")
    arn = _issued_certificate(acm, route53, "cdn.example.com", zone_id=zone_id)
    config = cf.get_distribution_config(Id=dist["Id"])
    config["DistributionConfig"]["Aliases"] = {"Quantity": 1, "Items": ["cdn.example.com"]}
    config["DistributionConfig"]["ViewerCertificate"] = _viewer_certificate(arn)
    cf.update_distribution(
        Id=dist["Id"], IfMatch=config["ETag"], DistributionConfig=config["DistributionConfig"]
    )
    cf.get_waiter("distribution_deployed").wait(
        Id=dist["Id"], WaiterConfig={"Delay": 0.1, "MaxAttempts": 100}
    )
    _alias_record(route53, zone_id, "cdn.example.com", dist["DomainName"])
    _grant_oac(s3, dist["ARN"])
    answer = viewer.get(f"https://cdn.example.com/{KEY}")
    assert (answer.status, answer.body) == (200, BODY)


def test_public_distribution_through_oai_and_object_acl(cf, s3, viewer):
    s3.create_bucket(Bucket=BUCKET, ObjectOwnership="ObjectWriter")  # ACLs enabled
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=BODY)
    oai = cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": "oai", "Comment": "media"}
    )["CloudFrontOriginAccessIdentity"]
    dist = _distribution(cf, oai=f"origin-access-identity/cloudfront/{oai['Id']}")
    url = f"https://{dist['DomainName']}/{KEY}"
    assert viewer.get(url).status == 403  # no grant yet

    acl = s3.get_object_acl(Bucket=BUCKET, Key=KEY)
    grants = acl["Grants"] + [
        {
            "Grantee": {"Type": "CanonicalUser", "ID": oai["S3CanonicalUserId"]},
            "Permission": "READ",
        }
    ]
    s3.put_object_acl(
        Bucket=BUCKET, Key=KEY, AccessControlPolicy={"Grants": grants, "Owner": acl["Owner"]}
    )
    answer = viewer.get(url)
    assert (answer.status, answer.body) == (200, BODY)


def test_oai_bucket_policy_grant(cf, s3, viewer):
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=BODY)
    oai = cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": "oai", "Comment": "media"}
    )["CloudFrontOriginAccessIdentity"]
    dist = _distribution(cf, oai=f"origin-access-identity/cloudfront/{oai['Id']}")
    arn = f"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {oai['Id']}"
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": arn},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    assert viewer.get(f"https://{dist['DomainName']}/{KEY}").status == 200


def test_key_group_trusted_by_a_distribution_cannot_be_deleted(cf, private_site):
    etag = cf.get_key_group(Id=private_site["group_id"])["ETag"]
    with pytest.raises(ClientError) as excinfo:
        cf.delete_key_group(Id=private_site["group_id"], IfMatch=etag)
    assert excinfo.value.response["Error"]["Code"] == "ResourceInUse"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_detail_says_which_check_failed(private_site, mode):
    # CloudFront answers "Access denied" to all of these; `detail` is the simulator's own
    # explanation for `sim get` (the edge runs in this process in both modes).
    signer = private_site["signer"]
    expired = signer.sign_url(private_site["url"], expires=_in(timedelta(seconds=-5)))
    assert "expired" in edge.get(expired).detail
    early = signer.sign_url(
        private_site["url"], expires=_in(timedelta(hours=2)), starts=_in(timedelta(hours=1))
    )
    assert "not valid before" in edge.get(early).detail
    ip_bound = signer.sign_url(
        private_site["url"], expires=_in(timedelta(hours=1)), ip_range="192.0.2.0/24"
    )
    assert (
        "198.51.100.1 is not in 192.0.2.0/24" in edge.get(ip_bound, client_ip="198.51.100.1").detail
    )
    good = signer.sign_url(private_site["url"], expires=_in(timedelta(hours=1)))
    assert "does not verify" in edge.get(good.replace("index", "other")).detail
