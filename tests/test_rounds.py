"""Multi-round flows: prep, review, prep again with carry-over; outcomes; ambiguous roles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.errors import AmbiguousError, ExitCode, NotFoundError, StorageError
from callback_coach.store.labels import next_round, normalize_round
from callback_coach.store.notes import read_note

from .helpers import REVIEW, prep, review
from .scripted import ScriptedAsker

runner = CliRunner()


@pytest.mark.parametrize(
    ("label", "stored"),
    [
        ("callback-2", "callback-2"),
        ("Callback 2", "callback-2"),
        ("callback2", "callback-2"),
        ("AUDITION", "audition"),
        ("screen test", "screen-test"),
        ("Table read", "table-read"),
    ],
)
def test_round_labels(label: str, stored: str) -> None:
    assert normalize_round(label) == stored


@pytest.mark.parametrize("label", ["", "callback-0", "../etc", "x" * 31, "callback-x"])
def test_bad_round_labels(label: str) -> None:
    with pytest.raises(ValueError):
        normalize_round(label)


def test_next_round() -> None:
    assert next_round([]) == "callback-1"
    assert next_round(["audition"]) == "callback-1"
    assert next_round(["callback-1", "audition", "callback-2"]) == "callback-3"
    assert next_round(["callback-1", "producers"]) == "callback-2"


def test_prep_review_prep_carries_over(home: Path) -> None:
    coach = Coach(home)
    first = prep(coach, project="The Seagull")
    rv = read_note(review(coach, "nina", outcome="callback"))
    assert (rv.kind, rv.round, rv.outcome, rv.project) == (
        "review",
        "callback-1",
        "callback",
        "The Seagull",
    )
    assert rv.meta["prep_note"] == first.name

    plan = coach.plan_prep("NINA")
    assert plan.round == "callback-2" and plan.role == "Nina" and plan.project == "The Seagull"
    assert plan.defaults["recall-what-worked.what-worked"] == "The pause before the last line"
    assert plan.defaults["recall-what-worked.direction-last-time"] == "Less pleading,\nmore pride"
    assert plan.defaults["recall-what-worked.wardrobe"] == "Blue dress, hair down"
    assert plan.defaults["recall-what-worked.who-will-be-there"] == "Anna (casting), the director"
    assert plan.defaults["recall-what-worked.work-on"] == "Breathe before the exit"
    assert "recall-what-worked.refresh" not in plan.defaults, "not the work item"
    assert "refine-intention.want" not in plan.defaults, "the want is refined, not copied"
    assert plan.extra["people_met"] == ["Anna (casting), the director"]
    assert plan.last_round.round == "callback-1" and plan.last_round.outcome == "callback"
    assert ("What direction or adjustments did they give you?", "Less pleading,\nmore pride") in (
        plan.last_round.items
    )

    asker = ScriptedAsker(
        {
            "recall-what-worked.what-worked": "The pause, and the stillness after",
            "refine-intention.want": "to be chosen",
        },
        choices=["save"],
    )
    result = coach.run_session(plan, asker)
    assert asker.defaults_seen["recall-what-worked.wardrobe"] == "Blue dress, hair down"
    answers = result.note.answers["recall-what-worked"]
    assert answers["what-worked"] == "The pause, and the stillness after"
    assert answers["wardrobe"] == "Blue dress, hair down"
    assert result.note.round == "callback-2"
    assert result.note.meta["people_met"] == ["Anna (casting), the director"]


def test_carry_over_follows_the_recall_keys_in_the_yaml(home: Path) -> None:
    user = home / "checklists"
    user.mkdir(parents=True)
    (user / "recall.yaml").write_text(
        "id: recall-what-worked\ntitle: My recall\nphase: prep\nquestions:\n"
        "  - id: remembered\n    prompt: What did you wear?\n    type: text\n"
        "    recall: after-the-room.wardrobe\n",
        encoding="utf-8",
    )
    coach = Coach(home)
    prep(coach)
    review(coach, outcome="callback")
    plan = coach.plan_prep("Nina")
    assert {k: v for k, v in plan.defaults.items() if k.startswith("recall")} == {
        "recall-what-worked.remembered": "Blue dress, hair down"
    }


def test_first_round_asks_about_the_first_audition(home: Path) -> None:
    plan = Coach(home).plan_prep("Nina")
    recall = next(c for c in plan.checklists if c.id == "recall-what-worked")
    assert recall.question("what-worked").prompt == (
        "Rewatch your tape or replay your first audition in your mind. "
        "What worked that you will keep just as it was?"
    )
    assert plan.last_round is None and plan.defaults == {}


def test_review_picks_the_latest_round_prepared_but_not_reviewed(home: Path) -> None:
    coach = Coach(home)
    prep(coach)
    review(coach, outcome="callback")
    prep(coach)  # callback-2
    assert coach.plan_review("Nina").round == "callback-2"
    review(coach, outcome="pending")
    # Nothing left to review: the latest round is offered again.
    assert coach.plan_review("Nina").round == "callback-2"


def test_review_without_any_prep_uses_the_first_callback(home: Path) -> None:
    rv = read_note(review(Coach(home), "Konstantin", project="The Seagull", outcome="released"))
    assert rv.round == "callback-1" and "prep_note" not in rv.meta


def test_review_asks_for_the_outcome_when_not_given(home: Path) -> None:
    coach = Coach(home)
    prep(coach)
    asker = ScriptedAsker({"after-the-room.one-thing": "breathe"}, choices=["hold", "save"])
    result = coach.run_session(coach.plan_review("Nina"), asker)
    assert result.note.outcome == "hold"
    assert asker.menus[0][1] == ["pending", "callback", "avail", "hold", "booked", "released"]


def test_review_answers_file_defaults_outcome_to_pending(home: Path) -> None:
    coach = Coach(home)
    assert read_note(review(coach)).outcome == "pending"


def test_outcome_later_changes_only_the_outcome(home: Path) -> None:
    coach = Coach(home)
    prep(coach)
    path = review(coach, outcome="pending")
    text = path.read_text(encoding="utf-8")
    edited = text.replace("outcome: pending\n", "outcome: pending\n# my comment\nagent: Sam\n")
    edited += "\nMy own words.\n---\nstill mine\n"
    path.write_text(edited, encoding="utf-8")

    note = coach.record_outcome("nina", "Booked")
    assert note.path == path and note.outcome == "booked"
    after = path.read_text(encoding="utf-8")
    changed = [line for line in after.splitlines() if line not in edited.splitlines()]
    at = note.meta["outcome_updated"]
    assert changed == [
        "outcome: booked",
        f"outcome_updated: '{at}'",
        "outcome_history:",
        "- outcome: booked",
        f"  at: '{at}'",
    ]
    added = "".join(line + "\n" for line in changed[1:])
    assert after.replace(added, "").replace(changed[0], "outcome: pending") == edited


def test_a_replaced_outcome_is_kept_and_still_counts_in_the_season(home: Path) -> None:
    """A hold that became a release: the note keeps every change with its time under
    `outcome_history` (only the outcome lines change), `show --json` gives the earlier
    ones, and `stats` still counts the role as reaching avail/hold."""
    import json

    from typer.testing import CliRunner

    from callback_coach.cli.app import app

    coach = Coach(home)
    prep(coach)
    path = review(coach, outcome="hold")
    before = path.read_text(encoding="utf-8")
    coach.record_outcome("Nina", "released")
    after = path.read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added[:1] == ["outcome: released"] and "outcome_history:" in added
    assert "- outcome: hold" in added and "- outcome: released" in added

    def history() -> list[str]:
        return [e["outcome"] for e in read_note(path).meta["outcome_history"]]

    assert history() == ["hold", "released"]
    same = path.read_bytes()
    coach.record_outcome("Nina", "released")  # the same again: nothing more kept
    assert path.read_bytes() == same
    coach.record_outcome("Nina", "booked")
    assert history() == ["hold", "released", "booked"]
    assert all(e["at"] for e in read_note(path).meta["outcome_history"])
    runner = CliRunner()
    shown = json.loads(runner.invoke(app, ["show", "Nina", "--json"]).stdout)
    assert shown["rounds"][0]["reviews"][0]["earlier_outcomes"] == ["hold", "released"]
    assert "booked (was hold, released)" in runner.invoke(app, ["show", "Nina"]).stdout
    coach.record_outcome("Nina", "released")
    stats = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    # Booked, then released: it got that far (the funnel), and it is released now.
    assert [s["roles"] for s in stats["funnel"]] == [1, 1, 1, 1]
    assert stats["now"] == {"open": 0, "released": 1, "booked": 0}


def test_outcome_on_a_round_with_only_a_prep(home: Path) -> None:
    coach = Coach(home)
    path = prep(coach)
    assert coach.record_outcome("Nina", "avail").path == path
    assert read_note(path).outcome == "avail"
    # "callback" means a next round: the next prep is callback-2.
    coach.record_outcome("Nina", "callback")
    assert coach.plan_prep("Nina").round == "callback-2"


def test_outcome_errors(home: Path) -> None:
    coach = Coach(home)
    with pytest.raises(NotFoundError, match="no notes for 'Nobody'"):
        coach.record_outcome("Nobody", "booked")
    prep(coach)
    with pytest.raises(NotFoundError, match="has no round 'callback-5'"):
        coach.record_outcome("Nina", "booked", round_label="callback-5")
    result = runner.invoke(app, ["outcome", "Nina", "famous"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "error: outcome 'famous' is not one of: pending, callback, avail, hold, booked, released\n"
    )


def test_roles_match_case_and_accent_insensitively(home: Path) -> None:
    coach = Coach(home)
    prep(coach, "Zoë", project="Les Misérables", date="2026-11-02")
    plan = coach.plan_prep("ZOE")
    assert (plan.role, plan.project, plan.round) == ("Zoë", "Les Misérables", "callback-2")


def test_a_role_in_two_projects_must_be_chosen(home: Path) -> None:
    coach = Coach(home)
    prep(coach, project="The Seagull")
    prep(coach, project="Uncle Vanya")
    with pytest.raises(AmbiguousError) as info:
        coach.plan_prep("Nina")
    assert info.value.message == (
        "role 'Nina' appears in several projects ('The Seagull', 'Uncle Vanya'): add --project"
        " (as written here)"
    )
    plan = coach.plan_prep("Nina", choose_project=lambda options: options[1])
    assert plan.project == "Uncle Vanya"
    result = runner.invoke(app, ["review", "Nina", "--answers", "-"], input="{}")
    assert result.exit_code == ExitCode.AMBIGUOUS
    assert "add --project" in result.stderr
    ok = runner.invoke(
        app, ["review", "Nina", "-p", "the seagull", "--answers", "-"], input=json.dumps(REVIEW)
    )
    assert ok.exit_code == 0, ok.stderr
    assert read_note(Path(ok.stdout.strip())).project == "The Seagull"


def test_review_cli_without_terminal(home: Path) -> None:
    result = runner.invoke(app, ["review", "Nina"])
    assert result.exit_code == ExitCode.NO_TERMINAL
    assert "pass --answers" in result.stderr


def test_review_answers_are_validated_like_prep(home: Path) -> None:
    result = runner.invoke(
        app,
        ["review", "Nina", "--answers", "-"],
        input=json.dumps({"after-the-room": {"commitment": 9}}),
    )
    assert result.exit_code == ExitCode.ANSWERS_INVALID
    assert result.stderr.splitlines()[1:] == [
        "  <stdin>: after-the-room.commitment: 9 is outside 1..5",
        "  <stdin>: after-the-room.one-thing: required, but no answer",
    ]


def test_prep_sees_a_note_a_hand_edit_moved_into_its_role(home: Path) -> None:
    """A note whose role was changed by hand (after the index last read it) is that role's
    for the next prep: its callback-1 makes the next round callback-2."""
    coach = Coach(home)
    prep(coach, "Arkadina", project="The Seagull")
    path = review(coach, "Arkadina", project="The Seagull", outcome="callback")
    assert Coach(home).plan_prep("Irina", project="The Seagull").round == "callback-1"
    text = path.read_text(encoding="utf-8").replace("role: Arkadina", "role: Irina")
    path.write_text(text, encoding="utf-8")
    from typer.testing import CliRunner

    from callback_coach.cli.app import app

    args = ["prep", "Irina", "--project", "The Seagull", "--set", "refine-intention.want=to win"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert read_note(Path(result.stdout.strip())).round == "callback-2"


def test_earlier_outcomes_written_by_hand(home: Path) -> None:
    """One outcome written without the list counts as a list of one (and as a stage);
    anything else stops `coach outcome` with one line, the note untouched."""
    coach = Coach(home)
    prep(coach)
    path = review(coach, outcome="booked")
    text = path.read_text(encoding="utf-8").replace(
        "outcome: booked\n", "outcome: booked\nearlier_outcomes: hold\n"
    )
    path.write_text(text, encoding="utf-8")
    coach.record_outcome("Nina", "released")
    note = read_note(path)
    assert note.meta["earlier_outcomes"] == "hold", "the actor's own line is left as it was"
    assert [e["outcome"] for e in note.meta["outcome_history"]] == ["booked", "released"]
    shown = CliRunner().invoke(app, ["show", "Nina", "--json"]).stdout
    assert json.loads(shown)["rounds"][0]["reviews"][0]["earlier_outcomes"] == ["hold", "booked"]
    odd = path.read_text(encoding="utf-8")
    odd = odd[: odd.index("outcome_history:")] + "outcome_history: {hold: yes}\n---\n" + note.body
    path.write_text(odd, encoding="utf-8")
    with pytest.raises(StorageError, match="outcome_history is not a list"):
        coach.record_outcome("Nina", "callback")
    assert path.read_text(encoding="utf-8") == odd
    assert path.read_text(encoding="utf-8") == odd


def test_outcome_keeps_a_comment_on_its_line(home: Path) -> None:
    """`outcome: hold   # my agent said so`: the comment is the actor's and stays; a `#`
    inside a quoted value is not a comment."""
    coach = Coach(home)
    prep(coach)
    path = review(coach, outcome="hold")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("outcome: hold\n", "outcome: hold   # my agent said so\n"))
    coach.record_outcome("Nina", "released")
    after = path.read_text(encoding="utf-8")
    assert "outcome: released   # my agent said so\n" in after
    assert read_note(path).outcome == "released"
    from callback_coach.store.frontmatter import set_front_matter

    note = "---\nformat: 1\nkind: prep\nrole: Nina\nround: audition\nmedium: 'tv # yes'\n---\n"
    assert "medium: film\n" in set_front_matter(note, {"medium": "film"})
    crlf = note.replace("medium: 'tv # yes'\n", "medium: tv  # mine\n").replace("\n", "\r\n")
    assert "medium: film  # mine\r\n" in set_front_matter(crlf, {"medium": "film"})
