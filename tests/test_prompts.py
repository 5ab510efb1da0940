"""The real questionary prompts, driven by keystrokes through prompt_toolkit's pipe input."""

from __future__ import annotations

import dataclasses
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.plain_text import PlainTextOutput

from callback_coach.cli.asker import QuestionaryAsker, hint_lines
from callback_coach.cli.prompt_keys import TypedNumber
from callback_coach.core.questions import Question
from callback_coach.core.session import condition_holds
from callback_coach.core.workflow import Coach
from callback_coach.store import paths

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


class RecordedOutput(PlainTextOutput):
    """What a prompt draws, as plain text (no escape sequences)."""

    def __init__(self) -> None:
        self.recorded = io.StringIO()
        super().__init__(self.recorded)

    @property
    def text(self) -> str:
        return self.recorded.getvalue()


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
            DOWN + DOWN + ENTER,  # (an optional select opens on "(leave it blank)")
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
        (Question("n", "Calm?", "scale", min=1, max=10), DOWN + DOWN + ENTER, None, 2),
        (Question("n", "Calm?", "scale", min=1, max=10, required=True), DOWN + ENTER, None, 2),
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


def test_a_whole_session_through_real_prompts(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every key is typed ahead here, as if the actor read each question first: an Enter
    # after a "y" is the next answer, not the habit the asker drops.
    monkeypatch.setattr("callback_coach.cli.asker.HABIT_ENTER_SECONDS", -1.0)
    coach = Coach(home)
    plan = coach.plan_prep("Nina", checklist_ids=["mindset"], date="2026-11-24")
    mindset = plan.checklists[0]
    typed = []
    chosen: dict[str, dict[str, object]] = {}
    asked = [
        (c, q)
        for c in plan.checklists  # mindset, then the closing check's question about it
        for q in c.questions
        if condition_holds(q.when, chosen, {})
        and not (c.closing and q.revisit not in ("mindset", None))
    ]
    for c, q in asked:
        if q.type == "select":
            chosen.setdefault(c.id, {})[q.id] = q.choices[0]  # (↓ from "leave it blank")
    for _, q in asked:
        if q.type == "confirm":
            typed.append("y")
        elif q.type == "text":
            typed.append(f"typed {q.id}" + (ENTER if not q.default else ""))
            if q.default:
                # The default is pre-filled: clear it with Ctrl-U, then type.
                typed[-1] = "\x15" + f"typed {q.id}" + ENTER
        elif q.type == "long_text":
            typed.append(f"typed {q.id}" + ESC_ENTER)
        elif q.type == "scale":
            typed.append("3")
        else:
            typed.append(DOWN + ENTER)
    typed.append(ENTER)  # "What now?" -> Save
    with keys("".join(typed)):
        result = coach.run_session(plan, QuestionaryAsker())
    answers = result.note.answers["mindset"]
    for c, q in asked:
        if c.id == "mindset" and q.type in ("text", "long_text"):
            assert answers[q.id] == f"typed {q.id}"
    assert "breathing-own" not in answers, "asked only for your own routine"
    assert answers["breathing"] == mindset.question("breathing").choices[0]
    assert answers["calm"] == 3


def test_ctrl_d_on_an_empty_prompt_ends_like_ctrl_c(home: Path) -> None:
    from callback_coach.cli import session_run
    from callback_coach.errors import Interrupted

    coach = Coach(home)
    plan = coach.plan_prep("Nina", checklist_ids=["mindset"])
    first = plan.checklists[0].questions[0]
    with keys("my answer" + ENTER + "\x04"), pytest.raises(Interrupted) as info:
        session_run.run_interactive(coach, plan, QuestionaryAsker())
    assert info.value.message.startswith("Stopped. Your 1 answer is kept in a draft")
    assert coach.find_draft(plan).answers == {"mindset": {first.id: "my answer"}}


# -- prompts that suit fingers ---------------------------------------------------------

CTRL_O, CTRL_X_CTRL_E = "\x0f", "\x18\x05"
SCALE_1_10 = Question("n", "Calm?", "scale", min=1, max=10)


@pytest.mark.parametrize(
    ("question", "typed", "default", "expected"),
    [
        (SCALE_1_10, "4", None, 4),  # answered at once: no Enter, the pipe then closes
        (SCALE_1_10, "7", 3, 7),
        (SCALE_1_10, "10", None, 10),
        (SCALE_1_10, "1" + ENTER, None, 1),  # 1 could start 10: Enter says it is 1
        (SCALE_1_10, "1" + DOWN + ENTER, None, 2),  # the arrows still move from there
        (SCALE_1_10, "0" + ENTER, 5, 5),  # no number starts with 0: ignored
        (Question("n", "Calm?", "scale", min=1, max=5), "9" + "3", None, 3),
        (Question("n", "Calm?", "scale", min=0, max=10), "0", None, 0),
        (Question("n", "Calm?", "scale", min=0, max=10), "1" + "0", None, 10),
        (Question("n", "Calm?", "scale", min=10, max=20), "15", None, 15),
        (Question("n", "Calm?", "scale", min=10, max=20), "1" + ENTER, None, 10),
    ],
)
def test_a_scale_takes_a_typed_number(question: Question, typed: str, default, expected) -> None:
    assert ask(question, typed, default) == expected


def test_the_scale_says_a_number_can_be_typed() -> None:
    with create_pipe_input() as pipe:
        pipe.send_text("3")
        pipe.close()
        out = RecordedOutput()
        with create_app_session(input=pipe, output=out):
            assert QuestionaryAsker().ask(make_checklist("c"), SCALE_1_10, None) == 3
    assert "(1 = least, 10 = most; type the number or use ↑↓)" in out.text


def test_a_scale_whose_question_names_its_ends_does_not_name_them_again() -> None:
    named = dataclasses.replace(
        SCALE_1_10, prompt="How settled are you? (1 = not at all, 10 = fully)"
    )
    with create_pipe_input() as pipe:
        pipe.send_text("3")
        pipe.close()
        out = RecordedOutput()
        with create_app_session(input=pipe, output=out):
            assert QuestionaryAsker().ask(make_checklist("c"), named, None) == 3
    assert "(type the number or use ↑↓)" in out.text
    assert "= least" not in out.text


@pytest.mark.parametrize(
    ("typed", "default", "expected"),
    [
        ("one" + ENTER + "two" + ENTER + ENTER, None, "one\ntwo"),
        ("one" + ENTER + ENTER, None, "one"),
        ("one" + ENTER + "   " + ENTER, None, "one"),  # a line of spaces is empty too
        ("one" + ENTER + "two" + ESC_ENTER, None, "one\ntwo"),  # Esc then Enter still ends it
        (ENTER, None, ""),  # an empty answer, to skip
        (ENTER + ENTER, "kept\ndefault", "kept\ndefault"),
        (" more" + ENTER + ENTER, "kept", "kept more"),
    ],
)
def test_a_long_answer_ends_with_enter_on_an_empty_line(typed: str, default, expected) -> None:
    assert ask(Question("l", "Beats?", "long_text"), typed, default) == expected


def test_enter_on_an_empty_line_before_the_end_is_a_new_line() -> None:
    up, end = "\x1b[A", "\x1b[F"
    # Back up to the end of "one", Enter twice: two new lines, the answer goes on.
    typed = "one" + ENTER + "two" + up + end + ENTER + ENTER + ESC_ENTER
    assert ask(Question("l", "Beats?", "long_text"), typed, None) == "one\n\n\ntwo"


def test_a_required_long_answer_is_not_ended_empty() -> None:
    question = Question("l", "Beats?", "long_text", required=True)
    assert ask(question, ENTER + "now" + ENTER + ENTER) == "now"


def test_a_long_answer_starts_next_to_the_marker(capsys: pytest.CaptureFixture[str]) -> None:
    with create_pipe_input() as pipe:
        pipe.send_text("first" + ENTER + "second" + ENTER + ENTER)
        pipe.close()
        out = RecordedOutput()
        with create_app_session(input=pipe, output=out):
            answer = QuestionaryAsker().ask(
                make_checklist("c"), Question("l", "Beats?", "long_text"), None
            )
    assert answer == "first\nsecond"
    assert "›  first" in out.text, "typing starts on the marker's line"
    assert "Finish with" not in out.text and ">" not in out.text
    hint = " ".join(capsys.readouterr().err.split())
    assert "Enter on an empty line finishes (or Esc then Enter)" in hint
    assert "leave it empty to skip" in hint
    assert "Ctrl-X Ctrl-E opens your editor" in hint


def test_required_sits_one_space_after_the_question(capsys: pytest.CaptureFixture[str]) -> None:
    assert ask(Question("t", "Want?", "text", required=True), "to win" + ENTER) == "to win"
    assert "? Want? (required)" in capsys.readouterr().err.splitlines()


WORKED_IN = Question("m", "Worked in?", "multiselect", choices=("film", "TV", "stage"))


@pytest.mark.parametrize(
    ("typed", "answer", "echo"),
    [
        (SPACE + DOWN + SPACE + ENTER, ["film", "TV"], "›  film, TV"),
        (DOWN + SPACE + ENTER, ["TV"], "›  TV"),
        (ENTER, [], "›  none picked"),
    ],
)
def test_a_multiselect_answer_reads_as_the_actor_would_write_it(
    typed: str, answer: list[str], echo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # questionary's own echo was "[TV]", or "done (2 selections)" for two.
    with create_pipe_input() as pipe:
        pipe.send_text(typed)
        pipe.close()
        out = RecordedOutput()
        with create_app_session(input=pipe, output=out):
            assert QuestionaryAsker().ask(make_checklist("c"), WORKED_IN, None) == answer
    lines = [line.rstrip() for line in capsys.readouterr().err.splitlines()]
    assert lines[-1] == f"  {echo}", "the echo comes right after the choices"
    assert "[" not in out.text and "done (" not in out.text and "selections" not in out.text


def test_a_multiselect_echo_goes_through_the_sanitiser(capsys: pytest.CaptureFixture[str]) -> None:
    question = Question("m", "Worked in?", "multiselect", choices=("film", "T\x1b[2JV"))
    assert ask(question, DOWN + SPACE + ENTER) == ["T\x1b[2JV"]
    said = capsys.readouterr().err
    assert "›  T\\x1b[2JV" in said and "\x1b" not in said


def test_a_stopped_multiselect_echoes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(KeyboardInterrupt):
        ask(WORKED_IN, SPACE + CTRL_C)
    assert "›" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("y", True), ("n", False), (ENTER + "n", False), (ENTER + ENTER + "y", True)],
)
def test_a_confirm_without_default_waits_for_y_or_n(
    typed: str, expected: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    question = Question("c", "Ready?", "confirm")
    with create_pipe_input() as pipe:
        pipe.send_text(typed)
        out = RecordedOutput()
        with create_app_session(input=pipe, output=out):
            assert QuestionaryAsker().ask(make_checklist("c"), question, None) is expected
    assert "(y/n)" in out.text and "(y/N)" not in out.text
    said = capsys.readouterr().err
    assert said.count("Type y for yes or n for no.") == min(typed.count(ENTER), 1)  # once


def test_enter_alone_does_not_answer_a_confirm_without_default() -> None:
    with pytest.raises(EOFError):
        ask(Question("c", "Ready?", "confirm"), ENTER, None)


@pytest.mark.parametrize(("default", "shown"), [(True, "(Y/n)"), (False, "(y/N)")])
def test_a_confirm_with_a_default_answers_it_on_enter(default: bool, shown: str) -> None:
    with create_pipe_input() as pipe:
        pipe.send_text(ENTER)
        pipe.close()
        out = RecordedOutput()
        with create_app_session(input=pipe, output=out):
            question = Question("c", "Ready?", "confirm", default=default)
            assert QuestionaryAsker().ask(make_checklist("c"), question, default) is default
    assert shown in out.text


# -- the reference (Ctrl-O) and the editor (Ctrl-X Ctrl-E) -------------------------------
# These keys run something above the prompt in the background, so the pipe stays open
# (a closed pipe ends the prompt as soon as the keys sent so far are read); the suite's
# timeout still stops a prompt that would wait for ever.


@contextmanager
def open_keys(text: str) -> Iterator[None]:
    with create_pipe_input() as pipe:
        pipe.send_text(text)
        with create_app_session(input=pipe, output=DummyOutput()):
            yield


PANEL = "Last time: more playful, less tragic"


@pytest.mark.parametrize(
    ("question", "typed", "expected"),
    [
        (Question("t", "Want?", "text"), "half" + CTRL_O + " more" + ENTER, "half more"),
        (Question("l", "Beats?", "long_text"), "a" + ENTER + "b" + CTRL_O + ENTER + ENTER, "a\nb"),
        (
            Question("s", "Room?", "select", choices=("small", "big")),
            DOWN + CTRL_O + ENTER,
            "small",
        ),
        (Question("m", "Done?", "multiselect", choices=("a", "b")), SPACE + CTRL_O + ENTER, ["a"]),
        (SCALE_1_10, "1" + CTRL_O + ENTER, 1),
        (Question("c", "Ready?", "confirm"), CTRL_O + "y", True),
    ],
)
def test_ctrl_o_shows_the_reference_and_keeps_what_was_typed(
    question: Question, typed: str, expected, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_keys(typed):
        asker = QuestionaryAsker()
        asker.reference(PANEL, "last round")
        capsys.readouterr()
        assert asker.ask(make_checklist("c"), question, None) == expected
    shown = capsys.readouterr().err
    assert "Ctrl-O shows last round" in " ".join(shown.split())
    assert shown.count(PANEL) == 1, "shown once, when the key was pressed"


def test_ctrl_o_works_at_a_menu_too(capsys: pytest.CaptureFixture[str]) -> None:
    with open_keys(CTRL_O + DOWN + ENTER):
        asker = QuestionaryAsker()
        asker.reference(PANEL, "last round")
        assert asker.choose("What now?", [("save", "Save"), ("change", "Change")]) == "change"
    assert PANEL in capsys.readouterr().err


def test_without_a_reference_ctrl_o_does_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    # prompt_toolkit alone would take Ctrl-O as Enter and answer "half".
    assert ask(Question("t", "Want?", "text"), "half" + CTRL_O + " more" + ENTER) == "half more"
    assert "Ctrl-O" not in capsys.readouterr().err


def fake_editor(tmp_path: Path, body: str) -> Path:
    """A small editor: a shell script run on the file, as `$EDITOR FILE`."""
    script = tmp_path / "fake-editor"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o700)
    return script


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def use(body: str) -> Path:
        script = fake_editor(tmp_path, body)
        monkeypatch.delenv("VISUAL", raising=False)
        monkeypatch.setenv("EDITOR", str(script))
        return script

    return use


POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="POSIX shell scripts as editors")


