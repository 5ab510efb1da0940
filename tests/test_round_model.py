"""One round, one model: every view of a round (list, show, today, stats, the calendar,
the card, the next round's carry-over) tells the same day, medium, outcome and answers.

The regression tests are the disagreements found before there was one model (each failed
on the code of that time); the property test writes random seasons through the coach
itself and checks every view against a small model of the rules written here, apart
from the product's own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core import outcomes
from callback_coach.core.workflow import Coach
from callback_coach.season import loading
from callback_coach.store import notes as notes_module
from callback_coach.store.labels import round_rank
from callback_coach.store.notes import read_note
from callback_coach.store.slugs import fold

from .helpers import write_checklist

runner = CliRunner()
TODAY = dt.date(2026, 11, 20)
JOB = {
    "id": "job",
    "title": "The job",
    "phase": "prep",
    "version": 1,
    "questions": [
        {"id": "time", "prompt": "What time?", "type": "text"},
        {"id": "place", "prompt": "Where?", "type": "text"},
    ],
}


def coach_json(*args: str) -> Any:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, (args, result.stderr)
    return json.loads(result.stdout)


def coach_text(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


class Clock:
    """The time notes are written at: a minute later at each call."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> str:
        self.now += dt.timedelta(minutes=1)
        return self.now.isoformat(timespec="seconds")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    ticking = Clock()
    monkeypatch.setattr(notes_module, "now_iso", ticking)
    monkeypatch.setattr(outcomes, "now_iso", ticking)
    monkeypatch.setattr(loading, "current_day", lambda: TODAY)
    return ticking


def prep(
    coach: Coach,
    role: str,
    label: str,
    date: str,
    answers: dict[str, dict[str, Any]],
    *,
    path: str = "full",
    project: str = "The Seagull",
) -> Path:
    plan = coach.plan_prep(role, project=project, round_label=label, date=date, path=path)
    note = coach.save_answers(plan, answers)
    assert note.path is not None
    return note.path


def review(
    coach: Coach,
    role: str,
    label: str,
    date: str,
    outcome: str | None,
    project: str = "The Seagull",
) -> Path:
    plan = coach.plan_review(role, project=project, round_label=label, date=date, outcome=outcome)
    note = coach.save_answers(plan, {"after-the-room": {"one-thing": "Breathe"}})
    assert note.path is not None
    return note.path


def calendar_rounds() -> dict[str, icalendar.Event]:
    """The calendar's round events by their summary (role · project · round)."""
    parsed = icalendar.Calendar.from_ical(coach_text("export", "calendar"))
    return {str(e["SUMMARY"]): e for e in parsed.walk("VEVENT")}


# -- the disagreements, one by one -----------------------------------------------------------


def test_a_round_is_on_the_day_its_review_gives_everywhere(home: Path, clock: Clock) -> None:
    """A prep dated the 20th, the review saved with --date 22: list, show, the calendar and
    the card say the 22nd (the calendar said the 20th, the others the 22nd)."""
    coach = Coach(home)
    prep(coach, "Nina", "callback-1", "2026-11-20", {"refine-intention": {"want": "to win"}})
    review(coach, "Nina", "callback-1", "2026-11-22", "callback")
    (row,) = coach_json("list", "--json")["roles"]
    assert row["latest_date"] == "2026-11-22"
    (shown,) = coach_json("show", "Nina", "--json")["rounds"]
    assert shown["date"] == "2026-11-22"
    (event,) = calendar_rounds().values()
    assert event.decoded("DTSTART") == dt.date(2026, 11, 22)
    assert "Sun 22 Nov 2026" in coach_text("card", "Nina", "--format", "md")


def test_the_medium_carries_to_the_next_round(home: Path, clock: Clock) -> None:
    """Callback 1 was TV: callback 2's prep offers TV first (it offered film), and its
    card and calendar event say TV."""
    coach = Coach(home)
    prep(
        coach, "Nina", "callback-1", "2026-11-10",
        {"refine-intention": {"want": "to win", "medium": "TV"}},
    )  # fmt: skip
    review(coach, "Nina", "callback-1", "2026-11-10", "callback")
    plan = coach.plan_prep("Nina", date="2026-11-24")
    assert plan.round == "callback-2"
    assert plan.defaults["refine-intention.medium"] == "TV"
    coach.save_answers(plan, {"refine-intention": {"want": "to win again"}})
    card = coach_text("card", "Nina", "--round", "callback-2", "--format", "md")
    assert "TV" in card and "film" not in card
    event = calendar_rounds()["Nina · The Seagull · callback-2"]
    assert "Medium: TV" in str(event["DESCRIPTION"])


