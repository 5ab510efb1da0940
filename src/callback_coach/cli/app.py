"""The command-line skin: parse options, call the core, render. Nothing else lives here.

Only Typer is imported at start-up; each command imports what it needs, so `coach --help`
stays fast (benchmarks/startup.py). No `from __future__ import annotations` here: Typer
reads every command's annotations on every run, and evaluating them from strings took
about 7 ms of each (names only imported for type checking are quoted instead).
"""

import functools
import itertools
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, TypeVar, cast  # Optional: Typer < 0.29 on 3.10

import typer
from typer.core import TyperCommand, TyperGroup

from callback_coach import __version__
from callback_coach.cli import conflicts_cmd
from callback_coach.cli.completion import CHECKLIST_ID, OUTCOME, ROLE_NAME
from callback_coach.cli.lines_cmd import register as register_lines  # sides, lines
from callback_coach.errors import CoachError, ExitCode

if TYPE_CHECKING:
    from callback_coach.core.asking import Asker
    from callback_coach.core.session import SessionPlan
    from callback_coach.core.workflow import Coach


# Click's exceptions, found through Typer's public BadParameter (Typer may bundle Click).
_CLICK_ERRORS = sys.modules[typer.BadParameter.__module__]


CommandFunction = TypeVar("CommandFunction", bound=Callable[..., Any])


class HelpFormat:
    """Help as the README writes it: `ROLE` rather than Typer's `{ROLE}` in the usage
    line, and an "Examples" section whose lines are kept exactly as written."""

    epilog: str | None

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        if not self.epilog:
            return
        with formatter.section("Examples"):
            for line in self.epilog.strip().splitlines():
                formatter.write(f"{'':>{formatter.current_indent}}{line.strip()}\n")


class CoachCommand(HelpFormat, TyperCommand):
    """Every command of the coach."""


class CoachGroup(HelpFormat, TyperGroup):
    """The one place where a user error becomes a line on stderr and an exit code."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Input is decoded once, here at the edge: bytes that were not UTF-8 reach Python
        # as lone surrogates and must never get into a note.
        for arg in args:
            if any("\ud800" <= ch <= "\udfff" for ch in arg):
                from callback_coach.errors import UsageError

                report(UsageError(f"the argument {_shown(arg)} is not valid UTF-8 text"))
                raise typer.Exit(int(ExitCode.USAGE))
        return super().parse_args(ctx, args)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except _CLICK_ERRORS.UsageError as exc:
            raise _usage_exit(exc, None) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except _CLICK_ERRORS.UsageError as exc:
            raise _usage_exit(exc, ctx) from None
        except CoachError as exc:
            raise typer.Exit(report(exc)) from None

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: Any = None
    ) -> None:
        from callback_coach.cli.completion import use_coach_shells

        use_coach_shells()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)


def _shown(arg: str) -> str:
    """An argument holding undecodable bytes, with those bytes written as \\xNN."""
    try:
        raw = arg.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return ascii(arg)
    return "'" + raw.decode("utf-8", "backslashreplace") + "'"


def _usage_exit(exc: Any, ctx: Any) -> Exception:
    """Click's usage error as one line (`error: no such option: --x (see coach prep --help)`)
    and exit code 2; `coach` alone still shows the help."""
    if isinstance(exc, getattr(_CLICK_ERRORS, "NoArgsIsHelpError", ())):
        return cast(Exception, exc)
    from callback_coach.errors import UsageError

    where = exc.ctx or ctx
    command = where.command_path if where is not None else "coach"
    if where is ctx and ctx is not None and ctx.invoked_subcommand:
        command += f" {ctx.invoked_subcommand}"
    message = " ".join(exc.format_message().split()).rstrip(".")
    report(UsageError(f"{message[:1].lower()}{message[1:]} (see {command} --help)"))
    return typer.Exit(int(ExitCode.USAGE))


def report(exc: CoachError) -> int:
    """Show an error on stderr (nothing for a closed output) and return its exit code."""
    from callback_coach.cli import console

    if exc.message:
        console.error(exc.message, exc.prefix)
    for line in exc.details:
        console.detail(line)
    return int(exc.exit_code)


app = typer.Typer(
    cls=CoachGroup,
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


def command(
    group: typer.Typer, name: str | None = None, **kwargs: Any
) -> Callable[[CommandFunction], CommandFunction]:
    """`group.command`, with the coach's help format."""
    return group.command(name, cls=CoachCommand, **kwargs)


def _version(value: bool) -> None:
    if value:
        from callback_coach.cli import console

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
        today(as_json=False)


ROLE_ARG = typer.Argument(
    ...,
    metavar="ROLE",
    help='The role, as you call it (e.g. "Nina").',
    show_default=False,
    click_type=ROLE_NAME,
)
PROJECT_OPT = typer.Option(
    None, "--project", "-p", metavar="PROJECT", help="The project (film, play, series)."
)
ROUND_OPT = typer.Option(
    None,
    "--round",
    "-r",
    metavar="ROUND",
    help="audition, callback-N, producers, chemistry, screen-test, or a short label. "
    "Default: the latest round if its day has not passed and it is not reviewed "
    "(asked in the terminal), else the next callback (callback-1 for a new role).",
)
ANSWERS_OPT = typer.Option(
    None,
    "--answers",
    "-a",
    metavar="FILE|-",
    help="Answer from a YAML or JSON file (checklist id -> question id -> answer), "
    "or - for standard input, instead of prompting.",
)


