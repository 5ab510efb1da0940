"""coach today (and a bare `coach`): what is next, on a fixed day."""

from __future__ import annotations

import datetime as dt
import json
import shlex
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.rounds import build_roles
from callback_coach.core.workflow import Coach
from callback_coach.season import loading as season
from callback_coach.season.today import today_view
from callback_coach.store.drafts import Draft, DraftStore

from .helpers import REVIEW, prep, review
from .season_data import random_rounds, write_rounds
from .test_stats import run_in_terminal

runner = CliRunner()
DAY = dt.date(2026, 11, 23)  # a Monday


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(season, "current_day", lambda: DAY)


@pytest.fixture
def week(home: Path) -> Coach:
    c = Coach(home)
    prep(c, project="The Seagull", date="2026-11-20")
    answers = {"after-the-room": {**REVIEW["after-the-room"], "follow-up": []}}
    review(c, answers=answers, outcome="callback", date="2026-11-20")
    plan = c.plan_prep("Nina", date="2026-11-25")
    plan.extra.update({"time": "14:30", "place": "Studio 4"})
    c.save_answers(plan, {"refine-intention": {"want": "to be seen"}})
    prep(c, "Sonya", project="Uncle Vanya", date="2026-11-19")
    prep(c, "Masha", project="Three Sisters", date="2026-11-02")
    review(c, "Masha", outcome="pending", date="2026-11-02")
    prep(c, "Irina", project="Three Sisters", date="2026-11-15")
    review(c, "Irina", outcome="pending", date="2026-11-15")
    prep(c, "Olga", project="Red Lake", date="2026-10-01")
    review(c, "Olga", outcome="released", date="2026-10-01")
    prep(c, "Boris", project="Red Lake", date="2026-12-15")
    draft = Draft(
        kind="prep",
        role="Kostya",
        project="The Seagull",
        round="callback-1",
        date="2026-11-24",
        checklists=["refine-intention"],
        answers={"refine-intention": {"want": "to be loved", "obstacle": "Mother"}},
        started="2026-11-22T20:00:00+00:00",
        chosen=["refine-intention"],
    )
    DraftStore(home).save(draft)
    for text, due in (("Send the tape", "2026-11-24"), ("Call back in spring", "2027-03-01")):
        result = runner.invoke(app, ["follow-ups", "add", "Nina", text, "--due", due])
        assert result.exit_code == 0
    return c


def today_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"] if args else ["today", "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_today_lists_what_is_next(week: Coach) -> None:
    data = today_json()
    assert data["format"] == 2 and data["today"] == "2026-11-23"
    assert data["callbacks"] == [
        {
            "role": "Kostya",
            "project": "The Seagull",
            "round": "callback-1",
            "date": "2026-11-24",
            "time": None,
            "place": None,
            "prepped": False,
            "hint": "coach prep Kostya --project 'The Seagull' --round callback-1"
            " --date 2026-11-24 -c refine-intention",
            "offbook": None,
        },
        {
            "role": "Nina",
            "project": "The Seagull",
            "round": "callback-2",
            "date": "2026-11-25",
            "time": "14:30",
            "place": "Studio 4",
            "prepped": True,
            "hint": "coach card Nina --round callback-2",
            "offbook": None,
        },
    ]
    assert data["to_review"] == [
        {
            "role": "Sonya",
            "project": "Uncle Vanya",
            "round": "callback-1",
            "date": "2026-11-19",
            "days_ago": 4,
            "hint": "coach review Sonya",
        }
    ]
    assert [(p["role"], p["days_ago"]) for p in data["pending_outcomes"]] == [("Masha", 21)]
    assert data["pending_outcomes"][0]["hint"] == "coach outcome Masha OUTCOME"
    assert [i["what"] for i in data["follow_ups"]] == ["Send the tape"]
    assert data["undated_follow_ups"] == 3  # the review's three unticked follow-ups
    assert [(d["role"], d["answers"]) for d in data["drafts"]] == [("Kostya", 2)]
    # Its hint resumes it as it was started: its callback's date and its one checklist.
    assert data["drafts"][0]["hint"] == (
        "coach prep Kostya --project 'The Seagull' --round callback-1 --date 2026-11-24"
        " -c refine-intention"
    )


def test_the_screen_is_short_and_names_the_next_command(week: Coach) -> None:
    result = runner.invoke(app, ["today"])
    assert result.exit_code == 0 and result.stderr == ""
    text = result.stdout
    assert text.startswith("Today · Mon 23 Nov 2026\n")
    for line in (
        "Callbacks in the next 7 days",
        "tomorrow  Kostya · The Seagull · callback-1",
        "Wed 25 Nov 14:30  Nina · The Seagull · callback-2 · Studio 4",
        "prepped: coach card Nina",
        "Waiting for your review",
        "coach review Sonya",
        "Follow-ups due",
        "tomorrow  Send the tape (Nina)",
        "3 open follow-ups with no date",
        "Unfinished drafts",
        "Still no news after two weeks",
        "Masha · Three Sisters · callback-1 · 21 days ago",
    ):
        assert line in text, line
    assert "Irina" not in text and "Olga" not in text and "Boris" not in text
    assert len(text.splitlines()) <= 24


def test_a_bare_coach_shows_today_and_help_still_shows_help(week: Coach) -> None:
    bare = runner.invoke(app, [])
    assert bare.exit_code == 0
    assert bare.stdout == runner.invoke(app, ["today"]).stdout
    helped = runner.invoke(app, ["--help"])
    assert helped.exit_code == 0
    assert helped.stdout.startswith("Usage: coach [OPTIONS] COMMAND [ARGS]...")
    assert "today" in helped.stdout and "stats" in helped.stdout


