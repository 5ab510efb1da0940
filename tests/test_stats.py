"""coach stats: the funnel and breakdowns of a season with known numbers, as JSON and as
charts in a real terminal at 60 and 100 columns."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.dates import parse_time
from callback_coach.core.rounds import build_roles
from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode
from callback_coach.season import loading as season
from callback_coach.season.stats import season_stats, share
from callback_coach.store.facts import facts_of
from callback_coach.store.notes import Note
from callback_coach.store.slugs import fold

from .helpers import prep, review
from .season_data import make_season, random_rounds, write_rounds

runner = CliRunner()
SNAPSHOTS = Path(__file__).parent / "snapshots"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def stats_json(*args: str) -> dict:
    result = runner.invoke(app, ["stats", *args, "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_a_known_season_gives_exactly_its_counts_and_ratios(home: Path) -> None:
    make_season(home)
    data = stats_json()
    assert data["format"] == 1
    assert data["roles"] == 12
    assert data["funnel"] == [
        {"stage": "auditioned", "roles": 12},
        {
            "stage": "called_back",
            "roles": 5,
            "of": 12,
            "ratio": 0.4167,
            "not_reached": {"open": 3, "released": 4},
        },
        {
            "stage": "avail_hold",
            "roles": 2,
            "of": 5,
            "ratio": 0.4,
            "not_reached": {"open": 2, "released": 1},
        },
        {
            "stage": "booked",
            "roles": 1,
            "of": 2,
            "ratio": 0.5,
            "not_reached": {"open": 0, "released": 1},
        },
    ]
    assert data["booked_of_auditioned"] == {"roles": 1, "of": 12, "ratio": 0.0833}
    # Roles with no outcome yet are open, never counted as losses.
    assert data["now"] == {"open": 5, "released": 6, "booked": 1}
    assert data["rounds_per_role"] == [
        {"rounds": 1, "roles": 8},
        {"rounds": 2, "roles": 2},
        {"rounds": 3, "roles": 2},
    ]
    assert data["rounds"] == 18


def test_breakdowns_by_office_medium_and_month(home: Path) -> None:
    make_season(home)
    data = stats_json()
    assert list(data["breakdowns"]) == ["office", "medium", "month"]
    offices = {g["key"]: g for g in data["breakdowns"]["office"]}
    assert sorted(offices) == ["Anna Casting", "Bell Casting", "Cole Casting", "Dunn Casting"]
    assert offices["Anna Casting"] == {
        "key": "Anna Casting",
        "roles": 3,
        "called_back": 2,
        "avail_hold": 2,
        "booked": 1,
        "open": 0,
        "released": 2,
    }
    assert offices["Dunn Casting"]["called_back"] == 0
    media = {
        g["key"]: (g["roles"], g["called_back"], g["booked"]) for g in data["breakdowns"]["medium"]
    }
    assert media == {"film": (6, 2, 1), "theatre": (6, 3, 0)}
    months = [(g["key"], g["roles"]) for g in data["breakdowns"]["month"]]
    assert months == [("2026-09", 3), ("2026-10", 4), ("2026-11", 5)]
    assert sum(g["roles"] for g in data["breakdowns"]["office"]) == 12


def test_by_project_and_a_window_of_dates(home: Path) -> None:
    make_season(home)
    data = stats_json("--since", "2026-10-01", "--until", "2026-10-31", "--by", "project")
    assert (data["since"], data["until"]) == ("2026-10-01", "2026-10-31")
    assert data["roles"] == 4  # Masha, Irina, Olga, Boris started in October
    assert list(data["breakdowns"]) == ["project"]
    assert {g["key"]: g["roles"] for g in data["breakdowns"]["project"]} == {
        "Three Sisters": 2,
        "Red Lake": 2,
    }
    both = stats_json("--by", "month,office")
    assert list(both["breakdowns"]) == ["month", "office"]


def test_relative_dates_count_from_the_injected_day(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_season(home)
    monkeypatch.setattr(season, "current_day", lambda: dt.date(2026, 11, 10))
    data = stats_json("--since", "-10")
    assert data["since"] == "2026-10-31"
    assert data["roles"] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "agent"], "--by 'agent' is not one of: office, medium, project, month"),
        (["--since", "someday"], "date 'someday' is not a date the coach understands"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(home: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["stats", *args])
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_empty_home_says_how_to_start(home: Path) -> None:
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No roles yet" in result.stderr
    assert stats_json()["funnel"][0] == {"stage": "auditioned", "roles": 0}
    assert stats_json()["booked_of_auditioned"]["ratio"] is None


def test_medium_and_office_from_answers_or_front_matter() -> None:
    by_answer = Note(
        {
            "kind": "prep",
            "role": "A",
            "round": "callback-1",
            "date": "2026-01-02",
            "medium": "film",
            "answers": {"mine": {"medium": "self-tape", "casting-office": " Bell  Casting "}},
        }
    )
    facts = facts_of(by_answer, "a.md")
    assert facts.details == {"medium": "self-tape", "casting_office": "Bell Casting"}
    by_key = Note({"kind": "prep", "casting_office": "Anna", "time": 870, "place": "Studio 4"})
    assert facts_of(by_key, "b.md").details == {
        "casting_office": "Anna",
        "time": "14:30",  # YAML read an unquoted 14:30 as 870
        "place": "Studio 4",
    }


def test_a_role_is_called_back_by_its_rounds_or_its_outcomes(home: Path) -> None:
    coach = Coach(home)
    prep(coach, "Only audition", round_label="audition", date="2026-01-01")
    prep(coach, "Straight to callback", date="2026-01-02")
    prep(coach, "Told callback", round_label="audition", date="2026-01-03")
    review(coach, "Told callback", outcome="callback", date="2026-01-03")
    roles = {r.role: r for r in season.load_roles(coach)}
    assert {name: r.stage for name, r in roles.items()} == {
        "Only audition": 0,
        "Straight to callback": 1,
        "Told callback": 1,
    }
    assert {r.status for r in roles.values()} == {"open"}


@settings(deadline=None)
@given(st.integers(0, 200), st.integers(0, 200))
def test_small_numbers_are_counts_not_percentages(count: int, of: int) -> None:
    text = share(min(count, of), of)
    if of < 20:
        assert text == f"{min(count, of)} of {of}"
    else:
        assert text.endswith("%")


def test_time_as_people_write_it() -> None:
    cases = {
        "14:30": (14, 30),
        "9.15": (9, 15),
        "14h30": (14, 30),
        "2pm": (14, 0),
        "2:30 PM": (14, 30),
        "12am": (0, 0),
        "at 10": (10, 0),
        "10": None,
        "25:00": None,
        "morning": None,
        "13pm": None,
    }
    assert {text: parse_time(text) for text in cases} == cases


def test_stats_of_no_roles_in_the_window_is_empty() -> None:
    empty = season_stats([], since=dt.date(2026, 1, 1))
    assert empty.to_json()["roles"] == 0


# -- the chart, in a real terminal ------------------------------------------------------


def run_in_terminal(coach_bin: str, home: Path, columns: int, *args: str) -> str:
    env = {
        **os.environ,
        "COACH_HOME": str(home),
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "COLUMNS": str(columns),
        "LINES": "60",
    }
    child = pexpect.spawn(
        coach_bin, list(args), env=env, encoding="utf-8", dimensions=(60, columns), timeout=20
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    return ANSI.sub("", child.before).replace("\r\n", "\n")


@pytest.mark.e2e
@pytest.mark.parametrize("columns", [60, 100])
def test_the_chart_is_stable_and_fits_the_terminal(
    home: Path, coach_bin: str, columns: int
) -> None:
    make_season(home)
    first = run_in_terminal(coach_bin, home, columns, "stats", "--by", "office,medium,month")
    assert run_in_terminal(coach_bin, home, columns, "stats") == first, "the same every run"
    assert all(len(line) <= columns for line in first.splitlines())
    expected = (SNAPSHOTS / f"stats-{columns}.txt").read_text(encoding="utf-8")
    assert first == expected


@pytest.mark.e2e
def test_the_chart_reads_without_colour(home: Path, coach_bin: str) -> None:
    make_season(home)
    text = run_in_terminal(coach_bin, home, 60, "stats")
    lines = {line.split()[0]: line for line in text.splitlines() if line.strip()}
    # Bars are drawn with characters, so their lengths carry the numbers without colour.
    auditioned = lines["Auditioned"].count("█")
    assert lines["Booked"].count("█") < lines["Called"].count("█") < auditioned
    assert "5 of 12" in lines["Called"]
    assert "██ booked  ▓▓ avail/hold  ▒▒ called back  ░░ auditioned" in text


def test_the_documented_chart_is_the_real_one() -> None:
    from .helpers import doc

    section = doc("season").split("<!-- stats-chart:", 1)[1]
    chart = section.split("```text\n", 1)[1].split("```", 1)[0]
    real = (SNAPSHOTS / "stats-60.txt").read_text(encoding="utf-8")
    assert chart == "".join(line.rstrip() + "\n" for line in real.splitlines())


def test_facts_come_from_the_index_and_follow_every_change(home: Path) -> None:
    import sqlite3

    coach = make_season(home)
    fresh = coach.index.facts()
    assert Coach(home).index.facts() == fresh, "read back from the index, the same"
    # A note edited by hand is read again: Dunn's Vanya gets a callback.
    (vanya,) = [p for p in (home / "notes").glob("*vanya_audition_prep.md")]
    text = vanya.read_text(encoding="utf-8")
    vanya.write_text(text.replace("round: audition", "round: audition\noutcome: callback"))
    assert stats_json()["funnel"][1]["roles"] == 6
    vanya.unlink()
    assert stats_json()["roles"] == 11
    # Facts missing or damaged in the index: the notes are read instead, nothing said.
    database = next(Path(os.environ["COACH_CACHE_DIR"]).rglob("index.sqlite3"))
    with sqlite3.connect(database) as db:
        db.execute("UPDATE notes SET facts = NULL WHERE rowid % 2 = 0")
        db.execute("UPDATE notes SET facts = '[1, 2' WHERE rowid % 3 = 0")
    result = runner.invoke(app, ["stats", "--json"])
    assert json.loads(result.stdout)["roles"] == 11 and result.stderr == ""
    assert Coach(home).index.facts() == [f for f in fresh if "vanya_audition_prep" not in f.file]


def test_the_season_commands_read_the_index_s_rows_per_role(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the index holds each role's summary and events, no season command groups
    every note again: the same answers with that path removed, and after a note changes
    only its role is summed up again."""
    import sqlite3

    make_season(home)
    outputs = {}
    commands = (["stats", "--json"], ["today", "--json"], ["follow-ups", "--all", "--json"])
    for args in commands:
        outputs[args[0]] = runner.invoke(app, args).stdout
    calendar = runner.invoke(app, ["export", "calendar"]).stdout

    def slow(*args, **kwargs):
        raise AssertionError("every note's facts grouped again")

    monkeypatch.setattr(season, "load_roles", slow)
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and result.stdout == outputs[args[0]]
    assert runner.invoke(app, ["export", "calendar"]).stdout == calendar
    database = next(Path(os.environ["COACH_CACHE_DIR"]).rglob("index.sqlite3"))
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM events_stale").fetchone() == (0,)
        made = db.execute("SELECT count(*) FROM roles WHERE round_count > 0").fetchone()[0]
    assert made == stats_json()["roles"]
    # A note changes: its role's events wait to be made again, and only its.
    (vanya,) = [p for p in (home / "notes").glob("*vanya_audition_prep.md")]
    vanya.write_text(
        vanya.read_text(encoding="utf-8").replace(
            "round: audition", "round: audition\noutcome: callback"
        )
    )
    Coach(home).index.note_rows()
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT role_key FROM events_stale").fetchall() == [("vanya",)]
    assert (
        stats_json()["funnel"][1]["roles"] == json.loads(outputs["stats"])["funnel"][1]["roles"] + 1
    )


