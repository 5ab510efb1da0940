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

    def reference(self, renderable: Any, label: str) -> None:
        """Keep something (the "last time" panel) for the person to show again at any
        prompt of the session, under `label`."""

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
    """Real prompts in a terminal: questionary for input, Rich for everything shown.

    Everything is drawn on the terminal (`console.terminal_stream`: standard error, unless
    only standard output is a terminal), so standard output carries data only and
    `note=$(coach prep Nina)` still shows every question. `output` replaces that (tests).
    Every prompt stops on Ctrl-C, a SIGINT, or Ctrl-D (at a menu, or on an empty text
    prompt): the session is then interrupted with its draft kept.
    """

    def __init__(self, output: Any = None) -> None:
        import questionary  # the heavy import, only when prompting
        from prompt_toolkit.application.current import get_app_session
        from prompt_toolkit.output import create_output

        from callback_coach import console

        self._q = questionary
        self._out = console.terminal()
        if output is None and get_app_session()._output is None:
            # No output chosen by an enclosing app session (a test, an embedding program;
            # prompt_toolkit's own create_app_session checks `_output` the same way):
            # draw on the terminal, like everything else the session shows.
            output = create_output(stdout=console.terminal_stream())
        self._output = output
        # What the person can show again at a prompt: (label, renderable).
        self.references: list[tuple[str, Any]] = []
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

    def reference(self, renderable: Any, label: str) -> None:
        self.references.append((label, renderable))

    def section(self, checklist: Checklist, index: int, total: int) -> None:
        from rich.rule import Rule

        from callback_coach.render import shown

        self._out.print()
        self._out.print(
            Rule(shown(f"{index}/{total} · {checklist.title}", "heading"), align="left")
        )
        if checklist.intro:
            self._out.print(shown(checklist.intro, "muted"))

    def ask(self, checklist: Checklist, question: Question, default: Any) -> Any:
        from rich.padding import Padding
        from rich.text import Text

        from callback_coach.answers import has_line_break
        from callback_coach.render import shown

        # The question and its help are printed by Rich (word-wrapped); questionary gets a
        # short marker only, because a multi-line prompt whose message wraps is not drawn.
        q = self._q
        kind = question.type
        self._out.print()
        heading = Text("? ", style="title")
        heading.append_text(shown(question.prompt, "bold"))
        if question.required:
            heading.append("  (required)", style="muted")
        self._out.print(heading)
        if question.help:
            self._out.print(Padding(shown(question.help, "help"), (0, 0, 0, 2)))
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

            return self._ask(
                q.text(
                    "",
                    qmark=marker,
                    default="" if default is None else str(default),
                    multiline=multiline,
                    validate=validate,
                    style=self._style,
                    **self._io(),
                ),
                menu=False,
            )
        if kind == "confirm":
            return self._ask(
                q.confirm(
                    "",
                    qmark=marker,
                    default=bool(default) if default is not None else False,
                    style=self._style,
                    **self._io(),
                ),
                menu=False,
            )
        if kind == "select":
            return self._ask(
                q.select(
                    "",
                    qmark=marker,
                    choices=self._choices((c, c) for c in question.choices),
                    default=default if default in question.choices else None,
                    style=self._style,
                    **self._io(),
                )
            )
        if kind == "multiselect":
            chosen = set(default or [])
            choices = self._choices(((c, c) for c in question.choices), checked=chosen)
            return self._ask(
                q.checkbox(
                    "",
                    qmark=marker,
                    choices=choices,
                    style=self._style,
                    instruction="(Space to pick, Enter when done)",
                    **self._io(),
                )
            )
        if kind == "scale":
            low, high = question.min or 1, question.max or 5
            pick = default if isinstance(default, int) and low <= default <= high else None
            return self._ask(
                q.select(
                    "",
                    qmark=marker,
                    choices=self._choices((n, str(n)) for n in range(low, high + 1)),
                    default=pick,
                    style=self._style,
                    instruction=f"({low} = least, {high} = most)",
                    **self._io(),
                )
            )
        raise ValueError(f"unknown question type {kind!r}")

    def choose(
        self, message: str, options: Sequence[tuple[str, str]], default: str | None = None
    ) -> str:
        from callback_coach.console import visible

        return self._ask(
            self._q.select(
                visible(message),
                choices=self._choices(options),
                default=default,
                style=self._style,
                **self._io(),
            )
        )

    def _io(self) -> dict[str, Any]:
        return {} if self._output is None else {"output": self._output}

    def _choices(self, options: Iterable[tuple[Any, str]], checked: set[Any] = frozenset()) -> list:
        """Menu entries whose labels fit on one line of the terminal, cut between words.

        A label wider than the terminal would be wrapped by prompt_toolkit in the middle of
        a word; the value is kept whole, only the label is shortened."""
        room = max(self._out.width - 6, 12)  # the pointer, a checkbox and a margin
        return [
            self._q.Choice(fit(_one_line(label), room), value=value, checked=value in checked)
            for value, label in options
        ]

    @staticmethod
    def _ask(question: Any, *, menu: bool = True) -> Any:
        """Ask; a SIGINT stops any prompt as Ctrl-C does, and Ctrl-D stops a menu (a text
        prompt keeps prompt_toolkit's own Ctrl-D: delete, or stop on an empty line)."""
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
        from prompt_toolkit.keys import Keys

        stops = KeyBindings()
        if menu:

            @stops.add(Keys.ControlD, eager=True)
            def _eof(event: Any) -> None:
                event.app.exit(exception=EOFError, style="class:aborting")

        @stops.add(Keys.SIGINT)
        def _interrupt(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings, stops])
        return question.unsafe_ask()


def _one_line(label: str) -> str:
    from callback_coach.console import visible

    return visible(label).replace("\n", " ").replace("\t", " ")


def fit(label: str, width: int) -> str:
    """`label` on one line of at most `width` cells, cut between words (with "…")."""
    from rich.cells import cell_len

    if cell_len(label) <= width:
        return label
    label = label.lstrip()  # indentation is the first thing to give up
    if cell_len(label) <= width:
        return label
    kept = ""
    for end, char in enumerate(label):
        if char != " ":
            continue
        head = label[:end].rstrip()
        if cell_len(head) + 1 > width:
            break
        kept = head or kept
    if not kept:  # the first word alone is longer than the line: it must be cut
        from rich.text import Text

        text = Text(label.lstrip())
        text.truncate(width - 1)
        kept = text.plain
    return kept + "…"
