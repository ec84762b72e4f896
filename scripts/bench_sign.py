"""Benchmark: signing many URLs (the `sign url --from-file` fast path) vs raw `cryptography`.

Not a test. For each key kind, in the same run and with the same key, it times
- raw: `key.sign(policy, ...)` over the 10,000 canned policies, prepared beforehand (the
  ceiling: nothing but the signatures);
- fast path: reading the URL file, `Signer.sign_urls`, and writing the signed URLs out.
Both sides sign the same 10,000 policies with the same key in this process. Wall time, medians
of interleaved pairs (benchlib), CPU time of the process beside. Budget: the fast path's rate
>= 80% of the raw rate.

    .venv/bin/python scripts/bench_sign.py [--count 10000] [--pairs 9] [--keys rsa2048,ecdsa-p256]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import benchlib  # noqa: E402
from benchlib import Sample, Verdict, cpu, interleave, record, wall  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa  # noqa: E402

from cfshell.aws.signing import PrivateKey, Signer, canned_policy  # noqa: E402

TARGET = 0.80


def _key(kind: str):
    if kind == "rsa2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def _raw_sign(key):
    if isinstance(key, rsa.RSAPrivateKey):
        pad, digest = padding.PKCS1v15(), hashes.SHA1()
        return lambda message: key.sign(message, pad, digest)
    algorithm = ec.ECDSA(hashes.SHA1())
    return lambda message: key.sign(message, algorithm)


def _timed(work) -> Sample:
    start, used = time.perf_counter(), time.process_time()
    work()
    return Sample(time.perf_counter() - start, time.process_time() - used)


def bench(kind: str, count: int, pairs: int, url_file: str, urls: list[str]) -> bool:
    key = _key(kind)
    expires = datetime.now(UTC) + timedelta(hours=1)
    policies = [canned_policy(url, expires).encode() for url in urls]
    raw = _raw_sign(key)

    def raw_run() -> None:
        for policy in policies:
            raw(policy)

    signer = Signer(PrivateKey(key=key, algorithm=kind), "K2JCJMDEHXQW5F")

    def fast_run() -> None:
        out = io.StringIO()
        with open(url_file, encoding="utf-8") as lines:
            for signed in signer.sign_urls(lines, expires=expires):
                out.write(signed)
                out.write("\n")
        assert out.getvalue().count("\n") == count

    got = interleave({"fast": lambda: _timed(fast_run), "raw": lambda: _timed(raw_run)}, pairs)
    raw_rate, fast_rate = count / wall(got["raw"]), count / wall(got["fast"])
    ratio = fast_rate / raw_rate
    cpu_ratio = cpu(got["raw"]) / cpu(got["fast"])  # type: ignore[operator]
    return record(
        Verdict(
            what=f"`sign url --from-file`, {count:,} URLs vs raw `cryptography` signing, "
            + ("RSA 2048" if kind == "rsa2048" else "ECDSA P-256"),
            measured=f"{fast_rate:,.0f} vs {raw_rate:,.0f} per s (CPU: {cpu_ratio:.1%})",
            figure=f"{ratio:.1%}",
            budget=f">= {TARGET:.0%}",
            ok=ratio >= TARGET,
            runs=f"{len(got['raw'])} pairs",
        )
    )


def main() -> int:
    args = benchlib.options(__doc__.splitlines()[0])
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--keys", default="rsa2048,ecdsa-p256")
    more = parser.parse_args(args.rest)
    urls = [
        f"https://d111111abcdef8.cloudfront.net/videos/title-{i // 100}/seg{i:05d}.ts"
        for i in range(more.count)
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(urls) + "\n")
    try:
        print(f"{more.count} URLs, canned policy, SHA-1, {args.pairs} interleaved pairs")
        results = [
            bench(k, more.count, args.pairs, handle.name, urls) for k in more.keys.split(",")
        ]
    finally:
        os.unlink(handle.name)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
