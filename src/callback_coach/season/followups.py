"""Follow-ups: what is owed after a room (a thank-you, an update to the agent), as items
with short ids that stay the same from run to run.

Items come from two places:

- a review's answer to a follow-up question (`facts.FOLLOW_UP_QUESTIONS`, the latest
  review of each round). A multiselect: each choice ticked is done (on the review's date),
  each choice not ticked is open. Text: each line is an open item (`[x] ...` is done), and
  a line ending in `by DATE` or `due DATE` is due that day (counted from the review's date,
  so `by friday` works). The id is a hash of role, project, round, question and text.
- `coach follow-ups add`, kept as a list under the note's `follow_ups` front-matter key,
  each entry with its own `id`, `what`, and `for`, `due` and `added` where known.
- a prep's answers that leave something to do before the callback (`core.todos`: the
  address not checked, new pages not learned yet): due on the callback's day, listed
  until done or until that day has passed (then they have lapsed), cleared by a later
  prep of the round that answers otherwise.

An item from a review that is still not done 30 days after the review (or after its due
day) has lapsed: it is no longer listed as open (`--all` shows it). Items you added
never lapse. Done items are recorded as `id: date` under the note's `follow_ups_done` key. Both keys are
written with `notes.set_front_matter`, so no other byte of the note ever changes.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from callback_coach.core.checklist import Catalogue
from callback_coach.core.dates import DateError, parse_day
from callback_coach.core.hints import command_line
from callback_coach.core.home import Home
from callback_coach.core.rounds import Role, Round, no_notes_message
from callback_coach.core.todos import ID_LENGTH, round_todos, short_id
from callback_coach.errors import (
    AmbiguousError,
    ChecklistError,
    NotFoundError,
    StorageError,
    UsageError,
)
from callback_coach.season.loading import load_upcoming
from callback_coach.store.facts import Json, NoteFacts, iso_day
from callback_coach.store.slugs import fold

Coach = Home  # what the functions here take: one coach home

FOLLOW_UPS_FORMAT = 1
MIN_ID_PREFIX = 4
MAX_TEXT = 500
LAPSE_DAYS = 30


@dataclass
class FollowUp:
    id: str
    role: str
    project: str
    round: str
    what: str
    to: str | None  # for whom, when known
    due: str | None  # YYYY-MM-DD
    done: str | None  # the day it was done
    source: str  # "review", "added" or "todo"
    file: str  # the note that records it (and where `done` is written)
    since: str  # the day it appeared: the review's date, or the day it was added
    lapsed: bool = False  # from a review, not done, LAPSE_DAYS after its day

    def done_hint(self) -> str:
        """The command that marks this item done."""
        return command_line(["follow-ups", "done"], [self.id])

    @property
    def is_open(self) -> bool:
        return self.done is None and not self.lapsed

    @property
    def status(self) -> str:
        return "done" if self.done else "lapsed" if self.lapsed else "open"

    def to_json(self) -> dict[str, Json]:
        return {
            "id": self.id,
            "role": self.role,
            "project": self.project,
            "round": self.round,
            "what": self.what,
            "for": self.to,
            "due": self.due,
            "done": self.done,
            "status": self.status,
            "source": self.source,
            "file": self.file,
            "since": self.since or None,
        }


def item_id(*parts: str) -> str:
    return short_id(*parts)


ChoicesOf = Callable[[str, str], "tuple[str, ...] | None"]


def collect(
    roles: list[Role],
    choices_of: ChoicesOf,
    today: dt.date,
    problems: list[str] | None = None,
) -> list[FollowUp]:
    """Every follow-up of every role on `today`, oldest first. `choices_of(checklist,
    question)` gives a multiselect's choices (None when unknown); a malformed front-matter
    entry is skipped and described in `problems`."""
    lapsing = lapse_before(today)
    problems = problems if problems is not None else []
    items: list[FollowUp] = []
    for role in roles:
        done: dict[str, str] = {}
        for record in role.held:
            for note in record.notes:
                done.update(_done_map(note, problems))
        for record in role.held:
            found = _from_review(role, record, choices_of)
            for note in record.notes:
                found.extend(_added(role, record, note, problems))
            for item in found:
                if item.done is None and item.id in done:
                    item.done = done[item.id]
                day = max(item.since or "", item.due or "")
                if item.done is None and item.source == "review" and day and day < lapsing:
                    item.lapsed = True
            items.extend(found)
    return sorted(items, key=order)


def load(coach: Coach, roles: list[Role], today: dt.date) -> list[FollowUp]:
    """Every follow-up of `roles` on `today`, with the choices of the coach's checklists;
    problems become warnings of `coach`."""
    try:
        catalogue = coach.catalogue()
    except ChecklistError as exc:
        coach.warn(f"{exc.message}: follow-ups not ticked in a review are not listed")
        catalogue = None

    def choices_of(cid: str, qid: str) -> tuple[str, ...] | None:
        checklist = catalogue.get(cid) if catalogue is not None else None
        question = checklist.question(qid) if checklist is not None else None
        if question is None or question.type != "multiselect":
            return None
        return tuple(question.choices)

    problems: list[str] = []
    items = collect(roles, choices_of, today, problems)
    if catalogue is not None:
        items += todo_items(load_upcoming(coach, today), catalogue, today, problems)
        items.sort(key=order)
    for problem in problems:
        coach.warn(problem)
    return items


def todo_items(
    roles: list[Role], catalogue: Catalogue, today: dt.date, problems: list[str]
) -> list[FollowUp]:
    """The to-dos of the rounds of `roles` (built with their answers) prepared and not
    reviewed; one whose callback day has passed has lapsed."""
    items = []
    for role in roles:
        done: dict[str, str] = {}
        for note in role.notes:
            done.update(_done_map(note, problems))
        for record in role.held:
            prep = record.latest_prep
            if prep is None or record.reviews:
                continue
            for todo in round_todos(record, catalogue):
                key = todo.id(record)
                item = FollowUp(
                    key, role.role, role.project, record.label, todo.text, None,
                    record.date or None, done.get(key), "todo", prep.file, prep.date,
                )  # fmt: skip
                item.lapsed = (
                    item.done is None and bool(record.date) and record.date < today.isoformat()
                )
                items.append(item)
    return items


def order(item: FollowUp) -> tuple[str, ...]:
    """Oldest first: the day it appeared, then due day, role, text."""
    return (item.since or "9999", item.due or "9999", fold(item.role), fold(item.what), item.id)


def lapse_before(today: dt.date) -> str:
    """The day before which a review's follow-up not done has lapsed, on `today`."""
    return (today - dt.timedelta(days=LAPSE_DAYS)).isoformat()


