"""How the coach scales with an actor's history: 10,000 notes against 10, in one run.

For `coach list`, `coach show ROLE`, `coach search TEXT` and the time to the first prompt
of `coach prep ROLE`, prints the median time at 10 notes, at 10,000 notes, and the ratio
(goal: <= 1.5 each). The index is built once before timing (the first run after a change
is not timed); that first build is printed too. Exits 1 when a goal is missed.

    python benchmarks/scale.py [--runs N] [--large N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

GOAL = 1.5


def coach_cmd() -> list[str]:
    return [sys.executable, "-m", "callback_coach"]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def first_prompt(env: dict[str, str], role: str) -> float:
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(
        coach_cmd()[0],
        [*coach_cmd()[1:], "prep", role],
        env=env,
        encoding="utf-8",
        dimensions=(50, 200),
        timeout=60,
    )
    child.expect_exact("›")
    elapsed = time.perf_counter() - start
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


MARKER = "lantern"


def plant_marker(home: Path) -> None:
    """One line in one note that a search finds: the cost measured is the lookup, not
    printing thousands of matches of a common word."""
    note = sorted((home / "notes").glob("*.md"))[-1]
    with note.open("a", encoding="utf-8") as handle:
        handle.write(f"\nBring the {MARKER} from the first round.\n")


def some_role(home: Path) -> str:
    from callback_coach.notes import read_note

    first = sorted((home / "notes").glob("*.md"))[0]
    return read_note(first).role


def measure(home: Path, cache: Path, runs: int) -> dict[str, float]:
    env = {
        **os.environ,
        "COACH_HOME": str(home),
        "COACH_CACHE_DIR": str(cache),
        "NO_COLOR": "1",
        "COLUMNS": "100",
        "TERM": "xterm-256color",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    role = some_role(home)
    commands = {
        "list": [*coach_cmd(), "list"],
        "show": [*coach_cmd(), "show", role],
        "search": [*coach_cmd(), "search", MARKER],
    }
    build = timed(commands["list"], env)  # builds the index
    results = {"(first build)": build}
    for name, cmd in commands.items():
        results[name] = statistics.median(timed(cmd, env) for _ in range(runs))
    results["prep: first prompt"] = statistics.median(first_prompt(env, role) for _ in range(runs))
    # Ctrl-C left drafts-free runs (no answer given); keep the home as generated.
    shutil.rmtree(home / "drafts", ignore_errors=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--large", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp, "small"), Path(tmp, "large")
        generate(small, 10)
        started = time.perf_counter()
        generate(large, args.large)
        print(f"generated {args.large} notes in {time.perf_counter() - started:.1f} s")
        plant_marker(small)
        plant_marker(large)
        small_t = measure(small, Path(tmp, "cache-small"), args.runs)
        large_t = measure(large, Path(tmp, "cache-large"), args.runs)
    missed = False
    print(f"{'':22} {'10 notes':>10} {f'{args.large} notes':>13} {'ratio':>7}")
    for name in small_t:
        ratio = large_t[name] / small_t[name]
        goal = "" if name.startswith("(") else ("OK" if ratio <= GOAL else "MISSED")
        missed |= goal == "MISSED"
        print(
            f"{name:22} {small_t[name] * 1000:8.0f}ms {large_t[name] * 1000:11.0f}ms "
            f"{ratio:7.2f}  {goal}"
        )
    print(f"goal: ratio <= {GOAL}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
