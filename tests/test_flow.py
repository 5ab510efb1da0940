"""The flow of a prep (issue 9): start from the last round, paths that fit the time you
have, the closing check, rounds that follow the calendar, dates, and drafts you can find.

Driven by a scripted asker on a fixed day (Monday 23 November 2026), with a small set of
checklists of the tests' own in place of the built-in ones, so every count is known.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.cli.session_run import resume_command, run_interactive
from callback_coach.core.asking import Notice
from callback_coach.core.opening import ask_date
from callback_coach.core.prep_paths import checklist_menu, estimate, path_menu
from callback_coach.core.workflow import Coach
from callback_coach.errors import AnswersError, Declined, ExitCode, UsageError
from callback_coach.store import paths
from callback_coach.store.notes import read_note

from .scripted import ScriptedAsker, answer_sequence

MONDAY = dt.date(2026, 11, 23)
runner = CliRunner()

CHECKLISTS = {
    "intent.yaml": """
id: intent
title: Intent
phase: prep
questions:
  - id: want
    prompt: What do you want?
    type: text
    quick: true
  - id: obstacle
    prompt: What is in the way?
    type: long_text
    required: true
  - id: medium
    prompt: Which medium?
    type: select
    choices: [stage, screen, self-tape]
    quick: true
  - id: reader
    prompt: Who reads with you?
    type: text
    required: true
    when: medium=self-tape
""",
    "recall.yaml": """
id: recall
title: Recall
phase: prep
questions:
  - id: worked
    prompt: What worked last time?
    type: long_text
    recall: room.worked
  - id: direction
    prompt: Which direction did you get?
    type: long_text
    recall: room.direction
    quick: true
""",
    "room.yaml": """
id: room
title: Room
phase: review
questions:
  - id: direction
    prompt: What direction did they give you?
    type: long_text
  - id: worked
    prompt: What worked?
    type: long_text
""",
    "closing.yaml": """
id: closing
title: Closing check
phase: prep
closing: true
questions:
  - id: intent-ready
    prompt: Have you sharpened what you want?
    type: confirm
    revisit: intent
  - id: recall-ready
    prompt: Do you remember what worked?
    type: confirm
    revisit: recall
""",
}


@pytest.fixture
def coach(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Coach:
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    for name, text in CHECKLISTS.items():
        (builtin / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "builtin_checklists_dir", lambda: builtin)
    return Coach(home, today=MONDAY)


class Recording(ScriptedAsker):
    """A scripted asker that also keeps the order of everything: shown, section, asked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.events: list[tuple[str, Any]] = []

    def show(self, renderable: Any) -> None:
        self.events.append(("show", renderable))
        super().show(renderable)

    def section(self, checklist, index, total) -> None:
        self.events.append(("section", checklist.id))
        super().section(checklist, index, total)

    def ask(self, checklist, question, default):
        self.events.append(("ask", f"{checklist.id}.{question.id}"))
        return super().ask(checklist, question, default)