def test_a_new_actor_is_told_how_to_start(home: Path) -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 0
    assert 'No notes yet. Start with:\n  coach prep "ROLE" --project "PROJECT"\n' in result.stdout


def test_nothing_due(home: Path) -> None:
    c = Coach(home)
    prep(c, project="The Seagull", date="2026-11-01")
    review(c, outcome="booked", date="2026-11-01")
    assert "Nothing due." in runner.invoke(app, ["today"]).stdout


def test_the_hint_names_the_project_when_the_role_is_in_two(home: Path) -> None:
    c = Coach(home)
    prep(c, project="The Seagull", date="2026-11-19")
    prep(c, project="Other Play", date="2026-11-18")
    hints = sorted(r["hint"] for r in today_json()["to_review"])
    assert hints == [
        "coach review Nina --project 'Other Play'",
        "coach review Nina --project 'The Seagull'",
    ]


def test_the_core_takes_the_day_it_is_given(week: Coach) -> None:
    roles = season.load_roles(week)
    later = today_view(roles, [], [], dt.date(2026, 12, 10))
    assert [c.role for c in later.callbacks] == ["Boris"]
    assert [p.role for p in later.pending] == ["Masha", "Irina"]
    # Oldest first; a round waiting for its review is not also listed as pending.
    assert [r.role for r in later.to_review] == ["Sonya", "Nina"]


@pytest.mark.e2e
def test_a_bare_coach_in_a_terminal_is_short_at_60_columns(home: Path, coach_bin: str) -> None:
    text = run_in_terminal(coach_bin, home, 60)
    assert "No notes yet" in text
    assert all(len(line) <= 60 for line in text.splitlines())


def test_a_released_role_s_prepped_callback_is_not_listed(week: Coach) -> None:
    """Released before the day: the callback is off, so today does not send you to it."""

    def callbacks() -> list[str]:
        return [
            c["role"]
            for c in json.loads(runner.invoke(app, ["today", "--json"]).stdout)["callbacks"]
        ]

    assert "Nina" in callbacks()
    assert runner.invoke(app, ["outcome", "Nina", "released"]).exit_code == 0
    assert "Nina" not in callbacks()


@pytest.mark.parametrize("width", [40, 60])
def test_a_hint_wraps_to_the_terminal_and_runs_when_pasted(
    week: Coach, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """A long resume command is wrapped with ` \\` line ends: it fits the terminal, and
    pasted into a shell it is the command `today --json` gives."""
    from rich.cells import cell_len

    from .test_shell_lines import run_pasted

    monkeypatch.setenv("COLUMNS", str(width))
    text = runner.invoke(app, ["today"]).stdout
    assert all(cell_len(line) <= width for line in text.splitlines()), text
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if "→ coach prep Kostya" in line)
    end = next(n for n in range(start, len(lines)) if not lines[n].endswith("\\"))
    pasted = "\n".join(lines[start : end + 1]).replace("→ ", "", 1)
    (hint,) = [d["hint"] for d in today_json()["drafts"] if d["role"] == "Kostya"]
    assert end > start, "wrapped"
    assert run_pasted(["bash", "--norc", "-c"], pasted) == shlex.split(hint)[1:]


@settings(max_examples=15, deadline=None)
@given(
    rounds=random_rounds(["2026-10-01", "2026-11-05", "2026-11-20", "2026-11-23", "2026-11-27"]),
    draft_for=st.sampled_from([None, ("Nina", "Vanya"), ("Olga", "Red Lake")]),
)
def test_today_from_the_index_is_today_from_every_note(tmp_path_factory, rounds, draft_for) -> None:
    """`coach today` reads whole only the roles that may have a callback (and the drafts'
    roles), and of the others only the latest rounds that wait (season.load_for_today):
    the same view as every role grouped from every note."""
    home = tmp_path_factory.mktemp("today") / "home"
    write_rounds(home, rounds)
    drafts = []
    if draft_for is not None:
        drafts = [
            Draft(
                kind="prep", role=draft_for[0], project=draft_for[1], round="callback-1",
                date="2026-11-25", checklists=["refine-intention"], answers={},
                started="2026-11-22T20:00:00+00:00", chosen=["refine-intention"],
            )
        ]  # fmt: skip
    roles, waiting, names, total = season.load_for_today(Coach(home), DAY, drafts)
    every = build_roles(Coach(home).index.facts())
    assert len(roles) <= len(every)
    fast = today_view(roles, [], drafts, DAY, waiting=waiting, names=names, total=total)
    assert fast == today_view(every, [], drafts, DAY)


def test_an_index_made_by_another_version_is_built_again(week: Coach) -> None:
    """The index is a cache: one made by another version of the coach (another schema)
    is deleted and built again from the notes, never migrated; today reads the same."""
    import contextlib
    import os
    import sqlite3

    from callback_coach.store import index as index_module

    expected = today_json()
    database = next(Path(os.environ["COACH_CACHE_DIR"]).rglob("index.sqlite3"))
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute("DROP INDEX roles_waiting")
        db.execute("ALTER TABLE roles DROP COLUMN waiting")
        db.execute("PRAGMA user_version = 7")
        db.commit()
    assert today_json() == expected
    with contextlib.closing(sqlite3.connect(database)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == index_module.SCHEMA_VERSION
        waiting = db.execute("SELECT role, waiting FROM roles WHERE waiting != ''").fetchall()
    roles = build_roles(week.index.facts())
    assert sorted(waiting) == sorted((r.role, w.what) for r in roles if (w := r.waiting()))
    assert ("Masha", "outcome") in waiting and ("Sonya", "review") in waiting
