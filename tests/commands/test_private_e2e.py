"""End to end in the simulator: a private distribution that a viewer reaches only with a valid
signed URL or cookies, through an OAC the bucket policy grants (`sim get` plays the edge)."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest

from tests.conftest import subprocess_env

from .conftest import BUCKET, Shell


@pytest.fixture
def private(stage, tmp_path):
    """Key pair + key group, private distribution on an OAC, bucket policy granted."""
    shell = stage
    shell.ok(f"key generate video-signer --out {tmp_path / 'signer.pem'}")
    shell.ok(f"distribution create {BUCKET} --private")
    shell.ok(f"oac grant {BUCKET}")
    return shell


def _signed(shell: Shell, line: str) -> str:
    out = shell.ok(line).strip()
    assert "\n" not in out
    return out


def _denied(shell: Shell, line: str, *expected: str) -> str:
    """`sim get` refused: the status line on stdout, a failure (status 1), no second error line."""
    result = shell.run(line)
    assert result.failed and result.status == 1, result.out
    status_line = result.out.strip()
    assert "\n" not in status_line, result.out
    for text in expected:
        assert text in status_line, result.out
    assert "Error" not in result.err, result.err
    return status_line


def test_signed_url_gets_the_object(private):
    url = _signed(private, "sign url /videos/intro.mp4")
    assert re.search(r"\?Expires=\d+&Signature=[-~_A-Za-z0-9]+&Key-Pair-Id=[A-Z0-9]+$", url)
    assert "200 OK" in private.ok(f"sim get '{url}'")


def test_custom_policy_sha256_and_cookies(private):
    url = _signed(
        private, "sign url /videos/intro.mp4 --hash sha256 --ip 203.0.113.0/24 --expires 10m"
    )
    assert "Policy=" in url and url.endswith("&Hash-Algorithm=SHA256")
    assert "200" in private.ok(f"sim get '{url}' --ip 203.0.113.9")
    out = private.ok("sign cookies /videos/intro.mp4")
    lines = out.strip().splitlines()
    assert [line.split("=", 1)[0] for line in lines] == [
        "Set-Cookie: CloudFront-Expires",
        "Set-Cookie: CloudFront-Signature",
        "Set-Cookie: CloudFront-Key-Pair-Id",
    ]
    cookies = " ".join(f"--cookie '{line.split(': ', 1)[1].split(';')[0]}'" for line in lines)
    assert "200 OK" in private.ok(f"sim get /videos/intro.mp4 {cookies}")
    curl = private.ok("sign cookies /videos/intro.mp4 --curl").strip()
    assert curl.startswith("-b 'CloudFront-Expires=")


def test_set_cookie_lines_pasted_whole_into_sim_get(private):
    # `sign cookies` prints Set-Cookie lines; a user pastes them as they are, attributes too.
    lines = private.ok("sign cookies /videos/intro.mp4").strip().splitlines()
    cookies = " ".join(f"--cookie '{line}'" for line in lines)
    assert "; Secure; HttpOnly" in cookies
    assert "200 OK" in private.ok(f"sim get /videos/intro.mp4 {cookies}")


def test_unsigned_request_is_refused(private):
    _denied(private, "sim get /videos/intro.mp4", "403", "MissingKey")


def _expired(shell: Shell) -> str:
    """A signed URL whose expiry has passed: `sign` refuses an expiry already past, so sign
    one a second ahead and wait for it."""
    url = _signed(shell, "sign url /videos/intro.mp4 --expires 1s")
    expires = int(re.search(r"Expires=(\d+)", url).group(1))
    time.sleep(max(0.0, expires - time.time() + 0.05))
    return url


def test_expired(private):
    url = _expired(private)
    _denied(private, f"sim get '{url}'", "403", "AccessDenied", "expired")


def test_not_yet_valid(private):
    url = _signed(private, "sign url /videos/intro.mp4 --starts 1h --expires 2h")
    _denied(private, f"sim get '{url}'", "403", "AccessDenied", "not valid before")


def test_wrong_ip(private):
    url = _signed(private, "sign url /videos/intro.mp4 --ip 203.0.113.0/24")
    _denied(private, f"sim get '{url}' --ip 198.51.100.7", "403", "AccessDenied", "198.51.100.7")


def test_wrong_key(private, tmp_path):
    # A key in a group of its own, which the distribution does not trust.
    private.ok("clear key-group")
    private.ok(f"key generate stranger --out {tmp_path / 'stranger.pem'}")
    url = _signed(private, "sign url /videos/intro.mp4")
    _denied(private, f"sim get '{url}'", "403", "InvalidKey")


def test_key_of_a_trusted_id_but_another_private_key(private, tmp_path):
    trusted = private.session.context.get("key")
    private.ok("clear key-group")
    private.ok(f"key generate stranger --out {tmp_path / 'stranger.pem'}")
    url = _signed(
        private,
        f"sign url /videos/intro.mp4 --key-pair-id {trusted} "
        f"--private-key {tmp_path / 'stranger.pem'}",
    )
    _denied(private, f"sim get '{url}'", "403", "AccessDenied", "does not verify")


def test_tampered_url(private):
    url = _signed(private, "sign url /videos/intro.mp4")
    _denied(private, f"sim get '{url.replace('intro', 'other')}'", "403", "does not verify")
    expires = re.search(r"Expires=(\d+)", url).group(1)
    longer = url.replace(f"Expires={expires}", f"Expires={int(expires) + 3600}")
    _denied(private, f"sim get '{longer}'", "403", "does not verify")


def test_missing_origin_grant(stage, tmp_path):
    stage.ok(f"key generate video-signer --out {tmp_path / 'signer.pem'}")
    out = stage.ok(f"distribution create {BUCKET} --private")
    assert "next: `oac grant" in out  # in a script, the grant is offered as a command to run
    url = _signed(stage, "sign url /videos/intro.mp4")
    _denied(stage, f"sim get '{url}'", "403", "AccessDenied", "policy of bucket")
    stage.ok(f"oac grant {BUCKET}")
    assert "200" in stage.ok(f"sim get '{url}'")


def test_sim_get_against_a_served_simulator(tmp_path, make_shell):
    from simulator.launcher import serve_in_thread

    server = serve_in_thread(deploy_seconds=0.2)
    try:
        server.reset()
        shell = make_shell(endpoint_url=server.url)
        session = shell.session
        shell.ok(f"sim bucket create {BUCKET}")
        shell.ok(f"sim object put {BUCKET} videos/intro.mp4 --body hello")
        shell.ok(f"key generate video-signer --out {tmp_path / 'signer.pem'}")
        shell.ok(f"distribution create {BUCKET} --private")
        url = _signed(shell, "sign url /videos/intro.mp4")
        _denied(shell, f"sim get '{url}'", "403", "AccessDenied")
        shell.ok(f"oac grant {BUCKET}")
        assert "200 OK" in shell.ok(f"sim get '{url}'")
        expired = _expired(shell)
        _denied(shell, f"sim get '{expired}'", "403", "AccessDenied")
        session.close()
    finally:
        server.stop()


def test_refused_sim_get_prints_the_status_and_fails_the_script(tmp_path):
    env = subprocess_env()
    script = "\n".join(
        [
            f"sim bucket create {BUCKET}",
            f"sim object put {BUCKET} videos/intro.mp4 --size 64",
            f"key generate video-signer --out {tmp_path / 'signer.pem'}",
            f"distribution create {BUCKET} --private",
            f"oac grant {BUCKET}",
            "sim get /videos/intro.mp4",
            "context",
        ]
    )
    run = subprocess.run(
        [sys.executable, "-m", "cfshell", "--simulate"],
        input=script + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert run.returncode == 1, run.stderr
    assert "403 MissingKey" in run.stdout
    assert "403" not in run.stderr  # said once, on stdout
    assert "`sim get /videos/intro.mp4` failed; stopped here" in run.stderr