def open_items(items: list[FollowUp]) -> list[FollowUp]:
    return [i for i in items if i.is_open]


_BULLET = re.compile(r"^\s*(?:[-*•]\s+)?(?:\[(?P<mark>[ xX])\]\s*)?")
_DUE = re.compile(
    r"^(?P<what>.*?)[\s,;:–-]*[(\[]?\b(?:by|due)\s+(?P<when>[^()\[\]]+?)[)\]]?\s*$",
    re.IGNORECASE,
)


def parse_line(line: str, day: dt.date | None) -> tuple[str, str | None, bool]:
    """(what, due day or None, done) of one line of a text follow-up answer."""
    bullet = _BULLET.match(line)
    done = bool(bullet and bullet.group("mark") in ("x", "X"))
    text = line[bullet.end() :].strip() if bullet else line.strip()
    match = _DUE.match(text)
    if match and match.group("what").strip() and day is not None:
        try:
            due = parse_day(match.group("when"), day)
        except DateError:
            return text, None, done
        return match.group("what").strip(), due.isoformat(), done
    return text, None, done


def _from_review(role: Role, record: Round, choices_of: ChoicesOf) -> list[FollowUp]:
    review = next((n for n in reversed(record.reviews) if n.follow_up_answers), None)
    if review is None:
        return []
    day = _day(review.date)
    items = []

    def item(cid: str, qid: str, what: str, due: str | None, done: str | None) -> FollowUp:
        key = item_id(fold(role.role), fold(role.project), record.label, cid, qid, what)
        return FollowUp(
            key, role.role, role.project, record.label, what, None, due, done, "review",
            review.file, review.date,
        )  # fmt: skip

    done_on = review.date or "yes"
    for cid, qid, answer in review.follow_up_answers:
        if isinstance(answer, (list, tuple)):
            ticked = [str(v) for v in answer if isinstance(v, (str, int, float))]
            offered = choices_of(cid, qid) or ()
            for choice in [*offered, *(t for t in ticked if t not in offered)]:
                items.append(item(cid, qid, choice, None, done_on if choice in ticked else None))
        elif isinstance(answer, str):
            for line in answer.splitlines():
                what, due, done = parse_line(line, day)
                if what:
                    items.append(item(cid, qid, what, due, done_on if done else None))
    return items


