"""Running checklists through an asker: drafts after every answer, resume, review, save.

The session does no I/O of its own beyond the draft and note stores; everything a person
sees goes through the asker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from callback_coach.answers import check_value, is_answered
from callback_coach.asker import Asker
from callback_coach.checklist import Checklist, Question
from callback_coach.drafts import Draft, DraftStore
from callback_coach.notes import Note, NoteStore, new_note

SAVE, CHANGE, DISCARD = "save", "change", "discard"


@dataclass
class SessionPlan:
    """What a session is about and which checklists it runs."""

    kind: str
    role: str
    project: str
    round: str
    date: str
    checklists: list[Checklist]
    # "checklist.question" -> a default offered instead of the checklist's own.
    defaults: dict[str, Any] = field(default_factory=dict)
    # Shown just before the named checklist starts (e.g. last round's carry-over panel).
    before: dict[str, Any] = field(default_factory=dict)
    # Extra front-matter keys for the note (e.g. `outcome`, `prep_note`).
    extra: dict[str, Any] = field(default_factory=dict)
    # Ask for the round's outcome after the questions (reviews without --outcome).
    ask_outcome: bool = False

    def versions(self) -> list[tuple[str, int]]:
        return [(c.id, c.version) for c in self.checklists]


@dataclass
class SessionResult:
    note: Note | None
    discarded: bool = False


def is_given(value: Any) -> bool:
    """True for an answer a note keeps: anything but nothing and blank text."""
    return isinstance(value, list) or is_answered(value)


def build_note(
    plan: SessionPlan, answers: dict[str, dict[str, Any]], extra: dict[str, Any] | None = None
) -> Note:
    """The note a plan and its answers make (answers in checklist and question order).

    A question left blank (skipped at the prompt, or given no answer by a script) is not
    written: a note holds only answers, however the session ran. A multiselect with
    nothing ticked is an answer (`[]`: none of these), and is kept.
    """
    ordered: dict[str, dict[str, Any]] = {}
    for checklist in plan.checklists:
        given = {k: v for k, v in answers.get(checklist.id, {}).items() if is_given(v)}
        ordered[checklist.id] = {q.id: given[q.id] for q in checklist.questions if q.id in given}
        # Answers to questions the checklist no longer has are kept, after the rest.
        ordered[checklist.id].update(
            {k: v for k, v in given.items() if k not in ordered[checklist.id]}
        )
    for cid, given in answers.items():
        kept = {k: v for k, v in given.items() if is_given(v)}
        if cid not in ordered and kept:
            ordered[cid] = kept
    return new_note(
        kind=plan.kind,
        role=plan.role,
        project=plan.project,
        round_label=plan.round,
        date=plan.date,
        checklists=plan.versions(),
        answers=ordered,
        extra=plan.extra if extra is None else extra,
    )


def default_for(plan: SessionPlan, checklist: Checklist, question: Question) -> Any:
    key = f"{checklist.id}.{question.id}"
    if key in plan.defaults:
        try:
            value = check_value(question, plan.defaults[key])
        except ValueError:
            value = None
        if value is not None:
            return value
    return list(question.default) if isinstance(question.default, tuple) else question.default


class Session:
    """One run of a plan's checklists, kept in a draft until saved or discarded."""

    def __init__(
        self,
        plan: SessionPlan,
        asker: Asker,
        drafts: DraftStore,
        notes: NoteStore,
        *,
        draft: Draft | None = None,
        summary: Callable[[SessionPlan, dict[str, dict[str, Any]]], Any] | None = None,
    ) -> None:
        self.plan = plan
        self.asker = asker
        self.drafts = drafts
        self.notes = notes
        self.summary = summary
        self.draft = draft or Draft(
            kind=plan.kind,
            role=plan.role,
            project=plan.project,
            round=plan.round,
            date=plan.date,
            checklists=[c.id for c in plan.checklists],
            extra=dict(plan.extra),
        )

    @property
    def answers(self) -> dict[str, dict[str, Any]]:
        return self.draft.answers

    def run(self) -> SessionResult:
        """Ask what is left, then loop on save / change / discard."""
        self.drafts.ensure_writable()
        total = len(self.plan.checklists)
        for index, checklist in enumerate(self.plan.checklists, start=1):
            todo = [
                q for q in checklist.questions if q.id not in self.answers.get(checklist.id, {})
            ]
            if not todo:
                continue
            if checklist.id in self.plan.before:
                self.asker.show(self.plan.before[checklist.id])
            self.asker.section(checklist, index, total)
            for question in todo:
                self._ask_and_keep(checklist, question, default_for(self.plan, checklist, question))
        if self.plan.ask_outcome and "outcome" not in self.draft.extra:
            from callback_coach.rounds import OUTCOMES

            self.draft.extra["outcome"] = self.asker.choose(
                "What is the outcome so far? (coach outcome can change it later)",
                [(o, o) for o in OUTCOMES],
                default="pending",
            )
            self.drafts.save(self.draft)
        return self._review()

    def _ask_and_keep(self, checklist: Checklist, question: Question, default: Any) -> None:
        while True:
            answer = self.asker.ask(checklist, question, default)
            try:
                value = check_value(question, answer)
            except ValueError as exc:
                # Typed in a terminal that is not UTF-8: the bytes that were not are never
                # kept; the rest is offered back, with U+FFFD where they were, to retype.
                from rich.text import Text

                self.asker.show(Text(f"{exc} Retype the characters shown as \ufffd.", "error"))
                default = _readable(answer) if isinstance(answer, str) else None
                continue
            if not question.required or is_answered(value):
                break
            default = None
        self.answers.setdefault(checklist.id, {})[question.id] = value
        self.drafts.save(self.draft)

    def _review(self) -> SessionResult:
        while True:
            if self.summary is not None:
                self.asker.show(self.summary(self.plan, self.answers))
            action = self.asker.choose(
                "What now?",
                [
                    (SAVE, "Save this note"),
                    (CHANGE, "Change an answer"),
                    (DISCARD, "Discard it all"),
                ],
                default=SAVE,
            )
            if action == SAVE:
                note = build_note(self.plan, self.answers, self.draft.extra)
                self.notes.save_new(note)
                self.drafts.delete(self.draft)
                return SessionResult(note)
            if action == DISCARD:
                sure = self.asker.choose(
                    "Discard every answer of this session? This cannot be undone.",
                    [("keep", "No, keep them"), (DISCARD, "Yes, discard")],
                    default="keep",
                )
                if sure == DISCARD:
                    self.drafts.delete(self.draft)
                    return SessionResult(None, discarded=True)
                continue
            self._change_one()

    def _change_one(self) -> None:
        options = []
        lookup: dict[str, tuple[Checklist, Question]] = {}
        for checklist in self.plan.checklists:
            for question in checklist.questions:
                key = f"{checklist.id}.{question.id}"
                current = self.answers.get(checklist.id, {}).get(question.id)
                options.append((key, f"{short(question.prompt, 44)}  → {short(current, 28)}"))
                lookup[key] = (checklist, question)
        options.append(("", "Back"))
        key = self.asker.choose("Which answer?", options)
        if not key:
            return
        checklist, question = lookup[key]
        current = self.answers.get(checklist.id, {}).get(question.id)
        self._ask_and_keep(checklist, question, current)


def short(value: Any, width: int = 40) -> str:
    """An answer squeezed onto one short line for menus, cut between words."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = " ".join(str(value).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if text[width - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # never end on half a word
    return cut.rstrip(" ,") + "…"


def _readable(text: str) -> str:
    """`text` with each character that is not valid Unicode replaced by U+FFFD."""
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
