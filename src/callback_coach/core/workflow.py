"""What a user can do, as Python calls. `Coach` is the one entry point:

    from callback_coach.core.workflow import Coach

    coach = Coach.open()  # $COACH_HOME, else the platform's folder
    plan = coach.plan_prep("Nina", project="The Seagull")
    note = coach.save_answers(plan, {"refine-intention": {"want": "to be seen"}})
    coach.record_outcome("Nina", "callback")
    rows, hits = coach.list_roles(), coach.search("seen")

A Coach is a `home.Home` (the folders, notes index, checklists and warnings of one
command) whose methods are the functions of the modules that own each job; each of them
takes the coach as its first argument:

- planning.py: a prep or a review up to its first question (`plan_prep`, `plan_review`)
- running.py: run a plan, resuming an unfinished draft, or save scripted answers
  (`run_session`, `find_draft`, `save_answers`)
- outcomes.py: how a round went (`record_outcome`)
- queries.py: roles, unfinished sessions, a role's timeline, search

Plain functions sit beside them: exporting.py (an export's notes and text) and inputs.py
(the checks of a role, round, date or outcome as typed). The CLI is a thin skin over all
of these.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from callback_coach.core import outcomes, planning, queries, running
from callback_coach.core.home import Home
from callback_coach.store import paths


class Coach(Home):
    """One coach home and everything a user can do with it."""

    @classmethod
    def open(
        cls, home: Path | None = None, *, on_warning: Callable[[str], None] | None = None
    ) -> Coach:
        """The coach at `home` (default: $COACH_HOME, else the platform's folder);
        `on_warning` is called with each warning as it arises."""
        return cls(home or paths.coach_home(), on_warning=on_warning)

    # Planning: everything a prep or a review needs before its first question.
    plan_prep = planning.plan_prep
    plan_review = planning.plan_review

    # Running a plan: interactively (with resume) or from scripted answers.
    run_session = running.run_session
    find_draft = running.find_draft
    save_answers = running.save_answers

    # Outcomes: how a round went.
    record_outcome = outcomes.record_outcome

    # Queries.
    list_roles = queries.list_roles
    count_roles = queries.count_roles
    unfinished = queries.unfinished
    timeline = queries.timeline
    search = queries.search
    iter_search = queries.iter_search
