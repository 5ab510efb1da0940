"""The quick path with the built-in checklists, as an actor short on time takes it: the
closing check does not call empty what the quick path never asked and no earlier note
gave, on any round; the medium is asked on a role's first round, and from then on
carried (not asked again); the closing check reads the earlier answers as before.

Driven by a scripted asker on a fixed day (Monday 23 November 2026).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.asking import Notice
from callback_coach.core.prep_paths import path_menu
from callback_coach.core.session import UNASKED_WORDS, SessionPlan
from callback_coach.core.workflow import Coach
from callback_coach.season import loading

from .helpers import REVIEW, full_answers
from .scripted import ScriptedAsker, ScriptExhausted, answer_sequence

DAY = dt.date(2026, 11, 23)
ROLE, PROJECT = "Masha", "Three Sisters"
runner = CliRunner()
CLOSING = ("intention-refined", "ready-for-direction", "know-what-worked", "right-mindset")
ALL_YES = {f"closing-check.{qid}": True for qid in CLOSING}
QUICK_ANSWERS = {
    "logistics.time": "14:30",
    "logistics.place": "Studio 2",
    "refine-intention.want": "to be heard",
    "recall-what-worked.direction-last-time": "slower, more still",
    "mindset.breathing": "box breathing (4 in, 4 hold, 4 out, 4 hold)",
    "mindset.anchor": "the chair under me",
}
# The quick path of every round, in order (a first round asks the medium before the want).
QUICK = [
    "logistics.time",
    "logistics.place",
    "refine-intention.want",
    "recall-what-worked.direction-last-time",
    "mindset.breathing",
    "mindset.anchor",
    *(f"closing-check.{qid}" for qid in CLOSING),
]
FIRST_QUICK = [*QUICK[:2], "refine-intention.medium", *QUICK[2:]]


@pytest.fixture
def coach(home: Path, monkeypatch: pytest.MonkeyPatch) -> Coach:
    monkeypatch.setattr(loading, "current_day", lambda: DAY)
    return Coach(home, today=DAY)


def quick_plan(coach: Coach, date: str = "2026-11-25") -> SessionPlan:
    return coach.plan_prep(ROLE, project=PROJECT, path="quick", date=date)


def asked(plan: SessionPlan) -> list[str]:
    return [f"{c.id}.{q.id}" for c in plan.checklists for q in c.questions]


class CarriesOn(ScriptedAsker):
    """Leaves every offer of the closing check ("answer it now?", "go back?") and saves."""

    def choose(self, message: str, options: Any, default: str | None = None) -> str:
        values = [value for value, _ in options]
        self.choices = ["onward" if "onward" in values else "save"]
        return super().choose(message, options, default)


def notices(asker: ScriptedAsker) -> list[str]:
    return [n.text for n in asker.shown if isinstance(n, Notice)]


def shown_json() -> dict[str, Any]:
    result = runner.invoke(app, ["show", ROLE, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def full_round(coach: Coach, date: str = "2026-11-20", medium: str = "theatre") -> None:
    """A full prep of the round (every question answered, the medium given)."""
    plan = coach.plan_prep(ROLE, project=PROJECT, path="full", date=date)
    answers = full_answers(plan.checklists)
    answers["refine-intention"]["medium"] = medium
    coach.save_answers(plan, answers)


def test_a_first_quick_prep_reads_only_what_it_asked(coach: Coach) -> None:
    plan = quick_plan(coach)
    assert asked(plan) == FIRST_QUICK
    asker = ScriptedAsker(
        {**QUICK_ANSWERS, "refine-intention.medium": "theatre", **ALL_YES}, choices=["save"]
    )
    note = coach.run_session(plan, asker).note
    # Never asked, nowhere earlier: not "empty", not offered; one calm line says so.
    assert not [text for text in notices(asker) if "empty" in text]
    assert [menu for menu, _ in asker.menus] == ["What now?"], "nothing offered to fill"
    assert notices(asker).count(UNASKED_WORDS) == 1
    assert "Your want: to be heard" in notices(asker), "what was asked is read back"
    assert asker.asked == FIRST_QUICK
    assert note.answers["closing-check"] == dict.fromkeys(CLOSING, True)


def test_a_first_quick_prep_still_guards_an_answer_once_it_is_asked(coach: Coach) -> None:
    # "Not yet" on the want and the turns: the coach asks the turns (never asked before),
    # left empty; now they were asked, so a yes beside them is not taken as it is.
    asker = ScriptedAsker(
        {**QUICK_ANSWERS, **ALL_YES, "refine-intention.beats": None,
         "closing-check.intention-refined": answer_sequence(False, True)},
        choices=["question", "onward", "save"],
    )  # fmt: skip
    note = coach.run_session(quick_plan(coach), asker).note
    assert asker.asked[7:10] == [
        "closing-check.intention-refined",
        "refine-intention.beats",
        "closing-check.intention-refined",
    ]
    beats = "Your answer to “Where does your feeling change, and what sets off each…”"
    assert f"{beats} is empty." in notices(asker)
    assert asker.menus[1][0] == f"{beats} is empty: answer it now?"
    assert note.answers["closing-check"]["intention-refined"] is False


def test_a_first_quick_prep_asks_the_medium_and_the_round_records_it(coach: Coach) -> None:
    asker = CarriesOn({**QUICK_ANSWERS, "refine-intention.medium": "self-tape", **ALL_YES})
    note = coach.run_session(quick_plan(coach), asker).note
    assert note.answers["refine-intention"]["medium"] == "self-tape"
    (prep,) = shown_json()["rounds"][0]["preps"]
    assert prep["medium"] == "self-tape" and prep["path"] == "quick"
    card = runner.invoke(app, ["card", ROLE, "--format", "md"])
    assert "self-tape" in card.stdout


def test_a_later_rounds_quick_prep_carries_the_medium(coach: Coach) -> None:
    full_round(coach)
    coach.save_answers(coach.plan_review(ROLE, project=PROJECT, outcome="callback"), REVIEW)
    plan = quick_plan(coach, "2026-11-27")
    assert plan.round == "callback-2"
    assert asked(plan) == QUICK, "the medium is known: not asked again"
    asker = CarriesOn({**QUICK_ANSWERS, **ALL_YES})
    note = coach.run_session(plan, asker).note
    assert "refine-intention.medium" not in asker.asked
    assert note.meta["medium"] == "theatre", "carried into the note as it was"
    assert "medium" not in note.answers["refine-intention"], "not an answer given tonight"
    rounds = shown_json()["rounds"]
    assert rounds[1]["preps"][0]["medium"] == "theatre"
    # The closing check reads what earlier notes carried, as before; what the quick path
    # did not ask tonight and nothing carried (the refresh) is not called empty.
    said = notices(asker)
    carried = "answer to prepare-for-redirection.clarifying-question"
    assert f"Your question for an unclear note: {carried}" in said
    assert "Your keep: The pause before the last line" in said
    assert "Your line to tell yourself: answer to mindset.affirmation" in said
    assert not [text for text in said if "empty" in text]
    assert said.count(UNASKED_WORDS) == 1


def test_a_second_prep_of_the_round_reads_the_first_one(coach: Coach) -> None:
    # The full prep the night before, the quick one an hour before: everything the closing
    # check reads was answered, so it is all read back.
    full_round(coach, "2026-11-25")
    plan = quick_plan(coach)
    assert plan.round == "callback-1"
    assert asked(plan) == QUICK
    asker = ScriptedAsker({**QUICK_ANSWERS, **ALL_YES}, choices=["save"])
    note = coach.run_session(plan, asker).note
    said = notices(asker)
    assert "Your keep: answer to recall-what-worked.what-worked" in said
    assert not [text for text in said if "empty" in text] and UNASKED_WORDS not in said
    assert note.meta["medium"] == "theatre"


def test_the_menu_counts_the_medium_only_while_it_is_unknown(coach: Coach) -> None:
    first = coach.plan_prep(ROLE, project=PROJECT, asker=ScriptedAsker())
    assert dict(path_menu(coach.catalogue(), first.extra))["quick"].startswith(
        f"Quick prep · {len(FIRST_QUICK)} questions"
    )
    full_round(coach)
    coach.save_answers(coach.plan_review(ROLE, project=PROJECT, outcome="callback"), REVIEW)
    later = coach.plan_prep(ROLE, project=PROJECT, asker=ScriptedAsker())
    assert later.ask_path
    assert dict(path_menu(coach.catalogue(), later.extra))["quick"].startswith(
        f"Quick prep · {len(QUICK)} questions"
    )
    # The full path picked from the menu asks the medium (offered as it was): it is an
    # answer of the note, not a front-matter key as well.
    asker = ScriptedAsker(choices=["full"])
    with pytest.raises(ScriptExhausted, match=r"refine-intention\.want"):  # (enough seen)
        coach.run_session(later, asker)
    assert asker.defaults_seen["refine-intention.medium"] == "theatre"
    assert "medium" not in later.extra


def test_one_checklist_of_a_later_round_carries_the_medium(coach: Coach) -> None:
    full_round(coach)
    coach.save_answers(coach.plan_review(ROLE, project=PROJECT, outcome="callback"), REVIEW)
    plan = coach.plan_prep(ROLE, project=PROJECT, checklist_ids=["mindset"], date="2026-11-27")
    note = coach.save_answers(plan, {"mindset": {"calm": 7}})
    assert note.meta["medium"] == "theatre"


def test_a_quick_round_after_a_quick_round_calls_nothing_unasked_empty(coach: Coach) -> None:
    first = ScriptedAsker(
        {**QUICK_ANSWERS, "refine-intention.medium": "theatre", **ALL_YES}, choices=["save"]
    )
    coach.run_session(quick_plan(coach), first)
    coach.save_answers(coach.plan_review(ROLE, project=PROJECT, outcome="callback"), REVIEW)
    plan = quick_plan(coach, "2026-11-27")
    assert plan.round == "callback-2" and asked(plan) == QUICK
    asker = ScriptedAsker({**QUICK_ANSWERS, **ALL_YES}, choices=["save"])
    note = coach.run_session(plan, asker).note
    said = notices(asker)
    assert not [text for text in said if "empty" in text]
    assert [menu for menu, _ in asker.menus] == ["What now?"], "nothing offered to fill"
    assert said.count(UNASKED_WORDS) == 1
    assert note.answers["closing-check"] == dict.fromkeys(CLOSING, True)


def test_an_answer_left_empty_is_not_offered_again_at_once(coach: Coach) -> None:
    # A full prep with the turns left blank: the yes is not taken; "leave it" keeps a not
    # yet, and the next menu is not a second offer to answer the same turns.
    plan = coach.plan_prep(ROLE, project=PROJECT, path="full", date="2026-11-25")
    answers = full_answers(plan.checklists)
    answers["refine-intention"]["beats"] = None
    answers["closing-check"] = {}
    asker = CarriesOn(
        {f"{cid}.{qid}": v for cid, qs in answers.items() for qid, v in qs.items()} | {**ALL_YES}
    )
    note = coach.run_session(plan, asker).note
    beats = "Your answer to “Where does your feeling change, and what sets off each…”"
    menus = [menu for menu, _ in asker.menus]
    at = menus.index(f"{beats} is empty: answer it now?")
    assert "Go back to" not in menus[at + 1] and "Answer it now?" not in menus[at + 1]
    assert note.answers["closing-check"]["intention-refined"] is False


def test_the_question_offer_says_answering_for_an_empty_answer(coach: Coach) -> None:
    # A "not yet" on the want's question while the turns were never asked: the offer is
    # to answer them, not to go back to them.
    asker = ScriptedAsker(
        {**QUICK_ANSWERS, **ALL_YES, "refine-intention.medium": "theatre",
         "refine-intention.beats": "the letter, then the door",
         "closing-check.intention-refined": answer_sequence(False, True)},
        choices=["question", "save"],
    )  # fmt: skip
    note = coach.run_session(quick_plan(coach), asker).note
    offer, labels = asker.menus[0][0], asker.labels[0]
    # (Never asked on this path: nothing on the screen is "that answer".)
    assert offer == (
        "Not yet, then: filling in the answer this prep skipped might help. Fill it in now?"
    )
    assert labels[1] == "Carry on without it"
    assert labels[0].startswith("Fill in your answer to “Where does your feeling change")
    assert note.answers["refine-intention"]["beats"] == "the letter, then the door"
    assert note.answers["closing-check"]["intention-refined"] is True


def test_going_back_on_a_first_round_asks_as_the_check_does(coach: Coach) -> None:
    # A first round's recall checklist, left blank; "not yet" on knowing what worked,
    # back to the checklist, a keep typed and the refresh left blank: the keep is listed
    # once (in the first round's words), the question comes back beside what it reads,
    # and a yes beside the empty refresh is not taken as it is.
    plan = coach.plan_prep(
        ROLE, project=PROJECT, checklist_ids=["recall-what-worked"], date="2026-11-25"
    )
    seen: list[list[str]] = []

    def summary(plan: Any, answers: Any) -> str:
        from callback_coach.core.session import in_play

        seen.append([f"{c.id}.{q.id}" for c in in_play(plan, answers) for q in c.questions])
        return "summary"

    class GoesBack(ScriptedAsker):
        """Goes back where it is offered, leaves an empty answer as it is, saves."""

        def choose(self, message: str, options: Any, default: str | None = None) -> str:
            values = [value for value, _ in options]
            pick = "revisit" if "revisit" in values else "onward" if "onward" in values else "save"
            self.choices = [pick]
            return super().choose(message, options, default)

    asker = GoesBack(
        {"recall-what-worked.what-worked": answer_sequence(None, "My laugh"),
         "closing-check.know-what-worked": answer_sequence(False, True)},
    )  # fmt: skip
    note = coach.run_session(plan, asker, summary=summary).note
    assert seen[-1].count("recall-what-worked.what-worked") == 1
    said = notices(asker)
    assert "Your keep: My laugh" in said and "Your refresh is empty." in said
    assert "Your refresh is empty: answer it now?" in [menu for menu, _ in asker.menus]
    assert note.answers["closing-check"]["know-what-worked"] is False
    assert note.answers["recall-what-worked"]["what-worked"] == "My laugh"


def test_going_back_on_the_quick_path_reaches_what_the_question_reads(coach: Coach) -> None:
    # The quick path asks none of the keep and the refresh; going back to Recall what
    # worked after a "not yet" asks them too.
    answers = {**QUICK_ANSWERS, "refine-intention.medium": "theatre", **ALL_YES,
               "recall-what-worked.what-worked": "the stillness",
               "recall-what-worked.refresh": "a slower exit",
               "closing-check.know-what-worked": answer_sequence(False, True)}  # fmt: skip
    asker = ScriptedAsker(answers, choices=["revisit", "save"])
    note = coach.run_session(quick_plan(coach), asker).note
    assert "recall-what-worked.what-worked" in asker.asked
    assert "recall-what-worked.refresh" in asker.asked
    assert note.answers["recall-what-worked"]["refresh"] == "a slower exit"
    assert note.answers["closing-check"]["know-what-worked"] is True
