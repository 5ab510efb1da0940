"""Checks of what a user types for a role, a round, a date or an outcome: each gives the
clean value or raises UsageError (exit code 2)."""

from __future__ import annotations

import datetime as dt

from callback_coach.errors import UsageError
from callback_coach.store.labels import OUTCOMES, normalize_round


def parse_date(text: str | None, today: dt.date | None = None) -> str:
    """The YYYY-MM-DD form of a date as people type it (`2026-11-26`, `tomorrow`, `fri`,
    `+3`; see dates.parse_day), today when not given; raise UsageError otherwise."""
    from callback_coach.core.dates import DateError, parse_day

    today = today or dt.date.today()
    if text is None:
        return today.isoformat()
    try:
        return parse_day(text, today).isoformat()
    except DateError as exc:
        raise UsageError(str(exc)) from None


def check_role(role: str) -> str:
    cleaned = " ".join(role.split())
    if not cleaned:
        raise UsageError("the role name is empty")
    if len(cleaned) > 200:
        raise UsageError("the role name is longer than 200 characters")
    return cleaned


def check_outcome(outcome: str) -> str:
    value = outcome.strip().lower()
    if value not in OUTCOMES:
        raise UsageError(f"outcome {outcome!r} is not one of: {', '.join(OUTCOMES)}")
    return value


def check_round(label: str) -> str:
    try:
        return normalize_round(label)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def check_session_options(
    role: str, round_label: str | None, date: str | None, outcome: str | None = None
) -> None:
    """Raise UsageError for a malformed role, round, date or outcome: checked before
    anything else (a missing terminal included), so bad usage is always exit code 2."""
    check_role(role)
    if round_label is not None:
        check_round(round_label)
    if date is not None:
        parse_date(date)
    if outcome is not None:
        check_outcome(outcome)
