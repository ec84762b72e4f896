"""`record`, `replay` and `cfshell --record/--script --check`, driven through the app."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from cfshell import transcript
from tests.conftest import served_simulator

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "scripts" / "seed-workflow.cfsh"
BUCKET = "my-video-bucket"


def _seed_line(start: str) -> int:
    """The number of the seed transcript's first line that starts with `start`."""
    lines = SEED.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(start))


def _streaming(cf, dist_id: str) -> dict:
    return cf.get_streaming_distribution(Id=dist_id)["StreamingDistribution"]


def _only(items: list) -> dict:
    assert len(items) == 1, items
    return items[0]


def assert_seed_final_state(cf, s3) -> None:
    """What the seed's workflow leaves behind, read back with boto3."""
    summary = _only(cf.list_streaming_distributions()["StreamingDistributionList"].get("Items", []))
    dist = _streaming(cf, summary["Id"])
    config = dist["StreamingDistributionConfig"]
    oai = _only(
        cf.list_cloud_front_origin_access_identities()["CloudFrontOriginAccessIdentityList"].get(
            "Items", []
        )
    )
    assert dist["Status"] == "Deployed"
    assert config["Enabled"] is True
    assert config["S3Origin"]["DomainName"] == f"{BUCKET}.s3.amazonaws.com"
    assert config["S3Origin"]["OriginAccessIdentity"] == (
        f"origin-access-identity/cloudfront/{oai['Id']}"
    )
    assert config["Aliases"]["Items"] == ["cf.example.com"]
    assert config["Comment"] == "Seed workflow: videos of my-video-bucket"
    assert config["TrustedSigners"]["Enabled"] is True
    assert config["TrustedSigners"]["Items"] == ["self"]
    policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    principals = json.dumps([st.get("Principal") for st in policy["Statement"]])
    assert oai["Id"] in principals or oai["S3CanonicalUserId"] in principals
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert "videos/intro.mp4" in keys and len(keys) == 4


# --- recording ------------------------------------------------------------------------------


def test_recording_the_seed_workflow_writes_references_not_ids(shell, tmp_path) -> None:
    path = tmp_path / "rehearsal.cfsh"
    shell.ok(f"record start {path}")
    shell.ok(f"sim bucket create {BUCKET}")
    created = shell.ok(f"streaming create {BUCKET} --cname cf.example.com -m 'first try'")
    dist_id = shell.session.context.get("streaming")
    assert dist_id in created
    shell.ok("oai create 'reads the bucket'")
    oai_id = shell.session.context.get("oai")
    shell.ok("streaming modify --oai")
    etag = shell.cf.get_streaming_distribution(Id=dist_id)["ETag"]
    shell.ok(f"use streaming {dist_id}")
    shell.ok(f"streaming get {dist_id}")
    shell.ok(f"oai get {oai_id}")
    assert shell.run("streaming modify --bogus-flag").failed
    shell.ok("oai create 'temporary'")
    temp_id = shell.session.context.get("oai")
    temp_etag = shell.cf.get_cloud_front_origin_access_identity(Id=temp_id)["ETag"]
    shell.ok(f"oai delete {temp_id} {temp_etag} --yes")
    shell.ok("context")
    shell.ok("record stop")
    shell.ok("context")  # after stop: not recorded

    text = path.read_text()
    lines = text.splitlines()
    assert lines[0] == transcript.FORMAT_LINE
    assert "# mode: simulate" in lines
    assert any(line.startswith("# recorded: ") for line in lines[:5])
    assert "# cfshell: " in text
    commands = [line for line in lines if not line.startswith("#")]
    assert commands == [
        f"sim bucket create {BUCKET}",
        f"streaming create {BUCKET} --cname cf.example.com -m 'first try'",
        "oai create 'reads the bucket'",
        "streaming modify --oai",  # relied on the selection: as typed
        "use streaming $streaming1",
        "streaming get $streaming1",
        "oai get $oai1",
        "oai create 'temporary'",
        "oai delete $oai2 --yes",  # the ETag typed is dropped: fetched at replay
        "context",
    ]
    assert f"#= $streaming1 = {dist_id}" in lines
    assert f"#= $oai1 = {oai_id}" in lines
    # Under its command: when it started (since the recording did), then its output as
    # comments; ETags only ever in output.
    get_at = lines.index("streaming get $streaming1")
    assert re.fullmatch(r"#@ \+\d+\.\ds", lines[get_at + 1])
    assert lines[get_at + 2].startswith("# ")
    assert etag not in "\n".join(commands)
    assert temp_etag not in text
    assert "#! failed, not replayed: streaming modify --bogus-flag" in lines
    assert "record" not in "\n".join(commands)
    transcript.parse(text)  # a valid transcript


