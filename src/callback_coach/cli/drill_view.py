"""The note drill on a terminal: the note's panel and the countdown to play it out loud."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

from rich.console import Console
from rich.live import Live
from rich.panel import Panel
from rich.text import Text

from callback_coach.cli import console as consoles
from callback_coach.cli.keys import quiet_keys


def note_panel(number: int, total: int, text: str) -> Panel:
    return Panel(
        Text(consoles.visible(text), style="bold"),
        title=Text(f"Note {number} of {total}", style="heading"),
        title_align="left",
        border_style="cyan",
    )


def countdown(
    seconds: int,
    *,
    console: Console | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    keys: Callable[[], AbstractContextManager[Callable[[], bool]]] = quiet_keys,
) -> None:
    """ "Play it out loud… 20, 19, 18" on the terminal (stderr), on a fixed deadline;
    Enter ends it early (played already). Keys typed meanwhile are not echoed."""
    console = console or consoles.err()
    deadline = clock() + seconds

    def view(left: float) -> Text:
        shown = Text("Play it out loud… ", style="muted")
        shown.append(str(max(1, math.ceil(left - 1e-9))), style="bold")
        shown.append("  (Enter when you have played it)", style="muted")
        return shown

    with (
        keys() as pressed,
        Live(view(seconds), console=console, auto_refresh=False, transient=True) as live,
    ):
        while (left := deadline - clock()) > 0 and not pressed():
            live.update(view(left), refresh=True)
            sleep(min(0.1, left))
