"""Pure rendering: notes, sessions and checklists to Rich renderables and text formats."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from callback_coach.checklist import Checklist


def format_answer(value: Any) -> str:
    """An answer as a person reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


class PlainText:
    """The actor's own text for the terminal, wrapped line by line (never read as markup).

    Rich renders one Text as one string holding all its lines, then splits that string
    with repeated `str.partition`: quadratic in its length (a 4 MB body took 17 s in
    `coach show`). Yielding each wrapped line on its own keeps showing text linear.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: Any, options: Any) -> Any:
        for line in self.text.split("\n"):
            for wrapped in Text(line).wrap(console, options.max_width):
                yield from wrapped.render(console, end="\n")

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        return Text(self.text).__rich_measure__(console, options)


def session_header(kind: str, role: str, project: str, round_label: str, date: str) -> Panel:
    title = Text(role, style="title")
    if project:
        title.append(f"  ·  {project}", style="bold")
    detail = Text(f"{round_label}  ·  {kind}  ·  {date}", style="muted")
    return Panel(Group(title, detail), expand=False, border_style="magenta")


def answers_summary(checklists: list[Checklist], answers: dict[str, dict[str, Any]]) -> Group:
    """Every answer of a session, grouped by checklist, for the end-of-session review."""
    parts: list[Any] = [Text("Your answers", style="heading")]
    for checklist in checklists:
        table = Table(
            title=checklist.title,
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
            shown = format_answer(given.get(question.id))
            table.add_row(question.prompt, shown or Text("—", style="muted"))
        parts.append(table)
    return Group(*parts)


def carry_over_panel(record: Any, items: list[tuple[str, Any]]) -> Panel:
    """What the previous round left: shown before recall-what-worked."""
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column("what", style="bold", ratio=2)
    table.add_column("answer", style="answer", ratio=3)
    for prompt, value in items:
        table.add_row(prompt, format_answer(value))
    title = f"Last time: {record.round}"
    if record.date:
        title += f" · {record.date}"
    if record.outcome:
        title += f" · {record.outcome}"
    hint = Text(
        "These are offered as your answers below: keep, refine or replace them.", style="muted"
    )
    return Panel(Group(table, hint), title=title, title_align="left", border_style="cyan")


def roles_table(rows: list[Any], *, total: int | None = None) -> Any:
    from rich import box

    table = Table(
        box=box.SIMPLE_HEAD,
        expand=False,
        header_style="bold",
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("Role", ratio=1)
    table.add_column("Project", ratio=1)
    table.add_column("Rounds", justify="right", no_wrap=True, min_width=6)
    for name, width in (("Latest", 11), ("Date", 10), ("Outcome", 8), ("Next", 15)):
        table.add_column(name, no_wrap=True, min_width=width)
    for row in rows:
        action, round_label = row.next_action, row.next_round or ""
        if action == "review" and round_label == row.latest_round:
            round_label = ""  # "review" of the latest round: the Latest column says which
        table.add_row(
            row.role,
            row.project or "—",
            str(len(row.rounds)),
            row.latest_round,
            row.latest_date or "—",
            row.outcome or "pending",
            f"{action} {round_label}".strip() if action else "—",
        )
    parts: list[Any] = [table]
    if total is not None and total > len(rows):
        parts.append(
            Text(f"{len(rows)} of {total} roles shown; use --all to see every one.", style="muted")
        )
    return Group(*parts)


def _answers_table(note: Any, titles: dict[str, str], prompts: dict[str, str]) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column("question", style="bold", ratio=2)
    table.add_column("answer", style="answer", ratio=3)
    for cid, answers in note.answers.items():
        shown = [(qid, v) for qid, v in answers.items() if format_answer(v).strip()]
        if not shown:
            continue
        table.add_row(Text(titles.get(cid, cid), style="heading"), "")
        for qid, value in shown:
            table.add_row(prompts.get(f"{cid}.{qid}", qid), PlainText(format_answer(value)))
    return table


def timeline(role: str, project: str, rounds: list[Any], catalogue: Any) -> Group:
    """A role round by round: what was prepared, then what happened in the room."""
    titles = {c.id: c.title for c in catalogue.checklists}
    prompts = {f"{c.id}.{q.id}": q.prompt for c in catalogue.checklists for q in c.questions}
    heading = Text(role, style="title")
    if project:
        heading.append(f"  ·  {project}", style="bold")
    parts: list[Any] = [heading]
    for record in rounds:
        from rich.rule import Rule

        label = f"{record.round}"
        if record.date:
            label += f" · {record.date}"
        label += f" · {record.outcome or 'pending'}"
        parts.append(Rule(Text(label, style="heading"), align="left"))
        for kind, notes in (("Prepared", record.preps), ("In the room", record.reviews)):
            for note in notes:
                parts.append(Text(f"{kind} ({note.date or 'undated'})", style="bold"))
                parts.append(_answers_table(note, titles, prompts))
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


def own_text(body: str) -> str:
    """The actor's own words in a body, without the heading and hint the coach wrote."""
    from callback_coach.notes import BODY_HINT

    lines = body.strip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(line for line in lines if line.strip() != BODY_HINT).strip()


def search_results(hits: list[tuple[Any, str, str]], text: str) -> Any:
    """Matches grep-style: where each one is, then the line with the match highlighted."""
    import re

    if not hits:
        return Text(f"No matches for {text!r}.", style="muted")
    pattern = re.compile(re.escape(text), re.IGNORECASE)
    parts: list[Any] = []
    for summary, where, line in hits:
        place = summary.role + (f" ({summary.project})" if summary.project else "")
        parts.append(Text(f"{place} · {summary.round} · {summary.kind} · {where}", style="muted"))
        shown = Text("  " + line)
        for match in pattern.finditer(line):
            shown.stylize("match", match.start() + 2, match.end() + 2)
        parts.append(shown)
    noun = "match" if len(hits) == 1 else "matches"
    parts.append(Text(f"{len(hits)} {noun}", style="muted"))
    return Group(*parts)


# -- JSON (documented in the README; `format` changes only when the shape does) ----------


def json_safe(value: Any) -> Any:
    import datetime as dt

    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def note_json(note: Any) -> dict[str, Any]:
    from callback_coach.notes import NOTE_KEYS

    return {
        "file": note.path.name if note.path else None,
        "kind": note.kind,
        "date": note.date or None,
        "created": note.created or None,
        "outcome": note.outcome,
        "checklists": json_safe(note.meta.get("checklists") or []),
        "answers": json_safe(note.answers),
        "body": note.body,
        "extra": json_safe({k: v for k, v in note.meta.items() if k not in NOTE_KEYS}),
    }


def timeline_json(role: str, project: str, rounds: list[Any]) -> dict[str, Any]:
    return {
        "format": 1,
        "role": role,
        "project": project,
        "rounds": [
            {
                "round": r.round,
                "date": r.date or None,
                "outcome": r.outcome,
                "preps": [note_json(n) for n in r.preps],
                "reviews": [note_json(n) for n in r.reviews],
            }
            for r in rounds
        ],
    }


def search_json(text: str, hits: list[tuple[Any, str, str]]) -> dict[str, Any]:
    return {
        "format": 1,
        "query": text,
        "matches": [
            {
                "role": s.role,
                "project": s.project,
                "round": s.round,
                "kind": s.kind,
                "date": s.date or None,
                "file": s.file,
                "where": where,
                "line": line,
            }
            for s, where, line in hits
        ],
    }
