"""What the index owes conflict copies (issue 20, item 2): never counted, listed or written
into as notes, and named in one warning line by every command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach

from .helpers import prep, review

runner = CliRunner()


def coach(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def copies(home: Path) -> dict[str, Path]:
    """A review beside its Syncthing copy and two Dropbox copies (the probe's case)."""
    c = Coach(home)
    prep(c, project="The Seagull", date="2026-11-20")
    path = review(c, outcome="callback", date="2026-11-21")
    stem = path.name[: -len(".md")]
    made = {
        "syncthing": path.with_name(f"{stem}.sync-conflict-20261201-123456-ABCDEFG.md"),
        "dropbox": path.with_name(f"{stem} (conflicted copy 2026-12-01).md"),
        "named": path.with_name(f"{stem} (Nathan's MacBook conflicted copy 2026-12-01).md"),
    }
    for copy in made.values():
        copy.write_bytes(path.read_bytes())
    return {"note": path, **made}


def test_copies_are_not_counted_as_notes(copies: dict[str, Path]) -> None:
    shown = json.loads(coach("show", "Nina", "--json").stdout)
    assert [len(r["reviews"]) for r in shown["rounds"]] == [1]


def test_every_command_names_the_copies_in_one_warning_line(copies: dict[str, Path]) -> None:
    for args in (("list",), ("show", "Nina"), ("search", "pause"), ("follow-ups",), ("today",)):
        result = coach(*args)
        naming = [line for line in result.stderr.splitlines() if copies["syncthing"].name in line]
        assert len(naming) == 1, args
        assert naming[0].startswith("warning:") and copies["dropbox"].name in naming[0]


def test_outcome_never_writes_into_a_copy(copies: dict[str, Path]) -> None:
    before = {name: path.read_bytes() for name, path in copies.items() if name != "note"}
    assert coach("outcome", "Nina", "hold").exit_code == 0
    assert {name: copies[name].read_bytes() for name in before} == before
    assert "outcome: hold" in copies["note"].read_text(encoding="utf-8")
