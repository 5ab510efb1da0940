"""Text from notes and checklists never drives the terminal: control sequences are shown,
Rich markup is printed as typed, and files keep the exact text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.store.notes import read_note

from .helpers import write_checklist

runner = CliRunner()

ROLE = "Nina\x1b]0;pwned\x07"  # OSC: set the window title
PROJECT = "Seagull\x1b]52;c;ZXZpbA==\x07"  # OSC 52: write the clipboard
WANT = "\x1b[31mred"  # SGR colour
OBSTACLE = "\x1b[2Jclear\x9b1m and \u202egnirts"  # clear screen, C1 CSI, bidi override
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(home: Path) -> Path:
    coach = Coach(home)
    plan = coach.plan_prep(ROLE, project=PROJECT, date="2026-11-20")
    answers = {"refine-intention": {"want": WANT, "obstacle": OBSTACLE}}
    return coach.save_answers(plan, answers).path


def everything(result) -> str:
    return result.stdout + result.stderr


@pytest.mark.parametrize(
    "args",
    [["list"], ["show", ROLE], ["search", "red"], ["search", "clear"], ["search", "pwned"]],
    ids=" ".join,
)
def test_no_control_sequence_reaches_the_terminal(hostile: Path, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert not RAW.search(everything(result)), everything(result)


def test_controls_are_shown_in_their_visible_form(hostile: Path) -> None:
    listed = runner.invoke(app, ["list", "--all"]).stdout
    assert listed.startswith("Role") and "\\x1b]0;pwn" in listed  # wrapped in its column
    shown = runner.invoke(app, ["show", ROLE]).stdout
    assert "Nina\\x1b]0;pwned\\x07  ·  Seagull\\x1b]52;c;ZXZpbA==\\x07" in shown
    assert "\\x1b[31mred" in shown
    assert "\\x1b[2Jclear\\x9b1m and \\u202egnirts" in shown
    found = runner.invoke(app, ["search", "red"]).stdout
    assert "\\x1b[31mred" in found


@pytest.mark.parametrize(
    "args", [["list", "--json"], ["show", ROLE, "--json"], ["search", "red", "--json"]]
)
def test_json_is_terminal_safe_and_holds_the_exact_text(hostile: Path, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert not RAW.search(result.stdout)
    data = json.loads(result.stdout)
    first = data.get("roles", data.get("matches", [data]))[0]
    assert first["role"] == ROLE and first["project"] == PROJECT


def test_the_note_file_keeps_the_exact_text(hostile: Path) -> None:
    note = read_note(hostile)
    assert (note.role, note.project) == (ROLE, PROJECT)
    given = note.answers["refine-intention"]
    assert (given["want"], given["obstacle"]) == (WANT, OBSTACLE)


def test_messages_quoting_a_name_are_safe(home: Path) -> None:
    saved = runner.invoke(app, ["prep", ROLE, "--set", "refine-intention.want=x"])
    assert saved.exit_code == 0
    assert saved.stderr == "Saved your prep for Nina\\x1b]0;pwned\\x07 (callback-1).\n"
    missing = runner.invoke(app, ["show", "\x1b[2J"])
    assert missing.exit_code != 0 and not RAW.search(missing.stderr)


@pytest.mark.parametrize("name", ["[bold]Kostya[/bold]", "[red", "Masha :smile: [link=x]y[/link]"])
def test_rich_markup_in_a_name_is_printed_as_typed(home: Path, name: str) -> None:
    coach = Coach(home)
    coach.save_answers(
        coach.plan_prep(name, project="[i]P[/i]"), {"refine-intention": {"want": name}}
    )
    listed = runner.invoke(app, ["list"])
    assert listed.exit_code == 0
    flat = " ".join(listed.stdout.split())
    assert name.split()[0] in flat and "[i]P[/i]" in flat
    shown = runner.invoke(app, ["show", name])
    assert shown.exit_code == 0 and name in shown.stdout
    found = runner.invoke(app, ["search", name])
    assert found.exit_code == 0 and name in found.stdout
    missing = runner.invoke(app, ["show", name + "x"])
    assert f"no notes for '{name}x'" in missing.stderr


def test_a_users_checklist_cannot_drive_the_terminal(home: Path) -> None:
    write_checklist(
        home / "checklists",
        "evil.yaml",
        {
            "id": "evil",
            "title": "Evil\x1b[2J [bold]title",
            "phase": "prep",
            "intro": "\x1b]0;title\x07",
            "questions": [
                {"id": "q", "prompt": "Why\x1b[31m?", "help": "\x9b2J", "type": "text"},
                {"id": "s", "prompt": "Pick", "type": "select", "choices": ["a\x1b[1m", "b"]},
            ],
        },
    )
    for args in (["checklists", "list"], ["checklists", "show", "evil"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stderr
        assert not RAW.search(everything(result))
        assert "\\x1b[2J" in result.stdout
    detail = runner.invoke(app, ["checklists", "show", "evil"]).stdout
    assert detail.startswith("Evil\\x1b[2J [bold]title  (evil, prep, version 1)")
    assert "Why\\x1b[31m?" in detail and "a\\x1b[1m / b" in detail


def test_the_session_display_makes_controls_visible(home: Path, capsys) -> None:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from callback_coach.cli import render
    from callback_coach.cli.asker import QuestionaryAsker
    from callback_coach.core.checklist import Question

    from .helpers import make_checklist

    checklist = make_checklist(
        "c\x1b", q={"prompt": "Want\x1b]0;x\x07?", "type": "text", "help": "\x1b[2J"}
    )
    with create_pipe_input() as pipe:
        pipe.send_text("typed\r")
        with create_app_session(input=pipe, output=DummyOutput()):
            asker = QuestionaryAsker()
            asker.show(render.session_header("prep", ROLE, PROJECT, "callback-1", "2026-11-20"))
            asker.section(checklist, 1, 1)
            assert asker.ask(checklist, Question("q", "Want\x1b]0;x\x07?", "text"), None) == "typed"
            asker.show(render.answers_summary([checklist], {checklist.id: {"q": OBSTACLE}}))
    shown = capsys.readouterr()
    assert shown.out == "", "the session is drawn on the terminal side, not stdout"
    assert not RAW.search(shown.err)
    assert "Want\\x1b]0;x\\x07?" in shown.err and "Nina\\x1b]0;pwned\\x07" in shown.err


HIDDEN = "to be\u202e seen\u200b\ufeff"  # a bidi override and zero-width marks


def test_the_drill_panel_and_the_breathing_frame_show_marks_visibly() -> None:
    import io

    from callback_coach.cli import breathe_view, console, drill_view
    from callback_coach.day.breathing import Pattern, Phase, Timer

    buffer = io.StringIO()
    terminal = console.new_console(file=buffer, width=60)
    terminal.print(drill_view.note_panel(1, 2, "Again,\x1b]0;x\x07 " + HIDDEN))
    pattern = Pattern(id="odd", name="Box" + HIDDEN, phases=(Phase("in", 4),), rounds=1)
    step = Timer(pattern, 1).steps[0]
    terminal.print(breathe_view.frame(pattern, 1, step, 0.0, 4.0, 60))
    shown = buffer.getvalue()
    assert "Again,\\x1b]0;x\\x07 to be\\u202e seen\\u200b\\ufeff" in shown
    assert "Box" + console.visible(HIDDEN) in shown
    assert not RAW.search(shown) and "\ufffd" not in shown


def test_an_answer_offered_in_a_prompt_shows_its_marks_and_is_kept_exactly(home: Path) -> None:
    import io

    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.plain_text import PlainTextOutput

    from callback_coach.cli.asker import QuestionaryAsker
    from callback_coach.core.checklist import Question

    from .helpers import make_checklist

    checklist = make_checklist("c", q={"prompt": "Want?", "type": "text"})
    drawn = io.StringIO()
    output = PlainTextOutput(drawn)
    with create_pipe_input() as pipe:
        pipe.send_text("\x05!\r")  # Ctrl-E, the end of the line, then type
        with create_app_session(input=pipe, output=output):
            asker = QuestionaryAsker(output=output)
            answer = asker.ask(checklist, Question("q", "Want?", "text"), HIDDEN)
    assert answer == HIDDEN + "!"
    assert "to be\\u202e seen\\u200b\\ufeff" in drawn.getvalue()
    assert not RAW.search(drawn.getvalue().replace("\r", "")) and "\u202e" not in drawn.getvalue()
