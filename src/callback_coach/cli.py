"""The command-line skin: parse options, call the core, render. Nothing else lives here.

Only Typer is imported at start-up; each command imports what it needs, so `coach --help`
stays fast (benchmarks/startup.py).
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional  # Optional: Typer < 0.29 on Python 3.10

import typer
from typer.core import TyperGroup

from callback_coach import __version__
from callback_coach.completion import complete_checklist, complete_outcome, complete_role
from callback_coach.errors import CoachError, ExitCode

if TYPE_CHECKING:
    from callback_coach.asker import Asker
    from callback_coach.session import SessionPlan


class CoachGroup(TyperGroup):
    """The one place where a user error becomes a line on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CoachError as exc:
            report(exc)
            raise typer.Exit(int(exc.exit_code)) from None


def report(exc: CoachError) -> None:
    from callback_coach import console

    console.error(exc.message, exc.prefix)
    for line in exc.details:
        console.err().print(f"  {line}", markup=False, highlight=False, soft_wrap=True)


app = typer.Typer(
    cls=CoachGroup,
    name="coach",
    help="Prepare for a callback the night before; review it after the room.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coach {__version__}")
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
    autocompletion=complete_role,
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
    "Default: the round after the role's latest note (callback-1 for a new role).",
)
ANSWERS_OPT = typer.Option(
    None,
    "--answers",
    "-a",
    metavar="FILE|-",
    help="Answer from a YAML or JSON file (checklist id -> question id -> answer), "
    "or - for standard input, instead of prompting.",
)


DATE_OPT = typer.Option(
    None, "--date", "-d", metavar="YYYY-MM-DD", help="Date of the callback. Default: today."
)
CHECKLIST_OPT = typer.Option(
    None,
    "--checklist",
    "-c",
    metavar="ID",
    help="Run only this checklist (repeat for several).",
    autocompletion=complete_checklist,
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


@app.command()
def prep(
    role: str = ROLE_ARG,
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = ROUND_OPT,
    date: Optional[str] = DATE_OPT,
    checklist: Optional[list[str]] = CHECKLIST_OPT,
    answers: Optional[str] = ANSWERS_OPT,
    sets: Optional[list[str]] = SET_OPT,
    defaults: bool = DEFAULTS_OPT,
) -> None:
    """Prepare for a callback, one checklist at a time.

    Walks you through refine intention, prepare for redirection, recall what worked and
    mindset, then saves a private note. From the second round on, what worked last time
    is shown and offered as your answers. Every answer is kept in a draft as you go:
    press Ctrl-C any time and run the same command again to resume.
    """
    from callback_coach.workflow import Coach

    interactive = wants_prompts("prep", answers, sets, defaults)
    coach = Coach.open()
    plan = coach.plan_prep(
        role,
        project=project,
        round_label=round_label,
        date=date,
        checklist_ids=checklist,
        choose_project=choose_project if interactive else None,
    )
    finish(coach, plan, answers, sets, interactive=interactive)


@app.command()
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
        None, "--date", "-d", metavar="YYYY-MM-DD", help="Date of the room. Default: today."
    ),
    answers: Optional[str] = ANSWERS_OPT,
    sets: Optional[list[str]] = SET_OPT,
    defaults: bool = DEFAULTS_OPT,
) -> None:
    """Review a callback after the room, while it is fresh.

    Who was there, what direction came, what worked, what you wore, one thing to work on,
    and the outcome so far. The next round's prep shows you this.
    """
    from callback_coach.workflow import Coach

    interactive = wants_prompts("review", answers, sets, defaults)
    coach = Coach.open()
    plan = coach.plan_review(
        role,
        project=project,
        round_label=round_label,
        date=date,
        outcome=outcome,
        choose_project=choose_project if interactive else None,
    )
    finish(coach, plan, answers, sets, interactive=interactive)


def finish(
    coach: Any, plan: SessionPlan, answers: str | None, sets: list[str] | None, *, interactive: bool
) -> None:
    """Save a plan from --answers/--set/--defaults, or run it in the terminal."""
    from callback_coach import console
    from callback_coach.answers import read_answers
    from callback_coach.workflow import parse_sets

    if not interactive:
        given, source = read_answers(answers) if answers is not None else ({}, "--defaults")
        for cid, values in parse_sets(plan, sets or []).items():
            given.setdefault(cid, {}).update(values)
        if sets and answers is None:
            source = "--set"
        note = coach.save_answers(plan, given, source=source)
        console.info(f"Saved your {plan.kind} for {plan.role} ({plan.round}).")
        typer.echo(str(note.path))
    else:
        run_interactive(coach, plan)
    warn_about(coach)


