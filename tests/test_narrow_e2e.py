"""The installed `coach` in a real 40-column terminal: every command that shows something
keeps within the width, wraps names between words instead of cutting them, and its
commands to copy, pasted into a shell, still run."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pexpect
import pytest
from rich.cells import cell_len

from callback_coach.cli.app import COMMANDS
from callback_coach.core.workflow import Coach
from callback_coach.store.drafts import Draft, DraftStore

from .lines_helpers import SCREENPLAY
from .lines_scripted import import_sides
from .test_shell_lines import run_pasted

pytestmark = pytest.mark.e2e

WIDTH = 40
ROLE = "Konstantin Gavrilovich Treplev"
PROJECT = "The Seagull (Chekhov, new version)"
OFFICE = "Ó Súilleabháin & Co"
SIDES_ROLE = "Zoe Wanamaker-Fitzgerald"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def day(offset: int) -> str:
    return (dt.date.today() + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def season(home: Path, coach_bin: str) -> Path:
    """A season with long names everywhere: a role reviewed and prepped again (with a
    callback in two days), a follow-up due, a draft started with several checklists,
    imported sides."""
    coach = Coach(home)
    plan = coach.plan_prep(ROLE, project=PROJECT, date=day(-3))
    plan.extra.update({"casting_office": OFFICE, "medium": "theatre"})
    answers = {"want": "to be seen by his mother as a real artist at last"}
    coach.save_answers(plan, {"refine-intention": answers})
    review = {
        "direction": "Less pleading, more pride; take the pause before the lake speech",
        "who-was-there": "Anna Kowalczyk-Brennan (casting), the director",
        "one-thing": "Breathe before the exit",
    }
    coach.save_answers(coach.plan_review(ROLE, date=day(-3)), {"after-the-room": review})
    plan = coach.plan_prep(ROLE, project=PROJECT, date=day(2))
    plan.extra.update({"place": "Studio 4, Riverside Theatre Complex", "time": "14:30"})
    coach.save_answers(plan, {"refine-intention": {"want": "to be seen again by everyone"}})
    added = run(
        coach_bin, home, "follow-ups", "add", ROLE, "Send the self-tape of the second scene",
        "--due", day(1), "--for", "Anna Kowalczyk-Brennan",
    )  # fmt: skip
    assert added[1] == 0
    DraftStore(home).save(
        Draft(
            kind="prep",
            role="Masha Shamrayeva-Medvedenko",
            project=PROJECT,
            round="callback-2",
            date=day(1),
            checklists=["refine-intention", "mindset"],
            answers={"refine-intention": {"want": "to be loved"}},
            started="2026-11-22T20:00:00+00:00",
            chosen=["refine-intention", "mindset"],
        )
    )
    import_sides(home, SCREENPLAY, role=SIDES_ROLE, project="The Boathouse on the Lake")
    return home


def environment(home: Path, coach_bin: str) -> dict[str, str]:
    return {
        **os.environ,
        "COACH_HOME": str(home),
        "PATH": f"{Path(coach_bin).parent}{os.pathsep}{os.environ['PATH']}",
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "COLUMNS": str(WIDTH),
        "LINES": "50",
    }


def run(coach_bin: str, home: Path, *args: str) -> tuple[str, int]:
    """What `coach ARGS` shows in a 40-column terminal (standard output and error)."""
    child = pexpect.spawn(
        coach_bin,
        list(args),
        env=environment(home, coach_bin),
        encoding="utf-8",
        dimensions=(50, WIDTH),
        timeout=30,
    )
    child.expect(pexpect.EOF)
    child.close()
    return ANSI.sub("", child.before).replace("\r\n", "\n"), child.exitstatus


SHOWN = [
    [],
    ["list"],
    ["show", ROLE],
    ["search", "pause"],
    ["today"],
    ["follow-ups", "--all"],
    ["stats", "--by", "office,medium,project,month"],
    ["card", ROLE],
    ["checklists", "list"],
    ["checklists", "show", "after-the-room"],
    ["drill", ROLE, "--list", "--seed", "1"],
    ["breathe", "--list"],
    ["sides", "list"],
    ["sides", "show", SIDES_ROLE],
    ["lines", SIDES_ROLE, "--list"],
    ["conflicts", "list"],
    ["--help"],
    *([name, "--help"] for name in COMMANDS),
    ["export", "notes", "--help"],
    ["follow-ups", "add", "--help"],
]


def test_every_command_keeps_within_40_columns(season: Path, coach_bin: str) -> None:
    for args in SHOWN:
        text, code = run(coach_bin, season, *args)
        assert code == 0, (args, text)
        wide = [line for line in text.split("\n") if cell_len(line) > WIDTH]
        assert not wide, (args, wide, text)


def test_names_wrap_between_words_at_40_columns(season: Path, coach_bin: str) -> None:
    for args, names in [
        (["stats", "--by", "office,project"], [OFFICE, PROJECT]),
        (["list"], [ROLE, PROJECT, "Masha Shamrayeva-Medvedenko"]),
        (["today"], [ROLE, "Send the self-tape of the second scene"]),
    ]:
        text, _ = run(coach_bin, season, *args)
        words = text.split()
        for name in names:
            assert all(word in words for word in name.split()), (args, name, text)
        assert "…" not in text, (args, text)


def test_a_hint_wrapped_at_40_columns_runs_when_pasted(season: Path, coach_bin: str) -> None:
    text, _ = run(coach_bin, season, "today")
    lines = text.split("\n")
    start = next(n for n, line in enumerate(lines) if "→ coach prep" in line)
    end = next(n for n in range(start, len(lines)) if not lines[n].endswith("\\"))
    assert end > start, text
    pasted = "\n".join(lines[start : end + 1]).split("→ ", 1)[1]
    shown = subprocess.run(
        [coach_bin, "today", "--json"],
        env=environment(season, coach_bin),
        capture_output=True,
        text=True,
        timeout=30,
    )
    (hint,) = [d["hint"] for d in json.loads(shown.stdout)["drafts"]]
    assert run_pasted(["bash", "--norc", "-c"], pasted) == shlex.split(hint)[1:]
