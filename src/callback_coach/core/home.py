"""One coach home as every job reads it: its folders, the notes index, the checklists,
the notes themselves, and the warnings raised while reading them.

`Home` is what the job modules (planning, running, outcomes, queries, exporting) take as
`coach`; `workflow.Coach` is a Home with those jobs as its methods.
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from callback_coach.core.checklist import Catalogue, Checklist
from callback_coach.core.checklist_load import load_catalogue
from callback_coach.core.inputs import check_role
from callback_coach.core.rounds import (
    Role,
    build_role,
    canonical_role,
    no_notes_message,
    resolve_project,
    same_name,
    summarize,
)
from callback_coach.errors import AmbiguousError, NotFoundError
from callback_coach.store import paths
from callback_coach.store.drafts import DraftStore
from callback_coach.store.facts import NoteFacts, facts_of
from callback_coach.store.index import NoteIndex, NoteRow
from callback_coach.store.notes import Note
from callback_coach.store.notestore import NoteStore


@dataclass
class Home:
    """One coach home: its checklists, notes and drafts."""

    home: Path
    warnings: list[str] = field(default_factory=list)
    # Called with each new warning the moment it arises (the CLI shows it on stderr at
    # once, so it comes before the command's output and survives a later error).
    on_warning: Callable[[str], None] | None = field(default=None, repr=False, compare=False)
    _catalogue: Catalogue | None = field(default=None, repr=False, compare=False)
    _index: NoteIndex | None = field(default=None, repr=False, compare=False)
    # The day the coach takes as today (None: the clock's); tests fix it.
    today: dt.date | None = None

    @property
    def notes(self) -> NoteStore:
        """The notes folder; a note written through it refreshes the index's next read."""
        return NoteStore(self.home, on_change=self.notes_changed)

    @property
    def drafts(self) -> DraftStore:
        return DraftStore(self.home, warn=self.warn)

    @property
    def index(self) -> NoteIndex:
        """The notes index, brought up to date when first used by this Coach (one command)
        and again after this Coach writes a note."""
        if self._index is None:
            self._index = NoteIndex(self.home, summarize)
        return self._index

    def notes_changed(self) -> None:
        """Say that a note was written or rewritten: the next read refreshes the index."""
        if self._index is not None:
            self._index.close()
            self._index = None

    # -- reading the home -----------------------------------------------------------------

    def catalogue(self) -> Catalogue:
        """Built-in checklists with the actor's own; raises ChecklistError if any is broken.

        Read once per Coach (a command), so every step of it sees the same checklists.
        """
        if self._catalogue is not None:
            return self._catalogue
        catalogue = self._catalogue = load_catalogue(
            paths.builtin_checklists_dir(),
            paths.user_checklists_dir(self.home),
        )
        for path, reason in catalogue.skipped:
            self.warn(f"skipped checklist {path}: {reason}")
        return catalogue

    def select_checklists(self, phase: str | None, ids: list[str] | None) -> list[Checklist]:
        """The checklists named by `ids`, in that order; without ids, every checklist of
        `phase` (every checklist at all when `phase` is None)."""
        catalogue = self.catalogue()
        if not ids:
            chosen = list(catalogue.checklists) if phase is None else catalogue.for_phase(phase)
            if not chosen:
                raise NotFoundError(f"no {phase} checklists are available")
            return chosen
        chosen = []
        for cid in ids:
            checklist = catalogue.get(cid)
            if checklist is None:
                raise NotFoundError(
                    f"no checklist {cid!r} (available: {', '.join(catalogue.ids())})"
                )
            if checklist not in chosen:
                chosen.append(checklist)
        return chosen

    def day(self) -> dt.date:
        """Today, for this coach (`today` when set)."""
        return self.today or dt.date.today()

    def warn(self, message: str) -> None:
        """Keep a warning (once) in `warnings`, and pass it to `on_warning` if set."""
        if message not in self.warnings:
            self.warnings.append(message)
            if self.on_warning is not None:
                self.on_warning(message)

    def no_notes(self, role: str, project: str) -> NotFoundError:
        """The error for a role with no notes (in `project`, when not empty), suggesting
        the closest role names the notes know (of that project, when one is given)."""
        summaries = self.index.roles(project=project or None)
        return NotFoundError(no_notes_message(role, project, [s.role for s in summaries]))

    def note_rows(self) -> list[NoteRow]:
        """The index's row of every readable note; unreadable ones are named in `warnings`."""
        index = self.index
        self.warn_unreadable(index)
        return [row for row in index.note_rows() if row.ok]

    def warn_unreadable(self, index: NoteIndex) -> None:
        """Name in `warnings` the notes `index` could not read, and what it has to say
        about readable ones (e.g. a key written twice)."""
        if index.copies:
            names = ", ".join(shlex.quote(c.copy) for c in index.copies)
            self.warn(
                f"not read as notes: {len(index.copies)} sync conflict "
                f"{'copy' if len(index.copies) == 1 else 'copies'} ({names}); "
                "see `coach conflicts`"
            )
        for name, why in index.odd:
            self.warn(f"skipped {index.notes_dir / name}: {why}")
        for path, error in index.unreadable():
            self.warn(f"skipped {path}: {error}")
        for path, warning in index.warnings():
            self.warn(f"{path}: {warning}")

    def iter_files(self, files: list[str]) -> Iterator[Note]:
        """The full notes of some files, one at a time, from the index (a note that
        cannot be read is named in `warnings` and skipped)."""
        for _, note, _ in self.iter_stamped(files):
            yield note

    def iter_stamped(self, files: list[str]) -> Iterator[tuple[str, Note, tuple[int, int]]]:
        """`iter_files`, each note with its file name and the stamp of the index row it
        was read from (`NoteIndex.stamped_notes`)."""
        folder = paths.notes_dir(self.home)
        for file, note, stamp in self.index.stamped_notes(files):
            if isinstance(note, Exception):
                self.warn(f"skipped {folder / file}: {note}")
            else:
                yield file, note, stamp

    def with_answers(self, facts: Iterable[NoteFacts]) -> list[NoteFacts]:
        """The same notes' facts made from the whole notes: with their answers (a note
        gone since is left out, named in `warnings`)."""
        return [
            facts_of(note, file) for file, note, _ in self.iter_stamped([f.file for f in facts])
        ]

    def role(
        self,
        role: str,
        project: str | None,
        choose_project: Callable[[list[str]], str] | None,
        drafts_kind: str | None = None,
        *,
        answers: bool = False,
    ) -> tuple[str, str, Role | None]:
        """A role as the notes spell it, its project, and the role (None: no notes yet).

        A role in several projects asks `choose_project` (AmbiguousError without one);
        with `drafts_kind`, a role only known from an unfinished draft of that kind keeps
        the draft's project. With `answers`, the role's rounds know their answers."""
        role = check_role(role)
        index = self.index
        facts = index.facts(role=role)
        self.warn_unreadable(index)
        try:
            project_name = resolve_project(facts, role, project)
        except AmbiguousError as exc:
            if choose_project is None:
                raise
            project_name = choose_project(exc.choices)
        if project is None and not project_name and drafts_kind:
            # A role only known from an unfinished draft keeps the draft's project.
            drafts = self.drafts.find(drafts_kind, role, None, None)
            if drafts and len({d.project for d in drafts}) == 1:
                project_name = drafts[0].project
        mine = [f for f in facts if same_name(f.role, role) and same_name(f.project, project_name)]
        if answers:
            mine = self.with_answers(mine)
        return canonical_role(mine, role), project_name, build_role(mine)
