"""Rehearse taking a note: a director's note, played out loud against a short timer, then
said back in a few words, and what you will change named.

The notes come from the bank, the role's own directions and its redirection plan
(`day.drill_bank`); a seed makes the choice repeatable.

A drill runs as an ordinary session of one synthetic checklist, `drill`: for note k the
questions `note-k` (the director's note itself, filled in before the first question),
`note-k-said-back` and `note-k-change`. So it has drafts after every answer, resume, the
save / change / discard menu and a note file of kind `drill`, like any prep or review.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from callback_coach.core.asking import Asker
from callback_coach.core.checklist import Checklist
from callback_coach.core.home import Home
from callback_coach.core.inputs import check_role, check_round, parse_date
from callback_coach.core.planning import RESTART, RESUME
from callback_coach.core.questions import Question
from callback_coach.core.session import Session, SessionPlan, SessionResult, Summary
from callback_coach.day.drill_bank import (
    DrillNote,
    check_medium,
    choose_notes,
    fill_placeholders,
    load_bank,
    medium_of,
    new_seed,
    own_notes,
    placeholder_values,
)
from callback_coach.errors import UsageError
from callback_coach.store import paths
from callback_coach.store.drafts import Draft
from callback_coach.store.drill_format import CHECKLIST_ID, LABELS, TITLE, parse_qid
from callback_coach.store.facts import Json
from callback_coach.store.labels import next_round

MAX_NOTES, MAX_SECONDS = 20, 120
# Seconds to play a note out loud before saying it back: a short beat of a scene.
DEFAULT_NOTES, DEFAULT_SECONDS = 5, 20
INTRO = (
    "Hear the whole note, play the moment out loud before the time is up, then say the "
    "note back in a few words and name the one thing you will change."
)


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

    session: SessionPlan
    notes: list[DrillNote]
    seed: int
    medium: str | None
    seconds: int

    def to_json(self) -> dict[str, Json]:
        return {
            "format": 1,
            "role": self.session.role,
            "project": self.session.project,
            "round": self.session.round,
            "seed": self.seed,
            "medium": self.medium,
            "notes": [n.to_json() for n in self.notes],
        }


def drill_bank(coach: Home) -> list[DrillNote]:
    """The director's notes a drill draws from: the built-in bank and the actor's own
    (`drill-notes.yaml` in the coach home); ChecklistError when the actor's is broken."""
    return load_bank(
        paths.builtin_data_dir() / "drill-notes.yaml", paths.user_drill_bank_file(coach.home)
    )


def plan_drill(
    coach: Home,
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
    if not 1 <= count <= MAX_NOTES:
        raise UsageError(f"--rounds must be from 1 to {MAX_NOTES}")
    if not 0 <= seconds <= MAX_SECONDS:
        raise UsageError(f"--seconds must be from 0 to {MAX_SECONDS}")
    medium = check_medium(medium)
    if seed is not None and not 0 <= seed < 2**63:
        raise UsageError("--seed must be a whole number from 0")
    # Read before anything is asked: a broken file stops the drill first (exit 3).
    catalogue = coach.catalogue()
    bank = drill_bank(coach)
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
) -> dict[str, Json]:
    meta: dict[str, Json] = {"seed": seed}
    if medium:
        meta["medium"] = medium
    if seconds != DEFAULT_SECONDS:  # so that the command resuming it keeps the pace
        meta["seconds"] = seconds
    meta["notes"] = [{"id": n.id, "source": n.source} for n in notes]
    return meta


def resumed(plan: DrillPlan, draft: Draft) -> DrillPlan:
    """The plan of an unfinished drill: its notes and date, not a new draw."""
    answers = draft.answers.get(CHECKLIST_ID, {})
    texts: list[str] = []
    while f"note-{len(texts) + 1}" in answers:
        texts.append(str(answers[f"note-{len(texts) + 1}"]))
    found = draft.extra.get("drill")
    meta: Mapping[str, object] = found if isinstance(found, dict) else {}
    found_notes = meta.get("notes")
    listed: list[object] = found_notes if isinstance(found_notes, list) else []
    notes = []
    for number, text in enumerate(texts, start=1):
        entry = listed[number - 1] if number <= len(listed) else None
        info: Mapping[str, object] = entry if isinstance(entry, dict) else {}
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
    medium = meta.get("medium")
    return replace(
        plan,
        session=session,
        notes=notes,
        seed=seed,
        medium=medium if isinstance(medium, str) else None,
    )


def run_drill(
    coach: Home,
    plan: DrillPlan,
    asker: Asker,
    *,
    summary: Summary | None = None,
    on_start: Callable[[DrillPlan], None] | None = None,
) -> SessionResult:
    """Run a drill through an asker; offers to resume an unfinished drill of the same role
    and round. `on_start` is given the plan that runs (a resumed drill's: its notes, day
    and seed) before its first note. Returns the SessionResult (the saved note, or
    discarded)."""
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
        if on_start is not None:
            on_start(plan)
        session = Session(s, asker, coach.drafts, coach.notes, draft=draft, summary=summary)
        return session.run()


class DrillAsker:
    """An asker for drills: before a note's first question it shows the director's note
    and gives the actor `seconds` to play it out loud (the countdown is injected), then asks in
    conversational words through the real asker."""

    def __init__(
        self,
        inner: Asker,
        seconds: int,
        *,
        show_note: Callable[[int, int, str], object],
        play: Callable[[int], None],
    ) -> None:
        self.inner = inner
        self.seconds = seconds
        self.show_note = show_note
        self.play = play
        self.seen: set[int] = set()

    def show(self, renderable: object) -> None:
        self.inner.show(renderable)

    def reference(self, renderable: object, label: str) -> None:
        self.inner.reference(renderable, label)

    def section(self, checklist: Checklist, index: int, total: int) -> None:
        self.inner.section(checklist, index, total)

    def choose(
        self, message: str, options: Sequence[tuple[str, str]], default: str | None = None
    ) -> str:
        return self.inner.choose(message, options, default)

    def ask(self, checklist: Checklist, question: Question, default: object) -> object:
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
