"""A derived index of the notes folder, so listing and searching stay fast at 10,000 notes.

The notes are the only source of truth. The index lives in the user cache folder (never
in the synced coach home) and is checked against every note's mtime and size on each use:
a changed note is re-read, a removed one dropped, and a missing, stale or corrupt index is
rebuilt silently. It is written atomically. Nothing is ever written to a note from it.

Two files: `index.json` (one summary per note) and `search.txt` (every answer and body
line, tagged with its note), sharing a generation id so they are only used together.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import uuid
from dataclasses import asdict, astuple, dataclass, fields
from pathlib import Path
from stat import S_ISREG
from typing import Any

from callback_coach import fileio, paths
from callback_coach.errors import StorageError
from callback_coach.notes import Note, NoteParseError, read_note
from callback_coach.slugs import fold

INDEX_VERSION = 3
SEP = "\x1f"  # between the fields of a search line; never typed by a person


@dataclass(slots=True)
class NoteSummary:
    """What `list` and the round logic need from a note, without reading it again."""

    file: str
    mtime_ns: int
    size: int
    kind: str = ""
    role: str = ""
    project: str = ""
    round: str = ""
    date: str = ""
    created: str = ""
    outcome: str | None = None
    error: str | None = None
    # fold(role) and fold(project), computed once when the note is read.
    role_key: str = ""
    project_key: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


FIELDS = tuple(f.name for f in fields(NoteSummary))


def summarize(note: Note, file: str, mtime_ns: int, size: int) -> NoteSummary:
    return NoteSummary(
        file=file,
        mtime_ns=mtime_ns,
        size=size,
        kind=note.kind,
        role=note.role,
        project=note.project,
        round=note.round,
        date=note.date,
        created=note.created,
        outcome=note.outcome,
        role_key=fold(note.role),
        project_key=fold(note.project),
    )


def search_lines(note: Note) -> list[tuple[str, str]]:
    """(where, line) pairs of everything searchable in a note: answers, then the body."""
    from callback_coach.render import format_answer

    lines: list[tuple[str, str]] = []
    for cid, answers in note.answers.items():
        for qid, value in answers.items():
            for line in format_answer(value).split("\n"):
                if line.strip():
                    lines.append((f"{cid}.{qid}", line))
    for line in note.body.split("\n"):
        if line.strip():
            lines.append(("body", line))
    return lines


class NoteIndex:
    """The index of one coach home's notes."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = home or paths.coach_home()
        self.notes_dir = paths.notes_dir(self.home)
        self.folder = paths.cache_dir(self.home)
        self.index_path = self.folder / "index.json"
        self.search_path = self.folder / "search.txt"
        self.folded_path = self.folder / "search.folded"
        self.roles_path = self.folder / "roles.json"
        self.stamps_path = self.folder / "stamps.json"
        self._rows: list[list[Any]] | None = None  # raw summary rows, in FIELDS order
        self._summaries: list[NoteSummary] | None = None
        self._generation = ""
        self._lines: dict[str, list[str]] = {}  # search lines when the cache is unwritable
        self._unreadable: list[tuple[str, str]] | None = None
        self._stamps: dict[str, list[int]] | None = None

    # -- reading -------------------------------------------------------------------------

    def check(self) -> None:
        """Bring the index up to date with the notes folder (a stat of every note)."""
        if self._generation:
            return
        on_disk = self._scan_folder()
        stamps, generation = self._load_stamps()
        if (
            generation
            and stamps == on_disk
            and self._search_generation() == generation
            and self._folded_generation() == generation
        ):
            self._generation = generation
            self._stamps = on_disk
            return
        self._rows = self._refresh(on_disk)

    def rows(self) -> list[list[Any]]:
        """Every note's summary row (in FIELDS order), fresh against the folder."""
        self.check()
        if self._rows is None:
            cached, generation = self._load_index()
            if generation == self._generation:
                self._rows = [cached[name] for name in sorted(cached)]
            else:
                self._rows = self._refresh(self._scan_folder())
        return self._rows

    def summaries(self) -> list[NoteSummary]:
        """A summary of every note file, fresh against the folder (sorted by file name)."""
        if self._summaries is None:
            self._summaries = [NoteSummary(*row) for row in self.rows()]
        return self._summaries

    def for_role(self, role: str) -> list[NoteSummary]:
        """The readable notes whose role matches `role` (case- and accent-insensitively)."""
        key = fold(role)
        if self._rows is None:
            # The list cache knows each role's files: read just those, not the whole index.
            files = [f for row in self.role_rows() if row.role_key == key for f in row.files]
            if self._stamps is not None and all(f in self._stamps for f in files):
                found = [self._read(f, *self._stamps[f]) for f in files]
                if all(summary.ok for summary, _ in found):
                    return sorted((s for s, _ in found), key=lambda s: s.file)
        role_at = FIELDS.index("role_key")
        error_at = FIELDS.index("error")
        return [
            NoteSummary(*row)
            for row in self.rows()
            if row[role_at] == key and row[error_at] is None
        ]

    def unreadable(self) -> list[tuple[Path, str]]:
        """Note files that could not be read, with the reason."""
        self.check()
        if self._rows is None and self._unreadable is not None:
            return [(self.notes_dir / name, error) for name, error in self._unreadable]
        error_at = FIELDS.index("error")
        return [(self.notes_dir / row[0], row[error_at]) for row in self.rows() if row[error_at]]

    def role_rows(self) -> list[Any]:
        """`coach list`'s rows for every role, cached with the index (same generation)."""
        from callback_coach.history import RoleRow, role_rows

        self.check()
        try:
            data = json.loads(self.roles_path.read_text(encoding="utf-8"))
            if data.get("generation") == self._generation and self._generation:
                return [RoleRow(**row) for row in data["rows"]]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        rows = role_rows(s for s in self.summaries() if s.ok)
        payload = {"generation": self._generation, "rows": [asdict(r) for r in rows]}
        with contextlib.suppress(StorageError, OSError):
            fileio.atomic_write(self.roles_path, json.dumps(payload, ensure_ascii=False))
        return rows

    def path_of(self, summary: NoteSummary) -> Path:
        return self.notes_dir / summary.file

    def search(self, text: str) -> list[tuple[NoteSummary, str, str]]:
        try:
            return self._search(text)
        except (ValueError, UnicodeDecodeError, OSError):
            # A damaged search file: throw it away and build it again, once.
            with contextlib.suppress(OSError):
                self.folded_path.unlink()
            return self._search(text)

    def _search(self, text: str) -> list[tuple[NoteSummary, str, str]]:
        """(summary, where, line) for every line containing `text`, ignoring case.

        Scans the casefolded companion file with mmap (no copy, C speed) and reads back
        only the original lines that match.
        """
        needle = text.casefold().encode("utf-8")
        if not needle or b"\n" in needle or SEP.encode() in needle:
            return []
        hits: list[tuple[NoteSummary, str, str]] = []
        if not self._ensure_search_files():
            by_name = {s.file: s for s in self.summaries()}
            for name in sorted(self._lines):
                for record in self._lines[name]:
                    _, where, line = record.split(SEP, 2)
                    if needle.decode("utf-8") in line.casefold() and name in by_name:
                        hits.append((by_name[name], where, line))
            return hits
        by_file: dict[str, NoteSummary] | None = None
        try:
            folded = self.folded_path.open("rb")
            original = self.search_path.open("rb")
        except OSError:
            return []
        with folded, original:
            if os.fstat(folded.fileno()).st_size == 0:
                return []
            with mmap.mmap(folded.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                position = mm.find(needle)
                while position >= 0:
                    start = mm.rfind(b"\n", 0, position) + 1
                    end = mm.find(b"\n", position)
                    end = len(mm) if end < 0 else end
                    offset_text, _, folded_line = mm[start:end].partition(SEP.encode())
                    if needle in folded_line and start > 0:
                        original.seek(int(offset_text))
                        record = original.readline().decode("utf-8").rstrip("\n")
                        name, where, line = record.split(SEP, 2)
                        if by_file is None:
                            by_file = {s.file: s for s in self.summaries()}
                        summary = by_file.get(name)
                        if summary is not None:
                            hits.append((summary, where, line))
                    position = mm.find(needle, end + 1)
        return hits

    # -- building ------------------------------------------------------------------------

    def _scan_folder(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        try:
            with os.scandir(self.notes_dir) as entries:
                for entry in entries:
                    name = entry.name
                    if name[-3:] != ".md" or name[0] == ".":
                        continue
                    try:
                        st = entry.stat()
                    except OSError:
                        continue
                    if S_ISREG(st.st_mode):
                        found[name] = [st.st_mtime_ns, st.st_size]
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise fileio.storage_error(exc, self.notes_dir, "read") from None
        return found

    def _load_index(self) -> tuple[dict[str, list[Any]], str]:
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
            if (
                data.get("version") != INDEX_VERSION
                or data.get("home") != str(self.home)
                or data.get("fields") != list(FIELDS)
            ):
                return {}, ""
            return {row[0]: row for row in data["notes"]}, str(data["generation"])
        except (OSError, ValueError, KeyError, TypeError):
            return {}, ""

    def _load_stamps(self) -> tuple[dict[str, list[int]], str]:
        try:
            data = json.loads(self.stamps_path.read_text(encoding="utf-8"))
            if data.get("version") != INDEX_VERSION or data.get("home") != str(self.home):
                return {}, ""
            self._unreadable = [(str(n), str(e)) for n, e in data["unreadable"]]
            return data["files"], str(data["generation"])
        except (OSError, ValueError, KeyError, TypeError):
            return {}, ""

    def _refresh(self, on_disk: dict[str, list[int]]) -> list[list[Any]]:
        cached, generation = self._load_index()
        fresh: dict[str, list[Any]] = {}
        reread: dict[str, Note | None] = {}
        for name, (mtime_ns, size) in on_disk.items():
            old = cached.get(name)
            if old is not None and old[1] == mtime_ns and old[2] == size:
                fresh[name] = old
            else:
                summary, reread[name] = self._read(name, mtime_ns, size)
                fresh[name] = list(astuple(summary))
        rows = [fresh[name] for name in sorted(fresh)]
        old_lines = self._load_search(generation) if generation else None
        if old_lines is None:
            # No usable search file: read every note again for its lines.
            old_lines = {}
            error_at = FIELDS.index("error")
            for name, row in fresh.items():
                if name not in reread and row[error_at] is None:
                    reread[name] = self._read(name, row[1], row[2])[1]
        lines = {name: old_lines.get(name, []) for name in fresh if name not in reread}
        for name, note in reread.items():
            lines[name] = self._note_lines(name, note) if note is not None else []
        self._generation = uuid.uuid4().hex
        self._write(rows, lines)
        return rows

    def _search_generation(self) -> str:
        try:
            with self.search_path.open(encoding="utf-8", newline="") as handle:
                return handle.readline().rstrip("\n")
        except (OSError, UnicodeDecodeError):
            return ""

    @staticmethod
    def _note_lines(name: str, note: Note) -> list[str]:
        return [
            f"{name}{SEP}{where}{SEP}{line.replace(SEP, ' ').replace(chr(13), '')}"
            for where, line in search_lines(note)
        ]

    def _read(self, name: str, mtime_ns: int, size: int) -> tuple[NoteSummary, Note | None]:
        path = self.notes_dir / name
        try:
            note = read_note(path)
        except NoteParseError as exc:
            return NoteSummary(file=name, mtime_ns=mtime_ns, size=size, error=str(exc)), None
        except OSError as exc:
            error = exc.strerror or str(exc)
            return NoteSummary(file=name, mtime_ns=mtime_ns, size=size, error=error), None
        return summarize(note, name, mtime_ns, size), note

    def _load_search(self, generation: str) -> dict[str, list[str]] | None:
        try:
            text = self.search_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        first, _, rest = text.partition("\n")
        if first != generation:
            return None
        by_file: dict[str, list[str]] = {}
        for record in rest.split("\n"):
            if record:
                by_file.setdefault(record.split(SEP, 1)[0], []).append(record)
        return by_file

    def _write(self, rows: list[list[Any]], lines: dict[str, list[str]]) -> None:
        head = f"{self._generation}\n"
        records = [line for row in rows for line in lines.get(row[0], [])]
        original = (head + "".join(r + "\n" for r in records)).encode("utf-8")
        folded_parts = [head.encode("utf-8")]
        offset = len(folded_parts[0])
        for record in records:
            text = record.split(SEP, 2)[2]
            folded_parts.append(f"{offset}{SEP}{text.casefold()}\n".encode())
            offset += len(record.encode("utf-8")) + 1
        index = {
            "version": INDEX_VERSION,
            "home": str(self.home),
            "generation": self._generation,
            "fields": list(FIELDS),
            "notes": rows,
        }
        # The cache is a convenience: if it cannot be written, search reads the notes.
        self._lines = {name: list(found) for name, found in lines.items()}
        with contextlib.suppress(StorageError, OSError):
            fileio.atomic_write_bytes(self.search_path, original)
            fileio.atomic_write_bytes(self.folded_path, b"".join(folded_parts))
            fileio.atomic_write(self.index_path, json.dumps(index, ensure_ascii=False))
            error_at = FIELDS.index("error")
            stamps = {
                "version": INDEX_VERSION,
                "home": str(self.home),
                "generation": self._generation,
                "files": {row[0]: [row[1], row[2]] for row in rows},
                "unreadable": [[row[0], row[error_at]] for row in rows if row[error_at]],
            }
            # Written last: it is what says the other files are complete and current.
            fileio.atomic_write(self.stamps_path, json.dumps(stamps, ensure_ascii=False))

    def _ensure_search_files(self) -> bool:
        """True when both search files belong to the current index generation (they are
        rebuilt if not); False when they cannot be written, and `_lines` holds the lines."""
        self.check()
        for attempt in range(2):
            if (
                self._search_generation() == self._generation
                and self._folded_generation() == self._generation
            ):
                return True
            if attempt == 0:
                self._rows = self._refresh(self._scan_folder())
                self._summaries = None
        return False

    def _folded_generation(self) -> str:
        try:
            with self.folded_path.open("rb") as handle:
                return handle.readline().decode("utf-8", "replace").rstrip("\n")
        except OSError:
            return ""
