"""The seam between a session and whoever answers it.

`QuestionaryAsker` is the only code that imports questionary (and so prompt_toolkit); it is
imported only when a prompt is about to be shown. `ScriptedAsker` answers from a script,
for tests and for callers who drive a session from Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from callback_coach.checklist import Checklist, Question


class Asker(Protocol):
    """Whoever answers a session. Raises KeyboardInterrupt when the user stops."""

    def show(self, renderable: Any) -> None:
        """Display something (a header, a panel) to the person answering."""

    def section(self, checklist: Checklist, index: int, total: int) -> None:
        """A new checklist begins (index counts from 1)."""

    def ask(self, checklist: Checklist, question: Question, default: Any) -> Any:
        """Ask one question; return a value valid for its type (None: left blank)."""

    def choose(
        self, message: str, options: Sequence[tuple[str, str]], default: str | None = None
    ) -> str:
        """Pick one of `options` (value, label); return the value."""


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

    def show(self, renderable: Any) -> None:
        self.shown.append(renderable)

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


class QuestionaryAsker:
    """Real prompts in a terminal: questionary for input, Rich for everything shown."""

    def __init__(self) -> None:
        import questionary  # the heavy import, only when prompting

        from callback_coach import console

        self._q = questionary
        self._out = console.out()
        self._style = questionary.Style(
            [
                ("qmark", "fg:ansimagenta bold"),
                ("question", "bold"),
                ("answer", "fg:ansigreen"),
                ("instruction", "fg:ansibrightblack italic"),
            ]
        )

    def show(self, renderable: Any) -> None:
        self._out.print(renderable)

    def section(self, checklist: Checklist, index: int, total: int) -> None:
        from rich.rule import Rule
        from rich.text import Text

        self._out.print()
        self._out.print(
            Rule(Text(f"{index}/{total} · {checklist.title}", style="heading"), align="left")
        )
        if checklist.intro:
            self._out.print(Text(checklist.intro, style="muted"))

    def ask(self, checklist: Checklist, question: Question, default: Any) -> Any:
        from rich.padding import Padding
        from rich.text import Text

        from callback_coach.answers import has_line_break

        # The question and its help are printed by Rich (word-wrapped); questionary gets a
        # short marker only, because a multi-line prompt whose message wraps is not drawn.
        q = self._q
        kind = question.type
        self._out.print()
        heading = Text("? ", style="title")
        heading.append(question.prompt, style="bold")
        if question.required:
            heading.append("  (required)", style="muted")
        self._out.print(heading)
        if question.help:
            self._out.print(Padding(Text(question.help, style="help"), (0, 0, 0, 2)))
        marker = "  ›"
        if kind in ("text", "long_text"):
            multiline = kind == "long_text"
            if not question.required:
                self._out.print(Text("  (leave it empty to skip)", style="muted"))

            def validate(text: str) -> bool | str:
                if question.required and not text.strip():
                    return "This one needs an answer."
                if not multiline and has_line_break(text.strip()):
                    return "One line here, please."
                return True

            return q.text(
                "",
                qmark=marker,
                default="" if default is None else str(default),
                multiline=multiline,
                validate=validate,
                style=self._style,
            ).unsafe_ask()
        if kind == "confirm":
            return q.confirm(
                "",
                qmark=marker,
                default=bool(default) if default is not None else False,
                style=self._style,
            ).unsafe_ask()
        if kind == "select":
            return q.select(
                "",
                qmark=marker,
                choices=list(question.choices),
                default=default if default in question.choices else None,
                style=self._style,
            ).unsafe_ask()
        if kind == "multiselect":
            chosen = set(default or [])
            choices = [q.Choice(c, value=c, checked=c in chosen) for c in question.choices]
            return q.checkbox(
                "",
                qmark=marker,
                choices=choices,
                style=self._style,
                instruction="(Space to pick, Enter when done)",
            ).unsafe_ask()
        if kind == "scale":
            low, high = question.min or 1, question.max or 5
            choices = [q.Choice(str(n), value=n) for n in range(low, high + 1)]
            pick = default if isinstance(default, int) and low <= default <= high else None
            return q.select(
                "",
                qmark=marker,
                choices=choices,
                default=pick,
                style=self._style,
                instruction=f"({low} = least, {high} = most)",
            ).unsafe_ask()
        raise ValueError(f"unknown question type {kind!r}")

    def choose(
        self, message: str, options: Sequence[tuple[str, str]], default: str | None = None
    ) -> str:
        q = self._q
        choices = [q.Choice(label, value=value) for value, label in options]
        return q.select(message, choices=choices, default=default, style=self._style).unsafe_ask()
