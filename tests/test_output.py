"""The output layer in real processes: data on stdout, the session on the terminal, a
failing or closed stdout handled in one line (or none), warnings first."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pexpect
import pytest

from callback_coach.core.session import condition_holds
from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode
from callback_coach.store import paths
from callback_coach.store.drafts import DraftStore

from .helpers import saved_notes, write_checklist
from .test_e2e import DOWN, ENTER, answer, prep_checklists, take_the_offered_date

FULL = "error: cannot write to standard output: no space left on device\n"
needs_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")

COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["show", "Nina"],
    ["show", "Nina", "--json"],
    ["search", "pride"],
    ["search", "pride", "--json"],
    ["export", "notes"],
    ["export", "notes", "--format", "json"],
    ["export", "checklists"],
    ["checklists", "list"],
    ["checklists", "show", "mindset"],
    ["--help"],
    ["prep", "--help"],
    ["--version"],
]


def run(coach_bin: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([coach_bin, *args], text=True, timeout=60, **kwargs)


@needs_dev_full
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_full_disk_on_stdout_is_one_line_and_exit_7(
    history: Coach, coach_bin: str, args: list[str]
) -> None:
    with open("/dev/full", "w") as full:
        proc = run(coach_bin, *args, stdout=full)
    assert proc.returncode == ExitCode.STORAGE
    assert proc.stderr == FULL


@needs_dev_full
def test_a_full_disk_after_an_outcome_was_recorded(history: Coach, coach_bin: str) -> None:
    with open("/dev/full", "w") as full:
        proc = run(coach_bin, "outcome", "Nina", "hold", stdout=full)
    assert proc.returncode == ExitCode.STORAGE
    assert proc.stderr == "Nina (callback-2): outcome is now hold.\n" + FULL


@needs_dev_full
def test_a_full_disk_after_a_scripted_prep_saved_its_note(history: Coach, coach_bin: str) -> None:
    before = len(saved_notes(history.home))
    with open("/dev/full", "w") as full:
        proc = run(
            coach_bin,
            "prep",
            "Nina",
            "-r",
            "callback-3",
            "--set",
            "refine-intention.want=x",
            stdout=full,
        )
    assert proc.returncode == ExitCode.STORAGE
    assert proc.stderr == "Saved your prep for Nina (callback-3).\n" + FULL
    assert len(saved_notes(history.home)) == before + 1, "the note itself was saved"


def closed_pipe() -> int:
    """The write end of a pipe whose reader is already gone: every write gets EPIPE."""
    read, write = os.pipe()
    os.close(read)
    return write


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_closed_pipe_exits_141_without_a_word(
    history: Coach, coach_bin: str, args: list[str]
) -> None:
    stdout = closed_pipe()
    try:
        proc = run(coach_bin, *args, stdout=stdout)
    finally:
        os.close(stdout)
    assert proc.returncode == ExitCode.OUTPUT_CLOSED == 141
    assert proc.stderr == "", "no traceback, no 'Exception ignored ... BrokenPipeError'"


def test_head_closing_a_long_export_is_quiet(history: Coach, coach_bin: str) -> None:
    note = saved_notes(history.home)[0]
    note.path.write_text(note.path.read_text() + ("A long paragraph of my own. " * 40 + "\n") * 400)
    script = (
        f'{coach_bin} export notes --format json | head -n 1; echo "coach=${{PIPESTATUS[0]}}" >&2'
    )
    proc = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert proc.stdout == "{\n"
    assert proc.stderr == "coach=141\n"


def test_warnings_come_first_and_survive_an_error(history: Coach, coach_bin: str) -> None:
    bad = paths.notes_dir(history.home) / "2026-01-01_broken.md"
    bad.write_text("---\nrole: [unclosed\n---\n", encoding="utf-8")
    warning = f"warning: skipped {bad}: front matter, line 3: invalid YAML: did not find expected ',' or ']'"
    listed = run(coach_bin, "list", stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0] == warning, "the warning is shown before the table"
    assert any("Nina" in line for line in lines[1:])
    failed = run(coach_bin, "show", "Hamlet")
    assert failed.returncode == ExitCode.NOT_FOUND
    assert failed.stderr.splitlines() == [warning, "error: no notes for 'Hamlet'"]


def test_coach_help_loads_no_rich(tmp_path: Path) -> None:
    import sys

    code = (
        "import sys\n"
        "from callback_coach.cli import app as cli\n"
        "sys.argv = ['coach', '--help']\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print('rich' in sys.modules, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stderr == "False\n"


# -- the interactive session goes to the terminal, never into redirected data ---------


def spawn_shell(home: Path, script: str, *, columns: int = 100) -> pexpect.spawn:
    env = {
        **os.environ,
        "COACH_HOME": str(home),
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    env.pop("COLUMNS", None)
    return pexpect.spawn(
        "bash", ["-c", script], env=env, encoding="utf-8", dimensions=(40, columns), timeout=20
    )


def answer_all(child: pexpect.spawn, home: Path) -> None:
    take_the_offered_date(child)
    child.expect_exact(" · Mindset")
    given: dict[str, dict[str, object]] = {}
    for checklist in prep_checklists(home, "Nina", checklist_ids=["mindset"]):
        for question in checklist.questions:
            if condition_holds(question.when, given, {}):  # waits for each on the terminal
                given.setdefault(checklist.id, {})[question.id] = answer(
                    child, checklist.id, question
                )
    child.expect_exact("What now?")
    child.send(ENTER)
    child.expect_exact("Saved your prep for Nina (callback-1):")
    child.expect_exact("Show your waiting-room card for the day?")
    child.send(DOWN + ENTER)  # Not now


@pytest.mark.e2e
def test_prep_with_stdout_in_a_file_asks_on_the_terminal(
    home: Path, coach_bin: str, tmp_path: Path
) -> None:
    out = tmp_path / "out.txt"
    child = spawn_shell(home, f"{coach_bin} prep Nina --checklist mindset > {out}")
    answer_all(child, home)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    (note,) = saved_notes(home)
    assert out.read_text(encoding="utf-8") == f"{note.path}\n", "the file holds only the path"


@pytest.mark.e2e
def test_prep_in_command_substitution_shows_every_question(home: Path, coach_bin: str) -> None:
    script = f'note=$({coach_bin} prep Nina --checklist mindset) && echo "NOTE=[$note]"'
    child = spawn_shell(home, script)
    answer_all(child, home)
    child.expect(r"NOTE=\[(.*?)\]")
    (note,) = saved_notes(home)
    assert child.match.group(1) == str(note.path)
    child.expect(pexpect.EOF)


# -- Ctrl-D and a real SIGINT stop every kind of prompt, like Ctrl-C ------------------

QUICK = {
    "id": "quick",
    "title": "Quick",
    "phase": "prep",
    "version": 1,
    "questions": [
        {"id": "first", "prompt": "First thought?", "type": "text"},
        {"id": "room", "prompt": "Which room?", "type": "select", "choices": ["small", "big"]},
        {"id": "calm", "prompt": "How calm?", "type": "scale", "min": 1, "max": 5},
        {"id": "ready", "prompt": "Ready to go?", "type": "confirm"},
    ],
}
# What to type at each prompt to answer it (a menu opens on "(leave it blank)": one down
# is the first choice; a digit answers a scale at once).
PAST = {"First thought?": "my first answer" + ENTER, "Which room?": DOWN + ENTER, "How calm?": "3"}


@pytest.mark.e2e
@pytest.mark.parametrize("how", ["ctrl-d", "sigint"])
@pytest.mark.parametrize("stop_at", ["Which room?", "How calm?", "Ready to go?", "What now?"])
def test_ctrl_d_and_sigint_stop_menus_like_ctrl_c(
    home: Path, coach_bin: str, stop_at: str, how: str
) -> None:
    write_checklist(home / "checklists", "quick.yaml", QUICK)
    env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
    child = pexpect.spawn(
        coach_bin,
        ["prep", "Nina", "--checklist", "quick", "--date", "tomorrow"],
        env=env,
        encoding="utf-8",
        dimensions=(40, 100),
        timeout=20,
    )
    answered = 0
    for prompt in [*PAST, "Ready to go?", "What now?"]:
        child.expect_exact(prompt)
        child.expect_exact("›" if prompt != "What now?" else "Save this note")
        if prompt == stop_at:
            break
        child.send("y" if prompt == "Ready to go?" else PAST[prompt])
        answered += 1
    if how == "ctrl-d":
        child.sendeof()
    else:
        os.kill(child.pid, signal.SIGINT)  # a real signal, not the ^C key
    noun = "answers are" if answered != 1 else "answer is"
    child.expect_exact(
        f"Stopped. Your {answered} {noun} kept in a draft; run `coach prep Nina` to resume."
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.INTERRUPTED
    (draft,) = DraftStore(home).find("prep", "Nina", None, None)
    assert draft.answers["quick"]["first"] == "my first answer"
    assert saved_notes(home) == []
