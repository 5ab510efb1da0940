"""The notes folder's listing, and reading it ahead in a child process while a session
loads its prompts: the index takes the same digest it would have read itself."""

from __future__ import annotations

import marshal
import os
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callback_coach.core.workflow import Coach
from callback_coach.store import listing, parallel
from callback_coach.store.index import NoteIndex

from .helpers import prep


@pytest.fixture(autouse=True)
def no_read_ahead_left() -> None:
    yield
    listing.done()


def forks() -> bool:
    return hasattr(os, "fork") and parallel.worker_count() > 0


def test_the_digest_read_ahead_is_the_one_read_here(history: Coach, home: Path) -> None:
    assert threading.active_count() == 1, "else nothing is read ahead"
    if not forks():
        pytest.skip("this machine cannot fork a reader (one core, or no fork)")
    folder = home / "notes"
    assert listing.read_ahead(folder)
    pid = listing._pending[1]
    here = listing.scan(folder)
    assert listing.digest_read_ahead(folder) == listing.Listing.of(here).digest()
    stamps = listing.stamps_read_ahead()
    assert stamps is not None
    assert stamps.as_dict() == here and stamps.name_list() == list(here)  # the folder's order
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # collected: no zombie left behind
    assert listing.digest_read_ahead(folder) is None  # taken once


def test_a_child_let_go_before_its_listing_is_read_is_collected(
    history: Coach, home: Path, monkeypatch
) -> None:
    if not forks():
        pytest.skip("this machine cannot fork a reader")
    monkeypatch.setattr(listing, "PIPE_SIZE", 65536)
    folder = home / "notes"
    for n in range(3000):  # a listing larger than a pipe holds: the child waits to write
        (folder / f"2020-01-01_extra-{n:04}_callback-1_prep.md").write_text("x", encoding="utf-8")
    assert listing.read_ahead(folder)
    pid = listing._pending[1]
    assert listing.digest_read_ahead(folder) == listing.Listing.of(listing.scan(folder)).digest()
    listing.done()  # (the digest matched: the listing is not wanted)
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_a_read_ahead_of_another_folder_is_not_taken(history: Coach, home: Path, tmp_path) -> None:
    if not forks():
        pytest.skip("this machine cannot fork a reader")
    assert listing.read_ahead(tmp_path)
    assert listing.digest_read_ahead(home / "notes") is None


def test_nothing_is_read_ahead_where_forking_is_not_safe(
    history: Coach, home: Path, monkeypatch
) -> None:
    monkeypatch.setattr(parallel, "worker_count", lambda: 0)
    assert not listing.read_ahead(home / "notes")
    assert listing.digest_read_ahead(home / "notes") is None


def test_a_folder_that_cannot_be_read_gives_no_digest(tmp_path) -> None:
    if not forks():
        pytest.skip("this machine cannot fork a reader")
    not_a_folder = tmp_path / "notes"
    not_a_folder.write_text("a file where the folder should be", encoding="utf-8")
    assert listing.read_ahead(not_a_folder)
    assert listing.digest_read_ahead(not_a_folder) is None  # the child failed: none


def test_the_index_takes_the_read_ahead_and_still_sees_a_change(history: Coach, home: Path) -> None:
    if not forks():
        pytest.skip("this machine cannot fork a reader")
    folder = home / "notes"
    NoteIndex(home).close()  # up to date
    assert listing.read_ahead(folder)
    index = NoteIndex(home)
    before = {s.file for s in index.summaries()}
    assert listing._pending is None  # the refresh took the child's digest
    index.close()
    prep(history, "Treplev")
    assert listing.read_ahead(folder)  # read after the new note: a changed digest
    index = NoteIndex(home)
    after = {s.file for s in index.summaries()}
    index.close()
    assert len(after - before) == 1 and before < after


def test_the_coach_command_reads_a_large_folder_ahead_and_answers_the_same(
    history: Coach, home: Path, monkeypatch
) -> None:
    from typer.testing import CliRunner

    from callback_coach.cli import launch
    from callback_coach.cli.app import app

    runner = CliRunner()
    folder = home / "notes"
    (folder / "2026-11-25_treplev_callback-1_prep.md").write_text(
        "---\nkind: prep\nrole: Treplev\nround: callback-1\n---\n", encoding="utf-8"
    )
    monkeypatch.setattr("sys.argv", ["coach", "list", "--json"])
    launch._read_ahead()
    assert listing._pending is None  # a small folder: not read ahead
    monkeypatch.setattr(listing, "LARGE_FOLDER_BYTES", 0)
    for no_command in (["coach"], ["coach", "--help"], ["coach", "--version"]):
        monkeypatch.setattr("sys.argv", no_command)
        launch._read_ahead()
        assert listing._pending is None  # help or version: nothing to read
    monkeypatch.setattr("sys.argv", ["coach", "list", "--json"])
    launch._read_ahead()
    assert (listing._pending is not None) == forks()
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0 and "Treplev" in result.stdout
    assert listing._pending is None  # taken by the index


