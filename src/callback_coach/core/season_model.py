"""The actor's season: what each note says about its round, grouped into roles and rounds.

`coach stats`, `coach follow-ups`, `coach today` and `coach export calendar` read the
notes folder through `read_facts` only: each note is read once per command and reduced to
a small `NoteFacts` of plain data (strings, lists, dicts), which everything else derives
from without touching a file again. `note_facts` is a pure function of a note, so an
index can compute the facts when it reads a note and hand them back later.

Details a round may record (`medium`, `casting_office`, `time`, `place`) come from an
answer whose question id is one of `DETAIL_QUESTIONS` (in any checklist), else from the
front-matter key of the same name; see README "Your season".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from callback_coach.core.round_labels import round_rank
from callback_coach.store.slugs import fold

if TYPE_CHECKING:
    from callback_coach.core.workflow import Coach
    from callback_coach.season.stats import Counts
    from callback_coach.store.drafts import Draft
    from callback_coach.store.notes import Note

_T = TypeVar("_T")


class cached_property(Generic[_T]):
    """`functools.cached_property` without the lock it takes on Python 3.11 at each first
    read: `coach today` reads a few properties of hundreds of rounds once each, and the
    lock was a third of its time. A role's facts are only ever read by one thread."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[_T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.name] = value  # read from there from now on
        return value


# Front-matter key -> the question ids whose answer gives it (the answer wins).
DETAIL_QUESTIONS: dict[str, tuple[str, ...]] = {
    "medium": ("medium",),
    "casting_office": ("casting-office", "casting_office"),
    "time": ("time", "call-time"),
    "place": ("place", "address", "location"),
}
# Question ids whose answers in a review are follow-ups (see followups.py).
FOLLOW_UP_QUESTIONS = ("follow-up", "follow-ups")


def current_day() -> dt.date:
    """Today, for the season commands (tests replace it with a fixed day)."""
    return dt.date.today()


@dataclass
class NoteFacts:
    """What the season commands need from one note: plain data, read once."""

    file: str
    kind: str
    role: str
    project: str
    round: str
    date: str  # YYYY-MM-DD, or "" when the note has none
    created: str
    # The newest of `created` and `outcome_updated`: when this note last changed.
    stamp: str
    outcome: str | None  # None for no outcome or "pending"
    details: dict[str, str] = field(default_factory=dict)
    # (checklist id, question id, answer) of the follow-up questions, in a review.
    follow_up_answers: list[tuple[str, str, Any]] = field(default_factory=list)
    # The front matter's own follow-up keys, as written (checked in followups.py).
    follow_ups: Any = None
    follow_ups_done: Any = None
    # Outcomes the note had before its current one (`coach outcome` keeps them).
    earlier_outcomes: list[str] = field(default_factory=list)


def note_facts(note: Note, file: str) -> NoteFacts:
    """The facts of one note (pure)."""
    meta = note.meta
    outcome = note.outcome
    if outcome is not None and outcome.strip().lower() in ("", "pending"):
        outcome = None
    created = note.created
    updated = _text(meta.get("outcome_updated")) or ""
    details: dict[str, str] = {}
    for key in DETAIL_QUESTIONS:
        value = note_detail(note, key)
        if value:
            details[key] = value
    follow_up_answers: list[tuple[str, str, Any]] = []
    if note.kind == "review":
        for cid, answers in note.answers.items():
            for qid in FOLLOW_UP_QUESTIONS:
                if qid in answers and answers[qid] is not None:
                    follow_up_answers.append((cid, qid, answers[qid]))
    return NoteFacts(
        file=file,
        kind=note.kind,
        role=note.role,
        project=note.project,
        round=note.round,
        date=_iso_day(note.date),
        created=created,
        stamp=max(created, updated),
        outcome=outcome.strip().lower() if outcome else None,
        details=details,
        follow_up_answers=[(c, q, _plain_data(a)) for c, q, a in follow_up_answers],
        follow_ups=_plain_data(meta.get("follow_ups")),
        follow_ups_done=_plain_data(meta.get("follow_ups_done")),
        earlier_outcomes=_outcomes(meta.get("earlier_outcomes")),
    )


