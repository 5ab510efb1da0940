"""Every command the coach suggests runs as shown when it is copied into a shell."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.hints import command_line
from callback_coach.season import loading as season

from .test_today import DAY

runner = CliRunner()
WORD = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=20)


@given(args=st.lists(WORD, min_size=1, max_size=3), options=st.lists(WORD, max_size=4))
def test_a_hint_reads_back_as_its_words(args: list[str], options: list[str]) -> None:
    """A shell splits a hint into exactly the words it was made of; an argument starting
    with a dash comes after `--`, so it is never read as an option."""
    words = shlex.split(command_line(["card"], args, options))
    if any(a.startswith("-") for a in args):
        assert words == ["coach", "card", *options, "--", *args]
    else:
        assert words == ["coach", "card", *args, *options]


def run(hint: str):
    words = shlex.split(hint)
    assert words[0] == "coach"
    return runner.invoke(app, words[1:])


def test_hints_for_a_role_named_with_a_dash_run(home: Path, monkeypatch) -> None:
    monkeypatch.setattr(season, "current_day", lambda: DAY)
    prep = ["prep", "--project", "The Seagull", "--date", "2026-11-24"]
    result = runner.invoke(app, [*prep, "--set", "refine-intention.want=to win", "--", "-Nina"])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(
        app,
        [
            *prep,
            "--round",
            "callback-2",
            "--date",
            "2026-11-26",
            "--set",
            "refine-intention.want=again",
            "--",
            "-Nina",
        ],
    )
    assert result.exit_code == 0, result.stderr
    today = json.loads(runner.invoke(app, ["today", "--json"]).stdout)
    hints = {c["date"]: c["hint"] for c in today["callbacks"]}
    # Two prepped rounds: each card hint names its round, and runs.
    assert hints["2026-11-24"].endswith("--round callback-1 -- -Nina")
    for date, hint in hints.items():
        shown = run(hint)
        assert shown.exit_code == 0, (hint, shown.stderr)
        assert (
            "callback-1" in shown.stdout if date == "2026-11-24" else "callback-2" in shown.stdout
        )
