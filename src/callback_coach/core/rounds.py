"""The round, the product's central idea: one role in one project, one callback (its day,
time, place, medium, preps, room and news), and the role it belongs to.

Every view reads these (`coach list`, `show`, `today`, `stats`, `card`, `drill`,
`export calendar`, the next round's carry-over, every `--json`), and they are built in
one place, `build_roles`, from the facts of the notes (`store.facts.NoteFacts`). The
rules live here once:

- a round's **day** is the day given by its most recently written prep or review that
  gives one (a review records the day the room happened; before it, the latest prep has
  the callback's day); a round only drilled takes its drills' day;
- a round's **details** (medium, casting office, time, place) are each the newest note's
  that records it; a role's, the earliest round's that records it;
- a round's **answers** are its preps merged question by question: a later prep's answer
  replaces an earlier one for that question only, so a quick prep never erases what a
  full prep said;
- a round's **outcome history** is every outcome its notes recorded, in the order they
  were recorded; its outcome is the newest (pending counts as none);
- a role's **stage** is the furthest it got (a round other than the audition means a
  callback came; every outcome ever recorded counts, a hold later released was a hold);
  its **status** is where it stands now: booked, released, or open.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from callback_coach.core.answers import is_given
from callback_coach.errors import AmbiguousError
from callback_coach.store.facts import NoteFacts, OutcomeChange
from callback_coach.store.index import RoleSummary
from callback_coach.store.labels import next_round, round_rank
from callback_coach.store.slugs import fold

# How far a role got, in funnel order.
STAGES = ("auditioned", "called_back", "avail_hold", "booked")
# The stage an outcome says a role reached (index into STAGES).
OUTCOME_STAGES = {"callback": 1, "avail": 2, "hold": 2, "booked": 3}
# Outcomes after which no round follows.
DONE_OUTCOMES = ("booked", "released")


@functools.lru_cache(maxsize=4096)
def moment(text: str) -> float:
    """An ISO time as seconds since the epoch, for ordering (times written with different
    UTC offsets compare by the instant); -inf when `text` is not a time."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return float("-inf")
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.timestamp()


def _written(note: NoteFacts) -> tuple[float, str, str, int]:
    """The order notes were written in: by their time, then (two written in the same
    second) by their file's name, `name-2.md` after `name.md` (`fileio.create_new`)."""
    found = _NUMBERED.match(note.file)
    base, number = (found.group(1), int(found.group(2))) if found else (note.file[:-3], 1)
    return (moment(note.created), note.created, base, number)


_NUMBERED = re.compile(r"^(.*)-([0-9]+)\.md$")


