"""The launcher: flags, argv commands, scripts, piped stdin, exit status; and one end-to-end run
of the seed's nine steps with `cfshell --endpoint-url` against `python -m simulator serve`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from tests.conftest import served_simulator, subprocess_env

ROOT = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    return subprocess_env(COLUMNS="200")


def cfshell(
    *args: str, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cfshell", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(),
        cwd=ROOT,
    )


def test_argv_commands_run_in_order_and_exit_zero():
    run = cfshell("--simulate", "use oai E2QWRUHAPOMQZL", "context --output json", "quit")
    assert run.returncode == 0, run.stderr
    assert run.stdout.index("using OAI") < run.stdout.index('"oai": "E2QWRUHAPOMQZL"')


def test_first_failure_stops_the_run_and_names_it():
    run = cfshell("--simulate", "context", "streaming get", "use oai E2QWRUHAPOMQZL")
    assert run.returncode != 0
    assert "argument 2" in run.stderr and "streaming get" in run.stderr
    assert "using OAI" not in run.stdout


def test_help_of_a_command_is_no_failure():
    run = cfshell("--simulate", "streaming create -h", "context")
    assert run.returncode == 0, run.stderr
    assert "--cname" in run.stdout


def test_keep_going_runs_the_rest_and_still_fails():
    run = cfshell("--simulate", "--keep-going", "streaming get", "use oai E2QWRUHAPOMQZL")
    assert run.returncode != 0
    assert "using OAI" in run.stdout
    assert "1 of 2 commands failed" in run.stderr


def test_piped_stdin_is_a_script():
    run = cfshell("--simulate", stdin="use oai E2QWRUHAPOMQZL\n# a comment\n\ncontext\n")
    assert run.returncode == 0, run.stderr
    assert "E2QWRUHAPOMQZL" in run.stdout
    bad = cfshell("--simulate", stdin="context\nfrobnicate\ncontext\n")
    assert bad.returncode != 0 and "line 2" in bad.stderr


def test_a_transcript_piped_in_binds_its_references():
    transcript = (
        "# cfshell transcript 1\n"
        "# mode: simulate\n"
        "oai create piped\n"
        "# created origin access identity E1AAAAAAAAAAAA (selected)\n"
        "#= $oai1 = E1AAAAAAAAAAAA\n"
        "clear\n"
        "# cleared the selection\n"
        "oai modify $oai1 -m renamed\n"
        "# modified origin access identity E1AAAAAAAAAAAA: comment 'renamed'\n"
    )
    run = cfshell("--simulate", stdin=transcript)
    assert run.returncode == 0, run.stderr
    assert "comment 'renamed'" in run.stdout
    broken = cfshell("--simulate", stdin=transcript.replace("$oai1 -m", "$oai2 -m"))
    assert broken.returncode != 0 and "$oai2" in broken.stderr
    assert "created" not in broken.stdout  # validated in full before anything runs


def test_script_file_stops_at_the_failing_line(tmp_path):
    script = tmp_path / "steps.cfsh"
    script.write_text("context\nuse oai E2QWRUHAPOMQZL\noai get bad\nclear\n")
    run = cfshell("--simulate", "--script", str(script))
    assert run.returncode != 0
    assert "line 3" in run.stderr and "oai get bad" in run.stderr
    assert "cleared" not in run.stdout


def test_script_then_argv_commands_run_in_order(tmp_path):
    # Neither is silently dropped: the script sets the stage, the commands run after it.
    script = tmp_path / "stage.cfsh"
    script.write_text("use oai E2QWRUHAPOMQZL\n")
    run = cfshell("--simulate", "--script", str(script), "context --output json")
    assert run.returncode == 0, run.stderr
    assert '"oai": "E2QWRUHAPOMQZL"' in run.stdout
    failing = cfshell("--simulate", "--script", str(script), "context", "frobnicate")
    assert failing.returncode != 0 and "argument 2" in failing.stderr
    script.write_text("oai get bad\n")
    stopped = cfshell("--simulate", "--script", str(script), "use oai E2QWRUHAPOMQZL")
    assert stopped.returncode != 0 and "using OAI" not in stopped.stdout
    going = cfshell("--simulate", "--keep-going", "--script", str(script), "use oai E2QWRUHAPOMQZL")
    assert going.returncode != 0 and "using OAI" in going.stdout


def test_record_never_overwrites_and_hints_at_a_flag_that_exists(tmp_path):
    kept = tmp_path / "kept.cfsh"
    kept.write_text("precious\n")
    run = cfshell("--simulate", "--record", str(kept), "context")
    assert run.returncode == 2 and "exists" in run.stderr
    # The launcher has no --force: the hint is the shell's `record start FILE --force`.
    assert f"record start {kept} --force" in run.stderr
    assert kept.read_text() == "precious\n"


def test_help_shows_the_command_line_of_the_design():
    run = cfshell("--help")
    assert run.returncode == 0
    usage = " ".join(run.stdout.split("\n\n")[0].split())
    assert usage == (
        "usage: cfshell [--simulate | --endpoint-url URL] [--profile NAME] [--region NAME] "
        "[--output table|json] [--record FILE] "
        "[--script FILE [--check | --dry-run | --resume] [--keep-going]] "
        "[--yes] [COMMAND ...]"
    )
    for flag in (
        "--simulate",
        "--endpoint-url URL",
        "--profile NAME",
        "--region NAME",
        "--output table|json",
        "--record FILE",
        "--script FILE",
        "--check",
        "--keep-going",
        "--yes",
    ):
        assert f"  {flag}" in run.stdout, flag


def test_output_flag_sets_the_default_output():
    run = cfshell("--simulate", "--output", "json", "context")
    assert run.returncode == 0 and '"Mode": "simulator"' in run.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--simulate", "--endpoint-url", "http://127.0.0.1:1", "context"],
        ["--check", "context"],
        ["--endpoint-url", "not a url", "context"],
        ["--output", "yaml", "context"],
    ],
)
def test_bad_flags_exit_2_with_one_error_line(args):
    run = cfshell(*args)
    assert run.returncode == 2
    assert "error:" in run.stderr and "Traceback" not in run.stderr


def test_a_launch_region_is_refused_as_the_shells_region_setting_refuses_it():
    inside = cfshell("--simulate", "region mars-1")
    sentence = inside.stderr.strip().splitlines()[0].removeprefix("Error: ")
    assert "'mars-1' is not a region name" in sentence
    run = cfshell("--simulate", "--region", "mars-1", "context")
    assert run.returncode == 2
    assert run.stderr.strip().splitlines()[-1] == f"cfshell: error: {sentence}"
    assert "mode:" not in run.stdout  # nothing ran
    near = cfshell("--simulate", "--region", "eu-west-9", "context")
    assert near.returncode == 2 and "unknown region 'eu-west-9': did you mean" in near.stderr
    good = cfshell("--simulate", "--region", "eu-west-1", "region")
    assert good.returncode == 0 and good.stdout.startswith("region eu-west-1")


def test_a_launch_output_is_refused_with_the_sentence_of_set_output():
    inside = cfshell("--simulate", "set output yaml")
    assert inside.stderr.startswith("Error setting output: must be table or json")
    run = cfshell("--simulate", "--output", "yaml", "context")
    assert run.returncode == 2
    assert run.stderr.strip().splitlines()[-1] == (
        "cfshell: error: argument --output: must be table or json"
    )


def test_a_launch_profile_is_checked_outside_the_simulator_only(tmp_path):
    config = tmp_path / "config"
    config.write_text("[profile video-admin]\nregion = us-east-1\n")
    env = subprocess_env(AWS_CONFIG_FILE=str(config), AWS_SHARED_CREDENTIALS_FILE="/nonexistent")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "cfshell", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=ROOT,
        )

    sentence = (
        "no profile 'video-admn' in your AWS config: did you mean video-admin? "
        "known: video-admin (see `aws configure list-profiles`)"
    )
    inside = run("--endpoint-url", "http://127.0.0.1:9", "profile video-admn")
    assert inside.stderr.strip().splitlines()[0] == f"Error: {sentence}"
    for mode in ([], ["--endpoint-url", "http://127.0.0.1:9"]):
        bad = run(*mode, "--profile", "video-admn", "context")
        assert bad.returncode == 2
        assert bad.stderr.strip().splitlines()[-1] == f"cfshell: error: {sentence}"
    good = run("--profile", "video-admin", "--endpoint-url", "http://127.0.0.1:9", "profile")
    assert good.returncode == 0 and good.stdout.startswith("profile video-admin"), good.stderr
    # In the simulator the profile is irrelevant, as the shell's `profile NAME` says.
    sim = run("--simulate", "--profile", "video-admn", "profile")
    assert sim.returncode == 0 and sim.stdout.startswith("profile video-admn")


def test_destructive_command_in_a_script_needs_yes():
    run = cfshell("--simulate", "oai create x", "oai delete")
    assert run.returncode != 0 and "--yes" in run.stderr
    run = cfshell("--simulate", "--yes", "oai create x", "oai delete", "oai list")
    assert run.returncode == 0, run.stderr
    assert "no origin access identities" in run.stdout


def test_unreachable_endpoint_is_one_line():
    run = cfshell("--endpoint-url", "http://127.0.0.1:9", "streaming list")
    assert run.returncode != 0
    assert "cannot reach" in run.stderr and "Traceback" not in run.stderr


SEED = """\
# The seed's workflow (steps 1, 3 and 7 happen outside the tools)
streaming create my-video-bucket --cname cf.example.com -m "training videos"
oai create video bucket reader
streaming modify --oai
oai grant my-video-bucket --acl
streaming modify --trusted-signer self
streaming get
streaming wait --timeout 60
"""


@pytest.fixture
def served():
    with served_simulator(deploy_seconds=0.5) as url:
        yield url


def test_seed_workflow_end_to_end_against_a_served_simulator(served, tmp_path):
    def client(name):
        return boto3.session.Session(
            **{
                "aws_access_key_id": "testing",
                "aws_secret_access_key": "testing",
                "region_name": "us-east-1",
            }
        ).client(name, endpoint_url=served)

    s3, cf = client("s3"), client("cloudfront")
    s3.create_bucket(Bucket="my-video-bucket")
    s3.put_bucket_ownership_controls(
        Bucket="my-video-bucket",
        OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]},
    )
    for key in ("videos/intro.mp4", "videos/lesson-1.mp4", "videos/lesson-2.mp4"):
        s3.put_object(Bucket="my-video-bucket", Key=key, Body=b"video")
    script = tmp_path / "seed.cfsh"
    script.write_text(SEED)

    run = cfshell("--endpoint-url", served, "--script", str(script))
    assert run.returncode == 0, run.stderr
    assert "Deployed" in run.stdout

    dists = cf.list_streaming_distributions()["StreamingDistributionList"]["Items"]
    assert len(dists) == 1
    dist_id = dists[0]["Id"]
    dist = cf.get_streaming_distribution(Id=dist_id)["StreamingDistribution"]
    config = dist["StreamingDistributionConfig"]
    oais = cf.list_cloud_front_origin_access_identities()["CloudFrontOriginAccessIdentityList"][
        "Items"
    ]
    assert len(oais) == 1
    oai_id, canonical = oais[0]["Id"], oais[0]["S3CanonicalUserId"]
    assert dist["Status"] == "Deployed"
    assert config["Aliases"]["Items"] == ["cf.example.com"]
    assert config["Comment"] == "training videos"
    assert config["S3Origin"] == {
        "DomainName": "my-video-bucket.s3.amazonaws.com",
        "OriginAccessIdentity": f"origin-access-identity/cloudfront/{oai_id}",
    }
    assert config["TrustedSigners"]["Items"] == ["self"]
    for key in ("videos/intro.mp4", "videos/lesson-1.mp4", "videos/lesson-2.mp4"):
        grants = s3.get_object_acl(Bucket="my-video-bucket", Key=key)["Grants"]
        assert any(g["Grantee"].get("ID") == canonical for g in grants), key
    assert dist_id in run.stdout and "cf.example.com" in run.stdout
