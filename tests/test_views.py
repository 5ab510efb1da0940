"""list, show and search for people and scripts; tolerant reading; the derived index."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.rounds import summarize
from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode
from callback_coach.store import paths
from callback_coach.store.index import NoteIndex

from .helpers import REVIEW, prep, review, saved_notes

runner = CliRunner()


def coach_json(*args: str):
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_list_json_shape(history: Coach) -> None:
    data, stderr = coach_json("list")
    assert stderr == ""
    assert data == {
        "format": 4,
        "drafts": [],
        "roles": [
            {
                "role": "Nina",
                "project": "The Seagull",
                "rounds": ["callback-1", "callback-2"],
                "notes": 3,
                "latest_round": "callback-2",
                "latest_date": "2026-11-24",
                "outcome": "pending",
                "next": {"action": "review", "round": "callback-2"},
                "offbook": None,
            },
            {
                "role": "Sonya",
                "project": "Uncle Vanya",
                "rounds": ["callback-1"],
                "notes": 2,
                "latest_round": "callback-1",
                "latest_date": "2026-10-03",
                "outcome": "released",
                "next": None,
                "offbook": None,
            },
        ],
    }


@pytest.mark.parametrize(
    ("args", "roles"),
    [
        (["--role", "NINA"], ["Nina"]),
        (["--project", "uncle vanya"], ["Sonya"]),
        (["--outcome", "released"], ["Sonya"]),
        (["--outcome", "pending"], ["Nina"]),
        (["--since", "2026-11-01"], ["Nina"]),
        (["--since", "2027-01-01"], []),
    ],
)
def test_list_filters(history: Coach, args: list[str], roles: list[str]) -> None:
    data, _ = coach_json("list", *args)
    assert [r["role"] for r in data["roles"]] == roles


def test_list_table_for_people(history: Coach) -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    nina = next(line for line in lines if "Nina" in line)
    assert "callback-2" in nina and "review" in nina
    sonya = next(line for line in lines if "Sonya" in line)
    assert "released" in sonya


def test_list_with_no_notes(home: Path) -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.startswith("No roles yet.")
    assert coach_json("list")[0] == {"format": 4, "roles": [], "drafts": []}


def test_show_json_puts_prep_and_review_together(history: Coach) -> None:
    data, _ = coach_json("show", "nina")
    assert (data["format"], data["role"], data["project"]) == (4, "Nina", "The Seagull")
    first, second = data["rounds"]
    assert first["round"] == "callback-1" and first["outcome"] == "callback"
    assert second["outcome"] == "pending"
    assert [n["kind"] for n in first["preps"]] == ["prep"]
    assert answers_of(first["preps"][0])["refine-intention"]["want"] == "to be seen"
    assert answers_of(first["reviews"][0])["after-the-room"]["what-worked"] == (
        "The pause before the last line"
    )
    assert second["reviews"] == []
    assert first["reviews"][0]["prep_note"] == first["preps"][0]["file"]
    assert first["reviews"][0]["extra"] == {}


def answers_of(note: dict) -> dict[str, dict]:
    return {c["id"]: {a["id"]: a["answer"] for a in c["answers"]} for c in note["checklists"]}


def test_show_for_people_and_unknown_roles(history: Coach) -> None:
    result = runner.invoke(app, ["show", "Nina", "--round", "callback-1"])
    assert result.exit_code == 0
    assert "The pause before the last line" in result.stdout
    # A prep is headed with the day it was written (the round's own date is the callback's).
    data, _ = coach_json("show", "nina")
    written = dt.datetime.fromisoformat(data["rounds"][0]["preps"][0]["created"]).date()
    assert data["rounds"][0]["preps"][0]["date"] == "2026-11-20" != str(written)
    assert f"Prepared on {written}" in result.stdout and "In the room (2026-11-21)" in result.stdout
    missing = runner.invoke(app, ["show", "Hamlet"])
    assert missing.exit_code == ExitCode.NOT_FOUND
    assert missing.stderr == "error: no notes for 'Hamlet'\n"


def test_search_is_case_insensitive_over_answers_and_bodies(history: Coach) -> None:
    note = next(n for n in saved_notes(history.home) if n.role == "Nina")
    note.path.write_text(note.path.read_text() + "\nRemember the LANTERN image.\n")
    data, _ = coach_json("search", "lantern")
    assert [(m["role"], m["kind"], m["where"], m["line"]) for m in data["matches"]] == [
        ("Nina", "prep", "body", "Remember the LANTERN image.")
    ]
    data, _ = coach_json("search", "PRIDE", "--role", "nina")
    assert [(m["round"], m["kind"], m["where"], m["line"]) for m in data["matches"]] == [
        ("callback-1", "review", "after-the-room.direction", "more pride"),
        # carried over into the next prep as a default, and kept
        ("callback-2", "prep", "recall-what-worked.direction-last-time", "more pride"),
    ]
    assert coach_json("search", "pride", "--role", "nobody")[0]["matches"] == []


def test_search_for_people_highlights(history: Coach) -> None:
    result = runner.invoke(app, ["search", "pause"])
    assert result.exit_code == 0 and "The pause before the last line" in result.stdout
    none = runner.invoke(app, ["search", "zzz"])
    # A message, not data: on stderr like list's and export's, so stdout stays empty.
    assert none.exit_code == 0 and none.stdout == ""
    assert none.stderr == "No matches for 'zzz'.\n"


def test_search_never_matches_inside_the_index_format(history: Coach) -> None:
    # File names and question ids are not searchable text.
    assert coach_json("search", "callback-1_prep")[0]["matches"] == []
    assert coach_json("search", "after-the-room")[0]["matches"] == []


def test_hand_edited_notes_survive_review_and_outcome(home: Path) -> None:
    coach = Coach(home)
    path = prep(coach)
    text = path.read_text(encoding="utf-8")
    edited = text.replace("kind: prep\n", "kind: prep\nmy_key: [1, 2]\n") + "\nMy own paragraph.\n"
    path.write_text(edited, encoding="utf-8")
    review_path = review(coach)
    coach.record_outcome("Nina", "hold")
    assert path.read_text(encoding="utf-8") == edited, "the prep note was not touched"
    data, _ = coach_json("show", "Nina")
    assert data["rounds"][0]["preps"][0]["extra"]["my_key"] == [1, 2]
    assert "My own paragraph." in data["rounds"][0]["preps"][0]["body"]
    assert data["rounds"][0]["reviews"][0]["file"] == review_path.name


def test_a_corrupt_note_is_named_once_and_skipped(history: Coach, home: Path) -> None:
    bad = paths.notes_dir(home) / "2026-01-01_broken.md"
    bad.write_text("---\nrole: [unclosed\n---\n", encoding="utf-8")
    for args in (["list"], ["show", "Nina"], ["search", "pride"]):
        result = runner.invoke(app, [*args, "--json"])
        assert result.exit_code == 0, result.stderr
        assert result.stderr == (
            f"warning: skipped {bad}: front matter, line 3: invalid YAML: "
            "did not find expected ',' or ']'\n"
        )
        json.loads(result.stdout)


def test_index_notices_changes_with_same_second(history: Coach, home: Path) -> None:
    index = NoteIndex(home, summarize)
    index.note_rows()
    note = next(
        p for p in paths.notes_dir(home).iterdir() if "sonya" in p.name and "review" in p.name
    )
    stat = note.stat()
    text = note.read_text().replace("outcome: released", "outcome: hold")
    note.write_text(text)
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime: the size differs
    assert [s.outcome for s in NoteIndex(home, summarize).note_rows() if s.file == note.name] == [
        "hold"
    ]
    note.unlink()
    assert all(s.file != note.name for s in NoteIndex(home, summarize).note_rows())


def test_review_json_roundtrip_of_answers(history: Coach) -> None:
    data, _ = coach_json("show", "Nina", "--round", "callback-1")
    assert answers_of(data["rounds"][0]["reviews"][0]) == {
        "after-the-room": {**REVIEW["after-the-room"]}
    }


def test_an_unchanged_folder_reads_no_note_again(history: Coach, home: Path, monkeypatch) -> None:
    from callback_coach.store.index import rows as index_rows

    NoteIndex(home, summarize).note_rows()  # build
    expected = [r.role for r in NoteIndex(home, summarize).roles()]

    def no_reading(path):
        raise AssertionError(f"re-read {path} although nothing changed")

    monkeypatch.setattr(index_rows, "read_note", no_reading)
    fresh = NoteIndex(home, summarize)
    assert [r.role for r in fresh.roles()] == expected
    assert [h[2] for h in fresh.search("PRIDE")] == ["more pride", "more pride", "more pride"]
    assert len(fresh.note_rows(role="nina")) == 3
    assert fresh.unreadable() == []


def test_search_limit_says_what_was_left_out(history: Coach) -> None:
    result = runner.invoke(app, ["search", "pride", "--limit", "1"])
    assert result.exit_code == 0
    assert result.stdout == (
        "Sonya (Uncle Vanya) · callback-1 · review · after-the-room.direction\n"
        "  more pride\n"
        "1 match\n"
    )
    assert result.stderr == "2 more matches not shown (3 in all); raise --limit to see them.\n"
    data = json.loads(runner.invoke(app, ["search", "pride", "--limit", "2", "--json"]).stdout)
    assert (len(data["matches"]), data["total"], data["truncated"]) == (2, 3, True)
    whole, stderr = coach_json("search", "pride")
    assert (len(whole["matches"]), whole["total"], whole["truncated"]) == (3, 3, False)
    assert whole["matches"][:2] == data["matches"] and stderr == ""
    none_shown = runner.invoke(app, ["search", "pride", "--limit", "0"])
    assert none_shown.stdout == "0 matches\n"
    assert none_shown.stderr.startswith("3 more matches not shown (3 in all)")
    bad = runner.invoke(app, ["search", "pride", "--limit", "-1"])
    assert bad.exit_code == ExitCode.USAGE


def test_search_leaves_long_lines_whole_for_the_terminal(history: Coach) -> None:
    note = next(n for n in saved_notes(history.home) if n.kind == "review")
    long_line = "A pause " + "and a breath " * 30
    note.path.write_text(note.path.read_text() + f"\n{long_line}\n")
    result = runner.invoke(app, ["search", "breath"])
    assert f"  {long_line}\n" in result.stdout


def test_search_highlights_matches_on_a_terminal(history: Coach) -> None:
    from rich.console import Console
    from rich.theme import Theme

    from callback_coach.cli import console, render
    from callback_coach.cli.notes_cmd import style_codes

    terminal = Console(theme=Theme(console.STYLES), force_terminal=True, color_system="standard")
    lines = list(
        render.search_lines(
            Coach(history.home).search("PRIDE")[:1],
            "PRIDE",
            muted=style_codes(terminal, "muted"),
            match=style_codes(terminal, "match"),
        )
    )
    assert lines[0] == (
        "\x1b[2mSonya (Uncle Vanya) · callback-1 · review · after-the-room.direction\x1b[0m\n"
        "  more \x1b[1;7mpride\x1b[0m\n"
    )
    assert lines[-1] == "\x1b[2m1 match\x1b[0m\n"


@pytest.mark.parametrize("args", [["pride"], ["pride", "--limit", "1"], ["zzz"], ["été"]])
def test_search_json_is_laid_out_like_the_other_json(history: Coach, args: list[str]) -> None:
    note = next(n for n in saved_notes(history.home) if n.kind == "review")
    note.path.write_text(note.path.read_text() + '\nÉté "quoted" \\ back\n')
    result = runner.invoke(app, ["search", *args, "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert result.stdout == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert list(data) == ["format", "query", "matches", "total", "truncated"]


def test_list_shows_the_latest_30_roles_and_counts_the_rest(home: Path) -> None:
    coach = Coach(home)
    for number in range(32):
        prep(
            coach, f"Role {number:02d}", project="Repertory", date=f"2026-01-{number % 28 + 1:02d}"
        )
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if re.search(r"Role \d\d", line)]
    assert len(lines) == 30 and "Role 27" in lines[0]  # the latest callback date first
    assert "30 of 32 roles shown; use --all to see every one." in result.stdout
    everything = runner.invoke(app, ["list", "--all"]).stdout
    assert len([line for line in everything.splitlines() if re.search(r"Role \d", line)]) == 32
    assert "roles shown" not in everything
    data, _ = coach_json("list")
    assert len(data["roles"]) == 32
    assert [r.role for r in coach.list_roles(since="2026-01-27", limit=1)] == ["Role 27"]
    assert coach.count_roles(since="2026-01-27") == 2