@POSIX_ONLY
@pytest.mark.parametrize(
    ("question", "typed", "expected"),
    [
        (Question("l", "Beats?", "long_text"), "draft" + CTRL_X_CTRL_E + ESC_ENTER, "draft\nadded"),
        (
            Question("l", "Beats?", "long_text"),
            "draft" + CTRL_X_CTRL_E + ENTER + ENTER,
            "draft\nadded",
        ),
        (Question("t", "Want?", "text"), CTRL_X_CTRL_E + ENTER, "added"),
    ],
)
def test_ctrl_x_ctrl_e_edits_the_answer_in_the_editor(
    question: Question, typed: str, expected: str, editor, tmp_path: Path
) -> None:
    seen = tmp_path / "seen"
    editor(f'cp "$1" {seen}; ls -l "$1" > {seen}.ls; printf "added\\n" >> "$1"\n')
    with open_keys(typed):
        assert QuestionaryAsker().ask(make_checklist("c"), question, None) == expected
    assert seen.read_text(encoding="utf-8") == ("draft\n" if "draft" in typed else "")
    mode, *_, name = seen.with_suffix(".ls").read_text(encoding="utf-8").split()
    assert mode == "-rw-------", "a private file"
    temp = Path(name)
    assert temp.parent == paths.cache_dir(), "in the coach's cache folder"
    assert not temp.exists(), "removed once read back"


