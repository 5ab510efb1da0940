"""`coach conflicts`: sync conflict copies and git conflict markers in the notes folder,
listed, shown side by side, and merged (the core is `store.conflicts`, `store.conflict_merge`
and `store.conflict_copies`; this module parses, asks and renders).
"""

from pathlib import Path
from typing import TYPE_CHECKING, Optional  # Optional: Typer < 0.29 on 3.10

import typer

from callback_coach.cli import console
from callback_coach.cli.asker import QuestionaryAsker
from callback_coach.cli.command import command, group, print_json
from callback_coach.cli.shell_lines import say_command
from callback_coach.core.answers import format_answer, json_safe
from callback_coach.errors import CoachError, ExitCode, Interrupted, NoTerminalError, UsageError
from callback_coach.store import conflict_copies, paths
from callback_coach.store.conflict_copies import Found, Pair, Resolved
from callback_coach.store.conflicts import ABSENT, Choose, Comparison, Difference, Side
from callback_coach.store.facts import Json
from callback_coach.store.yamlio import dump

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# `format` of the JSON documents below: raised when their shape changes.
CONFLICTS_FORMAT = 1

JSON_OPT = typer.Option(False, "--json", help="Print JSON (shape in docs/devices.md).")
FILE_ARG = typer.Argument(
    ...,
    metavar="FILE",
    help="A copy's file name (as coach conflicts list shows it), a note with git "
    "conflict markers, or a note with copies (all of them).",
    show_default=False,
)


commands = group()
conflicts_app = group(
    help="Sync conflict copies and git conflict markers in your notes: list them, "
    "see what differs, merge them.",
    short_help="Sync conflict copies of notes: list, show, merge.",
    epilog="""
    coach conflicts
    coach conflicts show "2026-12-01_the-seagull_nina_callback-1_prep.md"
    coach conflicts merge --all --keep mine
    """,
)
commands.add_typer(conflicts_app, name="conflicts")


@conflicts_app.callback(invoke_without_command=True)
def conflicts(ctx: typer.Context, as_json: bool = JSON_OPT) -> None:
    """Sync conflict copies and git conflict markers in your notes.

    A sync client (Syncthing, Dropbox, Nextcloud, OneDrive, iCloud) that finds a note
    changed on two devices keeps both: the second as a copy beside the note. A `git pull`
    leaves both sides in the note between conflict markers. Without a command, lists them.
    """
    if ctx.invoked_subcommand is None:
        conflicts_list(as_json=as_json)


@command(
    conflicts_app,
    "list",
    short_help="List conflict copies and notes with git conflict markers.",
    epilog="""
    coach conflicts list
    coach conflicts list --json
    """,
)
def conflicts_list(as_json: bool = JSON_OPT) -> None:
    """List the conflict copies in the notes folder, each with the note it copies and what
    differs, and the notes holding git conflict markers."""
    folder = _notes_folder()
    found = conflict_copies.find(folder)
    rows: list[tuple[Found, Comparison | None, str | None]] = []
    for item in found:
        try:
            rows.append((item, conflict_copies.load(folder, item).compare(), None))
        except CoachError as exc:
            rows.append((item, None, exc.message))
    if as_json:
        print_json(
            {
                "format": CONFLICTS_FORMAT,
                "conflicts": [_summary_json(item, c, problem) for item, c, problem in rows],
            }
        )
        return
    if not rows:
        console.info("No conflict copies and no git conflict markers in your notes.")
        return
    _print_list(rows)
    say_command("See what differs:", "coach conflicts show FILE")
    say_command("Merge it (or every one, --all):", "coach conflicts merge FILE")


@command(
    conflicts_app,
    "show",
    short_help="Show what differs between a note and its copy.",
    epilog="""
    coach conflicts show "nina_prep.sync-conflict-20261201-123456-ABCDEFG.md"
    coach conflicts show "2026-12-01_the-seagull_nina_callback-1_prep.md" --json
    """,
)
def conflicts_show(file: str = FILE_ARG, as_json: bool = JSON_OPT) -> None:
    """Show what differs between a note and its copy (or the two sides of a note with git
    conflict markers): answers question by question, the other front-matter keys, and
    the bodies as a diff."""
    folder = _notes_folder()
    chosen = conflict_copies.select(conflict_copies.find(folder), file)
    pairs = [conflict_copies.load(folder, item) for item in chosen]
    if as_json:
        print_json({"format": CONFLICTS_FORMAT, "conflicts": [_pair_json(pair) for pair in pairs]})
        return

    for number, pair in enumerate(pairs):
        if number:
            console.out().print()
        _show_pair(pair)


