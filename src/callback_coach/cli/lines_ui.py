"""The drill in a terminal: `TerminalLinesUI`, the real `lines.drill.LinesUI`.

Everything is drawn on the terminal (`console.terminal_stream`), never on standard
output. Text from the sides is shown through the console's sanitiser (as Rich `Text`,
never read as markup). Prompts stop on Ctrl-C (KeyboardInterrupt) and on Ctrl-D at an
empty prompt (EOFError): the drill then stops with every graded line kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO, TypedDict, cast

from callback_coach.cli import console
from callback_coach.lines.drill import Ask, DrillItem, Summary
from callback_coach.lines.schedule import Grade
from callback_coach.lines.scoring import Score

if TYPE_CHECKING:
    from prompt_toolkit.output import Output
    from rich.console import Console
    from rich.text import Text


class PromptIO(TypedDict, total=False):
    """Where a prompt is drawn, when not where prompt_toolkit would draw it."""

    output: Output


HINT_KEY = "?"
GRADES = (
    (Grade.AGAIN, "again  (did not have it)"),
    (Grade.HARD, "hard   (had it, with effort)"),
    (Grade.GOOD, "good   (had it)"),
    (Grade.EASY, "easy   (had it, no thought)"),
)


def text(value: str, style: str = "") -> Text:
    """Text from the sides, safe for the terminal: controls made visible, no markup."""
    from rich.text import Text  # Rich: only once the drill draws

    return Text(console.visible(value), style=style)


class TerminalLinesUI:
    """Cues, prompts and scores in the terminal; `output` replaces the terminal (tests)."""

    def __init__(self, output: Output | None = None) -> None:
        self._out: Console = console.terminal()
        self._output = output
        self._told_keys = False

    # -- what is shown -------------------------------------------------------------------

    def show_cue(self, item: DrillItem, position: int, total: int) -> None:
        from rich.rule import Rule  # Rich (see `text`)

        scene = item.scene
        label = f"{position}/{total} · scene {item.scene_number} · {scene.title}"
        self._out.print()
        self._out.print(Rule(text(label, "heading"), align="left"))
        cue = item.cue
        if cue.speech is not None:
            line = text(f"{cue.speech.speaker}: ", "bold")
            if cue.speech.directions:
                line.append_text(text(f"({'; '.join(cue.speech.directions)}) ", "muted"))
            line.append_text(text(cue.speech.text))
            self._out.print(line)
        for direction in cue.directions:
            self._out.print(text(f"({direction})", "muted italic"))
        if cue.speech is None:
            self._out.print(text("(Your line opens the scene.)", "muted"))
        if cue.together is not None:
            self._out.print(
                text(f"(at the same time, {cue.together.speaker}: {cue.together.text})", "muted")
            )
        if not self._told_keys:
            self._told_keys = True
            self._out.print(
                text(
                    f"{HINT_KEY} then Enter shows the first letters (counted as a hint); "
                    "Ctrl-C stops, every graded line is kept.",
                    "muted",
                )
            )

    def show_hint(self, hint: str) -> None:
        self._out.print(text(f"  hint: {hint}", "warning"))

    def show_line(self, item: DrillItem) -> None:
        speech = item.line.speech
        line = text(f"{speech.speaker}: ", "bold")
        if speech.directions:
            line.append_text(text(f"({'; '.join(speech.directions)}) ", "muted"))
        line.append_text(text(speech.text, "answer"))
        self._out.print(line)

    def show_score(self, score: Score, item: DrillItem) -> None:
        from rich.text import Text  # Rich (see `text`)

        verdict = "word for word" if score.perfect else "off-book" if score.is_right else "not yet"
        style = "ok" if score.is_right else "warning"
        self._out.print(text(f"  {score.percent}% of the words · {verdict}", style))
        if score.perfect:
            return
        marked = Text("  ")
        for part in score.parts:
            if part.kind == "added":
                continue
            style = {"same": "answer", "missed": "error", "swapped": "warning"}[part.kind]
            marked.append_text(text(" ".join(part.expected) + " ", style))
        self._out.print(marked)
        missed, added = score.words("missed"), score.words("added")
        if missed:
            self._out.print(text(f"  missed: {' '.join(missed)}", "muted"))
        if added:
            self._out.print(text(f"  added: {' '.join(added)}", "muted"))
        swaps = [
            f"{' '.join(p.typed)} for {' '.join(p.expected)}"
            for p in score.parts
            if p.kind == "swapped"
        ]
        if swaps:
            self._out.print(text(f"  swapped: {'; '.join(swaps)}", "muted"))

    def show_summary(self, summary: Summary) -> None:
        graded = len(summary.graded)
        right = sum(1 for outcome in summary.graded if outcome.right)
        figure = summary.offbook
        self._out.print()
        self._out.print(
            text(
                f"Drilled {graded} line{'s' if graded != 1 else ''}, {right} off-book. "
                f"Off-book now: {figure.right} of {figure.total} lines ({figure.percent}%).",
                "ok",
            )
        )

    # -- what is asked -------------------------------------------------------------------

    def read_line(self, *, retry: bool) -> str | Ask:
        marker = "  once more (Enter to go on) ›" if retry else "  ›"
        typed = self._text(marker)
        if typed.strip() == HINT_KEY:
            return "" if retry else Ask.HINT
        return typed

    def wait_to_reveal(self) -> Ask | None:
        typed = self._text("  say it, then Enter to see it ›")
        return Ask.HINT if typed.strip() == HINT_KEY else None

    def ask_grade(self) -> Grade:
        options = [(grade.value, label) for grade, label in GRADES]
        return Grade(self.choose("How did it go?", options, Grade.GOOD.value))

    def choose(self, message: str, options: Sequence[tuple[str, str]], default: str) -> str:
        """One of `options` (value, label), from a menu."""
        from callback_coach.cli.asker import QuestionaryAsker  # questionary: only to prompt

        return QuestionaryAsker(output=self._output).choose(message, options, default=default)

    def _text(self, marker: str) -> str:
        import questionary  # the prompt library: loaded only when a line is asked

        answer = questionary.text("", qmark=marker, instruction="", **self._io()).unsafe_ask()
        return str(answer or "")

    def _io(self) -> PromptIO:
        """Where prompts are drawn: the terminal stream, unless an enclosing prompt_toolkit
        session (a test) or `output` says otherwise."""
        from prompt_toolkit.application.current import get_app_session  # only to prompt
        from prompt_toolkit.output import create_output  # (the same)

        if self._output is None and get_app_session()._output is None:
            self._output = create_output(stdout=cast(TextIO, console.terminal_stream()))
        return {} if self._output is None else {"output": self._output}
