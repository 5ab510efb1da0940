"""The shipped drill bank as content: enough notes, each a thing a director says in a room,
none tied to a scene the actor is not playing (no names, no quoted lines, no he or she),
only the placeholders the coach fills from the actor's own prep, and no near copies."""

from __future__ import annotations

import itertools
import re

import pytest

from callback_coach.core.checklist_load import load_catalogue
from callback_coach.day import drill_bank
from callback_coach.store import paths

SHIPPED = paths.builtin_data_dir() / "drill-notes.yaml"
# Placeholder -> the prep answer (CHECKLIST.QUESTION) the coach fills it from.
PLACEHOLDERS = {
    "partner": "refine-intention.partner",
    "line": "refine-intention.key-line",
    "want": "refine-intention.want",
}
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Capitalised words that are not names.
NOT_NAMES = {"I", "I'm", "I've", "I'd", "I'll", "TV", "OK"}
# He, she and the rest fix the partner's gender: the actor's scene may not match.
GENDERED = re.compile(r"\b(he|she|him|her|his|hers|himself|herself)\b", re.IGNORECASE)
# A quoted line can only fit one script.
QUOTES = re.compile(r"[\"“”«»]|(?:^|\s)'\w")
# Setting up a self-tape is a checklist job (recall-what-worked), not a director's note.
SET_UP = re.compile(r"\b(slate|chin|ring light|lighting|upload|file name|tripod)\b", re.I)
# Notes the issue found read like a classroom, not a room.
CLASSROOM = ("stakes-tomorrow", "contra-reverse-weight", "voice-lower-end", "stage-no-face")
# Words every kind of note uses, left out when notes are compared.
COMMON = {
    "don't", "your", "with", "that", "this", "them", "they", "what", "play", "line", "lines",
    "you're", "just", "like", "from", "then", "it's", "only", "more", "less", "every",
    "first", "last", "before", "time", "make", "have", "into", "take", "keep", "scene",
    "still", "there", "their", "right",
}  # fmt: skip


@pytest.fixture(scope="module")
def bank() -> list[drill_bank.DrillNote]:
    return drill_bank.load_bank(SHIPPED, None)


def without_placeholders(text: str) -> str:
    return PLACEHOLDER.sub("", text)


def test_the_bank_loads_with_at_least_80_notes(bank: list[drill_bank.DrillNote]) -> None:
    assert len(bank) >= 80
    assert len({n.id for n in bank}) == len(bank)


def test_only_known_placeholders_each_filled_from_a_real_question(
    bank: list[drill_bank.DrillNote],
) -> None:
    catalogue = load_catalogue(paths.builtin_checklists_dir(), None)
    questions = {f"{c.id}.{q.id}" for c in catalogue.checklists for q in c.questions}
    assert set(PLACEHOLDERS.values()) <= questions
    used: set[str] = set()
    for note in bank:
        found = PLACEHOLDER.findall(note.text)
        assert set(found) <= set(PLACEHOLDERS), f"{note.id}: {found}"
        rest = without_placeholders(note.text)
        assert "{" not in rest and "}" not in rest, f"{note.id}: a stray brace"
        used.update(found)
    assert used == set(PLACEHOLDERS), "every placeholder is used"


def test_placeholders_read_well_once_filled(bank: list[drill_bank.DrillNote]) -> None:
    """{line} comes in quotation marks, so no full stop or comma follows it; {want} is
    written as the actor wrote it ("to corner him"), so it follows "want"."""
    for note in bank:
        assert not re.search(r"\{line\}[.,;:!?]", note.text), note.id
        for _ in re.finditer(r"\{want\}", note.text):
            assert re.search(r"\bwant \{want\}", note.text), note.id


def test_no_names_outside_placeholders(bank: list[drill_bank.DrillNote]) -> None:
    for note in bank:
        # Each sentence may start with a capital; any other capitalised word is a name.
        for sentence in re.split(r"(?<=[.!?])\s+", without_placeholders(note.text)):
            for word in sentence.split()[1:]:
                word = word.strip(".,;:!?()")
                if word[:1].isupper():
                    assert word in NOT_NAMES, f"{note.id}: {word!r} looks like a name"


def test_no_fixed_pronouns_or_quoted_lines(bank: list[drill_bank.DrillNote]) -> None:
    for note in bank:
        assert not GENDERED.search(note.text), f"{note.id}: {note.text}"
        assert not QUOTES.search(note.text), f"{note.id}: {note.text}"


def test_every_note_is_said_in_a_room(bank: list[drill_bank.DrillNote]) -> None:
    ids = {n.id for n in bank}
    for gone in CLASSROOM:
        assert gone not in ids, gone
    for note in bank:
        assert not SET_UP.search(note.text), f"{note.id}: a set-up item, not a note"
        assert not note.text.endswith("?") or note.id.startswith(("rel-", "contra-")), (
            f"{note.id}: a director gives a note; a quiz question is a classroom"
        )


def test_enough_notes_need_nothing_filled(bank: list[drill_bank.DrillNote]) -> None:
    """A note with a placeholder is left out when the actor's prep has no answer for it,
    so every tag still has notes that need nothing."""
    plain = [n for n in bank if not PLACEHOLDER.search(n.text)]
    assert len(plain) >= 60
    for tag in drill_bank.KNOWN_TAGS:
        assert sum(tag in n.tags for n in plain) >= 4, f"too few {tag} notes without a placeholder"


def test_no_near_copies(bank: list[drill_bank.DrillNote]) -> None:
    def words(text: str) -> set[str]:
        found = re.findall(r"[a-z']+", without_placeholders(text).casefold())
        return {w for w in found if len(w) > 3 and w not in COMMON}

    for a, b in itertools.combinations(bank, 2):
        wa, wb = words(a.text), words(b.text)
        shared = len(wa & wb) / max(1, len(wa | wb))
        assert shared < 0.5, f"{a.id} and {b.id} say nearly the same"