@POSIX_ONLY
def test_the_editor_s_lines_make_one_line_in_a_one_line_answer(editor) -> None:
    editor('printf "  to win\\n\\nher back  \\n" >> "$1"\n')
    with open_keys("I want" + CTRL_X_CTRL_E + ENTER):
        answer = QuestionaryAsker().ask(make_checklist("c"), Question("t", "Want?", "text"), None)
    assert answer == "I want to win her back"


@POSIX_ONLY
def test_a_failing_editor_leaves_the_text_as_it_was(
    editor, capsys: pytest.CaptureFixture[str]
) -> None:
    editor('printf "lost\\n" > "$1"; exit 3\n')
    typed = "my words" + CTRL_X_CTRL_E + ENTER
    with open_keys(typed):
        assert QuestionaryAsker().ask(
            make_checklist("c"), Question("t", "Want?", "text"), None
        ) == ("my words")
    said = " ".join(capsys.readouterr().err.split())
    assert "ended with an error (exit 3); your text is as it was." in said


# -- Enter out of habit, after a key that answered by itself ------------------------------

WANT = Question("t", "Want?", "text")


class StoppedClock:
    """`time` as the asker sees it, with the clock stopped: a key typed ahead comes at
    once after the answer before it, however long the machine takes to draw the next
    prompt (on a loaded machine that took longer than the habit's window)."""

    @staticmethod
    def monotonic() -> float:
        return 1000.0


