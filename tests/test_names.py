"""Role and project names: matched without regard to case or accents, stored as typed."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from callback_coach.core.workflow import Coach
from callback_coach.store.slugs import LETTERS_WITHOUT_ACCENTS, fold

from .helpers import prep

# A letter as written, and as it is typed on a keyboard without it.
SPELLINGS = [
    ("Ł", "L"),
    ("ł", "l"),
    ("Ø", "O"),
    ("ø", "o"),
    ("ß", "ss"),
    ("ẞ", "SS"),
    ("Æ", "AE"),
    ("æ", "ae"),
    ("Œ", "OE"),
    ("œ", "oe"),
    ("Đ", "D"),
    ("đ", "d"),
    ("Ð", "D"),
    ("ð", "d"),
    ("Þ", "TH"),
    ("þ", "th"),
    ("ı", "i"),
    ("İ", "I"),
    ("ë", "e"),
    ("É", "E"),
    ("ñ", "n"),
    ("Å", "A"),
    ("ç", "c"),
    ("ħ", "h"),
]


def test_names_from_the_issue_match_their_plain_spelling() -> None:
    assert fold("Łukasz") == fold("Lukasz") == fold("lukasz")
    assert fold("Søren") == fold("Soren")
    assert fold("Straße") == fold("STRASSE")
    assert fold("Æsa") == fold("aesa")
    assert fold("Œdipe") == fold("oedipe")
    assert fold("Đorđe") == fold("Dorde")
    assert fold("Zoë") == fold("zoe")


def test_every_letter_of_the_table_folds_to_plain_letters() -> None:
    for letter, plain in LETTERS_WITHOUT_ACCENTS.items():
        assert fold(letter) == fold(letter.upper()) == plain
        assert fold(letter).isascii()


@given(
    st.lists(
        st.one_of(
            st.sampled_from(SPELLINGS),
            st.sampled_from(string.ascii_letters + " ").map(lambda c: (c, c)),
        ),
        max_size=12,
    )
)
def test_a_name_folds_like_its_spelling_without_accents(pieces: list[tuple[str, str]]) -> None:
    written = "".join(letter for letter, _ in pieces)
    typed = "".join(plain for _, plain in pieces)
    assert fold(written) == fold(typed)
    assert fold(written) == fold(typed.lower()) == fold(written.upper())


@given(st.text())
def test_folding_a_folded_name_changes_nothing(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_a_role_matched_through_a_plain_spelling_keeps_its_own(home: Path) -> None:
    coach = Coach(home)
    prep(coach, "Łukasz", project="Wesele", date="2026-11-20")
    prep(coach, "lukasz", date="2026-11-24")
    (row,) = coach.list_roles()
    assert (row.role, row.project, row.rounds) == ("Łukasz", "Wesele", ["callback-1", "callback-2"])
    assert coach.list_roles(role="LUKASZ") == [row]


def test_a_role_new_to_a_project_is_stored_as_typed(home: Path) -> None:
    coach = Coach(home)
    prep(coach, "nina", project="The Seagull", date="2026-11-20")
    prep(coach, "Nina", project="Platonov", date="2026-11-22")
    plan = coach.plan_prep("NINA", project="Platonov")
    assert plan.role == "Nina"  # the spelling this project's first note used
    rows = {row.project: row.role for row in coach.list_roles()}
    assert rows == {"The Seagull": "nina", "Platonov": "Nina"}
