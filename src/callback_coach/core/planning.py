"""Planning a prep or a review: everything a session needs before its first question (the
role and project, the round and its date, the path and its checklists, and what the
previous round left). Running the plan is running.py's job.

Each function takes the coach (a `home.Home`) first: `workflow.Coach` has the public ones
as methods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from callback_coach.core import opening
from callback_coach.core.answers import check_value, is_given
from callback_coach.core.asking import Asker, Notice
from callback_coach.core.checklist import CARD_LABELS, CARD_SLOTS, Catalogue, Checklist
from callback_coach.core.home import Home
from callback_coach.core.inputs import check_outcome, check_round, parse_date
from callback_coach.core.prep_paths import (
    CHECKLIST,
    FULL,
    QUICK,
    STABLE_DETAILS,
    apply_path,
    closing_checklists,
    first_round_version,
    path_of_draft,
    prep_checklists,
)
from callback_coach.core.rounds import Role, Round, same_name
from callback_coach.core.session import SessionPlan
from callback_coach.errors import Declined, UsageError
from callback_coach.store import paths
from callback_coach.store.drafts import Draft
from callback_coach.store.facts import DETAIL_QUESTIONS, answer_text, is_answered
from callback_coach.store.labels import next_round

# What the person chose for an unfinished draft of the plan's role and round
# (SessionPlan.draft_choice).
RESUME, RESTART = "resume", "restart"


@dataclass
class CarryOver:
    """What the previous round left for this one."""

    round: Round  # with its answers
    defaults: dict[str, object]
    # (source question prompt, answer) pairs, in the order the recall checklist asks them.
    items: list[tuple[str, object]]


@dataclass
class LastRound:
    """What the previous round's review (then prep) said, for the "last time" panel a
    prep opens with: plain data; render.last_round_panel draws it."""

    round: str
    date: str
    outcome: str | None
    # (question, answer) pairs: the earlier answers the checklists `recall`, in order.
    items: list[tuple[str, object]]


def plan_prep(
    coach: Home,
    role: str,
    *,
    project: str | None = None,
    round_label: str | None = None,
    date: str | None = None,
    checklist_ids: list[str] | None = None,
    path: str | None = None,
    choose_project: Callable[[list[str]], str] | None = None,
    asker: Asker | None = None,
) -> SessionPlan:
    """Everything a prep needs before the first question: the round, its date, the
    project, the path and its checklists, and what the previous round left (defaults,
    the "last time" data, stable details).

    `path` is "full" or "quick" (None: the full path, or with `checklist_ids` the
    checklists chosen; an unfinished draft's path when one is resumed). With an
    `asker`, the coach asks what it cannot know: whether to resume a draft left in
    another project, whether this prep adds to a round still to come or starts a new
    one, and (when the session starts) the path and the date. Without one it stays in
    a round still to come, takes the full path, and dates the note today.
    """
    asked_path = path is None and not checklist_ids
    if path not in (None, FULL, QUICK):
        raise UsageError(f"path {path!r} is not one of: {FULL}, {QUICK}")
    if path == FULL and checklist_ids:
        raise UsageError("--full runs every checklist: leave out --checklist (or --full)")
    coach.select_checklists("prep", checklist_ids)  # an unknown id stops here, first
    plan, found, draft, same_round = _plan(
        coach,
        "prep",
        role,
        project,
        round_label,
        date,
        choose_project,
        asker,
        default_round=lambda found: next_round([r.label for r in found.held] if found else []),
    )
    previous = found.previous(plan.round) if found is not None else None
    if previous is not None:
        carry = carry_over(coach, previous, prep_checklists(coach.catalogue()))
        plan.defaults.update(carry.defaults)
        plan.last_round = LastRound(previous.label, previous.date, previous.outcome, carry.items)
    if found is not None:
        _carry_details(coach, plan, found)
    this_round = found.round(plan.round) if found is not None else None
    if path is None and not checklist_ids and draft is not None:
        path, checklist_ids = path_of_draft(draft)  # resumed as it was started
    elif path is None:
        path = CHECKLIST if checklist_ids else FULL
    set_path(coach, plan, path, None if path == FULL else checklist_ids)
    plan.ask_date = asker is not None and date is None and draft is None and not same_round
    plan.ask_path = asker is not None and asked_path and draft is None
    if plan.ask_path:
        # Until a path is picked, the menu's estimates go by every job detail known (the
        # quick path does not ask one again); the path picked places them (`set_path`).
        plan.extra.update(_carried_details(coach, plan))
    if this_round is not None and this_round.preps:
        # A second prep of a round starts from the answers its preps gave so far.
        closing = {c.id for c in closing_checklists(coach.catalogue())}
        for cid, values in this_round.answers.items():
            if cid in closing:
                continue  # the closing check is answered afresh each time
            for qid, value in values.items():
                if is_given(value):
                    plan.defaults[f"{cid}.{qid}"] = value
    _measured_offbook(coach, plan)
    if not plan.ask_date:  # (a day typed at the prompt is looked at there: `ask_date`)
        past = opening.past_day(plan, coach.day())
        if past:
            coach.warn(past)
    return plan


# The prep's "how well do you know the lines" scale: its starting point is the off-book
# figure the actor's drills measured (`coach lines`), when the role has sides.
OFFBOOK_QUESTION = ("refine-intention", "off-book")


def _measured_offbook(coach: Home, plan: SessionPlan) -> None:
    """Start the off-book scale at the measured figure, and say where it comes from just
    before its checklist, when the plan asks it and the role's sides were drilled."""
    cid, qid = OFFBOOK_QUESTION
    checklist = next((c for c in plan.checklists if c.id == cid), None)
    question = next((q for q in checklist.questions if q.id == qid), None) if checklist else None
    if question is None or question.type != "scale" or not paths.sides_dir(coach.home).is_dir():
        return
    # The sides' modules only for an actor who imported sides: not every first question.
    from callback_coach.lines.measure import offbook

    measured = offbook(coach.home, plan.role, plan.project, plan.round)
    if measured is None or not any(scene.drilled for scene in measured.scenes):
        return
    low, high = question.min or 1, question.max or 5
    start = measured.scale(low, high)
    plan.defaults[f"{cid}.{qid}"] = start
    lines = "line" if measured.total == 1 else "lines"
    plan.before[cid] = Notice(
        f"Your drills say you are {measured.percent}% off-book ({measured.right} of "
        f"{measured.total} {lines}): how well you know the lines starts at {start} of {high}."
    )


def plan_review(
    coach: Home,
    role: str,
    *,
    project: str | None = None,
    round_label: str | None = None,
    date: str | None = None,
    outcome: str | None = None,
    checklist_ids: list[str] | None = None,
    choose_project: Callable[[list[str]], str] | None = None,
    asker: Asker | None = None,
) -> SessionPlan:
    """A review of one round: by default the latest round prepared but not reviewed,
    dated as that round (the day of the room). With an `asker`, a review left
    unfinished in another project is offered."""
    checklists = coach.select_checklists("review", checklist_ids)
    plan, found, draft, _ = _plan(
        coach,
        "review",
        role,
        project,
        round_label,
        date,
        choose_project,
        asker,
        # The latest round prepared but not reviewed; else the latest round there is.
        default_round=_round_to_review,
    )
    plan.checklists = checklists
    if date is None and draft is None and plan.date > coach.day().isoformat():
        _review_early(coach, plan, asker)
    _find_relied(coach, plan)
    record = found.round(plan.round) if found is not None else None
    if record is not None and record.latest_prep is not None:
        plan.extra["prep_note"] = record.latest_prep.file
        plan.prepared = prepared_items(record, coach.catalogue())
    if found is not None:
        _carry_details(coach, plan, found)
    if outcome is not None:
        plan.extra["outcome"] = check_outcome(outcome)
    else:
        plan.ask_outcome = True
    return plan


def _review_early(coach: Home, plan: SessionPlan, asker: Asker | None) -> None:
    """A review of a round whose day is still to come: asked whether the room was today
    (or stopped, `Declined`); without a terminal, done as asked, with a warning."""
    if asker is None:
        coach.warn(
            f"{plan.round} is dated {plan.date}, a day still to come: the review is dated "
            "so too (give --date to date it otherwise)"
        )
    elif not opening.review_early(plan, coach.day(), asker):
        raise Declined(f"Nothing written: review {plan.role}'s {plan.round} after the room.")


def set_path(coach: Home, plan: SessionPlan, path: str, chosen: list[str] | None) -> None:
    """Give a prep plan the checklists of a path: "full", "quick" (the `quick`
    questions, of the `chosen` checklists if any) or "checklist" (the `chosen` ones);
    each ends with the closing check (see prep_paths.apply_path)."""
    picked = coach.select_checklists("prep", chosen) if chosen else None
    # A role's first round (no last round) asks about the first audition instead.
    first_round = plan.kind == "prep" and plan.last_round is None
    carried = _carried_details(coach, plan)
    apply_path(plan, coach.catalogue(), path, picked, first_round=first_round, known=carried)
    _place_details(plan, carried)
    _find_relied(coach, plan)


def _detail_defaults(coach: Home, key: str) -> list[str]:
    """The "checklist.question" of every question that asks the detail `key`."""
    return [
        f"{c.id}.{q.id}"
        for c in coach.catalogue().checklists
        for q in c.questions
        if q.id in DETAIL_QUESTIONS[key]
    ]


def _carried_details(coach: Home, plan: SessionPlan) -> dict[str, object]:
    """The job details (medium, casting office) earlier notes gave this plan
    (`_carry_details`): as the default of a question that asks one, else as a
    front-matter key."""
    carried: dict[str, object] = {}
    for key in STABLE_DETAILS:
        offered = [plan.defaults.get(ref) for ref in _detail_defaults(coach, key)]
        value = next((v for v in [plan.extra.get(key), *offered] if is_given(v)), None)
        if value is not None:
            carried[key] = value
    return carried


def _place_details(plan: SessionPlan, carried: dict[str, object]) -> None:
    """Each carried job detail stays the default of the question that asks it, where
    the plan's path asks it with that default; a path that does not (the quick path
    once the medium is known, one checklist) keeps it in the note's front matter, so the
    round still records it."""
    for key, value in carried.items():
        asked = any(
            q.id in DETAIL_QUESTIONS[key] and f"{c.id}.{q.id}" in plan.defaults
            for c in plan.checklists
            for q in c.questions
        )
        if asked:
            plan.extra.pop(key, None)
        else:
            plan.extra[key] = value


def _find_relied(coach: Home, plan: SessionPlan) -> None:
    """The questions the plan's questions read (`relies_on`), wherever they are, worded
    as the plan asks its checklists (a first round's wording where the plan's is)."""
    catalogue = coach.catalogue()
    first_round = any(c.first_round for c in plan.checklists)
    for checklist in plan.checklists:
        for question in checklist.questions:
            for ref in question.relies_on:
                cid, qid = ref.split(".", 1)
                source = catalogue.get(cid)
                if source is not None and first_round:
                    source = first_round_version(source)
                relied = source.question(qid) if source is not None else None
                if source is not None and relied is not None:
                    plan.relied[ref] = (source, relied)


def prepared_items(record: Round, catalogue: Catalogue) -> list[tuple[str, str]]:
    """What a round's preps (merged) said, as the card names it: when and where, then
    each card slot's answers in the card's order (for a review to start from)."""
    items = [
        (CARD_LABELS[key], record.details[key]) for key in ("time", "place") if record.detail(key)
    ]
    answers = record.answers
    for slot in CARD_SLOTS:
        if slot in ("time", "place"):
            continue
        for checklist in catalogue.checklists:
            for question in checklist.questions:
                value = answers.get(checklist.id, {}).get(question.id)
                if question.card == slot and is_answered(value):
                    items.append((CARD_LABELS[slot], answer_text(value)))
    return items


def carry_over(coach: Home, previous: Round, checklists: list[Checklist]) -> CarryOver:
    """Defaults for `recall` questions from the previous round's review, then its preps
    (merged question by question)."""
    sources = [previous.review_answers, previous.answers]
    catalogue = coach.catalogue()
    defaults: dict[str, object] = {}
    items: list[tuple[str, object]] = []
    seen: set[str] = set()
    for checklist in checklists:
        for question in checklist.questions:
            for ref in question.recall:
                cid, qid = ref.split(".", 1)
                value = next(
                    (
                        answers.get(cid, {}).get(qid)
                        for answers in sources
                        if is_answered(answers.get(cid, {}).get(qid))
                    ),
                    None,
                )
                if value is None:
                    continue
                defaults.setdefault(f"{checklist.id}.{question.id}", value)
                if ref not in seen:
                    seen.add(ref)
                    source = catalogue.get(cid)
                    source_q = source.question(qid) if source else None
                    items.append((source_q.prompt if source_q else ref, value))
                break
    return CarryOver(previous, defaults, items)


def _round_to_review(role: Role | None) -> str:
    """The latest round prepared but not reviewed; else the latest round there is."""
    if role is None or not role.held:
        return next_round([])
    waiting = role.to_review()
    return waiting.label if waiting is not None else role.held[-1].label


def _carry_details(coach: Home, plan: SessionPlan, role: Role) -> None:
    """What the role's rounds so far say of the job (its medium, casting office; the
    people met in the room) carried into this session: the default of each question that
    asks it and can take it as an answer, else the note's front matter."""
    for key in STABLE_DETAILS:
        value = role.latest_detail(key)
        if not value:
            continue
        asked = False
        for checklist in coach.catalogue().checklists:
            for question in checklist.questions:
                if question.id not in DETAIL_QUESTIONS[key]:
                    continue
                try:
                    accepted = check_value(question, value) is not None
                except ValueError:
                    accepted = False
                if accepted:
                    plan.defaults.setdefault(f"{checklist.id}.{question.id}", value)
                    asked = True
        if not asked:
            plan.extra[key] = value
    people: list[str] = []
    for record in role.held:
        review = record.latest_review
        answers = review.answers or {} if review is not None else {}
        who = answers.get("after-the-room", {}).get("who-was-there")
        if isinstance(who, str) and who.strip() and who.strip() not in people:
            people.append(who.strip())
    if people:
        plan.extra["people_met"] = people


def _plan(
    coach: Home,
    kind: str,
    role: str,
    project: str | None,
    round_label: str | None,
    date: str | None,
    choose_project: Callable[[list[str]], str] | None,
    asker: Asker | None,
    *,
    default_round: Callable[[Role | None], str],
) -> tuple[SessionPlan, Role | None, Draft | None, bool]:
    """What prep and review share: role and project, a draft left in another project
    (offered through `asker`), the round (given, an unfinished draft's, a prep's round
    still to come, or `default_round`), and the date.

    Returns the plan, the role (with its answers; None: no notes yet), the draft this
    session would resume, and whether the round is a prep's round still to come."""
    role, project_name, found = coach.role(role, project, choose_project, kind, answers=True)
    adopted = None
    if asker is not None:
        # A draft left in another project is offered when no --project says which one
        # is meant (one without a project, always: it can move into this one); with
        # --round (as a resume hint gives it), only one of that round.
        wanted = check_round(round_label) if round_label is not None else None
        others = [
            d
            for d in coach.drafts.find(kind, role, None, wanted)
            if not same_name(d.project, project_name) and (project is None or not d.project)
        ]
        own = bool(coach.drafts.find(kind, role, project_name, wanted))
        adopted = opening.offer_other_draft(kind, role, project_name, others, asker, own=own)
        if adopted is not None and adopted.project:
            role, project_name, found = coach.role(
                adopted.role, adopted.project, None, kind, answers=True
            )
    same_round = False
    if round_label is not None:
        chosen = check_round(round_label)
    elif adopted is not None:
        chosen = adopted.round
    else:
        drafts = coach.drafts.find(kind, role, project_name, None)
        if drafts:
            chosen = drafts[0].round
        else:
            chosen = default_round(found)
            today = coach.day().isoformat()
            upcoming = found.upcoming(today) if kind == "prep" and found is not None else None
            if upcoming is not None:
                # --date names a day: that of the round still to come is its round; another
                # is said in the question (adding to the round moves it to that day).
                given = parse_date(date, coach.day()) if date is not None else None
                same_round = (
                    asker is None
                    or given == upcoming.date
                    or opening.same_round(role, upcoming, chosen, coach.day(), asker, given=given)
                )
                chosen = upcoming.label if same_round else chosen
    role, project_name = _draft_spelling(coach, kind, role, project_name, chosen, found)
    if adopted is not None:
        draft: Draft | None = adopted
    else:
        drafts_found = coach.drafts.find(kind, role, project_name, chosen)
        draft = drafts_found[0] if drafts_found else None
    record = found.round(chosen) if found is not None else None
    record = record if record is not None and record.held else None
    plan = SessionPlan(
        kind=kind,
        role=role,
        project=project_name,
        round=chosen,
        date=_session_date(coach, kind, draft, record, date, guess=asker is not None),
        checklists=[],
    )
    if adopted is not None:
        plan.draft_choice = RESUME
        if adopted.project != project_name:
            plan.adopt_draft = adopted
    return plan, found, draft, same_round


def _session_date(
    coach: Home,
    kind: str,
    draft: Draft | None,
    record: Round | None,
    date: str | None,
    *,
    guess: bool = False,
) -> str:
    """--date if given; else the date of the unfinished draft being resumed; else the
    date of the round when it has notes already; else tomorrow for a prep that will
    ask (the night before is the usual time to prepare), today otherwise."""
    today = coach.day()
    if date is not None:
        return parse_date(date, today)
    if draft is not None:
        try:
            return parse_date(draft.date, today)
        except UsageError:
            coach.warn(
                f"the unfinished {kind}'s date {draft.date!r} is not a valid "
                "YYYY-MM-DD date: using today's (or give --date)"
            )
            return today.isoformat()
    if record is not None and record.date:
        return record.date
    if guess and kind == "prep":
        return (today + dt.timedelta(days=1)).isoformat()
    return today.isoformat()


def _draft_spelling(
    coach: Home, kind: str, role: str, project: str, round_label: str, found: Role | None
) -> tuple[str, str]:
    """Keep the spelling the actor first used, when the role is only known from a draft."""
    if found is not None:
        return role, project
    for draft in coach.drafts.find(kind, role, project, round_label):
        return draft.role, draft.project or project
    return role, project
