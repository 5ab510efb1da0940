"""The drill, driven by a scripted actor: cue, attempt, grade; hints counted; a retry;
say mode; running the scene; every graded line saved at once, Ctrl-C included."""

from __future__ import annotations

from pathlib import Path

import pytest

from callback_coach.lines.drill import DrillSession, cue_for, plan_drill
from callback_coach.lines.measure import offbook
from callback_coach.lines.sides import SidesStore

from .lines_helpers import ZOE_LINES
from .lines_scripted import HINT, STOP, T0, Clock, ScriptedLinesUI, import_sides, scenes


def session(home: Path, answers: list[object], *, mode: str = "type", **plan: object):
    store = SidesStore(home)
    clock = Clock()
    drill_plan = plan_drill(store, "Zoe", now=clock(), **plan)  # type: ignore[arg-type]
    ui = ScriptedLinesUI(answers)
    return DrillSession(drill_plan, ui, store, mode=mode, clock=clock), ui  # type: ignore[arg-type]


def last(home: Path, text: str):
    """The last attempt saved for Zoe's line `text`."""
    store = SidesStore(home)
    for scene in store.scenes("Zoe"):
        progress = store.progress(scene)
        for line in scene.lines():
            if line.speech.text == text:
                known = progress.get(line.key)
                return None if known is None else known.last
    raise AssertionError(text)


def test_a_first_sitting_drills_every_line_in_scene_order(home: Path) -> None:
    import_sides(home)
    drill, _ = session(home, [])
    assert [item.line.speech.text for item in drill.plan.items] == ZOE_LINES
    assert {item.status for item in drill.plan.items} == {"new"}
    assert [(item.scene_number, item.line.number) for item in drill.plan.items] == [
        (1, 1),
        (1, 3),
        (1, 4),
        (2, 2),
        (2, 4),
    ]


def test_wrong_hinted_and_right_lines_are_graded_and_saved(home: Path) -> None:
    import_sides(home)
    wrong, hinted, right = ZOE_LINES[:3]
    drill, ui = session(
        home,
        [
            "you said nine",  # wrong
            "",  # no second try
            HINT,
            hinted,  # right, after the hint
            right.upper().replace(".", " !"),  # right: case and punctuation do not count
            STOP,
        ],
    )
    with pytest.raises(KeyboardInterrupt):
        drill.run()
    assert drill.graded == 3
    assert ui.hints == ["N t m. N t."]
    assert [s.percent for s in ui.scores] == [50, 100, 100]
    first = last(home, wrong)
    assert (first.grade, first.right, first.hint, first.score) == ("again", False, False, 0.5)
    second = last(home, hinted)
    assert (second.grade, second.right, second.hint) == ("hard", False, True)
    third = last(home, right)
    assert (third.grade, third.right, third.hint, third.mode) == ("good", True, False, "type")
    assert last(home, ZOE_LINES[3]) is None  # stopped at its cue: nothing saved for it
    figure = offbook(home, "Zoe")
    assert figure is not None and (figure.right, figure.total) == (1, 5)


def test_a_retry_is_shown_but_the_first_attempt_is_graded(home: Path) -> None:
    import_sides(home)
    drill, ui = session(home, ["You said eight", ZOE_LINES[0], STOP])
    with pytest.raises(KeyboardInterrupt):
        drill.run()
    assert ui.retries == 1
    assert [s.perfect for s in ui.scores] == [False, True]
    saved = last(home, ZOE_LINES[0])
    assert saved.grade == "hard" and not saved.right and saved.score == 0.75


def test_a_perfect_line_asks_for_no_retry(home: Path) -> None:
    import_sides(home)
    drill, ui = session(home, [ZOE_LINES[0], STOP])
    with pytest.raises(KeyboardInterrupt):
        drill.run()
    assert ui.retries == 0 and drill.graded == 1


