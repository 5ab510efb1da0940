"""The command-line skin: parse options, call the core, render. Nothing else lives here.

Only Typer is imported at start-up; each command imports what it needs, so `coach --help`
stays fast (benchmarks/startup.py).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional  # Optional: Typer < 0.29 on Python 3.10

import typer
from typer.core import TyperGroup

from callback_coach import __version__
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
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coach {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Prepare for a callback the night before; review it after the room.

    Notes are private files in your coach home ($COACH_HOME).
    """


ROLE_ARG = typer.Argument(
    ..., metavar="ROLE", help='The role, as you call it (e.g. "Nina").', show_default=False
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
    None, "--checklist", "-c", metavar="ID", help="Run only this checklist (repeat for several)."
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
) -> None:
    """Prepare for a callback, one checklist at a time.

    Walks you through refine intention, prepare for redirection, recall what worked and
    mindset, then saves a private note. From the second round on, what worked last time
    is shown and offered as your answers. Every answer is kept in a draft as you go:
    press Ctrl-C any time and run the same command again to resume.
    """
    from callback_coach.workflow import Coach

    interactive = answers is None
    require_terminal_unless(not interactive, "prep")
    coach = Coach.open()
    plan = coach.plan_prep(
        role,
        project=project,
        round_label=round_label,
        date=date,
        checklist_ids=checklist,
        choose_project=choose_project if interactive else None,
    )
    finish(coach, plan, answers)


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
) -> None:
    """Review a callback after the room, while it is fresh.

    Who was there, what direction came, what worked, what you wore, one thing to work on,
    and the outcome so far. The next round's prep shows you this.
    """
    from callback_coach.workflow import Coach

    interactive = answers is None
    require_terminal_unless(not interactive, "review")
    coach = Coach.open()
    plan = coach.plan_review(
        role,
        project=project,
        round_label=round_label,
        date=date,
        outcome=outcome,
        choose_project=choose_project if interactive else None,
    )
    finish(coach, plan, answers)


def finish(coach: Any, plan: SessionPlan, answers: str | None) -> None:
    """Save a plan from an answers file, or run it in the terminal."""
    from callback_coach import console

    if answers is not None:
        given, source = read_answers(answers)
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
        ..., metavar="OUTCOME", help="pending, callback, avail, hold, booked or released."
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
    note = coach.record_outcome(role, result, project=project, round_label=round_label)
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


def print_json(data: Any) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


def require_terminal_unless(has_answers: bool, command: str) -> None:
    from callback_coach import console
    from callback_coach.errors import NoTerminalError

    if not has_answers and not console.stdin_is_terminal():
        raise NoTerminalError(
            f"coach {command} asks questions, but standard input is not a terminal: "
            "pass --answers FILE (or --answers - to read them from standard input)"
        )


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


def read_answers(spec: str) -> tuple[dict[str, dict[str, Any]], str]:
    from callback_coach.answers import load_answers_text
    from callback_coach.errors import AnswersError, NotFoundError

    if spec == "-":
        return load_answers_text(sys.stdin.read(), "<stdin>"), "<stdin>"
    path = Path(spec).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"answers file not found: {path}") from None
    except UnicodeDecodeError:
        raise AnswersError(f"{path}: not a UTF-8 text file") from None
    except OSError as exc:
        raise NotFoundError(f"cannot read answers file {path}: {exc.strerror or exc}") from None
    return load_answers_text(text, str(path)), str(path)


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
