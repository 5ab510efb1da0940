"""`coach show` against the size of a note's body: the time should grow linearly.

Goal (issue 7): showing a 4 MB body costs about 4x a 1 MB body, as linear time would
(Rich split one Text holding every line with repeated str.partition: quadratic). Prints
the seconds for each size, the seconds per MB, and the ratio 4 MB / 1 MB; exits 1 when
the ratio is over 6.

    python benchmarks/show_body.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES_MB = (0.5, 1, 2, 4)
GOAL = 6.0
WORDS = ("pause", "breath", "line", "look", "beat", "turn", "door", "laugh", "Nina", "here")


def body(megabytes: float, seed: int = 7) -> str:
    """Lines of 3 to 20 words, like notes typed over many sessions."""
    rng = random.Random(seed)
    lines, size = [], 0
    while size < megabytes * 1_000_000:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 20)))
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines) + "\n"


def coach_bin() -> str:
    return str(Path(sys.executable).parent / ("coach.exe" if os.name == "nt" else "coach"))


def home_with_body(root: Path, megabytes: float) -> dict[str, str]:
    env = {
        **os.environ,
        "COACH_HOME": str(root / f"home-{megabytes}"),
        "COACH_CACHE_DIR": str(root / f"cache-{megabytes}"),
        "NO_COLOR": "1",
        "COLUMNS": "80",
    }
    saved = subprocess.run(
        [coach_bin(), "prep", "Nina", "--set", "refine-intention.want=to be seen"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    note = Path(saved.stdout.strip())
    with note.open("a", encoding="utf-8") as handle:
        handle.write(body(megabytes))
    return env


def median_seconds(env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [coach_bin(), "show", "Nina"], env=env, stdout=subprocess.DEVNULL, check=True
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seconds = {}
        for size in SIZES_MB:
            env = home_with_body(Path(tmp), size)
            seconds[size] = median_seconds(env, args.runs)
            print(f"{size:>4} MB  {seconds[size]:6.2f} s  {seconds[size] / size:5.2f} s/MB")
    ratio = seconds[4] / seconds[1]
    print(f"4 MB / 1 MB = {ratio:.2f} (linear is 4; goal <= {GOAL})")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
