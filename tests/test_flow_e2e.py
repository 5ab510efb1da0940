"""The flow of a prep in a real pseudo-terminal (issue 9): a second round opens with last
time's direction, a quick prep chosen from the menu completes and saves, and the hint
printed after Ctrl-C in a one-checklist session resumes that same short session."""

from __future__ import annotations

import datetime as dt
import io
import shlex
from pathlib import Path

import pytest

from callback_coach.core.prep_paths import path_menu
from callback_coach.core.session import UNASKED_WORDS, condition_holds
from callback_coach.core.workflow import Coach
from callback_coach.store.notes import read_note

from .helpers import saved_notes, write_checklist
from .scripted import ScriptedAsker
from .test_e2e import (
    CTRL_C,
    DOWN,
    ENTER,
    answer,
    answer_closing,
    finish,
    spawn,
    take_the_offered_date,
    tomorrow,
)

pytestmark = pytest.mark.e2e
DIRECTION = "More playful, less tragic"


def test_a_second_round_opens_with_last_rounds_direction(home: Path, coach_bin: str) -> None:
    coach = Coach(home)
    last_week = (dt.date.today() - dt.timedelta(days=7)).isoformat()
    coach.save_answers(
        coach.plan_prep("Nina", project="The Seagull", date=last_week),
        {"refine-intention": {"want": "to be seen"}},
    )
    coach.save_answers(
        coach.plan_review("Nina", outcome="callback"),
        {"after-the-room": {"direction": DIRECTION, "one-thing": "Breathe first"}},
    )
    first = Coach(home).plan_prep("Nina", path="full").checklists[0]

    child = spawn(coach_bin, home, "prep", "Nina", "--full", "--date", "tomorrow")
    child.expect_exact(f"callback-2  ·  prep  ·  {tomorrow()}")
    child.expect_exact(f"Last time: callback-1 · {last_week} · callback")
    child.expect_exact(DIRECTION)
    child.expect_exact("Breathe first")
    child.expect_exact(f"1/{len(Coach(home).plan_prep('Nina', path='full').checklists)} · ")
    assert first.questions[0].prompt not in child.before, "the panel comes first"
    child.expect_exact(first.questions[0].prompt)
    child.expect_exact("›")
    child.send(CTRL_C)
    assert finish(child) == 130


QUICK_WARM_UP = {
    "id": "warm-up",
    "title": "Warm-up",
    "phase": "prep",
    "questions": [
        {
            "id": "voice",
            "prompt": "Which vocal warm-up will you do?",
            "type": "text",
            "quick": True,
        },
        {"id": "long", "prompt": "Describe your full warm-up.", "type": "long_text"},
        {"id": "calm", "prompt": "How calm are you?", "type": "scale", "quick": True},
    ],
}


def test_a_quick_prep_chosen_from_the_menu_completes_and_saves(home: Path, coach_bin: str) -> None:
    write_checklist(home / "checklists", "warm-up.yaml", QUICK_WARM_UP)
    coach = Coach(home)
    plan = coach.plan_prep("Nina", asker=ScriptedAsker())
    (quick_label,) = [
        label for path, label in path_menu(coach.catalogue(), plan.extra) if path == "quick"
    ]
    quick_plan = coach.plan_prep("Nina", path="quick")
    quick = quick_plan.checklists

    child = spawn(coach_bin, home, "prep", "Nina")
    child.logfile_read = screen = io.StringIO()
    child.expect_exact("How much time do you have?")
    child.expect_exact(quick_label)
    child.send(DOWN + ENTER)
    take_the_offered_date(child)
    expected: dict[str, dict[str, object]] = {}
    for checklist in quick:
        for question in checklist.questions:
            if checklist.closing:
                answer_closing(child, quick_plan, expected, question)
            else:
                expected.setdefault(checklist.id, {})[question.id] = answer(
                    child, checklist.id, question
                )
    child.expect_exact("What now?")
    child.send(ENTER)
    child.expect_exact("Saved your prep for Nina (callback-1)")
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)
    assert finish(child) == 0
    asked = screen.getvalue().split("Your answers")[0]
    assert "Which vocal warm-up will you do?" in asked
    assert "Describe your full warm-up." not in screen.getvalue(), "not even in the summary"
    # A first prep: the closing check does not call empty what the quick path never
    # asked (the turns, the second version...); it says once that it skipped them.
    assert "is empty" not in asked and "answer it now?" not in asked
    assert asked.count(UNASKED_WORDS) == 1
    assert "Your want: " in asked, "what was asked is read back"
    (note,) = saved_notes(home)
    assert note.meta["path"] == "quick" and note.date == tomorrow()
    assert {cid: given for cid, given in note.answers.items() if given} == expected
    assert expected["warm-up"].keys() == {"voice", "calm"}
    # Nothing earlier says the medium: the quick path asks it, and the round records it.
    assert note.answers["refine-intention"]["medium"] == "film"  # (↓ from "leave it blank")
    assert set(note.answers["closing-check"].values()) == {True}


