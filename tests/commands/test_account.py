"""`profile` and `region`, and the settables: a switch changes the client the next command uses;
an MFA code is asked once per session and cached as the AWS CLI does.

Real commands run in-process against the simulator (moto answers STS too, so assumed roles work
offline).
"""

from __future__ import annotations

import os

import boto3
import pytest

from cfshell import credentials
from cfshell.commands.base import CfShellCommandSet
from simulator import simulate


class Probe(CfShellCommandSet):
    """A command that lists the buckets of the region its S3 client is in."""

    def do_buckets_here(self, _statement: object) -> None:
        s3 = self.session.client("s3")
        region = s3.meta.region_name
        names = [b["Name"] for b in s3.list_buckets(BucketRegion=region).get("Buckets", [])]
        self.say(f"{region}: {' '.join(sorted(names)) or '-'}")


def _two_region_buckets() -> None:
    creds = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    boto3.client("s3", region_name="us-east-1", **creds).create_bucket(Bucket="videos-us")
    boto3.client("s3", region_name="eu-west-1", **creds).create_bucket(
        Bucket="videos-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )


def test_settables_are_there_and_take_effect(make_shell):
    shell = make_shell(command_sets=(Probe,))
    session = shell.session
    listing = shell.ok("set")
    for name in ("output", "region", "profile", "concurrency", "wait_timeout"):
        assert name in listing
    shell.ok("set output json")
    shell.ok("set concurrency 4")
    shell.ok("set wait_timeout 30")
    shell.ok("set region eu-west-1")
    assert (session.output, session.concurrency, session.wait_timeout) == ("json", 4, 30)
    assert session.region == "eu-west-1"
    err = shell.run("set region eu-wset-1").err
    assert "did you mean eu-west-1?" in err and session.region == "eu-west-1"
    result = shell.run("region nowhere")
    assert result.failed and result.err.strip().startswith("Error: 'nowhere' is not a region name")


def test_switching_region_changes_the_client_of_the_next_command(make_shell):
    shell = make_shell(command_sets=(Probe,))
    shell.ok("sim bucket list")  # starts the simulator
    _two_region_buckets()
    assert shell.ok("buckets_here").strip() == "us-east-1: videos-us"
    assert "region eu-west-1" in shell.ok("region eu-west-1")
    assert shell.ok("buckets_here").strip() == "eu-west-1: videos-eu"
    shell.ok("set region us-east-1")
    assert shell.ok("buckets_here").strip() == "us-east-1: videos-us"


@pytest.fixture
def aws_config(tmp_path, monkeypatch):
    """A HOME with ~/.aws/config and credentials: profiles alpha, beta, and mfa (assumed role)."""
    for name in list(os.environ):
        if name.startswith("AWS_") and name != "AWS_EC2_METADATA_DISABLED":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    aws = tmp_path / ".aws"
    aws.mkdir()
    (aws / "config").write_text(
        "[profile alpha]\nregion = us-east-1\n"
        "[profile beta]\nregion = eu-west-1\n"
        "[profile mfa]\nregion = eu-west-1\nsource_profile = alpha\n"
        "role_arn = arn:aws:iam::123456789012:role/video-admin\n"
        "mfa_serial = arn:aws:iam::123456789012:mfa/me\n"
    )
    (aws / "credentials").write_text(
        "[alpha]\naws_access_key_id = alphakeyalphakey\naws_secret_access_key = alpha\n"
        "[beta]\naws_access_key_id = betakeybetakeybe\naws_secret_access_key = beta\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(aws / "credentials"))
    return tmp_path


def _access_key(client: object) -> str:
    return client._request_signer._credentials.get_frozen_credentials().access_key


def test_switching_profile_changes_credentials_and_region_of_the_next_command(
    aws_config, make_shell
):
    with simulate():
        _two_region_buckets()
        # Boto3's normal path (not cfshell's simulator mode), answered in-process by moto.
        shell = make_shell(simulate=False, profile="alpha", command_sets=(Probe,))
        session = shell.session
        assert shell.ok("buckets_here").strip() == "us-east-1: videos-us"
        assert _access_key(session.client("s3")) == "alphakeyalphakey"

        assert "profile beta (region eu-west-1)" in shell.ok("profile beta")
        assert shell.ok("buckets_here").strip() == "eu-west-1: videos-eu"
        assert _access_key(session.client("s3")) == "betakeybetakeybe"

        shell.ok("set profile alpha")
        assert shell.ok("buckets_here").strip() == "us-east-1: videos-us"

        result = shell.run("profile alpah")
        assert result.failed and "did you mean alpha?" in result.err
        assert session.profile == "alpha"


def test_an_mfa_code_is_asked_once_per_session_and_cached_as_the_aws_cli_does(
    aws_config, make_shell, monkeypatch
):
    asked: list[str] = []

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return "123456"

    monkeypatch.setattr(credentials, "ask_mfa_code", answer)
    with simulate():
        _two_region_buckets()
        shell = make_shell(simulate=False, profile="mfa", command_sets=(Probe,))
        session = shell.session
        first = session.boto3_session
        assert shell.ok("buckets_here").strip() == "eu-west-1: videos-eu"
        shell.ok("oai list")
        shell.ok("streaming list")
        assert shell.ok("buckets_here").strip() == "eu-west-1: videos-eu"
        assert len(asked) == 1 and "arn:aws:iam::123456789012:mfa/me" in asked[0]
        # One boto3 session for the whole cfshell session: its credentials are reused.
        assert session.boto3_session is first
        assert _access_key(session.client("s3")).startswith("ASIA")

        # The next cfshell session finds the assumed role in the AWS CLI's cache.
        assert list((aws_config / ".aws" / "cli" / "cache").glob("*.json"))
        again = make_shell(simulate=False, profile="mfa", command_sets=(Probe,))
        again.ok("buckets_here")
        assert len(asked) == 1
