"""Prompts that suit fingers, typed at in a real pseudo-terminal (POSIX): a digit answers a
scale, Enter on an empty line ends a long answer, Ctrl-X Ctrl-E round-trips the answer
through `$EDITOR`, a yes/no without a default waits for y or n, Ctrl-O shows the reference."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pexpect
import pytest

from callback_coach.cli.asker import HABIT_ENTER_SECONDS

from .helpers import saved_notes, write_checklist
from .test_e2e import DOWN, ENTER, finish, spawn, take_the_offered_date

pytestmark = pytest.mark.e2e

CTRL_O, CTRL_X_CTRL_E = "\x0f", "\x18\x05"

FINGERS = {
    "id": "fingers",
    "title": "Fingers",
    "phase": "prep",
    "version": 1,
    "questions": [
        {"id": "calm", "prompt": "How calm are you?", "type": "scale", "min": 1, "max": 10},
        {"id": "energy", "prompt": "How much energy?", "type": "scale", "min": 1, "max": 10},
        {"id": "beats", "prompt": "What are the beats?", "type": "long_text"},
        {"id": "story", "prompt": "Tell the story of the scene.", "type": "long_text"},
        {"id": "ready", "prompt": "Have you run it out loud?", "type": "confirm"},
    ],
}


def test_digits_enter_on_an_empty_line_and_the_editor_key(
    home: Path, coach_bin: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_checklist(home / "checklists", "fingers.yaml", FINGERS)
    editor = tmp_path / "fake-editor"
    # The editor also interrupts the coach, as a Ctrl-C in the editor may: the coach
    # leaves it to the editor (as git does) and goes on.
    editor.write_text(
        '#!/bin/sh\nkill -INT $PPID\nprintf "written in the editor\\n" >> "$1"\n', encoding="utf-8"
    )
    editor.chmod(0o700)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    child = spawn(coach_bin, home, "prep", "Nina", "--checklist", "fingers")
    take_the_offered_date(child)

    child.expect_exact("How calm are you?")
    child.expect_exact("type the number")
    child.send("4")  # no Enter: 4 is the only number that starts with 4
    child.expect_exact("How much energy?")
    child.expect_exact("type the number")
    # An Enter right after it, out of habit, is dropped: it used to answer this question.
    child.send(ENTER)
    child.send("10")

    child.expect_exact("What are the beats?")
    child.expect_exact("Enter on an empty line finishes (or Esc then Enter)")
    child.expect_exact("›")
    child.send("arrive" + ENTER + "listen" + ENTER)
    child.send(ENTER)  # the empty line ends it

    child.expect_exact("Tell the story of the scene.")
    child.expect_exact("Ctrl-X Ctrl-E opens your editor")
    child.expect_exact("›")
    child.send("She waits")
    child.send(CTRL_X_CTRL_E)
    child.expect_exact("written in the editor")  # back in the prompt, not yet answered
    child.send(ENTER + ENTER)

    child.expect_exact("Have you run it out loud?")
    child.expect_exact("(y/n)")
    child.send(ENTER)  # no default: Enter alone does not answer
    child.expect_exact("Type y for yes or n for no.")
    child.send("n")

    child.expect_exact("What now?")
    time.sleep(HABIT_ENTER_SECONDS + 0.2)  # an Enter this soon would be taken as habit
    child.send(ENTER)
    child.expect_exact("Saved your prep for Nina (callback-1)")
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)
    assert finish(child) == 0
    (note,) = saved_notes(home)
    assert note.answers["fingers"] == {
        "calm": 4,
        "energy": 10,
        "beats": "arrive\nlisten",
        "story": "She waits\nwritten in the editor",
        "ready": False,
    }


REFERENCE_SCRIPT = """
from rich.panel import Panel

from callback_coach.cli.asker import QuestionaryAsker
from callback_coach.core.checklist import Checklist
from callback_coach.core.questions import Question

asker = QuestionaryAsker()
asker.reference(Panel("Direction: more playful, less tragic", title="Last time"), "last round")
checklist = Checklist(id="c", title="C", phase="prep", version=1, questions=())
answer = asker.ask(checklist, Question("want", "What do you want?", "long_text"), None)
print("ANSWER=" + repr(answer), flush=True)
"""


def test_ctrl_o_shows_the_reference_above_the_prompt(home: Path) -> None:
    # The prep's own call site belongs to the "start from the last round" work; here the
    # real asker is driven directly, in a real terminal.
    child = spawn(sys.executable, home, "-c", REFERENCE_SCRIPT)
    child.expect_exact("What do you want?")
    child.expect_exact("Ctrl-O shows last round")
    child.expect_exact("›")
    child.send("to be seen")
    child.send(CTRL_O)
    child.expect_exact("Direction: more playful, less tragic")
    child.expect_exact("to be seen")  # the prompt is drawn again with what was typed
    child.send(", really" + ENTER + ENTER)
    child.expect_exact("ANSWER='to be seen, really'")
    child.expect(pexpect.EOF)


SKIPPABLE = {
    "id": "after",
    "title": "After",
    "phase": "prep",
    "version": 1,
    "questions": [
        {"id": "commit", "prompt": "How fully did you commit?", "type": "scale"},
        {"id": "settled", "prompt": "How settled do you feel?", "type": "scale",
         "min": 1, "max": 10},
        {"id": "room", "prompt": "Which room?", "type": "select", "choices": ["small", "big"]},
        {"id": "want", "prompt": "What do you want?", "type": "text"},
    ],
}  # fmt: skip


def test_a_stray_enter_on_an_untouched_scale_saves_nothing(home: Path, coach_bin: str) -> None:
    write_checklist(home / "checklists", "after.yaml", SKIPPABLE)
    child = spawn(coach_bin, home, "prep", "Nina", "--checklist", "after")
    take_the_offered_date(child)

    child.expect_exact("How fully did you commit?")
    child.expect_exact("(leave it blank)")  # where the menu opens, before 1
    child.send(ENTER)  # a stray Enter: blank, not 1
    child.expect_exact("How settled do you feel?")
    child.expect_exact("(leave it blank)")
    child.send("7")  # a digit answers at once
    child.expect_exact("Which room?")
    child.expect_exact("(leave it blank)")
    time.sleep(HABIT_ENTER_SECONDS + 0.2)
    child.send(ENTER)
    child.expect_exact("What do you want?")
    child.expect_exact("›")
    child.send("to stay" + ENTER)
    child.expect_exact("What now?")
    time.sleep(HABIT_ENTER_SECONDS + 0.2)
    child.send(ENTER)
    child.expect_exact("Saved your prep for Nina")
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)
    assert finish(child) == 0
    (note,) = saved_notes(home)
    assert note.answers["after"] == {"settled": 7, "want": "to stay"}
