"""`coach prep` and `coach review`: a session from the terminal's prompts or, without
them, from --answers, --set and --defaults (running it in the terminal is session_run's).
"""

from typing import Optional  # Optional: Typer < 0.29 on 3.10

import typer

from callback_coach.cli import console
from callback_coach.cli.command import command, group, wants_prompts
from callback_coach.cli.completion import CHECKLIST_ID
from callback_coach.cli.home import choose_project, open_checklists, stopped_while_planning
from callback_coach.cli.options import DATE_FORMS, PROJECT_OPT, ROLE_ARG, round_option
from callback_coach.cli.session_run import run_interactive, terminal_asker
from callback_coach.core.answers import read_answers
from callback_coach.core.asking import Asker
from callback_coach.core.inputs import check_session_options
from callback_coach.core.running import parse_sets
from callback_coach.core.session import SessionPlan
from callback_coach.core.workflow import Coach
from callback_coach.errors import UsageError

commands = group()

ROUND_OPT = round_option(
    "audition, callback-N, producers, chemistry, screen-test, or a short label. "
    "Default: the latest round if its day has not passed and it is not reviewed "
    "(asked in the terminal), else the next callback (callback-1 for a new role)."
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


@command(
    commands,
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
    check_session_options(role, round_label, date)
    path = path_option(quick, full, checklist)
    coach = open_checklists()
    interactive = wants_prompts("prep", answers, sets, defaults)
    asker = terminal_asker() if interactive else None
    with stopped_while_planning():
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
    if quick and full:
        raise UsageError("--quick and --full cannot be used together (see coach prep --help)")
    if full and checklists:
        raise UsageError("--full runs every checklist: leave out --checklist (or --full)")
    return "quick" if quick else "full" if full else None


@command(
    commands,
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
    round_label: Optional[str] = round_option(
        "The round you are reviewing. Default: the latest round prepared but not reviewed."
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
    check_session_options(role, round_label, date, outcome)
    coach = open_checklists()
    interactive = wants_prompts("review", answers, sets, defaults)
    asker = terminal_asker() if interactive else None
    with stopped_while_planning():
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
    coach: Coach,
    plan: SessionPlan,
    answers: str | None,
    sets: list[str] | None,
    *,
    asker: Asker | None,
) -> None:
    """Save a plan from --answers/--set/--defaults, or run it in the terminal (`asker`)."""
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
