"""Small builders shared by the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
import yaml

from callback_coach.core.checklist import Checklist
from callback_coach.core.questions import Question
from callback_coach.core.workflow import Coach
from callback_coach.store.notes import Note, read_note

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"


def doc(page: str) -> str:
    """The text of README.md ("README") or of a page of docs/ ("scripting")."""
    path = README if page == "README" else DOCS / f"{page}.md"
    return path.read_text(encoding="utf-8")


def doc_section(page: str, heading: str) -> str:
    """The part of a page under the heading `heading` (e.g. "## JSON output"), up to the
    next heading of its level or above (a `#` line inside a code block is no heading)."""
    lines = doc(page).splitlines(keepends=True)
    assert heading + "\n" in lines, f"{page} has no {heading!r}"
    level = len(heading.split(" ", 1)[0])
    found: list[str] = []
    fenced = False
    for line in lines[lines.index(heading + "\n") + 1 :]:
        if line.startswith("```"):
            fenced = not fenced
        marks = len(line) - len(line.lstrip("#"))
        if not fenced and 0 < marks <= level and line[marks : marks + 1] == " ":
            break
        found.append(line)
    return "".join(found)


def write_checklist(folder: Path, name: str, data: dict[str, Any] | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def make_checklist(
    cid: str = "tiny", phase: str = "prep", **questions: dict[str, Any]
) -> Checklist:
    qs = tuple(Question(id=qid, **spec) for qid, spec in questions.items())
    return Checklist(id=cid, title=cid.title(), phase=phase, version=1, questions=qs)


def full_answers(checklists: list[Checklist]) -> dict[str, dict[str, Any]]:
    """A valid, distinctive answer for every question of every checklist."""
    out: dict[str, dict[str, Any]] = {}
    for c in checklists:
        values: dict[str, Any] = {}
        for q in c.questions:
            if q.type in ("text", "long_text"):
                values[q.id] = f"answer to {c.id}.{q.id}"
            elif q.type == "confirm":
                values[q.id] = True
            elif q.type == "select":
                values[q.id] = q.choices[-1]
            elif q.type == "multiselect":
                values[q.id] = list(q.choices[:2])
            elif q.type == "scale":
                values[q.id] = q.max
        out[c.id] = values
    return out


REVIEW = {
    "after-the-room": {
        "who-was-there": "Anna (casting), the director",
        "direction": "Less pleading,\nmore pride",
        "what-worked": "The pause before the last line",
        "wardrobe": "Blue dress, hair down",
        "one-thing": "Breathe before the exit",
    }
}


def prep(coach: Coach, role: str = "Nina", **kwargs) -> Path:
    plan = coach.plan_prep(role, **kwargs)
    return coach.save_answers(plan, {"refine-intention": {"want": "to be seen"}}).path


def review(coach: Coach, role: str = "Nina", answers=None, **kwargs) -> Path:
    plan = coach.plan_review(role, **kwargs)
    return coach.save_answers(plan, answers or REVIEW).path


def saved_notes(home: Path) -> list[Note]:
    """Every note file in a home, read directly (sorted by file name)."""
    folder = home / "notes"
    if not folder.is_dir():
        return []
    return [read_note(p) for p in sorted(folder.glob("*.md"))]


def uninert(cell: str) -> str:
    """The text `exports.inert` was given (a spreadsheet user removes one apostrophe)."""
    return cell[1:] if cell.startswith("'") else cell


def subcommands(command: Any) -> dict[str, Any]:
    """A command's subcommands by name, found as Click finds them (`coach` itself keeps
    none built: it loads each one's module when asked for it); {} for a plain command."""
    if not hasattr(command, "list_commands"):
        return {}
    ctx = typer.Context(command)
    return {name: command.get_command(ctx, name) for name in command.list_commands(ctx)}
