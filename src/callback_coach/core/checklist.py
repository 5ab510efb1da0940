"""The checklist model: `Checklist` (a titled list of `Question`s for one phase), the
`Catalogue` of every checklist a coach home has, and what a checklist file may say (its
keys, the card's slots, the form of an id and of a `when`).

Reading files is `checklist_load` (files, the catalogue, checks between files) and
`checklist_parse` (one file's YAML into checklists, every problem with its line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from callback_coach.core.questions import TYPES, Question

QUESTION_TYPES = tuple(TYPES)
PHASES = ("prep", "review")
CHECKLIST_KEYS = ("id", "title", "phase", "version", "intro", "closing", "questions")
QUESTION_KEYS = (
    "id",
    "prompt",
    "help",
    "type",
    "choices",
    "min",
    "max",
    "default",
    "required",
    "recall",
    "first_prompt",
    "card",
    "quick",
    "when",
    "revisit",
    "todo_if",
    "todo",
    "offer",
    "relies_on",
)
# Where an answer goes on the waiting-room card (`coach card`), in the card's order.
CARD_SLOTS = (
    "time",
    "place",
    "want",
    "keep",
    "refresh",
    "work-on",
    "direction",
    "ask",
    "recovery",
    "silent-room",
    "line",
    "anchor",
    "breathing",
    "room",
    "wardrobe",
    "remember",
)
# How the card names each slot, and what only the card shows: the to-dos and the
# off-book figure.
CARD_LABELS = {
    "time": "When",
    "place": "Where",
    "todo": "To do",
    "off-book": "Off book",
    "want": "Want",
    "keep": "Keep",
    "refresh": "Refresh",
    "work-on": "Work on",
    "direction": "Direction",
    "ask": "Unclear? Ask",
    "recovery": "If you slip",
    "silent-room": "Quiet room",
    "line": "Tell yourself",
    "anchor": "Anchor",
    "breathing": "Breathe",
    "room": "In the room",
    "wardrobe": "Wear",
    "remember": "Remember",
}
# How a sentence names a slot's answer ("Your want: to corner him"; "Your way back if you
# slip is empty").
SLOT_NAMES = {
    "time": "call time",
    "place": "place",
    "want": "want",
    "keep": "keep",
    "refresh": "refresh",
    "work-on": "work-on",
    "direction": "direction from last time",
    "ask": "question for an unclear note",
    "recovery": "way back if you slip",
    "silent-room": "line for a quiet room",
    "line": "line to tell yourself",
    "anchor": "anchor",
    "breathing": "breathing",
    "room": "people in the room",
    "wardrobe": "clothes and what to bring",
    "remember": "note to remember",
}
ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")

# The built-ins in the order a full prep asks them (the others follow, by id).
BUILTIN_ORDER = (
    "logistics",
    "refine-intention",
    "prepare-for-redirection",
    "recall-what-worked",
    "mindset",
    "after-the-room",
)


def is_id(value: object) -> TypeGuard[str]:
    """True when `value` is an id: 1 to 64 lower-case letters, digits, `-` or `_`."""
    return isinstance(value, str) and bool(value) and set(value) <= ID_CHARS and len(value) <= 64


def when_text(value: object) -> tuple[str, ...]:
    """The texts a `when` VALUE matches for an answer `value` (case and spacing aside):
    a yes is `yes` or `true`, a no `no` or `false`, anything else its text."""
    if isinstance(value, bool):
        return ("yes", "true") if value else ("no", "false")
    return (" ".join(str(value).split()).casefold(),)


def parse_when(value: object) -> tuple[str, str, str] | None:
    """`medium=self-tape` as ("medium", "=", "self-tape"), `medium!=self-tape` with "!=";
    None when `value` is not such a condition."""
    if not isinstance(value, str):
        return None
    key, op, expected = value.partition("!=")
    if not op:
        key, op, expected = value.partition("=")
    key, expected = key.strip(), expected.strip()
    if not op or not is_id(key) or not expected:
        return None
    return (key, op, expected)


@dataclass(frozen=True)
class Checklist:
    """A titled list of questions for one phase (prep or review)."""

    id: str
    title: str
    phase: str
    version: int
    questions: tuple[Question, ...]
    intro: str | None = None
    # The closing check: asked at the end of every prep; a "not yet" offers to go back
    # to the checklist its question names (`revisit`).
    closing: bool = False
    source: Path | None = field(default=None, compare=False)
    builtin: bool = field(default=True, compare=False)
    # Asked as a role's first round asks it: each `first_prompt` in place of `prompt`
    # (`prep_paths.first_round_version`); its notes say so, and show it so again.
    first_round: bool = False

    def question(self, question_id: str) -> Question | None:
        for q in self.questions:
            if q.id == question_id:
                return q
        return None

    def to_dict(self) -> dict[str, Any]:
        """The checklist as it is written in a checklist file; loads back unchanged."""
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "phase": self.phase,
            "version": self.version,
        }
        if self.intro:
            data["intro"] = self.intro
        if self.closing:
            data["closing"] = True
        data["questions"] = [q.to_dict() for q in self.questions]
        return data


@dataclass(frozen=True)
class Catalogue:
    """All checklists available: built-ins, with the actor's files replacing or adding."""

    checklists: tuple[Checklist, ...]
    # The actor's files that were skipped because they are empty (e.g. a shell redirect
    # that has just created the file), as (path, reason).
    skipped: tuple[tuple[str, str], ...] = ()

    def get(self, checklist_id: str) -> Checklist | None:
        for c in self.checklists:
            if c.id == checklist_id:
                return c
        return None

    def for_phase(self, phase: str) -> list[Checklist]:
        return [c for c in self.checklists if c.phase == phase]

    def ids(self) -> list[str]:
        return [c.id for c in self.checklists]
