"""The notes of a drill: a bank of director's notes (`data/drill-notes.yaml`, shipped;
`$COACH_HOME/drill-notes.yaml`, the actor's own), the directions the role really got
(answers that feed the card's `direction` slot) and its redirection plan (the other
version it prepared), and a choice of them that a seed makes repeatable.

Running a drill of them is `day.drill`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from callback_coach.core.checklist import ID_CHARS, Catalogue
from callback_coach.core.rounds import Round
from callback_coach.day.card import answer_text
from callback_coach.errors import ChecklistError, UsageError
from callback_coach.store.datafile import Problem, is_text, read_entries
from callback_coach.store.facts import Json, NoteFacts, one_line

CRAFT_TAGS = (
    "tempo",
    "stakes",
    "tone",
    "status",
    "physicality",
    "relationship",
    "framing",
    "once-more",
    "contradict",
    "line-change",
    "listening",
    "voice",
)
MEDIA = ("screen", "stage", "self-tape")
KNOWN_TAGS = CRAFT_TAGS + MEDIA
NOTE_KEYS = ("id", "text", "tags")
# What a bank note may leave for the actor's own notes to fill: `{partner}` (the scene
# partner's name), `{line}` (a line the actor noted), `{want}`; the answer each comes
# from, newest round first. A note whose placeholders the notes cannot all fill is not
# chosen.
PLACEHOLDERS = {
    "partner": "refine-intention.partner",
    "line": "refine-intention.key-line",
    "want": "refine-intention.want",
}
_PLACEHOLDER = re.compile(r"\{([a-z-]+)\}")
# The redirection plan's answers that become a note ("the other version you prepared").
ALTERNATE_TAKES = ("prepare-for-redirection.alternate-take",)


@dataclass(frozen=True)
class DrillNote:
    """One director's note, where it came from, and its tags."""

    id: str
    text: str
    tags: tuple[str, ...] = ()
    source: str = "bank"  # bank, your bank, past direction, redirection plan

    def to_json(self) -> dict[str, Json]:
        return {"id": self.id, "text": self.text, "tags": list(self.tags), "source": self.source}


# -- the bank --------------------------------------------------------------------------


def load_bank(builtin_file: Path, user_file: Path | None) -> list[DrillNote]:
    """The shipped notes, then the actor's (a known id replaces, a new id is added).

    Ids must be unique within a file and tags known; any problem raises ChecklistError
    listing every one (exit code 3).
    """
    problems: list[Problem] = []
    merged: dict[str, DrillNote] = {}
    for path, source in ((builtin_file, "bank"), (user_file, "your bank")):
        if path is None or (source == "your bank" and not path.exists()):
            continue
        seen: dict[str, int] = {}
        for entry in read_entries(path, "notes", problems):
            data, line = entry.data, entry.line

            def problem(message: str, line: int = line, file: str = str(path)) -> None:
                problems.append(Problem(file, line, message))

            unknown = [k for k in data if k not in NOTE_KEYS]
            if unknown:
                problem(f"unknown key {unknown[0]!r} (allowed: {', '.join(NOTE_KEYS)})")
            nid = data.get("id")
            if not isinstance(nid, str) or not nid or not set(nid) <= ID_CHARS or len(nid) > 64:
                problem("'id' must be lower-case letters, digits, '-' or '_'")
                continue
            if nid in seen:
                problem(f"note id {nid!r} repeats (first on line {seen[nid]})")
                continue
            seen[nid] = line
            text = data.get("text")
            if not is_text(text):
                problem(f"note {nid!r}: 'text' must be one line of text (at most 300 characters)")
                continue
            tags = data.get("tags", [])
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                problem(f"note {nid!r}: 'tags' must be a list like [tempo, screen]")
                continue
            unknown_names = [n for n in _PLACEHOLDER.findall(text) if n not in PLACEHOLDERS]
            if unknown_names or text.count("{") != len(_PLACEHOLDER.findall(text)):
                problem(
                    f"note {nid!r}: a placeholder is one of "
                    + ", ".join("{" + name + "}" for name in PLACEHOLDERS)
                )
                continue
            unknown_tags = [t for t in tags if t not in KNOWN_TAGS]
            if unknown_tags:
                problem(
                    f"note {nid!r}: unknown tag {unknown_tags[0]!r} "
                    f"(known: {', '.join(KNOWN_TAGS)})"
                )
                continue
            merged[nid] = DrillNote(nid, " ".join(text.split()), tuple(dict.fromkeys(tags)), source)
    if problems:
        files = sorted({p.file for p in problems})
        raise ChecklistError.listing(f"invalid drill notes in {', '.join(files)}", problems)
    return list(merged.values())


def fill_placeholders(bank: Sequence[DrillNote], values: dict[str, str]) -> list[DrillNote]:
    """The bank's notes with their placeholders filled from `values` (placeholder name ->
    the actor's words); a note needing a value there is none for is left out."""
    filled = []
    for note in bank:
        names = _PLACEHOLDER.findall(note.text)
        if all(values.get(name) for name in names):
            text = _PLACEHOLDER.sub(lambda m: values[m.group(1)], note.text)
            filled.append(replace(note, text=text))
    return filled


