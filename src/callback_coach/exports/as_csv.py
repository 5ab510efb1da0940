"""The CSV export: one row per answer, every cell a spreadsheet shows as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from callback_coach.core.answers import format_answer
from callback_coach.core.checklist import Catalogue
from callback_coach.exports.format import NoteFormat, Prompts, as_prompts
from callback_coach.exports.json_shapes import answered
from callback_coach.store.notes import Note

CSV_COLUMNS = (
    "role",
    "project",
    "round",
    "kind",
    "date",
    "checklist",
    "question_id",
    "question",
    "answer",
)
# A spreadsheet runs a cell starting with one of these as a formula (or strips it).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Csv(NoteFormat):
    name = "csv"
    checklists_too = False  # a checklist is no table

    def piece(self, note: Note, prompts: Prompts, *, yaml_escapes: bool = False) -> str:
        return note_csv(note, prompts)

    def document(self, pieces: Iterable[str]) -> Iterator[str]:
        return csv_document(pieces)


def inert(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading apostrophe before anything that
    would start a formula (and before a leading apostrophe, so removing one is exact)."""
    return "'" + cell if cell.startswith((*FORMULA_STARTS, "'")) else cell


def csv_chunks(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> Iterator[str]:
    prompts = as_prompts(catalogue)
    return csv_document(note_csv(note, prompts) for note in notes)


def csv_document(pieces: Iterable[str]) -> Iterator[str]:
    """The CSV export: its header, then its notes' rows (`note_csv`), in order."""
    yield ",".join(CSV_COLUMNS) + "\r\n"  # plain words: no quoting needed
    yield from pieces


def note_csv(note: Note, prompts: Prompts) -> str:
    """The CSV rows of one note: one per answer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    role, project, round_label, kind, date = (
        note.role,
        note.project,
        note.round,
        note.kind,
        note.date,
    )
    first_round = note.first_round
    for cid, answers in note.answers.items():
        for qid, value in answered(answers):
            row = [
                role,
                project,
                round_label,
                kind,
                date,
                cid,
                qid,
                prompts.prompt(cid, qid, cid in first_round),
                format_answer(value),
            ]
            writer.writerow([inert(cell) if type(cell) is str else cell for cell in row])
    return buffer.getvalue()


def notes_csv(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> str:
    return "".join(csv_chunks(notes, catalogue))