@command(
    conflicts_app,
    "merge",
    short_help="Merge a copy into its note (or every one with --all).",
    epilog="""
    coach conflicts merge "nina_prep (conflicted copy 2026-12-01).md"
    coach conflicts merge --all
    coach conflicts merge --all --keep mine
    """,
)
def conflicts_merge(
    file: Optional[str] = typer.Argument(
        None,
        metavar="[FILE]",
        help="A copy's file name, a note with git conflict markers, or a note with copies.",
        show_default=False,
    ),
    merge_all: bool = typer.Option(False, "--all", help="Merge every conflict in your notes."),
    keep: Optional[str] = typer.Option(
        None,
        "--keep",
        metavar="mine|theirs",
        help="Where an answer differs, keep this note's (mine: for git, the side of the "
        "branch you are on) or the copy's (theirs), without asking. Needed without a "
        "terminal.",
    ),
) -> None:
    """Merge a conflict copy into its note, or a note's git conflict markers away.

    Without FILE, merges the one conflict there is (with several: name one, or --all).
    Answers given on one side only are kept; answers that differ are asked one by one in
    the terminal (or settled by --keep). The outcome history and the follow-ups of both
    sides are kept; both bodies are kept where they differ, each part under a heading
    naming its side; an answer not kept is written at the end of the body. The merged
    note is written first and read back; only then is the copy removed.
    """
    side = _keep_option(keep)
    if file is not None and merge_all:
        raise UsageError("name one FILE or pass --all, not both (see coach conflicts merge --help)")
    folder = _notes_folder()
    found = conflict_copies.find(folder)
    if file is not None:
        targets = conflict_copies.select(found, file)
    elif merge_all or len(found) <= 1:
        targets = found
    else:
        raise UsageError(
            f"there are {len(found)} conflicts: name one FILE (see coach conflicts list) "
            "or pass --all to merge every one"
        )
    if not targets:
        console.info("No conflict copies and no git conflict markers in your notes.")
        return
    if side is None and not console.stdin_is_terminal():
        _check_no_choice_needed(folder, targets)
    failed: list[CoachError] = []
    for item in targets:
        try:
            pair = conflict_copies.load(folder, item)
            choose = _keep(side) if side is not None else _ask(pair)
            done = conflict_copies.resolve(folder, pair, choose)
        except CoachError as exc:
            if len(targets) == 1 or exc.exit_code in _STOPPING:
                raise
            console.error(exc.message)
            failed.append(exc)
            continue
        _report(item, done)
    if failed:
        console.error(f"{len(failed)} of {len(targets)} conflicts were not merged (see above)")
        raise typer.Exit(int(failed[0].exit_code))


# -- helpers ---------------------------------------------------------------------------------


# Errors that stop `merge --all` at once (the others are said, and the next is tried).
_STOPPING = (ExitCode.INTERRUPTED, ExitCode.NO_TERMINAL)


def _notes_folder() -> Path:
    return paths.notes_dir()


# The sides a choice keeps, by the word that names them.
_SIDES: dict[str, Side] = {"mine": "mine", "theirs": "theirs"}


def _keep_option(value: str | None) -> Side | None:
    if value is None:
        return None
    side = _SIDES.get(value.strip().lower())
    if side is None:
        raise UsageError(
            f"--keep must be mine or theirs, not {value!r} (see coach conflicts merge --help)"
        )
    return side


def _keep(side: Side) -> Choose:
    def choose(where: str, mine: object, theirs: object) -> Side:
        return side

    return choose


class _NeedsChoice(Exception):
    pass


