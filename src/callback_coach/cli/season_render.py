"""Rich renderables for the season commands: stats charts, follow-ups, today.

Bars are drawn with block characters, so a chart reads the same without colour
(`NO_COLOR`, a pipe) and at 60 columns. Anything the actor typed (roles, projects,
offices, follow-ups) goes in as `rich.text.Text`, never as markup.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from callback_coach.cli.console import visible
from callback_coach.cli.shell_lines import CommandLines, shell_words
from callback_coach.core.dates import describe
from callback_coach.season.stats import STAGE_LABELS, share
from callback_coach.season.stats import Group as Breakdown

if TYPE_CHECKING:
    from callback_coach.season.followups import FollowUp
    from callback_coach.season.stats import SeasonStats
    from callback_coach.season.today import TodayView

EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
BAR_STYLE = Style(color="cyan")
MAX_BAR = 40  # cells: a longer bar is no easier to read
# Columns the stats charts need besides their bar (the widest: a breakdown's label and
# its four numbers), so every bar of the screen has the same width and scale.
CHART_TEXT = 40
TODAY_LIMIT = 5  # rows per section of `coach today`
# Groups a breakdown chart shows (the largest, or the latest months) unless asked for
# every one: ten years of months, or hundreds of projects, are not a glance.
CHART_LIMIT = 12


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


def _chart(*, show_header: bool) -> Table:
    # One space between columns: at 60 columns every cell counts.
    return Table(
        box=None, padding=(0, 0, 0, 1), pad_edge=False, show_header=show_header, header_style="dim"
    )


def _heading(text: str) -> Text:
    return Text(text, style="bold")


class StatsView:
    """The season at a glance: funnel, rounds per role, breakdowns; every bar as wide as
    the terminal allows, the same for all."""

    def __init__(self, stats: SeasonStats, *, every: bool = False) -> None:
        self.stats = stats
        self.every = every

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        bar = max(8, min(MAX_BAR, options.max_width - CHART_TEXT))
        yield stats_view(self.stats, bar, every=self.every)


def stats_view(stats: SeasonStats, bar: int = MAX_BAR, *, every: bool = False) -> Group:
    """The season's charts with bars of `bar` cells; each breakdown's `CHART_LIMIT`
    largest groups (latest months), or `every` group."""
    tally = stats.tally
    roles = tally.roles
    title = Text("Your season", style="bold magenta")
    title.append(f" · {_count(roles, 'role')}")
    if stats.since or stats.until:
        title.append(f" · {stats.since or '…'} to {stats.until or '…'}")
    parts: list[Any] = [title]
    if not roles:
        parts.append(Text("No roles in this period.", style="dim"))
        return Group(*parts)

    funnel = _chart(show_header=True)
    funnel.add_column("", no_wrap=True)
    funnel.add_column("")
    funnel.add_column("roles", justify="right", no_wrap=True)
    funnel.add_column("of the stage above", no_wrap=True)
    for step in stats.funnel():
        note = Text()
        if "of" in step:
            note.append(share(step["roles"], step["of"]))
            still_open = step["not_reached"]["open"]
            if still_open:
                note.append(f" · {still_open} waiting", style="dim")
        funnel.add_row(
            STAGE_LABELS[step["stage"]], HBar(step["roles"], roles, bar), str(step["roles"]), note
        )
    now = Text("Now: ", style="dim")
    now.append(f"{tally.open} open · {tally.released} released · {tally.booked_now} booked")
    parts += [Text(), _heading("Funnel"), funnel, now]

    per_round = _chart(show_header=False)
    per_round.add_column(no_wrap=True)
    per_round.add_column()
    per_round.add_column(justify="right", no_wrap=True)
    most = max(k for _, k in stats.rounds_per_role)
    for count, k in stats.rounds_per_role:
        per_round.add_row(_count(count, "round"), HBar(k, most, bar), _count(k, "role"))
    parts += [Text(), _heading("Rounds per role"), per_round]

    for name, groups in stats.breakdowns.items():
        shown, left_out = (groups, []) if every else _chosen(groups, name)
        parts += [Text(), _heading(BREAKDOWN_TITLES[name]), BreakdownChart(shown, name, bar)]
        if left_out:
            parts.append(_left_out(left_out, name))
    if stats.breakdowns:
        parts.append(_legend())
    return Group(*parts)


BREAKDOWN_TITLES = {
    "office": "By casting office",
    "medium": "By medium",
    "project": "By project",
    "month": "By month of the first round",
}


# What the groups a chart leaves out are called: (one, several).
LEFT_OUT_NOUNS = {
    "office": ("other casting office", "other casting offices"),
    "medium": ("other medium", "other media"),
    "project": ("other project", "other projects"),
    "month": ("earlier month", "earlier months"),
}


def _chosen(groups: list[Breakdown], name: str) -> tuple[list[Breakdown], list[Breakdown]]:
    """The groups a chart shows (the `CHART_LIMIT` first, or latest months, and "not
    recorded"), and those it leaves out."""
    known = [g for g in groups if g.key is not None]
    if len(known) <= CHART_LIMIT:
        return groups, []
    unknown = [g for g in groups if g.key is None]
    if name == "month":
        return known[-CHART_LIMIT:] + unknown, known[:-CHART_LIMIT]
    return known[:CHART_LIMIT] + unknown, known[CHART_LIMIT:]


def _left_out(groups: list[Breakdown], name: str) -> Text:
    one, several = LEFT_OUT_NOUNS[name]
    roles = sum(g.tally.roles for g in groups)
    noun = one if len(groups) == 1 else several
    return Text(
        f"+ {len(groups)} {noun}, {_count(roles, 'role')} (--all shows them)",
        style="dim",
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


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
    table = _chart(show_header=True)
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


def _legend() -> Text:
    legend = Text()
    for shade, style, label in zip(
        SHADES, PART_STYLES, ("booked", "avail/hold", "called back", "auditioned"), strict=True
    ):
        legend.append(shade * 2, style)
        legend.append(f" {label}  ")
    legend.rstrip()
    legend.append("\nCounts are roles. No outcome yet means open, not lost.", style="dim")
    return Text("\n").join([Text(), legend])


# -- follow-ups ------------------------------------------------------------------------


def _role_text(role: str, project: str) -> Text:
    text = Text(visible(role))
    if project:
        text.append(visible(f" · {project}"), style="dim")
    return text


def follow_ups_table(items: list[FollowUp], today: dt.date) -> Table:
    table = Table(box=None, padding=(0, 1), pad_edge=False, expand=True, header_style="bold")
    table.add_column("ID", no_wrap=True)
    table.add_column("Follow-up", ratio=3, overflow="fold")
    table.add_column("Role", ratio=2, overflow="fold")
    table.add_column("Due", no_wrap=True)
    for item in items:
        what = Text(visible(item.what))
        if item.to:
            what.append(visible(f" (for {item.to})"), style="dim")
        if item.done:
            due = Text(visible(f"done {item.done}"), style="dim")
        elif item.lapsed:
            due = Text("lapsed", style="dim")
        elif item.due:
            late = item.due < today.isoformat()
            due = Text(
                describe(dt.date.fromisoformat(item.due), today), style="red" if late else ""
            )
            if late:
                due.append(" (late)")
        else:
            due = Text("—", style="dim")
        table.add_row(visible(item.id), what, _role_text(item.role, item.project), due)
    return table


# -- today -----------------------------------------------------------------------------


def _day_label(date: str, today: dt.date) -> str:
    try:
        return describe(dt.date.fromisoformat(date), today)
    except ValueError:
        return visible(date) or "no date"


class HintedRows:
    """Rows of (what, label, command): side by side when both fit on a line, else each
    command under its row (`shell_lines`: wrapped so that, pasted, it still runs), after
    its label ("prepped:")."""

    def __init__(self, rows: list[tuple[Text, str, str]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        hints = [Text(label + " ".join(shell_words(command))) for _, label, command in self.rows]
        what_width = max(w.cell_len for w, _, _ in self.rows)
        hint_width = max(h.cell_len for h in hints)
        if what_width + 2 + hint_width <= options.max_width:
            table = Table(box=None, padding=(0, 2, 0, 0), pad_edge=False, show_header=False)
            table.add_column(no_wrap=True)
            table.add_column(no_wrap=True, style="dim")
            for (what, _, _), hint in zip(self.rows, hints, strict=True):
                table.add_row(what, hint)
            yield table
            return
        for what, label, command in self.rows:
            yield what
            yield CommandLines(command, first=f"  → {label}", rest="      ", style="dim")


def _section(title: str, rows: list[tuple[Text, str, str]], more: int, more_hint: str) -> list[Any]:
    parts: list[Any] = [Text(), _heading(title), HintedRows(rows)]
    if more:
        parts.append(Text(f"… and {more} more: {more_hint}", style="dim"))
    return parts


def today_screen(view: TodayView) -> Group:
    """`coach today`: one short screen."""
    today = view.today
    title = Text("Today", style="bold magenta")
    title.append(f" · {today.strftime('%a')} {today.day} {today.strftime('%b %Y')}")
    parts: list[Any] = [title]
    if view.roles == 0 and not view.drafts:
        parts += [
            Text(),
            Text("No notes yet. Start with:"),
            CommandLines('coach prep "ROLE" --project "PROJECT"', first="  "),
            Text("Every command: coach --help", style="dim"),
        ]
        return Group(*parts)
    if view.empty:
        parts += [Text(), Text("Nothing due. Every role and its next step:"), Text("  coach list")]
        return Group(*parts)

    def limit(items: list[Any]) -> tuple[list[Any], int]:
        return items[:TODAY_LIMIT], max(0, len(items) - TODAY_LIMIT)

    if view.callbacks:
        shown, more = limit(view.callbacks)
        rows = []
        for c in shown:
            what = Text(_day_label(c.date, today), style="bold")
            if c.time:
                what.append(visible(f" {c.time}"), style="bold")
            what.append("  ")
            what.append_text(_role_text(c.role, c.project))
            what.append(visible(f" · {c.round}"))
            if c.place:
                what.append(visible(f" · {c.place}"), style="dim")
            if c.offbook is not None:
                what.append(f" · off-book {c.offbook.percent}%", style="dim")
            rows.append((what, "prepped: " if c.prepped else "not prepped yet: ", c.hint))
        parts += _section("Callbacks in the next 7 days", rows, more, "coach list")
    if view.to_review:
        shown, more = limit(view.to_review)
        rows = [
            (
                _role_text(r.role, r.project)
                + Text(visible(f" · {r.round} · {_day_label(r.date, today)}")),
                "",
                r.hint,
            )
            for r in shown
        ]
        parts += _section("Waiting for your review", rows, more, "coach list")
    if view.follow_ups or view.undated_follow_ups:
        shown, more = limit(view.follow_ups)
        rows = []
        for item in shown:
            late = (item.due or "") < today.isoformat()
            what = Text(_day_label(item.due or "", today), style="red" if late else "bold")
            what.append("  ")
            what.append(visible(item.what))
            what.append(visible(f" ({item.role})"), style="dim")
            rows.append((what, "", item.done_hint()))
        if view.undated_follow_ups:
            n = view.undated_follow_ups
            rows.append(
                (Text(f"{n} open follow-up{'s' if n != 1 else ''} with no date", style="dim"),
                 "", "coach follow-ups")
            )  # fmt: skip
        parts += _section("Follow-ups due", rows, more, "coach follow-ups")
    if view.drafts:
        shown, more = limit(view.drafts)
        rows = []
        for d in shown:
            what = _role_text(d.role, d.project)
            n = d.answers
            what.append(visible(f" · {d.round} · {d.kind}, {n} answer{'s' if n != 1 else ''}"))
            rows.append((what, "", d.hint))
        parts += _section("Unfinished drafts", rows, more, "coach list")
    if view.pending:
        shown, more = limit(view.pending)
        rows = [
            (
                _role_text(p.role, p.project)
                + Text(visible(f" · {p.round} · {p.days_ago} days ago")),
                "",
                p.hint,
            )
            for p in shown
        ]
        parts += _section("Still no news after two weeks", rows, more, "coach list")
    return Group(*parts)
