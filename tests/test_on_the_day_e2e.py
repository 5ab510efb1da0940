"""On the day, in a real pseudo-terminal: the card at three widths, the card offered after
a prep, one short breathing round (and Ctrl-C), and a two-note drill saved and shown."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pexpect
import pytest

from callback_coach.core.workflow import Coach
from callback_coach.day import drill as drills
from callback_coach.day.card import LABELS

from .helpers import saved_notes
from .test_e2e import (
    CTRL_C,
    ENTER,
    answer,
    finish,
    prep_checklists,
    spawn,
    take_the_offered_date,
)

pytestmark = pytest.mark.e2e
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def spawn_sized(coach_bin: str, home: Path, columns: int, lines: int, *args: str) -> pexpect.spawn:
    """The coach in a terminal of this size (no COLUMNS/LINES: the pty's size is used)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(
        {
            "COACH_HOME": str(home),
            "TERM": "xterm-256color",
            "NO_COLOR": "1",
            "PROMPT_TOOLKIT_NO_CPR": "1",
        }
    )
    return pexpect.spawn(
        coach_bin, list(args), env=env, encoding="utf-8", dimensions=(lines, columns), timeout=20
    )


def screen_lines(output: str) -> list[str]:
    return [line for line in ANSI.sub("", output).replace("\r", "").split("\n") if line.strip()]


SILENT_ROOM = "A silent room means nothing. I bring my best version anyway."
PREP = {
    "logistics": {"time": "10:40", "place": "Studio 4, 12 Lake Road"},
    "refine-intention": {"want": "to win him over"},
    "prepare-for-redirection": {
        "clarifying-question": "Bigger in feeling, or bigger in voice?",
        "recovery": "Stop, breathe, and go back to the line before the one I lost.",
    },
    "recall-what-worked": {
        "what-worked": "Keep the pause before the last line.",
        "refresh": "Then refresh the entrance, arriving already in the middle of a thought about "
        "the lake.",
        "who-will-be-there": "Anna Petrova (casting), the director, maybe a producer",
    },
    "mindset": {"affirmation": "They already like me. I am here to play.", "anchor": "Feet"},
}
WORDS = {
    w.strip(".,;:?()")
    for text in [*(v for qs in PREP.values() for v in qs.values()), SILENT_ROOM]
    for w in text.split()
}
HEADER = {"Nina", "The", "Seagull", "callback-1", "Tue", "24", "Nov", "2026", "╭─", "╰─"}


@pytest.mark.parametrize("columns", [40, 80, 120])
def test_the_card_wraps_and_never_cuts_a_word(home: Path, coach_bin: str, columns: int) -> None:
    coach = Coach(home)
    coach.save_answers(coach.plan_prep("Nina", project="The Seagull", date="2026-11-24"), PREP)
    child = spawn_sized(coach_bin, home, columns, 24, "card", "Nina")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    lines = screen_lines(child.before)
    assert lines[0].startswith("╭─ Nina · The Seagull")
    assert all(len(line) <= min(columns, 80) for line in lines), "a card is at most 80 wide"
    if columns >= 80:
        assert len(lines) <= 24
    allowed = WORDS | HEADER | {w.strip("?") for label in LABELS.values() for w in label.split()}
    tokens = {w.strip(".,;:?()…") for line in lines for w in line.strip("│╭╮╰╯─ ").split()}
    assert tokens - {"", "·", "─"} <= allowed, "no word is cut"
    for word in ("Petrova", "refresh", "entrance", "producer", "Bigger", "feeling"):
        assert word in " ".join(lines)


def test_a_saved_prep_offers_the_card(home: Path, coach_bin: str) -> None:
    refine, *closing = prep_checklists(home, "Nina", checklist_ids=["refine-intention"])
    child = spawn(coach_bin, home, "prep", "Nina", "--checklist", "refine-intention")
    take_the_offered_date(child)
    typed = {q.id: answer(child, refine.id, q) for q in refine.questions}
    for check in closing:
        for question in check.questions:
            answer(child, check.id, question)
    child.expect_exact("What now?")
    child.send(ENTER)
    child.expect_exact("Saved your prep for Nina (callback-1)")
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(ENTER)
    child.expect_exact("Want")
    child.expect_exact(str(typed["want"]))
    child.expect_exact(
        "For your phone or a printer: coach card Nina --round callback-1 --format html"
        " --output nina_callback-1_card.html"
    )
    assert finish(child) == 0


def quick_pattern(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "breathing.yaml").write_text(
        "patterns:\n  - id: quick\n    name: Quick\n    phases: [in: 0.6, out: 0.6]\n",
        encoding="utf-8",
    )


def test_one_short_round_of_breathing(home: Path, coach_bin: str) -> None:
    quick_pattern(home)
    child = spawn_sized(coach_bin, home, 40, 24, "breathe", "--pattern", "quick", "--rounds", "1")
    child.expect_exact("Quick · round 1 of 1")
    child.expect_exact("breathe in")
    child.expect_exact("█")
    child.expect_exact("breathe out")
    child.expect_exact("Done: 1 round of Quick (0:01).")
    assert finish(child) == 0


