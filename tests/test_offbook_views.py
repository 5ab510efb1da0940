"""The off-book figure the drills measure reaches the rest of the coach: `today` (screen
and JSON), `list --json` and the prep's "how well do you know the lines" scale; drill
drafts are listed by `today` and `list` with the command that resumes them as started."""

from __future__ import annotations

import datetime as dt
import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.asking import Notice
from callback_coach.core.planning import OFFBOOK_QUESTION
from callback_coach.core.workflow import Coach
from callback_coach.day import drill as drills
from callback_coach.lines.drill import DrillSession, plan_drill
from callback_coach.lines.sides import SidesStore

from .helpers import prep, review
from .lines_helpers import ZOE_LINES
from .lines_scripted import STOP, Clock, ScriptedLinesUI, import_sides
from .test_drill import drill_asker
from .test_json_shapes import check

runner = CliRunner()
TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def drilled(home: Path, said: list[str]) -> None:
    """Zoe's sides imported for callback-2, then a drill that stops after `said`."""
    import_sides(home)
    store = SidesStore(home)
    session = DrillSession(
        plan_drill(store, "Zoe", now=Clock()()), ScriptedLinesUI([*said, STOP]), store
    )
    with pytest.raises(KeyboardInterrupt):
        session.run()


def prepped(home: Path) -> Coach:
    """Zoe's callback-1 prepped and reviewed last week, callback-2 prepped for tomorrow."""
    coach = Coach(home)
    last_week = (dt.date.today() - dt.timedelta(days=7)).isoformat()
    prep(coach, "Zoe", project="The Boathouse", round_label="callback-1", date=last_week)
    review(coach, "Zoe", project="The Boathouse", outcome="callback", date=last_week)
    prep(coach, "Zoe", project="The Boathouse", round_label="callback-2", date=TOMORROW)
    return coach


def test_list_json_gives_each_role_its_figure(home: Path) -> None:
    coach = prepped(home)
    prep(coach, "Nina", project="", date=TOMORROW)
    before = json.loads(run("list", "--json"))
    check("list", before)
    assert [r["offbook"] for r in before["roles"]] == [None, None], "no sides, no figure"

    drilled(home, [ZOE_LINES[0], ZOE_LINES[1], "wrong"])
    data = json.loads(run("list", "--json"))
    check("list", data)
    figures = {r["role"]: r["offbook"] for r in data["roles"]}
    assert figures == {"Zoe": {"right": 2, "total": 5, "percent": 40}, "Nina": None}


def test_today_shows_the_figure_beside_the_callback(home: Path) -> None:
    prepped(home)
    drilled(home, [ZOE_LINES[0], "", "wrong"])
    data = json.loads(run("today", "--json"))
    check("today", data)
    (callback,) = data["callbacks"]
    assert (callback["round"], callback["offbook"]) == (
        "callback-2",
        {"right": 1, "total": 5, "percent": 20},
    )
    line = next(line for line in run("today").splitlines() if "Zoe" in line)
    assert line.rstrip().endswith("callback-2 · off-book 20%"), line


def test_sides_for_another_round_are_not_this_callback_s_figure(home: Path) -> None:
    prepped(home)
    import_sides(home, round_label="callback-3")
    (callback,) = json.loads(run("today", "--json"))["callbacks"]
    assert callback["offbook"] is None
    assert "off-book" not in run("today")


def test_the_prep_scale_starts_at_the_measured_figure_and_says_so(home: Path) -> None:
    coach = Coach(home)
    cid, qid = OFFBOOK_QUESTION
    plan = coach.plan_prep("Zoe", project="The Boathouse", round_label="callback-2")
    assert f"{cid}.{qid}" not in plan.defaults and cid not in plan.before

    import_sides(home)
    plan = coach.plan_prep("Zoe", project="The Boathouse", round_label="callback-2")
    assert f"{cid}.{qid}" not in plan.defaults, "sides never drilled measure nothing yet"

    drilled(home, list(ZOE_LINES[:4]))  # 4 of 5 right: 80 % is 1 + round(0.8 * 4) = 4
    plan = coach.plan_prep("Zoe", project="The Boathouse", round_label="callback-2")
    assert plan.defaults[f"{cid}.{qid}"] == 4
    notice = plan.before[cid]
    assert isinstance(notice, Notice)
    assert "80% off-book (4 of 5 lines)" in notice.text and "starts at 4 of 5" in notice.text
    # The quick path does not ask it: nothing is said.
    quick = coach.plan_prep("Zoe", project="The Boathouse", round_label="callback-2", path="quick")
    asked = {(c.id, q.id) for c in quick.checklists for q in c.questions}
    assert OFFBOOK_QUESTION not in asked and cid not in quick.before


def drill_draft(home: Path, *, seconds: int) -> Coach:
    coach = Coach(home)
    plan = drills.plan_drill(coach, "Nina", project="The Seagull", count=3, seed=9, seconds=seconds)
    asker, *_ = drill_asker({"drill.note-1-said-back": "faster"}, interrupt_after=1)
    with pytest.raises(KeyboardInterrupt):
        drills.run_drill(coach, plan, asker)
    return coach


@pytest.mark.parametrize("seconds", [5, drills.DEFAULT_SECONDS])
def test_a_drill_draft_is_listed_with_its_answers_and_its_pace(home: Path, seconds: int) -> None:
    drill_draft(home, seconds=seconds)
    today = json.loads(run("today", "--json"))
    check("today", today)
    listed = json.loads(run("list", "--json"))
    check("list", listed)
    (in_today,) = today["drafts"]
    (in_list,) = listed["drafts"]
    assert in_today["kind"] == in_list["kind"] == "drill"
    assert in_today["answers"] == in_list["answers"] == 1, "the notes drawn are not answers"
    assert in_today["hint"] == in_list["hint"]
    words = shlex.split(in_today["hint"])
    assert words[:2] == ["coach", "drill"]
    assert ("--seconds" in words) == (seconds != drills.DEFAULT_SECONDS)
    if seconds != drills.DEFAULT_SECONDS:
        assert words[words.index("--seconds") + 1] == str(seconds)
    screen = run("today")
    assert "callback-1 · drill, 1 answer" in screen
    assert "No notes yet" not in screen
    assert "callback-1 drill · 1 answer" in run("list")