def save(coach: Coach, answers: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    plan = coach.plan_prep("Nina", **kwargs)
    return coach.save_answers(plan, answers or {"intent": {"obstacle": "doubt"}})


def text_of(renderable: Any) -> str:
    import io

    from callback_coach.cli.console import new_console

    console = new_console(file=io.StringIO(), width=80, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


# -- 2. paths that fit the time you have ------------------------------------------------


def test_the_paths_are_offered_with_estimates_from_the_questions(coach: Coach) -> None:
    plan = coach.plan_prep("Nina", asker=ScriptedAsker())
    assert plan.ask_path and plan.ask_date
    full = (45 + 90 + 15) + (90 + 90) + (10 + 10)  # `reader` waits for medium=self-tape
    quick = (45 + 15) + 90 + (10 + 10)
    assert (full, quick) == (350, 170)
    assert path_menu(coach.catalogue(), plan.extra) == [
        ("full", "Full prep · 7 questions · about 6 min"),
        ("quick", "Quick prep · 5 questions · about 3 min"),
        ("checklist", "Just one checklist…"),
    ]
    assert checklist_menu(coach.catalogue(), plan.extra) == [
        ("intent", "Intent · 3 questions · about 3 min"),
        ("recall", "Recall · 2 questions · about 3 min"),
    ]
    # A detail the round carries (here: a self-tape) counts the questions it brings in.
    plan.extra["medium"] = "self-tape"
    assert path_menu(coach.catalogue(), plan.extra)[0] == (
        "full",
        "Full prep · 8 questions · about 7 min",
    )


def test_the_estimate_covers_every_question_type() -> None:
    from callback_coach.core.checklist import QUESTION_TYPES
    from callback_coach.core.questions import TYPES, Question

    assert all(TYPES[t].seconds > 0 for t in QUESTION_TYPES)
    questions = [Question(id=t.replace("_", "-"), prompt="?", type=t) for t in QUESTION_TYPES]
    assert estimate(questions).minutes == 4  # 190 seconds, rounded up
    assert estimate([]).minutes == 1


def test_a_quick_prep_asks_the_quick_questions_then_the_closing_check(coach: Coach) -> None:
    asker = ScriptedAsker(
        {
            "callback.date": "tomorrow",
            "intent.want": "to win",
            "closing.intent-ready": True,
            "closing.recall-ready": True,
        },
        choices=["quick", "save"],
    )
    plan = coach.plan_prep("Nina", asker=asker)
    note = coach.run_session(plan, asker).note
    assert asker.menus[0] == ("How much time do you have?", ["full", "quick", "checklist"])
    assert asker.asked == [
        "callback.date",
        "intent.want",
        "intent.medium",
        "recall.direction",
        "closing.intent-ready",
        "closing.recall-ready",
    ]
    saved = read_note(note.path)
    assert saved.meta["path"] == "quick" and saved.date == "2026-11-24"
    assert {cid: given for cid, given in saved.answers.items() if given} == {
        "intent": {"want": "to win"},
        "closing": {"intent-ready": True, "recall-ready": True},
    }


def test_just_one_checklist_asks_it_and_its_part_of_the_closing_check(coach: Coach) -> None:
    asker = ScriptedAsker({"intent.obstacle": "doubt"}, choices=["checklist", "intent", "save"])
    plan = coach.plan_prep("Nina", date="2026-11-24", asker=asker)
    note = coach.run_session(plan, asker).note
    assert asker.menus[1][0] == "Which checklist?"
    assert asker.asked == [
        "intent.want",
        "intent.obstacle",
        "intent.medium",
        "closing.intent-ready",
    ]
    assert read_note(note.path).meta["path"] == "checklist"
    assert [c.id for c in plan.checklists] == ["intent", "closing"]


def test_quick_and_full_choose_without_asking(coach: Coach) -> None:
    quick = coach.plan_prep("Nina", path="quick", asker=ScriptedAsker())
    assert not quick.ask_path and quick.path == "quick"
    assert [(c.id, [q.id for q in c.questions]) for c in quick.checklists] == [
        ("intent", ["want", "medium"]),
        ("recall", ["direction"]),
        ("closing", ["intent-ready", "recall-ready"]),
    ]
    full = coach.plan_prep("Nina", path="full", asker=ScriptedAsker())
    assert not full.ask_path and full.path == "full" and len(full.checklists) == 3
    chosen = coach.plan_prep("Nina", path="quick", checklist_ids=["recall"])
    assert [(c.id, [q.id for q in c.questions]) for c in chosen.checklists] == [
        ("recall", ["direction"]),
        ("closing", ["recall-ready"]),
    ]
    with pytest.raises(UsageError, match="--full runs every checklist"):
        coach.plan_prep("Nina", path="full", checklist_ids=["intent"])


def test_quick_and_full_on_the_command_line(coach: Coach, home: Path) -> None:
    both = runner.invoke(app, ["prep", "Nina", "--quick", "--full", "--defaults"])
    assert both.exit_code == ExitCode.USAGE
    assert (
        both.stderr == "error: --quick and --full cannot be used together (see coach prep --help)\n"
    )
    mixed = runner.invoke(app, ["prep", "Nina", "--full", "-c", "intent", "--defaults"])
    assert mixed.exit_code == ExitCode.USAGE
    given = json.dumps({"intent": {"want": "to win", "obstacle": "kept, off the path"}})
    ok = runner.invoke(app, ["prep", "Nina", "--quick", "--answers", "-"], input=given)
    assert ok.exit_code == 0, ok.stderr
    note = read_note(Path(ok.stdout.strip()))
    assert note.meta["path"] == "quick"
    assert note.answers["intent"] == {"want": "to win", "obstacle": "kept, off the path"}


def test_a_scripted_prep_takes_the_full_path(coach: Coach) -> None:
    note = save(coach)
    assert read_note(note.path).meta["path"] == "full"
    with pytest.raises(AnswersError) as info:
        save(coach, {"intent": {"want": "x"}}, round_label="audition")
    assert info.value.details == ["answers: intent.obstacle: required, but no answer"]
    # On the quick path only the quick questions can be required.
    quick = save(coach, {"intent": {"want": "x"}}, path="quick", round_label="audition")
    assert read_note(quick.path).meta["path"] == "quick"


def test_a_quick_note_is_an_ordinary_prep_note_with_its_path_in_json(coach: Coach) -> None:
    from callback_coach.exports.json_shapes import note_json

    note = read_note(save(coach, {"intent": {"want": "x"}}, path="quick").path)
    data = note_json(note, coach.catalogue())
    assert (data["kind"], data["path"]) == ("prep", "quick")
    assert "path" not in data["extra"]


# -- `when`: a question asked only when an earlier answer (or a detail) says so ---------


def test_a_question_whose_condition_does_not_hold_is_not_asked(coach: Coach) -> None:
    stage = ScriptedAsker({"intent.obstacle": "x", "intent.medium": "stage"}, choices=["save"])
    coach.run_session(coach.plan_prep("Nina", checklist_ids=["intent"]), stage)
    assert "intent.reader" not in stage.asked

    tape = ScriptedAsker(
        {"intent.obstacle": "x", "intent.medium": "self-tape", "intent.reader": "Sam"},
        choices=["save"],
    )
    note = coach.run_session(coach.plan_prep("Nina", round_label="callback-2"), tape).note
    assert tape.asked.index("intent.reader") == tape.asked.index("intent.medium") + 1
    assert note.answers["intent"]["reader"] == "Sam"


def test_a_carried_detail_answers_a_condition(coach: Coach) -> None:
    plan = coach.plan_prep("Nina", checklist_ids=["intent"])
    plan.extra["medium"] = "Self-tape"  # from the round's notes; case and spacing aside
    asker = ScriptedAsker({"intent.obstacle": "x", "intent.reader": "Sam"}, choices=["save"])
    coach.run_session(plan, asker)
    assert "intent.reader" in asker.asked


def test_scripted_answers_follow_the_same_rule(coach: Coach) -> None:
    note = save(coach, {"intent": {"obstacle": "x", "medium": "stage"}})
    assert "reader" not in note.answers["intent"]
    with pytest.raises(AnswersError) as info:
        save(coach, {"intent": {"obstacle": "x", "medium": "self-tape"}}, round_label="callback-2")
    assert info.value.details == ["answers: intent.reader: required, but no answer"]
    # An answer given to a question whose condition does not hold is kept, not refused.
    kept = save(
        coach, {"intent": {"obstacle": "x", "medium": "stage", "reader": "Sam"}}, round_label="x"
    )
    assert kept.answers["intent"]["reader"] == "Sam"


def test_a_changed_answer_brings_in_the_questions_it_opens(coach: Coach) -> None:
    asker = ScriptedAsker(
        {
            "intent.obstacle": "x",
            "intent.medium": answer_sequence("stage", "self-tape"),
            "intent.reader": "Sam",
        },
        choices=["change", "intent.medium", "save"],
    )
    note = coach.run_session(coach.plan_prep("Nina", checklist_ids=["intent"]), asker).note
    assert asker.asked[-2:] == ["intent.medium", "intent.reader"]
    assert note.answers["intent"]["reader"] == "Sam"


# -- 3. the closing check ---------------------------------------------------------------


def test_a_not_yet_goes_back_to_the_checklist_it_names(coach: Coach) -> None:
    asker = ScriptedAsker(
        {
            "intent.want": answer_sequence("to win", "to win him over"),
            "intent.obstacle": "doubt",
            "closing.intent-ready": answer_sequence(False, True),
            "closing.recall-ready": True,
        },
        choices=["revisit", "save"],
    )
    note = coach.run_session(coach.plan_prep("Nina"), asker).note
    assert asker.menus[0] == (
        "Not yet, then: Intent again might help. Go back to it?",
        ["revisit", "onward"],
    )
    assert asker.labels[0] == ["Go back to Intent", "Carry on without going back"]
    assert asker.asked == [
        "intent.want",
        "intent.obstacle",
        "intent.medium",
        "recall.worked",
        "recall.direction",
        "closing.intent-ready",
        "intent.want",  # again, from the current answers
        "intent.obstacle",
        "intent.medium",
        "closing.intent-ready",  # and the check again
        "closing.recall-ready",
    ]
    assert asker.defaults_seen["intent.obstacle"] == "doubt"
    assert note.answers["intent"]["want"] == "to win him over"
    assert note.answers["closing"] == {"intent-ready": True, "recall-ready": True}


def test_carry_on_keeps_the_not_yet(coach: Coach) -> None:
    asker = ScriptedAsker(
        {"intent.obstacle": "doubt", "closing.intent-ready": False}, choices=["onward", "save"]
    )
    note = coach.run_session(coach.plan_prep("Nina"), asker).note
    assert asker.asked.count("intent.want") == 1
    assert note.answers["closing"]["intent-ready"] is False


def test_on_the_quick_path_going_back_asks_only_the_quick_questions(coach: Coach) -> None:
    asker = ScriptedAsker(
        {"closing.recall-ready": answer_sequence(False, True)}, choices=["revisit", "save"]
    )
    coach.run_session(coach.plan_prep("Nina", path="quick"), asker)
    assert asker.asked == [
        "intent.want",
        "intent.medium",
        "recall.direction",
        "closing.intent-ready",
        "closing.recall-ready",
        "recall.direction",  # the quick path's question of Recall, not `worked`
        "closing.recall-ready",
    ]


def test_the_closing_check_of_chosen_checklists(coach: Coach) -> None:
    plan = coach.plan_prep("Nina", checklist_ids=["recall"])
    assert [(c.id, [q.id for q in c.questions]) for c in plan.checklists] == [
        ("recall", ["worked", "direction"]),
        ("closing", ["recall-ready"]),
    ]
    # Asked for by name, the closing check runs whole, once.
    named = coach.plan_prep("Nina", checklist_ids=["intent", "closing"])
    assert [(c.id, len(c.questions)) for c in named.checklists] == [("intent", 4), ("closing", 2)]


def test_a_scripted_closing_check_keeps_just_the_answers_given(coach: Coach) -> None:
    note = save(coach, {"intent": {"obstacle": "x"}, "closing": {"intent-ready": False}})
    assert note.answers["closing"] == {"intent-ready": False}


# -- 4. rounds follow the calendar --------------------------------------------------------


def test_a_round_still_to_come_is_the_same_round(coach: Coach) -> None:
    save(coach, date="2026-11-24")
    plan = coach.plan_prep("Nina")  # no terminal: stays in that round
    assert (plan.round, plan.date) == ("callback-1", "2026-11-24")

    asker = ScriptedAsker(choices=["same"])
    plan = coach.plan_prep("Nina", asker=asker)
    assert asker.menus == [
        ("Nina's callback-1 is prepared for tomorrow and not reviewed yet.", ["same", "new"])
    ]
    assert (plan.round, plan.date, plan.ask_date) == ("callback-1", "2026-11-24", False)

    plan = coach.plan_prep("Nina", asker=ScriptedAsker(choices=["new"]))
    assert (plan.round, plan.ask_date) == ("callback-2", True)


def test_a_review_before_its_round_s_day_asks_whether_the_room_was_today(
    coach: Coach,
) -> None:
    save(coach, date="2026-11-26")  # Thursday; today is Monday
    asker = ScriptedAsker(choices=["today"])
    plan = coach.plan_review("Nina", asker=asker)
    assert asker.menus == [
        ("Nina's callback-1 is on Thu 26 Nov, still to come.", ["today", "not-yet"])
    ]
    assert (plan.round, plan.date) == ("callback-1", MONDAY.isoformat())

    with pytest.raises(Declined) as stopped:
        coach.plan_review("Nina", asker=ScriptedAsker(choices=["not-yet"]))
    assert stopped.value.exit_code == 0
    assert stopped.value.message == "Nothing written: review Nina's callback-1 after the room."
    assert coach.drafts.find("review", "Nina", None, None) == []

    # Dated by hand, or on the day itself: nothing asked.
    asker = ScriptedAsker()
    assert coach.plan_review("Nina", date="2026-11-26", asker=asker).date == "2026-11-26"
    coach.today = dt.date(2026, 11, 26)
    assert coach.plan_review("Nina", asker=asker).date == "2026-11-26"
    assert asker.menus == []


def test_a_scripted_review_before_its_day_goes_on_with_a_warning(coach: Coach) -> None:
    save(coach, date="2026-11-26")
    plan = coach.plan_review("Nina")
    assert plan.date == "2026-11-26"
    assert coach.warnings == [
        "callback-1 is dated 2026-11-26, a day still to come: the review is dated so too "
        "(give --date to date it otherwise)"
    ]


def test_a_date_given_is_said_in_the_question_or_settles_it(coach: Coach) -> None:
    save(coach, date="2026-11-26")
    same_day = ScriptedAsker(choices=[])
    plan = coach.plan_prep("Nina", date="2026-11-26", asker=same_day)
    assert same_day.menus == [], "the round's own day: that round, nothing to ask"
    assert (plan.round, plan.date) == ("callback-1", "2026-11-26")

    asker = ScriptedAsker(choices=["same"])
    plan = coach.plan_prep("Nina", date="2026-11-25", asker=asker)
    assert asker.labels[0] == [
        "Add to your callback-1 prep, moving it to Wed 25 Nov",
        "This is a new round (callback-2, Wed 25 Nov)",
    ]
    assert (plan.round, plan.date) == ("callback-1", "2026-11-25")
    plan = coach.plan_prep("Nina", date="2026-11-25", asker=ScriptedAsker(choices=["new"]))
    assert (plan.round, plan.date) == ("callback-2", "2026-11-25")


def test_the_question_names_the_day(coach: Coach) -> None:
    save(coach, date="2026-11-26")
    asker = ScriptedAsker(choices=["same"])
    coach.plan_prep("Nina", asker=asker)
    assert asker.menus[0][0] == "Nina's callback-1 is prepared for Thu 26 Nov and not reviewed yet."


@pytest.mark.parametrize(
    ("today", "after", "expected"),
    [
        (MONDAY, None, "callback-1"),  # tomorrow's round
        (dt.date(2026, 11, 24), None, "callback-1"),  # the day itself
        (dt.date(2026, 11, 25), None, "callback-2"),  # the day has passed
        (MONDAY, "review", "callback-2"),
        (MONDAY, "outcome", "callback-2"),
    ],
)
def test_the_next_round_follows_the_date(
    coach: Coach, today: dt.date, after: str | None, expected: str
) -> None:
    save(coach, date="2026-11-24")
    if after == "review":
        coach.save_answers(coach.plan_review("Nina"), {"room": {"worked": "the pause"}})
    elif after == "outcome":
        coach.record_outcome("Nina", "callback")
    coach.today = today
    asker = ScriptedAsker(choices=["same"])
    assert coach.plan_prep("Nina", asker=asker).round == expected
    assert bool(asker.menus) == (expected == "callback-1")


def test_a_second_prep_of_a_round_starts_from_the_first(coach: Coach) -> None:
    save(coach, {"intent": {"want": "to win", "obstacle": "doubt"}}, date="2026-11-24")
    plan = coach.plan_prep("Nina")
    assert plan.defaults["intent.want"] == "to win"
    asker = ScriptedAsker({"intent.obstacle": "pride"}, choices=["save"])
    note = coach.run_session(plan, asker).note
    assert asker.defaults_seen["intent.want"] == "to win"
    assert (note.round, note.answers["intent"]["want"]) == ("callback-1", "to win")
    assert note.path.name.endswith("_prep-2.md")


def test_the_closing_check_is_answered_afresh_in_a_second_prep(coach: Coach) -> None:
    save(coach, {"intent": {"obstacle": "x"}, "closing": {"intent-ready": True}}, date="tomorrow")
    plan = coach.plan_prep("Nina")
    assert "closing.intent-ready" not in plan.defaults and "intent.obstacle" in plan.defaults


# -- 5. dates ------------------------------------------------------------------------------


def test_the_date_is_asked_with_tomorrow_offered_and_asked_again_until_it_is_one(
    coach: Coach,
) -> None:
    asker = ScriptedAsker(
        {"callback.date": answer_sequence("next week", "fri"), "intent.obstacle": "x"},
        choices=["save"],
    )
    seen: list[str] = []
    asker_ask = asker.ask

    def ask(checklist, question, default):
        if checklist.id == "callback":
            seen.append(default)
        return asker_ask(checklist, question, default)

    asker.ask = ask  # type: ignore[method-assign]
    plan = coach.plan_prep("Nina", path="full", asker=asker)
    note = coach.run_session(plan, asker).note
    assert seen == ["tomorrow", "next week"]
    assert [n.text for n in asker.shown if isinstance(n, Notice)] == [
        "date 'next week' is not a date the coach understands: use YYYY-MM-DD, today, "
        "tomorrow, yesterday, a weekday (fri, friday) or +N days"
    ]
    assert note.date == "2026-11-27"


def test_the_date_is_not_asked_with_date_or_when_a_draft_is_resumed(coach: Coach) -> None:
    plan = coach.plan_prep("Nina", date="fri", path="full", asker=ScriptedAsker())
    assert (plan.date, plan.ask_date) == ("2026-11-27", False)
    with pytest.raises(KeyboardInterrupt):
        coach.run_session(plan, ScriptedAsker({"intent.want": "to win"}, interrupt_after=1))
    asker = ScriptedAsker({"intent.obstacle": "x"}, choices=["resume", "save"])
    again = coach.plan_prep("Nina", asker=asker)
    assert again.date == "2026-11-27"
    note = coach.run_session(again, asker).note
    assert "callback.date" not in asker.asked and note.date == "2026-11-27"
    assert asker.menus[0][1] == ["resume", "restart"], "a resumed draft keeps its path too"


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=30))
def test_any_typed_date_is_a_date_or_asked_again(coach: Coach, text: str) -> None:
    from callback_coach.core.dates import DateError, parse_day

    try:
        expected, asked = parse_day(text, MONDAY).isoformat(), 1
    except DateError:
        expected, asked = "2026-11-23", 2  # asked again: the second answer, today, is taken
    asker = ScriptedAsker({"callback.date": answer_sequence(text, "today")})
    plan = coach.plan_prep("Nina", path="full", asker=asker)
    ask_date(plan, MONDAY, asker)
    assert (plan.date, asker.asked.count("callback.date")) == (expected, asked)


