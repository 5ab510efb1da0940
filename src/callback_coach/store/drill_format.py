"""How a drill note's answers are named: the drill's own checklist, its question ids
(`note-2`, `note-2-said-back`, `note-2-change`) and how `show` and exports label them."""

from __future__ import annotations

import re

CHECKLIST_ID = "drill"
TITLE = "Drill"
LABELS = {None: "Director's note", "said-back": "said back", "change": "what you will change"}
_QID = re.compile(r"^note-([1-9][0-9]*)(?:-(said-back|change))?$")


def parse_qid(question_id: str) -> tuple[int, str | None] | None:
    """(note number, part) of a drill question id: part is None for the note itself."""
    match = _QID.match(question_id)
    if match is None:
        return None
    return int(match.group(1)), match.group(2)


def is_drill_note(checklist_id: str, question_id: str) -> bool:
    """Whether an answer is a drill's director's note itself (the coach drew it; the
    actor's answers are what they said back and what they will change)."""
    parsed = parse_qid(question_id) if checklist_id == CHECKLIST_ID else None
    return parsed is not None and parsed[1] is None


def prompt_for(checklist_id: str, question_id: str) -> str | None:
    """How a drill answer is labelled in `show` and exports ("Note 2, said back")."""
    if checklist_id != CHECKLIST_ID:
        return None
    parsed = parse_qid(question_id)
    if parsed is None:
        return None
    number, part = parsed
    if part is None:
        return f"Director's note {number}"
    return f"Note {number}, {LABELS[part]}"


def title_for(checklist_id: str) -> str | None:
    return TITLE if checklist_id == CHECKLIST_ID else None
