"""The coach home as a command opens it, and the question a command asks when a role
appears in several projects."""

import contextlib
from collections.abc import Iterator

from callback_coach.cli import console
from callback_coach.cli.asker import QuestionaryAsker
from callback_coach.core.workflow import Coach
from callback_coach.errors import Interrupted


def open_coach() -> Coach:
    """The coach home for one command. Its warnings (a note it cannot read) are shown on
    stderr as they arise: before the command's output, and even if the command fails."""
    return Coach.open(on_warning=console.warn)


def open_checklists() -> Coach:
    """The coach home with its checklists read: a broken checklist of the actor's stops
    the command here (exit 3, every problem listed), before anything is asked or
    written, and before a missing terminal (exit 6) is looked at: the checklist is what
    needs mending, with or without a terminal."""
    coach = open_coach()
    coach.catalogue()
    return coach


def choose_project(projects: list[str]) -> str:
    """Ask which project a role is meant when it appears in several."""
    options = [(p, p or "(no project)") for p in projects]
    try:
        return QuestionaryAsker().choose(
            "This role appears in several projects. Which one?", options
        )
    except (KeyboardInterrupt, EOFError):
        raise Interrupted("Stopped before any question; nothing was written.") from None


@contextlib.contextmanager
def stopped_while_planning() -> Iterator[None]:
    """Ctrl-C (or Ctrl-D) at a question a command asks before its session starts (which
    project, a draft left elsewhere, a round still to come): one line, exit 130."""
    try:
        yield
    except (KeyboardInterrupt, EOFError):
        raise Interrupted("Stopped before any answer; nothing was written.") from None
