"""Test doubles for the drill: a scripted `LinesUI`, a clock the test moves, and sides
imported straight into a home."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from callback_coach.lines.drill import Ask, DrillItem, Summary
from callback_coach.lines.layouts import read_sides
from callback_coach.lines.records import StoredScene
from callback_coach.lines.schedule import Grade
from callback_coach.lines.scoring import Score
from callback_coach.lines.sides import Imported, SidesStore

from .lines_helpers import SCREENPLAY, write

STOP = object()  # in a script: the actor presses Ctrl-C here
HINT = "?"
T0 = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.timezone.utc)  # 6 pm, the pages arrive


class ScriptExhausted(AssertionError):
    """The drill asked for more than the script holds."""


class ScriptedLinesUI:
    """Answers from a script, in order: a typed line (`"?"` asks for the hint), `None`
    to reveal a said line, a grade's name, or STOP. Records what was shown."""

    def __init__(self, answers: Iterable[Any]) -> None:
        self.answers = deque(answers)
        self.cues: list[tuple[DrillItem, int, int]] = []
        self.hints: list[str] = []
        self.scores: list[Score] = []
        self.revealed: list[DrillItem] = []
        self.summary: Summary | None = None
        self.retries = 0

    def _next(self) -> Any:
        if not self.answers:
            raise ScriptExhausted("the drill asked for more than the script holds")
        answer = self.answers.popleft()
        if answer is STOP:
            raise KeyboardInterrupt
        return answer

    def show_cue(self, item: DrillItem, position: int, total: int) -> None:
        self.cues.append((item, position, total))

    def read_line(self, *, retry: bool) -> str | Ask:
        self.retries += retry
        answer = self._next()
        return Ask.HINT if answer == HINT and not retry else str(answer)

    def wait_to_reveal(self) -> Ask | None:
        return Ask.HINT if self._next() == HINT else None

    def show_hint(self, hint: str) -> None:
        self.hints.append(hint)

    def show_line(self, item: DrillItem) -> None:
        self.revealed.append(item)

    def show_score(self, score: Score, item: DrillItem) -> None:
        self.scores.append(score)

    def ask_grade(self) -> Grade:
        return Grade(self._next())

    def show_summary(self, summary: Summary) -> None:
        self.summary = summary

    @property
    def drilled(self) -> list[str]:
        """The text of each line cued, in order."""
        return [item.line.speech.text for item, _, _ in self.cues]


class Clock:
    """A clock that moves only when the test moves it."""

    def __init__(self, now: dt.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def import_sides(
    home: Path,
    text: str = SCREENPLAY,
    *,
    name: str = "sides.txt",
    role: str = "Zoe",
    project: str = "The Boathouse",
    round_label: str | None = "callback-2",
    character: str = "ZOE",
    now: dt.datetime = T0,
) -> list[Imported]:
    """Import `text` as the file `name` for a role, as `coach sides add` does."""
    folder = home.parent / "incoming"
    folder.mkdir(exist_ok=True)
    sides = read_sides(write(folder, name, text))
    return SidesStore(home).add(
        sides.scenes,
        role=role,
        project=project,
        round_label=round_label,
        character=character,
        source=name,
        layout=sides.layout,
        now=now,
    )


def scenes(home: Path, role: str = "Zoe") -> list[StoredScene]:
    return SidesStore(home).scenes(role)
