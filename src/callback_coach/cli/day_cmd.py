"""On the day: `coach card` (the waiting-room card), `coach breathe` (a paced breathing
timer) and `coach drill` (taking a director's note)."""

import sys
from typing import Optional  # Optional: Typer < 0.29 on 3.10

import typer

from callback_coach.cli import console
from callback_coach.cli.command import command, group, print_json, report_written
from callback_coach.cli.completion import ROLE_NAME
from callback_coach.cli.home import choose_project, open_checklists, open_coach
from callback_coach.cli.options import FORCE_OPT, PROJECT_OPT, ROLE_ARG, round_option
from callback_coach.cli.session_run import run_drill
from callback_coach.core.workflow import Coach
from callback_coach.day import breathing
from callback_coach.day import card as cards
from callback_coach.day import drill as drills
from callback_coach.errors import NoTerminalError, NotFoundError
from callback_coach.exports import output as outputs
from callback_coach.store import paths

commands = group()


@command(
    commands,
    short_help="Your waiting-room card: one screen from the round's prep.",
    epilog="""
    coach card "Nina"
    coach card "Nina" --format html --output nina.html   # open it on your phone
    coach card "Nina" --format md > nina-card.md
    """,
)
def card(
    role: str = ROLE_ARG,
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = round_option("The round. Default: the latest round you prepared."),
    fmt: str = typer.Option(
        "text",
        "--format",
        "-f",
        metavar="text|md|html",
        help="text for the terminal, md to print, html for a phone or a printer.",
    ),
    output: Optional[str] = typer.Option(
        None,
        "--output",
        "-O",
        metavar="FILE",
        help="Write to this file (default: standard output).",
    ),
    force: bool = FORCE_OPT,
) -> None:
    """Your waiting-room card: one screen distilled from the round's prep.

    The want, what to keep and the one thing to refresh, the direction to honour, your
    plan for a note (the question to ask, the recovery), the line to tell yourself, your
    anchor and breathing, and who is in the room. Empty answers are left out.
    """
    from callback_coach.cli import card_view  # Rich

    fmt = cards.check_format(fmt)
    coach = open_coach()
    chosen = cards.card_for(
        coach,
        role,
        project=project,
        round_label=round_label,
        choose_project=choose_project if console.stdin_is_terminal() else None,
    )
    if output is None and fmt == "text":
        out = console.out()
        width = min(out.width, card_view.WIDTH)
        out.print(card_view.renderable(chosen, width, card_view.fit_budget(chosen, width)))
    else:
        text = card_view.render(chosen, fmt, card_view.WIDTH)
        name = cards.file_name(chosen.role, chosen.round, "txt" if fmt == "text" else fmt)
        report_written(
            outputs.write_output(output, lambda: text, lambda: [(name, text)], force=force)
        )


@command(
    commands,
    short_help="A paced breathing timer for the waiting room.",
    epilog="""
    coach breathe
    coach breathe --pattern 4-7-8 --minutes 3
    coach breathe --role "Nina"
    coach breathe --rounds 2 | espeak-ng        # no terminal: one line per phase
    """,
)
def breathe(
    pattern: Optional[str] = typer.Option(
        None,
        "--pattern",
        metavar="box|4-7-8|exhale|ID",
        help="The breathing pattern (default: box, or the role's routine with --role).",
    ),
    rounds: Optional[int] = typer.Option(
        None, "--rounds", "-n", metavar="N", help="How many rounds (default: the pattern's)."
    ),
    minutes: Optional[float] = typer.Option(
        None, "--minutes", "-m", metavar="M", help="Breathe for about this many minutes."
    ),
    role: Optional[str] = typer.Option(
        None,
        "--role",
        metavar="ROLE",
        help="Use the breathing routine this role's prep chose.",
        click_type=ROLE_NAME,
    ),
    project: Optional[str] = PROJECT_OPT,
    list_patterns: bool = typer.Option(
        False, "--list", help="List the patterns (id, name, phases, rounds, about) and exit."
    ),
) -> None:
    """A paced breathing timer for the waiting room.

    Shows the phase in words (breathe in, hold, breathe out), a countdown and a bar that
    fills and empties. Ctrl-C stops it quietly. Without a terminal it prints one line per
    phase ("breathe in 4") as the phase begins, for a speech tool. Add your own patterns
    in $COACH_HOME/breathing.yaml.
    """
    coach = open_coach()
    patterns = breathing.load_patterns(
        paths.builtin_data_dir() / "breathing.yaml", paths.user_breathing_file(coach.home)
    )
    if list_patterns:
        console.text_lines(
            console.visible(f"{p.id}\t{p.name}\t{p.describe()}\t{p.rounds} rounds\t{p.about or ''}")
            for p in patterns
        )
        return
    chosen = None
    if pattern is not None:
        chosen = breathing.find_pattern(patterns, pattern)
        if chosen is None:
            ids = ", ".join(p.id for p in patterns)
            raise NotFoundError(f"no breathing pattern {pattern!r} (available: {ids})")
    elif role is not None:
        chosen = routine_of(coach, role, project, patterns)
    chosen = chosen or breathing.default_pattern(patterns)
    count = breathing.rounds_for(chosen, rounds, minutes)
    timer = breathing.Timer(chosen, count)
    live = sys.stdout.isatty() and sys.stderr.isatty()
    try:
        if live:
            from callback_coach.cli import breathe_view  # Rich: only for the live display

            outcome = breathe_view.run_live(timer)
        else:
            outcome = timer.run(on_step=lambda step: console.data(breathing.plain_line(step)))
    except KeyboardInterrupt:  # Ctrl-C while the display opens or closes
        console.info("Stopped.")
        return
    console.info(outcome.summary())


