"""Every --help: examples that are real commands, summaries that fit 80 columns, ROLE not
{ROLE}."""

from __future__ import annotations

import shlex

import pytest
import typer
from typer.testing import CliRunner

from callback_coach.cli.app import app

from .helpers import subcommands

runner = CliRunner()


def command_paths(command=None, path=()) -> list[tuple[str, ...]]:
    """Every command and group of the coach, as the words that reach it."""
    command = command or typer.main.get_command(app)
    found = [path]
    for name, sub in subcommands(command).items():
        found += command_paths(sub, (*path, name))
    return found


PATHS = command_paths()


def help_of(path: tuple[str, ...]) -> str:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    return result.stdout


def examples(text: str) -> list[str]:
    section = text.split("\nExamples:\n", 1)[1]
    return [line.strip() for line in section.splitlines() if line.strip()]


def test_every_command_is_covered() -> None:
    assert ("prep",) in PATHS and ("checklists", "show") in PATHS and () in PATHS
    # coach, 16 commands, export's 3, checklists' 3, follow-ups' 1+3, conflicts' 1+3,
    # sides' 3, schema's 2
    assert len(PATHS) == 36


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "coach")
def test_every_help_has_examples_of_real_commands(path: tuple[str, ...]) -> None:
    text = help_of(path)
    lines = examples(text)
    assert lines and all(line.startswith("coach ") or "=$(coach " in line for line in lines)
    for line in lines:
        # The coach's part of the line: after `x=$(`, before a pipe, redirection or comment.
        own = line.split("=$(", 1)[-1].split(" | ")[0].split(" > ")[0]
        words = [w.rstrip(")") for w in shlex.split(own, comments=True)[1:]]
        if words[:1] == ["COMMAND"]:
            continue
        command, reached = typer.main.get_command(app), ()
        for word in words:
            if word not in subcommands(command):
                break
            command, reached = subcommands(command)[word], (*reached, word)
        assert reached[: len(path)] == path, (line, "is an example of another command")
        options = {opt for param in command.params for opt in param.opts} | {"--help", "-h"}
        for word in words:
            if word.startswith("-"):
                assert word.split("=")[0] in options, (line, word)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "coach")
def test_help_fits_80_columns_and_shows_plain_metavars(path: tuple[str, ...]) -> None:
    text = help_of(path)
    assert all(len(line) <= 80 for line in text.splitlines()), text
    assert "{" not in text.splitlines()[0], "ROLE, not {ROLE}"
    if "Commands:" in text:
        summaries = text.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
        assert "..." not in summaries, "no summary is cut"


def test_usage_lines_read_like_the_readme() -> None:
    assert help_of(("prep",)).startswith("Usage: coach prep [OPTIONS] ROLE\n")
    assert help_of(("outcome",)).startswith("Usage: coach outcome [OPTIONS] ROLE OUTCOME\n")
    assert help_of(("checklists", "show")).startswith("Usage: coach checklists show [OPTIONS] ID\n")


def test_checklists_show_explains_itself() -> None:
    text = help_of(("checklists", "show"))
    arguments = text.split("Arguments:\n", 1)[1].split("\n\n", 1)[0]
    assert "The checklist's id" in arguments
    assert "answers files" in text
