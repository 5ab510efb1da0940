"""Note files: Markdown with YAML front matter, parsed back losslessly, never clobbered.

A note is `---`, the front matter (YAML mapping), `---`, then the body: free text the
actor owns. Reading keeps every front-matter key, known or not, and the body exactly;
writing a new note never replaces an existing file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callback_coach.errors import AnswersError
from callback_coach.store import yamlio
from callback_coach.store.labels import OUTCOMES
from callback_coach.store.slugs import slugify

FORMAT_VERSION = 1

BODY_HINT = "Your own notes go here; the coach never changes this part."
# The front-matter keys the coach itself writes; any other key is the actor's and is kept.
NOTE_KEYS = (
    "format",
    "kind",
    "role",
    "project",
    "round",
    "date",
    "created",
    "checklists",
    "answers",
    "outcome",
    "outcome_history",
)
KINDS = ("prep", "review", "drill")
# A `checklists` entry's `wording` when the checklist was asked as a role's first round
# asks it (each question's `first_prompt` for its `prompt`).
FIRST_ROUND = "first-round"
_CLOSING = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)

# Every YAML the coach writes comes from the one writer (quoted where a reader could
# mistake a string for a number, a date or a boolean).
dump_yaml = yamlio.dump


# A note's front matter as the YAML reader gives it: the boundary. `note_problems` checks
# the coach's own keys; any other key is the actor's and may hold any plain YAML value.
FrontMatter = dict[str, Any]


class NoteParseError(ValueError):
    """A note file that cannot be read as front matter + body."""


@dataclass
class Note:
    """One note: its front matter (every key kept) and its body text."""

    meta: FrontMatter
    body: str = ""
    path: Path | None = field(default=None, compare=False)
    # Things worth saying about a note that is still read (e.g. a key written twice).
    warnings: list[str] = field(default_factory=list, compare=False)

    # Typed views of the known keys; the dict stays the source of truth.
    @property
    def kind(self) -> str:
        return str(self.meta.get("kind", ""))

    @property
    def role(self) -> str:
        return str(self.meta.get("role", ""))

    @property
    def project(self) -> str:
        value = self.meta.get("project")
        return "" if value is None else str(value)

    @property
    def round(self) -> str:
        return str(self.meta.get("round", ""))

    @property
    def date(self) -> str:
        value = self.meta.get("date")
        return "" if value is None else str(value)

    @property
    def created(self) -> str:
        value = self.meta.get("created")
        return "" if value is None else str(value)

    @property
    def answers(self) -> dict[str, dict[str, object]]:
        """The answers by checklist and question id, as written (`answers_problems`
        says what a note read with `read_note` may hold)."""
        value = self.meta.get("answers")
        if not isinstance(value, dict):
            return {}
        return {str(k): v for k, v in value.items() if isinstance(v, dict)}

    @property
    def outcome(self) -> str | None:
        value = self.meta.get("outcome")
        return None if value is None else str(value)

    @property
    def first_round(self) -> frozenset[str]:
        """The ids of the checklists this note asked with their first-round wording
        (its `checklists` entries with `wording: first-round`)."""
        entries = self.meta.get("checklists")
        if not isinstance(entries, list):
            return frozenset()
        return frozenset(
            str(entry.get("id"))
            for entry in entries
            if isinstance(entry, dict) and entry.get("wording") == FIRST_ROUND
        )

    @property
    def file(self) -> str:
        """The note's file name ("" for a note not saved yet)."""
        return self.path.name if self.path else ""


def coach_heading(role: str, project: str, round_label: str, kind: str) -> str:
    """The heading line the coach writes at the top of a new note's body."""
    title = " · ".join(part for part in (role, project, round_label) if part)
    return f"# {title} ({kind})"


def own_text(body: str) -> str:
    """The actor's own words in a body, without the heading and hint the coach wrote."""
    lines = body.strip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(line for line in lines if line.strip() != BODY_HINT).strip()