@dataclass(frozen=True, eq=False)
class Round:
    """One round of one role, from its notes (oldest first)."""

    role: str
    project: str
    label: str
    notes: tuple[NoteFacts, ...]
    preps: tuple[NoteFacts, ...] = field(init=False)
    reviews: tuple[NoteFacts, ...] = field(init=False)
    drills: tuple[NoteFacts, ...] = field(init=False)
    date: str = field(init=False)
    details: Mapping[str, str] = field(init=False)
    outcomes: tuple[OutcomeChange, ...] = field(init=False)

    def __post_init__(self) -> None:
        notes = self.notes
        preps = tuple(n for n in notes if n.kind == "prep")
        reviews = tuple(n for n in notes if n.kind == "review")
        held = [n for n in notes if n.kind in ("prep", "review")]
        dated = [n.date for n in held if n.date] or [n.date for n in notes if n.date]
        details: dict[str, str] = {}
        for note in notes:
            details.update(note.details)
        changes = [
            (moment(change.at or note.created), position, number, change)
            for position, note in enumerate(held)
            for number, change in enumerate(note.outcomes)
        ]
        changes.sort(key=lambda item: item[:3])
        set_ = object.__setattr__
        set_(self, "preps", preps)
        set_(self, "reviews", reviews)
        set_(self, "drills", tuple(n for n in notes if n.kind == "drill"))
        set_(self, "date", dated[-1] if dated else "")
        set_(self, "details", details)
        set_(self, "outcomes", tuple(change for *_, change in changes))

    @property
    def held(self) -> bool:
        """True when the round was prepared or reviewed (not only drilled)."""
        return bool(self.preps or self.reviews)

    @property
    def outcome(self) -> str | None:
        """The newest outcome recorded (None: none yet, or pending)."""
        latest = self.outcomes[-1].outcome if self.outcomes else ""
        return None if latest in ("", "pending") else latest

    @property
    def latest_prep(self) -> NoteFacts | None:
        return self.preps[-1] if self.preps else None

    @property
    def latest_review(self) -> NoteFacts | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def target(self) -> NoteFacts:
        """The note things about the round are recorded on (an outcome, a follow-up): its
        latest review, else its latest prep, else its latest note."""
        return self.latest_review or self.latest_prep or self.notes[-1]

    @property
    def stamp(self) -> str:
        """When the round last changed (a note written, an outcome recorded)."""
        return max((n.stamp for n in self.notes), key=moment, default="")

    def detail(self, key: str) -> str | None:
        """`medium`, `casting_office`, `time` or `place`: the newest note's that has it."""
        return self.details.get(key)

    @property
    def answers(self) -> dict[str, dict[str, object]]:
        """The preps' answers merged question by question (see the module's docstring)."""
        return merged_answers(self.preps)

    @property
    def review_answers(self) -> dict[str, dict[str, object]]:
        """The reviews' answers, merged the same way."""
        return merged_answers(self.reviews)

    def stages(self) -> int:
        """The furthest stage this round shows (an index into STAGES)."""
        reached = 0 if self.label == "audition" else 1
        for change in self.outcomes:
            reached = max(reached, OUTCOME_STAGES.get(change.outcome, 0))
        return reached


def merged_answers(notes: Iterable[NoteFacts]) -> dict[str, dict[str, object]]:
    """The notes' answers (oldest first) merged: a later note's given answer replaces an
    earlier one for its question only; a question a later note left blank keeps the
    earlier answer. Raises ValueError for facts made without their answers (a bug)."""
    merged: dict[str, dict[str, object]] = {}
    for note in notes:
        if note.answers is None:
            raise ValueError(f"the facts of {note.file} were read without their answers")
        for cid, values in note.answers.items():
            mine = merged.setdefault(cid, {})
            for qid, value in values.items():
                if is_given(value) or qid not in mine:
                    mine[qid] = value
    return merged


@dataclass(frozen=True)
class Waiting:
    """A role's latest round that waits for something (`Role.waiting`)."""

    role: str
    project: str
    round: str
    date: str
    what: str  # "review" or "outcome"