def routine_of(
    coach: Coach, role: str, project: str | None, patterns: list[breathing.Pattern]
) -> breathing.Pattern | None:
    """The pattern a role's prep chose as its breathing routine, or None (with a message)."""
    found = cards.card_for(
        coach,
        role,
        project=project,
        choose_project=choose_project if console.stdin_is_terminal() else None,
    )
    answer = found.get("breathing")
    chosen = breathing.pattern_named_in(patterns, answer) if answer else None
    if chosen is not None:
        console.info(f"{found.role}'s breathing routine: {chosen.name}.")
    elif answer:
        console.info(
            f"{found.role}'s routine ({answer}) is not a pattern here: using box breathing."
        )
    return chosen


@command(
    commands,
    short_help="Rehearse taking a director's note, then say it back.",
    epilog="""
    coach drill "Nina"
    coach drill "Nina" --rounds 3 --medium screen
    coach drill "Nina" --list --json --seed 7
    """,
)
def drill(
    role: str = ROLE_ARG,
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = round_option(
        "Default: the round you are preparing (the latest prepared, not yet reviewed)."
    ),
    rounds: int = typer.Option(5, "--rounds", "-n", metavar="N", help="How many notes (1-20)."),
    seconds: int = typer.Option(
        20,
        "--seconds",
        "-S",
        metavar="S",
        help="Seconds to play each note out loud before you say it back (0-120).",
    ),
    seed: Optional[int] = typer.Option(
        None, "--seed", metavar="K", help="The same seed gives the same notes again."
    ),
    medium: Optional[str] = typer.Option(
        None,
        "--medium",
        "-m",
        metavar="screen|stage|self-tape",
        help="Lean on notes for this medium (default: the medium your notes recorded).",
    ),
    list_only: bool = typer.Option(
        False, "--list", help="Print the notes of a drill without asking anything."
    ),
    as_json: bool = typer.Option(False, "--json", help="With --list: print JSON (implies --list)."),
) -> None:
    """Rehearse taking a note: a director's note, a few seconds, then say it back.

    For each note you say it back in a few words and name what you will change. Notes
    come from a bank of directions, the directions this role really got, and the other
    version your redirection plan prepared. The drill is saved as a note of kind drill.
    """
    list_only = list_only or as_json
    interactive = not list_only and console.stdin_is_terminal()
    if not list_only and not interactive:
        # A broken checklist or drill-notes file is what needs mending (exit 3), first.
        drills.drill_bank(open_checklists())
        raise NoTerminalError(
            "coach drill asks you to answer, but standard input is not a terminal: "
            "use --list (or --list --json) to print the notes instead"
        )
    coach = open_coach()
    plan = drills.plan_drill(
        coach,
        role,
        project=project,
        round_label=round_label,
        count=rounds,
        seconds=seconds,
        seed=seed,
        medium=medium,
        choose_project=choose_project if interactive else None,
    )
    if as_json:
        print_json(plan.to_json())
    elif list_only:
        console.text_lines(console.visible(line) for line in drills.list_lines(plan))
    else:
        run_drill(coach, plan)