def test_ctrl_c_ends_breathing_quietly(home: Path, coach_bin: str) -> None:
    quick_pattern(home)
    child = spawn_sized(coach_bin, home, 80, 24, "breathe", "--pattern", "quick", "--rounds", "50")
    child.expect_exact("breathe in")
    child.send(CTRL_C)
    child.expect_exact("Stopped after 0 of 50 rounds of Quick")
    assert finish(child) == 0
    assert "Traceback" not in child.before


def test_a_two_note_drill_is_saved_and_shown(home: Path, coach_bin: str) -> None:
    coach = Coach(home)
    coach.save_answers(coach.plan_prep("Nina", project="The Seagull"), PREP)
    texts = [n.text for n in drills.plan_drill(coach, "Nina", count=2, seed=5).notes]
    child = spawn(
        coach_bin, home, "drill", "Nina", "--rounds", "2", "--seconds", "1", "--seed", "5"
    )
    child.expect_exact("callback-1")
    child.expect_exact("Seed 5: --seed 5 gives these notes again.")
    typed = []
    for number, text in enumerate(texts, start=1):
        child.expect_exact(f"Note {number} of 2")
        child.expect_exact(text)
        if number == 1:
            child.expect_exact("Play it out loud…")
        for part, prompt in (
            ("said", "Say the note back in a few words."),
            ("change", "What will you change?"),
        ):
            child.expect_exact(prompt)
            child.expect_exact("›")
            words = f"note {number} {part} – ça va"
            child.send(words + ENTER)
            typed.append(words)
    child.expect_exact("What now?")
    child.send(ENTER)
    child.expect_exact("Saved your drill for Nina (callback-1)")
    assert finish(child) == 0
    (drill,) = [n for n in saved_notes(home) if n.kind == "drill"]
    assert [
        drill.answers["drill"][f"note-{k}-{p}"] for k in (1, 2) for p in ("said-back", "change")
    ] == typed

    child = spawn(coach_bin, home, "show", "Nina")
    child.expect_exact("Drilled")
    child.expect_exact("Note 1, said back")
    child.expect_exact(typed[0])
    child.expect_exact(typed[3])
    assert finish(child) == 0


def test_ctrl_c_in_a_drill_keeps_it_for_later(home: Path, coach_bin: str) -> None:
    child = spawn(
        coach_bin, home, "drill", "Nina", "--rounds", "2", "--seconds", "0", "--seed", "1"
    )
    child.expect_exact("Say the note back in a few words.")
    child.expect_exact("›")
    child.send("heard it" + ENTER)
    child.expect_exact("What will you change?")
    child.expect_exact("›")
    child.send(CTRL_C)
    child.expect_exact(
        "Stopped. Your 1 answer is kept in a draft; run `coach drill Nina --seconds 0` to resume."
    )  # (with the seconds it was started with: the resumed drill keeps them)
    assert finish(child) == 130
    child = spawn(coach_bin, home, "drill", "Nina", "--seconds", "0")
    child.expect_exact(
        "You have an unfinished drill for Nina (callback-1) with 1 answer. Resume it?"
    )
    assert "Seed" not in child.before  # (the seed said is the drill's that runs)
    child.send(ENTER)
    child.expect_exact("Seed 1: --seed 1 gives these notes again.")  # the draft's, not new
    child.expect_exact("What will you change?")
    child.send(CTRL_C)
    assert finish(child) == 130
    (draft,) = Coach(home).drafts.find("drill", "Nina", None, None)
    assert draft.answers["drill"]["note-1-said-back"] == "heard it"


def test_enter_ends_the_countdown_and_is_not_taken_as_an_answer(home: Path, coach_bin: str) -> None:
    coach = Coach(home)
    coach.save_answers(coach.plan_prep("Nina", project="The Seagull"), PREP)
    child = spawn(
        coach_bin, home, "drill", "Nina", "--rounds", "1", "--seconds", "60", "--seed", "5"
    )
    child.expect_exact("Play it out loud…")
    child.expect_exact("(Enter when you have played it)")
    child.send("played it" + ENTER)  # typed during the countdown: not echoed, not kept
    child.expect_exact("Say the note back in a few words.", timeout=10)
    child.expect_exact("›")
    child.send("smaller" + ENTER)
    child.expect_exact("What will you change?")
    child.expect_exact("›")
    child.send("closer" + ENTER)
    child.expect_exact("What now?")
    assert "played it" not in child.before
    child.send(ENTER)
    assert finish(child) == 0
    (drill,) = [n for n in saved_notes(home) if n.kind == "drill"]
    assert drill.answers["drill"]["note-1-said-back"] == "smaller"
    assert drill.answers["drill"]["note-1-change"] == "closer"
