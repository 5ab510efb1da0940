"""Private atomic files: modes and owners kept on an edit, stale temp files cleaned."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from callback_coach.core.workflow import Coach
from callback_coach.store import fileio
from callback_coach.store.drafts import DraftStore

from .helpers import prep


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("chosen", [0o600, 0o640, 0o444])
def test_outcome_keeps_the_mode_the_user_gave_the_note(home: Path, chosen: int) -> None:
    coach = Coach(home)
    path = prep(coach)
    os.chmod(path, chosen)
    coach.record_outcome("Nina", "booked")
    assert mode(path) == chosen


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away"
)
def test_outcome_keeps_the_owner_of_the_note(home: Path) -> None:
    coach = Coach(home)
    path = prep(coach)
    os.chown(path, 12345, 23456)
    coach.record_outcome("Nina", "booked")
    info = path.stat()
    assert (info.st_uid, info.st_gid) == (12345, 23456)


def test_a_new_file_is_private_whatever_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old")
    os.chmod(target, 0o644)
    fileio.atomic_write(target, "new")
    assert mode(target) == 0o600 and target.read_text() == "new"


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)


def test_a_note_save_removes_temp_files_a_kill_left_behind(home: Path, tmp_path: Path) -> None:
    coach = Coach(home)
    prep(coach)
    folder = home / "notes"
    stale = folder / ".tmp-killed.part"
    stale.write_text("half a note")
    age(stale, 2 * 3600)
    fresh = folder / ".tmp-writing-now.part"  # another coach is writing this one
    fresh.write_text("being written")
    outside = tmp_path / "outside.txt"
    outside.write_text("not the coach's")
    link = folder / ".tmp-link.part"
    link.symlink_to(outside)
    age(link, 2 * 3600)
    mine = folder / ".tmp-notes.txt"  # not a name the coach uses
    mine.write_text("mine")
    age(mine, 2 * 3600)

    prep(coach, round_label="callback-2")

    assert not stale.exists()
    assert fresh.read_text() == "being written"
    assert link.is_symlink() and outside.read_text() == "not the coach's"
    assert mine.read_text() == "mine"


def test_a_draft_save_cleans_the_drafts_folder(home: Path) -> None:
    store = DraftStore(home)
    store.ensure_writable()
    stale = store.folder / ".tmp-old.part"
    stale.write_text("")
    age(stale, 3601 + 60)
    store.ensure_writable()
    assert not stale.exists()


def _can_exchange(folder: Path) -> bool:
    first, second = folder / "a", folder / "b"
    first.write_text("a")
    second.write_text("b")
    return fileio._exchange(first, second) and first.read_text() == "b"


def test_a_line_appended_to_the_replaced_file_as_it_is_let_go_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `echo line >> note.md` opened the note just before a coach replaced it, and wrote
    # as the coach removed the old file: the line is added to the new one, not lost.
    if not _can_exchange(tmp_path):
        pytest.skip("no renameat2(RENAME_EXCHANGE) here: the old file is replaced by name")
    note = tmp_path / "note.md"
    note.write_text("---\nkind: prep\n---\nbody\n", encoding="utf-8")
    by_hand = os.open(note, os.O_WRONLY | os.O_APPEND)  # opened before the change
    real_unlink = os.unlink
    written = []

    def unlink(path: str | Path) -> None:
        if not written:  # the replaced file, as the coach lets it go
            written.append(os.write(by_hand, b"by hand\n"))
        real_unlink(path)

    monkeypatch.setattr(fileio.os, "unlink", unlink)
    try:
        placed = fileio.replace_if_unchanged(
            note, "---\nkind: prep\noutcome: hold\n---\nbody\n", expected=note.read_text()
        )
    finally:
        os.close(by_hand)
    assert placed and written
    expected = "---\nkind: prep\noutcome: hold\n---\nbody\nby hand\n"
    assert note.read_text(encoding="utf-8") == expected
