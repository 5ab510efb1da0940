"""The text `coach sides list`, `coach sides show` and `coach lines --list` print: pure
functions from the lines layer's objects to lines of text (each made safe for the
terminal by the caller, through `console.visible`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from callback_coach.lines.scene import Direction

if TYPE_CHECKING:
    from callback_coach.lines.drill import DrillPlan
    from callback_coach.lines.measure import OffBook, SceneOffBook
    from callback_coach.lines.records import LineProgress, StoredScene


def figure(of: OffBook | SceneOffBook) -> str:
    """ "3 of 8 lines (38%)"."""
    total = of.total
    return f"{of.right} of {total} line{'s' if total != 1 else ''} ({of.percent}%)"


def who(role: str, project: str) -> str:
    return f"{role} · {project}" if project else role


def role_lines(scenes: list[StoredScene], offbook: OffBook) -> Iterator[str]:
    """A role's line of `sides list`, then one line per scene."""
    yield f"{who(offbook.role, offbook.project)} · off-book: {figure(offbook)}"
    for scene, each in zip(scenes, offbook.scenes, strict=True):
        linked = f" · {scene.round}" if scene.round else ""
        yield f"  {each.number:>2}  {scene.title}{linked} · {scene.character}: {figure(each)}"


def scene_lines(
    number: int, scene: StoredScene, progress: dict[str, LineProgress]
) -> Iterator[str]:
    """A scene as `sides show` prints it: directions in brackets, speeches numbered,
    the actor's own marked `▸` with how they went."""
    mine = {line.number: progress.get(line.key) for line in scene.lines()}
    linked = f", {scene.round}" if scene.round else ""
    yield f"Scene {number} · {scene.title} ({scene.source}{linked})"
    speech_number = 0
    for element in scene.scene.elements:
        if isinstance(element, Direction):
            yield f"        ({element.text})"
            continue
        speech_number += 1
        asides = f"({'; '.join(element.directions)}) " if element.directions else ""
        state = ""
        if speech_number in mine:
            known = mine[speech_number]
            last = known.last if known is not None else None
            state = "  [new]" if last is None else "  [off-book]" if last.right else "  [not yet]"
        marker = "▸" if speech_number in mine else " "
        yield f"{marker} {speech_number:>3}  {element.speaker}: {asides}{element.text}{state}"


def plan_lines(plan: DrillPlan) -> Iterator[str]:
    """`coach lines --list`: each line of the drill in order, with its cue."""
    for position, item in enumerate(plan.items, start=1):
        cue = item.cue.speech
        said = f"{cue.speaker}: {cue.text}" if cue is not None else "(the scene opens)"
        yield (
            f"{position}. scene {item.scene_number}, speech {item.line.number} "
            f"({item.status}) · cue {said} · {item.line.speech.text}"
        )
