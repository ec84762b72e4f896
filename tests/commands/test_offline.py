"""Simulator mode never sends a request off the machine: not one socket connects."""

from __future__ import annotations

import socket

import pytest

from .conftest import BUCKET


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[object] = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"network use in simulator mode: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def test_both_workflows_in_the_simulator_open_no_connection(stage, no_network, tmp_path):
    shell = stage
    # The seed's workflow.
    shell.ok(f"streaming create {BUCKET} --cname cf.example.com -m videos")
    shell.ok("oai create readers")
    shell.ok("streaming modify --oai")
    shell.ok(f"oai grant {BUCKET} --acl")
    shell.ok("streaming modify --trusted-signer self")
    shell.ok("streaming get")
    shell.ok("streaming wait")
    # The modern one, down to a viewer request at the simulated edge.
    shell.ok(f"key generate viewers --out {tmp_path / 'viewers.pem'}")
    shell.ok(f"distribution create {BUCKET} --private")
    shell.ok(f"oac grant {BUCKET}")
    shell.ok("distribution wait")
    url = shell.ok("sign url /videos/intro.mp4 --expires 1h").strip().splitlines()[-1]
    assert "200" in shell.ok(f"sim get '{url}'")
    assert no_network == []
