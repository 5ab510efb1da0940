"""One callback as an actor lives it (issue 18), typed at the installed `coach` in a real
pseudo-terminal: the full prep the night before, `today`, a quick prep an hour before, the
card with the time, the place and an open to-do, the to-do done, the review opening with
the plan, the news, and the next round's prep starting from all of it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pexpect
import pytest

from callback_coach.core.questions import Question
from callback_coach.core.session import condition_holds
from callback_coach.core.workflow import Coach

from .helpers import saved_notes
from .test_e2e import CTRL_C, CTRL_U, DOWN, ENTER, ESC_ENTER, answer, finish, spawn

pytestmark = pytest.mark.e2e

TIME, PLACE, OFFICE = "2:30pm", "Studio 4, 12 Lake Road", "Rivera Casting"
STILL_WORKING = "yes, still working on them"
PAGES_TODO = "Work the new pages as fully as the old ones"
WANT = "to corner him"


def run(coach_bin: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COACH_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run(
        [coach_bin, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def pick(child: pexpect.spawn, question: Question, choice: str) -> str:
    child.expect_exact(question.prompt[:48])
    child.expect_exact("›")
    # (A question that may be skipped, offering nothing, opens on "(leave it blank)".)
    blank = not question.required and question.default is None
    child.send(DOWN * (question.choices.index(choice) + blank) + ENTER)
    return choice


def type_text(child: pexpect.spawn, question: Question, text: str) -> str:
    child.expect_exact(question.prompt[:48])
    child.expect_exact("›")
    child.send(CTRL_U + text + ENTER)
    return text


def night_before(child: pexpect.spawn, home: Path) -> dict[str, dict[str, object]]:
    """The full prep, every question answered; the logistics as the actor knows them."""
    plan = Coach(home).plan_prep("Dana", project="Pilot", path="full")
    given: dict[str, dict[str, object]] = {}
    special = {"time": TIME, "place": PLACE, "casting-office": OFFICE, "want": WANT}
    for checklist in plan.checklists:
        for question in checklist.questions:
            if not condition_holds(question.when, given, {}):
                continue
            if question.id == "new-sides":
                value: object = pick(child, question, STILL_WORKING)
            elif question.id in special and question.type == "text":
                value = type_text(child, question, special[question.id])
            else:
                value = answer(child, checklist.id, question)
            given.setdefault(checklist.id, {})[question.id] = value
    return given


def test_one_callback_from_the_night_before_to_the_next_round(home: Path, coach_bin: str) -> None:
    # The night before: the full prep.
    child = spawn(coach_bin, home, "prep", "Dana", "--project", "Pilot")
    child.expect_exact("How much time do you have?")
    child.send(ENTER)  # full prep
    child.expect_exact("When is the callback?")
    child.expect_exact("›")
    child.send(ENTER)  # tomorrow
    given = night_before(child, home)
    child.expect_exact("What now?")
    child.send(ENTER)
    child.expect_exact("Saved your prep for Dana (callback-1)")
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)
    assert finish(child) == 0
    (prep,) = saved_notes(home)
    assert prep.answers["logistics"]["time"] == TIME
    assert prep.answers["logistics"]["new-sides"] == STILL_WORKING

    # `coach today` says when and where, and the pages still to learn.
    today = run(coach_bin, home, "today")
    assert today.returncode == 0, today.stderr
    assert f"tomorrow {TIME}  Dana · Pilot · callback-1 · {PLACE}" in today.stdout
    assert PAGES_TODO in today.stdout

    # An hour before: a quick prep of the same round; "not steady" offers a breathing round.
    child = spawn(coach_bin, home, "prep", "Dana")
    child.expect_exact("Add to your callback-1 prep")
    child.send(ENTER)
    child.expect_exact("How much time do you have?")
    child.send(DOWN + ENTER)  # quick prep
    quick = Coach(home).plan_prep("Dana", path="quick")
    for checklist in quick.checklists:
        for question in checklist.questions:
            child.expect_exact(question.prompt[:48])
            child.expect_exact("›")
            if not checklist.closing:
                # What the night before said is offered: the actor keeps it.
                child.send(ESC_ENTER if question.type == "long_text" else ENTER)
            elif question.offer == "breathe":
                child.send("n")
                child.expect_exact("Not yet, then: a breathing round now might steady you.")
                child.expect_exact("Carry on without it")
                child.send(DOWN + ENTER)  # carry on: the honest "not yet" is kept
            else:
                child.send("y")
    child.expect_exact("What now?")
    child.send(ENTER)
    child.expect_exact("Saved your prep for Dana (callback-1)")
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(ENTER)  # the card, in the terminal
    child.expect_exact("When")
    child.expect_exact(TIME)
    child.expect_exact("Where")
    child.expect_exact(PLACE)
    child.expect_exact("To do")
    child.expect_exact(PAGES_TODO)
    child.expect_exact("Want")
    child.expect_exact(WANT)
    assert finish(child) == 0
    quick_prep = next(n for n in saved_notes(home) if n.path.name.endswith("prep-2.md"))
    assert quick_prep.answers["logistics"]["place"] == PLACE
    assert quick_prep.meta["path"] == "quick"
    assert False in quick_prep.answers["closing-check"].values()

    # The pages learnt: the to-do is done and leaves the card.
    items = json.loads(run(coach_bin, home, "follow-ups", "--json").stdout)["follow_ups"]
    (todo,) = [i for i in items if i["source"] == "todo"]
    assert todo["what"] == PAGES_TODO and todo["due"] == prep.date
    assert run(coach_bin, home, "follow-ups", "done", todo["id"]).returncode == 0
    card = run(coach_bin, home, "card", "Dana")
    assert card.returncode == 0 and PAGES_TODO not in card.stdout and TIME in card.stdout

    # After the room: the review opens with the plan.
    after = Coach(home).plan_review("Dana").checklists[0]
    child = spawn(coach_bin, home, "review", "Dana")
    # (The story runs in one day: the callback, tomorrow, comes early.)
    child.expect_exact("Dana's callback-1 is tomorrow, still to come.")
    child.send(ENTER)  # "It happened today"
    child.expect_exact("What you prepared for callback-1")
    child.expect_exact(WANT)
    child.expect_exact(str(given["prepare-for-redirection"]["clarifying-question"]))
    typed: dict[str, object] = {}
    for question in after.questions:
        if condition_holds(question.when, {after.id: typed}, {}):
            typed[question.id] = answer(child, after.id, question)
    child.expect_exact("What is the outcome so far?")
    child.send(ENTER)  # pending
    child.expect_exact("What now?")
    child.send(ENTER)
    child.expect_exact("Saved your review for Dana (callback-1)")
    assert finish(child) == 0

    # The news, then the next round: last time's office is already filled in.
    assert run(coach_bin, home, "outcome", "Dana", "callback").returncode == 0
    child = spawn(coach_bin, home, "prep", "Dana")
    child.expect_exact("How much time do you have?")
    child.send(ENTER)
    child.expect_exact("When is the callback?")
    child.expect_exact("›")
    child.send(CTRL_U + "+3" + ENTER)
    child.expect_exact("callback-2")
    child.expect_exact("Last time: callback-1")
    child.expect_exact(str(typed["one-thing"]))
    child.expect_exact("What time is your call?")  # a new round: the time is asked anew
    child.expect_exact("›")
    child.send("11am" + ENTER)
    child.expect_exact("Where is it?")
    child.expect_exact("›")
    child.send(ENTER)
    child.expect_exact("Which casting office")
    child.expect_exact(OFFICE)  # carried from the last round
    child.send(CTRL_C)
    child.expect_exact("Your 1 answer is kept in a draft")
    assert finish(child) == 130