@pytest.fixture(autouse=False)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("callback_coach.cli.asker.time", StoppedClock)


def ask_in_turn(typed: str, *questions: Question) -> list[object]:
    """Ask `questions` one after another through one asker, the keys typed ahead."""
    checklist = make_checklist("c")
    with keys(typed):
        asker = QuestionaryAsker()
        return [asker.ask(checklist, question, None) for question in questions]


@pytest.mark.parametrize(
    ("first", "typed", "expected"),
    [
        (SCALE_1_10, "4", 4),
        (Question("c", "Ready?", "confirm"), "y", True),
        (Question("c", "Ready?", "confirm", default=True), "n", False),
    ],
)
def test_an_enter_right_after_a_one_key_answer_is_not_the_next_answer(
    first: Question, typed: str, expected: object, stopped_clock: None
) -> None:
    # Without the drop, the Enter answered the next question empty at once.
    assert ask_in_turn(typed + ENTER + "to win" + ENTER, first, WANT) == [expected, "to win"]


def test_an_enter_that_answered_is_not_dropped_from_the_next_question(stopped_clock: None) -> None:
    # "1" could start 10: Enter answers 1, and the next Enter is the next answer.
    assert ask_in_turn("1" + ENTER + ENTER, SCALE_1_10, Question("t", "Want?", "text")) == [1, ""]
    assert ask_in_turn(DOWN + ENTER + ENTER, SCALE_1_10, WANT) == [1, ""]


