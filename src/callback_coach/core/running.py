"""Carrying out a plan (planning.py makes it): run it interactively, offering to resume or
restart an unfinished draft of the same role and round, or save scripted answers
without a prompt. One session of a role and round runs at a time on this machine.

Each function takes the coach (a `home.Home`) first: `workflow.Coach` has the public ones
as methods.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import replace

from callback_coach.core import opening
from callback_coach.core.answers import Answers, Given, parse_text_value, validate_answers
from callback_coach.core.asking import Asker
from callback_coach.core.checklist import Checklist
from callback_coach.core.home import Home
from callback_coach.core.planning import RESTART, RESUME, set_path
from callback_coach.core.session import (
    Act,
    Session,
    SessionPlan,
    SessionResult,
    Summary,
    build_note,
    condition_holds,
    default_for,
)
from callback_coach.errors import AnswersError
from callback_coach.store.drafts import Draft
from callback_coach.store.notes import Note


def run_session(
    coach: Home,
    plan: SessionPlan,
    asker: Asker,
    *,
    summary: Summary | None = None,
    on_start: Callable[[SessionPlan], None] | None = None,
    act: Act | None = None,
) -> SessionResult:
    """Run a plan interactively; offers to resume a draft of the same role and round.
    `act` runs a tool the closing check offers (a breathing round, a drill).

    A new session first asks what the plan leaves open (`ask_path`, `ask_date`);
    then `on_start` is called with the settled plan (to show a header), and the
    questions begin. Only one session of a role and round runs at a time on this
    machine.
    """
    with contextlib.ExitStack() as held:
        held.enter_context(coach.drafts.lock(plan.kind, plan.role, plan.project, plan.round))
        moved = plan.adopt_draft
        if moved is not None:
            held.enter_context(
                coach.drafts.lock(moved.kind, moved.role, moved.project, moved.round)
            )
        return _run_session(coach, plan, asker, summary, on_start, act)


def find_draft(coach: Home, plan: SessionPlan) -> Draft | None:
    """The unfinished draft of the plan's kind, role, project and round (the newest), if
    any."""
    drafts = coach.drafts.find(plan.kind, plan.role, plan.project, plan.round)
    return drafts[0] if drafts else None


def _run_session(
    coach: Home,
    plan: SessionPlan,
    asker: Asker,
    summary: Summary | None,
    on_start: Callable[[SessionPlan], None] | None,
    act: Act | None = None,
) -> SessionResult:
    draft = _take_over(coach, plan) if plan.adopt_draft is not None else find_draft(coach, plan)
    if draft is not None:
        choice = plan.draft_choice
        if choice is None:
            answered = draft.count()
            choice = asker.choose(
                f"You have an unfinished {plan.kind} for {plan.role} ({plan.round}) "
                f"with {answered} answer{'s' if answered != 1 else ''}. Resume it?",
                [
                    (RESUME, "Resume where I stopped"),
                    (RESTART, "Start over (the draft is deleted)"),
                ],
                default=RESUME,
            )
        if choice == RESTART:
            coach.drafts.delete(draft)
            draft = None
        else:
            _resume(coach, plan, draft)
    if draft is None:
        if plan.ask_path:
            set_path(coach, plan, *opening.ask_path(plan, coach.catalogue(), asker))
        if plan.ask_date:
            opening.ask_date(plan, coach.day(), asker)
    if on_start is not None:
        on_start(plan)
    session = Session(plan, asker, coach.drafts, coach.notes, draft=draft, summary=summary, act=act)
    return session.run()


def _resume(coach: Home, plan: SessionPlan, draft: Draft) -> None:
    """Carry on from a draft: a draft started with other checklists keeps them (no
    answer is dropped), before the closing check; the draft takes the plan's day (the
    draft's own, unless another was given)."""
    known = {c.id for c in plan.checklists}
    catalogue = coach.catalogue()
    for cid in draft.checklists:
        checklist = catalogue.get(cid)
        if cid not in known and checklist is not None:
            at = next(
                (i for i, c in enumerate(plan.checklists) if c.closing and not checklist.closing),
                len(plan.checklists),
            )
            plan.checklists.insert(at, checklist)
            known.add(cid)
    draft.checklists = [c.id for c in plan.checklists]
    if plan.date:
        draft.date = plan.date  # a day given on resuming is kept from then on
    draft.extra = {**plan.extra, **draft.extra}
    if plan.path is not None:
        draft.extra["path"] = plan.path
    draft.chosen = plan.chosen


