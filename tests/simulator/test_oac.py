"""Origin access controls behave like AWS where moto 5.2 is lenient (simulator.oac), via boto3."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

WAIT = {"Delay": 0.1, "MaxAttempts": 50}


def oac_config(name: str = "media", **changes: str) -> dict:
    return {
        "Name": name,
        "Description": "for the media bucket",
        "SigningProtocol": "sigv4",
        "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3",
        **changes,
    }


def create_oac(cf, name: str = "media", **changes: str) -> tuple[str, str]:
    created = cf.create_origin_access_control(OriginAccessControlConfig=oac_config(name, **changes))
    return created["OriginAccessControl"]["Id"], created["ETag"]


def assert_error(excinfo: pytest.ExceptionInfo, code: str, status: int) -> None:
    response = excinfo.value.response
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (
        code,
        status,
    )


def distribution_config(reference: str, oac_id: str, enabled: bool = True) -> dict:
    return {
        "CallerReference": reference,
        "Comment": "private media",
        "Enabled": enabled,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "media",
                    "DomainName": "media.s3.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                    "OriginAccessControlId": oac_id,
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "media",
            "ViewerProtocolPolicy": "redirect-to-https",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
        },
    }


# --- create, get, list ---


def test_create_answers_201_with_etag_location_and_the_config(cf):
    created = cf.create_origin_access_control(OriginAccessControlConfig=oac_config())
    oac = created["OriginAccessControl"]
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["ETag"]
    assert created["Location"] == (
        f"https://cloudfront.amazonaws.com/2020-05-31/origin-access-control/{oac['Id']}"
    )
    assert oac["OriginAccessControlConfig"] == oac_config()


def test_get_returns_the_oac_and_its_etag(cf):
    oac_id, etag = create_oac(cf)
    got = cf.get_origin_access_control(Id=oac_id)
    assert got["OriginAccessControl"] == {"Id": oac_id, "OriginAccessControlConfig": oac_config()}
    assert got["ETag"] == etag


def test_get_config_returns_the_config_and_its_etag(cf):
    oac_id, etag = create_oac(cf)
    got = cf.get_origin_access_control_config(Id=oac_id)
    assert got["OriginAccessControlConfig"] == oac_config()
    assert got["ETag"] == etag


def test_create_with_a_name_in_use_is_origin_access_control_already_exists(cf):
    create_oac(cf, "media")
    with pytest.raises(ClientError) as excinfo:
        create_oac(cf, "media", SigningBehavior="no-override")
    assert_error(excinfo, "OriginAccessControlAlreadyExists", 409)
    assert cf.list_origin_access_controls()["OriginAccessControlList"]["Quantity"] == 1


def test_list_pages_with_marker_and_max_items(cf):
    ids = [create_oac(cf, f"oac-{n}")[0] for n in range(5)]
    first = cf.list_origin_access_controls(MaxItems="2")["OriginAccessControlList"]
    assert [item["Id"] for item in first["Items"]] == ids[:2]
    assert first["IsTruncated"] is True
    assert first["NextMarker"] == ids[1]
    assert first["MaxItems"] == 2

    seen = [item["Id"] for item in first["Items"]]
    marker = first["NextMarker"]
    while marker:
        page = cf.list_origin_access_controls(Marker=marker, MaxItems="2")
        page = page["OriginAccessControlList"]
        assert page["Marker"] == marker
        seen += [item["Id"] for item in page["Items"]]
        marker = page.get("NextMarker")
    assert seen == ids
    assert page["IsTruncated"] is False

    summary = first["Items"][0]
    assert summary["Name"] == "oac-0"
    assert summary["SigningBehavior"] == "always"
    assert summary["OriginAccessControlOriginType"] == "s3"


def test_list_of_no_oacs_is_empty(cf):
    listed = cf.list_origin_access_controls()["OriginAccessControlList"]
    assert listed["Quantity"] == 0
    assert listed["IsTruncated"] is False
    assert "Items" not in listed


# --- validation ---

BAD_CONFIGS = {
    "signing protocol": {"SigningProtocol": "sigv2"},
    "signing behavior": {"SigningBehavior": "sometimes"},
    "origin type": {"OriginAccessControlOriginType": "custom"},
    "name too long": {"Name": "n" * 65},
    "empty name": {"Name": ""},
    "always-amz-auth off lambda": {"SigningBehavior": "always-amz-auth"},
}


@pytest.mark.parametrize("changes", BAD_CONFIGS.values(), ids=BAD_CONFIGS.keys())
def test_create_with_an_invalid_config_is_invalid_argument(cf, changes):
    with pytest.raises(ClientError) as excinfo:
        cf.create_origin_access_control(OriginAccessControlConfig=oac_config(**changes))
    assert_error(excinfo, "InvalidArgument", 400)
    assert cf.list_origin_access_controls()["OriginAccessControlList"]["Quantity"] == 0


@pytest.mark.parametrize("changes", BAD_CONFIGS.values(), ids=BAD_CONFIGS.keys())
def test_update_with_an_invalid_config_is_invalid_argument(cf, changes):
    oac_id, etag = create_oac(cf)
    with pytest.raises(ClientError) as excinfo:
        cf.update_origin_access_control(
            Id=oac_id, IfMatch=etag, OriginAccessControlConfig=oac_config(**changes)
        )
    assert_error(excinfo, "InvalidArgument", 400)
    assert cf.get_origin_access_control_config(Id=oac_id)["OriginAccessControlConfig"] == (
        oac_config()
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"SigningBehavior": "never"},
        {"SigningBehavior": "no-override"},
        {"OriginAccessControlOriginType": "mediastore"},
        {"OriginAccessControlOriginType": "mediapackagev2"},
        {"OriginAccessControlOriginType": "lambda", "SigningBehavior": "always-amz-auth"},
        {"Name": "n" * 64},
    ],
    ids=["never", "no-override", "mediastore", "mediapackagev2", "lambda", "64-char name"],
)
def test_create_accepts_every_valid_value(cf, changes):
    oac_id, _ = create_oac(cf, **changes)
    got = cf.get_origin_access_control_config(Id=oac_id)["OriginAccessControlConfig"]
    assert got == oac_config(**changes)


# --- update ---


def test_update_changes_the_config_and_the_etag(cf):
    oac_id, etag = create_oac(cf)
    new = oac_config("media-renamed", SigningBehavior="no-override", Description="")
    updated = cf.update_origin_access_control(
        Id=oac_id, IfMatch=etag, OriginAccessControlConfig=new
    )
    assert updated["OriginAccessControl"]["OriginAccessControlConfig"] == new
    assert updated["ETag"] != etag
    got = cf.get_origin_access_control(Id=oac_id)
    assert got["ETag"] == updated["ETag"]
    assert got["OriginAccessControl"]["OriginAccessControlConfig"]["SigningBehavior"] == (
        "no-override"
    )


def test_update_without_if_match_is_invalid_if_match_version(cf):
    oac_id, _ = create_oac(cf)
    with pytest.raises(ClientError) as excinfo:
        cf.update_origin_access_control(
            Id=oac_id, OriginAccessControlConfig=oac_config(SigningBehavior="never")
        )
    assert_error(excinfo, "InvalidIfMatchVersion", 400)
    config = cf.get_origin_access_control_config(Id=oac_id)["OriginAccessControlConfig"]
    assert config["SigningBehavior"] == "always"


def test_update_with_a_stale_if_match_is_precondition_failed(cf):
    oac_id, first_etag = create_oac(cf)
    cf.update_origin_access_control(
        Id=oac_id, IfMatch=first_etag, OriginAccessControlConfig=oac_config(Description="v2")
    )
    with pytest.raises(ClientError) as excinfo:
        cf.update_origin_access_control(
            Id=oac_id, IfMatch=first_etag, OriginAccessControlConfig=oac_config(Description="v3")
        )
    assert_error(excinfo, "PreconditionFailed", 412)
    config = cf.get_origin_access_control_config(Id=oac_id)["OriginAccessControlConfig"]
    assert config["Description"] == "v2"


def test_update_to_the_name_of_another_oac_is_origin_access_control_already_exists(cf):
    create_oac(cf, "first")
    oac_id, etag = create_oac(cf, "second")
    with pytest.raises(ClientError) as excinfo:
        cf.update_origin_access_control(
            Id=oac_id, IfMatch=etag, OriginAccessControlConfig=oac_config("first")
        )
    assert_error(excinfo, "OriginAccessControlAlreadyExists", 409)


def test_update_keeping_its_own_name_is_allowed(cf):
    oac_id, etag = create_oac(cf, "media")
    updated = cf.update_origin_access_control(
        Id=oac_id, IfMatch=etag, OriginAccessControlConfig=oac_config("media", Description="x")
    )
    assert updated["OriginAccessControl"]["OriginAccessControlConfig"]["Description"] == "x"


def test_update_changing_the_origin_type_is_illegal_update(cf):
    oac_id, etag = create_oac(cf)
    with pytest.raises(ClientError) as excinfo:
        cf.update_origin_access_control(
            Id=oac_id,
            IfMatch=etag,
            OriginAccessControlConfig=oac_config(OriginAccessControlOriginType="mediastore"),
        )
    assert_error(excinfo, "IllegalUpdate", 400)


# --- delete ---


def test_delete_with_the_current_etag_removes_it(cf):
    oac_id, etag = create_oac(cf)
    deleted = cf.delete_origin_access_control(Id=oac_id, IfMatch=etag)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as excinfo:
        cf.get_origin_access_control(Id=oac_id)
    assert_error(excinfo, "NoSuchOriginAccessControl", 404)


def test_delete_without_if_match_is_invalid_if_match_version(cf):
    oac_id, _ = create_oac(cf)
    with pytest.raises(ClientError) as excinfo:
        cf.delete_origin_access_control(Id=oac_id)
    assert_error(excinfo, "InvalidIfMatchVersion", 400)
    assert cf.get_origin_access_control(Id=oac_id)["OriginAccessControl"]["Id"] == oac_id


def test_delete_with_a_stale_if_match_is_precondition_failed(cf):
    oac_id, first_etag = create_oac(cf)
    cf.update_origin_access_control(
        Id=oac_id, IfMatch=first_etag, OriginAccessControlConfig=oac_config(Description="v2")
    )
    with pytest.raises(ClientError) as excinfo:
        cf.delete_origin_access_control(Id=oac_id, IfMatch=first_etag)
    assert_error(excinfo, "PreconditionFailed", 412)
    assert cf.get_origin_access_control(Id=oac_id)["OriginAccessControl"]["Id"] == oac_id


def test_delete_while_a_distribution_uses_it_is_origin_access_control_in_use(cf):
    oac_id, etag = create_oac(cf)
    created = cf.create_distribution(DistributionConfig=distribution_config("d1", oac_id))
    dist_id = created["Distribution"]["Id"]

    with pytest.raises(ClientError) as excinfo:
        cf.delete_origin_access_control(Id=oac_id, IfMatch=etag)
    assert_error(excinfo, "OriginAccessControlInUse", 409)

    # Disabled is still in use; only once no origin names it can it go.
    current = cf.get_distribution_config(Id=dist_id)
    config = current["DistributionConfig"]
    config["Enabled"] = False
    updated = cf.update_distribution(Id=dist_id, IfMatch=current["ETag"], DistributionConfig=config)
    with pytest.raises(ClientError) as excinfo:
        cf.delete_origin_access_control(Id=oac_id, IfMatch=etag)
    assert_error(excinfo, "OriginAccessControlInUse", 409)

    config["Origins"]["Items"][0]["OriginAccessControlId"] = ""
    cf.update_distribution(Id=dist_id, IfMatch=updated["ETag"], DistributionConfig=config)
    cf.delete_origin_access_control(Id=oac_id, IfMatch=etag)
    assert cf.list_origin_access_controls()["OriginAccessControlList"]["Quantity"] == 0


def test_delete_after_the_distribution_is_deleted_is_allowed(cf):
    oac_id, etag = create_oac(cf)
    created = cf.create_distribution(
        DistributionConfig=distribution_config("d1", oac_id, enabled=False)
    )
    dist_id = created["Distribution"]["Id"]
    cf.get_waiter("distribution_deployed").wait(Id=dist_id, WaiterConfig=WAIT)
    cf.delete_distribution(Id=dist_id, IfMatch=created["ETag"])
    cf.delete_origin_access_control(Id=oac_id, IfMatch=etag)
    assert cf.list_origin_access_controls()["OriginAccessControlList"]["Quantity"] == 0


# --- unknown ids ---

UNKNOWN_CALLS = {
    "get": lambda cf: cf.get_origin_access_control(Id="E000000000000"),
    "get_config": lambda cf: cf.get_origin_access_control_config(Id="E000000000000"),
    "update": lambda cf: cf.update_origin_access_control(
        Id="E000000000000", IfMatch="E1", OriginAccessControlConfig=oac_config()
    ),
    "delete": lambda cf: cf.delete_origin_access_control(Id="E000000000000", IfMatch="E1"),
}


@pytest.mark.parametrize("call", UNKNOWN_CALLS.values(), ids=UNKNOWN_CALLS.keys())
def test_an_unknown_id_is_no_such_origin_access_control(cf, call):
    with pytest.raises(ClientError) as excinfo:
        call(cf)
    assert_error(excinfo, "NoSuchOriginAccessControl", 404)
