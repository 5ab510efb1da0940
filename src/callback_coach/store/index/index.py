"""A derived index of the notes folder, so listing, searching and exporting stay fast.

The notes are the only source of truth. The index is one SQLite database in the user
cache folder (never in the synced coach home), kept fresh on each use (`refresh`: a
changed note is read again, and the roles it belongs to are summed up again). Nothing is
ever written to a note.

Missing, stale, damaged, locked past a second, read-only or made by another version, the
database is rebuilt, or gone around for a private temporary one built from the notes:
never an error. Deleting it is always safe. All the SQL of the coach is in this package;
callers ask their questions in Python terms (`NoteIndex`).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Literal, cast, overload

from callback_coach.errors import StorageError
from callback_coach.store.facts import NoteFacts
from callback_coach.store.index.refresh import BUSY_TIMEOUT_MS, IndexFile, RoleKey, SqlValue
from callback_coach.store.index.rows import ROW_COLUMNS, NoteRow, NoteRowValues, actor_lines
from callback_coach.store.index.schema import SUMMARY_COLUMNS, RoleRow, RoleSummary
from callback_coach.store.notes import Note, NoteParseError, read_note
from callback_coach.store.slugs import fold, search_fold

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

_ROW_SQL = ", ".join(ROW_COLUMNS)
_FACTS_OF_ROLE = (
    "SELECT file, facts FROM notes WHERE error IS NULL AND role_key = ? AND project_key = ? "
    "ORDER BY file"
)
# The rows of the queries below, as the schema makes them (SQLite gives them untyped).
_FileFacts = tuple[str, str | None]  # file, facts
_FileText = tuple[str, str]  # file, and a text: an error, a warning, a piece
# file, meta, body, error, mtime_ns, size
_NoteText = tuple[str, str | None, str | None, str | None, int, int]


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


class NoteIndex(IndexFile):
    """The index of one coach home's notes: the questions callers ask of it (opened and
    brought up to date on first use, see `IndexFile`)."""

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
        return [NoteRow(*row) for row in cast("list[NoteRowValues]", found)]

    def facts(
        self, *, role: str | None = None, keys: Iterable[RoleKey] | None = None
    ) -> list[NoteFacts]:
        """The facts (without answers) of every readable note; of one role's notes in any
        project (`role`); or of the roles of `keys`. By file name."""
        sql = "SELECT file, facts FROM notes WHERE error IS NULL"
        if role is not None:
            found = self._all(sql + " AND role_key = ? ORDER BY file", (fold(role),))
        elif keys is None:
            found = self._all(sql + " ORDER BY file")
        else:
            found = []
            for key in sorted(set(keys)):
                found += self._all(sql + " AND role_key = ? AND project_key = ?", key)
            found.sort()
        return self._facts(cast("list[_FileFacts]", found))

    def unreadable(self) -> list[tuple[Path, str]]:
        """Note files that could not be read, with the reason."""
        return [
            (self.notes_dir / file, error)
            for file, error in cast(
                "list[_FileText]",
                self._all("SELECT file, error FROM notes WHERE error IS NOT NULL ORDER BY file"),
            )
        ]

    def warnings(self) -> list[tuple[Path, str]]:
        """Readable notes with something to say about them (e.g. a key written twice)."""
        return [
            (self.notes_dir / file, warning)
            for file, warning in cast(
                "list[_FileText]",
                self._all(
                    "SELECT file, warning FROM notes WHERE warning IS NOT NULL ORDER BY file"
                ),
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
        return [RoleSummary.from_row(row) for row in cast("list[RoleRow]", self._all(sql, params))]

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
        (count,) = cast("tuple[int]", self._all(f"SELECT count(*) FROM roles {where}", params)[0])
        return count

    # "rounds" counts by a number, the other breakdowns by text (None: not recorded). As
    # "rounds" is a str too, mypy calls the two overlapping: the first one applies.
    @overload
    def role_counts(  # type: ignore[overload-overlap]
        self, group: Literal["rounds"], since: str | None, until: str | None
    ) -> list[tuple[int, int, str, int]]: ...

    @overload
    def role_counts(
        self, group: str, since: str | None, until: str | None
    ) -> list[tuple[str | None, int, str, int]]: ...

    def role_counts(
        self, group: str, since: str | None, until: str | None
    ) -> list[tuple[int, int, str, int]] | list[tuple[str | None, int, str, int]]:
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
        found = self._all(
            f"SELECT {GROUPS[group]}, stage, status, count(*) FROM roles "
            f"WHERE {' AND '.join(where)} GROUP BY 1, 2, 3",
            params,
        )
        if group == "rounds":
            return cast("list[tuple[int, int, str, int]]", found)
        return cast("list[tuple[str | None, int, str, int]]", found)

    def waiting(self, before: str) -> list[RoleSummary]:
        """The roles whose latest round, dated before `before`, waits for a review or news
        (`RoleSummary.waiting`)."""
        found = self._all(
            f"SELECT {SUMMARY_COLUMNS} FROM roles "
            "WHERE latest_date < ? AND latest_date != '' AND waiting != ''",
            (before,),
        )
        return [RoleSummary.from_row(row) for row in cast("list[RoleRow]", found)]

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
        return [(role_key, project_key) for role_key, project_key in cast("list[RoleKey]", found)]

    def role_names(self) -> dict[str, int]:
        """How many roles (in different projects) go by each folded role name."""
        found = self._all("SELECT role_key, count(*) FROM roles GROUP BY role_key")
        return dict(cast("list[tuple[str, int]]", found))

    # -- the calendar ------------------------------------------------------------------------

    def events(self, make: Callable[[list[NoteFacts]], list[EventRow]]) -> list[EventRow]:
        """Every round's calendar event in the calendar's order (day, time, uid). A role
        changed since its events were made has them made again (`make` gets its notes'
        facts) and kept; where they cannot be kept (a read-only index), they are used as
        made."""

        def fetch(db: sqlite3.Connection) -> list[EventRow]:
            made: list[EventRow] = []
            stale = db.execute("SELECT role_key, project_key FROM events_stale").fetchall()

            def made_for(key: RoleKey) -> list[EventRow]:
                return make(self._facts(db.execute(_FACTS_OF_ROLE, key).fetchall()))

            if stale:
                try:
                    db.execute("BEGIN IMMEDIATE")
                    # Each role's events kept as soon as made: a home's first calendar
                    # never holds them all twice (50,000 notes: 97 MiB at its peak).
                    for key in stale:
                        db.execute("DELETE FROM events WHERE role_key = ? AND project_key = ?", key)
                        db.executemany(
                            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)",
                            [(*key, *event) for event in made_for(key)],
                        )
                    db.execute("DELETE FROM events_stale")
                    db.execute("COMMIT")
                except sqlite3.OperationalError as exc:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                    if "no such table" in str(exc):
                        raise
                    made = [event for key in stale for event in made_for(key)]  # read-only
            kept = db.execute("SELECT day, time, uid, text FROM events ORDER BY day, time, uid")
            rows: list[EventRow] = kept.fetchall()
            return sorted([*rows, *made]) if made else rows

        return self._read(fetch)

    # -- whole notes ---------------------------------------------------------------------------

    def _note(self, file: str, row: tuple[str | None, str | None, str | None] | None) -> Note:
        """The note from its (meta, body, error) row; read from its file when the front
        matter holds values JSON cannot keep (or the row is missing)."""
        path = self.notes_dir / file
        meta, body, error = (None, None, None) if row is None else row
        if meta is None or body is None:  # (a row with meta JSON has a body)
            if error is not None:
                raise NoteParseError(error)
            return read_note(path)
        return Note(meta=json.loads(meta), body=body, path=path)

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
            rows = self._all(
                f"SELECT file, meta, body, error, mtime_ns, size FROM notes WHERE file IN ({marks})",
                batch,
            )
            found = {row[0]: row for row in cast("list[_NoteText]", rows)}
            for file in batch:
                row = found.get(file)
                stamp = (row[4], row[5]) if row is not None else (-1, -1)
                try:
                    yield file, self._note(file, None if row is None else row[1:4]), stamp
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
        params: list[SqlValue] = []
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
        found = self._all(
            f"SELECT file FROM notes WHERE {' AND '.join(where)} ORDER BY role_key, "
            "project_key, round_order, round, kind != 'prep', date, created, file",
            params,
        )
        return [file for (file,) in cast("list[tuple[str]]", found)]

    def yaml_break_files(self) -> set[str]:
        """Notes holding a character YAML reads as a line break (anywhere in the file)."""
        found = self._all("SELECT file FROM notes WHERE yaml_break")
        return {file for (file,) in cast("list[tuple[str]]", found)}

    # -- export pieces -------------------------------------------------------------------------

    def pieces(self, files: list[str], fmt: str, made: str) -> dict[str, str]:
        """The kept export pieces in `fmt` of those of `files` that have one made from
        `made` (see `keep_pieces`)."""
        marks = ", ".join("?" * len(files))
        found = self._all(
            f"SELECT file, text FROM pieces WHERE file IN ({marks}) AND format = ? AND made = ?",
            (*files, fmt, made),
        )
        return dict(cast("list[_FileText]", found))

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
            for where, line in actor_lines(note):
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
) -> tuple[str, tuple[SqlValue, ...]]:
    where: list[str] = []
    params: list[SqlValue] = []
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