@settings(max_examples=60)
@given(text=st.text(max_size=30))
def test_any_date_option_is_a_date_or_a_usage_error(text: str) -> None:
    from callback_coach.core.inputs import parse_date

    try:
        day = parse_date(text, MONDAY)
    except UsageError as exc:
        assert exc.exit_code == ExitCode.USAGE and "\n" not in exc.message
    else:
        assert dt.date.fromisoformat(day)


def test_without_a_terminal_the_date_is_today(coach: Coach) -> None:
    assert coach.plan_prep("Nina").date == "2026-11-23"


def test_a_review_is_dated_as_its_round(coach: Coach) -> None:
    save(coach, date="2026-11-20")
    assert coach.plan_review("Nina").date == "2026-11-20"
    assert coach.plan_review("Nina", date="today").date == "2026-11-23"
    assert coach.plan_review("Sonya").date == "2026-11-23", "a round with no notes: today"


# -- 6. drafts you can find --------------------------------------------------------------


def interrupted(coach: Coach, role: str = "Nina", **kwargs: Any) -> None:
    plan = coach.plan_prep(role, **kwargs)
    with pytest.raises(KeyboardInterrupt):
        coach.run_session(plan, ScriptedAsker({"intent.want": "to win"}, interrupt_after=1))


def test_a_draft_without_a_project_is_offered_to_a_prep_with_one(coach: Coach) -> None:
    interrupted(coach)  # started without --project
    asker = ScriptedAsker({"intent.obstacle": "doubt"}, choices=["0", "save"])
    plan = coach.plan_prep("Nina", project="The Seagull", asker=asker)
    message, values = asker.menus[0]
    assert message == "Nina has an unfinished prep elsewhere. Resume it?"
    assert values == ["0", "new-session"]
    assert (plan.project, plan.round, plan.draft_choice) == ("The Seagull", "callback-1", "resume")
    note = coach.run_session(plan, asker).note
    assert len(asker.menus) == 2, "no second resume question"
    assert "intent.want" not in asker.asked
    assert (note.project, note.answers["intent"]["want"]) == ("The Seagull", "to win")
    assert coach.drafts.all() == [], "the draft moved into the project, then was saved"


