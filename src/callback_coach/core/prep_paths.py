"""The paths through a prep: the full prep, the quick prep, or checklists you choose; the
closing check at the end of each; and how long each takes.

A path is data, not code: the quick path is every question marked `quick: true` in the
checklist files (the actor's own included), less a question asking a job detail the
coach already knows from an earlier round (it is carried instead), and the closing check
is every checklist marked `closing: true`. The estimates come from the questions a path
asks, at the seconds per answer below.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace

from callback_coach.core.answers import is_given
from callback_coach.core.checklist import Catalogue, Checklist
from callback_coach.core.questions import Question
from callback_coach.core.session import SessionPlan, condition_holds
from callback_coach.errors import NotFoundError, UsageError
from callback_coach.store.drafts import Draft
from callback_coach.store.facts import DETAIL_QUESTIONS

FULL, QUICK, CHECKLIST = "full", "quick", "checklist"
PATHS = (FULL, QUICK, CHECKLIST)
# Details of the job rather than the round: they carry forward to the next round, so the
# quick path asks one (`quick: true`) only while no earlier note gave it.
STABLE_DETAILS = ("medium", "casting_office")


@dataclass(frozen=True)
class Estimate:
    """How many questions a path asks and about how long they take."""

    questions: int
    minutes: int

    def __str__(self) -> str:
        noun = "question" if self.questions == 1 else "questions"
        return f"{self.questions} {noun} · about {self.minutes} min"


def estimate(
    questions: Iterable[Question], details: Mapping[str, object] | None = None
) -> Estimate:
    """The questions that will be asked (a `when` is judged on the details known before
    the first answer) and their time in whole minutes, rounded up (at least 1)."""
    asked = [q for q in questions if condition_holds(q.when, {}, details or {})]
    # (Each type says how long an answer given with care takes: core.questions.)
    seconds = sum(q.kind.seconds for q in asked)
    return Estimate(len(asked), max(1, math.ceil(seconds / 60)))


def prep_checklists(catalogue: Catalogue) -> list[Checklist]:
    """Every checklist a full prep runs, in order (the closing check aside)."""
    return [c for c in catalogue.for_phase("prep") if not c.closing]


def closing_checklists(catalogue: Catalogue) -> list[Checklist]:
    """The closing checks (`closing: true`): they end every prep."""
    return [c for c in catalogue.for_phase("prep") if c.closing]


def first_round_version(checklist: Checklist) -> Checklist:
    """The checklist as a role's first round asks it: `first_prompt` for `prompt`."""
    if not any(q.first_prompt for q in checklist.questions):
        return checklist
    questions = tuple(
        replace(q, prompt=q.first_prompt) if q.first_prompt else q for q in checklist.questions
    )
    return replace(checklist, questions=questions, first_round=True)


def known_details(details: Mapping[str, object]) -> list[str]:
    """The job details (`STABLE_DETAILS`) that `details` gives a value."""
    return [key for key in STABLE_DETAILS if is_given(details.get(key))]


def quick_version(checklist: Checklist, known: Collection[str] = ()) -> Checklist | None:
    """The checklist with only its `quick` questions, less those that ask a job detail
    in `known` (the medium a round before gave: carried, not asked again); None when
    none is left."""
    carried = {qid for key in known for qid in DETAIL_QUESTIONS.get(key, ())}
    questions = tuple(q for q in checklist.questions if q.quick and q.id not in carried)
    return replace(checklist, questions=questions) if questions else None


def closing_version(closing: Checklist, chosen: Iterable[str] | None) -> Checklist | None:
    """The closing check for a session of the `chosen` checklists: only the questions
    about one of them (that go back to it, or read its answers) and those about none in
    particular (every question when `chosen` is None); None when none is left."""
    if chosen is None:
        return closing
    wanted = set(chosen)

    def about(question: Question) -> set[str]:
        areas = {ref.split(".", 1)[0] for ref in question.relies_on}
        return areas | {question.revisit} if question.revisit else areas

    questions = tuple(q for q in closing.questions if not about(q) or about(q) & wanted)
    return replace(closing, questions=questions) if questions else None