DATE_FORMS = "YYYY-MM-DD, today, tomorrow, a weekday (fri, friday: the next one) or +N days"
DATE_OPT = typer.Option(
    None,
    "--date",
    "-d",
    metavar="DATE",
    help=f"Day of the callback: {DATE_FORMS}. Default: asked in the terminal "
    "(tomorrow offered), today with --answers; a round already prepared keeps its day.",
)
QUICK_OPT = typer.Option(
    False,
    "--quick",
    help="The quick prep: only the questions marked quick, then the closing check.",
)
FULL_OPT = typer.Option(
    False, "--full", help="The full prep, every checklist, without asking which path."
)
CHECKLIST_OPT = typer.Option(
    None,
    "--checklist",
    "-c",
    metavar="ID",
    help="Run only this checklist (repeat for several).",
    click_type=CHECKLIST_ID,
)
SET_OPT = typer.Option(
    None,
    "--set",
    "-s",
    metavar="CHECKLIST.QUESTION=VALUE",
    help="Answer one question without prompting (repeatable; overrides --answers). "
    "Yes/no for confirm, a number for scale, commas between multiselect choices.",
)
DEFAULTS_OPT = typer.Option(
    False,
    "--defaults",
    help="Do not prompt: every question you did not answer takes its default "
    "(fails, listing them, if a required question has none).",
)
JSON_OPT = typer.Option(False, "--json", help="Print JSON (documented in the README).")


@command(
    app,
    short_help="Prepare for a callback, one checklist at a time.",
    epilog="""
    coach prep "Nina" --project "The Seagull"
    coach prep "Nina" --quick --date tomorrow
    coach prep "Nina" --round callback-2 --date fri
    coach prep "Nina" --checklist mindset
    coach prep "Nina" --answers answers.yaml --set mindset.calm=7
    note=$(coach prep "Nina" --defaults)     # questions on screen, path in $note
    """,
)
def prep(
    role: str = ROLE_ARG,
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = ROUND_OPT,
    date: Optional[str] = DATE_OPT,
    checklist: Optional[list[str]] = CHECKLIST_OPT,
    quick: bool = QUICK_OPT,
    full: bool = FULL_OPT,
    answers: Optional[str] = ANSWERS_OPT,
    sets: Optional[list[str]] = SET_OPT,
    defaults: bool = DEFAULTS_OPT,
) -> None:
    """Prepare for a callback: the full prep, a quick one, or one checklist.

    In the terminal the coach first asks how much time you have (full prep, quick prep,
    or just one checklist, each with its number of questions and minutes) and the day of
    the callback. From the second round on it opens with what happened last time (the
    direction you got, what worked, the one thing to work on) and offers those answers.
    Every path ends with a short closing check. Every answer is kept in a draft as you
    go: press Ctrl-C any time and run the command it prints to resume.
    """
    from callback_coach.core.inputs import check_session_options

    check_session_options(role, round_label, date)
    path = path_option(quick, full, checklist)
    interactive = wants_prompts("prep", answers, sets, defaults)
    coach = open_coach()
    asker = terminal_asker() if interactive else None
    plan = coach.plan_prep(
        role,
        project=project,
        round_label=round_label,
        date=date,
        checklist_ids=checklist,
        path=path,
        choose_project=choose_project if interactive else None,
        asker=asker,
    )
    finish(coach, plan, answers, sets, asker=asker)


def path_option(quick: bool, full: bool, checklists: list[str] | None) -> str | None:
    """--quick or --full (not both; --full takes no --checklist)."""
    from callback_coach.errors import UsageError

    if quick and full:
        raise UsageError("--quick and --full cannot be used together (see coach prep --help)")
    if full and checklists:
        raise UsageError("--full runs every checklist: leave out --checklist (or --full)")
    return "quick" if quick else "full" if full else None


def terminal_asker() -> "Asker":
    """The prompts of a session in the terminal (imported only when prompting)."""
    from callback_coach.cli.asker import QuestionaryAsker

    return QuestionaryAsker()


@command(
    app,
    short_help="Review a callback after the room, while it is fresh.",
    epilog="""
    coach review "Nina"
    coach review "Nina" --round callback-1 --outcome hold
    coach review "Nina" --answers review.yaml --outcome pending
    """,
)
def review(
    role: str = ROLE_ARG,
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = typer.Option(
        None,
        "--round",
        "-r",
        metavar="ROUND",
        help="The round you are reviewing. Default: the latest round prepared but not reviewed.",
    ),
    outcome: Optional[str] = typer.Option(
        None,
        "--outcome",
        "-o",
        metavar="OUTCOME",
        help="pending, callback, avail, hold, booked or released. Asked if not given.",
    ),
    date: Optional[str] = typer.Option(
        None,
        "--date",
        "-d",
        metavar="DATE",
        help=f"Day of the room: {DATE_FORMS}. Default: the round's day (today for a "
        "round with no date).",
    ),
    answers: Optional[str] = ANSWERS_OPT,
    sets: Optional[list[str]] = SET_OPT,
    defaults: bool = DEFAULTS_OPT,
) -> None:
    """Review a callback after the room, while it is fresh.

    Who was there, what direction came, what worked, what you wore, one thing to work on,
    and the outcome so far. The next round's prep opens with this. The review is dated as
    its round (the day of the room). An unfinished review is offered to resume, even one
    left in another project.
    """
    from callback_coach.core.inputs import check_session_options

    check_session_options(role, round_label, date, outcome)
    interactive = wants_prompts("review", answers, sets, defaults)
    coach = open_coach()
    asker = terminal_asker() if interactive else None
    plan = coach.plan_review(
        role,
        project=project,
        round_label=round_label,
        date=date,
        outcome=outcome,
        choose_project=choose_project if interactive else None,
        asker=asker,
    )
    finish(coach, plan, answers, sets, asker=asker)


def finish(
    coach: Any,
    plan: "SessionPlan",
    answers: str | None,
    sets: list[str] | None,
    *,
    asker: "Asker | None",
) -> None:
    """Save a plan from --answers/--set/--defaults, or run it in the terminal (`asker`)."""
    from callback_coach.cli import console
    from callback_coach.core.answers import read_answers
    from callback_coach.core.running import parse_sets

    if asker is None:
        given, source = read_answers(answers) if answers is not None else ({}, "--defaults")
        for cid, values in parse_sets(plan, sets or []).items():
            given.setdefault(cid, {}).update(values)
        if sets and answers is None:
            source = "--set"
        note = coach.save_answers(plan, given, source=source)
        console.info(f"Saved your {plan.kind} for {plan.role} ({plan.round}).")
        console.data(str(note.path))
    else:
        run_interactive(coach, plan, asker)


