"""The drill: its bank, a repeatable choice of notes, a session saved as a `drill` note,
and that note in show, search and exports (and never mistaken for a prep)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.day import drill as drills
from callback_coach.day import drill_bank
from callback_coach.errors import ChecklistError, ExitCode
from callback_coach.store import paths
from callback_coach.store.notes import read_note

from .helpers import prep, review, saved_notes
from .scripted import ScriptedAsker

runner = CliRunner()
SHIPPED = paths.builtin_data_dir() / "drill-notes.yaml"


def bank() -> list[drill_bank.DrillNote]:
    return drill_bank.load_bank(SHIPPED, None)


# -- the bank ----------------------------------------------------------------------------


def test_the_shipped_bank_loads_and_is_varied() -> None:
    notes = bank()
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["notes"]
    assert len(notes) == len(raw) >= 80
    assert len({n["id"] for n in raw}) == len(raw), "ids are unique"
    assert len({n.text.casefold() for n in notes}) == len(notes), "no note twice"
    for note in notes:
        assert set(note.tags) <= set(drill_bank.KNOWN_TAGS)
        assert any(t in drill_bank.CRAFT_TAGS for t in note.tags), note.id
    for tag in drill_bank.KNOWN_TAGS:
        assert sum(tag in n.tags for n in notes) >= 4, f"too few {tag} notes"


def test_a_users_bank_adds_and_replaces(tmp_path: Path) -> None:
    own = tmp_path / "drill-notes.yaml"
    own.write_text(
        "notes:\n"
        "  - id: again-no-note\n    text: Beautiful. Again, exactly that.\n    tags: [once-more]\n"
        "  - id: mine-accent\n    text: Try it in your own accent.\n    tags: [voice, stage]\n",
        encoding="utf-8",
    )
    notes = {n.id: n for n in drill_bank.load_bank(SHIPPED, own)}
    assert notes["again-no-note"].text == "Beautiful. Again, exactly that."
    assert notes["mine-accent"].source == "your bank" and notes["mine-accent"].tags == (
        "voice",
        "stage",
    )
    assert len(notes) == len(bank()) + 1


def test_a_broken_bank_lists_every_problem(tmp_path: Path) -> None:
    own = tmp_path / "drill-notes.yaml"
    own.write_text(
        "notes:\n"
        "  - id: a\n    text: One.\n    tags: [tempo]\n"
        "  - id: a\n    text: Two.\n    tags: [tempo]\n"
        "  - id: b\n    text: Three.\n    tags: [juggling]\n"
        "  - id: c\n    tags: [tempo]\n"
        "  - id: d\n    text: Four.\n    mood: sad\n",
        encoding="utf-8",
    )
    with pytest.raises(ChecklistError) as info:
        drill_bank.load_bank(SHIPPED, own)
    known = ", ".join(drill_bank.KNOWN_TAGS)
    assert info.value.message == f"invalid drill notes in {own}: 4 problems"
    assert info.value.details == [
        f"{own}:5: note id 'a' repeats (first on line 2)",
        f"{own}:8: note 'b': unknown tag 'juggling' (known: {known})",
        f"{own}:11: note 'c': 'text' must be one line of text (at most 300 characters)",
        f"{own}:13: unknown key 'mood' (allowed: id, text, tags)",
    ]


# -- choosing notes ----------------------------------------------------------------------


def test_the_same_seed_gives_the_same_drill() -> None:
    own = [drill_bank.DrillNote("past-1", "Less pleading", (), "past direction")]
    first = drill_bank.choose_notes(bank(), own, 6, seed=42)
    assert drill_bank.choose_notes(bank(), own, 6, seed=42) == first
    others = {
        tuple(n.id for n in drill_bank.choose_notes(bank(), own, 6, seed=s)) for s in range(8)
    }
    assert len(others) > 1, "other seeds give other drills"
    assert len(first) == 6 and len({n.id for n in first}) == 6
    assert sum(n.source == "past direction" for n in first) == 1


def test_craft_tags_are_spread() -> None:
    chosen = drill_bank.choose_notes(bank(), [], 8, seed=3)
    firsts = [next(t for t in n.tags if t in drill_bank.CRAFT_TAGS) for n in chosen]
    assert len(set(firsts)) >= 6


@pytest.mark.parametrize("medium", drill_bank.MEDIA)
def test_a_medium_leans_the_drill(medium: str) -> None:
    chosen = drill_bank.choose_notes(bank(), [], 8, seed=11, medium=medium)
    others = set(drill_bank.MEDIA) - {medium}
    for note in chosen:
        media = set(note.tags) & set(drill_bank.MEDIA)
        assert not media or medium in media, f"{note.id} is for another medium"
    assert sum(medium in n.tags for n in chosen) >= 4
    assert not any(set(n.tags) & others - {medium} and medium not in n.tags for n in chosen)


def test_the_roles_own_directions_and_redirection_plan(home: Path) -> None:
    coach = Coach(home)
    plan = coach.plan_prep("Nina")
    coach.save_answers(
        plan,
        {
            "refine-intention": {"want": "to be seen"},
            "prepare-for-redirection": {"alternate-take": "Play it\nas a threat."},
        },
    )
    review(
        coach,
        answers={
            "after-the-room": {"one-thing": "x", "direction": "- less pleading\n- more pride"}
        },
    )
    plan = coach.plan_prep("Nina")
    coach.save_answers(
        plan,
        {
            "refine-intention": {"want": "to win"},
            "recall-what-worked": {"direction-last-time": "Less pleading,\nthen more pride"},
        },
    )
    _, _, role = coach.role("Nina", None, None, answers=True)
    own = drill_bank.own_notes(
        [n for r in role.held for n in (*r.preps, *r.reviews)], coach.catalogue()
    )
    # The director's words as the review wrote them down; the next prep's retelling of
    # them (the actor's own words about the note) is no note of the director's.
    assert [(n.id, n.text, n.source) for n in own] == [
        ("past-1", "less pleading", "past direction"),
        ("past-2", "more pride", "past direction"),
        (
            "alternate-1",
            "Now the other version you prepared: Play it as a threat.",
            "redirection plan",
        ),
    ]


# -- planning ----------------------------------------------------------------------------


def test_the_drill_is_for_the_round_being_prepared(home: Path) -> None:
    coach = Coach(home)
    assert drills.plan_drill(coach, "Nina", seed=1).session.round == "callback-1"
    prep(coach, project="The Seagull", date="2026-11-20")
    plan = drills.plan_drill(coach, "nina", seed=1)
    assert (plan.session.role, plan.session.project, plan.session.round) == (
        "Nina",
        "The Seagull",
        "callback-1",
    )
    assert plan.session.date == "2026-11-20", "a drill sorts with its round's prep"
    review(coach, outcome="callback")
    assert drills.plan_drill(coach, "Nina", seed=1).session.round == "callback-2"
    assert drills.plan_drill(coach, "Nina", seed=1, round_label="Callback 4").session.round == (
        "callback-4"
    )


def test_bad_values_are_usage_errors(home: Path) -> None:
    from callback_coach.errors import UsageError

    coach = Coach(home)
    for kwargs, message in (
        ({"count": 0}, "--rounds must be from 1 to 20"),
        ({"count": 21}, "--rounds must be from 1 to 20"),
        ({"seconds": -1}, "--seconds must be from 0 to 120"),
        ({"medium": "radio"}, "medium 'radio' is not one of: screen, stage, self-tape"),
        ({"seed": -3}, "--seed must be a whole number from 0"),
    ):
        with pytest.raises(UsageError) as info:
            drills.plan_drill(coach, "Nina", **kwargs)
        assert info.value.message == message


def test_the_medium_your_notes_recorded_is_the_default(home: Path) -> None:
    coach = Coach(home)
    plan = coach.plan_prep("Nina")
    plan.extra["medium"] = "TV series"
    coach.save_answers(plan, {"refine-intention": {"want": "to be seen"}})
    assert drills.plan_drill(coach, "Nina", seed=5).medium == "screen"
    assert drills.plan_drill(coach, "Nina", seed=5, medium="stage").medium == "stage"


def test_the_medium_the_prep_answered_is_the_default(home: Path) -> None:
    """The built-in prep asks `medium`: that answer counts as what the notes recorded, and
    wins over a front-matter key, as it does for `coach stats`."""
    coach = Coach(home)
    plan = coach.plan_prep("Nina")
    plan.extra["medium"] = "theatre"
    answers = {"refine-intention": {"medium": "self-tape", "want": "to be seen"}}
    coach.save_answers(plan, answers)
    assert drills.plan_drill(coach, "Nina", seed=5).medium == "self-tape"


# -- running a drill ----------------------------------------------------------------------


def drill_asker(answers: dict, choices=("save",), interrupt_after=None):
    shown: list[str] = []
    thought: list[int] = []
    inner = ScriptedAsker(answers, choices=list(choices), interrupt_after=interrupt_after)
    asker = drills.DrillAsker(
        inner,
        3,
        show_note=lambda number, total, text: shown.append(f"{number}/{total} {text}") or "note",
        play=thought.append,
    )
    return asker, inner, shown, thought


def test_a_drill_is_saved_as_a_drill_note(home: Path) -> None:
    coach = Coach(home)
    prep(coach, project="The Seagull", date="2026-11-20")
    plan = drills.plan_drill(coach, "Nina", count=2, seed=9)
    texts = [n.text for n in plan.notes]
    asker, inner, shown, thought = drill_asker(
        {
            "drill.note-1-said-back": "faster",
            "drill.note-1-change": "cut the pauses",
            "drill.note-2-said-back": "warmer",
            "drill.note-2-change": "I like him",
        }
    )
    result = drills.run_drill(coach, plan, asker)
    note = result.note
    assert (
        note.kind == "drill" and note.path.name == "2026-11-20_the-seagull_nina_callback-1_drill.md"
    )
    assert note.answers == {
        "drill": {
            "note-1": texts[0],
            "note-1-said-back": "faster",
            "note-1-change": "cut the pauses",
            "note-2": texts[1],
            "note-2-said-back": "warmer",
            "note-2-change": "I like him",
        }
    }
    assert note.meta["drill"] == {
        "seed": 9,
        "notes": [{"id": n.id, "source": n.source} for n in plan.notes],
    }
    assert shown == [f"1/2 {texts[0]}", f"2/2 {texts[1]}"]
    assert thought == [3, 3], "time to think before each note is said back"
    assert inner.asked == [f"drill.note-{k}-{p}" for k in (1, 2) for p in ("said-back", "change")]
    assert not list((home / "drafts").glob("*.yaml"))
    assert (note.path.stat().st_mode & 0o777) == 0o600


def test_ctrl_c_keeps_the_drill_and_resume_asks_only_whats_left(home: Path) -> None:
    coach = Coach(home)
    plan = drills.plan_drill(coach, "Nina", count=2, seed=9)
    texts = [n.text for n in plan.notes]
    asker, *_ = drill_asker({"drill.note-1-said-back": "faster"}, interrupt_after=1)
    with pytest.raises(KeyboardInterrupt):
        drills.run_drill(coach, plan, asker)
    (draft,) = coach.drafts.find("drill", "Nina", None, None)
    assert draft.count() == 1, "the notes drawn are not answers"
    assert draft.answers["drill"]["note-2"] == texts[1], "the whole set is kept"

    # Another seed, even: resuming brings back the same notes.
    again = drills.plan_drill(coach, "Nina", count=5, seed=77)
    asker, inner, shown, _ = drill_asker(
        {"drill.note-1-change": "cut", "drill.note-2-said-back": "b", "drill.note-2-change": "c"},
        choices=["resume", "save"],
    )
    note = drills.run_drill(coach, again, asker).note
    assert (
        inner.menus[0][0]
        == "You have an unfinished drill for Nina (callback-1) with 1 answer. Resume it?"
    )
    assert inner.asked == ["drill.note-1-change", "drill.note-2-said-back", "drill.note-2-change"]
    assert shown == [f"1/2 {texts[0]}", f"2/2 {texts[1]}"]
    assert note.answers["drill"]["note-1-said-back"] == "faster"
    assert [note.answers["drill"][f"note-{k}"] for k in (1, 2)] == texts
    assert note.meta["drill"]["seed"] == 9


def test_starting_over_draws_new_notes(home: Path) -> None:
    coach = Coach(home)
    plan = drills.plan_drill(coach, "Nina", count=2, seed=9)
    asker, *_ = drill_asker({"drill.note-1-said-back": "x"}, interrupt_after=1)
    with pytest.raises(KeyboardInterrupt):
        drills.run_drill(coach, plan, asker)
    fresh = drills.plan_drill(coach, "Nina", count=1, seed=10)
    asker, *_ = drill_asker({}, choices=["restart", "save"])
    note = drills.run_drill(coach, fresh, asker).note
    assert note.answers["drill"]["note-1"] == fresh.notes[0].text
    assert "note-2" not in note.answers["drill"]


# -- a drill note among the others -------------------------------------------------------


def saved_drill(coach: Coach, **kwargs) -> Path:
    plan = drills.plan_drill(coach, "Nina", count=1, seed=4, **kwargs)
    asker, *_ = drill_asker({"drill.note-1-said-back": "quicker, lighter"})
    return drills.run_drill(coach, plan, asker).note.path


def test_a_drill_is_never_taken_for_a_prep(home: Path) -> None:
    coach = Coach(home)
    saved_drill(coach)  # before any prep
    (row,) = coach.list_roles()
    assert (row.next_action, row.next_round) == ("prep", "callback-1")
    assert coach.plan_prep("Nina").round == "callback-1"
    prep(coach, project=None)
    review(coach, outcome="callback")
    saved_drill(coach, round_label="callback-2")
    (row,) = coach.list_roles()
    assert (row.rounds, row.next_action, row.next_round) == (["callback-1"], "prep", "callback-2")
    plan = coach.plan_prep("Nina")
    assert plan.round == "callback-2"
    assert plan.defaults["recall-what-worked.what-worked"] == "The pause before the last line"
    outcome = runner.invoke(app, ["outcome", "Nina", "hold"])
    assert outcome.exit_code == 0, outcome.stderr
    kinds = {n.kind: n.outcome for n in saved_notes(home) if n.round == "callback-1"}
    assert kinds == {"prep": None, "drill": None, "review": "hold"}, "only the review changed"


def test_show_search_and_exports_include_drills(home: Path) -> None:
    coach = Coach(home)
    prep(coach, project="The Seagull", date="2026-11-20")
    path = saved_drill(coach)
    shown = runner.invoke(app, ["show", "Nina"])
    assert shown.exit_code == 0
    written = read_note(path).created[:10]  # the day the drill was saved, in its offset
    assert f"Drilled on {written}" in shown.stdout
    assert "Note 1, said back" in shown.stdout and "quicker, lighter" in shown.stdout
    data = json.loads(runner.invoke(app, ["show", "Nina", "--json"]).stdout)
    (drilled,) = data["rounds"][0]["drills"]
    assert drilled["kind"] == "drill" and drilled["file"] == path.name
    assert data["rounds"][0]["preps"][0]["kind"] == "prep"

    found = json.loads(runner.invoke(app, ["search", "LIGHTER", "--json"]).stdout)
    assert [(m["kind"], m["where"]) for m in found["matches"]] == [
        ("drill", "drill.note-1-said-back")
    ]

    md = runner.invoke(app, ["export", "notes", "--kind", "drill"]).stdout
    assert "## Drill" in md and "**Note 1, said back**" in md and "> quicker, lighter" in md
    assert "refine-intention" not in md and "Refine intention" not in md
    exported = json.loads(runner.invoke(app, ["export", "notes", "--format", "json"]).stdout)
    assert [n["kind"] for n in exported["notes"]] == ["prep", "drill"]
    drill_doc = exported["notes"][1]["checklists"][0]
    assert drill_doc["title"] == "Drill"
    assert [a["prompt"] for a in drill_doc["answers"]] == [
        "Director's note 1",
        "Note 1, said back",
    ], "a question left blank (what you will change) is not listed"
    csv = runner.invoke(app, ["export", "notes", "--format", "csv", "--kind", "drill"]).stdout
    assert 'drill,note-1-said-back,"Note 1, said back","quicker, lighter"' in csv


# -- the command ----------------------------------------------------------------------------


def test_list_json_prints_a_drill_set_without_asking(home: Path) -> None:
    first = runner.invoke(app, ["drill", "Nina", "--list", "--json", "--seed", "7", "-n", "3"])
    assert first.exit_code == 0, first.stderr
    data = json.loads(first.stdout)
    assert (data["format"], data["role"], data["round"], data["seed"]) == (
        1,
        "Nina",
        "callback-1",
        7,
    )
    assert len(data["notes"]) == 3
    assert set(data["notes"][0]) == {"id", "text", "tags", "source"}
    again = runner.invoke(app, ["drill", "Nina", "--json", "--seed", "7", "-n", "3"])
    assert again.stdout == first.stdout
    plain = runner.invoke(app, ["drill", "Nina", "--list", "--seed", "7", "-n", "3"])
    assert plain.stdout.splitlines() == [
        "Nina · callback-1 · seed 7",
        *(f"{k}. {n['text']}" for k, n in enumerate(data["notes"], start=1)),
    ]
    assert not (home / "notes").exists() and not (home / "drafts").exists()


def test_no_terminal_points_to_list(home: Path) -> None:
    result = runner.invoke(app, ["drill", "Nina"])
    assert result.exit_code == ExitCode.NO_TERMINAL
    assert result.stderr == (
        "error: coach drill asks you to answer, but standard input is not a terminal: "
        "use --list (or --list --json) to print the notes instead\n"
    )
    bad = runner.invoke(app, ["drill", "Nina", "--list", "--rounds", "0"])
    assert (
        bad.exit_code == ExitCode.USAGE and bad.stderr == "error: --rounds must be from 1 to 20\n"
    )


def test_the_documented_example_bank_loads(tmp_path: Path) -> None:
    from .test_breathing import on_the_day_examples

    own = tmp_path / "drill-notes.yaml"
    own.write_text(on_the_day_examples()[1], encoding="utf-8")
    notes = {n.id: n for n in drill_bank.load_bank(SHIPPED, own)}
    assert notes["my-accent"].tags == ("voice", "stage")


def test_a_bank_note_is_filled_from_the_actor_s_own_notes(home: Path) -> None:
    """A note with a placeholder takes the actor's words ({partner}, {line}, {want}); one
    the notes cannot fill is not chosen; an unknown placeholder is a problem of the bank."""
    bank = [
        drill_bank.DrillNote("a", "Play it to {partner} as if {partner} already knows."),
        drill_bank.DrillNote("b", "Hit '{line}' harder: it is where you win {want}."),
        drill_bank.DrillNote("c", "Slower."),
    ]
    filled = drill_bank.fill_placeholders(bank, {"partner": "your sister", "want": "to be seen"})
    assert [n.text for n in filled] == [
        "Play it to your sister as if your sister already knows.",
        "Slower.",
    ]
    home.mkdir(parents=True, exist_ok=True)
    (home / "drill-notes.yaml").write_text(
        "notes:\n  - {id: odd, text: 'Look at {director} now.'}\n", encoding="utf-8"
    )
    with pytest.raises(ChecklistError) as info:
        drill_bank.load_bank(
            paths.builtin_data_dir() / "drill-notes.yaml", home / "drill-notes.yaml"
        )
    assert "a placeholder is one of {partner}, {line}, {want}" in info.value.details[0]
