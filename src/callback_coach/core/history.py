"""An actor's history: which notes belong to a role, which project, which round is next."""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from callback_coach.core.round_labels import next_round, round_rank
from callback_coach.errors import AmbiguousError
from callback_coach.store.notes import NoteFacts
from callback_coach.store.slugs import fold

# A note or its summary: every function here takes either.
N = TypeVar("N", bound=NoteFacts)


def same_name(a: str, b: str) -> bool:
    """Role and project names match case- and accent-insensitively."""
    return fold(a) == fold(b)


def projects_of_role(notes: Iterable[N], role: str) -> list[str]:
    """The projects this role appears in, with the spelling of their first note."""
    found: dict[str, str] = {}
    for note in sorted(notes, key=lambda n: n.created):
        if same_name(note.role, role):
            found.setdefault(fold(note.project), note.project)
    return list(found.values())


def resolve_project(notes: Iterable[N], role: str, project: str | None) -> str:
    """The project a command about `role` means.

    With `project` given, an existing spelling that matches it is reused. Without it, the
    role's only project is used ("" for a role that has none yet); a role found in several
    projects raises AmbiguousError listing them.
    """
    known = projects_of_role(notes, role)
    if project is not None:
        for name in known:
            if same_name(name, project):
                return name
        return project.strip()
    if not known:
        return ""
    if len(known) == 1:
        return known[0]
    listing = ", ".join(shlex.quote(p) if p else "(no project)" for p in known)
    raise AmbiguousError(
        f"role {role!r} appears in several projects ({listing}): add --project (as written here)",
        choices=known,
    )


def role_notes(notes: Iterable[N], role: str, project: str) -> list[N]:
    """The notes of one role in one project, oldest round first."""
    mine = [n for n in notes if same_name(n.role, role) and same_name(n.project, project)]
    return sorted(mine, key=lambda n: (round_rank(n.round), n.created))


def canonical_role(notes: Iterable[N], role: str) -> str:
    """The spelling of `role` in the earliest of `notes` (one project's notes of the role),
    or `role` as typed when there is none: a role new to a project keeps the spelling typed
    even when another project spells it otherwise."""
    for note in sorted(notes, key=lambda n: n.created):
        if same_name(note.role, role):
            return note.role
    return role.strip()


# ---------------------------------------------------------------------------------------
# Rounds of one role, and the roles of the whole home.


DONE_OUTCOMES = ("booked", "released")


@dataclass
class RoundRecord(Generic[N]):
    """Everything recorded for one round of one role (notes or summaries, oldest first)."""

    round: str
    preps: list[N] = field(default_factory=list)
    reviews: list[N] = field(default_factory=list)
    drills: list[N] = field(default_factory=list)  # `coach drill` notes: never a prep

    @property
    def held(self) -> bool:
        """True when the round was prepared or reviewed (not only drilled)."""
        return bool(self.preps or self.reviews)

    @property
    def latest_prep(self) -> N | None:
        return self.preps[-1] if self.preps else None

    @property
    def latest_review(self) -> N | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def date(self) -> str:
        dates = [n.date for n in (*self.preps, *self.reviews) if n.date]
        dates = dates or [n.date for n in self.drills if n.date]
        return max(dates) if dates else ""

    @property
    def outcome(self) -> str | None:
        """The newest outcome recorded on any note of the round (reviews first)."""
        for note in (*reversed(self.reviews), *reversed(self.preps)):
            if note.outcome:
                return note.outcome
        return None


def rounds_of(notes: Iterable[N]) -> list[RoundRecord[N]]:
    """Group one role's notes (or summaries) by round, in round order."""
    records: dict[str, RoundRecord[N]] = {}
    latest: dict[str, str] = {}
    for note in sorted(notes, key=lambda n: n.created):
        record = records.get(note.round)
        if record is None:
            record = records[note.round] = RoundRecord[N](note.round)
        if note.kind == "drill":
            record.drills.append(note)
        else:
            (record.reviews if note.kind == "review" else record.preps).append(note)
        latest[note.round] = note.created
    return sorted(records.values(), key=lambda r: (round_rank(r.round), latest[r.round]))


def round_to_review(rounds: list[RoundRecord[N]]) -> str | None:
    """The latest round that was prepared but not yet reviewed."""
    for record in reversed(rounds):
        if record.preps and not record.reviews:
            return record.round
    return None


def open_round(rounds: list[RoundRecord[N]], today: str) -> RoundRecord[N] | None:
    """The latest round when it is still to come: prepared for `today` (YYYY-MM-DD) or
    later, with no review and no outcome yet. A prep now belongs to that round."""
    held = [r for r in rounds if r.held]
    if not held:
        return None
    latest = held[-1]
    if latest.reviews or not latest.preps or latest.outcome not in (None, "pending"):
        return None
    return latest if latest.date and latest.date >= today else None


def previous_round(rounds: list[RoundRecord[N]], current: str) -> RoundRecord[N] | None:
    """The latest round recorded before `current` (in round order)."""
    rank = round_rank(current)
    earlier = [r for r in rounds if r.held and r.round != current and round_rank(r.round) <= rank]
    return earlier[-1] if earlier else None


def next_step(rounds: list[RoundRecord[N]]) -> tuple[str | None, str | None]:
    """("review", round), ("prep", round), or (None, None) when the role is settled."""
    rounds = [r for r in rounds if r.held]
    if not rounds:
        return "prep", next_round([])
    latest = rounds[-1]
    if latest.preps and not latest.reviews:
        return "review", latest.round
    if latest.outcome in DONE_OUTCOMES:
        return None, None
    return "prep", next_round([r.round for r in rounds])


@dataclass
class RoleRow:
    """One row of `coach list`: a role in one project, its rounds and what comes next."""

    role: str
    project: str
    rounds: list[str]
    notes: int
    latest_round: str
    latest_date: str
    outcome: str | None
    next_action: str | None
    next_round: str | None


def role_rows(notes: Iterable[NoteFacts]) -> list[RoleRow]:
    """One row per (role, project), most recently active first."""
    groups: dict[tuple[str, str], list[NoteFacts]] = {}
    for note in notes:
        groups.setdefault((fold(note.role), fold(note.project)), []).append(note)
    keyed = []
    for group in groups.values():
        first = min(group, key=lambda n: n.created)
        # Most recently active first: the latest callback date, then the latest note written.
        activity = (max(n.date for n in group), max(n.created for n in group))
        every_round = rounds_of(group)
        # A round only drilled so far is not a round yet (unless it is all there is).
        rounds = [r for r in every_round if r.held] or every_round
        action, next_label = next_step(rounds)
        latest = rounds[-1]
        row = RoleRow(
            role=first.role,
            project=first.project,
            rounds=[r.round for r in rounds],
            notes=len(group),
            latest_round=latest.round,
            latest_date=latest.date,
            outcome=latest.outcome,
            next_action=action,
            next_round=next_label,
        )
        keyed.append((activity, row))
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    return [row for _, row in keyed]
