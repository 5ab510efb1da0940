"""`coach conflicts`: copies of every scheme and git markers listed, shown and merged; the
merged note written first, the copy removed last, nothing ever written into a copy."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner

from callback_coach.cli import console
from callback_coach.cli.app import app
from callback_coach.errors import ExitCode, StorageError
from callback_coach.store import conflict_copies, fileio, notestore
from callback_coach.store.frontmatter import set_front_matter
from callback_coach.store.notes import Note, parse_note, read_note

from .helpers import subcommands

runner = CliRunner()
NOTE = "2026-12-01_the-seagull_nina_callback-1_prep.md"
STEM = NOTE[: -len(".md")]

SYNCTHING = f"{STEM}.sync-conflict-20261201-123456-ABCDEFG.md"
DROPBOX = f"{STEM} (Nathan's MacBook conflicted copy 2026-12-01).md"
NEXTCLOUD = f"{STEM} (conflicted copy 2026-12-01 123456).md"
OLD_NEXTCLOUD = f"{STEM}_conflict-20261201-123456.md"
ONEDRIVE = f"{STEM}-DESKTOP-AB12CD3.md"
ICLOUD = f"{STEM} 2.md"
ALL_COPIES = {
    SYNCTHING: "Syncthing",
    DROPBOX: "Dropbox",
    NEXTCLOUD: "Nextcloud",
    OLD_NEXTCLOUD: "Nextcloud",
    ONEDRIVE: "OneDrive",
    ICLOUD: "iCloud",
}


def coach(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def notes(home: Path, tmp_path: Path) -> Path:
    """A home with one prep note (written by the coach) whose outcome is hold."""
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        yaml.safe_dump({"refine-intention": {"want": "to be seen", "obstacle": "my nerves"}}),
        encoding="utf-8",
    )
    result = coach(
        "prep",
        "Nina",
        "--project",
        "The Seagull",
        "--answers",
        str(answers),
        "--date",
        "2026-12-01",
    )
    assert result.exit_code == 0, result.output
    assert coach("outcome", "Nina", "hold").exit_code == 0
    folder = home / "notes"
    assert sorted(p.name for p in folder.iterdir()) == [NOTE]
    return folder


def recorded_elsewhere(text: str, outcome: str) -> str:
    """A note's text after `coach outcome` on another device, a second after the note's
    last outcome change."""
    meta = parse_note(text).meta
    at = dt.datetime.fromisoformat(meta["outcome_updated"]) + dt.timedelta(seconds=1)
    change = {"outcome": outcome, "at": at.isoformat()}
    return set_front_matter(
        text,
        {
            "outcome": outcome,
            "outcome_updated": change["at"],
            "outcome_history": [*meta["outcome_history"], change],
        },
    )


def outcomes(note: Note) -> list[str]:
    """The outcomes a note's history recorded, in order."""
    return [change["outcome"] for change in note.meta["outcome_history"]]


def make_copy(
    folder: Path,
    name: str,
    *,
    want: str = "to be heard",
    extra: dict[str, str] | None = None,
    outcome: str = "released",
    line: str = "A line from the laptop",
) -> bytes:
    """A copy of the note as another device changed it: a different `want`, more answers,
    another outcome (recorded there a second after this note's hold), a line added to the
    body."""
    text = (folder / NOTE).read_text(encoding="utf-8")
    text = text.replace("want: to be seen", f"want: {want}")
    for qid, value in (extra or {}).items():
        text = text.replace(
            "    obstacle: my nerves\n", f"    obstacle: my nerves\n    {qid}: {value}\n"
        )
    if outcome != "hold":
        text = recorded_elsewhere(text, outcome)
    data = (text + f"{line}\n").encode("utf-8")
    (folder / name).write_bytes(data)
    return data


SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def as_json(*args: str) -> Any:
    """The JSON a `coach conflicts ... --json` prints, checked against its schema."""
    result = coach(*args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    name = "conflicts-show" if "show" in args else "conflicts-list"
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    return data


def stderr_lines(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


# -- list and show ------------------------------------------------------------------------------


def test_no_conflicts_says_so_on_stderr(notes: Path) -> None:
    result = coach("conflicts")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No conflict copies" in result.stderr
    data = as_json("conflicts", "list", "--json")
    assert data == {"format": 1, "conflicts": []}


def test_every_scheme_is_listed_with_the_note_it_copies_and_what_differs(notes: Path) -> None:
    for name in ALL_COPIES:
        make_copy(notes, name)
    before = {p.name: p.read_bytes() for p in notes.iterdir()}
    data = as_json("conflicts", "list", "--json")
    assert data["format"] == 1
    listed = {c["file"]: c for c in data["conflicts"]}
    assert {f: c["scheme"] for f, c in listed.items()} == ALL_COPIES
    for entry in listed.values():
        assert entry == {
            "file": entry["file"],
            "note": NOTE,
            "scheme": entry["scheme"],
            "note_exists": True,
            "problem": None,
            "answers": {"same": 1, "only mine": 0, "only theirs": 0, "differ": 1},
            "keys": ["outcome", "outcome_updated", "outcome_history"],
            "body_differs": True,
        }
    listing = coach("conflicts")
    assert listing.exit_code == 0
    assert listing.stdout.splitlines() == [
        NOTE,
        *(
            line
            for name in sorted(ALL_COPIES)
            for line in (
                f"  {ALL_COPIES[name]} copy: {name}",
                "    1 answer differs; outcome, outcome_updated, outcome_history; the body",
            )
        ),
    ]
    assert {p.name: p.read_bytes() for p in notes.iterdir()} == before  # nothing written


def test_show_compares_answer_by_answer_and_the_bodies_as_a_diff(notes: Path) -> None:
    make_copy(notes, SYNCTHING, extra={"relationship": "her mother"})
    before = {p.name: p.read_bytes() for p in notes.iterdir()}
    (shown,) = as_json("conflicts", "show", SYNCTHING, "--json")["conflicts"]
    assert (shown["file"], shown["note"], shown["scheme"]) == (SYNCTHING, NOTE, "Syncthing")
    assert [(a["where"], a["status"]) for a in shown["answers"]] == [
        ("answers.refine-intention.want", "differ"),
        ("answers.refine-intention.obstacle", "same"),
        ("answers.refine-intention.relationship", "only theirs"),
    ]
    assert (
        shown["answers"][0]["mine"] == "to be seen"
        and shown["answers"][0]["theirs"] == "to be heard"
    )
    assert "mine" not in shown["answers"][2]
    outcome = next(k for k in shown["keys"] if k["where"] == "outcome")
    assert (outcome["mine"], outcome["theirs"], outcome["automatic"]) == ("hold", "released", False)
    assert shown["body_diff"][-1] == "+A line from the laptop"
    text = coach("conflicts", "show", SYNCTHING)
    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    # Names are never broken (at 80 columns here): a long line folds in the terminal.
    assert lines[0] == f"{SYNCTHING}: Syncthing copy of {NOTE}"
    assert "answers.refine-intention.relationship" in lines
    assert "  the copy:  her mother" in lines
    assert "+A line from the laptop" in text.stdout
    assert "to be heard" in text.stdout and "her mother" in text.stdout
    assert {p.name: p.read_bytes() for p in notes.iterdir()} == before


def test_the_note_s_name_shows_every_copy_of_it(notes: Path) -> None:
    make_copy(notes, SYNCTHING)
    make_copy(notes, DROPBOX)
    data = as_json("conflicts", "show", str(notes / NOTE), "--json")
    assert [c["file"] for c in data["conflicts"]] == sorted([SYNCTHING, DROPBOX])


def test_a_name_that_is_no_conflict_is_one_line_and_exit_5(notes: Path) -> None:
    for args in (("show", NOTE), ("show", "nothing.md"), ("merge", "nothing.md", "--keep", "mine")):
        result = coach("conflicts", *args)
        assert result.exit_code == ExitCode.NOT_FOUND
        assert len(stderr_lines(result)) == 1 and result.stdout == ""


def test_shown_text_goes_through_the_sanitiser(notes: Path) -> None:
    make_copy(notes, SYNCTHING, want='"\\x1b]0;pwned\\a ok\\u202e"')  # YAML escapes
    result = coach("conflicts", "show", SYNCTHING)
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "\\x1b]0;pwned\\x07 ok\\u202e" in result.stdout


# -- merge ---------------------------------------------------------------------------------------


def test_merge_with_keep_keeps_both_bodies_and_removes_the_copy_last(notes: Path) -> None:
    make_copy(notes, SYNCTHING, extra={"relationship": "her mother"})
    with (notes / NOTE).open("a", encoding="utf-8") as file:
        file.write("A line from the phone\n")
    result = coach("conflicts", "merge", SYNCTHING, "--keep", "mine")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{notes / NOTE}\n"
    assert stderr_lines(result) == [f"Merged {SYNCTHING} into {NOTE}; the copy is removed."]
    assert sorted(p.name for p in notes.iterdir()) == [NOTE]
    merged = read_note(notes / NOTE)
    assert merged.answers["refine-intention"] == {
        "want": "to be seen",
        "obstacle": "my nerves",
        "relationship": "her mother",
    }
    # The copy's released stays in the history; hold, kept, is its newest change.
    assert merged.outcome == "hold" and outcomes(merged) == ["hold", "released", "hold"]
    assert "earlier_outcomes" not in merged.meta
    assert "A line from the phone\n" in merged.body and "A line from the laptop\n" in merged.body
    assert "#### From the Syncthing copy" in merged.body
    assert "answers.refine-intention.want: to be heard" in merged.body  # not lost
    assert stat.S_IMODE((notes / NOTE).stat().st_mode) == 0o600


def test_merge_keep_theirs(notes: Path) -> None:
    make_copy(notes, DROPBOX)
    assert coach("conflicts", "merge", "--keep", "theirs").exit_code == 0
    merged = read_note(notes / NOTE)
    assert merged.answers["refine-intention"]["want"] == "to be heard"
    assert merged.outcome == "released" and outcomes(merged) == ["hold", "released"]
    assert "answers.refine-intention.want: to be seen" in merged.body


def test_merge_all_takes_every_copy_in_turn(notes: Path) -> None:
    make_copy(notes, SYNCTHING, extra={"relationship": "her mother"}, line="from Syncthing")
    make_copy(notes, ICLOUD, extra={"beats": "three"}, want="to be seen", line="from iCloud")
    result = coach("conflicts", "merge", "--all", "--keep", "mine")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in notes.iterdir()) == [NOTE]
    merged = read_note(notes / NOTE)
    assert {"relationship", "beats"} <= set(merged.answers["refine-intention"])
    assert "from Syncthing\n" in merged.body and "from iCloud\n" in merged.body


def test_several_conflicts_need_a_name_or_all(notes: Path) -> None:
    make_copy(notes, SYNCTHING)
    make_copy(notes, DROPBOX)
    result = coach("conflicts", "merge", "--keep", "mine")
    assert result.exit_code == ExitCode.USAGE
    assert stderr_lines(result) == [
        "error: there are 2 conflicts: name one FILE (see coach conflicts list) or pass "
        "--all to merge every one"
    ]
    both = coach("conflicts", "merge", SYNCTHING, "--all")
    assert both.exit_code == ExitCode.USAGE and len(stderr_lines(both)) == 1
    bad = coach("conflicts", "merge", SYNCTHING, "--keep", "both")
    assert bad.exit_code == ExitCode.USAGE and len(stderr_lines(bad)) == 1
    assert len(list(notes.iterdir())) == 3


def test_without_a_terminal_a_choice_needs_keep_and_nothing_is_written(notes: Path) -> None:
    copy = make_copy(notes, SYNCTHING)
    note = (notes / NOTE).read_bytes()
    result = coach("conflicts", "merge", SYNCTHING)
    assert result.exit_code == ExitCode.NO_TERMINAL
    assert stderr_lines(result) == [
        "error: coach conflicts merge asks which answer to keep where the two sides differ, "
        "but standard input is not a terminal: pass --keep mine or --keep theirs"
    ]
    assert result.stdout == ""
    assert (notes / NOTE).read_bytes() == note and (notes / SYNCTHING).read_bytes() == copy


def test_a_merge_that_needs_no_choice_needs_no_terminal(notes: Path) -> None:
    make_copy(notes, NEXTCLOUD, want="to be seen", outcome="hold", extra={"beats": "three"})
    result = coach("conflicts", "merge", NEXTCLOUD)
    assert result.exit_code == 0, result.output
    merged = read_note(notes / NOTE)
    assert merged.answers["refine-intention"]["beats"] == "three"
    assert "#### Not kept" not in merged.body
    assert merged.body.endswith(
        "#### From the Nextcloud copy (" + NEXTCLOUD + "):\nA line from the laptop\n"
    )


def test_the_installed_coach_without_a_terminal_says_one_line(notes: Path, coach_bin: str) -> None:
    make_copy(notes, SYNCTHING)
    env = {**os.environ, "COACH_HOME": str(notes.parent)}
    proc = subprocess.run(
        [coach_bin, "conflicts", "merge", "--all"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == ExitCode.NO_TERMINAL
    assert proc.stdout == "" and len(proc.stderr.splitlines()) == 1
    assert "--keep mine" in proc.stderr and "Traceback" not in proc.stderr
    assert (notes / SYNCTHING).exists()


def test_a_copy_whose_note_is_gone_takes_its_place(notes: Path) -> None:
    copy = make_copy(notes, SYNCTHING)
    (notes / NOTE).unlink()
    listed = as_json("conflicts", "--json")["conflicts"]
    assert [c["note_exists"] for c in listed] == [False]
    result = coach("conflicts", "merge", SYNCTHING)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in notes.iterdir()) == [NOTE]
    assert (notes / NOTE).read_bytes() == copy
    assert stat.S_IMODE((notes / NOTE).stat().st_mode) == 0o600


def test_an_unreadable_copy_is_listed_and_left_alone(notes: Path) -> None:
    (notes / DROPBOX).write_bytes(b"not a note at all\n")
    make_copy(notes, SYNCTHING)
    listed = {c["file"]: c for c in as_json("conflicts", "--json")["conflicts"]}
    assert "copy what you need from it by hand" in listed[DROPBOX]["problem"]
    result = coach("conflicts", "merge", "--all", "--keep", "mine")
    assert result.exit_code == ExitCode.STORAGE
    assert (notes / DROPBOX).read_bytes() == b"not a note at all\n"
    assert not (notes / SYNCTHING).exists()  # the other one was merged
    assert "1 of 2 conflicts were not merged" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_note_that_changed_while_merging_stops_before_anything_is_written(notes: Path) -> None:
    copy = make_copy(notes, SYNCTHING)
    (found,) = conflict_copies.find(notes)
    pair = conflict_copies.load(notes, found)
    with (notes / NOTE).open("a", encoding="utf-8") as file:
        file.write("typed meanwhile\n")
    changed = (notes / NOTE).read_bytes()
    with pytest.raises(StorageError, match="changed while merging; nothing was written"):
        conflict_copies.resolve(notes, pair, lambda where, a, b: "mine")
    assert (notes / NOTE).read_bytes() == changed and (notes / SYNCTHING).read_bytes() == copy


def test_a_merge_waits_for_the_note_s_lock_as_every_change_does(
    notes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = make_copy(notes, SYNCTHING)
    note = (notes / NOTE).read_bytes()
    (found,) = conflict_copies.find(notes)
    pair = conflict_copies.load(notes, found)
    monkeypatch.setattr(notestore, "CHANGE_WAIT", 0.2)
    # Another coach changing the note (coach outcome) holds its lock.
    with fileio.hold_lock(notestore.lock_path(notes.parent, NOTE)):
        with pytest.raises(StorageError, match="another coach is changing it; nothing was"):
            conflict_copies.resolve(notes, pair, lambda where, a, b: "mine")
        assert (notes / NOTE).read_bytes() == note and (notes / SYNCTHING).read_bytes() == copy
    done = conflict_copies.resolve(notes, pair, lambda where, a, b: "mine")
    assert done.removed == SYNCTHING


def test_a_copy_that_changed_while_merging_is_kept(notes: Path) -> None:
    make_copy(notes, SYNCTHING)
    (found,) = conflict_copies.find(notes)
    pair = conflict_copies.load(notes, found)
    (notes / SYNCTHING).write_bytes(pair.copy_bytes + b"more\n")
    done = conflict_copies.resolve(notes, pair, lambda where, a, b: "mine")
    assert done.kept_copy == SYNCTHING and done.removed is None
    assert (notes / SYNCTHING).read_bytes().endswith(b"more\n")


def test_a_note_keeps_the_mode_its_owner_gave_it(notes: Path) -> None:
    os.chmod(notes / NOTE, 0o640)
    make_copy(notes, SYNCTHING)
    assert coach("conflicts", "merge", "--keep", "mine").exit_code == 0
    assert stat.S_IMODE((notes / NOTE).stat().st_mode) == 0o640


# -- git markers ---------------------------------------------------------------------------------


def with_git_markers(folder: Path) -> str:
    """The note as `git pull` leaves it when both devices changed the answers, the outcome
    and the body."""
    text = (folder / NOTE).read_text(encoding="utf-8")
    # The outcome keys close the front matter; the other device's as `coach outcome`
    # wrote them there.
    start, other = text.index("\noutcome: hold\n") + 1, recorded_elsewhere(text, "released")
    ours = text[start : text.index("\n---\n", 4) + 1]
    theirs = other[start : other.index("\n---\n", 4) + 1]
    text = text.replace(ours, f"<<<<<<< HEAD\n{ours}=======\n{theirs}>>>>>>> 1a2b3c4\n", 1)
    head, _, tail = text.partition("    want: to be seen\n")
    conflicted = (
        head
        + "<<<<<<< HEAD\n    want: to be seen\n=======\n    want: to be heard\n"
        + "    relationship: her mother\n>>>>>>> 1a2b3c4\n"
        + tail
        + "<<<<<<< HEAD\nfrom the phone\n=======\nfrom the laptop\n>>>>>>> 1a2b3c4\n"
    )
    (folder / NOTE).write_text(conflicted, encoding="utf-8")
    return conflicted


def test_git_markers_are_listed_shown_and_merged_away(notes: Path) -> None:
    with_git_markers(notes)
    listed = as_json("conflicts", "--json")["conflicts"]
    assert [(c["file"], c["note"], c["scheme"]) for c in listed] == [(NOTE, NOTE, "git")]
    (shown,) = as_json("conflicts", "show", NOTE, "--json")["conflicts"]
    assert (shown["mine"], shown["theirs"]) == ("this side (HEAD)", "the other side (1a2b3c4)")
    assert [(a["where"], a["status"]) for a in shown["answers"]] == [
        ("answers.refine-intention.want", "differ"),
        ("answers.refine-intention.obstacle", "same"),
        ("answers.refine-intention.relationship", "only theirs"),
    ]
    result = coach("conflicts", "merge", "--keep", "mine")
    assert result.exit_code == 0, result.output
    assert f"git add notes/{NOTE}" in result.stderr
    text = (notes / NOTE).read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    merged = parse_note(text)
    assert merged.meta["answers"]["refine-intention"] == {
        "want": "to be seen",
        "obstacle": "my nerves",
        "relationship": "her mother",
    }
    assert merged.meta["outcome"] == "hold" and outcomes(merged) == ["hold", "released", "hold"]
    assert "from the phone\n" in merged.body and "from the laptop\n" in merged.body
    assert "want: to be heard" in merged.body
    assert coach("conflicts", "--json").stdout.count('"file"') == 0


def test_markers_that_do_not_pair_up_are_left_for_a_person(notes: Path) -> None:
    text = (notes / NOTE).read_text(encoding="utf-8") + "<<<<<<< HEAD\nhalf\n>>>>>>> x\n"
    (notes / NOTE).write_text(text, encoding="utf-8")
    result = coach("conflicts", "merge", "--keep", "mine")
    assert result.exit_code == ExitCode.STORAGE
    assert stderr_lines(result) == [
        f"error: {notes / NOTE} holds git conflict markers that do not pair up: fix it by hand"
    ]
    assert (notes / NOTE).read_text(encoding="utf-8") == text


# -- the terminal's choices ------------------------------------------------------------------------

ENTER, DOWN = "\r", "\x1b[B"


@contextmanager
def keys(text: str) -> Iterator[None]:
    """Feed `text` as keystrokes, then close the pipe so a missing answer fails fast."""
    with create_pipe_input() as pipe:
        pipe.send_text(text)
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            yield


def test_on_a_terminal_each_differing_value_is_asked(
    notes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_copy(notes, SYNCTHING)
    monkeypatch.setattr(console, "stdin_is_terminal", lambda: True)
    # The answer: this note's (Enter); the outcome: the copy's (Down, Enter).
    with keys(ENTER + DOWN + ENTER):
        result = coach("conflicts", "merge", SYNCTHING)
    assert result.exit_code == 0, result.output
    assert "answers.refine-intention.want" in result.stderr and "outcome" in result.stderr
    merged = read_note(notes / NOTE)
    assert merged.answers["refine-intention"]["want"] == "to be seen"
    assert merged.outcome == "released" and outcomes(merged) == ["hold", "released"]


def test_ctrl_c_at_a_choice_writes_nothing(notes: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = make_copy(notes, SYNCTHING)
    note = (notes / NOTE).read_bytes()
    monkeypatch.setattr(console, "stdin_is_terminal", lambda: True)
    with keys("\x03"):
        result = coach("conflicts", "merge", SYNCTHING)
    assert result.exit_code == ExitCode.INTERRUPTED
    assert f"Stopped; nothing was written for {SYNCTHING}." in result.stderr
    assert (notes / NOTE).read_bytes() == note and (notes / SYNCTHING).read_bytes() == copy


# -- the documentation ----------------------------------------------------------------------------

DEVICES = Path(__file__).resolve().parents[1] / "docs" / "devices.md"


def test_the_devices_page_shows_the_json_the_coach_prints(notes: Path) -> None:
    page = DEVICES.read_text(encoding="utf-8")
    documented = json.loads(page.split("```json\n", 1)[1].split("```", 1)[0])
    make_copy(notes, SYNCTHING, extra={"relationship": "her mother"})
    printed = as_json("conflicts", "--json")
    assert printed == documented


def test_the_devices_page_examples_are_real_commands() -> None:
    import shlex

    import typer

    page = DEVICES.read_text(encoding="utf-8")
    lines = [line.split("#")[0].strip() for line in page.splitlines()]
    examples = [line for line in lines if line.startswith("coach conflicts")]
    assert len(examples) >= 4
    root = typer.main.get_command(app)
    for line in examples:
        words = shlex.split(line)[1:]
        command = root
        while words and words[0] in subcommands(command):
            command = subcommands(command)[words.pop(0)]
        options = {opt for param in command.params for opt in param.opts}
        assert all(w in options for w in words if w.startswith("-")), line


@pytest.mark.e2e
def test_in_a_real_terminal_a_person_picks_each_side(notes: Path, coach_bin: str) -> None:
    import pexpect

    make_copy(notes, DROPBOX)
    env = {
        **os.environ,
        "COACH_HOME": str(notes.parent),
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    child = pexpect.spawn(
        coach_bin,
        ["conflicts", "merge", DROPBOX],
        env=env,
        encoding="utf-8",
        dimensions=(50, 200),
        timeout=20,
    )
    child.expect_exact("Which answers.refine-intention.want do you keep?")
    child.send(DOWN + ENTER)  # the copy's answer
    child.expect_exact("Which outcome do you keep?")
    child.send(ENTER)  # this note's outcome
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    merged = read_note(notes / NOTE)
    assert merged.answers["refine-intention"]["want"] == "to be heard"
    assert merged.outcome == "hold" and outcomes(merged) == ["hold", "released", "hold"]
    assert not (notes / DROPBOX).exists()