def test_a_damaged_index_found_by_a_season_command_is_gone_around(home: Path) -> None:
    import sqlite3

    make_season(home)
    commands = (
        ["stats", "--json"],
        ["today", "--json"],
        ["follow-ups", "--all", "--json"],
        ["export", "calendar"],
    )
    before = [runner.invoke(app, args).stdout for args in commands]
    database = next(Path(os.environ["COACH_CACHE_DIR"]).rglob("index.sqlite3"))
    with sqlite3.connect(database) as db:
        db.execute("UPDATE notes SET facts = '[[1' WHERE rowid % 2 = 0")
        db.execute("DROP TABLE events")
    for args, expected in zip(commands, before, strict=True):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and result.stderr == ""
        assert result.stdout == expected


def test_a_drill_is_never_a_round_in_the_season(home) -> None:
    """A saved drill (practice for the next round) neither calls a released role back
    nor shows as a prepped callback today."""
    from callback_coach.core.workflow import Coach
    from callback_coach.day import drill as drills

    from .helpers import prep, review
    from .scripted import ScriptedAsker

    coach = Coach(home)
    prep(coach, project="The Seagull", round_label="audition", date="2026-11-01")
    review(coach, outcome="released", round_label="audition", date="2026-11-01")
    plan = drills.plan_drill(coach, "Nina", count=1, seed=4, round_label="callback-1")
    asker = drills.DrillAsker(
        ScriptedAsker({"drill.note-1-said-back": "faster"}, choices=["save"]),
        0,
        show_note=lambda number, total, text: None,
        play=lambda seconds: None,
    )
    drills.run_drill(coach, plan, asker)
    data = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert data["rounds"] == 1
    assert data["now"] == {"open": 0, "released": 1, "booked": 0}


