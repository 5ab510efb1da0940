"""The installed `coach` in a real pseudo-terminal, as an actor uses it the evening the
pages arrive: import them, choose the character, drill (one line wrong, one with a hint,
one right), Ctrl-C, go on, and see the off-book figure (POSIX)."""

from __future__ import annotations

import re
from pathlib import Path

import pexpect
import pytest

from callback_coach.lines.sides import SidesStore

from .lines_helpers import SCREENPLAY, ZOE_LINES, write
from .test_e2e import finish, spawn, take_the_offered_date

pytestmark = pytest.mark.e2e

ENTER, CTRL_C = "\r", "\x03"


def sides_list(coach_bin: str, home: Path) -> str:
    child = spawn(coach_bin, home, "sides", "list")
    child.expect(pexpect.EOF)
    text = child.before
    child.close()
    assert child.exitstatus == 0
    return text


def test_import_choose_drill_stop_resume_and_see_the_figure(
    home: Path, tmp_path: Path, coach_bin: str
) -> None:
    pages = write(tmp_path, "boathouse.txt", SCREENPLAY)

    # Import, and choose the character from the menu (ZOE, then MAX: Down goes to MAX,
    # Up comes back to ZOE).
    child = spawn(coach_bin, home, "sides", "add", "Lead", str(pages), "-p", "Boathouse")
    child.expect_exact("Which character is yours?")
    child.expect_exact("MAX")
    child.send("\x1b[B" + "\x1b[A" + ENTER)
    child.expect_exact("Imported scene 1 (INT. BOATHOUSE BY THE LAKE - NIGHT): 3 lines for ZOE.")
    assert finish(child) == 0
    assert {s.character for s in SidesStore(home).scenes("Lead")} == {"ZOE"}

    # Drill: the first line wrong, the second with a hint, the third right; then Ctrl-C.
    child = spawn(coach_bin, home, "lines", "Lead")
    child.expect_exact("(Your line opens the scene.)")
    child.expect_exact("›")
    child.send("You said nine" + ENTER)
    child.expect_exact("not yet")
    child.expect_exact("swapped: nine for eight")
    child.expect_exact("once more (Enter to go on) ›")
    child.send(ENTER)
    child.expect_exact("I said eight-ish. There's a difference.")  # the cue (its name in bold)
    child.expect_exact("›")
    child.send("?" + ENTER)
    child.expect_exact("hint: N t m. N t.")
    child.expect_exact("›")
    child.send("not to me, not tonight" + ENTER)
    child.expect_exact("100% of the words")
    child.expect_exact("(She drops her bag on the workbench.)")
    child.expect_exact("›")
    child.send(ZOE_LINES[2] + ENTER)
    child.expect_exact("word for word")
    child.expect_exact("Then I burned it.")  # the fourth cue
    child.expect_exact("›")
    child.send(CTRL_C)
    child.expect_exact("Stopped. 3 graded lines are kept; run `")
    child.expect_exact("` to go on.")
    again = child.before.strip()
    assert again == "coach lines Lead"
    assert finish(child) == 130
    assert "off-book: 1 of 5 lines (20%)" in sides_list(coach_bin, home)

    # Resume with the command it printed, and say every line it brings right.
    child = spawn(coach_bin, home, *again.split()[1:])
    answers = {
        "(Your line opens the scene.)": ZOE_LINES[0],  # if a minute has passed: due again
        "I read it twice. Then I burned it.": ZOE_LINES[3],
        "Then stay.": ZOE_LINES[4],
    }
    right = 0
    while True:
        found = child.expect_exact([*answers, "Drilled "])
        if found == len(answers):
            break
        child.expect_exact("›")
        child.send(list(answers.values())[found] + ENTER)
        child.expect_exact("word for word")
        right += 1
    child.expect_exact("Off-book now:")
    assert finish(child) == 0
    assert right >= 2
    listed = sides_list(coach_bin, home)
    assert re.search(rf"off-book: {1 + right} of 5 lines \(\d+%\)", listed), listed
    assert "EXT. JETTY - LATER · ZOE: 2 of 2 lines (100%)" in listed

    # The prep starts "how well do you know the lines" at the measured figure, and says so.
    child = spawn(coach_bin, home, "prep", "Lead", "-p", "Boathouse", "-c", "refine-intention")
    take_the_offered_date(child)
    child.expect(r"Your drills say you are (\d+)% off-book \((\d) of 5 lines\)")
    percent, known = child.match.group(1), child.match.group(2)
    assert known == str(1 + right)
    child.send(CTRL_C)
    assert finish(child) == 130

    # Saved, the card shows the figure.
    answers = tmp_path / "answers.yaml"
    answers.write_text("refine-intention:\n  want: to keep him here\n", encoding="utf-8")
    saved = spawn(coach_bin, home, "prep", "Lead", "-p", "Boathouse", "--answers", str(answers))
    assert finish(saved) == 0
    child = spawn(coach_bin, home, "card", "Lead")
    child.expect_exact(f"{percent}% of your lines ({known} of 5)")
    assert finish(child) == 0
