"""Paced breathing on a terminal: the live frame (Rich)."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Group
from rich.text import Text

from callback_coach.cli import console
from callback_coach.day.breathing import Outcome, Pattern, Step, Timer


def frame(
    pattern: Pattern, rounds: int, step: Step, elapsed: float, remaining: float, width: int
) -> Any:
    """The live display: the phase in words with a countdown, and a bar that fills on the
    in-breath and empties on the out-breath. Always three lines of the same width."""
    inner = max(10, min(40, width - 2))
    filled = round(step.level(elapsed) * inner)
    left = (inner - filled) // 2
    bar = Text("▕", style="muted")
    bar.append(" " * left + "█" * filled + " " * (inner - filled - left), style="answer")
    bar.append("▏", style="muted")
    heading = Text(
        console.visible(f"{pattern.name} · round {step.round} of {rounds}"), style="muted"
    )
    heading.truncate(width, overflow="ellipsis")
    words = Text(console.visible(step.words), style="title")
    words.append(f"  {max(1, math.ceil(remaining - 1e-9))}", style="bold")
    return Group(heading, words, bar)


def run_live(timer: Timer) -> Outcome:
    """The timer with a steady live display on the terminal (stderr)."""
    from rich.live import Live  # (with the rest of Rich: this module draws)

    err = console.err()
    first = timer.steps[0]
    width = err.width
    view = frame(timer.pattern, timer.rounds, first, 0.0, first.seconds, width)
    with Live(view, console=err, auto_refresh=False, transient=True) as live:

        def tick(step: Step, elapsed: float, remaining: float) -> None:
            live.update(
                frame(timer.pattern, timer.rounds, step, elapsed, remaining, width), refresh=True
            )

        return timer.run(on_tick=tick)
