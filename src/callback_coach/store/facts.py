"""What one note says about its round, as plain data: `NoteFacts`.

Every view of a round (`core.rounds`) is built from these, never from a note's front
matter directly. They are a pure function of a note (`facts_of`), so the index computes
them once when it reads the note and keeps them (`to_row`/`from_row`, a JSON list).

A note's answers are most of its size: the facts the index keeps leave them out, and a
round built from those knows everything but its answers (`NoteFacts.answers` is None).
Facts made from the full note carry them.

Details a round may record (`medium`, `casting_office`, `time`, `place`) come from an
answer whose question id is one of `DETAIL_QUESTIONS` (in any checklist), else from the
front-matter key of the same name (see docs/notes.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from callback_coach.store.notes import FIRST_DAY, LAST_DAY, Note

# Front-matter key -> the question ids whose answer gives it (the answer wins).
DETAIL_QUESTIONS: dict[str, tuple[str, ...]] = {
    "medium": ("medium",),
    "casting_office": ("casting-office", "casting_office"),
    "time": ("time", "call-time"),
    "place": ("place", "address", "location"),
}
# Question ids whose answers in a review are follow-ups.
FOLLOW_UP_QUESTIONS = ("follow-up", "follow-ups")
# The outcome values that mean "no news yet".
NO_OUTCOME = ("", "pending")

# A note's answers by checklist and question id, as read from it (an answer is text, a
# number, yes/no, a list of them, or None: whatever the file holds, until checked).
Answers = Mapping[str, Mapping[str, object]]
# JSON data as the coach writes it (what `json.dumps` takes): read-only shapes, so that a
# dict[str, int] or a tuple of texts is JSON too.
Json: TypeAlias = bool | int | float | str | Sequence["Json"] | Mapping[str, "Json"] | None


@dataclass(frozen=True, slots=True)
class OutcomeChange:
    """One outcome a note recorded, and when (an ISO time; "" when the note did not
    say: outcomes kept by older versions of the coach have no time)."""

    outcome: str
    at: str


@dataclass(frozen=True, slots=True)
class NoteFacts:
    """What one note tells about its round: plain data, read once."""

    file: str
    kind: str
    role: str
    project: str
    round: str
    date: str  # YYYY-MM-DD, or "" when the note has none
    created: str
    # Every outcome the note recorded, oldest first (its current one last).
    outcomes: tuple[OutcomeChange, ...] = ()
    details: Mapping[str, str] = field(default_factory=dict)
    # (checklist id, question id, answer) of the follow-up questions, in a review.
    follow_up_answers: tuple[tuple[str, str, Json], ...] = ()
    # The front matter's own follow-up keys, as written (checked in season.followups).
    follow_ups: Json = None
    follow_ups_done: Json = None
    # The checklists the session that wrote the note ran (answered or not).
    checklists: tuple[str, ...] = ()
    # The note's answers: None in the facts the index keeps (see the module's docstring).
    answers: Answers | None = None

    @property
    def outcome(self) -> str | None:
        """The note's current outcome (None: none, or pending)."""
        if not self.outcomes:
            return None
        latest = self.outcomes[-1].outcome
        return None if latest in NO_OUTCOME else latest

    @property
    def stamp(self) -> str:
        """When the note last changed: its creation or its latest outcome."""
        return max([self.created, *(c.at for c in self.outcomes)])

    def to_row(self) -> list[Json]:
        """The facts without the answers as a JSON-ready list (`from_row` reads it)."""
        return [
            self.file, self.kind, self.role, self.project, self.round, self.date,
            self.created, [[c.outcome, c.at] for c in self.outcomes], dict(self.details),
            [list(item) for item in self.follow_up_answers], self.follow_ups,
            self.follow_ups_done, list(self.checklists),
        ]  # fmt: skip

    @classmethod
    def from_row(cls, row: object) -> NoteFacts:
        """The facts `to_row` gave; ValueError or TypeError when `row` is not that."""
        if type(row) is not list or len(row) != 13:
            raise ValueError("not a row of note facts")
        file, kind, role, project, label, date, created, outcomes, details = row[:9]
        texts = (file, kind, role, project, label, date, created)
        if not all(type(t) is str for t in texts) or type(details) is not dict:
            raise ValueError("not a row of note facts")
        return cls(
            file, kind, role, project, label, date, created,
            tuple(OutcomeChange(str(o), str(at)) for o, at in outcomes),
            details, tuple((str(c), str(q), a) for c, q, a in row[9]), row[10], row[11],
            tuple(str(c) for c in row[12]),
        )  # fmt: skip


