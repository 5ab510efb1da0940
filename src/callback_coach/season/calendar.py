"""`coach export calendar`: callbacks and dated follow-ups as an iCalendar file (RFC 5545).

Written by hand (pure functions): the format needs only a few properties, and owning the
writer keeps the output byte-identical for the same notes and adds no dependency. What the
RFC asks and this writer does: CRLF after every line; lines folded at 75 octets (never
inside a UTF-8 character); TEXT values escaped (backslash, `;`, `,`, newlines); a DTSTAMP
in UTC on every event. UIDs are hashes of what identifies an event (role, project, round;
or a follow-up's id), so importing the file again updates events instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from callback_coach.core.dates import parse_time
from callback_coach.core.rounds import Role, build_roles
from callback_coach.season.followups import FollowUp
from callback_coach.store.facts import NoteFacts, iso_day
from callback_coach.store.slugs import fold

PRODID = "-//callback-coach//coach export calendar//EN"
UID_DOMAIN = "callback-coach"
# A callback with a time of day is shown as an hour; calendars need an end.
TIMED_LENGTH = "PT1H"
LINE_OCTETS = 75
# A callback at a time of day is reminded of this many minutes before, by default.
REMIND_MINUTES = 120
MAX_REMIND = 7 * 24 * 60


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    day: dt.date
    time: tuple[int, int] | None  # None: an all-day event
    stamp: dt.datetime  # UTC
    location: str | None = None
    description: str | None = None


def event_uid(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{digest[:24]}@{UID_DOMAIN}"


def round_events(roles: Iterable[Role]) -> list[Event]:
    """One event per dated round of every role, past and upcoming."""
    events = []
    for role in roles:
        for record in role.held:
            day = _day(record.date)
            if day is None:
                continue
            time_text = record.detail("time")
            time = parse_time(time_text)
            lines = []
            if record.outcome:
                lines.append(f"Outcome: {record.outcome}")
            for key, label in (("casting_office", "Casting office"), ("medium", "Medium")):
                value = record.detail(key) or role.detail(key)
                if value:
                    lines.append(f"{label}: {value}")
            if time_text and time is None:
                lines.append(f"Time: {time_text}")
            title = " · ".join(p for p in (role.role, role.project, record.label) if p)
            events.append(
                Event(
                    uid=event_uid("round", fold(role.role), fold(role.project), record.label),
                    summary=title,
                    day=day,
                    time=time,
                    stamp=_utc(record.stamp, day),
                    location=record.detail("place"),
                    description="\n".join(lines) or None,
                )
            )
    return events


def role_event_rows(facts: list[NoteFacts]) -> list[EventRow]:
    """The calendar events of the role the notes of one role and project make."""
    return [event_row(e) for e in round_events(build_roles(facts))]


def follow_up_events(items: Iterable[FollowUp], stamps: dict[str, str]) -> list[Event]:
    """One all-day event per follow-up with a due day. `stamps` maps a note file to when
    it last changed (the event's DTSTAMP)."""
    events = []
    for item in items:
        day = _day(item.due or "")
        if day is None:
            continue
        who = f" for {item.to}" if item.to else ""
        where = " · ".join(p for p in (item.role, item.project, item.round) if p)
        lines = [where, f"Id: {item.id}"]
        if item.done:
            lines.append(f"Done: {item.done}")
        else:
            lines.append(f"When it is done: {item.done_hint()}")
        events.append(
            Event(
                uid=event_uid("follow-up", item.id, fold(item.role), fold(item.project)),
                summary=f"{'Done: ' if item.done else 'Follow-up: '}{item.what}{who} ({item.role})",
                day=day,
                time=None,
                stamp=_changed(stamps.get(item.file, ""), item.done or "", day),
                description="\n".join(lines),
            )
        )
    return events


def calendar(
    events: Iterable[Event], name: str = "Callbacks", *, remind: int | None = REMIND_MINUTES
) -> str:
    """The iCalendar text of `events`, in a stable order (day, time, then uid)."""
    return calendar_of_rows(sorted(event_row(e) for e in events), name, remind=remind)


# An event ready to write: (day, minutes after midnight or -1 for all day, uid, its folded
# lines up to its end, which `calendar_of_rows` writes with the reminder), in the order of
# the calendar when sorted.
EventRow = tuple[str, int, str, str]


def event_row(event: Event) -> EventRow:
    minute = -1 if event.time is None else event.time[0] * 60 + event.time[1]
    text = "".join(fold_line(line) + "\r\n" for line in _event_lines(event))
    return event.day.isoformat(), minute, event.uid, text


def calendar_of_rows(
    rows: Iterable[EventRow], name: str = "Callbacks", *, remind: int | None = REMIND_MINUTES
) -> str:
    """The iCalendar text of events given as rows already in order; a callback at a time
    of day gets a reminder `remind` minutes before (None or 0: none)."""
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    parts = [fold_line(line) + "\r\n" for line in head]
    alarm = "".join(fold_line(line) + "\r\n" for line in alarm_lines(remind)) if remind else ""
    for _, minute, _, text in rows:
        parts += [text, alarm if minute >= 0 else "", "END:VEVENT\r\n"]
    parts.append("END:VCALENDAR\r\n")
    return "".join(parts)


def _event_lines(event: Event) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{event.stamp.strftime('%Y%m%dT%H%M%SZ')}",
    ]
    if event.time is None:
        end = event.day + dt.timedelta(days=1)
        lines += [
            f"DTSTART;VALUE=DATE:{event.day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{end.strftime('%Y%m%d')}",
        ]
    else:
        hour, minute = event.time
        # Floating local time: the callback is at this hour wherever it takes place.
        lines += [
            f"DTSTART:{event.day.strftime('%Y%m%d')}T{hour:02d}{minute:02d}00",
            f"DURATION:{TIMED_LENGTH}",
        ]
    lines.append(f"SUMMARY:{escape_text(event.summary)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    lines.append("TRANSP:TRANSPARENT" if event.time is None else "TRANSP:OPAQUE")
    return lines  # (END:VEVENT, after the reminder: calendar_of_rows)


def alarm_lines(minutes: int) -> list[str]:
    """A reminder `minutes` before the event starts (RFC 5545 3.6.6, a display alarm)."""
    return [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Callback reminder",
        f"TRIGGER:-PT{minutes}M",
        "END:VALARM",
    ]


def remind_option(text: str) -> int | None:
    """`--remind`: minutes before a callback (`2h`, `90m`, `90`, `1h30`); 0 or `none`: no
    reminder. ValueError for anything else."""
    value = text.strip().lower().replace(" ", "")
    if value in ("0", "none", "no", "off"):
        return None
    match = _DURATION.fullmatch(value)
    if match is None or not (match.group(1) or match.group(2)):
        raise ValueError(f"{text!r} is not a time before the callback (2h, 90m, 1h30, none)")
    minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if not 0 < minutes <= MAX_REMIND:
        raise ValueError(f"a reminder is from 1 minute to {MAX_REMIND // 60} hours before")
    return minutes


_DURATION = re.compile(r"(?:([0-9]{1,3})h)?(?:([0-9]{1,4})m?(?:in|ins|inutes?)?)?")


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks
    as `\\n`; other control characters, which TEXT cannot hold, become spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\n", "\\n")
    return _CONTROL.sub(" ", text)


def fold_line(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (RFC 5545 3.1): each piece
    after the first starts with one space, and no UTF-8 character is split."""
    encoded = line.encode("utf-8")
    if len(encoded) <= LINE_OCTETS:
        return line
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _day(text: str) -> dt.date | None:
    """A day written YYYY-MM-DD, from 1900 to 2199 (None for anything else)."""
    found = iso_day(text)
    return dt.date.fromisoformat(found) if found else None


def _changed(note_stamp: str, done: str, day: dt.date) -> dt.datetime:
    """A follow-up's DTSTAMP: the later of when its note last changed and the day it was
    done, as instants (a bare day is its midnight UTC); the due day only when neither is
    known. (Never the day it is for: that is in the future, and a DTSTAMP is when the
    event was last written.)"""
    known = [_utc(text, day) for text in (note_stamp, done) if text.strip()]
    return max(known) if known else _utc("", day)


def _utc(stamp: str, day: dt.date) -> dt.datetime:
    """A note's ISO time in UTC; a bare day (or nothing readable) is that day at midnight
    UTC, so the same notes always give the same DTSTAMP."""
    try:
        moment = dt.datetime.fromisoformat(stamp.strip())
    except ValueError:
        only_day = _day(stamp) or day
        return dt.datetime(only_day.year, only_day.month, only_day.day, tzinfo=dt.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)