def test_a_new_session_leaves_the_other_draft_alone(coach: Coach) -> None:
    interrupted(coach)
    plan = coach.plan_prep(
        "Nina", project="The Seagull", asker=ScriptedAsker(choices=["new-session"])
    )
    assert plan.draft_choice is None and plan.adopt_draft is None
    assert [d.project for d in coach.drafts.all()] == [""]


def test_a_project_with_its_own_draft_says_so_beside_the_other(coach: Coach) -> None:
    interrupted(coach)  # no project
    interrupted(coach, project="The Seagull")
    asker = ScriptedAsker(choices=["new-session", "resume"])
    plan = coach.plan_prep("Nina", project="The Seagull", asker=asker)
    assert asker.labels[0][-1] == "Go on in 'The Seagull' (its own unfinished prep)"
    assert plan.adopt_draft is None and plan.project == "The Seagull"
    assert coach.find_draft(plan) is not None, "its own draft is the one offered next"
    # Another named project's draft is not offered when --project names this one.
    interrupted(coach, "Masha", project="Uncle Vanya")
    other = ScriptedAsker(choices=[])
    coach.plan_prep("Masha", project="The Seagull", asker=other)
    assert other.menus == []


def test_a_draft_in_another_project_is_offered_without_project(coach: Coach) -> None:
    save(coach, project="The Seagull", date="2026-11-02")
    interrupted(coach, project="Uncle Vanya")
    assert coach.plan_prep("Nina").project == "The Seagull", "without a terminal: as before"
    asker = ScriptedAsker(choices=["0"])
    plan = coach.plan_prep("Nina", asker=asker)
    assert asker.menus[0][0] == "Nina has an unfinished prep elsewhere. Resume it?"
    assert (plan.project, plan.round, plan.draft_choice) == ("Uncle Vanya", "callback-1", "resume")
    assert plan.adopt_draft is None


