"""Fault injection, in-process and served: throttling errors as AWS sends them, and latency.

boto3 retries throttling errors by default; these clients make one attempt so the error shows.
"""

from __future__ import annotations

import time

import boto3
import pytest
from botocore.config import Config

from simulator import simulate
from simulator.config import settings
from simulator.launcher import serve_in_thread

ONE_ATTEMPT = Config(retries={"total_max_attempts": 1})
CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
}


@pytest.fixture(params=["inproc", "served"])
def simulator_with(request):
    """simulator_with(**options) -> (cf, s3) clients of a simulator started with those options."""
    stops = []

    def start(**options):
        if request.param == "inproc":
            sim = simulate(**options).start()
            stops.append(sim.stop)
            endpoint = {}
        else:
            served = serve_in_thread("127.0.0.1", 0, **options)
            stops.append(served.stop)
            endpoint = {"endpoint_url": served.url}
        session = boto3.session.Session()
        return tuple(
            session.client(service, config=ONE_ATTEMPT, **endpoint, **CREDENTIALS)
            for service in ("cloudfront", "s3")
        )

    yield start
    for stop in reversed(stops):
        stop()


def _error(call, *args, **kwargs) -> dict:
    with pytest.raises(Exception) as caught:  # noqa: B017 - a ClientError of either client
        call(*args, **kwargs)
    return caught.value.response


def test_off_by_default(simulator_with):
    cf, s3 = simulator_with()
    for _ in range(20):
        cf.list_distributions()
        s3.list_buckets()


def test_cloudfront_throttling_is_400_throttling(simulator_with):
    cf, _ = simulator_with(fault_rate=1.0)
    calls = (
        cf.list_distributions,
        cf.list_streaming_distributions,
        cf.list_cloud_front_origin_access_identities,
        cf.list_origin_access_controls,
        cf.list_key_groups,
    )
    for call in calls:
        response = _error(call)
        assert response["Error"]["Code"] == "Throttling"
        assert response["Error"]["Message"] == "Rate exceeded"
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_s3_throttling_is_503_slowdown(simulator_with):
    _, s3 = simulator_with(fault_rate=1.0)
    response = _error(s3.list_buckets)
    assert response["Error"]["Code"] == "SlowDown"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 503
    response = _error(s3.put_object, Bucket="video-bucket", Key="a.mp4", Body=b"x")
    assert response["Error"]["Code"] == "SlowDown"
    # HEAD has no body, so botocore knows the error by its status alone, as with AWS.
    response = _error(s3.head_object, Bucket="video-bucket", Key="a.mp4")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 503


def test_throttled_request_changes_nothing(simulator_with):
    cf, s3 = simulator_with(fault_rate=1.0)
    _error(s3.create_bucket, Bucket="video-bucket")
    settings.fault_rate = 0.0  # the same simulator, faults now off
    assert s3.list_buckets()["Buckets"] == []


def test_boto3_default_retries_absorb_a_few_faults(simulator_with):
    # With this seed the draws fault the 1st, 6th and 7th request, and the 9th.
    _, one_attempt = simulator_with(fault_rate=0.3, fault_seed=3)
    endpoint = one_attempt.meta.endpoint_url
    # A client with boto3's default retries, as cfshell's are, gets through as against AWS.
    retrying = boto3.session.Session().client(
        "s3", endpoint_url=None if "amazonaws.com" in endpoint else endpoint, **CREDENTIALS
    )
    for _ in range(5):
        retrying.list_buckets()
    assert _error(one_attempt.list_buckets)["Error"]["Code"] == "SlowDown"


def test_latency_is_added_to_every_request(simulator_with):
    cf, s3 = simulator_with(latency_ms=120)
    started = time.monotonic()
    s3.list_buckets()
    cf.list_distributions()
    assert time.monotonic() - started >= 0.24


def test_partial_rate_is_repeatable_with_a_seed(simulator_with):
    def outcomes(seed):
        _, s3 = simulator_with(fault_rate=0.5, fault_seed=seed)
        seen = []
        for _ in range(60):
            try:
                s3.list_buckets()
                seen.append("ok")
            except s3.exceptions.ClientError as err:
                seen.append(err.response["Error"]["Code"])
        return seen

    first = outcomes(11)
    assert set(first) == {"ok", "SlowDown"}
    assert 15 <= first.count("SlowDown") <= 45
    assert outcomes(11) == first


def test_settings_come_back_when_the_simulator_stops():
    before = settings.snapshot()
    with simulate(fault_rate=1.0, latency_ms=5):
        assert settings.fault_rate == 1.0
    assert settings.snapshot() == before
    served = serve_in_thread("127.0.0.1", 0, fault_rate=0.5)
    assert settings.fault_rate == 0.5
    served.stop()
    assert settings.snapshot() == before


@pytest.mark.parametrize(
    "options",
    [{"fault_rate": 1.5}, {"fault_rate": -0.1}, {"latency_ms": -1}, {"deploy_seconds": -2}],
)
def test_out_of_range_options_are_refused(options):
    with pytest.raises(ValueError):
        simulate(**options)
    before = settings.snapshot()
    with pytest.raises(ValueError):
        serve_in_thread("127.0.0.1", 0, **options)
    assert settings.snapshot() == before
