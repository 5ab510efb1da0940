"""Paced breathing for the waiting room: patterns (data), their schedule, and a timer.

Patterns are YAML (`data/breathing.yaml`, shipped; `$COACH_HOME/breathing.yaml`, the
actor's own). The schedule is computed up front, each phase's deadline as an offset from
the start, and the timer sleeps towards those deadlines on a monotonic clock: a late
wake-up never pushes the later phases back, so ten minutes stay ten minutes. The clock
and the sleep are injected, so tests run the timer without waiting.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from callback_coach.core.checklist import ID_CHARS
from callback_coach.errors import ChecklistError, UsageError
from callback_coach.store.datafile import Problem, is_text, read_entries

ACTIONS = ("in", "hold", "out")
WORDS = {"in": "breathe in", "hold": "hold", "out": "breathe out"}
PATTERN_KEYS = ("id", "name", "about", "aliases", "rounds", "phases")
MAX_PHASE_SECONDS = 60
MAX_ROUNDS = 1000
MAX_MINUTES = 60
DEFAULT_PATTERN = "box"
# The card slot of the prep's answers that name the actor's breathing (mindset.breathing,
# then the own routine's words): a pattern's `aliases` are how those answers find it.
CARD_SLOT = "breathing"


@dataclass(frozen=True)
class Phase:
    action: str  # in, hold or out
    seconds: float


@dataclass(frozen=True)
class Pattern:
    """A breathing pattern: its phases, repeated for a number of rounds."""

    id: str
    name: str
    phases: tuple[Phase, ...]
    rounds: int = 4
    about: str | None = None
    aliases: tuple[str, ...] = ()
    source: Path | None = field(default=None, compare=False)

    @property
    def cycle(self) -> float:
        """Seconds in one round."""
        return float(sum(Fraction(p.seconds) for p in self.phases))

    def describe(self) -> str:
        """The phases in a few words: "in 4 · hold 4 · out 4 · hold 4"."""
        return " · ".join(f"{p.action} {seconds_text(p.seconds)}" for p in self.phases)


def seconds_text(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"


# -- loading -------------------------------------------------------------------------


def load_patterns(builtin_file: Path, user_file: Path | None) -> list[Pattern]:
    """The shipped patterns, then the actor's: the same id replaces, a new id is added.

    A problem in either file raises ChecklistError listing every one (exit code 3).
    """
    problems: list[Problem] = []
    merged: dict[str, Pattern] = {}
    for path in (builtin_file, user_file):
        if path is None or (path is user_file and not path.exists()):
            continue
        seen: dict[str, int] = {}
        for entry in read_entries(path, "patterns", problems):
            pattern = _parse_pattern(entry.data, str(path), entry.line, problems)
            if pattern is None:
                continue
            if pattern.id in seen:
                problems.append(
                    Problem(
                        str(path),
                        entry.line,
                        f"pattern id {pattern.id!r} repeats (first on line {seen[pattern.id]})",
                    )
                )
                continue
            seen[pattern.id] = entry.line
            merged[pattern.id] = replace(pattern, source=path)
    if problems:
        files = sorted({p.file for p in problems})
        raise ChecklistError.listing(f"invalid breathing patterns in {', '.join(files)}", problems)
    return list(merged.values())


def _parse_pattern(
    data: Mapping[str, object], file: str, line: int, problems: list[Problem]
) -> Pattern | None:
    before = len(problems)

    def problem(message: str) -> None:
        problems.append(Problem(file, line, message))

    for key in data:
        if key not in PATTERN_KEYS:
            problem(f"unknown key {key!r} (allowed: {', '.join(PATTERN_KEYS)})")
    pid = data.get("id")
    if not isinstance(pid, str) or not pid or not set(pid) <= ID_CHARS or len(pid) > 40:
        problem("'id' must be lower-case letters, digits, '-' or '_'")
        pid = None
    label = f"pattern {pid!r}" if pid else "pattern"
    name = data.get("name", pid)
    if not is_text(name, max_length=60):
        problem(f"{label}: 'name' must be one short line of text")
    about = data.get("about")
    if about is not None and not is_text(about):
        problem(f"{label}: 'about' must be one line of text")
    aliases = data.get("aliases", [])
    if not isinstance(aliases, list) or not all(is_text(a, max_length=60) for a in aliases):
        problem(f"{label}: 'aliases' must be a list of short texts")
        aliases = []
    rounds = data.get("rounds", 4)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= MAX_ROUNDS:
        problem(f"{label}: 'rounds' must be a whole number from 1 to {MAX_ROUNDS}")
    phases: list[Phase] = []
    raw_phases = data.get("phases")
    if not isinstance(raw_phases, list) or not raw_phases:
        problem(f"{label}: 'phases' must be a non-empty list like [in: 4, out: 6]")
    else:
        for raw in raw_phases:
            phase = _parse_phase(raw)
            if phase is None:
                problem(
                    f"{label}: each phase is one of in/hold/out with its seconds "
                    f"(more than 0, at most {MAX_PHASE_SECONDS}), e.g. 'in: 4'"
                )
                break
            phases.append(phase)
        else:
            actions = {p.action for p in phases}
            if not {"in", "out"} <= actions:
                problem(f"{label}: a pattern needs at least one 'in' and one 'out' phase")
    # A wrong id or number of rounds was a problem above: checked again for their types.
    if (
        len(problems) > before
        or pid is None
        or not is_text(name, max_length=60)
        or isinstance(rounds, bool)
        or not isinstance(rounds, int)
    ):
        return None
    return Pattern(
        id=pid,
        name=name.strip(),
        phases=tuple(phases),
        rounds=rounds,
        about=about.strip() if isinstance(about, str) else None,
        aliases=tuple(a.strip() for a in aliases),
    )


def _parse_phase(raw: object) -> Phase | None:
    if not isinstance(raw, dict) or len(raw) != 1:
        return None
    ((action, seconds),) = raw.items()
    if action not in ACTIONS or isinstance(seconds, bool):
        return None
    if not isinstance(seconds, (int, float)) or not 0 < seconds <= MAX_PHASE_SECONDS:
        return None
    return Phase(str(action), float(seconds))


def find_pattern(patterns: Iterable[Pattern], key: str) -> Pattern | None:
    """The pattern whose id (or name) is `key`, ignoring case."""
    wanted = key.strip().casefold()
    for pattern in patterns:
        if wanted in (pattern.id, pattern.name.casefold()):
            return pattern
    return None


def pattern_named_in(patterns: Iterable[Pattern], text: str) -> Pattern | None:
    """The pattern an answer like "box breathing (4 in, 4 hold, …)" names, if any.

    Ids, names and aliases are looked for as whole words; the longest match wins, so
    "long slow exhales" is the exhale pattern even though "box" is shorter.
    """
    lowered = text.casefold()
    best: tuple[int, Pattern] | None = None
    for pattern in patterns:
        for key in (pattern.id, pattern.name, *pattern.aliases):
            needle = key.casefold()
            if re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", lowered) and (
                best is None or len(needle) > best[0]
            ):
                best = (len(needle), pattern)
    return best[1] if best else None


def default_pattern(patterns: list[Pattern]) -> Pattern:
    """The pattern used when nothing names one: box breathing (or the first there is)."""
    return find_pattern(patterns, DEFAULT_PATTERN) or patterns[0]


def pattern_of_answers(patterns: Iterable[Pattern], answers: Iterable[object]) -> Pattern | None:
    """The pattern the first answer that names one names ("long slow exhales" is
    `exhale`); None when none does ("my own routine", "none", words of one's own that
    name no pattern)."""
    patterns = list(patterns)
    for answer in answers:
        if isinstance(answer, str) and answer.strip():
            found = pattern_named_in(patterns, answer)
            if found is not None:
                return found
    return None


def rounds_for(pattern: Pattern, rounds: int | None, minutes: float | None) -> int:
    """How many rounds to run: --rounds, or as many whole rounds as fill --minutes, or
    the pattern's own number. Raises UsageError for values out of range."""
    if rounds is not None and minutes is not None:
        raise UsageError("give --rounds or --minutes, not both")
    if rounds is not None:
        if not 1 <= rounds <= MAX_ROUNDS:
            raise UsageError(f"--rounds must be from 1 to {MAX_ROUNDS}")
        return rounds
    if minutes is not None:
        if not 0 < minutes <= MAX_MINUTES:
            raise UsageError(f"--minutes must be more than 0 and at most {MAX_MINUTES}")
        return max(1, round(minutes * 60 / pattern.cycle))
    return pattern.rounds


