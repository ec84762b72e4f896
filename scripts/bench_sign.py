"""Benchmark: signing many URLs (the `sign url --from-file` fast path) vs raw `cryptography`.

Not a test: prints figures. For each key kind, in the same run and with the same key, it times
- raw: `key.sign(policy, ...)` over the 10,000 canned policies, prepared beforehand (the
  ceiling: nothing but the signatures);
- fast path: reading the URL file, `Signer.sign_urls`, and writing the signed URLs out.
The target is fast path >= 80% of the raw rate. Times are the process's CPU time, best of
--repeat runs for each, raw and fast-path runs alternating, to damp noise from other processes.

    .venv/bin/python scripts/bench_sign.py [--count 10000] [--repeat 3] [--keys rsa2048,ecdsa-p256]
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


def _timed(work) -> float:
    # CPU time of this process: on a shared machine, wall time mostly measures the neighbours.
    start = time.process_time()
    work()
    return time.process_time() - start


def bench(kind: str, count: int, repeat: int, url_file: str, urls: list[str]) -> float:
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

    # Interleaved, so that a burst of load from elsewhere hits both sides alike.
    raw_seconds = fast_seconds = float("inf")
    for _ in range(repeat):
        raw_seconds = min(raw_seconds, _timed(raw_run))
        fast_seconds = min(fast_seconds, _timed(fast_run))
    raw_rate, fast_rate = count / raw_seconds, count / fast_seconds
    ratio = fast_rate / raw_rate
    verdict = "ok" if ratio >= TARGET else "BELOW TARGET"
    print(
        f"{kind:<11} raw cryptography {raw_rate:9.0f} signatures/s   "
        f"sign_urls {fast_rate:9.0f} URLs/s   {ratio:6.1%} of raw  ({verdict})"
    )
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keys", default="rsa2048,ecdsa-p256")
    args = parser.parse_args()
    urls = [
        f"https://d111111abcdef8.cloudfront.net/videos/title-{i // 100}/seg{i:05d}.ts"
        for i in range(args.count)
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(urls) + "\n")
    try:
        print(
            f"{args.count} URLs, canned policy, SHA-1, best of {args.repeat} runs of process CPU time"
        )
        ratios = [
            bench(k, args.count, args.repeat, handle.name, urls) for k in args.keys.split(",")
        ]
    finally:
        os.unlink(handle.name)
    return 0 if all(r >= TARGET for r in ratios) else 1


if __name__ == "__main__":
    sys.exit(main())
