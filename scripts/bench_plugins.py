#!/usr/bin/env python3
"""Benchmark (not a test): start-up with 20 installed plugins against start-up without them.

`cfshell --simulate context quit` runs as a subprocess, alternately with and without a
PYTHONPATH entry holding 20 minimal plugins (each a module with one CommandSet and a
`*.dist-info` declaring it in the entry-point group `cfshell.plugins`: installed as far as
importlib.metadata is concerned, no pip needed). Wall time, median of --repeat runs of each.
Target: with-plugins / without <= 1.2. (Plugins installed in the venv, such as the test
suite's example plugin, are there in both runs.)

    .venv/bin/python scripts/bench_plugins.py [--plugins 20] [--repeat 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.2

PLUGIN = '''\
from cfshell.commands.base import CfShellCommandSet


class Commands(CfShellCommandSet):
    DEFAULT_CATEGORY = "Bench plugins"

    def do_bench{n}(self, _statement):
        """Say which plugin this is."""
        self.say("bench plugin {n}")
'''


def make_plugins(where: Path, count: int) -> None:
    for n in range(count):
        module = f"cfshell_bench_plugin_{n}"
        (where / f"{module}.py").write_text(PLUGIN.format(n=n))
        dist = where / f"{module}-1.0.dist-info"
        dist.mkdir()
        (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
        (dist / "entry_points.txt").write_text(
            f"[cfshell.plugins]\nbench{n} = {module}:Commands\n"
        )


def start_up(env: dict[str, str]) -> float:
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "cfshell", "--simulate", "context", "quit"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    elapsed = time.perf_counter() - started
    if run.returncode != 0 or run.stderr:
        raise SystemExit(f"cfshell failed to start: {run.stderr.strip()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugins", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()  # no ~/.cfshellrc, no history
        plugins = Path(tmp) / "plugins"
        plugins.mkdir()
        make_plugins(plugins, args.plugins)

        base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CFSHELL_"))}
        base.update(HOME=str(home), AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
        base.pop("PYTHONPATH", None)
        without = dict(base)
        with_plugins = dict(base, PYTHONPATH=str(plugins))

        # Check the plugins are really loaded (their commands run) before timing.
        check = subprocess.run(
            [sys.executable, "-m", "cfshell", "--simulate", f"bench{args.plugins - 1}"],
            capture_output=True, text=True, env=with_plugins, cwd=ROOT, timeout=120,
        )
        if check.stdout.strip() != f"bench plugin {args.plugins - 1}":
            raise SystemExit(f"plugins not loaded: {check.stdout}{check.stderr}")

        start_up(without)  # warm the file cache
        times: dict[str, list[float]] = {"none": [], "plugins": []}
        for _ in range(args.repeat):  # alternate, to spread noise from other processes
            times["none"].append(start_up(without))
            times["plugins"].append(start_up(with_plugins))

    none = statistics.median(times["none"])
    more = statistics.median(times["plugins"])
    ratio = more / none
    print(f"start-up, `cfshell --simulate context quit`, median of {args.repeat} runs:")
    print(f"  without plugins          {none * 1000:7.1f} ms")
    print(f"  with {args.plugins:2d} plugins          {more * 1000:7.1f} ms")
    print(f"  ratio                    {ratio:7.2f}  (target <= {TARGET}) "
          f"{'OK' if ratio <= TARGET else 'SLOW'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
