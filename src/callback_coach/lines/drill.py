"""The drill: cue, attempt, grade, one line after another, each saved as it is graded.

`plan_drill` chooses the lines: by the schedule (lines due, the weakest first, then
new lines in scene order), or the whole scene in order ("run the scene", `start` for
`--from N`). `DrillSession` runs a plan through a `LinesUI`:

- type mode: the actor types the line; it is scored word by word, what was missed,
  swapped or added is shown, and the actor may try once more (the first attempt is the
  one graded);
- say mode: the actor says the line, asks to see it, and grades it (again, hard, good,
  easy).

A hint (the first letter of each word) is there on request, and counted: a hinted line
is graded hard at best and is not off-book. Each graded line is saved at once, so
Ctrl-C (a KeyboardInterrupt from the UI) loses nothing; `graded` and `resume_from` tell
the caller what to say. In a scheduled drill, a line graded "again" comes back once more
at the end of the sitting.
"""

from __future__ import annotations

import datetime as dt
import enum
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from callback_coach.errors import NotFoundError, UsageError
from callback_coach.lines import schedule
from callback_coach.lines.measure import OffBook, offbook_of
from callback_coach.lines.records import ActorLine, LastAttempt, LineProgress, StoredScene
from callback_coach.lines.scene import Direction, Scene, Speech
from callback_coach.lines.schedule import Grade
from callback_coach.lines.scoring import Score, hint, score_line
from callback_coach.lines.sides import SidesStore

Mode = Literal["type", "say"]
MODES: tuple[Mode, ...] = ("type", "say")
Clock = Callable[[], dt.datetime]
# Type mode: below this share of words the line is graded again; below RIGHT_SHARE, hard.
AGAIN_BELOW = 0.6


class Ask(enum.Enum):
    """What the actor may ask for instead of giving the line."""

    HINT = "hint"


@dataclass(frozen=True)
class Cue:
    """What comes before a line: the speech before it (None when the scene opens with the
    line) and the stage directions between; `together` is the speech said at the same
    time as the line (dual dialogue)."""

    speech: Speech | None
    directions: tuple[str, ...] = ()
    together: Speech | None = None


@dataclass(frozen=True)
class DrillItem:
    """One line to drill, with its scene, its cue and where it stands."""

    scene: StoredScene
    scene_number: int
    line: ActorLine
    cue: Cue
    status: str  # new, due, later (scheduled for later), right, missed
    due: dt.datetime | None


@dataclass(frozen=True)
class DrillPlan:
    """The lines of one sitting, in order."""

    role: str
    project: str
    run: bool  # the scene in order, no schedule
    seed: int | None
    at: dt.datetime
    items: tuple[DrillItem, ...]
    scene_number: int | None = None  # the scene chosen (--scene)
    start: int | None = None  # the first speech (--from)
    next_due: dt.datetime | None = None  # when the first line not in the plan is due


class LinesUI(Protocol):
    """Whoever drills: shows the cue, takes the attempt, grades. Raises KeyboardInterrupt
    (or EOFError) when the actor stops."""

    def show_cue(self, item: DrillItem, position: int, total: int) -> None:
        """The cue of the line `position` of `total` (from 1)."""

    def read_line(self, *, retry: bool) -> str | Ask:
        """Type mode: the line as typed, or Ask.HINT. With `retry`, the second try
        (empty: no second try)."""

    def wait_to_reveal(self) -> Ask | None:
        """Say mode: the actor has said the line; None to see it, or Ask.HINT."""

    def show_hint(self, hint: str) -> None:
        """The first letters of the line's words."""

    def show_line(self, item: DrillItem) -> None:
        """Say mode: the line as written."""

    def show_score(self, score: Score, item: DrillItem) -> None:
        """Type mode: how the attempt matched (what was missed, swapped or added)."""

    def ask_grade(self) -> Grade:
        """Say mode: the actor's own grade."""

    def show_summary(self, summary: Summary) -> None:
        """The end of the sitting: what was drilled, and the off-book figure now."""


