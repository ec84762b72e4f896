"""Invalidations behave like AWS where moto 5.2 is lenient (simulator.invalidations), via boto3."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError

WAIT = {"Delay": 0.1, "MaxAttempts": 50}
UNKNOWN = "E000000000000"


def distribution_config(reference: str) -> dict:
    return {
        "CallerReference": reference,
        "Comment": "media",
        "Enabled": True,
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
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
        },
    }


@pytest.fixture
def dist_id(cf) -> str:
    created = cf.create_distribution(DistributionConfig=distribution_config("media"))
    return created["Distribution"]["Id"]


def batch(*paths: str, reference: str | None = None, quantity: int | None = None) -> dict:
    return {
        "Paths": {"Quantity": len(paths) if quantity is None else quantity, "Items": list(paths)},
        "CallerReference": reference or str(uuid.uuid4()),
    }


def invalidate(cf, dist_id: str, *paths: str, **kwargs) -> dict:
    response = cf.create_invalidation(
        DistributionId=dist_id, InvalidationBatch=batch(*paths, **kwargs)
    )
    return response["Invalidation"]


def assert_error(excinfo: pytest.ExceptionInfo, code: str, status: int) -> None:
    response = excinfo.value.response
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (
        code,
        status,
    )


def listed_ids(cf, dist_id: str) -> list[str]:
    items = cf.list_invalidations(DistributionId=dist_id)["InvalidationList"].get("Items", [])
    return [item["Id"] for item in items]


# --- create, get, the waiter ---


def test_create_answers_201_in_progress_with_location_and_batch(cf, dist_id):
    response = cf.create_invalidation(
        DistributionId=dist_id, InvalidationBatch=batch("/index.html", "/video/*", reference="r1")
    )
    invalidation = response["Invalidation"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert invalidation["Status"] == "InProgress"
    assert response["Location"] == (
        "https://cloudfront.amazonaws.com/2020-05-31/distribution/"
        f"{dist_id}/invalidation/{invalidation['Id']}"
    )
    assert invalidation["InvalidationBatch"] == batch("/index.html", "/video/*", reference="r1")
    assert invalidation["CreateTime"]


def test_get_is_in_progress_then_completed_and_the_waiter_sees_it(cf, dist_id):
    created = invalidate(cf, dist_id, "/index.html")
    got = cf.get_invalidation(DistributionId=dist_id, Id=created["Id"])["Invalidation"]
    assert got["Status"] == "InProgress"
    assert got["InvalidationBatch"]["Paths"]["Items"] == ["/index.html"]

    cf.get_waiter("invalidation_completed").wait(
        DistributionId=dist_id, Id=created["Id"], WaiterConfig=WAIT
    )
    got = cf.get_invalidation(DistributionId=dist_id, Id=created["Id"])["Invalidation"]
    assert got["Status"] == "Completed"


def test_distribution_counts_its_in_progress_invalidation_batches(cf, dist_id):
    made = [invalidate(cf, dist_id, path)["Id"] for path in ("/a", "/b")]
    assert cf.get_distribution(Id=dist_id)["Distribution"]["InProgressInvalidationBatches"] == 2
    waiter = cf.get_waiter("invalidation_completed")
    for invalidation_id in made:
        waiter.wait(DistributionId=dist_id, Id=invalidation_id, WaiterConfig=WAIT)
    assert cf.get_distribution(Id=dist_id)["Distribution"]["InProgressInvalidationBatches"] == 0


def test_create_on_an_unknown_distribution_is_no_such_distribution(cf):
    with pytest.raises(ClientError) as excinfo:
        invalidate(cf, UNKNOWN, "/index.html")
    assert_error(excinfo, "NoSuchDistribution", 404)


def test_get_on_an_unknown_distribution_is_no_such_distribution(cf):
    with pytest.raises(ClientError) as excinfo:
        cf.get_invalidation(DistributionId=UNKNOWN, Id="I000000000000")
    assert_error(excinfo, "NoSuchDistribution", 404)


def test_get_of_an_unknown_invalidation_is_no_such_invalidation(cf, dist_id):
    invalidate(cf, dist_id, "/index.html")
    with pytest.raises(ClientError) as excinfo:
        cf.get_invalidation(DistributionId=dist_id, Id="I000000000000")
    assert_error(excinfo, "NoSuchInvalidation", 404)


# --- paths ---


@pytest.mark.parametrize(
    "paths",
    [("index.html",), ("/ok.html", "video/*"), ("/video/*/index.m3u8",), ("*",)],
    ids=["no leading slash", "one of two", "wildcard inside", "bare wildcard"],
)
def test_an_invalid_path_is_invalid_argument(cf, dist_id, paths):
    with pytest.raises(ClientError) as excinfo:
        invalidate(cf, dist_id, *paths)
    assert_error(excinfo, "InvalidArgument", 400)
    assert listed_ids(cf, dist_id) == []


@pytest.mark.parametrize("path", ["/*", "/video/*", "/video/clip*", "/"])
def test_wildcards_at_the_end_and_the_root_are_valid(cf, dist_id, path):
    created = invalidate(cf, dist_id, path)
    assert created["InvalidationBatch"]["Paths"]["Items"] == [path]


def test_a_quantity_other_than_the_number_of_paths_is_inconsistent_quantities(cf, dist_id):
    with pytest.raises(ClientError) as excinfo:
        invalidate(cf, dist_id, "/a", "/b", quantity=3)
    assert_error(excinfo, "InconsistentQuantities", 400)
    assert listed_ids(cf, dist_id) == []


def test_a_batch_without_paths_is_invalid_argument(cf, dist_id):
    with pytest.raises(ClientError) as excinfo:
        invalidate(cf, dist_id)
    assert_error(excinfo, "InvalidArgument", 400)


# --- CallerReference ---


def test_the_same_reference_and_paths_return_the_existing_invalidation(cf, dist_id):
    first = invalidate(cf, dist_id, "/a", "/b", reference="deploy-42")
    again = invalidate(cf, dist_id, "/b", "/a", reference="deploy-42")
    assert again["Id"] == first["Id"]
    assert listed_ids(cf, dist_id) == [first["Id"]]


def test_the_same_reference_with_other_paths_is_invalid_argument(cf, dist_id):
    first = invalidate(cf, dist_id, "/a", reference="deploy-42")
    with pytest.raises(ClientError) as excinfo:
        invalidate(cf, dist_id, "/a", "/b", reference="deploy-42")
    assert_error(excinfo, "InvalidArgument", 400)
    assert "caller reference" in excinfo.value.response["Error"]["Message"]
    assert listed_ids(cf, dist_id) == [first["Id"]]


def test_the_same_reference_on_another_distribution_makes_a_new_invalidation(cf, dist_id):
    other = cf.create_distribution(DistributionConfig=distribution_config("other"))
    other_id = other["Distribution"]["Id"]
    first = invalidate(cf, dist_id, "/a", reference="deploy-42")
    second = invalidate(cf, other_id, "/a", reference="deploy-42")
    assert second["Id"] != first["Id"]
    assert listed_ids(cf, other_id) == [second["Id"]]


# --- quotas ---


def test_more_than_15_wildcard_paths_in_progress_is_too_many_invalidations(cf, dist_id):
    with pytest.raises(ClientError) as excinfo:
        invalidate(cf, dist_id, *(f"/dir{n}/*" for n in range(16)))
    assert_error(excinfo, "TooManyInvalidationsInProgress", 400)

    invalidate(cf, dist_id, *(f"/dir{n}/*" for n in range(15)))
    # File paths are counted apart from wildcards.
    invalidate(cf, dist_id, "/index.html")
    with pytest.raises(ClientError) as excinfo:
        invalidate(cf, dist_id, "/more/*")
    assert_error(excinfo, "TooManyInvalidationsInProgress", 400)


def test_more_than_3000_file_paths_in_progress_is_too_many_invalidations(cf, dist_id):
    with pytest.raises(ClientError) as excinfo:
        invalidate(cf, dist_id, *(f"/f{n}" for n in range(3001)))
    assert_error(excinfo, "TooManyInvalidationsInProgress", 400)
    assert listed_ids(cf, dist_id) == []


# --- list ---


def test_list_is_newest_first_and_pages_by_invalidation_id(cf, dist_id):
    made = [invalidate(cf, dist_id, f"/page{n}.html")["Id"] for n in range(5)]
    newest_first = made[::-1]

    first = cf.list_invalidations(DistributionId=dist_id, MaxItems="2")["InvalidationList"]
    assert [item["Id"] for item in first["Items"]] == newest_first[:2]
    assert first["IsTruncated"] is True
    assert first["NextMarker"] == newest_first[1]
    assert first["MaxItems"] == 2
    assert first["Quantity"] == 2
    assert first["Items"][0]["Status"] == "InProgress"

    seen = [item["Id"] for item in first["Items"]]
    marker = first["NextMarker"]
    while marker:
        page = cf.list_invalidations(DistributionId=dist_id, Marker=marker, MaxItems="2")
        page = page["InvalidationList"]
        assert page["Marker"] == marker
        seen += [item["Id"] for item in page["Items"]]
        marker = page.get("NextMarker")
    assert seen == newest_first
    assert page["IsTruncated"] is False


def test_list_of_a_distribution_without_invalidations_is_empty(cf, dist_id):
    listed = cf.list_invalidations(DistributionId=dist_id)["InvalidationList"]
    assert (listed["Quantity"], listed["IsTruncated"]) == (0, False)
    assert "Items" not in listed


def test_list_on_an_unknown_distribution_is_no_such_distribution(cf):
    with pytest.raises(ClientError) as excinfo:
        cf.list_invalidations(DistributionId=UNKNOWN)
    assert_error(excinfo, "NoSuchDistribution", 404)
