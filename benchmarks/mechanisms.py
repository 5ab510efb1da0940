"""What each speed mechanism of the coach buys, idle and with one core busy.

A mechanism stays only where it pays: at least 20 % on a goal of benchmarks/scale.py,
measured both ways. For each one this runs the commands of its goal at 10,000 notes with
the mechanism and without it (switched off by a patch applied before the coach starts:
nothing in the coach itself can switch it off), paired runs alternating, and prints the
median time of each and the share saved, first on an idle machine, then while
`yes > /dev/null` keeps one core busy.

    python benchmarks/mechanisms.py [--runs N] [--large N] [--only NAME]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from scale import FIRST_QUESTION, coach_env, compiled_env, first_prompt, plant_marker, some_role

# Run the coach with some patch applied first (the patch is Python source).
RUNNER = (
    "import sys\n"
    "{patch}\n"
    "from callback_coach.cli.app import main\n"
    "sys.argv = ['coach', *sys.argv[1:]]\n"
    "main()\n"
)


@dataclass(frozen=True)
class Mechanism:
    name: str
    lines: str  # where it lives, and its size
    goal: str
    patch: str  # Python that switches it off
    command: list[str]  # what is timed (ROLE: a role of the home)
    fresh: bool = False  # timed from no index (the cache removed before each run)
    prompt: bool = False  # timed to the first question on a terminal
    base: str = ""  # a patch applied on both sides (another mechanism that would hide it)


NO_PIECES = (
    "from callback_coach.store.index.index import NoteIndex\n"
    "NoteIndex.pieces = lambda self, files, fmt, made: {}\n"
    "NoteIndex.keep_pieces = lambda self, fmt, made, pieces: None"
)
MECHANISMS = [
    Mechanism(
        "quick front-matter reader",
        "store/yamlquick.py",
        "list with no index <= 2.5 s",
        "from callback_coach.store import yamlquick; yamlquick.read = lambda *a, **k: None",
        ["list"],
        fresh=True,
    ),
    Mechanism(
        "kept export pieces",
        "exports/exporting.py (pieces), the index's pieces table",
        "export json <= 0.5 x jrnl",
        "from callback_coach.store.index.index import NoteIndex\n"
        "NoteIndex.pieces = lambda self, files, fmt, made: {}\n"
        "NoteIndex.keep_pieces = lambda self, fmt, made, pieces: None",
        ["export", "notes", "--format", "json"],
    ),
    Mechanism(
        "direct note writer",
        "exports/notewriter.py",
        "export json <= 0.5 x jrnl",
        "from callback_coach.exports.notewriter import NoteWriter\n"
        "import json\n"
        "from callback_coach.exports import json_shapes\n"
        "NoteWriter.note_json_text = lambda self, note: json.dumps("
        "json_shapes.note_json(note, self.prompts), ensure_ascii=False, indent=2)"
        ".replace('\\n', '\\n    ')",
        ["export", "notes", "--format", "json"],
        base=NO_PIECES,
    ),
    Mechanism(
        "kept calendar events",
        "the index's events table (store/index/index.py events)",
        "export calendar <= 1.5 x at 10 notes",
        "from callback_coach.store.index.index import NoteIndex\n"
        "from callback_coach.core.rounds import build_roles\n"
        "def events(self, make):\n"
        "    return sorted(e for r in build_roles(self.facts()) for e in make(r.notes))\n"
        "NoteIndex.events = events",
        ["export", "calendar"],
    ),
    Mechanism(
        "full-text search table",
        "the index's FTS5 trigram table (store/index/index.py _ensure_fts)",
        "search <= 1.5 x at 10 notes",
        "from callback_coach.store.index import index\n"
        "index.fts5_trigram_available = lambda: False",
        ["search", "lantern"],
    ),
]


def paired(
    runs: int, first: Callable[[], float], second: Callable[[], float]
) -> tuple[float, float]:
    a, b = [], []
    for _ in range(runs):
        a.append(first())
        b.append(second())
    return statistics.median(a), statistics.median(b)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--only", help="only the mechanism whose name holds this")
    args = parser.parse_args()
    import callback_coach

    package = Path(callback_coach.__file__).parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package)], env=compiled_env(), check=True
    )
    chosen = [m for m in MECHANISMS if not args.only or args.only in m.name]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        home = tmp / "home"
        generate(home, args.large)
        plant_marker(home)
        role = some_role(home)
        cache = tmp / "cache"
        env = coach_env(home, cache)
        results: list[tuple[str, str, float, float]] = []
        for busy in (False, True):
            spinner = None
            if busy:
                spinner = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL)
            try:
                for mech in chosen:
                    on, off = measure(mech, env, cache, role, args.runs)
                    way = "busy" if busy else "idle"
                    results.append((mech.name, way, on, off))
                    print(
                        f"{mech.name} ({way}): {on * 1000:.0f} ms with it, {off * 1000:.0f} ms "
                        f"without: {100 * (off - on) / off:+.0f} % saved  [{mech.goal}]",
                        flush=True,
                    )
            finally:
                if spinner is not None:
                    spinner.kill()
                    spinner.wait()
    print()
    for mech in chosen:
        saved = [100 * (off - on) / off for name, _, on, off in results if name == mech.name]
        ways = [way for (name, way, on, off) in results if name == mech.name]
        paying = [way for way, cut in zip(ways, saved, strict=True) if cut >= 20]
        verdict = (
            "pays both ways" if len(paying) == 2
            else f"pays only {paying[0]}" if paying
            else "does not pay"
        )  # fmt: skip
        print(
            f"{mech.name}: {', '.join(f'{s:+.0f} %' for s in saved)} (idle, busy): {verdict} — {mech.lines}"
        )
    return 0


def measure(
    mech: Mechanism, env: dict[str, str], cache: Path, role: str, runs: int
) -> tuple[float, float]:
    command = [role if word == "ROLE" else word for word in mech.command]

    def run(patch: str) -> Callable[[], float]:
        cmd = [sys.executable, "-c", RUNNER.format(patch=patch), *command]

        def timed() -> float:
            if mech.fresh:
                shutil.rmtree(cache, ignore_errors=True)
            if mech.prompt:
                return first_prompt(cmd, env, FIRST_QUESTION)
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

        return timed

    run(mech.base)()  # warm: the index built, the search table and kept pieces made
    run(mech.base)()
    return paired(runs, run(mech.base), run(f"{mech.base}\n{mech.patch}"))


if __name__ == "__main__":
    sys.exit(main())
