"""What a user can do, as Python calls: plan a prep, save it from answers, or run it.

The CLI is a thin skin over this module; tests and scripts may call it directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callback_coach import paths
from callback_coach.answers import validate_answers
from callback_coach.asker import Asker
from callback_coach.checklist import Catalogue, Checklist, load_catalogue
from callback_coach.drafts import Draft, DraftStore
from callback_coach.errors import NotFoundError, UsageError
from callback_coach.history import (
    canonical_role,
    next_prep_round,
    resolve_project,
    role_notes,
    same_name,
)
from callback_coach.notes import Note, NoteStore
from callback_coach.rounds import normalize_round
from callback_coach.session import Session, SessionPlan, SessionResult, build_note

RESUME, RESTART = "resume", "restart"


def parse_date(text: str | None) -> str:
    """A YYYY-MM-DD date (today when not given); raise UsageError otherwise."""
    if text is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise UsageError(f"date {text!r} is not a valid YYYY-MM-DD date") from None


def check_role(role: str) -> str:
    cleaned = " ".join(role.split())
    if not cleaned:
        raise UsageError("the role name is empty")
    if len(cleaned) > 200:
        raise UsageError("the role name is longer than 200 characters")
    return cleaned


@dataclass
class Coach:
    """One coach home: its checklists, notes and drafts."""

    home: Path

    @classmethod
    def open(cls, home: Path | None = None) -> Coach:
        return cls(home or paths.coach_home())

    @property
    def notes(self) -> NoteStore:
        return NoteStore(self.home)

    @property
    def drafts(self) -> DraftStore:
        return DraftStore(self.home)

    def catalogue(self) -> Catalogue:
        """Built-in checklists with the actor's own; raises ChecklistError if any is broken."""
        return load_catalogue(paths.builtin_checklists_dir(), paths.user_checklists_dir(self.home))

    def select_checklists(self, phase: str, ids: list[str] | None) -> list[Checklist]:
        catalogue = self.catalogue()
        if not ids:
            chosen = catalogue.for_phase(phase)
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

    def plan_prep(
        self,
        role: str,
        *,
        project: str | None = None,
        round_label: str | None = None,
        date: str | None = None,
        checklist_ids: list[str] | None = None,
        choose_project: Callable[[list[str]], str] | None = None,
    ) -> SessionPlan:
        """Everything a prep needs before the first question: checklists, round, project."""
        role = check_role(role)
        checklists = self.select_checklists("prep", checklist_ids)
        scan = self.notes.scan().notes
        project_name = self._project(scan, role, project, choose_project)
        role = canonical_role(scan, role)
        if round_label is not None:
            try:
                chosen_round = normalize_round(round_label)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        else:
            drafts = self.drafts.find("prep", role, project_name, None)
            if drafts:
                chosen_round = drafts[0].round
            else:
                chosen_round = next_prep_round(role_notes(scan, role, project_name))
        for draft in self.drafts.find("prep", role, project_name, chosen_round):
            # Keep the spelling the actor first used, as the notes do.
            if not any(same_name(n.role, role) for n in scan):
                role = draft.role
            if not any(same_name(n.project, project_name) for n in scan) and draft.project:
                project_name = draft.project
        return SessionPlan(
            kind="prep",
            role=role,
            project=project_name,
            round=chosen_round,
            date=parse_date(date),
            checklists=checklists,
        )

    def _project(
        self,
        scan: list[Note],
        role: str,
        project: str | None,
        choose_project: Callable[[list[str]], str] | None,
    ) -> str:
        from callback_coach.errors import AmbiguousError

        try:
            return resolve_project(scan, role, project)
        except AmbiguousError as exc:
            if choose_project is None:
                raise
            return choose_project(exc.choices)  # type: ignore[attr-defined]

    def save_answers(
        self, plan: SessionPlan, given: Mapping[str, Mapping[str, Any]], *, source: str = "answers"
    ) -> Note:
        """Validate `given` against the plan and save the note, without prompting.

        Questions not in `given` take their default (or stay blank); problems raise
        AnswersError listing all of them, and nothing is written.
        """
        from callback_coach.session import default_for

        merged: dict[str, dict[str, Any]] = {}
        for checklist in plan.checklists:
            merged[checklist.id] = {}
            for question in checklist.questions:
                default = default_for(plan, checklist, question)
                if default is not None:
                    merged[checklist.id][question.id] = default
        for cid, values in given.items():
            merged.setdefault(cid, {}).update(values)
        cleaned = validate_answers(plan.checklists, merged, source=source)
        note = build_note(plan, cleaned)
        self.notes.save_new(note)
        return note

    def find_draft(self, plan: SessionPlan) -> Draft | None:
        drafts = self.drafts.find(plan.kind, plan.role, plan.project, plan.round)
        return drafts[0] if drafts else None

    def run_session(
        self,
        plan: SessionPlan,
        asker: Asker,
        *,
        summary: Callable[[SessionPlan, dict[str, dict[str, Any]]], Any] | None = None,
    ) -> SessionResult:
        """Run a plan interactively; offers to resume a draft of the same role and round.

        Only one session of a role and round runs at a time on this machine.
        """
        with self.drafts.lock(plan.kind, plan.role, plan.project, plan.round):
            return self._run_session(plan, asker, summary)

    def _run_session(
        self,
        plan: SessionPlan,
        asker: Asker,
        summary: Callable[[SessionPlan, dict[str, dict[str, Any]]], Any] | None,
    ) -> SessionResult:
        draft = self.find_draft(plan)
        if draft is not None:
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
                # A draft started with other checklists keeps them: no answer is dropped.
                known = {c.id for c in plan.checklists}
                catalogue = self.catalogue()
                for cid in draft.checklists:
                    checklist = catalogue.get(cid)
                    if cid not in known and checklist is not None:
                        plan.checklists.append(checklist)
                        known.add(cid)
                draft.checklists = [c.id for c in plan.checklists]
        session = Session(plan, asker, self.drafts, self.notes, draft=draft, summary=summary)
        return session.run()
