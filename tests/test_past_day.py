"""A prep dated before today is said so, once, and still dated as asked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from callback_coach.core.asking import Notice
from callback_coach.core.workflow import Coach

from .scripted import ScriptedAsker

DAY = dt.date(2026, 11, 23)  # a Monday


@pytest.fixture
def coach(home: Path) -> Coach:
    return Coach(home, today=DAY)


@pytest.mark.parametrize(
    ("date", "said"),
    [
        ("2026-11-22", "Nina's callback-1 is dated yesterday, a day already past"),
        ("2026-11-01", "Nina's callback-1 is dated Sun 1 Nov, a day already past"),
        ("2026-11-23", None),
        ("2026-11-24", None),
    ],
)
def test_a_prep_dated_before_today_is_said_so(coach: Coach, date: str, said: str | None) -> None:
    plan = coach.plan_prep("Nina", date=date)
    assert plan.date == date, "dated as asked"
    if said is None:
        assert coach.warnings == []
    else:
        (warning,) = coach.warnings
        assert warning.startswith(said) and "--date" in warning


def test_a_past_day_typed_at_the_prompt_is_said_so_there(coach: Coach) -> None:
    asker = ScriptedAsker(
        {"callback.date": "2026-11-20", "refine-intention.want": "to win"},
        choices=["quick", "save"],
    )
    plan = coach.plan_prep("Nina", asker=asker)
    assert plan.ask_date and coach.warnings == []
    coach.run_session(plan, asker)
    said = [n.text for n in asker.shown if isinstance(n, Notice) and n.style == "warning"]
    assert [text for text in said if "a day already past" in text] == [
        "Nina's callback-1 is dated Fri 20 Nov, a day already past; the prep keeps that day "
        "(give --date for another)"
    ]
