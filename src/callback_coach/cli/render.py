"""Pure rendering: notes, sessions and checklists to Rich renderables and text formats."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from callback_coach.cli.console import visible
from callback_coach.cli.shell_lines import CommandLines
from callback_coach.core.answers import format_answer
from callback_coach.core.checklist import Catalogue, Checklist
from callback_coach.core.dates import describe
from callback_coach.core.hints import resume
from callback_coach.core.queries import Timeline
from callback_coach.core.rounds import Round
from callback_coach.exports.json_shapes import Prompts
from callback_coach.store.drafts import Draft, age_text
from callback_coach.store.notes import Note, own_text
from callback_coach.store.slugs import search_spans

if TYPE_CHECKING:
    from callback_coach.core.planning import LastRound
    from callback_coach.store.index import NoteRow, RoleSummary


def shown(value: object, style: str = "") -> Text:
    """Text someone wrote (an answer, a role, a checklist's prompt), ready to print: its
    control characters made visible (`console.visible`), and never read as Rich markup."""
    return Text(visible(format_answer(value)), style=style)


class PlainText:
    """The actor's own text for the terminal, wrapped line by line (its control
    characters made visible by `console.visible`, never read as markup).

    Rich renders one Text as one string holding all its lines, then splits that string
    with repeated `str.partition`: quadratic in its length (a 4 MB body took 17 s in
    `coach show`). Yielding each wrapped line on its own keeps showing text linear.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in visible(self.text).split("\n"):
            for wrapped in Text(line).wrap(console, options.max_width):
                yield from wrapped.render(console, end="\n")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Text(self.text).__rich_measure__(console, options)


def session_header(kind: str, role: str, project: str, round_label: str, date: str) -> Panel:
    title = shown(role, "title")
    if project:
        title.append_text(shown(f"  ·  {project}", "bold"))
    detail = shown(f"{round_label}  ·  {kind}  ·  {date}", "muted")
    return Panel(Group(title, detail), expand=False, border_style="magenta")


def answers_summary(
    checklists: list[Checklist], answers: Mapping[str, Mapping[str, object]]
) -> Group:
    """Every answer of a session, grouped by checklist, for the end-of-session review."""
    parts: list[RenderableType] = [Text("Your answers", style="heading")]
    for checklist in checklists:
        table = Table(
            title=shown(checklist.title),
            title_justify="left",
            show_header=False,
            expand=True,
            box=None,
            padding=(0, 1),
        )
        table.add_column("question", style="bold", ratio=2)
        table.add_column("answer", style="answer", ratio=3)
        given = answers.get(checklist.id, {})
        for question in checklist.questions:
            answer = format_answer(given.get(question.id))
            table.add_row(shown(question.prompt), shown(answer) if answer else Text("—", "muted"))
        parts.append(table)
    return Group(*parts)


def with_outcome(summary: Group, outcome: str) -> Group:
    """A review's summary with the outcome chosen for it, last."""
    line = Text("Outcome so far: ", style="bold")
    line.append(outcome, style="answer")
    return Group(summary, line)


def last_round_panel(last: LastRound) -> Panel:
    """What the previous round left (planning.LastRound): the "last time" panel a prep
    opens with, and keeps one key away."""
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column("what", style="bold", ratio=2)
    table.add_column("answer", style="answer", ratio=3)
    for prompt, value in last.items:
        table.add_row(shown(prompt), shown(value))
    title = f"Last time: {last.round}"
    if last.date:
        title += f" · {last.date}"
    if last.outcome:
        title += f" · {last.outcome}"
    hint = (
        "Where the prep asks about last time, these are offered as your answers: "
        "keep, refine or replace them."
        if last.items
        else "Nothing was written down about it."
    )
    return Panel(
        Group(table, Text(hint, style="muted")) if last.items else Text(hint, style="muted"),
        title=shown(title),
        title_align="left",
        border_style="cyan",
    )


def prepared_panel(round_label: str, items: list[tuple[str, str]]) -> Panel:
    """What the round's prep said (planning.prepared_items): the panel a review opens
    with, and keeps one key away, so the room is reviewed against the plan."""
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column("what", style="bold", ratio=1)
    table.add_column("answer", style="answer", ratio=3)
    for label, value in items:
        table.add_row(shown(label), shown(value))
    hint = "The questions that follow ask how this plan held in the room."
    return Panel(
        Group(table, Text(hint, style="muted")),
        title=shown(f"What you prepared for {round_label}"),
        title_align="left",
        border_style="cyan",
    )


