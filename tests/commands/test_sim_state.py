"""`sim export FILE` / `sim import FILE`: the simulator's state as a JSON document, from cfshell."""

from __future__ import annotations

import json

from tests.conftest import BUCKET


def _oai_comments(shell) -> list[str]:
    listing = shell.cf.list_cloud_front_origin_access_identities()
    return [i["Comment"] for i in listing["CloudFrontOriginAccessIdentityList"].get("Items", [])]


def test_export_writes_json_and_import_brings_it_back(shell, tmp_path):
    path = tmp_path / "rehearsal.json"
    shell.ok(f"sim bucket create {BUCKET} --acls-enabled")
    shell.ok(f"sim object put {BUCKET} videos/intro.mp4 --size 64")
    shell.ok("oai create kept")
    out = shell.ok(f"sim export {path}")
    assert f"saved the simulator's state to {path}" in out
    doc = json.loads(path.read_text())
    assert doc["version"] == 2
    assert [b["Name"] for b in doc["s3"]["buckets"]] == [BUCKET]
    assert doc["s3"]["buckets"][0]["ObjectOwnership"] == "ObjectWriter"
    identities = doc["cloudfront"]["accounts"][0]["OriginAccessIdentities"]
    assert [i["Comment"] for i in identities] == ["kept"]

    shell.ok("oai create dropped")
    shell.ok("sim bucket create later-bucket")
    assert sorted(_oai_comments(shell)) == ["dropped", "kept"]
    assert f"loaded the simulator's state from {path}" in shell.ok(f"sim import {path}")
    assert _oai_comments(shell) == ["kept"]
    assert [b["Name"] for b in shell.s3.list_buckets()["Buckets"]] == [BUCKET]


def test_import_of_a_truncated_file_is_one_line_with_the_line_and_changes_nothing(shell, tmp_path):
    path = tmp_path / "rehearsal.json"
    shell.ok("oai create kept")
    shell.ok(f"sim export {path}")
    cut = path.read_text()[:-30]
    path.write_text(cut)
    shell.ok("oai create current")
    result = shell.run(f"sim import {path}")
    assert result.failed and result.status == 1
    assert len(result.err.strip().splitlines()) == 1
    assert "corrupt or truncated: line" in result.err and "Traceback" not in result.err
    assert sorted(_oai_comments(shell)) == ["current", "kept"]
    assert path.read_text() == cut


def test_import_of_a_pickle_is_refused(shell, tmp_path):
    path = tmp_path / "old.state"
    content = b"cfshell-simulator-state 1 moto=5.2.5\n\x80\x05\x95\x00"
    path.write_bytes(content)
    result = shell.run(f"sim import {path}")
    assert result.failed
    assert "a pickle can run code" in result.err
    assert path.read_bytes() == content
