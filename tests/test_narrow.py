"""Narrow terminals: `coach list` keeps every name readable, menus never cut a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli import console
from callback_coach.cli.app import app
from callback_coach.cli.asker import QuestionaryAsker, fit
from callback_coach.core.session import short
from callback_coach.core.workflow import Coach

runner = CliRunner()

ROLES = [
    ("Konstantin Gavrilovich Treplev", "The Seagull (Chekhov, new version)"),
    ("Nina", "The Seagull"),
    ("Sonya", "Uncle Vanya"),
    ("Zoë", ""),
]


@pytest.fixture
def many_roles(home: Path) -> Coach:
    coach = Coach(home)
    for role, project in ROLES:
        plan = coach.plan_prep(role, project=project, round_label="callback-12", date="2026-11-20")
        coach.save_answers(plan, {"refine-intention": {"want": "x"}})
    return coach


def listed_at(width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    console.out.cache_clear()
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("width", [40, 50, 60, 70, 80, 120])
def test_list_keeps_role_and_project_readable(
    many_roles: Coach, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = listed_at(width, monkeypatch)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines), text
    words = {word for line in lines for word in line.split()}
    for role, project in ROLES:
        for word in (role + " " + project).split():
            assert word in words, f"{word!r} is missing or cut at {width} columns:\n{text}"
        # A row starts with its role: no row (or block) without a name.
        first = role.split()[0]
        assert any(line.startswith(first) for line in lines), text
    for needed in ("callback-12", "2026-11-20", "pending", "review"):
        assert needed in text, f"{needed} dropped at {width} columns"


def test_a_wide_terminal_gets_the_full_table(many_roles: Coach, monkeypatch) -> None:
    header = listed_at(120, monkeypatch).splitlines()[0].split()
    assert header == ["Role", "Project", "Rounds", "Latest", "Date", "Outcome", "Next"]


@given(st.text(alphabet=st.sampled_from("ab cdé🎭 "), max_size=80), st.integers(2, 60))
def test_fit_cuts_between_words(label: str, width: int) -> None:
    from rich.cells import cell_len

    fitted = fit(label, width)
    assert cell_len(fitted) <= width
    if cell_len(label) <= width:
        assert fitted == label
    else:
        body = label.lstrip()  # leading spaces are dropped before any word is cut
        kept = fitted.removesuffix("…")
        if fitted != body and label.split() and cell_len(label.split()[0]) < width:
            assert body.startswith(kept) and body[len(kept)] == " ", "only whole words"


@given(st.text(alphabet=st.sampled_from("ab cd,"), max_size=80), st.integers(3, 50))
def test_short_cuts_between_words(value: str, width: int) -> None:
    shown = short(value, width)
    flat = " ".join(value.split())
    assert len(shown) <= width
    if shown not in ("—", flat):
        kept = shown.removesuffix("…")
        if " " in flat[: width - 1]:
            assert flat.startswith(kept) and flat[len(kept)] in " ,", (flat, shown)


def test_menu_labels_fit_a_40_column_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from prompt_toolkit.output import DummyOutput

    monkeypatch.setenv("COLUMNS", "40")
    asker = QuestionaryAsker(output=DummyOutput())
    label = "What do you want from the other character in this scene?  → to be seen"
    (choice,) = asker._choices([("key", label)])
    assert choice.value == "key"
    assert choice.title == "What do you want from the other…"
    assert len(choice.title) <= 40 - 6


OFFICE = "Ó Súilleabháin & Co"


def at_width(width: int, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    console.out.cache_clear()
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def fits(text: str, width: int) -> bool:
    from rich.cells import cell_len

    return all(cell_len(line) <= width for line in text.splitlines())


@pytest.mark.parametrize("width", [40, 50, 60, 80, 120])
def test_stats_wraps_an_office_or_project_name_and_never_cuts_it(
    home: Path, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    coach = Coach(home)
    for role, project, office in [
        ("Nina", "The Seagull (Chekhov, new version)", OFFICE),
        ("Sonya", "Uncle Vanya", "Hopkins Casting Associates International"),
        ("Masha", "Three Sisters", "Ward"),
    ]:
        plan = coach.plan_prep(role, project=project, date="2026-11-20")
        plan.extra.update({"casting_office": office})
        coach.save_answers(plan, {"refine-intention": {"want": "x"}})
    text = at_width(width, monkeypatch, "stats", "--by", "office,project")
    assert fits(text, width), text
    words = {word for line in text.splitlines() for word in line.split()}
    for name in (OFFICE, "Hopkins Casting Associates International", "The Seagull (Chekhov,"):
        assert set(name.split()) <= words, f"{name!r} cut at {width} columns:\n{text}"
    assert "…" not in text
    # Each bar keeps its numbers: the chart did not lose a column to make room.
    assert text.count("▒") >= 3 * 8


def test_list_names_a_column_it_leaves_out(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 80 columns a long name keeps its words whole by leaving Rounds out, and a footer
    says so; a wide terminal has every column and no footer."""
    coach = Coach(home)
    from .helpers import review

    long_ones = ("Konstantin Gavrilovich Treplev", "The Seagull (Chekhov, new version)")
    for role, project in [long_ones, ("Nina", "")]:
        coach.save_answers(
            coach.plan_prep(role, project=project, date="2026-11-20"),
            {"refine-intention": {"want": "x"}},
        )
    review(coach, long_ones[0], outcome="callback", date="2026-11-20")  # next: prep callback-2
    text = at_width(80, monkeypatch, "list")
    assert "Rounds" not in text.splitlines()[0]
    assert "Gavrilovich" in text.split()
    assert text.rstrip().endswith("The Rounds column is left out to fit 80 columns.")
    wide = at_width(120, monkeypatch, "list")
    assert "Rounds" in wide.splitlines()[0] and "left out" not in wide


@pytest.mark.parametrize("width", [40, 60])
def test_help_fits_a_narrow_terminal_and_keeps_its_examples_whole(
    width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callback_coach.cli.app import COMMANDS

    for command in [[], *([name] for name in COMMANDS), ["export", "notes"]]:
        text = at_width(width, monkeypatch, *command, "--help")
        assert fits(text, width), text
    examples = at_width(40, monkeypatch, "list", "--help").split("Examples:")[1]
    # `coach list --outcome pending --since 2026-11-01`, continued with ` \`
    assert "  coach list --outcome pending \\\n      --since 2026-11-01\n" in examples
