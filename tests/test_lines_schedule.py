"""The schedule, with a clock the tests move: weak lines come back sooner, lines not due
stay away, and a card a hand edit broke starts the line again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from callback_coach.lines import schedule
from callback_coach.lines.drill import DrillSession, plan_drill
from callback_coach.lines.schedule import Grade
from callback_coach.lines.sides import SidesStore

from .lines_helpers import ZOE_LINES
from .lines_scripted import STOP, T0, Clock, ScriptedLinesUI, import_sides


@pytest.mark.parametrize("at", [T0, T0 + dt.timedelta(days=3, hours=5)])
def test_again_comes_back_before_hard_good_and_easy(at: dt.datetime) -> None:
    due = {grade: schedule.due(schedule.review(None, grade, at)) for grade in Grade}
    assert all(when is not None and when > at for when in due.values())
    assert due[Grade.AGAIN] < due[Grade.HARD] < due[Grade.GOOD] < due[Grade.EASY]


def test_a_known_line_graded_again_comes_back_before_one_graded_easy() -> None:
    card = schedule.review(None, Grade.GOOD, T0)
    card = schedule.review(card, Grade.GOOD, schedule.due(card) or T0)
    later = schedule.due(card) or T0
    forgot = schedule.due(schedule.review(card, Grade.AGAIN, later))
    knew = schedule.due(schedule.review(card, Grade.EASY, later))
    assert forgot is not None and knew is not None and forgot < knew


def test_the_same_grades_at_the_same_times_give_the_same_schedule() -> None:
    first = schedule.review(schedule.review(None, Grade.HARD, T0), Grade.GOOD, T0)
    again = schedule.review(schedule.review(None, Grade.HARD, T0), Grade.GOOD, T0)
    assert first == again


def test_a_broken_card_starts_the_line_again() -> None:
    fresh = schedule.review(None, Grade.GOOD, T0)
    for broken in ({"state": "sleepy"}, {"stability": "x"}, {}, {**fresh, "stability": "x"}):
        assert schedule.review(broken, Grade.GOOD, T0) == fresh
    assert schedule.due({"due": "not a date"}) is None
    assert schedule.due(None) is None


def test_a_naive_clock_is_refused() -> None:
    with pytest.raises(ValueError):
        schedule.review(None, Grade.GOOD, dt.datetime(2026, 11, 20, 18, 0))


def sitting(home: Path, clock: Clock, answers: list[object]) -> ScriptedLinesUI:
    store = SidesStore(home)
    plan = plan_drill(store, "Zoe", scene=1, now=clock())
    ui = ScriptedLinesUI(answers)
    DrillSession(plan, ui, store, mode="say", clock=clock).run()
    return ui


def test_with_an_injected_clock_weak_lines_come_back_first(home: Path) -> None:
    import_sides(home)
    clock = Clock()
    first, second, third = ZOE_LINES[:3]
    # 6 pm: the first line forgotten (and forgotten again at the end), the second hard,
    # the third easy.
    sitting(home, clock, [None, "again", None, "hard", None, "easy", None, "again"])
    clock.advance(hours=1)
    plan = plan_drill(SidesStore(home), "Zoe", scene=1, now=clock())
    assert [i.line.speech.text for i in plan.items] == [first, second]
    assert plan.next_due is not None and plan.next_due > clock()
    # The next morning the easy line is still away; the weak ones are due.
    clock.advance(hours=14)
    plan = plan_drill(SidesStore(home), "Zoe", scene=1, now=clock())
    assert third not in [i.line.speech.text for i in plan.items]
    assert {i.status for i in plan.items} == {"due"}


def test_due_lines_come_first_weakest_first_then_new_lines(home: Path) -> None:
    import_sides(home)
    clock = Clock()
    store = SidesStore(home)
    plan = plan_drill(store, "Zoe", now=clock())
    ui = ScriptedLinesUI([None, "good", None, "again", None, "again", STOP])
    session = DrillSession(plan, ui, store, mode="say", clock=clock)
    with pytest.raises(KeyboardInterrupt):
        session.run()
    clock.advance(days=2)
    plan = plan_drill(SidesStore(home), "Zoe", now=clock())
    statuses = [(i.line.speech.text, i.status) for i in plan.items]
    assert statuses[-2:] == [(ZOE_LINES[3], "new"), (ZOE_LINES[4], "new")]
    due = [i for i in plan.items if i.status == "due"]
    assert [i.due for i in due] == sorted(i.due for i in due if i.due is not None)
    assert {i.line.speech.text for i in due} == set(ZOE_LINES[:3])


def test_nothing_due_says_when_the_next_line_is(home: Path) -> None:
    import_sides(home)
    clock = Clock()
    sitting(home, clock, [None, "easy"] * 3)
    plan = plan_drill(SidesStore(home), "Zoe", scene=1, now=clock())
    assert plan.items == ()
    assert plan.next_due is not None and plan.next_due - clock() > dt.timedelta(days=1)
