"""The simulator's public API (what cfshell's commands use): settings, configure, state, and
edge_request in-process and against a served simulator, which must answer alike."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

import simulator

from .conftest import BODY
from .test_edge import _in

VIEWER_IP = "203.0.113.7"


def _ask(mode, url, headers=None, method="GET"):
    return simulator.edge_request(method, url, headers, endpoint_url=mode["endpoint_url"])


def test_signed_cookies_and_viewer_ip_travel_as_headers(private_site, mode):
    signer = private_site["signer"]
    cookies = signer.sign_cookies(
        private_site["url"], expires=_in(timedelta(hours=1)), ip_range="203.0.113.0/24"
    ).cookies
    header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    inside = _ask(mode, private_site["url"], {"Cookie": header, "X-Forwarded-For": VIEWER_IP})
    assert (inside.status, inside.reason, inside.body) == (200, "OK", BODY)
    outside = _ask(mode, private_site["url"], {"Cookie": header, "X-Forwarded-For": "198.51.100.1"})
    assert (outside.status, outside.code, outside.reason) == (403, "AccessDenied", "Access denied")


def test_unsigned_request_is_missing_key_in_both_modes(private_site, mode):
    answer = _ask(mode, private_site["url"])
    assert (answer.status, answer.code) == (403, "MissingKey")
    assert answer.reason == "Missing Key-Pair-Id query parameter or cookie value"


def test_head_gets_the_status_without_the_body(private_site, mode):
    url = private_site["signer"].sign_url(private_site["url"], expires=_in(timedelta(hours=1)))
    answer = _ask(mode, url, method="HEAD")
    assert (answer.status, answer.body) == (200, b"")


def test_http_on_a_redirect_to_https_behaviour_is_301(private_site, mode):
    answer = _ask(mode, private_site["url"].replace("https://", "http://"))
    assert answer.status == 301
    assert answer.headers["Location"] == private_site["url"]


def test_unreachable_served_simulator_is_an_oserror():
    with pytest.raises(OSError):
        simulator.edge_request(
            "GET", "https://d1.cloudfront.net/a", endpoint_url="http://127.0.0.1:9"
        )


IN_PROCESS = pytest.mark.parametrize("mode", ["inproc"], indirect=True)


@IN_PROCESS
def test_configure_changes_settings_and_refuses_out_of_range(mode):
    before = simulator.settings()
    changed = simulator.configure(latency_ms=0, fault_rate=0.5, fault_seed=3)
    try:
        assert (changed["fault_rate"], changed["fault_seed"]) == (0.5, 3)
        assert simulator.settings() == changed
        with pytest.raises(ValueError, match="fault_rate must be between 0 and 1"):
            simulator.configure(deploy_seconds=1, fault_rate=2)
        assert simulator.settings() == changed  # nothing changed, deploy_seconds neither
        with pytest.raises(ValueError, match="unknown setting colour"):
            simulator.configure(colour="red")
    finally:
        simulator.configure(**before)


@IN_PROCESS
def test_save_and_load_state(cf, mode, tmp_path):
    cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": "kept", "Comment": "kept"}
    )
    path = tmp_path / "world.state"
    simulator.save_state(path)
    cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": "gone", "Comment": "gone"}
    )
    simulator.load_state(path)
    items = cf.list_cloud_front_origin_access_identities()["CloudFrontOriginAccessIdentityList"]
    assert [i["Comment"] for i in items["Items"]] == ["kept"]
    (tmp_path / "junk").write_bytes(b"junk")
    with pytest.raises(simulator.StateError, match="not a simulator state file"):
        simulator.load_state(tmp_path / "junk")


def test_importing_the_api_and_the_edge_does_not_import_moto():
    code = (
        "import sys, simulator, simulator.edge, simulator.edge.client\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('moto', 'boto3', "
        "'botocore', 'cryptography'))\n"
        "print(heavy)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
