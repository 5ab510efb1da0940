"""`coach sides add|list|show` and `coach lines`: learn the new pages of a callback.

The commands parse options, call the lines layer (`callback_coach.lines`), and render.
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Optional  # Optional: Typer < 0.29 on 3.10

import typer

from callback_coach.cli import console, lines_render
from callback_coach.cli.command import command, group, print_json
from callback_coach.cli.completion import ROLE_NAME
from callback_coach.cli.lines_ui import TerminalLinesUI
from callback_coach.cli.options import PROJECT_OPT, ROLE_ARG, round_option
from callback_coach.cli.shell_lines import say_command
from callback_coach.core.hints import command_line
from callback_coach.core.inputs import check_role, check_round
from callback_coach.errors import (
    Interrupted,
    NoTerminalError,
    NotFoundError,
    SidesError,
    UsageError,
)
from callback_coach.lines import json_shapes
from callback_coach.lines.drill import MODES, DrillPlan, DrillSession, plan_drill, utc_now
from callback_coach.lines.layouts import Sides, read_sides
from callback_coach.lines.measure import by_role, offbook_of
from callback_coach.lines.sides import SidesStore
from callback_coach.lines.voice import EngineVoice, VoiceUnavailable, open_voice
from callback_coach.store import paths
from callback_coach.store.slugs import fold

SCENE_OPT = typer.Option(
    None, "--scene", min=1, metavar="N", help="Only scene N (as `coach sides list` numbers them)."
)
JSON_OPT = typer.Option(False, "--json", help="Print JSON (documented in docs/lines.md).")


commands = group()
sides_app = group(
    help="Import the sides of a callback and see how off-book you are.",
    short_help="Import new sides; list and show them.",
    epilog="""
    coach sides add "Nina" pages.pdf --project "The Seagull" --round callback-2
    coach sides list
    coach sides show "Nina" --scene 1
    """,
    no_args_is_help=True,
)
commands.add_typer(sides_app, name="sides")


# -- coach sides add ---------------------------------------------------------------------


@command(
    sides_app,
    "add",
    short_help="Import sides (text, Fountain or PDF) for a role.",
    epilog="""
    coach sides add "Nina" sides.pdf --project "The Seagull" --round callback-2
    coach sides add "Nina" scene.fountain --as NINA
    coach sides add "Nina" new-pages.txt          # changed pages: progress kept
    """,
)
def sides_add(
    role: str = ROLE_ARG,
    file: Path = typer.Argument(
        ...,
        metavar="FILE",
        help="The sides: screenplay or stage-play text, Fountain (.fountain), or a PDF "
        "with a text layer.",
        show_default=False,
    ),
    project: Optional[str] = PROJECT_OPT,
    round_label: Optional[str] = round_option(
        "The round the pages are for (audition, callback-N, …). Default: none."
    ),
    character: Optional[str] = typer.Option(
        None,
        "--as",
        metavar="CHARACTER",
        help="Your character, as named in the pages (any case or accents). Default: asked "
        "in the terminal; without one, the character named like the role.",
    ),
) -> None:
    """Import sides for a role: find who speaks, which character is yours, and save each
    scene as a readable file in your coach home.

    Stage directions and parentheticals are kept apart from what is said. Importing
    changed pages again keeps the progress of every line whose words did not change;
    changed lines start again as new.
    """
    role = check_role(role)
    round_label = check_round(round_label) if round_label is not None else None
    sides = read_sides(file)
    for note in sides.notes:
        console.warn(note)
    chosen = pick_character(sides, role, character, file.name)
    store = SidesStore(_home(), on_warning=console.warn)
    done = store.add(
        sides.scenes,
        role=role,
        project=" ".join((project or "").split()),
        round_label=round_label,
        character=chosen,
        source=file.name,
        layout=sides.layout,
        now=dt.datetime.now(dt.timezone.utc),
    )
    numbers = {s.path: n for n, s in enumerate(store.scenes(role, project or ""), start=1)}
    for each in done:
        scene = each.scene
        mine = len(scene.lines())
        what = f"scene {numbers.get(scene.path, '?')} ({scene.title})"
        if each.replaced:
            console.info(
                f"Updated {what}: {each.kept} of your lines unchanged (progress kept), "
                f"{each.changed} changed or new."
            )
        else:
            console.info(f"Imported {what}: {mine} line{'s' if mine != 1 else ''} for {chosen}.")
        console.data(str(scene.path))
    skipped = len(sides.scenes) - len(done)
    if skipped:
        console.info(f"{skipped} scene{'s' if skipped != 1 else ''} without {chosen} left out.")
    say_command("Drill them:", _command(["lines"], role, project))


def pick_character(sides: Sides, role: str, given: str | None, file_name: str) -> str:
    """The actor's character: `--as` (matched without case or accents), else asked in the
    terminal (the one named like the role offered first), else the one named like the
    role, else the only one; NoTerminalError otherwise, naming `--as`."""
    speakers = sides.speakers()
    by_fold = {fold(name): name for name in speakers}
    listed = ", ".join(speakers)
    if given is not None:
        if fold(given) not in by_fold:
            raise SidesError(f"{given} does not speak in {file_name}; the speakers are: {listed}")
        return by_fold[fold(given)]
    named_like_role = by_fold.get(fold(role))
    if len(speakers) == 1:
        return speakers[0]
    if console.stdin_is_terminal():
        counts = {
            name: sum(1 for s in sides.scenes for sp in s.speeches() if fold(sp.speaker) == key)
            for key, name in by_fold.items()
        }
        options = [(name, f"{name}  ({counts[name]} speeches)") for name in speakers]
        try:
            return TerminalLinesUI().choose(
                "Which character is yours?", options, named_like_role or speakers[0]
            )
        except (KeyboardInterrupt, EOFError):
            raise Interrupted("Stopped before choosing; nothing was imported.") from None
    if named_like_role is not None:
        return named_like_role
    raise NoTerminalError(
        "coach sides add asks which character is yours, but standard input is not a "
        f"terminal: add --as CHARACTER (the speakers are: {listed})"
    )


# -- coach sides list / show -------------------------------------------------------------


@command(
    sides_app,
    "list",
    short_help="List imported scenes and how off-book you are.",
    epilog="""
    coach sides list
    coach sides list "Nina"
    coach sides list --json | jq '.roles[].offbook.percent'
    """,
)
def sides_list(
    role: Optional[str] = typer.Argument(
        None, metavar="[ROLE]", help="Only this role.", show_default=False, click_type=ROLE_NAME
    ),
    project: Optional[str] = PROJECT_OPT,
    as_json: bool = JSON_OPT,
) -> None:
    """List imported scenes by role, with how off-book you are in each (the share of
    your lines whose last drill was right without a hint)."""
    store = _store()
    scenes = [
        s
        for s in store.all_scenes()
        if (role is None or fold(s.role) == fold(role))
        and (project is None or fold(s.project) == fold(project))
    ]
    if role is not None and not scenes:
        store.scenes(role, project)  # the NotFoundError that says how to import
    roles = list(by_role(scenes).values())
    if as_json:
        print_json(json_shapes.sides_list_json(store, roles))
        return
    if not roles:
        say_command("No sides yet. Import some with:", 'coach sides add "ROLE" FILE')
        return
    for index, scenes_of_role in enumerate(roles):
        if index:
            console.data("")
        lines = lines_render.role_lines(scenes_of_role, offbook_of(store, scenes_of_role))
        console.text_lines(console.visible(line) for line in lines)


@command(
    sides_app,
    "show",
    short_help="Show a role's scenes, speeches numbered, yours marked.",
    epilog="""
    coach sides show "Nina"
    coach sides show "Nina" --scene 2 --json
    """,
)
def sides_show(
    role: str = ROLE_ARG,
    project: Optional[str] = PROJECT_OPT,
    scene: Optional[int] = SCENE_OPT,
    as_json: bool = JSON_OPT,
) -> None:
    """Show a role's scenes: stage directions in brackets, speeches numbered (the
    numbers `coach lines --from N` takes), your own marked with how they went."""
    store = _store()
    scenes = list(enumerate(store.scenes(role, project, choose_project=_chooser(as_json)), 1))
    if scene is not None:
        if not 1 <= scene <= len(scenes):
            raise NotFoundError(f"{role} has no scene {scene} (scenes 1 to {len(scenes)})")
        scenes = [scenes[scene - 1]]
    if as_json:
        print_json(json_shapes.sides_show_json(store, scenes))
        return
    for index, (number, stored) in enumerate(scenes):
        if index:
            console.data("")
        lines = lines_render.scene_lines(number, stored, store.progress(stored))
        console.text_lines(console.visible(line) for line in lines)


# -- coach lines -------------------------------------------------------------------------


@command(
    commands,
    "lines",
    short_help="Drill your lines on cue until you are off-book.",
    epilog="""
    coach lines "Nina"                        # the lines due, weakest first
    coach lines "Nina" --mode say --voice     # say them out loud to a read cue
    coach lines "Nina" --scene 1 --run        # the whole scene, in order
    coach lines "Nina" --scene 1 --from 12    # from speech 12 on
    coach lines "Nina" --list --json          # the drill order, for scripts
    """,
)
def lines(
    role: str = ROLE_ARG,
    project: Optional[str] = PROJECT_OPT,
    scene: Optional[int] = SCENE_OPT,
    start: Optional[int] = typer.Option(
        None,
        "--from",
        min=1,
        metavar="N",
        help="Run the scene from speech N (as `coach sides show` numbers them).",
    ),
    run: bool = typer.Option(
        False, "--run", help="Run the scene: every one of your lines in order, no schedule."
    ),
    mode: str = typer.Option(
        "type",
        "--mode",
        "-m",
        metavar="type|say",
        help="type: type each line and see it scored word by word; say: say it out "
        "loud, see it, grade yourself.",
    ),
    seed: Optional[int] = typer.Option(
        None, "--seed", min=0, metavar="K", help="Mix the order (the same K, the same order)."
    ),
    list_only: bool = typer.Option(
        False, "--list", help="Print the lines of the drill in order without asking anything."
    ),
    as_json: bool = typer.Option(False, "--json", help="With --list: print JSON (implies --list)."),
    voice: bool = typer.Option(
        False, "--voice", help='Read the cues aloud (needs: pip install "callback-coach[voice]").'
    ),
) -> None:
    """Drill your lines on cue: the speech before yours is shown, you give your line.

    Lines come back on a spaced-repetition schedule, each on its own: a line you missed
    comes back soon, one you know later. `?` then Enter shows the first letter of each
    word (counted as a hint). Every graded line is saved at once: Ctrl-C stops, and the
    command it prints goes on.
    """
    if mode not in MODES:
        raise UsageError(f"--mode is type or say, not {mode!r} (see coach lines --help)")
    list_only = list_only or as_json
    interactive = not list_only and console.stdin_is_terminal()
    if not list_only and not interactive:
        raise NoTerminalError(
            "coach lines asks you for your lines, but standard input is not a terminal: "
            "use --list (or --list --json) to print the drill order instead"
        )
    store = _store()
    plan = plan_drill(
        store,
        role,
        project,
        now=utc_now(),
        scene=scene,
        start=start,
        run=run,
        seed=seed,
        choose_project=_chooser(not interactive),
    )
    if as_json:
        print_json(json_shapes.lines_list_json(plan))
        return
    if list_only:
        console.text_lines(console.one_line(line) for line in lines_render.plan_lines(plan))
        if not plan.items:
            say_command(*_nothing_due(plan, role, project))
        return
    if not plan.items:
        say_command(*_nothing_due(plan, role, project))
        return

    session = DrillSession(plan, TerminalLinesUI(), store, mode="say" if mode == "say" else "type")
    if voice:
        session.voice = _open_voice()
    try:
        session.run()
    except (KeyboardInterrupt, EOFError):
        raise _stopped(session, role, project, mode) from None


def _nothing_due(plan: DrillPlan, role: str, project: str | None) -> tuple[str, str]:
    """What `say_command` says when no line is due: the words, and the command."""
    when = ""
    if plan.next_due is not None:
        when = f" (the next is due {plan.next_due.astimezone().strftime('%a %d %b %H:%M')})"
    again = _command(["lines"], role, project, ["--run"])
    return f"Nothing is due now{when}. To run your lines anyway:", again


def _open_voice() -> EngineVoice | None:
    try:
        return open_voice()
    except VoiceUnavailable as exc:
        console.warn(exc.message)
        return None


def _stopped(session: DrillSession, role: str, project: str | None, mode: str) -> Exception:
    """The one-line stop after Ctrl-C (exit 130): how many lines are kept, and the
    command that goes on."""
    options = []
    plan = session.plan
    start, current = session.resume_from, session.current
    if start is not None and current is not None:
        # A run of the scene goes on from the line it stopped at, in that line's scene.
        options += ["--scene", str(current.scene_number), "--from", str(start)]
    else:
        if plan.scene_number is not None:
            options += ["--scene", str(plan.scene_number)]
        if plan.run:
            options.append("--run")
    if mode == "say":
        options += ["--mode", "say"]
    if plan.seed is not None:
        options += ["--seed", str(plan.seed)]
    again = _command(["lines"], role, project, options)
    count = session.graded
    if not count:
        return Interrupted(f"Stopped before any line was graded. To start again: {again}")
    return Interrupted(
        f"Stopped. {count} graded line{'s are' if count != 1 else ' is'} kept; "
        f"run `{again}` to go on."
    )


# -- shared ------------------------------------------------------------------------------


def _home() -> Path:
    return paths.coach_home()


def _store() -> SidesStore:
    return SidesStore(_home(), on_warning=console.warn)


def _chooser(never: bool) -> Callable[[list[str]], str] | None:
    """A menu of projects when a role has sides in several (only in a terminal)."""
    if never or not console.stdin_is_terminal():
        return None

    def choose(projects: list[str]) -> str:
        options = [(p, p or "(no project)") for p in projects]
        try:
            return TerminalLinesUI().choose(
                "This role has sides in several projects.", options, projects[0]
            )
        except (KeyboardInterrupt, EOFError):
            raise Interrupted("Stopped before choosing; nothing changed.") from None

    return choose


def _command(
    words: list[str], role: str, project: str | None, options: Optional[list[str]] = None
) -> str:
    given = ["--project", project] if project else []
    return command_line(words, [role], [*given, *(options or [])])