def parse_note(text: str) -> Note:
    """Parse a note file's text; raise NoteParseError when it has no valid front matter.

    The front matter goes through the guarded YAML reader (size, depth and alias limits;
    plain values only). A key written twice is kept (the last one wins) and named in the
    note's `warnings`.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].rstrip("\r \t") != "---":
        raise NoteParseError("the file does not start with a '---' front-matter line")
    match = _CLOSING.search(text, first_end + 1)
    if match is None:
        raise NoteParseError("the front matter has no closing '---' line")
    front = text[first_end + 1 : match.start()]
    after = match.end()
    if text.startswith("\r\n", after):
        after += 2
    elif text.startswith("\n", after):
        after += 1
    body = text[after:]
    try:
        document = yamlio.load(front, line_offset=1)  # the opening '---' is line 1
    except yamlio.ReadError as exc:
        where = f", line {exc.line}" if exc.line else ""
        raise NoteParseError(f"front matter{where}: {exc.message}") from None
    meta = {} if document.value is None else document.value
    if not isinstance(meta, dict):
        raise NoteParseError("the front matter is not a mapping")
    warnings = [
        f"key {yamlio.shown(key)} is written twice (line {line}); the last one is used"
        for line, key in document.duplicates
    ]
    return Note(meta=meta, body=body, warnings=warnings)


def note_problems(meta: Mapping[str, object]) -> list[str]:
    """What makes a note's front matter unusable: a key of the coach's with a value of the
    wrong type, an impossible date, a newer format. Empty when the note can be used."""
    problems: list[str] = []

    def wrong(key: str, expected: str) -> None:
        problems.append(f"'{key}' must be {expected}, not {_describe(meta[key])}")

    fmt = meta.get("format", FORMAT_VERSION)
    if isinstance(fmt, bool) or not isinstance(fmt, int) or fmt < 1:
        wrong("format", f"a whole number ({FORMAT_VERSION})")
    elif fmt > FORMAT_VERSION:
        problems.append(
            f"written in format {fmt}, newer than this coach reads ({FORMAT_VERSION}): "
            "update the coach"
        )
    if meta.get("kind") not in KINDS:
        if "kind" in meta:
            wrong("kind", "prep or review")
        else:
            problems.append("no 'kind' (prep or review)")
    for key in ("role", "round"):
        value = meta.get(key)
        if key not in meta or value is None:
            problems.append(f"no '{key}'")
        elif not isinstance(value, str) or not value.strip():
            wrong(key, "text (in quotes if it looks like a number)")
    for key in ("project", "created", "prep_note", "outcome_updated"):
        if meta.get(key) is not None and not isinstance(meta[key], str):
            wrong(key, "text (in quotes if it looks like a number)")
    date = meta.get("date")
    if date is not None and not is_date(date):
        wrong("date", "a date written YYYY-MM-DD, from 1900 to 2199")
    outcome = meta.get("outcome")
    if outcome is not None and outcome not in OUTCOMES:
        wrong("outcome", "one of " + ", ".join(OUTCOMES))
    people = meta.get("people_met")
    if people is not None and not (
        isinstance(people, list) and all(isinstance(p, str) for p in people)
    ):
        wrong("people_met", "a list of names")
    checklists = meta.get("checklists")
    if checklists is not None and not (
        isinstance(checklists, list)
        and all(
            isinstance(c, dict)
            and isinstance(c.get("id"), str)
            and isinstance(c.get("version"), int)
            and not isinstance(c.get("version"), bool)
            for c in checklists
        )
    ):
        wrong("checklists", "a list of checklist ids with their version")
    answers = meta.get("answers")
    if answers is not None and not isinstance(answers, dict):
        wrong("answers", "a mapping of checklist id to answers")
    elif answers:
        problems.extend(answers_problems(answers))
    return problems


def answers_problems(answers: Mapping[object, object]) -> list[str]:
    """What is wrong in an `answers` mapping read from a file (checklist id -> question id
    -> an answer: text, a number, true/false, or a list of them)."""
    problems = []
    for cid, values in answers.items():
        if not isinstance(cid, str):
            problems.append(f"answers: checklist id {yamlio.shown(cid)} must be text")
        elif values is not None and not isinstance(values, dict):
            problems.append(f"answers.{cid} must be a mapping of question id to answer")
        else:
            for qid, value in (values or {}).items():
                if not isinstance(qid, str):
                    problems.append(f"answers.{cid}: question id {yamlio.shown(qid)} must be text")
                elif not _is_answer(value):
                    problems.append(f"answers.{cid}.{qid} is {_describe(value)}, not an answer")
    return problems


def _is_answer(value: object) -> bool:
    scalar = (str, int, float)  # bool is an int
    if value is None or isinstance(value, scalar):
        return True
    return isinstance(value, list) and all(isinstance(v, scalar) for v in value)


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return yamlio.shown(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# The days the coach takes: anything outside is a typing slip (and would overflow the
# day after it, in a calendar).
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def is_date(value: object) -> bool:
    """True for text that is a real calendar date written YYYY-MM-DD, from 1900 to 2199."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return False
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return False
    return FIRST_DAY <= day <= LAST_DAY