def path_checklists(
    prep: list[Checklist],
    closing: list[Checklist],
    path: str,
    chosen: list[str] | None,
    known: Collection[str] = (),
) -> list[Checklist]:
    """The checklists a prep runs on `path`: `prep` (the normal checklists, or those
    chosen) each cut to its quick questions on the quick path (less those asking a job
    detail `known`), then the closing check (with chosen checklists, only its questions
    that go back to one of them)."""
    if path == QUICK:
        body = [c for c in (quick_version(c, known) for c in prep) if c is not None]
    else:
        body = prep
    ids = None if chosen is None else [c.id for c in prep]
    ending = [c for c in (closing_version(c, ids) for c in closing) if c is not None]
    return [*body, *ending]


def path_estimates(
    prep: list[Checklist], closing: list[Checklist], details: Mapping[str, object]
) -> dict[str, Estimate]:
    """The full and quick paths' estimates (the closing check included; the quick path
    without the job details `details` gives)."""
    known = known_details(details)
    return {
        path: estimate(
            (q for c in path_checklists(prep, closing, path, None, known) for q in c.questions),
            details,
        )
        for path in (FULL, QUICK)
    }


def path_of_draft(draft: Draft) -> tuple[str, list[str] | None]:
    """The path and chosen checklists an unfinished prep was started with (the full path
    for a draft from before paths, or one that no longer says which checklists)."""
    kept = draft.extra.get("path")
    path = kept if kept in PATHS else FULL
    chosen = draft.chosen
    if path == CHECKLIST and not chosen:
        return FULL, None
    return path, chosen


def apply_path(
    plan: SessionPlan,
    catalogue: Catalogue,
    path: str,
    picked: list[Checklist] | None,
    *,
    first_round: bool,
    known: Collection[str] = (),
) -> None:
    """Give a prep plan the checklists of a path: full, quick (the `quick` questions, of
    the `picked` checklists if any, less those asking a job detail `known` from an
    earlier note) or checklist (the `picked` ones); each ends with the closing check.
    Raises NotFoundError for a path with no question at all."""
    if path not in PATHS:
        raise UsageError(f"path {path!r} is not one of: {', '.join(PATHS)}")
    if path == CHECKLIST and not picked:
        raise UsageError("choose at least one checklist")
    chosen = [c.id for c in picked] if picked else None
    body = [c for c in (picked or prep_checklists(catalogue)) if not c.closing]
    checklists = path_checklists(body, closing_checklists(catalogue), path, chosen, known)
    named = [c for c in picked or () if c.closing]  # a closing check asked for by name
    if named:
        checklists = [c for c in checklists if not c.closing] + named
    if not checklists:
        where = ", ".join(chosen) if chosen else "the prep checklists"
        raise NotFoundError(
            f"no question is marked quick: true in {where}"
            if path == QUICK
            else "no prep checklists are available"
        )
    if first_round:
        checklists = [first_round_version(c) for c in checklists]
    plan.checklists = checklists
    plan.chosen = chosen
    plan.extra["path"] = path


def path_menu(catalogue: Catalogue, details: Mapping[str, object]) -> list[tuple[str, str]]:
    """The paths a prep offers, each with its honest estimate (the quick path only when
    some question is marked quick)."""
    estimates = path_estimates(prep_checklists(catalogue), closing_checklists(catalogue), details)
    options = [(FULL, f"Full prep · {estimates[FULL]}")]
    if estimates[QUICK].questions:
        options.append((QUICK, f"Quick prep · {estimates[QUICK]}"))
    options.append((CHECKLIST, "Just one checklist…"))
    return options


def checklist_menu(catalogue: Catalogue, details: Mapping[str, object]) -> list[tuple[str, str]]:
    """The prep checklists to pick one from, each with its estimate."""
    return [
        (c.id, f"{c.title} · {estimate(c.questions, details)}") for c in prep_checklists(catalogue)
    ]
