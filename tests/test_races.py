"""Every change to a saved note is a checked transaction (issue 20, item 1): real coaches
racing every command that edits a saved note (`outcome`, `follow-ups add`, `follow-ups
done`, `conflicts merge`) on one note, while the note is edited by hand, lose nothing:
every change a command reported done is in the note, and so is every hand-written line.

`COACH_RACE_SECONDS` bounds the loop of `test_coaches_racing_on_one_note_lose_nothing`
(default 5; at least 3 rounds whatever it says): raise it to hunt for a rare loss.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import itertools
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode
from callback_coach.season import followups
from callback_coach.season import loading as season
from callback_coach.store import fileio, notestore
from callback_coach.store.labels import OUTCOMES
from callback_coach.store.notes import BODY_HINT, read_note

from .helpers import prep, review

RACE_SECONDS = float(os.environ.get("COACH_RACE_SECONDS", "5"))
MIN_ROUNDS = 3


# -- hand edits -------------------------------------------------------------------------------


def append_by_hand(path: Path, line: str) -> None:
    """A line added at the end of the note in place, as `echo LINE >> note.md` adds it:
    the file opened in append mode, then written at once.

    (A line written to the file long after it was opened, a whole time slice of the
    interpreter later as a buffered Python write may be, can reach a file a coach has
    already replaced and let go: no writer that replaces files by name can see it.)"""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
    finally:
        os.close(fd)


def _can_exchange() -> bool:
    """Whether two names can be exchanged at once here (`renameat2(RENAME_EXCHANGE)`,
    Linux), tried in the temporary folder the tests' homes are made in."""
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder, "a"), Path(folder, "b")
        first.write_text("a")
        second.write_text("b")
        return fileio._exchange(first, second) and first.read_text() == "b"


EXCHANGE = _can_exchange()
_saves = itertools.count()
EDITOR_TRIES = 50


def save_by_editor(path: Path, line: str) -> None:
    """A line added as an editor saves: the whole file written to a temp file beside the
    note, then renamed over it.

    An editor that read the note before a coach wrote it and renames after drops the
    coach's change: no coach can prevent that (a careful editor says the file changed on
    disk). This one is careful to the end: it renames by exchanging names, so it learns
    what it replaced, and if that is not what it read (a coach wrote in between), it puts
    it back with its own line, as an editor reloading the note would, as many times as
    it takes (on a loaded machine a coach may write again in between). What it cannot
    put right in EDITOR_TRIES fails the test as inconclusive."""
    read = path.read_bytes()
    mine = read + (line + "\n").encode("utf-8")
    for _ in range(EDITOR_TRIES):
        temp = path.with_name(f".editor-{os.getpid()}-{next(_saves)}.tmp")
        temp.write_bytes(mine)
        assert fileio._exchange(temp, path)
        # What it replaced, held open past its removal: a line appended to it by a hand
        # that opened it before the exchange is read too, not lost with it.
        with temp.open("rb") as old:
            replaced = old.read()
            temp.unlink()
            replaced += old.read()
        if replaced == read:
            return
        read, mine = mine, replaced + (line + "\n").encode("utf-8")
    raise AssertionError(
        f"inconclusive: coaches wrote between the test editor's reads {EDITOR_TRIES} times"
    )


# Where names cannot be exchanged at once, the coach cannot see a hand edit made in the
# microseconds between its last check and its rename (`fileio._replace_checked`): there,
# the coaches race without hand edits.
HAND_EDITS: list[Callable[[Path, str], None]] = [append_by_hand, save_by_editor] if EXCHANGE else []
needs_exchange = pytest.mark.skipif(not EXCHANGE, reason="no renameat2(RENAME_EXCHANGE) here")


@contextlib.contextmanager
def editing_by_hand(path: Path, name: str, pause: tuple[float, float]) -> Iterator[list[str]]:
    """Lines added to the note's body by hand, every `pause` seconds (a random pause in
    that range), in each way in turn, for as long as the block runs; yields the list of
    lines added (complete once the block is left)."""
    added: list[str] = []
    stop = threading.Event()
    problems: list[BaseException] = []

    def edit() -> None:
        if not HAND_EDITS:
            return
        try:
            for number in itertools.count():
                how = HAND_EDITS[number % len(HAND_EDITS)]
                line = f"{name} hand line {number} ({how.__name__})"
                how(path, line)
                added.append(line)
                if stop.wait(random.uniform(*pause)):
                    return
        except BaseException as exc:  # said in the test's thread
            problems.append(exc)

    worker = threading.Thread(target=edit, daemon=True)
    worker.start()
    try:
        yield added
    finally:
        stop.set()
        worker.join(timeout=30)
    if problems:
        raise problems[0]


