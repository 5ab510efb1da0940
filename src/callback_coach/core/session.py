"""Running checklists through an asker: drafts after every answer, resume, review, save.

The session does no I/O of its own beyond the draft and note stores; everything a person
sees goes through the asker.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from callback_coach.core.answers import check_value, is_given, one_line
from callback_coach.core.asking import Asker, Notice, Unfinished
from callback_coach.core.checklist import SLOT_NAMES, Checklist, when_text
from callback_coach.core.questions import Answer, Question
from callback_coach.store.drafts import Draft, DraftStore
from callback_coach.store.facts import is_answered
from callback_coach.store.labels import OUTCOMES
from callback_coach.store.notes import Note, new_note
from callback_coach.store.notestore import NoteStore

if TYPE_CHECKING:
    from callback_coach.core.planning import LastRound  # (planning imports this module)

SAVE, CHANGE, DISCARD = "save", "change", "discard"
REVISIT, ONWARD, FILL = "revisit", "onward", "fill"
# A review's outcome in the change menu (no "checklist.question" key has no dot).
OUTCOME_KEY = "outcome"
OUTCOME_PROMPT = "What is the outcome so far?"
# What the coach says after a "not yet" to a closing question with an `offer`: the
# menu's question (what might help, and why now: it follows the not yet), the choice that
# takes it, and the one that carries on (`offer_words` fills in the answers the question
# offer goes back to). `_offer_revisit` says the same of a checklist.
OFFER_WORDS = {
    "breathe": (
        "Not yet, then: a breathing round now might steady you. Take one?",
        "Take a breathing round now",
        "Carry on without it",
    ),
    "drill": (
        "Not yet, then: a two-note drill now might help. Run it?",
        "Run the drill now",
        "Carry on without it",
    ),
    "last-round": (
        "Not yet, then: last round's notes might help. Look at them?",
        "Look at last round's notes",
        "Carry on without them",
    ),
    "question": (
        "Not yet, then: {what} again might help. Go back to {them}?",
        "Go back to your {names}",
        "Carry on without going back",
    ),
    # (The question offer, when what it goes back to was never answered; `offer_words`
    # says "question-skipped" when, more, it was never asked: nothing on the screen is
    # "that answer".)
    "question-empty": (
        "Not yet, then: filling in {what} might help. Fill {them} in now?",
        "Fill in your {names} now",
        "Carry on without {them}",
    ),
    # (`_offer_revisit`: going back to the checklist a question names.)
    "revisit": (
        "Not yet, then: {what} again might help. Go back to it?",
        "Go back to {what}",
        "Carry on without going back",
    ),
}
# Said once in a closing check that reads answers its prep never asked (the quick path
# leaves them out, and no earlier note gave them): they are not the actor's to have
# filled in.
UNASKED_WORDS = (
    "This prep skipped some of what these questions look at: answer them from where you are now."
)


def offer_words(offer: str, going_back: Sequence[Question]) -> tuple[str, str, str]:
    """What the menu after a "not yet" says (`OFFER_WORDS`). The answers the question
    offer goes back to are named in the choice; in the question, by their card slot when
    there is one ("your want"), else as "your answer" (the menu's question fits a line)."""
    one = going_back[0] if len(going_back) == 1 else None
    slot = SLOT_NAMES.get(one.card) if one is not None and one.card else None
    if slot:
        what = f"your {slot}"
    elif offer == "question-empty":
        what = "that answer" if one else "those answers"
    elif offer == "question-skipped":
        what = "the answer this prep skipped" if one else "the answers this prep skipped"
    else:
        what = "your answer" if one else "your answers"
    names = " and ".join(relied_label(q) for q in going_back) or "answers"
    them = "it" if one else "them"
    words = OFFER_WORDS["question-empty" if offer == "question-skipped" else offer]
    ask, take, leave = (w.format(what=what, names=names, them=them) for w in words)
    return ask, take, leave


# Runs a tool a closing question offers (breathe, drill, last-round) for a session in the
# terminal; the CLI gives it.
Act = Callable[[str, "SessionPlan"], None]
# A session's answers so far (a draft's: as checked, or as a resumed draft file holds them).
SessionAnswers = dict[str, dict[str, object]]
# What the person sees before saving (the CLI draws it: `asker.show`), from the plan and
# the answers.
Summary = Callable[["SessionPlan", SessionAnswers], object]


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
    # (An earlier round's answer, checked when it is offered: `default_for`.)
    defaults: dict[str, object] = field(default_factory=dict)
    # Shown just before the named checklist starts (a note for that checklist alone; the
    # "last time" panel comes before the first checklist instead: see `last_round`); what
    # the asker shows.
    before: dict[str, object] = field(default_factory=dict)
    # Extra front-matter keys for the note (e.g. `outcome`, `prep_note`).
    extra: dict[str, object] = field(default_factory=dict)
    # Ask for the round's outcome after the questions (reviews without --outcome).
    ask_outcome: bool = False
    # Before the first question of a new session (not a resumed draft), ask for the
    # callback date (default: `date`) and the path (full, quick or chosen checklists).
    ask_date: bool = False
    ask_path: bool = False
    # What a prep's previous round left (see planning.LastRound), for the "last time"
    # panel the person sees before the first checklist; None when there is none.
    last_round: LastRound | None = None
    # How the coach found this session's draft: None to ask resume-or-restart when one
    # is there, "resume" when the person already chose it (e.g. from another project).
    draft_choice: str | None = None
    # A draft to take over (one started without a project, resumed in this one).
    adopt_draft: Draft | None = None
    # The checklists the person chose (--checklist, or "just one checklist"); None for
    # the full or quick path. Kept in the draft, so a resumed session asks the same.
    chosen: list[str] | None = None
    # The questions the plan's questions read (`relies_on`), by "checklist.question",
    # with their checklist: asked when their answer is empty, on any path (but an
    # answer the path never asked is not called empty: `Session.unasked`).
    relied: dict[str, tuple[Checklist, Question]] = field(default_factory=dict)
    # What the round's prep said, for a review to start from: (label, answer) pairs.
    prepared: list[tuple[str, str]] = field(default_factory=list)

    def versions(self) -> list[tuple[str, int]]:
        return [(c.id, c.version) for c in self.checklists]

    @property
    def path(self) -> str | None:
        """full, quick or checklist for a prep (as its note's front matter says)."""
        value = self.extra.get("path")
        return value if isinstance(value, str) else None


@dataclass
class SessionResult:
    note: Note | None
    discarded: bool = False


def build_note(
    plan: SessionPlan,
    answers: Mapping[str, Mapping[str, object]],
    extra: Mapping[str, object] | None = None,
) -> Note:
    """The note a plan and its answers make (answers in checklist and question order).

    A question left blank (skipped at the prompt, or given no answer by a script) is not
    written: a note holds only answers, however the session ran. A multiselect with
    nothing ticked is an answer (`[]`: none of these), and is kept.
    """
    ordered: dict[str, dict[str, object]] = {}
    for checklist in plan.checklists:
        given = {k: v for k, v in answers.get(checklist.id, {}).items() if is_given(v)}
        ordered[checklist.id] = {q.id: given[q.id] for q in checklist.questions if q.id in given}
        # Answers to questions the checklist no longer has are kept, after the rest.
        ordered[checklist.id].update(
            {k: v for k, v in given.items() if k not in ordered[checklist.id]}
        )
        if not ordered[checklist.id] and checklist.closing:
            del ordered[checklist.id]  # a closing check nobody answered (a scripted prep)
    for cid, values in answers.items():
        kept = {k: v for k, v in values.items() if is_given(v)}
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
        first_round=[c.id for c in plan.checklists if c.first_round],
    )


