"""Your notes: `coach list`, `coach show`, `coach search`, and `coach outcome` for the
news that came later."""

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Generic, Optional, TypeVar  # Optional: Typer < 0.29 on 3.10

import typer

from callback_coach.cli import console
from callback_coach.cli.command import command, group, print_json
from callback_coach.cli.completion import OUTCOME, ROLE_NAME
from callback_coach.cli.home import choose_project, open_coach
from callback_coach.cli.options import DATE_FORMS, JSON_OPT, PROJECT_OPT, ROLE_ARG, round_option
from callback_coach.cli.shell_lines import say_command
from callback_coach.exports import json_shapes

if TYPE_CHECKING:
    from rich.console import Console

_T = TypeVar("_T")

commands = group()


@command(
    commands,
    short_help="Record news that came later: booked, hold, released.",
    epilog="""
    coach outcome "Nina" booked
    coach outcome "Nina" callback --round callback-1
    coach outcome "Nina" released --project "The Seagull"
    """,
)
def outcome(
    role: str = ROLE_ARG,
    result: str = typer.Argument(
        ...,
        metavar="OUTCOME",
        help="pending, callback, avail, hold, booked or released.",
        click_type=OUTCOME,
    ),
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = round_option("Default: the role's latest round."),
) -> None:
    """Record an outcome that came later: callback, hold, booked, released…

    Only the outcome is changed in the round's note; everything you wrote stays as it is.
    """
    coach = open_coach()
    note = coach.record_outcome(
        role,
        result,
        project=project,
        round_label=round_label,
        choose_project=choose_project if console.stdin_is_terminal() else None,
    )
    console.info(f"{note.role} ({note.round}): outcome is now {note.outcome}.")
    console.data(str(note.path))


@command(
    commands,
    "list",
    short_help="List your roles, their rounds and what comes next.",
    epilog="""
    coach list
    coach list --role "Nina"                 # the role, and its unfinished drafts
    coach list --outcome pending --since 2026-11-01
    coach list --all --project "The Seagull"
    coach list --json | jq -r '.roles[].role'
    """,
)
def list_roles(
    role: Optional[str] = typer.Option(
        None, "--role", metavar="ROLE", help="Only this role.", click_type=ROLE_NAME
    ),
    project: Optional[str] = typer.Option(
        None, "--project", "-p", metavar="PROJECT", help="Only this project."
    ),
    outcome: Optional[str] = typer.Option(
        None, "--outcome", "-o", metavar="OUTCOME", help="Only roles whose latest outcome is this."
    ),
    since: Optional[str] = typer.Option(
        None,
        "--since",
        metavar="DATE",
        help=f"Only roles with a note on or after this day ({DATE_FORMS}).",
    ),
    show_all: bool = typer.Option(False, "--all", help="Show every role, not just the latest 30."),
    as_json: bool = JSON_OPT,
) -> None:
    """List your roles, their rounds and what comes next, then any unfinished session
    (a draft: its round, how many answers, when it was started, how to resume it)."""
    from callback_coach.cli import render  # Rich
    from callback_coach.season import loading as season

    coach = open_coach()
    filters = {"role": role, "project": project, "outcome": outcome, "since": since}
    limit = None if (as_json or show_all) else LIST_LIMIT
    rows = coach.list_roles(**filters, limit=limit)
    # A draft has no outcome yet: --outcome lists roles only.
    drafts = (
        [] if outcome is not None else coach.unfinished(role=role, project=project, since=since)
    )
    if as_json:
        # The sides' modules only for the JSON that carries their figures: not every list.
        from callback_coach.lines.measure import every_offbook

        print_json(json_shapes.list_json(rows, drafts, every_offbook(coach.home)))
        return
    out = console.out()
    if not rows and not drafts:
        say_command("No roles yet. Start with:", 'coach prep "ROLE" --project "PROJECT"')
    if rows:
        total = coach.count_roles(**filters) if len(rows) == limit else len(rows)
        today = season.current_day()
        out.print(render.roles_table(rows, total=total, width=out.width, today=today))
    if drafts:
        if rows:
            out.print()
        for line in render.drafts_lines(drafts, dt.datetime.now(dt.timezone.utc)):
            out.print(line)