def _outcomes(value: Any) -> list[str]:
    """The outcomes of an `earlier_outcomes` list (or one outcome written by hand)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [o.strip().lower() for o in value if isinstance(o, str) and o.strip()]


def note_detail(note: Note, key: str) -> str | None:
    """A detail of `DETAIL_QUESTIONS` (`medium`, ...) as one note records it: an answer to
    one of its questions wins over the front-matter key of the same name."""
    value = _answer(note.answers, DETAIL_QUESTIONS[key])
    return value if value is not None else _detail_text(key, note.meta.get(key))


def _plain_data(value: Any) -> Any:
    """`value` as JSON data (dates as ISO text, keys as text), so facts read from a note
    and facts read back from the cache are the same."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_data(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def read_facts(coach: Coach) -> list[NoteFacts]:
    """The facts of every readable note of the home: the one place the season commands
    read notes. Unreadable notes are named in `coach.warnings`, as everywhere else.

    The index keeps each note's facts (computed when it reads the note), so nothing is
    parsed again; a note whose facts it could not keep is read from the index here.
    """
    index = coach.index
    text, missing = index.facts_list()
    coach.warn_unreadable(index)
    try:
        facts = [NoteFacts(*unrow(row)) for row in json.loads(text)]
    except (TypeError, ValueError):  # a damaged row: each read on its own
        return _read_each(coach)
    for note in coach.iter_files(missing):  # facts the index could not keep
        if note.path is not None:
            facts.append(note_facts(note, note.path.name))
    if missing:
        facts.sort(key=lambda f: f.file)
    return facts


def _read_each(coach: Coach) -> list[NoteFacts]:
    rows = coach.index.facts()
    found: dict[str, NoteFacts] = {}
    damaged = []
    for file, text in rows:
        try:
            found[file] = NoteFacts(*unrow(json.loads(text or "")))
        except (TypeError, ValueError):  # none kept, or damaged: read the note
            damaged.append(file)
    for note in coach.iter_files(damaged):
        if note.path is not None:
            found[note.path.name] = note_facts(note, note.path.name)
    return [found[file] for file, _ in rows if file in found]


_FACT_FIELDS = (
    "file", "kind", "role", "project", "round", "date", "created", "stamp", "outcome",
    "details", "follow_up_answers", "follow_ups", "follow_ups_done", "earlier_outcomes",
)  # fmt: skip
# Rows the index kept before a field was added end early: the rest take their defaults.
_FIRST_FIELDS = 13
_FOLLOW_UP_ANSWERS = _FACT_FIELDS.index("follow_up_answers")


def facts_row(facts: NoteFacts) -> list[Any]:
    """`facts` as a list of plain data (what the index keeps)."""
    return [getattr(facts, name) for name in _FACT_FIELDS]


def unrow(row: list[Any]) -> list[Any]:
    """The fields of NoteFacts from `facts_row`'s list (read back from JSON)."""
    if type(row) is not list or not _FIRST_FIELDS <= len(row) <= len(_FACT_FIELDS):
        raise ValueError("not a row of note facts")
    if len(row) < len(_FACT_FIELDS):
        row.append([])  # earlier_outcomes
    row[_FOLLOW_UP_ANSWERS] = [tuple(item) for item in row[_FOLLOW_UP_ANSWERS]]
    return row


def load_roles(coach: Coach) -> list[RoleSeason]:
    """Every role of the home with its rounds (see `group_roles`)."""
    return _from_index(coach, "") or group_roles(read_facts(coach))


# What each breakdown of `coach stats` groups by, in the `seasons` table (as `stats.KEYS`
# reads it from a role: an empty value is not recorded).
_GROUP_KEYS = {
    "office": "NULLIF(office, '')",
    "medium": "NULLIF(medium, '')",
    "project": "NULLIF(project, '')",
    "month": "NULLIF(substr(first_date, 1, 7), '')",
}


