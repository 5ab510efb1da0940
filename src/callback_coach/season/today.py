"""`coach today`: what is next, on one short screen (pure; the day is passed in).

- callbacks in the next 7 days (today included), prepped or not;
- rounds whose day has passed and that wait for a review (each role's latest round only);
- open follow-ups due within 7 days or overdue (and how many have no date);
- unfinished drafts;
- outcomes still pending two weeks after the room (each role's latest round only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING

from callback_coach.core.dates import parse_time
from callback_coach.core.hints import command, resume
from callback_coach.core.rounds import Role, Waiting
from callback_coach.season.followups import FollowUp
from callback_coach.store.slugs import fold

if TYPE_CHECKING:
    from callback_coach.lines import OffBook
    from callback_coach.store.drafts import Draft
    from callback_coach.store.facts import Json

TODAY_FORMAT = 2  # 2: a callback's `offbook`, drill drafts
AHEAD_DAYS = 7
PENDING_AFTER_DAYS = 14


@dataclass
class Callback:
    role: str
    project: str
    round: str
    date: str
    time: str | None
    place: str | None
    prepped: bool
    hint: str
    # How off-book the actor is in the round's sides (lines.offbook), when it has any.
    offbook: OffBook | None = None

    def to_json(self) -> dict[str, Json]:
        # Field by field: `asdict` would copy the figure's every scene only to drop them.
        data: dict[str, Json] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["offbook"] = None if self.offbook is None else self.offbook.to_json()
        return data


@dataclass
class RoundDue:
    """A round that waits for something: a review, or an outcome."""

    role: str
    project: str
    round: str
    date: str
    days_ago: int
    hint: str


@dataclass
class DraftDue:
    kind: str
    role: str
    project: str
    round: str
    date: str
    answers: int
    started: str
    hint: str


@dataclass
class TodayView:
    today: dt.date
    callbacks: list[Callback]
    to_review: list[RoundDue]
    follow_ups: list[FollowUp]
    undated_follow_ups: int
    drafts: list[DraftDue]
    pending: list[RoundDue]
    roles: int

    @property
    def empty(self) -> bool:
        return not (
            self.callbacks
            or self.to_review
            or self.follow_ups
            or self.undated_follow_ups
            or self.drafts
            or self.pending
        )

    def to_json(self) -> dict[str, Json]:
        return {
            "format": TODAY_FORMAT,
            "today": self.today.isoformat(),
            "callbacks": [c.to_json() for c in self.callbacks],
            "to_review": [asdict(r) for r in self.to_review],
            "follow_ups": [i.to_json() for i in self.follow_ups],
            "undated_follow_ups": self.undated_follow_ups,
            "drafts": [asdict(d) for d in self.drafts],
            "pending_outcomes": [asdict(p) for p in self.pending],
        }


def today_view(
    roles: list[Role],
    items: list[FollowUp],
    drafts: list[Draft],
    today: dt.date,
    *,
    waiting: list[Waiting] | None = None,
    names: dict[str, int] | None = None,
    total: int | None = None,
    measure: Callable[[str, str, str], OffBook | None] | None = None,
) -> TodayView:
    """What is next for the actor on `today`. `roles` may be only those that can have
    a callback from the day on (season.loading.load_for_today), with the latest rounds of the
    other roles that wait for something (`waiting`), how many roles go by each folded
    name (`names`) and how many there are (`total`); by default, `roles` is all.
    `measure(role, project, round)` gives how off-book the actor is for a callback."""
    horizon = (today + dt.timedelta(days=AHEAD_DAYS)).isoformat()
    day = today.isoformat()
    counts = names
    if counts is None:
        counts = {}
        for role in roles:
            counts[fold(role.role)] = counts.get(fold(role.role), 0) + 1

    def project_for(role: Role | Waiting) -> str | None:
        # --project only where the role's name alone is ambiguous.
        return role.project if counts.get(fold(role.role), 0) > 1 else None

    callbacks: list[Callback] = []
    to_review: list[RoundDue] = []
    pending: list[RoundDue] = []
    prepped: set[tuple[str, str, str]] = set()
    for role in roles:
        for record in role.held:
            if record.preps:
                prepped.add((fold(role.role), fold(role.project), record.label))
            date = record.date
            # A round already settled (released or booked before its day) is off.
            settled = record.outcome in ("released", "booked")
            if record.preps and not record.reviews and day <= date <= horizon and not settled:
                callbacks.append(
                    Callback(
                        role.role, role.project, record.label, date, record.detail("time"),
                        record.detail("place"), True,
                        command(
                            "card", role.role, project=project_for(role), round_label=record.label
                        ),
                    )
                )  # fmt: skip
    every_waiting = [w for w in map(Role.waiting, roles) if w is not None]
    for latest in every_waiting + (waiting or []):
        if latest.date >= day:
            continue
        days_ago = (today - dt.date.fromisoformat(latest.date)).days
        if latest.what == "review":
            hint = command("review", latest.role, project=project_for(latest))
            to_review.append(
                RoundDue(latest.role, latest.project, latest.round, latest.date, days_ago, hint)
            )
        elif days_ago >= PENDING_AFTER_DAYS:
            hint = command("outcome", latest.role, "OUTCOME", project=project_for(latest))
            pending.append(
                RoundDue(latest.role, latest.project, latest.round, latest.date, days_ago, hint)
            )
    due: list[DraftDue] = []
    for draft in drafts:
        # The same command `coach list` gives: every option the session was started with.
        hint = resume(draft)
        due.append(
            DraftDue(
                draft.kind, draft.role, draft.project, draft.round, draft.date,
                draft.count(), draft.started, hint,
            )
        )  # fmt: skip
        key = (fold(draft.role), fold(draft.project), draft.round)
        if draft.kind == "prep" and key not in prepped and day <= draft.date <= horizon:
            callbacks.append(
                Callback(
                    draft.role, draft.project, draft.round, draft.date, None, None, False, hint
                )
            )
    if measure is not None:
        for callback in callbacks:
            callback.offbook = measure(callback.role, callback.project, callback.round)
    open_items = [i for i in items if i.is_open]
    dated = [i for i in open_items if i.due and i.due <= horizon]
    return TodayView(
        today=today,
        callbacks=sorted(
            callbacks, key=lambda c: (c.date, parse_time(c.time) or (24, 0), fold(c.role))
        ),
        to_review=sorted(to_review, key=lambda r: (r.date, fold(r.role))),
        follow_ups=sorted(dated, key=lambda i: (i.due or "", fold(i.role), i.id)),
        undated_follow_ups=sum(1 for i in open_items if not i.due),
        drafts=due,
        pending=sorted(pending, key=lambda r: (r.date, fold(r.role))),
        roles=len(roles) if total is None else total,
    )
