"""Breathing: patterns as data, an exact schedule, a timer that never drifts (tested with
an injected clock, no sleeping), and the plain lines a pipe gets."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli import breathe_view
from callback_coach.cli.app import app
from callback_coach.day import breathing
from callback_coach.errors import ChecklistError, ExitCode
from callback_coach.store import paths

runner = CliRunner()
SHIPPED = paths.builtin_data_dir() / "breathing.yaml"


def shipped() -> list[breathing.Pattern]:
    return breathing.load_patterns(SHIPPED, None)


class FakeClock:
    """A monotonic clock that only moves when the timer sleeps; each sleep can overshoot,
    as a real sleep does on a busy machine."""

    def __init__(self, start: float = 1000.0, late: float = 0.0) -> None:
        self.now = start
        self.late = late
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.sleeps.append(seconds)
        self.now += seconds + self.late


# -- patterns --------------------------------------------------------------------------


def test_shipped_patterns() -> None:
    patterns = {p.id: p for p in shipped()}
    assert {"box", "4-7-8", "exhale"} <= set(patterns)
    assert [(p.action, p.seconds) for p in patterns["box"].phases] == [
        ("in", 4),
        ("hold", 4),
        ("out", 4),
        ("hold", 4),
    ]
    assert patterns["4-7-8"].cycle == 19
    assert patterns["box"].describe() == "in 4 · hold 4 · out 4 · hold 4"


def test_users_patterns_add_and_replace(tmp_path: Path) -> None:
    own = tmp_path / "breathing.yaml"
    own.write_text(
        "patterns:\n"
        "  - id: box\n    name: My box\n    phases: [in: 3, hold: 3, out: 3, hold: 3]\n"
        "  - id: quick\n    name: Quick\n    rounds: 2\n    phases: [in: 1.5, out: 2.5]\n",
        encoding="utf-8",
    )
    patterns = {p.id: p for p in breathing.load_patterns(SHIPPED, own)}
    assert patterns["box"].name == "My box" and patterns["box"].cycle == 12
    assert patterns["quick"].cycle == 4 and patterns["quick"].rounds == 2
    assert "4-7-8" in patterns
    assert breathing.load_patterns(SHIPPED, tmp_path / "missing.yaml") == shipped()


def test_a_broken_pattern_file_lists_every_problem(tmp_path: Path) -> None:
    own = tmp_path / "breathing.yaml"
    own.write_text(
        "patterns:\n"
        "  - id: Bad Id\n    phases: [in: 4, out: 4]\n"
        "  - id: holdonly\n    phases: [hold: 4]\n"
        "  - id: slow\n    phases: [in: 0, out: 99]\n"
        "  - id: extra\n    colour: blue\n    phases: [in: 4, out: 4]\n"
        "  - id: extra\n    phases: [in: 4, out: 4]\n",
        encoding="utf-8",
    )
    with pytest.raises(ChecklistError) as info:
        breathing.load_patterns(SHIPPED, own)
    assert (
        info.value.details
        == [
            f"{own}:2: 'id' must be lower-case letters, digits, '-' or '_'",
            f"{own}:4: pattern 'holdonly': a pattern needs at least one 'in' and one 'out' phase",
            f"{own}:6: pattern 'slow': each phase is one of in/hold/out with its seconds "
            "(more than 0, at most 60), e.g. 'in: 4'",
            f"{own}:8: unknown key 'colour' (allowed: id, name, about, aliases, rounds, phases)",
            f"{own}:11: pattern id 'extra' repeats (first on line 8)",
        ]
        or info.value.details
    )


def test_unsafe_yaml_is_a_problem_not_code(tmp_path: Path) -> None:
    own = tmp_path / "breathing.yaml"
    own.write_text("patterns: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(ChecklistError) as info:
        breathing.load_patterns(SHIPPED, own)
    assert "not allowed" in info.value.details[0]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("box breathing (4 in, 4 hold, 4 out, 4 hold)", "box"),
        ("4-7-8 breathing (4 in, 7 hold, 8 out)", "4-7-8"),
        ("long slow exhales", "exhale"),
        ("Even breathing, five and five", "even"),
        ("my own routine", None),
        ("inbox zero", None),
    ],
)
def test_the_preps_answer_names_a_pattern(answer: str, expected: str | None) -> None:
    found = breathing.pattern_named_in(shipped(), answer)
    assert (found.id if found else None) == expected


# What each choice of the prep's breathing question breathes (`aliases` in the shipped
# patterns are how a choice finds its pattern); the two without a pattern breathe the
# default. Read from the shipped checklist, so a choice reworded or added fails here.
CHOICE_PATTERNS = {"box": "box", "4-7-8": "4-7-8", "long slow": "exhale", "even": "even"}
NO_PATTERN = ("my own routine", "none")


def test_every_breathing_choice_of_the_prep_names_its_pattern(home: Path) -> None:
    from callback_coach.core.workflow import Coach

    question = Coach(home).catalogue().get("mindset").question("breathing")
    assert question.card == breathing.CARD_SLOT
    named = {}
    for choice in question.choices:
        found = breathing.pattern_named_in(shipped(), choice)
        named[choice] = found.id if found else None
    expected = {
        choice: next((p for start, p in CHOICE_PATTERNS.items() if choice.startswith(start)), None)
        for choice in question.choices
    }
    assert named == expected
    assert [c for c, p in named.items() if p is None] == list(NO_PATTERN)
    assert sorted(p for p in named.values() if p) == sorted(p.id for p in shipped())


def test_rounds_and_minutes() -> None:
    box = breathing.find_pattern(shipped(), "BOX")
    assert breathing.rounds_for(box, None, None) == 4
    assert breathing.rounds_for(box, 2, None) == 2
    assert breathing.rounds_for(box, None, 10) == 38  # 600 s / 16 s, rounded
    assert breathing.rounds_for(box, None, 0.1) == 1
    from callback_coach.errors import UsageError

    for rounds, minutes in ((1, 1.0), (0, None), (None, 0), (None, 61)):
        with pytest.raises(UsageError):
            breathing.rounds_for(box, rounds, minutes)


# -- the schedule and the timer --------------------------------------------------------


def test_the_schedule_is_exact_and_the_visual_grows_and_shrinks() -> None:
    box = breathing.find_pattern(shipped(), "box")
    steps = breathing.schedule(box, 2)
    assert [(s.round, s.words, s.start) for s in steps] == [
        (1, "breathe in", 0),
        (1, "hold", 4),
        (1, "breathe out", 8),
        (1, "hold", 12),
        (2, "breathe in", 16),
        (2, "hold", 20),
        (2, "breathe out", 24),
        (2, "hold", 28),
    ]
    breathe_in, hold_full, breathe_out, hold_empty = steps[:4]
    assert [breathe_in.level(t) for t in (0, 2, 4)] == [0, 0.5, 1]
    assert hold_full.level(2) == 1 and breathe_out.level(1) == 0.75 and hold_empty.level(3) == 0


@settings(max_examples=60, deadline=None)
@given(
    seconds=st.lists(
        st.sampled_from([0.1, 0.25, 0.3, 1, 1.7, 2.5, 4, 7, 8]), min_size=2, max_size=5
    ),
    rounds=st.integers(1, 300),
)
def test_the_schedule_never_creeps(seconds: list[float], rounds: int) -> None:
    actions = ["in", "out", *(["hold"] * (len(seconds) - 2))]
    pattern = breathing.Pattern(
        "p", "P", tuple(breathing.Phase(a, s) for a, s in zip(actions, seconds, strict=True))
    )
    steps = breathing.schedule(pattern, rounds)
    from fractions import Fraction

    cycle = sum(Fraction(s) for s in seconds)
    assert steps[-1].end == pytest.approx(float(cycle * rounds), abs=1e-9)
    assert all(a.end == pytest.approx(b.start, abs=1e-9) for a, b in itertools.pairwise(steps))


def test_ten_minutes_stay_ten_minutes_on_a_late_sleeper() -> None:
    """Every sleep wakes 13 ms late: a timer that added up sleeps would be two seconds
    behind by the end; this one starts every phase within one late wake-up."""
    box = breathing.find_pattern(shipped(), "box")
    rounds = breathing.rounds_for(box, None, 10)
    clock = FakeClock(late=0.013)
    timer = breathing.Timer(box, rounds, clock=clock, sleep=clock.sleep)
    started: list[tuple[float, float]] = []
    outcome = timer.run(on_step=lambda step: started.append((clock() - 1000.0, step.start)))
    assert len(started) == rounds * 4
    assert max(actual - planned for actual, planned in started) <= 0.013 + 1e-9
    assert outcome.elapsed == pytest.approx(rounds * 16, abs=0.02)
    assert (outcome.rounds_done, outcome.stopped) == (rounds, False)
    assert outcome.summary() == "Done: 38 rounds of Box breathing (10:08)."


def test_live_ticks_count_down_to_each_deadline() -> None:
    quick = breathing.Pattern("q", "Quick", (breathing.Phase("in", 1), breathing.Phase("out", 1)))
    clock = FakeClock(late=0.0)
    timer = breathing.Timer(quick, 1, clock=clock, sleep=clock.sleep, tick=0.25)
    ticks: list[tuple[str, float, float]] = []
    timer.run(on_tick=lambda step, elapsed, left: ticks.append((step.action, elapsed, left)))
    assert [t[0] for t in ticks] == ["in"] * 4 + ["out"] * 4
    assert [round(t[2], 2) for t in ticks[:4]] == [1.0, 0.75, 0.5, 0.25]
    assert clock.sleeps == [0.25] * 8


def test_ctrl_c_ends_quietly_with_how_far_it_got() -> None:
    box = breathing.find_pattern(shipped(), "box")
    clock = FakeClock()

    def sleep(seconds: float) -> None:
        if clock.now - 1000.0 >= 37:  # in the third round
            raise KeyboardInterrupt
        clock.sleep(seconds)

    outcome = breathing.Timer(box, 4, clock=clock, sleep=sleep).run()
    assert (outcome.rounds_done, outcome.stopped) == (2, True)
    assert outcome.summary() == "Stopped after 2 of 4 rounds of Box breathing (0:40)."


def test_the_live_frame_fits_narrow_terminals_without_colour() -> None:
    import io

    from rich.console import Console

    box = breathing.find_pattern(shipped(), "box")
    step = breathing.schedule(box, 1)[0]
    for width in (40, 80):
        buffer = io.StringIO()
        Console(file=buffer, width=width, color_system=None).print(
            breathe_view.frame(box, 4, step, 2.0, 2.0, width)
        )
        lines = buffer.getvalue().splitlines()
        assert lines[0] == "Box breathing · round 1 of 4"
        assert lines[1] == "breathe in  2"
        assert len(lines) == 3 and all(len(line) <= width for line in lines)
        assert lines[2].count("█") == (min(40, width - 2) + 1) // 2


# -- the command -----------------------------------------------------------------------


def quick_pattern(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "breathing.yaml").write_text(
        "patterns:\n  - id: quick\n    name: Quick\n    rounds: 2\n"
        "    phases: [in: 0.2, hold: 0.1, out: 0.3]\n",
        encoding="utf-8",
    )


def test_piped_output_is_one_plain_line_per_phase(home: Path, coach_bin: str) -> None:
    import os

    quick_pattern(home)
    proc = subprocess.run(
        [coach_bin, "breathe", "--pattern", "quick"],
        env={**os.environ, "COACH_HOME": str(home)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "breathe in 0.2\nhold 0.1\nbreathe out 0.3\n" * 2
    assert proc.stderr == "Done: 2 rounds of Quick (0:01).\n"


def test_unknown_pattern_and_bad_values(home: Path) -> None:
    result = runner.invoke(app, ["breathe", "--pattern", "yoga"])
    assert result.exit_code == ExitCode.NOT_FOUND
    assert (
        result.stderr
        == "error: no breathing pattern 'yoga' (available: box, 4-7-8, exhale, even)\n"
    )
    result = runner.invoke(app, ["breathe", "--rounds", "2", "--minutes", "1"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == "error: give --rounds or --minutes, not both\n"
    home.mkdir(parents=True)
    (home / "breathing.yaml").write_text("patterns:\n  - id: x\n", encoding="utf-8")
    result = runner.invoke(app, ["breathe"])
    assert result.exit_code == ExitCode.CHECKLIST_INVALID
    assert result.stderr.startswith("error: invalid breathing patterns in ")


def test_list_patterns(home: Path) -> None:
    quick_pattern(home)
    result = runner.invoke(app, ["breathe", "--list"])
    assert result.exit_code == 0
    assert (
        result.stdout.splitlines()[0]
        == "box\tBox breathing\tin 4 · hold 4 · out 4 · hold 4\t4 rounds\t"
        "Four equal sides (in, hold, out, hold) to slow everything down."
    )
    assert result.stdout.splitlines()[-1] == "quick\tQuick\tin 0.2 · hold 0.1 · out 0.3\t2 rounds\t"


def test_role_uses_the_preps_breathing_answer(home: Path) -> None:
    from callback_coach.core.workflow import Coach

    coach = Coach(home)
    plan = coach.plan_prep("Nina")
    coach.save_answers(
        plan,
        {
            "refine-intention": {"want": "to fly"},
            "mindset": {"breathing": "4-7-8 breathing (4 in, 7 hold, 8 out)"},
        },
    )
    from callback_coach.cli.day_cmd import routine_of

    patterns = shipped()
    assert routine_of(coach, "nina", None, patterns).id == "4-7-8"
    plan = coach.plan_prep("Sonya")
    coach.save_answers(
        plan, {"refine-intention": {"want": "x"}, "mindset": {"breathing": "my own routine"}}
    )
    assert routine_of(coach, "Sonya", None, patterns) is None
    missing = runner.invoke(app, ["breathe", "--role", "Hamlet"])
    assert missing.exit_code == ExitCode.NOT_FOUND


def on_the_day_examples() -> list[str]:
    """The YAML examples of docs/on-the-day.md: a breathing pattern, then a drill note."""
    import re

    from .helpers import doc

    return re.findall(r"```yaml\n(.*?)```", doc("on-the-day"), flags=re.DOTALL)


def test_the_documented_example_pattern_loads(tmp_path: Path) -> None:
    own = tmp_path / "breathing.yaml"
    own.write_text(on_the_day_examples()[0], encoding="utf-8")
    calm = breathing.find_pattern(breathing.load_patterns(SHIPPED, own), "calm")
    assert calm.describe() == "in 4 · hold 2 · out 6" and calm.rounds == 6
    assert breathing.pattern_named_in([calm], "my own routine") == calm
