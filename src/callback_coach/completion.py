"""Shell completion from the actor's own data: role names, checklist ids, outcomes.

Imported by the CLI at start-up, so it imports nothing heavy until a completion runs.
"""

from __future__ import annotations


def complete_role(incomplete: str) -> list[str]:
    """Role names from the actor's own notes (shell completion; never fails)."""
    try:
        from callback_coach.index import NoteIndex
        from callback_coach.slugs import fold

        start = fold(incomplete)
        names = {row.role for row in NoteIndex().role_rows()}
        return sorted(n for n in names if fold(n).startswith(start))
    except Exception:  # completion must never print an error into the shell
        return []


def complete_checklist(incomplete: str) -> list[str]:
    """Checklist ids, built-in and the actor's own (shell completion; never fails)."""
    try:
        from callback_coach.workflow import Coach

        return [i for i in Coach.open().catalogue().ids() if i.startswith(incomplete)]
    except Exception:
        return []


def complete_outcome(incomplete: str) -> list[str]:
    from callback_coach.rounds import OUTCOMES

    return [o for o in OUTCOMES if o.startswith(incomplete.lower())]