def load_counts(coach: Coach, since: str | None, until: str | None, by: tuple[str, ...]) -> Counts:
    """The roles `coach stats` counts, counted by the index (a few rows per breakdown)
    whose first round falls between `since` and `until`."""
    from callback_coach.season.stats import Counts, count_roles

    if _fresh(coach):
        with contextlib.suppress(sqlite3.Error):
            # (as stats.in_window: with a window, a role with no date is outside it)
            where, params = _window(since, until)
            index = coach.index
            counts = Counts()
            for rounds, stage, status, roles in index.season_groups("rounds", where, params):
                counts.kinds[stage, status] = counts.kinds.get((stage, status), 0) + roles
                counts.rounds[rounds] = counts.rounds.get(rounds, 0) + roles
            for name in by:
                groups = counts.by[name] = {}
                for key, stage, status, roles in index.season_groups(
                    _GROUP_KEYS[name], where, params
                ):
                    groups.setdefault(key, {})[stage, status] = roles
            return counts
    return count_roles(group_roles(read_facts(coach)), since, until, by)


def _window(since: str | None, until: str | None) -> tuple[str, tuple[str, ...]]:
    """The SQL filter of the roles whose first date falls between `since` and `until`."""
    if since is None and until is None:
        return "", ()
    conditions, params = ["first_date != ''"], []
    if since is not None:
        conditions.append("first_date >= ?")
        params.append(since)
    if until is not None:
        conditions.append("first_date <= ?")
        params.append(until)
    return "WHERE " + " AND ".join(conditions), tuple(params)


def load_with_follow_ups(
    coach: Coach, open_on: dt.date | None = None, *, dated: bool = False
) -> list[RoleSeason]:
    """The roles some of whose notes hold follow-ups (the only ones `followups` reads);
    with `open_on`, only those that may have one open on that day; `dated`, only those
    that may have one with a due day (items added, or a review's written lines: a
    review's ticked choices have none)."""
    where: str = "WHERE follow_ups = 1"
    params: tuple[Any, ...] = ()
    if dated:
        where = "WHERE follow_ups = 1 AND follow_ups_until = '9999'"  # see follow_ups_until
    elif open_on is not None:
        from callback_coach.season.followups import lapse_before

        where, params = "WHERE follow_ups = 1 AND follow_ups_until >= ?", (lapse_before(open_on),)
    found = _from_index(coach, where, params)
    if found is not None:
        return found
    return [r for r in group_roles(read_facts(coach)) if has_follow_ups(r)]


def load_for_today(
    coach: Coach, day: dt.date, drafts: list[Draft]
) -> tuple[list[RoleSeason], list[Waiting], dict[str, int], int]:
    """What `coach today` reads: the roles that may have a callback from `day` on (a
    prepped round not reviewed) and the drafts' roles, whole; the latest rounds of the
    other roles that wait for a review or news from before `day`; how many roles go by
    each folded name; and how many roles there are."""
    if _fresh(coach):
        with contextlib.suppress(sqlite3.Error, ValueError, TypeError):
            index = coach.index
            text = day.isoformat()
            columns = "role_key, project_key, first_date, role, project, data"
            rows = index.season_rows(columns, "WHERE open_prep >= ?", (text,))
            chosen = {(r[0], r[1]) for r in rows}
            for key in {(fold(d.role), fold(d.project)) for d in drafts} - chosen:
                rows += index.season_rows(columns, "WHERE role_key = ? AND project_key = ?", key)
            # In the season's order, as if every role were there.
            rows.sort(key=lambda r: (r[2] or "9999", r[0], r[1]))
            roles = [RoleSeason.from_data(r[3], r[4], json.loads(r[5])) for r in rows]
            chosen = {(r[0], r[1]) for r in rows}
            waiting = [
                Waiting(*row[2:])
                for row in index.season_waiting(text)
                if (row[0], row[1]) not in chosen
            ]
            names = index.season_names()
            return roles, waiting, names, sum(names.values())
    roles = group_roles(read_facts(coach))
    counts: dict[str, int] = {}
    for role in roles:
        counts[fold(role.role)] = counts.get(fold(role.role), 0) + 1
    return roles, [], counts, len(roles)


