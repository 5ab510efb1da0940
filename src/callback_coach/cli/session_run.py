"""A session run in the terminal, the skin of `coach prep`, `coach review` and `coach
drill`: the header and the last round shown, the summary before saving, the one-line
stop after Ctrl-C with the command that resumes it, the saved note's path, and after a
prep the offer of the waiting-room card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from callback_coach.cli import console
from callback_coach.cli.asker import QuestionaryAsker
from callback_coach.cli.shell_lines import say_command
from callback_coach.core import hints
from callback_coach.core.asking import Asker, Notice
from callback_coach.core.prep_paths import path_of_draft, prep_checklists
from callback_coach.core.session import SessionPlan, SessionResult, in_play
from callback_coach.core.workflow import Coach
from callback_coach.errors import CoachError, Interrupted
from callback_coach.store import paths
from callback_coach.store.facts import is_answered

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Group

    from callback_coach.core.checklist import Checklist
    from callback_coach.core.questions import Question
    from callback_coach.day.drill import DrillPlan
    from callback_coach.store.drafts import Draft


def terminal_asker() -> Asker:
    """The prompts of a session in the terminal (questionary is loaded at the first one)."""
    return QuestionaryAsker()


def resume_command(coach: Coach, plan: SessionPlan) -> str:
    """The shortest command that resumes this session's draft, as the actor would type it.

    Plain `coach KIND ROLE` when that goes straight to the offer to resume this very
    draft; `--round` and `--project` only when the plain command would ask something
    first (which project, a draft left elsewhere, whether a round still to come is the
    one) or find another draft (one of another round, started later): each shorter
    command is tried by planning it as it would run, without asking anything. Where
    each asks, both are given (a draft of the same round left in another project is
    offered even then). The day and a prep's path are the draft's, so `--date`,
    `--quick`, `--full` and `-c` are given only where this session's differ (it was
    resumed with other ones); a drill keeps its `--seconds`."""
    draft = coach.find_draft(plan)
    if draft is None or draft.path is None:
        return _every_option(plan)
    options = [*_restored(plan, draft), *_drill_pace(plan)]
    *shorter, narrowest = _narrowing(plan)
    try:
        for project, round_label in shorter:
            if _finds(coach, plan, draft, project, round_label):
                return _resume_line(plan, project, round_label, options)
    except KeyboardInterrupt:  # Ctrl-C again while the commands are tried
        pass
    return _resume_line(plan, *narrowest, options)


def _every_option(plan: SessionPlan) -> str:
    """The command with every option the session was started with (before any draft)."""
    return hints.resume_command(
        plan.kind,
        plan.role,
        plan.project,
        plan.round,
        plan.date,
        path=plan.path,
        chosen=plan.chosen,
        seconds=hints.drill_seconds(plan.extra),
    )


def _narrowing(plan: SessionPlan) -> list[tuple[str | None, str | None]]:
    """The --project and --round to try, fewest first (None: left out). A plan without
    a project is `--project ''`: a role with notes in one project would take that one."""
    return [(None, None), (None, plan.round), (plan.project, None), (plan.project, plan.round)]


def _finds(
    coach: Coach, plan: SessionPlan, draft: Draft, project: str | None, round_label: str | None
) -> bool:
    """True when `coach KIND ROLE` with this --project and --round would offer to resume
    `draft` before asking anything else."""
    try:
        found = _replanned(coach, plan, project, round_label)
    except (_WouldAsk, CoachError, OSError):
        return False
    again = coach.find_draft(found) if found.adopt_draft is None else None
    return again is not None and again.path == draft.path


class _WouldAsk(Exception):
    """A command tried for the stop line would ask something before resuming."""


class _NoQuestions:
    """An asker for planning a command without running it: any question is _WouldAsk."""

    def show(self, renderable: object) -> None:
        pass

    def reference(self, renderable: object, label: str) -> None:
        pass

    def section(self, checklist: Checklist, index: int, total: int) -> None:
        pass

    def ask(self, checklist: Checklist, question: Question, default: object) -> object:
        raise _WouldAsk

    def choose(
        self, message: str, options: Sequence[tuple[str, str]], default: str | None = None
    ) -> str:
        raise _WouldAsk


def _no_project_choice(projects: list[str]) -> str:
    raise _WouldAsk


def _replanned(
    coach: Coach, plan: SessionPlan, project: str | None, round_label: str | None
) -> SessionPlan:
    """The plan `coach KIND ROLE` with this --project and --round would make in a
    terminal, made without asking (_WouldAsk where it would ask) or writing anything."""
    if plan.kind == "drill":
        from callback_coach.day import drill as drills  # as in run_drill

        seconds = hints.drill_seconds(plan.extra)
        return drills.plan_drill(
            coach,
            plan.role,
            project=project,
            round_label=round_label,
            seconds=drills.DEFAULT_SECONDS if seconds is None else seconds,
            choose_project=_no_project_choice,
        ).session
    plan_session = coach.plan_prep if plan.kind == "prep" else coach.plan_review
    return plan_session(
        plan.role,
        project=project,
        round_label=round_label,
        choose_project=_no_project_choice,
        asker=_NoQuestions(),
    )


def _restored(plan: SessionPlan, draft: Draft) -> list[str]:
    """--date and a prep's path where this session's are not the draft's (a resumed
    session takes the draft's day and path unless told otherwise)."""
    if plan.kind not in ("prep", "review"):
        return []
    options = ["--date", plan.date] if draft.date != plan.date else []
    if plan.kind == "prep" and path_of_draft(draft) != (plan.path, plan.chosen):
        options += hints.path_options(plan.path, plan.chosen, full=True)
    return options


