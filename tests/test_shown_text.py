"""Every command that shows text passes it through the one sanitiser: over all of Unicode's
control (Cc) and format (Cf) characters, in every name, answer, follow-up, checklist, drill
note, sides line and conflict copy, nothing raw reaches standard output or standard error
(but line feeds, tabs and a joiner inside an emoji), and nothing is left for the consoles'
last net (U+FFFD): each path makes the text visible itself."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli import console
from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.season import loading as season
from callback_coach.store.drafts import Draft, DraftStore

from .lines_helpers import SCREENPLAY
from .lines_scripted import import_sides

runner = CliRunner()
DAY = dt.date(2026, 11, 23)
CONTROLS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cc"]
FORMATS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
WOMAN, LAPTOP = "\U0001f469", "\U0001f4bb"
# Hostile text: controls and format characters among letters, spaces and emoji (so that a
# joiner sometimes stands between two pictographs, where it belongs to the emoji).
HOSTILE = st.text(
    st.sampled_from(CONTROLS) | st.sampled_from(FORMATS) | st.sampled_from([*"ab ", WOMAN, LAPTOP]),
    min_size=1,
    max_size=16,
)
# Every control and format character of Unicode, in pieces a role name can hold.
EVERYTHING = "".join(CONTROLS + FORMATS)
PIECES = [EVERYTHING[at : at + 60] for at in range(0, len(EVERYTHING), 60)]


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(season, "current_day", lambda: DAY)


def raw_left(text: str) -> list[str]:
    """The characters of `text` a terminal would act on or hide (not a line feed, a tab
    or a joiner between two pictographs)."""
    return [
        f"U+{ord(ch):04X}"
        for at, ch in enumerate(text)
        if unicodedata.category(ch) in ("Cc", "Cf")
        and ch not in "\n\t"
        and not (ch == console.ZWJ and console.joins_emoji(text, at))
    ]


@contextmanager
def home_of_hostile_text(hostile: str) -> Iterator[tuple[Path, dict[str, str]]]:
    """A coach home where everything the actor (or a file) wrote holds `hostile`."""
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        env = {"COACH_HOME": str(home), "COACH_CACHE_DIR": str(Path(folder) / "cache")}
        saved = {key: os.environ.get(key) for key in env}
        os.environ.update(env)
        try:
            build(home, hostile)
            yield home, env
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def one_line(text: str) -> str:
    """`text` without what would break it into lines (a one-line answer refuses those)."""
    return "".join(ch for ch in text if len(f"a{ch}b".splitlines()) == 1)


def build(home: Path, h: str) -> None:
    line = one_line(h)
    coach = Coach(home)
    plan = coach.plan_prep("Nina" + h, project="P" + h, date="2026-11-25")
    plan.extra.update({"casting_office": "Office" + h, "place": "Studio" + h, "time": "14:30"})
    coach.save_answers(
        plan, {"refine-intention": {"want": "want" + line, "obstacle": "obstacle" + h}}
    )
    plan = coach.plan_review("Nina" + h, date="2026-11-20")
    review = {"direction": "less" + h, "who-was-there": "Anna" + line, "one-thing": "one" + line}
    coach.save_answers(plan, {"after-the-room": review})
    added = runner.invoke(
        app,
        [
            "follow-ups",
            "add",
            "--due",
            "2026-11-24",
            "--for",
            "Ann" + h,
            "--",
            "Nina" + h,
            "send" + h,
        ],
    )
    assert added.exit_code == 0, added.stderr
    DraftStore(home).save(
        Draft(
            kind="prep",
            role="Kostya" + h,
            project="S" + h,
            round="callback-1",
            date="2026-11-24",
            checklists=["refine-intention"],
            answers={"refine-intention": {"want": "x" + h}},
            started="2026-11-22T20:00:00+00:00",
            chosen=["refine-intention"],
        )
    )
    (home / "checklists").mkdir(parents=True, exist_ok=True)
    checklist = {
        "id": "hostile",
        "title": "Title" + line,
        "phase": "prep",
        "intro": "Intro" + h,
        "questions": [
            {"id": "q", "prompt": "Prompt" + line, "help": "help" + line, "type": "text"},
            {"id": "s", "prompt": "Pick", "type": "select", "choices": ["a" + line, "b"]},
        ],
    }
    (home / "checklists" / "hostile.yaml").write_text(
        yaml.safe_dump(checklist, allow_unicode=True), encoding="utf-8"
    )
    # Sides are read as text: a control character makes a file binary, format ones do not.
    text_only = "".join(ch for ch in h if ch not in CONTROLS)
    sides = SCREENPLAY.replace("Not to me.", f"Not{text_only} to me.")
    import_sides(home, sides, role="Zoe" + h, project="B" + h, character="ZOE")
    notes = home / "notes"
    (prepped,) = notes.glob("*_prep.md")
    copy = prepped.read_text(encoding="utf-8").replace("want: ", "want: other ", 1)
    copy += f"A line{text_only} from the laptop\n"
    name = f"{prepped.stem}.sync-conflict-20261201-123456-ABCDEFG.md"
    (notes / name).write_text(copy, encoding="utf-8")


def commands(home: Path, h: str) -> list[list[str]]:
    (prepped,) = (home / "notes").glob("*_prep.md")
    role = ["--", "Nina" + h]
    return [
        ["list"],
        ["list", "--json"],
        ["show", *role],
        ["show", "--json", *role],
        ["search", "want"],
        ["search", "--json", "want"],
        ["search", "Studio"],
        ["today"],
        ["today", "--json"],
        ["follow-ups"],
        ["stats", "--by", "project"],
        ["stats", "--by", "office"],
        ["card", *role],
        ["checklists", "list"],
        ["checklists", "show", "hostile"],
        ["drill", "--list", "--seed", "1", *role],
        ["drill", "--list", "--json", "--seed", "1", *role],
        ["sides", "list"],
        ["sides", "show", "--", "Zoe" + h],
        ["lines", "--list", "--", "Zoe" + h],
        ["conflicts", "list"],
        ["conflicts", "show", prepped.name],
    ]


COMPLETIONS = {
    "bash": {"COMP_WORDS": "coach\nshow\n", "COMP_CWORD": "2"},
    "zsh": {"_TYPER_COMPLETE_ARGS": "coach show "},
    "fish": {"_TYPER_COMPLETE_ARGS": "coach show ", "_TYPER_COMPLETE_FISH_ACTION": "get-args"},
    "powershell": {"_TYPER_COMPLETE_ARGS": "coach show ", "_TYPER_COMPLETE_WORD_TO_COMPLETE": ""},
    "pwsh": {"_TYPER_COMPLETE_ARGS": "coach show ", "_TYPER_COMPLETE_WORD_TO_COMPLETE": ""},
}


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@example(PIECES[0])
@example(PIECES[1])
@example(PIECES[2])
@example(PIECES[3])
@example(f"\u202e\u200b\ufeff\u200f\u061c\x1b]0;title\x07\x1b]52;c;eA==\x07 {WOMAN}\u200d{LAPTOP}")
@given(HOSTILE)
def test_no_command_shows_a_control_or_format_character_raw(hostile: str) -> None:
    assert len(PIECES) == 4, "every piece is an example"
    with home_of_hostile_text(hostile) as (home, env):
        for args in commands(home, hostile):
            result = runner.invoke(app, args, env=env)
            assert result.exit_code == 0, (args, result.stderr)
            shown = result.stdout + result.stderr
            assert not raw_left(shown), (args, raw_left(shown), shown)
            assert "\ufffd" not in shown, (args, "left for the last net", shown)
        for shell, words in COMPLETIONS.items():
            request = {**env, **words, "_COACH_COMPLETE": f"complete_{shell}"}
            result = runner.invoke(app, [], env=request, prog_name="coach")
            shown = result.stdout + result.stderr
            assert not raw_left(shown), (shell, raw_left(shown), shown)


@pytest.mark.parametrize(
    ("hostile", "shown"), [("\u202e", "\\u202e"), ("\u200b", "\\u200b"), ("\x1b", "\\x1b")]
)
def test_the_hostile_text_is_shown_in_its_visible_form(hostile: str, shown: str) -> None:
    with home_of_hostile_text(hostile) as (home, env):
        for args in commands(home, hostile):
            if "--json" in args or args[0] in (
                "search",
                "checklists",
                "sides",
                "lines",
                "conflicts",
            ):
                continue
            result = runner.invoke(app, args, env=env)
            assert shown in result.stdout, (args, result.stdout)
