"""What the coach says around an answer, read in a real pseudo-terminal (POSIX): the menu
after a "not yet" in the closing check says why it is there and offers two distinct
answers, a multiple-choice answer is written back as the actor would write it, and
"(required)" sits one space after its question."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pexpect
import pytest

from callback_coach.cli.asker import HABIT_ENTER_SECONDS

from .helpers import saved_notes, write_checklist
from .test_e2e import DOWN, ENTER, finish, spawn, take_the_offered_date

pytestmark = pytest.mark.e2e

SPACE = " "
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
INTENT = {
    "id": "intent",
    "title": "Intent",
    "phase": "prep",
    "version": 1,
    "questions": [
        {"id": "want", "prompt": "What do you want?", "type": "text", "required": True},
        {
            "id": "worked-in",
            "prompt": "Where have you worked?",
            "type": "multiselect",
            "choices": ["film", "TV", "stage"],
        },
        {
            "id": "bring",
            "prompt": "What will you bring?",
            "type": "multiselect",
            "choices": ["headshot", "sides"],
        },
    ],
}
CLOSING = {
    "id": "closing-check",
    "title": "Closing check",
    "phase": "prep",
    "version": 1,
    "closing": True,
    "questions": [
        {"id": "redirect", "prompt": "Could you take a note now?", "type": "confirm",
         "offer": "drill"},
        {"id": "sharp", "prompt": "Is your want sharp?", "type": "confirm", "revisit": "intent"},
    ],
}  # fmt: skip


def seen(child: pexpect.spawn) -> str:
    """What the terminal showed up to the last match, and the match (styles left out)."""
    return ANSI.sub("", child.before + child.after)


def test_what_the_coach_says_around_each_answer(home: Path, coach_bin: str) -> None:
    write_checklist(home / "checklists", "intent.yaml", INTENT)
    write_checklist(home / "checklists", "closing-check.yaml", CLOSING)
    child = spawn(coach_bin, home, "prep", "Masha", "--checklist", "intent")
    take_the_offered_date(child)

    child.expect_exact("(required)")
    assert "? What do you want? (required)" in seen(child)
    child.expect_exact("›")
    child.send("to stay" + ENTER)

    child.expect_exact("Where have you worked?")
    child.expect_exact("Space to pick")
    child.send(SPACE + DOWN + SPACE + ENTER)
    child.expect_exact("What will you bring?")
    assert "›  film, TV\r\n" in seen(child) and "selections" not in seen(child)
    child.expect_exact("Space to pick")
    child.send(ENTER)  # nothing picked
    child.expect_exact("Could you take a note now?")
    assert "›  none picked\r\n" in seen(child) and "›  done" not in seen(child)

    # A "not yet" to a question with an offer: the menu follows it, with two answers.
    child.expect_exact("(y/n)")
    child.send("n")
    child.expect_exact("Not yet, then: a two-note drill now might help. Run it?")
    child.expect_exact("Run the drill now")
    child.expect_exact("Carry on without it")
    time.sleep(HABIT_ENTER_SECONDS + 0.2)
    child.send(DOWN + ENTER)

    # A "not yet" to a question with only a revisit: the same way of saying it.
    child.expect_exact("Is your want sharp?")
    child.expect_exact("(y/n)")
    child.send("n")
    child.expect_exact("Not yet, then: Intent again might help. Go back to it?")
    child.expect_exact("Go back to Intent")
    child.expect_exact("Carry on without going back")
    time.sleep(HABIT_ENTER_SECONDS + 0.2)
    child.send(DOWN + ENTER)

    child.expect_exact("What now?")
    time.sleep(HABIT_ENTER_SECONDS + 0.2)
    child.send(ENTER)
    child.expect_exact("Saved your prep for Masha (callback-1)")
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)
    assert finish(child) == 0
    (note,) = saved_notes(home)
    assert note.answers["intent"] == {"want": "to stay", "worked-in": ["film", "TV"], "bring": []}
    assert note.answers["closing-check"] == {"redirect": False, "sharp": False}
