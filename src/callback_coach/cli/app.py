"""The root of the command line: the `coach` group and its help format, the one place
where an error becomes a line on stderr and an exit code, and the table of commands.

The commands live in one module per family (`session_cmd`, `notes_cmd`, `day_cmd`…),
and a family's module is imported only when one of its commands runs, shows its help or
completes: `coach --help` lists the commands from COMMANDS without importing any of them
(benchmarks/startup.py). A command module imports `command`, `group` and the shared
steps from `cli.command`, which imports the classes below; nothing here imports a
command module except through the table. No `from __future__ import annotations` here
or in a command module: Typer reads every command's annotations on every run, and
evaluating them from strings took about 7 ms of each.
"""

import difflib
import functools
import gc
import importlib
import sys
from collections.abc import MutableMapping, Sequence
from contextlib import AbstractContextManager
from typing import Protocol, cast

import typer
from typer.core import TyperCommand, TyperGroup

from callback_coach import __version__
from callback_coach.cli import console
from callback_coach.cli.completion import command_names, use_coach_shells
from callback_coach.cli.shell_lines import shell_lines
from callback_coach.errors import CoachError, ExitCode, UsageError

# Click's exceptions, found through Typer's public BadParameter (Typer may bundle Click).
_CLICK_ERRORS = sys.modules[typer.BadParameter.__module__]

# Typer types its classes' methods with the Click it bundles, whose classes it does not
# name publicly. What the coach uses of Click's objects is described by the Protocols
# below; a context only handed back to Click is a `typer.Context` (Typer's public name for
# it, a subclass: narrower than Click's on paper, hence "type: ignore[override]").


class _Context(Protocol):
    """What the coach reads of Click's context."""

    terminal_width: int | None

    @property
    def command_path(self) -> str: ...

    @property
    def invoked_subcommand(self) -> str | None: ...


class _Formatter(Protocol):
    """What the coach uses of Click's help formatter."""

    width: int
    current_indent: int

    def write(self, string: str) -> None: ...

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None: ...

    def section(self, name: str) -> AbstractContextManager[None]: ...


class _UsageError(Protocol):
    """What the coach reads of Click's usage error."""

    @property
    def ctx(self) -> _Context | None: ...

    def format_message(self) -> str: ...


# Every command of `coach`: its name -> (the module under callback_coach.cli that holds
# it, its short help). The order is the order of `coach --help`. tests/test_help.py holds
# each short help to the command's own.
COMMANDS: dict[str, tuple[str, str]] = {
    "prep": ("session_cmd", "Prepare for a callback, one checklist at a time."),
    "review": ("session_cmd", "Review a callback after the room, while it is fresh."),
    "outcome": ("notes_cmd", "Record news that came later: booked, hold, released."),
    "list": ("notes_cmd", "List your roles, their rounds and what comes next."),
    "show": ("notes_cmd", "Show a role round by round, prep next to the room."),
    "search": ("notes_cmd", "Search every answer and your own notes for TEXT."),
    "stats": (
        "season_cmd",
        "Your season: the funnel, rounds per role, charts by office or medium.",
    ),
    "today": ("season_cmd", "What is next: callbacks, reviews, follow-ups, drafts."),
    "card": ("day_cmd", "Your waiting-room card: one screen from the round's prep."),
    "breathe": ("day_cmd", "A paced breathing timer for the waiting room."),
    "drill": ("day_cmd", "Rehearse taking a director's note, then say it back."),
    "lines": ("lines_cmd", "Drill your lines on cue until you are off-book."),
    "export": ("export_cmd", "Export notes, checklists, or a calendar of your callbacks."),
    "checklists": ("checklists_cmd", "See, check and export the checklists."),
    "follow-ups": ("season_cmd", "What is owed after the room: list, mark done, add."),
    "conflicts": ("conflicts_cmd", "Sync conflict copies of notes: list, show, merge."),
    "sides": ("lines_cmd", "Import new sides; list and show them."),
    "schema": ("schema_cmd", "The JSON Schemas of --json output and your files."),
}