def calendar_rows(coach: Coach) -> list[tuple[str, int, str, str]] | None:
    """Every round's calendar event as the index keeps it (see ical.event_row), in the
    calendar's order; None when the index cannot give them."""
    if _fresh(coach):
        with contextlib.suppress(sqlite3.Error):
            return coach.index.season_events()
    return None


def follow_ups_until(role: RoleSeason) -> str:
    """The latest day from which a follow-up of the role may still be open, however
    today is (followups.collect lets a review's items lapse after a while; added ones
    never do): "9999" when one may always be, "" when the role has none."""
    until = ""
    for record in role.rounds:
        for note in record.notes:
            if note.follow_ups is not None:
                return "9999"
            if note.follow_up_answers:
                texts = any(isinstance(a, str) for _, _, a in note.follow_up_answers)
                until = max(until, "9999" if texts or not note.date else note.date)
    return until


def has_follow_ups(role: RoleSeason) -> bool:
    return any(
        n.follow_up_answers or n.follow_ups is not None or n.follow_ups_done is not None
        for r in role.rounds
        for n in r.notes
    )


def _from_index(coach: Coach, where: str, params: tuple[Any, ...] = ()) -> list[RoleSeason] | None:
    if not _fresh(coach):
        return None
    try:
        rows = coach.index.season_rows("role, project, data", where, params)
        return [
            RoleSeason.from_data(role, project, json.loads(data)) for role, project, data in rows
        ]
    except (sqlite3.Error, ValueError, TypeError):
        return None


def _fresh(coach: Coach) -> bool:
    """Bring the index's season rows up to date; False when they cannot be used (a
    read-only or damaged database: then the notes' facts are grouped here)."""
    try:
        coach.index.update_seasons(lambda notes: season_row(_role_facts(coach, notes)))
    except (sqlite3.Error, ValueError, TypeError):
        return False
    return True


def _role_facts(coach: Coach, notes: list[tuple[str, str | None]]) -> list[NoteFacts]:
    facts = []
    missing = []
    for file, text in notes:
        try:
            facts.append(NoteFacts(*unrow(json.loads(text or ""))))
        except (TypeError, ValueError):
            missing.append(file)
    for note in coach.iter_files(missing):
        if note.path is not None:
            facts.append(note_facts(note, note.path.name))
    return facts


def season_row(facts: list[NoteFacts]) -> tuple[tuple[Any, ...] | None, list[Any]]:
    """A role's row in the index's `seasons` table (after its keys) and its calendar
    events (ical.event_row), from its notes' facts; (None, []) when it has no round."""
    from callback_coach.season import calendar as ical

    roles = group_roles(facts)
    if not roles:
        return None, []
    (role,) = roles
    latest = role.latest
    open_prep = max(
        (r.date for r in role.rounds if r.preps and not r.reviews and r.date), default=""
    )
    waiting = role.waiting()
    totals = role.totals()
    row = (
        totals.role,
        totals.project,
        totals.first_date,
        totals.stage,
        totals.status,
        totals.round_count,
        totals.medium,
        totals.casting_office,
        int(has_follow_ups(role)),
        follow_ups_until(role),
        open_prep,
        latest.date,
        int(waiting is not None),
        json.dumps(role.data(), ensure_ascii=False),
        latest.round,
        waiting.what if waiting else "",
    )
    return row, [ical.event_row(e) for e in ical.round_events([role])]


def read_drafts(coach: Coach) -> list[Draft]:
    """Every unfinished session in the drafts folder, newest first (unreadable ones are
    skipped: the prep that owns them reports them)."""
    from callback_coach.store.drafts import DraftStore

    store = DraftStore(coach.home)
    if not store.folder.is_dir():
        return []
    found = [store.load(path) for path in sorted(store.folder.glob("*.yaml"))]
    drafts = [d for d in found if d is not None and d.kind in ("prep", "review")]
    return sorted(drafts, key=lambda d: d.started, reverse=True)


# -- rounds and roles ------------------------------------------------------------------


