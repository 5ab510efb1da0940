"""list, show and search for people and scripts; tolerant reading; the derived index."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callback_coach import paths
from callback_coach.cli import app
from callback_coach.errors import ExitCode
from callback_coach.index import NoteIndex
from callback_coach.workflow import Coach

from .helpers import REVIEW, prep, review

runner = CliRunner()


def coach_json(*args: str):
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_list_json_shape(history: Coach) -> None:
    data, stderr = coach_json("list")
    assert stderr == ""
    assert data == {
        "format": 3,
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
    assert coach_json("list")[0] == {"format": 3, "roles": [], "drafts": []}


def test_show_json_puts_prep_and_review_together(history: Coach) -> None:
    data, _ = coach_json("show", "nina")
    assert (data["format"], data["role"], data["project"]) == (3, "Nina", "The Seagull")
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
    assert "Prepared (2026-11-20)" in result.stdout and "In the room (2026-11-21)" in result.stdout
    missing = runner.invoke(app, ["show", "Hamlet"])
    assert missing.exit_code == ExitCode.NOT_FOUND
    assert missing.stderr == "error: no notes for 'Hamlet'\n"


def test_search_is_case_insensitive_over_answers_and_bodies(history: Coach) -> None:
    note = next(n for n in history.notes.scan().notes if n.role == "Nina")
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


def test_index_is_rebuilt_when_deleted_or_corrupt(history: Coach, home: Path) -> None:
    index = NoteIndex(home)
    expected = [(s.file, s.role, s.round) for s in index.summaries()]
    assert index.index_path.exists() and index.search_path.exists()
    assert not index.index_path.is_relative_to(home), "derived data stays out of the home"
    for damage in ("delete", "garbage", "stale-search", "garbled-folded", "no-folded"):
        if damage == "delete":
            index.index_path.unlink()
        elif damage == "garbage":
            index.index_path.write_text("{not json")
        elif damage == "stale-search":
            index.search_path.write_text("another-generation\nx\x1fy\x1fz\n")
        elif damage == "garbled-folded":
            head = index.folded_path.read_bytes().split(b"\n", 1)[0]
            index.folded_path.write_bytes(head + b"\nnot-a-number\x1fmore pride\n")
        else:
            index.folded_path.unlink()
        fresh = NoteIndex(home)
        assert [(s.file, s.role, s.round) for s in fresh.summaries()] == expected
        assert coach_json("search", "pride")[0]["matches"][1]["line"] == "more pride"
        json.loads(fresh.index_path.read_text())


def test_index_notices_changes_with_same_second(history: Coach, home: Path) -> None:
    index = NoteIndex(home)
    index.summaries()
    note = next(
        p for p in paths.notes_dir(home).iterdir() if "sonya" in p.name and "review" in p.name
    )
    stat = note.stat()
    text = note.read_text().replace("outcome: released", "outcome: hold")
    note.write_text(text)
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime: the size differs
    assert [s.outcome for s in NoteIndex(home).summaries() if s.file == note.name] == ["hold"]
    note.unlink()
    assert all(s.file != note.name for s in NoteIndex(home).summaries())


def test_index_write_failure_is_harmless(history: Coach, home: Path, monkeypatch) -> None:
    from callback_coach import fileio

    def fail(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(fileio, "atomic_write", fail)
    for cache_file in paths.cache_dir(home).glob("*"):
        if cache_file.is_file():  # the index files; not the folder of session locks
            cache_file.unlink()
    data, _ = coach_json("list")
    assert [r["role"] for r in data["roles"]] == ["Nina", "Sonya"]
    assert coach_json("search", "pride")[0]["matches"][0]["line"] == "more pride"


def test_review_json_roundtrip_of_answers(history: Coach) -> None:
    data, _ = coach_json("show", "Nina", "--round", "callback-1")
    assert answers_of(data["rounds"][0]["reviews"][0]) == {
        "after-the-room": {**REVIEW["after-the-room"]}
    }


def test_an_unchanged_folder_reads_no_note_again(history: Coach, home: Path, monkeypatch) -> None:
    from callback_coach import index as index_module

    NoteIndex(home).summaries()  # build
    expected = [r.role for r in NoteIndex(home).role_rows()]

    def no_reading(path):
        raise AssertionError(f"re-read {path} although nothing changed")

    monkeypatch.setattr(index_module, "read_note", no_reading)
    fresh = NoteIndex(home)
    assert [r.role for r in fresh.role_rows()] == expected
    assert [h[2] for h in fresh.search("PRIDE")] == ["more pride", "more pride", "more pride"]
    assert len(fresh.for_role("nina")) == 3
    assert fresh.unreadable() == []
