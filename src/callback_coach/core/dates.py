"""Dates as people type them: `2026-11-26`, `today`, `tomorrow`, `fri`, `+3`.

Pure functions with the clock passed in, so every rule is testable on a fixed day.
"""

from __future__ import annotations

import datetime as dt
import re

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_OFFSET = re.compile(r"^([+-])\s*([0-9]{1,4})\s*(?:d|days?)?$")
HINT = "use YYYY-MM-DD, today, tomorrow, yesterday, a weekday (fri, friday) or +N days"


class DateError(ValueError):
    """Text that is not a date the coach understands (the message says what is)."""


def parse_day(text: str, today: dt.date) -> dt.date:
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
