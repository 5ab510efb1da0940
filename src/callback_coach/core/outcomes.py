"""Recording how a round went: its outcome, set on the round's note in place.

`record_outcome` takes the coach (a `home.Home`) first: `workflow.Coach` has it as a
method.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callback_coach.core.history import rounds_of
from callback_coach.core.home import Home
from callback_coach.core.inputs import check_outcome, check_round
from callback_coach.errors import NotFoundError, StorageError
from callback_coach.store import paths
from callback_coach.store.notes import (
    Note,
    NoteParseError,
    now_iso,
    parse_note,
    read_note,
    set_front_matter,
)


def record_outcome(
    coach: Home,
    role: str,
    outcome: str,
    *,
    project: str | None = None,
    round_label: str | None = None,
    choose_project: Callable[[list[str]], str] | None = None,
) -> Note:
    """Set the outcome of a round (default: the latest) on its review note, or its prep
    note when it has no review. Only the `outcome` keys change (an outcome replaced by
    another is kept under `earlier_outcomes`, so the season still counts the stage it
    reached); the rest stays byte for byte."""
    value = check_outcome(outcome)
    role, project_name, mine = coach.role_and_project(role, project, choose_project)
    rounds = [r for r in rounds_of(mine) if r.held]
    if not rounds:
        raise NotFoundError(
            f"no notes for {role!r}" + (f" in {project_name!r}" if project_name else "")
        )
    if round_label is not None:
        wanted = check_round(round_label)
        record = next((r for r in rounds if r.round == wanted), None)
        if record is None:
            known = ", ".join(r.round for r in rounds)
            raise NotFoundError(f"{role!r} has no round {wanted!r} (rounds: {known})")
    else:
        record = rounds[-1]
    target = record.latest_review or record.latest_prep
    assert target is not None  # a round is made of its notes: it has one at least
    path = paths.notes_dir(coach.home) / target.file
    try:
        # Bytes, decoded without newline translation: "\r\n" must stay "\r\n".
        text = path.read_bytes().decode("utf-8")
        updates: dict[str, Any] = {"outcome": value, "outcome_updated": now_iso()}
        earlier = replaced_outcomes(parse_note(text).meta, value)
        if earlier is not None:
            updates["earlier_outcomes"] = earlier
        new_text = set_front_matter(text, updates)
    except UnicodeDecodeError:
        raise StorageError(f"cannot update {path}: not UTF-8 text") from None
    except NoteParseError as exc:
        raise StorageError(f"cannot update {path}: {exc}") from None
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror or exc}") from None
    note = read_note(path)
    coach.notes.rewrite(note, new_text)
    return read_note(path)


def replaced_outcomes(meta: dict[str, Any], new: str) -> list[str] | None:
    """The note's `earlier_outcomes` once its outcome becomes `new`: the one it had added
    (oldest first), or None when nothing is to change (no outcome before, pending, or the
    same one). A hand-written one outcome counts as a list of one; anything else is a
    NoteParseError (record_outcome: a StorageError, nothing written)."""
    old = meta.get("outcome")
    if not isinstance(old, str) or old.strip().lower() in ("", "pending", new):
        return None
    earlier = meta.get("earlier_outcomes")
    if earlier is None:
        earlier = []
    elif isinstance(earlier, str):  # one written by hand without the list
        earlier = [earlier]
    if not isinstance(earlier, list) or not all(isinstance(o, str) for o in earlier):
        raise NoteParseError("its earlier_outcomes is not a list of outcomes: fix it by hand")
    return [*earlier, old.strip().lower()]
