"""The installed `coach` in a real pseudo-terminal, typed at as a person would (POSIX)."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from pathlib import Path

import pexpect
import pytest

from callback_coach.cli.asker import HABIT_ENTER_SECONDS
from callback_coach.core.questions import Question
from callback_coach.core.session import condition_holds
from callback_coach.core.workflow import Coach
from callback_coach.store.facts import is_answered

from .helpers import saved_notes

pytestmark = pytest.mark.e2e

ENTER, ESC_ENTER, CTRL_C, CTRL_U, DOWN = "\r", "\x1b\r", "\x03", "\x15", "\x1b[B"


def spawn(coach_bin: str, home: Path, *args: str) -> pexpect.spawn:
    env = {
        **os.environ,
        "COACH_HOME": str(home),
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "COLUMNS": "200",
        "LINES": "50",
        # A bare pty never answers prompt_toolkit's cursor-position request, so every
        # prompt would wait ~1 s for it; real terminals (and tmux) answer at once.
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    child = pexpect.spawn(
        coach_bin, list(args), env=env, encoding="utf-8", dimensions=(50, 200), timeout=20
    )
    return child


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def typed_answer(checklist_id: str, question: Question) -> str:
    return f"{checklist_id} {question.id} – ça va 🎭"


def answer(child: pexpect.spawn, checklist_id: str, question: Question) -> object:
    """Wait for the question, answer it as a person would, and return the expected value."""
    # The start of the prompt: a long one wraps (between words) in a narrower terminal.
    child.expect_exact(question.prompt[:48])
    child.expect_exact("›")
    text = typed_answer(checklist_id, question)
    if question.type == "text":
        child.send(CTRL_U + text + ENTER)
        return text
    if question.type == "long_text":
        child.send(text + ENTER + "second line")
        child.send(ESC_ENTER)
        return text + "\nsecond line"
    if question.type == "confirm":
        child.send("y")
        # A person reads the next question first: an Enter at once would be dropped as
        # the habit of finishing with Enter (asker.HABIT_ENTER_SECONDS).
        time.sleep(HABIT_ENTER_SECONDS + 0.2)
        return True
    if question.type in ("select", "scale"):
        child.send(DOWN + ENTER)
        # One step down from the first entry: "(leave it blank)" opens a question that may
        # be skipped and offers no answer, so one step down is then the first choice.
        step = 0 if not question.required and question.default is None else 1
        if question.type == "scale":
            return (question.min or 1) + step
        return question.choices[step]
    if question.type == "multiselect":
        child.send(" " + ENTER)
        return [question.choices[0]]
    raise AssertionError(question.type)


def answer_closing(
    child: pexpect.spawn, plan, answers: dict[str, dict[str, object]], question: Question
) -> None:
    """Answer a closing-check question yes, as a person who feels ready would. Where an
    answer it relies on is empty the coach does not take the yes: it offers to fill it;
    take the offer, answer, and say yes again, for each empty one in turn. (An answer
    its path never asked, and no earlier note gave, is not offered.) `answers` gets what
    was typed."""
    closing = next(c for c in plan.checklists if c.closing)
    answers.setdefault(closing.id, {})[question.id] = answer(child, closing.id, question)
    if question.type != "confirm":
        return
    on_path = {f"{c.id}.{q.id}" for c in plan.checklists for q in c.questions}
    for ref in question.relies_on:
        if ref not in plan.relied or ref not in on_path:
            continue
        cid, qid = ref.split(".", 1)
        if is_answered(answers.get(cid, {}).get(qid, plan.defaults.get(ref))):
            continue
        child.expect_exact("answer it now?")
        child.send(ENTER)  # "Answer it now" is offered first
        source, relied = plan.relied[ref]
        answers.setdefault(source.id, {})[relied.id] = answer(child, source.id, relied)
        answer(child, closing.id, question)  # asked again, now with something behind it


def prep_checklists(home: Path, *args: str, **kwargs):
    """The checklists exactly as the coach will ask them for this role now."""
    return Coach(home).plan_prep(*args, **kwargs).checklists


def tomorrow() -> str:
    return (dt.date.today() + dt.timedelta(days=1)).isoformat()


def take_the_offered_date(child: pexpect.spawn) -> None:
    """A new prep asks the callback's day, tomorrow offered: take it."""
    child.expect_exact("When is the callback?")
    child.expect_exact("›")
    child.send(ENTER)


