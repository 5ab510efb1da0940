"""The hostile edges that used to end in a traceback (issue 20, item 3): each now ends in
one clear line with a documented exit code, or a warning naming the one bad file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode

from .helpers import prep

runner = CliRunner()
SEASON = (["list"], ["stats"], ["today"], ["follow-ups"], ["export", "calendar"], ["show", "Nina"])


def test_a_note_file_whose_name_is_not_utf8_is_named_and_skipped(home: Path) -> None:
    prep(Coach(home), date="2026-11-20")
    bad = os.fsencode(home / "notes") + b"/2026-11-21_bad\xff_callback-1_prep.md"
    with open(bad, "wb") as handle:
        handle.write(b"---\nkind: prep\nrole: Odd\nround: callback-1\n---\n")
    for args in (*SEASON, ["prep", "Nina", "--set", "refine-intention.want=x"],
                 ["outcome", "Nina", "hold"]):  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "2026-11-21_bad\\xff_callback-1_prep.md: its name is not UTF-8 text" in result.stderr


def test_things_named_like_notes_that_are_no_notes_are_named(home: Path) -> None:
    prep(Coach(home), date="2026-11-20")
    (home / "notes" / "a-folder.md").mkdir()
    os.mkfifo(home / "notes" / "a-pipe.md")
    (home / "notes" / "a-loop.md").symlink_to(home / "notes" / "a-loop.md")
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0 and '"role": "Nina"' in result.stdout
    assert "a-folder.md: it is a folder, not a note file" in result.stderr
    assert "a-pipe.md: it is a pipe, not a note file" in result.stderr
    assert "a-loop.md: Too many levels of symbolic links" in result.stderr


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_a_day_out_of_range_is_refused_at_the_edge(home: Path, day: str) -> None:
    result = runner.invoke(app, ["prep", "Nina", "--set", "refine-intention.want=x", "--date", day])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == f"error: date '{day}' is not a day from 1900 to 2199\n"
    prep(Coach(home), date="2026-11-20")
    added = runner.invoke(app, ["follow-ups", "add", "Nina", "Thank Anna", "--due", day])
    assert added.exit_code == ExitCode.USAGE


def test_a_note_dated_out_of_range_is_named_and_the_season_goes_on(home: Path) -> None:
    path = prep(Coach(home), date="2026-11-20")
    odd = path.with_name("9999-12-31_odd_callback-1_prep.md")
    odd.write_text(
        path.read_text(encoding="utf-8").replace("date: '2026-11-20'", "date: '9999-12-31'"),
        encoding="utf-8",
    )
    for args in SEASON:
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.stderr)
        assert f"skipped {odd}: 'date' must be a date written YYYY-MM-DD, from 1900 to 2199" in (
            result.stderr
        )


@pytest.mark.parametrize(
    "args",
    [
        ["export", "notes", "--output"],
        ["export", "calendar", "--output"],
        ["card", "Nina", "--output"],
    ],
)
def test_an_output_name_the_system_refuses_is_one_line(
    home: Path, args: list[str], tmp_path
) -> None:
    prep(Coach(home), date="2026-11-20")
    result = runner.invoke(app, [*args, str(tmp_path / ("x" * 300 + ".txt"))])
    assert result.exit_code == ExitCode.USAGE, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: --output") and len(line) < 200


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("breathing.yaml", "patterns:\n  - id: slow\n    phases: [[in, " + "9" * 5000 + "]]\n"),
        ("drill-notes.yaml", "notes:\n  - id: big\n    text: x\n    tags: [" + "9" * 5000 + "]\n"),
    ],
)
def test_a_huge_number_in_an_actor_s_data_file_is_a_problem_not_a_crash(
    home: Path, file: str, text: str
) -> None:
    prep(Coach(home), date="2026-11-20")
    (home / file).write_text(text, encoding="utf-8")
    args = ["breathe", "--list"] if file == "breathing.yaml" else ["drill", "Nina", "--list"]
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.CHECKLIST_INVALID, result.stderr
    assert "a number with more than 100 digits" in result.stderr