# -- the schedule --------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One phase of one round, placed on the session's timeline."""

    round: int  # from 1
    action: str
    seconds: float
    start: float  # seconds after the session began
    level_from: float  # how full the lungs are, 0..1, at the start of the phase
    level_to: float

    @property
    def end(self) -> float:
        return self.start + self.seconds

    @property
    def words(self) -> str:
        return WORDS[self.action]

    def level(self, elapsed: float) -> float:
        """How full the visual is `elapsed` seconds into this phase."""
        progress = min(1.0, max(0.0, elapsed / self.seconds)) if self.seconds else 1.0
        return self.level_from + (self.level_to - self.level_from) * progress


def schedule(pattern: Pattern, rounds: int) -> list[Step]:
    """Every phase of the session with its start, computed exactly (no rounding creep)."""
    steps: list[Step] = []
    offset = Fraction(0)
    level = 0.0
    for number in range(1, rounds + 1):
        for phase in pattern.phases:
            target = {"in": 1.0, "out": 0.0}.get(phase.action, level)
            steps.append(Step(number, phase.action, phase.seconds, float(offset), level, target))
            offset += Fraction(phase.seconds)
            level = target
    return steps


@dataclass
class Outcome:
    """How a breathing session went: for the one-line summary."""

    pattern: Pattern
    rounds: int
    rounds_done: int
    elapsed: float
    stopped: bool

    def summary(self) -> str:
        minutes, seconds = divmod(round(self.elapsed), 60)
        took = f"{minutes}:{seconds:02d}"
        if self.stopped:
            noun = "round" if self.rounds == 1 else "rounds"
            return (
                f"Stopped after {self.rounds_done} of {self.rounds} {noun} "
                f"of {self.pattern.name} ({took})."
            )
        noun = "round" if self.rounds_done == 1 else "rounds"
        return f"Done: {self.rounds_done} {noun} of {self.pattern.name} ({took})."