def test_a_full_prep_keeps_every_typed_answer(home: Path, coach_bin: str) -> None:
    checklists = prep_checklists(home, "Nina", project="The Seagull")
    recall = next(c for c in checklists if c.id == "recall-what-worked")
    assert "first audition" in recall.question("what-worked").prompt
    child = spawn(coach_bin, home, "prep", "Nina", "--project", "The Seagull")
    child.expect_exact("How much time do you have?")
    child.expect_exact("Full prep · ")
    child.send(ENTER)  # the full prep is offered first
    take_the_offered_date(child)
    child.expect_exact(f"callback-1  ·  prep  ·  {tomorrow()}")
    expected: dict[str, dict[str, object]] = {}
    for checklist in checklists:
        child.expect(re.escape(checklist.title))
        for question in checklist.questions:
            if not condition_holds(question.when, expected, {}):
                continue  # e.g. the self-tape block when the medium is not a self-tape
            expected.setdefault(checklist.id, {})[question.id] = answer(
                child, checklist.id, question
            )
    child.expect_exact("What now?")
    child.send(ENTER)
    child.expect_exact("Saved your prep for Nina (callback-1)")
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)  # Not now
    assert finish(child) == 0
    notes = saved_notes(home)
    assert len(notes) == 1
    assert notes[0].answers == expected
    text = notes[0].path.read_text(encoding="utf-8")
    assert "refine-intention want – ça va 🎭" in text, "answers are readable in the file"


def test_ctrl_c_keeps_a_draft_and_the_next_prep_resumes(home: Path, coach_bin: str) -> None:
    refine, *closing = prep_checklists(home, "Nina", checklist_ids=["refine-intention"])
    first, second, third = refine.questions[:3]

    child = spawn(coach_bin, home, "prep", "Nina", "--checklist", "refine-intention")
    take_the_offered_date(child)
    got = {first.id: answer(child, refine.id, first), second.id: answer(child, refine.id, second)}
    child.expect_exact(third.prompt)
    child.expect_exact("›")
    child.send("half-typed")
    child.send(CTRL_C)
    child.expect_exact(
        "Stopped. Your 2 answers and what you were typing are kept in a draft; run "
        "`coach prep Nina` to resume."  # the draft says the round, the day and the checklist
    )
    assert finish(child) == 130
    assert saved_notes(home) == []

    child = spawn(coach_bin, home, "prep", "Nina", "--checklist", "refine-intention")
    child.expect_exact(
        "You have an unfinished prep for Nina (callback-1) with 2 answers. Resume it?"
    )
    child.send(ENTER)
    child.expect_exact("Refine intention")
    before = child.before
    # What was typed before Ctrl-C is offered as the start of the third answer.
    assert third.type == "text"
    child.expect_exact(third.prompt[:48])
    child.expect_exact("half-typed")
    child.send(" and the rest" + ENTER)
    got[third.id] = "half-typed and the rest"
    before += child.before
    for question in refine.questions[3:]:
        got[question.id] = answer(child, refine.id, question)
        before += child.before
    for check in closing:  # the closing check's part for this checklist
        for question in check.questions:
            answer(child, check.id, question)
    assert first.prompt not in before and second.prompt not in before, "only what is left is asked"
    child.expect_exact("What now?")
    child.send(ENTER)
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)
    assert finish(child) == 0
    (note,) = saved_notes(home)
    assert note.answers["refine-intention"] == got
    assert not list((home / "drafts").glob("*.yaml"))