def open_coach() -> "Coach":
    """The coach home for one command. Its warnings (a note it cannot read) are shown on
    stderr as they arise: before the command's output, and even if the command fails."""
    from callback_coach.cli import console
    from callback_coach.core.workflow import Coach

    return Coach.open(on_warning=console.warn)


@command(
    app,
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
    round_label: Optional[str] = typer.Option(
        None, "--round", "-r", metavar="ROUND", help="Default: the role's latest round."
    ),
) -> None:
    """Record an outcome that came later: callback, hold, booked, released…

    Only the outcome is changed in the round's note; everything you wrote stays as it is.
    """
    from callback_coach.cli import console

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
    app,
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
    import datetime as dt

    from callback_coach.cli import console, render
    from callback_coach.exports import json_shapes

    coach = open_coach()
    filters = {"role": role, "project": project, "outcome": outcome, "since": since}
    limit = None if (as_json or show_all) else LIST_LIMIT
    rows = coach.list_roles(**filters, limit=limit)
    # A draft has no outcome yet: --outcome lists roles only.
    drafts = (
        [] if outcome is not None else coach.unfinished(role=role, project=project, since=since)
    )
    if as_json:
        print_json(json_shapes.list_json(rows, drafts))
        return
    out = console.out()
    if not rows and not drafts:
        console.info('No roles yet. Start with: coach prep "ROLE" --project "PROJECT"')
    if rows:
        total = coach.count_roles(**filters) if len(rows) == limit else len(rows)
        out.print(render.roles_table(rows, total=total, width=out.width))
    if drafts:
        if rows:
            out.print()
        for line in render.drafts_lines(drafts, dt.datetime.now(dt.timezone.utc)):
            out.print(line, soft_wrap=True)


LIST_LIMIT = 30


@command(
    app,
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
    round_label: Optional[str] = typer.Option(
        None, "--round", "-r", metavar="ROUND", help="Only this round."
    ),
    as_json: bool = JSON_OPT,
) -> None:
    """Show a role round by round: prepared, then what happened in the room."""
    from callback_coach.cli import console, render
    from callback_coach.exports import json_shapes

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
    app,
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
    from callback_coach.cli import console, render
    from callback_coach.exports import json_shapes

    coach = open_coach()
    hits = coach.iter_search(text, role=role)
    shown = Counted(hits if limit is None else itertools.islice(hits, limit))
    rest = Counted(hits)  # after the limit: counted, not written
    chunks: Iterable[str]
    if as_json:
        chunks = map(console.json_visible, json_shapes.search_json_chunks(text, shown, rest))
    else:
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


class Counted:
    """The items of an iterable, counted as they are taken."""

    def __init__(self, items: Any) -> None:
        self.items = iter(items)
        self.count = 0

    def __iter__(self) -> Any:
        for item in self.items:
            self.count += 1
            yield item


def style_codes(out: Any, name: str) -> tuple[str, str]:
    """The terminal codes that start and end a theme style on `out` ("" without colour)."""
    style = out.get_style(name)
    if out.no_color:
        style = style.without_color
    marked = style.render("\x00", color_system=out.color_system)
    before, _, after = marked.partition("\x00")
    return before, after


