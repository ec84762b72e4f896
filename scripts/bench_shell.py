#!/usr/bin/env python3
"""Benchmark of the shell (not a test): budgets measured in one run, interleaved (benchlib).

Every process runs with its own empty HOME, fake keys, and on 127.0.0.1 or in-process.

(a) interactive start: `cfshell context quit` against a minimal cmd2 app that runs one command.
    Both are cmd2 apps started as processes that run one command and exit; the difference is
    what cfshell adds (its commands, settings, session). Budget <= 1.15.
(b) one command against a served simulator: `cfshell --endpoint-url URL 'streaming list'`
    against `aws --endpoint-url URL cloudfront list-streaming-distributions` (AWS CLI v1), the
    same call on the same server by the tool a user would otherwise type. Budget <= 1.0.
    Beside them, the floor of any cmd2 shell making that call: a process importing cmd2 and
    botocore and creating a CloudFront client, no call. When the floor is slower than the AWS
    CLI, the budget is within 1.05x of the floor (stated in the row).
(c) one command in the simulator: `cfshell --simulate 'streaming list'` against a
    `python -c` that imports boto3 and moto's mock_aws and lists distributions once under it:
    both start moto in-process and make one listing call. Budget <= 1.1.
(d) `streaming get` in a running session (in-process simulator) against the bare boto3
    GetStreamingDistribution call it makes, on the same client and distribution: what the
    shell adds to one call (parsing, rendering). Samples are batches of calls. Budget <= 1.5.
(e) the seed's workflow as one cfshell script against the same steps as separate `aws` CLI
    invocations, on the same served simulator reset to the same stage before each run: what a
    user scripting it either way waits for. Budget: cfshell >= 5x faster.

Usage: scripts/bench (or python scripts/bench_shell.py [--pairs N] [--quick]).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import benchlib
from benchlib import BIN, ROOT, Sample, at_most, interleave, process, speedup_at_least

BUCKET = "my-video-bucket"
OBJECTS = ("videos/intro.mp4", "videos/lesson-1.mp4", "videos/lesson-2.mp4")

MIN_CMD2_APP = """
import cmd2
class App(cmd2.Cmd):
    def do_hello(self, _):
        self.poutput("hello")
App(allow_cli_args=False).onecmd_plus_hooks("hello")
"""
FLOOR = "import cmd2, botocore.session; botocore.session.get_session().create_client('cloudfront')"
MOTO_LIST = (
    "import boto3\n"
    "from moto import mock_aws\n"
    "with mock_aws():\n"
    "    boto3.client('cloudfront', region_name='us-east-1').list_distributions()\n"
)


class Served:
    """`python -m simulator serve` in a child process, on a free loopback port."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", "serve", "--port", "0", "--deploy-seconds", "0"],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        self.url = self.proc.stdout.readline().strip()  # type: ignore[union-attr]
        if not self.url.startswith("http"):
            raise SystemExit("the simulator did not start")

    def reset(self) -> None:
        """Fresh state, then the seed's stage: the bucket with three objects."""
        import boto3

        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        urllib.request.urlopen(request).read()
        s3 = boto3.client("s3", endpoint_url=self.url, region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_bucket_ownership_controls(
            Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
        )
        for key in OBJECTS:
            s3.put_object(Bucket=BUCKET, Key=key, Body=b"video")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=20)


def aws_cli() -> str | None:
    return shutil.which("aws", path=str(BIN)) or shutil.which("aws")


def bench_startup(pairs: int, env: dict[str, str]) -> bool:
    print(f"(a) interactive start, {pairs} interleaved pairs")
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(MIN_CMD2_APP)
    try:
        got = interleave(
            {
                "cfshell": process([str(BIN / "cfshell"), "context", "quit"], env),
                "cmd2": process([sys.executable, handle.name], env),
            },
            pairs,
        )
    finally:
        os.unlink(handle.name)
    return at_most(
        "`cfshell context quit` vs a minimal cmd2 app running one command",
        got["cfshell"],
        got["cmd2"],
        1.15,
    )


