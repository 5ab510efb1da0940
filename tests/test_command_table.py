"""The table of commands in cli/app.py: `coach --help` lists the commands from it without
importing their modules, each entry says what its command says, and running a command
imports its own module only."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from callback_coach.cli import app as cli
from callback_coach.cli.app import COMMANDS, app, family

from .helpers import subcommands

CLI = Path(cli.__file__).parent
COMMAND_MODULES = sorted(path.stem for path in CLI.glob("*_cmd.py"))


def test_each_entry_has_its_commands_short_help() -> None:
    root = typer.main.get_command(app)
    commands = subcommands(root)
    assert list(commands) == list(COMMANDS)
    for name, (_, short_help) in COMMANDS.items():
        assert commands[name].get_short_help_str(limit=1000) == short_help, name


def test_every_command_of_every_module_is_in_the_table() -> None:
    assert sorted({module for module, _ in COMMANDS.values()}) == COMMAND_MODULES
    for module in COMMAND_MODULES:
        listed = [name for name, (where, _) in COMMANDS.items() if where == module]
        assert sorted(subcommands(family(module))) == sorted(listed), module


def loaded_after(args: list[str], home: Path, **env: str) -> list[str]:
    """The command modules imported by running `coach ARGS` in a fresh interpreter."""
    code = (
        "import sys\n"
        "from callback_coach.cli import app as cli\n"
        f"sys.argv = ['coach', *{args!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {COMMAND_MODULES!r} if 'callback_coach.cli.' + m in sys.modules],"
        " file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COACH_HOME": str(home), **env},
        stdin=subprocess.DEVNULL,
    )
    return ast.literal_eval(proc.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("args", "modules"),
    [
        (["--help"], []),
        (["--version"], []),
        (["list"], ["notes_cmd"]),
        (["export", "--help"], ["export_cmd"]),
        (["today"], ["season_cmd"]),
        (["schema", "list"], ["schema_cmd"]),
        (["schema", "show", "today"], ["schema_cmd"]),
        ([], ["season_cmd"]),  # a bare `coach` shows `coach today`
        (["no-such-command"], []),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_a_command_imports_its_own_module_only(
    home: Path, args: list[str], modules: list[str]
) -> None:
    assert loaded_after(args, home) == modules


def test_completing_a_command_name_imports_no_command_module(home: Path) -> None:
    completing = {"_COACH_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "coach "}
    assert loaded_after([], home, **completing) == []
    completing["_TYPER_COMPLETE_ARGS"] = "coach export "
    assert loaded_after([], home, **completing) == ["export_cmd"]
