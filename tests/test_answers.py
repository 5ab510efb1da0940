"""Answer values and answers files: one set of rules for every source of answers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callback_coach.core.answers import (
    check_value,
    load_answers_text,
    parse_text_value,
    validate_answers,
)
from callback_coach.core.questions import Question
from callback_coach.errors import AnswersError

from .helpers import make_checklist

SELECT = Question(id="s", prompt="?", type="select", choices=("a", "b"))
MULTI = Question(id="m", prompt="?", type="multiselect", choices=("a", "b", "c"))
SCALE = Question(id="n", prompt="?", type="scale", min=1, max=5)
CONFIRM = Question(id="c", prompt="?", type="confirm")
TEXT = Question(id="t", prompt="?", type="text")
LONG = Question(id="l", prompt="?", type="long_text")


@pytest.mark.parametrize(
    ("question", "value"),
    [
        (TEXT, "x"),
        (LONG, "a\nb"),
        (CONFIRM, False),
        (SELECT, "b"),
        (MULTI, ["c", "a"]),
        (MULTI, []),
        (SCALE, 1),
        (SCALE, 5),
    ],
)
def test_valid_values_pass(question: Question, value) -> None:
    assert check_value(question, value) == value


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        (TEXT, 3, "expected text, got a number (3) (quote it)"),
        (TEXT, True, "expected text, got true/false (quote it)"),
        (TEXT, "two\nlines", "expected one line of text"),
        (CONFIRM, "yes", "expected true or false, got str"),
        (SELECT, "z", "'z' is not one of: a, b"),
        (MULTI, "a", "expected a list of choices, got str"),
        (MULTI, ["a", "z"], "'z' not among: a, b, c"),
        (MULTI, ["a", "a"], "a choice is listed twice"),
        (SCALE, 6, "6 is outside 1..5"),
        (SCALE, True, "expected a whole number, got true/false"),
        (SCALE, 2.5, "expected a whole number, got a number (2.5)"),
    ],
)
def test_invalid_values_say_what_is_wrong(question: Question, value, message: str) -> None:
    with pytest.raises(ValueError) as info:
        check_value(question, value)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("question", "text", "value"),
    [
        (CONFIRM, "Yes", True),
        (CONFIRM, "n", False),
        (MULTI, "a, c", ["a", "c"]),
        (SCALE, " 3 ", 3),
        (TEXT, "no", "no"),
        (SELECT, "a", "a"),
    ],
)
def test_command_line_text_is_parsed_by_type(question: Question, text: str, value) -> None:
    assert parse_text_value(question, text) == value


@given(st.integers())
def test_scale_accepts_exactly_its_range(n: int) -> None:
    if 1 <= n <= 5:
        assert check_value(SCALE, n) == n
    else:
        with pytest.raises(ValueError):
            check_value(SCALE, n)


def test_validate_lists_every_problem() -> None:
    checklist = make_checklist(
        "c",
        want={"prompt": "Want?", "type": "text", "required": True},
        calm={"prompt": "Calm?", "type": "scale", "min": 1, "max": 5},
    )
    with pytest.raises(AnswersError) as info:
        validate_answers(
            [checklist],
            {"c": {"calm": "high", "colour": "red"}, "other": {"x": 1}},
            source="a.yaml",
        )
    assert info.value.message == "4 problems with the answers"
    assert info.value.details == [
        "a.yaml: c.calm: expected a whole number, got str",
        "a.yaml: c.colour: unknown question",
        "a.yaml: unknown checklist 'other' (this session uses: c)",
        "a.yaml: c.want: required, but no answer",
    ]


def test_answers_files_in_yaml_and_json_and_note_shape() -> None:
    assert load_answers_text("mindset:\n  calm: 3\n", "a.yaml") == {"mindset": {"calm": 3}}
    assert load_answers_text('{"mindset": {"calm": 3}}', "a.json") == {"mindset": {"calm": 3}}
    note = "kind: prep\nanswers:\n  mindset:\n    calm: 3\n"
    assert load_answers_text(note, "n.yaml") == {"mindset": {"calm": 3}}
    assert load_answers_text("", "e.yaml") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mindset: [1, 2]\n", "a.yaml: answers must be a mapping of checklist id"),
        ("mindset: {calm: [\n", "a.yaml:2: invalid YAML"),
        ('{"mindset": ', "a.yaml:1: invalid JSON"),
        ("!!python/object/apply:os.system ['true']\n", "a.yaml:1: invalid YAML"),
    ],
)
def test_broken_answers_files_give_one_line(text: str, message: str) -> None:
    with pytest.raises(AnswersError) as info:
        load_answers_text(text, "a.yaml")
    assert info.value.message.startswith(message)


@given(st.text(st.sampled_from("ab .,\n\t"), max_size=40))
def test_one_line_keeps_every_word_on_one_line(text: str) -> None:
    from callback_coach.core.answers import one_line

    line = one_line(text)
    assert "\n" not in line and "\t" not in line
    assert [word.removesuffix(";") for word in line.split()] == text.split()


def test_a_line_that_ends_no_sentence_is_followed_by_a_semicolon() -> None:
    from callback_coach.core.answers import one_line

    assert one_line("The pause landed\nThey laughed.\n  And  then ") == (
        "The pause landed; They laughed. And then"
    )
