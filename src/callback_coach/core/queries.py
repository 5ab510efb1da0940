"""Reading the notes back: the roles (filtered, counted), the unfinished sessions, a
role's timeline, and search over what was written.

Each function takes the coach (a `home.Home`) first: `workflow.Coach` has the public ones
as methods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from callback_coach.core.home import Home
from callback_coach.core.inputs import check_outcome, check_round, parse_date
from callback_coach.core.rounds import Round, same_name
from callback_coach.errors import NotFoundError, UsageError
from callback_coach.store.drafts import Draft
from callback_coach.store.facts import NoteFacts
from callback_coach.store.index import NoteRow, RoleSummary
from callback_coach.store.notes import Note


def list_roles(
    coach: Home,
    *,
    role: str | None = None,
    project: str | None = None,
    outcome: str | None = None,
    since: str | None = None,
    limit: int | None = None,
) -> list[RoleSummary]:
    """One row per role, most recently active first, filtered as asked (the first
    `limit` rows; `count_roles` says how many there are in all)."""
    filters = _role_filters(coach, role, project, outcome, since)
    index = coach.index
    rows = index.roles(**filters, limit=limit)
    coach.warn_unreadable(index)
    return rows


def count_roles(
    coach: Home,
    *,
    role: str | None = None,
    project: str | None = None,
    outcome: str | None = None,
    since: str | None = None,
) -> int:
    """How many rows `list_roles` gives with the same filters and no limit."""
    return coach.index.count_roles(**_role_filters(coach, role, project, outcome, since))


def _role_filters(
    coach: Home, role: str | None, project: str | None, outcome: str | None, since: str | None
) -> dict[str, str | None]:
    return {
        "role": role,
        "project": project,
        "outcome": check_outcome(outcome) if outcome is not None else None,
        "since": parse_date(since, coach.day()) if since is not None else None,
    }


def unfinished(
    coach: Home, *, role: str | None = None, project: str | None = None, since: str | None = None
) -> list[Draft]:
    """Every unfinished session (its draft), newest first: of `role` and `project` when
    given, and dated on or after `since`."""
    since_date = parse_date(since, coach.day()) if since is not None else None
    drafts = coach.drafts.all()
    if role is not None:
        drafts = [d for d in drafts if same_name(d.role, role)]
    if project is not None:
        drafts = [d for d in drafts if same_name(d.project, project)]
    if since_date is not None:
        drafts = [d for d in drafts if d.date >= since_date]
    return drafts


@dataclass
class Timeline:
    """A role round by round, with the whole notes of each round (`coach show`)."""

    role: str
    project: str
    rounds: list[Round]
    notes: dict[str, Note]  # by file

    def whole(self, facts: Iterable[NoteFacts]) -> list[Note]:
        """The whole notes of some of the rounds' notes (any that vanished left out)."""
        return [self.notes[f.file] for f in facts if f.file in self.notes]


def timeline(
    coach: Home,
    role: str,
    *,
    project: str | None = None,
    round_label: str | None = None,
    choose_project: Callable[[list[str]], str] | None = None,
) -> Timeline:
    """A role's rounds with their whole notes, in order (one round with `round_label`)."""
    name, project_name, found = coach.role(role, project, choose_project, answers=True)
    if found is None:
        raise coach.no_notes(name, project_name)
    rounds = list(found.rounds)
    if round_label is not None:
        wanted = check_round(round_label)
        rounds = [r for r in rounds if r.label == wanted]
        if not rounds:
            raise NotFoundError(f"{name!r} has no round {wanted!r}")
    files = [n.file for r in rounds for n in r.notes]
    notes = {note.file: note for note in coach.iter_files(files)}
    return Timeline(name, project_name, rounds, notes)


def search(coach: Home, text: str, *, role: str | None = None) -> list[tuple[NoteRow, str, str]]:
    """Every answer or body line containing `text` (case-insensitive), in note order."""
    return list(iter_search(coach, text, role=role))


def iter_search(
    coach: Home, text: str, *, role: str | None = None
) -> Iterator[tuple[NoteRow, str, str]]:
    """`search`, one match at a time."""
    if not text.strip():
        raise UsageError("the search text is empty")
    index = coach.index
    coach.warn_unreadable(index)
    hits = index.iter_search(text)
    if role is None:
        return hits
    return (hit for hit in hits if same_name(hit[0].role, role))
