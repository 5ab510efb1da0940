"""`coach sides` and `coach lines` on the command line: exit codes and one-line errors,
no prompt without a terminal, JSON in its documented shapes, sanitised display, and
the real prompts of the drill (prompt_toolkit's pipe input)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.errors import ExitCode
from callback_coach.lines.drill import DrillSession, plan_drill
from callback_coach.lines.sides import SidesStore

from .lines_helpers import SCREENPLAY, STAGE, ZOE_LINES, write
from .lines_scripted import STOP, Clock, ScriptedLinesUI, import_sides
from .test_json_shapes import check

runner = CliRunner()


def coach(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def sides_file(tmp_path: Path) -> Path:
    return write(tmp_path, "boathouse.txt", SCREENPLAY)


def one_error_line(result: Any, code: int) -> str:
    assert result.exit_code == code, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert result.stdout == ""
    return lines[0]


# -- coach sides add ----------------------------------------------------------------------


def test_add_saves_the_scenes_and_prints_their_paths(home: Path, sides_file: Path) -> None:
    result = coach(
        "sides",
        "add",
        "Lead",
        str(sides_file),
        "--as",
        "zoé",
        "-p",
        "Boathouse",
        "-r",
        "Callback 2",
    )
    assert result.exit_code == 0, result.stderr
    paths = [Path(line) for line in result.stdout.splitlines()]
    assert len(paths) == 2 and all(p.is_file() and home in p.parents for p in paths)
    assert (
        "Imported scene 1 (INT. BOATHOUSE BY THE LAKE - NIGHT): 3 lines for ZOE." in result.stderr
    )
    assert "coach lines Lead --project Boathouse" in result.stderr
    assert SidesStore(home).scenes("Lead")[0].round == "callback-2"


def test_without_a_terminal_add_asks_nothing_and_names_as(home: Path, sides_file: Path) -> None:
    line = one_error_line(coach("sides", "add", "Lead", str(sides_file)), ExitCode.NO_TERMINAL)
    assert "--as CHARACTER" in line and "ZOE, MAX" in line
    assert not home.exists() or not any(home.rglob("*.yaml"))


def test_the_character_named_like_the_role_needs_no_question(home: Path, sides_file: Path) -> None:
    result = coach("sides", "add", "Zoë", str(sides_file))
    assert result.exit_code == 0, result.stderr
    assert SidesStore(home).scenes("Zoe")[0].character == "ZOE"


def test_a_character_not_in_the_scene_lists_the_speakers(sides_file: Path) -> None:
    line = one_error_line(
        coach("sides", "add", "Lead", str(sides_file), "--as", "Nina"), ExitCode.SIDES_UNREADABLE
    )
    assert line == "error: Nina does not speak in boathouse.txt; the speakers are: ZOE, MAX"


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (None, ExitCode.NOT_FOUND, "no file"),
        (b"", ExitCode.SIDES_UNREADABLE, "empty"),
        (b"\x00\x01\x02\x03" * 100, ExitCode.SIDES_UNREADABLE, "not text"),
        (b"Nothing but prose here.\n", ExitCode.SIDES_UNREADABLE, "no speaker found"),
        (b"%PDF-1.7\n%%EOF", ExitCode.SIDES_UNREADABLE, "cannot be read as a PDF"),
    ],
)
def test_bad_files_are_one_line_and_a_documented_code(
    tmp_path: Path, content: bytes | None, code: int, words: str
) -> None:
    path = tmp_path / "sides.pdf" if content and content.startswith(b"%PDF") else tmp_path / "s.txt"
    if content is not None:
        path.write_bytes(content)
    assert words in one_error_line(coach("sides", "add", "Lead", str(path), "--as", "X"), code)


def test_a_malformed_round_is_bad_usage(sides_file: Path) -> None:
    result = coach("sides", "add", "Lead", str(sides_file), "--round", "call back!!", "--as", "ZOE")
    assert one_error_line(result, ExitCode.USAGE)


def test_a_file_that_is_not_utf8_says_how_it_was_read(tmp_path: Path) -> None:
    path = write(tmp_path, "old.txt", STAGE.replace("ZOE", "ZOË").encode("cp1252"))
    result = coach("sides", "add", "Zoë", str(path))
    assert result.exit_code == 0, result.stderr
    assert "warning: old.txt is not UTF-8: read as Windows-1252" in result.stderr


# -- coach sides list / show ----------------------------------------------------------------


def test_list_and_show_in_text_and_json(home: Path) -> None:
    import_sides(home)
    store = SidesStore(home)
    plan = plan_drill(store, "Zoe", now=Clock()())
    session = DrillSession(plan, ScriptedLinesUI([ZOE_LINES[0], "wrong", "", STOP]), store)
    with pytest.raises(KeyboardInterrupt):
        session.run()

    listed = coach("sides", "list")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines() == [
        "Zoe · The Boathouse · off-book: 1 of 5 lines (20%)",
        "   1  INT. BOATHOUSE BY THE LAKE - NIGHT · callback-2 · ZOE: 1 of 3 lines (33%)",
        "   2  EXT. JETTY - LATER · callback-2 · ZOE: 0 of 2 lines (0%)",
    ]
    data = json.loads(coach("sides", "list", "--json").stdout)
    check("sides-list", data)
    assert data["roles"][0]["offbook"] == {"right": 1, "total": 5, "percent": 20}

    shown = coach("sides", "show", "Zoe", "--scene", "1")
    assert shown.exit_code == 0
    assert shown.stdout.splitlines() == [
        "Scene 1 · INT. BOATHOUSE BY THE LAKE - NIGHT (sides.txt, callback-2)",
        "        (Rain on the roof. ZOE, soaked, stands in the doorway.)",
        "▸   1  ZOE: You said eight o'clock.  [off-book]",
        "    2  MAX: (not looking up) I said eight-ish. There's a difference.",
        "▸   3  ZOE: Not to me. Not tonight.  [not yet]",
        "        (She drops her bag on the workbench.)",
        "▸   4  ZOE: Did you even read my letter?  [new]",
    ]
    data = json.loads(coach("sides", "show", "Zoe", "--json").stdout)
    check("sides-show", data)
    speeches = [e for e in data["scenes"][1]["script"] if e["type"] == "speech"]
    assert [(s["speaker"], s["extension"], s["dual"], s["yours"]) for s in speeches] == [
        ("MAX", "V.O.", False, False),
        ("ZOE", "", False, True),
        ("MAX", "", True, False),
        ("ZOE", "", False, True),
    ]


def test_list_with_nothing_and_show_an_unknown_role(home: Path) -> None:
    result = coach("sides", "list")
    assert result.exit_code == 0 and result.stdout == ""
    assert "No sides yet" in result.stderr
    check("sides-list", json.loads(coach("sides", "list", "--json").stdout))
    assert "coach sides add Nina FILE" in one_error_line(
        coach("sides", "show", "Nina"), ExitCode.NOT_FOUND
    )
    one_error_line(coach("sides", "list", "Nina"), ExitCode.NOT_FOUND)


def test_text_from_the_pages_reaches_the_terminal_sanitised(home: Path, tmp_path: Path) -> None:
    hostile = "ZOE\nHello \x1b[31mred\x1b[0m [bold]there[/bold].\n\nMAX\nHi.\n"
    import_sides(home, hostile)
    shown = coach("sides", "show", "Zoe")
    assert "\x1b" not in shown.stdout
    # Control characters are shown, not sent; brackets are a direction, printed as such
    # (never read as Rich markup).
    assert "ZOE: (bold; /bold) Hello \\x1b[31mred\\x1b[0m there ." in shown.stdout
    data = json.loads(coach("sides", "show", "Zoe", "--json").stdout)
    speech = data["scenes"][0]["script"][0]
    assert speech["text"] == "Hello \x1b[31mred\x1b[0m there ."
    assert speech["directions"] == ["bold", "/bold"]


def test_a_role_in_two_projects_without_a_terminal_asks_for_project(home: Path) -> None:
    import_sides(home, project="One")
    import_sides(home, STAGE, project="Two")
    assert "--project" in one_error_line(coach("sides", "show", "Zoe"), ExitCode.AMBIGUOUS)
    assert coach("sides", "show", "Zoe", "-p", "two").exit_code == 0


# -- coach lines --------------------------------------------------------------------------


def test_lines_without_a_terminal_never_prompts(home: Path) -> None:
    import_sides(home)
    line = one_error_line(coach("lines", "Zoe"), ExitCode.NO_TERMINAL)
    assert "--list" in line


def test_lines_list_prints_the_drill_order(home: Path) -> None:
    import_sides(home)
    data = json.loads(coach("lines", "Zoe", "--json").stdout)
    check("lines-list", data)
    assert [line["text"] for line in data["lines"]] == ZOE_LINES
    assert data["lines"][0]["cue"] == {
        "speaker": None,
        "text": None,
        "directions": ["Rain on the roof. ZOE, soaked, stands in the doorway."],
        "together": None,
    }
    run = json.loads(
        coach("lines", "Zoe", "--list", "--json", "--scene", "2", "--from", "3").stdout
    )
    check("lines-list", run)
    assert run["run"] is True and [line["number"] for line in run["lines"]] == [4]
    mixed = json.loads(coach("lines", "Zoe", "--json", "--seed", "4").stdout)
    check("lines-list", mixed)
    assert sorted(line["key"] for line in mixed["lines"]) == sorted(
        line["key"] for line in data["lines"]
    )
    text = coach("lines", "Zoe", "--list").stdout.splitlines()
    assert text[0] == (
        "1. scene 1, speech 1 (new) · cue (the scene opens) · You said eight o'clock."
    )
    assert len(text) == 5


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--mode", "sing"], ExitCode.USAGE),
        (["--from", "2"], ExitCode.USAGE),  # two scenes: which one?
        (["--scene", "9"], ExitCode.NOT_FOUND),
        (["--scene", "1", "--from", "99"], ExitCode.NOT_FOUND),
        (["--scene", "0"], ExitCode.USAGE),
    ],
)
def test_lines_options_out_of_range(home: Path, args: list[str], code: int) -> None:
    import_sides(home)
    one_error_line(coach("lines", "Zoe", "--list", *args), code)


def test_lines_for_a_role_without_sides(home: Path) -> None:
    assert "coach sides add" in one_error_line(coach("lines", "Nina", "--list"), ExitCode.NOT_FOUND)


def test_every_command_has_help_with_examples() -> None:
    for args in (["sides"], ["sides", "add"], ["sides", "list"], ["sides", "show"], ["lines"]):
        result = coach(*args, "--help")
        assert result.exit_code == 0
        assert "Examples:" in result.stdout and "coach " in result.stdout


# -- the real prompts -----------------------------------------------------------------------


@contextmanager
def keys(text: str) -> Iterator[None]:
    """Feed `text` as keystrokes, then close the pipe so a missing answer fails fast."""
    with create_pipe_input() as pipe:
        pipe.send_text(text)
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            yield


def test_the_terminal_prompts_drill_a_line(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from callback_coach.cli.lines_ui import TerminalLinesUI

    import_sides(home)
    store = SidesStore(home)
    plan = plan_drill(store, "Zoe", scene=1, now=Clock()())
    session = DrillSession(plan, TerminalLinesUI(), store, clock=Clock())
    typed = "you said nine\r\r" + "?\rNot to me. Not tonight.\r" + ZOE_LINES[2] + "\r"
    typed += ZOE_LINES[0] + "\r"  # the line graded again comes back at the end
    with keys(typed):
        summary = session.run()
    shown = capsys.readouterr().err
    assert "50% of the words · not yet" in shown
    assert "swapped: nine for eight" in shown and "missed: o'clock." in shown
    assert "hint: N t m. N t." in shown
    assert "Drilled 4 lines, 2 off-book. Off-book now: 2 of 5 lines (40%)." in shown
    assert [o.grade.value for o in summary.graded] == ["again", "hard", "good", "good"]


def test_the_terminal_grade_menu(home: Path) -> None:
    from callback_coach.cli.lines_ui import TerminalLinesUI

    import_sides(home)
    store = SidesStore(home)
    plan = plan_drill(store, "Zoe", scene=2, now=Clock()())
    session = DrillSession(plan, TerminalLinesUI(), store, mode="say", clock=Clock())
    down, enter = "\x1b[B", "\r"
    # Line 1: see it, then "easy" (one below the offered "good"). Line 2: the hint, see
    # it, then "good" (hard, with the hint).
    with keys(enter + down + enter + "?" + enter + enter + enter):
        summary = session.run()
    assert [(o.grade.value, o.hint, o.right) for o in summary.graded] == [
        ("easy", False, True),
        ("hard", True, False),
    ]


@pytest.mark.parametrize(
    ("plan", "answers", "expected"),
    [
        (
            {},
            [ZOE_LINES[0], STOP],
            "Stopped. 1 graded line is kept; run `coach lines Zoe` to go on.",
        ),
        ({}, [STOP], "Stopped before any line was graded. To start again: coach lines Zoe"),
        (
            {"scene": 2, "start": 1},
            ["Then go home.", STOP],
            "Stopped. 1 graded line is kept; run `coach lines Zoe --scene 2 --from 4` to go on.",
        ),
        (
            {"run": True},  # a run of both scenes, stopped in the second
            [*ZOE_LINES[:3], STOP],
            "Stopped. 3 graded lines are kept; run `coach lines Zoe --scene 2 --from 2` to go on.",
        ),
        (
            {"scene": 1, "seed": 7},
            ["no idea", "", "no idea", "", STOP],  # two lines missed, in any order
            "Stopped. 2 graded lines are kept; run `coach lines Zoe --scene 1 --seed 7` to go on.",
        ),
    ],
)
def test_a_stop_prints_the_command_that_goes_on(
    home: Path, plan: dict[str, Any], answers: list[Any], expected: str
) -> None:
    from callback_coach.cli.lines_cmd import _stopped

    import_sides(home)
    store = SidesStore(home)
    drill = plan_drill(store, "Zoe", now=Clock()(), **plan)
    session = DrillSession(drill, ScriptedLinesUI(answers), store, clock=Clock())
    with pytest.raises(KeyboardInterrupt):
        session.run()
    assert _stopped(session, "Zoe", None, "type").message == expected