def bench_one_command(pairs: int, env: dict[str, str], served: Served) -> list[bool]:
    print(f"(b) one command against a served simulator, {pairs} interleaved rounds")
    aws = aws_cli()
    if aws is None:
        raise SystemExit("bench: the AWS CLI is missing (scripts/bench installs the bench extra)")
    url = served.url
    got = interleave(
        {
            "cfshell": process(
                [str(BIN / "cfshell"), "--endpoint-url", url, "streaming list"], env
            ),
            "aws": process(
                [aws, "--endpoint-url", url, "cloudfront", "list-streaming-distributions"], env
            ),
            "floor": process([sys.executable, "-c", FLOOR], env),
        },
        pairs,
    )
    floor, cli = benchlib.wall(got["floor"]), benchlib.wall(got["aws"])
    results = [
        at_most(
            "`cfshell --endpoint-url URL 'streaming list'` vs `aws --endpoint-url URL "
            "cloudfront list-streaming-distributions` (AWS CLI v1)",
            got["cfshell"],
            got["aws"],
            1.0,
        )
    ]
    if floor > cli:
        results.append(
            at_most(
                "the same vs its floor: a process importing cmd2 and botocore and creating a "
                "CloudFront client (no call), slower than the AWS CLI",
                got["cfshell"],
                got["floor"],
                1.05,
            )
        )
    else:
        print(f"  floor {benchlib.with_cpu(got['floor'])}: not slower than the AWS CLI")
    return results


def bench_simulate(pairs: int, env: dict[str, str]) -> bool:
    print(f"(c) one command in the simulator, {pairs} interleaved pairs")
    got = interleave(
        {
            "cfshell": process([str(BIN / "cfshell"), "--simulate", "streaming list"], env),
            "moto": process([sys.executable, "-c", MOTO_LIST], env),
        },
        pairs,
    )
    return at_most(
        "`cfshell --simulate 'streaming list'` vs `python -c` importing boto3 and moto's "
        "mock_aws, listing distributions once under it",
        got["cfshell"],
        got["moto"],
        1.1,
    )


def bench_get(pairs: int, calls: int) -> bool:
    print(
        f"(d) streaming get in a session vs bare boto3, {pairs} interleaved pairs of {calls} calls"
    )
    from cfshell.app import CfShell
    from cfshell.session import Session

    session = Session(simulate=True, deploy_seconds=0)
    app = CfShell(session, stdout=io.StringIO())
    try:
        session.client("s3").create_bucket(Bucket=BUCKET)
        _, failure = app.run_line(f"streaming create {BUCKET} --cname cf.example.com -m bench")
        assert failure is None, failure
        dist_id = session.context.get("streaming")
        cf = session.client("cloudfront")

        def bare() -> float:
            start = time.perf_counter()
            for _ in range(calls):
                cf.get_streaming_distribution(Id=dist_id)
            return (time.perf_counter() - start) / calls

        def shell() -> float:
            start = time.perf_counter()
            for _ in range(calls):
                app.stdout.seek(0)
                app.stdout.truncate()
                app.onecmd_plus_hooks(f"streaming get {dist_id}")
            return (time.perf_counter() - start) / calls

        got = interleave({"shell": shell, "bare": bare}, pairs)
    finally:
        session.close()
    return at_most(
        "`streaming get` in a session vs the bare boto3 call (per call)",
        got["shell"],
        got["bare"],
        1.5,
    )


SEED_SCRIPT = f"""\
streaming create {BUCKET} --cname cf.example.com -m "training videos"
oai create video bucket reader
streaming modify --oai
oai grant {BUCKET} --acl
streaming modify --trusted-signer self
streaming get
streaming wait
"""