@settings(max_examples=200, deadline=None)
@given(
    keys=st.lists(
        st.one_of(
            st.none(),
            st.text(st.sampled_from("abc XYZ見é·-"), min_size=1, max_size=24),
        ),
        min_size=1,
        max_size=6,
        unique=True,
    ),
    counts=st.lists(st.integers(0, 12_000), min_size=24, max_size=24),
    bar=st.integers(8, 40),
    width=st.integers(40, 140),
    colour=st.booleans(),
)
def test_a_breakdown_drawn_line_by_line_is_the_table_s_own(keys, counts, bar, width, colour):
    """The fast chart of a breakdown draws exactly what Rich's table draws."""
    import io

    from rich.console import Console

    from callback_coach.cli import season_charts
    from callback_coach.season.stats import Group, Tally

    groups = []
    for number, key in enumerate(keys):
        reached = sorted(counts[number * 4 : number * 4 + 4], reverse=True)
        groups.append(Group(key, Tally(reached=reached)))
    console = Console(
        file=io.StringIO(),
        width=width,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        no_color=not colour,
    )
    fast = season_charts._breakdown_lines(groups, "office", bar, width, console, stacked=False)
    if fast is None:
        return  # too wide for the terminal: the table draws it

    def drawn(renderable) -> list[tuple[str, str]]:
        """Each character on screen with its colour and attributes."""
        return [
            (char, str(segment.style or ""))
            for segment in console.render(renderable)
            if not segment.control
            for char in segment.text
        ]

    assert drawn(fast) == drawn(season_charts._breakdown(groups, "office", bar))


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.integers(0, 500), min_size=4, max_size=4), cells=st.integers(0, 40))
def test_a_stacked_bar_shares_its_cells_without_losing_any(parts, cells) -> None:
    from callback_coach.cli.season_charts import _split

    widths = _split(cells, parts)
    assert all(w >= 0 for w in widths)
    if sum(parts) and cells:
        assert sum(widths) == cells
        if cells >= sum(1 for p in parts if p):
            assert all(w >= 1 for w, p in zip(widths, parts, strict=True) if p)
    else:
        assert widths == [0, 0, 0, 0]