def _added(role: Role, record: Round, note: NoteFacts, problems: list[str]) -> list[FollowUp]:
    entries = note.follow_ups
    if entries is None:
        return []
    if not isinstance(entries, list):
        problems.append(f"{note.file}: follow_ups is not a list; its follow-ups are skipped")
        return []
    items = []
    for number, entry in enumerate(entries, start=1):
        ident = entry.get("id") if isinstance(entry, dict) else None
        what = entry.get("what") if isinstance(entry, dict) else None
        if isinstance(entry, dict) and entry.get("id") is not None and not isinstance(ident, str):
            problems.append(
                f"{note.file}: follow_ups entry {number}: its id is read as a number or "
                "yes/no, not text (put it in quotes); it is skipped"
            )
            continue
        if not isinstance(ident, str) or not ident.strip() or not isinstance(what, str):
            problems.append(
                f"{note.file}: follow_ups entry {number} has no id or no text; it is skipped"
            )
            continue
        items.append(
            FollowUp(
                id=ident.strip().lower(),
                role=role.role,
                project=role.project,
                round=record.label,
                what=what.strip(),
                to=_plain(entry.get("for")),
                due=_day_text(entry.get("due")),
                done=None,
                source="added",
                file=note.file,
                since=_day_text(entry.get("added")) or note.date,
            )
        )
    return items


def _done_map(note: NoteFacts, problems: list[str]) -> dict[str, str]:
    value = note.follow_ups_done
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{note.file}: follow_ups_done is not a mapping of id: date; ignored")
        return {}
    return {str(k).strip().lower(): _day_text(v) or "yes" for k, v in value.items()}


def _plain(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _day_text(value: object) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, str):
        day = _day(value)
        return day.isoformat() if day else None
    return None


def _day(text: str) -> dt.date | None:
    """A day written YYYY-MM-DD, from 1900 to 2199 (None for anything else)."""
    found = iso_day(text)
    return dt.date.fromisoformat(found) if found else None


# -- changing them ---------------------------------------------------------------------


def find(items: list[FollowUp], ident: str) -> FollowUp:
    """The item whose id is `ident`, or starts with it (at least MIN_ID_PREFIX characters);
    AmbiguousError when several are."""
    wanted = ident.strip().lower()
    exact = [i for i in items if i.id == wanted]
    if len(exact) > 1:  # the same id written by hand in two notes
        listing = ", ".join(f"{i.role}: {i.what}" for i in exact)
        raise AmbiguousError(
            f"{ident!r} is the id of {len(exact)} follow-ups ({listing}); "
            "give each its own id in its note",
            choices=[i.id for i in exact],
        )
    if exact:  # an id written by hand may be anything, spaces included
        return exact[0]
    if not re.fullmatch(r"[0-9a-z_-]+", wanted):
        raise UsageError(f"{ident!r} is not a follow-up id (see: coach follow-ups)")
    if len(wanted) < MIN_ID_PREFIX:
        raise UsageError(f"give at least {MIN_ID_PREFIX} characters of the id")
    found = [i for i in items if i.id.startswith(wanted)]
    if not found:
        raise NotFoundError(f"no follow-up with id {ident!r} (see: coach follow-ups --all)")
    if len(found) > 1:
        listing = ", ".join(f"{i.id} ({i.role}: {i.what})" for i in found)
        raise AmbiguousError(
            f"{ident!r} matches several follow-ups: {listing}", choices=[i.id for i in found]
        )
    return found[0]


