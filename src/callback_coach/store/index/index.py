"""A derived index of the notes folder, so listing, searching and exporting stay fast.

The notes are the only source of truth. The index is one SQLite database in the user
cache folder (never in the synced coach home). On each use it is checked against the
notes folder's listing (every note's modification time and size): a changed note is read
again and only its rows are replaced, a removed one is dropped, and the roles they belong
to are summed up again (by the `summarize` the core gives), all in one transaction.
Nothing is ever written to a note.

Missing, stale, damaged, locked past a second, read-only or made by another version, the
database is rebuilt, or gone around for a private temporary one built from the notes:
never an error. Deleting it is always safe. All the SQL of the coach is in this package;
callers ask their questions in Python terms.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from stat import S_ISBLK, S_ISCHR, S_ISDIR, S_ISFIFO, S_ISREG, S_ISSOCK
from typing import Any, TypeVar

from callback_coach.errors import StorageError
from callback_coach.store import conflict_names, fileio, parallel, paths
from callback_coach.store.facts import NoteFacts, facts_of
from callback_coach.store.index import rows as note_rows_module
from callback_coach.store.index.rows import COLUMNS, ROW_COLUMNS, NoteRow, note_row, note_rows
from callback_coach.store.index.schema import (
    SCHEMA_VERSION,
    SUMMARY_COLUMNS,
    TABLES,
    RoleSummary,
)
from callback_coach.store.notes import Note, NoteParseError, read_note
from callback_coach.store.slugs import fold, search_fold

_T = TypeVar("_T")
DB_NAME = "index.sqlite3"
# How long to wait for another coach that is writing the index before going around it.
BUSY_TIMEOUT_MS = 1000
# From this many notes to read at once (building the index), several processes read them,
# READ_BATCH notes at a time.
PARALLEL_READ_MIN = 2000
READ_BATCH = 64
# Rows written to the database at a time.
INSERT_BATCH = 500
# Up to this many roles changed, their notes are read one role at a time; past it (a first
# build), in one pass over every note.
ROLES_ONE_BY_ONE = 64
# A role's key: its folded name and project.
RoleKey = tuple[str, str]
# Makes a role's summary from its notes' facts (None: the notes hold no role).
Summarize = Callable[[list[NoteFacts]], RoleSummary | None]
# A calendar event ready to write: (day, minutes after midnight or -1, uid, its lines).
EventRow = tuple[str, int, str, str]
# The SQL of what each breakdown of `coach stats` groups roles by (None: not recorded).
GROUPS = {
    "office": "NULLIF(office, '')",
    "medium": "NULLIF(medium, '')",
    "project": "NULLIF(project, '')",
    "month": "NULLIF(substr(first_date, 1, 7), '')",
    "rounds": "round_count",
}

_INSERT_NOTE = f"INSERT INTO notes ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
_ROW_SQL = ", ".join(ROW_COLUMNS)
_FACTS_OF_ROLE = (
    "SELECT file, facts FROM notes WHERE error IS NULL AND role_key = ? AND project_key = ? "
    "ORDER BY file"
)


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
                if any("\udc80" <= ch <= "\udcff" for ch in name):
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


def _kind(mode: int) -> str:
    if S_ISDIR(mode):
        return "a folder"
    if S_ISFIFO(mode):
        return "a pipe"
    if S_ISCHR(mode) or S_ISBLK(mode):
        return "a device"
    return "a socket" if S_ISSOCK(mode) else "something else"


def digest(stamps: dict[str, tuple[int, int]]) -> str:
    """One value that changes whenever a note is added, removed or changed."""
    text = "\0".join(f"{name}\0{m}\0{s}" for name, (m, s) in sorted(stamps.items()))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def fts5_trigram_available() -> bool:
    """Whether this interpreter's SQLite has FTS5 with the trigram tokenizer."""
    global _FTS5
    if _FTS5 is None:
        try:
            with contextlib.closing(sqlite3.connect(":memory:")) as db:
                db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
            _FTS5 = True
        except sqlite3.Error:
            _FTS5 = False
    return _FTS5


_FTS5: bool | None = None


