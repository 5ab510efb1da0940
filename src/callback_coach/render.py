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
