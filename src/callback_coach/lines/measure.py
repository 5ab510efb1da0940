"""Off-book, measured: per scene, the share of the actor's lines whose last attempt was
right without a hint (type mode: at least 90 % of the words; say mode: graded good or
easy). A line never drilled is not off-book yet.

`offbook(home, role, project, round)` is what the rest of the coach calls (the card,
`coach today`, `list --json`, the prep's "How free of the page are you?").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from callback_coach.errors import AmbiguousError, NotFoundError, StorageError
from callback_coach.lines.records import LineProgress, StoredScene
from callback_coach.lines.sides import SidesStore
from callback_coach.store.slugs import fold


@dataclass(frozen=True)
class SceneOffBook:
    """One scene's figure: `right` of the actor's `total` lines are off-book."""

    number: int  # the scene's number among the role's scenes (from 1)
    title: str
    round: str | None
    right: int
    total: int
    drilled: int  # lines drilled at least once

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    def to_json(self) -> dict[str, int]:
        """The figure as every JSON document gives it."""
        return {"right": self.right, "total": self.total, "percent": self.percent}


@dataclass(frozen=True)
class OffBook:
    """How off-book the actor is for a role: every scene, and all of them together."""

    role: str
    project: str
    scenes: tuple[SceneOffBook, ...]

    @property
    def right(self) -> int:
        return sum(s.right for s in self.scenes)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.scenes)

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    def to_json(self) -> dict[str, int]:
        """The figure as every JSON document gives it."""
        return {"right": self.right, "total": self.total, "percent": self.percent}

    def scale(self, low: int = 1, high: int = 5) -> int:
        """The figure on a `low`–`high` scale (the prep asks "How free of the page are
        you?" from 1 to 5): none off-book is `low`, every line `high`."""
        return low + round(self.share * (high - low))


def scene_offbook(
    number: int, scene: StoredScene, progress: dict[str, LineProgress]
) -> SceneOffBook:
    """The figure for one scene, from its progress (`SidesStore.progress`)."""
    lines = scene.lines()
    known = [progress[line.key] for line in lines if line.key in progress]
    return SceneOffBook(
        number=number,
        title=scene.title,
        round=scene.round,
        right=sum(1 for p in known if p.last is not None and p.last.right),
        total=len(lines),
        drilled=sum(1 for p in known if p.last is not None),
    )


def offbook_of(store: SidesStore, scenes: list[StoredScene]) -> OffBook:
    """The figure for a role's scenes (as `SidesStore.scenes` gives them, numbered in
    that order)."""
    first = scenes[0]
    return OffBook(
        role=first.role,
        project=first.project,
        scenes=tuple(
            scene_offbook(number, scene, store.progress(scene))
            for number, scene in enumerate(scenes, start=1)
        ),
    )


def every_offbook(home: Path) -> dict[tuple[str, str], OffBook]:
    """The figure of every role with sides, by its folded (role, project), every scene
    counted: what `list --json` shows. Empty when there are no sides or they cannot be
    read (never raises, as `offbook`)."""
    store = SidesStore(home)
    try:
        scenes = store.all_scenes()
    except StorageError:
        return {}
    return {key: offbook_of(store, group) for key, group in by_role(scenes).items()}


def by_role(scenes: list[StoredScene]) -> dict[tuple[str, str], list[StoredScene]]:
    """Scenes grouped by their folded (role, project), each group in the order given."""
    groups: dict[tuple[str, str], list[StoredScene]] = {}
    for scene in scenes:
        groups.setdefault((fold(scene.role), fold(scene.project)), []).append(scene)
    return groups


def offbook(
    home: Path, role: str, project: str | None = None, round_label: str | None = None
) -> OffBook | None:
    """How off-book the actor is for `role` (in `project`: "" is no project, None any
    single one), counting the scenes linked to `round_label` and those linked to no
    round (all scenes when `round_label` is None). None when there are no such sides,
    or when the role has sides in several projects and `project` is None. Never prompts,
    never raises for missing or unreadable sides (an unreadable file is skipped, a
    folder that cannot be read gives None)."""
    store = SidesStore(home)
    try:
        scenes = store.scenes(role, project)
        numbered = offbook_of(store, scenes)
    except (NotFoundError, AmbiguousError, StorageError):
        return None
    wanted = tuple(
        figure
        for figure in numbered.scenes
        if round_label is None or figure.round is None or fold(figure.round) == fold(round_label)
    )
    if not wanted:
        return None
    return OffBook(role=numbered.role, project=numbered.project, scenes=wanted)
