"""Season statistics: the funnel, rounds per role, and breakdowns (pure).

Every number counts roles (a role in a project). A stage counts the roles that got at
least that far, so each stage holds the next: auditioned ⊇ called back ⊇ avail/hold ⊇
booked. A role with no outcome yet is open, never a loss.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from callback_coach.core.rounds import STAGES
from callback_coach.store.facts import Json
from callback_coach.store.slugs import fold


class Role(Protocol):
    """What the statistics read of a role (`core.rounds.Role` is one)."""

    @property
    def project(self) -> str: ...
    @property
    def first_date(self) -> str: ...
    @property
    def stage(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def round_count(self) -> int: ...
    def detail(self, key: str) -> str | None: ...


STATS_FORMAT = 1
BREAKDOWNS = ("office", "medium", "project", "month")
DEFAULT_BREAKDOWNS = ("office", "medium", "month")
STAGE_LABELS = {
    "auditioned": "Auditioned",
    "called_back": "Called back",
    "avail_hold": "Avail/hold",
    "booked": "Booked",
}
# Below this many roles a share is shown as "5 of 12", never as a percentage.
PERCENT_FROM = 20


@dataclass
class Tally:
    """Roles per stage reached, and where they stand now."""

    reached: list[int] = field(default_factory=lambda: [0] * len(STAGES))
    open: int = 0
    released: int = 0
    booked_now: int = 0  # booked where it stands now (a booking since released is not)
    # For each stage: roles that stopped there, open / released.
    stopped_open: list[int] = field(default_factory=lambda: [0] * len(STAGES))
    stopped_released: list[int] = field(default_factory=lambda: [0] * len(STAGES))

    @property
    def roles(self) -> int:
        return self.reached[0]

    @property
    def booked(self) -> int:
        return self.reached[-1]

    def add(self, role: Role) -> None:
        self.add_count(role.stage, role.status, 1)

    def add_count(self, stage: int, status: str, count: int) -> None:
        """`count` roles that reached `stage` and stand at `status` now."""
        for index in range(stage + 1):
            self.reached[index] += count
        if status == "open":
            self.open += count
            self.stopped_open[stage] += count
        elif status == "released":
            self.released += count
            self.stopped_released[stage] += count
        else:
            self.booked_now += count

    @classmethod
    def of_counts(cls, counts: dict[tuple[int, str], int]) -> Tally:
        """The tally of roles counted by (stage, status)."""
        tally = cls()
        for (stage, status), count in counts.items():
            tally.add_count(stage, status, count)
        return tally


def ratio(count: int, of: int) -> float | None:
    return round(count / of, 4) if of else None


def share(count: int, of: int) -> str:
    """`5 of 12`, or `42%` when there are enough roles for a percentage to mean something."""
    if of >= PERCENT_FROM:
        return f"{round(100 * count / of)}%"
    return f"{count} of {of}"


@dataclass(frozen=True)
class FunnelStep:
    """One stage of the funnel: its roles; from the second stage on, the roles of the
    stage before (`of`), and how many of those stopped before this one and are still
    open or released."""

    stage: str
    roles: int
    of: int | None = None  # None: the first stage
    still_open: int = 0
    released: int = 0

    def to_json(self) -> dict[str, Json]:
        step: dict[str, Json] = {"stage": self.stage, "roles": self.roles}
        if self.of is not None:
            step["of"] = self.of
            step["ratio"] = ratio(self.roles, self.of)
            step["not_reached"] = {"open": self.still_open, "released": self.released}
        return step


@dataclass
class Group:
    key: str | None  # None: not recorded
    tally: Tally


@dataclass
class SeasonStats:
    since: str | None
    until: str | None
    rounds: int  # of all the roles counted
    tally: Tally
    rounds_per_role: list[tuple[int, int]]  # (rounds, roles)
    breakdowns: dict[str, list[Group]]

    def funnel(self) -> list[FunnelStep]:
        """Each stage with its roles; from the second on, the roles of the stage before,
        and how many of those stopped before this stage are still open or released."""
        tally = self.tally
        steps = [FunnelStep(STAGES[0], tally.reached[0])]
        for index, stage in enumerate(STAGES[1:], start=1):
            steps.append(
                FunnelStep(
                    stage,
                    tally.reached[index],
                    of=tally.reached[index - 1],
                    still_open=tally.stopped_open[index - 1],
                    released=tally.stopped_released[index - 1],
                )
            )
        return steps

    def to_json(self) -> dict[str, Json]:
        tally = self.tally
        return {
            "format": STATS_FORMAT,
            "since": self.since,
            "until": self.until,
            "roles": tally.roles,
            "rounds": self.rounds,
            "funnel": [step.to_json() for step in self.funnel()],
            "booked_of_auditioned": {
                "roles": tally.booked,
                "of": tally.roles,
                "ratio": ratio(tally.booked, tally.roles),
            },
            "now": {"open": tally.open, "released": tally.released, "booked": tally.booked_now},
            "rounds_per_role": [{"rounds": n, "roles": k} for n, k in self.rounds_per_role],
            "breakdowns": {
                name: [_group_json(g) for g in groups] for name, groups in self.breakdowns.items()
            },
        }


def _group_json(group: Group) -> dict[str, Json]:
    t = group.tally
    return {
        "key": group.key,
        "roles": t.roles,
        "called_back": t.reached[1],
        "avail_hold": t.reached[2],
        "booked": t.reached[3],
        "open": t.open,
        "released": t.released,
    }


def _month(role: Role) -> str | None:
    return role.first_date[:7] or None


KEYS: dict[str, Callable[[Role], str | None]] = {
    "office": lambda r: r.detail("casting_office"),
    "medium": lambda r: r.detail("medium"),
    "project": lambda r: r.project or None,
    "month": _month,
}


def in_window(role: Role, since: str | None, until: str | None) -> bool:
    """A role belongs to the window of its first round's date (its outcomes may come later)."""
    if since is None and until is None:
        return True
    first = role.first_date
    if not first:
        return False
    return (since is None or first >= since) and (until is None or first <= until)


