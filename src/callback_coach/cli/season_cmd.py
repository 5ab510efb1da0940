"""Your season: `coach stats`, `coach today` (also the bare `coach`), and `coach
follow-ups` for what is owed after the room."""

import datetime as dt
from typing import Optional  # Optional: Typer < 0.29 on 3.10

import typer

from callback_coach.cli import console
from callback_coach.cli.command import command, group, print_json
from callback_coach.cli.home import choose_project, open_coach
from callback_coach.cli.options import JSON_OPT, PROJECT_OPT, ROLE_ARG, round_option
from callback_coach.cli.shell_lines import say_command
from callback_coach.core.inputs import check_round, parse_date
from callback_coach.errors import UsageError
from callback_coach.season import followups
from callback_coach.season import loading as season
from callback_coach.season import stats as season_stats
from callback_coach.season.stats import BREAKDOWNS, DEFAULT_BREAKDOWNS
from callback_coach.season.today import today_view

commands = group()

SINCE_OPT = typer.Option(
    None, "--since", metavar="DATE", help="Only roles whose first round is on or after DATE."
)
UNTIL_OPT = typer.Option(
    None, "--until", metavar="DATE", help="Only roles whose first round is on or before DATE."
)


@command(
    commands,
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
    from callback_coach.cli import season_render  # Rich

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
        say_command("No roles yet. Start with:", 'coach prep "ROLE" --project "PROJECT"')
    else:
        console.out().print(season_render.StatsView(result, every=every))


def day_option(value: str, today: dt.date) -> dt.date:
    """A --since/--until (or --due) date as people type it."""
    return dt.date.fromisoformat(parse_date(value, today))


def breakdowns_option(values: list[str] | None) -> tuple[str, ...]:
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


follow_ups_app = group(
    help="What is owed after the room: list follow-ups, mark one done, add one.",
    short_help="What is owed after the room: list, mark done, add.",
    epilog="""
    coach follow-ups
    coach follow-ups done 5c1e
    coach follow-ups add "Nina" "Send the self-tape" --due fri --for Anna
    """,
)
commands.add_typer(follow_ups_app, name="follow-ups")

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
    from callback_coach.cli import season_render  # Rich

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
    round_label: Optional[str] = round_option("Default: the role's latest round."),
) -> None:
    """Add a follow-up to a role's round; it is kept in that round's note (its review,
    else its prep), and only the note's follow_ups lines change."""
    today_ = season.current_day()
    due_day = None if due is None else day_option(due, today_)
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
    commands,
    short_help="What is next: callbacks, reviews, follow-ups, drafts.",
    epilog="""
    coach today
    coach today --json | jq '.callbacks'
    """,
)
def today(as_json: bool = JSON_OPT) -> None:
    """What is next, on one screen: callbacks this week, reviews to write, follow-ups due,
    unfinished drafts, and outcomes with no news after two weeks. A bare `coach` shows it."""
    from callback_coach.cli import season_render  # Rich

    coach = open_coach()
    day = season.current_day()
    drafts = season.read_drafts(coach)
    roles, waiting, names, total = season.load_for_today(coach, day, drafts)
    items = followups.load(
        coach, season.load_with_follow_ups(coach, followups.lapse_before(day)), day
    )
    from callback_coach.lines import offbook  # the sides' modules: `today` only

    view = today_view(
        roles, items, drafts, day, waiting=waiting, names=names, total=total,
        measure=lambda role, project, label: offbook(coach.home, role, project, label),
    )  # fmt: skip
    if as_json:
        print_json(view.to_json())
    else:
        console.out().print(season_render.today_screen(view))
