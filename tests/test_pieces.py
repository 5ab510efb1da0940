"""Export pieces kept in the index: a later export takes each note's piece instead of
writing it again, and gives the same bytes as one written from nothing, whatever changed
in between (a note, a checklist's text, a character that makes YAML escape)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.exports import exporting
from callback_coach.store import index as index_module
from callback_coach.store import paths

runner = CliRunner()
FORMATS = ("json", "yaml", "md", "csv")


def export(fmt: str) -> str:
    result = runner.invoke(app, ["export", "notes", "--format", fmt])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def from_nothing(home: Path, fmt: str) -> str:
    """The export written with no pieces kept (a fresh index)."""
    db_path = paths.cache_dir(home) / index_module.DB_NAME
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{db_path}{suffix}").unlink()
    return export(fmt)


def kept(home: Path, fmt: str) -> dict[str, str]:
    db_path = paths.cache_dir(home) / index_module.DB_NAME
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        return dict(db.execute("SELECT file, made FROM pieces WHERE format = ?", (fmt,)))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_second_export_takes_the_kept_pieces_and_writes_the_same(
    history: Coach, home: Path, fmt: str
) -> None:
    first = export(fmt)
    pieces = kept(home, fmt)
    assert len(pieces) == len(list((home / "notes").iterdir())) == 5
    assert export(fmt) == first
    assert kept(home, fmt) == pieces


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_changed_note_is_written_again(history: Coach, home: Path, fmt: str) -> None:
    export(fmt)
    note = sorted((home / "notes").glob("*sonya*review.md"))[0]
    text = note.read_text(encoding="utf-8")
    assert "Breathe before the exit" in text
    note.write_text(text.replace("before the exit", "after the reader"), encoding="utf-8")
    again = export(fmt)
    assert "Breathe after the reader" in again
    assert again == from_nothing(home, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_changed_checklist_text_writes_every_piece_again(
    history: Coach, home: Path, fmt: str
) -> None:
    export(fmt)
    before = kept(home, fmt)
    checklists = home / "checklists"
    checklists.mkdir()
    result = runner.invoke(
        app, ["export", "checklists", "refine-intention", "--output", f"{checklists}/"]
    )
    assert result.exit_code == 0, result.stderr
    [copy] = checklists.iterdir()
    text = copy.read_text(encoding="utf-8")
    assert "What do you want" in text
    copy.write_text(text.replace("What do you want", "What do you need"), encoding="utf-8")
    again = export(fmt)
    assert "What do you need" in again
    assert set(kept(home, fmt).values()).isdisjoint(before.values())
    assert again == from_nothing(home, fmt)


def test_a_yaml_line_break_in_one_note_escapes_every_piece(history: Coach, home: Path) -> None:
    export("yaml")
    before = kept(home, "yaml")
    note = sorted((home / "notes").glob("*sonya*review.md"))[0]
    text = note.read_text(encoding="utf-8")
    note.write_text(text + "\nNé\u2028twice\n", encoding="utf-8")
    again = export("yaml")
    assert "N\\xE9\\Ltwice" in again
    assert set(kept(home, "yaml").values()).isdisjoint(before.values())
    assert again == from_nothing(home, "yaml")


def test_a_piece_of_a_note_changed_meanwhile_is_not_kept(history: Coach, home: Path) -> None:
    """A piece is kept only with the stamp of the row it was written from."""
    export("json")
    index = history.index
    [file] = [f for f in kept(home, "json") if "sonya" in f and "review" in f]
    made = next(iter(kept(home, "json").values()))
    index.keep_pieces("json", made, [(file, (1, 2), "written from an older note")])
    assert index.pieces([file], "json", made)[file] != "written from an older note"


def test_pieces_are_made_from_the_checklists_and_the_coach_s_own_files(
    history: Coach, monkeypatch
) -> None:
    catalogue = history.catalogue()
    made = exporting.made_from(catalogue, False)
    assert exporting.made_from(catalogue, False) == made
    assert exporting.made_from(catalogue, True) != made
    monkeypatch.setattr(exporting, "PIECES_FORMAT", exporting.PIECES_FORMAT + 1)
    assert exporting.made_from(catalogue, False) != made
