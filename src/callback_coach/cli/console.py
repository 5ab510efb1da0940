"""The one terminal layer: every write of the coach goes through here.

- Data (JSON, a note's path, exports, the tables of `list`, `show`, `search`) goes to
  standard output; messages, warnings and errors to standard error; the interactive
  session (its display and its prompts) to the terminal: standard error, or standard
  output when only that one is a terminal. So `note=$(coach prep Nina)` shows every
  question and captures only the path.
- `guard_streams` (called once by `coach`) makes a failing standard output one
  `CoachError`: a closed pipe is `OutputClosed` (exit 141, nothing printed), any other
  write error (a full disk) a one-line `StorageError` (exit 7). Standard error that
  cannot be written is silently dropped: there is nowhere left to say so.
- `visible` is the one sanitiser for text the actor (or a synced or hand-edited file)
  wrote: control and format characters (escape sequences, bidi overrides, zero-width
  marks) are shown as `\\x1b`- or `\\u202e`-style escapes, never sent raw. Everything
  here prints user text as Rich `Text` (or escaped markup), so `[bold]` in a role name is
  shown as typed. The consoles themselves (`new_console`) are the last net: a control or
  format character that reaches one without `visible` is drawn as U+FFFD.

Rich is imported only when a console is first used, so `coach --help` stays fast.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import time
from collections.abc import Iterable
from functools import cache
from typing import IO, TYPE_CHECKING, Any, Literal, TextIO, TypedDict

from callback_coach.errors import OutputClosed, StorageError

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment
    from rich.text import Text
    from typing_extensions import Unpack  # (typing.Unpack from Python 3.11 on)

STYLES = {
    "title": "bold magenta",
    "heading": "bold cyan",
    "help": "dim italic",
    "answer": "green",
    "muted": "dim",
    "error": "bold red",
    "warning": "yellow",
    "ok": "bold green",
    "match": "bold reverse",
}

# -- the sanitiser ---------------------------------------------------------------------

# Unicode's format characters (category Cf, as of Unicode 16): invisible marks that change
# what is shown without showing themselves: the soft hyphen, Arabic and Syriac marks,
# zero-width spaces, joiners and non-joiners, the bidi marks, embeddings, overrides and
# isolates ("Trojan Source"), the word joiner and invisible operators, the byte-order mark,
# interlinear annotations, tag characters ("ASCII smuggling")...
FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)

# What a terminal would act on, or what would hide or reorder text, rather than be shown:
# C0 controls except tab and line feed, DEL and the C1 controls (Unicode category Cc),
# lone surrogates (Cs), the line and paragraph separators and every format character. A
# carriage return is a control too, except as part of a Windows line end, which becomes a
# plain line feed first.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + FORMAT_CHARACTERS + "]"
)

ZWJ = "\u200d"

# Pictographs an emoji ZWJ sequence joins (Unicode's Extended_Pictographic, in whole
# blocks: a joiner between two symbols of these blocks hides nothing), and what may come
# between a pictograph and its joiner: emoji presentation, a skin tone.
_PICTOGRAPH = re.compile(
    "[\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2"
    "\u25aa-\u25fe\u2600-\u27bf\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001faff\U0001fc00-\U0001fffd]"
)
_EMOJI_MODIFIER = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff]")


def joins_emoji(text: str, at: int) -> bool:
    """True when the zero width joiner at `text[at]` joins two pictographs inside an emoji
    sequence (👩‍💻, 🏳️‍🌈, 👨🏽‍💻), where it is part of one emoji rather than a hidden mark."""
    if at + 1 >= len(text) or not _PICTOGRAPH.match(text, at + 1):
        return False
    before = at - 1
    while before >= 0 and at - before <= 2 and _EMOJI_MODIFIER.match(text, before):
        before -= 1
    return before >= 0 and _PICTOGRAPH.match(text, before) is not None


def _escape_code(code: int) -> str:
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _shown(match: re.Match[str]) -> str:
    found = match.group()
    if found == ZWJ and joins_emoji(match.string, match.start()):
        return found
    return _escape_code(ord(found))


def visible(text: str) -> str:
    """`text` as it may safely reach a terminal: every control and format character made
    visible.

    ESC becomes the four characters `\\x1b`, a bidi override U+202E becomes `\\u202e`, a
    zero-width space `\\u200b`, a tag character `\\U000e0041`; line feeds and tabs stay
    (they only move the cursor on), Windows line ends become line feeds, and a zero width
    joiner inside an emoji (👩‍💻) stays part of it. Printable text, in any script or emoji,
    is returned unchanged. Files the coach writes keep the exact text: this is only for
    what is shown.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return UNSAFE.sub(_shown, text)


