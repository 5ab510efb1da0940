"""An actor's history: which notes belong to a role, which project, which round is next."""

from __future__ import annotations

from collections.abc import Iterable

from callback_coach.errors import AmbiguousError
from callback_coach.notes import Note
from callback_coach.rounds import next_round, round_rank
from callback_coach.slugs import fold


def same_name(a: str, b: str) -> bool:
    """Role and project names match case- and accent-insensitively."""
    return fold(a) == fold(b)


def projects_of_role(notes: Iterable[Note], role: str) -> list[str]:
    """The projects this role appears in, with the spelling of their first note."""
    found: dict[str, str] = {}
    for note in sorted(notes, key=lambda n: n.created):
        if same_name(note.role, role):
            found.setdefault(fold(note.project), note.project)
    return list(found.values())


def resolve_project(notes: Iterable[Note], role: str, project: str | None) -> str:
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
    listing = ", ".join(repr(p) if p else "(no project)" for p in known)
    exc = AmbiguousError(f"role {role!r} appears in several projects ({listing}): add --project")
    exc.choices = known  # type: ignore[attr-defined]
    return _raise(exc)


def _raise(exc: Exception) -> str:
    raise exc


def role_notes(notes: Iterable[Note], role: str, project: str) -> list[Note]:
    """The notes of one role in one project, oldest round first."""
    mine = [n for n in notes if same_name(n.role, role) and same_name(n.project, project)]
    return sorted(mine, key=lambda n: (round_rank(n.round), n.created))


def canonical_role(notes: Iterable[Note], role: str) -> str:
    """The spelling of `role` used by its earliest note, or `role` itself."""
    for note in sorted(notes, key=lambda n: n.created):
        if same_name(note.role, role):
            return note.role
    return role.strip()


def next_prep_round(notes: Iterable[Note]) -> str:
    """The round to prepare after the notes of one role (see `rounds.next_round`)."""
    return next_round([n.round for n in notes])