class Timer:
    """Runs a schedule against a clock. `clock` is monotonic seconds; `sleep` waits.

    Each phase ends at `start + phase.end`, measured from the one start time, whatever
    happened before: the schedule never drifts. Ctrl-C (KeyboardInterrupt) ends the run
    quietly; the outcome says how far it got.
    """

    def __init__(
        self,
        pattern: Pattern,
        rounds: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        tick: float = 0.1,
    ) -> None:
        self.pattern = pattern
        self.rounds = rounds
        self.steps = schedule(pattern, rounds)
        self.clock = clock
        self.sleep = sleep
        self.tick = tick

    def run(
        self,
        on_step: Callable[[Step], None] | None = None,
        on_tick: Callable[[Step, float, float], None] | None = None,
    ) -> Outcome:
        """Call `on_step(step)` as each phase begins and, if given, `on_tick(step,
        elapsed_in_phase, remaining)` about every `tick` seconds while it lasts."""
        start = self.clock()
        done = 0
        stopped = False
        try:
            for index, step in enumerate(self.steps):
                deadline = start + step.end
                if on_step is not None:
                    on_step(step)
                while True:
                    now = self.clock()
                    remaining = deadline - now
                    if remaining <= 0:
                        break
                    if on_tick is None:
                        self.sleep(remaining)
                        continue
                    on_tick(step, now - (start + step.start), remaining)
                    self.sleep(min(self.tick, remaining))
                last = index + 1 == len(self.steps) or self.steps[index + 1].round != step.round
                if last:
                    done = step.round
        except KeyboardInterrupt:
            stopped = True
        return Outcome(self.pattern, self.rounds, done, self.clock() - start, stopped)


# -- what a person sees --------------------------------------------------------------


def plain_line(step: Step) -> str:
    """One line per phase for a pipe (a speech tool reads it aloud): "breathe in 4"."""
    return f"{step.words} {seconds_text(step.seconds)}"