def test_record_never_overwrites_without_force(shell, tmp_path) -> None:
    path = tmp_path / "keep.cfsh"
    path.write_text("precious\n")
    result = shell.run(f"record start {path}")
    assert result.failed
    assert "--force" in result.err
    assert path.read_text() == "precious\n"
    shell.ok(f"record start {path} --force")
    shell.ok("context")
    shell.ok("record stop")
    assert path.read_text().startswith(transcript.FORMAT_LINE)


def test_record_start_twice_and_stop_when_idle_are_clear_errors(shell, tmp_path) -> None:
    result = shell.run("record stop")
    assert result.failed and "not recording" in result.err
    shell.ok(f"record start {tmp_path / 'a.cfsh'}")
    result = shell.run(f"record start {tmp_path / 'b.cfsh'}")
    assert result.failed and "already recording" in result.err
    assert not (tmp_path / "b.cfsh").exists()
    shell.ok("record stop")
    assert shell.run("streaming list").failed is False  # the shell is still usable


def test_each_command_is_on_disk_as_soon_as_it_ran(shell, tmp_path) -> None:
    path = tmp_path / "live.cfsh"
    shell.ok(f"record start {path}")
    shell.ok(f"sim bucket create {BUCKET}")
    assert path.read_text().splitlines()[-3:-1] == [f"sim bucket create {BUCKET}", "#@ +0.0s"]
    shell.ok("oai create 'x'")
    assert path.read_text().splitlines()[-1].startswith("#= $oai1 = ")


def test_secrets_typed_or_printed_never_reach_the_transcript(shell, tmp_path) -> None:
    path = tmp_path / "secret.cfsh"
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    access = "AKIAIOSFODNN7EXAMPLE"
    shell.ok(f"record start {path}")
    shell.ok(f"oai create 'key {access} secret {secret}'")
    shell.ok("oai get")  # prints the comment back
    shell.run(f"streaming list --secret-key {secret}")  # refused, still kept out
    shell.ok("record stop")
    text = path.read_text()
    assert secret not in text and access not in text
    assert transcript.REDACTED in text


# --- replay ---------------------------------------------------------------------------------


def test_shipped_seed_transcript_replays_with_check_in_process(shell) -> None:
    result = shell.run(f"replay {SEED} --check")
    assert not result.failed, result.err + result.out
    assert "check: all 10 outputs match" in result.out
    assert "@@" not in result.out
    assert_seed_final_state(shell.cf, shell.s3)


def test_check_reports_a_changed_output_with_a_diff_and_fails(shell, tmp_path) -> None:
    edited = tmp_path / "edited.cfsh"
    edited.write_text(
        SEED.read_text().replace(
            "# CNAMEs                cf.example.com", "# CNAMEs                cf.other.com"
        )
    )
    result = shell.run(f"replay {edited} --check")
    assert result.failed and result.status == 1
    assert f"--- {edited}:" in result.out
    assert "-CNAMEs cf.other.com" in result.out
    assert "+CNAMEs cf.example.com" in result.out
    assert "1 of 10 outputs differ" in result.err


