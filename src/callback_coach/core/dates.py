"""Dates as people type them: `2026-11-26`, `today`, `tomorrow`, `fri`, `+3`.

Pure functions with the clock passed in, so every rule is testable on a fixed day.
"""

from __future__ import annotations

import datetime as dt
import re

from callback_coach.store.notes import FIRST_DAY, LAST_DAY

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_OFFSET = re.compile(r"^([+-])\s*([0-9]{1,4})\s*(?:d|days?)?$")
HINT = "use YYYY-MM-DD, today, tomorrow, yesterday, a weekday (fri, friday) or +N days"


class DateError(ValueError):
    """Text that is not a date the coach understands (the message says what is)."""


def parse_day(text: str, today: dt.date) -> dt.date:
    """`read_day`, refused when outside the days the coach takes (1900 to 2199)."""
    day = read_day(text, today)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateError(f"date {text!r} is not a day from 1900 to 2199")
    return day


def read_day(text: str, today: dt.date) -> dt.date:
    """The day `text` names, counted from `today`.

    - `YYYY-MM-DD`;
    - `today`, `tomorrow`, `yesterday`;
    - a weekday, full or from three letters (`fri`, `friday`): the next such day after
      today (today itself is `today`);
    - `+N` / `-N`, optionally followed by `d` or `days`: N days from today.
    """
    word = " ".join(text.strip().lower().split())
    if not word:
        raise DateError(f"the date is empty: {HINT}")
    if word in ("today", "tod"):
        return today
    if word in ("tomorrow", "tmrw", "tmr"):
        return today + dt.timedelta(days=1)
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    if len(word) >= 3 and word.isalpha():
        for number, name in enumerate(WEEKDAYS):
            if name.startswith(word):
                ahead = (number - today.weekday() - 1) % 7 + 1
                return today + dt.timedelta(days=ahead)
    match = _OFFSET.match(word)
    if match:
        days = int(match.group(2)) * (1 if match.group(1) == "+" else -1)
        try:
            return today + dt.timedelta(days=days)
        except OverflowError:
            raise DateError(f"date {text!r} is too far away") from None
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", word):
        try:
            return dt.date.fromisoformat(word)
        except ValueError:
            raise DateError(f"date {text!r} is not a day of the calendar") from None
    raise DateError(f"date {text!r} is not a date the coach understands: {HINT}")


def describe(day: dt.date, today: dt.date) -> str:
    """A short human label for `day`: `today`, `tomorrow`, or `Thu 26 Nov`."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    label = f"{WEEKDAYS[day.weekday()][:3].title()} {day.day} {day.strftime('%b')}"
    return label if day.year == today.year else f"{label} {day.year}"


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