def relied_label(question: Question) -> str:
    """How a question that reads `question`'s answer names it: its card slot's name
    ("want"), else its prompt."""
    if question.card in SLOT_NAMES:
        return SLOT_NAMES[question.card]
    return f"answer to “{short(question.prompt, 60)}”"


def known_value(
    key: str, answers: Mapping[str, Mapping[str, object]], details: Mapping[str, object]
) -> object:
    """The value a `when` condition looks at: an answer of this session to a question
    with id `key` (any checklist, in order), else a detail the plan carries (`medium`,
    `casting_office` for `casting-office`, ...); None when neither is known."""
    for values in answers.values():
        value = values.get(key) if isinstance(values, dict) else None
        if is_given(value):
            return value
    for name in (key, key.replace("-", "_")):
        value = details.get(name)
        if is_given(value):
            return value
    return None


def condition_holds(
    when: tuple[str, str, str] | None,
    answers: Mapping[str, Mapping[str, object]],
    details: Mapping[str, object],
) -> bool:
    """True when a question with this `when` is asked: `key=value` holds when the known
    value is `value` (for a list: one of its items; case and spacing aside), `key!=value`
    when it is not (an unknown value is not `value`)."""
    if when is None:
        return True
    key, op, expected = when
    value = known_value(key, answers, details)
    items = value if isinstance(value, list) else [value]
    matches = value is not None and any(_same(item, expected) for item in items)
    return matches if op == "=" else not matches


