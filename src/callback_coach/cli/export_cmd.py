"""`coach export notes|checklists|calendar`: the notes, the checklists, and your callbacks
as a calendar, to standard output, a file, or a folder of files."""

import functools
import heapq
from typing import Optional  # Optional: Typer < 0.29 on 3.10

import typer

from callback_coach.cli import console
from callback_coach.cli.command import command, group, report_written
from callback_coach.cli.completion import CHECKLIST_ID, OUTCOME, ROLE_NAME
from callback_coach.cli.home import open_coach
from callback_coach.cli.options import FORCE_OPT, round_option
from callback_coach.errors import UsageError
from callback_coach.exports import formats as exports
from callback_coach.exports import output as outputs
from callback_coach.exports.exporting import export_files, export_text
from callback_coach.exports.exporting import export_notes as select
from callback_coach.season import calendar as ical
from callback_coach.season import followups
from callback_coach.season import loading as season

commands = group()
export_app = group(
    help="Export notes or checklists (Markdown, JSON, YAML, CSV), or your callbacks as a calendar.",
    short_help="Export notes, checklists, or a calendar of your callbacks.",
    epilog="""
    coach export notes --format csv --output answers.csv
    coach export notes --output backup/ --force
    coach export checklists mindset --format md > mindset-worksheet.md
    coach export calendar --output callbacks.ics
    """,
    no_args_is_help=True,
)
commands.add_typer(export_app, name="export")

OUTPUT_OPT = typer.Option(
    None,
    "--output",
    "-O",
    metavar="PATH",
    help="Write to this file, or to a folder (ending in /) with one file per item; "
    "- for standard output (the default).",
)


@command(
    export_app,
    "notes",
    short_help="Export notes as Markdown, JSON, YAML or CSV.",
    epilog="""
    coach export notes > all-notes.md
    coach export notes --role "Nina" --format json
    coach export notes --since 2026-01-01 --format csv --output answers.csv
    coach export notes --format csv --bom --output for-excel.csv
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
    round_label: Optional[str] = round_option("Only this round."),
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
    bom: bool = typer.Option(
        False,
        "--bom",
        help="Start the CSV with a byte-order mark, so Excel and LibreOffice read its "
        "accents and emoji right.",
    ),
) -> None:
    """Export notes: a printable Markdown sheet, JSON or YAML for scripts, CSV for spreadsheets."""
    fmt = exports.check_format(fmt)
    if bom and fmt != "csv":
        raise UsageError("--bom goes with --format csv (a spreadsheet's import)")
    coach = open_coach()
    chosen = select(
        coach, exports.NoteFilter(role, project, round_label, kind, outcome, since, until)
    )
    written = outputs.write_output(
        output,
        lambda: export_text(coach, chosen, fmt, bom=bom),
        lambda: export_files(coach, chosen, fmt, bom=bom),
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
    fmt = exports.check_format(fmt, checklists=True)
    coach = open_coach()
    chosen = coach.select_checklists(None, ids)
    render = exports.FORMATS[fmt].checklists
    written = outputs.write_output(
        output,
        lambda: render(chosen),
        lambda: [(f"{c.id}.{fmt}", functools.partial(render, [c])) for c in chosen],
        force=force,
    )
    report_written(written)


@command(
    export_app,
    "calendar",
    short_help="Export your callbacks as an iCalendar file.",
    epilog="""
    coach export calendar --output callbacks.ics
    coach export calendar > callbacks.ics
    coach export calendar --remind 90m --output callbacks.ics
    """,
)
def export_calendar(
    output: Optional[str] = OUTPUT_OPT,
    force: bool = FORCE_OPT,
    remind: str = typer.Option(
        "2h",
        "--remind",
        metavar="BEFORE",
        help="A reminder this long before a callback at a time of day (2h, 90m, 1h30; "
        "none for no reminder).",
    ),
) -> None:
    """Export every callback (past and upcoming) and every dated follow-up as an
    iCalendar (.ics) file for your calendar app: a callback at a time of day is an hour
    at its place, with a reminder. Importing it again updates the events instead of
    adding copies."""
    try:
        minutes = ical.remind_option(remind)
    except ValueError as exc:
        raise UsageError(f"--remind: {exc}") from None
    coach = open_coach()
    owing = season.load_with_follow_ups(coach, dated=True)
    today = season.current_day()
    items = followups.load(coach, owing, today)
    # When each follow-up's note last changed (a prep's to-dos: the upcoming rounds').
    noted = [*owing, *season.load_upcoming(coach, today)]
    stamps = {n.file: n.stamp for role in noted for n in role.notes}
    rounds = season.calendar_rows(coach, ical.role_event_rows)

    def render() -> str:
        extra = sorted(ical.event_row(e) for e in ical.follow_up_events(items, stamps))
        return ical.calendar_of_rows(heapq.merge(rounds, extra), remind=minutes)

    written = outputs.write_output(
        output, render, lambda: [("callbacks.ics", render())], force=force
    )
    report_written(written)