def placeholder_values(rounds: Sequence[Round]) -> dict[str, str]:
    """What the actor's notes give each placeholder (`PLACEHOLDERS`): the newest round's
    answer that has one (its preps merged), on one line."""
    values: dict[str, str] = {}
    for record in reversed(rounds):
        answers = record.answers
        for name, ref in PLACEHOLDERS.items():
            cid, qid = ref.split(".", 1)
            text = one_line(answers.get(cid, {}).get(qid))
            if text and name not in values:
                values[name] = _short(text, 80)
    return values


def medium_of(text: object) -> str | None:
    """The bank's medium for what a note recorded as `medium` ("TV series" -> screen)."""
    if not isinstance(text, str):
        return None
    lowered = text.casefold()
    if "self" in lowered or "tape" in lowered:
        return "self-tape"
    if any(w in lowered for w in ("stage", "theatre", "theater", "musical", "play", "opera")):
        return "stage"
    if any(w in lowered for w in ("screen", "film", "tv", "television", "series", "commercial")):
        return "screen"
    return None


def check_medium(medium: str | None) -> str | None:
    if medium is None:
        return None
    value = medium.strip().lower()
    if value not in MEDIA:
        raise UsageError(f"medium {medium!r} is not one of: {', '.join(MEDIA)}")
    return value


# -- the role's own notes --------------------------------------------------------------


def own_notes(notes: Iterable[NoteFacts], catalogue: Catalogue) -> list[DrillNote]:
    """Directions the role really got (as its reviews wrote them down after the room: a
    prep's recalled direction is the actor's retelling, side remarks and all), and the
    other version its redirection plan prepared, as director's notes (newest notes
    first, each text once). `notes` are given oldest first, with their answers (facts
    without them have none to give)."""
    directions = [
        f"{c.id}.{q.id}" for c in catalogue.checklists for q in c.questions if q.card == "direction"
    ]
    found: list[DrillNote] = []
    seen: set[str] = set()
    # Newest first; notes written in the same second keep the order given (oldest first).
    given = list(notes)
    ordered = [
        n for _, n in sorted(enumerate(given), key=lambda p: (p[1].created, p[0]), reverse=True)
    ]
    for note in ordered:
        if note.kind != "review":
            continue
        for ref in directions:
            cid, qid = ref.split(".", 1)
            for text in _directions_in((note.answers or {}).get(cid, {}).get(qid)):
                if text.casefold() not in seen:
                    seen.add(text.casefold())
                    found.append(DrillNote(f"past-{len(found) + 1}", text, (), "past direction"))
    number = 0
    for note in ordered:
        for ref in ALTERNATE_TAKES:
            cid, qid = ref.split(".", 1)
            value = (note.answers or {}).get(cid, {}).get(qid)
            if isinstance(value, str) and value.strip():
                take = " ".join(value.split())
                if take.casefold() in seen:
                    continue
                seen.add(take.casefold())
                number += 1
                found.append(
                    DrillNote(
                        f"alternate-{number}",
                        _short(f"Now the other version you prepared: {take}"),
                        ("contradict",),
                        "redirection plan",
                    )
                )
    return found


_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")


def _directions_in(value: object) -> list[str]:
    """The separate directions in an answer: one per line when the lines are a list
    ("- less pleading" / "2. more pride"), else the whole answer as one."""
    if not isinstance(value, str) or not value.strip():
        return []
    lines = [line for line in value.splitlines() if line.strip()]
    if len(lines) > 1 and all(_BULLET.match(line) for line in lines):
        found = [" ".join(_BULLET.sub("", line).split()) for line in lines]
    else:
        found = [answer_text(_BULLET.sub("", value.strip()))]
    return [_short(text) for text in found if len(text) >= 3]


def _short(text: str, limit: int = 300) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


# -- choosing a drill set ---------------------------------------------------------------


def choose_notes(
    bank: Sequence[DrillNote],
    own: Sequence[DrillNote],
    count: int,
    seed: int,
    medium: str | None = None,
) -> list[DrillNote]:
    """`count` notes, the same for the same inputs and seed.

    About a third come from the role's own directions (when it has some). From the bank,
    notes tagged for another medium are left out; with a medium, about half of the bank's
    share carries that medium's tag. Craft tags are spread: no tag twice while another is
    still unused.
    """
    rng = random.Random(seed)
    own_pool = list(own)
    rng.shuffle(own_pool)
    picked = own_pool[: min(len(own_pool), max(1, count // 3))] if own_pool else []
    eligible = [n for n in bank if medium is None or not _media(n) or medium in _media(n)]
    specific = [n for n in eligible if medium is not None and medium in n.tags]
    general = [n for n in eligible if n not in specific]
    rng.shuffle(specific)
    rng.shuffle(general)
    wanted = count - len(picked)
    lean = min(len(specific), (wanted + 1) // 2) if medium else 0
    chosen = specific[:lean]
    rest = general + specific[lean:]
    used = {tag for n in (*picked, *chosen) for tag in _craft(n)}
    for note in list(rest):
        if len(chosen) >= wanted:
            break
        if not set(_craft(note)) & used:
            chosen.append(note)
            rest.remove(note)
            used.update(_craft(note))
    chosen += rest[: max(0, wanted - len(chosen))]
    drill = picked + chosen
    rng.shuffle(drill)
    return drill


def _media(note: DrillNote) -> set[str]:
    return {t for t in note.tags if t in MEDIA}


def _craft(note: DrillNote) -> tuple[str, ...]:
    return tuple(t for t in note.tags if t in CRAFT_TAGS)


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 1_000_000)