def test_say_mode_grades_are_the_actors_and_a_hint_caps_them(home: Path) -> None:
    import_sides(home)
    drill, ui = session(
        home,
        [None, "easy", HINT, None, "easy", None, "again", STOP],
        mode="say",
    )
    with pytest.raises(KeyboardInterrupt):
        drill.run()
    assert [item.line.speech.text for item in ui.revealed] == ZOE_LINES[:3]
    assert (last(home, ZOE_LINES[0]).grade, last(home, ZOE_LINES[0]).right) == ("easy", True)
    hinted = last(home, ZOE_LINES[1])
    assert (hinted.grade, hinted.right, hinted.hint, hinted.mode) == ("hard", False, True, "say")
    assert last(home, ZOE_LINES[2]).right is False


def test_a_line_graded_again_comes_back_once_at_the_end(home: Path) -> None:
    import_sides(home)
    answers: list[object] = ["no idea", ""]  # the first line: again
    answers += ZOE_LINES[1:]  # the others right
    answers += [ZOE_LINES[0]]  # the first line, once more at the end
    drill, ui = session(home, answers)
    summary = drill.run()
    assert ui.drilled == [*ZOE_LINES, ZOE_LINES[0]]
    assert summary.offbook.right == 5
    assert ui.summary is summary


def test_running_the_scene_from_a_speech(home: Path) -> None:
    import_sides(home)
    # Scene 2's speeches: 1 MAX (V.O.), 2 ZOE, 3 MAX (dual), 4 ZOE.
    drill, _ = session(home, [], scene=2, start=3)
    assert drill.plan.run
    assert [item.line.number for item in drill.plan.items] == [4]
    drill, _ = session(home, ["Then go home.", STOP], scene=2, start=1)
    with pytest.raises(KeyboardInterrupt):
        drill.run()
    assert drill.graded == 1
    assert drill.resume_from == 4  # the line at its cue when Ctrl-C came


def test_a_run_ignores_the_schedule(home: Path) -> None:
    import_sides(home)
    drill, _ = session(home, list(ZOE_LINES[:4]), scene=1)
    drill.run()
    again, _ = session(home, [], scene=1)
    assert again.plan.items == ()  # nothing due right after
    run, _ = session(home, [], scene=1, run=True)
    assert [i.line.speech.text for i in run.plan.items] == ZOE_LINES[:3]
    assert {i.status for i in run.plan.items} == {"later"}


def test_cues_are_the_speech_before_and_the_directions_between(home: Path) -> None:
    import_sides(home)
    first, second = scenes(home)
    opening = cue_for(first.scene, 1)
    assert opening.speech is None
    assert opening.directions == ("Rain on the roof. ZOE, soaked, stands in the doorway.",)
    after_action = cue_for(first.scene, 4)
    assert after_action.speech is not None and after_action.speech.text == ZOE_LINES[1]
    assert after_action.directions == ("She drops her bag on the workbench.",)
    dual = cue_for(second.scene, 3)  # MAX's "Then stay." said with ZOE's "Then go home."
    assert dual.speech is not None and dual.speech.speaker == "MAX"
    assert dual.together is not None and dual.together.text == "Then go home."


def test_a_voice_reads_each_cue(home: Path) -> None:
    import_sides(home)
    said: list[str] = []

    class Voice:
        def say(self, text: str) -> None:
            said.append(text)

    drill, _ = session(home, [ZOE_LINES[0], ZOE_LINES[1], STOP])
    drill.voice = Voice()
    with pytest.raises(KeyboardInterrupt):
        drill.run()
    assert said == ["I said eight-ish. There's a difference."]  # the first line has no cue


def test_seeds_mix_the_order_the_same_way(home: Path) -> None:
    import_sides(home)
    orders = {
        seed: [i.line.key for i in plan_drill(SidesStore(home), "Zoe", now=T0, seed=seed).items]
        for seed in range(6)
    }
    plain = [i.line.key for i in plan_drill(SidesStore(home), "Zoe", now=T0).items]
    assert all(sorted(order) == sorted(plain) for order in orders.values())
    assert len({tuple(order) for order in orders.values()}) > 1
    again = [i.line.key for i in plan_drill(SidesStore(home), "Zoe", now=T0, seed=3).items]
    assert again == orders[3]
