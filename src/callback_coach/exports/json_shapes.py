"""The JSON documents the coach prints (`--json`) and exports, one function per shape.

Each shape is documented in docs/scripting.md ("JSON output") and has a JSON Schema file in
`schemas/` that the tests check real output against. A document carries its own `format`
number, raised only when its shape changes. A note has one JSON shape wherever it appears
(`show --json` and `export notes`), built by `note_json`.

Pure functions over the core's objects; `json_safe` makes any value read from YAML into
something JSON can hold.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from callback_coach.core.answers import format_answer, is_given, json_safe
from callback_coach.core.checklist import Catalogue, Checklist
from callback_coach.core.hints import resume
from callback_coach.core.queries import Timeline
from callback_coach.store.drill_format import prompt_for, title_for
from callback_coach.store.facts import note_details, outcome_history
from callback_coach.store.notes import NOTE_KEYS, Note
from callback_coach.store.slugs import fold

if TYPE_CHECKING:
    from callback_coach.lines import OffBook
    from callback_coach.store.drafts import Draft
    from callback_coach.store.index import NoteRow, RoleSummary

# `format` of each document: raised when that document's shape changes.
LIST_FORMAT = 4  # 4: `offbook`; 3: unfinished `drafts`; 2: `outcome` "pending" until recorded
SHOW_FORMAT = 4  # 4: a note's `earlier_outcomes`; 3: a note's `path`; 2: notes in the shape of `note_json` (was answers by id)
SEARCH_FORMAT = 1
NOTES_FORMAT = 4  # 4: a note's `earlier_outcomes`; 3: a note's `path`; 2: coach keys out of `extra`, outcome "pending"
CHECKLISTS_FORMAT = 1

# Front-matter keys the coach writes besides NOTE_KEYS: each has its own field in a note's
# JSON. `extra` holds only the keys the actor added.
DETAIL_KEYS = (
    "outcome_updated",
    "earlier_outcomes",
    "prep_note",
    "path",
    "medium",
    "casting_office",
    "people_met",
)
PENDING = "pending"  # the outcome of a round or note that has none recorded yet


def answer_json(value: object) -> str | bool | int | list[str]:
    """An answer as JSON: text, true/false, a whole number, or a list of texts. Every other
    value a hand edit left in a note is given as the text a person would read."""
    if isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, (list, tuple)):
        texts = [v for v in value if isinstance(v, str)]
        if len(texts) == len(value):
            return texts
    return format_answer(json_safe(value))


def answered(answers: Mapping[str, object]) -> list[tuple[str, object]]:
    """The questions of one checklist that have an answer, in the note's order (a question
    left blank is not an answer, in any note however it was written; a multiselect with
    nothing ticked is one: none of these)."""
    return [(str(qid), value) for qid, value in answers.items() if is_given(value)]


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    return format_answer(json_safe(value))


def _texts(value: object) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    return [text for text in map(_text, items) if text is not None]


class Prompts:
    """Checklist titles and question prompts (a drill's own for drill answers), each
    looked up once: give one to `note_json` when writing many notes."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._checklists: dict[str, Checklist | None] = {}
        self._titles: dict[str, str] = {}
        self._prompts: dict[tuple[str, str, bool], str] = {}

    def get(self, cid: str) -> Checklist | None:
        """The checklist `cid`, or None."""
        try:
            return self._checklists[cid]
        except KeyError:
            found = self._checklists[cid] = self.catalogue.get(cid)
            return found

    def title(self, cid: str) -> str:
        title = self._titles.get(cid)
        if title is None:
            title = self._titles[cid] = checklist_title(self.get(cid), cid)
        return title

    def prompt(self, cid: str, qid: str, first_round: bool = False) -> str:
        """The question's prompt (its `first_prompt` when the note asked the checklist
        with its first-round wording), or its id when the checklist does not know it."""
        key = (cid, qid, first_round)
        prompt = self._prompts.get(key)
        if prompt is None:
            prompt = self._prompts[key] = question_prompt(self.get(cid), qid, cid, first_round)
        return prompt


def note_json(note: Note, catalogue: Catalogue | Prompts) -> dict[str, object]:
    """A note: where it is, what it is about, the coach's details, every answer with its
    question, the actor's own text, and the front-matter keys the actor added.

    Built from `note_head`, `note_checklists` and `note_extra` (notewriter.py writes the
    same document straight to text from them)."""
    prompts = catalogue if isinstance(catalogue, Prompts) else Prompts(catalogue)
    document = note_head(note)
    first_round = note.first_round
    document["checklists"] = [
        {
            "id": cid,
            "title": prompts.title(cid),
            "version": version,
            "answers": [
                {
                    "id": qid,
                    "prompt": prompts.prompt(cid, qid, cid in first_round),
                    "answer": answer_json(value),
                }
                for qid, value in answered(answers)
            ],
        }
        for cid, version, answers in note_checklists(note)
    ]
    document["body"] = note.body
    document["extra"] = note_extra(note)
    return document


def note_head(note: Note) -> dict[str, object]:
    """The fields of a note's document before its checklists."""
    meta = note.meta
    details = note_details(note)
    return {
        "file": note.path.name if note.path else None,
        "kind": note.kind if note.kind in ("review", "drill") else "prep",
        "role": note.role,
        "project": note.project,
        "round": note.round,
        "date": note.date or None,
        "created": note.created or None,
        "outcome": note.outcome or PENDING,
        "outcome_updated": _text(meta.get("outcome_updated")),
        "earlier_outcomes": earlier_outcomes(note),
        "prep_note": _text(meta.get("prep_note")),
        "path": _text(meta.get("path")),
        "medium": details.get("medium"),
        "casting_office": details.get("casting_office"),
        "people_met": _texts(meta.get("people_met")),
    }


def earlier_outcomes(note: Note) -> list[str]:
    """The outcomes a note had before its current one, oldest first (as its outcome
    history and an older note's `earlier_outcomes` record them)."""
    changes = [c.outcome for c in outcome_history(note.meta, note.created)]
    current = (note.outcome or "").strip().lower()
    return changes[:-1] if changes and changes[-1] == current else changes


def note_checklists(note: Note) -> list[tuple[str, int | None, Mapping[str, object]]]:
    """(checklist id, its version, its answers as written) for each checklist of a note:
    those its front matter lists, in order, then any other it has answers for."""
    versions: dict[str, int | None] = {}
    for entry in note.meta.get("checklists") or []:
        if isinstance(entry, dict) and entry.get("id") is not None:
            version = entry.get("version")
            ok = isinstance(version, int) and not isinstance(version, bool)
            versions[str(entry["id"])] = version if ok else None
    answers = note.answers
    return [
        (cid, versions.get(cid), answers.get(cid, {}))
        for cid in [*versions, *(c for c in answers if c not in versions)]
    ]


def note_extra(note: Note) -> object:
    """The front-matter keys the actor added (as JSON data)."""
    return json_safe({k: v for k, v in note.meta.items() if k not in _NOT_EXTRA})


_NOT_EXTRA = frozenset((*NOTE_KEYS, *DETAIL_KEYS))


def question_prompt(
    checklist: Checklist | None, qid: str, cid: str = "", first_round: bool = False
) -> str:
    """The prompt of a question (its `first_prompt` when asked with the first-round
    wording and it has one; a drill's own label for drill answers), or its id when the
    checklist no longer has it."""
    question = checklist.question(qid) if checklist else None
    if question is None:
        return prompt_for(cid, qid) or qid
    return (first_round and question.first_prompt) or question.prompt


def checklist_title(checklist: Checklist | None, cid: str) -> str:
    """A checklist's title (a drill's for drill answers), or its id."""
    return checklist.title if checklist else title_for(cid) or cid


def list_json(
    rows: Iterable[RoleSummary],
    drafts: Iterable[Draft] = (),
    offbook: Mapping[tuple[str, str], OffBook] | None = None,
) -> dict[str, object]:
    """`coach list --json`: one entry per role, most recently active first, with how
    off-book the actor is in its sides (`offbook`, by folded role and project: see
    lines.every_offbook); then every unfinished session (draft), newest first."""
    figures = offbook or {}

    def figure(row: RoleSummary) -> dict[str, int] | None:
        found = figures.get((fold(row.role), fold(row.project)))
        return None if found is None else found.to_json()

    return {
        "format": LIST_FORMAT,
        "roles": [
            {
                "role": row.role,
                "project": row.project,
                "rounds": list(row.rounds),
                "notes": row.notes,
                "latest_round": row.latest_round,
                "latest_date": row.latest_date or None,
                "outcome": row.outcome or PENDING,
                "next": {"action": row.next_action, "round": row.next_round}
                if row.next_action
                else None,
                "offbook": figure(row),
            }
            for row in rows
        ],
        "drafts": [draft_json(draft) for draft in drafts],
    }


def draft_json(draft: Draft) -> dict[str, object]:
    """An unfinished session: what it is, how far it got, and the command to resume it."""

    return {
        "kind": draft.kind,
        "role": draft.role,
        "project": draft.project,
        "round": draft.round,
        "date": draft.date or None,
        "path": draft.path_taken(),
        "answers": draft.count(),
        "started": draft.started or None,
        "hint": resume(draft),
    }


def timeline_json(found: Timeline, catalogue: Catalogue) -> dict[str, object]:
    """`coach show ROLE --json`: the role round by round, each with its notes."""
    prompts = Prompts(catalogue)
    return {
        "format": SHOW_FORMAT,
        "role": found.role,
        "project": found.project,
        "rounds": [
            {
                "round": r.label,
                "date": r.date or None,
                "outcome": r.outcome or PENDING,
                "preps": [note_json(n, prompts) for n in found.whole(r.preps)],
                "reviews": [note_json(n, prompts) for n in found.whole(r.reviews)],
                "drills": [note_json(n, prompts) for n in found.whole(r.drills)],
            }
            for r in found.rounds
        ],
    }


def search_match(summary: NoteRow, where: str, line: str) -> dict[str, object]:
    """One match of `coach search TEXT --json`: the line and where it is."""
    return {
        "role": summary.role,
        "project": summary.project,
        "round": summary.round,
        "kind": summary.kind if summary.kind in ("review", "drill") else "prep",
        "date": summary.date or None,
        "file": summary.file,
        "where": where,
        "line": line,
    }


def search_json(text: str, hits: Iterable[tuple[NoteRow, str, str]]) -> dict[str, object]:
    """`coach search TEXT --json`: every matching line and where it is, how many matched
    in all (`total`) and whether some were left out by `--limit` (`truncated`)."""
    matches = [search_match(*hit) for hit in hits]
    return {
        "format": SEARCH_FORMAT,
        "query": text,
        "matches": matches,
        "total": len(matches),
        "truncated": False,
    }


def search_json_chunks(
    text: str, shown: Iterable[tuple[NoteRow, str, str]], rest: Iterable[object] = ()
) -> Iterator[str]:
    """`search_json` as the text of `json.dumps(..., ensure_ascii=False, indent=2)`, a
    match at a time (memory stays flat at any number of matches): the matches `shown`,
    then `total` (counting the matches in `rest`, which are not written) and `truncated`."""
    head = json.dumps({"format": SEARCH_FORMAT, "query": text}, ensure_ascii=False, indent=2)
    yield head[: -len("\n}")] + ',\n  "matches": ['
    count = 0
    for hit in shown:
        item = json.dumps(search_match(*hit), ensure_ascii=False, indent=2)
        yield ("\n    " if not count else ",\n    ") + item.replace("\n", "\n    ")
        count += 1
    left = sum(1 for _ in rest)
    closing = "\n  ]" if count else "]"
    truncated = "true" if left else "false"
    yield f'{closing},\n  "total": {count + left},\n  "truncated": {truncated}\n}}\n'


def notes_json(notes: Iterable[Note], catalogue: Catalogue) -> dict[str, object]:
    """`coach export notes --format json` (and yaml): the notes in export order."""
    prompts = Prompts(catalogue)
    return {"format": NOTES_FORMAT, "notes": [note_json(n, prompts) for n in notes]}


def checklist_document(checklist: Checklist) -> dict[str, object]:
    """A checklist as a checklist file holds it, with every question's `help` and
    `required` spelled out."""
    data = checklist.to_dict()
    for question in data["questions"]:
        question.setdefault("help", None)
        question.setdefault("required", False)
    return data


def checklists_json(checklists: Iterable[Checklist]) -> dict[str, object]:
    """`coach export checklists --format json`."""
    return {
        "format": CHECKLISTS_FORMAT,
        "checklists": [checklist_document(c) for c in checklists],
    }
