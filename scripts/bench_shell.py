#!/usr/bin/env python3
"""Benchmark of the shell (not a test): figures and ratios measured in one run.

(a) start-up: `cfshell context quit` against a minimal cmd2 app running one command
    (target: ratio <= 1.3), and `cfshell --simulate context quit` against
    `python -c "import cmd2; from moto import mock_aws"` (target: ratio <= 1.3);
(b) `streaming get` in a session (in-process simulator) against the bare boto3
    GetStreamingDistribution call it makes (target: ratio <= 1.5);
(c) the seed's workflow as one cfshell script against a served simulator, against the same steps
    as separate `aws --endpoint-url` CLI invocations on the same server (target: >= 5x faster).

Everything runs in-process or on 127.0.0.1 with fake credentials.
Usage: scripts/bench (or python scripts/bench_shell.py [--quick]).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FAKE = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
for _key in [k for k in os.environ if k.startswith("AWS_")]:
    del os.environ[_key]
os.environ.update(FAKE)

BUCKET = "my-video-bucket"
OBJECTS = ("videos/intro.mp4", "videos/lesson-1.mp4", "videos/lesson-2.mp4")

MIN_CMD2_APP = """
import cmd2
class App(cmd2.Cmd):
    def do_hello(self, _):
        self.poutput("hello")
App(allow_cli_args=False).onecmd_plus_hooks("hello")
"""


def median_seconds(argv: list[str], runs: int) -> float:
    """Median CPU time (user + system) of a child process.

    CPU time rather than wall time: the machine this runs on is shared, and wall time of a
    half-second process swings by 2x with the load of others; CPU time does not.
    """
    times = []
    for _ in range(runs):
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, cwd=ROOT
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"{argv} exited {proc.returncode}")
        times.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(times)


def report(label: str, ours: float, theirs: float, target: str, ok: bool) -> None:
    verdict = "ok" if ok else "MISSED"
    print(f"  {label}: {ours * 1000:8.1f} ms vs {theirs * 1000:8.1f} ms  ratio {ours / theirs:5.2f}  "
          f"(target {target}) {verdict}")


def bench_startup(runs: int) -> bool:
    print(f"(a) start-up, median CPU time of {runs} runs")
    cfshell = str(BIN / "cfshell")
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(MIN_CMD2_APP)
    try:
        # Warm the file cache once, then interleave so drift hits both sides alike.
        median_seconds([sys.executable, handle.name], 1)
        median_seconds([cfshell, "context", "quit"], 1)
        base = shell = 0.0
        base_sim = shell_sim = 0.0
        base = median_seconds([sys.executable, handle.name], runs)
        shell = median_seconds([cfshell, "context", "quit"], runs)
        base_sim = median_seconds(
            [sys.executable, "-c", "import cmd2; from moto import mock_aws"], runs
        )
        shell_sim = median_seconds([cfshell, "--simulate", "context", "quit"], runs)
    finally:
        os.unlink(handle.name)
    ok1 = shell / base <= 1.3
    ok2 = shell_sim / base_sim <= 1.3
    report("cfshell context quit / minimal cmd2 app", shell, base, "<= 1.3", ok1)
    report("cfshell --simulate context quit / import cmd2+moto", shell_sim, base_sim, "<= 1.3", ok2)
    return ok1 and ok2


def bench_get(iterations: int) -> bool:
    print(f"(b) streaming get in a session vs bare boto3, {iterations} calls each")
    from cfshell.app import CfShell
    from cfshell.session import Session

    session = Session(simulate=True, deploy_seconds=0)
    app = CfShell(session, stdout=io.StringIO())
    try:
        s3 = session.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        _, failure = app.run_line(f"streaming create {BUCKET} --cname cf.example.com -m bench")
        assert failure is None, failure
        dist_id = session.context.get("streaming")
        cf = session.client("cloudfront")

        def bare() -> None:
            cf.get_streaming_distribution(Id=dist_id)

        def shell() -> None:
            app.stdout.seek(0)
            app.stdout.truncate()
            app.onecmd_plus_hooks(f"streaming get {dist_id}")

        for fn in (bare, shell):  # warm up
            for _ in range(20):
                fn()
        bare_t = shell_t = 0.0
        for _ in range(3):  # interleaved rounds
            start = time.perf_counter()
            for _ in range(iterations):
                bare()
            bare_t += time.perf_counter() - start
            start = time.perf_counter()
            for _ in range(iterations):
                shell()
            shell_t += time.perf_counter() - start
        per_bare = bare_t / (3 * iterations)
        per_shell = shell_t / (3 * iterations)
    finally:
        session.close()
    ok = per_shell / per_bare <= 1.5
    report("streaming get / get_streaming_distribution", per_shell, per_bare, "<= 1.5", ok)
    return ok


SEED_SCRIPT = f"""\
streaming create {BUCKET} --cname cf.example.com -m "training videos"
oai create video bucket reader
streaming modify --oai
oai grant {BUCKET} --acl
streaming modify --trusted-signer self
streaming get
streaming wait
"""


class Served:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", "serve", "--port", "0", "--deploy-seconds", "0"],
            stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise SystemExit("the simulator did not start")

    def reset(self) -> None:
        """Fresh state, then the seed's stage: the bucket with three objects."""
        import boto3

        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        urllib.request.urlopen(request).read()
        s3 = boto3.client("s3", endpoint_url=self.url)
        s3.create_bucket(Bucket=BUCKET)
        s3.put_bucket_ownership_controls(
            Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
        )
        for key in OBJECTS:
            s3.put_object(Bucket=BUCKET, Key=key, Body=b"video")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=20)


