"""coach follow-ups: items from a review, done, added; the rest of the note byte for byte."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode
from callback_coach.season import followups
from callback_coach.season import loading as season

from .helpers import REVIEW, prep, review, write_checklist

runner = CliRunner()
DAY = dt.date(2026, 11, 23)
# The built-in review's follow-ups, worded as things to do (ticked ones are done).
THANKS = "thank-you note to the casting office"
AGENT = "short update to your agent or manager"
CONTACTS = "contact details of the people you met"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(season, "current_day", lambda: DAY)


def coach(*args: str):
    return runner.invoke(app, list(args))


def listed(*args: str) -> list[dict]:
    result = coach("follow-ups", *args, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["format"] == 1
    return data["follow_ups"]


def reviewed_nina(home: Path, ticked: list[str]) -> Path:
    c = Coach(home)
    prep(c, project="The Seagull", date="2026-11-20")
    answers = {"after-the-room": {**REVIEW["after-the-room"], "follow-up": ticked}}
    return review(c, answers=answers, outcome="pending", date="2026-11-21")


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


def test_a_reviews_follow_up_answers_become_items(home: Path) -> None:
    reviewed_nina(home, [THANKS])
    items = listed()
    assert [(i["what"], i["done"]) for i in items] == [
        (CONTACTS, None),
        (AGENT, None),
    ]
    first = items[0]
    assert first["role"] == "Nina" and first["project"] == "The Seagull"
    assert first["round"] == "callback-1" and first["source"] == "review"
    assert first["since"] == "2026-11-21" and first["due"] is None
    assert len(first["id"]) == 7
    every = listed("--all")
    assert (THANKS, "2026-11-21") in [(i["what"], i["done"]) for i in every]
    assert listed() == items, "ids and order are the same on every run"


def test_a_review_without_follow_up_answers_has_none(history: Coach) -> None:
    # The only items are the to-dos of the upcoming round's blank time and place.
    items = listed("--all")
    assert {i["source"] for i in items} == {"todo"}
    assert all(i["round"] == "callback-2" for i in items)
    for item in items:
        assert coach("follow-ups", "done", item["id"]).exit_code == 0
    result = coach("follow-ups")
    assert result.exit_code == 0 and result.stdout == ""
    assert "No follow-ups open." in result.stderr


def test_text_answers_one_item_per_line_with_due_days(home: Path) -> None:
    write_checklist(
        home / "checklists",
        "owed.yaml",
        {
            "id": "owed",
            "title": "Owed",
            "phase": "review",
            "version": 1,
            "questions": [{"id": "follow-ups", "prompt": "What do you owe?", "type": "long_text"}],
        },
    )
    c = Coach(home)
    prep(c, project="The Seagull", date="2026-11-20")
    text = (
        "Thank-you card to Anna by friday\n- [x] Update my agent\n\nSend the tape (due 2026-11-30)"
    )
    review(c, answers={**REVIEW, "owed": {"follow-ups": text}}, date="2026-11-21")
    items = listed("--all")
    assert [(i["what"], i["due"], i["done"]) for i in items] == [
        ("Thank-you card to Anna", "2026-11-27", None),  # the Friday after the review
        ("Send the tape", "2026-11-30", None),
        ("Update my agent", None, "2026-11-21"),
    ]


def test_done_changes_only_its_own_lines(home: Path) -> None:
    path = reviewed_nina(home, [])
    # A hand edit: a comment in the front matter and the actor's own text below it.
    text = path.read_text(encoding="utf-8").replace(
        "outcome: pending\n", "outcome: pending\n# mine\n"
    )
    text += "\nMy notes: --- not a fence ---\nfollow_ups_done: in my text\n"
    path.write_text(text, encoding="utf-8")
    item = next(i for i in listed() if i["what"] == CONTACTS)

    result = coach("follow-ups", "done", item["id"][:5])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{item['id']}\n"
    assert f"Done: {CONTACTS} (Nina, callback-1)." in result.stderr
    after = path.read_text(encoding="utf-8")
    removed, added = changed_lines(text, after)
    assert removed == []
    assert added == ["follow_ups_done:\n", f"  '{item['id']}': '2026-11-23'\n"] or added == [
        "follow_ups_done:\n",
        f"  {item['id']}: '2026-11-23'\n",
    ]
    assert after.endswith(text.split("\n---\n", 1)[1]), "the body is untouched"
    assert [i["what"] for i in listed()] == [AGENT, THANKS]
    done = {i["id"]: i["done"] for i in listed("--all")}
    assert done[item["id"]] == "2026-11-23"

    again = coach("follow-ups", "done", item["id"])
    assert again.exit_code == 0
    assert "Already done on 2026-11-23" in again.stderr
    assert path.read_text(encoding="utf-8") == after


def test_add_keeps_the_item_in_the_latest_rounds_note(home: Path) -> None:
    path = reviewed_nina(home, [THANKS, AGENT, CONTACTS])
    before = path.read_text(encoding="utf-8")
    result = coach(
        "follow-ups",
        "add",
        "nina",
        "Send the self-tape, slate first",
        "--due",
        "+2",
        "--for",
        "Anna",
    )
    assert result.exit_code == 0, result.stderr
    ident = result.stdout.strip()
    assert len(ident) == 7
    after = path.read_text(encoding="utf-8")
    removed, added = changed_lines(before, after)
    assert removed == []
    assert added[0] == "follow_ups:\n"
    assert after.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]
    (item,) = listed()
    assert item == {
        "id": ident,
        "role": "Nina",
        "project": "The Seagull",
        "round": "callback-1",
        "what": "Send the self-tape, slate first",
        "for": "Anna",
        "due": "2026-11-25",
        "done": None,
        "status": "open",
        "source": "added",
        "file": path.name,
        "since": "2026-11-23",
    }
    second = coach("follow-ups", "add", "Nina", "Update the agent")
    assert second.exit_code == 0
    # Oldest first; on the same day, the one with a due day first.
    assert [i["what"] for i in listed()] == ["Send the self-tape, slate first", "Update the agent"]
    assert coach("follow-ups", "done", ident).exit_code == 0
    assert [i["what"] for i in listed()] == ["Update the agent"]
    table = coach("follow-ups", "--all")
    assert "Send the self-tape, slate first" in table.stdout and "(for Anna)" in table.stdout
    assert "done 2026-11-23" in table.stdout


def test_add_to_a_role_with_only_a_prep_uses_the_prep(home: Path) -> None:
    path = prep(Coach(home), project="The Seagull", date="2026-11-24")
    result = coach("follow-ups", "add", "Nina", "Print the sides")
    assert result.exit_code == 0
    assert "Print the sides" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["add", "Nobody", "x"], ExitCode.NOT_FOUND, "no notes for 'Nobody'"),
        (["add", "Nina", "x", "--due", "someday"], ExitCode.USAGE, "is not a date"),
        (["add", "Nina", "  "], ExitCode.USAGE, "the follow-up text is empty"),
        (["add", "Nina", "x", "--round", "callback-9"], ExitCode.NOT_FOUND, "no round"),
        (["done", "abc"], ExitCode.USAGE, "at least 4 characters"),
        (["done", "ffffff"], ExitCode.NOT_FOUND, "no follow-up with id 'ffffff'"),
        (["done", "../x"], ExitCode.USAGE, "is not a follow-up id"),
    ],
)
def test_mistakes_are_one_line_and_write_nothing(
    history: Coach, home: Path, args: list[str], code: int, message: str
) -> None:
    before = {p: p.read_bytes() for p in (home / "notes").iterdir()}
    result = coach("follow-ups", *args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert {p: p.read_bytes() for p in (home / "notes").iterdir()} == before


def test_a_role_in_two_projects_needs_project(history: Coach) -> None:
    prep(history, "Nina", project="Other Play", date="2026-12-01")
    result = coach("follow-ups", "add", "Nina", "x")
    assert result.exit_code == ExitCode.AMBIGUOUS
    assert coach("follow-ups", "add", "Nina", "x", "--project", "other play").exit_code == 0
    added = [i["project"] for i in listed() if i["source"] == "added"]
    assert added == ["Other Play"]


def test_a_broken_hand_edit_is_a_warning_and_is_never_rewritten(home: Path) -> None:
    path = reviewed_nina(home, [])
    text = path.read_text(encoding="utf-8").replace(
        "outcome: pending\n", "outcome: pending\nfollow_ups: just a string\nfollow_ups_done: [x]\n"
    )
    path.write_text(text, encoding="utf-8")
    result = coach("follow-ups", "--json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["follow_ups"]) == 3
    assert "follow_ups is not a list" in result.stderr
    assert "follow_ups_done is not a mapping" in result.stderr
    added = coach("follow-ups", "add", "Nina", "x")
    assert added.exit_code == ExitCode.STORAGE
    done = coach("follow-ups", "done", json.loads(result.stdout)["follow_ups"][0]["id"])
    assert done.exit_code == ExitCode.STORAGE
    assert path.read_text(encoding="utf-8") == text


def test_an_id_written_by_hand_with_spaces_can_be_done(home: Path) -> None:
    path = reviewed_nina(home, [])
    text = path.read_text(encoding="utf-8").replace(
        "outcome: pending\n",
        "outcome: pending\nfollow_ups:\n- id: Call Agent\n  what: call the agent back\n",
    )
    path.write_text(text, encoding="utf-8")
    (item,) = [i for i in listed() if i["what"] == "call the agent back"]
    assert item["id"] == "call agent"
    done = coach("follow-ups", "done", "Call Agent")
    assert done.exit_code == 0, done.stderr
    assert [i["what"] for i in listed("--all") if i["done"]] == ["call the agent back"]
    assert "  call agent: '2026-11-23'\n" in path.read_text(encoding="utf-8")


def test_ids_do_not_depend_on_file_names(home: Path) -> None:
    path = reviewed_nina(home, [])
    ids = [i["id"] for i in listed()]
    path.rename(path.with_name("renamed-by-hand.md"))
    assert [i["id"] for i in listed()] == ids


@settings(deadline=None)
@given(
    what=st.text(
        st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=40
    ).filter(lambda t: t.strip()),
)
def test_any_line_keeps_its_words(what: str) -> None:
    text, due, done = followups.parse_line(what, DAY)
    assert not done or "[" in what
    if due is None:
        assert text in what
    assert text == text.strip()


def test_review_items_lapse_after_30_days_added_ones_never(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reviewed_nina(home, [THANKS])
    assert coach("follow-ups", "add", "Nina", "Invite them to the show").exit_code == 0
    monkeypatch.setattr(season, "current_day", lambda: dt.date(2026, 12, 21))  # 30 days on
    assert len(listed()) == 3
    monkeypatch.setattr(season, "current_day", lambda: dt.date(2026, 12, 22))
    assert [i["what"] for i in listed()] == ["Invite them to the show"]
    statuses = {i["what"]: i["status"] for i in listed("--all")}
    assert statuses == {
        AGENT: "lapsed",
        CONTACTS: "lapsed",
        THANKS: "done",
        "Invite them to the show": "open",
    }
    lapsed = next(i for i in listed("--all") if i["what"] == CONTACTS)
    assert coach("follow-ups", "done", lapsed["id"]).exit_code == 0
    assert {i["what"]: i["status"] for i in listed("--all")}[CONTACTS] == "done"
    assert "lapsed" in coach("follow-ups", "--all").stdout


def test_the_same_id_written_in_two_notes_is_refused_not_guessed(home: Path) -> None:
    """Two notes with `id: call agent`: done names both and changes neither; a hint for an
    id with a space is quoted, so it runs as shown."""
    nina = reviewed_nina(home, [])
    c = Coach(home)
    prep(c, "Masha", project="Three Sisters", date="2026-11-20")
    masha = review(c, "Masha", outcome="pending", date="2026-11-21")
    for path, what in ((nina, "call the agent back"), (masha, "call agent about Masha")):
        text = path.read_text(encoding="utf-8").replace(
            "outcome: pending\n",
            f"outcome: pending\nfollow_ups:\n- id: Call Agent\n  what: {what}\n  due: 2026-11-24\n",
        )
        path.write_text(text, encoding="utf-8")
    before = {p: p.read_bytes() for p in (nina, masha)}
    result = coach("follow-ups", "done", "call agent")
    assert result.exit_code == ExitCode.AMBIGUOUS
    assert "Nina: call the agent back" in result.stderr and "Masha" in result.stderr
    assert {p: p.read_bytes() for p in (nina, masha)} == before
    today = coach("today")
    assert "coach follow-ups done 'call agent'" in today.stdout
    calendar = coach("export", "calendar").stdout.replace("\r\n ", "")
    assert "coach follow-ups done 'call agent'" in calendar


def test_an_id_yaml_reads_as_a_number_says_to_quote_it(home: Path) -> None:
    path = reviewed_nina(home, [])
    text = path.read_text(encoding="utf-8").replace(
        "outcome: pending\n", "outcome: pending\nfollow_ups:\n- id: 42\n  what: call back\n"
    )
    path.write_text(text, encoding="utf-8")
    result = coach("follow-ups", "--json")
    assert result.exit_code == 0
    assert "follow_ups entry 1: its id is read as a number or yes/no" in result.stderr
    assert "put it in quotes" in result.stderr