def warn_about(coach: Any) -> None:
    from callback_coach import console

    for message in coach.warnings:
        console.warn(message)


@app.command()
def outcome(
    role: str = ROLE_ARG,
    result: str = typer.Argument(
        ...,
        metavar="OUTCOME",
        help="pending, callback, avail, hold, booked or released.",
        autocompletion=complete_outcome,
    ),
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = typer.Option(
        None, "--round", "-r", metavar="ROUND", help="Default: the role's latest round."
    ),
) -> None:
    """Record an outcome that came later: callback, hold, booked, released…

    Only the outcome is changed in the round's note; everything you wrote stays as it is.
    """
    from callback_coach import console
    from callback_coach.workflow import Coach

    coach = Coach.open()
    note = coach.record_outcome(
        role,
        result,
        project=project,
        round_label=round_label,
        choose_project=choose_project if console.stdin_is_terminal() else None,
    )
    console.info(f"{note.role} ({note.round}): outcome is now {note.outcome}.")
    typer.echo(str(note.path))
    warn_about(coach)


@app.command("list")
def list_roles(
    role: Optional[str] = typer.Option(None, "--role", metavar="ROLE", help="Only this role."),
    project: Optional[str] = typer.Option(
        None, "--project", "-p", metavar="PROJECT", help="Only this project."
    ),
    outcome: Optional[str] = typer.Option(
        None, "--outcome", "-o", metavar="OUTCOME", help="Only roles whose latest outcome is this."
    ),
    since: Optional[str] = typer.Option(
        None, "--since", metavar="YYYY-MM-DD", help="Only roles with a note on or after this date."
    ),
    show_all: bool = typer.Option(False, "--all", help="Show every role, not just the latest 30."),
    as_json: bool = JSON_OPT,
) -> None:
    """List your roles, their rounds and what comes next."""
    from callback_coach import console, render
    from callback_coach.workflow import JSON_FORMAT, Coach

    coach = Coach.open()
    rows = coach.list_roles(role=role, project=project, outcome=outcome, since=since)
    if as_json:
        print_json({"format": JSON_FORMAT, "roles": [r.to_json() for r in rows]})
    elif not rows:
        console.info('No roles yet. Start with: coach prep "ROLE" --project "PROJECT"')
    else:
        shown = rows if show_all else rows[:LIST_LIMIT]
        console.out().print(render.roles_table(shown, total=len(rows)))
    warn_about(coach)


LIST_LIMIT = 30


@app.command()
def show(
    role: str = ROLE_ARG,
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = typer.Option(
        None, "--round", "-r", metavar="ROUND", help="Only this round."
    ),
    as_json: bool = JSON_OPT,
) -> None:
    """Show a role round by round: prepared, then what happened in the room."""
    from callback_coach import console, render
    from callback_coach.workflow import Coach

    coach = Coach.open()
    name, project_name, rounds = coach.timeline(
        role,
        project=project,
        round_label=round_label,
        choose_project=choose_project if (console.stdin_is_terminal() and not as_json) else None,
    )
    if as_json:
        print_json(render.timeline_json(name, project_name, rounds))
    else:
        console.out().print(render.timeline(name, project_name, rounds, coach.catalogue()))
    warn_about(coach)


@app.command()
def search(
    text: str = typer.Argument(..., metavar="TEXT", help="What to look for (any case)."),
    role: Optional[str] = typer.Option(None, "--role", metavar="ROLE", help="Only this role."),
    as_json: bool = JSON_OPT,
) -> None:
    """Search every answer and your own notes for TEXT."""
    from callback_coach import console, render
    from callback_coach.workflow import Coach

    coach = Coach.open()
    hits = coach.search(text, role=role)
    if as_json:
        print_json(render.search_json(text, hits))
    else:
        console.out().print(render.search_results(hits, text))
    warn_about(coach)


export_app = typer.Typer(
    cls=CoachGroup,
    help="Export notes or checklists (Markdown, JSON, YAML, CSV), or your callbacks as a calendar.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")

OUTPUT_OPT = typer.Option(
    None,
    "--output",
    "-O",
    metavar="PATH",
    help="Write to this file, or to a folder (ending in /) with one file per item. "
    "Default: standard output.",
)
FORCE_OPT = typer.Option(False, "--force", help="Replace files that already exist.")


