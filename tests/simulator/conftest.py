"""Every simulator test runs twice: against the in-process simulator and a served one.

Tests use boto3 only, as a client would: the `cf` and `s3` fixtures are plain boto3 clients.
"""

from __future__ import annotations

import boto3
import pytest

from simulator import simulate

REGION = "us-east-1"
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