def test_first_failure_stops_the_replay_naming_the_line_and_what_was_done(shell, tmp_path) -> None:
    script = tmp_path / "stops.cfsh"
    script.write_text(
        "\n".join(
            transcript.header_lines(mode="simulate", version="0", width=80)
            + [
                f"sim bucket create {BUCKET}",
                "oai create 'one'",
                "#= $oai1 = E1AAAAAAAAAAAA",
                "oai get EZZZZZZZZZZZZ9",  # no such OAI
                "oai create 'never'",
            ]
        )
        + "\n"
    )
    result = shell.run(f"replay {script}")
    assert result.failed
    assert re.search(r"line 9: `oai get EZZZZZZZZZZZZ9` failed; stopped here", result.err)
    assert "Done before it: 2 commands (lines 6, 7); 1 not run." in result.err
    oais = shell.cf.list_cloud_front_origin_access_identities()[
        "CloudFrontOriginAccessIdentityList"
    ]
    assert [o["Comment"] for o in oais["Items"]] == ["one"]


def test_keep_going_runs_the_rest(shell, tmp_path) -> None:
    script = tmp_path / "keep.cfsh"
    script.write_text("oai get EZZZZZZZZZZZZ9\noai create 'after'\n")
    result = shell.run(f"replay {script} --keep-going")
    assert result.failed
    assert "1 of 2 commands failed" in result.err
    oais = shell.cf.list_cloud_front_origin_access_identities()[
        "CloudFrontOriginAccessIdentityList"
    ]
    assert [o["Comment"] for o in oais["Items"]] == ["after"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace("streaming modify --oai", "streaming modify --oai $oai7"),
            f"line {_seed_line('streaming modify --oai')}: unknown reference $oai7",
        ),
        (
            lambda t: t.replace("# put s3://my-video-bucket/videos/intro.mp4", "put s3://x"),
            f"line {_seed_line('# put s3://my-video-bucket/videos/intro.mp4')}: "
            "unknown command 'put'",
        ),
        (
            lambda t: t.replace("streaming modify --oai", "streaming modify --oia"),
            f"line {_seed_line('streaming modify --oai')}: `streaming` would refuse its arguments",
        ),
        (
            lambda t: t.replace("#= $oai1 = ", "#= oai1 "),
            f"line {_seed_line('#= $oai1 = ')}: malformed reference line",
        ),
        (lambda t: t[: t.index("streaming wait") + 9], "truncated"),
        (
            lambda t: t.replace(
                '"Seed workflow: reads', '"Seed workflow reads'.replace('"', "'", 1)
            ),
            "No closing quotation",
        ),
    ],
)
def test_malformed_transcripts_fail_before_anything_runs(shell, tmp_path, edit, message) -> None:
    bad = tmp_path / "bad.cfsh"
    bad.write_text(edit(SEED.read_text()))
    result = shell.run(f"replay {bad}")
    assert result.failed
    assert message in result.err
    assert "nothing was run" in result.err
    # Nothing ran: not even the first `sim bucket create`.
    assert shell.s3.list_buckets()["Buckets"] == []


def test_dry_run_shows_what_would_change_and_calls_nothing(shell) -> None:
    result = shell.run(f"replay {SEED} --dry-run")
    assert not result.failed, result.err
    out = result.out
    at = _seed_line("streaming create")
    assert f"line {at}: streaming create my-video-bucket --cname cf.example.com" in out
    assert "creates a streaming distribution -> $streaming1" in out
    assert "changes the selected streaming distribution" in out
    assert "changes the bucket policy of my-video-bucket" in out
    assert "nothing was run" in out
    assert shell.s3.list_buckets()["Buckets"] == []
    assert "Items" not in shell.cf.list_streaming_distributions()["StreamingDistributionList"]


