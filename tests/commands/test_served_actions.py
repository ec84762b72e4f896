"""The simulator's own actions (`sim cert issue`, `sim key-pair create`) against a served
simulator, as acceptance tests drive cfshell: `--endpoint-url` of `python -m simulator serve`."""

from __future__ import annotations

import os
import stat

import pytest

from simulator.launcher import serve_in_thread


@pytest.fixture
def served(make_shell, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("CFSHELL_KEY_STORE", raising=False)
    server = serve_in_thread(deploy_seconds=0.2)
    try:
        server.reset()
        yield make_shell(endpoint_url=server.url)
    finally:
        server.stop()


def test_sim_cert_issue_issues_a_certificate_of_a_name_hosted_elsewhere(served) -> None:
    served.ok("cert request cdn.example.net")
    assert "PENDING_VALIDATION" in served.ok("cert get")
    assert "is ISSUED" in served.ok("sim cert issue")
    assert "ISSUED" in served.ok("cert get")


def test_sim_cert_issue_of_a_name_in_a_simulated_zone_is_refused_with_the_reason(served) -> None:
    served.ok("sim zone create example.com")
    served.ok("cert request cf.example.com")
    result = served.run("sim cert issue")
    assert result.failed
    assert result.err.startswith("Error: cf.example.com is in hosted zone example.com")
    assert "PENDING_VALIDATION" in served.ok("cert get")


def test_sim_key_pair_create_writes_the_private_key_0600_and_signs(served, tmp_path) -> None:
    out = served.ok("sim key-pair create")
    key_pair_id = served.session.context.get("key")
    assert key_pair_id and key_pair_id.startswith("APKA") and key_pair_id in out
    path = tmp_path / ".cfshell" / "keys" / f"pk-{key_pair_id}.pem"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().startswith("-----BEGIN")
    assert "-----BEGIN" not in out  # the key is in the file, never on the screen