def test_a_draft_elsewhere_is_offered_with_its_round_too(coach: Coach) -> None:
    """A resume hint names --round: the draft left elsewhere (here without a project, the
    role having a note in a project since) is offered for that round, not for another."""
    interrupted(coach)  # callback-1, no project
    save(coach, project="The Seagull", round_label="audition", date="2026-11-02")
    asker = ScriptedAsker(choices=["0"])
    plan = coach.plan_prep("Nina", round_label="callback-1", asker=asker)
    assert asker.menus[0][0] == "Nina has an unfinished prep elsewhere. Resume it?"
    assert plan.adopt_draft is not None and plan.round == "callback-1"
    other = ScriptedAsker(choices=[])
    coach.plan_prep("Nina", project="The Seagull", round_label="callback-2", asker=other)
    assert other.menus == [], "a draft of another round is not offered"


def test_a_review_offers_a_draft_elsewhere_too(coach: Coach) -> None:
    plan = coach.plan_review("Nina", outcome="hold")
    with pytest.raises(KeyboardInterrupt):
        coach.run_session(plan, ScriptedAsker({"room.direction": "slower"}, interrupt_after=1))
    asker = ScriptedAsker(choices=["0"])
    again = coach.plan_review("Nina", project="The Seagull", asker=asker)
    assert asker.menus[0][0] == "Nina has an unfinished review elsewhere. Resume it?"
    assert again.adopt_draft is not None


