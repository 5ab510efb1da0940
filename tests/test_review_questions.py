"""The review's questions follow the answers already given (built-in checklists)."""

from __future__ import annotations

from pathlib import Path

import pytest

from callback_coach.core.workflow import Coach

from .helpers import prep
from .scripted import ScriptedAsker

NOTE_CAME = "a note came, and what I prepared helped"


@pytest.fixture
def coach(home: Path) -> Coach:
    coach = Coach(home)
    prep(coach, "Irina", project="Three Sisters", date="2026-11-20")
    return coach


def review(coach: Coach, plan_held: str) -> ScriptedAsker:
    asker = ScriptedAsker(
        {"after-the-room.direction": "slower", "after-the-room.plan-held": plan_held,
         "after-the-room.one-thing": "stillness"},
        choices=["save"],
    )  # fmt: skip
    plan = coach.plan_review("Irina", project="Three Sisters", outcome="callback")
    coach.run_session(plan, asker)
    return asker


def test_commitment_is_asked_only_when_a_note_came(coach: Coach) -> None:
    asked = review(coach, NOTE_CAME).asked
    assert asked.index("after-the-room.plan-held") < asked.index("after-the-room.commitment")
    assert "after-the-room.commitment" not in review(coach, "no note came").asked


def test_a_note_came_is_what_the_menu_starts_on(coach: Coach) -> None:
    # (Asked right after the direction given: a note most often came.)
    plan = coach.plan_review("Irina", project="Three Sisters")
    (after,) = [c for c in plan.checklists if c.id == "after-the-room"]
    question = after.question("plan-held")
    assert question is not None and question.choices[0] == NOTE_CAME
    assert question.choices[-1] == "no note came"
