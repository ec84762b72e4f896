#!/usr/bin/env python
"""Benchmark: replaying a transcript with --check costs little more than running its commands.

Runs 1,000 commands of the seed's workflow kind (creates, modifies, gets, lists) in the
in-process simulator, each run on a fresh simulator:

  plain     the commands as a script, without recording or checking (the baseline)
  check     the recorded transcript replayed with --check (references bound as the creates
            run, every output normalised and compared)

Same commands, same fresh simulator, same process; the difference is the replay's binding and
checking. Wall time, medians of interleaved pairs (benchlib); a plain replay (no --check) and
the recording run once, shown beside. Budget: check <= 1.3 x plain.

    python scripts/bench_transcript.py [--commands 1000] [--pairs 9] [--quick]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import benchlib  # noqa: E402

from cfshell.__main__ import run_lines  # noqa: E402
from cfshell.app import CfShell  # noqa: E402
from cfshell.commands.transcripts import run_script, start_recording, stop_recording  # noqa: E402
from cfshell.session import Session  # noqa: E402

TARGET = 1.3


def commands(count: int) -> list[str]:
    """`count` command lines: a few creates, then a steady mix of reads and updates."""
    lines = [
        "sim bucket create my-video-bucket",
        "sim object put my-video-bucket videos/intro.mp4 --size 64",
        "streaming create my-video-bucket --cname cf.example.com -m 'bench'",
        "oai create 'bench reader'",
        "streaming modify --oai",
        "oai grant my-video-bucket",
    ]
    cycle = [
        "streaming get",
        "oai get",
        "streaming modify -m 'comment {i}'",
        "context",
        "oai modify -m 'reader {i}'",
        "streaming list",
        "oai list",
        "streaming get --output json",
    ]
    i = 0
    while len(lines) < count:
        lines.append(cycle[i % len(cycle)].format(i=i))
        i += 1
    return lines[:count]


def fresh_app() -> tuple[Session, CfShell]:
    # A long deploy: every run sees InProgress, so outputs do not depend on timing.
    session = Session(simulate=True, deploy_seconds=3600)
    app = CfShell(session, stdout=io.StringIO())
    return session, app


def timed(run) -> float:  # noqa: ANN001 - a callable taking the app
    session, app = fresh_app()
    try:
        session.client("cloudfront")  # start the simulator and the clients outside the timing
        session.client("s3")
        start = time.perf_counter()
        status = run(app)
        elapsed = time.perf_counter() - start
    finally:
        session.close()
    if status:
        sys.exit(f"a run failed with status {status}")
    return elapsed


def main() -> int:
    args = benchlib.options(__doc__.split("\n")[0])
    parser = argparse.ArgumentParser()
    parser.add_argument("--commands", type=int, default=1000)
    lines = commands(parser.parse_args(args.rest).commands)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bench.cfsh")

        def record(app: CfShell) -> int:
            start_recording(app, path)
            try:
                return run_lines(app, lines, source="bench")
            finally:
                stop_recording(app)

        recording = timed(record)
        replay = timed(lambda app: run_script(app, path))
        print(f"{len(lines)} commands, in-process simulator, {args.pairs} interleaved pairs")
        print(f"  record {recording:.2f} s, replay without --check {replay:.2f} s (one run each)")
        got = benchlib.interleave(
            {
                "check": lambda: timed(lambda app: run_script(app, path, check=True)),
                "plain": lambda: timed(lambda app: run_lines(app, lines, source="bench")),
            },
            args.pairs,
        )
    ok = benchlib.at_most(
        f"replaying {len(lines):,} commands with `--check` vs running them plainly (`--simulate`)",
        got["check"],
        got["plain"],
        TARGET,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
