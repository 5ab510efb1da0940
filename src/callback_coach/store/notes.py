"""Note files: Markdown with YAML front matter, parsed back losslessly, never clobbered.

A note is `---`, the front matter (YAML mapping), `---`, then the body: free text the
actor owns. Reading keeps every front-matter key, known or not, and the body exactly;
writing a new note never replaces an existing file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from callback_coach.errors import AnswersError, StorageError
from callback_coach.store import fileio, paths, yamlio
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
)
KINDS = ("prep", "review", "drill")
_CLOSING = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)

# Every YAML the coach writes comes from the one writer (quoted where a reader could
# mistake a string for a number, a date or a boolean).
dump_yaml = yamlio.dump


class NoteParseError(ValueError):
    """A note file that cannot be read as front matter + body."""


@dataclass
class Note:
    """One note: its front matter (every key kept) and its body text."""

    meta: dict[str, Any]
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
    def answers(self) -> dict[str, dict[str, Any]]:
        value = self.meta.get("answers")
        if not isinstance(value, dict):
            return {}
        return {str(k): v for k, v in value.items() if isinstance(v, dict)}

    @property
    def outcome(self) -> str | None:
        value = self.meta.get("outcome")
        return None if value is None else str(value)

    @property
    def file(self) -> str:
        """The note's file name ("" for a note not saved yet)."""
        return self.path.name if self.path else ""


class NoteFacts(Protocol):
    """What a note and its index summary both tell: enough to group, order and filter
    notes without reading them (`Note` and `index.NoteSummary` both fit)."""

    @property
    def file(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def project(self) -> str: ...
    @property
    def round(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def created(self) -> str: ...
    @property
    def outcome(self) -> str | None: ...


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


def note_problems(meta: dict[str, Any]) -> list[str]:
    """What makes a note's front matter unusable: a key of the coach's with a value of the
    wrong type, an impossible date, a newer format. Empty when the note can be used."""
    from callback_coach.core.round_labels import OUTCOMES

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
        wrong("date", "a date written YYYY-MM-DD")
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


def answers_problems(answers: dict[Any, Any]) -> list[str]:
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


def _is_answer(value: Any) -> bool:
    scalar = (str, int, float)  # bool is an int
    if value is None or isinstance(value, scalar):
        return True
    return isinstance(value, list) and all(isinstance(v, scalar) for v in value)


def _describe(value: Any) -> str:
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


def is_date(value: Any) -> bool:
    """True for text that is a real calendar date written YYYY-MM-DD."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def render_note(note: Note) -> str:
    """The file text of a note; `parse_note(render_note(n))` gives `n` back."""
    return f"---\n{dump_yaml(note.meta)}---\n{note.body}"


def read_note(path: Path) -> Note:
    """Read and check a note file; NoteParseError says why it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise NoteParseError(f"not UTF-8 text (line {line})") from None
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
    answers: dict[str, dict[str, Any]],
    extra: dict[str, Any] | None = None,
) -> Note:
    """A fresh note with the standard front matter and a short heading as its body."""
    meta: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "kind": kind,
        "role": role,
        "project": project,
        "round": round_label,
        "date": date,
        "created": now_iso(),
    }
    meta.update(extra or {})
    meta["checklists"] = [{"id": cid, "version": version} for cid, version in checklists]
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


class NoteStore:
    """The notes folder of one coach home. `on_change` (if given) is called after every
    note written or rewritten (the Coach then refreshes its index before the next read)."""

    def __init__(
        self, home: Path | None = None, on_change: Callable[[], None] | None = None
    ) -> None:
        self.home = home or paths.coach_home()
        self.folder = paths.notes_dir(self.home)
        self.on_change = on_change

    def save_new(self, note: Note) -> Path:
        """Write a new note file; an existing note is never overwritten."""
        text = check_savable(note)
        fileio.ensure_private_dir(self.home)
        path = fileio.create_new(self.folder, note_stem(note), ".md", text)
        note.path = path
        if self.on_change is not None:
            self.on_change()
        return path

    def rewrite(self, note: Note, new_text: str) -> None:
        """Atomically replace a note's file with `new_text` (callers keep the actor's text);
        the file keeps its mode and owner."""
        if note.path is None:
            raise StorageError("cannot rewrite a note that has no file")
        self._check_inside(note.path)
        fileio.atomic_write(note.path, new_text, keep_mode=True)
        if self.on_change is not None:
            self.on_change()

    def note_files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        try:
            return sorted(p for p in self.folder.glob("*.md") if p.is_file())
        except OSError as exc:
            raise fileio.storage_error(exc, self.folder, "read") from None

    def _check_inside(self, path: Path) -> None:
        if self.folder.resolve() not in path.resolve().parents:
            raise StorageError(f"refusing to write outside the notes folder: {path}")


