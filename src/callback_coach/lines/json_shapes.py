"""The JSON documents of the lines layer, one function per shape, each with its schema
in `schemas/` (`sides-list`, `sides-show`, `lines-list`) and its own `format` number,
raised only when its shape changes."""

from __future__ import annotations

import datetime as dt

from callback_coach.lines.drill import Cue, DrillPlan
from callback_coach.lines.measure import offbook_of
from callback_coach.lines.records import LineProgress, StoredScene
from callback_coach.lines.scene import Direction, Speech
from callback_coach.lines.schedule import due
from callback_coach.lines.sides import SidesStore

SIDES_LIST_FORMAT = 1
SIDES_SHOW_FORMAT = 1
LINES_LIST_FORMAT = 1


def sides_list_json(store: SidesStore, roles: list[list[StoredScene]]) -> dict[str, object]:
    """`coach sides list --json`: each role's scenes with their off-book figures."""
    shown = []
    for scenes in roles:
        figure = offbook_of(store, scenes)
        shown.append(
            {
                "role": figure.role,
                "project": figure.project,
                "offbook": figure.to_json(),
                "scenes": [
                    {
                        "number": each.number,
                        "title": each.title,
                        "round": each.round,
                        "character": scene.character,
                        "file": str(scene.path),
                        "offbook": each.to_json(),
                    }
                    for scene, each in zip(scenes, figure.scenes, strict=True)
                ],
            }
        )
    return {"format": SIDES_LIST_FORMAT, "roles": shown}


def sides_show_json(store: SidesStore, scenes: list[tuple[int, StoredScene]]) -> dict[str, object]:
    """`coach sides show --json`: the parsed scenes, speeches numbered, the actor's own
    marked with their progress."""
    shown = []
    overall = offbook_of(store, [scene for _, scene in scenes])
    for (number, scene), figure in zip(scenes, overall.scenes, strict=True):
        progress = store.progress(scene)
        keys = {line.number: line.key for line in scene.lines()}
        script: list[dict[str, object]] = []
        speech_number = 0
        for element in scene.scene.elements:
            if isinstance(element, Direction):
                script.append({"type": "direction", "text": element.text})
                continue
            speech_number += 1
            script.append(_speech_json(element, speech_number, keys, progress))
        shown.append(
            {
                "number": number,
                "title": scene.title,
                "round": scene.round,
                "character": scene.character,
                "source": scene.source,
                "layout": scene.layout,
                "imported": scene.imported,
                "file": str(scene.path),
                "offbook": figure.to_json(),
                "script": script,
            }
        )
    return {
        "format": SIDES_SHOW_FORMAT,
        "role": overall.role,
        "project": overall.project,
        "scenes": shown,
    }


def _speech_json(
    speech: Speech, number: int, keys: dict[int, str], progress: dict[str, LineProgress]
) -> dict[str, object]:
    key = keys.get(number)
    known = progress.get(key) if key is not None else None
    last = known.last if known is not None else None
    when = due(known.card) if known is not None else None
    return {
        "type": "speech",
        "number": number,
        "speaker": speech.speaker,
        "text": speech.text,
        "directions": list(speech.directions),
        "extension": speech.extension,
        "dual": speech.dual,
        "yours": key is not None,
        "key": key,
        "due": _time(when),
        "last": None if last is None else dict(last.__dict__),
    }


def lines_list_json(plan: DrillPlan) -> dict[str, object]:
    """`coach lines --list --json`: the lines of a sitting in the order they come."""
    return {
        "format": LINES_LIST_FORMAT,
        "role": plan.role,
        "project": plan.project,
        "run": plan.run,
        "seed": plan.seed,
        "at": _time(plan.at),
        "next_due": _time(plan.next_due),
        "lines": [
            {
                "scene": item.scene_number,
                "title": item.scene.title,
                "number": item.line.number,
                "key": item.line.key,
                "text": item.line.speech.text,
                "status": item.status,
                "due": _time(item.due),
                "cue": _cue_json(item.cue),
            }
            for item in plan.items
        ],
    }


def _cue_json(cue: Cue) -> dict[str, object]:
    def said(speech: Speech | None) -> dict[str, str] | None:
        return None if speech is None else {"speaker": speech.speaker, "text": speech.text}

    return {
        **({"speaker": None, "text": None} if cue.speech is None else said(cue.speech) or {}),
        "directions": list(cue.directions),
        "together": said(cue.together),
    }


def _time(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