def _json_escape(match: re.Match[str]) -> str:
    found = match.group()
    if found == ZWJ and joins_emoji(match.string, match.start()):
        return found
    code = ord(found)
    if code > 0xFFFF:  # JSON writes a character beyond the BMP as its surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_visible(text: str) -> str:
    """JSON text with the characters that `json.dumps(ensure_ascii=False)` leaves raw (DEL,
    C1, separators, format characters such as bidi overrides and zero-width marks) written
    as `\\uXXXX` escapes: the same data, safe on a terminal. JSON's own syntax is ASCII, so
    these can only occur inside strings."""
    return UNSAFE.sub(_json_escape, text)


def screened(text: str) -> str:
    """`text` with every character `visible` would escape replaced by U+FFFD: the last
    net of the consoles, for text that reached them without going through `visible`."""
    return UNSAFE.sub(_replaced, text)


def _replaced(match: re.Match[str]) -> str:
    found = match.group()
    if found == ZWJ and joins_emoji(match.string, match.start()):
        return found
    return "\ufffd"


# -- the streams -----------------------------------------------------------------------


# Characters per write in a text stream: at most 4 bytes each, so a piece always fits the
# 8 KiB buffer of `io.BufferedWriter` (see `GuardedStream._write_text`).
TEXT_PIECE = 1024
# What a guarded stream wraps: a text stream (standard output or error), or the binary
# stream under one (its `buffer`); what is written to it is of its kind.
RawStream = IO[Any]


class GuardedStream:
    """A standard stream whose write errors become one clear outcome instead of a
    traceback (and no "Exception ignored" when Python flushes it at exit).

    Every write is flushed at once, so an error surfaces here, where it is handled,
    never later. Everything else (`isatty`, `fileno`, `encoding`, ...) is the stream's own.
    """

    def __init__(
        self, stream: RawStream, *, is_stdout: bool, text: GuardedStream | None = None
    ) -> None:
        self._stream = stream
        self._is_stdout = is_stdout
        self._failure: OSError | None = None
        self._buffer: GuardedStream | None = None
        self._text = text  # for a binary `buffer`: the text stream over it (one failure)

    def write(self, data: str | bytes | bytearray | memoryview) -> int:
        if not data:  # Click probes a stream's type with empty writes: answer, don't flush
            return self._stream.write(data)
        if self._failure is not None:
            self._failed(self._failure)  # still failed, even if someone caught it once
            return len(data)
        try:
            if isinstance(data, str):
                self._write_text(data)
            else:
                self._write_bytes(data)
        except OSError as exc:
            self._failed(exc)
        return len(data)

    def _write_text(self, text: str) -> None:
        # A pipe whose reader leaves in the middle of a large write takes part of it and
        # reports no error; the buffered layers of `io` then drop the rest silently. Small
        # pieces, each flushed, stay inside those buffers, whose flush does report it.
        for start in range(0, len(text), TEXT_PIECE):
            self._stream.write(text[start : start + TEXT_PIECE])
            self._stream.flush()

    def _write_bytes(self, data: bytes | bytearray | memoryview) -> None:
        view = memoryview(data).cast("B")
        while view:  # a short write is retried: the retry raises what went wrong
            written = self._stream.write(view)
            if written is None:  # a non-blocking stream that is full: let it drain
                time.sleep(0.01)
                continue
            view = view[written:]
        self._stream.flush()

    def writelines(self, lines: Iterable[str | bytes | bytearray | memoryview]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._failure is not None:
            return  # what was left is gone: the failure was raised where it happened
        try:
            self._stream.flush()
        except OSError as exc:
            self._failed(exc)

    @property
    def buffer(self) -> GuardedStream:
        """The binary stream underneath, guarded the same way (exports write bytes)."""
        if self._buffer is None:
            raw: RawStream = getattr(self._stream, "buffer")  # noqa: B009 - text streams only
            self._buffer = GuardedStream(raw, is_stdout=self._is_stdout, text=self)
        return self._buffer

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)

    def _failed(self, exc: OSError) -> None:
        if self._failure is None:
            self._failure = exc
            silence(self._stream)
            for other in (self._text, self._buffer):
                if other is not None:
                    other._failure = exc
        if not self._is_stdout:
            return  # standard error is gone: nowhere to report it, and nothing to lose
        if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
            raise OutputClosed("") from None
        reason = (exc.strerror or str(exc)).lower()
        raise StorageError(f"cannot write to standard output: {reason}") from None