class CueVoice(Protocol):
    """Reads a cue aloud (optional)."""

    def say(self, text: str) -> None: ...


@dataclass(frozen=True)
class Outcome:
    """How one line went in this sitting."""

    item: DrillItem
    grade: Grade
    hint: bool
    right: bool
    score: Score | None


@dataclass(frozen=True)
class Summary:
    graded: tuple[Outcome, ...]
    offbook: OffBook


# -- planning -----------------------------------------------------------------------------


def plan_drill(
    store: SidesStore,
    role: str,
    project: str | None = None,
    *,
    now: dt.datetime,
    scene: int | None = None,
    start: int | None = None,
    run: bool = False,
    seed: int | None = None,
    choose_project: Callable[[list[str]], str] | None = None,
) -> DrillPlan:
    """The lines of a sitting for `role` (see the module's docstring). NotFoundError for
    a scene or speech number that is not there; UsageError for `start` without `scene`
    when the role has several scenes."""
    scenes = store.scenes(role, project, choose_project=choose_project)
    numbered = list(enumerate(scenes, start=1))
    if scene is not None:
        if not 1 <= scene <= len(scenes):
            raise NotFoundError(f"{role} has no scene {scene} (scenes 1 to {len(scenes)})")
        numbered = [numbered[scene - 1]]
    if start is not None:
        if len(numbered) > 1:
            raise UsageError(
                f"--from needs --scene: {role} has {len(scenes)} scenes (see coach sides list)"
            )
        speeches = len(numbered[0][1].scene.speeches())
        if not 1 <= start <= speeches:
            raise NotFoundError(
                f"scene {numbered[0][0]} has no speech {start} (speeches 1 to {speeches})"
            )
        run = True
    items = [item for number, s in numbered for item in _items(store, number, s, now)]
    if run:
        chosen = [i for i in items if start is None or i.line.number >= start]
        if not chosen:
            raise NotFoundError(f"none of your lines comes at or after speech {start}")
    else:
        due = sorted((i for i in items if i.status == "due"), key=lambda i: i.due or now)
        chosen = due + [i for i in items if i.status == "new"]
    if seed is not None:
        random.Random(seed).shuffle(chosen)
    taken = {(i.scene_number, i.line.key) for i in chosen}
    later = [
        i.due
        for i in items
        if (i.scene_number, i.line.key) not in taken and i.due is not None and i.due > now
    ]
    return DrillPlan(
        role=scenes[0].role,
        project=scenes[0].project,
        run=run,
        seed=seed,
        at=now,
        items=tuple(chosen),
        scene_number=scene,
        start=start,
        next_due=min(later, default=None),
    )


def _items(store: SidesStore, number: int, scene: StoredScene, now: dt.datetime) -> list[DrillItem]:
    progress = store.progress(scene)
    items = []
    for line in scene.lines():
        known = progress.get(line.key)
        due = schedule.due(known.card) if known is not None else None
        status = "new" if due is None else "due" if due <= now else "later"
        items.append(DrillItem(scene, number, line, cue_for(scene.scene, line.number), status, due))
    return items


def cue_for(scene: Scene, number: int) -> Cue:
    """The cue of speech `number` (from 1): the speech before it and the directions in
    between; for the second speech of dual dialogue, the speech before the pair."""
    index = _element_index(scene, number)
    line = scene.elements[index]
    directions: list[str] = []
    together: Speech | None = None
    for element in reversed(scene.elements[:index]):
        if isinstance(element, Direction):
            directions.insert(0, element.text)
            continue
        if isinstance(line, Speech) and line.dual and together is None:
            together = element
            continue
        return Cue(element, tuple(directions), together)
    return Cue(None, tuple(directions), together)


def _element_index(scene: Scene, number: int) -> int:
    seen = 0
    for index, element in enumerate(scene.elements):
        if isinstance(element, Speech):
            seen += 1
            if seen == number:
                return index
    raise IndexError(number)


# -- the session --------------------------------------------------------------------------


def utc_now() -> dt.datetime:
    """The real clock (a session takes another one in tests)."""
    return dt.datetime.now(dt.timezone.utc)