class NoteIndex:
    """The index of one coach home's notes. Opened and brought up to date on first use;
    `summarize` makes each role's summary from its notes' facts (core.rounds does)."""

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
            batch: list[tuple[Any, ...]] = []
            for new in self._rows(changed):
                batch.append(new)
                if new[note_rows_module.ERROR] is None:  # readable: it belongs to a role
                    keys.add((new[note_rows_module.ROLE_KEY], new[note_rows_module.PROJECT_KEY]))
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

    def _rows(self, stamps: dict[str, tuple[int, int]]) -> Iterator[tuple[Any, ...]]:
        """`note_row` of each note (name -> stamp), in order: read by several processes
        when there are many (the YAML of the front matter is most of it; parallel.py)."""
        jobs = [(str(self.notes_dir), name, stamp) for name, stamp in stamps.items()]
        if len(jobs) < PARALLEL_READ_MIN:
            yield from map(note_row, jobs)
            return
        batches = [jobs[i : i + READ_BATCH] for i in range(0, len(jobs), READ_BATCH)]
        for rows in parallel.ordered_map(note_rows, batches):
            yield from rows

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
            groups: Iterable[tuple[RoleKey, Iterable[tuple[Any, ...]]]] = (
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

    def _all(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        values = tuple(params)
        return self._read(lambda db: db.execute(sql, values).fetchall())

    def note_rows(self, role: str | None = None) -> list[NoteRow]:
        """Every note's row (those of `role`'s notes only, readable, with a role), by
        file name."""
        if role is None:
            found = self._all(f"SELECT {_ROW_SQL} FROM notes ORDER BY file")
        else:
            found = self._all(
                f"SELECT {_ROW_SQL} FROM notes WHERE role_key = ? AND error IS NULL ORDER BY file",
                (fold(role),),
            )
        return [NoteRow(*row) for row in found]

    def facts(
        self, *, role: str | None = None, keys: Iterable[RoleKey] | None = None
    ) -> list[NoteFacts]:
        """The facts (without answers) of every readable note; of one role's notes in any
        project (`role`); or of the roles of `keys`. By file name."""
        sql = "SELECT file, facts FROM notes WHERE error IS NULL"
        if role is not None:
            return self._facts(self._all(sql + " AND role_key = ? ORDER BY file", (fold(role),)))
        if keys is None:
            return self._facts(self._all(sql + " ORDER BY file"))
        found: list[tuple[str, str | None]] = []
        for key in sorted(set(keys)):
            found += self._all(sql + " AND role_key = ? AND project_key = ?", key)
        return self._facts(sorted(found))

    def unreadable(self) -> list[tuple[Path, str]]:
        """Note files that could not be read, with the reason."""
        return [
            (self.notes_dir / file, error)
            for file, error in self._all(
                "SELECT file, error FROM notes WHERE error IS NOT NULL ORDER BY file"
            )
        ]

    def warnings(self) -> list[tuple[Path, str]]:
        """Readable notes with something to say about them (e.g. a key written twice)."""
        return [
            (self.notes_dir / file, warning)
            for file, warning in self._all(
                "SELECT file, warning FROM notes WHERE warning IS NOT NULL ORDER BY file"
            )
        ]

    # -- roles ---------------------------------------------------------------------------------

    def roles(
        self,
        *,
        role: str | None = None,
        project: str | None = None,
        outcome: str | None = None,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[RoleSummary]:
        """The roles' summaries, most recently active first: every role, or those whose
        name and project match (without regard to case or accents), whose latest outcome
        is `outcome` ("pending" for none) and whose latest day is `since` or later; the
        first `limit` of them."""
        where, params = _role_filter(role, project, outcome, since)
        sql = (
            f"SELECT {SUMMARY_COLUMNS} FROM roles {where} "
            "ORDER BY active_date DESC, active_created DESC, first_file"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [RoleSummary.from_row(row) for row in self._all(sql, params)]

    def count_roles(
        self,
        *,
        role: str | None = None,
        project: str | None = None,
        outcome: str | None = None,
        since: str | None = None,
    ) -> int:
        """How many roles `roles` gives with the same filters and no limit."""
        where, params = _role_filter(role, project, outcome, since)
        return int(self._all(f"SELECT count(*) FROM roles {where}", params)[0][0])

    def role_counts(
        self, group: str, since: str | None, until: str | None
    ) -> list[tuple[Any, int, str, int]]:
        """(value, stage, status, roles): the roles with a round held whose first day is
        between `since` and `until` (a window leaves out roles with no day), counted by a
        breakdown (`GROUPS`: office, medium, project, month, rounds) and where they stand."""
        where, params = ["round_count > 0"], []
        if since is not None or until is not None:
            where.append("first_date != ''")
        if since is not None:
            where.append("first_date >= ?")
            params.append(since)
        if until is not None:
            where.append("first_date <= ?")
            params.append(until)
        return self._all(
            f"SELECT {GROUPS[group]}, stage, status, count(*) FROM roles "
            f"WHERE {' AND '.join(where)} GROUP BY 1, 2, 3",
            params,
        )

    def waiting(self, before: str) -> list[RoleSummary]:
        """The roles whose latest round, dated before `before`, waits for a review or news
        (`RoleSummary.waiting`)."""
        return [
            RoleSummary.from_row(row)
            for row in self._all(
                f"SELECT {SUMMARY_COLUMNS} FROM roles "
                "WHERE latest_date < ? AND latest_date != '' AND waiting != ''",
                (before,),
            )
        ]

    def keys(
        self,
        *,
        open_prep_from: str | None = None,
        follow_ups_from: str | None = None,
        follow_ups_dated: bool = False,
    ) -> list[RoleKey]:
        """The roles with a round prepped, not reviewed, on `open_prep_from` or later; or
        those some of whose follow-ups may be open on a day `follow_ups_from` or later
        (with `follow_ups_dated`: may have one with a due day)."""
        params: tuple[str, ...] = ()
        if open_prep_from is not None:
            where, params = "open_prep >= ?", (open_prep_from,)
        elif follow_ups_dated:
            where = "follow_ups = 1 AND follow_ups_until = '9999'"
        elif follow_ups_from is not None:
            where, params = "follow_ups = 1 AND follow_ups_until >= ?", (follow_ups_from,)
        else:
            where = "follow_ups = 1"
        found = self._all(f"SELECT role_key, project_key FROM roles WHERE {where}", params)
        return [(role_key, project_key) for role_key, project_key in found]

    def role_names(self) -> dict[str, int]:
        """How many roles (in different projects) go by each folded role name."""
        return dict(self._all("SELECT role_key, count(*) FROM roles GROUP BY role_key"))

    # -- the calendar ------------------------------------------------------------------------

    def events(self, make: Callable[[list[NoteFacts]], list[EventRow]]) -> list[EventRow]:
        """Every round's calendar event in the calendar's order (day, time, uid). A role
        changed since its events were made has them made again (`make` gets its notes'
        facts) and kept; where they cannot be kept (a read-only index), they are used as
        made."""

        def fetch(db: sqlite3.Connection) -> list[EventRow]:
            made: list[EventRow] = []
            stale = db.execute("SELECT role_key, project_key FROM events_stale").fetchall()
            if stale:
                fresh = [
                    (key, make(self._facts(db.execute(_FACTS_OF_ROLE, key).fetchall())))
                    for key in stale
                ]
                try:
                    db.execute("BEGIN IMMEDIATE")
                    for key, events in fresh:
                        db.execute("DELETE FROM events WHERE role_key = ? AND project_key = ?", key)
                        db.executemany(
                            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)",
                            [(*key, *event) for event in events],
                        )
                    db.execute("DELETE FROM events_stale")
                    db.execute("COMMIT")
                except sqlite3.OperationalError as exc:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                    if "no such table" in str(exc):
                        raise
                    made = [event for _, events in fresh for event in events]  # read-only
            kept = db.execute("SELECT day, time, uid, text FROM events ORDER BY day, time, uid")
            rows: list[EventRow] = kept.fetchall()
            return sorted([*rows, *made]) if made else rows

        return self._read(fetch)

    # -- whole notes ---------------------------------------------------------------------------

    def _note(self, file: str, row: tuple[Any, ...] | None) -> Note:
        """The note from its (meta, body, error) row; read from its file when the front
        matter holds values JSON cannot keep (or the row is missing)."""
        path = self.notes_dir / file
        if row is None or row[0] is None:
            if row is not None and row[2] is not None:
                raise NoteParseError(row[2])
            return read_note(path)
        return Note(meta=json.loads(row[0]), body=row[1], path=path)

    def notes(self, files: list[str]) -> Iterator[Note | Exception]:
        """The full notes behind `files`, in that order, read a batch at a time (memory
        stays flat); an error (NoteParseError, OSError) in place of a note that cannot be
        read."""
        for _, note, _ in self.stamped_notes(files):
            yield note

    def stamped_notes(
        self, files: list[str]
    ) -> Iterator[tuple[str, Note | Exception, tuple[int, int]]]:
        """`notes`, each with its file name and the stamp (mtime_ns, size) of the row it
        was read from ((-1, -1): none)."""
        for start in range(0, len(files), 200):
            batch = files[start : start + 200]
            marks = ", ".join("?" * len(batch))
            found = {
                row[0]: row[1:]
                for row in self._all(
                    f"SELECT file, meta, body, error, mtime_ns, size FROM notes "
                    f"WHERE file IN ({marks})",
                    batch,
                )
            }
            for file in batch:
                row = found.get(file)
                stamp = (row[3], row[4]) if row is not None else (-1, -1)
                try:
                    yield file, self._note(file, row), stamp
                except (OSError, NoteParseError) as exc:
                    yield file, exc, stamp

    def ordered_files(
        self,
        *,
        role: str | None = None,
        project: str | None = None,
        round_label: str | None = None,
        kind: str | None = None,
        outcome: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[str]:
        """The readable notes that match every filter given (role and project matched
        without regard to case or accents; outcome "pending" also takes notes with none;
        since/until are days, inclusive), in the stable export order: role, project,
        round, prep before review, date, created, file name."""
        where = ["error IS NULL"]
        params: list[Any] = []
        for column, value in (
            ("role_key = ?", None if role is None else fold(role)),
            ("project_key = ?", None if project is None else fold(project)),
            ("round = ?", round_label),
            ("kind = ?", kind),
            ("coalesce(outcome, 'pending') = ?", outcome),
            ("date >= ?", since),
            ("date <= ?", until),
        ):
            if value is not None:
                where.append(column)
                params.append(value)
        return [
            file
            for (file,) in self._all(
                f"SELECT file FROM notes WHERE {' AND '.join(where)} ORDER BY role_key, "
                "project_key, round_order, round, kind != 'prep', date, created, file",
                params,
            )
        ]

    def yaml_break_files(self) -> set[str]:
        """Notes holding a character YAML reads as a line break (anywhere in the file)."""
        return {row[0] for row in self._all("SELECT file FROM notes WHERE yaml_break")}

    # -- export pieces -------------------------------------------------------------------------

    def pieces(self, files: list[str], fmt: str, made: str) -> dict[str, str]:
        """The kept export pieces in `fmt` of those of `files` that have one made from
        `made` (see `keep_pieces`)."""
        marks = ", ".join("?" * len(files))
        return dict(
            self._all(
                f"SELECT file, text FROM pieces WHERE file IN ({marks}) AND format = ? "
                "AND made = ?",
                (*files, fmt, made),
            )
        )

    def keep_pieces(
        self, fmt: str, made: str, pieces: list[tuple[str, tuple[int, int], str]]
    ) -> None:
        """Keep export pieces (file, stamp, text) in `fmt` made from `made`, for the next
        export to take instead of writing them again; only those whose note's row still
        has the stamp it was read with (`stamped_notes`). Best effort, at once or never:
        an index that another coach is writing, or that cannot be written, keeps none."""
        if not pieces or self._db is None or self.bypassed:
            return
        db = self._db
        try:
            db.execute("PRAGMA busy_timeout = 0")
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error:
            return
        finally:
            with contextlib.suppress(sqlite3.Error):
                db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            db.executemany(
                "INSERT OR REPLACE INTO pieces SELECT ?, ?, ?, ? WHERE EXISTS "
                "(SELECT 1 FROM notes WHERE file = ? AND mtime_ns = ? AND size = ?)",
                [(file, fmt, made, text, file, *stamp) for file, stamp, text in pieces],
            )
            db.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    # -- search --------------------------------------------------------------------------------

    def search(self, text: str) -> list[tuple[NoteRow, str, str]]:
        """(note row, where, line) for every line the actor wrote that contains `text`,
        ignoring case; in file order, then line order."""
        return list(self.iter_search(text))

    def iter_search(self, text: str) -> Iterator[tuple[NoteRow, str, str]]:
        """`search`, one match at a time (memory stays flat at any number of matches)."""
        needle = search_fold(text)
        if not needle or "\n" in needle or "\r" in needle:
            return
        found = False
        try:
            for hit in self._search(self.db(), needle):
                found = True
                yield hit
            return
        except sqlite3.DatabaseError:
            if found:
                raise StorageError(
                    "the notes index was damaged while it was being read: run the command "
                    "again (the index is rebuilt)"
                ) from None
            if self.bypassed:
                raise
        # Found damaged only now: rebuilt (or gone around), then searched from the start.
        self.close()
        self._remove_files()
        self._db = self._open()
        yield from self._search(self._db, needle)

    def _search(self, db: sqlite3.Connection, needle: str) -> Iterator[tuple[NoteRow, str, str]]:
        columns = ", ".join(f"n.{c}" for c in ROW_COLUMNS)
        width = len(ROW_COLUMNS)
        # The full-text query syntax cannot hold a NUL: such a needle is scanned for.
        if len(needle) >= 3 and "\x00" not in needle and self._ensure_fts(db):
            # A trigram phrase is a substring match: the notes holding `needle`.
            phrase = '"' + needle.replace('"', '""') + '"'
            found = db.execute(
                f"SELECT {columns}, n.meta, n.body FROM search "
                "JOIN notes n ON n.id = search.rowid WHERE search MATCH ? ORDER BY n.file",
                (phrase,),
            )
        else:
            found = db.execute(
                f"SELECT {columns}, n.meta, n.body FROM notes n "
                "WHERE n.error IS NULL AND instr(n.words, ?) > 0 ORDER BY n.file",
                (needle,),
            )
        for row in found:
            summary = NoteRow(*row[:width])
            try:
                note = self._note(summary.file, (*row[width:], None))
            except (OSError, NoteParseError):
                continue
            for where, line in note_rows_module.actor_lines(note):
                if needle in search_fold(line):
                    yield summary, where, line

    def _ensure_fts(self, db: sqlite3.Connection) -> bool:
        """Make the full-text table on first use (then triggers keep it in step)."""
        if not fts5_trigram_available():
            return False
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'search'").fetchone():
            return True
        try:
            db.execute("BEGIN IMMEDIATE")
            if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'search'").fetchone():
                db.execute(
                    "CREATE VIRTUAL TABLE search USING fts5(words, content='notes', "
                    "content_rowid='id', tokenize='trigram case_sensitive 1')"
                )
                db.execute(
                    "CREATE TRIGGER notes_search_insert AFTER INSERT ON notes BEGIN "
                    "INSERT INTO search (rowid, words) VALUES (new.id, new.words); END"
                )
                db.execute(
                    "CREATE TRIGGER notes_search_delete AFTER DELETE ON notes BEGIN "
                    "INSERT INTO search (search, rowid, words) VALUES ('delete', old.id, old.words);"
                    " END"
                )
                db.execute("INSERT INTO search (search) VALUES ('rebuild')")
            db.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            return False  # locked or read-only: scan the words instead, same result
        return True


def _role_filter(
    role: str | None, project: str | None, outcome: str | None, since: str | None
) -> tuple[str, tuple[Any, ...]]:
    where: list[str] = []
    params: list[Any] = []
    for clause, value in (
        ("role_key = ?", None if role is None else fold(role)),
        ("project_key = ?", None if project is None else fold(project)),
        ("coalesce(outcome, 'pending') = ?", outcome),
        ("latest_date >= ?", since),
    ):
        if value is not None:
            where.append(clause)
            params.append(value)
    return ("WHERE " + " AND ".join(where) if where else ""), tuple(params)