def silence(stream: IO[str] | IO[bytes]) -> None:
    """Point a failed stream's file descriptor at the null device, so that what is still
    buffered (and Python's flush at exit) goes nowhere instead of failing again."""
    try:
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)


def guard_streams() -> None:
    """Route every write of this process (ours, Typer's help, completion) through a
    `GuardedStream`. Called once by the `coach` entry point."""
    if sys.stdout is not None and not isinstance(sys.stdout, GuardedStream):
        sys.stdout = GuardedStream(sys.stdout, is_stdout=True)  # type: ignore[assignment,unused-ignore]
    if sys.stderr is not None and not isinstance(sys.stderr, GuardedStream):
        sys.stderr = GuardedStream(sys.stderr, is_stdout=False)  # type: ignore[assignment,unused-ignore]


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):
        return False


def stdin_is_terminal() -> bool:
    return _isatty(sys.stdin)


def terminal_stream() -> IO[str]:
    """Where the interactive session is drawn: standard error, or standard output when
    only that one is a terminal (`coach prep Nina 2>log`). Never data that is redirected."""
    if not _isatty(sys.stderr) and _isatty(sys.stdout):
        return sys.stdout
    return sys.stderr


def terminal_width() -> int:
    """The terminal's width in columns as Rich's consoles measure it ($COLUMNS first,
    then the terminal of standard input, output or error, else 80), without loading
    Rich: a menu's labels are fitted before anything else is shown."""
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    for descriptor in (0, 1, 2):
        try:
            return os.get_terminal_size(descriptor).columns or 80
        except (AttributeError, ValueError, OSError):
            continue
    return 80


# -- the consoles ----------------------------------------------------------------------


class ConsoleSettings(TypedDict, total=False):
    """What a console of the coach may be given besides its own settings (as Rich's
    `Console` takes them)."""

    file: IO[str]
    stderr: bool
    width: int
    color_system: Literal["auto", "standard", "256", "truecolor", "windows"] | None
    force_terminal: bool
    no_color: bool


def new_console(**settings: Unpack[ConsoleSettings]) -> Console:
    """A Rich console of the coach: its theme, no highlighting, no :emoji: codes (text is
    shown as it was written), and the last net (`screening_console`)."""
    from rich.theme import Theme  # Rich: loaded when a console is first used

    console_class = screening_console()
    return console_class(theme=Theme(STYLES), highlight=False, emoji=False, **settings)


@cache
def screening_console() -> type[Console]:
    """The class of the coach's consoles: a Rich `Console` that, as it renders, replaces
    any control or format character left in a text segment with U+FFFD (`screened`).

    Text is made visible (`visible`) before it is printed, so this changes nothing for
    any path that does: it is the net for one that forgets. Rich's own control segments
    (cursor moves, titles it is asked to set) are left alone; styles and links are not
    text and are written by Rich from the theme.
    """
    from rich.console import Console  # Rich: loaded when a console is first used
    from rich.segment import Segment

    class ScreeningConsole(Console):
        def render(
            self, renderable: RenderableType, options: ConsoleOptions | None = None
        ) -> Iterable[Segment]:
            # Rich renders nested renderables through this same method: a segment is
            # screened at each level, which costs one regular expression search.
            for segment in super().render(renderable, options):
                if segment.control is None and UNSAFE.search(segment.text):
                    yield Segment(screened(segment.text), segment.style)
                else:
                    yield segment

    return ScreeningConsole


