"""How the coach scales with an actor's history, against itself and against jrnl, in one run.

Fills homes of 10, 10,000 and 50,000 realistic notes (benchmarks/generate.py), installs
jrnl in a scratch virtual environment as the peer (a journal of the same number of entries
holding the same text, no tags), and prints every goal with the ratio measured now, on
this machine (medians of paired runs: the two sides alternate):

- export --format json <= 0.5 x jrnl --format json; yaml <= 1.0 x the same;
  md <= 0.5 x jrnl --format md (10,000 notes);
- list, search, stats, today, follow-ups and export calendar at 10,000 notes <= 1.5 x
  themselves at 10 notes;
- list right after one note changed <= 1.3 x a warm list;
- list with no index at 10,000 notes <= 2.5 s;
- the first question of prep on screen <= 1.3 x `python -c "import typer, questionary"`;
- peak memory of every command at 50,000 notes <= 80 MiB.

With `--busy`, another process keeps one core busy for the whole run (`yes > /dev/null`,
as any other program the actor runs would): every goal must hold that way too.

    python benchmarks/scale.py [--runs N] [--large N] [--huge N] [--busy]

Exits 1 when a goal is missed. Needs the network to PyPI once, for jrnl.
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
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

MARKER = "lantern"
# The imports of the first question, then each note's stamp (as the index's scan takes it).
FLOOR = """
import os, typer, questionary
def stamps(folder):
    with os.scandir(folder) as entries:
        return {e.name: (s.st_mtime_ns, s.st_size) for e in entries for s in (e.stat(),)}