@dataclass
class RoundFacts:
    """One round of one role: its notes, oldest first."""

    round: str
    notes: list[NoteFacts] = field(default_factory=list)

    @cached_property
    def preps(self) -> list[NoteFacts]:
        return [n for n in self.notes if n.kind == "prep"]

    @cached_property
    def reviews(self) -> list[NoteFacts]:
        return [n for n in self.notes if n.kind == "review"]

    @cached_property
    def date(self) -> str:
        """The day of the room: the latest prep's date (a prep is dated for its callback),
        else the latest review's."""
        for group in (self.preps, self.reviews):
            dated = [n.date for n in group if n.date]
            if dated:
                return dated[-1]
        return ""

    @cached_property
    def outcome(self) -> str | None:
        """The newest outcome recorded on the round: reviews first, then preps."""
        for note in (*reversed(self.reviews), *reversed(self.preps)):
            if note.outcome:
                return note.outcome
        return None

    def detail(self, key: str) -> str | None:
        """`medium`, `casting_office`, `time` or `place`: the newest note that has it."""
        for note in reversed(self.notes):
            if key in note.details:
                return note.details[key]
        return None

    @cached_property
    def stamp(self) -> str:
        return max((n.stamp for n in self.notes), default="")

    @cached_property
    def target(self) -> NoteFacts:
        """The note that records things about the round: its latest review, else its
        latest prep (as `coach outcome` does)."""
        reviews = self.reviews
        return reviews[-1] if reviews else self.notes[-1]


# How far a role got, in funnel order.
STAGES = ("auditioned", "called_back", "avail_hold", "booked")
# The stage an outcome says a role reached (index into STAGES).
OUTCOME_STAGES = {"callback": 1, "avail": 2, "hold": 2, "booked": 3}


@dataclass
class RoleSeason:
    """One role in one project, with its rounds in round order."""

    role: str
    project: str
    rounds: list[RoundFacts]

    @cached_property
    def first_date(self) -> str:
        dated = [r.date for r in self.rounds if r.date]
        return min(dated) if dated else ""

    @cached_property
    def latest(self) -> RoundFacts:
        return self.rounds[-1]

    def detail(self, key: str) -> str | None:
        """A job detail (medium, casting office): the earliest round that records it."""
        for record in self.rounds:
            value = record.detail(key)
            if value:
                return value
        return None

    @cached_property
    def stage(self) -> int:
        """Index into STAGES of the furthest stage reached. A round other than `audition`
        means a callback came; outcomes count as their stage, and so do the outcomes they
        replaced (a hold that became a release was a hold)."""
        return self._stage(with_earlier=True)

    def _stage(self, *, with_earlier: bool) -> int:
        reached = 0
        for record in self.rounds:
            if record.round != "audition":
                reached = max(reached, 1)
            for note in record.notes:
                outcomes = (
                    (*note.earlier_outcomes, note.outcome) if with_earlier else (note.outcome,)
                )
                for outcome in outcomes:
                    reached = max(reached, OUTCOME_STAGES.get(outcome or "", 0))
        return reached

    @cached_property
    def status(self) -> str:
        """`booked`, `released` (the latest outcome), or `open`: still in play. Where the
        role stands now: outcomes since replaced do not count here."""
        if self._stage(with_earlier=False) == 3:
            return "booked"
        if self.latest.outcome == "released":
            return "released"
        return "open"

    @property
    def round_count(self) -> int:
        return len(self.rounds)

    def waiting(self) -> Waiting | None:
        """What the role's latest round waits for, while the role is open and the round
        is dated: its review (prepped, not reviewed), else news (no outcome)."""
        latest = self.latest
        if not latest.date or self.status != "open":
            return None
        if latest.preps and not latest.reviews:
            what = "review"
        elif latest.outcome is None:
            what = "outcome"
        else:
            return None
        return Waiting(self.role, self.project, latest.round, latest.date, what)

    def totals(self) -> RoleTotals:
        """What `coach stats` counts of this role."""
        return RoleTotals(
            self.role,
            self.project,
            self.first_date,
            self.stage,
            self.status,
            len(self.rounds),
            self.detail("medium"),
            self.detail("casting_office"),
        )

    def data(self) -> list[Any]:
        """The role's rounds and their notes' facts as plain data (`from_data` reads it)."""
        return [[r.round, [facts_row(n) for n in r.notes]] for r in self.rounds]

    @classmethod
    def from_data(cls, role: str, project: str, data: list[Any]) -> RoleSeason:
        """The role `data()` gave; ValueError or TypeError when `data` is not that."""
        rounds = []
        for label, notes in data:
            record = RoundFacts(str(label), [NoteFacts(*unrow(n)) for n in notes])
            if not record.notes:
                raise ValueError("a round without notes")
            rounds.append(record)
        if not rounds:
            raise ValueError("a role without rounds")
        return cls(role, project, rounds)


