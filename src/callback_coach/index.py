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
import os
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from callback_coach import fileio, paths
from callback_coach.notes import Note, NoteParseError, read_note

INDEX_VERSION = 2
SEP = "\x1f"  # between the fields of a search line; never typed by a person


@dataclass
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

    @property
    def ok(self) -> bool:
        return self.error is None


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
        self._summaries: list[NoteSummary] | None = None
        self._generation = ""
        self._blob: str | None = None

    # -- reading -------------------------------------------------------------------------

    def summaries(self) -> list[NoteSummary]:
        """A summary of every note file, fresh against the folder (sorted by file name)."""
        if self._summaries is None:
            self._summaries = self._refresh()
        return self._summaries

    def path_of(self, summary: NoteSummary) -> Path:
        return self.notes_dir / summary.file

    def search(self, pattern: Any) -> list[tuple[NoteSummary, str, str]]:
        """(summary, where, line) for every line a compiled regex finds, in note order."""
        by_file = {s.file: s for s in self.summaries()}
        blob = self._search_blob()
        hits: list[tuple[NoteSummary, str, str]] = []
        last_start = -1
        for match in pattern.finditer(blob):
            start = blob.rfind("\n", 0, match.start()) + 1
            if start == last_start:
                continue
            last_start = start
            end = blob.find("\n", match.end())
            record = blob[start : end if end >= 0 else len(blob)]
            parts = record.split(SEP, 2)
            if len(parts) != 3 or not pattern.search(parts[2]):
                continue  # the match was in the file name or the location, not the text
            summary = by_file.get(parts[0])
            if summary is not None:
                hits.append((summary, parts[1], parts[2]))
        return hits

    # -- building ------------------------------------------------------------------------

    def _scan_folder(self) -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        try:
            with os.scandir(self.notes_dir) as entries:
                for entry in entries:
                    if not entry.name.endswith(".md") or entry.name.startswith("."):
                        continue
                    try:
                        st = entry.stat()
                    except OSError:
                        continue
                    if entry.is_file():
                        found[entry.name] = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise fileio.storage_error(exc, self.notes_dir, "read") from None
        return found

    def _load_index(self) -> tuple[dict[str, NoteSummary], str]:
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
            if data.get("version") != INDEX_VERSION or data.get("home") != str(self.home):
                return {}, ""
            entries = {e["file"]: NoteSummary(**e) for e in data["notes"]}
            return entries, str(data["generation"])
        except (OSError, ValueError, KeyError, TypeError):
            return {}, ""

    def _refresh(self) -> list[NoteSummary]:
        on_disk = self._scan_folder()
        cached, generation = self._load_index()
        fresh: dict[str, NoteSummary] = {}
        reread: dict[str, Note | None] = {}
        for name, (mtime_ns, size) in on_disk.items():
            old = cached.get(name)
            if old is not None and old.mtime_ns == mtime_ns and old.size == size:
                fresh[name] = old
            else:
                fresh[name], reread[name] = self._read(name, mtime_ns, size)
        summaries = [fresh[name] for name in sorted(fresh)]
        unchanged = not reread and set(cached) == set(on_disk)
        if unchanged and generation and self._search_generation() == generation:
            self._generation = generation
            return summaries
        old_lines = self._load_search(generation) if generation else None
        if old_lines is None:
            # No usable search file: read every note again for its lines.
            old_lines = {}
            for name, summary in fresh.items():
                if name not in reread and summary.ok:
                    reread[name] = self._read(name, summary.mtime_ns, summary.size)[1]
        lines = {name: old_lines.get(name, []) for name in fresh if name not in reread}
        for name, note in reread.items():
            lines[name] = self._note_lines(name, note) if note is not None else []
        self._generation = uuid.uuid4().hex
        self._write(summaries, lines)
        return summaries

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
        self._blob = rest
        by_file: dict[str, list[str]] = {}
        for record in rest.split("\n"):
            if record:
                by_file.setdefault(record.split(SEP, 1)[0], []).append(record)
        return by_file

    def _write(self, summaries: list[NoteSummary], lines: dict[str, list[str]]) -> None:
        body = "".join(line + "\n" for s in summaries for line in lines.get(s.file, []))
        index = {
            "version": INDEX_VERSION,
            "home": str(self.home),
            "generation": self._generation,
            "notes": [asdict(s) for s in summaries],
        }
        # The cache is a convenience: if it cannot be written, everything still works.
        with contextlib.suppress(Exception):
            fileio.atomic_write(self.search_path, f"{self._generation}\n{body}")
            fileio.atomic_write(self.index_path, json.dumps(index, ensure_ascii=False, default=str))
        self._blob = body

    def _search_blob(self) -> str:
        self.summaries()
        if self._blob is None and self._load_search(self._generation) is None:
            self._generation = ""
            self._summaries = self._refresh()  # the search file vanished: rebuild it
        return self._blob or ""