def test_ctrl_c_in_a_long_answer_keeps_its_lines_for_the_resumed_prep(
    home: Path, coach_bin: str
) -> None:
    import shlex

    from callback_coach.store.drafts import DraftStore

    refine, *closing = prep_checklists(home, "Nina", checklist_ids=["refine-intention"])
    *before, obstacle = refine.questions[:4]
    assert obstacle.type == "long_text"
    child = spawn(coach_bin, home, "prep", "Nina", "--checklist", "refine-intention")
    take_the_offered_date(child)
    got = {question.id: answer(child, refine.id, question) for question in before}
    child.expect_exact(obstacle.prompt)
    child.expect_exact("›")
    child.send("His mother, at the door" + ENTER + "strongest when he laughs" + ENTER)
    child.send(CTRL_C)
    child.expect(
        r"Stopped\. Your 3 answers and what you were typing are kept in a draft; "
        r"run `([^`]+)` to resume\."
    )
    command = child.match.group(1)
    assert finish(child) == 130
    (draft,) = DraftStore(home).find("prep", "Nina", None, None)
    assert draft.count() == 3, "what was being typed is not an answer"
    assert obstacle.id not in draft.answers["refine-intention"]
    lines = "His mother, at the door\nstrongest when he laughs"
    assert draft.unfinished == {f"refine-intention.{obstacle.id}": lines}
    assert saved_notes(home) == []

    # The printed command resumes: the two lines are offered as the start of the answer.
    words = shlex.split(command)
    assert words[0] == "coach"
    child = spawn(coach_bin, home, *words[1:])
    child.expect_exact("Resume it?")
    child.send(ENTER)
    child.expect_exact(obstacle.prompt)
    child.expect_exact("›")
    child.expect_exact("His mother, at the door")
    child.expect_exact("strongest when he laughs")
    child.send(ENTER + "and when he leaves" + ESC_ENTER)
    got[obstacle.id] = lines + "\nand when he leaves"
    for question in refine.questions[4:]:
        got[question.id] = answer(child, refine.id, question)
    for check in closing:
        for question in check.questions:
            answer(child, check.id, question)
    child.expect_exact("What now?")
    child.send(ENTER)
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)
    assert finish(child) == 0
    (note,) = saved_notes(home)
    assert note.answers["refine-intention"] == got
    assert "unfinished" not in note.meta
    assert not list((home / "drafts").glob("*.yaml"))


def test_prep_review_prep_shows_what_worked_last_time(home: Path, coach_bin: str) -> None:
    # Round one: a short prep, then the review, both typed in the terminal.
    child = spawn(
        coach_bin, home, "prep", "Nina", "--project", "The Seagull", "--checklist", "mindset"
    )
    take_the_offered_date(child)
    for checklist in prep_checklists(
        home, "Nina", project="The Seagull", checklist_ids=["mindset"]
    ):
        given: dict[str, dict[str, object]] = {}
        for question in checklist.questions:
            if condition_holds(question.when, given, {}):
                given.setdefault(checklist.id, {})[question.id] = answer(
                    child, checklist.id, question
                )
    child.expect_exact("What now?")
    child.send(ENTER)
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)
    assert finish(child) == 0

    (after,) = Coach(home).plan_review("Nina").checklists
    typed: dict[str, object] = {}
    child = spawn(coach_bin, home, "review", "Nina")
    # The prep took the offered day, tomorrow: the room came early, today.
    child.expect_exact("Nina's callback-1 is tomorrow, still to come.")
    child.send(ENTER)  # "It happened today"
    child.expect_exact("callback-1")
    for question in after.questions:
        if condition_holds(question.when, {after.id: typed}, {}):
            typed[question.id] = answer(child, after.id, question)
    child.expect_exact("What is the outcome so far?")
    child.send(DOWN + ENTER)  # pending -> callback
    child.expect_exact("Outcome so far:")  # in the summary, before saving
    child.expect_exact("callback")
    child.expect_exact("What now?")
    child.send(ENTER)
    child.expect_exact("Saved your review for Nina (callback-1)")
    assert finish(child) == 0

    # Round two: the screen shows last time's "what worked" before recall-what-worked,
    # and offers it as the answer.
    child = spawn(coach_bin, home, "prep", "Nina", "--checklist", "recall-what-worked")
    take_the_offered_date(child)
    child.expect_exact("callback-2")
    child.expect_exact("Last time: callback-1")
    child.expect_exact("callback")
    what_worked = str(typed["what-worked"]).split("\n")[0]
    child.expect_exact(what_worked)
    plan = Coach(home).plan_prep("Nina", checklist_ids=["recall-what-worked"])
    recall, *closing = plan.checklists
    given: dict[str, dict[str, object]] = {recall.id: {"what-worked": what_worked}}
    for question in recall.questions:
        if not condition_holds(question.when, {}, {}):
            continue
        child.expect_exact(question.prompt)
        child.expect_exact("›")
        if question.id == "what-worked":
            assert question.prompt.startswith("Rewatch your tape or replay the last read")
            child.expect_exact(what_worked)  # pre-filled in the prompt
            child.send(" Keep it." + ESC_ENTER)
        elif question.type == "confirm":
            child.send("y")  # no pre-answered yes: the honest answer is typed
        else:
            child.send(ESC_ENTER if question.type == "long_text" else ENTER)
    for check in closing:
        for question in check.questions:
            answer_closing(child, plan, given, question)
    child.expect_exact("What now?")
    child.send(ENTER)
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)
    assert finish(child) == 0
    notes = sorted(saved_notes(home), key=lambda n: (n.round, n.kind))
    assert [(n.round, n.kind) for n in notes] == [
        ("callback-1", "prep"),
        ("callback-1", "review"),
        ("callback-2", "prep"),
    ]
    recall = notes[2].answers["recall-what-worked"]
    assert recall["what-worked"] == f"{typed['what-worked']} Keep it."
    assert recall["wardrobe"] == typed["wardrobe"]
    assert notes[1].outcome == "callback"


