"""Rehearse taking a note: a director's note, played out loud against a short timer, then
said back in a few words, and what you will change named.

The notes come from a bank (`data/drill-notes.yaml`, shipped; `$COACH_HOME/drill-notes.yaml`,
the actor's own), from the directions the role really got (answers that feed the card's
`direction` slot) and from its redirection plan (the other version it prepared). A seed
makes the choice repeatable.

A drill runs as an ordinary session of one synthetic checklist, `drill`: for note k the
questions `note-k` (the director's note itself, filled in before the first question),
`note-k-said-back` and `note-k-change`. So it has drafts after every answer, resume, the
save / change / discard menu and a note file of kind `drill`, like any prep or review.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from callback_coach.core.checklist import ID_CHARS, Checklist
from callback_coach.core.questions import Question
from callback_coach.core.rounds import Round
from callback_coach.day.card import answer_text
from callback_coach.store.datafile import Problem
from callback_coach.store.drill_format import CHECKLIST_ID, LABELS, TITLE, parse_qid
from callback_coach.store.facts import one_line

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
MAX_NOTES, MAX_SECONDS = 20, 120
# Seconds to play a note out loud before saying it back: a short beat of a scene.
DEFAULT_NOTES, DEFAULT_SECONDS = 5, 20
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
INTRO = (
    "Hear the whole note, play the moment out loud before the time is up, then say the "
    "note back in a few words and name the one thing you will change."
)


@dataclass(frozen=True)
class DrillNote:
    """One director's note, where it came from, and its tags."""

    id: str
    text: str
    tags: tuple[str, ...] = ()
    source: str = "bank"  # bank, your bank, past direction, redirection plan

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "tags": list(self.tags), "source": self.source}


# -- the bank --------------------------------------------------------------------------


def load_bank(builtin_file: Path, user_file: Path | None) -> list[DrillNote]:
    """The shipped notes, then the actor's (a known id replaces, a new id is added).

    Ids must be unique within a file and tags known; any problem raises ChecklistError
    listing every one (exit code 3).
    """
    from callback_coach.store.datafile import is_text, read_entries

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
        from callback_coach.errors import ChecklistError

        noun = "problem" if len(problems) == 1 else "problems"
        files = sorted({p.file for p in problems})
        raise ChecklistError(
            f"invalid drill notes in {', '.join(files)}: {len(problems)} {noun}",
            details=[str(p) for p in problems],
            problems=problems,
        )
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


def medium_of(text: Any) -> str | None:
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
    from callback_coach.errors import UsageError

    if medium is None:
        return None
    value = medium.strip().lower()
    if value not in MEDIA:
        raise UsageError(f"medium {medium!r} is not one of: {', '.join(MEDIA)}")
    return value


# -- the role's own notes --------------------------------------------------------------


def own_notes(notes: Iterable[Any], catalogue: Any) -> list[DrillNote]:
    """Directions the role really got (as its reviews wrote them down after the room: a
    prep's recalled direction is the actor's retelling, side remarks and all), and the
    other version its redirection plan prepared, as director's notes (newest notes
    first, each text once). `notes` are given oldest first."""
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
            for text in _directions_in(note.answers.get(cid, {}).get(qid)):
                if text.casefold() not in seen:
                    seen.add(text.casefold())
                    found.append(DrillNote(f"past-{len(found) + 1}", text, (), "past direction"))
    number = 0
    for note in ordered:
        for ref in ALTERNATE_TAKES:
            cid, qid = ref.split(".", 1)
            value = note.answers.get(cid, {}).get(qid)
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


def _directions_in(value: Any) -> list[str]:
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


# -- the drill as a session ------------------------------------------------------------

ASKED = {
    "said-back": "Say the note back in a few words.",
    "change": "What will you change?",
}
HELP = {
    "said-back": "A short echo shows you heard all of it, and gives you a breath to reset.",
    "change": "One concrete change, played fully, beats a blend of old and new.",
}


def drill_checklist(texts: Sequence[str]) -> Checklist:
    """The synthetic checklist of a drill of these notes (in order)."""
    questions: list[Question] = []
    for number, text in enumerate(texts, start=1):
        questions.append(
            Question(id=f"note-{number}", prompt=f"Director's note {number}", default=text)
        )
        for part in ("said-back", "change"):
            questions.append(
                Question(
                    id=f"note-{number}-{part}",
                    prompt=f"Note {number}, {LABELS[part]}",
                    help=HELP[part],
                )
            )
    return Checklist(
        id=CHECKLIST_ID,
        title=TITLE,
        phase="drill",
        version=1,
        questions=tuple(questions),
        intro=INTRO,
    )


