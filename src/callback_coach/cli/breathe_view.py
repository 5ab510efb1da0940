"""Paced breathing on a terminal: the live frame (Rich)."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Group
from rich.text import Text

from callback_coach.day.breathing import Pattern, Step


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
    heading = Text(f"{pattern.name} · round {step.round} of {rounds}", style="muted")
    heading.truncate(width, overflow="ellipsis")
    words = Text(step.words, style="title")
    words.append(f"  {max(1, math.ceil(remaining - 1e-9))}", style="bold")
    return Group(heading, words, bar)
