"""cfshell.session: the mode, lazily created and cached clients, and a cheap start-up."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cfshell.errors import UsageError
from cfshell.session import Session


@pytest.fixture(autouse=True)
def no_real_credentials(monkeypatch, tmp_path):
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))


def test_clients_are_cached_and_dropped_on_region_or_profile_change():
    session = Session(simulate=True)
    try:
        cf = session.client("cloudfront")
        assert session.client("cloudfront") is cf
        assert session.boto3_session.region_name == "us-east-1"
        session.set_region("eu-west-1")
        s3 = session.client("s3")
        assert s3.meta.region_name == "eu-west-1"
        assert session.client("cloudfront") is not cf
    finally:
        session.close()


def test_simulator_starts_on_first_client_only():
    session = Session(simulate=True)
    assert not session.simulation_started
    try:
        session.client("s3").create_bucket(Bucket="in-process-only")
        assert session.simulation_started
        assert [b["Name"] for b in session.client("s3").list_buckets()["Buckets"]] == [
            "in-process-only"
        ]
    finally:
        session.close()
    assert not session.simulation_started


def test_endpoint_url_goes_to_every_client_with_fake_keys_on_loopback():
    session = Session(endpoint_url="http://127.0.0.1:5999")
    assert session.client("cloudfront").meta.endpoint_url == "http://127.0.0.1:5999"
    assert session.client("s3").meta.endpoint_url == "http://127.0.0.1:5999"
    assert session.boto3_session.get_credentials().access_key == "testing"
    assert session.mode == "endpoint" and session.offline


def test_real_aws_mode_uses_the_credential_chain():
    session = Session(profile=None, region="eu-west-1")
    assert session.mode == "aws" and not session.offline
    assert session.boto3_session.get_credentials() is None  # nothing invented
    assert session.mode_label == "default@eu-west-1"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"simulate": True, "endpoint_url": "http://127.0.0.1:1"},
        {"endpoint_url": "127.0.0.1:5000"},
        {"output": "yaml"},
    ],
)
def test_bad_modes_are_usage_errors(kwargs):
    with pytest.raises(UsageError):
        Session(**kwargs)


def test_start_up_imports_neither_boto3_nor_moto():
    code = (
        "import sys, io\n"
        "from cfshell.app import CfShell\n"
        "from cfshell.session import Session\n"
        "app = CfShell(Session(simulate=True), stdout=io.StringIO())\n"
        "app.onecmd_plus_hooks('context')\n"
        "heavy = [m for m in ('boto3', 'moto', 'botocore.client') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