@dataclass
class DrillPlan:
    """A drill ready to run: the session it is, its notes, and how they were chosen."""

    session: Any  # SessionPlan
    notes: list[DrillNote]
    seed: int
    medium: str | None
    seconds: int

    def to_json(self) -> dict[str, Any]:
        return {
            "format": 1,
            "role": self.session.role,
            "project": self.session.project,
            "round": self.session.round,
            "seed": self.seed,
            "medium": self.medium,
            "notes": [n.to_json() for n in self.notes],
        }


def plan_drill(
    coach: Any,
    role: str,
    *,
    project: str | None = None,
    round_label: str | None = None,
    count: int = DEFAULT_NOTES,
    seconds: int = DEFAULT_SECONDS,
    seed: int | None = None,
    medium: str | None = None,
    choose_project: Callable[[list[str]], str] | None = None,
) -> DrillPlan:
    """Choose a drill for a role and round (default: the round being prepared: the latest
    prepared but not reviewed, else the next one)."""
    from callback_coach.core.inputs import check_role, check_round, parse_date
    from callback_coach.core.session import SessionPlan
    from callback_coach.errors import UsageError
    from callback_coach.store import paths
    from callback_coach.store.labels import next_round

    if not 1 <= count <= MAX_NOTES:
        raise UsageError(f"--rounds must be from 1 to {MAX_NOTES}")
    if not 0 <= seconds <= MAX_SECONDS:
        raise UsageError(f"--seconds must be from 0 to {MAX_SECONDS}")
    medium = check_medium(medium)
    if seed is not None and not 0 <= seed < 2**63:
        raise UsageError("--seed must be a whole number from 0")
    name, project_name, found = coach.role(role, project, choose_project, answers=True)
    if found is None:
        name, project_name = check_role(role), (project or "").strip()
        if project is None:
            drafts = coach.drafts.find("drill", name, None, None)
            if drafts:
                name, project_name = drafts[0].role, drafts[0].project
    held = found.held if found is not None else ()
    if round_label is not None:
        chosen = check_round(round_label)
    else:
        drafts = coach.drafts.find("drill", name, project_name, None)
        waiting = found.to_review() if found is not None else None
        chosen = (
            drafts[0].round
            if drafts
            else waiting.label
            if waiting is not None
            else next_round([r.label for r in held])
        )
    record = found.round(chosen) if found is not None else None
    date = record.date if record is not None and record.held and record.date else parse_date(None)
    if medium is None and record is not None:
        medium = medium_of(record.detail("medium"))
    catalogue = coach.catalogue()
    bank = load_bank(
        paths.builtin_data_dir() / "drill-notes.yaml", paths.user_drill_bank_file(coach.home)
    )
    # What the director said in the room (the reviews: a prep's recalled direction is the
    # actor's own retelling), and the other version a prep planned.
    every_note = [n for r in held for n in (*r.preps, *r.reviews)]
    own = own_notes(every_note, catalogue)
    bank = fill_placeholders(bank, placeholder_values(held))
    seed = new_seed() if seed is None else seed
    notes = choose_notes(bank, own, count, seed, medium)
    session = SessionPlan(
        kind="drill",
        role=name,
        project=project_name,
        round=chosen,
        date=date,
        checklists=[drill_checklist([n.text for n in notes])],
        extra={"drill": _drill_meta(seed, medium, notes, seconds)},
    )
    return DrillPlan(session, notes, seed, medium, seconds)


def _drill_meta(
    seed: int, medium: str | None, notes: Sequence[DrillNote], seconds: int
) -> dict[str, Any]:
    meta: dict[str, Any] = {"seed": seed}
    if medium:
        meta["medium"] = medium
    if seconds != DEFAULT_SECONDS:  # so that the command resuming it keeps the pace
        meta["seconds"] = seconds
    meta["notes"] = [{"id": n.id, "source": n.source} for n in notes]
    return meta


def resumed(plan: DrillPlan, draft: Any) -> DrillPlan:
    """The plan of an unfinished drill: its notes and date, not a new draw."""
    answers = draft.answers.get(CHECKLIST_ID, {})
    texts: list[str] = []
    while f"note-{len(texts) + 1}" in answers:
        texts.append(str(answers[f"note-{len(texts) + 1}"]))
    found = draft.extra.get("drill")
    meta: dict[str, Any] = found if isinstance(found, dict) else {}
    found_notes = meta.get("notes")
    listed: list[Any] = found_notes if isinstance(found_notes, list) else []
    notes = []
    for number, text in enumerate(texts, start=1):
        info = (
            listed[number - 1]
            if number <= len(listed) and isinstance(listed[number - 1], dict)
            else {}
        )
        notes.append(
            DrillNote(
                str(info.get("id", f"note-{number}")), text, (), str(info.get("source", "bank"))
            )
        )
    session = replace(
        plan.session,
        date=draft.date or plan.session.date,
        checklists=[drill_checklist(texts)],
        extra=dict(draft.extra),
    )
    found_seed = meta.get("seed")
    seed = found_seed if isinstance(found_seed, int) else plan.seed
    return replace(plan, session=session, notes=notes, seed=seed, medium=meta.get("medium"))


