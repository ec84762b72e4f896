"""`python -m simulator serve` and `cfshell-sim serve`, run as a user would: in a subprocess."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

CLI = [sys.executable, "-m", "simulator"]
CONSOLE_SCRIPT = [str(Path(sys.executable).with_name("cfshell-sim"))]
ONE_ATTEMPT = Config(retries={"total_max_attempts": 1})


class Served:
    def __init__(self, proc: subprocess.Popen, url: str) -> None:
        self.proc = proc
        self.url = url

    def client(self, service: str):
        return boto3.session.Session().client(
            service,
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=ONE_ATTEMPT,
        )

    def stop(self, signum: int = signal.SIGTERM) -> subprocess.CompletedProcess:
        self.proc.send_signal(signum)
        out, err = self.proc.communicate(timeout=10)
        return subprocess.CompletedProcess(self.proc.args, self.proc.returncode, out, err)


def _first_line(proc: subprocess.Popen, timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(proc.stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        proc.kill()
        pytest.fail(f"no URL line within {timeout} s")


@pytest.fixture
def serve():
    """Start a served simulator: serve(*args) -> Served; every process is ended at teardown."""
    procs: list[subprocess.Popen] = []

    def start(*args: str, command: list[str] = CLI) -> Served:
        proc = subprocess.Popen(
            [*command, "serve", "--host", "127.0.0.1", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append(proc)
        url = _first_line(proc, timeout=10).strip()
        return Served(proc, url)

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def _run(*args: str, timeout: float = 10) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def test_prints_one_url_line_and_answers_boto3(serve):
    served = serve()
    assert served.url.startswith("http://127.0.0.1:")
    port = int(served.url.rsplit(":", 1)[1])
    assert port > 0  # port 0 picked a real one, and that is the one printed
    s3 = served.client("s3")
    s3.create_bucket(Bucket="video-bucket")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["video-bucket"]
    assert served.client("cloudfront").list_distributions()["DistributionList"]["Quantity"] == 0
    done = served.stop()
    assert done.returncode == 0
    assert done.stdout == ""  # nothing after the URL line
    assert "Traceback" not in done.stderr


def test_accepts_requests_within_3_seconds_of_launch(serve):
    started = time.monotonic()
    served = serve()
    served.client("s3").list_buckets()
    assert time.monotonic() - started < 3.0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_cleanly_and_saves_state(serve, tmp_path, signum):
    state = tmp_path / "world.state"
    served = serve("--state", str(state))
    served.client("s3").create_bucket(Bucket="kept-bucket")
    done = served.stop(signum)
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
    assert state.exists()
    assert oct(state.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == ["world.state"]  # no temporary file left


def test_state_survives_restarts(serve, tmp_path):
    state = tmp_path / "world.state"
    first = serve("--state", str(state))
    s3 = first.client("s3")
    s3.create_bucket(Bucket="video-bucket")
    s3.put_object(Bucket="video-bucket", Key="intro.mp4", Body=b"frames")
    cf = first.client("cloudfront")
    oac_id = cf.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": "video-oac",
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]["Id"]
    assert first.stop().returncode == 0

    second = serve("--state", str(state))
    body = second.client("s3").get_object(Bucket="video-bucket", Key="intro.mp4")["Body"]
    assert body.read() == b"frames"
    oac = second.client("cloudfront").get_origin_access_control(Id=oac_id)
    assert oac["OriginAccessControl"]["OriginAccessControlConfig"]["Name"] == "video-oac"
    second.client("s3").delete_object(Bucket="video-bucket", Key="intro.mp4")
    assert second.stop().returncode == 0

    third = serve("--state", str(state))
    listing = third.client("s3").list_objects_v2(Bucket="video-bucket")
    assert listing["KeyCount"] == 0
    assert third.stop().returncode == 0


def test_every_resource_reads_back_equal_after_a_restart(serve, tmp_path):
    """`--state FILE`: the JSON document written on exit, read on start; every resource, ETag,
    status, ACL grant and policy reads back the same through boto3."""
    from . import world

    state = tmp_path / "world.json"
    first = serve("--state", str(state), "--deploy-seconds", "60")
    clients = [first.client(name) for name in ("cloudfront", "s3", "acm", "route53")]
    cf, s3, acm, route53 = clients
    ids = world.build(cf, s3, acm, route53)
    before = world.read(cf, s3, ids, acm, route53)
    assert first.stop().returncode == 0
    doc = json.loads(state.read_text())
    assert (doc["format"], doc["version"]) == ("cfshell-simulator-state", 2)

    second = serve("--state", str(state))
    cf, s3, acm, route53 = [second.client(name) for name in ("cloudfront", "s3", "acm", "route53")]
    assert world.read(cf, s3, ids, acm, route53) == before
    assert second.stop().returncode == 0


def test_a_pickled_state_file_is_refused_and_left_untouched(tmp_path):
    state = tmp_path / "world.state"
    content = b"cfshell-simulator-state 1 moto=5.2.5\n\x80\x05\x95\x00"
    state.write_bytes(content)
    done = _run("serve", "--port", "0", "--state", str(state))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "a pickle can run code" in done.stderr
    assert state.read_bytes() == content


def test_corrupt_state_file_is_a_one_line_error_and_left_untouched(tmp_path):
    state = tmp_path / "world.state"
    state.write_bytes(b"not a state file\x00\x01")
    done = _run("serve", "--port", "0", "--state", str(state))
    assert done.returncode != 0
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "not a simulator state file" in done.stderr
    assert str(state) in done.stderr
    assert state.read_bytes() == b"not a state file\x00\x01"


def test_truncated_state_file_is_an_error_and_left_untouched(serve, tmp_path):
    state = tmp_path / "world.state"
    served = serve("--state", str(state))
    served.client("s3").create_bucket(Bucket="video-bucket")
    assert served.stop().returncode == 0
    truncated = state.read_bytes()[:-40]
    state.write_bytes(truncated)
    done = _run("serve", "--port", "0", "--state", str(state))
    assert done.returncode != 0
    assert "corrupt or truncated" in done.stderr
    assert "Traceback" not in done.stderr
    assert state.read_bytes() == truncated


def test_missing_state_file_starts_empty_and_is_created(serve, tmp_path):
    state = tmp_path / "new.state"
    served = serve("--state", str(state))
    assert served.client("s3").list_buckets()["Buckets"] == []
    assert served.stop().returncode == 0
    assert state.exists()


def test_state_in_a_missing_folder_is_refused_at_start(tmp_path):
    done = _run("serve", "--port", "0", "--state", str(tmp_path / "nowhere" / "world.state"))
    assert done.returncode == 1
    assert "does not exist" in done.stderr
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "args, complaint",
    [
        (["serve", "--port", "seventy"], "--port"),
        (["serve", "--port", "70000"], "--port"),
        (["serve", "--fault-rate", "1.5"], "--fault-rate"),
        (["serve", "--latency-ms", "-3"], "--latency-ms"),
        (["serve", "--deploy-seconds", "soon"], "--deploy-seconds"),
        (["serve", "--colour", "blue"], "unrecognized arguments"),
        ([], "COMMAND"),
    ],
)
def test_bad_arguments_are_usage_errors(args, complaint):
    done = _run(*args)
    assert done.returncode == 2
    assert done.stderr.startswith("usage: ")
    assert complaint in done.stderr
    assert "Traceback" not in done.stderr


def test_port_in_use_is_a_one_line_error(serve):
    served = serve()
    port = served.url.rsplit(":", 1)[1]
    done = _run("serve", "--port", port)
    assert done.returncode == 1
    assert done.stderr.startswith("cfshell-sim: error: cannot listen on 127.0.0.1:")
    assert done.stderr.count("\n") == 1


def test_console_script_serves_with_faults_and_latency(serve):
    served = serve("--fault-rate", "1", "--latency-ms", "150", command=CONSOLE_SCRIPT)
    cf = served.client("cloudfront")
    started = time.monotonic()
    with pytest.raises(cf.exceptions.ClientError) as caught:
        cf.list_distributions()
    assert time.monotonic() - started >= 0.15
    assert caught.value.response["Error"]["Code"] == "Throttling"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    s3 = served.client("s3")
    with pytest.raises(s3.exceptions.ClientError) as caught:
        s3.list_buckets()
    assert caught.value.response["Error"]["Code"] == "SlowDown"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert served.stop().returncode == 0


def test_deploy_seconds_flag_is_used(serve):
    # A web distribution created on a server with a long deploy delay is still InProgress.
    served = serve("--deploy-seconds", "30")
    cf = served.client("cloudfront")
    s3 = served.client("s3")
    s3.create_bucket(Bucket="video-bucket")
    dist = cf.create_distribution(DistributionConfig=_web_config())["Distribution"]
    assert cf.get_distribution(Id=dist["Id"])["Distribution"]["Status"] == "InProgress"


def _web_config() -> dict:
    return {
        "CallerReference": f"ref-{os.getpid()}-{time.time()}",
        "Comment": "",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "origin",
                    "DomainName": "video-bucket.s3.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "origin",
            "ViewerProtocolPolicy": "allow-all",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
    }