def _same(value: object, expected: str) -> bool:
    return when_text(expected)[0] in when_text(value)


def in_play(plan: SessionPlan, answers: Mapping[str, Mapping[str, object]]) -> list[Checklist]:
    """The plan's checklists with only the questions that are asked (their `when` holds)
    or already answered: what a summary or the change menu lists. An answer the closing
    check had filled (`relies_on`) to a question outside the plan's path is listed too,
    under its checklist (before the closing check when that checklist is not on it)."""
    shown: dict[str, Checklist] = {}
    for checklist in plan.checklists:
        given = answers.get(checklist.id, {})
        questions = tuple(
            q
            for q in checklist.questions
            if q.id in given or condition_holds(q.when, answers, plan.extra)
        )
        if questions:
            shown[checklist.id] = replace(checklist, questions=questions)
    filled: dict[str, list[Question]] = {}
    for source, question in plan.relied.values():
        listed = shown.get(source.id)
        if question.id in answers.get(source.id, {}) and not (
            listed is not None and any(q.id == question.id for q in listed.questions)
        ):
            filled.setdefault(source.id, []).append(question)
    sources = {source.id: source for source, _ in plan.relied.values()}
    off_path = [
        replace(sources[cid], questions=tuple(extra))
        for cid, extra in filled.items()
        if cid not in shown
    ]
    result = []
    for checklist in shown.values():
        if checklist.closing:
            result += off_path
            off_path = []
        more = filled.get(checklist.id, [])
        result.append(replace(checklist, questions=(*checklist.questions, *more)))
    return result + off_path


