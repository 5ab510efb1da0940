"""The waiting-room card on a terminal (Rich), and as a file in any of its formats."""

from __future__ import annotations

import io

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from callback_coach.cli.console import new_console, visible
from callback_coach.day.card import (
    SCREEN_LINES,
    TEXT_BUDGETS,
    Card,
    markdown,
    shorten,
    to_html,
)

WIDE = 60  # from this many columns, labels sit beside their answers
WIDTH = 80  # the widest card: on a wide terminal, and in a text file


def renderable(card: Card, width: int, budget: int) -> Panel:
    """The card as a Rich panel that wraps (never crops) at `width` columns."""
    parts: list[RenderableType] = []
    if card.subtitle():
        parts.append(Text(visible(card.subtitle()), style="muted", overflow="fold"))
    if width >= WIDE:
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(style="heading", no_wrap=True, min_width=14)
        grid.add_column(ratio=1, overflow="fold")
        for item in card.items:
            grid.add_row(
                Text(visible(item.label)),
                Text(visible(shorten(item.text, budget)), overflow="fold"),
            )
        parts.append(grid)
    else:
        for item in card.items:
            parts.append(Text(visible(item.label), style="heading", overflow="fold"))
            answer = Text(visible(shorten(item.text, budget)), overflow="fold")
            parts.append(Padding(answer, (0, 0, 0, 2)))
    if not card.items:
        parts.append(Text("The prep has no answers for the card yet.", style="muted"))
    return Panel(
        Group(*parts),
        title=Text(visible(card.title()), style="title"),
        title_align="left",
        box=box.ROUNDED,
        border_style="magenta",
        width=width,
        padding=(0, 1),
    )


def plain_lines(card: Card, width: int, budget: int) -> list[str]:
    """The terminal card as plain text lines (no colour, no escape codes)."""
    buffer = io.StringIO()
    new_console(file=buffer, width=width, color_system=None, force_terminal=False).print(
        renderable(card, width, budget)
    )
    return buffer.getvalue().rstrip("\n").split("\n")


def fit_budget(card: Card, width: int, height: int = SCREEN_LINES) -> int:
    """The longest answer length at which the card fits `height` lines at `width`
    columns; when even the shortest does not fit (a narrow screen), a readable middle."""
    for budget in TEXT_BUDGETS:
        if len(plain_lines(card, width, budget)) <= height:
            return budget
    return 120


def text(card: Card, width: int = 80) -> str:
    """The card as plain text, fitted to one 24-line screen at this width if it can be."""
    return "\n".join(plain_lines(card, width, fit_budget(card, width))) + "\n"


def render(card: Card, fmt: str, width: int = 80) -> str:
    """The card as a file's text: `text` (plain, 80 columns), `md` or `html`."""
    if fmt == "md":
        return markdown(card)
    if fmt == "html":
        return to_html(card)
    return text(card, width)
