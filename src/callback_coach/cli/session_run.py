"""A session run in the terminal, the skin of `coach prep`, `coach review` and `coach
drill`: the header and the last round shown, the summary before saving, the one-line
stop after Ctrl-C with the command that resumes it, the saved note's path, and after a
prep the offer of the waiting-room card."""

from typing import Any

from callback_coach.cli import console
from callback_coach.cli.asker import QuestionaryAsker
from callback_coach.core import hints
from callback_coach.core.asking import Asker
from callback_coach.core.session import SessionPlan, in_play
from callback_coach.core.workflow import Coach
from callback_coach.day import card as cards
from callback_coach.errors import Interrupted


def terminal_asker() -> Asker:
    """The prompts of a session in the terminal (questionary is loaded at the first one)."""
    return QuestionaryAsker()


def resume_command(plan: SessionPlan) -> str:
    """The command that resumes this session, with every option it needs."""
    return hints.resume_command(
        plan.kind,
        plan.role,
        plan.project,
        plan.round,
        plan.date,
        path=plan.path,
        chosen=plan.chosen,
    )


def run_interactive(coach: Coach, plan: SessionPlan, asker: Asker | None = None) -> None:
    """Run a plan in the terminal and report the result (the prompts' common skin)."""
    asker = asker or terminal_asker()

    def start(p: SessionPlan) -> None:
        from callback_coach.cli import render  # Rich: loaded after the first question

        asker.show(render.session_header(p.kind, p.role, p.project, p.round, p.date))
        if p.last_round is not None:
            panel = render.last_round_panel(p.last_round)
            asker.show(panel)
            asker.reference(panel, "Last time")

    def summary(p: SessionPlan, answers: dict[str, dict[str, Any]]) -> Any:
        from callback_coach.cli import render  # Rich

        return render.answers_summary(in_play(p, answers), answers)

    try:
        result = coach.run_session(plan, asker, summary=summary, on_start=start)
    except (KeyboardInterrupt, EOFError):  # Ctrl-C, or Ctrl-D on an empty prompt
        draft = coach.find_draft(plan)
        raise stopped(plan, draft.count() if draft is not None else 0) from None
    if report_result(plan, result) and plan.kind == "prep":
        offer_card(coach, plan, asker)


def offer_card(coach: Coach, plan: SessionPlan, asker: Asker) -> None:
    """After a saved prep, in the terminal: show the waiting-room card if wanted."""
    from callback_coach.cli import card_view  # Rich

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
    console.info(f"For your phone or a printer: {hint}")


def stopped(plan: SessionPlan, count: int, options: list[str] | None = None) -> Exception:
    """The one-line stop after Ctrl-C (exit 130): how many answers the draft keeps and the
    command that resumes it (with `options` added)."""
    if not count:
        return Interrupted("Stopped before any answer; nothing was kept.")
    again = " ".join([resume_command(plan), *(options or [])])
    return Interrupted(
        f"Stopped. Your {count} answer{'s are' if count != 1 else ' is'} kept in a draft; "
        f"run `{again}` to resume."
    )


def report_result(plan: SessionPlan, result: Any) -> bool:
    """Say what became of a session (its note's path on stdout); True when it was saved."""
    if result.discarded:
        console.info("Discarded: nothing was saved.")
        return False
    console.info(f"Saved your {plan.kind} for {plan.role} ({plan.round}):")
    console.data(str(result.note.path))
    return True
