"""When each line comes back: the FSRS spaced-repetition schedule (the `fsrs` package,
imported only when a line is graded), one card per line, kept as plain data.

Every function takes the time as an argument (the drill passes its clock), so tests
control it. Intervals are not fuzzed: the same grades at the same times give the same
schedule. A card that cannot be read (a hand edit) counts as a new line.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fsrs import Card, Scheduler


class Grade(str, enum.Enum):
    """How a line went: the four FSRS ratings."""

    AGAIN = "again"
    HARD = "hard"
    GOOD = "good"
    EASY = "easy"

    @property
    def rank(self) -> int:
        return list(Grade).index(self) + 1


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("the drill's clock must give aware datetimes")
    return moment.astimezone(dt.timezone.utc)


@functools.cache
def _scheduler() -> Scheduler:
    from fsrs import Scheduler  # the scheduler: only when a line is graded

    return Scheduler(enable_fuzzing=False)


def review(card: Mapping[str, object] | None, grade: Grade, at: dt.datetime) -> dict[str, object]:
    """The line's card after being graded `grade` at `at` (a new card when `card` is None
    or unreadable), as plain data for the progress file."""
    from fsrs import Rating  # (see `_scheduler`)

    rating, when = Rating(grade.rank), _utc(at)
    try:
        reviewed, _log = _scheduler().review_card(_card(card, at), rating, when)
    except (KeyError, ValueError, TypeError, AttributeError, ArithmeticError):
        # A hand-edited card fsrs read but cannot compute with: the line starts again.
        reviewed, _log = _scheduler().review_card(_card(None, at), rating, when)
    data = dict(reviewed.to_dict())
    data.pop("card_id", None)  # the line's key names it
    return data


def due(card: Mapping[str, object] | None) -> dt.datetime | None:
    """When the line is due again; None for a line never graded (or an unreadable card)."""
    if card is None:
        return None
    try:
        value = dt.datetime.fromisoformat(str(card["due"]))
    except (KeyError, ValueError, TypeError):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


def _card(card: Mapping[str, object] | None, at: dt.datetime) -> Card:
    from fsrs import Card  # (see `_scheduler`)

    if card is not None:
        try:
            return Card.from_dict({**card, "card_id": 1})  # type: ignore[typeddict-item]
        except (KeyError, ValueError, TypeError):
            pass  # unreadable: the line starts again
    # A card id of our own: without one, fsrs would make it from the clock (and sleep 1 ms).
    return Card(card_id=1, due=_utc(at))
