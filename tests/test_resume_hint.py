"""The command the stop line gives after Ctrl-C is the shortest that resumes the draft:
plain `coach prep ROLE` when that goes straight to the offer to resume this draft;
`--project` and `--round` only when the plain command would ask something first (which
project, a draft left elsewhere) or find another draft (of a round started later); the
day and the path only when the draft does not say them.

Each case starts a session through the CLI with the options an actor would type, stops
it, runs the printed command as printed, and checks that the first thing it asks is to
resume this draft, that it asks only what is left, and that the note saved keeps the
answers given before the stop, with the draft's day and path. The prompts are a scripted
asker behind the CLI; test_flow_e2e.py types at the real prompts in a terminal.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from callback_coach.cli import console, session_cmd
from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode
from callback_coach.store import paths
from callback_coach.store.drafts import DraftStore
from callback_coach.store.notes import Note

from .helpers import saved_notes
from .scripted import ScriptedAsker

runner = CliRunner()
TODAY = dt.date.today()
DAY = (TODAY + dt.timedelta(days=4)).isoformat()  # the callback's day, as --date gives it
LAST_WEEK = (TODAY - dt.timedelta(days=7)).isoformat()
SISTERS, SEAGULL = "Three Sisters", "The Seagull"

CHECKLISTS = {
    "intent.yaml": """
id: intent
title: Intent
phase: prep
questions:
  - {id: want, prompt: What do you want?, type: text, required: true, quick: true}
  - {id: obstacle, prompt: What is in the way?, type: text, required: true}
  - {id: place, prompt: Where is it?, type: text, quick: true}
""",
    "voice.yaml": """
id: voice
title: Voice
phase: prep
questions:
  - {id: breath, prompt: How will you breathe?, type: text, quick: true}
""",
    "closing.yaml": """
id: closing
title: Closing check
phase: prep
closing: true
questions:
  - {id: ready, prompt: Do you know what you want?, type: confirm, revisit: intent}
""",
    "room.yaml": """
id: room
title: Room
phase: review
questions:
  - {id: direction, prompt: What direction did you get?, type: text, required: true}
  - {id: worked, prompt: What worked?, type: text}
""",
}


@pytest.fixture(autouse=True)
def checklists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' own checklists in place of the built-in ones, and a terminal."""
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    for name, text in CHECKLISTS.items():
        (builtin / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "builtin_checklists_dir", lambda: builtin)
    monkeypatch.setattr(console, "stdin_is_terminal", lambda: True)


def coach(monkeypatch: pytest.MonkeyPatch, asker: ScriptedAsker, *words: str) -> Result:
    """`coach WORDS` in a terminal whose prompts `asker` answers."""
    monkeypatch.setattr(session_cmd, "terminal_asker", lambda: asker)
    return runner.invoke(app, list(words))


def stop(
    monkeypatch: pytest.MonkeyPatch,
    words: str,
    answers: dict[str, Any],
    choices: tuple[str, ...] = (),
) -> str:
    """Run `coach WORDS`, give `answers` (after `choices`), Ctrl-C at the next question;
    the command the stop line gives."""
    asker = ScriptedAsker(answers, choices, interrupt_after=len(answers))
    result = coach(monkeypatch, asker, *shlex.split(words)[1:])
    assert result.exit_code == ExitCode.INTERRUPTED, result.output
    found = re.search(r"kept in a draft; run `([^`]+)` to resume\.\n", result.stderr)
    assert found, result.stderr
    return found.group(1)


def resume(
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    first: str,
    rest: dict[str, Any],
    choices: tuple[str, ...] = ("save", "done"),
) -> tuple[ScriptedAsker, Note]:
    """Run `command` as printed: its first question is `first` (the offer to resume);
    resume, answer `rest`, save. The asker and the note saved."""
    words = shlex.split(command)
    assert words[0] == "coach"
    asker = ScriptedAsker(rest, ("resume", *choices))
    before = {n.path for n in saved_notes(Path(paths.coach_home()))}
    result = coach(monkeypatch, asker, *words[1:])
    assert result.exit_code == 0, result.output
    assert asker.menus[0][0] == first, "nothing is asked before the offer to resume"
    assert asker.asked == list(rest), "only what is left is asked"
    (note,) = [n for n in saved_notes(Path(paths.coach_home())) if n.path not in before]
    return asker, note


def saved(role: str, project: str, kind: str = "prep") -> None:
    """A note of `role` in `project`: a prep last week, or its review."""
    c = Coach(Path(paths.coach_home()))
    if kind == "prep":
        plan = c.plan_prep(role, project=project, date=LAST_WEEK)
        c.save_answers(plan, {"intent": {"want": "to stay", "obstacle": "the town"}})
    else:
        plan = c.plan_review(role, project=project, outcome="callback")
        c.save_answers(plan, {"room": {"direction": "slower"}})


