"""The export formats, registered by name: notes as Markdown, JSON, YAML and CSV (and
checklists in those but CSV), and which notes an export takes, in which order.

A format is one class in its own module (`as_markdown`, `as_json`, `as_yaml`, `as_csv`,
each a `format.NoteFormat`), added to `FORMATS` here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from callback_coach.core.checklist import Catalogue
from callback_coach.errors import UsageError
from callback_coach.exports.as_csv import Csv
from callback_coach.exports.as_json import Json
from callback_coach.exports.as_markdown import Markdown
from callback_coach.exports.as_yaml import Yaml
from callback_coach.exports.format import NoteFormat, Prompts, as_prompts
from callback_coach.store.labels import round_rank
from callback_coach.store.notes import Note
from callback_coach.store.slugs import fold

# Every format, by the name `--format` takes.
FORMATS: dict[str, NoteFormat] = {f.name: f for f in (Markdown(), Json(), Yaml(), Csv())}
# Other names people give a format.
ALIASES = {"markdown": "md", "yml": "yaml"}
KIND_ORDER = {"prep": 0, "drill": 1, "review": 2}


@dataclass
class NoteFilter:
    """Which notes an export takes; None means any (`NoteIndex.ordered_files` applies it
    in SQL, in the stable export order of `note_order`)."""

    role: str | None = None
    project: str | None = None
    round: str | None = None
    kind: str | None = None
    outcome: str | None = None
    since: str | None = None
    until: str | None = None

    def matches(self, note: Note) -> bool:
        if self.role is not None and fold(note.role) != fold(self.role):
            return False
        if self.project is not None and fold(note.project) != fold(self.project):
            return False
        if self.round is not None and note.round != self.round:
            return False
        if self.kind is not None and note.kind != self.kind:
            return False
        if self.outcome is not None and (note.outcome or "pending") != self.outcome:
            return False
        if self.since is not None and note.date < self.since:
            return False
        return not (self.until is not None and note.date > self.until)


def note_order(note: Note) -> tuple[str, str, tuple[int, int], str, int, str, str, str]:
    """Stable export order: role, project, round, prep then drill then review, then date."""
    return (
        fold(note.role),
        fold(note.project),
        round_rank(note.round),
        note.round,
        KIND_ORDER.get(note.kind, len(KIND_ORDER)),
        note.date,
        note.created,
        note.path.name if note.path else "",
    )


def note_chunks(
    fmt: str,
    notes: Iterable[Note],
    catalogue: Catalogue | Prompts,
    *,
    yaml_escapes: bool = False,
) -> Iterator[str]:
    """An export of many notes in `fmt`, piece by piece, equal to its `notes` text. For
    YAML, `yaml_escapes` must be `as_yaml.needs_yaml_escapes(...)` of the same notes."""
    prompts = as_prompts(catalogue)
    kind = FORMATS[fmt]
    return kind.document(kind.piece(note, prompts, yaml_escapes=yaml_escapes) for note in notes)


def check_format(fmt: str, *, checklists: bool = False) -> str:
    """The format `fmt` names (`markdown` is `md`); UsageError when there is none of that
    name (that exports `checklists`, when asked)."""
    value = fmt.strip().lower()
    value = ALIASES.get(value, value)
    allowed = [n for n, f in FORMATS.items() if f.checklists_too or not checklists]
    if value not in allowed:
        raise UsageError(f"format {fmt!r} is not one of: {', '.join(allowed)}")
    return value
