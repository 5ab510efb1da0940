"""A derived index of the notes folder, so listing and searching stay fast at 10,000 notes.

The notes are the only source of truth. The index lives in the user cache folder (never
in the synced coach home) and is checked against every note's mtime and size on each use:
a changed note is re-read, a removed one dropped, and a missing, stale or corrupt index is
rebuilt silently. It is written atomically. Nothing is ever written to a note from it.

Files, all sharing one generation id so they are only used together:
- `stamps.json`: every note's mtime and size (read on every run: small), unreadable notes
  and the warnings about readable ones;
- `index.json`: one summary row per note;  `roles.json`: the rows of `coach list`;
- `search.txt`: every answer and body line, in one block per note;
- `search.folded`: the same lines casefolded, each with its byte offset in its block of
  `search.txt`, scanned with mmap for case-insensitive search.
A change re-reads only the changed notes; the blocks of the others are reused as bytes.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import uuid
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from stat import S_ISREG
from typing import Any

from callback_coach import fileio, paths
from callback_coach.errors import StorageError
from callback_coach.notes import Note, NoteParseError, read_note
from callback_coach.slugs import fold

INDEX_VERSION = 5  # 4: names fold Ł and ø (slugs.fold); 5: notes type-checked (yamlio)
SEP = "\x1f"  # between the fields of a search line; never typed by a person
BLOCK = "\x1e"  # starts a note's block in the search files


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
    # Said about a note that is still read (e.g. a front-matter key written twice).
    warning: str | None = None

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
        warning="; ".join(note.warnings) or None,
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
        self._stamps: dict[str, list[int]] | None = None
        self._unreadable: list[tuple[str, str]] | None = None
        self._warnings: list[tuple[str, str]] | None = None
        # Search lines kept in memory when the cache cannot be written: file -> records.
        self._lines: dict[str, list[tuple[str, str]]] = {}

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
            and self._file_generation(self.search_path) == generation
            and self._file_generation(self.folded_path) == generation
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

    def warnings(self) -> list[tuple[Path, str]]:
        """Readable notes with something to say about them (e.g. a key written twice)."""
        self.check()
        if self._rows is None and self._warnings is not None:
            return [(self.notes_dir / name, warning) for name, warning in self._warnings]
        warning_at = FIELDS.index("warning")
        return [
            (self.notes_dir / row[0], row[warning_at]) for row in self.rows() if row[warning_at]
        ]

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
        payload = {"generation": self._generation, "rows": [dict(vars(r)) for r in rows]}
        with contextlib.suppress(StorageError, OSError):
            fileio.atomic_write(self.roles_path, json.dumps(payload, ensure_ascii=False))
        return rows

    def search(self, text: str) -> list[tuple[NoteSummary, str, str]]:
        """(summary, where, line) for every line containing `text`, ignoring case."""
        try:
            return self._search(text)
        except (ValueError, UnicodeDecodeError, OSError):
            # A damaged search file: throw it away and build it again, once.
            with contextlib.suppress(OSError):
                self.folded_path.unlink()
            self._generation = ""
            return self._search(text)

    def _search(self, text: str) -> list[tuple[NoteSummary, str, str]]:
        """Scan the casefolded file with mmap (no copy, C speed) and read back only the
        original lines that match."""
        needle_text = text.casefold()
        needle = needle_text.encode("utf-8")
        if not needle or any(c in needle_text for c in ("\n", SEP, BLOCK)):
            return []
        hits: list[tuple[str, str, str]] = []
        if not self._ensure_search_files():
            for name in sorted(self._lines):
                hits.extend(
                    (name, where, line)
                    for where, line in self._lines[name]
                    if needle_text in line.casefold()
                )
        else:
            with self.folded_path.open("rb") as folded, self.search_path.open("rb") as original:
                if os.fstat(folded.fileno()).st_size:
                    with mmap.mmap(folded.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                        hits = self._scan(mm, needle, original)
        if not hits:
            return []
        by_file = {s.file: s for s in self.summaries()}
        return [(by_file[name], where, line) for name, where, line in hits if name in by_file]

    @staticmethod
    def _scan(mm: mmap.mmap, needle: bytes, original: Any) -> list[tuple[str, str, str]]:
        hits = []
        sep, block = SEP.encode(), BLOCK.encode()
        position = mm.find(needle)
        while position >= 0:
            start = mm.rfind(b"\n", 0, position) + 1
            end = mm.find(b"\n", position)
            end = len(mm) if end < 0 else end
            line = mm[start:end]
            offset, found, folded_text = line.partition(sep)
            if found and not line.startswith(block) and needle in folded_text:
                header_start = mm.rfind(b"\n" + block, 0, start)
                if header_start < 0:
                    raise ValueError("search file: a line outside any block")
                header_end = mm.find(b"\n", header_start + 1)
                block_offset, _, name = mm[header_start + 2 : header_end].partition(sep)
                original.seek(int(block_offset) + int(offset))
                record = original.readline().decode("utf-8").rstrip("\n")
                where, _, text = record.partition(SEP)
                hits.append((name.decode("utf-8"), where, text))
            position = mm.find(needle, end + 1)
        return hits

    # -- building ------------------------------------------------------------------------

    def _scan_folder(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        try:
            with os.scandir(self.notes_dir) as entries:
                for entry in entries:
                    name = entry.name
                    if name[-3:] != ".md" or name[0] == "." or not name.isprintable():
                        continue  # not a note (or a name the search files cannot hold)
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

    def _load_json(self, path: Path) -> dict[str, Any] | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return None
        return data if data.get("home") == str(self.home) else None

    def _load_stamps(self) -> tuple[dict[str, list[int]], str]:
        data = self._load_json(self.stamps_path)
        try:
            self._unreadable = [(str(n), str(e)) for n, e in data["unreadable"]]  # type: ignore[index]
            self._warnings = [(str(n), str(w)) for n, w in data["warnings"]]  # type: ignore[index]
            return data["files"], str(data["generation"])  # type: ignore[index]
        except (TypeError, KeyError, ValueError):
            return {}, ""

    def _load_index(self) -> tuple[dict[str, list[Any]], str]:
        data = self._load_json(self.index_path)
        try:
            if data is None or data.get("fields") != list(FIELDS):
                return {}, ""
            return {row[0]: row for row in data["notes"]}, str(data["generation"])
        except (TypeError, KeyError, IndexError):
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
        blocks = self._load_blocks(generation) if generation else None
        if blocks is None:
            # No usable search files: read every note again for its lines.
            blocks = {}
            error_at = FIELDS.index("error")
            for name, row in fresh.items():
                if name not in reread and row[error_at] is None:
                    reread[name] = self._read(name, row[1], row[2])[1]
        for name in reread:
            blocks.pop(name, None)
        self._lines = {
            name: _note_records(note) if note is not None else [] for name, note in reread.items()
        }
        for name in reread:
            blocks[name] = _make_block(name, self._lines[name])
        self._generation = uuid.uuid4().hex
        self._stamps = on_disk
        self._write(rows, [blocks[row[0]] for row in rows if row[0] in blocks])
        return rows

    @staticmethod
    def _file_generation(path: Path) -> str:
        try:
            with path.open("rb") as handle:
                return handle.readline().decode("utf-8", "replace").rstrip("\n")
        except OSError:
            return ""

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

    def _load_blocks(self, generation: str) -> dict[str, tuple[bytes, bytes]] | None:
        """file -> (its block of search.txt, its folded lines), reused as they are."""
        try:
            original = self.search_path.read_bytes()
            folded = self.folded_path.read_bytes()
        except OSError:
            return None
        gen = generation.encode() + b"\n"
        if not original.startswith(gen) or not folded.startswith(gen):
            return None
        block = BLOCK.encode()
        originals = original[len(gen) :].split(b"\n" + block)
        foldeds = folded[len(gen) :].split(b"\n" + block)
        if len(originals) != len(foldeds):
            return None
        blocks: dict[str, tuple[bytes, bytes]] = {}
        for number, (orig, fold_part) in enumerate(zip(originals, foldeds, strict=True)):
            if not orig:
                continue
            if number == 0:
                if not orig.startswith(block) or not fold_part.startswith(block):
                    return None
                orig, fold_part = orig[1:], fold_part[1:]
            name, _, orig_rest = orig.partition(b"\n")
            _, _, fold_rest = fold_part.partition(b"\n")
            key = name.decode("utf-8", "replace")
            blocks[key] = (
                block + name + b"\n" + orig_rest + b"\n",
                fold_rest + b"\n" if fold_rest else b"",
            )
        return blocks

    def _write(self, rows: list[list[Any]], blocks: list[tuple[bytes, bytes]]) -> None:
        gen = self._generation.encode() + b"\n"
        original_parts, folded_parts = [gen], [gen]
        offset = len(gen)
        sep, block = SEP.encode(), BLOCK.encode()
        for orig, folded in blocks:
            name = orig[1 : orig.index(b"\n")]
            original_parts.append(orig)
            folded_parts.append(block + str(offset).encode() + sep + name + b"\n" + folded)
            offset += len(orig)
        error_at, warning_at = FIELDS.index("error"), FIELDS.index("warning")
        index = {
            "version": INDEX_VERSION,
            "home": str(self.home),
            "generation": self._generation,
            "fields": list(FIELDS),
            "notes": rows,
        }
        stamps = {
            "version": INDEX_VERSION,
            "home": str(self.home),
            "generation": self._generation,
            "files": {row[0]: [row[1], row[2]] for row in rows},
            "unreadable": [[row[0], row[error_at]] for row in rows if row[error_at]],
            "warnings": [[row[0], row[warning_at]] for row in rows if row[warning_at]],
        }
        # The cache is a convenience: if it cannot be written, search uses `_lines`.
        with contextlib.suppress(StorageError, OSError):
            fileio.atomic_write_bytes(self.search_path, b"".join(original_parts))
            fileio.atomic_write_bytes(self.folded_path, b"".join(folded_parts))
            fileio.atomic_write(self.index_path, json.dumps(index, ensure_ascii=False))
            # Written last: it is what says the other files are complete and current.
            fileio.atomic_write(self.stamps_path, json.dumps(stamps, ensure_ascii=False))

    def _ensure_search_files(self) -> bool:
        """True when both search files belong to the current generation (rebuilt if not);
        False when they cannot be written, and `_lines` holds every note's lines."""
        self.check()
        for attempt in range(2):
            if (
                self._file_generation(self.search_path) == self._generation
                and self._file_generation(self.folded_path) == self._generation
            ):
                return True
            if attempt == 0:
                self._rows = self._refresh(self._scan_folder())
                self._summaries = None
        if len(self._lines) != len(self.rows()):
            error_at = FIELDS.index("error")
            for row in self.rows():
                if row[0] not in self._lines and row[error_at] is None:
                    note = self._read(row[0], row[1], row[2])[1]
                    self._lines[row[0]] = _note_records(note) if note else []
        return False


def _clean(text: str) -> str:
    return text.replace(SEP, " ").replace(BLOCK, " ").replace("\r", "")


def _note_records(note: Note) -> list[tuple[str, str]]:
    return [(where, _clean(line)) for where, line in search_lines(note)]


def _make_block(name: str, records: list[tuple[str, str]]) -> tuple[bytes, bytes]:
    """A note's block of search.txt, and its folded lines (offsets within the block)."""
    header = f"{BLOCK}{name}\n".encode()
    parts, folded = [header], []
    offset = len(header)
    for where, line in records:
        encoded = f"{where}{SEP}{line}\n".encode()
        parts.append(encoded)
        folded.append(f"{offset}{SEP}{line.casefold()}\n".encode())
        offset += len(encoded)
    return b"".join(parts), b"".join(folded)
