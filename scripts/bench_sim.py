#!/usr/bin/env python3
"""Benchmark of the simulator (not a test): figures and ratios measured in one run.

(a) GetStreamingDistribution / UpdateStreamingDistribution in-process, against moto's own
    GetDistribution / UpdateDistribution of a web distribution (target: ratio <= 1);
(b) listing 1,000 streaming distributions, against moto listing 1,000 web distributions
    (target: ratio <= 1/5);
(c) launch of `python -m simulator serve --port 0` to its first answered request (target < 3 s).

moto's figures are taken first, in this process, before the simulator installs its extensions
(which take over moto's web distribution operations). Everything runs in-process or on 127.0.0.1.
Usage: scripts/bench (or python scripts/bench_sim.py [--quick]).
"""

from __future__ import annotations

import argparse
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

import boto3  # noqa: E402

BUCKET_DOMAIN = "video-bucket.s3.amazonaws.com"
NOT_AVAILABLE = "not available"


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


def streaming_available(cf: Any) -> bool:
    """Whether botocore has the operations and the simulator answers them (not moto's 404)."""
    wanted = {
        "CreateStreamingDistribution",
        "GetStreamingDistribution",
        "UpdateStreamingDistribution",
        "ListStreamingDistributions",
    }
    if not wanted <= set(cf.meta.service_model.operation_names):
        return False
    try:
        cf.list_streaming_distributions()
    except cf.exceptions.ClientError:
        return False
    return True


def compare(calls: int, listed: int, rounds: int) -> tuple[dict[str, float], dict | None]:
    """Best-of-`rounds` figures for moto and the simulator, rounds interleaved (same load)."""
    from simulator import simulate

    moto = MotoProcess()
    moto_best: dict[str, float] = {}
    sim_best: dict[str, float] | None = None
    try:
        with simulate(deploy_seconds=0):
            probe = boto3.session.Session().client("cloudfront", region_name="us-east-1")
            sim = Target("streaming") if streaming_available(probe) else None
            plan = [("get", calls), ("update", calls)]
            for op, arg in plan:  # warm-up, untimed
                moto.call(op, max(5, arg // 10))
                if sim:
                    getattr(sim, op)(max(5, arg // 10))
            moto.send("fill", listed)  # both fill at once; not timed
            if sim:
                sim.fill(listed)
            moto.receive()
            plan.append(("list", listed))
            sim_best = {} if sim else None
            for op, arg in plan:
                for round_ in range(rounds):
                    # moto lists 1,000 in seconds: once is enough to compare with, and bounded.
                    if op != "list" or round_ == 0:
                        moto_best[op] = min(moto_best.get(op, float("inf")), moto.call(op, arg))
                    if sim and sim_best is not None:
                        sim_best[op] = min(sim_best.get(op, float("inf")), getattr(sim, op)(arg))
    finally:
        moto.close()
    return moto_best, sim_best


# -- serve: launch to first answered request ---------------------------------------------------


def serve_launch(repeats: int) -> list[float]:
    from botocore.config import Config

    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", "serve", "--host", "127.0.0.1", "--port", "0"],
            stdout=subprocess.PIPE,
            text=True,
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
    return times


# -- report ------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls and distributions")
    parser.add_argument("--moto-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.moto_worker:
        return moto_worker()
    calls, listed, rounds, launches = (30, 200, 2, 2) if args.quick else (100, 1000, 3, 3)

    started = time.perf_counter()
    moto, sim = compare(calls, listed, rounds)
    launch = serve_launch(launches)

    rows: list[tuple[str, ...]] = []
    for op, label in (("get", "Get"), ("update", "Update")):
        name = f"{label}StreamingDistribution vs moto {label}Distribution"
        moto_ms = f"{moto[op] * 1000:.2f} ms"
        if sim is None:
            rows.append((name, NOT_AVAILABLE, moto_ms, "-", "<= 1"))
            continue
        ratio = sim[op] / moto[op]
        sim_ms = f"{sim[op] * 1000:.2f} ms"
        rows.append((name, sim_ms, moto_ms, f"{ratio:.2f} {verdict(ratio <= 1)}", "<= 1"))
    name = f"List {listed} streaming vs moto {listed} web"
    moto_list = f"{moto['list'] * 1000:.0f} ms"
    if sim is None:
        rows.append((name, NOT_AVAILABLE, moto_list, "-", "<= 0.20"))
    else:
        ratio = sim["list"] / moto["list"]
        sim_list = f"{sim['list'] * 1000:.0f} ms"
        rows.append((name, sim_list, moto_list, f"{ratio:.3f} {verdict(ratio <= 0.2)}", "<= 0.20"))
    worst = max(launch)
    rows.append(
        (
            f"serve launch to first request ({launches} runs)",
            f"{statistics.median(launch):.2f} s median, {worst:.2f} s max",
            "-",
            verdict(worst < 3.0),
            "< 3 s",
        )
    )

    header = ("benchmark", "simulator", "moto", "ratio", "target")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    print(
        f"(in-process; per call: best of {rounds} interleaved rounds of {calls} calls; "
        f"listing: moto once, simulator best of {rounds}; total {time.perf_counter() - started:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
