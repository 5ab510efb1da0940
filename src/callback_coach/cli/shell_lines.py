"""Commands to copy (the hints of `today` and `list`, the card's command after a prep, the
examples of `--help`), laid out for a terminal of a given width so that, pasted into a
shell, they still run.

A command longer than a line goes on with a trailing ` \\` (bash, zsh, sh and fish all
join such lines), its next words on the next line, indented. A single word longer than a
line (a long role or project, quoted) is cut: outside quotes and inside double quotes by
a `\\` at the end of the line (the shell removes it with the line break), inside single
quotes by closing the quote first and opening it again on the next line (the shell joins
the two quoted pieces into one word). Either way the word reads back as it was, and its
next line starts at the left edge (a space there would split it).

A word holding a character `console.visible` would escape is shown as a `$'...'` word
(bash and zsh read its escapes back): nothing raw reaches the terminal, and pasted it is
still the same word.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from callback_coach.cli import console
from callback_coach.cli.completion import ansi_c_quoted, raw_words

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

CONTINUATION = " \\"


def shell_words(command: str) -> list[str]:
    """The words of `command` as typed (quotes kept), each safe to show: one holding a
    character `console.visible` would escape is written again as a `$'...'` word."""
    words = []
    for word in raw_words(command):
        if console.visible(word) != word:
            try:
                (value,) = shlex.split(word)
            except ValueError:  # not one whole word: shown escaped, as any text
                word = console.visible(word)
            else:
                word = ansi_c_quoted(value)
        words.append(word)
    return words


def shell_lines(command: str, width: int, *, first: str = "", rest: str = "    ") -> list[str]:
    """`command` as lines of at most `width` cells that a shell reads as the command: the
    first starting with `first` (an indent, or "  → "), the next with `rest` (or nothing,
    where a word is cut). An example's comment (`# ...`) goes on a line of its own, first.
    Only a terminal too narrow for a piece of one character leaves a line longer."""
    from rich.cells import cell_len  # Rich: only once a command is laid out (not at start)

    words = shell_words(command)
    comment = ""
    if "#" in [w[:1] for w in words[1:]]:
        at = 1 + [w[:1] for w in words[1:]].index("#")
        words, comment = words[:at], " ".join(words[at:])
    lines: list[str] = [first + comment] if comment else []
    line, fresh = first, True  # `fresh`: nothing on the line yet but its indent
    for number, word in enumerate(words):
        room = width if number == len(words) - 1 else width - cell_len(CONTINUATION)
        if cell_len(line + ("" if fresh else " ") + word) <= room:
            line, fresh = line + ("" if fresh else " ") + word, False
            continue
        if not fresh:
            lines.append(line + CONTINUATION)
            line, fresh = rest, True
            if cell_len(line + word) <= room:
                line, fresh = line + word, False
                continue
        pieces = _cut(word, width, cell_len(line), room)
        if pieces is None:  # too narrow for any piece: whole, past the edge
            line, fresh = line + word, False
            continue
        if pieces[0]:
            lines.append(line + pieces[0])
        elif line.strip():
            lines.append(line + CONTINUATION)
        lines += pieces[1:-1]
        line, fresh = pieces[-1], False
    lines.append(line)
    return lines


def _cut(word: str, width: int, used: int, last_room: int) -> list[str] | None:
    """`word` in pieces: all but the last end with what continues them on the next line;
    the first fits after `used` cells ("" when nothing fits there: the word starts on a
    line of its own), the next in `width`, the last in `last_room`. None when a line of
    `width` cannot hold a piece of one character."""
    from rich.cells import cell_len  # Rich (see `shell_lines`)

    cuts = _cut_points(word)
    pieces: list[str] = []
    start, opening = 0, ""
    space = width - used
    while True:
        piece = opening + word[start:]
        if cell_len(piece) <= last_room - (width - space):
            pieces.append(piece)
            return pieces
        fitting = [
            (at, end, again)
            for at, end, again in cuts
            if at > start and cell_len(opening + word[start:at] + end) <= space
        ]
        if not fitting:
            if space < width and not pieces:
                pieces.append("")  # nothing fits after what the line holds: a new line
                space = width
                continue
            return None
        at, end, again = fitting[-1]
        after_space = [cut for cut in fitting if word[cut[0] - 1] == " "]
        if after_space and after_space[-1][0] - start > (at - start) // 2:
            at, end, again = after_space[-1]  # end the piece between words
        pieces.append(opening + word[start:at] + end)
        start, opening, space = at, again, width


def _cut_points(word: str) -> list[tuple[int, str, str]]:
    """Where a shell word (as typed) may be cut: (index, what ends the line there, what
    starts the next line), never inside a backslash escape."""
    cuts: list[tuple[int, str, str]] = []
    quote: str | None = None  # None, "'", '"' or "$'"
    at = 0
    while at < len(word):
        if at:
            if quote in ("'", "$'"):
                cuts.append((at, "'\\", quote))
            else:
                cuts.append((at, "\\", ""))
        char = word[at]
        step = 1
        if quote is None:
            if char == "\\":
                step = 2
            elif word.startswith("$'", at):
                quote, step = "$'", 2
            elif char in "'\"":
                quote = char
        elif quote == "'":
            quote = None if char == "'" else quote
        elif quote == '"':
            if char == "\\":
                step = 2
            elif char == '"':
                quote = None
        elif char == "\\":  # inside $'...': \xNN, \uNNNN, \UNNNNNNNN or one character
            step = 2 + {"x": 2, "u": 4, "U": 8}.get(word[at + 1 : at + 2], 0)
        elif char == "'":
            quote = None
        at += step
    return cuts


class CommandLines:
    """A command to copy, drawn by Rich as `shell_lines` at the width it is given: `first`
    before it (an indent, "  → not prepped yet: "), `rest` before each next line."""

    def __init__(
        self, command: str, *, first: str = "", rest: str = "    ", style: str = ""
    ) -> None:
        self.command = command
        self.first = first
        self.rest = rest
        self.style = style

    def lines(self, width: int) -> list[str]:
        return shell_lines(self.command, width, first=self.first, rest=self.rest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text  # Rich: loaded by the console drawing this

        for line in self.lines(options.max_width):
            text = Text(line, style=self.style, no_wrap=True, overflow="ignore")
            text.end = "\n"
            yield text


def say_command(label: str, command: str) -> None:
    """`label command` on standard error, one line when it fits the terminal; else the
    label, then the command as `shell_lines` (so that, pasted, it still runs)."""
    from rich.cells import cell_len  # Rich (see `shell_lines`)

    width = console.err().width
    shown = " ".join(shell_words(command))
    if cell_len(f"{label} {shown}") <= width:
        console.info(f"{label} {shown}")
        return
    console.info(label)
    for line in shell_lines(command, width, first="  ", rest="      "):
        console.info(line)
