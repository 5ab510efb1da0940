"""What a user can do, as Python calls: plan and run a prep or review, record an outcome,
list roles, show a role's timeline, search. The CLI is a thin skin over this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from callback_coach import opening, paths
from callback_coach.answers import is_answered, validate_answers
from callback_coach.asker import Asker
from callback_coach.checklist import Catalogue, Checklist, load_catalogue
from callback_coach.drafts import Draft, DraftStore
from callback_coach.errors import AmbiguousError, NotFoundError, StorageError, UsageError
from callback_coach.history import (
    RoleRow,
    RoundRecord,
    canonical_role,
    open_round,
    previous_round,
    resolve_project,
    role_notes,
    round_to_review,
    rounds_of,
    same_name,
)
from callback_coach.index import NoteIndex, NoteSummary
from callback_coach.notes import (
    KINDS,
    Note,
    NoteFacts,
    NoteParseError,
    NoteStore,
    now_iso,
    read_note,
    set_front_matter,
)
from callback_coach.prep_paths import closing_checklists, prep_checklists
from callback_coach.rounds import OUTCOMES, next_round, normalize_round
from callback_coach.session import (
    Session,
    SessionPlan,
    SessionResult,
    build_note,
    condition_holds,
    default_for,
    is_given,
)

RESUME, RESTART = "resume", "restart"
# Front-matter keys that describe the job rather than the round: they carry forward.
STABLE_KEYS = ("medium", "casting_office", "people_met")


def parse_date(text: str | None, today: dt.date | None = None) -> str:
    """The YYYY-MM-DD form of a date as people type it (`2026-11-26`, `tomorrow`, `fri`,
    `+3`; see dates.parse_day), today when not given; raise UsageError otherwise."""
    from callback_coach.dates import DateError, parse_day

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


@dataclass
class CarryOver:
    """What the previous round left for this one."""

    record: RoundRecord[Note]  # with full notes
    defaults: dict[str, Any]
    # (source question prompt, answer) pairs, in the order the recall checklist asks them.
    items: list[tuple[str, Any]]


@dataclass
class LastRound:
    """What the previous round's review (then prep) said, for the "last time" panel a
    prep opens with: plain data; render.last_round_panel draws it."""

    round: str
    date: str
    outcome: str | None
    # (question, answer) pairs: the earlier answers the checklists `recall`, in order.
    items: list[tuple[str, Any]]


@dataclass
class Coach:
    """One coach home: its checklists, notes and drafts."""

    home: Path
    warnings: list[str] = field(default_factory=list)
    # Called with each new warning the moment it arises (the CLI shows it on stderr at
    # once, so it comes before the command's output and survives a later error).
    on_warning: Callable[[str], None] | None = field(default=None, repr=False, compare=False)
    _catalogue: Catalogue | None = field(default=None, repr=False, compare=False)
    _index: NoteIndex | None = field(default=None, repr=False, compare=False)
    # The day the coach takes as today (None: the clock's); tests fix it.
    today: dt.date | None = None

    @classmethod
    def open(
        cls, home: Path | None = None, *, on_warning: Callable[[str], None] | None = None
    ) -> Coach:
        return cls(home or paths.coach_home(), on_warning=on_warning)

    @property
    def notes(self) -> NoteStore:
        """The notes folder; a note written through it refreshes the index's next read."""
        return NoteStore(self.home, on_change=self.notes_changed)

    @property
    def drafts(self) -> DraftStore:
        return DraftStore(self.home, warn=self.warn)

    @property
    def index(self) -> NoteIndex:
        """The notes index, brought up to date when first used by this Coach (one command)
        and again after this Coach writes a note."""
        if self._index is None:
            self._index = NoteIndex(self.home)
        return self._index

    def notes_changed(self) -> None:
        """Say that a note was written or rewritten: the next read refreshes the index."""
        if self._index is not None:
            self._index.close()
            self._index = None

    # -- reading the home -----------------------------------------------------------------

    def catalogue(self) -> Catalogue:
        """Built-in checklists with the actor's own; raises ChecklistError if any is broken.

        Read once per Coach (a command), so every step of it sees the same checklists.
        """
        if self._catalogue is not None:
            return self._catalogue
        catalogue = self._catalogue = load_catalogue(
            paths.builtin_checklists_dir(), paths.user_checklists_dir(self.home)
        )
        for path, reason in catalogue.skipped:
            self.warn(f"skipped checklist {path}: {reason}")
        return catalogue

    def day(self) -> dt.date:
        """Today, for this coach (`today` when set)."""
        return self.today or dt.date.today()

    def warn(self, message: str) -> None:
        """Keep a warning (once) in `warnings`, and pass it to `on_warning` if set."""
        if message not in self.warnings:
            self.warnings.append(message)
            if self.on_warning is not None:
                self.on_warning(message)

    def summaries(self) -> list[NoteSummary]:
        """A summary of every readable note; unreadable ones are named in `warnings`."""
        index = self.index
        self._warn_unreadable(index)
        return [s for s in index.summaries() if s.ok]

    def _warn_unreadable(self, index: NoteIndex) -> None:
        for path, error in index.unreadable():
            self.warn(f"skipped {path}: {error}")
        for path, warning in index.warnings():
            self.warn(f"{path}: {warning}")

    def load(self, summaries: Iterable[NoteFacts]) -> list[Note]:
        """The full notes behind some summaries (skipping any that vanished)."""
        return list(self.iter_files([summary.file for summary in summaries]))

    def iter_files(self, files: list[str]) -> Iterator[Note]:
        """The full notes of some files, one at a time, from the index (a note that
        cannot be read is named in `warnings` and skipped)."""
        folder = paths.notes_dir(self.home)
        for file, note in zip(files, self.index.notes(files), strict=True):
            if isinstance(note, Exception):
                self.warn(f"skipped {folder / file}: {note}")
            else:
                yield note

    def _role_and_project(
        self,
        role: str,
        project: str | None,
        choose_project: Callable[[list[str]], str] | None,
        drafts_kind: str | None = None,
    ) -> tuple[str, str, list[NoteSummary]]:
        role = check_role(role)
        index = self.index
        summaries = index.for_role(role)
        self._warn_unreadable(index)
        try:
            project_name = resolve_project(summaries, role, project)
        except AmbiguousError as exc:
            if choose_project is None:
                raise
            project_name = choose_project(exc.choices)
        if project is None and not project_name and drafts_kind:
            # A role only known from an unfinished draft keeps the draft's project.
            drafts = self.drafts.find(drafts_kind, role, None, None)
            if drafts and len({d.project for d in drafts}) == 1:
                project_name = drafts[0].project
        mine = role_notes(summaries, role, project_name)
        return canonical_role(mine, role), project_name, mine

    def select_checklists(self, phase: str | None, ids: list[str] | None) -> list[Checklist]:
        """The checklists named by `ids`, in that order; without ids, every checklist of
        `phase` (every checklist at all when `phase` is None)."""
        catalogue = self.catalogue()
        if not ids:
            chosen = list(catalogue.checklists) if phase is None else catalogue.for_phase(phase)
            if not chosen:
                raise NotFoundError(f"no {phase} checklists are available")
            return chosen
        chosen = []
        for cid in ids:
            checklist = catalogue.get(cid)
            if checklist is None:
                raise NotFoundError(
                    f"no checklist {cid!r} (available: {', '.join(catalogue.ids())})"
                )
            if checklist not in chosen:
                chosen.append(checklist)
        return chosen

    # -- planning ------------------------------------------------------------------------

    def plan_prep(
        self,
        role: str,
        *,
        project: str | None = None,
        round_label: str | None = None,
        date: str | None = None,
        checklist_ids: list[str] | None = None,
        path: str | None = None,
        choose_project: Callable[[list[str]], str] | None = None,
        asker: Asker | None = None,
    ) -> SessionPlan:
        """Everything a prep needs before the first question: the round, its date, the
        project, the path and its checklists, and what the previous round left (defaults,
        the "last time" data, stable details).

        `path` is "full" or "quick" (None: the full path, or with `checklist_ids` the
        checklists chosen; an unfinished draft's path when one is resumed). With an
        `asker`, the coach asks what it cannot know: whether to resume a draft left in
        another project, whether this prep adds to a round still to come or starts a new
        one, and (when the session starts) the path and the date. Without one it stays in
        a round still to come, takes the full path, and dates the note today.
        """
        from callback_coach.prep_paths import CHECKLIST, FULL, QUICK, path_of_draft

        asked_path = path is None and not checklist_ids
        if path not in (None, FULL, QUICK):
            raise UsageError(f"path {path!r} is not one of: {FULL}, {QUICK}")
        if path == FULL and checklist_ids:
            raise UsageError("--full runs every checklist: leave out --checklist (or --full)")
        self.select_checklists("prep", checklist_ids)  # an unknown id stops here, first
        plan, rounds, draft, same_round = self._plan(
            "prep",
            role,
            project,
            round_label,
            date,
            choose_project,
            asker,
            default_round=lambda rounds: next_round([r.round for r in rounds if r.held]),
        )
        previous = previous_round(rounds, plan.round)
        if previous is not None:
            carry = self.carry_over(previous, prep_checklists(self.catalogue()))
            plan.defaults.update(carry.defaults)
            plan.extra.update(_stable_details(carry.record))
            record = carry.record
            plan.last_round = LastRound(record.round, record.date, record.outcome, carry.items)
        if path is None and not checklist_ids and draft is not None:
            path, checklist_ids = path_of_draft(draft)  # resumed as it was started
        elif path is None:
            path = CHECKLIST if checklist_ids else FULL
        self.set_path(plan, path, None if path == FULL else checklist_ids)
        plan.ask_date = asker is not None and date is None and draft is None and not same_round
        plan.ask_path = asker is not None and asked_path and draft is None
        this_round = next((r for r in rounds if r.round == plan.round and r.preps), None)
        if this_round is not None:
            # A second prep of a round starts from the first one's answers.
            loaded = self.load(this_round.preps[-1:])
            first = loaded[0] if loaded else None
            closing = {c.id for c in closing_checklists(self.catalogue())}
            if first is not None:
                for cid, values in first.answers.items():
                    if cid in closing:
                        continue  # the closing check is answered afresh each time
                    for qid, value in values.items():
                        if is_given(value):
                            plan.defaults[f"{cid}.{qid}"] = value
                plan.extra.update(_stable_details(RoundRecord(plan.round, [first], [])))
        return plan

    def set_path(self, plan: SessionPlan, path: str, chosen: list[str] | None) -> None:
        """Give a prep plan the checklists of a path: "full", "quick" (the `quick`
        questions, of the `chosen` checklists if any) or "checklist" (the `chosen` ones);
        each ends with the closing check (see prep_paths.apply_path)."""
        from callback_coach.prep_paths import apply_path

        picked = self.select_checklists("prep", chosen) if chosen else None
        # A role's first round (no last round) asks about the first audition instead.
        first_round = plan.kind == "prep" and plan.last_round is None
        apply_path(plan, self.catalogue(), path, picked, first_round=first_round)

    def _plan(
        self,
        kind: str,
        role: str,
        project: str | None,
        round_label: str | None,
        date: str | None,
        choose_project: Callable[[list[str]], str] | None,
        asker: Asker | None,
        *,
        default_round: Callable[[list[RoundRecord[NoteSummary]]], str],
    ) -> tuple[SessionPlan, list[RoundRecord[NoteSummary]], Draft | None, bool]:
        """What prep and review share: role and project, a draft left in another project
        (offered through `asker`), the round (given, an unfinished draft's, a prep's round
        still to come, or `default_round`), and the date.

        Returns the plan, the role's rounds, the draft this session would resume, and
        whether the round is a prep's round still to come (same round)."""
        role, project_name, mine = self._role_and_project(role, project, choose_project, kind)
        adopted = None
        if asker is not None and round_label is None:
            others = [
                d
                for d in self.drafts.find(kind, role, None, None)
                if not same_name(d.project, project_name)
            ]
            adopted = opening.offer_other_draft(kind, role, project_name, others, asker)
            if adopted is not None and adopted.project:
                role, project_name, mine = self._role_and_project(
                    adopted.role, adopted.project, None, kind
                )
        rounds = rounds_of(mine)
        same_round = False
        if round_label is not None:
            chosen = check_round(round_label)
        elif adopted is not None:
            chosen = adopted.round
        else:
            drafts = self.drafts.find(kind, role, project_name, None)
            if drafts:
                chosen = drafts[0].round
            else:
                chosen = default_round(rounds)
                upcoming = open_round(rounds, self.day().isoformat()) if kind == "prep" else None
                if upcoming is not None:
                    same_round = asker is None or opening.same_round(
                        role, upcoming, chosen, self.day(), asker
                    )
                    chosen = upcoming.round if same_round else chosen
        role, project_name = self._draft_spelling(kind, role, project_name, chosen, mine)
        if adopted is not None:
            draft: Draft | None = adopted
        else:
            found = self.drafts.find(kind, role, project_name, chosen)
            draft = found[0] if found else None
        record = next((r for r in rounds if r.round == chosen and r.held), None)
        plan = SessionPlan(
            kind=kind,
            role=role,
            project=project_name,
            round=chosen,
            date=self._session_date(kind, draft, record, date, guess=asker is not None),
            checklists=[],
        )
        if adopted is not None:
            plan.draft_choice = RESUME
            if adopted.project != project_name:
                plan.adopt_draft = adopted
        return plan, rounds, draft, same_round

    def carry_over(
        self, previous: RoundRecord[NoteSummary], checklists: list[Checklist]
    ) -> CarryOver:
        """Defaults for `recall` questions from the previous round's review, then prep."""
        record = RoundRecord(previous.round, self.load(previous.preps), self.load(previous.reviews))
        sources = [n for n in (record.latest_review, record.latest_prep) if n is not None]
        catalogue = self.catalogue()
        defaults: dict[str, Any] = {}
        items: list[tuple[str, Any]] = []
        seen: set[str] = set()
        for checklist in checklists:
            for question in checklist.questions:
                for ref in question.recall:
                    cid, qid = ref.split(".", 1)
                    value = next(
                        (
                            n.answers.get(cid, {}).get(qid)
                            for n in sources
                            if is_answered(n.answers.get(cid, {}).get(qid))
                        ),
                        None,
                    )
                    if value is None:
                        continue
                    defaults.setdefault(f"{checklist.id}.{question.id}", value)
                    if ref not in seen:
                        seen.add(ref)
                        source = catalogue.get(cid)
                        source_q = source.question(qid) if source else None
                        items.append((source_q.prompt if source_q else ref, value))
                    break
        return CarryOver(record, defaults, items)

    def _session_date(
        self,
        kind: str,
        draft: Draft | None,
        record: RoundRecord[NoteSummary] | None,
        date: str | None,
        *,
        guess: bool = False,
    ) -> str:
        """--date if given; else the date of the unfinished draft being resumed; else the
        date of the round when it has notes already; else tomorrow for a prep that will
        ask (the night before is the usual time to prepare), today otherwise."""
        today = self.day()
        if date is not None:
            return parse_date(date, today)
        if draft is not None:
            try:
                return parse_date(draft.date, today)
            except UsageError:
                self.warn(
                    f"the unfinished {kind}'s date {draft.date!r} is not a valid "
                    "YYYY-MM-DD date: using today's (or give --date)"
                )
                return today.isoformat()
        if record is not None and record.date:
            return record.date
        if guess and kind == "prep":
            return (today + dt.timedelta(days=1)).isoformat()
        return today.isoformat()

    def _draft_spelling(
        self, kind: str, role: str, project: str, round_label: str, mine: list[NoteSummary]
    ) -> tuple[str, str]:
        """Keep the spelling the actor first used, when the role is only known from a draft."""
        if mine:
            return role, project
        for draft in self.drafts.find(kind, role, project, round_label):
            return draft.role, draft.project or project
        return role, project

    def plan_review(
        self,
        role: str,
        *,
        project: str | None = None,
        round_label: str | None = None,
        date: str | None = None,
        outcome: str | None = None,
        checklist_ids: list[str] | None = None,
        choose_project: Callable[[list[str]], str] | None = None,
        asker: Asker | None = None,
    ) -> SessionPlan:
        """A review of one round: by default the latest round prepared but not reviewed,
        dated as that round (the day of the room). With an `asker`, a review left
        unfinished in another project is offered."""
        checklists = self.select_checklists("review", checklist_ids)
        plan, rounds, _, _ = self._plan(
            "review",
            role,
            project,
            round_label,
            date,
            choose_project,
            asker,
            # The latest round prepared but not reviewed; else the latest round there is.
            default_round=lambda rounds: (
                round_to_review(rounds) or (rounds[-1].round if rounds else next_round([]))
            ),
        )
        plan.checklists = checklists
        record = next((r for r in rounds if r.round == plan.round), None)
        if record is not None and record.latest_prep is not None:
            plan.extra["prep_note"] = record.latest_prep.file
        if record is not None:
            plan.extra.update(
                _stable_details(RoundRecord(record.round, self.load(record.preps[-1:]), []))
            )
        if outcome is not None:
            plan.extra["outcome"] = check_outcome(outcome)
        else:
            plan.ask_outcome = True
        return plan

    # -- saving --------------------------------------------------------------------------

    def save_answers(
        self, plan: SessionPlan, given: Mapping[str, Mapping[str, Any]], *, source: str = "answers"
    ) -> Note:
        """Validate `given` against the plan and save the note, without prompting.

        Questions not in `given` take their default (or stay blank); problems raise
        AnswersError listing all of them, and nothing is written. While an interactive
        session of the same role and round runs, StorageError is raised instead.
        """
        merged: dict[str, dict[str, Any]] = {}
        for checklist in plan.checklists:
            merged[checklist.id] = {}
            for question in checklist.questions:
                default = default_for(plan, checklist, question)
                if default is not None:
                    merged[checklist.id][question.id] = default
        for cid, values in given.items():
            merged.setdefault(cid, {}).update(values)
        cleaned = validate_answers(self._checked_as(plan, merged, given), merged, source=source)
        extra = dict(plan.extra)
        if plan.ask_outcome:
            extra.setdefault("outcome", "pending")
        note = build_note(plan, cleaned, extra)
        with self.drafts.lock(plan.kind, plan.role, plan.project, plan.round, scripted=True):
            self.notes.save_new(note)
        return note

    def _checked_as(
        self,
        plan: SessionPlan,
        merged: dict[str, dict[str, Any]],
        given: Mapping[str, Mapping[str, Any]],
    ) -> list[Checklist]:
        """The checklists a scripted save is checked against. A question whose `when`
        does not hold is not required and takes no default; an answer given to it is
        kept. On a shorter path (quick), the checklist's other questions may still be
        answered (they are kept too), but only the path's questions can be required.
        """
        catalogue = self.catalogue()
        checked = []
        for checklist in plan.checklists:
            questions = []
            for question in checklist.questions:
                if not condition_holds(question.when, merged, plan.extra):
                    if question.id not in given.get(checklist.id, {}):
                        merged[checklist.id].pop(question.id, None)
                    question = replace(question, required=False)
                questions.append(question)
            whole = catalogue.get(checklist.id)
            ids = {q.id for q in questions}
            for question in whole.questions if whole is not None else ():
                if question.id not in ids:
                    questions.append(replace(question, required=False))
            checked.append(replace(checklist, questions=tuple(questions)))
        return checked

    def find_draft(self, plan: SessionPlan) -> Draft | None:
        drafts = self.drafts.find(plan.kind, plan.role, plan.project, plan.round)
        return drafts[0] if drafts else None

    def run_session(
        self,
        plan: SessionPlan,
        asker: Asker,
        *,
        summary: Callable[[SessionPlan, dict[str, dict[str, Any]]], Any] | None = None,
        on_start: Callable[[SessionPlan], None] | None = None,
    ) -> SessionResult:
        """Run a plan interactively; offers to resume a draft of the same role and round.

        A new session first asks what the plan leaves open (`ask_path`, `ask_date`);
        then `on_start` is called with the settled plan (to show a header), and the
        questions begin. Only one session of a role and round runs at a time on this
        machine.
        """
        with contextlib.ExitStack() as held:
            held.enter_context(self.drafts.lock(plan.kind, plan.role, plan.project, plan.round))
            moved = plan.adopt_draft
            if moved is not None:
                held.enter_context(
                    self.drafts.lock(moved.kind, moved.role, moved.project, moved.round)
                )
            return self._run_session(plan, asker, summary, on_start)

    def _run_session(
        self,
        plan: SessionPlan,
        asker: Asker,
        summary: Callable[[SessionPlan, dict[str, dict[str, Any]]], Any] | None,
        on_start: Callable[[SessionPlan], None] | None,
    ) -> SessionResult:
        draft = self._take_over(plan) if plan.adopt_draft is not None else self.find_draft(plan)
        if draft is not None:
            choice = plan.draft_choice
            if choice is None:
                answered = draft.count()
                choice = asker.choose(
                    f"You have an unfinished {plan.kind} for {plan.role} ({plan.round}) "
                    f"with {answered} answer{'s' if answered != 1 else ''}. Resume it?",
                    [
                        (RESUME, "Resume where I stopped"),
                        (RESTART, "Start over (the draft is deleted)"),
                    ],
                    default=RESUME,
                )
            if choice == RESTART:
                self.drafts.delete(draft)
                draft = None
            else:
                self._resume(plan, draft)
        if draft is None:
            if plan.ask_path:
                self.set_path(plan, *opening.ask_path(plan, self.catalogue(), asker))
            if plan.ask_date:
                opening.ask_date(plan, self.day(), asker)
        if on_start is not None:
            on_start(plan)
        session = Session(plan, asker, self.drafts, self.notes, draft=draft, summary=summary)
        return session.run()

    def _resume(self, plan: SessionPlan, draft: Draft) -> None:
        """Carry on from a draft: a draft started with other checklists keeps them (no
        answer is dropped), before the closing check."""
        known = {c.id for c in plan.checklists}
        catalogue = self.catalogue()
        for cid in draft.checklists:
            checklist = catalogue.get(cid)
            if cid not in known and checklist is not None:
                at = next(
                    (
                        i
                        for i, c in enumerate(plan.checklists)
                        if c.closing and not checklist.closing
                    ),
                    len(plan.checklists),
                )
                plan.checklists.insert(at, checklist)
                known.add(cid)
        draft.checklists = [c.id for c in plan.checklists]
        draft.extra = {**plan.extra, **draft.extra}
        if plan.path is not None:
            draft.extra["path"] = plan.path
        draft.chosen = plan.chosen

    def _take_over(self, plan: SessionPlan) -> Draft | None:
        """The draft left without a project, moved into this plan's project (its file
        renamed under the lock); else this plan's own draft, if any."""
        moved = plan.adopt_draft
        old = moved.path if moved is not None else None
        draft = self.drafts.load(old) if old is not None and old.exists() else None
        if draft is None:
            return self.find_draft(plan)
        self.drafts.move(draft, plan.project)
        return draft

    def record_outcome(
        self,
        role: str,
        outcome: str,
        *,
        project: str | None = None,
        round_label: str | None = None,
        choose_project: Callable[[list[str]], str] | None = None,
    ) -> Note:
        """Set the outcome of a round (default: the latest) on its review note, or its prep
        note when it has no review. Only the `outcome` keys change; the rest stays byte
        for byte."""
        value = check_outcome(outcome)
        role, project_name, mine = self._role_and_project(role, project, choose_project)
        rounds = [r for r in rounds_of(mine) if r.held]
        if not rounds:
            raise NotFoundError(
                f"no notes for {role!r}" + (f" in {project_name!r}" if project_name else "")
            )
        if round_label is not None:
            wanted = check_round(round_label)
            record = next((r for r in rounds if r.round == wanted), None)
            if record is None:
                known = ", ".join(r.round for r in rounds)
                raise NotFoundError(f"{role!r} has no round {wanted!r} (rounds: {known})")
        else:
            record = rounds[-1]
        target = record.latest_review or record.latest_prep
        assert target is not None  # a round is made of its notes: it has one at least
        path = paths.notes_dir(self.home) / target.file
        try:
            # Bytes, decoded without newline translation: "\r\n" must stay "\r\n".
            text = path.read_bytes().decode("utf-8")
            new_text = set_front_matter(text, {"outcome": value, "outcome_updated": now_iso()})
        except UnicodeDecodeError:
            raise StorageError(f"cannot update {path}: not UTF-8 text") from None
        except NoteParseError as exc:
            raise StorageError(f"cannot update {path}: {exc}") from None
        except OSError as exc:
            raise StorageError(f"cannot read {path}: {exc.strerror or exc}") from None
        note = read_note(path)
        self.notes.rewrite(note, new_text)
        return read_note(path)

    # -- queries -------------------------------------------------------------------------

    def list_roles(
        self,
        *,
        role: str | None = None,
        project: str | None = None,
        outcome: str | None = None,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[RoleRow]:
        """One row per role, most recently active first, filtered as asked (the first
        `limit` rows; `count_roles` says how many there are in all)."""
        filters = self._role_filters(role, project, outcome, since)
        index = self.index
        rows = index.role_rows(**filters, limit=limit)
        self._warn_unreadable(index)
        return rows

    def count_roles(
        self,
        *,
        role: str | None = None,
        project: str | None = None,
        outcome: str | None = None,
        since: str | None = None,
    ) -> int:
        """How many rows `list_roles` gives with the same filters and no limit."""
        return self.index.count_roles(**self._role_filters(role, project, outcome, since))

    def _role_filters(
        self, role: str | None, project: str | None, outcome: str | None, since: str | None
    ) -> dict[str, str | None]:
        return {
            "role": role,
            "project": project,
            "outcome": check_outcome(outcome) if outcome is not None else None,
            "since": parse_date(since, self.day()) if since is not None else None,
        }

    def unfinished(
        self, *, role: str | None = None, project: str | None = None, since: str | None = None
    ) -> list[Draft]:
        """Every unfinished session (its draft), newest first: of `role` and `project` when
        given, and dated on or after `since`."""
        since_date = parse_date(since, self.day()) if since is not None else None
        drafts = self.drafts.all()
        if role is not None:
            drafts = [d for d in drafts if same_name(d.role, role)]
        if project is not None:
            drafts = [d for d in drafts if same_name(d.project, project)]
        if since_date is not None:
            drafts = [d for d in drafts if d.date >= since_date]
        return drafts

    def timeline(
        self,
        role: str,
        *,
        project: str | None = None,
        round_label: str | None = None,
        choose_project: Callable[[list[str]], str] | None = None,
    ) -> tuple[str, str, list[RoundRecord[Note]]]:
        """A role's rounds with their full notes, in order (one round with `round_label`)."""
        role, project_name, mine = self._role_and_project(role, project, choose_project)
        if not mine:
            raise NotFoundError(
                f"no notes for {role!r}" + (f" in {project_name!r}" if project_name else "")
            )
        rounds = [
            RoundRecord(r.round, self.load(r.preps), self.load(r.reviews), self.load(r.drills))
            for r in rounds_of(mine)
        ]
        if round_label is not None:
            wanted = check_round(round_label)
            rounds = [r for r in rounds if r.round == wanted]
            if not rounds:
                raise NotFoundError(f"{role!r} has no round {wanted!r}")
        return role, project_name, rounds

    def search(self, text: str, *, role: str | None = None) -> list[tuple[NoteSummary, str, str]]:
        """Every answer or body line containing `text` (case-insensitive), in note order."""
        return list(self.iter_search(text, role=role))

    def iter_search(
        self, text: str, *, role: str | None = None
    ) -> Iterator[tuple[NoteSummary, str, str]]:
        """`search`, one match at a time."""
        if not text.strip():
            raise UsageError("the search text is empty")
        index = self.index
        self._warn_unreadable(index)
        hits = index.iter_search(text)
        if role is None:
            return hits
        return (hit for hit in hits if same_name(hit[0].role, role))


def _stable_details(record: RoundRecord[Note]) -> dict[str, Any]:
    """Job details from a round's notes that carry into the next note."""
    details: dict[str, Any] = {}
    for note in (*record.preps, *record.reviews):
        for key in STABLE_KEYS:
            if note.meta.get(key) not in (None, "", []):
                details[key] = note.meta[key]
    review = record.latest_review
    who = review.answers.get("after-the-room", {}).get("who-was-there") if review else None
    if isinstance(who, str) and who.strip():
        people = list(details.get("people_met") or [])
        if who.strip() not in people:
            people.append(who.strip())
        details["people_met"] = people
    return details


def parse_sets(plan: SessionPlan, sets: list[str]) -> dict[str, dict[str, Any]]:
    """`--set CHECKLIST.QUESTION=VALUE` values, typed like the prompts; all problems at once."""
    from callback_coach.answers import parse_text_value
    from callback_coach.errors import AnswersError

    given: dict[str, dict[str, Any]] = {}
    problems = []
    by_id = {c.id: c for c in plan.checklists}
    for item in sets:
        key, sep, text = item.partition("=")
        cid, dot, qid = key.strip().partition(".")
        if not sep or not dot:
            problems.append(f"--set {item!r}: expected CHECKLIST.QUESTION=VALUE")
            continue
        checklist = by_id.get(cid)
        if checklist is None:
            problems.append(
                f"--set {key}: unknown checklist {cid!r} (this session uses: {', '.join(by_id)})"
            )
            continue
        question = checklist.question(qid)
        if question is None:
            problems.append(f"--set {key}: unknown question")
            continue
        try:
            given.setdefault(cid, {})[qid] = parse_text_value(question, text)
        except ValueError as exc:
            problems.append(f"--set {key}: {exc}")
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise AnswersError(f"{len(problems)} {noun} with --set", details=problems)
    return given


def export_notes(coach: Coach, note_filter: Any) -> list[str]:
    """The file names of the notes an export takes, in the stable export order."""
    if note_filter.round is not None:
        note_filter.round = check_round(note_filter.round)
    if note_filter.outcome is not None:
        note_filter.outcome = check_outcome(note_filter.outcome)
    if note_filter.kind is not None and note_filter.kind not in KINDS:
        raise UsageError(f"kind {note_filter.kind!r} is not one of: {', '.join(KINDS)}")
    for name in ("since", "until"):
        value = getattr(note_filter, name)
        if value is not None:
            setattr(note_filter, name, parse_date(value))
    index = coach.index
    files = index.ordered_files(
        role=note_filter.role,
        project=note_filter.project,
        round_label=note_filter.round,
        kind=note_filter.kind,
        outcome=note_filter.outcome,
        since=note_filter.since,
        until=note_filter.until,
    )
    coach._warn_unreadable(index)
    return files


class _Export:
    """What every note of one export shares: the prompts, and whether YAML escapes."""

    def __init__(self, coach: Coach, files: list[str], fmt: str) -> None:
        from callback_coach import exports

        self.coach, self.fmt = coach, fmt
        self.prompts = exports.Prompts(coach.catalogue())
        self.every_suspect = fmt == "yaml" and self.prompts.have_yaml_line_break()
        self.flagged = coach.index.yaml_break_files() if fmt == "yaml" else set()

    def text(self, files: list[str]) -> Iterator[str]:
        from callback_coach import exports

        escapes = False
        if self.fmt == "yaml":
            # A YAML line break anywhere escapes all non-ASCII text: look at the notes
            # that may hold one before writing the first.
            suspects = files if self.every_suspect else [f for f in files if f in self.flagged]
            escapes = exports.needs_yaml_escapes(self.coach.iter_files(suspects), self.prompts)
        notes = self.coach.iter_files(files)
        return exports.note_chunks(self.fmt, notes, self.prompts, yaml_escapes=escapes)


def export_text(coach: Coach, files: list[str], fmt: str) -> Iterator[str]:
    """The export of the notes `files` in `fmt`, piece by piece: each note is read from
    the index and rendered only when its turn comes, so memory stays flat."""
    return _Export(coach, files, fmt).text(files)


def export_files(
    coach: Coach, files: list[str], fmt: str
) -> Iterator[tuple[str, Callable[[], Iterator[str]]]]:
    """One (file name, render) per note, for an export into a folder."""
    export = _Export(coach, files, fmt)
    for file in files:
        yield f"{Path(file).stem}.{fmt}", functools.partial(export.text, [file])
