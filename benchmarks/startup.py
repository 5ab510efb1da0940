"""Start-up cost of `coach --help` against a bare three-command Typer app.

Goal (issue 2): coach --help <= 1.25 x the bare app's --help, both measured here, now, with
the same interpreter. Prints the medians and the ratio; exits 1 when the goal is missed.

    python benchmarks/startup.py [--runs N]
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

GOAL = 1.25

BARE_APP = '''
import typer

app = typer.Typer()


@app.command()
def one(name: str = "x") -> None:
    """One."""


@app.command()
def two(name: str = "x") -> None:
    """Two."""


@app.command()
def three(name: str = "x") -> None:
    """Three."""


app()
'''


def median_seconds(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp, "bare_app.py")
        bare.write_text(BARE_APP)
        env["COACH_HOME"] = str(Path(tmp, "home"))
        bare_cmd = [sys.executable, str(bare), "--help"]
        coach_cmd = [sys.executable, "-m", "callback_coach", "--help"]
        # Warm the file cache, then interleave so both see the same machine load.
        median_seconds(bare_cmd, 2, env)
        median_seconds(coach_cmd, 2, env)
        bare_times, coach_times = [], []
        for _ in range(args.runs):
            bare_times.append(median_seconds(bare_cmd, 1, env))
            coach_times.append(median_seconds(coach_cmd, 1, env))
    bare_s, coach_s = statistics.median(bare_times), statistics.median(coach_times)
    ratio = coach_s / bare_s
    print(f"bare typer --help : {bare_s * 1000:7.1f} ms (median of {args.runs})")
    print(f"coach --help      : {coach_s * 1000:7.1f} ms (median of {args.runs})")
    print(
        f"ratio             : {ratio:.2f}  (goal <= {GOAL})  {'OK' if ratio <= GOAL else 'MISSED'}"
    )
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
