"""The real questionary prompts, driven by keystrokes through prompt_toolkit's pipe input."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from callback_coach.asker import QuestionaryAsker
from callback_coach.checklist import Question
from callback_coach.workflow import Coach

from .helpers import make_checklist

ENTER, DOWN, ESC_ENTER, SPACE, CTRL_C = "\r", "\x1b[B", "\x1b\r", " ", "\x03"


@contextmanager
def keys(text: str) -> Iterator[None]:
    """Feed `text` as keystrokes, then close the pipe so a missing answer fails fast."""
    with create_pipe_input() as pipe:
        pipe.send_text(text)
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            yield


def ask(question: Question, typed: str, default=None):
    checklist = make_checklist("c")
    with keys(typed):
        return QuestionaryAsker().ask(checklist, question, default)


@pytest.mark.parametrize(
    ("question", "typed", "default", "expected"),
    [
        (Question("t", "Want?", "text"), "to win" + ENTER, None, "to win"),
        (Question("t", "Want?", "text"), ENTER, "kept default", "kept default"),
        (Question("l", "Beats?", "long_text"), "one" + ENTER + "two" + ESC_ENTER, None, "one\ntwo"),
        (Question("c", "Ready?", "confirm"), "y", False, True),
        (Question("c", "Ready?", "confirm"), ENTER, True, True),
        (
            Question("s", "Room?", "select", choices=("small", "big", "stage")),
            DOWN + ENTER,
            None,
            "big",
        ),
        (
            Question("s", "Room?", "select", choices=("small", "big", "stage")),
            ENTER,
            "stage",
            "stage",
        ),
        (
            Question("m", "Done?", "multiselect", choices=("a", "b", "c")),
            SPACE + DOWN + DOWN + SPACE + ENTER,
            None,
            ["a", "c"],
        ),
        (Question("m", "Done?", "multiselect", choices=("a", "b", "c")), ENTER, ["b"], ["b"]),
        (Question("n", "Calm?", "scale", min=1, max=10), DOWN + DOWN + ENTER, None, 3),
        (Question("n", "Calm?", "scale", min=1, max=10), DOWN + ENTER, 7, 8),
    ],
)
def test_each_question_type(question: Question, typed: str, default, expected) -> None:
    assert ask(question, typed, default) == expected


def test_required_text_refuses_an_empty_answer() -> None:
    question = Question("t", "Want?", "text", required=True)
    assert ask(question, ENTER + "to stay" + ENTER) == "to stay"


def test_ctrl_c_raises_keyboard_interrupt() -> None:
    with pytest.raises(KeyboardInterrupt):
        ask(Question("t", "Want?", "text"), "half" + CTRL_C)


def test_a_missing_answer_fails_instead_of_hanging() -> None:
    with pytest.raises(EOFError):
        ask(Question("t", "Want?", "text"), "no enter")


def test_a_whole_session_through_real_prompts(home: Path) -> None:
    coach = Coach(home)
    plan = coach.plan_prep("Nina", checklist_ids=["mindset"])
    mindset = plan.checklists[0]
    typed = []
    for q in mindset.questions:
        if q.type == "text":
            typed.append(f"typed {q.id}" + (ENTER if not q.default else ""))
            if q.default:
                # The default is pre-filled: clear it with Ctrl-U, then type.
                typed[-1] = "\x15" + f"typed {q.id}" + ENTER
        elif q.type == "long_text":
            typed.append(f"typed {q.id}" + ESC_ENTER)
        else:
            typed.append(ENTER)
    typed.append(ENTER)  # "What now?" -> Save
    with keys("".join(typed)):
        result = coach.run_session(plan, QuestionaryAsker())
    answers = result.note.answers["mindset"]
    for q in mindset.questions:
        if q.type in ("text", "long_text"):
            assert answers[q.id] == f"typed {q.id}"
    assert answers["breathing"] == mindset.question("breathing").choices[0]
    assert answers["calm"] == 1


def test_ctrl_d_on_an_empty_prompt_ends_like_ctrl_c(home: Path) -> None:
    from callback_coach import cli
    from callback_coach.errors import Interrupted

    coach = Coach(home)
    plan = coach.plan_prep("Nina", checklist_ids=["mindset"])
    first = plan.checklists[0].questions[0]
    with keys("my answer" + ENTER + "\x04"), pytest.raises(Interrupted) as info:
        cli.run_interactive(coach, plan, QuestionaryAsker())
    assert info.value.message.startswith("Stopped. Your 1 answer is kept in a draft")
    assert coach.find_draft(plan).answers == {"mindset": {first.id: "my answer"}}
