"""The notes folder of one coach home: new notes written (never over another), saved
notes changed in place as checked transactions."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from callback_coach.errors import StorageError
from callback_coach.store import fileio, paths
from callback_coach.store.frontmatter import set_front_matter
from callback_coach.store.notes import (
    Note,
    NoteParseError,
    check_savable,
    note_stem,
    parse_note,
    read_note,
)
from callback_coach.store.slugs import slugify

# How long a change to a note waits for another coach changing it; and when the file keeps
# changing under it (a sync writing it, an editor saving every few milliseconds), for how
# long, and at least how many times, the change is made again on the new text.
CHANGE_WAIT = 10.0
CHANGE_TRIES = 5
CHANGE_RETRY_SECONDS = 2.0


def lock_path(home: Path, file: str) -> Path:
    """The lock of the note `file` of the coach home `home`: per machine, in the lock
    folder (`paths.locks_dir`). Whatever rewrites a saved note holds it (`NoteStore.change`,
    `coach conflicts merge`), so two coaches never change one note at once."""
    return paths.locks_dir(home) / f"note-{slugify(Path(file).stem)}.lock"


def _read_exact(path: Path) -> str:
    """A note's text as its bytes say ("\r\n" stays "\r\n"); StorageError otherwise."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise StorageError(f"cannot update {path}: not UTF-8 text") from None
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror or exc}") from None


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

    def change(
        self, file: str, change: Callable[[dict[str, object]], Mapping[str, object]]
    ) -> Note:
        """Change a saved note's front matter as one checked transaction, and give the
        note as written.

        The note's lock (per machine, in the cache folder) is held, so another coach
        changing the same note waits; the note is read, `change` gets its front matter
        as it is now and gives the keys to set, and the new text is written atomically.
        If the file changed on disk meanwhile (an editor, a sync), the change is made
        again on the new text: neither is dropped. Only the keys set differ (see
        `frontmatter.set_front_matter`); StorageError when the note cannot be changed.
        """
        path = self.folder / file
        self._check_inside(path)
        try:
            with fileio.hold_lock(lock_path(self.home, file), wait=CHANGE_WAIT):
                deadline = time.monotonic() + CHANGE_RETRY_SECONDS
                for tries in itertools.count(1):
                    text = _read_exact(path)
                    try:
                        updates = change(parse_note(text).meta)
                        if not updates:
                            break  # nothing to change: the note is left as it is
                        new_text = set_front_matter(text, updates)
                    except NoteParseError as exc:
                        raise StorageError(f"cannot update {path}: {exc}") from None
                    if fileio.replace_if_unchanged(path, new_text, expected=text):
                        break
                    if tries >= CHANGE_TRIES and time.monotonic() >= deadline:
                        raise StorageError(f"cannot update {path}: it keeps changing; try again")
        except fileio.LockBusy:
            raise StorageError(
                f"cannot update {path}: another coach is changing it; try again"
            ) from None
        if self.on_change is not None:
            self.on_change()
        return read_note(path)

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
