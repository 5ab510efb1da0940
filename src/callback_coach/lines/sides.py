"""The sides store: each imported scene a readable YAML file in `$COACH_HOME/sides/`,
with the drill progress of its lines in a second file next to it.

    sides/the-seagull_nina/int-boathouse-night.yaml            the scene (yours to correct)
    sides/the-seagull_nina/int-boathouse-night.progress.yaml   how each line went

Both are private (0700 folders, 0600 files) and written atomically; a hand-edited file
keeps every key the coach does not know. Progress is kept per line, keyed by the line's
words (`scene.line_keys`): a line whose words did not change keeps its progress through
a re-import, and a changed line starts again as new. A re-import replaces the scene it
is a new version of: the one with the same title, or the one sharing at least half its
speeches. Files that cannot be read are named in a warning and skipped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from callback_coach.errors import AmbiguousError, NotFoundError, StorageError
from callback_coach.lines.records import (
    FORMAT,
    HEADER,
    PROGRESS_SUFFIX,
    SCENE_SUFFIX,
    ActorLine,
    LineProgress,
    SceneFileError,
    StoredScene,
    line_progress,
    read_scene,
)
from callback_coach.lines.scene import Scene, words
from callback_coach.store import fileio, paths, yamldump, yamlio
from callback_coach.store.slugs import fold, slugify

LOCK_WAIT = 5.0
# A scene shares this much of its speeches with an older one: it is a new version of it.
SAME_SCENE = 0.5
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Imported:
    """What `add` did with one scene: a new scene, or a new version of one: `kept` of
    the actor's lines have the same words (and keep their progress), `changed` are
    changed or added (and start as new)."""

    scene: StoredScene
    replaced: bool
    kept: int
    changed: int


class SidesStore:
    """The sides of every role, in one coach home."""

    def __init__(self, home: Path, *, on_warning: Warn | None = None) -> None:
        self.home = home
        self.folder = paths.sides_dir(home)
        self.warn: Warn = on_warning or (lambda _message: None)

    # -- reading -------------------------------------------------------------------------

    def all_scenes(self) -> list[StoredScene]:
        """Every scene of every role, by role, project and order."""
        found = [s for folder in self._folders() for s in self._read_folder(folder)]
        return sorted(found, key=lambda s: (fold(s.role), fold(s.project), s.order, s.path.name))

    def scenes(
        self,
        role: str,
        project: str | None = None,
        *,
        choose_project: Callable[[list[str]], str] | None = None,
    ) -> list[StoredScene]:
        """The role's scenes in order. NotFoundError when it has none; when they belong to
        several projects and `project` is None, `choose_project` picks one (else
        AmbiguousError)."""
        slug = _slug(role)
        found = [
            s
            for folder in self._folders()
            if folder.name == slug or folder.name.endswith("_" + slug)
            for s in self._read_folder(folder)
            if fold(s.role) == fold(role) and (project is None or fold(s.project) == fold(project))
        ]
        if not found:
            where = f" in {project}" if project else ""
            raise NotFoundError(
                f"no sides for {role}{where} yet: import them with "
                f"coach sides add {_quoted(role)} FILE"
            )
        projects = sorted({s.project for s in found}, key=fold)
        if len(projects) > 1:
            if choose_project is None:
                raise AmbiguousError(
                    f"{role} has sides in several projects ({', '.join(p or '(none)' for p in projects)}): "
                    "add --project",
                    choices=projects,
                )
            chosen = fold(choose_project(projects))
            found = [s for s in found if fold(s.project) == chosen]
        return sorted(found, key=lambda s: (s.order, s.path.name))

    def progress(self, scene: StoredScene) -> dict[str, LineProgress]:
        """The progress of the scene's lines by key (lines never drilled are absent)."""
        raw = self._read_progress(scene.progress_path)
        lines = raw.get("lines")
        if not isinstance(lines, dict):
            return {}
        return {
            key: line_progress(value)
            for key, value in lines.items()
            if isinstance(key, str) and isinstance(value, dict)
        }

    def _folders(self) -> list[Path]:
        try:
            return sorted(p for p in self.folder.iterdir() if p.is_dir())
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise fileio.storage_error(exc, self.folder, "read") from None

    def _read_folder(self, folder: Path) -> Iterator[StoredScene]:
        for path in sorted(folder.glob("*" + SCENE_SUFFIX)):
            if path.name.endswith(PROGRESS_SUFFIX) or path.name.startswith("."):
                continue
            try:
                yield read_scene(path)
            except SceneFileError as exc:
                self.warn(f"{path}: {exc}; skipped")

    def _read_progress(self, path: Path) -> dict[object, object]:
        try:
            value = yamlio.load(yamlio.read_file(path)).value
        except FileNotFoundError:
            return {}
        except (OSError, yamlio.ReadError) as exc:
            self.warn(f"{path}: {exc}; its lines count as new")
            return {}
        return value if isinstance(value, dict) else {}

    # -- writing -------------------------------------------------------------------------

    def add(
        self,
        scenes: list[Scene],
        *,
        role: str,
        project: str,
        round_label: str | None,
        character: str,
        source: str,
        layout: str,
        now: dt.datetime,
    ) -> list[Imported]:
        """Save the scenes in which `character` speaks for the role; a scene that is a
        new version of one already saved replaces it (see the module's docstring)."""
        folder = self.folder / _folder_name(role, project)
        done: list[Imported] = []
        with self._lock(folder):
            existing = [
                s
                for s in self._read_folder(folder)
                if fold(s.role) == fold(role) and fold(s.project) == fold(project)
            ]
            order = max((s.order for s in existing), default=0)
            for scene in scenes:
                stored = StoredScene(
                    path=folder / "unsaved",
                    role=role,
                    project=project,
                    round=round_label,
                    character=character,
                    scene=scene,
                    source=source,
                    layout=layout,
                    imported=now.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
                    order=order + 1,
                )
                if not stored.lines():
                    continue
                older = _older_version(scene, existing)
                if older is None:
                    order += 1
                    path = fileio.create_new(
                        folder, slugify(scene.title), SCENE_SUFFIX, _text(stored)
                    )
                    stored = dataclasses.replace(stored, path=path)
                    done.append(Imported(stored, replaced=False, kept=0, changed=0))
                    continue
                existing.remove(older)
                done.append(self._replace(older, stored))
        return done

    def _replace(self, older: StoredScene, newer: StoredScene) -> Imported:
        """Write `newer` over `older`, keeping the progress of lines whose words stayed."""
        stored = dataclasses.replace(newer, path=older.path, order=older.order, extra=older.extra)
        keys = {line.key for line in stored.lines()}
        before = {line.key for line in older.lines()}
        raw = self._read_progress(older.progress_path)
        lines = raw.get("lines")
        fileio.atomic_write(stored.path, _text(stored), keep_mode=True)
        if isinstance(lines, dict) and lines:
            kept = {k: v for k, v in lines.items() if k in keys}
            fileio.atomic_write(
                older.progress_path, yamldump.dump({**raw, "lines": kept}), keep_mode=True
            )
        return Imported(stored, replaced=True, kept=len(keys & before), changed=len(keys - before))

    def record(self, scene: StoredScene, line: ActorLine, progress: LineProgress) -> None:
        """Save one line's progress at once (atomically; every other line and key in the
        file is kept as it is on disk)."""
        folder = scene.path.parent
        with self._lock(folder):
            raw = self._read_progress(scene.progress_path)
            raw.setdefault("format", FORMAT)
            lines = raw.get("lines")
            if not isinstance(lines, dict):
                lines = raw["lines"] = {}
            entry = lines.get(line.key)
            entry = dict(entry) if isinstance(entry, dict) else {}
            entry["said"] = line.speech.text
            entry["card"] = progress.card
            entry["last"] = None if progress.last is None else dict(progress.last.__dict__)
            entry["attempts"] = progress.attempts
            lines[line.key] = entry
            fileio.atomic_write(scene.progress_path, yamldump.dump(raw), keep_mode=True)

    @contextlib.contextmanager
    def _lock(self, folder: Path) -> Iterator[None]:
        """One writer at a time for a role's sides. The lock lives in the cache folder
        (per machine), never in the home, which may be synced."""
        fileio.ensure_private_dir(folder)
        locks = paths.locks_dir(self.home)
        try:
            with fileio.hold_lock(locks / f"sides-{folder.name}.lock", wait=LOCK_WAIT):
                yield
        except fileio.LockBusy:
            raise StorageError(
                f"another coach is changing the sides in {folder}; try again in a moment"
            ) from None


def _older_version(scene: Scene, existing: list[StoredScene]) -> StoredScene | None:
    """The saved scene `scene` is a new version of: same title, or sharing at least half
    of its speeches (word for word); the closest one when several are."""
    mine = {" ".join(words(s.text)) for s in scene.speeches()}
    best: tuple[float, StoredScene] | None = None
    for old in existing:
        theirs = {" ".join(words(s.text)) for s in old.scene.speeches()}
        shared = len(mine & theirs) / max(len(mine), 1)
        score = shared + (SAME_SCENE if fold(old.title) == fold(scene.title) else 0.0)
        if score >= SAME_SCENE and (best is None or score > best[0]):
            best = (score, old)
    return best[1] if best else None


def _text(scene: StoredScene) -> str:
    return HEADER + yamldump.dump(scene.to_data())


def _slug(name: str) -> str:
    return slugify(fold(name))


def _folder_name(role: str, project: str) -> str:
    """`project_role` (slugs hold no `_`), or `role` alone: the same for names that fold
    alike (Zoë, ZOE), so a role's scenes are found in one place."""
    return f"{_slug(project)}_{_slug(role)}" if project.strip() else _slug(role)


def _quoted(text: str) -> str:
    return shlex.quote(text)
