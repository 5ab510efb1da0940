"""The Markdown export: a clean printable document per note; checklists as a printable
worksheet with room to write."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from callback_coach.core.answers import format_answer
from callback_coach.core.checklist import Catalogue, Checklist
from callback_coach.exports.format import NoteFormat, Prompts, as_prompts, md_inline
from callback_coach.exports.json_shapes import answered
from callback_coach.store.notes import Note, own_text


class Markdown(NoteFormat):
    name = "md"

    def piece(self, note: Note, prompts: Prompts, *, yaml_escapes: bool = False) -> str:
        return note_markdown(note, prompts)

    def document(self, pieces: Iterable[str]) -> Iterator[str]:
        return markdown_document(pieces)

    def checklists(self, checklists: list[Checklist]) -> str:
        return checklists_markdown(checklists)


def quote_block(text: str) -> str:
    """Text as a Markdown block quote, every line kept: an empty line is a bare ">", and
    a line followed by another in the same paragraph ends in two spaces (a hard line
    break: without it a renderer joins the lines into one)."""
    if "\n" not in text:
        return "> " + text if text else ">"
    lines = text.split("\n")
    quoted = [
        ">"
        if not line
        else f"> {line}  "
        if number + 1 < len(lines) and lines[number + 1]
        else f"> {line}"
        for number, line in enumerate(lines)
    ]
    return "\n".join(quoted)


def note_markdown(note: Note, catalogue: Catalogue | Prompts) -> str:
    """A clean printable document: a title, a heading per checklist, each question
    followed by its answer (answers are block quotes, so they print as written)."""
    prompts = as_prompts(catalogue)
    title = " — ".join(part for part in (note.role, note.project) if part)
    detail = " · ".join(part for part in (note.round, note.kind, note.date) if part)
    if note.outcome:
        detail += f" · outcome: {note.outcome}"
    lines = [f"# {md_inline(title)}", "", f"*{md_inline(detail)}*", ""]
    first_round = note.first_round
    for cid, answers in note.answers.items():
        shown = [(qid, format_answer(value)) for qid, value in answered(answers)]
        if not shown:
            continue
        lines += [prompts.md_title(cid), ""]
        for qid, text in shown:
            lines += [prompts.md_prompt(cid, qid, cid in first_round), "", quote_block(text), ""]
    mine = own_text(note.body)
    if mine:
        lines += ["## Your notes", "", quote_block(mine), ""]
    return "\n".join(lines)


def markdown_chunks(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> Iterator[str]:
    prompts = as_prompts(catalogue)
    return markdown_document(note_markdown(note, prompts) for note in notes)


def markdown_document(pieces: Iterable[str]) -> Iterator[str]:
    """The Markdown export: its notes' pieces (`note_markdown`) between rules, in order."""
    separator = ""
    for piece in pieces:
        yield separator + piece
        separator = "\n---\n\n"


def notes_markdown(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> str:
    return "".join(markdown_chunks(notes, catalogue))


def checklist_markdown(checklist: Checklist) -> str:
    """A printable worksheet with room to write."""
    lines = [f"# {md_inline(checklist.title)}", ""]
    if checklist.intro:
        lines += [f"*{md_inline(checklist.intro)}*", ""]
    numbers = {q.id: n for n, q in enumerate(checklist.questions, start=1)}
    for number, q in enumerate(checklist.questions, start=1):
        lines += [f"**{number}. {md_inline(q.prompt)}**", ""]
        if q.when:
            key, test, value = q.when
            verb = "is" if test == "=" else "is not"
            # On paper, a question of this sheet is named by its number.
            what = f"your answer to question {numbers[key]}" if key in numbers else key
            lines += [f"*Only when {md_inline(what)} {verb} {md_inline(value)}.*", ""]
        if q.first_prompt:
            lines += [f"*Before a first callback: {md_inline(q.first_prompt)}*", ""]
        if q.help:
            lines += [f"*{md_inline(q.help)}*", ""]
        # Ticks, marks, a scale to circle, or lines to write on (a line of underscores is
        # a Markdown rule: a line to write on, raw or rendered).
        lines += q.kind.worksheet(q, md_inline)
    return "\n".join(lines)


def checklists_markdown(checklists: list[Checklist]) -> str:
    return "\n---\n\n".join(checklist_markdown(c) for c in checklists)