def test_the_hint_after_ctrl_c_resumes_the_same_short_session(home: Path, coach_bin: str) -> None:
    mindset, *closing = Coach(home).plan_prep("Nina", checklist_ids=["mindset"]).checklists
    # The questions asked before any answer that a `when` depends on is known.
    plain = [q for q in mindset.questions if condition_holds(q.when, {}, {})]
    child = spawn(coach_bin, home, "prep", "Nina", "-c", "mindset")
    take_the_offered_date(child)
    got = {q.id: answer(child, mindset.id, q) for q in plain[:2]}
    child.expect_exact(plain[2].prompt)
    child.expect_exact("›")
    child.send(CTRL_C)
    child.expect(r"run `(coach [^`]*)` to resume\.")
    hint = child.match.group(1)
    assert finish(child) == 130
    assert hint == "coach prep Nina", "the draft says the round, the day and the checklist"

    child = spawn(coach_bin, home, *shlex.split(hint)[1:])
    child.logfile_read = screen = io.StringIO()
    child.expect_exact("You have an unfinished prep for Nina (callback-1) with 2 answers.")
    child.send(ENTER)
    for question in plain[2:]:
        got[question.id] = answer(child, mindset.id, question)
    for check in closing:
        for question in check.questions:
            answer(child, check.id, question)
    child.expect_exact("What now?")
    asked = screen.getvalue().split("Your answers")[0]  # before the summary of them all
    assert plain[2].prompt in asked and plain[0].prompt not in asked
    assert "Refine intention" not in asked and "When is the callback?" not in asked
    child.send(ENTER)
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)
    assert finish(child) == 0
    (note,) = saved_notes(home)
    saved = read_note(note.path)
    assert saved.answers["mindset"] == got
    assert saved.meta["path"] == "checklist" and saved.date == tomorrow()
    assert [c["id"] for c in saved.meta["checklists"]] == [c.id for c in (mindset, *closing)]


def test_ctrl_c_gives_the_shortest_command_and_it_resumes_the_prep(
    home: Path, coach_bin: str
) -> None:
    """Masha was prepared for The Seagull last week; tonight's prep, for Three Sisters, is
    started with every option and stopped. The command printed names the project only
    (plain `coach prep Masha` would take The Seagull and offer this draft as one left
    elsewhere): run as printed, it offers to resume this draft first, and the prep goes
    on with its round, day, path and answers."""
    coach = Coach(home)
    last_week = (dt.date.today() - dt.timedelta(days=7)).isoformat()
    coach.save_answers(
        coach.plan_prep("Masha", project="The Seagull", date=last_week),
        {"refine-intention": {"want": "to be seen"}},
    )
    day = (dt.date.today() + dt.timedelta(days=4)).isoformat()
    plan = coach.plan_prep("Masha", project="Three Sisters", path="quick", date=day)
    first = [
        (c, q)
        for c in plan.checklists
        for q in c.questions
        if not c.closing and condition_holds(q.when, {}, plan.extra)
    ][:3]
    child = spawn(
        coach_bin,
        home,
        *["prep", "Masha", "--project", "Three Sisters", "--round", "callback-1"],
        *["--date", day, "--quick"],
    )
    kept: dict[str, dict[str, object]] = {}
    for checklist, question in first[:2]:
        kept.setdefault(checklist.id, {})[question.id] = answer(child, checklist.id, question)
    child.expect_exact(first[2][1].prompt[:48])
    child.expect_exact("›")
    child.send(CTRL_C)
    child.expect(r"Stopped\. Your 2 answers are kept in a draft; run `(coach [^`]*)` to resume\.")
    hint = child.match.group(1)
    assert finish(child) == 130
    assert hint == "coach prep Masha --project 'Three Sisters'"

    child = spawn(coach_bin, home, *shlex.split(hint)[1:])
    child.logfile_read = screen = io.StringIO()
    child.expect_exact("You have an unfinished prep for Masha (callback-1) with 2 answers.")
    assert "elsewhere" not in screen.getvalue() and "How much time" not in screen.getvalue()
    child.send(ENTER)
    child.expect_exact(f"callback-1  ·  prep  ·  {day}")
    expected = {cid: dict(values) for cid, values in kept.items()}
    for checklist in plan.checklists:
        for question in checklist.questions:
            if question.id in expected.get(checklist.id, {}):
                continue
            if not condition_holds(question.when, expected, plan.extra):
                continue
            if checklist.closing:
                answer_closing(child, plan, expected, question)
            else:
                expected.setdefault(checklist.id, {})[question.id] = answer(
                    child, checklist.id, question
                )
    child.expect_exact("What now?")
    asked, summary = screen.getvalue().split("Your answers", 1)
    for checklist, question in first[:2]:
        assert question.prompt not in asked, "an answer kept is not asked again"
        assert str(kept[checklist.id][question.id]) in summary, "and it is in the summary"
    child.send(ENTER)
    child.expect_exact("Saved your prep for Masha (callback-1)")
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)
    assert finish(child) == 0
    (note,) = [n for n in saved_notes(home) if n.project == "Three Sisters"]
    assert (note.round, note.date, note.meta["path"]) == ("callback-1", day, "quick")
    for cid, values in kept.items():
        assert {qid: note.answers[cid][qid] for qid in values} == values


def test_ctrl_c_at_a_question_before_the_session_says_nothing_was_written(
    home: Path, coach_bin: str
) -> None:
    from .helpers import prep

    prep(Coach(home), "Nina", project="The Seagull", date="tomorrow")
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    child = spawn(coach_bin, home, "review", "Nina")
    child.expect_exact("Nina's callback-1 is tomorrow, still to come.")
    child.send(CTRL_C)
    child.expect_exact("Stopped before any answer; nothing was written.")
    assert finish(child) == 130
    assert "Traceback" not in child.before
    assert {p: p.read_bytes() for p in home.rglob("*") if p.is_file()} == before
