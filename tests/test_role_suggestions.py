"""A role name with a typo: the "no notes" error suggests the closest role the notes know."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.rounds import near_names, no_notes_message
from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode

from .helpers import prep, review

runner = CliRunner()


@pytest.fixture
def irina(home: Path) -> Coach:
    c = Coach(home)
    prep(c, "Irina", project="Three Sisters", date="2026-11-20")
    review(c, "Irina", outcome="callback", date="2026-11-21")
    prep(c, "Zoë", project="Other", date="2026-11-02")
    return c


@pytest.mark.parametrize(
    "args",
    [
        ["show", "Irnia"],
        ["card", "Irnia"],
        ["outcome", "Irnia", "booked"],
        ["follow-ups", "add", "Irnia", "thank-you note"],
    ],
)
def test_a_typo_in_a_role_name_suggests_the_role(irina: Coach, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stderr == "error: no notes for 'Irnia'; did you mean 'Irina'?\n"


def test_the_suggestion_ignores_case_and_accents_and_keeps_the_notes_spelling(
    irina: Coach,
) -> None:
    result = runner.invoke(app, ["show", "ZOA"])
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stderr == "error: no notes for 'ZOA'; did you mean 'Zoë'?\n"


def test_with_a_project_only_its_roles_are_suggested(irina: Coach) -> None:
    result = runner.invoke(app, ["show", "Zoa", "--project", "Three Sisters"])
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stderr == "error: no notes for 'Zoa' in 'Three Sisters'\n"


def test_no_close_role_leaves_the_message_as_it_was(irina: Coach) -> None:
    result = runner.invoke(app, ["show", "Hamlet"])
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stderr == "error: no notes for 'Hamlet'\n"


def test_a_suggested_name_is_shown_through_the_sanitiser(home: Path) -> None:
    prep(Coach(home), "Ir\x1bina", date="2026-11-20")
    result = runner.invoke(app, ["show", "Irina"])
    assert result.exit_code == ExitCode.NOT_FOUND
    assert "\x1b" not in result.stderr
    assert result.stderr == "error: no notes for 'Irina'; did you mean 'Ir\\x1bina'?\n"


def test_several_close_names_are_listed_closest_first() -> None:
    message = no_notes_message("Mash", "", ["Masha", "Misha", "Hamlet"])
    assert message == "no notes for 'Mash'; did you mean 'Masha' or 'Misha'?"


@given(st.text(min_size=1, max_size=12), st.lists(st.text(max_size=12), max_size=6))
def test_suggestions_are_known_names_never_the_name_itself(name: str, known: list[str]) -> None:
    from callback_coach.store.slugs import fold

    near = near_names(name, known)
    assert len(near) <= 3
    assert all(n in known and fold(n) != fold(name) for n in near)
    assert len({fold(n) for n in near}) == len(near)
    if not near:
        assert no_notes_message(name, "", known) == f"no notes for {name!r}"
