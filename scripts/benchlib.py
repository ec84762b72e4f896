"""What every scripts/bench_*.py shares: interleaved runs, medians, ratios, verdicts, the table.

A budget compares two sides doing the same work. `interleave` runs them in pairs, A B A B ...
(after one untimed warm-up run of each), so that a burst of load from the other processes on
the machine hits both sides alike; the figure of each side is the median of its wall-clock
times, and the ratio is the ratio of the medians. CPU time, where a side is a process, is shown
beside the wall time but never decides a budget: what a user waits for is wall time.

Each verdict prints as one line, and is appended as JSON to the file named by
$CFSHELL_BENCH_RESULTS, from which `python scripts/benchlib.py table FILE` prints the one
Markdown table (scripts/bench does this; the README's table is its output).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PAIRS = 9  # the fewest interleaved pairs a budget is measured over
QUICK_PAIRS = 3
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}


# -- runs -------------------------------------------------------------------------------------


@dataclass
class Sample:
    """One timed run: wall-clock seconds; for a child process, its CPU seconds and peak RSS."""

    wall: float
    cpu: float | None = None
    peak_kib: int | None = None  # peak resident set of a child process (KiB on Linux)


Side = Callable[[], "Sample | float"]


def interleave(sides: dict[str, Side], pairs: int, *, warmup: int = 1) -> dict[str, list[Sample]]:
    """Run every side `warmup` times untimed, then `pairs` rounds of each side in turn."""
    for _ in range(warmup):
        for run in sides.values():
            run()
    samples: dict[str, list[Sample]] = {name: [] for name in sides}
    for _ in range(pairs):
        for name, run in sides.items():
            got = run()
            samples[name].append(got if isinstance(got, Sample) else Sample(got))
    return samples


def wall(samples: Sequence[Sample]) -> float:
    return statistics.median(s.wall for s in samples)


def cpu(samples: Sequence[Sample]) -> float | None:
    values = [s.cpu for s in samples if s.cpu is not None]
    return statistics.median(values) if values else None


def child_env(home: str | Path | None = None, **extra: str) -> dict[str, str]:
    """This environment for a child process: fake AWS keys, none of the developer's AWS or
    cfshell settings, its own HOME (no ~/.aws, no ~/.cfshellrc, no history), and bytecode
    caches written as a normal installation's first run writes them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CFSHELL_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPATH", None)
    env.update(FAKE_AWS)
    if home is not None:
        env["HOME"] = str(home)
    env.update(extra)
    return env


def run_process(
    argv: Sequence[str], env: dict[str, str], *, stdout: int | None = subprocess.DEVNULL
) -> Sample:
    """Run a child to its end: its wall time, CPU time (user + system) and peak RSS. It must
    succeed (its stderr, kept in a file, is shown if it does not)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), stdin=subprocess.DEVNULL, stdout=stdout, stderr=err, env=env, cwd=ROOT
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            message = err.read().decode(errors="replace")
            raise SystemExit(f"bench: {' '.join(argv)} failed ({proc.returncode}):\n{message}")
    return Sample(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def process(argv: Sequence[str], env: dict[str, str]) -> Side:
    return lambda: run_process(argv, env)


@contextmanager
def temp_home() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="cfshell-bench-") as tmp:
        yield Path(tmp)


# -- verdicts ---------------------------------------------------------------------------------


@dataclass
class Verdict:
    what: str
    measured: str
    figure: str
    budget: str
    ok: bool
    note: str = ""
    runs: str = ""
    extra: dict = field(default_factory=dict)

    def row(self) -> str:
        result = "PASS" if self.ok else "FAIL"
        return (
            f"| {self.what} | {self.measured} | {self.runs} | {self.figure} | {self.budget} "
            f"| {result} |"
        )


QUICK = False  # set by options(): a quick run is marked, and is no budget run


def record(verdict: Verdict) -> bool:
    mark = "PASS" if verdict.ok else "FAIL"
    print(
        f"  {mark}  {verdict.what}: {verdict.measured}; {verdict.figure} (budget {verdict.budget})"
    )
    if verdict.note:
        print(f"        {verdict.note}")
    if QUICK:
        verdict.what += " (quick run)"
    path = os.environ.get("CFSHELL_BENCH_RESULTS")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(verdict.__dict__) + "\n")
    return verdict.ok


def seconds(value: float) -> str:
    """312 ms, 3.10 s."""
    if value < 1:
        return f"{value * 1000:,.0f} ms" if value >= 0.01 else f"{value * 1000:.2f} ms"
    return f"{value:,.2f} s"


def with_cpu(samples: Sequence[Sample]) -> str:
    shown = seconds(wall(samples))
    used = cpu(samples)
    return f"{shown} (CPU {seconds(used)})" if used is not None else shown


def _digits(ratio: float, limit: float) -> str:
    """The ratio to 2 decimals, or more where 2 would hide which side of the limit it is."""
    for places in (2, 3, 4, 5):
        shown = f"{ratio:.{places}f}"
        if (float(shown) <= limit) == (ratio <= limit):
            break
    return shown


def at_most(
    what: str,
    ours: Sequence[Sample],
    base: Sequence[Sample],
    limit: float,
    *,
    note: str = "",
) -> bool:
    """Budget: median wall of `ours` / median wall of `base` <= `limit`."""
    ratio = wall(ours) / wall(base)
    return record(
        Verdict(
            what=what,
            measured=f"{with_cpu(ours)} vs {with_cpu(base)}",
            figure=_digits(ratio, limit),
            budget=f"<= {limit:g}",
            ok=ratio <= limit,
            note=note,
            runs=f"{len(ours)} pairs",
        )
    )


def speedup_at_least(
    what: str,
    ours: Sequence[Sample],
    base: Sequence[Sample],
    limit: float,
    *,
    note: str = "",
) -> bool:
    """Budget: median wall of `base` / median wall of `ours` >= `limit` (ours is faster)."""
    speedup = wall(base) / wall(ours)
    return record(
        Verdict(
            what=what,
            measured=f"{seconds(wall(ours))} vs {seconds(wall(base))}",
            figure=f"{speedup:.1f}x faster",
            budget=f">= {limit:g}x",
            ok=speedup >= limit,
            note=note,
            runs=f"{len(ours)} pairs",
        )
    )


def options(
    description: str, argv: Sequence[str] | None = None, **defaults: int
) -> argparse.Namespace:
    """The options every bench takes: --pairs N (default 9, or a bench's own), --quick."""
    global QUICK
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--pairs", type=int, default=defaults.get("pairs", PAIRS))
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_PAIRS} pairs: to try a change, not a budget run",
    )
    args, rest = parser.parse_known_args(argv)
    args.rest = rest
    if args.quick:
        QUICK = True
        args.pairs = min(args.pairs, QUICK_PAIRS)
    return args


# -- the table --------------------------------------------------------------------------------


def table(path: str) -> int:
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    print("| what | measured (median wall; CPU beside) | runs | ratio | budget | result |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(Verdict(**row).row())
    passed = sum(row["ok"] for row in rows)
    print(f"\n{passed} of {len(rows)} budgets pass.")
    return 0 if passed == len(rows) else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "table":
        sys.exit(table(sys.argv[2]))
    sys.exit("usage: python scripts/benchlib.py table RESULTS")