"""
# What prep asks first (the path that fits the time the actor has).
FIRST_QUESTION = "How much time do you have?"
COACH = [sys.executable, "-m", "callback_coach"]
MiB = 1024 * 1024


def compiled_env() -> dict[str, str]:
    """This environment, with bytecode written: measured as an installed program runs
    (pip compiles on install), not recompiling changed sources on every run."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def coach_env(home: Path, cache: Path) -> dict[str, str]:
    return {
        **compiled_env(),
        "COACH_HOME": str(home),
        "COACH_CACHE_DIR": str(cache),
        "NO_COLOR": "1",
        "COLUMNS": "100",
        "TERM": "xterm-256color",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
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


def paired(
    runs: int, first: Callable[[], float], second: Callable[[], float]
) -> tuple[float, float]:
    """Medians of `first` and `second`, run alternately (so load on the machine hits both)."""
    a, b = [], []
    for _ in range(runs):
        a.append(first())
        b.append(second())
    return statistics.median(a), statistics.median(b)


def peak_rss(cmd: list[str], env: dict[str, str]) -> int:
    """Peak resident memory of one run of `cmd`, in bytes (measured in a fresh process)."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,"
        " stdin=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd], env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout) * 1024  # ru_maxrss is in KiB on Linux


def first_prompt(cmd: list[str], env: dict[str, str], expect: str) -> float:
    """Seconds until `expect` shows on a terminal running `cmd` (then Ctrl-C)."""
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(
        cmd[0], cmd[1:], env=env, encoding="utf-8", dimensions=(50, 200), timeout=120
    )
    child.expect_exact(expect)
    elapsed = time.perf_counter() - start
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


def prep_peak_rss(env: dict[str, str], role: str) -> int:
    """Peak memory of `coach prep ROLE` up to its first question (on a terminal)."""
    import pexpect

    probe = (
        "import resource, signal, subprocess, sys\n"
        "signal.signal(signal.SIGINT, lambda *a: None)  # Ctrl-C is for the coach\n"
        "subprocess.run(sys.argv[1:])\n"
        "print('PEAK', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    child = pexpect.spawn(
        sys.executable,
        ["-c", probe, *COACH, "prep", role],
        env=env,
        encoding="utf-8",
        dimensions=(50, 200),
        timeout=120,
    )
    child.expect_exact(FIRST_QUESTION)
    child.sendcontrol("c")
    child.expect(r"PEAK (\d+)")
    peak = int(child.match.group(1)) * 1024
    child.expect(pexpect.EOF)
    child.close()
    return peak


def plant_marker(home: Path) -> None:
    """One line in one note that a search finds: the cost measured is the lookup, not
    printing thousands of matches of a common word."""
    note = sorted((home / "notes").glob("*.md"))[-1]
    with note.open("a", encoding="utf-8") as handle:
        handle.write(f"\nBring the {MARKER} from the first round.\n")


def some_role(home: Path) -> str:
    from callback_coach.store.notes import read_note

    first = sorted((home / "notes").glob("*.md"))[0]
    return read_note(first).role


def drop_drafts(home: Path) -> None:
    shutil.rmtree(home / "drafts", ignore_errors=True)


# -- jrnl, the peer -------------------------------------------------------------------------


def install_jrnl(folder: Path) -> Path:
    venv = folder / "jrnl-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = venv / "bin" / "pip"
    subprocess.run(
        [str(pip), "install", "--quiet", "jrnl"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return venv / "bin" / "jrnl"


def jrnl_journal(home: Path, folder: Path) -> dict[str, str]:
    """A jrnl journal holding the same text as the notes of `home` (one entry each, tag
    symbols blanked so jrnl finds no tags), and the environment that points jrnl at it."""
    folder.mkdir(parents=True, exist_ok=True)
    journal = folder / "journal.txt"
    with journal.open("w", encoding="utf-8") as out:
        for number, path in enumerate(sorted((home / "notes").glob("*.md"))):
            text = path.read_text(encoding="utf-8").replace("#", " ").replace("@", " ")
            stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime(1_500_000_000 + number * 3600))
            out.write(f"[{stamp}] {text.strip()}\n\n")
    config = folder / "config" / "jrnl"
    config.mkdir(parents=True)
    (config / "jrnl.yaml").write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        "indent_character: '|'\n"
        f"journals:\n  default:\n    journal: {journal}\n"
        "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%Y-%m-%d %H:%M'\n"
        "version: v4.6\n",
        encoding="utf-8",
    )
    return {**os.environ, "XDG_CONFIG_HOME": str(folder / "config"), "NO_COLOR": "1"}


# -- the run ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--huge", type=int, default=50_000)
    parser.add_argument(
        "--busy", action="store_true", help="keep one core busy (yes > /dev/null) meanwhile"
    )
    args = parser.parse_args()
    busy = None
    if args.busy:
        busy = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        print("one core kept busy by `yes > /dev/null` for the whole run", flush=True)
    try:
        return measure(args)
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()


def measure(args: argparse.Namespace) -> int:
    results: list[tuple[str, str, float, float, str]] = []  # name, measure, value, goal, unit

    def goal(name: str, value: float, limit: float, unit: str, detail: str) -> None:
        results.append((name, detail, value, limit, unit))
        print(f"  {name}: {value:.2f}{unit} (goal <= {limit}{unit}) {detail}", flush=True)

    import callback_coach

    package = Path(callback_coach.__file__).parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package)],
        env=compiled_env(),
        stdout=subprocess.DEVNULL,
        check=True,
    )
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        small, large, huge = tmp / "small", tmp / "large", tmp / "huge"
        started = time.perf_counter()
        generate(small, 10)
        generate(large, args.large)
        generate(huge, args.huge)
        for home in (small, large, huge):
            plant_marker(home)
        print(
            f"generated 10, {args.large} and {args.huge} notes in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        started = time.perf_counter()
        jrnl = str(install_jrnl(tmp))
        jrnl_env = jrnl_journal(large, tmp / "jrnl")
        subprocess.run([jrnl, "-n", "1"], env=jrnl_env, capture_output=True, check=True)
        print(
            f"jrnl installed in a scratch venv in {time.perf_counter() - started:.0f} s", flush=True
        )

        small_env = coach_env(small, tmp / "cache-small")
        large_env = coach_env(large, tmp / "cache-large")
        huge_env = coach_env(huge, tmp / "cache-huge")
        runs = args.runs

        def coach(env: dict[str, str], *cmd: str) -> Callable[[], float]:
            return lambda: timed([*COACH, *cmd], env)

        def peer(*cmd: str) -> Callable[[], float]:
            return lambda: timed([jrnl, *cmd], jrnl_env)

        built = timed([*COACH, "list"], large_env)
        timed([*COACH, "list"], small_env)
        print(f"index built from nothing at {args.large} notes: {built:.2f} s", flush=True)
        for env in (small_env, large_env):
            timed([*COACH, "search", MARKER], env)  # makes the full-text table

        print(f"exports at {args.large} notes against jrnl {args.large} entries:", flush=True)
        for fmt, peer_fmt, limit in (
            ("json", "json", 0.5),
            ("yaml", "json", 1.0),
            ("md", "md", 0.5),
        ):
            ours, theirs = paired(
                runs,
                coach(large_env, "export", "notes", "--format", fmt),
                peer("--format", peer_fmt),
            )
            goal(
                f"export --format {fmt} / jrnl --format {peer_fmt}",
                ours / theirs,
                limit,
                "x",
                f"({ours:.2f} s against {theirs:.2f} s)",
            )

        print(f"{args.large} notes against 10 notes:", flush=True)
        for name, cmd in (
            ("list", ["list"]),
            ("search", ["search", MARKER]),
            ("stats", ["stats"]),
            ("follow-ups", ["follow-ups"]),
            ("today", ["today"]),
            ("export calendar", ["export", "calendar"]),
        ):
            many, few = paired(runs, coach(large_env, *cmd), coach(small_env, *cmd))
            goal(
                f"{name} {args.large} / 10",
                many / few,
                1.5,
                "x",
                f"({many * 1000:.0f} ms against {few * 1000:.0f} ms)",
            )

        notes = sorted((large / "notes").glob("*.md"))

        def after_touch() -> float:
            note = notes[len(notes) // 2]
            stat = note.stat()
            os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
            return timed([*COACH, "list"], large_env)

        touched, warm = paired(runs, after_touch, coach(large_env, "list"))
        goal(
            "list after touching one note / warm list",
            touched / warm,
            1.3,
            "x",
            f"({touched * 1000:.0f} ms against {warm * 1000:.0f} ms)",
        )

        def cold_list() -> float:
            shutil.rmtree(tmp / "cache-large", ignore_errors=True)
            return timed([*COACH, "list"], large_env)

        cold = statistics.median(cold_list() for _ in range(max(3, runs // 2)))
        goal(f"list with no index at {args.large} notes", cold, 2.5, " s", "")
        timed([*COACH, "search", MARKER], large_env)

        bare = [sys.executable, "-c", "import typer, questionary"]

        def against_imports(home: Path, env: dict[str, str]) -> tuple[float, float]:
            """Medians of prep's first question in `home` and of the imports alone."""
            role = some_role(home)
            times = paired(
                runs,
                lambda: first_prompt([*COACH, "prep", role], env, FIRST_QUESTION),
                lambda: timed(bare, compiled_env()),
            )
            drop_drafts(home)
            return times

        prompt_t, imports_t = against_imports(large, large_env)
        goal(
            "prep first question / import typer, questionary",
            prompt_t / imports_t,
            1.3,
            "x",
            f"({prompt_t * 1000:.0f} ms against {imports_t * 1000:.0f} ms)",
        )
        # Not goals: the least any prep can do before its first question (the imports,
        # then a stamp of every note, which tells whether the index is fresh), and the
        # coach's own work before it without the notes (the same prep among 10 notes),
        # each against the imports alone.
        floor = [sys.executable, "-c", f"{FLOOR}\nstamps({str(large / 'notes')!r})"]
        floor_t, imports_t = paired(
            runs, lambda: timed(floor, compiled_env()), lambda: timed(bare, compiled_env())
        )
        few_t, few_imports_t = against_imports(small, small_env)
        for what, ours, theirs in (
            ("the floor: import typer, questionary, then stat every note", floor_t, imports_t),
            ("prep's first question at 10 notes", few_t, few_imports_t),
        ):
            print(
                f"  ({what}: {ours / theirs:.2f}x, {ours * 1000:.0f} ms against "
                f"{theirs * 1000:.0f} ms)",
                flush=True,
            )

        print(f"peak memory at {args.huge} notes:", flush=True)
        huge_role = some_role(huge)
        commands = [
            ("list (building the index)", ["list"]),
            ("list", ["list"]),
            ("show", ["show", huge_role]),
            ("search (making the full-text table)", ["search", MARKER]),
            ("search", ["search", MARKER]),
            ("search --json, every note a match", ["search", "e", "--json"]),
            ("export --format json", ["export", "notes", "--format", "json"]),
            ("export --format yaml", ["export", "notes", "--format", "yaml"]),
            ("export --format md", ["export", "notes", "--format", "md"]),
            ("export --format csv", ["export", "notes", "--format", "csv"]),
            ("export to a folder", ["export", "notes", "--output", f"{tmp / 'out'}/"]),
            ("stats", ["stats"]),
            ("today", ["today"]),
            ("export calendar", ["export", "calendar"]),
        ]
        for name, cmd in commands:
            peak = peak_rss([*COACH, *cmd], huge_env)
            goal(f"{name}", peak / MiB, 80, " MiB", "")
        peak = prep_peak_rss(huge_env, huge_role)
        drop_drafts(huge)
        goal("prep up to the first question", peak / MiB, 80, " MiB", "")

    missed = [r for r in results if r[2] > r[3]]
    print()
    print(f"{len(results) - len(missed)} of {len(results)} goals met", flush=True)
    for name, detail, value, limit, unit in missed:
        print(f"MISSED: {name}: {value:.2f}{unit} > {limit}{unit} {detail}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