def offer(kind: str, round_label: str, answers: int) -> str:
    noun = "answer" if answers == 1 else "answers"
    return (
        f"You have an unfinished {kind} for Masha ({round_label}) with {answers} {noun}. Resume it?"
    )


def test_a_new_role_resumes_with_its_name_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """No note yet, one draft: its project, round, day and path are the draft's."""
    command = stop(
        monkeypatch,
        f"coach prep Masha --project '{SISTERS}' --round callback-1 --date {DAY} --quick",
        {"intent.want": "to go to Moscow", "intent.place": "Studio 4"},
    )
    assert command == "coach prep Masha"
    _, note = resume(
        monkeypatch,
        command,
        offer("prep", "callback-1", 2),
        {"voice.breath": "low", "closing.ready": True},
    )
    assert (note.project, note.round, note.date, note.meta["path"]) == (
        SISTERS,
        "callback-1",
        DAY,
        "quick",
    )
    assert note.answers["intent"] == {"want": "to go to Moscow", "place": "Studio 4"}
    assert note.answers["voice"] == {"breath": "low"}


def test_a_role_without_a_project_resumes_with_its_name_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    command = stop(monkeypatch, f"coach prep Masha --date {DAY} -c intent", {"intent.want": "x"})
    assert command == "coach prep Masha"
    _, note = resume(
        monkeypatch,
        command,
        offer("prep", "callback-1", 1),
        {"intent.obstacle": "y", "intent.place": "z", "closing.ready": True},
    )
    assert (note.project, note.date, note.meta["path"]) == ("", DAY, "checklist")
    assert note.answers["intent"] == {"want": "x", "obstacle": "y", "place": "z"}


def test_a_role_with_notes_in_one_project_resumes_with_its_name_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved("Masha", SISTERS)
    saved("Masha", SISTERS, "review")
    command = stop(
        monkeypatch,
        f"coach prep Masha --project '{SISTERS}' --round callback-2 --date {DAY} --quick",
        {"intent.want": "to be heard"},
    )
    assert command == "coach prep Masha"
    _, note = resume(
        monkeypatch,
        command,
        offer("prep", "callback-2", 1),
        {"intent.place": "Studio 4", "voice.breath": "low", "closing.ready": True},
    )
    assert (note.project, note.round, note.date) == (SISTERS, "callback-2", DAY)
    assert note.answers["intent"]["want"] == "to be heard"


def test_a_role_in_two_projects_names_its_project(monkeypatch: pytest.MonkeyPatch) -> None:
    saved("Masha", SISTERS)
    saved("Masha", SEAGULL)
    command = stop(
        monkeypatch,
        f"coach prep Masha --project '{SISTERS}' --round callback-1 --date {DAY} -c intent",
        {"intent.want": "to be heard", "intent.obstacle": "Vershinin leaves"},
    )
    assert command == f"coach prep Masha --project '{SISTERS}'"
    _, note = resume(
        monkeypatch,
        command,
        offer("prep", "callback-1", 2),
        {"intent.place": "Studio 4", "closing.ready": True},
    )
    assert (note.project, note.date, note.meta["path"]) == (SISTERS, DAY, "checklist")
    assert note.answers["intent"]["obstacle"] == "Vershinin leaves"


