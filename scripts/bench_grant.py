#!/usr/bin/env python
"""Benchmark of `oai grant --acl` (issue 3, "How it is checked"). Prints figures; not a test.

1. Speed: over a bucket of 300 objects on a served simulator adding 50 ms to every request,
   `cfshell --endpoint-url URL 'oai grant OAI BUCKET --acl'` against a serial boto3
   read-modify-write loop (get_object_acl + put_object_acl per object, as the seed's script did)
   over the same bucket. Target: at least 8 times faster.
2. Memory: peak RSS of the granting process (a fresh `cfshell` run) at 5,000 objects against its
   peak at 500 (no added latency). Target: within 15 MiB.

Everything runs on loopback: the simulator is served by a child process of this script, which
creates the objects directly in its in-process store (no latency, no HTTP) before serving, and
each grant runs in its own child process so that its peak memory is its own.

    .venv/bin/python scripts/bench_grant.py [--objects 300] [--latency-ms 50]
        [--small 500] [--large 5000] [--skip-speed | --skip-memory]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"
FAKE = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
SPEED_TARGET = 8.0
MEMORY_TARGET_MIB = 15.0


# -- child: the served simulator ----------------------------------------------------------------


def serve(buckets: list[str]) -> None:
    """Serve the simulator with BUCKET:COUNT buckets filled; obey `latency MS` lines on stdin."""
    import boto3
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    from simulator.config import settings
    from simulator.launcher import serve_in_thread

    server = serve_in_thread("127.0.0.1", 0, latency_ms=0)
    s3 = boto3.client("s3", endpoint_url=server.url, region_name=REGION, **FAKE)
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    for spec in buckets:
        name, count = spec.split(":")
        s3.create_bucket(Bucket=name)
        for i in range(int(count)):
            # Straight into the store: 5,000 PUTs over HTTP would dominate the run.
            backend.put_object(name, f"videos/{i:06}.mp4", b"x" * 64)
    print(server.url, flush=True)
    for line in sys.stdin:
        command, _, value = line.strip().partition(" ")
        if command == "latency":
            settings.latency_ms = float(value)
        print("ok", flush=True)
    server.stop()


class Server:
    def __init__(self, buckets: list[str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", *buckets],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            raise SystemExit(f"the simulator did not start (got {self.url!r})")

    def latency(self, ms: float) -> None:
        self.proc.stdin.write(f"latency {ms}\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "ok"

    def stop(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


# -- child: one cfshell grant -------------------------------------------------------------------


def grant_child(url: str, bucket: str, oai_id: str) -> None:
    """Run the command in a fresh cfshell session (as `cfshell --endpoint-url URL` builds it).

    Reports the command's own time (from the line typed to its summary, boto3's import and
    client creation included) and this process's peak RSS.
    """
    import resource

    from cfshell.app import CfShell
    from cfshell.session import Session

    session = Session(endpoint_url=url)
    app = CfShell(session)
    started = time.perf_counter()
    _, failure = app.run_line(f"oai grant {oai_id} {bucket} --acl")
    elapsed = time.perf_counter() - started
    session.close()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    status = failure.status if failure else 0
    print(json.dumps({"status": status, "elapsed": elapsed, "peak_kib": peak_kib}), flush=True)


def serial_child(url: str, bucket: str) -> None:
    """The seed's way: list, then for each object read its ACL and write it back plus one grant.

    Timed like the command: boto3's import and client creation included.
    """
    started = time.perf_counter()
    import boto3

    s3 = boto3.client("s3", endpoint_url=url, region_name=REGION, **FAKE)
    grantee = {"Type": "CanonicalUser", "ID": secrets.token_hex(32)}
    count = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            acl = s3.get_object_acl(Bucket=bucket, Key=obj["Key"])
            grants = [*acl["Grants"], {"Grantee": grantee, "Permission": "READ"}]
            s3.put_object_acl(
                Bucket=bucket,
                Key=obj["Key"],
                AccessControlPolicy={"Grants": grants, "Owner": acl["Owner"]},
            )
            count += 1
    elapsed = time.perf_counter() - started
    print(json.dumps({"status": 0, "elapsed": elapsed, "count": count}), flush=True)


def child(*args: str) -> dict:
    env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )
    wall = time.perf_counter() - started
    lines = done.stdout.strip().splitlines()
    result = json.loads(lines[-1]) if done.returncode == 0 and lines else {"status": -1}
    if result["status"] != 0:
        raise SystemExit(f"{args[0]} failed:\n{done.stdout}\n{done.stderr}")
    result["wall"] = wall
    result["summary"] = [line for line in lines[:-1] if line.strip()]
    return result


# -- the parent ---------------------------------------------------------------------------------


def create_oai(url: str) -> str:
    import boto3

    cf = boto3.client("cloudfront", endpoint_url=url, region_name=REGION, **FAKE)
    identity = cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={
            "CallerReference": secrets.token_hex(8),
            "Comment": "bench",
        }
    )["CloudFrontOriginAccessIdentity"]
    return identity["Id"]


def bench_speed(objects: int, latency_ms: float) -> bool:
    bucket = "bench-speed"
    server = Server([f"{bucket}:{objects}"])
    try:
        oai_id = create_oai(server.url)
        server.latency(latency_ms)
        grant = child("--grant-child", server.url, bucket, oai_id)
        loop = child("--serial-child", server.url, bucket)
    finally:
        server.stop()
    assert loop["count"] == objects
    serial = loop["elapsed"]
    ratio = serial / grant["elapsed"]
    print(f"speed: {objects} objects, {latency_ms:g} ms added per request")
    for line in grant["summary"]:
        print(f"  cfshell: {line.strip()}")
    print(f"  serial boto3 loop (get + put per object): {serial:7.2f} s")
    print(f"  oai grant --acl (the command in a fresh session): {grant['elapsed']:7.2f} s")
    print(
        f"  whole processes, start-up included: loop {loop['wall']:.2f} s, "
        f"cfshell {grant['wall']:.2f} s ({loop['wall'] / grant['wall']:.1f}x)"
    )
    print(f"  ratio: {ratio:.1f}x (target >= {SPEED_TARGET:g}x)")
    return ratio >= SPEED_TARGET


def bench_memory(small: int, large: int) -> bool:
    server = Server([f"bench-small:{small}", f"bench-large:{large}"])
    try:
        oai_id = create_oai(server.url)
        low = child("--grant-child", server.url, "bench-small", oai_id)
        high = child("--grant-child", server.url, "bench-large", oai_id)
    finally:
        server.stop()
    growth = (high["peak_kib"] - low["peak_kib"]) / 1024
    print("memory: peak RSS of the granting process (no added latency)")
    print(f"  {small:>6} objects: {low['peak_kib'] / 1024:7.1f} MiB  ({low['elapsed']:.1f} s)")
    print(f"  {large:>6} objects: {high['peak_kib'] / 1024:7.1f} MiB  ({high['elapsed']:.1f} s)")
    print(f"  growth: {growth:.1f} MiB (target <= {MEMORY_TARGET_MIB:g} MiB)")
    return growth <= MEMORY_TARGET_MIB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--objects", type=int, default=300)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--serve", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--grant-child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--serial-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return 0
    if args.grant_child:
        grant_child(*args.grant_child)
        return 0
    if args.serial_child:
        serial_child(*args.serial_child)
        return 0

    started = time.perf_counter()
    results = []
    if not args.skip_speed:
        results.append(bench_speed(args.objects, args.latency_ms))
    if not args.skip_memory:
        results.append(bench_memory(args.small, args.large))
    print(f"total bench time: {time.perf_counter() - started:.0f} s")
    print("PASS" if all(results) else "FAIL")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