def default_for(plan: SessionPlan, checklist: Checklist, question: Question) -> Answer:
    """The answer a question offers: the plan's default for it (an earlier round's
    answer) when that is valid for its type, else the question's own."""
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
        summary: Summary | None = None,
        act: Act | None = None,
    ) -> None:
        self.plan = plan
        self.asker = asker
        self.drafts = drafts
        self.notes = notes
        self.summary = summary
        self.act = act
        # Whether the closing check said that it reads answers never asked (`unasked`).
        self._told_unasked = False
        # The answers a closing question read that the actor chose to leave empty (its
        # question offer does not ask them again straight away).
        self._left_empty: set[str] = set()
        self.draft = draft or Draft(
            kind=plan.kind,
            role=plan.role,
            project=plan.project,
            round=plan.round,
            date=plan.date,
            checklists=[c.id for c in plan.checklists],
            extra=dict(plan.extra),
            chosen=list(plan.chosen) if plan.chosen else None,
        )

    @property
    def answers(self) -> SessionAnswers:
        return self.draft.answers

    def run(self) -> SessionResult:
        """Ask what is left, then loop on save / change / discard."""
        self.drafts.ensure_writable()
        self._ask_remaining()
        if self.plan.ask_outcome and "outcome" not in self.draft.extra:
            self._ask_outcome("pending")
        return self._review()

    def _ask_outcome(self, default: str) -> None:
        """Ask a review's outcome (kept in the draft's extra, not as a question)."""
        self.draft.extra["outcome"] = self.asker.choose(
            f"{OUTCOME_PROMPT} (coach outcome can change it later)",
            [(o, o) for o in OUTCOMES],
            default=default if default in OUTCOMES else "pending",
        )
        self.drafts.save(self.draft)

    def applies(self, question: Question) -> bool:
        """True when the question's `when` holds for the answers so far."""
        return condition_holds(question.when, self.answers, self.plan.extra)

    def _ask_remaining(self) -> None:
        """Ask every question not answered yet whose `when` holds, checklist by checklist;
        after each "not yet" of the closing check, offer to go back."""
        total = len(self.plan.checklists)
        for index, checklist in enumerate(self.plan.checklists, start=1):
            started = False
            for question in checklist.questions:
                if question.id in self.answers.get(checklist.id, {}):
                    continue
                if not self.applies(question):
                    continue  # looked at again when its turn comes: earlier answers count
                if not started:
                    if checklist.id in self.plan.before:
                        self.asker.show(self.plan.before[checklist.id])
                    self.asker.section(checklist, index, total)
                    started = True
                self._ask_reading(checklist, question)
                if checklist.closing:
                    self._follow_through(checklist, question)

    # -- a question that reads earlier answers, and what a "not yet" leads to ---------------

    def relied_value(self, ref: str) -> object:
        """The answer `ref` ("checklist.question") has now: this session's, else the one
        an earlier prep of the round gave (the plan's default)."""
        cid, qid = ref.split(".", 1)
        value = self.answers.get(cid, {}).get(qid)
        return value if is_answered(value) else self.plan.defaults.get(ref)

    def unasked(self, ref: str) -> bool:
        """True for an answer `ref` that was never asked: a question none of the plan's
        checklists holds (the quick path left it out), not asked in this session either,
        with no answer (none given tonight, none carried from an earlier note)."""
        cid, qid = ref.split(".", 1)
        on_path = any(
            c.id == cid and any(q.id == qid for q in c.questions) for c in self.plan.checklists
        )
        return (
            not on_path
            and qid not in self.answers.get(cid, {})
            and not is_answered(self.relied_value(ref))
        )

    def _ask_reading(
        self, checklist: Checklist, question: Question, default: object = None
    ) -> None:
        """Ask a question, first showing each answer it relies on ("Your want: ..."; an
        empty one said to be empty). In the closing check a yes while one of them is
        empty is not taken: the coach offers to fill it (then asks again), else keeps
        the answer as a not yet. An answer never asked (`unasked`: left out by the quick
        path, given by no earlier note) is neither shown nor called empty: the first
        closing question that reads one says so once, calmly. `default` is the answer
        offered (the current one, when it is being changed); else the plan's."""
        self._left_empty.clear()
        relied = [
            (ref, self.plan.relied[ref])
            for ref in question.relies_on
            if ref in self.plan.relied and not self.unasked(ref)
        ]
        skipped = [r for r in question.relies_on if r in self.plan.relied and self.unasked(r)]
        if checklist.closing and skipped and not self._told_unasked:
            self._told_unasked = True
            self.asker.show(Notice(UNASKED_WORDS))
        for ref, (_, source) in relied:
            value = self.relied_value(ref)
            if is_answered(value):
                self.asker.show(
                    Notice(f"Your {relied_label(source)}: {short(value, 120)}", "answer")
                )
            elif checklist.closing:
                self.asker.show(Notice(f"Your {relied_label(source)} is empty.", "warning"))
        offered = default if is_given(default) else default_for(self.plan, checklist, question)
        self._ask_and_keep(checklist, question, offered)
        # Each empty answer it reads is offered in turn, as long as the answer stays yes.
        while self.answers[checklist.id].get(question.id) is True:
            empty = [
                (ref, found) for ref, found in relied if not is_answered(self.relied_value(ref))
            ]
            if not empty:
                return
            # The yes is not taken yet: stopped before the answer it reads is given (or
            # left empty), the draft holds the question unanswered, so the resumed session
            # asks it again and offers what was being typed.
            del self.answers[checklist.id][question.id]
            self.drafts.save(self.draft)
            ref, found = empty[0]
            label = relied_label(found[1])
            choice = self.asker.choose(
                f"Your {label} is empty: answer it now?",
                [(FILL, "Answer it now"), (ONWARD, "Leave it: this stays a not yet")],
                default=FILL,
            )
            if choice == FILL:
                self._ask_and_keep(*found, default_for(self.plan, *found))
            if choice != FILL or not is_answered(self.relied_value(ref)):
                self._left_empty.add(ref)
                self.asker.show(Notice(f"Your {label} is still empty: kept as not yet.", "warning"))
                self.answers[checklist.id][question.id] = False
                self.drafts.save(self.draft)
                return
            self._ask_and_keep(checklist, question, True)

    def _follow_through(self, checklist: Checklist, question: Question) -> None:
        """After a "not yet" in the closing check: offer the tool that fits (`offer`),
        then ask the question once more; a question with only `revisit` goes back to
        that checklist instead."""
        offer = question.offer
        if offer == "last-round" and self.plan.last_round is None:
            offer = None  # a first round: there is no last round to look at
        if offer is None or (offer != "question" and self.act is None):
            self._offer_revisit(checklist, question)
            return
        if not question.says_not_yet(self.answers.get(checklist.id, {}).get(question.id)):
            return
        # The answers the question offer goes back to: those it reads that are empty;
        # when none is, the first (the want). One the actor just chose to leave empty is
        # not offered again at once (they said so a moment ago).
        refs = [r for r in question.relies_on if r in self.plan.relied]
        empty = [r for r in refs if not is_answered(self.relied_value(r))]
        again = empty or refs[:1]
        if offer == "question":
            again = [r for r in again if r not in self._left_empty]
            if not again:
                return
        words = offer
        if offer == "question" and empty:
            skipped = all(self.unasked(r) for r in again)
            words = "question-skipped" if skipped else "question-empty"
        ask, take, leave = offer_words(words, [self.plan.relied[r][1] for r in again])
        choice = self.asker.choose(ask, [(offer, take), (ONWARD, leave)], default=offer)
        if choice == ONWARD:
            return
        if offer == "question":
            for ref in again:
                current = self.relied_value(ref)
                self._ask_and_keep(*self.plan.relied[ref], current if is_given(current) else None)
        elif self.act is not None:
            self.act(offer, self.plan)
        self._ask_reading(checklist, question)

    def _offer_revisit(self, closing: Checklist, question: Question) -> None:
        """A "no" in the closing check: offer to go back to the checklist it names
        (`revisit`), ask its questions again from the current answers, then the closing
        question again."""
        target = next(
            (c for c in self.plan.checklists if c.id == question.revisit and not c.closing), None
        )
        while target is not None and self.answers.get(closing.id, {}).get(question.id) is False:
            ask, take, leave = (w.format(what=target.title) for w in OFFER_WORDS["revisit"])
            choice = self.asker.choose(ask, [(REVISIT, take), (ONWARD, leave)], default=REVISIT)
            if choice != REVISIT:
                return
            self.asker.section(
                target, self.plan.checklists.index(target) + 1, len(self.plan.checklists)
            )
            # Its questions on this path, then those the closing question reads that the
            # path leaves out (the quick path's keep and refresh): going back reaches them.
            on_path = {q.id for q in target.questions}
            read = [
                self.plan.relied[ref][1]
                for ref in question.relies_on
                if ref in self.plan.relied
                and self.plan.relied[ref][0].id == target.id
                and self.plan.relied[ref][1].id not in on_path
            ]
            for asked in (*target.questions, *read):
                if not self.applies(asked):
                    continue
                current = self.answers.get(target.id, {}).get(asked.id)
                default = current if is_given(current) else default_for(self.plan, target, asked)
                self._ask_and_keep(target, asked, default)
            # Asked again as the check asks it: beside the answers it reads.
            self._ask_reading(closing, question)
            if self._left_empty:
                return  # an answer it reads was just left empty on purpose: no new offer

    def _ask_and_keep(self, checklist: Checklist, question: Question, default: object) -> None:
        """Ask until the answer is valid, then keep it in the draft. Stopped in the middle
        of a text answer, the draft keeps the text as unfinished, and it is offered as the
        starting text when the question is asked again."""
        key = f"{checklist.id}.{question.id}"
        default = self.draft.unfinished.get(key, default)
        while True:
            try:
                answer = self.asker.ask(checklist, question, default)
            except Unfinished as stop:
                self.draft.unfinished[key] = stop.text
                self.drafts.save(self.draft)
                raise
            try:
                value = check_value(question, answer)
            except ValueError as exc:
                readable = _readable(answer) if isinstance(answer, str) else None
                if readable is not None and readable != answer:
                    # Typed in a terminal that is not UTF-8: the bytes that were not are
                    # never kept; the rest is offered back, with U+FFFD where they were.
                    self.asker.show(
                        Notice(f"{exc} Retype the characters shown as \ufffd.", "error")
                    )
                    default = readable
                else:
                    self.asker.show(Notice(f"{exc}; answer again.", "error"))
                continue
            if not question.required or is_answered(value):
                break
            default = None
        self.answers.setdefault(checklist.id, {})[question.id] = value
        self.draft.unfinished.pop(key, None)
        self.drafts.save(self.draft)

    def _review(self) -> SessionResult:
        while True:
            if self.summary is not None:
                # (The plan as it stands: with what was asked beside the questions, such
                # as a review's outcome.)
                now = replace(self.plan, extra={**self.plan.extra, **self.draft.extra})
                self.asker.show(self.summary(now, self.answers))
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
                self.drafts.delete(self.draft, saved=True)
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
        for checklist in in_play(self.plan, self.answers):
            for question in checklist.questions:
                key = f"{checklist.id}.{question.id}"
                current = self.answers.get(checklist.id, {}).get(question.id)
                options.append((key, f"{short(question.prompt, 44)}  → {short(current, 28)}"))
                lookup[key] = (checklist, question)
        outcome = self.draft.extra.get("outcome")
        if self.plan.ask_outcome and isinstance(outcome, str):
            # A review's outcome, asked after its questions: changed as it was asked.
            options.append((OUTCOME_KEY, f"{OUTCOME_PROMPT}  → {short(outcome, 28)}"))
        options.append(("", "Back"))
        key = self.asker.choose("Which answer?", options)
        if not key:
            return
        if key == OUTCOME_KEY and isinstance(outcome, str):
            self._ask_outcome(outcome)
            return
        checklist, question = lookup[key]
        current = self.answers.get(checklist.id, {}).get(question.id)
        if checklist.closing:
            # As the closing check asks it: beside the answers it reads, and a yes
            # beside an empty one is not taken as it is.
            self._ask_reading(checklist, question, current)
            self._follow_through(checklist, question)
        else:
            self._ask_and_keep(checklist, question, current)
        # A changed answer may bring in questions whose `when` now holds.
        self._ask_remaining()


def short(value: object, width: int = 40) -> str:
    """An answer squeezed onto one short line for menus, cut between words."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = one_line(str(value))
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if text[width - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # never end on half a word
    return cut.rstrip(" ,") + "…"


def _readable(text: str) -> str:
    """`text` with each character that is not valid Unicode replaced by U+FFFD."""
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
