"""Rich renderables for the season commands: the stats screen, follow-ups, today.

The stats screen lays out the charts of `season_charts` (bars of block characters, so a
chart reads the same without colour and at 60 columns). Anything the actor typed (roles,
projects, offices, follow-ups) goes in as `rich.text.Text`, never as markup.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeVar

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from callback_coach.cli.console import visible
from callback_coach.cli.season_charts import MAX_BAR, BreakdownChart, HBar, chart, legend
from callback_coach.cli.shell_lines import CommandLines, shell_words
from callback_coach.core.dates import describe
from callback_coach.season.stats import STAGE_LABELS, share
from callback_coach.season.stats import Group as Breakdown

if TYPE_CHECKING:
    from callback_coach.season.followups import FollowUp
    from callback_coach.season.stats import SeasonStats
    from callback_coach.season.today import TodayView

# Columns the stats charts need besides their bar (the widest: a breakdown's label and
# its four numbers), so every bar of the screen has the same width and scale.
CHART_TEXT = 40
TODAY_LIMIT = 5  # rows per section of `coach today`
# Groups a breakdown chart shows (the largest, or the latest months) unless asked for
# every one: ten years of months, or hundreds of projects, are not a glance.
CHART_LIMIT = 12
Item = TypeVar("Item")


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
    parts: list[RenderableType] = [title]
    if not roles:
        parts.append(Text("No roles in this period.", style="dim"))
        return Group(*parts)

    funnel = chart(show_header=True)
    funnel.add_column("", no_wrap=True)
    funnel.add_column("")
    funnel.add_column("roles", justify="right", no_wrap=True)
    funnel.add_column("of the stage above", no_wrap=True)
    for step in stats.funnel():
        note = Text()
        if step.of is not None:
            note.append(share(step.roles, step.of))
            if step.still_open:
                note.append(f" · {step.still_open} waiting", style="dim")
        funnel.add_row(
            STAGE_LABELS[step.stage], HBar(step.roles, roles, bar), str(step.roles), note
        )
    now = Text("Now: ", style="dim")
    now.append(f"{tally.open} open · {tally.released} released · {tally.booked_now} booked")
    parts += [Text(), _heading("Funnel"), funnel, now]

    per_round = chart(show_header=False)
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
        parts.append(legend())
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


def _section(
    title: str, rows: list[tuple[Text, str, str]], more: int, more_hint: str
) -> list[RenderableType]:
    parts: list[RenderableType] = [Text(), _heading(title), HintedRows(rows)]
    if more:
        parts.append(Text(f"… and {more} more: {more_hint}", style="dim"))
    return parts


def _limit(items: list[Item]) -> tuple[list[Item], int]:
    """The first TODAY_LIMIT items, and how many more there are."""
    return items[:TODAY_LIMIT], max(0, len(items) - TODAY_LIMIT)


def today_screen(view: TodayView) -> Group:
    """`coach today`: one short screen."""
    today = view.today
    title = Text("Today", style="bold magenta")
    title.append(f" · {today.strftime('%a')} {today.day} {today.strftime('%b %Y')}")
    parts: list[RenderableType] = [title]
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

    if view.callbacks:
        callbacks, more = _limit(view.callbacks)
        rows = []
        for c in callbacks:
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
        waiting, more = _limit(view.to_review)
        rows = [
            (
                _role_text(r.role, r.project)
                + Text(visible(f" · {r.round} · {_day_label(r.date, today)}")),
                "",
                r.hint,
            )
            for r in waiting
        ]
        parts += _section("Waiting for your review", rows, more, "coach list")
    if view.follow_ups or view.undated_follow_ups:
        due, more = _limit(view.follow_ups)
        rows = []
        for item in due:
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
        drafts, more = _limit(view.drafts)
        rows = []
        for d in drafts:
            what = _role_text(d.role, d.project)
            n = d.answers
            what.append(visible(f" · {d.round} · {d.kind}, {n} answer{'s' if n != 1 else ''}"))
            rows.append((what, "", d.hint))
        parts += _section("Unfinished drafts", rows, more, "coach list")
    if view.pending:
        pending, more = _limit(view.pending)
        rows = [
            (
                _role_text(p.role, p.project)
                + Text(visible(f" · {p.round} · {p.days_ago} days ago")),
                "",
                p.hint,
            )
            for p in pending
        ]
        parts += _section("Still no news after two weeks", rows, more, "coach list")
    return Group(*parts)
