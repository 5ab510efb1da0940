"""The arguments and options that commands of several modules share; an option used by
one module only is declared there."""

from typing import Any

import typer

from callback_coach.cli.completion import ROLE_NAME

ROLE_ARG = typer.Argument(
    ...,
    metavar="ROLE",
    help='The role, as you call it (e.g. "Nina").',
    show_default=False,
    click_type=ROLE_NAME,
)


def round_option(help: str) -> Any:  # (as typer.Option: it stands as a parameter's default)
    """--round (-r): a round's label, with what it does (and its default) for a command."""
    return typer.Option(None, "--round", "-r", metavar="ROUND", help=help)


PROJECT_OPT = typer.Option(
    None, "--project", "-p", metavar="PROJECT", help="The project (film, play, series)."
)
DATE_FORMS = "YYYY-MM-DD, today, tomorrow, a weekday (fri, friday: the next one) or +N days"
JSON_OPT = typer.Option(
    False, "--json", help="Print JSON (its shape: docs/scripting.md, or coach schema show NAME)."
)
FORCE_OPT = typer.Option(False, "--force", help="Replace files that already exist.")
