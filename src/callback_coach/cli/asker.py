"""The real prompts of a session in a terminal (`core.asking.Asker`, the seam, says what
an asker does).

`QuestionaryAsker` (with the keys it adds, `prompt_keys`) is the only code that imports
questionary (and so prompt_toolkit); it is imported only when a prompt is about to be shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import IO, TYPE_CHECKING, TextIO, TypedDict, cast

from callback_coach.cli import console
from callback_coach.cli.prompt_keys import (
    TypedNumber,
    bind_digits,
    bind_finish_on_empty_line,
    format_characters_shown,
    in_terminal,
)
from callback_coach.core.asking import Notice, Unfinished
from callback_coach.core.checklist import Checklist
from callback_coach.core.questions import Question, has_line_break

if TYPE_CHECKING:
    from prompt_toolkit.application import Application
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
    from prompt_toolkit.output import Output
    from questionary import Choice
    from questionary import Question as Prompt
    from rich.console import Console

    from callback_coach.cli.editor import Edited


# The keys a prompt adds to prompt_toolkit's own, as prompt_toolkit names them and as the
# hints show them. Ctrl-X Ctrl-E opens the editor in bash and zsh too (Ctrl-E alone is
# end-of-line there and here). Ctrl-O is free in every prompt (prompt_toolkit would
# otherwise take it as "accept the line"), and both pass through SSH and phone keyboards,
# unlike function keys.
EDITOR_KEYS, EDITOR_KEYS_SHOWN = ("c-x", "c-e"), "Ctrl-X Ctrl-E"
REFERENCE_KEY, REFERENCE_KEY_SHOWN = "c-o", "Ctrl-O"
# What questionary shows before the cursor: the question itself is printed above by Rich.
MARKER = "  ›"
# An Enter pressed this soon after a key that answered by itself (a scale's digit, y or n)
# is the habit of finishing with Enter: the next prompt drops it instead of taking it as
# an empty or default answer. Slower than that it is read as meant for the next question.
HABIT_ENTER_SECONDS = 0.4
# The first entry of the menu of a question that is not required and offers no answer (a
# scale, a select): Enter alone leaves it blank, as an empty text answer does, instead of
# saving the first choice (a scale's lowest score).
BLANK_LABEL = "(leave it blank)"


class _Blank:
    """The value of the `BLANK_LABEL` entry (no answer a question can have)."""

    def __repr__(self) -> str:
        return "<blank>"


_BLANK = _Blank()


class _Drawn(TypedDict, total=False):
    """Where a prompt is drawn, when not on the terminal (`QuestionaryAsker(output=...)`)."""

    output: Output


class QuestionaryAsker:
    """Real prompts in a terminal: questionary for input, Rich for everything shown.

    Everything is drawn on the terminal (`console.terminal_stream`: standard error, unless
    only standard output is a terminal), so standard output carries data only and
    `note=$(coach prep Nina)` still shows every question. `output` replaces that (tests).
    Every prompt stops on Ctrl-C, a SIGINT, or Ctrl-D (at a menu, or on an empty text
    prompt): the session is then interrupted with its draft kept.

    Made for fingers: a scale takes a typed number (an Enter typed at once after it, or
    after y or n, is dropped rather than taken as the next answer); a long answer ends
    with Enter on an empty line (or Esc then Enter); Ctrl-X Ctrl-E edits a text answer
    in `$VISUAL` / `$EDITOR`; a yes/no question without a default waits for y or n;
    Ctrl-O shows the `reference` (the last round) again above any prompt, keeping what
    was typed.
    """

    def __init__(self, output: Output | None = None) -> None:
        import questionary  # the heavy import, only when prompting
        from prompt_toolkit.application.current import get_app_session
        from prompt_toolkit.output import create_output

        self._q = questionary
        self._console: Console | None = None  # Rich, loaded when something is shown
        if output is None and get_app_session()._output is None:
            # No output chosen by an enclosing app session (a test, an embedding program;
            # prompt_toolkit's own create_app_session checks `_output` the same way):
            # draw on the terminal, like everything else the session shows.
            output = create_output(stdout=cast(TextIO, console.terminal_stream()))
        self._output = output
        self._reference: tuple[object, str] | None = None
        # When the last prompt was answered by a key other than Enter (time.monotonic).
        self._answered_by_key: float | None = None
        self._key_answered: float | None = None  # (set while a prompt is asked)
        self._style = questionary.Style(
            [
                ("qmark", "fg:ansimagenta bold"),
                ("question", "bold"),
                ("answer", "fg:ansigreen"),
                ("instruction", "fg:ansibrightblack italic"),
            ]
        )

    @property
    def _out(self) -> Console:
        if self._console is None:
            self._console = console.terminal()
        return self._console

    def show(self, renderable: object) -> None:
        if isinstance(renderable, Notice):
            from callback_coach.cli.render import shown  # (Rich)

            renderable = shown(renderable.text, renderable.style)
        self._out.print(renderable)

    def reference(self, renderable: object, label: str) -> None:
        self._reference = (renderable, label)

    def section(self, checklist: Checklist, index: int, total: int) -> None:
        from rich.rule import Rule  # (Rich: loaded once something is shown)

        from callback_coach.cli.render import shown

        self._out.print()
        self._out.print(
            Rule(shown(f"{index}/{total} · {checklist.title}", "heading"), align="left")
        )
        if checklist.intro:
            self._out.print(shown(checklist.intro, "muted"))

    def ask(self, checklist: Checklist, question: Question, default: object) -> object:
        from rich.padding import Padding  # (Rich: loaded once something is shown)
        from rich.text import Text

        from callback_coach.cli.render import shown

        # The question and its help are printed by Rich (word-wrapped); questionary gets a
        # short marker only, because a multi-line prompt whose message wraps is not drawn.
        # How to answer goes on one muted line above the marker, so the cursor stays next
        # to the question.
        self._out.print()
        heading = Text("? ", style="title")
        heading.append_text(shown(question.prompt, "bold"))
        if question.required:
            heading.append(" (required)", style="muted")
        self._out.print(heading)
        if question.help:
            self._out.print(Padding(shown(question.help, "help"), (0, 0, 0, 2)))
        for line in hint_lines(self._hints(question, default), max(self._out.width - 2, 12)):
            self._out.print(Text(f"  {line}", style="muted"))
        return question.kind.ask(self, question, default)

    # -- the kinds of prompt a question type asks through (core.questions.Prompts) --------

    def text(self, question: Question, default: str | None, *, multiline: bool) -> object:
        from prompt_toolkit.key_binding import KeyBindings  # (with questionary, only here)

        def validate(text: str) -> bool | str:
            if question.required and not text.strip():
                return "This one needs an answer."
            if not multiline and has_line_break(text.strip()):
                return "One line here, please."
            return True

        keys = KeyBindings()
        self._bind_editor(keys, one_line=not multiline)
        if multiline:
            bind_finish_on_empty_line(keys)
        prompt = self._q.text(
            "",
            qmark=MARKER,
            default="" if default is None else default,
            multiline=multiline,
            instruction="",  # not questionary's own, which opens a second line
            validate=validate,
            style=self._style,
            input_processors=[format_characters_shown()],
            **self._io(),
        )
        try:
            return self._ask(prompt, menu=False, keys=keys)
        except KeyboardInterrupt:
            # Stopped with text typed (more than the answer it was offered): the session
            # keeps it for when the prep resumes.
            typed = prompt.application.current_buffer.text.rstrip("\r\n")
            if typed.strip() and typed != (default or ""):
                raise Unfinished(typed) from None
            raise

    def confirm(self, question: Question, default: bool | None) -> object:
        from prompt_toolkit.key_binding import KeyBindings  # (with questionary, only here)

        keys = KeyBindings()
        if default is None:
            # Whether the actor has done it is the point: nothing is pre-answered, and
            # Enter alone asks again.
            self._bind_no_default(keys)
        return self._ask(
            self._q.confirm(
                "",
                qmark=MARKER,
                default=bool(default),
                instruction="(y/n) " if default is None else None,
                style=self._style,
                **self._io(),
            ),
            menu=False,
            keys=keys,
            answer_keys="yYnN",
        )

    def select(
        self, question: Question, options: Sequence[tuple[str, str]], default: str | None
    ) -> object:
        choices = self._with_blank(question, self._choices(options))
        return _answer(
            self._ask(
                self._q.select(
                    "",
                    qmark=MARKER,
                    choices=choices,
                    default=default,
                    style=self._style,
                    **self._io(),
                )
            )
        )

    def checkbox(self, question: Question, options: Sequence[str], ticked: Sequence[str]) -> object:
        from prompt_toolkit.key_binding import KeyBindings  # (with questionary, only here)

        choices = self._choices(((c, c) for c in options), checked=set(ticked))
        prompt = self._q.checkbox(
            "",
            qmark=MARKER,
            choices=choices,
            style=self._style,
            instruction="(Space to pick, Enter when done)",
            **self._io(),
        )
        # questionary writes the answer back as "[film]" or "done (2 selections)": once the
        # actor answers, its line is erased and the choices are written as they would
        # write them (a stop leaves the prompt as it was).
        app = prompt.application
        keys = KeyBindings()
        for binding in app.key_bindings.get_bindings_for_keys(("c-m",)) if app.key_bindings else ():
            keys.add("c-m", eager=True)(self._erasing(binding.handler))
        picked = self._ask(prompt, keys=keys)
        self._echo(picked if isinstance(picked, list) else [])
        return picked

    def number(self, question: Question, low: int, high: int, default: int | None) -> object:
        from prompt_toolkit.key_binding import KeyBindings  # (with questionary, only here)

        keys = KeyBindings()
        bind_digits(keys, TypedNumber(low, high))
        choices = self._with_blank(
            question, self._choices((n, str(n)) for n in range(low, high + 1))
        )
        return _answer(
            self._ask(
                self._q.select(
                    "",
                    qmark=MARKER,
                    choices=choices,
                    # (The menu points at the choice of that number: None, at the first,
                    # which leaves an optional scale without an answer blank.)
                    default=next((c for c in choices if c.value == default), None),
                    style=self._style,
                    instruction=_scale_instruction(question, low, high),
                    **self._io(),
                ),
                keys=keys,
                answer_keys="0123456789",
            )
        )

    def choose(
        self, message: str, options: Sequence[tuple[str, str]], default: str | None = None
    ) -> str:
        chosen = self._ask(
            self._q.select(
                console.visible(message),
                choices=self._choices(options),
                default=default,
                style=self._style,
                **self._io(),
            )
        )
        return cast(str, chosen)  # a menu answers the value of an option: text here

    def _with_blank(self, question: Question, choices: list[Choice]) -> list[Choice]:
        """A menu's `choices`, after a `BLANK_LABEL` entry when the question may be left
        blank (`_may_be_blank`)."""
        if _may_be_blank(question):
            return [self._q.Choice(BLANK_LABEL, value=_BLANK), *choices]
        return choices

    def _erasing(self, handler: Callable[[KeyPressEvent], object]) -> Callable[..., None]:
        """`handler`, erasing the prompt when it answers (`_echo` writes the answer)."""

        def answer(event: KeyPressEvent) -> None:
            handler(event)
            if event.app.is_done:
                event.app.erase_when_done = True

        return answer

    def _echo(self, picked: Sequence[object]) -> None:
        """The choices picked at a checkbox, after the marker as any answer is: "film, TV"
        (through the sanitiser, `render.shown`), or that none was."""
        from rich.text import Text  # (Rich: loaded once something is shown)

        from callback_coach.cli.render import shown

        line = Text(f"{MARKER}  ", style="title")
        line.append_text(shown(list(picked), "answer") if picked else Text("none picked", "muted"))
        self._out.print(line)

    def _hints(self, question: Question, default: object = None) -> list[str]:
        """What the muted line under a question says: how to finish, skip, clear what is
        offered, edit, look back."""
        parts = []
        if question.kind.multiline:
            parts.append("Enter on an empty line finishes (or Esc then Enter)")
        if question.kind.typed:
            if not question.required:
                parts.append("leave it empty to skip")
            if not question.kind.multiline and isinstance(default, str) and default:
                # What is offered is typed in already: what the actor types adds to it.
                parts.append("Ctrl-U clears what is offered")
            parts.append(f"{EDITOR_KEYS_SHOWN} opens your editor")
        if self._reference is not None:
            parts.append(f"{REFERENCE_KEY_SHOWN} shows {_one_line(self._reference[1])}")
        return parts

    def _io(self) -> _Drawn:
        return {} if self._output is None else {"output": self._output}

    def _choices(
        self, options: Iterable[tuple[object, str]], checked: Collection[object] = frozenset()
    ) -> list[Choice]:
        """Menu entries whose labels fit on one line of the terminal, cut between words.

        A label wider than the terminal would be wrapped by prompt_toolkit in the middle of
        a word; the value is kept whole, only the label is shortened."""
        width = console.terminal_width() if self._console is None else self._out.width
        room = max(width - 6, 12)  # the pointer, a checkbox and a margin
        return [
            self._q.Choice(fit(_one_line(label), room), value=value, checked=value in checked)
            for value, label in options
        ]

    def _bind_editor(self, keys: KeyBindings, *, one_line: bool) -> None:
        """Ctrl-X Ctrl-E: the answer so far goes to the actor's editor and comes back
        (for a one-line answer, the lines written there are joined with spaces)."""
        from prompt_toolkit.document import Document  # (with questionary, only here)

        @keys.add(*EDITOR_KEYS, eager=True)
        def _edit(event: KeyPressEvent) -> None:
            from callback_coach.cli.editor import edit_text  # (subprocess: when it opens)

            buffer = event.current_buffer

            def run() -> Edited:
                edited = edit_text(buffer.text, stdout=_editor_stdout())
                if edited.message:
                    self._say(edited.message, "warning")
                return edited

            def then(edited: Edited) -> None:
                if edited.text is not None:
                    text = edited.text
                    if one_line:
                        text = " ".join(line.strip() for line in text.split("\n") if line.strip())
                    buffer.document = Document(text, len(text))

            # In the prompt's own (main) thread, which the editor has to itself anyway, so
            # that an interrupt meanwhile can be left to the editor (see editor.py).
            in_terminal(event, run, then=then)

    def _bind_no_default(self, keys: KeyBindings) -> None:
        said = False  # once a question: Enter pressed again says nothing new

        @keys.add("enter", eager=True)
        def _again(event: KeyPressEvent) -> None:
            nonlocal said
            if not said:
                said = True
                in_terminal(event, lambda: self._say("Type y for yes or n for no.", "muted"))

    def _say(self, message: str, style: str) -> None:
        from rich.text import Text  # (Rich: loaded once something is shown)

        self._out.print(Text(f"  {console.one_line(message)}", style=style))

    def _ask(
        self,
        question: Prompt,
        *,
        menu: bool = True,
        keys: KeyBindings | None = None,
        answer_keys: str = "",
    ) -> object:
        """Ask; a SIGINT stops any prompt as Ctrl-C does, Ctrl-D stops a menu (a text
        prompt keeps prompt_toolkit's own Ctrl-D: delete, or stop on an empty line), and
        Ctrl-O shows the reference. `keys` are the question's own extra bindings;
        `answer_keys`, those of its keys that may answer it at once (after which an Enter
        typed out of habit is dropped: `_drop_habit_enter`)."""
        # (prompt_toolkit: loaded with questionary, when a prompt is shown)
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
        from prompt_toolkit.keys import Keys

        stops = KeyBindings()
        if menu:

            @stops.add(Keys.ControlD, eager=True)
            def _eof(event: KeyPressEvent) -> None:
                event.app.exit(exception=EOFError, style="class:aborting")

            @stops.add(Keys.Escape, eager=True)
            def _escape(event: KeyPressEvent) -> None:
                # Nothing: questionary's menu, given Esc after another key, answers "".
                pass

        @stops.add(Keys.SIGINT)
        def _interrupt(event: KeyPressEvent) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        @stops.add(REFERENCE_KEY, eager=True)
        def _show_reference(event: KeyPressEvent) -> None:
            # Bound even with nothing to show: prompt_toolkit would take Ctrl-O as Enter.
            if self._reference is not None:
                renderable = self._reference[0]
                in_terminal(event, lambda: self._out.print(renderable))

        app = question.application
        own = [app.key_bindings] if app.key_bindings is not None else []
        extra = [keys] if keys else []
        for key in answer_keys:  # keys that answer at once: noted when they do
            for binding in [b for k in (*own, *extra) for b in k.get_bindings_for_keys((key,))]:
                stops.add(key, eager=True)(self._answering(binding.handler))
        self._drop_habit_enter(app, stops)
        app.key_bindings = merge_key_bindings([*own, *extra, stops])
        self._key_answered = None
        answer = question.unsafe_ask()
        self._answered_by_key, self._key_answered = self._key_answered, None
        return answer

    def _answering(self, handler: Callable[[KeyPressEvent], object]) -> Callable[..., None]:
        """`handler`, noting that a key answered the prompt by itself (if it did)."""

        def answer(event: KeyPressEvent) -> None:
            handler(event)
            if event.app.is_done:
                self._key_answered = time.monotonic()

        return answer

    def _drop_habit_enter(self, app: Application[object], keys: KeyBindings) -> None:
        """After a prompt answered by one key (a scale's digit, y or n), an Enter that
        comes at once (`HABIT_ENTER_SECONDS`), as the first key of this prompt, is
        dropped."""
        from prompt_toolkit.filters import Condition

        answered = self._answered_by_key
        if answered is None:
            return
        first = [True]

        @Condition
        def habit() -> bool:
            return first[0] and time.monotonic() - answered <= HABIT_ENTER_SECONDS

        @keys.add("enter", eager=True, filter=habit)
        def _habit(event: KeyPressEvent) -> None:
            pass

        def pressed(_processor: object) -> None:
            first[0] = False

        app.key_processor.after_key_press += pressed


def _scale_instruction(question: Question, low: int, high: int) -> str:
    """How to answer a scale; what its ends mean, unless its question says so already
    ("(1 = still reading them, 5 = free to watch your partner)")."""
    if f"{low} =" in question.prompt and f"{high} =" in question.prompt:
        return "(type the number or use ↑↓)"
    return f"({low} = least, {high} = most; type the number or use ↑↓)"


def _may_be_blank(question: Question) -> bool:
    """True when a menu question has a `BLANK_LABEL` entry, first: it is not required. It
    opens there when nothing is offered; else on the answer offered (an earlier one, or
    the current one when it is changed, which can then be cleared)."""
    return not question.required


def _answer(picked: object) -> object:
    """A menu's answer as the session takes it: None (left blank) for `BLANK_LABEL`."""
    return None if picked is _BLANK else picked


def _editor_stdout() -> IO[str] | None:
    """Where the editor draws: the terminal the session is on, even when the coach's
    standard output is captured (`note=$(coach prep Nina)`); None: inherited."""
    stream = console.terminal_stream()
    try:
        if stream.isatty():
            stream.flush()
            return stream
    except (OSError, ValueError):
        pass
    return None


def hint_lines(parts: Sequence[str], width: int) -> list[str]:
    """`parts` joined with " · " into lines of at most `width` cells, never breaking a part
    across two lines (so "Ctrl-X Ctrl-E" stays whole); a part wider than a line is cut
    between words (with "…")."""
    from rich.cells import cell_len  # (Rich: loaded once something is shown)

    lines: list[str] = []
    for part in parts:
        if lines and cell_len(lines[-1]) + 3 + cell_len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(fit(part, width))
    return lines


def _one_line(label: str) -> str:
    return console.visible(label).replace("\n", " ").replace("\t", " ")


def fit(label: str, width: int) -> str:
    """`label` on one line of at most `width` cells, cut between words (with "…")."""
    from rich.cells import cell_len  # (Rich: loaded once something is shown)

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
        from rich.text import Text  # (Rich)

        text = Text(label.lstrip())
        text.truncate(width - 1)
        kept = text.plain
    return kept + "…"
