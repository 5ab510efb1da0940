"""The notes index: a SQLite cache of the notes folder (see `index.index`)."""

from callback_coach.store.index.index import EventRow, NoteIndex, fts5_trigram_available
from callback_coach.store.index.refresh import BUSY_TIMEOUT_MS, DB_NAME, RoleKey, Summarize
from callback_coach.store.index.rows import NoteRow, actor_lines, folded_words
from callback_coach.store.index.schema import SCHEMA_VERSION, RoleSummary

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DB_NAME",
    "SCHEMA_VERSION",
    "EventRow",
    "NoteIndex",
    "NoteRow",
    "RoleKey",
    "RoleSummary",
    "Summarize",
    "actor_lines",
    "folded_words",
    "fts5_trigram_available",
]
