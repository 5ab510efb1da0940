"""A first round's questions are shown as they were asked: the note records that its
checklists were asked with their first-round wording (`first_prompt`), and `show` and
every export label those answers with it; later rounds and older notes keep `prompt`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.checklist_load import load_catalogue
from callback_coach.store import paths
from callback_coach.store.notes import FIRST_ROUND, read_note

runner = CliRunner()
WORKED = "the pause before the last line"


def coach(*args: str) -> str:
    # Wide enough that no table cell wraps: a prompt stays on one line.
    result = runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    return result.stdout


def what_worked():
    question = load_catalogue(paths.builtin_checklists_dir(), None).get("recall-what-worked")
    assert question is not None
    found = question.question("what-worked")
    assert found is not None and found.first_prompt
    return found


def prep(round_label: str, date: str) -> Path:
    out = coach(
        "prep", "Nina", "--project", "The Seagull", "--round", round_label, "--date", date,
        "--defaults", "--set", "refine-intention.want=to win him over",
        "--set", f"recall-what-worked.what-worked={WORKED}",
    )  # fmt: skip
    return Path(out.strip().splitlines()[-1])


def prompts_of(exported: str, fmt: str) -> list[str]:
    """The prompt of every answer to what-worked in one export."""
    if fmt in ("json", "yaml"):
        data = json.loads(exported) if fmt == "json" else yaml.safe_load(exported)
        return [
            answer["prompt"]
            for note in data["notes"]
            for checklist in note["checklists"]
            for answer in checklist["answers"]
            if answer["id"] == "what-worked"
        ]
    if fmt == "csv":
        rows = csv.DictReader(io.StringIO(exported))
        return [row["question"] for row in rows if row["question_id"] == "what-worked"]
    return [line.strip("*") for line in exported.splitlines() if "worked" in line.lower()]


def test_a_first_rounds_note_records_its_wording(home: Path) -> None:
    first = read_note(prep("callback-1", "2026-11-20"))
    assert "recall-what-worked" in first.first_round
    assert "refine-intention" not in first.first_round  # it has no first-round wording
    entries = {e["id"]: e for e in first.meta["checklists"]}
    assert entries["recall-what-worked"]["wording"] == FIRST_ROUND
    assert "wording" not in entries["refine-intention"]
    second = read_note(prep("callback-2", "2026-11-27"))
    assert second.first_round == frozenset()
    assert all("wording" not in e for e in second.meta["checklists"])


def test_show_and_every_export_label_answers_as_they_were_asked(home: Path) -> None:
    question = what_worked()
    prep("callback-1", "2026-11-20")
    prep("callback-2", "2026-11-27")
    asked = [question.first_prompt, question.prompt]  # callback-1, then callback-2
    for fmt in ("json", "yaml", "csv"):
        assert prompts_of(coach("export", "notes", "--format", fmt), fmt) == asked, fmt
    markdown = coach("export", "notes", "--format", "md")
    assert markdown.index(f"**{question.first_prompt}**") < markdown.index(f"**{question.prompt}**")
    shown = coach("show", "Nina", "--project", "The Seagull")
    assert shown.index(question.first_prompt) < shown.index(question.prompt)
    assert shown.count(WORKED) == 2
    one = json.loads(coach("show", "Nina", "--json"))
    labels = [
        answer["prompt"]
        for found in one["rounds"]
        for note in found["preps"]
        for checklist in note["checklists"]
        for answer in checklist["answers"]
        if answer["id"] == "what-worked"
    ]
    assert sorted(labels) == sorted(asked)


def test_an_older_note_without_the_record_keeps_the_later_wording(home: Path) -> None:
    path = prep("callback-1", "2026-11-20")
    text = path.read_text(encoding="utf-8")
    assert f"  wording: {FIRST_ROUND}\n" in text
    path.write_text(text.replace(f"  wording: {FIRST_ROUND}\n", ""), encoding="utf-8")
    exported = coach("export", "notes", "--format", "json")
    assert prompts_of(exported, "json") == [what_worked().prompt]