def test_a_draft_in_another_project_than_the_notes_names_its_project(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved("Masha", SEAGULL)
    command = stop(
        monkeypatch,
        f"coach prep Masha --project '{SISTERS}' --date {DAY} --quick",
        {"intent.want": "to be heard"},
    )
    assert command == f"coach prep Masha --project '{SISTERS}'"
    plain = ScriptedAsker(choices=[])
    with pytest.raises(AssertionError, match="no scripted choice"):
        Coach(Path(paths.coach_home())).plan_prep("Masha", asker=plain)
    assert plain.menus[0][0] == "Masha has an unfinished prep elsewhere. Resume it?"
    _, note = resume(
        monkeypatch,
        command,
        offer("prep", "callback-1", 1),
        {"intent.place": "Studio 4", "voice.breath": "low", "closing.ready": True},
    )
    assert (note.project, note.round, note.date) == (SISTERS, "callback-1", DAY)
    assert note.answers["intent"]["want"] == "to be heard"


def test_a_draft_older_than_another_rounds_names_its_round(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = stop(
        monkeypatch,
        f"coach prep Masha --project '{SISTERS}' --round callback-1 --date {DAY} --quick",
        {"intent.want": "to be heard"},
    )
    assert first == "coach prep Masha"
    store = DraftStore(Path(paths.coach_home()))
    (draft,) = store.find("prep", "Masha", SISTERS, "callback-1")
    draft.started = (dt.datetime.now().astimezone() - dt.timedelta(hours=1)).isoformat(
        "T", "seconds"
    )
    store.save(draft)
    later = stop(
        monkeypatch,
        f"coach prep Masha --round callback-2 --date {DAY} --quick",
        {"intent.want": "x"},
    )
    assert later == "coach prep Masha", "the newest draft is the one plain resumes"
    # Back to callback-1: now its command needs the round.
    command = stop(
        monkeypatch,
        "coach prep Masha --round callback-1",
        {"intent.place": "Studio 4"},
        choices=("resume",),
    )
    assert command == "coach prep Masha --round callback-1"
    _, note = resume(
        monkeypatch,
        command,
        offer("prep", "callback-1", 2),
        {"voice.breath": "low", "closing.ready": True},
    )
    assert note.round == "callback-1" and note.date == DAY
    assert note.answers["intent"] == {"want": "to be heard", "place": "Studio 4"}


def test_drafts_in_two_projects_name_the_project_and_the_round(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stop(
        monkeypatch,
        f"coach prep Masha --project '{SEAGULL}' --round callback-2 --date {DAY} --quick",
        {"intent.want": "to stay"},
    )
    command = stop(
        monkeypatch,
        f"coach prep Masha --project '{SISTERS}' --round callback-1 --date {DAY} --quick",
        {"intent.want": "to be heard"},
    )
    # Plain or --round alone would first offer the draft left in The Seagull; with
    # --project, a draft of another named project is not offered.
    assert command == f"coach prep Masha --project '{SISTERS}'"
    _, note = resume(
        monkeypatch,
        command,
        offer("prep", "callback-1", 1),
        {"intent.place": "Studio 4", "voice.breath": "low", "closing.ready": True},
    )
    assert (note.project, note.round) == (SISTERS, "callback-1")
    assert note.answers["intent"]["want"] == "to be heard"


def test_a_day_given_when_resuming_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """A resume given another --date moves the draft to that day: the next resume needs
    no --date."""
    stop(monkeypatch, f"coach prep Masha --date {DAY} --quick", {"intent.want": "to be heard"})
    other = (TODAY + dt.timedelta(days=5)).isoformat()
    command = stop(
        monkeypatch,
        f"coach prep Masha --date {other}",
        {"intent.place": "Studio 4"},
        choices=("resume",),
    )
    assert command == "coach prep Masha"
    _, note = resume(
        monkeypatch,
        command,
        offer("prep", "callback-1", 2),
        {"voice.breath": "low", "closing.ready": True},
    )
    assert note.date == other and note.meta["path"] == "quick"


def test_a_review_resumes_with_the_role_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    saved("Masha", SISTERS)
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    command = stop(
        monkeypatch,
        f"coach review Masha --project '{SISTERS}' --round callback-1 --date {yesterday} "
        "--outcome hold",
        {"room.direction": "lighter"},
    )
    assert command == "coach review Masha"
    _, note = resume(
        monkeypatch,
        command,
        offer("review", "callback-1", 1),
        {"room.worked": "the pause"},
        choices=("save",),
    )
    assert (note.kind, note.project, note.date, note.outcome) == (
        "review",
        SISTERS,
        yesterday,
        "hold",
    )
    assert note.answers["room"] == {"direction": "lighter", "worked": "the pause"}


def test_a_review_of_a_role_in_two_projects_names_its_project(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved("Masha", SISTERS)
    saved("Masha", SEAGULL)
    command = stop(
        monkeypatch,
        f"coach review Masha --project '{SISTERS}' --outcome pending",
        {"room.direction": "lighter"},
    )
    assert command == f"coach review Masha --project '{SISTERS}'"
    _, note = resume(
        monkeypatch,
        command,
        offer("review", "callback-1", 1),
        {"room.worked": "the pause"},
        choices=("save",),
    )
    assert (note.project, note.date, note.outcome) == (SISTERS, LAST_WEEK, "pending")
    assert note.answers["room"]["direction"] == "lighter"


def test_a_draft_of_the_same_round_elsewhere_is_not_offered_with_project(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A prep given --project is not offered a draft of another named project (that one
    would be resumed by its own --project): the command names the project, and goes
    straight to the offer to resume this draft, which keeps its day and path."""
    stop(
        monkeypatch,
        f"coach prep Masha --project '{SEAGULL}' --round callback-1 --date {DAY} --quick",
        {"intent.want": "to stay"},
    )
    command = stop(
        monkeypatch,
        f"coach prep Masha --project '{SISTERS}' --round callback-1 --date {DAY} --quick",
        {"intent.want": "to be heard"},
    )
    assert command == f"coach prep Masha --project '{SISTERS}'"
    rest = {"intent.place": "Studio 4", "voice.breath": "low", "closing.ready": True}
    asker = ScriptedAsker(rest, ("resume", "save", "done"))
    result = coach(monkeypatch, asker, *shlex.split(command)[1:])
    assert result.exit_code == 0, result.output
    assert asker.menus[0][0] == offer("prep", "callback-1", 1)
    (note,) = saved_notes(Path(paths.coach_home()))
    assert (note.project, note.date, note.meta["path"]) == (SISTERS, DAY, "quick")
    assert note.answers["intent"] == {"want": "to be heard", "place": "Studio 4"}
