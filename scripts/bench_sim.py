#!/usr/bin/env python3
"""Benchmark of the simulator (not a test): budgets measured in one run, interleaved (benchlib).

(a) the price of the simulator's corrections: its GetDistribution / UpdateDistribution of a web
    distribution against plain moto's on the same resource type, same config, same client
    calls (budget <= 1.1); then GetStreamingDistribution / UpdateStreamingDistribution against
    the simulator's own web distribution operations (budget <= 1: streaming is no dearer);
(b) ListDistributions over 1,000 web distributions, simulator against plain moto (budget <= 0.2:
    the simulator pages and caches summaries); ListStreamingDistributions over 1,000 against
    the simulator's ListDistributions over 1,000 (budget <= 1);
(c) launch of `python -m simulator serve --port 0` to its first answered request (< 3 s, the
    worst of the runs).

Plain moto runs in a child process (the simulator's extensions replace moto's web distribution
operations in the process that installs them); each sample is a batch of calls timed where they
are made, batches of both sides alternating. Everything runs in-process or on 127.0.0.1.
Usage: scripts/bench (or python scripts/bench_sim.py [--pairs N] [--quick]).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from typing import Any

for _key, _value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}.items():
    os.environ[_key] = _value
os.environ.pop("AWS_PROFILE", None)

import benchlib  # noqa: E402
import boto3  # noqa: E402
from benchlib import Verdict, at_most, interleave, record, seconds  # noqa: E402

BUCKET_DOMAIN = "video-bucket.s3.amazonaws.com"


def web_config(ref: str) -> dict[str, Any]:
    return {
        "CallerReference": ref,
        "Comment": "bench",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "origin",
                    "DomainName": BUCKET_DOMAIN,
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "origin",
            "ViewerProtocolPolicy": "allow-all",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
    }


def streaming_config(ref: str) -> dict[str, Any]:
    return {
        "CallerReference": ref,
        "S3Origin": {"DomainName": BUCKET_DOMAIN, "OriginAccessIdentity": ""},
        "Comment": "bench",
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
        "Enabled": True,
    }


class Target:
    """One kind of distribution to time: moto's web ones or the simulator's streaming ones."""

    def __init__(self, kind: str) -> None:
        self.cf = boto3.session.Session().client("cloudfront", region_name="us-east-1")
        self.kind = kind
        self.created = 0
        if kind == "web":
            self._create = lambda ref: self.cf.create_distribution(
                DistributionConfig=web_config(ref)
            )
            self._get = self.cf.get_distribution
            self._get_config = self.cf.get_distribution_config
            self._update = self.cf.update_distribution
            self._config_key, self._list_op, self._list_key = (
                "DistributionConfig",
                "list_distributions",
                "DistributionList",
            )
        else:
            self._create = lambda ref: self.cf.create_streaming_distribution(
                StreamingDistributionConfig=streaming_config(ref)
            )
            self._get = self.cf.get_streaming_distribution
            self._get_config = self.cf.get_streaming_distribution_config
            self._update = self.cf.update_streaming_distribution
            self._config_key, self._list_op, self._list_key = (
                "StreamingDistributionConfig",
                "list_streaming_distributions",
                "StreamingDistributionList",
            )
        created = self._create("first")
        self.dist_id = next(v for k, v in created.items() if k.endswith("Distribution"))["Id"]
        self.created = 1
        got = self._get_config(Id=self.dist_id)
        self.config, self.etag = got[self._config_key], got["ETag"]

    def get(self, calls: int) -> float:
        start = time.perf_counter()
        for _ in range(calls):
            self._get(Id=self.dist_id)
        return (time.perf_counter() - start) / calls

    def update(self, calls: int) -> float:
        start = time.perf_counter()
        for _ in range(calls):
            self.etag = self._update(
                Id=self.dist_id, IfMatch=self.etag, **{self._config_key: self.config}
            )["ETag"]
        return (time.perf_counter() - start) / calls

    def fill(self, count: int) -> float:
        while self.created < count:
            self._create(f"ref-{self.created}")
            self.created += 1
        return 0.0

    def list(self, expected: int) -> float:
        start = time.perf_counter()
        count = 0
        for page in self.cf.get_paginator(self._list_op).paginate():
            count += len(page[self._list_key].get("Items") or [])
        elapsed = time.perf_counter() - start
        if count != expected:
            raise SystemExit(f"bench: listed {count} {self.kind} distributions, not {expected}")
        return elapsed


def moto_worker() -> int:
    """Child process: moto alone (the simulator never installed), driven over stdin/stdout."""
    from moto import mock_aws

    with mock_aws():
        target = Target("web")
        print("ready", flush=True)
        for line in sys.stdin:
            op, arg = line.split()
            print(getattr(target, op)(int(arg)), flush=True)
    return 0


class MotoProcess:
    """moto's figures come from a child process, so the simulator's changes cannot reach them."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--moto-worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._expect("ready")

    def _expect(self, word: str) -> None:
        line = self.proc.stdout.readline().strip()  # type: ignore[union-attr]
        if line != word:
            raise SystemExit(f"bench: moto worker said {line!r}")

    def send(self, op: str, arg: int) -> None:
        self.proc.stdin.write(f"{op} {arg}\n")  # type: ignore[union-attr]
        self.proc.stdin.flush()  # type: ignore[union-attr]

    def receive(self) -> float:
        return float(self.proc.stdout.readline())  # type: ignore[union-attr]

    def call(self, op: str, arg: int) -> float:
        self.send(op, arg)
        return self.receive()

    def close(self) -> None:
        self.proc.stdin.close()  # type: ignore[union-attr]
        self.proc.wait(timeout=10)


