"""The simulator's clock: advanced (never back) in-process and served; what goes by it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import boto3
import pytest

import simulator
from simulator.launcher import serve_in_thread

CONFIG = {
    "CallerReference": "clock",
    "S3Origin": {"DomainName": "clock-bucket.s3.amazonaws.com", "OriginAccessIdentity": ""},
    "Comment": "",
    "TrustedSigners": {"Enabled": False, "Quantity": 0},
    "Enabled": True,
}


def _clients(**kw):
    options = dict(region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t", **kw)
    return boto3.client("cloudfront", **options), boto3.client("s3", **options)


def _create(cf, s3) -> str:
    s3.create_bucket(Bucket="clock-bucket")
    made = cf.create_streaming_distribution(StreamingDistributionConfig=CONFIG)
    assert made["StreamingDistribution"]["Status"] == "InProgress"
    return made["StreamingDistribution"]["Id"]


def test_advancing_the_clock_deploys_at_once_in_process() -> None:
    with simulate_slow():
        cf, s3 = _clients()
        dist_id = _create(cf, s3)
        before = simulator.clock_now()
        assert simulator.advance_clock(599) >= before + 599
        status = cf.get_streaming_distribution(Id=dist_id)["StreamingDistribution"]["Status"]
        assert status == "InProgress"  # 600 s have not passed yet
        simulator.advance_clock(2)
        status = cf.get_streaming_distribution(Id=dist_id)["StreamingDistribution"]["Status"]
        assert status == "Deployed"


def simulate_slow():
    return simulator.simulate(deploy_seconds=600)


def test_the_clock_never_goes_back_and_a_new_simulation_starts_on_the_wall_clock() -> None:
    with simulate_slow():
        with pytest.raises(ValueError, match="only moves forward"):
            simulator.advance_clock(-1)
        simulator.advance_clock(3600)
    with simulate_slow():
        import time

        assert abs(simulator.clock_now() - time.time()) < 5


def test_served_clock_route_and_api() -> None:
    served = serve_in_thread(deploy_seconds=600)
    try:
        cf, s3 = _clients(endpoint_url=served.url)
        dist_id = _create(cf, s3)
        with urllib.request.urlopen(served.url + "/_simulator/clock") as response:
            first = json.loads(response.read())
        assert first["offset"] == 0
        now = simulator.advance_clock(601, endpoint_url=served.url)
        assert now >= first["now"] + 601
        assert simulator.clock_now(endpoint_url=served.url) >= now
        status = cf.get_streaming_distribution(Id=dist_id)["StreamingDistribution"]["Status"]
        assert status == "Deployed"
        with pytest.raises(ValueError):
            simulator.advance_clock(-5, endpoint_url=served.url)
        request = urllib.request.Request(
            served.url + "/_simulator/clock", data=b'{"advance": -5}', method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        assert refused.value.code == 400
    finally:
        served.stop()


def test_an_endpoint_without_the_clock_is_an_oserror() -> None:
    with pytest.raises(OSError):
        simulator.clock_now(endpoint_url="http://127.0.0.1:9")


@pytest.mark.parametrize("mode", ["inproc", "served"])
def test_a_held_clock_moves_only_when_advanced_and_runs_on_from_there(mode) -> None:
    """What a replay relies on: while held, a slow machine does not make time pass."""
    import time

    served = serve_in_thread(deploy_seconds=1) if mode == "served" else None
    running = simulator.simulate(deploy_seconds=1) if served is None else None
    endpoint = {"endpoint_url": served.url} if served else {}
    try:
        if running is not None:
            running.start()
        cf, s3 = _clients(**endpoint)
        held_at = simulator.hold_clock(True, **endpoint)
        dist_id = _create(cf, s3)
        time.sleep(1.3)  # longer than the deploy delay, on the wall clock
        assert simulator.clock_now(**endpoint) == held_at
        status = cf.get_streaming_distribution(Id=dist_id)["StreamingDistribution"]["Status"]
        assert status == "InProgress"
        assert simulator.advance_clock(1.5, **endpoint) == held_at + 1.5
        status = cf.get_streaming_distribution(Id=dist_id)["StreamingDistribution"]["Status"]
        assert status == "Deployed"
        released = simulator.hold_clock(False, **endpoint)
        assert released >= held_at + 1.5  # runs on from the held time, never back
        time.sleep(0.05)
        assert simulator.clock_now(**endpoint) > released
    finally:
        if served is not None:
            served.stop()
        if running is not None:
            running.stop()