def test_a_quick_prep_after_a_full_one_keeps_what_the_full_one_said(
    home: Path, clock: Clock
) -> None:
    """A quick prep the morning after a full prep replaces the answers it gives, and only
    those: the card keeps the full prep's anchor, shows the new want alone (it showed
    both wants joined), and the next round's prep recalls the merged answers."""
    coach = Coach(home)
    full = {
        "refine-intention": {"want": "to win him over"},
        "mindset": {"anchor": "Feet on the floor"},
        "recall-what-worked": {"what-worked": "The pause"},
    }
    prep(coach, "Nina", "callback-1", "2026-11-21", full)
    prep(
        coach, "Nina", "callback-1", "2026-11-21",
        {"refine-intention": {"want": "to corner him"}}, path="quick",
    )  # fmt: skip
    card = coach_text("card", "Nina", "--format", "md")
    assert "to corner him" in card and "to win him over" not in card
    assert "Feet on the floor" in card
    (shown,) = coach_json("show", "Nina", "--json")["rounds"]
    assert len(shown["preps"]) == 2, "both preps are kept as written"


def test_outcomes_recorded_at_once_are_all_kept(home: Path) -> None:
    """Two coaches record outcomes on one round at the same moment, ten times over, each a
    real change (two outcomes other than the two before): every change is in the note's
    history, with its time (9 of 20 were kept before)."""
    coach = Coach(home)
    prep(coach, "Nina", "callback-1", "2026-11-10", {"refine-intention": {"want": "to win"}})
    path = review(coach, "Nina", "callback-1", "2026-11-10", None)
    env = {**os.environ, "COACH_HOME": str(home)}
    coach_bin = str(Path(sys.executable).parent / "coach")
    pairs = [("callback", "avail"), ("hold", "released")] * 5
    for pair in pairs:
        running = [
            subprocess.Popen(
                [coach_bin, "outcome", "Nina", outcome],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for outcome in pair
        ]
        for process in running:
            assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""
    history = read_note(path).meta["outcome_history"]
    assert len(history) == 20 and all(entry["at"] for entry in history)
    for number, pair in enumerate(pairs):
        assert sorted(e["outcome"] for e in history[2 * number : 2 * number + 2]) == sorted(pair)
    stats = coach_json("stats", "--json")
    assert [s["roles"] for s in stats["funnel"]][:3] == [1, 1, 1], "the holds still count"


# -- every view agrees, on random seasons ------------------------------------------------------

ROLES = [("Nina", "The Seagull"), ("nina", "Vanya"), ("Sonya", "Vanya")]
LABELS = ["audition", "callback-1", "callback-2"]
DAYS = ["2026-11-18", "2026-11-20", "2026-11-22", "2026-11-26"]
MEDIA = ["film", "TV", "theatre"]

EVENT = st.one_of(
    st.fixed_dictionaries(
        {
            "kind": st.just("prep"),
            "path": st.sampled_from(["full", "quick"]),
            "date": st.sampled_from(DAYS),
            "want": st.sampled_from(["to win", "to corner him", "to be seen"]),
            "medium": st.sampled_from([None, *MEDIA]),
            "time": st.sampled_from([None, "10:30", "2pm"]),
        }
    ),
    st.fixed_dictionaries(
        {
            "kind": st.just("review"),
            "date": st.sampled_from(DAYS),
            "outcome": st.sampled_from([None, "callback", "hold", "released", "booked"]),
        }
    ),
    st.fixed_dictionaries(
        {"kind": st.just("outcome"), "outcome": st.sampled_from(["hold", "released", "booked"])}
    ),
)
SEASONS = st.lists(
    st.tuples(st.sampled_from(range(len(ROLES))), st.sampled_from(LABELS), EVENT),
    min_size=1,
    max_size=9,
)


class Expected:
    """The rules, written apart from the product: what each round should say."""

    def __init__(self) -> None:
        self.rounds: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.names: dict[tuple[str, str], tuple[str, str]] = {}

    def key(self, role: int, label: str) -> tuple[str, str, str]:
        name, project = ROLES[role]
        self.names.setdefault((fold(name), fold(project)), (name, project))
        return fold(name), fold(project), label

    def round(self, role: int, label: str) -> dict[str, Any]:
        return self.rounds.setdefault(
            self.key(role, label),
            {"date": None, "outcome": None, "medium": None, "want": None, "time": None,
             "preps": 0, "reviews": 0},
        )  # fmt: skip


def write_season(coach: Coach, season: list[tuple[int, str, dict[str, Any]]]) -> Expected:
    """Write the season through the coach, skipping what it would refuse (a review or an
    outcome of a round with no prep yet), and say what each round should show."""
    expected = Expected()
    for role, label, event in season:
        name, project = ROLES[role]
        known = expected.rounds.get(expected.key(role, label))
        if event["kind"] == "prep":
            answers: dict[str, dict[str, Any]] = {"refine-intention": {"want": event["want"]}}
            if event["path"] == "full":
                if event["medium"]:
                    answers["refine-intention"]["medium"] = event["medium"]
                if event["time"]:
                    answers["job"] = {"time": event["time"]}
            plan = coach.plan_prep(
                name, project=project, round_label=label, date=event["date"], path=event["path"]
            )
            carried = plan.defaults.get("refine-intention.medium")
            coach.save_answers(plan, answers)
            state = expected.round(role, label)
            state["preps"] += 1
            state["date"] = event["date"]
            state["want"] = event["want"]
            if event["path"] == "full":
                # A full prep answers the medium: as given, else as carried from before.
                state["medium"] = event["medium"] or carried or state["medium"]
                state["time"] = event["time"] or state["time"]
        elif known is None or not known["preps"]:
            continue
        elif event["kind"] == "review":
            review(coach, name, label, event["date"], event["outcome"], project)
            known["reviews"] += 1
            known["date"] = event["date"]
            if event["outcome"] is not None:
                known["outcome"] = event["outcome"]
        else:
            latest = max(
                (k for k, v in expected.rounds.items() if k[:2] == expected.key(role, label)[:2]),
                key=lambda k: round_rank(k[2]),
            )
            if latest[2] != label:
                continue  # `coach outcome` without --round records the latest round's
            coach.record_outcome(name, event["outcome"], project=project)
            known["outcome"] = event["outcome"]
    return expected


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(season=SEASONS)
def test_every_view_tells_each_round_the_same(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    season: list[tuple[int, str, dict[str, Any]]],
) -> None:
    home = tmp_path_factory.mktemp("season") / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("COACH_CACHE_DIR", str(home.parent / "cache"))
    ticking = Clock()
    monkeypatch.setattr(notes_module, "now_iso", ticking)
    monkeypatch.setattr(outcomes, "now_iso", ticking)
    monkeypatch.setattr(loading, "current_day", lambda: TODAY)
    write_checklist(home / "checklists", "job.yaml", JOB)
    expected = write_season(Coach(home), season)
    if not expected.rounds:
        return
    by_role: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
    for (role_key, project_key, label), state in expected.rounds.items():
        by_role.setdefault((role_key, project_key), []).append((label, state))
    listed = {
        (fold(r["role"]), fold(r["project"])): r for r in coach_json("list", "--json")["roles"]
    }
    events = calendar_rounds()
    today = coach_json("today", "--json")
    soon = {(fold(c["role"]), fold(c["project"]), c["round"]): c for c in today["callbacks"]}
    for role_key, rounds in by_role.items():
        name, project = expected.names[role_key]
        rounds.sort(key=lambda pair: round_rank(pair[0]))
        latest_label, latest = rounds[-1]
        row = listed[role_key]
        assert (row["latest_round"], row["latest_date"]) == (latest_label, latest["date"])
        assert row["outcome"] == (latest["outcome"] or "pending")
        shown = coach_json("show", name, "--project", project, "--json")["rounds"]
        assert [(r["round"], r["date"], r["outcome"]) for r in shown] == [
            (label, state["date"], state["outcome"] or "pending") for label, state in rounds
        ]
        for label, state in rounds:
            event = events[f"{name} · {project} · {label}"]
            assert event.decoded("DTSTART").isoformat()[:10] == state["date"]
            description = str(event.get("DESCRIPTION", ""))
            assert ("Outcome: " in description) == (state["outcome"] is not None)
            if state["outcome"]:
                assert f"Outcome: {state['outcome']}" in description
            card = coach_text(
                "card", name, "--project", project, "--round", label, "--format", "md"
            )
            assert state["want"] in card
            if state["medium"]:
                assert state["medium"] in card.split("\n")[2], card
            waits = (
                not state["reviews"]
                and state["outcome"] not in ("released", "booked")
                and TODAY.isoformat() <= state["date"] <= "2026-11-27"
            )
            assert ((role_key[0], role_key[1], label) in soon) == waits
            if waits:
                assert soon[(role_key[0], role_key[1], label)]["date"] == state["date"]
                assert soon[(role_key[0], role_key[1], label)]["time"] == state["time"]
        # The next round's prep carries the medium the latest round that has one gave.
        media = [state["medium"] for _, state in rounds if state["medium"]]
        plan = Coach(home).plan_prep(name, project=project, round_label="producers")
        assert plan.defaults.get("refine-intention.medium") == (media[-1] if media else None)
    stats = coach_json("stats", "--json")
    assert stats["roles"] == len(by_role)
    assert stats["rounds"] == sum(len(rounds) for rounds in by_role.values())