@dataclass(frozen=True, eq=False)
class Role:
    """One role in one project, with its rounds in round order (rounds only drilled
    included: `held` leaves them out)."""

    role: str
    project: str
    rounds: tuple[Round, ...]
    held: tuple[Round, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "held", tuple(r for r in self.rounds if r.held))

    @property
    def notes(self) -> list[NoteFacts]:
        return [n for r in self.rounds for n in r.notes]

    @property
    def latest(self) -> Round:
        """The latest round held (the latest round when none was held)."""
        return (self.held or self.rounds)[-1]

    def round(self, label: str) -> Round | None:
        return next((r for r in self.rounds if r.label == label), None)

    @property
    def first_date(self) -> str:
        """The day of the first round held ("" when none is dated)."""
        return min((r.date for r in self.held if r.date), default="")

    def detail(self, key: str) -> str | None:
        """A job detail (medium, casting office): the earliest round held that has it."""
        return next((r.detail(key) for r in self.held if r.detail(key)), None)

    def latest_detail(self, key: str) -> str | None:
        """A detail as the latest round that records it says (what carries forward)."""
        return next((r.detail(key) for r in reversed(self.rounds) if r.detail(key)), None)

    @property
    def round_count(self) -> int:
        """How many rounds were held."""
        return len(self.held)

    @property
    def stage(self) -> int:
        """The furthest stage the role reached (an index into STAGES)."""
        return max((r.stages() for r in self.held), default=0)

    @property
    def status(self) -> str:
        """`booked`, `released` (the latest round's outcome) or `open`: where the role
        stands now (outcomes since replaced do not count here)."""
        if any(r.outcome == "booked" for r in self.held):
            return "booked"
        if self.held and self.held[-1].outcome == "released":
            return "released"
        return "open"

    def waiting(self) -> Waiting | None:
        """What the latest round held waits for, while the role is open and the round
        dated: its review (prepped, not reviewed), else news (no outcome)."""
        if not self.held:
            return None
        latest = self.held[-1]
        if not latest.date or self.status != "open":
            return None
        if latest.preps and not latest.reviews:
            what = "review"
        elif latest.outcome is None:
            what = "outcome"
        else:
            return None
        return Waiting(self.role, self.project, latest.label, latest.date, what)

    def next_step(self) -> tuple[str | None, str | None]:
        """("review", round), ("prep", round), or (None, None) when the role is settled."""
        if not self.held:
            return "prep", next_round([])
        latest = self.held[-1]
        if latest.preps and not latest.reviews:
            return "review", latest.label
        if latest.outcome in DONE_OUTCOMES:
            return None, None
        return "prep", next_round([r.label for r in self.held])

    def to_review(self) -> Round | None:
        """The latest round prepared but not yet reviewed."""
        return next((r for r in reversed(self.held) if r.preps and not r.reviews), None)

    def upcoming(self, today: str) -> Round | None:
        """The latest round held when it is still to come: prepared for `today`
        (YYYY-MM-DD) or later, with no review and no outcome yet."""
        if not self.held:
            return None
        latest = self.held[-1]
        if latest.reviews or not latest.preps or latest.outcome is not None:
            return None
        return latest if latest.date and latest.date >= today else None

    def previous(self, label: str) -> Round | None:
        """The latest round held before `label` (in round order)."""
        rank = round_rank(label)
        earlier = [r for r in self.held if r.label != label and round_rank(r.label) <= rank]
        return earlier[-1] if earlier else None

    def has_follow_ups(self) -> bool:
        """True when some note of a round held records follow-ups (a review's answer to
        a follow-up question, or items added)."""
        return any(
            n.follow_up_answers or n.follow_ups is not None or n.follow_ups_done is not None
            for r in self.held
            for n in r.notes
        )

    def follow_ups_until(self) -> str:
        """The latest day from which a follow-up of the role may still be open, however
        today is (a review's ticked choices lapse after a while, counted from its day;
        items added and lines written never lapse before their due day): "9999" when one
        may always be, "" when the role has none."""
        until = ""
        for record in self.held:
            for note in record.notes:
                if note.follow_ups is not None:
                    return "9999"
                if note.follow_up_answers:
                    texts = any(isinstance(a, str) for _, _, a in note.follow_up_answers)
                    until = max(until, "9999" if texts or not note.date else note.date)
        return until

    @property
    def active(self) -> tuple[str, str]:
        """How recently the role was active: its latest note's day, then the latest
        note written (`coach list` shows the most recent first)."""
        notes = self.notes
        return max(n.date for n in notes), max((n.created for n in notes), key=moment)


def build_roles(facts: Iterable[NoteFacts]) -> list[Role]:
    """The notes grouped into roles (role and project matched without regard to case or
    accents) and rounds; roles in the order of their first day held, then name. A role
    and project are spelt as their first note spells them."""
    by_role: dict[tuple[str, str], list[NoteFacts]] = {}
    folded: dict[str, str] = {}  # names repeat from note to note: fold each once

    def key(name: str) -> str:
        found = folded.get(name)
        if found is None:
            found = folded[name] = fold(name)
        return found

    for note in sorted(facts, key=_written):
        by_role.setdefault((key(note.role), key(note.project)), []).append(note)
    roles = []
    for notes in by_role.values():
        by_round: dict[str, list[NoteFacts]] = {}
        for note in notes:
            by_round.setdefault(note.round, []).append(note)
        role, project = notes[0].role, notes[0].project
        rounds = sorted(
            (Round(role, project, label, tuple(group)) for label, group in by_round.items()),
            key=lambda r: (round_rank(r.label), r.label, _written(r.notes[-1])),
        )
        roles.append(Role(role, project, tuple(rounds)))
    roles.sort(key=lambda r: (r.first_date or "9999", key(r.role), key(r.project)))
    return roles


