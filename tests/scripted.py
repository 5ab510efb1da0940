"""A test double for `core.asking.Asker`: `ScriptedAsker` answers a session from a script and
records what a person would have seen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from callback_coach.core.checklist import Checklist
from callback_coach.core.questions import Question


class ScriptExhausted(AssertionError):
    """A scripted session asked for more than its script holds."""


class ScriptedAsker:
    """Answers from a mapping "checklist.question" -> value and a queue of menu choices.

    A key that is absent takes the offered default. Everything shown and asked is
    recorded in `shown`, `asked` and `defaults_seen`, so tests can check what a person
    would have seen.
    """

    def __init__(
        self,
        answers: Mapping[str, Any] | None = None,
        choices: Iterable[str] = (),
        *,
        interrupt_after: int | None = None,
    ) -> None:
        self.answers: dict[str, list[Any]] = {}
        for key, value in (answers or {}).items():
            self.answers[key] = list(value.values) if isinstance(value, AnswerSequence) else [value]
        self.choices = list(choices)
        self.interrupt_after = interrupt_after
        self.asked: list[str] = []
        self.defaults_seen: dict[str, Any] = {}
        self.shown: list[Any] = []
        self.sections: list[tuple[str, int, int]] = []
        self.menus: list[tuple[str, list[str]]] = []
        # What each menu's choices said, in the order of `menus`.
        self.labels: list[list[str]] = []
        # The choice each menu offered (its default), in the order of `menus`.
        self.menu_defaults: list[str | None] = []
        self.references: list[tuple[str, Any]] = []

    def show(self, renderable: Any) -> None:
        self.shown.append(renderable)

    def reference(self, renderable: Any, label: str) -> None:
        self.references.append((label, renderable))

    def section(self, checklist: Checklist, index: int, total: int) -> None:
        self.sections.append((checklist.id, index, total))

    def ask(self, checklist: Checklist, question: Question, default: Any) -> Any:
        key = f"{checklist.id}.{question.id}"
        if self.interrupt_after is not None and len(self.asked) >= self.interrupt_after:
            raise KeyboardInterrupt
        self.asked.append(key)
        self.defaults_seen[key] = default
        queue = self.answers.get(key)
        if queue:
            return queue.pop(0)
        if question.required and default is None:
            raise ScriptExhausted(f"no scripted answer for required question {key}")
        return default

    def choose(
        self, message: str, options: Sequence[tuple[str, str]], default: str | None = None
    ) -> str:
        self.menus.append((message, [value for value, _ in options]))
        self.labels.append([label for _, label in options])
        self.menu_defaults.append(default)
        if not self.choices:
            raise ScriptExhausted(f"no scripted choice left for: {message}")
        choice = self.choices.pop(0)
        values = [value for value, _ in options]
        if choice not in values:
            raise AssertionError(f"scripted choice {choice!r} not offered in {values}")
        return choice


class AnswerSequence:
    """Several answers for one question, given in turn (e.g. after a "change")."""

    def __init__(self, *values: Any) -> None:
        self.values = values


def answer_sequence(*values: Any) -> AnswerSequence:
    """Script several answers to the same question (first ask, then each change)."""
    return AnswerSequence(*values)
