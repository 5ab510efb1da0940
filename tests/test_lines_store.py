"""The sides store: private, atomic, readable files inside the home; a re-import keeps
the progress of unchanged lines; hand edits are kept or warned about, never a crash."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from callback_coach.errors import AmbiguousError, NotFoundError
from callback_coach.lines.drill import DrillSession, plan_drill
from callback_coach.lines.measure import offbook
from callback_coach.lines.sides import SidesStore
from callback_coach.store import paths, yamlio

from .lines_helpers import SCREENPLAY, STAGE
from .lines_scripted import STOP, Clock, ScriptedLinesUI, import_sides, scenes


def drill_right(home: Path, count: int, clock: Clock | None = None) -> None:
    """Type the first `count` due lines right, then stop."""
    store = SidesStore(home)
    clock = clock or Clock()
    plan = plan_drill(store, "Zoe", now=clock())
    answers = [item.line.speech.text for item in plan.items[:count]]
    if count >= len(plan.items):
        DrillSession(plan, ScriptedLinesUI(answers), store, clock=clock).run()
        return
    session = DrillSession(plan, ScriptedLinesUI([*answers, STOP]), store, clock=clock)
    with pytest.raises(KeyboardInterrupt):
        session.run()


def test_scenes_are_private_readable_files_in_the_home(home: Path) -> None:
    done = import_sides(home)
    assert [d.replaced for d in done] == [False, False]
    folder = paths.sides_dir(home) / "the-boathouse_zoe"
    assert sorted(p.name for p in folder.iterdir()) == [
        "ext-jetty-later.yaml",
        "int-boathouse-by-the-lake-night.yaml",
    ]
    for path in (paths.sides_dir(home), folder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    drill_right(home, 1)
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = (folder / "int-boathouse-by-the-lake-night.yaml").read_text(encoding="utf-8")
    assert text.startswith("# A scene of your sides")
    data = yamlio.load(text).value
    assert (data["role"], data["project"], data["round"], data["character"]) == (
        "Zoe",
        "The Boathouse",
        "callback-2",
        "ZOE",
    )
    assert data["script"][2] == {
        "speaker": "MAX",
        "says": "I said eight-ish. There's a difference.",
        "directions": ["not looking up"],
    }


@pytest.mark.parametrize(
    ("role", "project"),
    [("../../outside", "/etc"), ("Zoë\x00", "..\\..\\x"), (".", ".."), ("🎭", "~")],
)
def test_no_name_places_a_file_outside_the_sides_folder(
    home: Path, role: str, project: str
) -> None:
    done = import_sides(home, role=role, project=project)
    root = paths.sides_dir(home).resolve()
    for each in done:
        assert root in each.scene.path.resolve().parents
    assert [s.role for s in SidesStore(home).scenes(role)] == [role, role]


def test_names_that_fold_alike_share_their_sides(home: Path) -> None:
    import_sides(home, role="Zoë", project="Boathouse")
    assert len(SidesStore(home).scenes("ZOE", "boathouse")) == 2
    assert [p.name for p in paths.sides_dir(home).iterdir()] == ["boathouse_zoe"]


def test_a_reimport_of_changed_pages_keeps_the_progress_of_unchanged_lines(home: Path) -> None:
    import_sides(home, name="sides-v1.txt")
    drill_right(home, 3)  # the three lines of scene 1
    before = offbook(home, "Zoe")
    assert before is not None and before.scenes[0].right == 3
    changed = SCREENPLAY.replace("Not to me. Not tonight.", "Not to me. Never again.")
    done = import_sides(home, changed, name="sides-v2.txt", round_label="callback-3")
    assert [(d.replaced, d.kept, d.changed) for d in done] == [(True, 2, 1), (True, 2, 0)]
    after = offbook(home, "Zoe")
    assert after is not None
    assert (after.scenes[0].right, after.scenes[0].total, after.scenes[0].drilled) == (2, 3, 2)
    first = scenes(home)[0]
    assert first.round == "callback-3" and first.source == "sides-v2.txt"
    plan = plan_drill(SidesStore(home), "Zoe", scene=1, now=Clock()())
    assert [(i.line.speech.text, i.status) for i in plan.items] == [
        ("Not to me. Never again.", "new")
    ]


def test_a_new_scene_is_added_after_the_others(home: Path) -> None:
    import_sides(home)
    other = "INT. CAR - DAY\n\nZOE\nDrive.\n\nMAX\nWhere?\n\nZOE\nAnywhere.\n"
    done = import_sides(home, other, name="car.txt")
    assert [(d.replaced, d.scene.order) for d in done] == [(False, 3)]
    assert [s.title for s in scenes(home)][-1] == "INT. CAR - DAY"


def test_scenes_without_the_character_are_left_out(home: Path) -> None:
    text = "INT. A - DAY\n\nMAX\nAlone.\n\nINT. B - DAY\n\nZOE\nHere.\n\nMAX\nGood.\n"
    done = import_sides(home, text)
    assert [d.scene.title for d in done] == ["INT. B - DAY"]


def test_keys_a_person_added_are_kept(home: Path) -> None:
    import_sides(home)
    path = scenes(home)[0].path
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "my-notes: learn the rhythm first\n", encoding="utf-8")
    drill_right(home, 1)
    progress = scenes(home)[0].progress_path
    progress.write_text(
        progress.read_text(encoding="utf-8") + "coach-of-mine: Ann\n", encoding="utf-8"
    )
    drill_right(home, 1)
    import_sides(home)  # the same pages again
    assert yamlio.load(path.read_text(encoding="utf-8")).value["my-notes"] == (
        "learn the rhythm first"
    )
    kept = yamlio.load(progress.read_text(encoding="utf-8")).value
    assert kept["coach-of-mine"] == "Ann"
    assert len(kept["lines"]) == 2


def test_a_line_corrected_by_hand_starts_again_as_new(home: Path) -> None:
    import_sides(home)
    drill_right(home, 3)
    path = scenes(home)[0].path
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("says: Not to me. Not tonight.", "says: Not to me."), "utf-8")
    figure = offbook(home, "Zoe")
    assert figure is not None and (figure.scenes[0].right, figure.scenes[0].total) == (2, 3)


@pytest.mark.parametrize(
    "broken",
    [
        "role: [unclosed",
        "just text",
        "role: Zoe\ncharacter: ZOE\ntitle: T\nscript: [{speaker: ZOE}]\n",
        "format: 99\nrole: Zoe\ncharacter: ZOE\ntitle: T\nscript: []\n",
        b"\xff\xfe\x00 binary",
    ],
)
def test_a_scene_file_that_cannot_be_read_is_a_warning_and_a_skip(
    home: Path, broken: str | bytes
) -> None:
    import_sides(home)
    folder = scenes(home)[0].path.parent
    bad = folder / "hand-made.yaml"
    bad.write_bytes(broken.encode() if isinstance(broken, str) else broken)
    warnings: list[str] = []
    found = SidesStore(home, on_warning=warnings.append).scenes("Zoe")
    assert len(found) == 2
    assert len(warnings) == 1 and warnings[0].startswith(str(bad))


def test_a_progress_file_that_cannot_be_read_counts_its_lines_as_new(home: Path) -> None:
    import_sides(home)
    drill_right(home, 2)
    scene = scenes(home)[0]
    scene.progress_path.write_text("lines: {unclosed", encoding="utf-8")
    warnings: list[str] = []
    store = SidesStore(home, on_warning=warnings.append)
    assert store.progress(store.scenes("Zoe")[0]) == {}
    assert warnings and "count as new" in warnings[0]


def test_an_unknown_role_and_a_role_in_two_projects(home: Path) -> None:
    with pytest.raises(NotFoundError, match="coach sides add Zoe FILE"):
        SidesStore(home).scenes("Zoe")
    import_sides(home, project="One")
    import_sides(home, STAGE, project="Two")
    with pytest.raises(AmbiguousError) as caught:
        SidesStore(home).scenes("Zoe")
    assert caught.value.choices == ["One", "Two"]
    chosen = SidesStore(home).scenes("Zoe", choose_project=lambda projects: projects[1])
    assert {s.project for s in chosen} == {"Two"}
    assert offbook(home, "Zoe") is None  # which project? the caller must say
    assert offbook(home, "Zoe", "Two") is not None


def test_offbook_counts_the_round_and_scenes_of_no_round(home: Path) -> None:
    assert offbook(home, "Zoe") is None
    import_sides(home, round_label="callback-1")
    import_sides(home, "INT. CAR - DAY\n\nZOE\nDrive.\n\nMAX\nWhere?\n", round_label=None)
    drill_right(home, 1)
    figure = offbook(home, "Zoe", "The Boathouse", "callback-1")
    assert figure is not None and [s.number for s in figure.scenes] == [1, 2, 3]
    only = offbook(home, "Zoe", "The Boathouse", "callback-2")
    assert only is not None and [s.title for s in only.scenes] == ["INT. CAR - DAY"]
    assert (figure.right, figure.total, figure.percent) == (1, 6, 17)
    assert offbook(home, "Zoe", "Elsewhere") is None


@pytest.mark.parametrize(("right", "expected"), [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)])
def test_the_figure_on_the_preps_scale(home: Path, right: int, expected: int) -> None:
    text = "ZOE\nOne.\n\nMAX\nA.\n\nZOE\nTwo.\n\nMAX\nB.\n\nZOE\nThree.\n\nMAX\nC.\n\nZOE\nFour.\n"
    import_sides(home, text)
    drill_right(home, right)
    figure = offbook(home, "Zoe")
    assert figure is not None and figure.scale(1, 5) == expected
    assert figure.scale(0, 10) == round(10 * right / 4)


def test_lines_said_twice_have_their_own_progress(home: Path) -> None:
    text = "ZOE\nNo.\n\nMAX\nYes?\n\nZOE\nNo.\n"
    import_sides(home, text)
    lines = scenes(home)[0].lines()
    assert len({line.key for line in lines}) == 2
    drill_right(home, 1)
    figure = offbook(home, "Zoe")
    assert figure is not None and (figure.right, figure.total) == (1, 2)
