"""Note files: Markdown with YAML front matter, parsed back losslessly, never clobbered.

A note is `---`, the front matter (YAML mapping), `---`, then the body: free text the
actor owns. Reading keeps every front-matter key, known or not, and the body exactly;
writing a new note never replaces an existing file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from callback_coach import fileio, paths
from callback_coach.errors import StorageError
from callback_coach.slugs import slugify

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
KINDS = ("prep", "review")
_CLOSING = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)


# libyaml's safe loader is ~8x faster than the pure-Python one, and just as safe.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class NoteParseError(ValueError):
    """A note file that cannot be read as front matter + body."""


class _Dumper(yaml.SafeDumper):
    """Safe YAML with readable multi-line text (literal blocks) and no line folding."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_representer)


# PyYAML writes these raw when Unicode is allowed, then reads them back as line breaks.
_YAML_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


def _has_yaml_line_break(data: Any) -> bool:
    if isinstance(data, str):
        return any(ch in data for ch in _YAML_LINE_BREAKS)
    if isinstance(data, dict):
        return any(_has_yaml_line_break(k) or _has_yaml_line_break(v) for k, v in data.items())
    if isinstance(data, (list, tuple)):
        return any(_has_yaml_line_break(v) for v in data)
    return False


def dump_yaml(data: Any) -> str:
    """Stable, readable, safe YAML (keys in insertion order, Unicode kept).

    Text holding a character YAML reads as a line break is escaped instead, so that
    `yaml.safe_load(dump_yaml(x)) == x` always holds.
    """
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=not _has_yaml_line_break(data),
        width=2**31 - 1,
        default_flow_style=False,
    )


@dataclass
class Note:
    """One note: its front matter (every key kept) and its body text."""

    meta: dict[str, Any]
    body: str = ""
    path: Path | None = field(default=None, compare=False)

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
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()[:10]
        return "" if value is None else str(value)

    @property
    def created(self) -> str:
        value = self.meta.get("created")
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
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


def parse_note(text: str) -> Note:
    """Parse a note file's text; raise NoteParseError when it has no valid front matter."""
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
        meta = yaml.load(front, Loader=_LOADER) if front.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""  # +1 for the opening '---'
        raise NoteParseError(f"invalid YAML in the front matter{where}") from None
    if not isinstance(meta, dict):
        raise NoteParseError("the front matter is not a mapping")
    return Note(meta=meta, body=body)


def render_note(note: Note) -> str:
    """The file text of a note; `parse_note(render_note(n))` gives `n` back."""
    return f"---\n{dump_yaml(note.meta)}---\n{note.body}"


def read_note(path: Path) -> Note:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise NoteParseError("not UTF-8 text") from None
    note = parse_note(text)
    note.path = path
    return note


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
    title = " · ".join(part for part in (role, project, round_label) if part)
    body = f"# {title} ({kind})\n\n{BODY_HINT}\n"
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


@dataclass
class ScanResult:
    notes: list[Note]
    unreadable: list[tuple[Path, str]]


class NoteStore:
    """The notes folder of one coach home."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = home or paths.coach_home()
        self.folder = paths.notes_dir(self.home)

    def save_new(self, note: Note) -> Path:
        """Write a new note file; an existing note is never overwritten."""
        fileio.ensure_private_dir(self.home)
        path = fileio.create_new(self.folder, note_stem(note), ".md", render_note(note))
        note.path = path
        return path

    def rewrite(self, note: Note, new_text: str) -> None:
        """Atomically replace a note's file with `new_text` (callers keep the actor's text);
        the file keeps its mode and owner."""
        if note.path is None:
            raise StorageError("cannot rewrite a note that has no file")
        self._check_inside(note.path)
        fileio.atomic_write(note.path, new_text, keep_mode=True)

    def note_files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        try:
            return sorted(p for p in self.folder.glob("*.md") if p.is_file())
        except OSError as exc:
            raise fileio.storage_error(exc, self.folder, "read") from None

    def scan(self) -> ScanResult:
        """Every readable note, and the files that could not be read with the reason."""
        notes: list[Note] = []
        unreadable: list[tuple[Path, str]] = []
        for path in self.note_files():
            try:
                notes.append(read_note(path))
            except NoteParseError as exc:
                unreadable.append((path, str(exc)))
            except OSError as exc:
                unreadable.append((path, exc.strerror or str(exc)))
        return ScanResult(notes, unreadable)

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
        front_lines[start:end] = [rendered]
    new_text = bom + head + "".join(front_lines) + rest
    after = parse_note(new_text)
    expected = dict(before.meta)
    expected.update(updates)
    if after.meta != expected or after.body != before.body:
        raise NoteParseError("the front matter is laid out in a way the coach cannot update safely")
    return new_text
