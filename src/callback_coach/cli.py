"""The command-line skin: parse options, call the core, render. Nothing else lives here.

Only Typer is imported at start-up; each command imports what it needs, so `coach --help`
stays fast (benchmarks/startup.py).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

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


@app.command()
def prep(
    role: str = ROLE_ARG,
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = ROUND_OPT,
    date: Optional[str] = typer.Option(
        None,
        "--date",
        "-d",
        metavar="YYYY-MM-DD",
        help="Date of the callback, YYYY-MM-DD. Default: today.",
    ),
    checklist: Optional[list[str]] = typer.Option(
        None,
        "--checklist",
        "-c",
        metavar="ID",
        help="Run only this checklist (repeat for several).",
    ),
    answers: Optional[str] = ANSWERS_OPT,
) -> None:
    """Prepare for a callback, one checklist at a time.

    Walks you through refine intention, prepare for redirection, recall what worked and
    mindset, then saves a private note. Every answer is kept in a draft as you go: press
    Ctrl-C any time and run the same command again to resume.
    """
    from callback_coach import console
    from callback_coach.workflow import Coach

    interactive = answers is None
    require_terminal_unless(interactive is False, "prep")
    coach = Coach.open()
    plan = coach.plan_prep(
        role,
        project=project,
        round_label=round_label,
        date=date,
        checklist_ids=checklist,
        choose_project=choose_project if interactive else None,
    )
    if not interactive:
        given, source = read_answers(answers)
        note = coach.save_answers(plan, given, source=source)
        console.info(f"Saved your {plan.kind} for {plan.role} ({plan.round}).")
        typer.echo(str(note.path))
        return
    run_interactive(coach, plan)


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
    app(prog_name="coach")


__all__ = ["ExitCode", "app", "main"]