def test_only_the_first_key_of_the_next_prompt_is_dropped(
    monkeypatch: pytest.MonkeyPatch, stopped_clock: None
) -> None:
    assert ask_in_turn("4" + "a" + ENTER, SCALE_1_10, WANT) == [4, "a"]
    assert ask_in_turn("4" + ENTER + ENTER, SCALE_1_10, WANT) == [4, ""]
    monkeypatch.setattr("callback_coach.cli.asker.HABIT_ENTER_SECONDS", -1.0)
    assert ask_in_turn("4" + ENTER, SCALE_1_10, WANT) == [4, ""], "late: meant as the answer"


# -- digits at a scale: the rule alone, on every scale the checklist format allows --------


@given(
    bounds=st.tuples(st.integers(0, 150), st.integers(1, 100)).map(lambda t: (t[0], t[0] + t[1])),
    data=st.data(),
)
def test_typing_a_number_points_at_it_and_answers_once_it_is_unambiguous(bounds, data) -> None:
    low, high = bounds
    number = data.draw(st.integers(low, high))
    typed = TypedNumber(low, high)
    digits = str(number)
    for i, digit in enumerate(digits):
        value, final = typed.press(digit, now=float(i) * 0.1)
        assert not final or i == len(digits) - 1, "never answered before the last digit"
    assert value == number
    longer = any(str(n).startswith(digits) and n != number for n in range(low, high + 1))
    assert final is not longer, "answered at once unless a longer number could follow"


@given(st.integers(1, 9))
def test_after_a_pause_a_digit_starts_a_new_number(first: int) -> None:
    typed = TypedNumber(1, 10, pause=1.0)
    typed.press("1", now=0.0)
    assert typed.press(str(first % 10), now=5.0) == (first, first != 1)
    typed = TypedNumber(0, 10, pause=1.0)
    typed.press("1", now=0.0)
    assert typed.press("0", now=1.5) == (0, True), "late: 0 alone, not 10"


def test_a_digit_no_number_starts_with_is_ignored() -> None:
    typed = TypedNumber(1, 5)
    assert typed.press("7", now=0.0) == (None, False)
    assert typed.press("0", now=0.1) == (None, False)
    assert typed.press("2", now=0.2) == (2, True)


# -- the hint line ----------------------------------------------------------------------


@given(
    st.lists(st.text(st.sampled_from("ab -"), min_size=1, max_size=30), min_size=1, max_size=6),
    st.integers(12, 60),
)
def test_a_hint_never_breaks_a_part_across_lines(parts: list[str], width: int) -> None:
    lines = hint_lines(parts, width)
    assert all(len(line) <= width for line in lines)
    fitting = [p for p in parts if len(p) <= width]
    if len(fitting) == len(parts):
        assert " · ".join(lines) == " · ".join(parts), "every part whole, in order"


