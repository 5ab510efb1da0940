"""What the terminal's prompts add to prompt_toolkit's own keys and display: a scale
answered by typing its number (`TypedNumber`, `bind_digits`), a long answer finished by
Enter on an empty line (`bind_finish_on_empty_line`), work done above a prompt without
losing what was typed (`in_terminal`), and format characters drawn visibly as they are
typed (`format_characters_shown`).

Used by `asker.QuestionaryAsker` only; prompt_toolkit and questionary are imported when a
prompt is about to be shown, never with this module.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from callback_coach.cli.console import UNSAFE, ZWJ, joins_emoji, visible

if TYPE_CHECKING:
    from prompt_toolkit.application import Application
    from prompt_toolkit.formatted_text import StyleAndTextTuples
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
    from prompt_toolkit.layout.processors import Processor, Transformation, TransformationInput
    from questionary.prompts.common import InquirerControl

# Digits typed at a scale within this many seconds of each other make one number.
NUMBER_PAUSE = 1.0

Result = TypeVar("Result")


class TypedNumber:
    """Digits typed at a scale, read the way a TV remote reads a channel number.

    `press` returns the number to point at (None: no number of the scale starts that way)
    and whether it is the answer already: on a 1–10 scale `4` answers 4 at once, `1` points
    at 1 and waits, then `0` answers 10 (Enter answers 1). A digit typed after a pause of
    more than `pause` seconds starts a new number. Nothing is ever answered by a timer, so
    a slow second digit never lands in the next question.
    """

    def __init__(self, low: int, high: int, pause: float = NUMBER_PAUSE) -> None:
        self.numbers = [str(n) for n in range(low, high + 1)]
        self.pause = pause
        self.typed = ""
        self.at = 0.0

    def press(self, digit: str, now: float) -> tuple[int | None, bool]:
        typed = digit
        if self.typed and now - self.at <= self.pause and self._starts(self.typed + digit):
            typed = self.typed + digit
        if not self._starts(typed):
            self.typed = ""
            return None, False
        if typed in self.numbers and not any(
            n != typed and n.startswith(typed) for n in self.numbers
        ):
            self.typed = ""
            return int(typed), True
        self.typed, self.at = typed, now
        return int(next(n for n in self.numbers if n.startswith(typed))), False

    def _starts(self, typed: str) -> bool:
        return any(n.startswith(typed) for n in self.numbers)


def in_terminal(
    event: KeyPressEvent,
    work: Callable[[], Result],
    *,
    then: Callable[[Result], None] | None = None,
) -> None:
    """Run `work` above the prompt (which is hidden, then drawn again with what was
    typed), then `then(result)`. Keys already typed after this one wait until it is done,
    as they would in a shell: typed-ahead Enter after Ctrl-X Ctrl-E applies to the text
    the editor saved, not to the text before it."""
    from prompt_toolkit.application import run_in_terminal  # (loaded with the prompt)

    app = event.app
    queue = app.key_processor.input_queue
    held = list(queue)
    queue.clear()

    async def run() -> None:
        result = await run_in_terminal(work)
        if then is not None:
            then(result)
        if held:
            app.key_processor.feed_multiple(held)
            app.key_processor.process_keys()

    app.create_background_task(run())


def format_characters_shown() -> Processor:
    """A prompt_toolkit processor that draws the format characters of what is being
    typed (an answer offered from last time, a pasted bidi override or zero-width space)
    as `console.visible` shows them (`\\u202e`), keeping the text itself as it is.
    prompt_toolkit already draws controls (`^[`) in its own visible form."""
    # (prompt_toolkit: loaded with the prompt; the class is made once it is.)
    from prompt_toolkit.layout.processors import Processor, Transformation
    from prompt_toolkit.layout.utils import explode_text_fragments

    class FormatCharactersShown(Processor):
        def apply_transformation(self, ti: TransformationInput) -> Transformation:
            fragments = explode_text_fragments(ti.fragments)
            line = "".join(fragment[1] for fragment in fragments)
            if not UNSAFE.search(line):
                return Transformation(fragments)
            shown: StyleAndTextTuples = []
            starts = []  # where each source character starts on the screen
            at = 0
            for index, (style, char, *_) in enumerate(fragments):
                starts.append(at)
                if (
                    len(char) == 1
                    and UNSAFE.match(char)
                    and ord(char) > 0x9F  # prompt_toolkit shows the controls itself
                    and not (char == ZWJ and joins_emoji(line, index))
                ):
                    char = visible(char)
                    style += " class:control-character"
                shown.append((style, char))
                at += len(char)
            starts += [at, at + 1]  # the cursor may stand after the line

            def source_to_display(position: int) -> int:
                return starts[min(position, len(starts) - 1)]

            def display_to_source(position: int) -> int:
                return max(i for i, start in enumerate(starts) if start <= position)

            return Transformation(shown, source_to_display, display_to_source)

    return FormatCharactersShown()


def bind_finish_on_empty_line(keys: KeyBindings) -> None:
    """Enter on an empty last line finishes a long answer (that line is not kept); any
    other Enter starts a new line. Esc then Enter still finishes anywhere."""
    from prompt_toolkit.document import Document  # (loaded with the prompt)
    from prompt_toolkit.filters import in_paste_mode

    @keys.add("enter", eager=True)
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        document = buffer.document
        if document.is_cursor_at_the_end and not document.current_line.strip():
            text = document.text[: len(document.text) - len(document.current_line)]
            text = text.removesuffix("\n")
            buffer.document = Document(text, len(text))
            buffer.validate_and_handle()
        else:
            buffer.newline(copy_margin=not in_paste_mode())


def bind_digits(keys: KeyBindings, typed: TypedNumber) -> None:
    """Digits point at (and, once unambiguous, answer) a scale's number."""
    for digit in "0123456789":

        @keys.add(digit, eager=True)
        def _digit(event: KeyPressEvent) -> None:
            value, final = typed.press(event.data, time.monotonic())
            if value is None:
                return
            menu = _menu_control(event.app)
            menu.pointed_at = next(
                i for i, choice in enumerate(menu.choices) if choice.value == value
            )
            if final:
                menu.is_answered = True
                event.app.exit(result=value)


def _menu_control(app: Application[object]) -> InquirerControl:
    """The questionary menu (its pointer and choices) inside a select's application."""
    from questionary.prompts.common import InquirerControl  # (loaded with the prompt)

    for window in app.layout.find_all_windows():
        if isinstance(window.content, InquirerControl):
            return window.content
    raise LookupError("no menu in this prompt")