def test_the_installed_coach_reads_a_large_folder_ahead_and_sees_each_change(
    home: Path, coach_bin: str, tmp_path
) -> None:
    import json
    import subprocess

    folder = home / "notes"
    folder.mkdir(parents=True)
    for n in range(1500):
        (folder / f"2026-01-01_role-{n:04}_callback-1_prep.md").write_text(
            f"---\nkind: prep\nrole: Role {n:04}\nround: callback-1\n---\n", encoding="utf-8"
        )
    if not listing.looks_large(folder):
        pytest.skip("this file system does not grow a folder's size with its names")

    def roles() -> list[str]:
        done = subprocess.run(
            [coach_bin, "list", "--json"], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return sorted(r["role"] for r in json.loads(done.stdout)["roles"])

    assert len(roles()) == 1500
    edited = folder / "2026-01-01_role-0007_callback-1_prep.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("0007", "Seven"), "utf-8")
    assert "Role Seven" in roles() and "Role 0007" not in roles()
    result = subprocess.run(
        [coach_bin, "checklists", "list"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "mindset" in result.stdout


STAMPS = st.tuples(st.integers(0, 2**62), st.integers(0, 2**40))
NAMES = st.text(
    st.characters(blacklist_characters="\0/", blacklist_categories=("Cs",)), min_size=1, max_size=12
).map(lambda n: n + ".md")


def reference_changes(new: dict, known: dict) -> tuple[dict, list, list]:
    changed = {n: new[n] for n in sorted(n for n, s in new.items() if known.get(n) != s)}
    removed = sorted(n for n in known if n not in new)
    return changed, removed, [n for n in changed if n in known]


@settings(max_examples=300, deadline=None)
@given(
    known=st.dictionaries(NAMES, STAMPS, max_size=40),
    new=st.dictionaries(NAMES, STAMPS, max_size=40),
)
def test_changes_between_any_two_listings(known, new) -> None:
    got = listing.changes(listing.Listing.of(new), listing.Listing.of(known))
    assert got == reference_changes(new, known)
    assert list(got[0]) == sorted(got[0])


@settings(max_examples=100, deadline=None)
@given(
    size=st.integers(0, 700),  # several blocks of stamps compared at once
    touched=st.lists(st.integers(0, 699), max_size=5),
    stamp=STAMPS,
)
def test_changes_when_only_stamps_changed(size, touched, stamp) -> None:
    known = {f"2026-01-01_role-{n:04}_audition_prep.md": (n, n) for n in range(size)}
    new = dict(known)
    names = list(known)
    for n in touched:
        if n < size:
            new[names[n]] = stamp
    got = listing.changes(listing.Listing.of(new), listing.Listing.of(known))
    assert got == reference_changes(new, known)


@settings(max_examples=200, deadline=None)
@given(found=st.dictionaries(NAMES, STAMPS, max_size=30))
def test_a_listing_is_kept_and_read_back_as_it_was(found) -> None:
    import hashlib
    import struct

    packed = listing.Listing.of(found)
    assert len(packed) == len(found)
    assert packed.as_dict() == found and packed.name_list() == list(found)
    again = listing.Listing.from_data(packed.data())
    assert again is not None and again.as_dict() == found
    # The digest the index has always kept for a listing.
    names = "\0".join(found).encode("utf-8", "surrogatepass")
    flat = [n for s in found.values() for n in s]
    expected = hashlib.sha256(names + b"\0\0" + struct.pack(f"<{len(flat)}q", *flat))
    assert packed.digest() == expected.hexdigest()


@pytest.mark.parametrize(
    "data",
    [None, "text", b"", b"garbage", marshal.dumps({"a.md": (1, 2)}), marshal.dumps((b"a.md", b"x")),
     marshal.dumps((b"a.md\0b.md", bytes(16))), marshal.dumps(("a.md", bytes(16)))],
)  # fmt: skip
def test_a_kept_listing_that_is_not_one_is_not_read(data) -> None:
    assert listing.Listing.from_data(data) is None
