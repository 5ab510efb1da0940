"""`coach list`'s Next column on a fixed day: a prepared round's callback until its day,
its review from that day on (as `coach today` has it); the JSON `next` is unchanged."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.season import loading as season

from .helpers import prep, review

runner = CliRunner()
CALLBACK = "2026-12-11"  # a Friday


@pytest.fixture
def booked_friday(home: Path) -> Coach:
    c = Coach(home)
    prep(c, project="The Seagull", date="2026-11-20")
    review(c, outcome="callback", date="2026-11-20")
    prep(c, date=CALLBACK)  # callback-2, prepped ahead of its day
    return c


def next_cell(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> str:
    monkeypatch.setattr(season, "current_day", lambda: day)
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if "Nina" in line)
    return line.split("pending")[1].strip()


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        ("2026-12-07", "callback Fri 11 Dec"),
        ("2026-12-10", "callback tomorrow"),
        ("2026-12-11", "review"),  # the day of the callback: the review comes after the room
        ("2026-12-14", "review"),
    ],
)
def test_next_is_the_callback_until_its_day_then_the_review(
    booked_friday: Coach, monkeypatch: pytest.MonkeyPatch, day: str, shown: str
) -> None:
    assert next_cell(monkeypatch, dt.date.fromisoformat(day)) == shown


def test_a_callback_next_year_names_the_year(
    booked_friday: Coach, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert next_cell(monkeypatch, dt.date(2025, 12, 1)) == "callback Fri 11 Dec 2026"


def test_the_json_next_still_names_the_next_session(
    booked_friday: Coach, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(season, "current_day", lambda: dt.date(2026, 12, 7))
    result = runner.invoke(app, ["list", "--json"])
    role = json.loads(result.stdout)["roles"][0]
    assert role["next"] == {"action": "review", "round": "callback-2"}
    assert role["latest_date"] == CALLBACK


def test_a_narrow_terminal_says_the_same(
    booked_friday: Coach, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(season, "current_day", lambda: dt.date(2026, 12, 7))
    monkeypatch.setenv("COLUMNS", "40")
    result = runner.invoke(app, ["list"])
    assert "next: callback Fri 11 Dec" in " ".join(result.stdout.split())
