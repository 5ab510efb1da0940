"""Question types: one class each, holding all that type does; a new type is one class.

Each built-in type is checked through every behaviour it owns (reading its keys of a
checklist file, checking an answer, reading one typed on the command line, asking it
through the terminal's kinds of prompt, describing itself, its worksheet cell, its time),
and a type made in the test is registered to show that nothing else has to change for a
new one: checklists accept it, answers files are checked by it, the estimate counts it,
the worksheet prints it, and a scripted session asks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import pytest

from callback_coach.core import questions
from callback_coach.core.answers import check_value, parse_text_value
from callback_coach.core.checklist_load import parse_checklist_text
from callback_coach.core.prep_paths import estimate
from callback_coach.core.questions import TYPES, Prompts, Question, QuestionType
from callback_coach.errors import ChecklistError
from callback_coach.exports.as_markdown import checklist_markdown


class RecordingPrompts:
    """The terminal's kinds of prompt, answering from a script and noting each call."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.calls: list[tuple[str, Any]] = []

    def text(self, question: Question, default: str | None, *, multiline: bool) -> Any:
        self.calls.append(("text", (default, multiline)))
        return self.answer

    def confirm(self, question: Question, default: bool | None) -> Any:
        self.calls.append(("confirm", default))
        return self.answer

    def select(self, question: Question, options: Sequence[tuple[Any, str]], default: Any) -> Any:
        self.calls.append(("select", (list(options), default)))
        return self.answer

    def checkbox(self, question: Question, options: Sequence[str], ticked: Sequence[str]) -> Any:
        self.calls.append(("checkbox", (list(options), list(ticked))))
        return self.answer

    def number(self, question: Question, low: int, high: int, default: int | None) -> Any:
        self.calls.append(("number", (low, high, default)))
        return self.answer


SELECT = Question("mood", "Mood?", type="select", choices=("calm", "ready"))
TICKS = Question("bring", "Bring?", type="multiselect", choices=("headshot", "sides"))
SCALE = Question("calm", "Calm?", type="scale", min=1, max=5)


@pytest.mark.parametrize(
    ("question", "default", "prompt", "shown"),
    [
        (Question("want", "Want?"), "to win", ("text", ("to win", False)), "text"),
        (Question("beats", "Beats?", type="long_text"), None, ("text", (None, True)), "long_text"),
        (Question("done", "Done?", type="confirm"), None, ("confirm", None), "confirm"),
        (SELECT, "ready", ("select", ([("calm", "calm"), ("ready", "ready")], "ready")),
         "select: calm / ready"),
        (SELECT, "other", ("select", ([("calm", "calm"), ("ready", "ready")], None)),
         "select: calm / ready"),
        (TICKS, ["sides", "nope"], ("checkbox", (["headshot", "sides"], ["sides"])),
         "multiselect: headshot / sides"),
        (SCALE, 9, ("number", (1, 5, None)), "scale 1–5"),
        (SCALE, 4, ("number", (1, 5, 4)), "scale 1–5"),
    ],
)  # fmt: skip
def test_each_type_asks_through_its_kind_of_prompt(question, default, prompt, shown) -> None:
    prompts = RecordingPrompts("x")
    assert question.kind.ask(prompts, question, default) == "x"
    assert prompts.calls == [prompt]
    assert question.kind.describe(question) == shown


@pytest.mark.parametrize(
    ("question", "text", "value"),
    [
        (Question("want", "Want?"), "to win", "to win"),
        (Question("done", "Done?", type="confirm"), "Yes", True),
        (Question("done", "Done?", type="confirm"), "off", False),
        (SELECT, "calm", "calm"),
        (TICKS, "sides, headshot", ["sides", "headshot"]),
        (SCALE, " 3 ", 3),
    ],
)
def test_each_type_reads_an_answer_typed_on_the_command_line(question, text, value) -> None:
    assert parse_text_value(question, text) == value
    assert check_value(question, value) == value