def test_a_role_in_two_projects_asks_which_one(home: Path, coach_bin: str) -> None:
    from .helpers import prep, saved_notes

    coach = Coach(home)
    prep(coach, project="The Seagull")
    prep(coach, project="Uncle Vanya")
    child = spawn(coach_bin, home, "outcome", "nina", "booked")
    child.expect_exact("This role appears in several projects. Which one?")
    child.expect_exact("Uncle Vanya")
    child.send(DOWN + ENTER)
    child.expect_exact("Nina (callback-1): outcome is now booked.")
    assert finish(child) == 0
    outcomes = {n.project: n.outcome for n in saved_notes(home)}
    assert outcomes == {"The Seagull": None, "Uncle Vanya": "booked"}

    child = spawn(coach_bin, home, "show", "Nina")
    child.expect_exact("Which one?")
    child.send(CTRL_C)
    child.expect_exact("Stopped before any question; nothing was written.")
    assert finish(child) == 130


def test_keys_typed_at_a_menu_then_esc_still_pick_a_choice(home: Path, coach_bin: str) -> None:
    # questionary answers "" to Esc after another key at a menu; the coach ignores Esc.
    logistics, *_ = prep_checklists(home, "Nina", checklist_ids=["logistics"])
    child = spawn(coach_bin, home, "prep", "Nina", "-c", "logistics")
    take_the_offered_date(child)
    for question in logistics.questions:
        child.expect_exact(question.prompt[:48])
        child.expect_exact("›")
        if question.type == "select":
            child.send("rev 3")
            time.sleep(0.2)
            child.send("\x1b")
            time.sleep(0.3)  # a lone Esc, as a person presses it
            # (From "(leave it blank)", where a question that may be skipped opens, one
            # step down to the first choice.)
            opens_blank = not question.required and question.default is None
            child.send((DOWN if opens_blank else "") + ENTER)
        else:
            child.send(ENTER)
    child.expect_exact("What now?")
    assert "is not one of" not in child.before
    child.send(ENTER)
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)
    assert finish(child) == 0
    (note,) = saved_notes(home)
    picked = {q.id: q.choices[0] for q in logistics.questions if q.type == "select"}
    assert {k: note.answers["logistics"][k] for k in picked} == picked