def note_details(note: Note) -> dict[str, str]:
    """The details a note records (`DETAIL_QUESTIONS`: medium, casting office, time,
    place), each on one line: from its answer, else from the front-matter key."""
    answers = note.answers
    details: dict[str, str] = {}
    for key, question_ids in DETAIL_QUESTIONS.items():
        value = _answer(answers, question_ids)
        if value is None:
            value = _detail_text(key, note.meta.get(key))
        if value:
            details[key] = value
    return details


def facts_of(note: Note, file: str) -> NoteFacts:
    """The facts of one note, answers included (pure)."""
    meta = note.meta
    answers = note.answers
    details = note_details(note)
    follow_up_answers: list[tuple[str, str, Json]] = []
    if note.kind == "review":
        for cid, values in answers.items():
            for qid in FOLLOW_UP_QUESTIONS:
                if qid in values and values[qid] is not None:
                    follow_up_answers.append((cid, qid, plain_data(values[qid])))
    return NoteFacts(
        file=file,
        kind=note.kind,
        role=note.role,
        project=note.project,
        round=note.round,
        date=iso_day(note.date),
        created=note.created,
        outcomes=outcome_history(meta, note.created),
        details=details,
        follow_up_answers=tuple(follow_up_answers),
        follow_ups=plain_data(meta.get("follow_ups")),
        follow_ups_done=plain_data(meta.get("follow_ups_done")),
        checklists=checklists_run(meta),
        answers=answers,
    )


def checklists_run(meta: Mapping[str, object]) -> tuple[str, ...]:
    """The ids of the checklists a note's front matter lists (`checklists`)."""
    found = meta.get("checklists")
    entries = found if isinstance(found, list) else []
    return tuple(
        entry["id"]
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("id"), str)
    )


def outcome_history(meta: Mapping[str, object], created: str) -> tuple[OutcomeChange, ...]:
    """Every outcome a note's front matter records, oldest first.

    `outcome_history` lists each change `coach outcome` made ({outcome, at}); older
    notes have `earlier_outcomes` (a list of outcomes without times) instead. The
    current `outcome` comes last; when the history does not end with it (a note saved
    with its outcome, or edited by hand), it is added, at `outcome_updated` (else when
    the note was created)."""
    changes: list[OutcomeChange] = []
    earlier = meta.get("earlier_outcomes")
    for value in earlier if isinstance(earlier, list) else [earlier]:
        outcome = _outcome_text(value)
        if outcome:
            changes.append(OutcomeChange(outcome, ""))
    history = meta.get("outcome_history")
    for entry in history if isinstance(history, list) else []:
        if isinstance(entry, dict):
            outcome = _outcome_text(entry.get("outcome"))
            if outcome:
                changes.append(OutcomeChange(outcome, _time_text(entry.get("at"))))
    current = _outcome_text(meta.get("outcome"))
    # A note saved with no news says `outcome: pending`: that is no change, unless it
    # replaced an outcome the note had.
    if current in NO_OUTCOME and not changes:
        current = ""
    if current and (not changes or changes[-1].outcome != current):
        updated = _time_text(meta.get("outcome_updated"))
        changes.append(OutcomeChange(current, updated or str(created or "")))
    return tuple(changes)


def _outcome_text(value: object) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


def _time_text(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value.strip() if isinstance(value, str) else ""


def plain_data(value: object) -> Json:
    """`value` as JSON data (dates as ISO text, keys as text), so facts read from a note
    and facts read back from the index are the same."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_data(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def iso_day(text: str) -> str:
    """The day `text` starts with (its first ten characters), as YYYY-MM-DD; "" when
    they are not a real day."""
    text = text.strip()[:10]
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return ""
    return day.isoformat() if FIRST_DAY <= day <= LAST_DAY else ""


def answer_text(value: object) -> str:
    """An answer as a person reads it: yes/no, a list joined by commas, text as written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def is_answered(value: object) -> bool:
    """True when a value counts as an answer (the `required` rule): not nothing, not
    blank text, not an empty list."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple)):
        return bool(value)
    return True


def one_line(value: object) -> str | None:
    """An answer or front-matter value as one line of text (None when there is none)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        parts = [t for t in (one_line(v) for v in value) if t]
        return ", ".join(parts) or None
    if isinstance(value, (str, int, float)):
        text = " ".join(str(value).split())
        return text or None
    return None


def _detail_text(key: str, value: object) -> str | None:
    # YAML reads an unquoted `time: 14:30` as the base-60 number 870: give the time back.
    if key == "time" and type(value) is int and 0 <= value < 24 * 60:
        return f"{value // 60}:{value % 60:02d}"
    return one_line(value)


def _answer(answers: Answers, question_ids: tuple[str, ...]) -> str | None:
    for values in answers.values():
        for qid in question_ids:
            text = one_line(values.get(qid))
            if text:
                return text
    return None