LIST_LIMIT = 30


@command(
    commands,
    short_help="Show a role round by round, prep next to the room.",
    epilog="""
    coach show "Nina"
    coach show "Nina" --round callback-2
    coach show "Nina" --project "The Seagull" --json
    """,
)
def show(
    role: str = ROLE_ARG,
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = round_option("Only this round."),
    as_json: bool = JSON_OPT,
) -> None:
    """Show a role round by round: prepared, then what happened in the room."""
    from callback_coach.cli import render  # Rich

    coach = open_coach()
    found = coach.timeline(
        role,
        project=project,
        round_label=round_label,
        choose_project=choose_project if (console.stdin_is_terminal() and not as_json) else None,
    )
    if as_json:
        print_json(json_shapes.timeline_json(found, coach.catalogue()))
    else:
        console.out().print(render.timeline(found, coach.catalogue()))


@command(
    commands,
    short_help="Search every answer and your own notes for TEXT.",
    epilog="""
    coach search "pause"
    coach search "pride" --role "Nina"
    coach search "pause" --limit 20
    coach search "pause" --json | jq -r '.matches[].line'
    """,
)
def search(
    text: str = typer.Argument(..., metavar="TEXT", help="What to look for (any case)."),
    role: Optional[str] = typer.Option(
        None, "--role", metavar="ROLE", help="Only this role.", click_type=ROLE_NAME
    ),
    limit: Optional[int] = typer.Option(
        None,
        "--limit",
        "-n",
        min=0,
        metavar="N",
        help="Show at most N matches (how many were left out goes to standard error).",
    ),
    as_json: bool = JSON_OPT,
) -> None:
    """Search every answer and your own notes for TEXT."""
    from callback_coach.cli import render  # Rich

    coach = open_coach()
    hits = coach.iter_search(text, role=role)
    shown = Counted(hits if limit is None else itertools.islice(hits, limit))
    rest = Counted(hits)  # after the limit: counted, not written
    chunks: Iterable[str]
    if as_json:
        chunks = map(console.json_visible, json_shapes.search_json_chunks(text, shown, rest))
    elif console.out().is_terminal:  # for people: wrapped to the terminal
        chunks = ()
        for part in render.search_texts(shown, text, rest):
            console.out().print(part)
    else:  # for a pipe or a file: one line of data a match, written as it comes
        out = console.out()
        muted, match = style_codes(out, "muted"), style_codes(out, "match")
        chunks = render.search_lines(shown, text, rest, muted=muted, match=match)
    console.data_chunks(chunks)
    for _ in rest:
        pass
    if not shown.count and not rest.count and not as_json:
        console.info(f"No matches for {text!r}.")
    elif rest.count:
        console.info(
            f"{rest.count} more {'match' if rest.count == 1 else 'matches'} not shown "
            f"({shown.count + rest.count} in all); raise --limit to see them."
        )


class Counted(Generic[_T]):
    """The items of an iterable, counted as they are taken."""

    def __init__(self, items: Iterable[_T]) -> None:
        self.items = iter(items)
        self.count = 0

    def __iter__(self) -> Iterator[_T]:
        for item in self.items:
            self.count += 1
            yield item


def style_codes(out: "Console", name: str) -> tuple[str, str]:
    """The terminal codes that start and end a theme style on `out` ("" without colour)."""
    from rich.console import COLOR_SYSTEMS  # (Rich is loaded: `out` is a Console)

    style = out.get_style(name)
    if out.no_color:
        style = style.without_color
    # (`color_system` names the system: Style.render takes the ColorSystem it names.)
    system = COLOR_SYSTEMS.get(out.color_system) if out.color_system is not None else None
    marked = style.render("\x00", color_system=system)
    before, _, after = marked.partition("\x00")
    return before, after
