"""The conflicts of one notes folder: sync conflict copies beside the notes they copy, and
notes holding git conflict markers. Found, read side by side, and merged on disk.

The merged note replaces the note atomically (`fileio.replace_if_unchanged`, keeping the
note's mode: 0600 for a note the coach wrote), holding the note's lock as every change to
a saved note does (`notestore.lock_path`); only once it has been read back as written is
the copy removed, and only if it still holds the bytes that were merged. A note with git
markers is rewritten without them. A copy is never written into.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from callback_coach.errors import NotFoundError, StorageError
from callback_coach.store import conflict_merge, conflict_names, conflicts, fileio, notestore
from callback_coach.store.conflict_names import GIT
from callback_coach.store.conflicts import Choose, Comparison
from callback_coach.store.notes import Note, NoteParseError, parse_note

# Git writes its markers at a line start; a note without this text has none.
_GIT_PROBE = b"<<<<<<<"


@dataclass(frozen=True)
class Found:
    """One conflict in the notes folder: `file` is the copy (or, for git markers, the
    note holding them), `note` the note it belongs to, `scheme` who made it (a sync
    client's name, or "git")."""

    file: str
    note: str
    scheme: str
    note_exists: bool = True

    @property
    def is_git(self) -> bool:
        return self.scheme == GIT


@dataclass(frozen=True)
class Pair:
    """A conflict read from disk: `mine` is the note that keeps its name (for git markers,
    git's "ours" side), `theirs` the copy (git's "theirs"). The raw bytes are kept to see
    whether either file changed before the merge is written."""

    found: Found
    mine: Note | None  # None: the copy's note is gone (the copy takes its place)
    theirs: Note
    mine_text: str
    note_bytes: bytes | None
    copy_bytes: bytes
    mine_label: str
    theirs_label: str
    # The two sides in two words each, for column headings.
    mine_short: str = "this note"
    theirs_short: str = "the copy"

    def compare(self) -> Comparison:
        """What differs between the two sides (a missing note: everything is theirs)."""
        mine = self.mine if self.mine is not None else Note(meta={}, body="")
        return conflicts.compare(
            mine, self.theirs, mine_label=self.mine_label, theirs_label=self.theirs_label
        )


@dataclass(frozen=True)
class Resolved:
    """What a merge did: the note written, and whether the copy was removed (a copy that
    changed while merging is kept, and `kept_copy` says so)."""

    path: Path
    removed: str | None
    kept_copy: str | None = None


def note_names(folder: Path) -> list[str]:
    """The names of the regular `.md` files in `folder` (a missing folder has none)."""
    names: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.endswith(".md") or entry.name.startswith("."):
                    continue
                with contextlib.suppress(OSError):
                    if entry.is_file(follow_symlinks=False):
                        names.append(entry.name)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise fileio.storage_error(exc, folder, "read") from None
    return sorted(names)


def find(folder: Path) -> list[Found]:
    """Every conflict in the notes folder: each copy with the note it copies, and each
    note holding git conflict markers; ordered by note, then file."""
    names = note_names(folder)
    present = set(names)
    found = [
        Found(c.copy, c.original, c.scheme, c.original in present)
        for c in conflict_names.scan(names)
    ]
    copies = {f.file for f in found}
    for name in names:
        if name in copies:
            continue
        try:
            data = (folder / name).read_bytes()
        except OSError:
            continue  # unreadable notes are named by the commands that read them
        if _GIT_PROBE in data and conflict_names.has_git_markers(_text(data)):
            found.append(Found(name, name, GIT))
    return sorted(found, key=lambda f: (f.note, f.file))


def select(found: list[Found], name: str) -> list[Found]:
    """The conflicts a name given on the command line means: a copy, a note with git
    markers, or a note with copies (all of them). NotFoundError when none."""
    base = Path(name).name
    chosen = [f for f in found if base in (f.file, f.note)]
    if not chosen:
        raise NotFoundError(
            f"{base!r} is not a conflict copy, nor a note with copies or git conflict "
            "markers (see: coach conflicts list)"
        )
    return chosen


def _text(data: bytes) -> str:
    # Decoded without newline translation: "\r\n" stays "\r\n".
    return data.decode("utf-8", errors="replace")


def _read(path: Path) -> bytes:
    try:
        info = os.stat(path, follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode):
            raise StorageError(f"cannot read {path}: it is not a regular file")
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{path} is gone (see: coach conflicts list)") from None
    except OSError as exc:
        raise fileio.storage_error(exc, path, "read") from None


def _parse(data: bytes, path: Path, what: str) -> tuple[Note, str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise StorageError(f"cannot read {what} {path}: not UTF-8 text") from None
    try:
        return parse_note(text), text
    except NoteParseError as exc:
        raise StorageError(
            f"cannot read {what} {path}: {exc}; copy what you need from it by hand"
        ) from None


def load(folder: Path, found: Found) -> Pair:
    """Read a conflict's two sides (StorageError names a side that cannot be read as a
    note; nothing is written)."""
    if found.is_git:
        path = folder / found.file
        data = _read(path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise StorageError(f"cannot read {path}: not UTF-8 text") from None
        split = conflicts.git_conflict(text)
        if split is None:
            raise StorageError(
                f"{path} holds git conflict markers that do not pair up: fix it by hand"
            )
        ours = _parse(split.ours.encode("utf-8"), path, "git's first side (ours) of")[0]
        other = _parse(split.theirs.encode("utf-8"), path, "git's second side (theirs) of")[0]
        ours.path = path
        return Pair(
            found=found,
            mine=ours,
            theirs=other,
            mine_text=split.ours,
            note_bytes=data,
            copy_bytes=data,
            mine_label=f"this side ({split.ours_label})" if split.ours_label else "this side",
            theirs_label=(
                f"the other side ({split.theirs_label})" if split.theirs_label else "the other side"
            ),
            mine_short="this side",
            theirs_short="the other side",
        )
    copy_path = folder / found.file
    copy_bytes = _read(copy_path)
    theirs, _ = _parse(copy_bytes, copy_path, "the copy")
    theirs.path = copy_path
    note_path = folder / found.note
    try:
        note_bytes: bytes | None = _read(note_path)
    except NotFoundError:
        note_bytes = None
    mine: Note | None = None
    mine_text = ""
    if note_bytes is not None:
        mine, mine_text = _parse(note_bytes, note_path, "the note")
        if conflict_names.has_git_markers(mine_text):
            raise StorageError(
                f"{note_path} holds git conflict markers: merge them first "
                f"(coach conflicts merge {found.note})"
            )
        mine.path = note_path
    return Pair(
        found=found,
        mine=mine,
        theirs=theirs,
        mine_text=mine_text,
        note_bytes=note_bytes,
        copy_bytes=copy_bytes,
        mine_label="this note",
        theirs_label=f"the {found.scheme} copy ({found.file})",
    )


def merge(pair: Pair, choose: Choose) -> tuple[Note, str]:
    """The merged note and its file text, in memory (`conflict_merge.merge`): nothing is
    written. A copy whose note is gone is the note."""
    if pair.mine is None:
        return pair.theirs, pair.copy_bytes.decode("utf-8")
    merged = conflict_merge.merge(
        pair.mine,
        pair.theirs,
        choose,
        mine_label=pair.mine_label,
        theirs_label=pair.theirs_label,
    )
    return merged, conflict_merge.merged_file_text(pair.mine_text, merged)


def resolve(folder: Path, pair: Pair, choose: Choose) -> Resolved:
    """Merge a conflict on disk (`folder`: the notes folder of a coach home). Holding the
    note's lock, as `NoteStore.change` does (another coach changing the note is waited
    for), the merged note replaces the note atomically (keeping its mode; 0600 when new)
    and is read back; only then is the copy removed, if it still holds what was merged. A
    note or copy that changed since it was read stops the merge before anything is
    written (StorageError: run it again)."""
    _, text = merge(pair, choose)
    found = pair.found
    note_path = folder / found.note
    try:
        lock = notestore.lock_path(folder.parent, found.note)
        with fileio.hold_lock(lock, wait=notestore.CHANGE_WAIT):
            written = _write_merged(folder, pair, text)
    except fileio.LockBusy:
        raise StorageError(
            f"cannot merge into {note_path}: another coach is changing it; nothing was "
            "written: run the command again"
        ) from None
    if found.is_git:
        return Resolved(path=written, removed=None)
    copy_path = folder / found.file
    try:
        still = _read(copy_path)
    except NotFoundError:
        return Resolved(path=written, removed=found.file)
    if still != pair.copy_bytes:
        return Resolved(path=written, removed=None, kept_copy=found.file)
    try:
        os.unlink(copy_path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise fileio.storage_error(exc, copy_path, "remove the merged copy") from None
    return Resolved(path=written, removed=found.file)


def _write_merged(folder: Path, pair: Pair, text: str) -> Path:
    """Write the merged note's `text` in place of the note, if it still holds what was
    merged (its lock held), and read it back; the path written."""
    found = pair.found
    note_path = folder / found.note
    changed = StorageError(
        f"{note_path} changed while merging; nothing was written: run the command again"
    )
    try:
        now: bytes | None = _read(note_path)
    except NotFoundError:
        now = None
    if now != pair.note_bytes:
        raise changed
    if now is None:
        # The copy's note is gone: the copy takes its name (never replacing a note that
        # appears meanwhile: then it gets the next free name).
        stem = found.note[: -len(".md")] if found.note.endswith(".md") else found.note
        written = fileio.create_new(folder, stem, ".md", text)
    elif fileio.replace_if_unchanged(note_path, text, expected=now.decode("utf-8")):
        written = note_path
    else:  # an editor or a sync client wrote it a moment ago
        raise changed
    try:
        back = written.read_bytes()
    except OSError as exc:
        raise fileio.storage_error(exc, written, "read back") from None
    if back != text.encode("utf-8"):
        raise StorageError(f"{written} does not read back as written; the copy is kept")
    return written
