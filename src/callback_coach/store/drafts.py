"""Drafts: every answer is written the moment it is given, so Ctrl-C loses nothing.

One draft file per (kind, project, role, round) in `$COACH_HOME/drafts/`. A saved note
removes its draft. A draft is YAML; unknown keys in it are kept when it is rewritten.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from callback_coach.errors import AnswersError, StorageError
from callback_coach.store import fileio, paths, yamldump, yamlio
from callback_coach.store.drill_format import is_drill_note
from callback_coach.store.facts import is_answered
from callback_coach.store.notes import KINDS, answers_problems, now_iso
from callback_coach.store.slugs import fold, slugify


@dataclass
class Draft:
    """Answers given so far in an unfinished session, with what identifies the session."""

    kind: str
    role: str
    project: str
    round: str
    date: str
    checklists: list[str]
    answers: dict[str, dict[str, object]] = field(default_factory=dict)
    started: str = field(default_factory=now_iso)
    extra: dict[str, object] = field(default_factory=dict)
    path: Path | None = None
    # The checklists the person chose (`--checklist`, or "just one checklist"), so a
    # resumed session asks the same ones; None for the full or quick path.
    chosen: list[str] | None = None
    # Text typed into a question when the session was stopped, by "checklist.question":
    # not an answer (not counted, not saved in the note), offered as its starting text.
    unfinished: dict[str, str] = field(default_factory=dict)

    def count(self) -> int:
        """How many questions have an answer (one left blank is kept, to resume past it,
        but is not an answer; a drill's director's notes are the coach's, not answers)."""
        return sum(
            1
            for cid, values in self.answers.items()
            for qid, value in values.items()
            if is_answered(value) and not (self.kind == "drill" and is_drill_note(cid, qid))
        )

    def to_dict(self) -> dict[str, object]:
        data = dict(self.extra)
        data.update(
            {
                "format": 1,
                "kind": self.kind,
                "role": self.role,
                "project": self.project,
                "round": self.round,
                "date": self.date,
                "started": self.started,
                "updated": now_iso(),
                "checklists": list(self.checklists),
                "answers": self.answers,
            }
        )
        if self.chosen:
            data["chosen"] = list(self.chosen)
        if self.unfinished:
            data["unfinished"] = dict(self.unfinished)
        return data

    def path_taken(self) -> str | None:
        """full, quick or checklist: the path of a prep (None for older drafts)."""
        value = self.extra.get("path")
        return value if isinstance(value, str) else None


KNOWN_KEYS = {
    "format",
    "kind",
    "role",
    "project",
    "round",
    "date",
    "started",
    "updated",
    "checklists",
    "answers",
    "chosen",
    "unfinished",
}


# Seconds a session waits for a busy lock: a scripted save holds it for milliseconds.
LOCK_WAIT = 2.0


class DraftStore:
    """The drafts folder of one coach home."""

    def __init__(
        self, home: Path | None = None, *, warn: Callable[[str], None] | None = None
    ) -> None:
        self.home = home or paths.coach_home()
        self.folder = paths.drafts_dir(self.home)
        # Told about every draft that cannot be read (it is then skipped, left untouched).
        self.warn = warn or (lambda message: None)

    def path_for(self, kind: str, role: str, project: str, round_label: str) -> Path:
        project_slug = slugify(project, fallback="p") if project else "no-project"
        stem = "_".join([kind, project_slug, slugify(role, fallback="role"), slugify(round_label)])
        return self.folder / f"{stem}.yaml"

    @contextlib.contextmanager
    def lock(
        self, kind: str, role: str, project: str, round_label: str, *, scripted: bool = False
    ) -> Iterator[None]:
        """Hold one session (kind, role, project, round) for this process.

        An interactive session holds it alone; scripted saves (`scripted`) may share it
        with each other but not with an interactive session. When it stays busy for
        LOCK_WAIT seconds (longer than any scripted save takes), StorageError is raised.
        The lock file lives in the cache folder (per machine), never in the synced home.
        """
        draft_path = self.path_for(kind, role, project, round_label)
        folder = paths.locks_dir(self.home)
        lock_path = folder / (draft_path.stem + ".lock")
        try:
            with fileio.hold_lock(lock_path, shared=scripted, wait=LOCK_WAIT):
                yield
        except fileio.LockBusy:
            raise StorageError(
                f"another coach is already running this {kind} ({role}, {round_label}); "
                "finish or stop it first"
            ) from None

    def ensure_writable(self) -> None:
        """Fail before any question is asked if answers could not be kept."""
        fileio.ensure_private_dir(self.home)
        fileio.ensure_private_dir(self.folder)
        probe = self.folder / ".write-check"
        fileio.atomic_write(probe, "ok\n")
        with contextlib.suppress(OSError):
            probe.unlink()

    def save(self, draft: Draft) -> Path:
        """Write the draft; AnswersError (nothing written) if it would not read back."""
        path = draft.path or self.path_for(draft.kind, draft.role, draft.project, draft.round)
        data = draft.to_dict()
        reason = yamlio.bad_data(data)
        if reason:
            raise AnswersError(f"the draft cannot be saved: {reason}")
        text = yamldump.dump(data)
        try:
            again = parse_draft(text)
        except ValueError as exc:  # yamlio.ReadError included
            raise AnswersError(f"the draft cannot be saved: {exc}") from None
        if again.answers != draft.answers:
            raise AnswersError("the draft cannot be saved: it would not read back as written")
        fileio.atomic_write(path, text)
        draft.path = path
        return path

    def move(self, draft: Draft, project: str) -> None:
        """Give a draft another project: written under its new name first, then the old
        file removed (an interruption leaves a copy, never nothing)."""
        old = draft.path
        draft.project = project
        draft.path = None
        self.save(draft)
        if old is not None and old != draft.path:
            with contextlib.suppress(FileNotFoundError):
                old.unlink()

    def delete(self, draft: Draft, *, saved: bool = False) -> None:
        """Remove a draft's file. Once its note is saved (`saved`), a draft that cannot be
        removed is a warning (the words are safe in the note); else a StorageError."""
        if draft.path is None:
            return
        try:
            draft.path.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            error = fileio.storage_error(exc, draft.path, "remove")
            if not saved:
                raise error from None
            self.warn(f"{error.message}; your note is saved: remove the draft by hand")

    def load(self, path: Path) -> Draft | None:
        """A draft file, or None if it cannot be read (it is then named in a warning and
        left untouched)."""
        if not path.is_file():  # a folder, or a FIFO that would wait for a writer
            self.warn(f"skipped draft {path}: not a regular file")
            return None
        try:
            draft = parse_draft(yamlio.read_file(path))
        except OSError as exc:
            self.warn(f"skipped draft {path}: {exc.strerror or exc}")
            return None
        except ValueError as exc:  # yamlio.ReadError, or a value of the wrong type
            self.warn(f"skipped draft {path}: {exc}")
            return None
        draft.path = path
        return draft

    def all(self) -> list[Draft]:
        """Every readable draft, newest first."""
        if not self.folder.is_dir():
            return []
        found = [self.load(path) for path in sorted(self.folder.glob("*.yaml"))]
        drafts = [d for d in found if d is not None]
        drafts.sort(key=lambda d: d.started, reverse=True)
        return drafts

    def find(
        self, kind: str, role: str, project: str | None, round_label: str | None
    ) -> list[Draft]:
        """Drafts of `kind` for this role (and project and round, when given), newest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob(f"{kind}_*.yaml")):
            draft = self.load(path)
            if draft is None or draft.kind != kind or fold(draft.role) != fold(role):
                continue
            if project is not None and fold(draft.project) != fold(project):
                continue
            if round_label is not None and draft.round != round_label:
                continue
            found.append(draft)
        found.sort(key=lambda d: d.started, reverse=True)
        return found


def parse_draft(text: str) -> Draft:
    """A draft from its file text; ValueError (a yamlio.ReadError for YAML) says what is
    wrong. The date is kept as written and checked where it is used."""
    data = yamlio.load(text).value
    if not isinstance(data, dict):
        raise ValueError("not a mapping")
    problems = []
    if data.get("kind") not in KINDS:
        problems.append(f"'kind' must be prep or review, not {yamlio.shown(data.get('kind'))}")
    for key in ("role", "round"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(f"'{key}' must be text")
    for key in ("project", "date", "started"):
        if data.get(key) is not None and not isinstance(data[key], str):
            problems.append(f"'{key}' must be text")
    checklists = data.get("checklists") or []
    if not isinstance(checklists, list) or not all(isinstance(c, str) for c in checklists):
        problems.append("'checklists' must be a list of checklist ids")
    chosen = data.get("chosen")
    if chosen is not None and (
        not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen)
    ):
        problems.append("'chosen' must be a list of checklist ids")
    answers = data.get("answers") or {}
    if not isinstance(answers, dict):
        problems.append("'answers' must be a mapping of checklist id to answers")
    else:
        problems.extend(answers_problems(answers))
    if problems:
        raise ValueError("; ".join(problems))
    return Draft(
        kind=data["kind"],
        role=data["role"],
        project=data.get("project") or "",
        round=data["round"],
        date=data.get("date") or "",
        checklists=list(checklists),
        answers={cid: dict(values or {}) for cid, values in answers.items()},
        started=data.get("started") or "",
        extra={k: v for k, v in data.items() if k not in KNOWN_KEYS},
        chosen=list(chosen) if chosen else None,
        unfinished=_unfinished(data.get("unfinished")),
    )


def _unfinished(value: object) -> dict[str, str]:
    """The text typed into unanswered questions, as a draft keeps it (anything else there
    is dropped: it is only an offer to finish)."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def age_text(started: str, now: dt.datetime) -> str:
    """How long ago a draft was started, as people say it ("2 hours ago"); "a while
    ago" when its time cannot be read."""
    try:
        then = dt.datetime.fromisoformat(started)
        if then.tzinfo is None:
            then = then.astimezone()
        seconds = (now - then).total_seconds()
    except (TypeError, ValueError, OverflowError):
        return "a while ago"
    if seconds < 60:
        return "just now"
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"