def aws_cli_seed(aws: str, url: str, env: dict[str, str]) -> int:
    """The seed's steps with the AWS CLI, one invocation per call, as a user would script them.
    Returns the number of invocations."""
    calls = 0

    def aws_json(*args: str) -> dict:
        nonlocal calls
        calls += 1
        out = subprocess.run(
            [aws, "--endpoint-url", url, "--output", "json", *args],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
        return json.loads(out) if out.strip() else {}

    def modify(dist_id: str, change) -> None:
        current = aws_json("cloudfront", "get-streaming-distribution-config", "--id", dist_id)
        config = current["StreamingDistributionConfig"]
        change(config)
        aws_json(
            "cloudfront",
            "update-streaming-distribution",
            "--id",
            dist_id,
            "--if-match",
            current["ETag"],
            "--streaming-distribution-config",
            json.dumps(config),
        )

    config = {
        "CallerReference": f"bench-{time.time()}",
        "S3Origin": {"DomainName": f"{BUCKET}.s3.amazonaws.com", "OriginAccessIdentity": ""},
        "Aliases": {"Quantity": 1, "Items": ["cf.example.com"]},
        "Comment": "training videos",
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
        "Enabled": True,
    }
    dist = aws_json(
        "cloudfront",
        "create-streaming-distribution",
        "--streaming-distribution-config",
        json.dumps(config),
    )["StreamingDistribution"]
    oai = aws_json(
        "cloudfront",
        "create-cloud-front-origin-access-identity",
        "--cloud-front-origin-access-identity-config",
        f"CallerReference=bench-{time.time()},Comment=video bucket reader",
    )["CloudFrontOriginAccessIdentity"]

    def set_oai(c: dict) -> None:
        c["S3Origin"]["OriginAccessIdentity"] = f"origin-access-identity/cloudfront/{oai['Id']}"

    modify(dist["Id"], set_oai)
    listing = aws_json("s3api", "list-objects-v2", "--bucket", BUCKET, "--fetch-owner")
    for item in listing.get("Contents", []):
        owner = item["Owner"]["ID"]
        aws_json(
            "s3api",
            "put-object-acl",
            "--bucket",
            BUCKET,
            "--key",
            item["Key"],
            "--grant-full-control",
            f"id={owner}",
            "--grant-read",
            f"id={oai['S3CanonicalUserId']}",
        )

    def set_signers(c: dict) -> None:
        c["TrustedSigners"] = {"Enabled": True, "Quantity": 1, "Items": ["self"]}

    modify(dist["Id"], set_signers)
    aws_json("cloudfront", "get-streaming-distribution", "--id", dist["Id"])
    aws_json("cloudfront", "wait", "streaming-distribution-deployed", "--id", dist["Id"])
    return calls


def bench_seed(pairs: int, env: dict[str, str], served: Served) -> bool:
    print(f"(e) the seed's workflow against a served simulator, {pairs} interleaved pairs")
    aws = aws_cli()
    assert aws is not None
    calls = 0
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "seed.cfsh"
        script.write_text(SEED_SCRIPT)
        argv = [str(BIN / "cfshell"), "--endpoint-url", served.url, "--script", str(script)]

        def shell() -> Sample:
            served.reset()  # not timed
            return benchlib.run_process(argv, env)

        def cli() -> float:
            nonlocal calls
            served.reset()
            start = time.perf_counter()
            calls = aws_cli_seed(aws, served.url, env)
            return time.perf_counter() - start

        got = interleave({"cfshell": shell, "aws": cli}, pairs)
    return speedup_at_least(
        f"the seed's steps as one cfshell script vs {calls} `aws` CLI calls, same served simulator",
        got["cfshell"],
        got["aws"],
        5,
    )


def main() -> int:
    args = benchlib.options(__doc__.splitlines()[0])
    os.environ.pop("AWS_PROFILE", None)
    os.environ.update(benchlib.FAKE_AWS)  # this process's own boto3 calls (reset, bench_get)
    results = []
    with benchlib.temp_home() as home:
        env = benchlib.child_env(home)
        results.append(bench_startup(args.pairs, env))
        served = Served(env)
        try:
            served.reset()
            results += bench_one_command(args.pairs, env, served)
            results.append(bench_seed(args.pairs, env, served))
        finally:
            served.stop()
        results.append(bench_simulate(args.pairs, env))
    results.append(bench_get(max(args.pairs, 15), 20))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
