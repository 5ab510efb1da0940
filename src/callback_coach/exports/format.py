"""What every export format is (`NoteFormat`), and what the formats share: the checklists'
titles and prompts looked up once per export (`Prompts`) and a note's export data.

A format writes one note's part of an export (`piece`) and puts the parts together in
order (`document`): an export of any size is written as it is made, memory flat. The
same notes always give the same bytes (stable order, stable keys, no export time), so
exports diff well in git. The formats are registered by name in `exports.formats`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from callback_coach.core.checklist import Catalogue, Checklist
from callback_coach.exports import json_shapes
from callback_coach.exports.notewriter import NoteWriter
from callback_coach.store.notes import Note
from callback_coach.store.yamldump import has_yaml_line_break


class NoteFormat:
    """One export format of notes (and, unless `checklists_too` is False, of checklists)."""

    name: ClassVar[str]
    checklists_too: ClassVar[bool] = True

    def piece(self, note: Note, prompts: Prompts, *, yaml_escapes: bool = False) -> str:
        """One note's part of an export (`yaml_escapes`: see `exports.as_yaml`)."""
        raise NotImplementedError

    def document(self, pieces: Iterable[str]) -> Iterator[str]:
        """The export of the notes whose pieces come in order."""
        raise NotImplementedError

    def checklists(self, checklists: list[Checklist]) -> str:
        """Checklists in this format (`coach export checklists`)."""
        raise NotImplementedError(f"checklists are not exported as {self.name}")

    def notes(self, notes: Iterable[Note], catalogue: Catalogue | Prompts) -> str:
        """A whole export of some notes, as one text."""
        prompts = as_prompts(catalogue)
        return "".join(self.document(self.piece(note, prompts) for note in notes))


class Prompts(json_shapes.Prompts):
    """Checklist titles and question prompts looked up once per export, their Markdown
    forms, and the writer that keeps their encoded forms (`notewriter.NoteWriter`)."""

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        self._md: dict[tuple[str, str | None, bool], str] = {}
        self.writer = NoteWriter(self)

    def md_title(self, cid: str) -> str:
        """The Markdown heading of a checklist."""
        key = (cid, None, False)
        found = self._md.get(key)
        if found is None:
            found = self._md[key] = f"## {md_inline(self.title(cid))}"
        return found

    def md_prompt(self, cid: str, qid: str, first_round: bool = False) -> str:
        """A question's prompt in bold, as a Markdown line (`prompt`)."""
        key = (cid, qid, first_round)
        found = self._md.get(key)
        if found is None:
            found = self._md[key] = f"**{md_inline(self.prompt(cid, qid, first_round))}**"
        return found

    def have_yaml_line_break(self) -> bool:
        """Whether any checklist title or prompt holds a character YAML reads as a line
        break (then every note's export data must be checked for one)."""
        return has_yaml_line_break(
            [c.title for c in self.catalogue.checklists]
            + [q.prompt for c in self.catalogue.checklists for q in c.questions]
            + [q.first_prompt or "" for c in self.catalogue.checklists for q in c.questions]
        )


def as_prompts(catalogue: Catalogue | Prompts) -> Prompts:
    return catalogue if isinstance(catalogue, Prompts) else Prompts(catalogue)


def note_document(note: Note, catalogue: Catalogue | Prompts) -> dict[str, object]:
    """A note as export data: `json_shapes.note_json` (the same as `show --json`)."""
    return json_shapes.note_json(note, as_prompts(catalogue))


_MD_ESCAPES = str.maketrans({**{ch: "\\" + ch for ch in "\\`*_[]<>#|"}, "\r": " ", "\n": " "})


def md_inline(text: str) -> str:
    """Escape the characters that would change how a line of Markdown reads."""
    return text.translate(_MD_ESCAPES)