def render_note(note: Note) -> str:
    """The file text of a note; `parse_note(render_note(n))` gives `n` back."""
    return f"---\n{dump_yaml(note.meta)}---\n{note.body}"


def read_note(path: Path) -> Note:
    """Read and check a note file; NoteParseError says why it cannot be used."""
    # Read as bytes and decoded whole: a third of the time of a text-mode read, which
    # the index pays for every note it reads. Line ends as text mode gives them.
    with open(path, "rb") as file:
        data = file.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise NoteParseError(f"not UTF-8 text (line {line})") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    note = parse_note(text)
    problems = note_problems(note.meta)
    if problems:
        raise NoteParseError("; ".join(problems))
    note.path = path
    return note


def check_savable(note: Note) -> str:
    """The file text of a note that is about to be written, after checking that the coach
    can read it back exactly (valid UTF-8, within the reader's limits, the same values);
    AnswersError otherwise, before anything is written."""
    reason = yamlio.bad_data([note.meta, note.body])
    if reason:
        raise AnswersError(f"the note cannot be saved: {reason}; nothing was written")
    text = render_note(note)
    try:
        again = parse_note(text)
    except NoteParseError as exc:
        raise AnswersError(f"the note cannot be saved: {exc}; nothing was written") from None
    problems = note_problems(again.meta)
    same = again.meta == note.meta or render_note(again) == text  # (NaN is not NaN)
    if not same or again.body != note.body or problems:
        reason = "; ".join(problems) or "it would not read back as written"
        raise AnswersError(f"the note cannot be saved: {reason}; nothing was written")
    return text


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def new_note(
    *,
    kind: str,
    role: str,
    project: str,
    round_label: str,
    date: str,
    checklists: list[tuple[str, int]],
    answers: Mapping[str, Mapping[str, object]],
    extra: Mapping[str, object] | None = None,
    first_round: Collection[str] = (),
) -> Note:
    """A fresh note with the standard front matter and a short heading as its body; the
    checklists whose ids are in `first_round` were asked with their first-round wording."""
    meta: FrontMatter = {
        "format": FORMAT_VERSION,
        "kind": kind,
        "role": role,
        "project": project,
        "round": round_label,
        "date": date,
        "created": now_iso(),
    }
    meta.update(extra or {})
    meta["checklists"] = [
        {"id": cid, "version": version, **({"wording": FIRST_ROUND} if cid in first_round else {})}
        for cid, version in checklists
    ]
    meta["answers"] = answers
    body = f"{coach_heading(role, project, round_label, kind)}\n\n{BODY_HINT}\n"
    return Note(meta=meta, body=body)


def note_stem(note: Note) -> str:
    project = slugify(note.project, fallback="p") if note.project else "no-project"
    return "_".join(
        [
            note.date or "undated",
            project,
            slugify(note.role, fallback="role"),
            slugify(note.round, fallback="round"),
            note.kind or "note",
        ]
    )