@dataclass(frozen=True)
class Waiting:
    """A role's latest round that waits for something (`RoleSeason.waiting`)."""

    role: str
    project: str
    round: str
    date: str
    what: str  # "review" or "outcome"


@dataclass(frozen=True)
class RoleTotals:
    """A role as `coach stats` counts it (the index keeps one per role)."""

    role: str
    project: str
    first_date: str
    stage: int
    status: str
    round_count: int
    medium: str | None
    casting_office: str | None

    def detail(self, key: str) -> str | None:
        return (
            self.medium
            if key == "medium"
            else self.casting_office
            if key == "casting_office"
            else None
        )


def group_roles(facts: Iterable[NoteFacts]) -> list[RoleSeason]:
    """The notes grouped into roles (role and project, matched without regard to case or
    accents) and rounds; roles in order of their first date, then name."""
    by_role: dict[tuple[str, str], list[NoteFacts]] = {}
    folded: dict[str, str] = {}  # names repeat from note to note: fold each once

    def key(name: str) -> str:
        found = folded.get(name)
        if found is None:
            found = folded[name] = fold(name)
        return found

    # A drill is practice, not a round: it never makes a round prepped or counts in a role.
    for note in sorted((n for n in facts if n.kind != "drill"), key=lambda n: (n.created, n.file)):
        by_role.setdefault((key(note.role), key(note.project)), []).append(note)
    roles = []
    for notes in by_role.values():
        records: dict[str, RoundFacts] = {}
        for note in notes:
            records.setdefault(note.round, RoundFacts(note.round)).notes.append(note)
        ordered = sorted(
            records.values(), key=lambda r: (round_rank(r.round), r.round, r.notes[-1].created)
        )
        roles.append(RoleSeason(notes[0].role, notes[0].project, ordered))
    roles.sort(key=lambda r: (r.first_date or "9999", fold(r.role), fold(r.project)))
    return roles


# -- reading values --------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        parts = [t for t in (_text(v) for v in value) if t]
        return ", ".join(parts) or None
    if isinstance(value, (str, int, float)):
        text = " ".join(str(value).split())
        return text or None
    return None


def _detail_text(key: str, value: Any) -> str | None:
    # YAML reads an unquoted `time: 14:30` as the base-60 number 870: give the time back.
    if key == "time" and type(value) is int and 0 <= value < 24 * 60:
        return f"{value // 60}:{value % 60:02d}"
    return _text(value)


def _answer(answers: dict[str, dict[str, Any]], question_ids: tuple[str, ...]) -> str | None:
    for values in answers.values():
        for qid in question_ids:
            text = _text(values.get(qid))
            if text:
                return text
    return None


def _iso_day(text: str) -> str:
    text = text.strip()[:10]
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return ""


_TIME = re.compile(
    r"^(?:at\s+)?([0-9]{1,2})(?:\s*[:.h]\s*([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$", re.IGNORECASE
)


def parse_time(text: str | None) -> tuple[int, int] | None:
    """(hour, minute) from a time as people write it: `14:30`, `9.15`, `14h30`, `2pm`,
    `2:30 pm`, `at 10`; None when the text is not a time of day."""
    if not text:
        return None
    match = _TIME.match(text.strip())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower().replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif match.group(2) is None and not text.strip().lower().startswith("at"):
        return None  # a bare number is not a time
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return hour, minute