def test_the_resume_hint_gives_only_what_the_draft_does_not_say(coach: Coach) -> None:
    plan = coach.plan_prep(
        "Nina", project="The Seagull", date="2026-11-24", path="quick", checklist_ids=["intent"]
    )
    # Before any answer there is no draft: the hint repeats every option.
    assert resume_command(coach, plan) == (
        "coach prep Nina --project 'The Seagull' --round callback-1 --date 2026-11-24 "
        "--quick -c intent"
    )
    with pytest.raises(KeyboardInterrupt):
        coach.run_session(plan, ScriptedAsker({"intent.want": "to win"}, interrupt_after=1))
    # The draft says the project (the role's only one), the round, the day and the path.
    assert resume_command(coach, plan) == "coach prep Nina"
    again = coach.plan_prep("Nina", asker=ScriptedAsker())
    assert (again.project, again.round, again.date) == ("The Seagull", "callback-1", "2026-11-24")
    assert (again.path, again.chosen) == ("quick", ["intent"])


def test_a_resumed_session_takes_the_path_of_its_draft(coach: Coach) -> None:
    plan = coach.plan_prep("Nina", path="quick", checklist_ids=["intent"], date="2026-11-24")
    with pytest.raises(KeyboardInterrupt):
        coach.run_session(plan, ScriptedAsker({"intent.want": "to win"}, interrupt_after=1))
    again = coach.plan_prep("Nina")  # no option at all: the draft says how
    assert (again.path, again.chosen) == ("quick", ["intent"])
    assert [(c.id, len(c.questions)) for c in again.checklists] == [("intent", 2), ("closing", 1)]


