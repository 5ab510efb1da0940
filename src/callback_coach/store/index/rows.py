"""A note's row in the index: what is read from its file once, kept until it changes.

Per note: the file's stamp (modification time, size), why it cannot be read (or a
warning about it), the few front-matter values the index filters and orders by, the
note's facts (`store.facts`, without answers), the front matter as JSON, the body, and
the actor's own words folded for search (case and accents aside) (answers and the text they wrote, not the
coach's heading or hint).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from callback_coach.store import conflict_names
from callback_coach.store.facts import answer_text, facts_of
from callback_coach.store.labels import round_rank
from callback_coach.store.notes import BODY_HINT, Note, NoteParseError, coach_heading, read_note
from callback_coach.store.slugs import fold, search_fold
from callback_coach.store.yamldump import has_yaml_line_break


@dataclass(slots=True)
class NoteRow:
    """What the index keeps of a note besides its text (`Home.notes_of_role` gives these
    for a role: enough to group, order and filter notes without reading them)."""

    file: str
    mtime_ns: int
    size: int
    error: str | None
    kind: str = ""
    role: str = ""
    project: str = ""
    round: str = ""
    date: str = ""
    created: str = ""
    outcome: str | None = None
    role_key: str = ""
    project_key: str = ""
    warning: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


# The columns of the notes table a row fills, in this order (`note_row`).
COLUMNS = (
    "file", "mtime_ns", "size", "error", "kind", "role", "project", "round", "round_order",
    "date", "created", "outcome", "role_key", "project_key", "warning", "facts", "meta",
    "body", "words", "yaml_break",
)  # fmt: skip
# Where `NoteRow`'s fields are among them, and their values as SQLite gives them.
ROW_COLUMNS = (
    "file", "mtime_ns", "size", "error", "kind", "role", "project", "round", "date",
    "created", "outcome", "role_key", "project_key", "warning",
)  # fmt: skip
NoteRowValues = tuple[
    str, int, int, str | None, str, str, str, str, str, str, str | None, str, str, str | None
]
# Said of a note that holds git's conflict markers (a `git pull` that met a change).
GIT_MARKERS = "it holds git conflict markers (<<<<<<<): see `coach conflicts`"
ROLE_KEY, PROJECT_KEY, ERROR = COLUMNS.index("role_key"), COLUMNS.index("project_key"), 3


def actor_lines(note: Note) -> list[tuple[str, str]]:
    """(where, line) for every line the actor wrote: each answer (where is
    "CHECKLIST.QUESTION"), then the body ("body") without the heading and hint the coach
    wrote there."""
    lines: list[tuple[str, str]] = []
    for cid, answers in note.answers.items():
        for qid, value in answers.items():
            for line in answer_text(value).split("\n"):
                if line.strip():
                    lines.append((f"{cid}.{qid}", line.replace("\r", "")))
    lines += [("body", line) for line in _body_lines(note)]
    return lines


def _body_lines(note: Note) -> list[str]:
    """The lines of the body the actor wrote (not the coach's heading and hint)."""
    heading = coach_heading(note.role, note.project, note.round, note.kind)
    lines = []
    first = True
    for line in note.body.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if first and stripped == heading:
            first = False
            continue
        first = False
        if stripped != BODY_HINT:
            lines.append(line.replace("\r", ""))
    return lines


# Made once: `json.dumps` with options makes an encoder for every call.
_META_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
_FACTS_JSON = json.JSONEncoder(ensure_ascii=False)


def folded_words(note: Note) -> str:
    """The text search looks in: the actor's lines (`actor_lines`), with case and accents
    folded away (`slugs.search_fold`), one per line (made without their places: it is
    done for every note the index reads)."""
    parts = []
    for answers in note.answers.values():
        for value in answers.values():
            text = value if type(value) is str else answer_text(value)
            if "\n" in text:
                parts += [line.replace("\r", "") for line in text.split("\n") if line.strip()]
            elif text and not text.isspace():
                parts.append(text.replace("\r", ""))
    parts += _body_lines(note)
    return search_fold("\n".join(parts))


def meta_json(meta: Mapping[str, object]) -> str | None:
    """The front matter as JSON text, or None when JSON would not give it back exactly
    (dates, non-text keys, NaN: a hand-edited note; it is then read from its file)."""
    if not _text_keys(meta):
        return None
    try:
        return _META_JSON.encode(meta)
    except (TypeError, ValueError):
        return None


def _text_keys(value: object) -> bool:
    """True when every mapping key inside `value` (a dict or a list) is text. (A loop
    over a stack: twice as fast as recursing, for every note the index reads.)"""
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            for key, child in item.items():
                if type(key) is not str:
                    return False
                if type(child) is dict or type(child) is list:
                    stack.append(child)
        elif type(item) is list:
            stack.extend(child for child in item if type(child) is dict or type(child) is list)
    return True


def round_order(label: str) -> int:
    """`labels.round_rank` as one number, for ORDER BY."""
    group, number = round_rank(label)
    return group * 100_000 + number


def error_row(name: str, mtime_ns: int, size: int, error: str) -> tuple[object, ...]:
    """The row of a note that cannot be read: its stamp and the reason."""
    row: list[object] = [None] * len(COLUMNS)
    row[:4] = [name, mtime_ns, size, error]
    for number in range(4, len(COLUMNS)):
        if COLUMNS[number] in ("kind", "role", "project", "round", "date", "created",
                               "role_key", "project_key", "words"):  # fmt: skip
            row[number] = ""
    row[COLUMNS.index("round_order")] = 0
    row[COLUMNS.index("yaml_break")] = 0
    return tuple(row)


def note_row(job: tuple[str, str, tuple[int, int]]) -> tuple[object, ...]:
    """A note's row (COLUMNS), read from (folder, name, stamp). A note that cannot be
    read gets a row with only its stamp and the reason."""
    folder, name, (mtime_ns, size) = job
    path = Path(folder, name)
    try:
        note = read_note(path)
    except NoteParseError as exc:
        if _has_git_markers(path):
            return error_row(name, mtime_ns, size, GIT_MARKERS)
        return error_row(name, mtime_ns, size, str(exc))
    except OSError as exc:
        return error_row(name, mtime_ns, size, exc.strerror or str(exc))
    if conflict_names.has_git_markers(note.body):
        note.warnings.append(GIT_MARKERS)
    meta = meta_json(note.meta)
    # JSON keeps these characters as they are: a quick look for them is enough.
    yaml_break = has_yaml_line_break([name, note.body]) or has_yaml_line_break(
        note.meta if meta is None else meta
    )
    facts = facts_of(note, name)
    try:
        facts_text: str | None = _FACTS_JSON.encode(facts.to_row())
    except (TypeError, ValueError):
        facts_text = None  # read from the note itself when asked for
    return (
        name, mtime_ns, size, None, note.kind, note.role, note.project, note.round,
        round_order(note.round), note.date, note.created, facts.outcome, fold(note.role),
        fold(note.project), "; ".join(note.warnings) or None, facts_text, meta, note.body,
        folded_words(note), int(yaml_break),
    )  # fmt: skip


def _has_git_markers(path: Path) -> bool:
    try:
        return conflict_names.has_git_markers(path.read_bytes().decode("utf-8", "replace"))
    except OSError:
        return False
