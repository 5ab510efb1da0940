"""Dates people type, on a fixed day (Monday 23 November 2026)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callback_coach.core.dates import DateError, describe, parse_day

MONDAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-26", dt.date(2026, 11, 26)),
        ("today", MONDAY),
        (" Today ", MONDAY),
        ("tomorrow", dt.date(2026, 11, 24)),
        ("yesterday", dt.date(2026, 11, 22)),
        ("tue", dt.date(2026, 11, 24)),
        ("fri", dt.date(2026, 11, 27)),
        ("Friday", dt.date(2026, 11, 27)),
        ("thurs", dt.date(2026, 11, 26)),
        ("sun", dt.date(2026, 11, 29)),
        ("mon", dt.date(2026, 11, 30)),  # the next Monday, never today
        ("+0", MONDAY),
        ("+3", dt.date(2026, 11, 26)),
        ("+10 days", dt.date(2026, 12, 3)),
        ("-2", dt.date(2026, 11, 21)),
        ("+1d", dt.date(2026, 11, 24)),
    ],
)
def test_words_people_type(text: str, expected: dt.date) -> None:
    assert parse_day(text, MONDAY) == expected


@pytest.mark.parametrize(
    "text", ["", "  ", "2026-02-30", "2026-13-01", "next week", "fr", "+", "1e3", "26/11/2026"]
)
def test_other_text_is_a_clear_error(text: str) -> None:
    with pytest.raises(DateError) as info:
        parse_day(text, MONDAY)
    assert "\n" not in str(info.value)


def test_weekday_is_always_within_the_coming_week() -> None:
    for offset in range(7):
        today = MONDAY + dt.timedelta(days=offset)
        for name in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
            day = parse_day(name, today)
            assert 1 <= (day - today).days <= 7
            assert day.strftime("%a").lower() == name


@given(st.text(max_size=40), st.dates())
def test_any_text_is_a_date_or_a_date_error(text: str, today: dt.date) -> None:
    try:
        day = parse_day(text, today)
    except DateError as exc:
        assert str(exc)
    else:
        assert isinstance(day, dt.date)


def test_describe() -> None:
    assert describe(MONDAY, MONDAY) == "today"
    assert describe(dt.date(2026, 11, 24), MONDAY) == "tomorrow"
    assert describe(dt.date(2026, 11, 26), MONDAY) == "Thu 26 Nov"
    assert describe(dt.date(2027, 1, 8), MONDAY) == "Fri 8 Jan 2027"


def test_prep_and_review_take_people_dates(home) -> None:
    from callback_coach.core.inputs import parse_date
    from callback_coach.core.workflow import Coach

    coach = Coach(home)
    plan = coach.plan_prep("Nina", date="tomorrow")
    assert plan.date == (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert parse_date("fri", MONDAY) == "2026-11-27"
    assert parse_date(None, MONDAY) == "2026-11-23"
