"""The index's tables. The index is a cache of the notes: a database made by another
version of the coach (`SCHEMA_VERSION`, kept as SQLite's `user_version`) is deleted and
built again from the notes, never migrated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields

# Raised whenever a table below changes (or what fills it: the rows, the role summary).
SCHEMA_VERSION = 23

TABLES = (
    """CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        file TEXT NOT NULL UNIQUE,
        mtime_ns INTEGER NOT NULL,
        size INTEGER NOT NULL,
        error TEXT,                  -- why the note cannot be read, else NULL
        kind TEXT NOT NULL,
        role TEXT NOT NULL,
        project TEXT NOT NULL,
        round TEXT NOT NULL,
        round_order INTEGER NOT NULL,  -- rows.round_order(round)
        date TEXT NOT NULL,
        created TEXT NOT NULL,
        outcome TEXT,                -- the note's current outcome, NULL for none or pending
        role_key TEXT NOT NULL,      -- fold(role), for matching
        project_key TEXT NOT NULL,
        warning TEXT,                -- said about a note that is still read
        facts TEXT,                  -- NoteFacts.to_row() as JSON (no answers)
        meta TEXT,                   -- the front matter as JSON; NULL when JSON cannot hold it
        body TEXT,
        words TEXT NOT NULL,         -- rows.folded_words(note): case and accents folded
        yaml_break INTEGER NOT NULL
    )""",
    "CREATE INDEX notes_by_role ON notes (role_key, project_key, error, file, facts)",
    # Cover the stamp check and the unreadable notes: read without the wide rows.
    "CREATE INDEX notes_stamps ON notes (file, mtime_ns, size)",
    "CREATE INDEX notes_unreadable ON notes (file, error) WHERE error IS NOT NULL",
    "CREATE INDEX notes_warnings ON notes (file, warning) WHERE warning IS NOT NULL",
    """CREATE TABLE roles (
        role_key TEXT NOT NULL,
        project_key TEXT NOT NULL,
        role TEXT NOT NULL,
        project TEXT NOT NULL,
        rounds TEXT NOT NULL,        -- JSON list of round labels
        notes INTEGER NOT NULL,
        latest_round TEXT NOT NULL,
        latest_date TEXT NOT NULL,
        outcome TEXT,
        next_action TEXT,
        next_round TEXT,
        active_date TEXT NOT NULL,   -- the order of `coach list`
        active_created TEXT NOT NULL,
        first_date TEXT NOT NULL,
        stage INTEGER NOT NULL,
        status TEXT NOT NULL,
        round_count INTEGER NOT NULL,
        medium TEXT,
        office TEXT,
        follow_ups INTEGER NOT NULL,       -- 1: some note has follow-ups
        follow_ups_until TEXT NOT NULL,    -- after this day none can be open ('9999': any)
        open_prep TEXT NOT NULL,           -- the latest day of a prepped round not reviewed
        waiting TEXT NOT NULL,             -- what the latest round waits for, or ''
        first_file TEXT NOT NULL,
        PRIMARY KEY (role_key, project_key)
    )""",
    "CREATE INDEX roles_in_order ON roles (active_date DESC, active_created DESC, first_file)",
    "CREATE INDEX roles_counted "
    "ON roles (stage, status, round_count, first_date, medium, office, project)",
    "CREATE INDEX roles_waiting ON roles (latest_date, waiting) WHERE waiting != ''",
    "CREATE INDEX roles_open_prep ON roles (open_prep)",
    "CREATE INDEX roles_follow_ups ON roles (follow_ups, follow_ups_until)",
    # Each round's calendar event (season.calendar), made when first asked for after its
    # role changed (a role waiting for that is in events_stale).
    """CREATE TABLE events (
        role_key TEXT NOT NULL,
        project_key TEXT NOT NULL,
        day TEXT NOT NULL,
        time INTEGER NOT NULL,       -- minutes after midnight; -1: all day
        uid TEXT NOT NULL,
        text TEXT NOT NULL           -- the VEVENT lines, folded, CRLF
    )""",
    "CREATE INDEX events_by_role ON events (role_key, project_key)",
    "CREATE INDEX events_in_order ON events (day, time, uid, text)",
    "CREATE TABLE events_stale (role_key TEXT NOT NULL, project_key TEXT NOT NULL, "
    "PRIMARY KEY (role_key, project_key))",
    # Each note's part of an export, as last written in each format (exports.exporting):
    # kept with what it was made from, dropped with the note's row when the note changes.
    """CREATE TABLE pieces (
        file TEXT NOT NULL,
        format TEXT NOT NULL,
        made TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (file, format)
    )""",
    "CREATE TRIGGER notes_pieces_delete AFTER DELETE ON notes BEGIN "
    "DELETE FROM pieces WHERE file = old.file; END",
    "CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


# A row of `roles` after its keys, as SQLite gives it (`rounds` is JSON text).
RoleRow = tuple[
    str, str, str, int, str, str, str | None, str | None, str | None, str, str, str, int, str,
    int, str | None, str | None, int, str, str, str, str,
]  # fmt: skip


@dataclass(frozen=True)
class RoleSummary:
    """A role as the index keeps it (a row of `roles` after its keys): what `coach
    list` shows and what the season commands filter and count by. The core makes it
    from the role's notes (`NoteIndex`'s `summarize`)."""

    role: str
    project: str
    rounds: list[str]  # the rounds' labels
    notes: int
    latest_round: str
    latest_date: str
    outcome: str | None
    next_action: str | None
    next_round: str | None
    active_date: str
    active_created: str
    first_date: str
    stage: int
    status: str
    round_count: int
    medium: str | None
    office: str | None
    follow_ups: int
    follow_ups_until: str
    open_prep: str
    waiting: str
    first_file: str

    def row(self) -> tuple[object, ...]:
        """The values of its `roles` row, in order."""
        # Shallow: `astuple` deep-copies every value, a third of a rebuild's summing up.
        values = [getattr(self, name) for name in _SUMMARY_FIELDS]
        values[2] = json.dumps(list(self.rounds), ensure_ascii=False)
        return tuple(values)

    @classmethod
    def from_row(cls, row: RoleRow) -> RoleSummary:
        """The summary a row of `roles` (after its keys) holds."""
        return cls(row[0], row[1], json.loads(row[2]), *row[3:])


_SUMMARY_FIELDS = tuple(f.name for f in fields(RoleSummary))
SUMMARY_COLUMNS = ", ".join(_SUMMARY_FIELDS)
