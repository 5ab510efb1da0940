"""What the season commands read: roles and their rounds (`core.rounds`), asked of the
index in the few ways they need them, so that no command reads every note's facts when
it needs a few roles, and counting happens in the index.

`coach stats`, `coach follow-ups`, `coach today` and `coach export calendar` read the
notes through here only. Unreadable notes are named in the coach's warnings, as every
other command does.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable

from callback_coach.core.home import Home
from callback_coach.core.rounds import Role, Waiting, build_roles
from callback_coach.season.stats import Counts
from callback_coach.store.drafts import Draft, DraftStore
from callback_coach.store.facts import NoteFacts
from callback_coach.store.index import EventRow, RoleKey
from callback_coach.store.notes import KINDS
from callback_coach.store.slugs import fold


def current_day() -> dt.date:
    """Today, for the season commands (tests replace it with a fixed day)."""
    return dt.date.today()


def load_roles(coach: Home) -> list[Role]:
    """Every role of the home with its rounds."""
    index = coach.index
    roles = build_roles(index.facts())
    coach.warn_unreadable(index)
    return roles


def _roles_of(coach: Home, keys: list[RoleKey]) -> list[Role]:
    index = coach.index
    coach.warn_unreadable(index)
    return build_roles(index.facts(keys=keys)) if keys else []


def load_counts(coach: Home, since: str | None, until: str | None, by: tuple[str, ...]) -> Counts:
    """The roles `coach stats` counts, counted by the index, whose first round falls
    between `since` and `until` (a window leaves out roles with no day)."""
    index = coach.index
    coach.warn_unreadable(index)
    counts = Counts()
    for rounds, stage, status, roles in index.role_counts("rounds", since, until):
        counts.kinds[stage, status] = counts.kinds.get((stage, status), 0) + roles
        counts.rounds[rounds] = counts.rounds.get(rounds, 0) + roles
    for name in by:
        groups = counts.by[name] = {}
        for key, stage, status, roles in index.role_counts(name, since, until):
            groups.setdefault(key, {})[stage, status] = roles
    return counts


def load_with_follow_ups(
    coach: Home, open_from: str | None = None, *, dated: bool = False
) -> list[Role]:
    """The roles some of whose notes hold follow-ups; with `open_from` (a day), only those
    that may have one still open on that day; `dated`, only those that may have one with
    a due day (items added, or a review's written lines)."""
    return _roles_of(
        coach, coach.index.keys(follow_ups_from=open_from or "", follow_ups_dated=dated)
    )


def load_upcoming(coach: Home, day: dt.date) -> list[Role]:
    """The roles with a round prepared for `day` or later and not reviewed, whole and
    with their answers (what their to-dos are made from)."""
    index = coach.index
    keys = index.keys(open_prep_from=day.isoformat())
    return build_roles(coach.with_answers(index.facts(keys=keys))) if keys else []


def load_for_today(
    coach: Home, day: dt.date, drafts: list[Draft]
) -> tuple[list[Role], list[Waiting], dict[str, int], int]:
    """What `coach today` reads: the roles that may have a callback from `day` on (a
    prepped round not reviewed) and the drafts' roles, whole; the latest rounds of the
    other roles that wait for a review or news from before `day`; how many roles go by
    each folded name; and how many roles there are."""
    index = coach.index
    text = day.isoformat()
    keys = set(index.keys(open_prep_from=text))
    keys |= {(fold(d.role), fold(d.project)) for d in drafts}
    roles = _roles_of(coach, sorted(keys))
    chosen = {(fold(r.role), fold(r.project)) for r in roles}
    waiting = [
        Waiting(s.role, s.project, s.latest_round, s.latest_date, s.waiting)
        for s in index.waiting(text)
        if (fold(s.role), fold(s.project)) not in chosen
    ]
    names = index.role_names()
    return roles, waiting, names, sum(names.values())


def calendar_rows(coach: Home, make: Callable[[list[NoteFacts]], list[EventRow]]) -> list[EventRow]:
    """Every round's calendar event in the calendar's order, as the index keeps them (a
    role changed since has them made again by `make`)."""
    index = coach.index
    coach.warn_unreadable(index)
    try:
        return index.events(make)
    except sqlite3.Error:  # a damaged index found only now: every role made here
        return sorted(e for role in load_roles(coach) for e in make(role.notes))


def read_drafts(coach: Home) -> list[Draft]:
    """Every unfinished prep, review or drill in the drafts folder, newest first
    (unreadable ones are skipped: the session that owns them reports them)."""
    store = DraftStore(coach.home)
    if not store.folder.is_dir():
        return []
    found = [store.load(path) for path in sorted(store.folder.glob("*.yaml"))]
    drafts = [d for d in found if d is not None and d.kind in KINDS]
    return sorted(drafts, key=lambda d: d.started, reverse=True)
