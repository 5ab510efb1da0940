"""An export from a coach home: which notes it takes (its filters checked), and their
text, streamed one note at a time through the formats (`exports.formats`).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from callback_coach.core.checklist import Catalogue
from callback_coach.core.home import Home
from callback_coach.core.inputs import check_outcome, check_round, parse_date
from callback_coach.errors import UsageError
from callback_coach.exports.as_yaml import needs_yaml_escapes
from callback_coach.exports.format import Prompts
from callback_coach.exports.formats import FORMATS, NoteFilter, note_chunks
from callback_coach.store.notes import KINDS


def export_notes(coach: Home, note_filter: NoteFilter) -> list[str]:
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
        self.coach, self.fmt = coach, fmt
        self.prompts = Prompts(coach.catalogue())
        self.every_suspect = fmt == "yaml" and self.prompts.have_yaml_line_break()
        self.flagged = coach.index.yaml_break_files() if fmt == "yaml" else set()

    def escapes(self, files: list[str]) -> bool:
        """Whether a YAML export of `files` escapes all non-ASCII text: when a YAML line
        break is anywhere in it (looked for before the first note is written)."""
        if self.fmt != "yaml":
            return False
        suspects = files if self.every_suspect else [f for f in files if f in self.flagged]
        return needs_yaml_escapes(self.coach.iter_files(suspects), self.prompts)

    def text(self, files: list[str]) -> Iterator[str]:
        notes = self.coach.iter_files(files)
        escapes = self.escapes(files)
        return note_chunks(self.fmt, notes, self.prompts, yaml_escapes=escapes)

    def kept_text(self, files: list[str]) -> Iterator[str]:
        """`text`, taking each note's piece from the index where one was kept from an
        export made the same way, and keeping the pieces it writes for the next one."""
        escapes = self.escapes(files)
        made = made_from(self.coach.catalogue(), escapes)
        return FORMATS[self.fmt].document(self._pieces(files, made, escapes))

    def _pieces(self, files: list[str], made: str, escapes: bool) -> Iterator[str]:
        index = self.coach.index
        kind = FORMATS[self.fmt]
        for start in range(0, len(files), PIECES_BATCH):
            batch = files[start : start + PIECES_BATCH]
            kept = index.pieces(batch, self.fmt, made)
            written: dict[str, str] = {}
            new: list[tuple[str, tuple[int, int], str]] = []
            for file, note, stamp in self.coach.iter_stamped([f for f in batch if f not in kept]):
                piece = kind.piece(note, self.prompts, yaml_escapes=escapes)
                written[file] = piece
                new.append((file, stamp, piece))
            index.keep_pieces(self.fmt, made, new)
            for file in batch:
                found = kept[file] if file in kept else written.get(file)
                if found is not None:  # (None: a note that could not be read: skipped)
                    yield found


# Notes whose pieces are looked up (and kept) at a time.
PIECES_BATCH = 200


def made_from(catalogue: Catalogue, escapes: bool) -> str:
    """What an export's pieces are made from besides their notes: the checklists' texts,
    whether YAML escapes non-ASCII, and the coach's own files (their stamps: a new
    version of the coach writes every piece again)."""
    package = Path(__file__).resolve().parents[1]
    files = []
    for path in sorted(package.rglob("*")):
        if "__pycache__" not in path.parts and path.is_file():
            info = path.stat()
            files.append([path.relative_to(package).as_posix(), info.st_mtime_ns, info.st_size])
    checklists = [c.to_dict() for c in catalogue.checklists]
    text = json.dumps([PIECES_FORMAT, escapes, files, checklists], ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# Changed when a piece would be written otherwise by the same files (never, so far).
PIECES_FORMAT = 1


def export_text(coach: Home, files: list[str], fmt: str, *, bom: bool = False) -> Iterator[str]:
    """The export of the notes `files` in `fmt`, piece by piece: each note's piece is
    taken from the index where an earlier export kept it, else read from the index and
    written only when its turn comes (and kept), so memory stays flat. With `bom`, it
    starts with a byte-order mark (spreadsheets then read a CSV file as UTF-8)."""
    text = _Export(coach, files, fmt).kept_text(files)
    return itertools.chain([BOM], text) if bom else text


def export_files(
    coach: Home, files: list[str], fmt: str, *, bom: bool = False
) -> Iterator[tuple[str, Callable[[], Iterator[str]]]]:
    """One (file name, render) per note, for an export into a folder."""
    export = _Export(coach, files, fmt)

    def text(file: str) -> Iterator[str]:
        piece = export.text([file])
        return itertools.chain([BOM], piece) if bom else piece

    for file in files:
        yield f"{Path(file).stem}.{fmt}", functools.partial(text, file)


# A byte-order mark, for spreadsheets that read a file as UTF-8 only when it starts with
# one (Excel, LibreOffice's default import): without it, an emoji or an accent is garbled.
BOM = "\ufeff"
