"""`sign url` / `sign cookies` as a new user types them: wildcards, paths for --resource,
placeholders copied from documentation, durations, and windows that no viewer could use."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from cfshell.aws import signing

from .conftest import BUCKET, Shell


@pytest.fixture
def private(stage, tmp_path) -> Shell:
    """Key pair + key group, private distribution on an OAC (selected), bucket policy granted."""
    stage.ok(f"key generate video-signer --out {tmp_path / 'signer.pem'}")
    stage.ok(f"distribution create {BUCKET} --private")
    stage.ok(f"oac grant {BUCKET}")
    return stage


def _domain(shell: Shell) -> str:
    dist_id = shell.session.context.get("distribution")
    return shell.cf.get_distribution(Id=dist_id)["Distribution"]["DomainName"]


def _cookies(out: str) -> dict[str, str]:
    pairs = [line.split(": ", 1)[1].split(";")[0] for line in out.strip().splitlines()]
    return dict(pair.split("=", 1) for pair in pairs)


def _policy(encoded: str) -> dict:
    return json.loads(signing.cf_b64decode(encoded))


def _refused(shell: Shell, line: str, *expected: str) -> str:
    """A refusal as a user sees it: nothing on stdout, one error line on stderr, non-zero."""
    result = shell.run(line)
    assert result.failed and result.status != 0, result.out
    assert result.out.strip() == "", result.out
    errors = [e for e in result.err.splitlines() if e.startswith("Error:")]
    assert len(errors) == 1, result.err
    for text in expected:
        assert text in errors[0], result.err
    assert "Traceback" not in result.err and "Usage:" not in result.err
    return errors[0]


def _sim_get(shell: Shell, path: str, cookies: dict[str, str]) -> str:
    flags = " ".join(f"--cookie '{name}={value}'" for name, value in cookies.items())
    return shell.run(f"sim get {path} {flags}").out


def test_cookies_for_a_wildcard_url_are_a_custom_policy_that_opens_the_directory(private):
    domain = _domain(private)
    for given in ("/videos/*", f"https://{domain}/videos/*"):
        cookies = _cookies(private.ok(f"sign cookies '{given}'"))
        assert list(cookies) == [
            "CloudFront-Policy",
            "CloudFront-Signature",
            "CloudFront-Key-Pair-Id",
        ]
        statement = _policy(cookies["CloudFront-Policy"])["Statement"][0]
        assert statement["Resource"] == f"https://{domain}/videos/*"
        assert "200 OK" in _sim_get(private, "/videos/intro.mp4", cookies)
        assert "200 OK" in _sim_get(private, "/videos/lesson-0002.mp4", cookies)


def test_a_path_resource_is_on_the_selected_distribution(private):
    domain = _domain(private)
    cookies = _cookies(private.ok("sign cookies /videos/ --resource '/videos/*'"))
    assert _policy(cookies["CloudFront-Policy"])["Statement"][0]["Resource"] == (
        f"https://{domain}/videos/*"
    )
    assert "200 OK" in _sim_get(private, "/videos/intro.mp4", cookies)
    url = private.ok("sign url /videos/intro.mp4 --resource '/videos/*'").strip()
    policy = _policy(parse_qs(urlsplit(url).query)["Policy"][0])
    assert policy["Statement"][0]["Resource"] == f"https://{domain}/videos/*"
    assert "200 OK" in private.ok(f"sim get '{url}'")


def test_the_readmes_placeholder_domain_is_refused_naming_what_to_give(private):
    line = "sign cookies /videos/ --resource 'https://DOMAIN/videos/*' --curl"
    error = _refused(private, line, "placeholder DOMAIN", "'/videos/*'", "real domain")
    assert "https://DOMAIN/videos/*" in error
    _refused(private, "sign url https://DOMAIN/videos/intro.m3u8", "placeholder DOMAIN")


def test_an_expiry_in_the_past_is_refused_with_the_times(private):
    error = _refused(
        private,
        "sign url /videos/intro.mp4 --expires 2020-01-01T00:00:00Z",
        "the expiry 2020-01-01T00:00:00Z is in the past (now 20",
    )
    assert re.search(r"\(now \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)", error)
    _refused(private, "sign cookies /videos/intro.mp4 --expires 2020-01-01", "in the past")


@pytest.mark.parametrize("value", ["-1h", "'-2 hours'", "-PT1H", "-1 hour"])
def test_a_negative_duration_is_a_past_expiry_not_an_argparse_puzzle(private, value):
    _refused(private, f"sign url /videos/intro.mp4 --expires {value}", "is in the past (now ")


def test_a_start_after_the_expiry_is_refused_with_the_times(private):
    error = _refused(
        private, "sign url /videos/intro.mp4 --starts 2h --expires 1h", "is not before the expiry"
    )
    assert re.search(r"the start \S+Z is not before the expiry \S+Z", error)


@pytest.mark.parametrize(
    "value,seconds",
    [
        ("'2 hours'", 7200),
        ('"2 hours"', 7200),
        ("2 hours", 7200),  # unquoted, as typed at the prompt
        ("1 hour 30 minutes", 5400),
        ("90m", 5400),
        ("+2h", 7200),
        ("1d", 86400),
    ],
)
def test_durations_as_typed(private, value, seconds):
    before = time.time()
    url = private.ok(f"sign url /videos/intro.mp4 --expires {value}").strip()
    expires = int(parse_qs(urlsplit(url).query)["Expires"][0])
    assert before + seconds - 1 <= expires <= time.time() + seconds
    assert "200 OK" in private.ok(f"sim get '{url}'")


def test_unquoted_duration_words_before_the_url(private):
    out = private.ok("sign cookies --expires 2 hours /videos/intro.mp4")
    expires = int(_cookies(out)["CloudFront-Expires"])
    assert abs(expires - (time.time() + 7200)) < 5
    assert "200 OK" in _sim_get(private, "/videos/intro.mp4", _cookies(out))


def test_an_iso_expiry_to_come_is_signed_as_given(private):
    url = private.ok("sign url /videos/intro.mp4 --expires 2099-01-01T00:00:00Z").strip()
    assert parse_qs(urlsplit(url).query)["Expires"] == ["4070908800"]


def test_starts_and_ip_make_botocores_policy(private):
    from botocore.signers import CloudFrontSigner

    url = private.ok(
        "sign url /videos/intro.mp4 --starts 2030-01-01T00:00:00Z "
        "--expires 2030-01-02T00:00:00Z --ip 203.0.113.0/24"
    ).strip()
    policy = signing.cf_b64decode(parse_qs(urlsplit(url).query)["Policy"][0]).decode()
    expected = CloudFrontSigner("K", None).build_policy(
        f"https://{_domain(private)}/videos/intro.mp4",
        signing.parse_time("2030-01-02T00:00:00Z"),
        date_greater_than=signing.parse_time("2030-01-01T00:00:00Z"),
        ip_address="203.0.113.0/24",
    )
    assert policy == expected
