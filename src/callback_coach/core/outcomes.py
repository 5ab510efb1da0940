"""Recording how a round went: its outcome, set on the round's note in place.

`record_outcome` takes the coach (a `home.Home`) first: `workflow.Coach` has it as a
method.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from callback_coach.core.home import Home
from callback_coach.core.inputs import check_outcome, check_round
from callback_coach.core.rounds import moment
from callback_coach.errors import NotFoundError, StorageError
from callback_coach.store.facts import NO_OUTCOME
from callback_coach.store.notes import Note, now_iso


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
    note when it has no review. Each change is added to the note's `outcome_history`
    with its time (so the season still counts a stage an outcome replaced reached);
    only the outcome keys change, the rest stays byte for byte. Changes made at the same
    moment by several coaches are all kept."""
    value = check_outcome(outcome)
    role, project_name, found = coach.role(role, project, choose_project)
    held = found.held if found is not None else ()
    if not held:
        raise coach.no_notes(role, project_name)
    if round_label is not None:
        wanted = check_round(round_label)
        record = next((r for r in held if r.label == wanted), None)
        if record is None:
            known = ", ".join(r.label for r in held)
            raise NotFoundError(f"{role!r} has no round {wanted!r} (rounds: {known})")
    else:
        record = held[-1]
    return coach.notes.change(record.target.file, lambda meta: outcome_update(meta, value))


def outcome_update(meta: Mapping[str, object], new: str) -> dict[str, object]:
    """The front-matter keys that record `new` as a note's outcome now: `outcome`, when it
    was set, and the change added to `outcome_history` (none when it is the note's
    outcome already). A hand-written history that is not a list is a StorageError
    (nothing written)."""
    history = meta.get("outcome_history")
    if history is None:
        history = []
    if not isinstance(history, list):
        raise StorageError("its outcome_history is not a list: fix it by hand")
    old = meta.get("outcome")
    last = history[-1] if history and isinstance(history[-1], dict) else {}
    if old == new and (not history or last.get("outcome") == new):
        return {}  # the same outcome again: nothing to record
    # Never before the note's latest change: another device's clock may run ahead, and
    # this change must still be the newest.
    times = [str(e.get("at", "")) for e in history if isinstance(e, dict)]
    at = max([now_iso(), *times], key=moment)
    if not history and isinstance(old, str) and old.strip().lower() not in (*NO_OUTCOME, new):
        # The outcome it had before any change was recorded: kept as its first entry.
        since = meta.get("outcome_updated") or meta.get("created") or ""
        history = [{"outcome": old.strip().lower(), "at": str(since)}]
    return {
        "outcome": new,
        "outcome_updated": at,
        "outcome_history": [*history, {"outcome": new, "at": at}],
    }
