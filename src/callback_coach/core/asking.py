"""The seam between a session and whoever answers it.

An object with the `Asker` methods can answer a session: the terminal's prompts
(`cli.asker.QuestionaryAsker`), or a script (the tests' `ScriptedAsker`). What a session
shows is plain data (`Notice`) or something the CLI made to be drawn (a panel, a
summary): the asker draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from callback_coach.core.checklist import Checklist
from callback_coach.core.questions import Question


@dataclass(frozen=True)
class Notice:
    """A line the session says to the person (an error, a hint), in a style of the
    console's theme (`muted`, `error`...)."""

    text: str
    style: str = "muted"


class Unfinished(KeyboardInterrupt):
    """The person stopped (Ctrl-C) in the middle of a text answer: `text` is what was
    typed so far. Still a KeyboardInterrupt, so whoever does not keep the text stops as
    for any Ctrl-C."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class Asker(Protocol):
    """Whoever answers a session. Raises KeyboardInterrupt when the user stops, and
    `Unfinished` (one) when that is in the middle of a text answer that holds text."""

    def show(self, renderable: object) -> None:
        """Display something (a header, a panel) to the person answering."""

    def reference(self, renderable: object, label: str) -> None:
        """Keep something (the "last time" panel) for the person to show again at any
        prompt of the session, under `label`."""

    def section(self, checklist: Checklist, index: int, total: int) -> None:
        """A new checklist begins (index counts from 1)."""

    def ask(self, checklist: Checklist, question: Question, default: object) -> object:
        """Ask one question; return a value valid for its type (None: left blank)."""

    def choose(
        self, message: str, options: Sequence[tuple[str, str]], default: str | None = None
    ) -> str:
        """Pick one of `options` (value, label); return the value."""