def _drill_pace(plan: SessionPlan) -> list[str]:
    """A drill's --seconds when not the default: the resumed drill plays at that pace."""
    seconds = hints.drill_seconds(plan.extra) if plan.kind == "drill" else None
    return ["--seconds", str(seconds)] if seconds is not None else []


def _resume_line(
    plan: SessionPlan, project: str | None, round_label: str | None, options: list[str]
) -> str:
    given = ["--project", project] if project is not None else []
    if round_label is not None:
        given += ["--round", round_label]
    return hints.command_line([plan.kind], [plan.role], [*given, *options])


def run_interactive(coach: Coach, plan: SessionPlan, asker: Asker | None = None) -> None:
    """Run a plan in the terminal and report the result (the prompts' common skin)."""
    asker = asker or terminal_asker()

    def start(p: SessionPlan) -> None:
        from callback_coach.cli import render  # Rich: loaded after the first question

        asker.show(render.session_header(p.kind, p.role, p.project, p.round, p.date))
        if p.last_round is not None:
            panel = render.last_round_panel(p.last_round)
            asker.show(panel)
            asker.reference(panel, "last time")
        if p.prepared:
            panel = render.prepared_panel(p.round, p.prepared)
            asker.show(panel)
            asker.reference(panel, "what you prepared")

    def summary(p: SessionPlan, answers: dict[str, dict[str, object]]) -> Group:
        from callback_coach.cli import render  # Rich

        shown = render.answers_summary(in_play(p, answers), answers)
        outcome = p.extra.get("outcome") if p.kind == "review" else None
        if isinstance(outcome, str) and outcome:
            return render.with_outcome(shown, outcome)
        return shown

    def act(offer: str, p: SessionPlan) -> None:
        offer_tool(coach, offer, p, asker)

    try:
        result = coach.run_session(plan, asker, summary=summary, on_start=start, act=act)
    except (KeyboardInterrupt, EOFError):  # Ctrl-C, or Ctrl-D on an empty prompt
        count, typing = kept_at_stop(coach, plan)
        raise stopped(coach, plan, count, typing=typing) from None
    if report_result(plan, result) and plan.kind == "prep":
        offer_card(coach, plan, asker)


def offer_tool(coach: Coach, offer: str, plan: SessionPlan, asker: Asker) -> None:
    """What a "not yet" in the closing check offered, now: a breathing round, a two-note
    drill of this round, or the last round's panel. Ctrl-C ends the tool, not the prep."""
    from callback_coach.cli import breathe_view, render  # Rich: the tools draw

    # The day's modules only once a tool is taken: not on the way to the first question.
    from callback_coach.day import breathing
    from callback_coach.day import drill as drills

    if offer == "last-round":
        if plan.last_round is not None:
            asker.show(render.last_round_panel(plan.last_round))
        else:
            asker.show(Notice("There is no last round yet: this is the first."))
        return
    try:
        if offer == "breathe":
            patterns = breathing.load_patterns(
                paths.builtin_data_dir() / "breathing.yaml", paths.user_breathing_file(coach.home)
            )
            chosen = breathing.pattern_of_answers(patterns, breathing_answers(coach, plan))
            if chosen is not None:
                console.info(f"Your breathing: {chosen.name}.")
            chosen = chosen or breathing.default_pattern(patterns)
            console.info(breathe_view.run_live(breathing.Timer(chosen, chosen.rounds)).summary())
        elif offer == "drill":
            drill = drills.plan_drill(
                coach, plan.role, project=plan.project, round_label=plan.round, count=2
            )
            run_drill(coach, drill)
    except (KeyboardInterrupt, EOFError, Interrupted) as exc:
        if isinstance(exc, Interrupted) and exc.message:
            console.info(exc.message)


