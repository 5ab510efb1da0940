"""Opening the notes index and keeping it fresh (see `index` for what it is).

On each use the database is checked against the notes folder's listing (every note's
modification time and size): a changed note is read again and only its rows are replaced,
a removed one is dropped, and the roles they belong to are summed up again (by the
`summarize` the core gives), all in one transaction. Missing, stale, damaged, locked past
a second, read-only or made by another version, the database is rebuilt, or gone around
for a private temporary one built from the notes: never an error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import os
import sqlite3
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from stat import S_ISBLK, S_ISCHR, S_ISDIR, S_ISFIFO, S_ISREG, S_ISSOCK
from typing import TypeVar

from callback_coach.errors import StorageError
from callback_coach.store import conflict_names, fileio, paths
from callback_coach.store.facts import NoteFacts, facts_of
from callback_coach.store.index.rows import (
    COLUMNS,
    ERROR,
    PROJECT_KEY,
    ROLE_KEY,
    note_row,
)
from callback_coach.store.index.schema import SCHEMA_VERSION, SUMMARY_COLUMNS, TABLES, RoleSummary
from callback_coach.store.notes import NoteParseError, read_note

_T = TypeVar("_T")
DB_NAME = "index.sqlite3"
# How long to wait for another coach that is writing the index before going around it.
BUSY_TIMEOUT_MS = 1000
# Rows written to the database at a time.
INSERT_BATCH = 500
# Up to this many roles changed, their notes are read one role at a time; past it (a first
# build), in one pass over every note.
ROLES_ONE_BY_ONE = 64
# A role's key: its folded name and project.
RoleKey = tuple[str, str]
# Makes a role's summary from its notes' facts (None: the notes hold no role).
Summarize = Callable[[list[NoteFacts]], RoleSummary | None]
# A value SQLite takes as a parameter, and a row it gives (its values are these too).
SqlValue = str | int | float | bytes | None
Row = tuple[object, ...]
# (role_key, project_key, file, facts) of a note of the notes table.
_FactsRow = tuple[str, str, str, str | None]

_INSERT_NOTE = f"INSERT INTO notes ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


class _Unusable(Exception):
    """The database file cannot be used as it is: start it again."""


def scan(notes_dir: Path, odd: list[tuple[str, str]] | None = None) -> dict[str, tuple[int, int]]:
    """Every note file's (mtime_ns, size), by name (no folder: none). What is named like
    a note and cannot be one is added to `odd` as (name shown escaped, why): a name that
    is not UTF-8, a folder, a pipe, a link that leads nowhere."""
    found: dict[str, tuple[int, int]] = {}
    odd = [] if odd is None else odd
    try:
        entries = os.scandir(notes_dir)
    except FileNotFoundError:
        return found
    except OSError as exc:
        raise fileio.storage_error(exc, notes_dir, "read") from None
    with entries:
        try:
            for entry in entries:
                name = entry.name
                if name[-3:] != ".md" or name[0] == ".":
                    continue
                if not name.isascii() and not _is_utf8(name):
                    shown = name.encode("utf-8", "surrogateescape").decode(
                        "utf-8", "backslashreplace"
                    )
                    odd.append((shown, "its name is not UTF-8 text; rename it"))
                    continue
                try:
                    st = entry.stat()
                except OSError as exc:
                    odd.append((name, exc.strerror or "it cannot be read"))
                    continue
                if S_ISREG(st.st_mode):
                    found[name] = (st.st_mtime_ns, st.st_size)
                else:
                    odd.append((name, f"it is {_kind(st.st_mode)}, not a note file"))
        except OSError as exc:
            raise fileio.storage_error(exc, notes_dir, "read") from None
    return found


def _is_utf8(name: str) -> bool:
    """Whether a file name decoded from UTF-8 bytes (a name that is not holds the lone
    surrogates `surrogateescape` gives its bytes, which UTF-8 cannot encode). Checked in
    C: a character-by-character look took 60 ms of `list` at 10,000 notes."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _kind(mode: int) -> str:
    if S_ISDIR(mode):
        return "a folder"
    if S_ISFIFO(mode):
        return "a pipe"
    if S_ISCHR(mode) or S_ISBLK(mode):
        return "a device"
    return "a socket" if S_ISSOCK(mode) else "something else"


def digest(stamps: dict[str, tuple[int, int]]) -> str:
    """One value that changes whenever a note is added, removed or changed: the names in
    order, then their stamps as 64-bit numbers (a third of the time of formatting each
    name's stamps as text, which every command pays at 10,000 notes)."""
    names = sorted(stamps)
    numbers = array("q", [number for name in names for number in stamps[name]])
    hashed = hashlib.sha256("\0".join(names).encode("utf-8", "surrogatepass"))
    hashed.update(numbers.tobytes())
    return hashed.hexdigest()


