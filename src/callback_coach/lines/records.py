"""What is kept for a role's scene: the scene and its links (`StoredScene`), the
actor's lines in it (`ActorLine`), and each line's progress (`LineProgress`), to and
from the plain data of their files. Reading is tolerant: a key the coach does not know
is kept, a value of the wrong type counts as absent (a line with it starts as new), and
a file that is not a scene at all is a `SceneFileError` for the caller to warn about."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from callback_coach.lines.scene import (
    Scene,
    SceneDataError,
    Speech,
    line_keys,
    scene_from_data,
    words,
)
from callback_coach.store import yamlio
from callback_coach.store.slugs import fold

FORMAT = 1
SCENE_SUFFIX, PROGRESS_SUFFIX = ".yaml", ".progress.yaml"
HEADER = (
    "# A scene of your sides, imported by callback-coach (coach sides add).\n"
    "# Correct the text freely: a line whose words change is learnt again as new.\n"
)


@dataclass(frozen=True)
class ActorLine:
    """One speech of the actor's character: its number among the scene's speeches (as
    `sides show` numbers them), the speech, and the key its progress is kept under."""

    number: int
    speech: Speech
    key: str


@dataclass(frozen=True)
class StoredScene:
    """A scene as saved for a role: the scene and what it is linked to."""

    path: Path
    role: str
    project: str  # "" when the role has no project
    round: str | None
    character: str
    scene: Scene
    source: str
    layout: str
    imported: str
    order: int
    extra: dict[str, object] = field(default_factory=dict)  # keys the coach does not know

    @property
    def title(self) -> str:
        return self.scene.title

    @property
    def progress_path(self) -> Path:
        return self.path.with_name(self.path.name[: -len(SCENE_SUFFIX)] + PROGRESS_SUFFIX)

    def is_mine(self, speech: Speech) -> bool:
        return fold(speech.speaker) == fold(self.character)

    def lines(self) -> list[ActorLine]:
        """The character's speeches that have words to learn, in order."""
        mine = [(n, s) for n, s in self.scene.numbered() if self.is_mine(s) and words(s.text)]
        keys = line_keys([speech for _, speech in mine])
        return [ActorLine(n, s, k) for (n, s), k in zip(mine, keys, strict=True)]

    def to_data(self) -> dict[str, object]:
        data: dict[str, object] = {
            "format": FORMAT,
            "role": self.role,
            "project": self.project,
            "round": self.round,
            "character": self.character,
            "title": self.title,
            "source": self.source,
            "layout": self.layout,
            "imported": self.imported,
            "order": self.order,
        }
        data.update({k: v for k, v in self.extra.items() if k not in data and k != "script"})
        data["script"] = self.scene.to_data()
        return data


@dataclass(frozen=True)
class LastAttempt:
    """How a line went the last time it was drilled."""

    at: str
    mode: str  # "type" or "say"
    grade: str  # again, hard, good, easy
    hint: bool
    right: bool  # off-book: right without a hint
    score: float | None = None  # type mode: the share of words right


@dataclass(frozen=True)
class LineProgress:
    """A line's schedule (the `fsrs` card as plain data) and its last attempt."""

    card: dict[str, object] | None
    last: LastAttempt | None
    attempts: int = 0


class SceneFileError(ValueError):
    """A scene file that cannot be read (said in a warning; the file is skipped)."""


def read_scene(path: Path) -> StoredScene:
    """A scene file as the coach wrote it, or as a person edited it; SceneFileError
    when it cannot be used."""
    try:
        data = yamlio.load(yamlio.read_file(path)).value
    except OSError as exc:
        raise SceneFileError(f"cannot read it ({exc.strerror or exc})") from None
    except yamlio.ReadError as exc:
        raise SceneFileError(str(exc)) from None
    if not isinstance(data, dict):
        raise SceneFileError("not a scene (a mapping with role, character and script)")
    if isinstance(data.get("format"), int) and data["format"] > FORMAT:
        raise SceneFileError("written by a newer coach")
    texts = {k: data.get(k) for k in ("role", "character", "title")}
    for key, value in texts.items():
        if not isinstance(value, str) or not value.strip():
            raise SceneFileError(f"`{key}` is missing or not text")
    project, round_label = data.get("project") or "", data.get("round")
    if not isinstance(project, str) or not (round_label is None or isinstance(round_label, str)):
        raise SceneFileError("`project` and `round` must be text")
    try:
        scene = scene_from_data(data["title"], data.get("script"))
    except SceneDataError as exc:
        raise SceneFileError(str(exc)) from None
    order = data.get("order")
    known = {"format", "role", "project", "round", "character", "title", "source"}
    known |= {"layout", "imported", "order", "script"}
    return StoredScene(
        path=path,
        role=data["role"],
        project=project,
        round=round_label or None,
        character=data["character"],
        scene=scene,
        source=str(data.get("source") or ""),
        layout=str(data.get("layout") or ""),
        imported=str(data.get("imported") or ""),
        order=order if isinstance(order, int) and not isinstance(order, bool) else 0,
        extra={k: v for k, v in data.items() if k not in known},
    )


def line_progress(value: Mapping[object, object]) -> LineProgress:
    """A line's progress from its entry in a progress file (anything unreadable absent)."""
    card = value.get("card")
    last = value.get("last")
    attempts = value.get("attempts")
    return LineProgress(
        card=card if isinstance(card, dict) else None,
        last=_last_attempt(last) if isinstance(last, dict) else None,
        attempts=attempts if isinstance(attempts, int) and not isinstance(attempts, bool) else 0,
    )


def _last_attempt(value: Mapping[object, object]) -> LastAttempt | None:
    score = value.get("score")
    at, mode, grade = value.get("at"), value.get("mode"), value.get("grade")
    if not (isinstance(at, str) and isinstance(mode, str) and isinstance(grade, str)):
        return None
    return LastAttempt(
        at=at,
        mode=mode,
        grade=grade,
        hint=value.get("hint") is True,
        right=value.get("right") is True,
        score=float(score)
        if isinstance(score, (int, float)) and not isinstance(score, bool)
        else None,
    )