def test_coach_list_shows_unfinished_drafts(coach: Coach, home: Path) -> None:
    save(coach, project="The Seagull", date="2026-11-02")
    interrupted(coach, project="The Seagull", date="2026-11-24", checklist_ids=["intent"])
    (draft,) = coach.drafts.all()
    earlier = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2, minutes=5)
    draft.started = earlier.isoformat(timespec="seconds")
    coach.drafts.save(draft)
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    at = lines.index("Unfinished")
    # The command that resumes it, wrapped at 80 columns with a ` \` to paste whole.
    assert lines[at + 1 :] == [
        "  Nina · The Seagull · callback-2 prep · 1 answer · started 2 hours ago",
        "    coach prep Nina --project 'The Seagull' --round callback-2 --date \\",
        "        2026-11-24 -c intent",
    ]
    data = json.loads(runner.invoke(app, ["list", "--json"]).stdout)
    (draft,) = data["drafts"]
    assert {k: v for k, v in draft.items() if k != "started"} == {
        "kind": "prep",
        "role": "Nina",
        "project": "The Seagull",
        "round": "callback-2",
        "date": "2026-11-24",
        "path": "checklist",
        "answers": 1,
        "hint": "coach prep Nina --project 'The Seagull' --round callback-2 --date 2026-11-24 "
        "-c intent",
    }
    assert runner.invoke(app, ["list", "--json", "--role", "Sonya"]).stdout.count('"hint"') == 0
    assert (
        json.loads(runner.invoke(app, ["list", "--json", "-o", "pending"]).stdout)["drafts"] == []
    )


