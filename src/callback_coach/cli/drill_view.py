"""The note drill on a terminal: the note's panel and the countdown to play it out loud."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from rich.live import Live
from rich.panel import Panel
from rich.text import Text

from callback_coach.cli import console as consoles


def note_panel(number: int, total: int, text: str) -> Any:
    return Panel(
        Text(consoles.visible(text), style="bold"),
        title=Text(f"Note {number} of {total}", style="heading"),
        title_align="left",
        border_style="cyan",
    )


def countdown(
    seconds: int,
    *,
    console: Any = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """ "Play it out loud… 20, 19, 18" on the terminal (stderr), on a fixed deadline."""
    console = console or consoles.err()
    deadline = clock() + seconds

    def view(left: float) -> Text:
        shown = Text("Play it out loud… ", style="muted")
        shown.append(str(max(1, math.ceil(left - 1e-9))), style="bold")
        return shown

    with Live(view(seconds), console=console, auto_refresh=False, transient=True) as live:
        while (left := deadline - clock()) > 0:
            live.update(view(left), refresh=True)
            sleep(min(0.2, left))
