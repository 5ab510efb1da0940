"""Sync conflict copies are recognised by name, for every client's scheme, and the names the
coach itself writes are never taken for copies."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callback_coach.store import conflict_names
from callback_coach.store.conflict_names import Conflict, conflict_of, copy_of, scan
from callback_coach.store.notes import KINDS, Note, note_stem

NOTE = "2026-11-20_the-seagull_nina_callback-1_prep.md"

# (copy's name, the scheme that wrote it): each a copy of NOTE.
COPIES = [
    # Syncthing: date, time and the short id of the device whose version lost.
    (
        "2026-11-20_the-seagull_nina_callback-1_prep.sync-conflict-20261201-123456-ABCDEFG.md",
        "Syncthing",
    ),
    # Syncthing before 0.14: no device id.
    ("2026-11-20_the-seagull_nina_callback-1_prep.sync-conflict-20261201-123456.md", "Syncthing"),
    # Dropbox, plain, with a person's or a computer's name, with a counter inside or after.
    ("2026-11-20_the-seagull_nina_callback-1_prep (conflicted copy 2026-12-01).md", "Dropbox"),
    (
        "2026-11-20_the-seagull_nina_callback-1_prep (Nathan's conflicted copy 2026-12-01).md",
        "Dropbox",
    ),
    (
        "2026-11-20_the-seagull_nina_callback-1_prep (Nathan's MacBook conflicted copy 2026-12-01).md",
        "Dropbox",
    ),
    (
        "2026-11-20_the-seagull_nina_callback-1_prep (Nathan’s MacBook Pro conflicted copy 2026-12-01 (1)).md",
        "Dropbox",
    ),
    ("2026-11-20_the-seagull_nina_callback-1_prep (conflicted copy 2026-12-01) (2).md", "Dropbox"),
    # Nextcloud and ownCloud since 2.5, with and without the user's name; before 2.5.
    (
        "2026-11-20_the-seagull_nina_callback-1_prep (conflicted copy 2026-12-01 123456).md",
        "Nextcloud",
    ),
    (
        "2026-11-20_the-seagull_nina_callback-1_prep (conflicted copy nathan 2026-12-01 123456).md",
        "Nextcloud",
    ),
    ("2026-11-20_the-seagull_nina_callback-1_prep_conflict-20261201-123456.md", "Nextcloud"),
    # Obsidian Sync's capital C.
    (
        "2026-11-20_the-seagull_nina_callback-1_prep (Conflicted copy 2026-12-01 123456).md",
        "Nextcloud",
    ),
    # OneDrive: the computer's name (with hyphens, or one word).
    ("2026-11-20_the-seagull_nina_callback-1_prep-DESKTOP-AB12CD3.md", "OneDrive"),
    ("2026-11-20_the-seagull_nina_callback-1_prep-NATHANSLAPTOP.md", "OneDrive"),
    # iCloud Drive: a number after a space.
    ("2026-11-20_the-seagull_nina_callback-1_prep 2.md", "iCloud"),
    ("2026-11-20_the-seagull_nina_callback-1_prep 13.md", "iCloud"),
]


@pytest.mark.parametrize(("name", "scheme"), COPIES, ids=[c[0][44:] for c in COPIES])
def test_each_scheme_names_the_note_it_copies(name: str, scheme: str) -> None:
    assert conflict_of(name, {NOTE, name}) == Conflict(copy=name, original=NOTE, scheme=scheme)
    assert copy_of(name, {NOTE, name}) == NOTE


@pytest.mark.parametrize(
    "name",
    [
        "2026-11-20_the-seagull_nina_callback-1_prep-DESKTOP-AB12CD3.md",
        "2026-11-20_the-seagull_nina_callback-1_prep 2.md",
    ],
)
def test_onedrive_and_icloud_copies_need_their_note_beside_them(name: str) -> None:
    assert copy_of(name) is None
    assert copy_of(name, {name, "2026-11-20_the-seagull_nina_callback-2_prep.md"}) is None
    assert scan([name]) == []
    assert scan([name, NOTE]) == [conflict_of(name, {name, NOTE})]


@pytest.mark.parametrize(
    "name",
    [
        "2026-11-20_the-seagull_nina_callback-1_prep.sync-conflict-20261201-123456-ABCDEFG.md",
        "2026-11-20_the-seagull_nina_callback-1_prep (conflicted copy 2026-12-01).md",
        "2026-11-20_the-seagull_nina_callback-1_prep_conflict-20261201-123456.md",
    ],
)
def test_a_copy_that_names_itself_is_one_even_when_its_note_is_gone(name: str) -> None:
    assert copy_of(name) == NOTE
    assert scan([name]) == [Conflict(name, NOTE, conflict_of(name).scheme)]  # type: ignore[union-attr]


def test_a_copy_of_a_copy_names_the_note_at_the_root() -> None:
    twice = (
        "2026-11-20_the-seagull_nina_callback-1_prep.sync-conflict-20261201-123456-ABCDEFG"
        ".sync-conflict-20261202-101010-XYZ2345.md"
    )
    assert conflict_of(twice) == Conflict(twice, NOTE, "Syncthing")
    mixed = "2026-11-20_the-seagull_nina_callback-1_prep 2 (conflicted copy 2026-12-01).md"
    assert conflict_of(mixed, {NOTE, mixed}) == Conflict(mixed, NOTE, "Dropbox")
    # Without the note beside it, iCloud's part is not taken for a copy.
    assert copy_of(mixed, {mixed}) == "2026-11-20_the-seagull_nina_callback-1_prep 2.md"


@pytest.mark.parametrize(
    "name",
    [
        NOTE,
        "2026-11-20_the-seagull_nina_callback-1_prep-2.md",  # fileio.create_new's second file
        "2026-11-20_the-seagull_nina_callback-1_prep-17.md",
        "undated_no-project_nina_audition_review.md",
        "sync-conflict.md",
        "my conflicted copy notes.md",
        "2026-11-20_the-seagull_nina_callback-1_prep-notes.md",  # lower case: no machine name
        "2026-11-20_the-seagull_nina_callback-1_prep-12345.md",  # digits only: no machine name
        "2026-11-20_the-seagull_nina_callback-1_prep 1.md",  # iCloud starts at 2
        "2026-11-20_the-seagull_nina_callback-1_prep.sync-conflict-2026-12-01.md",
        "2026-11-20_the-seagull_nina_callback-1_prep (conflicted copy).md",  # no date
    ],
)
def test_other_names_are_not_copies(name: str) -> None:
    siblings = {NOTE, name, "2026-11-20_the-seagull_nina_callback-1_prep-2.md"}
    assert conflict_of(name, siblings) is None
    assert scan(sorted(siblings)) == []


# -- the coach's own names, whatever they hold -----------------------------------------------

words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00/"),
    min_size=1,
    max_size=20,
)
dates = st.dates().map(lambda d: d.isoformat())


@st.composite
def coach_names(draw: st.DrawFn) -> str:
    """A note name as the coach writes it: `notes.note_stem`, maybe `-N` from create_new."""
    meta = {
        "kind": draw(st.sampled_from(KINDS)),
        "role": draw(words),
        "project": draw(st.one_of(st.just(""), words)),
        "round": draw(st.one_of(st.sampled_from(["audition", "callback-1", "producers"]), words)),
        "date": draw(st.one_of(st.just(""), dates)),
    }
    stem = note_stem(Note(meta=meta))
    n = draw(st.integers(min_value=1, max_value=10_000))
    return f"{stem}.md" if n == 1 else f"{stem}-{n}.md"


@settings(max_examples=300)
@given(st.lists(coach_names(), min_size=1, max_size=30))
def test_the_names_the_coach_writes_are_never_copies(names: list[str]) -> None:
    # Each name with its `-2` and `-3` neighbours, as after notes saved the same day.
    folder = set(names)
    for name in names:
        folder |= {name[:-3] + "-2.md", name[:-3] + "-3.md"}
    assert scan(sorted(folder)) == []
    assert all(conflict_of(n, folder) is None for n in folder)


device_ids = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", min_size=7, max_size=7)
machines = st.from_regex(r"\A[A-Z][A-Z0-9-]{0,14}\Z")
people = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ'’", max_size=20)


@st.composite
def copies_of(draw: st.DrawFn, note: str) -> tuple[str, str]:
    """A copy of `note` in one of the schemes (its name, its scheme)."""
    stem = note[: -len(".md")]
    day = draw(st.dates(min_value=dt.date(2000, 1, 1)))
    compact, dashed = day.strftime("%Y%m%d"), day.isoformat()
    clock = draw(st.from_regex(r"\A[0-9]{6}\Z"))
    scheme = draw(
        st.sampled_from(["Syncthing", "Dropbox", "Nextcloud", "old", "OneDrive", "iCloud"])
    )
    if scheme == "Syncthing":
        return f"{stem}.sync-conflict-{compact}-{clock}-{draw(device_ids)}.md", scheme
    if scheme == "Dropbox":
        who = draw(people).strip()
        who = f"{who}'s " if who else ""
        return f"{stem} ({who}conflicted copy {dashed}).md", scheme
    if scheme == "Nextcloud":
        return f"{stem} (conflicted copy {dashed} {clock}).md", scheme
    if scheme == "old":
        return f"{stem}_conflict-{compact}-{clock}.md", "Nextcloud"
    if scheme == "OneDrive":
        return f"{stem}-{draw(machines)}.md", scheme
    return f"{stem} {draw(st.integers(min_value=2, max_value=999))}.md", scheme


@settings(max_examples=300)
@given(st.data())
def test_every_copy_of_a_coach_note_leads_back_to_it(data: st.DataObject) -> None:
    note = data.draw(coach_names())
    copy, scheme = data.draw(copies_of(note))
    found = conflict_of(copy, {note, copy})
    assert found == Conflict(copy, note, scheme)
    assert scan([note, copy]) == [found]


def test_one_copy_among_ten_thousand_names_is_found() -> None:
    names = [
        f"2026-{m:02d}-{d:02d}_project-{i}_role-{i % 97}_callback-{i % 5 + 1}_{KINDS[i % 2]}"
        + ("" if i % 7 else "-2")
        + ".md"
        for i, (m, d) in enumerate(
            (m, d) for _ in range(40) for m in range(1, 13) for d in range(1, 22)
        )
    ][:10_000]
    copy = names[5000][:-3] + ".sync-conflict-20261201-123456-ABCDEFG.md"
    assert len(names) == 10_000
    assert scan(names) == []
    assert scan([*names, copy]) == [Conflict(copy, names[5000], "Syncthing")]


@settings(max_examples=300)
@given(st.data())
def test_the_scan_finds_what_looking_at_every_name_finds(data: st.DataObject) -> None:
    # The scan's shortcuts (one look at all the names, then three searches per name)
    # never skip a copy that looking at each name in full would find.
    notes = data.draw(st.lists(coach_names(), min_size=1, max_size=8))
    names = set(notes)
    for note in notes:
        if data.draw(st.booleans()):
            names.add(data.draw(copies_of(note))[0])
    names |= set(data.draw(st.lists(st.text(min_size=1, max_size=40).map(lambda t: t + ".md"))))
    folder = sorted(names)
    expected = [c for n in folder if (c := conflict_of(n, frozenset(folder))) is not None]
    assert scan(folder) == expected


def test_the_schemes_are_named_for_the_warning_line() -> None:
    assert {scheme for _, scheme in COPIES} == {
        conflict_names.SYNCTHING,
        conflict_names.DROPBOX,
        conflict_names.NEXTCLOUD,
        conflict_names.ONEDRIVE,
        conflict_names.ICLOUD,
    }