# (stage, status) -> roles
Kinds = dict[tuple[int, str], int]


@dataclass
class Counts:
    """What the statistics are made from: roles counted, never listed (the index counts
    them in SQL, `season.loading.load_counts`; `count_roles` counts a list of them)."""

    kinds: Kinds = field(default_factory=dict)
    rounds: dict[int, int] = field(default_factory=dict)  # round count -> roles
    # Per breakdown: each value as written (None: not recorded) -> its roles' kinds.
    by: dict[str, dict[str | None, Kinds]] = field(default_factory=dict)


def count_roles(
    roles: Iterable[Role], since: str | None, until: str | None, by: tuple[str, ...]
) -> Counts:
    """The counts of the roles whose first round falls between `since` and `until`."""
    counts = Counts(by={name: {} for name in by})
    keys = [(KEYS[name], counts.by[name]) for name in by]
    kinds, per_rounds = counts.kinds, counts.rounds
    for role in roles:
        if not role.round_count or not in_window(role, since, until):
            continue
        kind = (role.stage, role.status)
        kinds[kind] = kinds.get(kind, 0) + 1
        per_rounds[role.round_count] = per_rounds.get(role.round_count, 0) + 1
        for key_of, groups in keys:
            raw = key_of(role) or None
            bucket = groups.get(raw)
            if bucket is None:
                bucket = groups[raw] = {}
            bucket[kind] = bucket.get(kind, 0) + 1
    return counts


def season_stats(
    roles: Iterable[Role],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    by: tuple[str, ...] = DEFAULT_BREAKDOWNS,
) -> SeasonStats:
    """The statistics of the roles whose first round falls between `since` and `until`."""
    window = (since.isoformat() if since else None, until.isoformat() if until else None)
    return stats_of(count_roles(roles, *window, by), *window)


def stats_of(counts: Counts, since: str | None, until: str | None) -> SeasonStats:
    """The statistics of roles counted (`counts`) in the window `since`..`until`."""
    return SeasonStats(
        since=since,
        until=until,
        rounds=sum(n * k for n, k in counts.rounds.items()),
        tally=Tally.of_counts(counts.kinds),
        rounds_per_role=sorted(counts.rounds.items()),
        breakdowns={name: groups_of(name, raw) for name, raw in counts.by.items()},
    )


def breakdown(roles: Iterable[Role], name: str) -> list[Group]:
    """Roles grouped by office, medium, project or month (see `groups_of`)."""
    return groups_of(name, count_roles(roles, None, None, (name,)).by[name])


def groups_of(name: str, counted: dict[str | None, Kinds]) -> list[Group]:
    """The groups of a breakdown from its roles counted by each value as written: values
    that differ only in case or accents are one group, shown as most of its roles spell
    it (on a tie, the first in code-point order). Months in calendar order; the others by
    number of roles, then name; "not recorded" last."""
    merged: dict[str | None, Kinds] = {}
    spellings: dict[str | None, list[tuple[int, str]]] = {}
    for raw, kinds in counted.items():
        key = fold(raw) if raw else None
        bucket = merged.setdefault(key, {})
        for kind, count in kinds.items():
            bucket[kind] = bucket.get(kind, 0) + count
        if raw:
            spellings.setdefault(key, []).append((-sum(kinds.values()), raw))
    groups = {
        key: Group(min(spellings[key])[1] if key is not None else None, Tally.of_counts(kinds))
        for key, kinds in merged.items()
    }
    known = [g for k, g in groups.items() if k is not None]
    if name == "month":
        known.sort(key=lambda g: g.key or "")
    else:
        known.sort(key=lambda g: (-g.tally.roles, fold(g.key or "")))
    return known + ([groups[None]] if None in groups else [])
