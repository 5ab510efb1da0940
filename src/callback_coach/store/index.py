"""A derived index of the notes folder, so listing, searching and exporting stay fast.

The notes are the only source of truth. The index is one SQLite database in the user cache
folder (never in the synced coach home). On each use it is checked against a listing and
`stat` of the notes folder: a changed note is parsed again and only its rows are replaced,
a removed one is dropped, all in one transaction. Nothing is ever written to a note.

Missing, stale, corrupt, locked, read-only or from another schema version, the database is
rebuilt, or bypassed for a private temporary one built from the notes: never an error.
Deleting it is always safe.

Per note it keeps the file's stamp (mtime, size), the summary `list` needs, the front
matter as JSON, the body, and the actor's own words casefolded (answers and the text they
wrote, not the coach's heading or hint). Those words are searched with an FTS5 trigram
table where SQLite has one (made on the first search), else scanned with `instr`: both
are plain substring matches on casefolded text, so they find the same lines.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from callback_coach.core.answers import format_answer
from callback_coach.core.history import RoleRow, role_rows
from callback_coach.core.round_labels import round_rank
from callback_coach.errors import StorageError
from callback_coach.store import fileio, listing, parallel, paths
from callback_coach.store.notes import BODY_HINT, Note, NoteParseError, coach_heading, read_note
from callback_coach.store.slugs import fold

_T = TypeVar("_T")
# A role's `seasons` row after its keys, and a `season_events` row after them.
SeasonRow = tuple[Any, ...]
EventRow = tuple[str, int, str, str]
DB_NAME = "index.sqlite3"
# How long to wait for another coach that is writing the index before going around it.
BUSY_TIMEOUT_MS = 5000
# YAML reads these as line breaks; a note holding one changes how a YAML export is written.
YAML_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


@dataclass(slots=True)
class NoteSummary:
    """What `list`, the round logic and the export filters need from a note, without
    reading it again."""

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


SUMMARY_COLUMNS = (
    "file, mtime_ns, size, kind, role, project, round, date, created, outcome, error, "
    "role_key, project_key, warning"
)
SUMMARY_WIDTH = len(SUMMARY_COLUMNS.split(","))


def actor_lines(note: Note) -> list[tuple[str, str]]:
    """(where, line) for every line the actor wrote: each answer (where is
    "CHECKLIST.QUESTION"), then the body ("body") without the heading and hint the coach
    wrote there."""
    lines: list[tuple[str, str]] = []
    for cid, answers in note.answers.items():
        for qid, value in answers.items():
            for line in format_answer(value).split("\n"):
                if line.strip():
                    lines.append((f"{cid}.{qid}", line.replace("\r", "")))
    lines += [("body", line) for line in _body_lines(note)]
    return lines


def _body_lines(note: Note) -> list[str]:
    """The lines of the body the actor wrote (not the coach's heading and hint)."""
    heading = coach_heading(note.role, note.project, note.round, note.kind)
    lines = []
    first = True
    for line in note.body.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if first and stripped == heading:
            first = False
            continue
        first = False
        if stripped != BODY_HINT:
            lines.append(line.replace("\r", ""))
    return lines


def folded_words(note: Note) -> str:
    """The text search looks in: the actor's lines (`actor_lines`), casefolded, one per
    line (made without their places: it is done for every note the index reads)."""
    parts = []
    for answers in note.answers.values():
        for value in answers.values():
            text = value if type(value) is str else format_answer(value)
            if "\n" in text:
                parts += [line.replace("\r", "") for line in text.split("\n") if line.strip()]
            elif text and not text.isspace():
                parts.append(text.replace("\r", ""))
    parts += _body_lines(note)
    return "\n".join(parts).casefold()


def _meta_json(meta: dict[str, Any]) -> str | None:
    """The front matter as JSON text, or None when JSON would not give it back exactly
    (dates, non-text keys, NaN: a hand-edited note; it is then read from its file)."""
    if not _text_keys(meta):
        return None
    try:
        return json.dumps(meta, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None


def _text_keys(value: Any) -> bool:
    """True when every mapping key inside `value` (a dict or a list) is text (other
    values: json.dumps refuses what it cannot write back)."""
    if type(value) is dict:
        if not all(type(k) is str for k in value):
            return False
        children: Any = value.values()
    else:
        children = value
    return all(_text_keys(v) for v in children if type(v) in (dict, list))


def has_yaml_line_break(value: Any) -> bool:
    """True when some text in `value` holds a character YAML reads as a line break."""
    if isinstance(value, str):
        return any(ch in value for ch in YAML_LINE_BREAKS)
    if isinstance(value, dict):
        return any(has_yaml_line_break(k) or has_yaml_line_break(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_yaml_line_break(v) for v in value)
    return False


# The columns of a note's row, as `note_row` gives them.
NOTE_ROW_COLUMNS = (
    "file, mtime_ns, size, error, kind, role, project, round, date, created, outcome, "
    "role_key, project_key, meta, body, words, yaml_break, warning, facts"
)
NOTE_ROW_MARKS = ", ".join("?" * len(NOTE_ROW_COLUMNS.split(",")))
# From this many notes to read at once (building the index), several processes read them,
# READ_BATCH notes at a time.
PARALLEL_READ_MIN = 2000
READ_BATCH = 64
# Rows written to the database at a time.
INSERT_BATCH = 500
# Up to this many roles changed, their list rows are made one query each; past it (a
# first build), from one pass over every note.
ROLES_ONE_BY_ONE = 64
# The listing the rows were made from is kept for folders of up to this many notes.
LISTING_KEPT_MAX = 20_000


def note_error_row(name: str, mtime_ns: int, size: int, error: str) -> tuple[Any, ...]:
    """The row of a note that cannot be read: its stamp and the reason."""
    return (
        name,
        mtime_ns,
        size,
        error,
        "",
        "",
        "",
        "",
        "",
        "",
        None,
        "",
        "",
        None,
        None,
        "",
        0,
        None,
        None,
    )


def note_row(job: tuple[str, str, tuple[int, int]]) -> tuple[Any, ...]:
    """A note's row for the index (NOTE_ROW_COLUMNS), read from (folder, name, stamp).
    A note that cannot be read gets a row with only its stamp and the reason."""
    folder, name, (mtime_ns, size) = job
    try:
        note = read_note(Path(folder, name))
    except NoteParseError as exc:
        error: str | None = str(exc)
    except OSError as exc:
        error = exc.strerror or str(exc)
    else:
        error = None
    if error is not None:
        return note_error_row(name, mtime_ns, size, error)
    meta = _meta_json(note.meta)
    # JSON keeps these characters as they are: a quick look for them is enough.
    yaml_break = has_yaml_line_break([name, note.body]) or has_yaml_line_break(
        note.meta if meta is None else meta
    )
    return (
        name,
        mtime_ns,
        size,
        None,
        note.kind,
        note.role,
        note.project,
        note.round,
        note.date,
        note.created,
        note.outcome,
        fold(note.role),
        fold(note.project),
        meta,
        note.body,
        folded_words(note),
        int(yaml_break),
        "; ".join(note.warnings) or None,
        facts_json(note, name),
    )


def facts_json(note: Note, name: str) -> str | None:
    """What the season commands need from the note (`season.note_facts`), as JSON."""
    from callback_coach.core import season_model as season

    try:
        return json.dumps(season.facts_row(season.note_facts(note, name)), ensure_ascii=False)
    except (TypeError, ValueError):
        return None  # then read from the note itself


def note_rows(jobs: list[tuple[str, str, tuple[int, int]]]) -> list[tuple[Any, ...]]:
    """`note_row` of each job (a batch for one worker)."""
    return [note_row(job) for job in jobs]


# -- schema: each change a small numbered function (user_version counts them) -----------


def _m001_notes(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            file TEXT NOT NULL UNIQUE,
            mtime_ns INTEGER NOT NULL,
            size INTEGER NOT NULL,
            error TEXT,                          -- why the note cannot be read, else NULL
            kind TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT '',
            project TEXT NOT NULL DEFAULT '',
            round TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL DEFAULT '',
            outcome TEXT,
            role_key TEXT NOT NULL DEFAULT '',   -- fold(role), for matching
            project_key TEXT NOT NULL DEFAULT '',
            meta TEXT,            -- the front matter as JSON; NULL when JSON cannot hold it
            body TEXT,
            words TEXT NOT NULL DEFAULT '',      -- folded_words(note)
            yaml_break INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE INDEX notes_by_role ON notes (role_key, project_key)")
    # Cover the stamp check and the unreadable notes: read without the wide note rows.
    db.execute("CREATE INDEX notes_stamps ON notes (file, mtime_ns, size)")
    db.execute("CREATE INDEX notes_unreadable ON notes (file, error) WHERE error IS NOT NULL")
    db.execute(
        """CREATE TABLE roles (
            role_key TEXT NOT NULL,
            project_key TEXT NOT NULL,
            role TEXT NOT NULL,
            project TEXT NOT NULL,
            rounds TEXT NOT NULL,                -- JSON list of round labels
            notes INTEGER NOT NULL,
            latest_round TEXT NOT NULL,
            latest_date TEXT NOT NULL,
            outcome TEXT,
            next_action TEXT,
            next_round TEXT,
            active_date TEXT NOT NULL,           -- the order of `coach list`
            active_created TEXT NOT NULL,
            first_file TEXT NOT NULL,
            PRIMARY KEY (role_key, project_key)
        )"""
    )
    db.execute("CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _m002_warnings(db: sqlite3.Connection) -> None:
    """Notes are read through the guarded reader (yamlio: values type-checked, a key
    written twice named in a warning) and names fold more letters: a column for the
    warning, and every note read again."""
    db.execute("ALTER TABLE notes ADD COLUMN warning TEXT")
    db.execute("CREATE INDEX notes_warnings ON notes (file, warning) WHERE warning IS NOT NULL")
    db.execute("DELETE FROM notes")
    db.execute("DELETE FROM roles")
    db.execute("DELETE FROM state WHERE key = 'stamps'")


def _m003_facts(db: sqlite3.Connection) -> None:
    """The season commands read each note's facts (season.note_facts) from the index:
    a column for them, and every note read again."""
    db.execute("ALTER TABLE notes ADD COLUMN facts TEXT")
    db.execute("DELETE FROM notes")
    db.execute("DELETE FROM roles")
    db.execute("DELETE FROM state WHERE key = 'stamps'")


def _m004_seasons(db: sqlite3.Connection) -> None:
    """What the season commands read, per role and project (see season.py): its totals,
    its rounds' facts, its calendar events; made on the first season command after its
    notes change (a role waiting for that is in `season_stale`)."""
    db.execute(
        """CREATE TABLE seasons (
            role_key TEXT NOT NULL,
            project_key TEXT NOT NULL,
            role TEXT NOT NULL,
            project TEXT NOT NULL,
            first_date TEXT NOT NULL,
            stage INTEGER NOT NULL,
            status TEXT NOT NULL,
            rounds INTEGER NOT NULL,
            medium TEXT,
            office TEXT,
            follow_ups INTEGER NOT NULL,      -- 1: some note has follow-ups
            follow_ups_until TEXT NOT NULL,   -- after this day none can be open ('9999': any)
            open_prep TEXT NOT NULL,          -- the latest day of a prepped round not reviewed
            latest_date TEXT NOT NULL,
            latest_due INTEGER NOT NULL,      -- 1: the latest round waits for a review or news
            data TEXT NOT NULL,               -- RoleSeason.data() as JSON
            PRIMARY KEY (role_key, project_key)
        )"""
    )
    db.execute(
        """CREATE TABLE season_events (
            role_key TEXT NOT NULL,
            project_key TEXT NOT NULL,
            day TEXT NOT NULL,
            time INTEGER NOT NULL,            -- minutes after midnight; -1: all day
            uid TEXT NOT NULL,
            text TEXT NOT NULL                -- the VEVENT lines, folded, CRLF
        )"""
    )
    db.execute("CREATE INDEX season_events_by_role ON season_events (role_key, project_key)")
    db.execute(
        "CREATE TABLE season_stale (role_key TEXT NOT NULL, project_key TEXT NOT NULL, "
        "PRIMARY KEY (role_key, project_key))"
    )
    db.execute("INSERT OR IGNORE INTO season_stale SELECT role_key, project_key FROM roles")


def _m005_pieces(db: sqlite3.Connection) -> None:
    """Each note's part of an export, as last written in each format (exporting.py):
    kept with what it was made from (`made`: the checklists' texts and the coach's own
    files), dropped with the note's row when the note changes."""
    db.execute(
        """CREATE TABLE pieces (
            file TEXT NOT NULL,
            format TEXT NOT NULL,
            made TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (file, format)
        )"""  # (with rowids: the texts are large, a few pages each)
    )
    db.execute(
        "CREATE TRIGGER notes_pieces_delete AFTER DELETE ON notes BEGIN "
        "DELETE FROM pieces WHERE file = old.file; END"
    )


def _m006_listing(db: sqlite3.Connection) -> None:
    """The listing the rows were made from is kept in `state` ('listing': the stamps,
    marshalled) by every refresh that changes rows: none from before this version."""
    db.execute("DELETE FROM state WHERE key = 'listing'")


def _m007_season_counts(db: sqlite3.Connection) -> None:
    """`coach stats` counts roles in SQL (season.load_counts), a few GROUP BYs over the
    seasons: an index holding every column they read, so they scan it rather than the
    rows (whose `data` makes them pages long): 12 ms -> 4 ms at 10,000 notes."""
    db.execute(
        "CREATE INDEX seasons_counted "
        "ON seasons (stage, status, rounds, first_date, medium, office, project)"
    )


def _m008_waiting(db: sqlite3.Connection) -> None:
    """`coach today` lists roles whose latest round waits for a review or news (hundreds,
    in a long season) from two columns, not from each role's whole season: the latest
    round's label and what it waits for ('review', 'outcome', or ''), with an index
    holding what it reads; indexes to find the roles with a prepped round from a day on
    and those with follow-ups open on a day; every role's season is made again."""
    db.execute("ALTER TABLE seasons ADD COLUMN latest_round TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE seasons ADD COLUMN waiting TEXT NOT NULL DEFAULT ''")
    db.execute(
        "CREATE INDEX seasons_waiting ON seasons (latest_date, waiting, role_key, "
        "project_key, role, project, latest_round) WHERE waiting != ''"
    )
    db.execute("CREATE INDEX seasons_open_prep ON seasons (open_prep)")
    db.execute("CREATE INDEX seasons_follow_ups ON seasons (follow_ups, follow_ups_until)")
    db.execute("INSERT OR IGNORE INTO season_stale SELECT role_key, project_key FROM seasons")


def _m009_event_order(db: sqlite3.Connection) -> None:
    """`coach export calendar` reads every round's event in calendar order: an index
    in that order holding the events' text, so they are read in order rather than
    sorted (10,000 notes: 5,000 events, 11 ms -> 4 ms; the text is kept twice, about
    1.3 MB)."""
    db.execute("CREATE INDEX season_events_in_order ON season_events (day, time, uid, text)")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _m001_notes,
    _m002_warnings,
    _m003_facts,
    _m004_seasons,
    _m005_pieces,
    _m006_listing,
    _m007_season_counts,
    _m008_waiting,
    _m009_event_order,
]
SCHEMA_VERSION = len(MIGRATIONS)


class _Unusable(Exception):
    """The database file cannot be used as it is: start it again."""


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
    """The index of one coach home's notes. Opened and brought up to date on first use."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = home or paths.coach_home()
        self.notes_dir = paths.notes_dir(self.home)
        self.folder = paths.cache_dir(self.home)
        self.path = self.folder / DB_NAME
        self._db: sqlite3.Connection | None = None
        self.bypassed = False  # True when a private temporary database is used instead

    # -- opening -------------------------------------------------------------------------

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
        db.create_function("round_rank", 1, _round_rank_number, deterministic=True)
        try:
            if target:
                db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._migrate(db)
        except sqlite3.DatabaseError as exc:
            db.close()
            if isinstance(exc, sqlite3.OperationalError):
                raise  # locked, read-only, no such folder: go around it
            raise _Unusable(str(exc)) from None  # not a database, or a damaged one
        if target:
            with contextlib.suppress(OSError):
                os.chmod(target, fileio.FILE_MODE)
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            self._check_home(db)
            return
        if version > SCHEMA_VERSION:
            raise _Unusable(f"schema {version} is newer than {SCHEMA_VERSION}")
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]  # another coach?
            if version < SCHEMA_VERSION:
                for migration in MIGRATIONS[version:]:
                    migration(db)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("INSERT OR IGNORE INTO state VALUES ('home', ?)", (str(self.home),))
            db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            if _is_locked(exc):
                raise
            # An older schema this coach cannot carry forward (or a half-made one).
            raise _Unusable(str(exc)) from None
        self._check_home(db)

    def _check_home(self, db: sqlite3.Connection) -> None:
        row = db.execute("SELECT value FROM state WHERE key = 'home'").fetchone()
        if row is None or row[0] != str(self.home):
            raise _Unusable("the index belongs to another home")

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    # -- keeping it fresh -----------------------------------------------------------------

    def _changes(
        self, db: sqlite3.Connection, on_disk: listing.Listing
    ) -> tuple[dict[str, tuple[int, int]], list[str], list[str]]:
        """The notes new or changed on disk (name -> stamp), those gone, and of the
        changed the ones the index has rows for."""
        return listing.changes(on_disk, self._known_stamps(db))

    @staticmethod
    def _known_stamps(db: sqlite3.Connection) -> listing.Listing:
        """The stamp of every note the index has a row for: the listing it kept when it
        last changed its rows (one value: quicker than the rows), else from the rows."""
        row = db.execute("SELECT value FROM state WHERE key = 'listing'").fetchone()
        kept = listing.Listing.from_data(row[0]) if row is not None else None
        if kept is not None:
            return kept
        return listing.Listing.of(
            {
                file: (mtime_ns, size)
                for file, mtime_ns, size in db.execute("SELECT file, mtime_ns, size FROM notes")
            }
        )

    def _refresh(self, db: sqlite3.Connection) -> None:
        """Bring the database up to date with the notes folder, in one transaction."""
        # A digest of the whole listing (in the folder's own order: when only the order
        # changed, the stamps are compared once): when it matches, nothing has changed.
        # It may have been read ahead while the coach loaded (listing.read_ahead).
        digest = listing.digest_read_ahead(self.notes_dir)
        on_disk = None if digest is not None else listing.Listing.of(listing.scan(self.notes_dir))
        if on_disk is not None:
            digest = on_disk.digest()
        try:
            row = db.execute("SELECT value FROM state WHERE key = 'stamps'").fetchone()
            seen = row[0] if row is not None else None
            if seen == digest:
                return
            if on_disk is None:  # read ahead, and something changed: the child's listing
                on_disk = listing.stamps_read_ahead()
                if on_disk is None:  # (the digest read ahead is that listing's)
                    on_disk = listing.Listing.of(listing.scan(self.notes_dir))
                    digest = on_disk.digest()
            changed, removed, replaced = self._changes(db, on_disk)
            if not changed and not removed:
                with contextlib.suppress(sqlite3.OperationalError):  # read-only: fine
                    db.execute("INSERT OR REPLACE INTO state VALUES ('stamps', ?)", (digest,))
                return
            db.execute("BEGIN IMMEDIATE")  # waits for another coach writing it
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise
            raise _Unusable(str(exc)) from None
        finally:
            listing.done()
        try:
            # Another coach may have brought it up to date while this one waited: every
            # refresh that changes the notes' rows also changes the stamps' digest.
            row = db.execute("SELECT value FROM state WHERE key = 'stamps'").fetchone()
            if (row[0] if row is not None else None) != seen:
                changed, removed, replaced = self._changes(db, on_disk)
            groups: set[tuple[str, str]] = set()
            for name in [*removed, *replaced]:
                groups.update(self._delete(db, name))
            insert = f"INSERT INTO notes ({NOTE_ROW_COLUMNS}) VALUES ({NOTE_ROW_MARKS})"
            batch: list[tuple[Any, ...]] = []
            for row in self._rows(changed):
                batch.append(row)
                if row[3] is None:  # readable: it belongs to a role
                    groups.add((row[11], row[12]))
                if len(batch) >= INSERT_BATCH:
                    db.executemany(insert, batch)
                    batch.clear()
            db.executemany(insert, batch)
            # Their seasons are made again by the next season command (update_seasons).
            stale = sorted(groups)
            for table in ("seasons", "season_events"):
                db.executemany(f"DELETE FROM {table} WHERE role_key = ? AND project_key = ?", stale)
            db.executemany("INSERT OR IGNORE INTO season_stale VALUES (?, ?)", stale)
            self._update_roles(db, stale)
            db.execute("INSERT OR REPLACE INTO state VALUES ('stamps', ?)", (digest,))
            # The rows' stamps are now the listing's: kept whole for the next refresh
            # (up to a size; past it, holding it twice would cost more memory than the
            # rows take to read).
            if len(on_disk) <= LISTING_KEPT_MAX:
                kept = on_disk.data()
                db.execute("INSERT OR REPLACE INTO state VALUES ('listing', ?)", (kept,))
            else:
                db.execute("DELETE FROM state WHERE key = 'listing'")
            db.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.DatabaseError) and (
                not isinstance(exc, sqlite3.OperationalError) or "no such module" in str(exc)
            ):
                raise _Unusable(str(exc)) from None  # damaged, or made by another SQLite
            raise

    def _delete(self, db: sqlite3.Connection, name: str) -> list[tuple[str, str]]:
        """Drop a note's rows; the role it belonged to, if it had one."""
        rows = db.execute(
            "SELECT role_key, project_key, error FROM notes WHERE file = ?", (name,)
        ).fetchall()
        db.execute("DELETE FROM notes WHERE file = ?", (name,))
        return [(role_key, project_key) for role_key, project_key, error in rows if error is None]

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

    def _update_roles(self, db: sqlite3.Connection, keys: list[tuple[str, str]]) -> None:
        """Recompute the `list` rows of some roles (role_key, project_key) from their
        notes: one query per role when they are few, one for all notes when many (a
        first build: thousands of roles)."""
        db.executemany("DELETE FROM roles WHERE role_key = ? AND project_key = ?", keys)
        wanted = set(keys)
        if len(keys) <= ROLES_ONE_BY_ONE:
            groups: Iterable[tuple[tuple[str, str], Iterable[tuple[Any, ...]]]] = (
                (
                    key,
                    db.execute(
                        f"SELECT role_key, project_key, {SUMMARY_COLUMNS} FROM notes "
                        "WHERE role_key = ? AND project_key = ? AND error IS NULL ORDER BY file",
                        key,
                    ).fetchall(),
                )
                for key in keys
            )
        else:
            rows = db.execute(
                f"SELECT role_key, project_key, {SUMMARY_COLUMNS} FROM notes "
                "WHERE error IS NULL ORDER BY role_key, project_key, file"
            )
            groups = itertools.groupby(rows, key=lambda row: (row[0], row[1]))
        inserts = []
        for key, group in groups:
            if key not in wanted:
                continue
            summaries = [NoteSummary(*row[2:]) for row in group]
            if not summaries:
                continue
            (row,) = role_rows(summaries)
            inserts.append(
                (
                    *key,
                    row.role,
                    row.project,
                    json.dumps(row.rounds, ensure_ascii=False),
                    row.notes,
                    row.latest_round,
                    row.latest_date,
                    row.outcome,
                    row.next_action,
                    row.next_round,
                    max(s.date for s in summaries),
                    max(s.created for s in summaries),
                    summaries[0].file,
                )
            )
        db.executemany(
            "INSERT INTO roles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", inserts
        )

    # -- reading ---------------------------------------------------------------------------

    def _read(self, fetch: Callable[[sqlite3.Connection], _T]) -> _T:
        """`fetch(db)`; a database found damaged only now is rebuilt (or bypassed) and
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

    def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        return self._read(lambda db: db.execute(sql, params).fetchall())

    def summaries(self) -> list[NoteSummary]:
        """A summary of every note file, fresh against the folder (sorted by file name)."""
        return [
            NoteSummary(*row)
            for row in self._all(f"SELECT {SUMMARY_COLUMNS} FROM notes ORDER BY file")
        ]

    def for_role(self, role: str) -> list[NoteSummary]:
        """The readable notes whose role matches `role` (case- and accent-insensitively)."""
        return [
            NoteSummary(*row)
            for row in self._all(
                f"SELECT {SUMMARY_COLUMNS} FROM notes "
                "WHERE role_key = ? AND error IS NULL ORDER BY file",
                (fold(role),),
            )
        ]

    def facts(self) -> list[tuple[str, str | None]]:
        """(file, facts as JSON or None) of every readable note, by file name."""
        return self._all("SELECT file, facts FROM notes WHERE error IS NULL ORDER BY file")

    def facts_list(self) -> tuple[str, list[str]]:
        """The facts of every readable note that has them, as one JSON list (by file
        name): one text to decode instead of one per note; and the readable notes that
        have none."""
        (text,) = self._all(
            "SELECT '[' || coalesce(group_concat(facts, ','), '') || ']' FROM (SELECT facts "
            "FROM notes WHERE error IS NULL AND facts IS NOT NULL ORDER BY file)"
        )[0]
        missing = self._all(
            "SELECT file FROM notes WHERE error IS NULL AND facts IS NULL ORDER BY file"
        )
        return text, [file for (file,) in missing]

    # -- the season (season.py makes its rows) ----------------------------------------------

    def update_seasons(
        self,
        make: Callable[[list[tuple[str, str | None]]], tuple[SeasonRow | None, list[EventRow]]],
    ) -> None:
        """Make the season rows of every role whose notes changed since they were made:
        `make` gets the role's readable notes as (file, facts JSON or None) and gives its
        `seasons` row (None: no round) and `season_events` rows. One transaction, so
        another coach refreshing the notes waits; sqlite3.Error when it cannot be done."""
        db = self.db()
        if db.execute("SELECT 1 FROM season_stale LIMIT 1").fetchone() is None:
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            for role_key, project_key in db.execute("SELECT * FROM season_stale").fetchall():
                key = (role_key, project_key)
                notes = db.execute(
                    "SELECT file, facts FROM notes WHERE role_key = ? AND project_key = ? "
                    "AND error IS NULL ORDER BY file",
                    key,
                ).fetchall()
                season_row, events = make(notes)
                db.execute("DELETE FROM seasons WHERE role_key = ? AND project_key = ?", key)
                db.execute("DELETE FROM season_events WHERE role_key = ? AND project_key = ?", key)
                if season_row is not None:
                    values = (*key, *season_row)
                    marks = ", ".join("?" * len(values))
                    db.execute(f"INSERT INTO seasons VALUES ({marks})", values)
                db.executemany(
                    "INSERT INTO season_events VALUES (?, ?, ?, ?, ?, ?)",
                    [(*key, *event) for event in events],
                )
            db.execute("DELETE FROM season_stale")
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise

    def season_rows(self, columns: str, where: str = "", params: tuple[Any, ...] = ()) -> list[Any]:
        """`columns` of the roles' season rows (`where` filters), in the season's order:
        by first date (undated last), then role and project."""
        return self._all(
            f"SELECT {columns} FROM seasons {where} ORDER BY "
            "CASE first_date WHEN '' THEN '9999' ELSE first_date END, role_key, project_key",
            params,
        )

    def season_groups(
        self, key: str, where: str = "", params: tuple[Any, ...] = ()
    ) -> list[tuple[Any, int, str, int]]:
        """(key, stage, status, roles) of the roles' season rows grouped by the SQL
        expression `key` and by where they stand (`where` filters)."""
        return self._all(
            f"SELECT {key}, stage, status, count(*) FROM seasons {where} GROUP BY 1, 2, 3",
            params,
        )

    def season_waiting(self, before: str) -> list[tuple[str, str, str, str, str, str, str]]:
        """(role key, project key, role, project, round, date, what) of every role whose
        latest round, dated before `before`, waits for a review or an outcome."""
        return self._all(
            "SELECT role_key, project_key, role, project, latest_round, latest_date, waiting "
            "FROM seasons WHERE latest_date < ? AND latest_date != '' AND waiting != ''",
            (before,),
        )

    def season_names(self) -> dict[str, int]:
        """How many roles (in different projects) go by each folded role name."""
        return dict(self._all("SELECT role_key, count(*) FROM seasons GROUP BY role_key"))

    def season_events(self) -> list[tuple[str, int, str, str]]:
        """(day, minute or -1, uid, text) of every round's calendar event, in order."""
        return self._all("SELECT day, time, uid, text FROM season_events ORDER BY day, time, uid")

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

    def role_rows(
        self,
        *,
        role: str | None = None,
        project: str | None = None,
        outcome: str | None = None,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[RoleRow]:
        """`coach list`'s rows, most recently active first: every role, or those whose
        name and project match (without regard to case or accents), whose latest outcome
        is `outcome` ("pending" for none) and whose latest date is `since` or later; the
        first `limit` of them."""
        where, params = self._role_filter(role, project, outcome, since)
        sql = (
            "SELECT role, project, rounds, notes, latest_round, latest_date, outcome, "
            f"next_action, next_round FROM roles {where} "
            "ORDER BY active_date DESC, active_created DESC, first_file"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [
            RoleRow(
                role=row[0],
                project=row[1],
                rounds=json.loads(row[2]),
                notes=row[3],
                latest_round=row[4],
                latest_date=row[5],
                outcome=row[6],
                next_action=row[7],
                next_round=row[8],
            )
            for row in self._all(sql, params)
        ]

    def count_roles(
        self,
        *,
        role: str | None = None,
        project: str | None = None,
        outcome: str | None = None,
        since: str | None = None,
    ) -> int:
        """How many rows `role_rows` gives with the same filters and no limit."""
        where, params = self._role_filter(role, project, outcome, since)
        return int(self._all(f"SELECT count(*) FROM roles {where}", params)[0][0])

    @staticmethod
    def _role_filter(
        role: str | None, project: str | None, outcome: str | None, since: str | None
    ) -> tuple[str, tuple[Any, ...]]:
        where: list[str] = []
        params: list[Any] = []
        for clause, value in (
            ("role_key = ?", None if role is None else fold(role)),
            ("project_key = ?", None if project is None else fold(project)),
            ("coalesce(nullif(outcome, ''), 'pending') = ?", outcome),
            ("latest_date >= ?", since),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        return ("WHERE " + " AND ".join(where) if where else ""), tuple(params)

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
        """The full notes behind `files`, in that order, read from the index a batch at a
        time (memory stays flat); an error (NoteParseError, OSError) in place of a note
        that cannot be read."""
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
            rows = {
                row[0]: row[1:]
                for row in self._all(
                    f"SELECT file, meta, body, error, mtime_ns, size FROM notes "
                    f"WHERE file IN ({marks})",
                    tuple(batch),
                )
            }
            for file in batch:
                row = rows.get(file)
                stamp = (row[3], row[4]) if row is not None else (-1, -1)
                try:
                    yield file, self._note(file, row), stamp
                except (OSError, NoteParseError) as exc:
                    yield file, exc, stamp

    # -- export pieces ---------------------------------------------------------------------

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
        since/until are dates, inclusive), in the stable export order: role, project,
        round, prep before review, date, created, file name."""
        where = ["error IS NULL"]
        params: list[Any] = []
        for column, value in (
            ("role_key = ?", None if role is None else fold(role)),
            ("project_key = ?", None if project is None else fold(project)),
            ("round = ?", round_label),
            ("kind = ?", kind),
            ("coalesce(nullif(outcome, ''), 'pending') = ?", outcome),
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
                "project_key, round_rank(round), round, kind != 'prep', date, created, file",
                tuple(params),
            )
        ]

    def yaml_break_files(self) -> set[str]:
        """Notes holding a character YAML reads as a line break (anywhere in the file)."""
        return {row[0] for row in self._all("SELECT file FROM notes WHERE yaml_break")}

    # -- search ----------------------------------------------------------------------------

    def search(self, text: str) -> list[tuple[NoteSummary, str, str]]:
        """(summary, where, line) for every line the actor wrote that contains `text`,
        ignoring case; in file order, then line order."""
        return list(self.iter_search(text))

    def iter_search(self, text: str) -> Iterator[tuple[NoteSummary, str, str]]:
        """`search`, one match at a time (memory stays flat at any number of matches)."""
        needle = text.casefold()
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

    def _search(
        self, db: sqlite3.Connection, needle: str
    ) -> Iterator[tuple[NoteSummary, str, str]]:
        columns = ", ".join(f"n.{c.strip()}" for c in SUMMARY_COLUMNS.split(","))
        # The full-text query syntax cannot hold a NUL: such a needle is scanned for.
        if len(needle) >= 3 and "\x00" not in needle and self._ensure_fts(db):
            # A trigram phrase is a substring match: the notes holding `needle`.
            phrase = '"' + needle.replace('"', '""') + '"'
            rows = db.execute(
                f"SELECT {columns}, n.meta, n.body FROM search JOIN notes n ON n.id = search.rowid "
                "WHERE search MATCH ? ORDER BY n.file",
                (phrase,),
            )
        else:
            rows = db.execute(
                f"SELECT {columns}, n.meta, n.body FROM notes n "
                "WHERE n.error IS NULL AND instr(n.words, ?) > 0 ORDER BY n.file",
                (needle,),
            )
        for row in rows:
            summary = NoteSummary(*row[:SUMMARY_WIDTH])
            try:
                note = self._note(summary.file, (*row[SUMMARY_WIDTH:], None))
            except (OSError, NoteParseError):
                continue
            for where, line in actor_lines(note):
                if needle in line.casefold():
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


def _round_rank_number(label: str) -> int:
    """`rounds.round_rank` as one number, for ORDER BY."""
    group, number = round_rank(str(label))
    return group * 100_000 + number


def _is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text
