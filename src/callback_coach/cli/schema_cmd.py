"""`coach schema list|show`: the JSON Schemas (draft 2020-12) installed with the coach,
one for each JSON document a command prints and for the files an actor writes (a
checklist, an answers file), so that a script can check what it reads or writes."""

import typer

from callback_coach.cli import console
from callback_coach.cli.command import command, group, print_json
from callback_coach.cli.completion import CompletedText
from callback_coach.errors import UsageError
from callback_coach.store import paths

SUFFIX = ".schema.json"


def schema_names() -> list[str]:
    """The name of every schema installed (its file name less `.schema.json`), sorted."""
    folder = paths.builtin_schemas_dir()
    return sorted(path.name.removesuffix(SUFFIX) for path in folder.glob(f"*{SUFFIX}"))


def complete_schema(incomplete: str) -> list[str]:
    return [name for name in schema_names() if name.startswith(incomplete.lower())]


commands = group()
schema_app = group(
    help="The JSON Schemas of what the coach prints with --json (or --format json) and of "
    "the files you write: a checklist, an answers file.",
    short_help="The JSON Schemas of --json output and your files.",
    epilog="""
    coach schema list
    coach schema show list > list.schema.json
    """,
    no_args_is_help=True,
)
commands.add_typer(schema_app, name="schema")


@command(
    schema_app,
    "list",
    short_help="List the schemas' names, one a line.",
    epilog="""
    coach schema list
    coach schema list --json
    """,
)
def schema_list(
    as_json: bool = typer.Option(False, "--json", help="Print the names as a JSON list."),
) -> None:
    """List the schemas' names, one a line: the name a command's JSON or a file's
    schema goes by in `coach schema show NAME`."""
    names = schema_names()
    if as_json:
        print_json(names)
        return
    for name in names:
        console.data(name)


@command(
    schema_app,
    "show",
    short_help="Print one schema (JSON) on standard output.",
    epilog="""
    coach schema show today
    coach schema show checklist > checklist.schema.json
    """,
)
def schema_show(
    name: str = typer.Argument(
        ...,
        metavar="NAME",
        help="The schema's name, as `coach schema list` shows it (e.g. today).",
        show_default=False,
        click_type=CompletedText(complete_schema),
    ),
) -> None:
    """Print one schema on standard output, as the coach installed it: a JSON Schema
    (draft 2020-12), e.g. of `coach today --json` (today) or of a checklist file
    (checklist)."""
    names = schema_names()
    wanted = name.removesuffix(SUFFIX)
    if wanted not in names:
        raise UsageError(f"no schema named '{name}': the schemas are {', '.join(names)}")
    text = (paths.builtin_schemas_dir() / f"{wanted}{SUFFIX}").read_text(encoding="utf-8")
    console.data_chunks([text])