export_app = typer.Typer(
    cls=CoachGroup,
    help="Export notes or checklists (Markdown, JSON, YAML, CSV), or your callbacks as a calendar.",
    short_help="Export notes, checklists, or a calendar of your callbacks.",
    epilog="""
    coach export notes --format csv --output answers.csv
    coach export notes --output backup/ --force
    coach export checklists mindset --format md > mindset-worksheet.md
    coach export calendar --output callbacks.ics
    """,
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")

OUTPUT_OPT = typer.Option(
    None,
    "--output",
    "-O",
    metavar="PATH",
    help="Write to this file, or to a folder (ending in /) with one file per item; "
    "- for standard output (the default).",
)
FORCE_OPT = typer.Option(False, "--force", help="Replace files that already exist.")


@command(
    export_app,
    "notes",
    short_help="Export notes as Markdown, JSON, YAML or CSV.",
    epilog="""
    coach export notes > all-notes.md
    coach export notes --role "Nina" --format json
    coach export notes --since 2026-01-01 --format csv --output answers.csv
    coach export notes --output backup/ --force      # one file per note
    """,
)
def export_notes(
    role: Optional[str] = typer.Option(
        None, "--role", metavar="ROLE", help="Only this role.", click_type=ROLE_NAME
    ),
    project: Optional[str] = typer.Option(
        None, "--project", "-p", metavar="PROJECT", help="Only this project."
    ),
    round_label: Optional[str] = typer.Option(
        None, "--round", "-r", metavar="ROUND", help="Only this round."
    ),
    kind: Optional[str] = typer.Option(
        None, "--kind", metavar="prep|review|drill", help="Only preps, reviews or drills."
    ),
    outcome: Optional[str] = typer.Option(
        None,
        "--outcome",
        "-o",
        metavar="OUTCOME",
        help="Only notes with this outcome.",
        click_type=OUTCOME,
    ),
    since: Optional[str] = typer.Option(
        None, "--since", metavar="YYYY-MM-DD", help="Notes dated on or after."
    ),
    until: Optional[str] = typer.Option(
        None, "--until", metavar="YYYY-MM-DD", help="Notes dated on or before."
    ),
    fmt: str = typer.Option(
        "md", "--format", "-f", metavar="md|json|yaml|csv", help="Output format."
    ),
    output: Optional[str] = OUTPUT_OPT,
    force: bool = FORCE_OPT,
) -> None:
    """Export notes: a printable Markdown sheet, JSON or YAML for scripts, CSV for spreadsheets."""
    from callback_coach.cli import console
    from callback_coach.exports import formats as exports
    from callback_coach.exports import output as output_files
    from callback_coach.exports.exporting import export_files, export_text
    from callback_coach.exports.exporting import export_notes as select

    fmt = exports.check_format(fmt)
    coach = open_coach()
    chosen = select(
        coach, exports.NoteFilter(role, project, round_label, kind, outcome, since, until)
    )
    written = output_files.write_output(
        output,
        lambda: export_text(coach, chosen, fmt),
        lambda: export_files(coach, chosen, fmt),
        force=force,
    )
    if not chosen:
        console.info("No notes match.")
    report_written(written)


@command(
    export_app,
    "checklists",
    short_help="Export checklists as YAML, JSON or a worksheet.",
    epilog="""
    coach export checklists mindset --output "$COACH_HOME/checklists/"
    coach export checklists mindset --format md > mindset-worksheet.md
    coach export checklists --format json
    """,
)
def export_checklists(
    ids: Optional[list[str]] = typer.Argument(
        None,
        metavar="[ID]...",
        help="Checklist ids (default: all).",
        click_type=CHECKLIST_ID,
    ),
    fmt: str = typer.Option(
        "yaml", "--format", "-f", metavar="md|json|yaml", help="Output format."
    ),
    output: Optional[str] = OUTPUT_OPT,
    force: bool = FORCE_OPT,
) -> None:
    """Export checklists: YAML to copy into your coach home and edit, JSON, or a printable
    Markdown worksheet."""
    from callback_coach.exports import formats as exports
    from callback_coach.exports import output as output_files

    fmt = exports.check_format(fmt, checklists=True)
    coach = open_coach()
    chosen = coach.select_checklists(None, ids)
    render = exports.FORMATS[fmt].checklists
    written = output_files.write_output(
        output,
        lambda: render(chosen),
        lambda: [(f"{c.id}.{fmt}", functools.partial(render, [c])) for c in chosen],
        force=force,
    )
    report_written(written)


checklists_app = typer.Typer(
    cls=CoachGroup,
    help="See, check and export the checklists.",
    epilog="""
    coach checklists list
    coach checklists show mindset
    coach checklists validate "$COACH_HOME/checklists/mindset.yaml"
    """,
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(checklists_app, name="checklists")


@command(
    checklists_app,
    "list",
    short_help="List the checklists and where each comes from.",
    epilog="""
    coach checklists list
    coach checklists list --json | jq -r '.checklists[].id'
    """,
)
def checklists_list(as_json: bool = JSON_OPT) -> None:
    """List the checklists: id, title, phase, questions, and where each comes from."""
    from callback_coach.cli import console, render

    checklists = open_coach().catalogue().checklists
    if as_json:
        print_json({"format": 1, "checklists": [render.checklist_row(c) for c in checklists]})
    else:
        console.out().print(render.checklists_table(checklists))


@command(
    checklists_app,
    "show",
    short_help="Show one checklist's questions and why each matters.",
    epilog="""
    coach checklists show mindset
    coach checklists show after-the-room
    """,
)
def checklists_show(
    checklist_id: str = typer.Argument(
        ...,
        metavar="ID",
        help="The checklist's id, as `coach checklists list` shows it (e.g. mindset).",
        show_default=False,
        click_type=CHECKLIST_ID,
    ),
) -> None:
    """Show one checklist's questions, with their type and why each matters.

    Each question is shown with its id (used in answers files and --set), its type and
    choices, and the line saying why it matters.
    """
    from callback_coach.cli import console, render

    (checklist,) = open_coach().select_checklists(None, [checklist_id])
    console.out().print(render.checklist_detail(checklist))


@command(
    checklists_app,
    "validate",
    short_help="Check checklist files: every problem, with its line.",
    epilog="""
    coach checklists validate my-checklist.yaml
    coach checklists validate "$COACH_HOME"/checklists/*.yaml
    """,
)
def checklists_validate(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Checklist YAML files."),
) -> None:
    """Check checklist files: every problem, with its file and line."""
    from callback_coach.cli import console
    from callback_coach.core.checklist import validate_files
    from callback_coach.errors import ChecklistError, NotFoundError

    problems = validate_files(files)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        # Every problem is listed; a file that is not there at all makes it "not found".
        error = NotFoundError if any(not path.exists() for path in files) else ChecklistError
        raise error(f"{len(problems)} {noun} found", details=[str(p) for p in problems])
    for path in files:
        console.info(f"{path}: ok")


# -- the season: stats, follow-ups, today, calendar -------------------------------------

SINCE_OPT = typer.Option(
    None, "--since", metavar="DATE", help="Only roles whose first round is on or after DATE."
)
UNTIL_OPT = typer.Option(
    None, "--until", metavar="DATE", help="Only roles whose first round is on or before DATE."
)


@command(
    app,
    short_help="Your season: the funnel, rounds per role, charts by office or medium.",
    epilog="""
    coach stats
    coach stats --since 2026-01-01 --by office
    coach stats --json | jq '.funnel'
    """,
)
def stats(
    since: Optional[str] = SINCE_OPT,
    until: Optional[str] = UNTIL_OPT,
    by: Optional[list[str]] = typer.Option(
        None,
        "--by",
        metavar="office|medium|project|month",
        help="Breakdowns to show (repeatable, or comma-separated). "
        "Default: office, medium and month.",
    ),
    every: bool = typer.Option(
        False,
        "--all",
        help="Chart every office, medium, project and month (without it: the 12 with the "
        "most roles, and the latest 12 months; --json always gives every one).",
    ),
    as_json: bool = JSON_OPT,
) -> None:
    """Your season in numbers: the funnel from audition to booking, rounds per role, and
    breakdowns by casting office, medium, project or month, as bar charts.

    Counts are roles. A role with no outcome yet is open, not a loss.
    """
    from callback_coach.cli import console, season_render
    from callback_coach.season import loading as season
    from callback_coach.season import stats as season_stats

    today_ = season.current_day()
    since_, until_ = (
        None if value is None else day_option(value, today_).isoformat() for value in (since, until)
    )
    chosen = breakdowns_option(by)
    coach = open_coach()
    result = season_stats.stats_of(
        season.load_counts(coach, since_, until_, chosen), since_, until_
    )
    if as_json:
        print_json(result.to_json())
    elif not result.tally.roles and not (since or until):
        console.info('No roles yet. Start with: coach prep "ROLE" --project "PROJECT"')
    else:
        console.out().print(season_render.StatsView(result, every=every))


def day_option(value: str | None, today: Any) -> Any:
    """A --since/--until date as people type it, or None."""
    import datetime as dt

    from callback_coach.core.inputs import parse_date

    return None if value is None else dt.date.fromisoformat(parse_date(value, today))


def breakdowns_option(values: list[str] | None) -> tuple[str, ...]:
    from callback_coach.errors import UsageError
    from callback_coach.season.stats import BREAKDOWNS, DEFAULT_BREAKDOWNS

    if not values:
        return DEFAULT_BREAKDOWNS
    chosen: list[str] = []
    for value in values:
        for name in (v.strip().lower() for v in value.split(",")):
            name = {"casting-office": "office", "casting_office": "office"}.get(name, name)
            if name not in BREAKDOWNS:
                raise UsageError(f"--by {name!r} is not one of: {', '.join(BREAKDOWNS)}")
            if name not in chosen:
                chosen.append(name)
    return tuple(chosen)


follow_ups_app = typer.Typer(
    cls=CoachGroup,
    help="What is owed after the room: list follow-ups, mark one done, add one.",
    short_help="What is owed after the room: list, mark done, add.",
    epilog="""
    coach follow-ups
    coach follow-ups done 5c1e
    coach follow-ups add "Nina" "Send the self-tape" --due fri --for Anna
    """,
    rich_markup_mode=None,
)
app.add_typer(follow_ups_app, name="follow-ups")
app.add_typer(conflicts_cmd.build(CoachGroup, CoachCommand), name="conflicts")

ALL_FOLLOW_UPS_OPT = typer.Option(False, "--all", help="Include follow-ups already done.")


@follow_ups_app.callback(invoke_without_command=True)
def follow_ups(
    ctx: typer.Context, show_all: bool = ALL_FOLLOW_UPS_OPT, as_json: bool = JSON_OPT
) -> None:
    """What is owed after the room: thank-you notes, agent updates, anything you add.

    Without a command, lists the open follow-ups, oldest first. A review's follow-up
    answers become items: each choice not ticked is open. Changing them changes only
    their lines in the note's front matter; your text stays as it is.
    """
    if ctx.invoked_subcommand is None:
        follow_ups_list(show_all=show_all, as_json=as_json)


@command(
    follow_ups_app,
    "list",
    short_help="List open follow-ups, oldest first.",
    epilog="""
    coach follow-ups list
    coach follow-ups list --all --json
    """,
)
def follow_ups_list(show_all: bool = ALL_FOLLOW_UPS_OPT, as_json: bool = JSON_OPT) -> None:
    """List open follow-ups, oldest first (--all: done ones too)."""
    from callback_coach.cli import console, season_render
    from callback_coach.season import followups
    from callback_coach.season import loading as season

    coach = open_coach()
    day = season.current_day()
    owing = season.load_with_follow_ups(coach, None if show_all else followups.lapse_before(day))
    items = followups.load(coach, owing, day)
    shown = items if show_all else followups.open_items(items)
    if as_json:
        print_json(
            {"format": followups.FOLLOW_UPS_FORMAT, "follow_ups": [i.to_json() for i in shown]}
        )
    elif not shown:
        console.info("No follow-ups open." if not show_all else "No follow-ups yet.")
    else:
        console.out().print(season_render.follow_ups_table(shown, season.current_day()))


@command(
    follow_ups_app,
    "done",
    short_help="Mark a follow-up done.",
    epilog="""
    coach follow-ups done 5c1e09a
    """,
)
def follow_ups_done(
    ident: str = typer.Argument(..., metavar="ID", help="The id shown by coach follow-ups."),
) -> None:
    """Mark a follow-up done (today). Only its line in the note's front matter changes."""
    from callback_coach.cli import console
    from callback_coach.season import followups
    from callback_coach.season import loading as season

    coach = open_coach()
    items = followups.load(coach, season.load_with_follow_ups(coach), season.current_day())
    item = followups.find(items, ident)
    if followups.mark_done(coach, item, season.current_day()):
        console.info(f"Done: {item.what} ({item.role}, {item.round}).")
    else:
        console.info(f"Already done on {item.done}: {item.what} ({item.role}, {item.round}).")
    console.data(item.id)


@command(
    follow_ups_app,
    "add",
    short_help="Add a follow-up to a role's round.",
    epilog="""
    coach follow-ups add "Nina" "Thank-you note to Anna"
    coach follow-ups add "Nina" "Send the self-tape" --due fri --for Anna
    """,
)
def follow_ups_add(
    role: str = ROLE_ARG,
    text: str = typer.Argument(..., metavar="TEXT", help="What is owed, in your words."),
    due: Optional[str] = typer.Option(
        None, "--due", metavar="DATE", help="When it is due (2026-11-25, tomorrow, fri, +3)."
    ),
    to: Optional[str] = typer.Option(
        None, "--for", metavar="WHO", help="Who it is for (an agent, a casting director)."
    ),
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = typer.Option(
        None, "--round", "-r", metavar="ROUND", help="Default: the role's latest round."
    ),
) -> None:
    """Add a follow-up to a role's round; it is kept in that round's note (its review,
    else its prep), and only the note's follow_ups lines change."""
    from callback_coach.cli import console
    from callback_coach.core.inputs import check_round
    from callback_coach.season import followups
    from callback_coach.season import loading as season

    today_ = season.current_day()
    due_day = day_option(due, today_)
    label = check_round(round_label) if round_label is not None else None
    coach = open_coach()
    roles = season.load_roles(coach)
    chosen = followups.find_role(
        roles, role, project, choose_project if console.stdin_is_terminal() else None
    )
    item = followups.add(
        coach,
        chosen,
        text,
        today_,
        due=due_day,
        to=to,
        round_label=label,
        existing=followups.load(coach, roles, today_),
    )
    console.info(f"Added follow-up {item.id} to {item.role} ({item.round}).")
    console.data(item.id)


@command(
    app,
    short_help="What is next: callbacks, reviews, follow-ups, drafts.",
    epilog="""
    coach today
    coach today --json | jq '.callbacks'
    """,
)
def today(as_json: bool = JSON_OPT) -> None:
    """What is next, on one screen: callbacks this week, reviews to write, follow-ups due,
    unfinished drafts, and outcomes with no news after two weeks. A bare `coach` shows it."""
    from callback_coach.cli import console, season_render
    from callback_coach.season import followups
    from callback_coach.season import loading as season
    from callback_coach.season.today import today_view

    coach = open_coach()
    day = season.current_day()
    drafts = season.read_drafts(coach)
    roles, waiting, names, total = season.load_for_today(coach, day, drafts)
    items = followups.load(
        coach, season.load_with_follow_ups(coach, followups.lapse_before(day)), day
    )
    view = today_view(roles, items, drafts, day, waiting=waiting, names=names, total=total)
    if as_json:
        print_json(view.to_json())
    else:
        # Not cropped: a hint (a command to copy) is one line however narrow the screen.
        console.out().print(season_render.today_screen(view), crop=False)


@command(
    export_app,
    "calendar",
    short_help="Export your callbacks as an iCalendar file.",
    epilog="""
    coach export calendar --output callbacks.ics
    coach export calendar > callbacks.ics
    """,
)
def export_calendar(output: Optional[str] = OUTPUT_OPT, force: bool = FORCE_OPT) -> None:
    """Export every callback (past and upcoming) and every dated follow-up as an
    iCalendar (.ics) file for your calendar app. Importing it again updates the events
    instead of adding copies."""
    import heapq

    from callback_coach.exports import output as output_files
    from callback_coach.season import calendar as ical
    from callback_coach.season import followups
    from callback_coach.season import loading as season

    coach = open_coach()
    owing = season.load_with_follow_ups(coach, dated=True)
    items = followups.load(coach, owing, season.current_day())
    stamps = {n.file: n.stamp for role in owing for n in role.notes}
    rounds = season.calendar_rows(coach, ical.role_event_rows)

    def render() -> str:
        extra = sorted(ical.event_row(e) for e in ical.follow_up_events(items, stamps))
        return ical.calendar_of_rows(heapq.merge(rounds, extra))

    written = output_files.write_output(
        output, render, lambda: [("callbacks.ics", render())], force=force
    )
    report_written(written)


def report_written(paths: list[Path]) -> None:
    """Say on stderr what an export wrote: each file, or how many went into one folder (a
    nightly export of a thousand notes is one line)."""
    from callback_coach.cli import console

    folders = {path.parent for path in paths}
    if len(paths) > 3 and len(folders) == 1:
        console.info(f"Wrote {len(paths)} files in {folders.pop()}")
        return
    for path in paths:
        console.info(f"Wrote {path}")


def print_json(data: Any) -> None:
    import json

    from callback_coach.cli import console

    console.data(console.json_visible(json.dumps(data, ensure_ascii=False, indent=2)))


def wants_prompts(
    command: str, answers: str | None, sets: list[str] | None, defaults: bool
) -> bool:
    """True when the command will prompt (no --answers, --set or --defaults); then it
    needs a terminal, and without one it stops at once pointing to --answers."""
    from callback_coach.cli import console
    from callback_coach.errors import NoTerminalError

    if answers is not None or sets or defaults:
        return False
    if not console.stdin_is_terminal():
        raise NoTerminalError(
            f"coach {command} asks questions, but standard input is not a terminal: "
            "pass --answers FILE (or --answers - to read them from standard input)"
        )
    return True


def choose_project(projects: list[str]) -> str:
    from callback_coach.cli.asker import QuestionaryAsker

    options = [(p, p or "(no project)") for p in projects]
    try:
        return QuestionaryAsker().choose(
            "This role appears in several projects. Which one?", options
        )
    except (KeyboardInterrupt, EOFError):
        from callback_coach.errors import Interrupted

        raise Interrupted("Stopped before any question; nothing was written.") from None


def resume_command(plan: "SessionPlan") -> str:
    """The command that resumes this session, with every option it needs."""
    from callback_coach.core.hints import resume_command as command_for

    return command_for(
        plan.kind,
        plan.role,
        plan.project,
        plan.round,
        plan.date,
        path=plan.path,
        chosen=plan.chosen,
    )


def run_interactive(coach: Any, plan: "SessionPlan", asker: "Asker | None" = None) -> None:
    """Run a plan in the terminal and report the result (the prompts' common skin)."""
    from callback_coach.core.session import in_play

    asker = asker or terminal_asker()

    def start(p: "SessionPlan") -> None:
        from callback_coach.cli import render  # (Rich: loaded after the first question

        asker.show(render.session_header(p.kind, p.role, p.project, p.round, p.date))
        if p.last_round is not None:
            panel = render.last_round_panel(p.last_round)
            asker.show(panel)
            asker.reference(panel, "Last time")

    def summary(p: "SessionPlan", answers: dict[str, dict[str, Any]]) -> Any:
        from callback_coach.cli import render

        return render.answers_summary(in_play(p, answers), answers)

    try:
        result = coach.run_session(plan, asker, summary=summary, on_start=start)
    except (KeyboardInterrupt, EOFError):  # Ctrl-C, or Ctrl-D on an empty prompt
        draft = coach.find_draft(plan)
        raise stopped(plan, draft.count() if draft is not None else 0) from None
    if report_result(plan, result) and plan.kind == "prep":
        offer_card(coach, plan, asker)


# -- on the day: card, breathe, drill -------------------------------------------------


@command(
    app,
    short_help="Your waiting-room card: one screen from the round's prep.",
    epilog="""
    coach card "Nina"
    coach card "Nina" --format html --output nina.html   # open it on your phone
    coach card "Nina" --format md > nina-card.md
    """,
)
def card(
    role: str = ROLE_ARG,
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = typer.Option(
        None,
        "--round",
        "-r",
        metavar="ROUND",
        help="The round. Default: the latest round you prepared.",
    ),
    fmt: str = typer.Option(
        "text",
        "--format",
        "-f",
        metavar="text|md|html",
        help="text for the terminal, md to print, html for a phone or a printer.",
    ),
    output: Optional[str] = typer.Option(
        None,
        "--output",
        "-O",
        metavar="FILE",
        help="Write to this file (default: standard output).",
    ),
    force: bool = FORCE_OPT,
) -> None:
    """Your waiting-room card: one screen distilled from the round's prep.

    The want, what to keep and the one thing to refresh, the direction to honour, your
    plan for a note (the question to ask, the recovery), the line to tell yourself, your
    anchor and breathing, and who is in the room. Empty answers are left out.
    """
    from callback_coach.cli import card_view, console
    from callback_coach.day import card as cards
    from callback_coach.exports import output as output_files

    fmt = cards.check_format(fmt)
    coach = open_coach()
    chosen = cards.card_for(
        coach,
        role,
        project=project,
        round_label=round_label,
        choose_project=choose_project if console.stdin_is_terminal() else None,
    )
    if output is None and fmt == "text":
        out = console.out()
        width = min(out.width, CARD_WIDTH)
        out.print(card_view.renderable(chosen, width, card_view.fit_budget(chosen, width)))
    else:
        text = card_view.render(chosen, fmt, CARD_WIDTH)
        name = cards.file_name(chosen.role, chosen.round, "txt" if fmt == "text" else fmt)
        report_written(
            output_files.write_output(output, lambda: text, lambda: [(name, text)], force=force)
        )


CARD_WIDTH = 80


def offer_card(coach: Any, plan: "SessionPlan", asker: "Asker") -> None:
    """After a saved prep, in the terminal: show the waiting-room card if wanted."""
    from callback_coach.cli import card_view, console
    from callback_coach.day import card as cards

    try:
        choice = asker.choose(
            "Show your waiting-room card for the day?",
            [("card", "Show my card"), ("done", "Not now")],
            default="card",
        )
    except (KeyboardInterrupt, EOFError):
        return
    if choice != "card":
        return
    chosen = cards.card_for(coach, plan.role, project=plan.project, round_label=plan.round)
    width = min(console.err().width, CARD_WIDTH)
    asker.show(card_view.renderable(chosen, width, card_view.fit_budget(chosen, width)))
    from callback_coach.core.hints import command

    name = cards.file_name(plan.role, plan.round, "html")
    hint = command(
        "card",
        plan.role,
        project=plan.project or None,
        round_label=plan.round,
        options=["--format", "html", "--output", name],
    )
    console.info(f"For your phone or a printer: {hint}")


@command(
    app,
    short_help="A paced breathing timer for the waiting room.",
    epilog="""
    coach breathe
    coach breathe --pattern 4-7-8 --minutes 3
    coach breathe --role "Nina"
    coach breathe --rounds 2 | espeak-ng        # no terminal: one line per phase
    """,
)
def breathe(
    pattern: Optional[str] = typer.Option(
        None,
        "--pattern",
        metavar="box|4-7-8|exhale|ID",
        help="The breathing pattern (default: box, or the role's routine with --role).",
    ),
    rounds: Optional[int] = typer.Option(
        None, "--rounds", "-n", metavar="N", help="How many rounds (default: the pattern's)."
    ),
    minutes: Optional[float] = typer.Option(
        None, "--minutes", "-m", metavar="M", help="Breathe for about this many minutes."
    ),
    role: Optional[str] = typer.Option(
        None,
        "--role",
        metavar="ROLE",
        help="Use the breathing routine this role's prep chose.",
        click_type=ROLE_NAME,
    ),
    project: Optional[str] = PROJECT_OPT,
    list_patterns: bool = typer.Option(
        False, "--list", help="List the patterns (id, name, phases, rounds, about) and exit."
    ),
) -> None:
    """A paced breathing timer for the waiting room.

    Shows the phase in words (breathe in, hold, breathe out), a countdown and a bar that
    fills and empties. Ctrl-C stops it quietly. Without a terminal it prints one line per
    phase ("breathe in 4") as the phase begins, for a speech tool. Add your own patterns
    in $COACH_HOME/breathing.yaml.
    """
    import sys

    from callback_coach.cli import console
    from callback_coach.day import breathing
    from callback_coach.errors import NotFoundError
    from callback_coach.store import paths

    coach = open_coach()
    patterns = breathing.load_patterns(
        paths.builtin_data_dir() / "breathing.yaml", paths.user_breathing_file(coach.home)
    )
    if list_patterns:
        for p in patterns:
            console.data(
                console.visible(
                    f"{p.id}\t{p.name}\t{p.describe()}\t{p.rounds} rounds\t{p.about or ''}"
                )
            )
        return
    chosen = None
    if pattern is not None:
        chosen = breathing.find_pattern(patterns, pattern)
        if chosen is None:
            ids = ", ".join(p.id for p in patterns)
            raise NotFoundError(f"no breathing pattern {pattern!r} (available: {ids})")
    elif role is not None:
        chosen = routine_of(coach, role, project, patterns)
    chosen = chosen or breathing.find_pattern(patterns, breathing.DEFAULT_PATTERN) or patterns[0]
    count = breathing.rounds_for(chosen, rounds, minutes)
    timer = breathing.Timer(chosen, count)
    live = sys.stdout.isatty() and sys.stderr.isatty()
    try:
        if live:
            outcome = breathe_live(timer)
        else:
            outcome = timer.run(on_step=lambda step: console.data(breathing.plain_line(step)))
    except KeyboardInterrupt:  # Ctrl-C while the display opens or closes
        console.info("Stopped.")
        return
    console.info(outcome.summary())


def routine_of(coach: Any, role: str, project: str | None, patterns: list[Any]) -> Any:
    """The pattern a role's prep chose as its breathing routine, or None (with a message)."""
    from callback_coach.cli import console
    from callback_coach.day import breathing
    from callback_coach.day.card import card_for

    found = card_for(
        coach,
        role,
        project=project,
        choose_project=choose_project if console.stdin_is_terminal() else None,
    )
    answer = found.get("breathing")
    chosen = breathing.pattern_named_in(patterns, answer) if answer else None
    if chosen is not None:
        console.info(f"{found.role}'s breathing routine: {chosen.name}.")
    elif answer:
        console.info(
            f"{found.role}'s routine ({answer}) is not a pattern here: using box breathing."
        )
    return chosen


def breathe_live(timer: Any) -> Any:
    """The timer with a steady live display on the terminal (stderr)."""
    from rich.live import Live

    from callback_coach.cli import breathe_view, console

    err = console.err()
    first = timer.steps[0]
    width = err.width
    view = breathe_view.frame(timer.pattern, timer.rounds, first, 0.0, first.seconds, width)
    with Live(view, console=err, auto_refresh=False, transient=True) as live:

        def tick(step: Any, elapsed: float, remaining: float) -> None:
            shown = breathe_view.frame(timer.pattern, timer.rounds, step, elapsed, remaining, width)
            live.update(shown, refresh=True)

        return timer.run(on_tick=tick)


@command(
    app,
    short_help="Rehearse taking a director's note, then say it back.",
    epilog="""
    coach drill "Nina"
    coach drill "Nina" --rounds 3 --medium screen
    coach drill "Nina" --list --json --seed 7
    """,
)
def drill(
    role: str = ROLE_ARG,
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = typer.Option(
        None,
        "--round",
        "-r",
        metavar="ROUND",
        help="Default: the round you are preparing (the latest prepared, not yet reviewed).",
    ),
    rounds: int = typer.Option(5, "--rounds", "-n", metavar="N", help="How many notes (1-20)."),
    seconds: int = typer.Option(
        20,
        "--seconds",
        "-S",
        metavar="S",
        help="Seconds to play each note out loud before you say it back (0-120).",
    ),
    seed: Optional[int] = typer.Option(
        None, "--seed", metavar="K", help="The same seed gives the same notes again."
    ),
    medium: Optional[str] = typer.Option(
        None,
        "--medium",
        "-m",
        metavar="screen|stage|self-tape",
        help="Lean on notes for this medium (default: the medium your notes recorded).",
    ),
    list_only: bool = typer.Option(
        False, "--list", help="Print the notes of a drill without asking anything."
    ),
    as_json: bool = typer.Option(False, "--json", help="With --list: print JSON (implies --list)."),
) -> None:
    """Rehearse taking a note: a director's note, a few seconds, then say it back.

    For each note you say it back in a few words and name what you will change. Notes
    come from a bank of directions, the directions this role really got, and the other
    version your redirection plan prepared. The drill is saved as a note of kind drill.
    """
    from callback_coach.cli import console
    from callback_coach.day import drill as drills
    from callback_coach.errors import NoTerminalError

    list_only = list_only or as_json
    interactive = not list_only and console.stdin_is_terminal()
    if not list_only and not interactive:
        raise NoTerminalError(
            "coach drill asks you to answer, but standard input is not a terminal: "
            "use --list (or --list --json) to print the notes instead"
        )
    coach = open_coach()
    plan = drills.plan_drill(
        coach,
        role,
        project=project,
        round_label=round_label,
        count=rounds,
        seconds=seconds,
        seed=seed,
        medium=medium,
        choose_project=choose_project if interactive else None,
    )
    if as_json:
        print_json(plan.to_json())
    elif list_only:
        for line in drills.list_lines(plan):
            console.data(console.visible(line))
    else:
        run_drill_interactive(coach, plan)


def run_drill_interactive(coach: Any, plan: Any) -> None:
    """A drill in the terminal, with the same stop, resume and save as a prep."""
    from rich.text import Text

    from callback_coach.cli import drill_view, render
    from callback_coach.cli.asker import QuestionaryAsker
    from callback_coach.day import drill as drills

    s = plan.session
    asker = drills.DrillAsker(
        QuestionaryAsker(),
        plan.seconds,
        show_note=drill_view.note_panel,
        play=drill_view.countdown,
    )
    asker.show(render.session_header(s.kind, s.role, s.project, s.round, s.date))
    asker.show(
        Text(f"Seed {plan.seed}: --seed {plan.seed} gives these notes again.", style="muted")
    )

    def summary(p: "SessionPlan", answers: dict[str, dict[str, Any]]) -> Any:
        return render.answers_summary(p.checklists, answers)

    try:
        result = drills.run_drill(coach, plan, asker, summary=summary)
    except (KeyboardInterrupt, EOFError):
        draft = coach.find_draft(s)
        count = drills.given_answers(draft) if draft is not None else 0
        # Resumed with the seconds it was started with (the notes come from the draft).
        seconds = [] if plan.seconds == drills.DEFAULT_SECONDS else [f"--seconds {plan.seconds}"]
        raise stopped(s, count, seconds) from None
    report_result(s, result)


def stopped(plan: "SessionPlan", count: int, options: list[str] | None = None) -> Exception:
    """The one-line stop after Ctrl-C (exit 130): how many answers the draft keeps and the
    command that resumes it (with `options` added)."""
    from callback_coach.errors import Interrupted

    if not count:
        return Interrupted("Stopped before any answer; nothing was kept.")
    again = " ".join([resume_command(plan), *(options or [])])
    return Interrupted(
        f"Stopped. Your {count} answer{'s are' if count != 1 else ' is'} kept in a draft; "
        f"run `{again}` to resume."
    )


def report_result(plan: "SessionPlan", result: Any) -> bool:
    """Say what became of a session (its note's path on stdout); True when it was saved."""
    from callback_coach.cli import console

    if result.discarded:
        console.info("Discarded: nothing was saved.")
        return False
    console.info(f"Saved your {plan.kind} for {plan.role} ({plan.round}):")
    console.data(str(result.note.path))
    return True


register_lines(app, command)  # coach sides …, coach lines (issue 19)


def main() -> None:
    """Entry point of the `coach` command."""
    import gc
    import sys

    from callback_coach.cli import console

    # A short run that loads an index of many small objects: the cyclic collector would
    # run dozens of times for nothing (benchmarks/scale.py). Reference counting still
    # frees everything as usual.
    gc.set_threshold(200_000, 20, 20)
    console.guard_streams()
    try:
        app(prog_name="coach")
    except CoachError as exc:  # output failing outside a command: help, --version
        sys.exit(report(exc))


__all__ = ["ExitCode", "app", "main"]
