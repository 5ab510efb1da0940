"""The command line: exit codes, one-line errors, nothing half written, odd role names."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from callback_coach import __version__
from callback_coach.cli.app import app
from callback_coach.errors import ExitCode
from callback_coach.store import fileio
from callback_coach.store.notes import read_note

from .helpers import saved_notes, write_checklist

runner = CliRunner()


def coach(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def all_files(home: Path) -> list[Path]:
    return sorted(p for p in home.rglob("*") if p.is_file()) if home.exists() else []


def write_answers(tmp_path: Path, data, name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


GOOD = {"refine-intention": {"want": "to be believed"}, "mindset": {"calm": 7}}


def test_version() -> None:
    result = coach("--version")
    assert result.exit_code == 0 and result.stdout == f"coach {__version__}\n"


def test_no_terminal_and_no_answers_exits_at_once(home: Path) -> None:
    result = coach("prep", "Nina")
    assert result.exit_code == ExitCode.NO_TERMINAL
    assert result.stderr.startswith(
        "error: coach prep asks questions, but standard input is not a terminal"
    )
    assert "--answers" in result.stderr
    assert result.stdout == ""
    assert all_files(home) == []


def test_no_terminal_in_a_real_process_never_hangs(home: Path, coach_bin: str) -> None:
    proc = subprocess.run(
        [coach_bin, "prep", "Nina"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == ExitCode.NO_TERMINAL
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_prep_from_an_answers_file(home: Path, tmp_path: Path) -> None:
    answers = write_answers(tmp_path, GOOD)
    result = coach(
        "prep",
        "Nina",
        "--project",
        "The Seagull",
        "--date",
        "2026-11-23",
        "--answers",
        str(answers),
    )
    assert result.exit_code == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == home / "notes"
    note = read_note(path)
    assert note.meta["kind"] == "prep" and note.role == "Nina" and note.project == "The Seagull"
    assert note.round == "callback-1" and note.date == "2026-11-23"
    assert note.answers["refine-intention"]["want"] == "to be believed"
    assert note.answers["mindset"]["calm"] == 7
    # Nothing is filled in where nothing was given (no built-in question has a default).
    assert "silent-room" not in note.answers["mindset"]
    assert [c["id"] for c in note.meta["checklists"]] == [
        "logistics",
        "refine-intention",
        "prepare-for-redirection",
        "recall-what-worked",
        "mindset",
        "closing-check",
    ]
    # (2026-11-23 is a day already past: said so on a line before, and kept as given.)
    *before, saved = result.stderr.splitlines()
    assert saved == "Saved your prep for Nina (callback-1)."
    assert [line for line in before if "a day already past" not in line] == []


def test_prep_answers_from_stdin_as_json(home: Path) -> None:
    result = coach(
        "prep",
        "Nina",
        "--checklist",
        "refine-intention",
        "--answers",
        "-",
        input=json.dumps({"refine-intention": {"want": "to stay"}}),
    )
    assert result.exit_code == 0, result.stderr
    note = read_note(Path(result.stdout.strip()))
    assert list(note.answers) == ["refine-intention"]


def test_invalid_answers_list_every_problem_and_write_nothing(home: Path, tmp_path: Path) -> None:
    answers = write_answers(
        tmp_path,
        {
            "refine-intention": {"want": 12, "colour": "red", "off-book": 9},
            "mindset": {"breathing": "yoga"},
            "nonsense": {"x": 1},
        },
    )
    result = coach("prep", "Nina", "--answers", str(answers))
    assert result.exit_code == ExitCode.ANSWERS_INVALID
    lines = result.stderr.splitlines()
    assert lines[0] == "error: 5 problems with the answers"
    assert (
        f"  {answers}: refine-intention.want: expected text, got a number (12) (quote it)" in lines
    )
    assert f"  {answers}: refine-intention.colour: unknown question" in lines
    assert f"  {answers}: refine-intention.off-book: 9 is outside 1..5" in lines
    assert any("mindset.breathing: 'yoga' is not one of" in line for line in lines)
    assert any("unknown checklist 'nonsense'" in line for line in lines)
    assert all_files(home) == []


def test_missing_required_answer(home: Path, tmp_path: Path) -> None:
    answers = write_answers(tmp_path, {"mindset": {"calm": 3}})
    result = coach("prep", "Nina", "--answers", str(answers))
    assert result.exit_code == ExitCode.ANSWERS_INVALID
    assert "refine-intention.want: required, but no answer" in result.stderr
    assert all_files(home) == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--date", "23/11/2026"],
            ExitCode.USAGE,
            "error: date '23/11/2026' is not a date the coach understands: use YYYY-MM-DD, ",
        ),
        (["--round", "../x"], ExitCode.USAGE, "error: round '../x' is not valid"),
        (["--checklist", "nope"], ExitCode.NOT_FOUND, "error: no checklist 'nope' (available: "),
        (
            ["--answers", "/no/such/file.yaml"],
            ExitCode.NOT_FOUND,
            "error: answers file not found: /no/such/file.yaml",
        ),
    ],
)
def test_bad_options_get_one_clear_line(home: Path, args, code, message) -> None:
    result = (
        coach("prep", "Nina", *args, "--answers", "-", input="{}")
        if "--answers" not in args
        else coach("prep", "Nina", *args)
    )
    assert result.exit_code == code
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert all_files(home) == []


def test_a_broken_user_checklist_stops_before_anything_is_written(
    home: Path, tmp_path: Path
) -> None:
    bad = write_checklist(
        home / "checklists", "mine.yaml", "id: mine\ntitle: Mine\nphase: prep\nquestions: []\n"
    )
    result = coach("prep", "Nina", "--answers", str(write_answers(tmp_path, GOOD)))
    assert result.exit_code == ExitCode.CHECKLIST_INVALID
    assert result.stderr.splitlines() == [
        f"error: invalid checklist {bad}: 1 problem",
        f"  {bad}:4: 'questions' must be a non-empty list",
    ]
    assert all_files(home) == [bad]


@pytest.mark.parametrize(
    "role",
    [
        "../../x",
        "/etc/passwd",
        "Nina\\..\\..",
        "🎭",
        "Zoë O'Brien-Łukasz",
        "Нина",
        "x" * 190,
        "a/b",
    ],
)
def test_any_role_name_stays_inside_the_home(home: Path, tmp_path: Path, role: str) -> None:
    result = coach(
        "prep",
        role,
        "--project",
        "../../p",
        "--round",
        "table read",
        "--answers",
        str(write_answers(tmp_path, GOOD)),
    )
    assert result.exit_code == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == home / "notes"
    assert len(path.name.encode()) <= 255
    assert read_note(path).role == role
    assert read_note(path).round == "table-read"
    cache = tmp_path / "cache"  # derived index only: the user cache folder, by design
    outside = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and home not in p.parents and cache not in p.parents
    ]
    assert outside == [tmp_path / "answers.yaml"]


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("", "error: the role name is empty"),
        ("   ", "error: the role name is empty"),
        ("x" * 201, "error: the role name is longer than 200 characters"),
    ],
)
def test_unusable_role_names(home: Path, role: str, message: str) -> None:
    result = coach("prep", role, "--answers", "-", input="{}")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == message + "\n"


def test_home_that_cannot_be_created(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("COACH_HOME", str(blocker / "home"))
    result = coach("prep", "Nina", "--answers", str(write_answers(tmp_path, GOOD)))
    assert result.exit_code == ExitCode.STORAGE
    assert result.stderr == (
        f"error: cannot read {blocker / 'home' / 'notes'}: a part of the path is a file, not a folder\n"
    )


def test_read_only_home(home: Path, tmp_path: Path, monkeypatch) -> None:
    # Tests may run as root, which ignores permission bits: simulate a read-only disk.
    real_mkstemp = fileio.tempfile.mkstemp

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(fileio.tempfile, "mkstemp", read_only)
    result = coach("prep", "Nina", "--answers", str(write_answers(tmp_path, GOOD)))
    monkeypatch.setattr(fileio.tempfile, "mkstemp", real_mkstemp)
    assert result.exit_code == ExitCode.STORAGE
    assert (
        result.stderr == f"error: cannot write in {home / 'notes'}: the file system is read-only\n"
    )
    assert saved_notes(home) == []


def test_two_preps_of_the_same_role_at_once(home: Path, tmp_path: Path, coach_bin: str) -> None:
    answers = write_answers(tmp_path, GOOD)
    cmd = [
        coach_bin,
        "prep",
        "Nina",
        "--date",
        "2026-11-23",
        "--round",
        "callback-1",
        "--answers",
        str(answers),
    ]
    procs = [
        subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], outputs
    written = sorted(Path(out.strip()) for out, _ in outputs)
    assert len(set(written)) == 4
    assert sorted(p.path for p in saved_notes(home)) == written
    for path in written:
        assert read_note(path).answers["refine-intention"]["want"] == "to be believed"


def test_python_dash_m_runs_the_same_cli(home: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "callback_coach", "--version"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ},
    )
    assert proc.returncode == 0 and proc.stdout == f"coach {__version__}\n"