def _check_no_choice_needed(folder: Path, targets: list[Found]) -> None:
    """Without a terminal and without --keep, stop before writing anything if any merge
    would have to ask (a merge that needs no choice goes ahead)."""

    def refuse(where: str, mine: object, theirs: object) -> Side:
        raise _NeedsChoice(where)

    for item in targets:
        try:
            conflict_copies.merge(conflict_copies.load(folder, item), refuse)
        except _NeedsChoice:
            raise NoTerminalError(
                "coach conflicts merge asks which answer to keep where the two sides "
                "differ, but standard input is not a terminal: pass --keep mine or "
                "--keep theirs"
            ) from None
        except CoachError:
            continue  # said when that merge is tried


def _ask(pair: Pair) -> Choose:
    """Ask in the terminal which side to keep, for each value that differs."""
    asking: tuple[QuestionaryAsker, Console] | None = None  # once the first choice is asked

    def choose(where: str, mine: object, theirs: object) -> Side:
        nonlocal asking
        from rich.table import Table  # Rich: only when a choice is asked

        from callback_coach.cli.render import shown  # (Rich)

        if asking is None:
            asking = QuestionaryAsker(), console.terminal()
            asking[1].print(
                shown(f"{pair.found.file}: the two sides differ.", "heading"), soft_wrap=True
            )
        asker, terminal = asking
        terminal.print(shown(f"{where}:", "bold"), soft_wrap=True)
        table = Table(show_header=False, box=None, padding=(0, 1))
        table.add_column("side", style="muted")
        table.add_column("value", style="answer", overflow="fold")
        table.add_row(shown(f"{pair.mine_short}:"), shown(_value_text(mine)))
        table.add_row(shown(f"{pair.theirs_short}:"), shown(_value_text(theirs)))
        terminal.print(table)
        options = [
            ("mine", f"{pair.mine_short}'s: {_short(mine)}"),
            ("theirs", f"{pair.theirs_short}'s: {_short(theirs)}"),
        ]
        try:
            return _SIDES[asker.choose(f"Which {where} do you keep?", options)]
        except (KeyboardInterrupt, EOFError):
            raise Interrupted(f"Stopped; nothing was written for {pair.found.file}.") from None

    return choose


def _value_text(value: object) -> str:
    if value is ABSENT:
        return "(none)"
    if isinstance(value, (dict, list)) and not all(isinstance(v, str) for v in value):
        return dump(value).rstrip("\n")
    return format_answer(value) or "(blank)"


