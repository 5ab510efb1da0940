"""Exit codes hold whatever goes wrong: a full disk, a missing file, bad usage, no terminal."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode
from callback_coach.store import fileio

from .helpers import prep

runner = CliRunner()
ANSWERS = '{"refine-intention": {"want": "to be seen"}}'


def coach(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize(
    "step",
    ["mkstemp", "write", "fsync", "link", "write-without-links", "fsync-without-links"],
)
def test_a_full_disk_during_a_note_save_is_exit_7_and_leaves_nothing(
    home: Path, monkeypatch, step: str
) -> None:
    prep(Coach(home))  # an earlier note, which must stay as it is
    before = {p: p.read_bytes() for p in (home / "notes").iterdir()}
    if step == "mkstemp":
        monkeypatch.setattr(fileio.tempfile, "mkstemp", disk_full)
    elif step in ("write", "fsync"):
        monkeypatch.setattr(fileio.os, step, disk_full)
    elif step == "link":
        monkeypatch.setattr(fileio.os, "link", disk_full)
    else:  # a folder without hard links: the note is written in place, then the disk fills

        def no_links(*_args, **_kwargs):
            raise OSError(errno.EPERM, "Operation not permitted")

        real_write, real_fsync = os.write, os.fsync
        opened: list[int] = []
        real_open = os.open

        def tracking_open(path, flags, *args, **kwargs):
            fd = real_open(path, flags, *args, **kwargs)
            if flags & os.O_EXCL and str(path).endswith(".md"):
                opened.append(fd)
            return fd

        def write(fd, data):
            if fd in opened and step == "write-without-links":
                real_write(fd, bytes(data[:10]))  # part of the note reaches the disk
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_write(fd, data)

        def fsync(fd):
            if fd in opened:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_fsync(fd)

        monkeypatch.setattr(fileio.os, "link", no_links)
        monkeypatch.setattr(fileio.os, "open", tracking_open)
        monkeypatch.setattr(fileio.os, "write", write)
        monkeypatch.setattr(fileio.os, "fsync", fsync)

    result = coach("prep", "Nina", "--round", "callback-2", "--answers", "-", input=ANSWERS)

    assert result.exit_code == ExitCode.STORAGE
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: cannot write")
    assert result.stderr.endswith(": the disk is full\n")
    assert result.stdout == ""
    assert {p: p.read_bytes() for p in (home / "notes").iterdir()} == before


@pytest.mark.parametrize("call", ["write", "fsync", "replace", "_exchange"])
def test_a_full_disk_during_outcome_keeps_the_note_as_it_was(
    home: Path, monkeypatch, call: str
) -> None:
    path = prep(Coach(home))
    original = path.read_bytes()
    if call == "_exchange":  # the new note takes the old one's place (Linux)
        monkeypatch.setattr(fileio, call, disk_full)
    else:
        if call == "replace":  # ... by a rename where names cannot be exchanged
            monkeypatch.setattr(fileio, "_renameat2", lambda: None)
        monkeypatch.setattr(fileio.os, call, disk_full)
    result = coach("outcome", "Nina", "booked")
    assert result.exit_code == ExitCode.STORAGE
    assert result.stderr == f"error: cannot write {path}: the disk is full\n"
    assert path.read_bytes() == original
    assert files_in(home / "notes") == [path.name]


def test_validating_a_missing_checklist_file_is_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = coach("checklists", "validate", str(missing))
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stderr.splitlines()[0] == "error: 1 problem found"
    assert result.stderr.splitlines()[1].startswith(f"  {missing}: ")
    answers = coach("prep", "Nina", "--answers", str(missing))
    assert answers.exit_code == ExitCode.NOT_FOUND, "the same code as a missing answers file"


def test_an_invalid_checklist_file_that_is_there_is_still_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: b\ntitle: B\nphase: later\nquestions: []\n", encoding="utf-8")
    result = coach("checklists", "validate", str(bad))
    assert result.exit_code == ExitCode.CHECKLIST_INVALID


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["prep", "Nina", "--date", "2026-02-30"], "date '2026-02-30' is not a day of the"),
        (["prep", "Nina", "--round", "../x"], "round '../x' is not valid"),
        (["prep", "   "], "the role name is empty"),
        (["review", "Nina", "--date", "last week"], "date 'last week' is not a date the"),
        (["review", "Nina", "--outcome", "famous"], "outcome 'famous' is not one of"),
    ],
)
def test_bad_usage_is_exit_2_even_without_a_terminal(home: Path, args, message: str) -> None:
    result = coach(*args)  # no --answers, and standard input is not a terminal
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(f"error: {message}")
    assert result.stderr.count("\n") == 1


BROKEN_CHECKLISTS = {
    "yaml": "id: bad\ntitle: [unclosed\n",
    "schema": "id: bad\ntitle: Bad\nphase: later\nquestions:\n  - {id: q, prompt: Q?}\n",
}


@pytest.mark.parametrize("terminal", [False, True], ids=["no-terminal", "terminal"])
@pytest.mark.parametrize("broken", sorted(BROKEN_CHECKLISTS))
@pytest.mark.parametrize(
    "args",
    [
        ["prep", "Masha"],
        ["prep", "Masha", "--project", "Three Sisters", "--quick"],
        ["review", "Masha"],
        ["drill", "Masha"],
        ["drill", "Masha", "--rounds", "2", "--seconds", "0"],
    ],
)
def test_a_broken_checklist_is_exit_3_even_without_a_terminal(
    home: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], broken: str, terminal: bool
) -> None:
    """The checklist is what needs mending, terminal or not: it is named before "no
    terminal" (exit 6), and nothing is asked or written."""
    from callback_coach.cli import console, session_cmd, session_run

    from .scripted import ScriptedAsker

    if terminal:  # prompts that fail the test at the first question
        monkeypatch.setattr(console, "stdin_is_terminal", lambda: True)
        monkeypatch.setattr(session_cmd, "terminal_asker", lambda: ScriptedAsker())
        monkeypatch.setattr(session_run, "QuestionaryAsker", lambda: ScriptedAsker())
    prep(Coach(home), "Masha", project="Three Sisters")
    bad = home / "checklists" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text(BROKEN_CHECKLISTS[broken], encoding="utf-8")
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    result = coach(*args)  # no --answers, and standard input is not a terminal
    assert result.exit_code == ExitCode.CHECKLIST_INVALID
    first, *problems = result.stderr.splitlines()
    assert first.startswith(f"error: invalid checklist {bad}: ")
    assert problems and all(line.startswith(f"  {bad}:") for line in problems)
    assert "terminal" not in result.stderr and result.stdout == ""
    assert {p: p.read_bytes() for p in home.rglob("*") if p.is_file()} == before