def run_drill(
    coach: Any,
    plan: DrillPlan,
    asker: Any,
    *,
    summary: Callable[[Any, dict[str, dict[str, Any]]], Any] | None = None,
) -> Any:
    """Run a drill through an asker; offers to resume an unfinished drill of the same role
    and round. Returns the SessionResult (the saved note, or discarded)."""
    from callback_coach.core.planning import RESTART, RESUME
    from callback_coach.core.session import Session
    from callback_coach.store.drafts import Draft

    s = plan.session
    with coach.drafts.lock(s.kind, s.role, s.project, s.round):
        drafts = coach.drafts.find(s.kind, s.role, s.project, s.round)
        draft = drafts[0] if drafts else None
        if draft is not None and draft.count():
            count = draft.count()
            choice = asker.choose(
                f"You have an unfinished drill for {s.role} ({s.round}) with {count} "
                f"answer{'s' if count != 1 else ''}. Resume it?",
                [(RESUME, "Resume where I stopped"), (RESTART, "Start over with new notes")],
                default=RESUME,
            )
            if choice == RESTART:
                coach.drafts.delete(draft)
                draft = None
            else:
                plan = resumed(plan, draft)
                s = plan.session
        elif draft is not None:
            coach.drafts.delete(draft)  # nothing typed in it yet
            draft = None
        if draft is None:
            draft = Draft(
                kind=s.kind,
                role=s.role,
                project=s.project,
                round=s.round,
                date=s.date,
                checklists=[CHECKLIST_ID],
                answers={CHECKLIST_ID: {f"note-{k}": n.text for k, n in enumerate(plan.notes, 1)}},
                extra=dict(s.extra),
            )
        session = Session(s, asker, coach.drafts, coach.notes, draft=draft, summary=summary)
        return session.run()


class DrillAsker:
    """An asker for drills: before a note's first question it shows the director's note
    and gives the actor `seconds` to play it out loud (the countdown is injected), then asks in
    conversational words through the real asker."""

    def __init__(
        self,
        inner: Any,
        seconds: int,
        *,
        show_note: Callable[[int, int, str], Any],
        play: Callable[[int], None],
    ) -> None:
        self.inner = inner
        self.seconds = seconds
        self.show_note = show_note
        self.play = play
        self.seen: set[int] = set()

    def show(self, renderable: Any) -> None:
        self.inner.show(renderable)

    def reference(self, renderable: Any, label: str) -> None:
        self.inner.reference(renderable, label)

    def section(self, checklist: Checklist, index: int, total: int) -> None:
        self.inner.section(checklist, index, total)

    def choose(self, message: str, options: Any, default: str | None = None) -> str:
        chosen: str = self.inner.choose(message, options, default)
        return chosen

    def ask(self, checklist: Checklist, question: Question, default: Any) -> Any:
        parsed = parse_qid(question.id)
        if parsed is None:
            return self.inner.ask(checklist, question, default)
        number, part = parsed
        note = checklist.question(f"note-{number}")
        text = str(note.default) if note is not None and note.default else str(default or "")
        total = sum(1 for q in checklist.questions if (parse_qid(q.id) or (0, "x"))[1] is None)
        if part is None or number not in self.seen:
            self.inner.show(self.show_note(number, total, text))
            if part == "said-back" and self.seconds:
                self.play(self.seconds)
        self.seen.add(number)
        if part is None:
            return default if default is not None else text  # the note itself is not typed
        asked = replace(question, prompt=ASKED[part], help=HELP[part])
        return self.inner.ask(checklist, asked, default)


def list_lines(plan: DrillPlan) -> list[str]:
    """A drill set as plain numbered lines (for `--list` without `--json`)."""
    head = f"{plan.session.role} · {plan.session.round} · seed {plan.seed}"
    if plan.medium:
        head += f" · {plan.medium}"
    lines = [head]
    for number, note in enumerate(plan.notes, start=1):
        lines.append(f"{number}. {note.text}")
    return lines