@cache
def out() -> Console:
    """Console for data shown to people: tables of list, show, search (stdout)."""
    return new_console()


@cache
def err() -> Console:
    """Console for messages, warnings and errors (stderr)."""
    return new_console(stderr=True)


def terminal() -> Console:
    """Console for the interactive session: headers, questions, summaries."""
    return new_console(file=terminal_stream())


def data(text: str) -> None:
    """One line of data on standard output (a note's path, JSON)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def data_chunks(chunks: Iterable[str]) -> None:
    """Data on standard output piece by piece, as it is made (a search of any size)."""
    write = sys.stdout.write
    for chunk in chunks:
        write(chunk)
    sys.stdout.flush()


# What a line's next lines are indented under when it wraps on a terminal: its own
# indent, then a marker (▸) and a number ("1.", "  3  "), if it starts with them.
HANGING = re.compile(r"\s*(?:▸\s*)?(?:\d+[.)]?\s+)?")


def text_lines(lines: Iterable[str]) -> None:
    """Lines of text for people on standard output (sides, a drill's notes, the breathing
    patterns), each already made visible: on a terminal, a line wider than it is wrapped
    between words, its next lines indented under its text; elsewhere (a pipe, a file)
    each is written as it is, one line of data."""
    target = out()
    if not target.is_terminal:
        for line in lines:
            data(line)
        return
    from rich.text import Text  # Rich: not loaded at start-up (`coach --help`)

    for line in lines:
        for piece in wrapped(line.expandtabs(), target.width):
            target.print(Text(piece), soft_wrap=True)


def wrapped(line: str, width: int) -> list[str]:
    """`line` in lines of at most `width` cells, cut between words (a word wider than a
    line is cut where it must), the next ones indented under its text (`HANGING`)."""
    from rich.cells import cell_len  # Rich: not loaded at start-up

    if cell_len(line) <= width:
        return [line]
    found = HANGING.match(line)
    hang = cell_len(found.group()) if found else 0
    if hang > width // 2:
        hang = 0
    pieces: list[str] = []
    current, room = line[:hang], width
    for word in line[hang:].split(" "):
        joined = f"{current} {word}" if current.strip() else current + word
        if cell_len(joined) <= room:
            current = joined
            continue
        if current.strip():
            pieces.append(current)
            current = " " * hang
        while cell_len(current + word) > room:  # a word longer than a line: cut
            cut = len(word)
            while cut > 1 and cell_len(current + word[:cut]) > room:
                cut -= 1
            pieces.append(current + word[:cut])
            current, word = " " * hang, word[cut:]
        current += word
    pieces.append(current)
    return pieces


def one_line(text: str) -> str:
    """`visible(text)` kept on one line: line feeds and tabs shown as `\\n` and `\\t`
    too, so an error or warning quoting what someone typed stays one line."""
    return visible(text).replace("\n", "\\n").replace("\t", "\\t")


def error(message: str, prefix: str = "error: ") -> None:
    err().print(_plain(one_line(message), (prefix, "error")), soft_wrap=True)


def warn(message: str) -> None:
    err().print(_plain(one_line(message), ("warning: ", "warning")), soft_wrap=True)


def info(message: str) -> None:
    """A message for people on standard error: one line, which a terminal gets wrapped
    between words at its width (a command to copy goes through `shell_lines` instead)."""
    target = err()
    target.print(_plain(visible(message)), soft_wrap=not target.is_terminal)


def detail(line: str) -> None:
    """An indented line under an error (one problem of a list)."""
    err().print(f"  {visible(line)}", markup=False, soft_wrap=True)


def _plain(text: str, label: tuple[str, str] = ("", "")) -> Text:
    """`text` as Rich text, never read as markup (a `[b]` or a line's last `\\` is shown as
    typed), after `label` in its style."""
    from rich.text import Text  # Rich: not loaded at start-up

    return Text.assemble(label, text) if label[0] else Text(text)
