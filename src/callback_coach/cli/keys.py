"""Keys pressed while a live display runs (the drill's countdown, a breathing round).

While one runs, what the actor types must not be echoed into the display, and Enter can
mean "done": `quiet_keys()` turns echo off (the terminal's settings are put back however
the block ends, Ctrl-C included) and gives a function that says whether Enter was
pressed since it was last asked. Without a terminal it changes nothing and says no.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import TextIO

ENTER_KEYS = ("\r", "\n")


@contextlib.contextmanager
def quiet_keys(stream: TextIO | None = None) -> Iterator[Callable[[], bool]]:
    """Inside the block typed keys are not echoed; the function yielded returns True when
    Enter was pressed since its last call (other keys are read and dropped)."""
    stream = stream if stream is not None else sys.stdin
    try:
        interactive = stream.isatty()
    except (OSError, ValueError):
        interactive = False
    if not interactive:
        yield lambda: False
    elif os.name == "nt":
        yield _windows_enter
    else:
        with _posix_quiet(stream.fileno()) as pressed:
            yield pressed


def _windows_enter() -> bool:
    import msvcrt  # (Windows only)

    hit = False
    while msvcrt.kbhit():  # type: ignore[attr-defined,unused-ignore]
        hit = msvcrt.getwch() in ENTER_KEYS or hit  # type: ignore[attr-defined,unused-ignore]
    return hit


@contextlib.contextmanager
def _posix_quiet(fd: int) -> Iterator[Callable[[], bool]]:
    import select  # (POSIX only, as termios)
    import termios

    try:
        saved = termios.tcgetattr(fd)
    except termios.error:
        yield lambda: False
        return
    quiet = list(saved)
    quiet[3] &= ~(termios.ECHO | termios.ICANON)  # local modes: no echo, no line buffer
    quiet[6] = list(saved[6])
    quiet[6][termios.VMIN] = 0
    quiet[6][termios.VTIME] = 0

    def pressed() -> bool:
        hit = False
        while select.select([fd], [], [], 0)[0]:
            data = os.read(fd, 64)
            if not data:
                break
            hit = hit or any(key.encode() in data for key in ENTER_KEYS)
        return hit

    termios.tcsetattr(fd, termios.TCSANOW, quiet)
    try:
        yield pressed
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
