"""Note files: lossless round trips, tolerant reading, safe names, private atomic writes."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callback_coach.core.rounds import summarize
from callback_coach.store import fileio
from callback_coach.store.notes import Note, NoteParseError, new_note, parse_note, render_note
from callback_coach.store.notestore import NoteStore
from callback_coach.store.slugs import fold, slugify

from .helpers import saved_notes

# Text that stresses YAML and front matter: newlines, quotes, '---', leading spaces,
# YAML's special words, and any Unicode.
TRICKY = st.sampled_from(
    [
        "no",
        "yes",
        "null",
        "~",
        "1e3",
        "---",
        "...",
        " lead",
        "trail ",
        "a: b",
        "#x",
        "'",
        '"',
        "- item",
        "\n",
        "\r\n",
        "\t",
        "|",
        ">",
        "@at",
        "%pct",
        "*star",
        "&amp",
        "!bang",
        "🎭",
    ]
)
TEXT = st.one_of(st.text(), TRICKY, st.lists(st.one_of(st.text(), TRICKY), max_size=4).map("".join))
VALUE = st.one_of(
    TEXT, st.booleans(), st.integers(-(10**6), 10**6), st.none(), st.lists(TEXT, max_size=3)
)


@settings(max_examples=300, deadline=None)
@given(
    answers=st.dictionaries(st.text(min_size=1), VALUE, max_size=5),
    body=TEXT,
    role=TEXT,
    extra=st.dictionaries(
        st.text(min_size=1).filter(lambda k: k not in ("answers",)), VALUE, max_size=3
    ),
)
def test_render_then_parse_gives_the_note_back(answers, body, role, extra) -> None:
    meta = {"format": 1, "kind": "prep", "role": role, "answers": {"c": answers}, **extra}
    note = Note(meta=meta, body=body)
    assert parse_note(render_note(note)) == note


def test_body_is_kept_byte_for_byte_including_dashes() -> None:
    text = "---\nkind: prep\nrole: Nina\nmine: keep me\n---\n\n---\nMy notes\n---\n  indented\n"
    note = parse_note(text)
    assert note.meta == {"kind": "prep", "role": "Nina", "mine": "keep me"}
    assert note.body == "\n---\nMy notes\n---\n  indented\n"
    assert render_note(note).endswith(note.body)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("no front matter\n", "does not start"),
        ("---\nrole: x\n", "no closing"),
        ("---\nrole: [x\n---\nbody", "invalid YAML"),
        ("---\n- a\n---\n", "not a mapping"),
    ],
)
def test_unparseable_notes_say_why(text: str, reason: str) -> None:
    with pytest.raises(NoteParseError, match=reason):
        parse_note(text)


def test_windows_line_endings_and_bom_are_read() -> None:
    note = parse_note("\ufeff---\r\nrole: Nina\r\n---\r\nbody\r\n")
    assert note.role == "Nina" and note.body == "body\r\n"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), TRICKY, st.just("../../x"), st.just("..")))
def test_slugs_never_leave_the_folder(text: str) -> None:
    slug = slugify(text)
    assert slug and "/" not in slug and "\\" not in slug and "\x00" not in slug
    assert slug not in (".", "..") and not slug.startswith(".")
    assert len(slug.encode("utf-8")) <= 48


def test_slugs_keep_unicode_and_separate_emoji() -> None:
    assert slugify("Нина Заречная") == "нина-заречная"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("🎭") != slugify("🎬")
    assert slugify("🎭").startswith("x-")


def test_fold_ignores_case_and_accents() -> None:
    assert fold("  Zoë  Ò'Brien ") == fold("zoe o'brien")


def store_note(store: NoteStore, role: str = "Nina", round_label: str = "callback-1") -> Path:
    note = new_note(
        kind="prep",
        role=role,
        project="The Seagull",
        round_label=round_label,
        date="2026-11-23",
        checklists=[("mindset", 1)],
        answers={"mindset": {}},
    )
    return store.save_new(note)


def test_a_second_note_of_the_same_round_gets_its_own_file(home: Path) -> None:
    store = NoteStore(home)
    first, second = store_note(store), store_note(store)
    assert first != second
    assert first.name == "2026-11-23_the-seagull_nina_callback-1_prep.md"
    assert second.name == "2026-11-23_the-seagull_nina_callback-1_prep-2.md"


def test_notes_are_private(home: Path) -> None:
    path = store_note(NoteStore(home))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]


def test_many_writers_at_once_lose_nothing(home: Path) -> None:
    store = NoteStore(home)
    paths: list[Path] = []
    lock = threading.Lock()

    def write() -> None:
        p = store_note(store)
        with lock:
            paths.append(p)

    threads = [threading.Thread(target=write) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(paths)) == 12
    assert len(saved_notes(home)) == 12


def test_atomic_write_leaves_old_content_when_the_write_fails(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "f.txt"
    fileio.atomic_write(target, "old")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(Exception, match="the disk is full"):
        fileio.atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_the_index_skips_unreadable_notes_and_names_them(home: Path) -> None:
    from callback_coach.store.index import NoteIndex

    store = NoteStore(home)
    good = store_note(store)
    bad = store.folder / "broken.md"
    bad.write_text("just text", encoding="utf-8")
    index = NoteIndex(home, summarize)
    assert [s.file for s in index.note_rows() if s.ok] == [good.name]
    assert index.unreadable() == [(bad, "the file does not start with a '---' front-matter line")]
