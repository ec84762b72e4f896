"""Web distributions behave like AWS where moto 5.2 is lenient (simulator.web), through boto3."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from .conftest import _issued_certificate, _viewer_certificate

WAIT = {"Delay": 0.1, "MaxAttempts": 50}


def config(
    reference: str,
    *,
    aliases: tuple[str, ...] = (),
    oai: str = "",
    oac: str | None = None,
    enabled: bool = True,
    certificate: str = "",
) -> dict:
    origin: dict = {
        "Id": "bucket",
        "DomainName": "media.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": oai},
    }
    if oac is not None:
        origin["OriginAccessControlId"] = oac
    result = {
        "CallerReference": reference,
        "Comment": "web",
        "Enabled": enabled,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "bucket",
            "ViewerProtocolPolicy": "allow-all",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
    }
    if aliases:
        result["Aliases"] = {"Quantity": len(aliases), "Items": list(aliases)}
    if certificate:  # an alias needs an ISSUED certificate covering it (test_custom_domains)
        result["ViewerCertificate"] = _viewer_certificate(certificate)
    return result


def assert_error(excinfo: pytest.ExceptionInfo, code: str, status: int) -> None:
    response = excinfo.value.response
    assert response["Error"]["Code"] == code
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status


def create(cf, reference: str = "ref", **kwargs) -> tuple[str, str]:
    created = cf.create_distribution(DistributionConfig=config(reference, **kwargs))
    return created["Distribution"]["Id"], created["ETag"]


def deployed(cf, dist_id: str) -> None:
    cf.get_waiter("distribution_deployed").wait(Id=dist_id, WaiterConfig=WAIT)


def update(cf, dist_id: str, **changes) -> dict:
    """Get-config, change, update with If-Match: as a client does."""
    current = cf.get_distribution_config(Id=dist_id)
    new_config = {**current["DistributionConfig"], **changes}
    return cf.update_distribution(
        Id=dist_id, DistributionConfig=new_config, IfMatch=current["ETag"]
    )


def create_oai(cf, reference: str = "oai") -> dict:
    made = cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": reference, "Comment": "media"}
    )
    return made["CloudFrontOriginAccessIdentity"]


def create_oac(cf, name: str = "media") -> str:
    made = cf.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": name,
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )
    return made["OriginAccessControl"]["Id"]


# --- status, waiter, ETag, LastModifiedTime ---


def test_create_is_in_progress_until_deployed_and_the_waiter_sees_it(cf):
    dist_id, _ = create(cf)
    assert cf.get_distribution(Id=dist_id)["Distribution"]["Status"] == "InProgress"
    deployed(cf, dist_id)
    assert cf.get_distribution(Id=dist_id)["Distribution"]["Status"] == "Deployed"


def test_update_goes_back_to_in_progress_then_deployed(cf):
    dist_id, _ = create(cf)
    deployed(cf, dist_id)
    updated = update(cf, dist_id, Comment="changed")
    assert updated["Distribution"]["Status"] == "InProgress"
    assert cf.get_distribution(Id=dist_id)["Distribution"]["Status"] == "InProgress"
    deployed(cf, dist_id)
    got = cf.get_distribution(Id=dist_id)["Distribution"]
    assert got["Status"] == "Deployed"
    assert got["DistributionConfig"]["Comment"] == "changed"


def test_every_update_changes_etag_and_last_modified_time(cf):
    before = datetime.now(UTC)
    created = cf.create_distribution(DistributionConfig=config("ref"))
    first_time = created["Distribution"]["LastModifiedTime"]
    assert before - timedelta(seconds=5) <= first_time <= datetime.now(UTC) + timedelta(seconds=5)
    dist_id = created["Distribution"]["Id"]
    time.sleep(0.01)
    updated = update(cf, dist_id, Comment="changed")
    assert updated["ETag"] != created["ETag"]
    assert updated["Distribution"]["LastModifiedTime"] > first_time
    assert cf.get_distribution(Id=dist_id)["ETag"] == updated["ETag"]
    assert cf.get_distribution_config(Id=dist_id)["ETag"] == updated["ETag"]
    again = update(cf, dist_id, Comment="again")
    assert again["ETag"] not in (created["ETag"], updated["ETag"])


# --- If-Match ---


def test_update_without_if_match_is_invalid_if_match_version(cf):
    dist_id, _ = create(cf)
    current = cf.get_distribution_config(Id=dist_id)["DistributionConfig"]
    with pytest.raises(ClientError) as excinfo:
        cf.update_distribution(Id=dist_id, DistributionConfig=current)
    assert_error(excinfo, "InvalidIfMatchVersion", 400)


def test_update_with_stale_if_match_is_precondition_failed(cf):
    dist_id, first_etag = create(cf)
    update(cf, dist_id, Comment="changed")
    current = cf.get_distribution_config(Id=dist_id)["DistributionConfig"]
    with pytest.raises(ClientError) as excinfo:
        cf.update_distribution(Id=dist_id, DistributionConfig=current, IfMatch=first_etag)
    assert_error(excinfo, "PreconditionFailed", 412)
    assert cf.get_distribution_config(Id=dist_id)["DistributionConfig"]["Comment"] == "changed"


def test_delete_without_if_match_is_invalid_if_match_version(cf):
    dist_id, _ = create(cf, enabled=False)
    deployed(cf, dist_id)
    with pytest.raises(ClientError) as excinfo:
        cf.delete_distribution(Id=dist_id)
    assert_error(excinfo, "InvalidIfMatchVersion", 400)


def test_delete_with_stale_if_match_is_precondition_failed(cf):
    dist_id, first_etag = create(cf)
    update(cf, dist_id, Enabled=False)
    deployed(cf, dist_id)
    with pytest.raises(ClientError) as excinfo:
        cf.delete_distribution(Id=dist_id, IfMatch=first_etag)
    assert_error(excinfo, "PreconditionFailed", 412)
    assert cf.get_distribution(Id=dist_id)["Distribution"]["Id"] == dist_id


# --- disable before delete ---


def test_delete_of_an_enabled_distribution_is_distribution_not_disabled(cf):
    dist_id, _ = create(cf)
    deployed(cf, dist_id)
    etag = cf.get_distribution(Id=dist_id)["ETag"]
    with pytest.raises(ClientError) as excinfo:
        cf.delete_distribution(Id=dist_id, IfMatch=etag)
    assert_error(excinfo, "DistributionNotDisabled", 409)
    assert cf.get_distribution(Id=dist_id)["Distribution"]["Id"] == dist_id


def test_delete_before_the_disabling_is_deployed_is_distribution_not_disabled(cf):
    dist_id, _ = create(cf)
    deployed(cf, dist_id)
    etag = update(cf, dist_id, Enabled=False)["ETag"]
    with pytest.raises(ClientError) as excinfo:
        cf.delete_distribution(Id=dist_id, IfMatch=etag)
    assert_error(excinfo, "DistributionNotDisabled", 409)
    deployed(cf, dist_id)
    cf.delete_distribution(Id=dist_id, IfMatch=etag)
    with pytest.raises(ClientError) as excinfo:
        cf.get_distribution(Id=dist_id)
    assert_error(excinfo, "NoSuchDistribution", 404)


# --- origin identity and origin access control ---


def test_origin_access_identity_is_kept_on_every_read(cf):
    identity = f"origin-access-identity/cloudfront/{create_oai(cf)['Id']}"

    def origin_identity(distribution_config: dict) -> str:
        return distribution_config["Origins"]["Items"][0]["S3OriginConfig"]["OriginAccessIdentity"]

    created = cf.create_distribution(DistributionConfig=config("ref", oai=identity))
    dist_id = created["Distribution"]["Id"]
    assert origin_identity(created["Distribution"]["DistributionConfig"]) == identity
    assert (
        origin_identity(cf.get_distribution(Id=dist_id)["Distribution"]["DistributionConfig"])
        == identity
    )
    assert origin_identity(cf.get_distribution_config(Id=dist_id)["DistributionConfig"]) == identity
    (summary,) = cf.list_distributions()["DistributionList"]["Items"]
    assert origin_identity(summary) == identity
    updated = update(cf, dist_id, Comment="changed")
    assert origin_identity(updated["Distribution"]["DistributionConfig"]) == identity


def test_origin_access_control_id_is_kept_on_every_read(cf):
    control = create_oac(cf)

    def origin_control(distribution_config: dict) -> str:
        return distribution_config["Origins"]["Items"][0]["OriginAccessControlId"]

    created = cf.create_distribution(DistributionConfig=config("ref", oac=control))
    dist_id = created["Distribution"]["Id"]
    assert origin_control(created["Distribution"]["DistributionConfig"]) == control
    assert (
        origin_control(cf.get_distribution(Id=dist_id)["Distribution"]["DistributionConfig"])
        == control
    )
    assert origin_control(cf.get_distribution_config(Id=dist_id)["DistributionConfig"]) == control
    (summary,) = cf.list_distributions()["DistributionList"]["Items"]
    assert origin_control(summary) == control
    updated = update(cf, dist_id, Comment="changed")
    assert origin_control(updated["Distribution"]["DistributionConfig"]) == control


@pytest.mark.parametrize(
    "identity",
    ["origin-access-identity/cloudfront/E1NOSUCHIDENTITY", "not-an-identity"],
    ids=["unknown", "malformed"],
)
def test_create_with_a_missing_origin_identity_is_invalid_origin_access_identity(cf, identity):
    with pytest.raises(ClientError) as excinfo:
        cf.create_distribution(DistributionConfig=config("ref", oai=identity))
    assert_error(excinfo, "InvalidOriginAccessIdentity", 400)
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0


def test_update_with_a_missing_origin_identity_is_invalid_origin_access_identity(cf):
    dist_id, _ = create(cf)
    current = cf.get_distribution_config(Id=dist_id)
    changed = current["DistributionConfig"]
    changed["Origins"]["Items"][0]["S3OriginConfig"]["OriginAccessIdentity"] = (
        "origin-access-identity/cloudfront/E1NOSUCHIDENTITY"
    )
    with pytest.raises(ClientError) as excinfo:
        cf.update_distribution(Id=dist_id, DistributionConfig=changed, IfMatch=current["ETag"])
    assert_error(excinfo, "InvalidOriginAccessIdentity", 400)


def test_create_with_a_missing_origin_access_control_is_no_such_origin_access_control(cf):
    with pytest.raises(ClientError) as excinfo:
        cf.create_distribution(DistributionConfig=config("ref", oac="E1NOSUCHCONTROL"))
    assert_error(excinfo, "NoSuchOriginAccessControl", 404)


def test_an_origin_with_both_identity_and_control_is_illegal_origin_access_configuration(cf):
    identity = f"origin-access-identity/cloudfront/{create_oai(cf)['Id']}"
    control = create_oac(cf)
    with pytest.raises(ClientError) as excinfo:
        cf.create_distribution(DistributionConfig=config("ref", oai=identity, oac=control))
    assert_error(excinfo, "IllegalOriginAccessConfiguration", 400)


# --- CNAMEs, CallerReference ---


def test_an_alias_of_another_web_distribution_is_cname_already_exists(cf, acm, route53):
    arn = _issued_certificate(acm, route53, "media.example.com")
    first_id, _ = create(cf, "first", aliases=("media.example.com",), certificate=arn)
    with pytest.raises(ClientError) as excinfo:
        create(cf, "second", aliases=("MEDIA.example.com",), certificate=arn)
    assert_error(excinfo, "CNAMEAlreadyExists", 409)
    other_id, _ = create(cf, "third")
    with pytest.raises(ClientError) as excinfo:
        update(
            cf,
            other_id,
            Aliases={"Quantity": 1, "Items": ["media.example.com"]},
            ViewerCertificate=_viewer_certificate(arn),
        )
    assert_error(excinfo, "CNAMEAlreadyExists", 409)
    # A distribution keeps its own alias through an update.
    update(cf, first_id, Comment="changed")


def test_an_alias_of_a_streaming_distribution_is_cname_already_exists(cf):
    cf.create_streaming_distribution(
        StreamingDistributionConfig={
            "CallerReference": "rtmp",
            "S3Origin": {"DomainName": "media.s3.amazonaws.com", "OriginAccessIdentity": ""},
            "Aliases": {"Quantity": 1, "Items": ["stream.example.com"]},
            "Comment": "rtmp",
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
            "Enabled": True,
        }
    )
    with pytest.raises(ClientError) as excinfo:
        create(cf, "web", aliases=("stream.example.com",))
    assert_error(excinfo, "CNAMEAlreadyExists", 409)


def test_changing_the_caller_reference_is_illegal_update(cf):
    dist_id, _ = create(cf)
    with pytest.raises(ClientError) as excinfo:
        update(cf, dist_id, CallerReference="another")
    assert_error(excinfo, "IllegalUpdate", 400)


# --- listing ---


def test_list_pages_by_distribution_id_with_current_status_and_etag(cf):
    ids = [create(cf, f"ref{i}")[0] for i in range(5)]
    seen, marker = [], ""
    while True:
        page = cf.list_distributions(Marker=marker, MaxItems="2")["DistributionList"]
        seen += [item["Id"] for item in page.get("Items", [])]
        if not page["IsTruncated"]:
            break
        assert page["NextMarker"] == seen[-1]
        marker = page["NextMarker"]
    assert seen == ids
    deployed(cf, ids[0])
    (first,) = cf.list_distributions(MaxItems="1")["DistributionList"]["Items"]
    assert first["Status"] == "Deployed"
    etag = update(cf, ids[0], Comment="changed")["ETag"]
    (first,) = cf.list_distributions(MaxItems="1")["DistributionList"]["Items"]
    assert (first["Status"], first["ETag"], first["Comment"]) == ("InProgress", etag, "changed")


def _trusting(reference: str, groups: list[str]) -> dict:
    result = config(reference)
    result["DefaultCacheBehavior"]["TrustedKeyGroups"] = {
        "Enabled": True,
        "Quantity": len(groups),
        "Items": groups,
    }
    return result


def test_unknown_trusted_key_group_is_refused(cf):
    with pytest.raises(ClientError) as excinfo:
        cf.create_distribution(DistributionConfig=_trusting("kg", ["NOSUCHGROUP1"]))
    assert_error(excinfo, "TrustedKeyGroupDoesNotExist", 400)


def test_active_trusted_key_groups_reflect_the_key_groups(cf):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    key = cf.create_public_key(
        PublicKeyConfig={"CallerReference": "k", "Name": "signer", "EncodedKey": pem}
    )["PublicKey"]["Id"]
    group = cf.create_key_group(KeyGroupConfig={"Name": "viewers", "Items": [key]})["KeyGroup"]
    created = cf.create_distribution(DistributionConfig=_trusting("kg", [group["Id"]]))
    expected = {
        "Enabled": True,
        "Quantity": 1,
        "Items": [{"KeyGroupId": group["Id"], "KeyPairIds": {"Quantity": 1, "Items": [key]}}],
    }
    assert created["Distribution"]["ActiveTrustedKeyGroups"] == expected
    got = cf.get_distribution(Id=created["Distribution"]["Id"])["Distribution"]
    assert got["ActiveTrustedKeyGroups"] == expected


def test_create_again_with_a_caller_reference_already_used_is_distribution_already_exists(cf):
    create(cf, "same")
    # As AWS documents it: whatever the config, even the same one.
    with pytest.raises(ClientError) as excinfo:
        cf.create_distribution(DistributionConfig=config("same"))
    assert_error(excinfo, "DistributionAlreadyExists", 409)
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 1