def test_dry_run_never_takes_an_option_value_for_the_target(shell, tmp_path) -> None:
    script = tmp_path / "plan.cfsh"
    script.write_text(
        "oai create reader\n"
        "streaming modify -m 'new comment'\n"
        "streaming modify --trusted-signer self E2QWRUHAPOMQZL\n"
        f"oai grant {BUCKET} --acl --prefix videos/ --permission READ\n"
        f"oai revoke E3QWRUHAPOMQZL {BUCKET} --prefix videos/\n"
    )
    result = shell.run(f"replay {script} --dry-run")
    assert not result.failed, result.err
    out = result.out
    lines = [line.strip() for line in out.splitlines() if line.startswith("    ")]
    assert lines == [
        "creates an origin access identity",
        "changes the selected streaming distribution",
        "changes E2QWRUHAPOMQZL",
        f"changes the object ACLs of {BUCKET}",
        f"changes the bucket policy of {BUCKET}",
    ]


def test_replay_while_recording_records_the_new_ids_as_references(shell, tmp_path) -> None:
    again = tmp_path / "again.cfsh"
    shell.ok(f"record start {again}")
    shell.ok(f"replay {SEED}")
    shell.ok("record stop")
    original = [line for line in SEED.read_text().splitlines() if not line.startswith("#")]
    rerecorded = [line for line in again.read_text().splitlines() if not line.startswith("#")]
    assert rerecorded == original


def _public_key_pem(path: Path) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return path


def test_key_generate_records_the_public_key_and_the_key_group_it_made(shell, tmp_path) -> None:
    path = tmp_path / "keys.cfsh"
    shell.ok(f"record start {path}")
    shell.ok(f"key generate signer --out {tmp_path / 'signer.pem'}")
    shell.ok("key-group get")
    shell.ok("record stop")
    key_id = shell.session.context.get("key")
    group_id = shell.session.context.get("key-group")
    lines = path.read_text().splitlines()
    start = lines.index(f"key generate signer --out {tmp_path / 'signer.pem'}")
    recorded = [line for line in lines[start:] if line.startswith(("#=", "#>"))]
    assert recorded == [
        "#> created key $key1 signer",
        "#> created key-group $keygroup1 signer",
        f"#= $key1 = {key_id}",
        f"#= $keygroup1 = {group_id}",
    ]
    assert "key-group get" in lines  # the selection, as typed


def test_a_create_with_no_select_still_records_its_reference(make_shell, tmp_path) -> None:
    shell = make_shell()
    path = tmp_path / "noselect.cfsh"
    upload = _public_key_pem(tmp_path / "laptop.pub.pem")
    shell.ok(f"record start {path}")
    shell.ok(f"key generate signer --out {tmp_path / 'signer.pem'}")
    first_key = shell.session.context.get("key")
    first_group = shell.session.context.get("key-group")
    out = shell.ok(f"key upload laptop {upload} --no-select")
    laptop = out.split()[3]
    assert out.strip() == f"uploaded public key {laptop} (laptop)"  # not "(selected)"
    out = shell.ok(f"key-group create laptops --key {laptop} --no-select")
    group = out.split()[3]
    assert "(selected)" not in out
    shell.ok(f"key-group get {group}")
    shell.ok("record stop")
    # The selection stayed as it was; the recording knows what was made all the same.
    assert shell.session.context.get("key") == first_key
    assert shell.session.context.get("key-group") == first_group
    text = path.read_text()
    assert f"#= $key2 = {laptop}" in text
    assert "key-group create laptops --key $key2 --no-select" in text
    assert f"#= $keygroup2 = {group}" in text
    assert "key-group get $keygroup2" in text
    # A replay on a fresh simulator binds them to what it makes, and every output matches.
    shell.close()
    (tmp_path / "signer.pem").unlink()
    result = make_shell().run(f"replay {path} --check")
    assert not result.failed, result.err + result.out
    assert "check: all 4 outputs match" in result.out