# A line of a note with its own ending: only "\n" ends a line ("\r\n" keeps its "\r").
# str.splitlines would also split at "\r", "\x0b", "\x85", "\u2028" and others.
_LINES = re.compile(r"[^\n]*\n|[^\n]+")


def _line_ending(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\n"


def _is_continuation(line: str) -> bool:
    """True for a line that belongs to the key above it (indented, or a `- ` list item)."""
    return line[:1] in (" ", "\t") or line.startswith("- ") or line.rstrip("\r\n") == "-"


def _is_blank(line: str) -> bool:
    return not line.strip(" \t\r\n")


def _is_document_end(line: str) -> bool:
    return line.rstrip(" \t\r\n") == "..."


def set_front_matter(text: str, updates: dict[str, Any]) -> str:
    """`text` with top-level front-matter keys set, every other byte kept as it was.

    An existing `key:` line (with any indented continuation lines) is replaced in place;
    a new key goes just before the closing `---`. Each line written ends like the file's
    first line (`\r\n` or `\n`); every other line keeps its own ending, and a byte-order
    mark stays. The result is checked by parsing it again: if anything but those keys
    would change, NoteParseError is raised instead.
    """
    before = parse_note(text)
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body_text = text[len(bom) :]
    first_end = body_text.find("\n") + 1
    closing = _CLOSING.search(body_text, first_end)
    assert closing is not None  # parse_note succeeded
    head = body_text[:first_end]
    front_lines = _LINES.findall(body_text[first_end : closing.start()])
    rest = body_text[closing.start() :]
    newline = _line_ending(head)
    for key, value in updates.items():
        rendered = dump_yaml({key: value}).rstrip("\n").replace("\n", newline) + newline
        start = next(
            (i for i, line in enumerate(front_lines) if re.match(rf"{re.escape(key)}\s*:", line)),
            None,
        )
        if start is None:
            # Before a closing `...` (YAML writes one after text ending in blank lines).
            at = len(front_lines)
            if at and _is_document_end(front_lines[-1]):
                at -= 1
            front_lines.insert(at, rendered)
            continue
        end = start + 1
        probe = end
        # Continuation lines, and blank lines between them (a literal block keeps those).
        while probe < len(front_lines) and (
            _is_continuation(front_lines[probe]) or _is_blank(front_lines[probe])
        ):
            probe += 1
            if _is_continuation(front_lines[probe - 1]):
                end = probe
        replaced = [rendered]
        comment = _line_comment(front_lines[start]) if end == start + 1 else None
        if comment is not None and "\n" not in rendered.rstrip("\r\n"):
            # `outcome: hold  # my agent said so`: the comment is the actor's; it stays.
            replaced = [rendered.rstrip("\r\n") + comment + newline]
        front_lines[start:end] = replaced
    new_text = bom + head + "".join(front_lines) + rest
    after = parse_note(new_text)
    expected = dict(before.meta)
    expected.update(updates)
    if after.meta != expected or after.body != before.body:
        raise NoteParseError("the front matter is laid out in a way the coach cannot update safely")
    return new_text


# A comment at the end of a `key: value` line (a space, then `#`), and its spacing.
_COMMENT = re.compile(r"\S(\s+#[^\r\n]*)\r?\n?$")


def _line_comment(line: str) -> str | None:
    """The comment ending a one-line `key: value` (with the spaces before it), or None:
    a `#` inside a quoted value is not one (the line reads the same without it)."""
    found = _COMMENT.search(line)
    if found is None:
        return None
    try:
        whole = yamlio.load(line).value
        without = yamlio.load(line[: found.start(1)]).value
    except yamlio.ReadError:
        return None
    return found.group(1) if whole == without else None
