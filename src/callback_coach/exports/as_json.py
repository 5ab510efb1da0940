"""The JSON export: `json_shapes.notes_json` (schemas/notes-export), made with the C
string encoder in the documented layout (the text `json.dumps(..., indent=2)` gives for
the whole document), a note at a time."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from callback_coach.core.checklist import Catalogue, Checklist
from callback_coach.exports import json_shapes
from callback_coach.exports.format import NoteFormat, Prompts, as_prompts
from callback_coach.exports.json_shapes import NOTES_FORMAT
from callback_coach.store.notes import Note


class Json(NoteFormat):
    name = "json"

    def piece(self, note: Note, prompts: Prompts, *, yaml_escapes: bool = False) -> str:
        return prompts.writer.note_json_text(note)

    def document(self, pieces: Iterable[str]) -> Iterator[str]:
        return json_document(pieces)

    def checklists(self, checklists: list[Checklist]) -> str:
        return checklists_json(checklists)


def note_json(note: Note, prompts: Catalogue | Prompts) -> str:
    """`note_document(note)` as its export JSON, indented as one of the notes list: the
    same text `json.dumps(..., indent=2)` writes there (`notewriter`)."""
    return as_prompts(prompts).writer.note_json_text(note)


def json_chunks(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> Iterator[str]:
    prompts = as_prompts(catalogue)
    return json_document(prompts.writer.note_json_text(note) for note in notes)


def json_document(pieces: Iterable[str]) -> Iterator[str]:
    """The JSON export around its notes' pieces (`note_json`), in order."""
    yield '{\n  "format": ' + str(NOTES_FORMAT) + ',\n  "notes": ['
    separator = "\n    "
    for piece in pieces:
        yield separator + piece
        separator = ",\n    "
    yield "]\n}\n" if separator == "\n    " else "\n  ]\n}\n"


def notes_json(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> str:
    """The notes as one JSON document (json_shapes.notes_json; schemas/notes-export)."""
    return "".join(json_chunks(notes, catalogue))


def checklists_json(checklists: list[Checklist]) -> str:
    data = json_shapes.checklists_json(checklists)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