@export_app.command("notes")
def export_notes(
    role: Optional[str] = typer.Option(
        None, "--role", metavar="ROLE", help="Only this role.", autocompletion=complete_role
    ),
    project: Optional[str] = typer.Option(
        None, "--project", "-p", metavar="PROJECT", help="Only this project."
    ),
    round_label: Optional[str] = typer.Option(
        None, "--round", "-r", metavar="ROUND", help="Only this round."
    ),
    kind: Optional[str] = typer.Option(
        None, "--kind", metavar="prep|review", help="Only preps or reviews."
    ),
    outcome: Optional[str] = typer.Option(
        None,
        "--outcome",
        "-o",
        metavar="OUTCOME",
        help="Only notes with this outcome.",
        autocompletion=complete_outcome,
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
    from callback_coach import console, exports
    from callback_coach.workflow import Coach
    from callback_coach.workflow import export_notes as select

    fmt = exports.check_format(fmt, exports.NOTE_FORMATS)
    coach = Coach.open()
    chosen = select(
        coach, exports.NoteFilter(role, project, round_label, kind, outcome, since, until)
    )
    catalogue = coach.catalogue()
    render = exports.NOTE_RENDERERS[fmt]
    written = exports.write_output(
        output,
        lambda: render(chosen, catalogue),
        lambda: [(f"{n.path.stem}.{fmt}", render([n], catalogue)) for n in chosen],
        force=force,
    )
    if not chosen:
        console.info("No notes match.")
    for path in written:
        console.info(f"Wrote {path}")
    warn_about(coach)


@export_app.command("checklists")
def export_checklists(
    ids: Optional[list[str]] = typer.Argument(
        None,
        metavar="[ID]...",
        help="Checklist ids (default: all).",
        autocompletion=complete_checklist,
    ),
    fmt: str = typer.Option(
        "yaml", "--format", "-f", metavar="md|json|yaml", help="Output format."
    ),
    output: Optional[str] = OUTPUT_OPT,
    force: bool = FORCE_OPT,
) -> None:
    """Export checklists: YAML to copy into your coach home and edit, JSON, or a printable
    Markdown worksheet."""
    from callback_coach import console, exports
    from callback_coach.workflow import Coach

    fmt = exports.check_format(fmt, exports.CHECKLIST_FORMATS)
    coach = Coach.open()
    chosen = coach.select_checklists(None, ids)
    render = exports.CHECKLIST_RENDERERS[fmt]
    written = exports.write_output(
        output,
        lambda: render(chosen),
        lambda: [(f"{c.id}.{fmt}", render([c])) for c in chosen],
        force=force,
    )
    for path in written:
        console.info(f"Wrote {path}")
    warn_about(coach)


checklists_app = typer.Typer(
    cls=CoachGroup,
    help="See, check and export the checklists.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(checklists_app, name="checklists")


@checklists_app.command("list")
def checklists_list(as_json: bool = JSON_OPT) -> None:
    """List the checklists: id, title, phase, questions, and where each comes from."""
    from callback_coach import console
    from callback_coach.workflow import Coach

    coach = Coach.open()
    checklists = coach.catalogue().checklists
    warn_about(coach)
    rows = [
        {
            "id": c.id,
            "title": c.title,
            "phase": c.phase,
            "questions": len(c.questions),
            "source": "built-in" if c.builtin else str(c.source),
        }
        for c in checklists
    ]
    if as_json:
        print_json({"format": 1, "checklists": rows})
        return
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("ID", no_wrap=True)
    for name in ("Title", "Phase", "Questions", "Source"):
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(row["id"], row["title"], row["phase"], str(row["questions"]), row["source"])
    console.out().print(table)


@checklists_app.command("show")
def checklists_show(
    checklist_id: str = typer.Argument(..., metavar="ID", autocompletion=complete_checklist),
) -> None:
    """Show one checklist's questions, with their type and why each matters."""
    from rich.text import Text

    from callback_coach import console
    from callback_coach.workflow import Coach

    (checklist,) = Coach.open().select_checklists(None, [checklist_id])
    out = console.out()
    out.print(
        Text(
            f"{checklist.title}  ({checklist.id}, {checklist.phase}, version {checklist.version})",
            style="title",
        )
    )
    if checklist.intro:
        out.print(Text(checklist.intro, style="muted"))
    for number, q in enumerate(checklist.questions, start=1):
        out.print()
        line = Text(f"{number}. ", style="bold")
        line.append(q.prompt, style="bold")
        detail = q.type
        if q.choices:
            detail += ": " + " / ".join(q.choices)
        if q.type == "scale":
            detail += f" {q.min}–{q.max}"
        if q.required:
            detail += ", required"
        line.append(f"  [{q.id} · {detail}]", style="muted")
        out.print(line)
        if q.help:
            out.print(Text(f"   {q.help}", style="help"))


@checklists_app.command("validate")
def checklists_validate(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Checklist YAML files."),
) -> None:
    """Check checklist files: every problem, with its file and line."""
    from callback_coach import console
    from callback_coach.checklist import validate_files
    from callback_coach.errors import ChecklistError

    problems = validate_files(files)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise ChecklistError(f"{len(problems)} {noun} found", details=[str(p) for p in problems])
    for path in files:
        console.info(f"{path}: ok")


# -- the season: stats, follow-ups, today, calendar -------------------------------------

SINCE_OPT = typer.Option(
    None, "--since", metavar="DATE", help="Only roles whose first round is on or after DATE."
)
UNTIL_OPT = typer.Option(
    None, "--until", metavar="DATE", help="Only roles whose first round is on or before DATE."
)


@app.command()
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
    as_json: bool = JSON_OPT,
) -> None:
    """Your season in numbers: the funnel from audition to booking, rounds per role, and
    breakdowns by casting office, medium, project or month, as bar charts.

    Counts are roles. A role with no outcome yet is open, not a loss.
    """
    from callback_coach import console, season, season_render
    from callback_coach import stats as season_stats
    from callback_coach.workflow import Coach

    today_ = season.current_day()
    window = {
        name: day_option(value, today_) for name, value in (("since", since), ("until", until))
    }
    chosen = breakdowns_option(by)
    coach = Coach.open()
    result = season_stats.season_stats(season.load_roles(coach), by=chosen, **window)
    if as_json:
        print_json(result.to_json())
    elif not result.roles and not (since or until):
        console.info('No roles yet. Start with: coach prep "ROLE" --project "PROJECT"')
    else:
        console.out().print(season_render.StatsView(result))
    warn_about(coach)


def day_option(value: str | None, today: Any) -> Any:
    """A --since/--until date as people type it, or None."""
    import datetime as dt

    from callback_coach.workflow import parse_date

    return None if value is None else dt.date.fromisoformat(parse_date(value, today))


def breakdowns_option(values: list[str] | None) -> tuple[str, ...]:
    from callback_coach.errors import UsageError
    from callback_coach.stats import BREAKDOWNS, DEFAULT_BREAKDOWNS

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
    rich_markup_mode=None,
)
app.add_typer(follow_ups_app, name="follow-ups")

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


@follow_ups_app.command("list")
def follow_ups_list(show_all: bool = ALL_FOLLOW_UPS_OPT, as_json: bool = JSON_OPT) -> None:
    """List open follow-ups, oldest first (--all: done ones too)."""
    from callback_coach import console, followups, season, season_render
    from callback_coach.workflow import Coach

    coach = Coach.open()
    items = followups.load(coach, season.load_roles(coach), season.current_day())
    shown = items if show_all else followups.open_items(items)
    if as_json:
        print_json(
            {"format": followups.FOLLOW_UPS_FORMAT, "follow_ups": [i.to_json() for i in shown]}
        )
    elif not shown:
        console.info("No follow-ups open." if not show_all else "No follow-ups yet.")
    else:
        console.out().print(season_render.follow_ups_table(shown, season.current_day()))
    warn_about(coach)


@follow_ups_app.command("done")
def follow_ups_done(
    ident: str = typer.Argument(..., metavar="ID", help="The id shown by coach follow-ups."),
) -> None:
    """Mark a follow-up done (today). Only its line in the note's front matter changes."""
    from callback_coach import console, followups, season
    from callback_coach.workflow import Coach

    coach = Coach.open()
    items = followups.load(coach, season.load_roles(coach), season.current_day())
    item = followups.find(items, ident)
    if followups.mark_done(coach, item, season.current_day()):
        console.info(f"Done: {item.what} ({item.role}, {item.round}).")
    else:
        console.info(f"Already done on {item.done}: {item.what} ({item.role}, {item.round}).")
    typer.echo(item.id)
    warn_about(coach)


@follow_ups_app.command("add")
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
    from callback_coach import console, followups, season
    from callback_coach.workflow import Coach, check_round

    today_ = season.current_day()
    due_day = day_option(due, today_)
    label = check_round(round_label) if round_label is not None else None
    coach = Coach.open()
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
    typer.echo(item.id)
    warn_about(coach)


@app.command()
def today(as_json: bool = JSON_OPT) -> None:
    """What is next, on one screen: callbacks this week, reviews to write, follow-ups due,
    unfinished drafts, and outcomes with no news after two weeks. A bare `coach` shows it."""
    from callback_coach import console, followups, season, season_render
    from callback_coach.today import today_view
    from callback_coach.workflow import Coach

    coach = Coach.open()
    roles = season.load_roles(coach)
    day = season.current_day()
    view = today_view(roles, followups.load(coach, roles, day), season.read_drafts(coach), day)
    if as_json:
        print_json(view.to_json())
    else:
        console.out().print(season_render.today_screen(view))
    warn_about(coach)


@export_app.command("calendar")
def export_calendar(output: Optional[str] = OUTPUT_OPT, force: bool = FORCE_OPT) -> None:
    """Export every callback (past and upcoming) and every dated follow-up as an
    iCalendar (.ics) file for your calendar app. Importing it again updates the events
    instead of adding copies."""
    from callback_coach import console, exports, followups, ical, season
    from callback_coach.workflow import Coach

    coach = Coach.open()
    roles = season.load_roles(coach)
    items = followups.load(coach, roles, season.current_day())
    stamps = {n.file: n.stamp for r in roles for record in r.rounds for n in record.notes}

    def render() -> str:
        return ical.calendar([*ical.round_events(roles), *ical.follow_up_events(items, stamps)])

    written = exports.write_output(
        output, render, lambda: [("callbacks.ics", render())], force=force
    )
    for path in written:
        console.info(f"Wrote {path}")
    warn_about(coach)


def print_json(data: Any) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


def wants_prompts(
    command: str, answers: str | None, sets: list[str] | None, defaults: bool
) -> bool:
    """True when the command will prompt (no --answers, --set or --defaults); then it
    needs a terminal, and without one it stops at once pointing to --answers."""
    from callback_coach import console
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
    from callback_coach.asker import QuestionaryAsker

    options = [(p, p or "(no project)") for p in projects]
    try:
        return QuestionaryAsker().choose(
            "This role appears in several projects. Which one?", options
        )
    except (KeyboardInterrupt, EOFError):
        from callback_coach.errors import Interrupted

        raise Interrupted("Stopped before any question; nothing was written.") from None


def resume_command(plan: SessionPlan) -> str:
    parts = ["coach", plan.kind, plan.role]
    if plan.project:
        parts += ["--project", plan.project]
    parts += ["--round", plan.round]
    return " ".join(shlex.quote(p) for p in parts)


def run_interactive(coach: Any, plan: SessionPlan, asker: Asker | None = None) -> None:
    """Run a plan in the terminal and report the result (the prompts' common skin)."""
    from callback_coach import console, render
    from callback_coach.asker import QuestionaryAsker
    from callback_coach.errors import Interrupted

    asker = asker or QuestionaryAsker()
    asker.show(render.session_header(plan.kind, plan.role, plan.project, plan.round, plan.date))

    def summary(p: SessionPlan, answers: dict[str, dict[str, Any]]) -> Any:
        return render.answers_summary(p.checklists, answers)

    try:
        result = coach.run_session(plan, asker, summary=summary)
    except (KeyboardInterrupt, EOFError):  # Ctrl-C, or Ctrl-D on an empty prompt
        draft = coach.find_draft(plan)
        if draft is not None and draft.count():
            count = draft.count()
            raise Interrupted(
                f"Stopped. Your {count} answer{'s are' if count != 1 else ' is'} kept in a draft; "
                f"run `{resume_command(plan)}` to resume."
            ) from None
        raise Interrupted("Stopped before any answer; nothing was kept.") from None
    if result.discarded:
        console.info("Discarded: nothing was saved.")
        return
    console.info(f"Saved your {plan.kind} for {plan.role} ({plan.round}):")
    typer.echo(str(result.note.path))


def main() -> None:
    """Entry point of the `coach` command."""
    import gc

    # A short run that loads an index of many small objects: the cyclic collector would
    # run dozens of times for nothing (benchmarks/scale.py). Reference counting still
    # frees everything as usual.
    gc.set_threshold(200_000, 20, 20)
    app(prog_name="coach")


__all__ = ["ExitCode", "app", "main"]
