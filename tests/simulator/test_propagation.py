"""While a distribution is InProgress the edge serves the previous deployed configuration or
the new one (a seeded share of each); once Deployed, only the new one. Bucket policies apply
at once. So the order of an OAI -> OAC migration decides whether viewers get 403s."""

from __future__ import annotations

import json
import time

import pytest

import simulator

from .conftest import BODY, BUCKET, KEY, _distribution, _oac
from .test_edge import Viewer

OAI_ARN = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {}"


@pytest.fixture
def viewer(mode) -> Viewer:
    return Viewer(mode)


@pytest.fixture
def share(mode):
    """Set the share of requests served by the previous configuration (and a long deploy)."""
    before = simulator.settings()

    def set_share(value: float, seed: int | None = 1, deploy_seconds: float = 30.0) -> None:
        simulator.configure(previous_share=value, edge_seed=seed, deploy_seconds=deploy_seconds)

    yield set_share
    simulator.configure(
        previous_share=before["previous_share"],
        edge_seed=before["edge_seed"],
        deploy_seconds=before["deploy_seconds"],
    )


def _policy(s3, *statements) -> None:
    s3.put_bucket_policy(
        Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    )


def _oai_statement(oai_id: str) -> dict:
    return {
        "Sid": "oai",
        "Effect": "Allow",
        "Principal": {"AWS": OAI_ARN.format(oai_id)},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }


def _oac_statement(dist_arn: str) -> dict:
    return {
        "Sid": "oac",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
        "Condition": {"StringEquals": {"AWS:SourceArn": dist_arn}},
    }


@pytest.fixture
def oai_site(cf, s3):
    """A deployed distribution reading its bucket through an OAI (a bucket-policy grant)."""
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=BODY)
    oai_id = cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": "oai", "Comment": "media"}
    )["CloudFrontOriginAccessIdentity"]["Id"]
    dist = _distribution(cf, oai=f"origin-access-identity/cloudfront/{oai_id}")
    _policy(s3, _oai_statement(oai_id))
    _wait_deployed(cf, dist["Id"])
    return {"dist": dist, "oai_id": oai_id, "url": f"https://{dist['DomainName']}/{KEY}"}


def _wait_deployed(cf, dist_id: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while cf.get_distribution(Id=dist_id)["Distribution"]["Status"] != "Deployed":
        assert time.monotonic() < deadline, f"{dist_id} still InProgress"
        time.sleep(0.05)


def _switch_to_oac(cf, dist_id: str, oac_id: str) -> None:
    answer = cf.get_distribution_config(Id=dist_id)
    config = answer["DistributionConfig"]
    origin = config["Origins"]["Items"][0]
    origin["S3OriginConfig"] = {"OriginAccessIdentity": ""}
    origin["OriginAccessControlId"] = oac_id
    cf.update_distribution(Id=dist_id, IfMatch=answer["ETag"], DistributionConfig=config)


def _statuses(viewer, url: str, count: int) -> list[int]:
    return [viewer.get(url).status for _ in range(count)]


def test_unsafe_order_gives_403s_while_in_progress(cf, s3, viewer, oai_site, share):
    share(1.0)  # every edge still has the previous configuration (the OAI)
    dist = oai_site["dist"]
    oac_id = _oac(cf)
    _policy(s3, _oai_statement(oai_site["oai_id"]), _oac_statement(dist["ARN"]))
    _switch_to_oac(cf, dist["Id"], oac_id)
    assert cf.get_distribution(Id=dist["Id"])["Distribution"]["Status"] == "InProgress"
    _policy(s3, _oac_statement(dist["ARN"]))  # the OAI's statement removed too early

    answer = viewer.get(oai_site["url"])
    assert (answer.status, answer.reason) == (403, "Access Denied")


def test_safe_order_serves_every_request(cf, s3, viewer, oai_site, share):
    share(0.5, seed=3, deploy_seconds=1.0)
    dist = oai_site["dist"]
    _policy(s3, _oai_statement(oai_site["oai_id"]), _oac_statement(dist["ARN"]))
    _switch_to_oac(cf, dist["Id"], _oac(cf))
    assert _statuses(viewer, oai_site["url"], 20) == [200] * 20
    _wait_deployed(cf, dist["Id"])
    _policy(s3, _oac_statement(dist["ARN"]))
    assert _statuses(viewer, oai_site["url"], 10) == [200] * 10


def test_in_progress_serves_a_seeded_share_of_each(cf, s3, viewer, oai_site, share):
    dist = oai_site["dist"]
    share(0.5, seed=11)
    _switch_to_oac(cf, dist["Id"], _oac(cf))
    _policy(s3, _oac_statement(dist["ARN"]))  # only the new configuration can read
    first = _statuses(viewer, oai_site["url"], 30)
    assert set(first) == {200, 403}  # both configurations answered
    simulator.configure(edge_seed=11)
    assert _statuses(viewer, oai_site["url"], 30) == first  # the same seed, the same draw


def test_deployed_serves_only_the_new_configuration(cf, s3, viewer, oai_site, share):
    share(1.0, deploy_seconds=0.3)
    dist = oai_site["dist"]
    _switch_to_oac(cf, dist["Id"], _oac(cf))
    _policy(s3, _oac_statement(dist["ARN"]))
    assert viewer.get(oai_site["url"]).status == 403  # InProgress: the OAI, no longer allowed
    _wait_deployed(cf, dist["Id"])
    assert _statuses(viewer, oai_site["url"], 10) == [200] * 10


def test_share_zero_serves_the_new_configuration_at_once(cf, s3, viewer, oai_site, share):
    share(0.0)
    dist = oai_site["dist"]
    _switch_to_oac(cf, dist["Id"], _oac(cf))
    _policy(s3, _oac_statement(dist["ARN"]))
    assert _statuses(viewer, oai_site["url"], 5) == [200] * 5


def test_previous_share_out_of_range_is_refused():
    with pytest.raises(ValueError, match="previous_share must be between 0 and 1"):
        simulator.configure(previous_share=1.5)