def summarize(facts: list[NoteFacts]) -> RoleSummary | None:
    """What the index keeps of the role the notes of one role and project make."""
    role = build_role(facts)
    if role is None:
        return None
    latest = role.latest
    action, next_label = role.next_step()
    waiting = role.waiting()
    active_date, active_created = role.active
    open_prep = max((r.date for r in role.held if r.preps and not r.reviews and r.date), default="")
    return RoleSummary(
        role=role.role,
        project=role.project,
        rounds=[r.label for r in role.held or role.rounds],
        notes=len(facts),
        latest_round=latest.label,
        latest_date=latest.date,
        outcome=latest.outcome,
        next_action=action,
        next_round=next_label,
        active_date=active_date,
        active_created=active_created,
        first_date=role.first_date,
        stage=role.stage,
        status=role.status,
        round_count=len(role.held),
        medium=role.detail("medium"),
        office=role.detail("casting_office"),
        follow_ups=int(role.has_follow_ups()),
        follow_ups_until=role.follow_ups_until(),
        open_prep=open_prep,
        waiting=waiting.what if waiting is not None else "",
        first_file=min(n.file for n in facts),
    )


def build_role(facts: Iterable[NoteFacts]) -> Role | None:
    """The one role of the notes of one role and project (None when there are none)."""
    roles = build_roles(facts)
    return roles[0] if roles else None


# -- naming a role ----------------------------------------------------------------------


def same_name(a: str, b: str) -> bool:
    """Role and project names match case- and accent-insensitively."""
    return fold(a) == fold(b)


def near_names(name: str, known: Iterable[str], *, limit: int = 3) -> list[str]:
    """The names of `known` closest to `name` (a typo: `Irnia` for `Irina`), closest
    first, at most `limit`: compared case- and accent-insensitively (`fold`), each name
    once, in its first spelling; never `name` itself (nor another spelling of it)."""
    wanted = fold(name)
    spellings: dict[str, str] = {}
    for other in known:
        spellings.setdefault(fold(other), other)
    spellings.pop(wanted, None)
    near = difflib.get_close_matches(wanted, list(spellings), n=limit, cutoff=0.6)
    return [spellings[key] for key in near]


def no_notes_message(name: str, project: str, known: Iterable[str]) -> str:
    """`no notes for 'Irnia'`, naming the project when one was given, and followed by the
    closest of the `known` role names when some are close: `; did you mean 'Irina'?`."""
    message = f"no notes for {name!r}" + (f" in {project!r}" if project else "")
    near = near_names(name, known)
    if near:
        names = [repr(n) for n in near]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        message += f"; did you mean {listed}?"
    return message


def projects_of_role(notes: Iterable[NoteFacts], role: str) -> list[str]:
    """The projects this role appears in, with the spelling of their first note."""
    found: dict[str, str] = {}
    for note in sorted(notes, key=_written):
        if same_name(note.role, role):
            found.setdefault(fold(note.project), note.project)
    return list(found.values())


def resolve_project(notes: Iterable[NoteFacts], role: str, project: str | None) -> str:
    """The project a command about `role` means.

    With `project` given, an existing spelling that matches it is reused. Without it, the
    role's only project is used ("" for a role that has none yet); a role found in several
    projects raises AmbiguousError listing them.
    """
    known = projects_of_role(notes, role)
    if project is not None:
        return next((name for name in known if same_name(name, project)), project.strip())
    if not known:
        return ""
    if len(known) == 1:
        return known[0]
    listing = ", ".join(shlex.quote(p) if p else "(no project)" for p in known)
    raise AmbiguousError(
        f"role {role!r} appears in several projects ({listing}): add --project (as written here)",
        choices=known,
    )


def canonical_role(notes: Iterable[NoteFacts], role: str) -> str:
    """The spelling of `role` in the earliest of `notes` (one project's notes of the role),
    or `role` as typed when there is none."""
    for note in sorted(notes, key=_written):
        if same_name(note.role, role):
            return note.role
    return role.strip()