# Below this many columns a role or project name is no longer readable in a table cell.
NAME_MIN_WIDTH = 10
# Space between two columns of the list: one blank of padding and the table's (blank)
# column divider; there is no padding at the outer edges.
COLUMN_GAP = 2


def roles_table(
    rows: list[RoleSummary],
    *,
    total: int | None = None,
    width: int = 80,
    today: dt.date | None = None,
) -> Group:
    """`coach list` for people, fitted to `width` columns; the Next column as it stands
    on `today` (a prepared round whose day has not come is `callback Fri 11 Dec`, not yet
    `review`).

    Role and project are never dropped: they wrap (at spaces) in their columns. When the
    table does not fit, the least useful columns go first: the number of rounds, then the
    date (folded under the latest round); below that, each role becomes a short block.
    """
    cells = [_role_cells(row, today) for row in rows]
    table = None
    for layout in _ROLE_LAYOUTS:
        table = _fitted_table(layout, cells, width)
        if table is not None:
            break
    parts: list[RenderableType] = [table if table is not None else _role_blocks(cells)]
    if table is not None:
        left_out = [c for c in _ROLE_LAYOUTS[0] if not any(c in part for part in layout)]
        if left_out:
            names = " and ".join(left_out)
            noun = "column is" if len(left_out) == 1 else "columns are"
            parts.append(Text(f"The {names} {noun} left out to fit {width} columns.", "muted"))
    if total is not None and total > len(rows):
        parts.append(
            Text(f"{len(rows)} of {total} roles shown; use --all to see every one.", style="muted")
        )
    return Group(*parts)


def _role_cells(row: RoleSummary, today: dt.date | None = None) -> dict[str, str]:
    action, round_label = row.next_action, row.next_round or ""
    if action == "review" and round_label == row.latest_round:
        round_label = ""  # "review" of the latest round: the Latest column says which
        if today is not None and row.latest_date > today.isoformat():
            # Prepared, and its day is still to come: the callback is next (as in
            # `coach today`), its review from that day on.
            action = f"callback {describe(dt.date.fromisoformat(row.latest_date), today)}"
    return {
        "Role": visible(row.role),
        "Project": visible(row.project) or "—",
        "Rounds": str(len(row.rounds)),
        "Latest": visible(row.latest_round),
        "Date": row.latest_date or "—",
        "Outcome": visible(row.outcome or "pending"),
        "Next": visible(f"{action} {round_label}".strip()) if action else "—",
    }


# Columns from the widest layout to the narrowest; "A/B" is B folded under A in one cell.
_ROLE_LAYOUTS = (
    ("Role", "Project", "Rounds", "Latest", "Date", "Outcome", "Next"),
    ("Role", "Project", "Latest", "Date", "Outcome", "Next"),
    ("Role", "Project", "Latest/Date", "Outcome", "Next"),
)


def _fitted_table(layout: tuple[str, ...], cells: list[dict[str, str]], width: int) -> Table | None:
    """The table with these columns if role and project keep a readable width, else None."""

    def cell(row: dict[str, str], column: str) -> str:
        return "\n".join(row[part] for part in column.split("/"))

    def natural(column: str) -> int:
        lines = [column.split("/")[0]]
        lines += [line for row in cells for line in cell(row, column).split("\n")]
        return max(cell_len(line) for line in lines)

    def narrowest(column: str) -> int:
        """The width a name column needs: its longest word whole (a name wraps between
        words, never inside one), and at least NAME_MIN_WIDTH if it is that long."""
        words = [cell_len(word) for row in cells for word in row[column].split()]
        return min(natural(column), max(NAME_MIN_WIDTH, *words))

    fixed = {column: natural(column) for column in layout[2:]}
    room = width - sum(fixed.values()) - COLUMN_GAP * (len(layout) - 1)
    role, project = natural("Role"), natural("Project")
    role_min, project_min = narrowest("Role"), narrowest("Project")
    if room < role_min + project_min:
        return None
    if role + project > room:  # share the room, giving the shorter one what it needs
        half = room // 2
        if role <= half:
            project = room - role
        elif project <= room - half:
            role = room - project
        else:
            role, project = half, room - half
        if role < role_min:
            role, project = role_min, room - role_min
        elif project < project_min:
            role, project = room - project_min, project_min
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        header_style="bold",
        pad_edge=False,
        padding=(0, COLUMN_GAP - 1, 0, 0),
    )
    table.add_column("Role", width=role, overflow="fold")
    table.add_column("Project", width=project, overflow="fold")
    for column in layout[2:]:
        justify: Literal["right", "left"] = "right" if column == "Rounds" else "left"
        table.add_column(column.split("/")[0], width=fixed[column], justify=justify, no_wrap=True)
    for row in cells:
        table.add_row(*(Text(cell(row, column)) for column in layout))
    return table


