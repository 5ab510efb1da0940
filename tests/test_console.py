"""The one sanitiser (`console.visible`) and the guarded streams, as pure functions."""

from __future__ import annotations

import io
import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callback_coach.cli import console
from callback_coach.errors import ExitCode, OutputClosed, StorageError

BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def acts_on_a_terminal(ch: str) -> bool:
    """What must never reach a terminal raw: controls (but tab and line feed), lone
    surrogates, line/paragraph separators and the bidi embeddings/overrides/isolates."""
    if ch in "\t\n":
        return False
    return unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in BIDI


@given(st.text(alphabet=st.characters(codec=None)))
def test_nothing_a_terminal_acts_on_survives(text: str) -> None:
    shown = console.visible(text)
    assert not any(acts_on_a_terminal(ch) for ch in shown)


@given(st.text(alphabet=st.characters(codec=None)))
def test_text_without_controls_is_unchanged(text: str) -> None:
    safe = "".join(ch for ch in text if not acts_on_a_terminal(ch))
    assert console.visible(safe) == safe


@given(st.text(alphabet=st.characters(codec=None)))
def test_every_control_becomes_a_backslash_escape(text: str) -> None:
    unsafe = [ch for ch in text.replace("\r\n", "\n") if acts_on_a_terminal(ch)]
    shown = console.visible(text)
    for ch in set(unsafe):
        code = ord(ch)
        form = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
        assert form in shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred", "\\x1b[31mred"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("\x1b]52;c;ZXZpbA==\x07", "\\x1b]52;c;ZXZpbA==\\x07"),
        ("\x1b[2J", "\\x1b[2J"),
        ("\x9b31m", "\\x9b31m"),  # C1 CSI
        ("a\x7fb", "a\\x7fb"),
        ("ok\rEVIL", "ok\\x0dEVIL"),
        ("line one\r\nline two", "line one\nline two"),
        ("tab\there\nnext", "tab\there\nnext"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("Zoë 🎭 Нина [bold]x[/bold] :smile:", "Zoë 🎭 Нина [bold]x[/bold] :smile:"),
    ],
)
def test_the_documented_visible_form(raw: str, shown: str) -> None:
    assert console.visible(raw) == shown


@given(st.text(alphabet=st.characters(codec=None)))
def test_json_stays_the_same_data_and_becomes_terminal_safe(text: str) -> None:
    raw = json.dumps({"answer": text}, ensure_ascii=False)
    safe = console.json_visible(raw)
    assert json.loads(safe) == {"answer": text}
    assert not any(acts_on_a_terminal(ch) for ch in safe)


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
