"""An export from a coach home: which notes it takes (its filters checked), and their
text, streamed one note at a time through exports.py (which owns the formats).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from callback_coach.errors import UsageError
from callback_coach.home import Home
from callback_coach.inputs import check_outcome, check_round, parse_date
from callback_coach.notes import KINDS


def export_notes(coach: Home, note_filter: Any) -> list[str]:
    """The file names of the notes an export takes, in the stable export order."""
    if note_filter.round is not None:
        note_filter.round = check_round(note_filter.round)
    if note_filter.outcome is not None:
        note_filter.outcome = check_outcome(note_filter.outcome)
    if note_filter.kind is not None and note_filter.kind not in KINDS:
        raise UsageError(f"kind {note_filter.kind!r} is not one of: {', '.join(KINDS)}")
    for name in ("since", "until"):
        value = getattr(note_filter, name)
        if value is not None:
            setattr(note_filter, name, parse_date(value))
    index = coach.index
    files = index.ordered_files(
        role=note_filter.role,
        project=note_filter.project,
        round_label=note_filter.round,
        kind=note_filter.kind,
        outcome=note_filter.outcome,
        since=note_filter.since,
        until=note_filter.until,
    )
    coach.warn_unreadable(index)
    return files


class _Export:
    """What every note of one export shares: the prompts, and whether YAML escapes."""

    def __init__(self, coach: Home, files: list[str], fmt: str) -> None:
        from callback_coach import exports

        self.coach, self.fmt = coach, fmt
        self.prompts = exports.Prompts(coach.catalogue())
        self.every_suspect = fmt == "yaml" and self.prompts.have_yaml_line_break()
        self.flagged = coach.index.yaml_break_files() if fmt == "yaml" else set()

    def text(self, files: list[str]) -> Iterator[str]:
        from callback_coach import exports

        escapes = False
        if self.fmt == "yaml":
            # A YAML line break anywhere escapes all non-ASCII text: look at the notes
            # that may hold one before writing the first.
            suspects = files if self.every_suspect else [f for f in files if f in self.flagged]
            escapes = exports.needs_yaml_escapes(self.coach.iter_files(suspects), self.prompts)
        notes = self.coach.iter_files(files)
        return exports.note_chunks(self.fmt, notes, self.prompts, yaml_escapes=escapes)


def export_text(coach: Home, files: list[str], fmt: str) -> Iterator[str]:
    """The export of the notes `files` in `fmt`, piece by piece: each note is read from
    the index and rendered only when its turn comes, so memory stays flat."""
    return _Export(coach, files, fmt).text(files)


def export_files(
    coach: Home, files: list[str], fmt: str
) -> Iterator[tuple[str, Callable[[], Iterator[str]]]]:
    """One (file name, render) per note, for an export into a folder."""
    export = _Export(coach, files, fmt)
    for file in files:
        yield f"{Path(file).stem}.{fmt}", functools.partial(export.text, [file])