def aws_cli_seed(aws: str, url: str) -> int:
    """The seed's steps with the AWS CLI, one invocation per call, as a user would script them.
    Returns the number of invocations."""
    calls = 0

    def aws_json(*args: str) -> dict:
        nonlocal calls
        calls += 1
        out = subprocess.run(
            [aws, "--endpoint-url", url, "--output", "json", *args],
            capture_output=True, text=True, check=True,
        ).stdout
        return json.loads(out) if out.strip() else {}

    def modify(dist_id: str, change) -> None:
        current = aws_json("cloudfront", "get-streaming-distribution-config", "--id", dist_id)
        config = current["StreamingDistributionConfig"]
        change(config)
        aws_json(
            "cloudfront", "update-streaming-distribution", "--id", dist_id,
            "--if-match", current["ETag"], "--streaming-distribution-config", json.dumps(config),
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
        "cloudfront", "create-streaming-distribution",
        "--streaming-distribution-config", json.dumps(config),
    )["StreamingDistribution"]
    oai = aws_json(
        "cloudfront", "create-cloud-front-origin-access-identity",
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
            "s3api", "put-object-acl", "--bucket", BUCKET, "--key", item["Key"],
            "--grant-full-control", f"id={owner}", "--grant-read", f"id={oai['S3CanonicalUserId']}",
        )

    def set_signers(c: dict) -> None:
        c["TrustedSigners"] = {"Enabled": True, "Quantity": 1, "Items": ["self"]}

    modify(dist["Id"], set_signers)
    aws_json("cloudfront", "get-streaming-distribution", "--id", dist["Id"])
    aws_json("cloudfront", "wait", "streaming-distribution-deployed", "--id", dist["Id"])
    return calls


def bench_seed(runs: int) -> bool:
    print(f"(c) the seed's workflow against a served simulator, best of {runs}")
    aws = shutil.which("aws", path=str(BIN)) or shutil.which("aws")
    served = Served()
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".cfsh", delete=False) as handle:
            handle.write(SEED_SCRIPT)
        shell_times = []
        for _ in range(runs):
            served.reset()
            start = time.perf_counter()
            subprocess.run(
                [str(BIN / "cfshell"), "--endpoint-url", served.url, "--script", handle.name],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=True, cwd=ROOT,
            )
            shell_times.append(time.perf_counter() - start)
        os.unlink(handle.name)
        shell_t = min(shell_times)
        if aws is None:
            print(f"  cfshell script: {shell_t * 1000:.0f} ms; aws CLI not available "
                  "(install the bench extra: CFSHELL_EXTRAS=test,bench)")
            return False
        cli_times = []
        calls = 0
        for _ in range(runs):
            served.reset()
            start = time.perf_counter()
            calls = aws_cli_seed(aws, served.url)
            cli_times.append(time.perf_counter() - start)
        cli_t = min(cli_times)
    finally:
        served.stop()
    speedup = cli_t / shell_t
    ok = speedup >= 5
    print(f"  cfshell script: {shell_t * 1000:8.1f} ms; aws CLI, {calls} invocations: "
          f"{cli_t * 1000:8.1f} ms; cfshell {speedup:.1f}x faster (target >= 5x) "
          f"{'ok' if ok else 'MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    results = [
        bench_startup(runs),
        bench_get(50 if args.quick else 200),
        bench_seed(1 if args.quick else 3),
    ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
