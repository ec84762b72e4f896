#!/usr/bin/env python
"""Benchmark: replaying a transcript costs little more than running its commands.

Runs 1,000 commands of the seed's workflow kind (creates, modifies, gets, lists) in the
in-process simulator three ways, each on a fresh simulator:

  plain     the commands as a script, without recording or checking (the baseline)
  replay    the recorded transcript, with references bound as the creates run
  check     the same with --check (every output normalised and compared)

and prints the times and the ratios to the baseline. Target: check <= 1.3 x plain.
Exit status 1 if the target is missed. Not a test: figures vary with the machine.

    python scripts/bench_transcript.py [--commands 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

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
        app.run_line("context")  # start the simulator and the clients outside the timing
        start = time.perf_counter()
        status = run(app)
        elapsed = time.perf_counter() - start
    finally:
        session.close()
    if status:
        sys.exit(f"a run failed with status {status}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commands", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    lines = commands(args.commands)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bench.cfsh")

        def record(app: CfShell) -> int:
            start_recording(app, path)
            try:
                return run_lines(app, lines, source="bench")
            finally:
                stop_recording(app)

        recording = timed(record)
        times: dict[str, list[float]] = {"plain": [], "replay": [], "check": []}
        for _ in range(args.rounds):  # interleaved, so drift hits every way alike
            times["plain"].append(timed(lambda app: run_lines(app, lines, source="bench")))
            times["replay"].append(timed(lambda app: run_script(app, path)))
            times["check"].append(timed(lambda app: run_script(app, path, check=True)))

    best = {name: min(values) for name, values in times.items()}
    base = best["plain"]
    print(f"{len(lines)} commands, in-process simulator, best of {args.rounds} rounds")
    print(f"  record   {recording:7.2f} s   ({recording / base:.2f} x plain, one run)")
    for name in ("plain", "replay", "check"):
        print(f"  {name:<8} {best[name]:7.2f} s   ({best[name] / base:.2f} x plain)")
    ratio = best["check"] / base
    verdict = "ok" if ratio <= TARGET else "MISSED"
    print(f"replay --check / plain = {ratio:.2f} (target <= {TARGET}): {verdict}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
