"""The one sanitiser (`console.visible`) and the guarded streams, as pure functions."""

from __future__ import annotations

import io
import json
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callback_coach.cli import console
from callback_coach.errors import ExitCode, OutputClosed, StorageError

BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
EVERY_CHARACTER = st.characters(codec=None)
# Emoji sequences whose zero width joiners are part of one emoji: 👩‍💻 🏳️‍🌈 👨🏽‍💻 ❤️‍🔥 🧑‍🤝‍🧑 🐻‍❄️
EMOJI = [
    "\U0001f469\u200d\U0001f4bb",
    "\U0001f3f3\ufe0f\u200d\U0001f308",
    "\U0001f468\U0001f3fd\u200d\U0001f4bb",
    "\u2764\ufe0f\u200d\U0001f525",
    "\U0001f9d1\u200d\U0001f91d\u200d\U0001f9d1",
    "\U0001f43b\u200d\u2744\ufe0f",
]


def acts_on_a_terminal(ch: str) -> bool:
    """What must never reach a terminal raw: controls (but tab and line feed), format
    characters (zero-width marks, bidi marks and overrides, tags...), lone surrogates,
    line/paragraph separators."""
    if ch in "\t\n":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp")


def raw_left(shown: str) -> list[str]:
    """The characters of `shown` that act on a terminal, but for a joiner inside an emoji."""
    return [
        ch
        for at, ch in enumerate(shown)
        if acts_on_a_terminal(ch) and not (ch == console.ZWJ and console.joins_emoji(shown, at))
    ]


def escaped(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def test_every_format_character_of_unicode_is_escaped() -> None:
    every = [chr(c) for c in range(sys.maxunicode + 1)]
    formats = [ch for ch in every if unicodedata.category(ch) == "Cf"]
    assert len(formats) > 150
    for ch in formats:
        assert console.visible(f"a{ch}b") == f"a{escaped(ch)}b"
    # Nothing else printable is touched on the way.
    printable = "".join(ch for ch in every if ch.isprintable())
    assert console.visible(printable) == printable


@given(st.text(alphabet=EVERY_CHARACTER))
def test_nothing_a_terminal_acts_on_survives(text: str) -> None:
    assert not raw_left(console.visible(text))


@given(st.text(alphabet=EVERY_CHARACTER))
def test_text_without_controls_is_unchanged(text: str) -> None:
    safe = "".join(ch for ch in text if not acts_on_a_terminal(ch))
    assert console.visible(safe) == safe


@given(st.text(alphabet=EVERY_CHARACTER))
def test_every_control_becomes_a_backslash_escape(text: str) -> None:
    unsafe = [ch for ch in text.replace("\r\n", "\n") if acts_on_a_terminal(ch)]
    shown = console.visible(text)
    for ch in set(unsafe) - {console.ZWJ}:
        assert escaped(ch) in shown


@pytest.mark.parametrize("emoji", EMOJI)
def test_a_joiner_inside_an_emoji_stays_and_any_other_is_shown(emoji: str) -> None:
    assert console.visible(f"Dev {emoji}!") == f"Dev {emoji}!"
    assert console.json_visible(f'"{emoji}"') == f'"{emoji}"'
    for lone in ("a\u200db", "\U0001f469\u200d", "\u200d\U0001f4bb", "a\u200d\U0001f4bb"):
        assert console.visible(lone) == lone.replace("\u200d", "\\u200d")
    assert (
        console.visible("\U0001f469\u200d\u200d\U0001f4bb") == "\U0001f469\\u200d\\u200d\U0001f4bb"
    )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred", "\\x1b[31mred"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("\x1b]52;c;ZXZpbA==\x07", "\\x1b]52;c;ZXZpbA==\\x07"),
        ("\x1b]8;;https://x\x1b\\link", "\\x1b]8;;https://x\\x1b\\link"),
        ("\x1b[2J", "\\x1b[2J"),
        ("\x9b31m", "\\x9b31m"),  # C1 CSI
        ("a\x7fb", "a\\x7fb"),
        ("ok\rEVIL", "ok\\x0dEVIL"),
        ("line one\r\nline two", "line one\nline two"),
        ("tab\there\nnext", "tab\there\nnext"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff"),
        ("\u200fRTL\u200e \u061c", "\\u200fRTL\\u200e \\u061c"),
        ("soft\xadhyphen\u2060", "soft\\xadhyphen\\u2060"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("Zoë 🎭 Нина [bold]x[/bold] :smile:", "Zoë 🎭 Нина [bold]x[/bold] :smile:"),
    ],
)
def test_the_documented_visible_form(raw: str, shown: str) -> None:
    assert console.visible(raw) == shown


