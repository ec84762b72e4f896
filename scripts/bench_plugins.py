#!/usr/bin/env python3
"""Benchmark (not a test): start-up with 20 installed plugins against start-up without them.

`cfshell context quit` runs as a process, alternately with and without a PYTHONPATH entry
holding 20 minimal plugins (each a module with one CommandSet and a `*.dist-info` declaring it
in the entry-point group `cfshell.plugins`: installed as far as importlib.metadata is
concerned, no pip needed). Same command, same HOME, same environment but for that entry: the
difference is the plugins' discovery, import and registration. Wall time, medians of
interleaved pairs (benchlib), CPU beside. Budget: with / without <= 1.2. (Plugins installed in
the venv, such as the test suite's example plugin, are there in both runs.)

    .venv/bin/python scripts/bench_plugins.py [--plugins 20] [--pairs 9] [--quick]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import benchlib
from benchlib import BIN, ROOT, at_most, interleave, process

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
        (dist / "entry_points.txt").write_text(f"[cfshell.plugins]\nbench{n} = {module}:Commands\n")


def main() -> int:
    args = benchlib.options(__doc__.splitlines()[0])
    parser = argparse.ArgumentParser()
    parser.add_argument("--plugins", type=int, default=20)
    count = parser.parse_args(args.rest).plugins

    with benchlib.temp_home() as home:
        plugins = home / "plugins"
        plugins.mkdir()
        make_plugins(plugins, count)
        without = benchlib.child_env(home)
        with_plugins = benchlib.child_env(home, PYTHONPATH=str(plugins))

        # Check the plugins are really loaded (their commands run) before timing.
        check = subprocess.run(
            [str(BIN / "cfshell"), f"bench{count - 1}"],
            capture_output=True,
            text=True,
            env=with_plugins,
            cwd=ROOT,
            timeout=120,
        )
        if check.stdout.strip() != f"bench plugin {count - 1}":
            raise SystemExit(f"plugins not loaded: {check.stdout}{check.stderr}")

        argv = [str(BIN / "cfshell"), "context", "quit"]
        print(f"start-up, `cfshell context quit`, {args.pairs} interleaved pairs")
        got = interleave(
            {"plugins": process(argv, with_plugins), "none": process(argv, without)},
            args.pairs,
        )
    ok = at_most(
        f"start-up with {count} installed minimal plugins vs none",
        got["plugins"],
        got["none"],
        TARGET,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