def compare(calls: int, listed: int, pairs: int) -> list[bool]:
    from simulator import simulate

    results = []
    moto = MotoProcess()
    try:
        with simulate(deploy_seconds=0):
            web, streaming = Target("web"), Target("streaming")
            for op, label in (("get", "Get"), ("update", "Update")):
                print(f"(a) {label}, {pairs} interleaved rounds of {calls} calls")
                got = interleave(
                    {
                        "moto": lambda op=op: moto.call(op, calls),
                        "web": lambda op=op: getattr(web, op)(calls),
                        "streaming": lambda op=op: getattr(streaming, op)(calls),
                    },
                    pairs,
                )
                results.append(
                    at_most(
                        f"{label}Distribution, simulator vs plain moto (per call)",
                        got["web"],
                        got["moto"],
                        1.1,
                    )
                )
                results.append(
                    at_most(
                        f"{label}StreamingDistribution vs the simulator's {label}Distribution",
                        got["streaming"],
                        got["web"],
                        1.0,
                    )
                )
            moto.send("fill", listed)  # all three fill at once; not timed
            web.fill(listed)
            streaming.fill(listed)
            moto.receive()
            print(f"(b) listing {listed}, {pairs} interleaved rounds")
            got = interleave(
                {
                    "moto": lambda: moto.call("list", listed),
                    "web": lambda: web.list(listed),
                    "streaming": lambda: streaming.list(listed),
                },
                pairs,
            )
            results.append(
                at_most(
                    f"ListDistributions, {listed:,}, simulator vs plain moto",
                    got["web"],
                    got["moto"],
                    0.2,
                )
            )
            results.append(
                at_most(
                    f"ListStreamingDistributions, {listed:,}, vs the simulator's "
                    f"ListDistributions, {listed:,}",
                    got["streaming"],
                    got["web"],
                    1.0,
                )
            )
    finally:
        moto.close()
    return results


# -- serve: launch to first answered request ---------------------------------------------------


def serve_launch(repeats: int) -> bool:
    from botocore.config import Config

    print(f"(c) serve launch to first request, {repeats} runs")
    env = benchlib.child_env()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", "serve", "--host", "127.0.0.1", "--port", "0"],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            url = proc.stdout.readline().strip()  # type: ignore[union-attr]
            if not url:
                raise SystemExit("bench: the served simulator printed no URL")
            s3 = boto3.session.Session().client(
                "s3",
                endpoint_url=url,
                region_name="us-east-1",
                config=Config(retries={"total_max_attempts": 1}),
            )
            s3.list_buckets()
            times.append(time.perf_counter() - start)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    worst = max(times)
    return record(
        Verdict(
            what="`python -m simulator serve` launch to first request",
            measured=f"{seconds(statistics.median(times))} median, {seconds(worst)} max",
            figure="-",
            budget="< 3 s (max)",
            ok=worst < 3.0,
            runs=f"{repeats} runs",
        )
    )


def main(argv: list[str] | None = None) -> int:
    if argv is None and "--moto-worker" in sys.argv:
        return moto_worker()
    args = benchlib.options(__doc__.splitlines()[0], argv)
    quick = args.quick
    calls, listed = (30, 200) if quick else (50, 1000)
    started = time.perf_counter()
    results = compare(calls, listed, args.pairs)
    results.append(serve_launch(args.pairs))
    print(f"(total {time.perf_counter() - started:.1f} s)")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