@dataclass(frozen=True)
class RoleTotals:
    """A role as the statistics count it (season.stats.Role), without its notes."""

    role: str
    project: str
    first_date: str
    stage: int
    status: str
    round_count: int
    medium: str | None
    casting_office: str | None

    def detail(self, key: str) -> str | None:
        return self.medium if key == "medium" else self.casting_office


TOTALS = st.builds(
    RoleTotals,
    role=st.sampled_from(["Nina", "Sonya", "Masha"]),
    project=st.sampled_from(["", "The Seagull", "Vanya"]),
    first_date=st.sampled_from(["", "2026-01-05", "2026-02-11", "2025-12-30"]),
    stage=st.integers(0, 3),
    status=st.sampled_from(["open", "released", "booked"]),
    round_count=st.integers(1, 4),
    medium=st.sampled_from([None, "", "self-tape", "Self-tape", "in person"]),
    casting_office=st.sampled_from([None, "Hopkins", "hopkins", "Hôpkins", "Ward"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(TOTALS, max_size=40))
def test_counting_by_stage_and_status_tallies_as_role_by_role(roles) -> None:
    """The stats count roles by (stage, status), then tally the counts: the same numbers
    as tallying each role, in the same groups, each spelt as most of its roles spell it
    (a tie: the first in code-point order), "not recorded" last."""
    from collections import Counter

    from callback_coach.season.stats import KEYS, Tally, breakdown

    whole = season_stats(roles, by=tuple(KEYS))
    one_by_one = Tally()
    for role in roles:
        one_by_one.add(role)
    assert whole.tally == one_by_one
    assert whole.rounds == sum(role.round_count for role in roles)
    for name in KEYS:
        groups: dict[object, tuple[Counter[str], Tally]] = {}
        for role in roles:
            raw = KEYS[name](role)
            key = fold(raw) if raw else None
            spellings, tally = groups.setdefault(key, (Counter(), Tally()))
            tally.add(role)
            if raw:
                spellings[raw] += 1
        expected = {
            (min(s, key=lambda r: (-s[r], r)) if key is not None else None, repr(t))
            for key, (s, t) in groups.items()
        }
        got = whole.breakdowns[name]
        assert {(g.key, repr(g.tally)) for g in got} == expected
        assert [g.key is None for g in got] == sorted(g.key is None for g in got)
        assert got == breakdown(roles, name)


@settings(max_examples=15, deadline=None)
@given(
    rounds=random_rounds(["2025-12-30", "2026-01-05", "2026-02-11", "2026-02-28"], details=True),
    window=st.sampled_from(
        [(None, None), ("2026-01-01", None), (None, "2026-02-11"), ("2026-01-05", "2026-02-11")]
    ),
)
def test_the_index_counts_what_the_roles_count(tmp_path_factory, rounds, window) -> None:
    """`coach stats` counts in SQL (season.load_counts): the same counts as the roles
    grouped from every note (the path taken without an index)."""
    from callback_coach.season.stats import BREAKDOWNS, count_roles

    home = tmp_path_factory.mktemp("season") / "home"
    write_rounds(home, rounds)
    since, until = window
    expected = count_roles(build_roles(Coach(home).index.facts()), *window, BREAKDOWNS)
    assert season.load_counts(Coach(home), since, until, BREAKDOWNS) == expected


def many_roles() -> list[RoleTotals]:
    """30 months of roles: one a month, in 15 offices (two roles each); and two
    roles with no office or date."""
    roles = []
    for month in range(30):
        day = dt.date(2024 + month // 12, month % 12 + 1, 10).isoformat()
        office = f"Office {month % 15:02d}"
        roles.append(RoleTotals(f"R{month}", "P", day, 1, "open", 2, "film", office))
    roles += [RoleTotals(f"S{k}", "P", "", 0, "released", 1, None, None) for k in range(2)]
    return roles


def charted(stats, every: bool = False) -> str:
    import io

    from rich.console import Console

    from callback_coach.cli.season_render import StatsView

    console = Console(file=io.StringIO(), width=60, no_color=True, color_system=None)
    console.print(StatsView(stats, every=every))
    return console.file.getvalue()


def test_a_chart_shows_the_latest_months_and_the_largest_groups_then_a_line() -> None:
    stats = season_stats(many_roles(), by=("office", "month"))
    text = charted(stats)
    months = re.findall(r"^([A-Z][a-z]{2} \d{4}) ", text, re.M)
    assert months == [dt.date(2025, m, 1).strftime("%b %Y") for m in range(7, 13)] + [
        dt.date(2026, m, 1).strftime("%b %Y") for m in range(1, 7)
    ]
    assert "+ 18 earlier months, 18 roles (--all shows them)" in text
    offices = re.findall(r"^(Office \d\d) ", text, re.M)
    assert len(offices) == 12
    assert offices == [g.key for g in stats.breakdowns["office"][:12]]
    assert "+ 3 other casting offices, 6 roles (--all shows them)" in text
    assert text.count("not recorded") == 2, "not recorded is always shown"
    assert all(len(line) <= 60 for line in text.splitlines())
    every = charted(stats, every=True)
    assert len(re.findall(r"^[A-Z][a-z]{2} \d{4} ", every, re.M)) == 30
    assert len(re.findall(r"^Office \d\d ", every, re.M)) == 15
    assert "--all shows them" not in every
    # JSON always holds every group.
    data = stats.to_json()["breakdowns"]
    assert len(data["month"]) == 31 and len(data["office"]) == 16


def test_a_chart_of_twelve_or_fewer_groups_has_no_line() -> None:
    roles = [r for r in many_roles() if r.first_date < "2025-01-01"]  # 12 months, 12 offices
    text = charted(season_stats(roles, by=("office", "month")))
    assert "--all shows them" not in text
    assert len(re.findall(r"^[A-Z][a-z]{2} \d{4} ", text, re.M)) == 12


def test_stats_all_charts_every_project(home: Path) -> None:
    coach = Coach(home)
    for k in range(14):
        prep(coach, f"Role {k}", project=f"Project {k:02d}", date=f"2026-0{1 + k % 9}-01")
    shown = runner.invoke(app, ["stats", "--by", "project"])
    assert shown.exit_code == 0
    assert len(re.findall(r"^Project \d\d ", shown.stdout, re.M)) == 12
    assert "+ 2 other projects, 2 roles (--all shows them)" in shown.stdout
    every = runner.invoke(app, ["stats", "--by", "project", "--all"])
    assert len(re.findall(r"^Project \d\d ", every.stdout, re.M)) == 14