def test_dry_run_of_a_recording_reads_what_each_command_reported(shell, tmp_path) -> None:
    path = tmp_path / "plan.cfsh"
    shell.ok(f"record start {path}")
    shell.ok(f"sim bucket create {BUCKET}")
    shell.ok("oai create reader")
    shell.ok(f"oai grant {BUCKET}")
    shell.ok(f"key generate signer --out {tmp_path / 'signer.pem'} --no-select")
    shell.ok("oai get")
    shell.ok("record stop")
    assert "# effects: recorded" in path.read_text().splitlines()[:8]
    result = shell.run(f"replay {path} --dry-run")
    assert not result.failed, result.err
    plan = [line.strip() for line in result.out.splitlines() if line.startswith("    ")]
    assert plan == [
        "changes the simulator only",
        "creates an origin access identity -> $oai1",
        f"changes bucket {BUCKET} (bucket policy)",
        # Both, as reported: the command's words name only the key.
        "creates a public key, creates a key group -> $key1, $keygroup1",
        "reads only (it changed nothing when recorded)",
    ]


def test_real_aws_replay_shows_account_and_region_and_needs_yes(
    tmp_path, capsys, monkeypatch, make_shell
) -> None:
    # "Real AWS" here is boto3's normal path, answered in-process by moto: no request leaves.
    from moto import mock_aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        app = make_shell(simulate=False, region="eu-west-1").app
        script = tmp_path / "live.cfsh"
        script.write_text(
            transcript.FORMAT_LINE
            + f"\n# mode: simulate\nsim bucket create {BUCKET}\noai create 'live'\n"
        )
        _, failure = app.run_line(f"replay {script}")
        err = capsys.readouterr().err
        assert failure is not None
        assert "add --yes" in err
        shown = app.stdout.getvalue()
        assert "will run 1 commands against real AWS: account 123456789012" in shown
        assert "region eu-west-1" in shown
        cf = boto3.client("cloudfront", region_name="us-east-1")
        assert (
            "Items"
            not in cf.list_cloud_front_origin_access_identities()[
                "CloudFrontOriginAccessIdentityList"
            ]
        )
        _, failure = app.run_line(f"replay {script} --yes")
        assert failure is None, capsys.readouterr().err
        # The simulator's stage is not set up in AWS: `sim` lines are skipped, not failed.
        assert f"skipped, simulator only: sim bucket create {BUCKET}" in app.stdout.getvalue()
        items = cf.list_cloud_front_origin_access_identities()["CloudFrontOriginAccessIdentityList"]
        assert [o["Comment"] for o in items["Items"]] == ["live"]


# --- the launcher: cfshell --record / --script --check, in a subprocess ----------------------


def _cfshell(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cfshell", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            **(env or {}),
        },
    )


@pytest.fixture
def served():
    """`python -m simulator serve --port 0` in a subprocess: its URL, then it is stopped."""
    with served_simulator(deploy_seconds=0.5) as url:
        yield url


def test_seed_transcript_replays_against_a_served_simulator(served, tmp_path) -> None:
    done = _cfshell("--endpoint-url", served, "--script", str(SEED), "--check", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check: all 10 outputs match" in done.stdout
    cf = boto3.client(
        "cloudfront",
        endpoint_url=served,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    s3 = boto3.client(
        "s3",
        endpoint_url=served,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    assert_seed_final_state(cf, s3)


def test_launcher_record_then_script_check(tmp_path) -> None:
    path = tmp_path / "cli.cfsh"
    recorded = _cfshell(
        "--simulate",
        "--record",
        str(path),
        f"sim bucket create {BUCKET}",
        "oai create 'cli'",
        "oai get",
        "streaming list",
        cwd=tmp_path,
    )
    assert recorded.returncode == 0, recorded.stderr
    text = path.read_text()
    assert "oai get\n" in text and "#= $oai1 = " in text
    again = _cfshell("--simulate", "--record", str(path), "context", cwd=tmp_path)
    assert again.returncode != 0 and "--force" in again.stderr
    assert path.read_text() == text
    checked = _cfshell("--simulate", "--script", str(path), "--check", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    path.write_text(text.replace("# Comment", "# Remark"))
    if text != path.read_text():
        failed = _cfshell("--simulate", "--script", str(path), "--check", cwd=tmp_path)
        assert failed.returncode == 1
        assert "+++ replayed" in failed.stdout
