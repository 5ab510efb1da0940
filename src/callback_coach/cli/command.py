"""What every command module is made with: `group` for its Typer app, the `command`
decorator (both give the coach's help format and its one error handling, from cli.app),
and the steps many commands share: check for a terminal before prompting, print JSON,
say which files were written. (Opening the coach home is cli.home's: the sides and
conflicts commands never open it.)

Each command module keeps its commands in a Typer app named `commands`, made with
`group()`; cli.app's table says which module holds each command.
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, TypeVar

import typer

from callback_coach.cli import console
from callback_coach.cli.app import CoachCommand, CoachGroup
from callback_coach.errors import NoTerminalError

if TYPE_CHECKING:
    from typing_extensions import Unpack

CommandFunction = TypeVar("CommandFunction", bound=Callable[..., object])


class GroupSettings(TypedDict, total=False):
    """What a group of commands sets of typer.Typer's settings (those not given keep
    Typer's defaults)."""

    help: str
    short_help: str
    epilog: str
    no_args_is_help: bool


class CommandSettings(TypedDict, total=False):
    """What a command sets of Typer's command settings."""

    short_help: str
    epilog: str


def group(**settings: "Unpack[GroupSettings]") -> typer.Typer:
    """A Typer app of coach commands (a module's `commands`, or a group such as
    `coach export`), with `settings` for typer.Typer (help, epilog…)."""
    return typer.Typer(cls=CoachGroup, rich_markup_mode=None, **settings)


def command(
    group: typer.Typer, name: str | None = None, **settings: "Unpack[CommandSettings]"
) -> Callable[[CommandFunction], CommandFunction]:
    """`group.command`, with the coach's help format."""
    return group.command(name, cls=CoachCommand, **settings)


def wants_prompts(
    command: str, answers: str | None, sets: list[str] | None, defaults: bool
) -> bool:
    """True when the command will prompt (no --answers, --set or --defaults); then it
    needs a terminal, and without one it stops at once pointing to --answers."""
    if answers is not None or sets or defaults:
        return False
    if not console.stdin_is_terminal():
        raise NoTerminalError(
            f"coach {command} asks questions, but standard input is not a terminal: "
            "pass --answers FILE (or --answers - to read them from standard input)"
        )
    return True


def print_json(data: object) -> None:
    console.data(console.json_visible(json.dumps(data, ensure_ascii=False, indent=2)))


def report_written(paths: list[Path]) -> None:
    """Say on stderr what an export wrote: each file, or how many went into one folder (a
    nightly export of a thousand notes is one line)."""
    folders = {path.parent for path in paths}
    if len(paths) > 3 and len(folders) == 1:
        console.info(f"Wrote {len(paths)} files in {folders.pop()}")
        return
    for path in paths:
        console.info(f"Wrote {path}")
