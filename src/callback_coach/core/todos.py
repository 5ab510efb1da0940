"""What a prep's answers leave to do before the callback: each question that names the
answer which makes a to-do (`todo_if`, `todo` in its checklist) and got that answer.

A round's answers are its preps merged question by question (`core.rounds`), so a later
prep that answers otherwise (the address checked after all) clears the to-do. A blank
answer makes one only for a checklist a prep of the round ran, and only for a question
that was asked (its `when` held). A blank time or place the round knows from elsewhere
(`coach prep --set time=…`, a hand edit: the round's details) is known, not a to-do.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from callback_coach.core.checklist import Catalogue
from callback_coach.core.rounds import Round
from callback_coach.core.session import condition_holds
from callback_coach.store.facts import DETAIL_QUESTIONS, is_answered
from callback_coach.store.slugs import fold

# Each question id a round detail comes from, with that detail's key.
_DETAIL_OF = {qid: key for key, qids in DETAIL_QUESTIONS.items() for qid in qids}

# How many hex digits an id has (a follow-up's or a to-do's).
ID_LENGTH = 7


def short_id(*parts: str) -> str:
    """A short id that stays the same from run to run for the same parts."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:ID_LENGTH]


@dataclass(frozen=True)
class Todo:
    """A to-do a round's answers leave: its words and the question that made it."""

    checklist: str
    question: str
    text: str

    def id(self, record: Round) -> str:
        """Its id (as `coach follow-ups done` takes it) in the round `record`."""
        parts = (fold(record.role), fold(record.project), record.label, self.checklist)
        return short_id(*parts, self.question, "todo")


def round_todos(record: Round, catalogue: Catalogue) -> list[Todo]:
    """The to-dos of one round (built with its answers), in checklist order."""
    answers = record.answers
    ran = {cid for note in record.preps for cid in note.checklists} | set(answers)
    details = dict(record.details)
    found = []
    for checklist in catalogue.checklists:
        if checklist.phase != "prep" or checklist.id not in ran:
            continue
        for question in checklist.questions:
            if question.todo_if is None or not question.todo:
                continue
            if not condition_holds(question.when, answers, details):
                continue
            value = answers.get(checklist.id, {}).get(question.id)
            if question.id in _DETAIL_OF and not is_answered(value):
                value = details.get(_DETAIL_OF[question.id], value)
            if question.leads_to_todo(value):
                found.append(Todo(checklist.id, question.id, question.todo))
    return found


def done_map(record: Round) -> dict[str, str]:
    """What is recorded done in a round's notes (`follow_ups_done`: id -> day)."""
    done: dict[str, str] = {}
    for note in record.notes:
        value: object = note.follow_ups_done
        if isinstance(value, dict):
            done.update({str(k).strip().lower(): str(v) for k, v in value.items()})
    return done


def open_todos(record: Round, catalogue: Catalogue) -> list[Todo]:
    """The round's to-dos not recorded done."""
    done = done_map(record)
    return [todo for todo in round_todos(record, catalogue) if todo.id(record) not in done]
