"""What a session asks before its first question, through the asker: resume a draft left
in another project, add to a round still to come or start a new one, the path through a
prep, and the callback's day. The wording lives here; the decisions are the caller's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from callback_coach.core.asking import Asker, Notice
from callback_coach.core.checklist import Catalogue, Checklist
from callback_coach.core.dates import describe
from callback_coach.core.inputs import parse_date
from callback_coach.core.prep_paths import CHECKLIST, FULL, checklist_menu, path_menu
from callback_coach.core.questions import Question
from callback_coach.core.session import SessionPlan
from callback_coach.errors import UsageError
from callback_coach.store.drafts import Draft, age_text

if TYPE_CHECKING:
    from callback_coach.core.rounds import Round

SAME_ROUND, NEW_ROUND, NEW_SESSION = "same", "new", "new-session"
TODAY, NOT_YET = "today", "not-yet"

# (The example date is ten days after the day asked: never one already past.)
DATE_HELP = "The note is filed under that day: tomorrow, fri, +3 or a date such as {example}."
DATE_QUESTION = Question(
    id="date",
    prompt="When is the callback?",
    help=DATE_HELP,
    type="text",
    required=True,
)
# The form the day is asked in: a scripted asker answers it as "callback.date".
DATE_FORM = Checklist(
    id="callback", title="Callback", phase="prep", version=1, questions=(DATE_QUESTION,)
)


def offer_other_draft(
    kind: str, role: str, project: str, others: list[Draft], asker: Asker, *, own: bool = False
) -> Draft | None:
    """Offer the unfinished sessions of `role` left in other projects (or without one);
    the draft to resume, or None to go on in `project` (where there is an unfinished one
    too when `own`: it is offered next)."""
    if not others:
        return None
    now = dt.datetime.now(dt.timezone.utc)
    options = []
    for number, draft in enumerate(others):
        count = draft.count()
        where = repr(draft.project) if draft.project else "no project"
        answers = f"{count} answer{'s' if count != 1 else ''}"
        options.append(
            (
                str(number),
                f"Resume {draft.round} ({where}, {answers}, started {age_text(draft.started, now)})",
            )
        )
    here = repr(project) if project else "no project"
    if own:
        options.append((NEW_SESSION, f"Go on in {here} (its own unfinished {kind})"))
    else:
        options.append((NEW_SESSION, f"Start a new {kind} ({here})"))
    message = (
        f"{role} has an unfinished {kind} elsewhere. Resume it?"
        if len(others) == 1
        else f"{role} has {len(others)} unfinished {kind}s elsewhere. Resume one?"
    )
    choice = asker.choose(message, options, default="0")
    return None if choice == NEW_SESSION else others[int(choice)]


def same_round(
    role: str, upcoming: Round, new: str, today: dt.date, asker: Asker, given: str | None = None
) -> bool:
    """Ask whether a prep adds to `upcoming` (a round still to come) or starts `new`;
    `given` is the day --date gave (YYYY-MM-DD), when it is not the round's."""
    when = upcoming.date
    with contextlib.suppress(ValueError):
        when = describe(dt.date.fromisoformat(upcoming.date), today)
    same = f"Add to your {upcoming.label} prep for {when}"
    other = f"This is a new round ({new})"
    if given is not None:
        day = describe(dt.date.fromisoformat(given), today)
        same = f"Add to your {upcoming.label} prep, moving it to {day}"
        other = f"This is a new round ({new}, {day})"
    choice = asker.choose(
        f"{role}'s {upcoming.label} is prepared for {when} and not reviewed yet.",
        [(SAME_ROUND, same), (NEW_ROUND, other)],
        default=SAME_ROUND,
    )
    return choice == SAME_ROUND


def review_early(plan: SessionPlan, today: dt.date, asker: Asker) -> bool:
    """Ask about a review started before its round's day: True when the room was today
    (the plan is then dated today), False to stop with nothing written."""
    when = describe(dt.date.fromisoformat(plan.date), today)
    when = when if when == "tomorrow" else f"on {when}"
    choice = asker.choose(
        f"{plan.role}'s {plan.round} is {when}, still to come.",
        [
            (TODAY, "It happened today: review it, dated today"),
            (NOT_YET, "Not yet: stop here (nothing is written)"),
        ],
        default=TODAY,
    )
    if choice == TODAY:
        plan.date = today.isoformat()
    return choice == TODAY


def ask_path(plan: SessionPlan, catalogue: Catalogue, asker: Asker) -> tuple[str, list[str] | None]:
    """Ask how much time there is: the full prep, the quick prep, or one checklist (then
    which); the path and the checklist chosen."""
    path = asker.choose(
        "How much time do you have?", path_menu(catalogue, plan.extra), default=FULL
    )
    if path != CHECKLIST:
        return path, None
    return path, [asker.choose("Which checklist?", checklist_menu(catalogue, plan.extra))]


def past_day(plan: SessionPlan, today: dt.date) -> str | None:
    """What to say of a prep dated before `today` (its callback's day already past: a
    typo, or a prep written up afterwards), or None."""
    try:
        day = dt.date.fromisoformat(plan.date)
    except ValueError:
        return None
    if day >= today:
        return None
    return (
        f"{plan.role}'s {plan.round} is dated {describe(day, today)}, a day already past; "
        "the prep keeps that day (give --date for another)"
    )


def ask_date(plan: SessionPlan, today: dt.date, asker: Asker) -> None:
    """Ask the callback's day, typed as --date takes it (the plan's date offered, as
    "tomorrow" or "today" when it is); asked again until it is a day."""
    offered = {today.isoformat(): "today", (today + dt.timedelta(days=1)).isoformat(): "tomorrow"}
    default: object = offered.get(plan.date, plan.date)
    example = (today + dt.timedelta(days=10)).isoformat()
    question = dataclasses.replace(DATE_QUESTION, help=DATE_HELP.format(example=example))
    while True:
        answer = asker.ask(DATE_FORM, question, default)
        try:
            plan.date = parse_date(str(answer or ""), today)
            past = past_day(plan, today)
            if past:
                asker.show(Notice(past, "warning"))
            return
        except UsageError as exc:
            asker.show(Notice(str(exc), "error"))
            default = answer