# Click words the middle of the line; the coach owns the frame: one line on stderr, the
# prefix, what was wrong named, and where to look (`see ... --help`).
@pytest.mark.parametrize(
    ("args", "named", "command"),
    [
        (["prep", "--bogus"], "--bogus", "coach prep"),
        (["prep"], "ROLE", "coach prep"),
        (["prep", "Nina", "extra"], "extra", "coach prep"),
        (["bogus"], "bogus", "coach"),
        (["--bogus"], "--bogus", "coach"),
        (["export", "notes", "--bogus"], "--bogus", "coach export notes"),
        (["export", "bogus"], "bogus", "coach export"),
        (["list", "--since"], "--since", "coach list"),
        (["checklists", "show"], "ID", "coach checklists show"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(home: Path, args, named: str, command: str) -> None:
    result = coach(*args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n")
    assert result.stderr.startswith("error: ")
    assert named in result.stderr
    assert result.stderr.endswith(f" (see {command} --help)\n")
    assert result.stdout == ""


def test_coach_alone_shows_today_and_help_stays_help() -> None:
    result = coach()
    assert result.exit_code == 0
    assert result.stdout.startswith("Today · "), "a bare coach is coach today (issue 11)"
    assert "Every command: coach --help" in result.stdout
    shown = coach("--help")
    assert shown.exit_code == 0
    assert "Usage: coach [OPTIONS] COMMAND [ARGS]..." in shown.stdout


@pytest.mark.parametrize("terminal", [False, True], ids=["no-terminal", "terminal"])
def test_a_broken_drill_notes_file_is_exit_3_even_without_a_terminal(
    home: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    """The actor's own director's notes are read before "no terminal" too."""
    from callback_coach.cli import console, session_run

    from .scripted import ScriptedAsker

    if terminal:
        monkeypatch.setattr(console, "stdin_is_terminal", lambda: True)
        monkeypatch.setattr(session_run, "QuestionaryAsker", lambda: ScriptedAsker())
    prep(Coach(home), "Masha", project="Three Sisters")
    bank = home / "drill-notes.yaml"
    bank.write_text("notes:\n  - [unclosed\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    result = coach("drill", "Masha")
    assert result.exit_code == ExitCode.CHECKLIST_INVALID
    assert result.stderr.startswith("error: ") and str(bank) in result.stderr
    assert "terminal" not in result.stderr and result.stdout == ""
    assert {p: p.read_bytes() for p in home.rglob("*") if p.is_file()} == before