# Click lays help out to the terminal (less two columns of margin) up to 80 columns but
# never narrower than 50, and tests force 80; below 80 the coach gives it the terminal.
NARROW_HELP = 80


class HelpFormat:
    """Help as the docs write it: `ROLE` rather than Typer's `{ROLE}` in the usage
    line, and an "Examples" section whose lines are kept exactly as written, but for one
    too wide for the terminal, wrapped so that pasted it still runs (`shell_lines`)."""

    epilog: str | None

    def get_help(self, ctx: _Context) -> str:
        columns = console.terminal_width()
        if ctx.terminal_width is None and columns < NARROW_HELP:
            ctx.terminal_width = max(columns - 2, 20)
        return cast(str, super().get_help(ctx))  # type: ignore[misc]

    def format_help(self, ctx: object, formatter: _Formatter) -> None:
        if formatter.width < 50:
            # Click gives an option's name up to 30 columns: on a narrow terminal a third
            # of the line, and a longer name has its help on the next line.
            write_dl = formatter.write_dl
            narrow = max(formatter.width // 3, 8)

            def narrow_dl(
                rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
            ) -> None:
                write_dl(rows, min(col_max, narrow), col_spacing)

            formatter.write_dl = narrow_dl  # type: ignore[method-assign]  # (this formatter only)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def collect_usage_pieces(self, ctx: object) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]

    def format_epilog(self, ctx: object, formatter: _Formatter) -> None:
        if not self.epilog:
            return
        with formatter.section("Examples"):
            indent = " " * formatter.current_indent
            for line in self.epilog.strip().splitlines():
                if len(indent + line.strip()) <= formatter.width:
                    formatter.write(f"{indent}{line.strip()}\n")
                    continue
                for piece in shell_lines(
                    line.strip(), formatter.width, first=indent, rest=indent + "    "
                ):
                    formatter.write(f"{piece}\n")


class CoachCommand(HelpFormat, TyperCommand):
    """Every command of the coach."""


class CoachGroup(HelpFormat, TyperGroup):
    """The one place where a user error becomes a line on stderr and an exit code."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        # Input is decoded once, here at the edge: bytes that were not UTF-8 reach Python
        # as lone surrogates and must never get into a note.
        for arg in args:
            if any("\ud800" <= ch <= "\udfff" for ch in arg):
                report(UsageError(f"the argument {_shown(arg)} is not valid UTF-8 text"))
                raise typer.Exit(int(ExitCode.USAGE))
        return super().parse_args(ctx, args)

    def make_context(  # type: ignore[override]
        self,
        info_name: str | None,
        args: list[str],
        parent: typer.Context | None = None,
        **extra: object,
    ) -> object:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except _CLICK_ERRORS.UsageError as exc:
            raise _usage_exit(exc, None) from None

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except _CLICK_ERRORS.UsageError as exc:
            raise _usage_exit(exc, ctx) from None
        except CoachError as exc:
            raise typer.Exit(report(exc)) from None

    def _main_shell_completion(
        self, ctx_args: MutableMapping[str, object], prog_name: str, complete_var: str | None = None
    ) -> None:
        use_coach_shells()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)


class RootGroup(CoachGroup):
    """`coach` itself, a lazy group (as in Click's docs): its commands are listed from
    COMMANDS, and a command's module is imported when that command is first wanted."""

    def list_commands(self, ctx: object) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: object, cmd_name: str) -> TyperCommand | TyperGroup | None:
        if cmd_name not in COMMANDS:
            return None
        module, _ = COMMANDS[cmd_name]
        found = family(module).commands.get(cmd_name)  # (as the group's get_command)
        return found if isinstance(found, (TyperCommand, TyperGroup)) else None

    def format_commands(self, ctx: object, formatter: _Formatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short_help) for name, (_, short_help) in COMMANDS.items()])

    def shell_complete(self, ctx: typer.Context, incomplete: str) -> Sequence[object]:  # type: ignore[override]
        # The command names from the table, then the options (Click's own, which Typer's
        # group would precede with every command, importing every module for its help).
        names = command_names(((n, h) for n, (_, h) in COMMANDS.items()), incomplete)
        return names + super(TyperGroup, self).shell_complete(ctx, incomplete)

    def resolve_command(  # type: ignore[override]
        self, ctx: typer.Context, args: list[str]
    ) -> tuple[str | None, object, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except _CLICK_ERRORS.UsageError as exc:
            # Typer suggests a near name among the commands it built: here, none.
            near = difflib.get_close_matches(args[0], COMMANDS) if args else []
            if near and self.suggest_commands:
                names = ", ".join(repr(name) for name in near)
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {names}?"
            raise


@functools.cache
def family(module: str) -> TyperGroup:
    """The commands of one module (`commands`, a Typer app), imported and built once."""
    commands = importlib.import_module(f"callback_coach.cli.{module}").commands
    return typer.main.get_group(commands)


def _shown(arg: str) -> str:
    """An argument holding undecodable bytes, with those bytes written as \\xNN."""
    try:
        raw = arg.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return ascii(arg)
    return "'" + raw.decode("utf-8", "backslashreplace") + "'"


def _usage_exit(exc: _UsageError, ctx: _Context | None) -> Exception:
    """Click's usage error as one line (`error: no such option: --x (see coach prep --help)`)
    and exit code 2; `coach` alone still shows the help."""
    if isinstance(exc, getattr(_CLICK_ERRORS, "NoArgsIsHelpError", ())):
        return cast(Exception, exc)
    where = exc.ctx or ctx
    command = where.command_path if where is not None else "coach"
    if where is ctx and ctx is not None and ctx.invoked_subcommand:
        command += f" {ctx.invoked_subcommand}"
    message = " ".join(exc.format_message().split()).rstrip(".")
    report(UsageError(f"{message[:1].lower()}{message[1:]} (see {command} --help)"))
    return typer.Exit(int(ExitCode.USAGE))


def report(exc: CoachError) -> int:
    """Show an error on stderr (nothing for a closed output) and return its exit code."""
    if exc.message:
        console.error(exc.message, exc.prefix)
    for line in exc.details:
        console.detail(line)
    return int(exc.exit_code)


app = typer.Typer(
    cls=RootGroup,
    name="coach",
    help="Prepare for a callback the night before; review it after the room.",
    epilog="""
    coach                                         # today: what is next
    coach prep "Nina" --project "The Seagull"     # the night before
    coach review "Nina"                           # after the room
    coach outcome "Nina" booked                   # when the news comes
    coach list                                    # every role, what comes next
    coach stats                                   # your season at a glance
    coach COMMAND --help                          # every option of a command
    """,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        console.data(f"coach {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Prepare for a callback the night before; review it after the room.

    Notes are private files in your coach home ($COACH_HOME). Without a command, the
    coach shows `coach today`.
    """
    if ctx.invoked_subcommand is None:
        today = cast(RootGroup, ctx.command).get_command(ctx, "today")
        assert today is not None and today.callback is not None  # (a command of the table)
        ctx.invoke(today.callback, as_json=False)


def main() -> None:
    """Entry point of the `coach` command."""
    # A short run that loads an index of many small objects: the cyclic collector would
    # run dozens of times for nothing (benchmarks/scale.py). Reference counting still
    # frees everything as usual.
    gc.set_threshold(200_000, 20, 20)
    console.guard_streams()
    try:
        app(prog_name="coach")
    except CoachError as exc:  # output failing outside a command: help, --version
        sys.exit(report(exc))


__all__ = ["COMMANDS", "ExitCode", "app", "main"]