def _take_over(coach: Home, plan: SessionPlan) -> Draft | None:
    """The draft left without a project, moved into this plan's project (its file
    renamed under the lock); else this plan's own draft, if any."""
    moved = plan.adopt_draft
    old = moved.path if moved is not None else None
    draft = coach.drafts.load(old) if old is not None and old.exists() else None
    if draft is None:
        return find_draft(coach, plan)
    coach.drafts.move(draft, plan.project)
    return draft


def save_answers(
    coach: Home,
    plan: SessionPlan,
    given: Mapping[str, Mapping[str, object]],
    *,
    source: str = "answers",
) -> Note:
    """Validate `given` against the plan and save the note, without prompting.

    Questions not in `given` take their default (or stay blank); problems raise
    AnswersError listing all of them, and nothing is written. While an interactive
    session of the same role and round runs, StorageError is raised instead.
    """
    merged: Given = {}
    for checklist in plan.checklists:
        merged[checklist.id] = {}
        for question in checklist.questions:
            default = default_for(plan, checklist, question)
            if default is not None:
                merged[checklist.id][question.id] = default
    for cid, values in given.items():
        merged.setdefault(cid, {}).update(values)
    cleaned = validate_answers(_checked_as(coach, plan, merged, given), merged, source=source)
    extra = dict(plan.extra)
    if plan.ask_outcome:
        extra.setdefault("outcome", "pending")
    note = build_note(plan, cleaned, extra)
    with coach.drafts.lock(plan.kind, plan.role, plan.project, plan.round, scripted=True):
        coach.notes.save_new(note)
    return note


def _checked_as(
    coach: Home,
    plan: SessionPlan,
    merged: Given,
    given: Mapping[str, Mapping[str, object]],
) -> list[Checklist]:
    """The checklists a scripted save is checked against. A question whose `when`
    does not hold is not required and takes no default; an answer given to it is
    kept. On a shorter path (quick), the checklist's other questions may still be
    answered (they are kept too), but only the path's questions can be required.
    """
    catalogue = coach.catalogue()
    checked = []
    for checklist in plan.checklists:
        questions = []
        for question in checklist.questions:
            if not condition_holds(question.when, merged, plan.extra):
                if question.id not in given.get(checklist.id, {}):
                    merged[checklist.id].pop(question.id, None)
                question = replace(question, required=False)
            questions.append(question)
        whole = catalogue.get(checklist.id)
        ids = {q.id for q in questions}
        for question in whole.questions if whole is not None else ():
            if question.id not in ids:
                questions.append(replace(question, required=False))
        checked.append(replace(checklist, questions=tuple(questions)))
    return checked


def parse_sets(plan: SessionPlan, sets: list[str]) -> Answers:
    """`--set CHECKLIST.QUESTION=VALUE` values, typed like the prompts; all problems at once."""
    given: Answers = {}
    problems = []
    by_id = {c.id: c for c in plan.checklists}
    for item in sets:
        key, sep, text = item.partition("=")
        cid, dot, qid = key.strip().partition(".")
        if not sep or not dot:
            problems.append(f"--set {item!r}: expected CHECKLIST.QUESTION=VALUE")
            continue
        checklist = by_id.get(cid)
        if checklist is None:
            problems.append(
                f"--set {key}: unknown checklist {cid!r} (this session uses: {', '.join(by_id)})"
            )
            continue
        question = checklist.question(qid)
        if question is None:
            problems.append(f"--set {key}: unknown question")
            continue
        try:
            given.setdefault(cid, {})[qid] = parse_text_value(question, text)
        except ValueError as exc:
            problems.append(f"--set {key}: {exc}")
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise AnswersError(f"{len(problems)} {noun} with --set", details=problems)
    return given