# -- the race ---------------------------------------------------------------------------------


NOTE_LINE = "copy line"


def make_copy(note: Path, line: str) -> Path:
    """A sync client's copy of the note (Syncthing's name), as another device changed it:
    one line added to the body."""
    copy = note.with_name(note.stem + ".sync-conflict-20261201-123456-ABCDEFG.md")
    copy.write_bytes(note.read_bytes() + (line + "\n").encode("utf-8"))
    return copy


def body_lines(text: str) -> set[str]:
    return set(text.splitlines())


@pytest.mark.timeout(RACE_SECONDS + 80)
def test_coaches_racing_on_one_note_lose_nothing(home: Path, coach_bin: str) -> None:
    """Each round, seven coaches at once (two outcomes, two follow-ups added, two marked
    done, a conflict copy merged) on one review note, while lines are added to its body
    by hand in both ways: every command that says it is done has its change in the note,
    the outcome history has every outcome recorded, every hand line is in the body, and
    the front matter still reads. Looped for COACH_RACE_SECONDS (at least 3 rounds)."""
    coach = Coach(home)
    prep(coach, project="The Seagull", date="2026-11-20")
    note = review(coach, project="The Seagull", date="2026-11-21")
    role = followups.find_role(season.load_roles(coach), "Nina", None)
    to_do = [
        followups.add(coach, role, f"first follow-up {n}", dt.date(2026, 11, 21)).id
        for n in range(2)
    ]
    recorded: collections.Counter[str] = collections.Counter(
        e["outcome"] for e in read_note(note).meta.get("outcome_history") or []
    )
    added = {"first follow-up 0", "first follow-up 1"}
    done: set[str] = set()
    hand: list[str] = []
    merges = collections.Counter[str]()
    refusals = collections.Counter[str]()
    deadline = time.monotonic() + RACE_SECONDS
    for number in itertools.count():
        if number >= MIN_ROUNDS and time.monotonic() > deadline:
            break
        name = f"round {number}"
        current = read_note(note).meta.get("outcome")
        outcomes = random.sample([o for o in OUTCOMES if o != current], 2)
        copy_line = f"{name} {NOTE_LINE}"
        copy = make_copy(note, copy_line)
        commands = [
            *(["outcome", "Nina", outcome] for outcome in outcomes),
            *(["follow-ups", "add", "Nina", f"{name} follow-up {n}"] for n in range(2)),
            *(["follow-ups", "done", ident] for ident in to_do),
            ["conflicts", "merge", "--all", "--keep", "mine"],
        ]
        random.shuffle(commands)
        # Hand edits every few milliseconds in one round (most coaches meet one), a few
        # times a second in the next (most coaches write at the first try).
        pace = (0.001, 0.01) if number % 2 else (0.05, 0.25)
        with editing_by_hand(note, name, pace) as lines:
            running = [
                subprocess.Popen(
                    [coach_bin, *command],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for command in commands
            ]
            results = [
                (*process.communicate(timeout=60), process.returncode) for process in running
            ]
        hand += lines

        to_do, refused, unsure = [], [], []
        for command, (out, err, code) in zip(commands, results, strict=True):
            said = f"{command}: exit {code}\n{err}"
            if command[0] == "conflicts":
                # A merge that finds the note changed since it read it writes nothing and
                # says to run it again; one that finds the note changed just after it
                # wrote it (it reads it back) keeps the copy and says so; one that says
                # it merged must have.
                merges[str(code)] += 1
                if code == 0:
                    assert not copy.exists(), said
                    assert copy_line in body_lines(note.read_text(encoding="utf-8")), said
                else:
                    assert code == ExitCode.STORAGE and copy.exists(), said
                    assert (
                        "run the command again" in err
                        or "does not read back as written; the copy is kept" in err
                    ), said
                continue
            if code != 0:
                assert code == ExitCode.STORAGE, said
                refusals[err.splitlines()[-1].rsplit(";", 1)[0].split(": ", 2)[-1]] += 1
                if "keeps changing; try again" in err:
                    # Hand edits far faster than hands type kept changing the note under
                    # every try: nothing was written, and the command says so.
                    refused.append(command)
                    continue
                # Two hand edits in the moment the coach's note took the note's place:
                # the second is kept beside it as a conflict copy (merged below), with
                # the coach's change when it was made on the coach's note.
                assert "two other changes came in while it was written" in err, said
                unsure.append(command)
                continue
            if command[0] == "outcome":
                recorded[command[2]] += 1
            elif command[1] == "add":
                added.add(command[3])
                if code == 0:
                    to_do.append(out.strip())
            else:
                done.add(command[2])
        copy.unlink(missing_ok=True)
        if list(note.parent.glob("*-COACH*.md")):
            merged = subprocess.run(
                [coach_bin, "conflicts", "merge", "--all", "--keep", "mine"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert merged.returncode == 0, merged.stderr

        text = note.read_text(encoding="utf-8")
        meta = read_note(note).meta  # the front matter still reads
        history = [e["outcome"] for e in meta["outcome_history"]]
        kept = [entry["what"] for entry in meta.get("follow_ups") or []]
        for command in unsure:  # in the note if the copy kept it
            if command[0] == "outcome" and history.count(command[2]) > recorded[command[2]]:
                recorded[command[2]] += 1
            elif command[1] == "add" and command[-1] in kept:
                added.add(command[-1])
        assert collections.Counter(history) == recorded, f"{name}: outcomes lost or doubled"
        assert meta["outcome"] == history[-1]
        assert sorted(added) == sorted(kept), f"{name}: follow-ups lost or doubled"
        assert done <= set(meta.get("follow_ups_done") or {}), f"{name}: done marks lost"
        in_body = body_lines(text)
        missing = [line for line in hand if line not in in_body]
        assert not missing, f"{name}: hand-written lines lost: {missing}"
        for command in refused:  # a command that said it wrote nothing changed nothing
            assert command[-1] not in (*kept, *(meta.get("follow_ups_done") or {}))
    print(
        f"{number} rounds, {len(hand)} hand lines, merges by exit code {dict(merges)}, "
        f"refused: {dict(refusals)}"
    )


# -- a hand edit at the worst moment, in one process ------------------------------------------

runner = CliRunner()


def replace_by_editor(path: Path, line: str) -> None:
    """A line added as an editor saves: the whole file to a temp file, renamed over the
    note (in one process nothing can come in between, so a plain rename)."""
    temp = path.with_name(".editor.tmp")
    temp.write_bytes(path.read_bytes() + (line + "\n").encode("utf-8"))
    os.replace(temp, path)


IN_PROCESS_EDITS = {"append": append_by_hand, "editor": replace_by_editor}


@pytest.fixture
def one_note(home: Path) -> tuple[Path, str]:
    """Nina's review note, with one follow-up added (its id)."""
    coach = Coach(home)
    prep(coach, project="The Seagull", date="2026-11-20")
    note = review(coach, project="The Seagull", date="2026-11-21")
    role = followups.find_role(season.load_roles(coach), "Nina", None)
    return note, followups.add(coach, role, "Thank-you note", dt.date(2026, 11, 21)).id


EDITING_COMMANDS = {
    "outcome": (["outcome", "Nina", "booked"], lambda meta, _: meta["outcome"] == "booked"),
    "follow-ups add": (
        ["follow-ups", "add", "Nina", "Send the self-tape"],
        lambda meta, _: "Send the self-tape" in [e["what"] for e in meta["follow_ups"]],
    ),
    "follow-ups done": (
        ["follow-ups", "done", "{id}"],
        lambda meta, ident: ident in (meta.get("follow_ups_done") or {}),
    ),
}


def hand_edit_once(note: Path, how: Callable[[Path, str], None]) -> Callable[[], bool]:
    """The edit to make at the chosen moment (once); gives a function that says whether
    it was made."""
    made: list[str] = []

    def edit() -> bool:
        if made:
            return False
        made.append("yes")
        how(note, "Typed by hand meanwhile")
        return True

    return edit


def after_the_check(monkeypatch: pytest.MonkeyPatch, note: Path, edit: Callable[[], bool]) -> None:
    """Make `edit` the moment after the coach's last look at the note before it replaces
    it (the note's bytes read in `fileio`, holding what the coach read)."""
    read_bytes = Path.read_bytes

    def reading(self: Path) -> bytes:
        data = read_bytes(self)
        if self == note and sys._getframe(1).f_globals.get("__name__") == fileio.__name__:
            edit()
        return data

    monkeypatch.setattr(Path, "read_bytes", reading)


def after_the_read(monkeypatch: pytest.MonkeyPatch, edit: Callable[[], bool]) -> None:
    """Make `edit` the moment after the coach read the note, before it writes the change."""
    set_front_matter = notestore.set_front_matter

    def changing(text: str, updates: dict[str, Any]) -> str:
        edit()
        return set_front_matter(text, updates)

    monkeypatch.setattr(notestore, "set_front_matter", changing)


@pytest.mark.parametrize("how", IN_PROCESS_EDITS)
@pytest.mark.parametrize("command", EDITING_COMMANDS)
@pytest.mark.parametrize(
    "moment", ["after the read", pytest.param("after the check", marks=needs_exchange)]
)
def test_a_hand_edit_while_a_command_writes_is_kept(
    one_note: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, moment: str, command: str, how: str
) -> None:
    """A line typed by hand (appended, or saved by an editor) after the coach read the note,
    or even after its last check just before the rename: the change is made on the new
    text, and both are in the note. (After the check, the hand line was lost before.)"""
    note, ident = one_note
    edit = hand_edit_once(note, IN_PROCESS_EDITS[how])
    if moment == "after the read":
        after_the_read(monkeypatch, edit)
    else:
        after_the_check(monkeypatch, note, edit)
    args, made = EDITING_COMMANDS[command]
    result = runner.invoke(app, [a.format(id=ident) for a in args])
    assert result.exit_code == 0, result.output
    assert not edit(), "the hand edit was made while the command wrote"
    written = read_note(note)
    assert made(written.meta, ident)
    assert "Typed by hand meanwhile" in body_lines(written.body)
    assert not [p.name for p in note.parent.iterdir() if p.name.startswith(".")], "no temp left"


@needs_exchange
@pytest.mark.parametrize("how", IN_PROCESS_EDITS)
def test_a_hand_edit_just_before_a_merge_replaces_the_note_stops_it(
    one_note: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """`conflicts merge` writes the merged note only over the note it merged: a line typed
    by hand just before the rename stops it (nothing written, the copy kept), and the
    next merge keeps both lines. (The merged note replaced the hand line before.)"""
    note, _ = one_note
    copy = make_copy(note, "A line from the laptop")
    edit = hand_edit_once(note, IN_PROCESS_EDITS[how])
    after_the_check(monkeypatch, note, edit)
    result = runner.invoke(app, ["conflicts", "merge", "--keep", "mine"])
    assert not edit(), "the hand edit was made while the merge wrote"
    assert result.exit_code == ExitCode.STORAGE, result.output
    assert "changed while merging; nothing was written" in result.output
    assert copy.exists() and "Typed by hand meanwhile" in body_lines(note.read_text("utf-8"))
    assert runner.invoke(app, ["conflicts", "merge", "--keep", "mine"]).exit_code == 0
    lines = body_lines(read_note(note).body)
    assert {"Typed by hand meanwhile", "A line from the laptop"} <= lines
    assert not copy.exists()


def rewrite_by_editor(path: Path, line: str) -> None:
    """An editor's save that changes a line in the middle of the body (not only its end)."""
    text = path.read_text(encoding="utf-8")
    temp = path.with_name(".editor.tmp")
    temp.write_text(text.replace(BODY_HINT, f"{BODY_HINT} {line}"), encoding="utf-8")
    os.replace(temp, path)


def two_edits_in_that_moment(
    note: Path, second: Callable[[Path, str], None]
) -> tuple[Any, Callable[[], bool]]:
    """`coach outcome Nina booked`, with a line appended just after its last check, and
    `second` made on the coach's new note just after it took the note's place (before the
    first is put back); its result."""
    exchange = fileio._exchange
    later = hand_edit_once(note, lambda path, _: second(path, "Typed a moment later"))

    def exchanging(first: Path, other: Path) -> bool:
        done = exchange(first, other)
        later()  # the first exchange only: the coach's new note is at `other` now
        return done

    with pytest.MonkeyPatch.context() as patch:
        after_the_check(patch, note, hand_edit_once(note, append_by_hand))
        patch.setattr(fileio, "_exchange", exchanging)
        return runner.invoke(app, ["outcome", "Nina", "booked"]), later


@needs_exchange
def test_a_line_appended_to_the_new_note_in_that_moment_is_carried_over(
    one_note: tuple[Path, str],
) -> None:
    """A second line appended in the microseconds before the first hand edit is put back
    (the new note in place then): it is added to the end of the first one's text, and
    the change is made on both."""
    note, _ = one_note
    result, later = two_edits_in_that_moment(note, append_by_hand)
    assert result.exit_code == 0, result.output
    assert not later(), "the second edit was made"
    written = read_note(note)
    assert written.outcome == "booked"
    assert written.body.endswith("Typed by hand meanwhile\nTyped a moment later\n")
    assert sorted(p.name for p in note.parent.iterdir() if "review" in p.name) == [note.name]


@needs_exchange
def test_any_other_second_edit_in_that_moment_is_kept_as_a_conflict_copy(
    one_note: tuple[Path, str],
) -> None:
    """A second edit in that moment that changes more than the end: the first hand edit is
    the note again, the second (made on the coach's change) is kept beside it as a
    conflict copy that `coach conflicts merge` takes in, and the command says it did not
    record the outcome."""
    note, _ = one_note
    result, later = two_edits_in_that_moment(note, rewrite_by_editor)
    assert not later(), "the second edit was made"
    assert result.exit_code == ExitCode.STORAGE, result.output
    assert "two other changes came in while it was written" in result.output
    (copy,) = note.parent.glob("*.sync-conflict-*-COACH1.md")
    assert copy.name in result.output
    first = read_note(note)
    assert first.outcome != "booked" and "Typed by hand meanwhile" in body_lines(first.body)
    kept = read_note(copy)
    assert kept.outcome == "booked" and "Typed a moment later" in kept.body
    assert runner.invoke(app, ["conflicts", "merge", "--keep", "theirs"]).exit_code == 0
    merged = read_note(note)
    assert merged.outcome == "booked" and not copy.exists()
    assert "Typed by hand meanwhile" in merged.body and "Typed a moment later" in merged.body


def test_without_an_exchange_of_names_a_change_is_still_checked(
    one_note: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where names cannot be exchanged (macOS, Windows, some file systems), the new note
    is renamed into place after the check: a change is written, and a hand edit made
    before the check is still never replaced."""
    monkeypatch.setattr(fileio, "_renameat2", lambda: None)
    note, ident = one_note
    after_the_read(monkeypatch, hand_edit_once(note, replace_by_editor))
    assert runner.invoke(app, ["follow-ups", "done", ident]).exit_code == 0
    written = read_note(note)
    assert ident in written.meta["follow_ups_done"]
    assert "Typed by hand meanwhile" in body_lines(written.body)


@pytest.mark.parametrize("refusals", [notestore.CHANGE_TRIES + 3, None])
def test_a_note_that_keeps_changing_is_tried_for_a_while_then_refused(
    home: Path, monkeypatch: pytest.MonkeyPatch, refusals: int | None
) -> None:
    """An editor saving every few milliseconds makes each try lose the race: the change is
    made again on the new text for a couple of seconds (not a fixed number of tries), then
    refused with one line and nothing written."""
    coach = Coach(home)
    path = review(coach, "Nina", outcome="callback", date="2026-11-20")
    before = path.read_bytes()
    real = fileio.replace_if_unchanged
    tries: list[int] = []

    def busy_file(target: Path, text: str, *, expected: str) -> bool:
        tries.append(1)
        if refusals is None or len(tries) <= refusals:
            return False  # another writer came in since it was read
        return real(target, text, expected=expected)

    monkeypatch.setattr(fileio, "replace_if_unchanged", busy_file)
    monkeypatch.setattr(notestore, "CHANGE_RETRY_SECONDS", 0.3)
    result = runner.invoke(app, ["outcome", "Nina", "booked"])
    if refusals is not None:
        assert result.exit_code == 0, result.stderr
        assert len(tries) == refusals + 1, "more tries than the fixed five"
        assert read_note(path).meta["outcome"] == "booked"
    else:
        assert result.exit_code == ExitCode.STORAGE
        assert "keeps changing; try again" in result.stderr
        assert len(tries) > notestore.CHANGE_TRIES, "tried for the time, not five times"
        assert path.read_bytes() == before