def test_how_long_ago_a_draft_was_started() -> None:
    from callback_coach.store.drafts import age_text

    now = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.timezone.utc)
    for started, said in [
        ("2026-11-23T19:59:30+00:00", "just now"),
        ("2026-11-23T19:59:00+00:00", "1 minute ago"),
        ("2026-11-23T19:15:00+00:00", "45 minutes ago"),
        ("2026-11-23T21:00:00+02:00", "1 hour ago"),
        ("2026-11-21T08:00:00+00:00", "2 days ago"),
        ("", "a while ago"),
        ("yesterday", "a while ago"),
    ]:
        assert age_text(started, now) == said, started


def test_coach_list_with_only_a_draft(coach: Coach) -> None:
    interrupted(coach)
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Unfinished"
    assert "No roles yet" not in result.stderr


def test_the_list_json_with_drafts_has_its_documented_shape(coach: Coach) -> None:
    import jsonschema

    interrupted(coach, project="The Seagull")
    save(coach, project="The Seagull", round_label="audition", date="2026-11-02")
    schema = json.loads(Path("schemas/list.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(runner.invoke(app, ["list", "--json"]).stdout), schema)


# -- 1. start from the last round -----------------------------------------------------------


def last_round(coach: Coach) -> None:
    save(coach, date="2026-11-20")
    coach.save_answers(
        coach.plan_review("Nina", outcome="callback"),
        {"room": {"direction": "More playful, less tragic", "worked": "The pause"}},
    )


@pytest.mark.parametrize("path", ["full", "quick"])
def test_the_last_time_panel_comes_before_the_first_checklist(coach: Coach, path: str) -> None:
    last_round(coach)
    plan = coach.plan_prep("Nina", path=path, date="tomorrow")
    assert plan.last_round.items == [
        ("What worked?", "The pause"),
        ("What direction did they give you?", "More playful, less tragic"),
    ]
    asker = Recording({"intent.obstacle": "x"}, choices=["save", "done"])
    run_interactive(coach, plan, asker)
    kinds = [kind for kind, _ in asker.events]
    first_section = kinds.index("section")
    panel = asker.events[1][1]
    assert kinds[:2] == ["show", "show"] and first_section == 2, "header, panel, then questions"
    shown = text_of(panel)
    assert "Last time: callback-1 · 2026-11-20 · callback" in shown
    assert "More playful, less tragic" in shown
    assert asker.references == [("last time", panel)], "one key away during the session"


def test_a_first_round_has_no_last_time(coach: Coach) -> None:
    asker = Recording({"intent.obstacle": "x"}, choices=["save", "done"])
    run_interactive(coach, coach.plan_prep("Nina", date="tomorrow"), asker)
    assert asker.references == [] and asker.events[1][0] == "section"


def test_a_stop_after_only_skipped_questions_keeps_no_draft(coach: Coach) -> None:
    # A question skipped (left blank), then Ctrl-C: nothing was answered, so nothing
    # is kept, as the stop line says, and the next prep offers no empty draft.
    from callback_coach.errors import Interrupted

    plan = coach.plan_prep("Nina", date="tomorrow")
    with pytest.raises(Interrupted) as stop:
        run_interactive(coach, plan, ScriptedAsker(interrupt_after=1))
    assert str(stop.value) == "Stopped before any answer; nothing was kept."
    assert coach.drafts.all() == []
    # One answer given: it is kept, and the line says how to resume.
    plan = coach.plan_prep("Nina", date="tomorrow")
    with pytest.raises(Interrupted) as stop:
        run_interactive(coach, plan, ScriptedAsker({"intent.want": "to win"}, interrupt_after=1))
    assert "Your 1 answer is kept in a draft" in str(stop.value)
    assert len(coach.drafts.all()) == 1
