"""`coach checklists list|show|validate`: the checklists, built-in and your own, and a
check of checklist files that lists every problem with its line."""

from pathlib import Path

import typer

from callback_coach.cli import console
from callback_coach.cli.command import command, group, print_json
from callback_coach.cli.completion import CHECKLIST_ID
from callback_coach.cli.home import open_coach
from callback_coach.cli.options import JSON_OPT
from callback_coach.core.checklist_load import validate_files
from callback_coach.errors import ChecklistError, NotFoundError

commands = group()
checklists_app = group(
    help="See, check and export the checklists.",
    epilog="""
    coach checklists list
    coach checklists show mindset
    coach checklists validate "$COACH_HOME/checklists/mindset.yaml"
    """,
    no_args_is_help=True,
)
commands.add_typer(checklists_app, name="checklists")


@command(
    checklists_app,
    "list",
    short_help="List the checklists and where each comes from.",
    epilog="""
    coach checklists list
    coach checklists list --json | jq -r '.checklists[].id'
    """,
)
def checklists_list(as_json: bool = JSON_OPT) -> None:
    """List the checklists: id, title, phase, questions, and where each comes from."""
    from callback_coach.cli import render  # Rich

    checklists = open_coach().catalogue().checklists
    if as_json:
        print_json({"format": 1, "checklists": [render.checklist_row(c) for c in checklists]})
    else:
        console.out().print(render.checklists_table(checklists))


@command(
    checklists_app,
    "show",
    short_help="Show one checklist's questions and why each matters.",
    epilog="""
    coach checklists show mindset
    coach checklists show after-the-room
    """,
)
def checklists_show(
    checklist_id: str = typer.Argument(
        ...,
        metavar="ID",
        help="The checklist's id, as `coach checklists list` shows it (e.g. mindset).",
        show_default=False,
        click_type=CHECKLIST_ID,
    ),
) -> None:
    """Show one checklist's questions, with their type and why each matters.

    Each question is shown with its id (used in answers files and --set), its type and
    choices, and the line saying why it matters.
    """
    from callback_coach.cli import render  # Rich

    (checklist,) = open_coach().select_checklists(None, [checklist_id])
    console.out().print(render.checklist_detail(checklist))


@command(
    checklists_app,
    "validate",
    short_help="Check checklist files: every problem, with its line.",
    epilog="""
    coach checklists validate my-checklist.yaml
    coach checklists validate "$COACH_HOME"/checklists/*.yaml
    """,
)
def checklists_validate(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Checklist YAML files."),
) -> None:
    """Check checklist files: every problem, with its file and line.

    Besides each file's own keys, the names that join checklists are checked: a
    checklist id defined twice, a recall or relies_on naming a question
    (CHECKLIST.QUESTION) and a revisit naming a checklist that no built-in checklist,
    no checklist of your coach home and no file given has. Exit code 3 when there is a
    problem (one line each), 5 when a file is not there.
    """
    problems = validate_files(files)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        # Every problem is listed; a file that is not there at all makes it "not found".
        error = NotFoundError if any(not path.exists() for path in files) else ChecklistError
        raise error(f"{len(problems)} {noun} found", details=[str(p) for p in problems])
    for path in files:
        console.info(f"{path}: ok")
