"""Fuzzing the command line with what a person, a script or a damaged sync could hand it:
role names (raw bytes too), dates, answers files, checklists, note files and `--set`
strings. Whatever comes in: no traceback, a documented exit code (never 1, "a bug"),
no hang, no file outside the coach home and cache, and no existing note changed.

Bounded to run in well under a minute: each property runs a few dozen examples in
process (Typer's runner), and a handful of raw-byte arguments go through a real process.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode
from callback_coach.store import paths
from callback_coach.store.notes import parse_note

from .helpers import prep, review

DOCUMENTED = {int(code) for code in ExitCode} - {int(ExitCode.ERROR)}
FUZZ = settings(
    max_examples=int(os.environ.get("COACH_FUZZ_EXAMPLES", "40")),
    deadline=None,  # no timed assertion: a hang is caught by pytest-timeout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
runner = CliRunner()


@pytest.fixture
def base(home: Path, tmp_path: Path) -> Path:
    """A coach home with a little history, copied afresh for every example."""
    coach = Coach(home)
    prep(coach, project="The Seagull", date="2026-11-20")
    review(coach, outcome="callback", date="2026-11-21")
    prep(coach, "Zoë", date="2026-11-22")
    return home


@contextlib.contextmanager
def world(base: Path) -> Iterator[Path]:
    """A fresh copy of `base` as COACH_HOME, its own cache, an `inputs/` folder for the
    files handed to the coach and an empty working folder; checked on the way out."""
    with tempfile.TemporaryDirectory() as root_name:
        root = Path(root_name)
        home = root / "home"
        shutil.copytree(base, home)
        (root / "inputs").mkdir()
        (root / "work").mkdir()
        saved = {k: os.environ.get(k) for k in ("COACH_HOME", "COACH_CACHE_DIR")}
        cwd = os.getcwd()
        os.environ["COACH_HOME"] = str(home)
        os.environ["COACH_CACHE_DIR"] = str(root / "cache")
        os.chdir(root / "work")
        try:
            yield root
        finally:
            os.chdir(cwd)
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        outside = [
            p
            for p in root.rglob("*")
            if p.is_file() and p.relative_to(root).parts[0] not in ("home", "cache", "inputs")
        ]
        assert outside == [], f"files written outside the home and cache: {outside}"


def notes_of(root: Path) -> dict[str, bytes]:
    folder = paths.notes_dir(root / "home")
    return {p.name: p.read_bytes() for p in folder.glob("*.md")} if folder.is_dir() else {}


def invoke(root: Path, *args: str, input: bytes | None = None) -> tuple[int, str]:
    """Run the coach in process; check the promises that hold whatever the input."""
    before = notes_of(root)
    result = runner.invoke(app, list(args), input=input)
    stderr = result.stderr
    assert "Traceback" not in stderr, stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {result.exception!r}"
    )
    assert result.exit_code in DOCUMENTED, (args, result.exit_code, stderr)
    after = notes_of(root)
    changed = [name for name in before if after.get(name) != before[name]]
    if args[0] == "outcome" and result.exit_code == 0:
        # The one command that edits a note: only its outcome keys (and the outcomes it
        # replaced), nothing else.
        assert len(changed) <= 1
        for name in changed:
            old, new = parse_note(before[name].decode()), parse_note(after[name].decode())
            assert new.body == old.body
            keys = set(old.meta) | set(new.meta)
            assert {k for k in keys if old.meta.get(k) != new.meta.get(k)} <= {
                "outcome",
                "outcome_updated",
                "outcome_history",
            }
    else:
        assert changed == [], f"{args} changed {changed}"
    return result.exit_code, stderr


# -- what is handed to the coach ---------------------------------------------------------

NAMES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["Nina", "nina", "ZOË", "zoe", " Nina ", "../x", "-", "--", "…", "\x1b[2J"]),
)
DATES = st.one_of(
    st.text(max_size=14),
    st.from_regex(r"\A[0-9]{4}-[0-9]{1,2}-[0-9]{1,3}\Z"),
    st.sampled_from(["2026-02-30", "2026-13-01", "20261123", "2026-W47-1", "9" * 60]),
)
IDS = st.sampled_from(
    ["refine-intention", "mindset", "after-the-room", "want", "calm", "breathing", "x"]
)
SCALARS = st.one_of(
    st.text(max_size=20), st.booleans(), st.integers(), st.floats(), st.none(), NAMES
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(IDS, st.text(max_size=8)), inner, max_size=4),
    ),
    max_leaves=12,
)
YAMLISH = st.text(alphabet="abmc:-[]{}&*!|>'\"#?,.09 \n\t\\\x00\u2028~", max_size=80)
RAW = st.binary(max_size=120)


def as_text(data: object, how: str) -> bytes:
    if how == "yaml":
        return yaml.safe_dump(data, allow_unicode=True).encode("utf-8", "surrogatepass")
    return json.dumps(data).encode()


FILES = st.one_of(
    st.builds(as_text, DATA, st.sampled_from(["yaml", "json"])),
    YAMLISH.map(lambda t: t.encode("utf-8")),
    RAW,
)


# -- the properties ----------------------------------------------------------------------


@FUZZ
@given(
    role=NAMES,
    date=DATES,
    project=st.one_of(st.none(), NAMES),
    command=st.sampled_from(["prep", "review"]),
)
def test_any_role_date_and_project(base: Path, role: str, date: str, project, command: str) -> None:
    with world(base) as root:
        answers = root / "inputs" / "a.yaml"
        answers.write_text("refine-intention:\n  want: to be seen\n")
        extra = ["--project", project] if project is not None else []
        invoke(root, command, role, "--date", date, "--answers", str(answers), *extra)


@FUZZ
@given(role=NAMES, outcome=st.one_of(NAMES, st.sampled_from(["booked", "hold"])), text=NAMES)
def test_any_name_in_every_reading_command(base: Path, role: str, outcome: str, text: str) -> None:
    with world(base) as root:
        invoke(root, "show", role)
        invoke(root, "list", "--role", role, "--json")
        invoke(root, "search", text, "--json")
        invoke(root, "export", "notes", "--role", role, "--format", "json")
        invoke(root, "outcome", role, outcome)


@FUZZ
@given(content=FILES, sets=st.lists(st.text(max_size=40), max_size=3), stdin=st.booleans())
def test_any_answers_file_and_set(base: Path, content: bytes, sets: list[str], stdin: bool) -> None:
    with world(base) as root:
        path = root / "inputs" / "answers"
        path.write_bytes(content)
        args = ["prep", "Nina", *(f"--set={s}" for s in sets)]
        if stdin:
            invoke(root, *args, "--answers", "-", input=content)
        else:
            invoke(root, *args, "--answers", str(path))


@FUZZ
@given(
    content=st.one_of(
        FILES,
        st.builds(as_text, DATA.map(lambda d: {"id": "x", "questions": [d]}), st.just("yaml")),
    )
)
def test_any_checklist_file(base: Path, content: bytes) -> None:
    with world(base) as root:
        folder = paths.user_checklists_dir(root / "home")
        folder.mkdir()
        (folder / "mine.yaml").write_bytes(content)
        invoke(root, "checklists", "validate", str(folder / "mine.yaml"))
        invoke(root, "checklists", "list")
        invoke(root, "prep", "Nina", "--defaults")


def mutate(text: bytes, cuts: list[tuple[int, bytes]]) -> bytes:
    for at, insert in cuts:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + len(insert) // 2 :]
    return text


@FUZZ
@given(
    cuts=st.lists(
        st.tuples(
            st.integers(0, 2000),
            st.one_of(
                RAW,
                YAMLISH.map(str.encode),
                st.sampled_from(
                    [b"\n---\n", b"date: 2026-02-30\n", b"&a [*a]", b"[" * 100, b"\xff"]
                ),
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_damaged_note(base: Path, cuts: list[tuple[int, bytes]]) -> None:
    with world(base) as root:
        folder = paths.notes_dir(root / "home")
        original = sorted(folder.glob("*.md"))[0]
        (folder / "zz-damaged.md").write_bytes(mutate(original.read_bytes(), cuts))
        for args in (
            ("list", "--json"),
            ("show", "Nina", "--json"),
            ("search", "seen"),
            ("export", "notes", "--format", "json"),
            ("export", "notes", "--format", "yaml"),
        ):
            code, _ = invoke(root, *args)
            # A damaged copy whose project changed makes "Nina" a role of two projects.
            assert code == 0 or (args[0] == "show" and code == ExitCode.AMBIGUOUS), (args, code)


@settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(
    role=st.binary(min_size=1, max_size=12).filter(lambda b: b"\0" not in b),
    where=st.sampled_from(["role", "set"]),
)
def test_raw_bytes_in_arguments(base: Path, coach_bin: str, role: bytes, where: str) -> None:
    with world(base) as root:
        answers = root / "inputs" / "a.yaml"
        answers.write_text("refine-intention:\n  want: to be seen\n")
        args = (
            [b"prep", role]
            if where == "role"
            else [b"prep", b"Nina", b"--set", b"refine-intention.want=" + role]
        )
        before = notes_of(root)
        proc = subprocess.run(
            [coach_bin.encode(), *args, b"--answers", str(answers).encode()],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
        stderr = proc.stderr.decode("utf-8", "replace")
        assert "Traceback" not in stderr, stderr
        assert proc.returncode in DOCUMENTED, (proc.returncode, stderr)
        try:
            role.decode("utf-8")
        except UnicodeDecodeError:
            assert proc.returncode == ExitCode.USAGE, stderr
            assert stderr.endswith("is not valid UTF-8 text\n") and stderr.count("\n") == 1
        after = notes_of(root)
        assert all(after[name] == data for name, data in before.items())
        # Whatever was saved reads back: nothing is skipped.
        listed = runner.invoke(app, ["list", "--json"])
        assert listed.exit_code == 0 and "skipped" not in listed.stderr, listed.stderr
