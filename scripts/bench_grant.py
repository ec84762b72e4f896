#!/usr/bin/env python
"""Benchmark of `oai grant --acl` (not a test): budgets measured in one run (benchlib).

1. Speed: over a bucket of 300 objects on a served simulator adding 50 ms to every request,
   the whole `cfshell --endpoint-url URL 'oai grant OAI BUCKET --acl'` process (start-up
   included) against the whole process of a serial boto3 read-modify-write loop
   (get_object_acl + put_object_acl per object, as the seed's script did; its start-up and
   boto3's import included) over the same bucket. Each run adds one new grantee to every
   object on both sides (a fresh OAI for each cfshell run, a fresh canonical ID for each
   loop), so every run does the same work. Budget: cfshell at least 10x faster.
   Pairs: 3 by default, not 9: one loop takes 600 x 50 ms, over 30 s, all of it latency
   the simulator adds, so its runs differ by about 1%; --pairs 9 runs the full count.
2. Memory: peak RSS of the granting process (a fresh `cfshell` run) at 5,000 objects against
   its peak at 500 (no added latency). Budget: within 15 MiB.

Everything runs on loopback: the simulator is served by a child process of this script, which
creates the objects directly in its in-process store (no latency, no HTTP) before serving.

    .venv/bin/python scripts/bench_grant.py [--pairs 3] [--objects 300] [--latency-ms 50]
        [--small 500] [--large 5000] [--skip-speed | --skip-memory]
"""

from __future__ import annotations

import argparse
import secrets
import subprocess
import sys
import time

import benchlib
from benchlib import (
    BIN,
    ROOT,
    Sample,
    Verdict,
    at_most,
    interleave,
    process,
    record,
    speedup_at_least,
)

REGION = "us-east-1"
FAKE = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
SPEED_TARGET = 10.0
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
        # ACLs on: new buckets have them disabled (BucketOwnerEnforced), as on AWS.
        s3.put_bucket_ownership_controls(
            Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
        )
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


# -- child: the serial loop ---------------------------------------------------------------------


def serial_child(url: str, bucket: str) -> None:
    """The seed's way: list, then for each object read its ACL and write it back plus one grant."""
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
    print(count, flush=True)


def parallel_child(url: str, bucket: str, threads: str) -> None:
    """The floor of any client: the loop's requests from `threads` threads sharing one boto3
    client (a connection each), nothing else: what the served simulator can answer."""
    from concurrent.futures import ThreadPoolExecutor

    import boto3
    from botocore.config import Config

    workers = int(threads)
    s3 = boto3.client(
        "s3",
        endpoint_url=url,
        region_name=REGION,
        config=Config(max_pool_connections=workers),
        **FAKE,
    )
    grantee = {"Type": "CanonicalUser", "ID": secrets.token_hex(32)}

    def grant(key: str) -> None:
        acl = s3.get_object_acl(Bucket=bucket, Key=key)
        grants = [*acl["Grants"], {"Grantee": grantee, "Permission": "READ"}]
        s3.put_object_acl(
            Bucket=bucket, Key=key, AccessControlPolicy={"Grants": grants, "Owner": acl["Owner"]}
        )

    keys = [
        obj["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for obj in page.get("Contents", [])
    ]
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(grant, keys))
    print(len(keys), flush=True)


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


def grant(url: str, bucket: str, oai_id: str, env: dict[str, str]) -> Sample:
    """The whole `cfshell` process granting `oai_id` read access to every object of `bucket`."""
    argv = [str(BIN / "cfshell"), "--endpoint-url", url, f"oai grant {oai_id} {bucket} --acl"]
    return benchlib.run_process(argv, env)


def bench_speed(objects: int, latency_ms: float, pairs: int, env: dict[str, str]) -> bool:
    bucket = "bench-speed"
    print(f"speed: {objects} objects, {latency_ms:g} ms added per request, {pairs} pairs")
    server = Server([f"{bucket}:{objects}"])
    try:
        server.latency(latency_ms)

        def shell() -> Sample:
            server.latency(0)
            oai_id = create_oai(server.url)  # a new grantee for every run; not timed
            server.latency(latency_ms)
            return grant(server.url, bucket, oai_id, env)

        loop_argv = [sys.executable, __file__, "--serial-child", server.url, bucket]
        # As many threads as cfshell's default concurrency (cfshell.session).
        floor_argv = [sys.executable, __file__, "--parallel-child", server.url, bucket, "32"]
        shell()  # warm-up, untimed (the loop's 30 s would add nothing but time)
        got = interleave(
            {
                "cfshell": shell,
                "loop": process(loop_argv, env),
                "floor": process(floor_argv, env),
            },
            pairs,
            warmup=0,
        )
    finally:
        server.stop()
    results = [
        speedup_at_least(
            f"`oai grant --acl`, {objects} objects, {latency_ms:g} ms latency per request, "
            "whole process vs a serial boto3 read-modify-write loop, whole process",
            got["cfshell"],
            got["loop"],
            SPEED_TARGET,
        )
    ]
    floor = benchlib.wall(got["loop"]) / benchlib.wall(got["floor"])
    if floor < SPEED_TARGET:
        results.append(
            at_most(
                "the same vs its floor: the loop's requests from 32 threads of a bare boto3 "
                f"process (only {floor:.1f}x faster than the loop: the served simulator's "
                "time per request bounds it)",
                got["cfshell"],
                got["floor"],
                1.1,
            )
        )
    else:
        print(f"  floor {benchlib.with_cpu(got['floor'])}: {floor:.1f}x faster than the loop")
    return all(results)


def bench_memory(small: int, large: int, env: dict[str, str]) -> bool:
    print("memory: peak RSS of the granting process (no added latency)")
    server = Server([f"bench-small:{small}", f"bench-large:{large}"])
    try:
        oai_id = create_oai(server.url)
        low = grant(server.url, "bench-small", oai_id, env)
        high = grant(server.url, "bench-large", oai_id, env)
    finally:
        server.stop()
    assert low.peak_kib is not None and high.peak_kib is not None
    growth = (high.peak_kib - low.peak_kib) / 1024
    return record(
        Verdict(
            what=f"peak memory of `oai grant --acl` at {large:,} objects vs {small:,}",
            measured=f"{high.peak_kib / 1024:.1f} MiB vs {low.peak_kib / 1024:.1f} MiB",
            figure=f"{growth:+.1f} MiB",
            budget=f"<= +{MEMORY_TARGET_MIB:g} MiB",
            ok=growth <= MEMORY_TARGET_MIB,
            runs="1 run each",
        )
    )


def main() -> int:
    if "--serve" in sys.argv:
        serve(sys.argv[sys.argv.index("--serve") + 1 :])
        return 0
    if "--parallel-child" in sys.argv:
        parallel_child(*sys.argv[sys.argv.index("--parallel-child") + 1 :])
        return 0
    if "--serial-child" in sys.argv:
        serial_child(*sys.argv[sys.argv.index("--serial-child") + 1 :])
        return 0
    args = benchlib.options(__doc__.splitlines()[0], pairs=3)
    parser = argparse.ArgumentParser()
    parser.add_argument("--objects", type=int, default=300)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    more = parser.parse_args(args.rest)

    started = time.perf_counter()
    results = []
    with benchlib.temp_home() as home:
        env = benchlib.child_env(home)
        if not more.skip_speed:
            results.append(bench_speed(more.objects, more.latency_ms, args.pairs, env))
        if not more.skip_memory:
            results.append(bench_memory(more.small, more.large, env))
    print(f"(total {time.perf_counter() - started:.0f} s)")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