def _role_blocks(cells: list[dict[str, str]]) -> Group:
    """`coach list` for a very narrow terminal: the name on one line, the rest below."""
    parts: list[RenderableType] = []
    for row in cells:
        name = Text(row["Role"], style="bold")
        if row["Project"] != "—":
            name.append(f" · {row['Project']}")
        rounds = "1 round" if row["Rounds"] == "1" else f"{row['Rounds']} rounds"
        detail = f"{rounds} · latest {row['Latest']}, {row['Date']} · {row['Outcome']}"
        if row["Next"] != "—":
            detail += f" · next: {row['Next']}"
        parts += [name, Padding(Text(detail), (0, 0, 0, 2))]
    return Group(*parts)


def drafts_lines(drafts: list[Draft], now: dt.datetime) -> list[RenderableType]:
    """`coach list`'s unfinished sessions: a heading, then for each what it is and
    (indented) the command that resumes it, wrapped so that, pasted, it still runs
    (`shell_lines`)."""
    lines: list[RenderableType] = [Text("Unfinished", style="heading")]
    for draft in drafts:
        count = draft.count()
        line = Text()
        line.append_text(shown(draft.role, "bold"))
        if draft.project:
            line.append_text(shown(f" · {draft.project}"))
        line.append_text(
            shown(
                f" · {draft.round} {draft.kind} · {count} answer{'s' if count != 1 else ''}"
                f" · started {age_text(draft.started, now)}"
            )
        )
        lines.append(Padding(line, (0, 0, 0, 2)))
        lines.append(CommandLines(resume(draft), first="    ", rest="        ", style="muted"))
    return lines


def _answers_table(note: Note, prompts: Prompts) -> Table:
    """A note's answers under their checklists' titles, each after its question as the
    note asked it (`Prompts.prompt`)."""
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column("question", style="bold", ratio=2)
    table.add_column("answer", style="answer", ratio=3)
    first_round = note.first_round
    for cid, answers in note.answers.items():
        given = [(qid, v) for qid, v in answers.items() if format_answer(v).strip()]
        if not given:
            continue
        table.add_row(shown(prompts.title(cid), "heading"), "")
        for qid, value in given:
            label = prompts.prompt(cid, str(qid), cid in first_round)
            table.add_row(shown(label), PlainText(format_answer(value)))
    return table


def _earlier_outcomes(record: Round) -> list[str]:
    """The outcomes the round had before its current one, oldest first."""
    return [change.outcome for change in record.outcomes[:-1]]


def _note_heading(kind: str, note: Note) -> str:
    """ "Prepared on 2026-11-19" (the day the prep or drill was written, which the
    round's own date, the callback's, does not say); "In the room (2026-11-20)"."""
    if kind != "In the room":
        with contextlib.suppress(ValueError):
            return f"{kind} on {dt.datetime.fromisoformat(note.created.strip()).date()}"
    return f"{kind} ({note.date or 'undated'})"


def timeline(found: Timeline, catalogue: Catalogue) -> Group:
    """A role round by round: what was prepared, then what happened in the room."""
    role, project, rounds = found.role, found.project, found.rounds
    prompts = Prompts(catalogue)
    heading = shown(role, "title")
    if project:
        heading.append_text(shown(f"  ·  {project}", "bold"))
    parts: list[RenderableType] = [heading]
    for record in rounds:
        label = f"{record.label}"
        if record.date:
            label += f" · {record.date}"
        label += f" · {record.outcome or 'pending'}"
        earlier = _earlier_outcomes(record)
        if earlier:
            label += f" (was {', '.join(earlier)})"
        parts.append(Rule(shown(label, "heading"), align="left"))
        for kind, notes in (
            ("Prepared", found.whole(record.preps)),
            ("Drilled", found.whole(record.drills)),
            ("In the room", found.whole(record.reviews)),
        ):
            for note in notes:
                parts.append(shown(_note_heading(kind, note), "bold"))
                parts.append(_answers_table(note, prompts))
                body = own_text(note.body)
                if body:
                    parts.append(
                        Panel(
                            PlainText(body),
                            title="your notes",
                            title_align="left",
                            border_style="dim",
                        )
                    )
        if not record.reviews:
            parts.append(Text("Not reviewed yet.", style="muted"))
    return Group(*parts)