@pytest.mark.parametrize(
    ("question", "value"),
    [
        (Question("want", "Want?"), "two\nlines"),
        (Question("want", "Want?"), 3),
        (Question("done", "Done?", type="confirm"), "yes"),
        (SELECT, "angry"),
        (TICKS, ["sides", "sides"]),
        (TICKS, "sides"),
        (SCALE, 6),
        (SCALE, True),
    ],
)
def test_each_type_refuses_what_is_not_its_answer(question, value) -> None:
    with pytest.raises(ValueError):
        check_value(question, value)


def test_each_type_has_a_worksheet_cell() -> None:
    cells = {name: kind.worksheet(Question("q", "Q?", type=name, choices=("a", "b"), min=0,
                                           max=2), str) for name, kind in TYPES.items()}  # fmt: skip
    assert cells["confirm"] == ["- [ ] yes", "- [ ] no", ""]
    assert cells["select"] == ["- ( ) a", "- ( ) b", ""]
    assert cells["multiselect"] == ["- [ ] a", "- [ ] b", ""]
    assert cells["scale"] == ["( ) 0  ( ) 1  ( ) 2", ""]
    assert cells["long_text"].count("_" * 60) == 4 and cells["text"].count("_" * 60) == 1


def test_a_type_s_keys_belong_to_it_alone() -> None:
    with pytest.raises(ChecklistError) as info:
        parse_checklist_text(
            "id: c\ntitle: C\nphase: prep\nversion: 1\nquestions:\n"
            "  - {id: a, prompt: A?, type: text, choices: [x]}\n"
            "  - {id: b, prompt: B?, type: select}\n"
            "  - {id: d, prompt: D?, type: scale, min: 5, max: 1}\n"
            "  - {id: e, prompt: E?, type: confirm, max: 3}\n",
            "c.yaml",
        )
    messages = [p.message for p in info.value.problems]
    assert messages == [
        "question 'a': 'choices' only goes with select or multiselect",
        "question 'b': type select needs a non-empty 'choices' list",
        "question 'd': 'min' must be less than 'max'",
        "question 'e': 'max' only goes with type scale",
    ]


class Minutes(QuestionType):
    """A type made here: a number of minutes, typed as `15` or `15 min`."""

    name = "minutes"
    seconds = 12
    typed: ClassVar[bool] = True

    def check(self, question: Question, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 600:
            raise ValueError("expected minutes from 0 to 600")
        return value

    def from_text(self, question: Question, text: str) -> Any:
        return self.check(question, int(text.strip().removesuffix("min").strip()))

    def ask(self, prompts: Prompts, question: Question, default: Any) -> Any:
        typed = prompts.text(question, None if default is None else str(default), multiline=False)
        return None if typed in (None, "") else self.from_text(question, typed)

    def worksheet(self, question: Question, inline: Any) -> list[str]:
        return ["____ minutes", ""]


def test_a_new_type_is_one_class(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setitem(questions.TYPES, "minutes", Minutes())
    checklist = parse_checklist_text(
        "id: warm-up\ntitle: Warm-up\nphase: prep\nversion: 1\nquestions:\n"
        "  - {id: length, prompt: How long will you warm up?, type: minutes, default: 15}\n",
        "warm-up.yaml",
    )
    (question,) = checklist.questions
    assert question.default == 15 and question.kind.name == "minutes"
    assert parse_text_value(question, "20 min") == 20
    with pytest.raises(ValueError, match="from 0 to 600"):
        check_value(question, 900)
    assert estimate([question]).minutes == 1
    assert "____ minutes" in checklist_markdown(checklist)
    prompts = RecordingPrompts("25")
    assert question.kind.ask(prompts, question, 15) == 25
    assert prompts.calls == [("text", ("15", False))]


def test_a_long_answer_loses_only_the_line_break_after_its_last_line() -> None:
    """Enter after the last line, then Esc Enter to finish: the break is not text."""
    beats = Question("beats", "Beats?", type="long_text")
    assert check_value(beats, "First beat\n\n  second beat\n") == "First beat\n\n  second beat"
    assert check_value(beats, "First beat\r\n") == "First beat"
    assert check_value(beats, "  indented, as typed") == "  indented, as typed"