def test_the_hint_wraps_between_parts(capsys: pytest.CaptureFixture[str]) -> None:
    with keys(ENTER):
        asker = QuestionaryAsker()
        asker.reference("panel", "last round")
        asker.ask(make_checklist("c"), Question("l", "Beats?", "long_text"), None)
    lines = [line.strip() for line in capsys.readouterr().err.splitlines()]
    assert "Ctrl-X Ctrl-E opens your editor · Ctrl-O shows last round" in lines


def test_ctrl_c_in_a_long_answer_hands_back_the_lines_typed_so_far() -> None:
    from callback_coach.core.asking import Unfinished

    long = Question("q", "Why?", "long_text")
    with pytest.raises(Unfinished) as info:
        ask(long, "line one" + ENTER + "line two" + ENTER + CTRL_C)
    assert info.value.text == "line one\nline two"
    with pytest.raises(Unfinished) as info:
        ask(Question("w", "Want?", "text"), "to be" + CTRL_C, default=None)
    assert info.value.text == "to be"
    # Nothing typed, or only the answer offered: a plain stop, nothing to keep.
    for typed, default in ((CTRL_C, None), (CTRL_C, "offered\nlines"), ("  " + CTRL_C, None)):
        with pytest.raises(KeyboardInterrupt) as stop:
            ask(long, typed, default=default)
        assert not isinstance(stop.value, Unfinished)


@pytest.mark.parametrize(("default", "said"), [("tomorrow", True), (None, False), ("", False)])
def test_an_offered_one_line_answer_says_how_to_clear_it(
    capsys: pytest.CaptureFixture[str], default: str | None, said: bool
) -> None:
    # The offered answer is typed in already: "wed" after "tomorrow" is "tomorrowwed".
    assert ask(Question("t", "When?", "text"), "\x15wed" + ENTER, default) == "wed"
    hint = " ".join(capsys.readouterr().err.split())
    assert ("Ctrl-U clears what is offered" in hint) is said


# -- a scale or select that may be skipped, with nothing offered: Enter leaves it blank --

SETTLED = Question("n", "How settled do you feel?", "scale", min=1, max=10)
ROOM = Question("s", "Room?", "select", choices=("small", "big"))


@pytest.mark.parametrize(
    ("question", "typed", "default", "expected"),
    [
        (SETTLED, ENTER, None, None),  # a stray Enter: blank, not the lowest score
        (ROOM, ENTER, None, None),  # ... not the first choice
        (SETTLED, "4", None, 4),  # a digit still answers at once
        (SETTLED, DOWN + ENTER, None, 1),  # the arrows move from the blank entry
        (SETTLED, ENTER, 6, 6),  # an answer offered: Enter keeps it, as before
        (ROOM, ENTER, "big", "big"),
        (ROOM, "\x1b[A\x1b[A" + ENTER, "big", None),  # an answer offered can be cleared
        (SETTLED, "\x1b[A" * 6 + ENTER, 6, None),
        (replace(SETTLED, required=True), ENTER, None, 1),  # required: unchanged
        (replace(ROOM, required=True), ENTER, None, "small"),
    ],
)
def test_an_optional_menu_without_an_answer_opens_on_leave_it_blank(
    question: Question, typed: str, default, expected
) -> None:
    assert ask(question, typed, default) == expected


def test_the_blank_entry_is_shown_first() -> None:
    with create_pipe_input() as pipe:
        pipe.send_text(ENTER)
        pipe.close()
        out = RecordedOutput()
        with create_app_session(input=pipe, output=out):
            assert QuestionaryAsker().ask(make_checklist("c"), SETTLED, None) is None
    lines = [line.strip(" »") for line in out.text.splitlines()]
    assert lines.index("(leave it blank)") < lines.index("1")


def test_an_enter_after_a_digit_is_still_dropped_at_a_blank_entry(stopped_clock: None) -> None:
    # "4" then a habit Enter: the next scale (also opening blank) is not answered by it.
    assert ask_in_turn("4" + ENTER + "7", SCALE_1_10, SETTLED) == [4, 7]
    assert ask_in_turn("4" + ENTER + ENTER, SCALE_1_10, SETTLED) == [4, None]