def search_lines(
    hits: Iterable[tuple[NoteRow, str, str]],
    text: str,
    rest: Iterable[object] = (),
    *,
    muted: tuple[str, str] = ("", ""),
    match: tuple[str, str] = ("", ""),
) -> Iterator[str]:
    """Matches grep-style, as lines of text (each ending in a newline): where each one is,
    then the line with the match highlighted, then how many are shown; nothing at all when
    there is no match (`rest` are the matches left out by a limit: only that check looks
    at them). `muted` and `match` are the terminal codes that start and end those styles
    ("" for none). What the actor wrote is made visible (`console.visible`) piece by
    piece, so the highlight stays on the match. Long lines are left for the terminal to
    wrap, and matches are written as they come: any number prints fast."""
    start, end = match
    count = 0
    for summary, where, line in hits:
        count += 1
        pieces = []
        at = 0
        for begin, finish in search_spans(line, text):
            pieces.append(visible(line[at:begin]))
            pieces.append(start + visible(line[begin:finish]) + end)
            at = finish
        pieces.append(visible(line[at:]))
        yield f"{muted[0]}{_search_place(summary, where)}{muted[1]}\n  {''.join(pieces)}\n"
    if count or any(True for _ in rest):
        yield f"{muted[0]}{count} {'match' if count == 1 else 'matches'}{muted[1]}\n"


def search_texts(
    hits: Iterable[tuple[NoteRow, str, str]], text: str, rest: Iterable[object] = ()
) -> Iterator[RenderableType]:
    """The matches of `search_lines` for a terminal: the same lines as renderables that
    wrap between words at its width (a matched line indented under its place)."""
    pattern = re.compile(re.escape(text), re.IGNORECASE)
    count = 0
    for summary, where, line in hits:
        count += 1
        shown_line = Text()
        at = 0
        for found in pattern.finditer(line):
            shown_line.append(visible(line[at : found.start()]))
            shown_line.append(visible(found.group()), style="match")
            at = found.end()
        shown_line.append(visible(line[at:]))
        yield Text(_search_place(summary, where), style="muted")
        yield Padding(shown_line, (0, 0, 0, 2))
    if count or any(True for _ in rest):
        yield Text(f"{count} {'match' if count == 1 else 'matches'}", style="muted")


def _search_place(summary: NoteRow, where: str) -> str:
    place = summary.role + (f" ({summary.project})" if summary.project else "")
    return visible(f"{place} · {summary.round} · {summary.kind} · {where}").replace("\n", " ")


def checklist_row(checklist: Checklist) -> dict[str, str | int]:
    """A checklist as `coach checklists list` shows it (and as its JSON holds it)."""
    return {
        "id": checklist.id,
        "title": checklist.title,
        "phase": checklist.phase,
        "questions": len(checklist.questions),
        "source": "built-in" if checklist.builtin else str(checklist.source),
    }


def checklists_table(checklists: Sequence[Checklist]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("ID", no_wrap=True)
    for name in ("Title", "Phase", "Questions", "Source"):
        table.add_column(name, overflow="fold")
    for checklist in checklists:
        row = checklist_row(checklist)
        table.add_row(*(shown(row[key]) for key in ("id", "title", "phase", "questions", "source")))
    return table


def checklist_detail(checklist: Checklist) -> Group:
    """One checklist's questions: prompt, id, type and choices, and why it matters."""
    parts: list[RenderableType] = [
        shown(
            f"{checklist.title}  ({checklist.id}, {checklist.phase}, version {checklist.version})",
            "title",
        )
    ]
    if checklist.intro:
        parts.append(shown(checklist.intro, "muted"))
    for number, q in enumerate(checklist.questions, start=1):
        line = Text(f"{number}. ", style="bold")
        line.append_text(shown(q.prompt, "bold"))
        detail = q.kind.describe(q)
        if q.required:
            detail += ", required"
        line.append_text(shown(f"  [{q.id} · {detail}]", "muted"))
        parts += [Text(), line]
        if q.help:
            parts.append(shown(f"   {q.help}", "help"))
    return Group(*parts)