@given(st.text(alphabet=EVERY_CHARACTER))
def test_json_stays_the_same_data_and_becomes_terminal_safe(text: str) -> None:
    raw = json.dumps({"answer": text}, ensure_ascii=False)
    safe = console.json_visible(raw)
    assert json.loads(safe) == {"answer": text}
    assert not raw_left(safe)


def printed(renderable: object, **options: object) -> str:
    buffer = io.StringIO()
    console.new_console(file=buffer, width=60, color_system=None).print(renderable, **options)
    return buffer.getvalue()


@given(st.text(alphabet=EVERY_CHARACTER))
def test_the_consoles_net_lets_nothing_raw_through(text: str) -> None:
    from rich.text import Text

    for renderable in (Text(text), text.replace("[", "")):
        shown = printed(renderable)
        assert not [ch for ch in raw_left(shown) if ch != "\t"], ascii(shown)


def test_the_net_marks_what_it_caught_and_leaves_riches_own_controls() -> None:
    from rich.control import Control
    from rich.text import Text

    assert printed(Text("a\x1b[31mb\u202ec\u200bd")) == "a\ufffd[31mb\ufffdc\ufffdd\n"
    assert printed(Text(f"Dev {EMOJI[0]}")) == f"Dev {EMOJI[0]}\n"
    assert printed(Text(console.visible("a\x1b[2J"))) == "a\\x1b[2J\n"
    buffer = io.StringIO()
    terminal = console.new_console(
        file=buffer, force_terminal=True, color_system="standard", no_color=False
    )
    terminal.control(Control.title("coach"))
    terminal.print(Text("ok", style="red"))
    assert buffer.getvalue() == "\x1b]0;coach\x07\x1b[31mok\x1b[0m\n"


class FailingStream(io.StringIO):
    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def flush(self) -> None:
        raise self.error


def test_a_closed_pipe_is_output_closed() -> None:
    stream = console.GuardedStream(
        FailingStream(BrokenPipeError(32, "Broken pipe")), is_stdout=True
    )
    with pytest.raises(OutputClosed) as info:
        stream.write("data\n")
    assert info.value.exit_code == ExitCode.OUTPUT_CLOSED == 141
    assert info.value.message == ""


def test_a_full_disk_is_one_storage_error_and_stays_failed() -> None:
    stream = console.GuardedStream(
        FailingStream(OSError(28, "No space left on device")), is_stdout=True
    )
    with pytest.raises(StorageError) as info:
        stream.write("data\n")
    assert info.value.exit_code == ExitCode.STORAGE
    assert info.value.message == "cannot write to standard output: no space left on device"
    # Someone (Click probing a stream) may swallow the error: the next write says it again.
    with pytest.raises(StorageError):
        stream.write("more\n")
    stream.flush()  # what was left is gone; flushing it again raises nothing


def test_a_failing_stderr_is_dropped_silently() -> None:
    stream = console.GuardedStream(
        FailingStream(BrokenPipeError(32, "Broken pipe")), is_stdout=False
    )
    assert stream.write("warning: x\n") == len("warning: x\n")
    stream.flush()


def test_empty_writes_keep_the_stream_type() -> None:
    # Click asks "is this stream binary?" by writing b"" to it: a text stream must refuse.
    stream = console.GuardedStream(io.StringIO(), is_stdout=True)
    with pytest.raises(TypeError):
        stream.write(b"")
    assert stream.write("") == 0


class FullOnce(io.BytesIO):
    """Fails once, then takes everything: like a stream pointed at the null device."""

    failed = False

    def flush(self) -> None:
        if not self.failed:
            self.failed = True
            raise OSError(28, "No space left on device")


def test_text_and_bytes_of_one_stream_fail_together() -> None:
    stream = console.GuardedStream(io.TextIOWrapper(FullOnce(), encoding="utf-8"), is_stdout=True)
    with pytest.raises(StorageError):
        stream.buffer.write(b"an export\n")
    with pytest.raises(StorageError):
        stream.write("then a message on the same stream\n")


@pytest.mark.parametrize("columns", [None, "57", "200", "wide", ""])
def test_the_terminal_width_is_the_one_rich_measures(columns, monkeypatch) -> None:
    """Menu labels are fitted before Rich is loaded: to the width Rich would use."""
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert console.terminal_width() == console.terminal().width