def breathing_answers(coach: Coach, plan: SessionPlan) -> list[object]:
    """The answers that name this prep's breathing (the card's `breathing` slot: which
    breathing, then the own routine's words), as this session gave them so far (its
    draft); when it gave none of them, as an earlier prep carried them (the plan's
    defaults). Tonight's "none" is not made up with last round's own routine."""
    from callback_coach.day.breathing import CARD_SLOT

    draft = coach.find_draft(plan)
    tonight = draft.answers if draft is not None else {}
    refs = [
        (checklist.id, question.id)
        for checklist in prep_checklists(coach.catalogue())
        for question in checklist.questions
        if question.card == CARD_SLOT
    ]
    given = [tonight.get(cid, {}).get(qid) for cid, qid in refs]
    if any(is_answered(value) for value in given):
        return given
    return [plan.defaults.get(f"{cid}.{qid}") for cid, qid in refs]


def run_drill(coach: Coach, plan: DrillPlan) -> None:
    """A drill in the terminal, with the same stop, resume and save as a prep."""
    from rich.text import Text  # Rich (and drill_view, render): once the drill shows

    from callback_coach.cli import drill_view, render
    from callback_coach.day import drill as drills  # once a drill runs (see `act`)

    s = plan.session
    asker = drills.DrillAsker(
        QuestionaryAsker(),
        plan.seconds,
        show_note=drill_view.note_panel,
        play=drill_view.countdown,
    )

    def start(p: DrillPlan) -> None:
        """The drill's header and seed, once a draft is resumed or not (its own)."""
        d = p.session
        asker.show(render.session_header(d.kind, d.role, d.project, d.round, d.date))
        asker.show(Text(f"Seed {p.seed}: --seed {p.seed} gives these notes again.", style="muted"))

    def summary(p: SessionPlan, answers: dict[str, dict[str, object]]) -> Group:
        return render.answers_summary(p.checklists, answers)

    try:
        result = drills.run_drill(coach, plan, asker, summary=summary, on_start=start)
    except (KeyboardInterrupt, EOFError):
        count, _ = kept_at_stop(coach, s)
        raise stopped(coach, s, count) from None
    report_result(s, result)


def offer_card(coach: Coach, plan: SessionPlan, asker: Asker) -> None:
    """After a saved prep, in the terminal: show the waiting-room card if wanted."""
    from callback_coach.cli import card_view  # Rich
    from callback_coach.day import card as cards  # once a prep is saved (see `act`)

    try:
        choice = asker.choose(
            "Show your waiting-room card for the day?",
            [("card", "Show my card"), ("done", "Not now")],
            default="card",
        )
    except (KeyboardInterrupt, EOFError):
        return
    if choice != "card":
        return
    chosen = cards.card_for(coach, plan.role, project=plan.project, round_label=plan.round)
    width = min(console.err().width, card_view.WIDTH)
    asker.show(card_view.renderable(chosen, width, card_view.fit_budget(chosen, width)))
    name = cards.file_name(plan.role, plan.round, "html")
    hint = hints.command(
        "card",
        plan.role,
        project=plan.project or None,
        round_label=plan.round,
        options=["--format", "html", "--output", name],
    )
    say_command("For your phone or a printer:", hint)


def kept_at_stop(coach: Coach, plan: SessionPlan) -> tuple[int, bool]:
    """How many answers a stopped session's draft keeps, and whether it keeps what was
    being typed. A draft with neither (only questions skipped) is removed: the stop line
    then says truly that nothing was kept, and no empty draft is offered later."""
    draft = coach.find_draft(plan)
    if draft is None:
        return 0, False
    count, typing = draft.count(), bool(draft.unfinished)
    if not count and not typing:
        coach.drafts.delete(draft)
    return count, typing


def stopped(coach: Coach, plan: SessionPlan, count: int, *, typing: bool = False) -> Exception:
    """The one-line stop after Ctrl-C (exit 130): how many answers the draft keeps (and
    whether the answer being typed is kept, `typing`) and the command that resumes it."""
    if not count and not typing:
        return Interrupted("Stopped before any answer; nothing was kept.")
    again = resume_command(coach, plan)
    if not count:
        kept = "What you were typing is kept in a draft"
    else:
        kept = f"Your {count} answer{'s' if count != 1 else ''}"
        kept += " and what you were typing are" if typing else (" are" if count != 1 else " is")
        kept += " kept in a draft"
    return Interrupted(f"Stopped. {kept}; run `{again}` to resume.")


def report_result(plan: SessionPlan, result: SessionResult) -> bool:
    """Say what became of a session (its note's path on stdout); True when it was saved."""
    if result.discarded:
        console.info("Discarded: nothing was saved.")
        return False
    assert result.note is not None  # (a session not discarded saved its note)
    console.info(f"Saved your {plan.kind} for {plan.role} ({plan.round}):")
    console.data(str(result.note.path))
    return True
