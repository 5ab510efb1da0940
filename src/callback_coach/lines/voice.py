"""The optional voice that reads the cues aloud (`coach lines --voice`): `pyttsx3`, from
the `voice` extra, over espeak-ng on Linux and the system voices on macOS and Windows.

`open_voice` says in one line what to install when there is no engine; the drill then
goes on without a voice. A voice that fails in the middle of a drill falls silent
instead of stopping it. What the engine or its player print is kept off the terminal.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from typing import Protocol

INSTALL_EXTRA = 'pip install "callback-coach[voice]"'


class Engine(Protocol):
    """What the voice uses of a pyttsx3 engine (pyttsx3 has no types of its own)."""

    def say(self, text: str) -> None: ...

    def runAndWait(self) -> None: ...


class VoiceUnavailable(Exception):
    """No voice here; the message says in one line what to install."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EngineVoice:
    """A `drill.CueVoice` over a pyttsx3 engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.broken = False

    def say(self, text: str) -> None:
        """Read `text` aloud and wait until it is said (as a reader gives a cue)."""
        if self.broken:
            return
        try:
            with quiet():
                self.engine.say(text)
                self.engine.runAndWait()
        except Exception:  # an engine failing mid-drill: go on without a voice
            self.broken = True


def open_voice() -> EngineVoice:
    """The voice, or VoiceUnavailable saying what to install."""
    try:
        import pyttsx3  # the optional voice extra: only with --voice
    except ImportError:
        raise VoiceUnavailable(
            f"--voice needs the voice extra: {INSTALL_EXTRA} (on Linux also espeak-ng); "
            "going on without a voice"
        ) from None
    try:
        with quiet():
            engine = pyttsx3.init()
    except Exception:  # no espeak-ng library, or no system voice
        raise VoiceUnavailable(
            "--voice found no speech engine: install espeak-ng "
            "(e.g. sudo apt install espeak-ng); going on without a voice"
        ) from None
    return EngineVoice(engine)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Keep what the engine prints (Python's `print`, a player's messages on the file
    descriptors) off standard output and standard error for the block."""
    saved: list[tuple[int, int]] = []
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        null = -1
    try:
        for fd in (1, 2):
            with contextlib.suppress(OSError):
                if null != -1:
                    saved.append((fd, os.dup(fd)))
                    os.dup2(null, fd)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        for fd, copy in saved:
            with contextlib.suppress(OSError):
                os.dup2(copy, fd)
                os.close(copy)
        if null != -1:
            os.close(null)
        with contextlib.suppress(Exception):
            sys.stderr.flush()