def _short(value: object, width: int = 40) -> str:
    text = " ".join(_value_text(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _report(item: Found, done: Resolved) -> None:
    if item.is_git:
        console.info(
            f"Merged the git conflict in {item.file}; mark it resolved: git add notes/{item.file}"
        )
    elif done.kept_copy:
        console.warn(
            f"merged {item.file} into {done.path.name}, but the copy changed meanwhile and "
            "is kept: run coach conflicts merge again"
        )
    elif not item.note_exists:
        console.info(f"{done.path.name} was gone: its copy {item.file} takes its place.")
    else:
        console.info(f"Merged {item.file} into {done.path.name}; the copy is removed.")
    console.data(str(done.path))


def _plain(value: object) -> Json:
    return json_safe(value)


def _summary(comparison: Comparison | None, problem: str | None, *, git: bool) -> str:
    """What differs, in a few words."""
    if comparison is None:
        return f"cannot be read: {problem}"
    counts = comparison.counts()
    parts = []
    if counts["differ"]:
        parts.append(
            f"{counts['differ']} answer{'s differ' if counts['differ'] != 1 else ' differs'}"
        )
    mine, theirs = ("this side", "the other side") if git else ("the note", "the copy")
    if counts["only mine"]:
        parts.append(f"{counts['only mine']} only in {mine}")
    if counts["only theirs"]:
        parts.append(f"{counts['only theirs']} only in {theirs}")
    keys = [d.where for d in comparison.differing_keys]
    if keys:
        parts.append(", ".join(keys))
    if comparison.body_diff:
        parts.append("the body")
    return "; ".join(parts) if parts else "the same"


def _print_list(rows: list[tuple[Found, Comparison | None, Optional[str]]]) -> None:
    """Each note, then each of its conflicts and what differs (names are never cut: a
    long one wraps as the terminal wraps it)."""
    from callback_coach.cli.render import shown  # Rich

    out = console.out()
    note = None
    for item, comparison, problem in rows:
        if item.note != note:
            note = item.note
            gone = "" if item.note_exists else "  (gone)"
            out.print(shown(f"{item.note}{gone}", "bold"), soft_wrap=True)
        where = "git conflict markers inside" if item.is_git else f"{item.scheme} copy: {item.file}"
        out.print(shown(f"  {where}"), soft_wrap=True)
        out.print(
            shown(f"    {_summary(comparison, problem, git=item.is_git)}", "muted"), soft_wrap=True
        )


def _difference_json(difference: Difference) -> dict[str, Json]:
    data: dict[str, Json] = {"where": difference.where, "status": difference.status}
    if difference.mine is not ABSENT:
        data["mine"] = _plain(difference.mine)
    if difference.theirs is not ABSENT:
        data["theirs"] = _plain(difference.theirs)
    data["automatic"] = difference.automatic
    return data


def _summary_json(
    item: Found, comparison: Comparison | None, problem: str | None
) -> dict[str, Json]:
    data: dict[str, Json] = {
        "file": item.file,
        "note": item.note,
        "scheme": item.scheme,
        "note_exists": item.note_exists,
        "problem": problem,
    }
    if comparison is not None:
        data["answers"] = comparison.counts()
        data["keys"] = [d.where for d in comparison.differing_keys]
        data["body_differs"] = bool(comparison.body_diff)
    return data


def _pair_json(pair: Pair) -> dict[str, Json]:
    comparison = pair.compare()
    item = pair.found
    return {
        "file": item.file,
        "note": item.note,
        "scheme": item.scheme,
        "note_exists": item.note_exists,
        "mine": pair.mine_label,
        "theirs": pair.theirs_label,
        "answers": [_difference_json(d) for d in comparison.answers],
        "keys": [_difference_json(d) for d in comparison.keys],
        "body_diff": comparison.body_diff,
    }


def _show_pair(pair: Pair) -> None:
    """A conflict as text: every line printed whole (`soft_wrap`), so a file name, a key
    or a value is never broken mid-word; a long one folds as the terminal folds it."""
    from rich.text import Text  # Rich

    from callback_coach.cli.render import shown  # (Rich)

    out = console.out()
    item = pair.found
    comparison = pair.compare()
    if item.is_git:
        out.print(shown(f"{item.file}: git conflict markers", "title"), soft_wrap=True)
    else:
        gone = "" if item.note_exists else " (the note is gone)"
        title = f"{item.file}: {item.scheme} copy of {item.note}{gone}"
        out.print(shown(title, "title"), soft_wrap=True)
    counts = comparison.counts()
    out.print(
        shown(
            f"Answers: {counts['same']} the same, {counts['differ']} differ, "
            f"{counts['only mine']} only in {pair.mine_short}, "
            f"{counts['only theirs']} only in {pair.theirs_short}",
            "heading",
        ),
        soft_wrap=True,
    )
    changed = [d for d in comparison.answers if d.status != "same"]
    width = max(len(pair.mine_short), len(pair.theirs_short)) + 1
    for difference in [*changed, *comparison.differing_keys]:
        where = difference.where + (" (merged)" if difference.automatic else "")
        out.print(shown(where, "bold"), soft_wrap=True)
        for side, value in (
            (pair.mine_short, difference.mine),
            (pair.theirs_short, difference.theirs),
        ):
            out.print(_side_line(f"{side}:", width, value), soft_wrap=True)
    if comparison.body_diff:
        out.print(shown("Body:", "heading"), soft_wrap=True)
        for line in comparison.body_diff:
            out.print(Text(console.visible(line)), soft_wrap=True)
    elif comparison.same:
        out.print(shown("The two sides hold the same note.", "muted"))
    else:
        out.print(shown("The bodies are the same.", "muted"))


def _side_line(label: str, width: int, value: object) -> "Text":
    """`  this note: value`, a value of several lines aligned under its first."""
    from callback_coach.cli.render import shown  # Rich

    prefix = f"  {label:<{width}} "
    text = shown(prefix, "muted")
    text.append_text(shown(_value_text(value).replace("\n", "\n" + " " * len(prefix)), "answer"))
    return text
