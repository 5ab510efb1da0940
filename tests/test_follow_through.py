"""A coach that acts on what it is told (issue 18): a "no" that names a to-do comes back
where it can be acted on, the closing check reads the answers it relies on, a "not yet"
offers the tool that fits, and a review starts from what was prepared.

The rules are declared in checklists (`todo_if`, `todo`, `offer`, `relies_on`), so they
are tested here with checklists of the actor's own: the built-in ones use the same keys.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.asking import Notice, Unfinished
from callback_coach.core.questions import Question
from callback_coach.core.session import OFFER_WORDS, in_play, offer_words
from callback_coach.core.workflow import Coach
from callback_coach.season import loading

from .helpers import REVIEW, write_checklist
from .scripted import ScriptedAsker, answer_sequence

runner = CliRunner()
DAY = dt.date(2026, 11, 23)
INTENT = {
    "id": "intent",
    "title": "Intent",
    "phase": "prep",
    "version": 1,
    "questions": [
        {"id": "want", "prompt": "What do you want?", "type": "text", "card": "want"},
        {
            "id": "checked",
            "prompt": "Have you checked the address and the time?",
            "type": "confirm",
            "todo_if": "no",
            "todo": "Check the address and the time.",
        },
        {
            "id": "pages",
            "prompt": "New pages?",
            "type": "select",
            "choices": ["none came", "learned", "still working on them"],
            "todo_if": "still working on them",
            "todo": "Learn the new pages.",
        },
    ],
}
CLOSING = {
    "id": "closing-check",
    "title": "Closing check",
    "phase": "prep",
    "version": 9,
    "closing": True,
    "questions": [
        {
            "id": "sharp",
            "prompt": "Is your want sharp?",
            "type": "confirm",
            "relies_on": "intent.want",
            "offer": "question",
        },
        {"id": "steady", "prompt": "Do you feel steady?", "type": "confirm", "offer": "breathe"},
    ],
}


@pytest.fixture
def coach(home: Path, monkeypatch: pytest.MonkeyPatch) -> Coach:
    write_checklist(home / "checklists", "intent.yaml", INTENT)
    write_checklist(home / "checklists", "closing-check.yaml", CLOSING)
    monkeypatch.setattr(loading, "current_day", lambda: DAY)
    coach = Coach(home)
    coach.today = DAY
    return coach


def run(coach: Coach, asker: ScriptedAsker, acted: list[str] | None = None) -> Any:
    plan = coach.plan_prep("Nina", checklist_ids=["intent"], date="2026-11-25")

    def act(offer: str, plan: Any) -> None:
        assert acted is not None, f"{offer} offered to a session that cannot run it"
        acted.append(offer)

    return coach.run_session(plan, asker, act=act).note


def notices(asker: ScriptedAsker) -> list[str]:
    return [n.text for n in asker.shown if isinstance(n, Notice)]


def test_the_closing_check_shows_the_answer_it_relies_on(coach: Coach) -> None:
    asker = ScriptedAsker(
        {"intent.want": "to corner him", "intent.checked": True, "closing-check.sharp": True,
         "closing-check.steady": True},
        choices=["save"],
    )  # fmt: skip
    note = run(coach, asker)
    assert "Your want: to corner him" in notices(asker)
    assert note.answers["closing-check"] == {"sharp": True, "steady": True}


def test_an_empty_want_is_offered_to_be_filled_before_a_yes(coach: Coach) -> None:
    asker = ScriptedAsker(
        {"intent.want": answer_sequence(None, "to win her back"), "intent.checked": True,
         "closing-check.sharp": answer_sequence(True, True), "closing-check.steady": True},
        choices=["fill", "save"],
    )  # fmt: skip
    note = run(coach, asker)
    assert "Your want is empty." in notices(asker)
    assert asker.menus[0][0] == "Your want is empty: answer it now?"
    assert asker.asked.count("intent.want") == 2
    assert note.answers["intent"]["want"] == "to win her back"
    assert note.answers["closing-check"]["sharp"] is True


def test_a_yes_while_the_want_is_empty_is_kept_as_not_yet(coach: Coach) -> None:
    asker = ScriptedAsker(
        {"intent.checked": True, "closing-check.sharp": True, "closing-check.steady": True},
        choices=["onward", "save"],
    )
    note = run(coach, asker)
    assert "Your want is still empty: kept as not yet." in notices(asker)
    assert note.answers["closing-check"]["sharp"] is False
    # Left empty a moment ago: not offered again at once by the not yet's own menu.
    assert [menu for menu, _ in asker.menus] == ["Your want is empty: answer it now?", "What now?"]


def test_a_not_yet_offers_the_tool_that_fits_then_asks_once_more(coach: Coach) -> None:
    acted: list[str] = []
    asker = ScriptedAsker(
        {"intent.want": answer_sequence("to win", "to corner him"), "intent.checked": True,
         "closing-check.sharp": answer_sequence(False, True),
         "closing-check.steady": answer_sequence(False, True)},
        choices=["question", "breathe", "save"],
    )  # fmt: skip
    note = run(coach, asker, acted)
    # Back to the want (only the want, not the whole checklist), then the check again.
    assert asker.asked == [
        "intent.want", "intent.checked", "intent.pages",
        "closing-check.sharp", "intent.want", "closing-check.sharp",
        "closing-check.steady", "closing-check.steady",
    ]  # fmt: skip
    assert acted == ["breathe"]
    assert note.answers["intent"]["want"] == "to corner him"
    assert note.answers["closing-check"] == {"sharp": True, "steady": True}
    # Each menu says it follows the not yet, and what might help; its choices answer it.
    assert asker.menus[:2] == [
        ("Not yet, then: your want again might help. Go back to it?",
         ["question", "onward"]),
        ("Not yet, then: a breathing round now might steady you. Take one?",
         ["breathe", "onward"]),
    ]  # fmt: skip
    assert asker.labels[:2] == [
        ["Go back to your want", "Carry on without going back"],
        ["Take a breathing round now", "Carry on without it"],
    ]


@pytest.mark.parametrize("offer", sorted(OFFER_WORDS))
def test_each_offer_reads_as_a_coach_would_say_it_after_a_not_yet(offer: str) -> None:
    want = Question("want", "What do you want?", card="want")
    ask, take, leave = offer_words(offer, [want])
    assert ask.startswith("Not yet, then: ") and ask.endswith("?")
    assert take != leave and leave.startswith("Carry on")
    # The choices are answers to the question, not the question again.
    assert take.lower() not in ask.lower() and leave.lower() not in ask.lower()


def test_a_not_yet_to_a_drill_offer_says_why_it_is_offered(home: Path) -> None:
    write_checklist(home / "checklists", "intent.yaml", INTENT)
    drill = {**CLOSING, "questions": [
        {"id": "ready", "prompt": "Could you take a note now?", "type": "confirm",
         "offer": "drill"},
    ]}  # fmt: skip
    write_checklist(home / "checklists", "closing-check.yaml", drill)
    coach = Coach(home, today=DAY)
    acted: list[str] = []
    asker = ScriptedAsker(
        {"intent.want": "to win", "closing-check.ready": answer_sequence(False, True)},
        choices=["drill", "save"],
    )
    note = run(coach, asker, acted)
    assert asker.menus[0] == (
        "Not yet, then: a two-note drill now might help. Run it?",
        ["drill", "onward"],
    )
    assert asker.labels[0] == ["Run the drill now", "Carry on without it"]
    assert acted == ["drill"] and note.answers["closing-check"]["ready"] is True


def test_going_back_to_an_answer_without_a_card_slot_names_it_in_the_choice() -> None:
    pages = Question("pages", "New pages?", "select", choices=("none came", "learned"))
    assert offer_words("question", [pages]) == (
        "Not yet, then: your answer again might help. Go back to it?",
        "Go back to your answer to “New pages?”",
        "Carry on without going back",
    )


def test_going_back_to_two_empty_answers_names_both(home: Path) -> None:
    write_checklist(home / "checklists", "intent.yaml", INTENT)
    two = {**CLOSING, "questions": [
        {**CLOSING["questions"][0], "relies_on": ["intent.want", "intent.pages"]},
    ]}  # fmt: skip
    write_checklist(home / "checklists", "closing-check.yaml", two)
    coach = Coach(home, today=DAY)
    asker = ScriptedAsker(
        {"intent.want": answer_sequence(None, "to win"), "intent.pages": answer_sequence(None, "learned"),
         "closing-check.sharp": answer_sequence(False, True)},
        choices=["question", "save"],
    )  # fmt: skip
    note = run(coach, asker)
    assert asker.menus[0][0] == (
        "Not yet, then: filling in those answers might help. Fill them in now?"
    )
    assert asker.labels[0] == [
        "Fill in your want and answer to “New pages?” now",
        "Carry on without them",
    ]
    assert (note.answers["intent"]["want"], note.answers["intent"]["pages"]) == (
        "to win",
        "learned",
    )


def test_a_not_yet_can_be_left_as_it_is(coach: Coach) -> None:
    acted: list[str] = []
    asker = ScriptedAsker(
        {"intent.want": "to win", "closing-check.sharp": True, "closing-check.steady": False},
        choices=["onward", "save"],
    )
    note = run(coach, asker, acted)
    assert acted == [] and note.answers["closing-check"]["steady"] is False


def today_json() -> dict[str, Any]:
    result = runner.invoke(app, ["today", "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_no_becomes_a_to_do_until_it_is_done(coach: Coach) -> None:
    plan = coach.plan_prep("Nina", checklist_ids=["intent"], date="2026-11-25")
    coach.save_answers(
        plan, {"intent": {"want": "to win", "checked": False, "pages": "still working on them"}}
    )
    due = sorted(today_json()["follow_ups"], key=lambda i: i["what"])
    assert [(i["what"], i["due"], i["source"]) for i in due] == [
        ("Check the address and the time.", "2026-11-25", "todo"),
        ("Learn the new pages.", "2026-11-25", "todo"),
    ]
    card = runner.invoke(app, ["card", "Nina", "--format", "md"]).stdout
    assert "Check the address and the time." in card and "Learn the new pages." in card
    done = runner.invoke(app, ["follow-ups", "done", due[0]["id"]])
    assert done.exit_code == 0, done.stderr
    left = today_json()["follow_ups"]
    assert [i["what"] for i in left] == ["Learn the new pages."]
    assert "Check the address" not in runner.invoke(app, ["card", "Nina", "--format", "md"]).stdout


def test_a_later_prep_that_answers_otherwise_clears_the_to_do(coach: Coach) -> None:
    first = coach.plan_prep("Nina", checklist_ids=["intent"], date="2026-11-25")
    coach.save_answers(first, {"intent": {"want": "to win", "checked": False}})
    assert [i["what"] for i in today_json()["follow_ups"]] == ["Check the address and the time."]
    again = coach.plan_prep("Nina", checklist_ids=["intent"], date="2026-11-25")
    assert again.round == "callback-1"
    coach.save_answers(again, {"intent": {"checked": True}})
    assert today_json()["follow_ups"] == []


def test_a_to_do_lapses_once_the_callback_has_passed(coach: Coach, monkeypatch) -> None:
    plan = coach.plan_prep("Nina", checklist_ids=["intent"], date="2026-11-25")
    coach.save_answers(plan, {"intent": {"want": "to win", "checked": False}})
    monkeypatch.setattr(loading, "current_day", lambda: dt.date(2026, 11, 26))
    assert today_json()["follow_ups"] == []
    listed = runner.invoke(app, ["follow-ups", "--json"])
    assert json.loads(listed.stdout)["follow_ups"] == []


def test_a_review_starts_from_what_was_prepared(coach: Coach) -> None:
    plan = coach.plan_prep("Nina", checklist_ids=["intent"], date="2026-11-25")
    plan.extra.update({"time": "14:30", "place": "Studio 4"})
    coach.save_answers(plan, {"intent": {"want": "to corner him", "checked": True}})
    review = coach.plan_review("Nina")
    assert review.prepared == [("When", "14:30"), ("Where", "Studio 4"), ("Want", "to corner him")]


class StopsTyping(ScriptedAsker):
    """Stops (Ctrl-C) in the middle of `key`'s answer the `nth` time it is asked, with
    `typed` typed so far."""

    def __init__(self, key: str, nth: int, typed: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key, self.nth, self.typed = key, nth, typed

    def ask(self, checklist: Any, question: Any, default: Any) -> Any:
        key = f"{checklist.id}.{question.id}"
        if key == self.key and self.asked.count(key) + 1 == self.nth:
            self.asked.append(key)
            self.defaults_seen[key] = default
            raise Unfinished(self.typed)
        return super().ask(checklist, question, default)


def test_a_stop_while_filling_what_a_yes_reads_keeps_both_for_the_resume(
    coach: Coach,
) -> None:
    # The want left empty, a yes, "answer it now", then Ctrl-C half-way through the want.
    asker = StopsTyping(
        "intent.want", 2, "to win her",
        {"intent.want": None, "intent.checked": True, "closing-check.sharp": True},
        choices=["fill"],
    )  # fmt: skip
    plan = coach.plan_prep("Nina", checklist_ids=["intent"], date="2026-11-25")
    with pytest.raises(Unfinished):
        coach.run_session(plan, asker)
    draft = coach.find_draft(plan)
    assert draft is not None
    assert "sharp" not in draft.answers.get("closing-check", {}), "the yes is not taken yet"
    assert draft.unfinished == {"intent.want": "to win her"}

    # Resumed: the closing question is asked again, and the want offers what was typed.
    resumed = ScriptedAsker(
        {"intent.want": "to win her back", "closing-check.sharp": answer_sequence(True, True),
         "closing-check.steady": True},
        choices=["resume", "fill", "save"],
    )  # fmt: skip
    plan = coach.plan_prep("Nina", checklist_ids=["intent"], date="2026-11-25")
    note = coach.run_session(plan, resumed).note
    assert resumed.defaults_seen["intent.want"] == "to win her"
    assert note.answers["intent"]["want"] == "to win her back"
    assert note.answers["closing-check"]["sharp"] is True


def test_an_answer_filled_from_the_closing_check_is_in_the_summary(home: Path) -> None:
    # A quick path leaves the want out; a not yet in the closing check has it filled:
    # the summary before saving (and the change menu) list it under its checklist.
    quick = {
        **INTENT,
        "questions": [{**q, "quick": q["id"] == "checked"} for q in INTENT["questions"]],
    }
    write_checklist(home / "checklists", "intent.yaml", quick)
    closing = {**CLOSING, "questions": [{**q, "quick": True} for q in CLOSING["questions"]]}
    write_checklist(home / "checklists", "closing-check.yaml", closing)
    coach = Coach(home, today=DAY)
    earlier = coach.plan_prep("Nina", checklist_ids=["intent"], date="2026-11-25")
    coach.save_answers(earlier, {"intent": {"checked": True}})
    seen: list[list[Any]] = []

    def summary(plan: Any, answers: Any) -> str:
        seen.append([(c.id, [q.id for q in c.questions]) for c in in_play(plan, answers)])
        return "summary"

    plan = coach.plan_prep("Nina", path="quick", checklist_ids=["intent"], date="2026-11-25")
    assert [(c.id, [q.id for q in c.questions]) for c in plan.checklists] == [
        ("intent", ["checked"]),
        ("closing-check", ["sharp", "steady"]),
    ], "the want is off the quick path"
    asker = ScriptedAsker(
        {"intent.want": "to win", "intent.checked": True,
         "closing-check.sharp": answer_sequence(False, True), "closing-check.steady": True},
        choices=["question", "save"],
    )  # fmt: skip
    coach.run_session(plan, asker, summary=summary)
    assert seen[-1] == [("intent", ["checked", "want"]), ("closing-check", ["sharp", "steady"])]


def test_each_empty_answer_a_yes_reads_is_offered_in_turn(home: Path) -> None:
    # A yes that reads two empty answers: the first filled, the yes again, then the second
    # (the yes was taken after the first alone, beside an empty second one).
    write_checklist(home / "checklists", "intent.yaml", INTENT)
    two = {**CLOSING, "questions": [
        {**CLOSING["questions"][0], "relies_on": ["intent.want", "intent.pages"]},
        CLOSING["questions"][1],
    ]}  # fmt: skip
    write_checklist(home / "checklists", "closing-check.yaml", two)
    coach = Coach(home, today=DAY)
    asker = ScriptedAsker(
        {"intent.want": answer_sequence(None, "to win"), "intent.checked": True,
         "intent.pages": answer_sequence(None, "learned"),
         "closing-check.sharp": answer_sequence(True, True, True), "closing-check.steady": True},
        choices=["fill", "fill", "save"],
    )  # fmt: skip
    note = run(coach, asker)
    assert [m[0] for m in asker.menus[:2]] == [
        "Your want is empty: answer it now?",
        "Your answer to “New pages?” is empty: answer it now?",
    ]
    assert note.answers["intent"]["want"] == "to win"
    assert note.answers["intent"]["pages"] == "learned"
    assert note.answers["closing-check"]["sharp"] is True


def test_a_first_round_is_not_offered_its_last_round(home: Path) -> None:
    write_checklist(home / "checklists", "intent.yaml", INTENT)
    looks_back = {**CLOSING, "questions": [
        {"id": "kept", "prompt": "Do you know what you keep?", "type": "confirm",
         "offer": "last-round", "revisit": "intent"},
    ]}  # fmt: skip
    write_checklist(home / "checklists", "closing-check.yaml", looks_back)
    coach = Coach(home, today=DAY)
    acted: list[str] = []
    asker = ScriptedAsker(
        {"intent.want": "to win", "intent.checked": True, "closing-check.kept": False},
        choices=["onward", "save"],
    )
    note = run(coach, asker, acted)
    assert acted == [] and all("last round" not in m[0] for m in asker.menus)
    assert asker.menus[0][0] == ("Not yet, then: Intent again might help. Go back to it?"), (
        "the revisit instead"
    )
    assert asker.labels[0] == ["Go back to Intent", "Carry on without going back"]
    assert note.answers["closing-check"]["kept"] is False


def test_a_closing_answer_changed_at_the_end_is_asked_as_the_check_asks_it(
    coach: Coach,
) -> None:
    # The want left empty, the "not yet" kept; then, at "What now?", the closing answer
    # is changed to yes: it is shown beside the want, and the empty want is offered
    # first (the yes is not saved beside it as it is).
    asker = ScriptedAsker(
        {"intent.want": answer_sequence(None, "to win her back"), "intent.checked": True,
         "closing-check.sharp": answer_sequence(False, True, True),
         "closing-check.steady": True},
        choices=["onward", "change", "closing-check.sharp", "fill", "save"],
    )  # fmt: skip
    note = run(coach, asker)
    said = notices(asker)
    assert said.count("Your want is empty.") == 2, "shown again when the answer is changed"
    assert [menu for menu, _ in asker.menus][-2] == "Your want is empty: answer it now?"
    assert note.answers["intent"]["want"] == "to win her back"
    assert note.answers["closing-check"]["sharp"] is True


# -- the breathing round a not yet offers is the breathing the prep chose ----------------


STEADY_ONLY = {**CLOSING, "questions": [CLOSING["questions"][1]]}


def breathed(
    coach: Coach, monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any], **planned: Any
) -> tuple[list[str], ScriptedAsker]:
    """A prep in the terminal whose closing check says not yet, then takes the breathing
    round: the patterns the round ran (the live timer stands in), and the asker."""
    from callback_coach.cli import breathe_view
    from callback_coach.cli.session_run import run_interactive
    from callback_coach.day import breathing

    write_checklist(coach.home / "checklists", "closing-check.yaml", STEADY_ONLY)
    ran: list[str] = []

    def run_live(timer: breathing.Timer) -> breathing.Outcome:
        ran.append(timer.pattern.id)
        return breathing.Outcome(timer.pattern, timer.rounds, timer.rounds, 0.0, False)

    monkeypatch.setattr(breathe_view, "run_live", run_live)
    asker = ScriptedAsker(
        {**answers, "closing-check.steady": answer_sequence(False, True)},
        choices=["breathe", "save", "done"],
    )
    plan = coach.plan_prep("Nina", date="2026-11-25", **planned)
    run_interactive(coach, plan, asker)
    return ran, asker


@pytest.mark.parametrize(
    ("answer", "pattern"),
    [
        ("long slow exhales", "exhale"),
        ("4-7-8 breathing (4 in, 7 hold, 8 out)", "4-7-8"),
        ("even breathing (5 in, 5 out: six breaths a minute)", "even"),
        ("box breathing (4 in, 4 hold, 4 out, 4 hold)", "box"),
        ("none", "box"),
    ],
)
def test_the_breathing_round_is_the_breathing_this_prep_chose(
    coach: Coach,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    answer: str,
    pattern: str,
) -> None:
    ran, _ = breathed(coach, monkeypatch, {"mindset.breathing": answer}, checklist_ids=["mindset"])
    assert ran == [pattern]
    said = capsys.readouterr().err
    assert ("Your breathing:" in said) == (answer != "none")


def test_an_own_routine_that_names_no_pattern_breathes_the_default(
    coach: Coach, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = {"mindset.breathing": "my own routine", "mindset.breathing-own": "humming"}
    ran, _ = breathed(coach, monkeypatch, answers, checklist_ids=["mindset"])
    assert ran == ["box"]


def test_an_own_routine_in_the_actors_patterns_is_the_one_breathed(
    coach: Coach, monkeypatch: pytest.MonkeyPatch
) -> None:
    (coach.home / "breathing.yaml").write_text(
        "patterns:\n  - id: calm\n    aliases: [my own routine]\n"
        "    phases: [in: 4, hold: 2, out: 6]\n",
        encoding="utf-8",
    )
    ran, _ = breathed(
        coach, monkeypatch, {"mindset.breathing": "my own routine"}, checklist_ids=["mindset"]
    )
    assert ran == ["calm"]


def test_the_breathing_round_keeps_last_rounds_breathing_when_tonight_did_not_ask(
    coach: Coach, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    coach.save_answers(
        coach.plan_prep("Nina", date="2026-11-20", checklist_ids=["intent", "mindset"]),
        {"intent": {"want": "to win"}, "mindset": {"breathing": "long slow exhales"}},
    )
    coach.save_answers(coach.plan_review("Nina", outcome="callback"), REVIEW)
    ran, asker = breathed(
        coach, monkeypatch, {"intent.want": "to win", "intent.checked": True},
        checklist_ids=["intent"],
    )  # fmt: skip
    assert "mindset.breathing" not in asker.asked
    assert ran == ["exhale"]
    assert "Your breathing: Long exhale." in capsys.readouterr().err


def test_tonights_none_is_not_made_up_with_last_rounds_own_routine(
    coach: Coach, monkeypatch: pytest.MonkeyPatch
) -> None:
    coach.save_answers(
        coach.plan_prep("Nina", date="2026-11-20", checklist_ids=["intent", "mindset"]),
        {"mindset": {"breathing": "my own routine", "breathing-own": "long slow exhales"}},
    )
    coach.save_answers(coach.plan_review("Nina", outcome="callback"), REVIEW)
    ran, _ = breathed(coach, monkeypatch, {"mindset.breathing": "none"}, checklist_ids=["mindset"])
    assert ran == ["box"]