def grade_typed(score: Score, hinted: bool) -> Grade:
    """Type mode's grade: again below 60 % of the words, hard below 90 % or with a hint,
    good otherwise."""
    if score.share < AGAIN_BELOW:
        return Grade.AGAIN
    if hinted or not score.is_right:
        return Grade.HARD
    return Grade.GOOD


@dataclass
class DrillSession:
    """One sitting: `run` drills the plan's lines through `ui` and saves each grade."""

    plan: DrillPlan
    ui: LinesUI
    store: SidesStore
    mode: Mode = "type"
    clock: Clock = field(default=lambda: utc_now())
    voice: CueVoice | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    current: DrillItem | None = None

    @property
    def graded(self) -> int:
        return len(self.outcomes)

    @property
    def resume_from(self) -> int | None:
        """In a run of the scene: the speech to go on from after a stop (the line being
        drilled, not yet graded); None in a scheduled drill (its lines come back by
        themselves) or when nothing is left."""
        return self.current.line.number if self.plan.run and self.current is not None else None

    def run(self) -> Summary:
        again = []
        items = list(self.plan.items)
        for position, item in enumerate(items, start=1):
            if self._drill(item, position, len(items)).grade is Grade.AGAIN:
                again.append(item)
        if not self.plan.run:
            for position, item in enumerate(again, start=1):
                self._drill(item, position, len(again))
        self.current = None
        summary = Summary(tuple(self.outcomes), self._offbook())
        self.ui.show_summary(summary)
        return summary

    def _offbook(self) -> OffBook:
        scenes = self.store.scenes(self.plan.role, self.plan.project)
        return offbook_of(self.store, scenes)

    def _drill(self, item: DrillItem, position: int, total: int) -> Outcome:
        self.current = item
        self.ui.show_cue(item, position, total)
        cue = item.cue.speech
        # A reader reads the other parts; the actor's own speech before is theirs to say.
        if self.voice is not None and cue is not None and not item.scene.is_mine(cue):
            self.voice.say(cue.text)
        outcome = self._typed(item) if self.mode == "type" else self._said(item)
        self._save(outcome)
        self.outcomes.append(outcome)
        return outcome

    def _typed(self, item: DrillItem) -> Outcome:
        text = item.line.speech.text
        hinted = False
        answer = self.ui.read_line(retry=False)
        while isinstance(answer, Ask):
            hinted = True
            self.ui.show_hint(hint(text))
            answer = self.ui.read_line(retry=False)
        first = score_line(text, answer)
        self.ui.show_score(first, item)
        if not first.perfect:
            again = self.ui.read_line(retry=True)
            if isinstance(again, str) and again.strip():
                self.ui.show_score(score_line(text, again), item)
        grade = grade_typed(first, hinted)
        return Outcome(item, grade, hinted, first.is_right and not hinted, first)

    def _said(self, item: DrillItem) -> Outcome:
        hinted = False
        while self.ui.wait_to_reveal() is Ask.HINT:
            hinted = True
            self.ui.show_hint(hint(item.line.speech.text))
        self.ui.show_line(item)
        given = self.ui.ask_grade()
        right = given in (Grade.GOOD, Grade.EASY) and not hinted
        grade = Grade.HARD if hinted and given.rank > Grade.HARD.rank else given
        return Outcome(item, grade, hinted, right, None)

    def _save(self, outcome: Outcome) -> None:
        """Grade the line's card and save it at once (atomically)."""
        item = outcome.item
        at = self.clock()
        known = self.store.progress(item.scene).get(item.line.key)
        card = schedule.review(known.card if known else None, outcome.grade, at)
        last = LastAttempt(
            at=at.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
            mode=self.mode,
            grade=outcome.grade.value,
            hint=outcome.hint,
            right=outcome.right,
            score=round(outcome.score.share, 4) if outcome.score is not None else None,
        )
        attempts = (known.attempts if known else 0) + 1
        self.store.record(item.scene, item.line, LineProgress(card, last, attempts))
