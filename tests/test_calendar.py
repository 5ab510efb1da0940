"""coach export calendar: RFC 5545 as the `icalendar` package reads it; stable UIDs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode
from callback_coach.season import calendar as ical
from callback_coach.season import loading as season

from .helpers import REVIEW, prep, review

runner = CliRunner()
WANT = {"refine-intention": {"want": "to be seen"}}


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(season, "current_day", lambda: dt.date(2026, 11, 21))


def export(*args: str) -> bytes:
    result = runner.invoke(app, ["export", "calendar", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def events(data: bytes) -> dict[str, icalendar.Event]:
    parsed = icalendar.Calendar.from_ical(data)
    return {str(e["SUMMARY"]): e for e in parsed.walk("VEVENT")}


@pytest.fixture
def season_home(home: Path) -> Coach:
    """Nina: callback-1 at a time and place (prep answers), reviewed with a thank-you owed;
    callback-2 on a day without a time. Sonya: an audition with an unreadable time."""
    c = Coach(home)
    plan = c.plan_prep("Nina", project="The Seagull", date="2026-11-20")
    plan.extra.update({"time": "2:30 pm", "place": "Studio 4, 12 Long Street; ring twice"})
    c.save_answers(plan, {"refine-intention": {"want": "to be seen"}})
    answers = {
        "after-the-room": {
            **REVIEW["after-the-room"],
            "follow-up": ["contact details of the people you met"],
        }
    }
    review(c, answers=answers, outcome="callback", date="2026-11-20")
    prep(c, date="2026-11-26")
    plan = c.plan_prep("Sonya", project="Uncle Vanya", round_label="audition", date="2026-11-02")
    plan.extra["time"] = "after lunch"
    c.save_answers(plan, WANT)
    return c


def test_callbacks_are_events_with_times_places_and_all_day_dates(season_home: Coach) -> None:
    data = export()
    found = events(data)
    timed = found["Nina · The Seagull · callback-1"]
    assert timed.decoded("DTSTART") == dt.datetime(2026, 11, 20, 14, 30)  # floating local time
    assert timed.decoded("DURATION") == dt.timedelta(hours=1)
    assert str(timed["LOCATION"]) == "Studio 4, 12 Long Street; ring twice"
    assert "Outcome: callback" in str(timed["DESCRIPTION"])
    all_day = found["Nina · The Seagull · callback-2"]
    assert all_day.decoded("DTSTART") == dt.date(2026, 11, 26)
    assert all_day.decoded("DTEND") == dt.date(2026, 11, 27)
    sonya = found["Sonya · Uncle Vanya · audition"]
    assert sonya.decoded("DTSTART") == dt.date(2026, 11, 2), "a time it cannot read: all day"
    assert "Time: after lunch" in str(sonya["DESCRIPTION"])
    for event in found.values():
        assert event.decoded("DTSTAMP").tzinfo is not None
        assert str(event["UID"]).endswith("@callback-coach")


def test_uids_are_stable_and_an_export_is_byte_identical(season_home: Coach) -> None:
    first = export()
    assert export() == first
    uids = {str(e["UID"]) for e in events(first).values()}
    assert len(uids) == len(events(first))
    # A new note changes the file, not the UIDs of the events already there.
    prep(season_home, "Masha", project="Three Sisters", date="2026-11-28")
    later = events(export())
    assert uids < {str(e["UID"]) for e in later.values()}


def test_dated_follow_ups_are_all_day_events(season_home: Coach) -> None:
    result = runner.invoke(
        app, ["follow-ups", "add", "Nina", "Send the tape", "--due", "2026-11-24", "--for", "Anna"]
    )
    ident = result.stdout.strip()
    before = export()
    found = events(before)
    item = found["Follow-up: Send the tape for Anna (Nina)"]
    assert item.decoded("DTSTART") == dt.date(2026, 11, 24)
    assert f"coach follow-ups done {ident}" in str(item["DESCRIPTION"])
    assert not any("contact details of the people you met" in s for s in found), (
        "undated follow-ups stay out"
    )
    runner.invoke(app, ["follow-ups", "done", ident])
    after = events(export())
    (done,) = [e for s, e in after.items() if "Send the tape" in s]
    assert done["UID"] == item["UID"], "marking it done updates the same event"
    assert str(done["SUMMARY"]).startswith("Done: ")


def test_lines_end_in_crlf_and_fold_at_75_octets(season_home: Coach) -> None:
    long_place = "Théâtre du Soleil, Cartoucherie, Route du Champ-de-Manœuvre, 75012 Paris 🎭" * 2
    plan = season_home.plan_prep("Irina", project="Three Sisters", date="2026-12-01")
    plan.extra["place"] = long_place
    season_home.save_answers(plan, WANT)
    data = export()
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert b"\n" not in b"".join(lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines), "the long place was folded"
    for line in lines:
        line.decode("utf-8")  # no character was split
    (irina,) = [e for s, e in events(data).items() if s.startswith("Irina")]
    assert str(irina["LOCATION"]) == long_place


def test_output_file_and_no_clobber(season_home: Coach, tmp_path: Path) -> None:
    target = tmp_path / "callbacks.ics"
    result = runner.invoke(app, ["export", "calendar", "--output", str(target)])
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_bytes() == export()
    again = runner.invoke(app, ["export", "calendar", "--output", str(target)])
    assert again.exit_code == ExitCode.EXISTS
    folder = tmp_path / "out"
    folder.mkdir()
    assert runner.invoke(app, ["export", "calendar", "--output", f"{folder}/"]).exit_code == 0
    assert (folder / "callbacks.ics").read_bytes() == export()


def test_an_empty_home_is_an_empty_calendar(home: Path) -> None:
    parsed = icalendar.Calendar.from_ical(export())
    assert parsed.walk("VEVENT") == []
    assert str(parsed["VERSION"]) == "2.0"


text_values = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\r"), max_size=200
)


@settings(deadline=None)
@given(summary=text_values, place=text_values)
def test_any_text_survives_escaping_and_folding(summary: str, place: str) -> None:
    event = ical.Event(
        uid=ical.event_uid("x"),
        summary=summary,
        day=dt.date(2026, 1, 2),
        time=(9, 5),
        stamp=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
        location=place or None,
    )
    data = ical.calendar([event]).encode("utf-8")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    (parsed,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    control = {chr(c) for c in range(32) if c not in (9, 10)} | {"\x7f"}

    def expected(text: str) -> str:
        return "".join(" " if ch in control else ch for ch in text)

    assert str(parsed["SUMMARY"]) == expected(summary)
    if place:
        assert str(parsed["LOCATION"]) == expected(place)


def test_a_callback_at_a_time_is_reminded_two_hours_before(season_home: Coach) -> None:
    """A timed callback carries its place and a display reminder (two hours before by
    default); a day without a time, and a follow-up, carry no reminder."""
    found = events(export())
    timed = found["Nina · The Seagull · callback-1"]
    assert str(timed["LOCATION"]) == "Studio 4, 12 Long Street; ring twice"
    (alarm,) = timed.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -dt.timedelta(hours=2)
    assert not found["Nina · The Seagull · callback-2"].walk("VALARM")
    assert all(not e.walk("VALARM") for s, e in found.items() if s.startswith("Follow-up"))


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2h", 120),
        ("90m", 90),
        ("90", 90),
        ("1h30", 90),
        ("45 min", 45),
        ("none", None),
        ("0", None),
    ],
)
def test_the_reminder_is_read_as_people_write_it(text: str, minutes: int | None) -> None:
    assert ical.remind_option(text) == minutes


@pytest.mark.parametrize("text", ["", "soon", "-1h", "9999h", "2d"])
def test_a_reminder_that_is_no_time_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        ical.remind_option(text)


def test_the_calendar_is_made_without_reminders_on_request() -> None:
    event = ical.Event(
        uid="x@callback-coach", summary="Nina", day=dt.date(2026, 11, 20), time=(14, 30),
        stamp=dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc), location="Studio 4",
    )  # fmt: skip
    with_alarm = icalendar.Calendar.from_ical(ical.calendar([event]))
    (parsed,) = with_alarm.walk("VEVENT")
    assert parsed.walk("VALARM")[0].decoded("TRIGGER") == -dt.timedelta(hours=2)
    without = icalendar.Calendar.from_ical(ical.calendar([event], remind=None))
    assert not without.walk("VALARM")
    assert without.walk("VEVENT")[0].decoded("DTSTART") == dt.datetime(2026, 11, 20, 14, 30)


def test_the_reminder_is_chosen_on_the_command_line(season_home: Coach) -> None:
    timed = events(export("--remind", "90m"))["Nina · The Seagull · callback-1"]
    assert timed.walk("VALARM")[0].decoded("TRIGGER") == -dt.timedelta(minutes=90)
    assert all(not e.walk("VALARM") for e in events(export("--remind", "none")).values())
    refused = runner.invoke(app, ["export", "calendar", "--remind", "soon"])
    assert refused.exit_code == ExitCode.USAGE
    assert refused.stderr.startswith("error: --remind: 'soon' is not a time before the callback")


def test_no_event_is_stamped_later_than_it_was_written(home: Path) -> None:
    # A prep for a callback ten days ahead, its call time and place not known yet: its
    # to-dos are dated follow-ups. DTSTAMP says when an event was last written, so none
    # is in the future (it was the follow-up's first day, the callback's, before).
    ahead = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    prep(Coach(home), "Olga", project="Three Sisters", date=ahead)
    found = events(export())
    follow_ups = [e for s, e in found.items() if not s.startswith("Olga")]
    assert follow_ups, "the prep's to-dos are dated follow-ups"
    written = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=1)
    for summary, event in found.items():
        assert event.decoded("DTSTAMP") <= written, summary
