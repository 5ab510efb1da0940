"""The charts of `coach stats`: bars drawn with block characters in eighths of a cell
(`HBar`), bars split into shades (`StackedBar`), and a breakdown's chart of them with its
legend (`BreakdownChart`), so a chart reads the same without colour (`NO_COLOR`, a pipe)
and at 60 columns. `season_render` lays them out.
"""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from callback_coach.cli.console import visible
from callback_coach.season.stats import Group as Breakdown

EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
BAR_STYLE = Style(color="cyan")
MAX_BAR = 40  # cells: a longer bar is no easier to read


class HBar:
    """A horizontal bar of `value` out of `maximum`, as wide as its column allows (up to
    MAX_BAR cells), in eighths of a cell. A value above zero always shows."""

    def __init__(
        self, value: int, maximum: int, width: int = MAX_BAR, style: Style = BAR_STYLE
    ) -> None:
        self.value = value
        self.maximum = maximum
        self.width = width
        self.style = style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, min(self.width, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = min(self.width, options.max_width)
        eighths = round(width * 8 * self.value / self.maximum) if self.maximum else 0
        if self.value > 0:
            eighths = max(eighths, 1)
        full, part = divmod(eighths, 8)
        bar = FULL * full + (EIGHTHS[part] if part else "")
        yield Segment(bar, self.style)
        yield Segment(" " * (width - len(bar)))
        yield Segment.line()


class StackedBar:
    """One bar of `total` out of `maximum` in whole cells, split into parts drawn with
    different shades (first part darkest), so it reads without colour. A part above zero
    always gets a cell when its bar has room."""

    def __init__(self, parts: list[int], maximum: int, width: int = MAX_BAR) -> None:
        self.parts = parts
        self.maximum = maximum
        self.width = width

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, min(self.width, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = min(self.width, options.max_width)
        widths = _stacked_cells(self.parts, self.maximum, width)
        for shade, style, size in zip(SHADES, PART_STYLES, widths, strict=True):
            if size:
                yield Segment(shade * size, style)
        yield Segment(" " * (width - sum(widths)))
        yield Segment.line()


def _stacked_cells(parts: list[int], maximum: int, width: int) -> list[int]:
    """The cells of each part of a stacked bar `width` cells wide at most."""
    total = sum(parts)
    cells = round(width * total / maximum) if maximum else 0
    cells = max(cells, min(width, sum(1 for p in parts if p)))
    return _split(cells, parts)


def _split(cells: int, parts: list[int]) -> list[int]:
    """`cells` shared among `parts` in proportion (cumulative rounding), at least one cell
    for each part above zero while cells last."""
    total = sum(parts)
    if not total or not cells:
        return [0] * len(parts)
    widths, running, edge = [], 0, 0
    for index, part in enumerate(parts):
        running += part
        # Never behind the edge so far (a part before may have taken a cell ahead), and
        # leaving a cell for each part above zero still to come.
        after = sum(1 for p in parts[index + 1 :] if p)
        new_edge = max(edge, min(round(cells * running / total), cells - after))
        if part and new_edge <= edge:
            new_edge = min(cells, edge + 1)
        widths.append(new_edge - edge)
        edge = new_edge
    widths[-1] += cells - edge
    return widths


# Darkest first: booked, avail/hold, called back, auditioned only.
SHADES = ("█", "▓", "▒", "░")
PART_STYLES = (
    Style(color="green"),
    Style(color="yellow"),
    Style(color="cyan"),
    Style(color="bright_black"),
)


def chart(*, show_header: bool) -> Table:
    """A table for a chart: no lines, one space between columns (at 60 columns every
    cell counts)."""
    return Table(
        box=None, padding=(0, 0, 0, 1), pad_edge=False, show_header=show_header, header_style="dim"
    )


def _breakdown_label(group: Breakdown, name: str) -> Text:
    if group.key is None:
        return Text("not recorded", style="dim")
    if name == "month":
        return Text(dt.date.fromisoformat(group.key + "-01").strftime("%b %Y"))
    return Text(visible(group.key))


def _stack(group: Breakdown) -> list[int]:
    """Booked, avail/hold but not booked, called back only, auditioned only."""
    reached = group.tally.reached
    return [reached[3], reached[2] - reached[3], reached[1] - reached[2], reached[0] - reached[1]]


BREAKDOWN_HEADERS = ("roles", "back", "hold", "booked")
LABEL_WIDTH = 16


# Where the stacked bar starts under its label when label and bar do not fit side by side.
STACKED_INDENT = 2


class BreakdownChart:
    """A breakdown's chart at the width it is drawn: each label beside its bar when the
    label column (up to LABEL_WIDTH) and the bar fit, the label wrapped in its column
    (between words; a word longer than the column is folded, never cut); on a narrower
    terminal each label on its own lines, the bar under it. Drawn line by line, as Rich's
    table draws it (`_breakdown`), which takes over when even that does not fit."""

    def __init__(self, groups: list[Breakdown], name: str, bar: int) -> None:
        self.groups = groups
        self.name = name
        self.bar = bar

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = _breakdown_lines(self.groups, self.name, self.bar, options.max_width, console)
        yield lines if lines is not None else _breakdown(self.groups, self.name, self.bar)


def _breakdown_lines(
    groups: list[Breakdown],
    name: str,
    bar: int,
    width: int,
    console: Console,
    *,
    stacked: bool | None = None,
) -> Group | None:
    """The chart of `BreakdownChart`, line by line (a long chart draws many times faster
    than a table): beside (`stacked` False: exactly what `_breakdown`'s table draws when
    every column has its natural width) or stacked (True); by default the first that fits
    in `width` columns. None when it does not fit."""
    labels = [_breakdown_label(g, name) for g in groups]
    label_width = min(LABEL_WIDTH, max(cell_len(t.plain) for t in labels))
    numbers = [[str(n) for n in g.tally.reached] for g in groups]
    widths = [
        max(len(h), *(len(row[i]) for row in numbers)) for i, h in enumerate(BREAKDOWN_HEADERS)
    ]
    rest = bar + sum(w + 1 for w in widths)
    if stacked is None:
        stacked = label_width + 1 + rest > width
    left = STACKED_INDENT if stacked else label_width + 1
    if left + rest > width:
        return None
    most = max(g.tally.roles for g in groups)
    header = Text(" " * (left + bar), style="dim")  # (Rich's header_style)
    for title, size in zip(BREAKDOWN_HEADERS, widths, strict=True):
        header.append(" " + title.rjust(size))
    lines = [header]
    for group, label, row in zip(groups, labels, numbers, strict=True):
        if stacked:
            lines += label.wrap(console, width, overflow="fold")
            pieces = [Text(" " * (STACKED_INDENT - 1))]
        else:
            pieces = list(label.wrap(console, label_width, justify="left", overflow="fold"))
        line = Text()
        line.append_text(pieces[0])  # the label's style on the label only
        line.append(" ")
        cells = _stacked_cells(_stack(group), most, bar)
        for shade, style, size in zip(SHADES, PART_STYLES, cells, strict=True):
            if size:
                line.append(shade * size, style)
        line.append(" " * (bar - sum(cells)))
        for text, size in zip(row, widths, strict=True):
            line.append(" " + text.rjust(size))
        lines.append(line)
        for piece in pieces[1:]:  # the rest of a wrapped label; the other columns blank
            more = Text()
            more.append_text(piece)
            more.append(" " * (1 + rest))
            lines.append(more)
    for line in lines:
        line.no_wrap = True
        line.overflow = "ignore"
        line.end = "\n"
    return Group(*lines)


def _breakdown(groups: list[Breakdown], name: str, bar: int) -> Table:
    table = chart(show_header=True)
    table.add_column("", overflow="fold", max_width=LABEL_WIDTH)
    table.add_column("")
    for header in ("roles", "back", "hold", "booked"):
        table.add_column(header, justify="right", no_wrap=True)
    most = max(g.tally.roles for g in groups)
    for group in groups:
        table.add_row(
            _breakdown_label(group, name),
            StackedBar(_stack(group), most, bar),
            *(str(n) for n in group.tally.reached),
        )
    return table


def legend() -> Text:
    legend = Text()
    for shade, style, label in zip(
        SHADES, PART_STYLES, ("booked", "avail/hold", "called back", "auditioned"), strict=True
    ):
        legend.append(shade * 2, style)
        legend.append(f" {label}  ")
    legend.rstrip()
    legend.append("\nCounts are roles. No outcome yet means open, not lost.", style="dim")
    return Text("\n").join([Text(), legend])