def mark_done(coach: Coach, item: FollowUp, day: dt.date) -> bool:
    """Record `item` as done on `day` in its note; False (nothing written) when it already
    was. Only the `follow_ups_done` front-matter lines change."""
    if item.done is not None:
        return False

    def update(meta: Mapping[str, object]) -> dict[str, object]:
        done = meta.get("follow_ups_done")
        if done is None:
            done = {}
        if not isinstance(done, dict):
            raise StorageError(f"{item.file}: follow_ups_done is not a mapping; fix it by hand")
        return {"follow_ups_done": {**done, item.id: day.isoformat()}}

    _update_note(coach, item.file, update)
    return True


def find_role(
    roles: list[Role],
    role: str,
    project: str | None,
    choose_project: Callable[[list[str]], str] | None = None,
) -> Role:
    """The role (and project) a command names; several projects ask or raise AmbiguousError."""
    name = " ".join(role.split())
    if not name:
        raise UsageError("the role name is empty")
    mine = [r for r in roles if fold(r.role) == fold(name)]
    if project is not None:
        mine = [r for r in mine if fold(r.project) == fold(project)]
    if not mine:
        known = [r.role for r in roles if project is None or fold(r.project) == fold(project)]
        raise NotFoundError(no_notes_message(role, project or "", known))
    if len(mine) > 1:
        projects = [r.project for r in mine]
        if choose_project is None:
            listing = ", ".join(shlex.quote(p) if p else "(no project)" for p in projects)
            raise AmbiguousError(
                f"role {role!r} appears in several projects ({listing}): add --project (as written here)",
                choices=projects,
            )
        chosen = choose_project(projects)
        mine = [r for r in mine if r.project == chosen] or mine[:1]
    return mine[0]


def add(
    coach: Coach,
    role: Role,
    text: str,
    day: dt.date,
    *,
    due: dt.date | None = None,
    to: str | None = None,
    round_label: str | None = None,
    existing: list[FollowUp] | None = None,
) -> FollowUp:
    """Add a follow-up to a round of `role` (default: its latest), in that round's review
    note (else its prep). Only the `follow_ups` front-matter lines change."""
    what = " ".join(text.split())
    if not what:
        raise UsageError("the follow-up text is empty")
    if len(what) > MAX_TEXT:
        raise UsageError(f"the follow-up text is longer than {MAX_TEXT} characters")
    found: Round | None = role.latest
    if round_label is not None:
        found = next((r for r in role.held if r.label == round_label), None)
    if found is None:
        known = ", ".join(r.label for r in role.held)
        raise NotFoundError(f"{role.role!r} has no round {round_label!r} (rounds: {known})")
    record = found
    taken = {i.id for i in existing or []}
    ident = secrets.token_hex(4)[:ID_LENGTH]
    while ident in taken:
        ident = secrets.token_hex(4)[:ID_LENGTH]
    entry: dict[str, str] = {"id": ident, "what": what}
    who = " ".join((to or "").split())
    if who:
        entry["for"] = who
    if due is not None:
        entry["due"] = due.isoformat()
    entry["added"] = day.isoformat()
    target = record.target

    def update(meta: Mapping[str, object]) -> dict[str, object]:
        entries = meta.get("follow_ups")
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            raise StorageError(f"{target.file}: follow_ups is not a list; fix it by hand")
        return {"follow_ups": [*entries, entry]}

    _update_note(coach, target.file, update)
    return FollowUp(
        ident, role.role, role.project, record.label, what, who or None,
        entry.get("due"), None, "added", target.file, day.isoformat(),
    )  # fmt: skip


def _update_note(
    coach: Coach, file: str, updates: Callable[[Mapping[str, object]], dict[str, object]]
) -> None:
    """Set some front-matter keys of one note, every other byte kept, as a checked
    transaction (`NoteStore.change`: changes made at the same moment are all kept)."""
    coach.notes.change(file, updates)
