"""A one-line `text` answer holds no line break of any kind, from any source."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.answers import check_value, parse_text_value, validate_answers
from callback_coach.core.questions import Question
from callback_coach.errors import AnswersError, ExitCode
from callback_coach.store.notes import read_note

from .helpers import make_checklist, saved_notes

TEXT = Question(id="t", prompt="?", type="text")
LONG = Question(id="l", prompt="?", type="long_text")
# Everything str.splitlines, YAML or an editor takes as a new line.
BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
runner = CliRunner()


@pytest.mark.parametrize("brk", BREAKS)
def test_a_line_break_inside_a_one_line_answer_is_refused_everywhere(brk: str) -> None:
    value = f"first{brk}second"
    with pytest.raises(ValueError, match="expected one line of text"):
        check_value(TEXT, value)
    with pytest.raises(ValueError, match="expected one line of text"):
        parse_text_value(TEXT, value)  # --set
    checklist = make_checklist("c", t={"prompt": "?", "type": "text"})
    with pytest.raises(AnswersError) as info:
        validate_answers([checklist], {"c": {"t": value}}, source="a.yaml")  # a file
    assert info.value.details == ["a.yaml: c.t: expected one line of text"]
    assert check_value(LONG, value) == value, "a long answer keeps its lines"


@pytest.mark.parametrize("brk", BREAKS)
def test_line_breaks_around_a_one_line_answer_are_dropped(brk: str) -> None:
    assert check_value(TEXT, f"{brk}to be seen") == "to be seen"
    assert check_value(TEXT, f"to be seen{brk}") == "to be seen"
    assert check_value(TEXT, f" {brk} to be seen {brk}") == "to be seen"


def test_a_one_line_answer_without_line_breaks_is_kept_exactly() -> None:
    assert check_value(TEXT, "  spaced  ") == "  spaced  "


@given(st.text())
def test_an_accepted_one_line_answer_is_one_line_and_keeps_every_word(text: str) -> None:
    try:
        value = check_value(TEXT, text)
    except ValueError:
        assert len(text.strip().splitlines()) > 1
        return
    assert len(value.splitlines()) <= 1 and "\r" not in value and "\n" not in value
    assert value in text and value.split() == text.split()


def test_set_with_a_carriage_return_writes_nothing(home: Path) -> None:
    result = runner.invoke(app, ["prep", "Nina", "--set", "refine-intention.want=to be\rseen"])
    assert result.exit_code == ExitCode.ANSWERS_INVALID
    assert result.stderr.splitlines() == [
        "error: 1 problem with --set",
        "  --set refine-intention.want: expected one line of text",
    ]
    assert not home.exists() or saved_notes(home) == []


def test_a_leading_crlf_leaves_no_stray_line_in_the_markdown_export(home: Path) -> None:
    saved = runner.invoke(app, ["prep", "Nina", "--set", "refine-intention.want=\r\nto be seen"])
    assert saved.exit_code == 0, saved.stderr
    note = read_note(Path(saved.stdout.strip()))
    assert note.answers["refine-intention"]["want"] == "to be seen"
    exported = runner.invoke(app, ["export", "notes"])
    assert exported.exit_code == 0
    lines = exported.stdout.splitlines()
    answer_at = lines.index("> to be seen")
    assert lines[answer_at - 1] == "", "the answer's quote starts right after the question"
    assert "\r" not in exported.stdout