class IndexFile:
    """The database of one coach home's notes index, opened and brought up to date on
    first use (`NoteIndex` asks it its questions); `summarize` makes each role's summary
    from its notes' facts (core.rounds does)."""

    def __init__(self, home: Path, summarize: Summarize) -> None:
        self.home = home
        self.summarize = summarize
        self.notes_dir = paths.notes_dir(home)
        self.folder = paths.cache_dir(home)
        self.path = self.folder / DB_NAME
        self._db: sqlite3.Connection | None = None
        self.bypassed = False  # True when a private temporary database is used instead
        # The sync conflict copies found beside the notes (never read as notes), and what
        # is named like a note but cannot be one (its name shown, why).
        self._copies: list[conflict_names.Conflict] = []
        self._odd: list[tuple[str, str]] = []

    # -- opening ---------------------------------------------------------------------------

    def db(self) -> sqlite3.Connection:
        """The open, fresh database (built or brought up to date on first call)."""
        if self._db is None:
            self._db = self._open()
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _open(self) -> sqlite3.Connection:
        for attempt in range(2):
            db = None
            try:
                db = self._connect(str(self.path))
                self._refresh(db)
                return db
            except _Unusable:
                if db is not None:
                    db.close()
                if attempt == 0:
                    self._remove_files()
                    continue
            except (sqlite3.Error, OSError, StorageError):
                # Locked past the timeout, read-only, a full disk: go around it.
                if db is not None:
                    db.close()
            break
        self.bypassed = True
        # "" is a private temporary database on disk: memory stays flat at any size.
        db = self._connect("")
        self._refresh(db)
        return db

    def _connect(self, target: str) -> sqlite3.Connection:
        if target:
            fileio.ensure_private_dir(self.folder)
        db = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            if target:
                db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._check_schema(db)
        except sqlite3.DatabaseError as exc:
            db.close()
            if isinstance(exc, sqlite3.OperationalError):
                raise  # locked, read-only, no such folder: go around it
            raise _Unusable(str(exc)) from None  # not a database, or a damaged one
        if target:
            with contextlib.suppress(OSError):
                os.chmod(target, fileio.FILE_MODE)
        return db

    def _check_schema(self, db: sqlite3.Connection) -> None:
        """An empty database gets the tables; one of another version or of another home
        is started again (_Unusable)."""
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and not db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
            db.execute("BEGIN IMMEDIATE")
            try:
                if db.execute("PRAGMA user_version").fetchone()[0] == 0:  # another coach?
                    for statement in TABLES:
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    db.execute("INSERT INTO state VALUES ('home', ?)", (str(self.home),))
                db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                raise
        elif version != SCHEMA_VERSION:
            raise _Unusable(f"made by another version (schema {version})")
        row = db.execute("SELECT value FROM state WHERE key = 'home'").fetchone()
        if row is None or row[0] != str(self.home):
            raise _Unusable("the index belongs to another home")

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    @property
    def copies(self) -> list[conflict_names.Conflict]:
        """The sync conflict copies beside the notes, as the index last found them (it is
        brought up to date first, so a command that has not read it yet still sees them)."""
        self.db()
        return self._copies

    @property
    def odd(self) -> list[tuple[str, str]]:
        """What is named like a note in the notes folder but cannot be one (`scan`)."""
        self.db()
        return self._odd

    # -- keeping it fresh --------------------------------------------------------------------

    def _refresh(self, db: sqlite3.Connection) -> None:
        """Bring the database up to date with the notes folder, in one transaction."""
        self._odd = []
        on_disk = scan(self.notes_dir, self._odd)
        self._copies = conflict_names.scan(list(on_disk))
        for copy in self._copies:
            del on_disk[copy.copy]
        now = digest(on_disk)
        try:
            row = db.execute("SELECT value FROM state WHERE key = 'stamps'").fetchone()
            if row is not None and row[0] == now:
                return
            db.execute("BEGIN IMMEDIATE")  # waits for another coach writing it
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise
            raise _Unusable(str(exc)) from None
        try:
            known = {
                file: (mtime_ns, size)
                for file, mtime_ns, size in db.execute("SELECT file, mtime_ns, size FROM notes")
            }
            changed = {name: stamp for name, stamp in on_disk.items() if known.get(name) != stamp}
            gone = [name for name in known if name not in on_disk or name in changed]
            keys: set[RoleKey] = set()
            for name in gone:
                keys.update(self._delete(db, name))
            batch: list[Row] = []
            for new in self._rows(changed):
                batch.append(new)
                role_key, project_key = new[ROLE_KEY], new[PROJECT_KEY]
                if new[ERROR] is None:  # readable: it belongs to a role (its keys are text)
                    assert isinstance(role_key, str) and isinstance(project_key, str)
                    keys.add((role_key, project_key))
                if len(batch) >= INSERT_BATCH:
                    db.executemany(_INSERT_NOTE, batch)
                    batch.clear()
            db.executemany(_INSERT_NOTE, batch)
            self._summarize_roles(db, sorted(keys))
            db.execute("INSERT OR REPLACE INTO state VALUES ('stamps', ?)", (now,))
            db.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.DatabaseError) and (
                not isinstance(exc, sqlite3.OperationalError) or "no such module" in str(exc)
            ):
                raise _Unusable(str(exc)) from None  # damaged, or made by another SQLite
            raise

    def _delete(self, db: sqlite3.Connection, name: str) -> list[RoleKey]:
        """Drop a note's rows; the role it belonged to, if it had one."""
        found = db.execute(
            "SELECT role_key, project_key, error FROM notes WHERE file = ?", (name,)
        ).fetchall()
        db.execute("DELETE FROM notes WHERE file = ?", (name,))
        return [(role_key, project_key) for role_key, project_key, error in found if error is None]

    def _rows(self, stamps: dict[str, tuple[int, int]]) -> Iterator[Row]:
        """`note_row` of each note (name -> stamp), in order. (Read in this process:
        forked readers saved 27 % of a first build idle but 6 % with one core busy, so
        they went; docs/performance.md.)"""
        folder = str(self.notes_dir)
        return map(note_row, [(folder, name, stamp) for name, stamp in stamps.items()])

    def _summarize_roles(self, db: sqlite3.Connection, keys: list[RoleKey]) -> None:
        """Sum up again the roles of `keys` from their notes' facts; their calendar events
        are made again when next asked for."""
        for table in ("roles", "events"):
            db.executemany(f"DELETE FROM {table} WHERE role_key = ? AND project_key = ?", keys)
        db.executemany("INSERT OR IGNORE INTO events_stale VALUES (?, ?)", keys)
        marks = ", ".join("?" * (2 + SUMMARY_COLUMNS.count(",") + 1))
        inserts = []
        for key, facts in self._facts_by_role(db, keys):
            summary = self.summarize(facts)
            if summary is not None:
                inserts.append((*key, *summary.row()))
        db.executemany(f"INSERT INTO roles VALUES ({marks})", inserts)

    def _facts_by_role(
        self, db: sqlite3.Connection, keys: list[RoleKey]
    ) -> Iterator[tuple[RoleKey, list[NoteFacts]]]:
        """The readable notes' facts of each role of `keys` (one query per role when they
        are few, one pass over every note when many)."""
        sql = "SELECT role_key, project_key, file, facts FROM notes WHERE error IS NULL"
        if len(keys) <= ROLES_ONE_BY_ONE:
            groups: Iterable[tuple[RoleKey, Iterable[_FactsRow]]] = (
                (key, db.execute(sql + " AND role_key = ? AND project_key = ?", key).fetchall())
                for key in keys
            )
        else:
            found = db.execute(sql + " ORDER BY role_key, project_key")
            groups = itertools.groupby(found, key=lambda row: (row[0], row[1]))
        wanted = set(keys)
        for key, group in groups:
            if key in wanted:
                yield key, self._facts([(file, text) for _, _, file, text in group])

    def _facts(self, found: list[tuple[str, str | None]]) -> list[NoteFacts]:
        """Facts (without answers) from (file, facts JSON) rows; a note whose row holds
        none, or a damaged one, is read again."""
        facts = []
        for file, text in found:
            try:
                facts.append(NoteFacts.from_row(json.loads(text or "")))
            except (TypeError, ValueError):
                with contextlib.suppress(OSError, NoteParseError):
                    whole = facts_of(read_note(self.notes_dir / file), file)
                    facts.append(dataclasses.replace(whole, answers=None))
        return facts

    # -- reading -----------------------------------------------------------------------------

    def _read(self, fetch: Callable[[sqlite3.Connection], _T]) -> _T:
        """`fetch(db)`; a database found damaged only now is rebuilt (or gone around) and
        `fetch` runs again from the start."""
        try:
            return fetch(self.db())
        except sqlite3.DatabaseError:
            if self.bypassed:
                raise
        self.close()
        self._remove_files()
        self._db = self._open()
        return fetch(self._db)

    def _all(self, sql: str, params: Iterable[SqlValue] = ()) -> list[Row]:
        values = tuple(params)
        return self._read(lambda db: db.execute(sql, values).fetchall())
