"""Drafts: every answer is written the moment it is given, so Ctrl-C loses nothing.

One draft file per (kind, project, role, round) in `$COACH_HOME/drafts/`. A saved note
removes its draft. A draft is YAML; unknown keys in it are kept when it is rewritten.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from callback_coach import fileio, paths
from callback_coach.errors import StorageError
from callback_coach.notes import dump_yaml, now_iso
from callback_coach.slugs import fold, slugify


@dataclass
class Draft:
    """Answers given so far in an unfinished session, with what identifies the session."""

    kind: str
    role: str
    project: str
    round: str
    date: str
    checklists: list[str]
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    started: str = field(default_factory=now_iso)
    extra: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def count(self) -> int:
        return sum(len(v) for v in self.answers.values())

    def to_dict(self) -> dict[str, Any]:
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
        return data


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
}


# Seconds a session waits for a busy lock: a scripted save holds it for milliseconds.
LOCK_WAIT = 2.0


class DraftStore:
    """The drafts folder of one coach home."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = home or paths.coach_home()
        self.folder = paths.drafts_dir(self.home)

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
        folder = fileio.ensure_private_dir(paths.cache_dir(self.home) / "locks")
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
        path = draft.path or self.path_for(draft.kind, draft.role, draft.project, draft.round)
        fileio.atomic_write(path, dump_yaml(draft.to_dict()))
        draft.path = path
        return path

    def delete(self, draft: Draft) -> None:
        if draft.path is not None:
            with contextlib.suppress(FileNotFoundError):
                draft.path.unlink()

    def load(self, path: Path) -> Draft | None:
        """A draft file, or None if it cannot be read (it is then left untouched)."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("answers", {}), dict):
            return None
        answers = {
            str(k): dict(v) for k, v in (data.get("answers") or {}).items() if isinstance(v, dict)
        }
        return Draft(
            kind=str(data.get("kind", "")),
            role=str(data.get("role", "")),
            project=str(data.get("project") or ""),
            round=str(data.get("round", "")),
            date=str(data.get("date", "")),
            checklists=[str(c) for c in data.get("checklists") or []],
            answers=answers,
            started=str(data.get("started", "")),
            extra={k: v for k, v in data.items() if k not in KNOWN_KEYS},
            path=path,
        )

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
