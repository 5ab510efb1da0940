"""Exports: notes and checklists as Markdown, JSON, YAML and CSV, and writing them out.

Every function here is pure except `write_output`. The same notes always give the same
bytes (stable order, stable keys, no export time), so exports diff well in git.
"""

from __future__ import annotations

import csv
import io
import json
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from callback_coach import fileio, json_shapes
from callback_coach.checklist import Catalogue, Checklist
from callback_coach.errors import ExistsError, NotFoundError, UsageError
from callback_coach.json_shapes import answered, checklist_title, question_prompt
from callback_coach.notes import Note, dump_yaml
from callback_coach.render import format_answer, own_text
from callback_coach.rounds import round_rank
from callback_coach.slugs import fold

NOTE_FORMATS = ("md", "json", "yaml", "csv")
CHECKLIST_FORMATS = ("md", "json", "yaml")
CSV_COLUMNS = (
    "role",
    "project",
    "round",
    "kind",
    "date",
    "checklist",
    "question_id",
    "question",
    "answer",
)
KIND_ORDER = {"prep": 0, "drill": 1, "review": 2}
# A spreadsheet runs a cell starting with one of these as a formula (or strips it).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class NoteFilter:
    """Which notes an export takes; None means any."""

    role: str | None = None
    project: str | None = None
    round: str | None = None
    kind: str | None = None
    outcome: str | None = None
    since: str | None = None
    until: str | None = None

    def matches(self, note: Note) -> bool:
        if self.role is not None and fold(note.role) != fold(self.role):
            return False
        if self.project is not None and fold(note.project) != fold(self.project):
            return False
        if self.round is not None and note.round != self.round:
            return False
        if self.kind is not None and note.kind != self.kind:
            return False
        if self.outcome is not None and (note.outcome or "pending") != self.outcome:
            return False
        if self.since is not None and note.date < self.since:
            return False
        return not (self.until is not None and note.date > self.until)


def note_order(note: Note) -> tuple:
    """Stable export order: role, project, round, prep then drill then review, then date."""
    return (
        fold(note.role),
        fold(note.project),
        round_rank(note.round),
        note.round,
        KIND_ORDER.get(note.kind, len(KIND_ORDER)),
        note.date,
        note.created,
        note.path.name if note.path else "",
    )


# -- notes -----------------------------------------------------------------------------


def notes_json(notes: list[Note], catalogue: Catalogue) -> str:
    """The notes as one JSON document (json_shapes.notes_json; schemas/notes-export)."""
    data = json_shapes.notes_json(notes, catalogue)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def notes_yaml(notes: list[Note], catalogue: Catalogue) -> str:
    """The same document as `notes_json`, as YAML."""
    return dump_yaml(json_shapes.notes_json(notes, catalogue))


def inert(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading apostrophe before anything that
    would start a formula (and before a leading apostrophe, so `restore` is exact)."""
    return "'" + cell if cell.startswith((*FORMULA_STARTS, "'")) else cell


def restore(cell: str) -> str:
    """The text `inert` was given."""
    return cell[1:] if cell.startswith("'") else cell


def notes_csv(notes: list[Note], catalogue: Catalogue) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for note in notes:
        for cid, answers in note.answers.items():
            checklist = catalogue.get(cid)
            for qid, value in answered(answers):
                row = [
                    note.role,
                    note.project,
                    note.round,
                    note.kind,
                    note.date,
                    cid,
                    qid,
                    question_prompt(checklist, qid, cid),
                    format_answer(value),
                ]
                writer.writerow([inert(cell) for cell in row])
    return buffer.getvalue()


def quote_block(text: str) -> str:
    """Text as a Markdown block quote: every line kept, none read as Markdown structure."""
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def note_markdown(note: Note, catalogue: Catalogue) -> str:
    """A clean printable document: a title, a heading per checklist, each question
    followed by its answer (answers are block quotes, so they print as written)."""
    title = " — ".join(part for part in (note.role, note.project) if part)
    detail = " · ".join(part for part in (note.round, note.kind, note.date) if part)
    if note.outcome:
        detail += f" · outcome: {note.outcome}"
    lines = [f"# {_md_inline(title)}", "", f"*{_md_inline(detail)}*", ""]
    for cid, answers in note.answers.items():
        shown = answered(answers)
        if not shown:
            continue
        checklist = catalogue.get(cid)
        title = checklist_title(checklist, cid)
        lines += [f"## {_md_inline(title)}", ""]
        for qid, value in shown:
            lines += [
                f"**{_md_inline(question_prompt(checklist, qid, cid))}**",
                "",
                quote_block(format_answer(value)),
                "",
            ]
    mine = own_text(note.body)
    if mine:
        lines += ["## Your notes", "", quote_block(mine), ""]
    return "\n".join(lines)


def _md_inline(text: str) -> str:
    """Escape the characters that would change how a line of Markdown reads."""
    out = []
    for ch in text:
        if ch in "\\`*_[]<>#|":
            out.append("\\" + ch)
        elif ch in "\r\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def notes_markdown(notes: list[Note], catalogue: Catalogue) -> str:
    return "\n---\n\n".join(note_markdown(n, catalogue) for n in notes)


NOTE_RENDERERS = {"md": notes_markdown, "json": notes_json, "yaml": notes_yaml, "csv": notes_csv}


# -- checklists ------------------------------------------------------------------------


def checklists_json(checklists: list[Checklist]) -> str:
    data = json_shapes.checklists_json(checklists)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def checklists_yaml(checklists: list[Checklist]) -> str:
    """Checklist files, one YAML document each: a single one loads back unchanged."""
    return "---\n".join(dump_yaml(c.to_dict()) for c in checklists)


def checklist_markdown(checklist: Checklist) -> str:
    """A printable worksheet with room to write."""
    lines = [f"# {_md_inline(checklist.title)}", ""]
    if checklist.intro:
        lines += [f"*{_md_inline(checklist.intro)}*", ""]
    for number, q in enumerate(checklist.questions, start=1):
        lines += [f"**{number}. {_md_inline(q.prompt)}**", ""]
        if q.help:
            lines += [f"*{_md_inline(q.help)}*", ""]
        if q.type in ("select", "multiselect"):
            lines += [f"- [ ] {_md_inline(choice)}" for choice in q.choices] + [""]
        elif q.type == "confirm":
            lines += ["- [ ] yes", "- [ ] no", ""]
        elif q.type == "scale":
            low, high = q.min or 1, q.max or 5
            lines += ["  ".join(f"( ) {n}" for n in range(low, high + 1)), ""]
        else:
            # A line of underscores is a Markdown rule: a line to write on, raw or rendered.
            rows = 4 if q.type == "long_text" else 1
            for _ in range(rows):
                lines += ["_" * 60, ""]
    return "\n".join(lines)


def checklists_markdown(checklists: list[Checklist]) -> str:
    return "\n---\n\n".join(checklist_markdown(c) for c in checklists)


CHECKLIST_RENDERERS = {"md": checklists_markdown, "json": checklists_json, "yaml": checklists_yaml}


# -- writing ---------------------------------------------------------------------------


def check_format(fmt: str, allowed: tuple[str, ...]) -> str:
    value = fmt.strip().lower()
    if value == "markdown":
        value = "md"
    if value == "yml":
        value = "yaml"
    if value not in allowed:
        raise UsageError(f"format {fmt!r} is not one of: {', '.join(allowed)}")
    return value


# Names that mean "standard output" for --output (a script may spell it either way).
STDOUT_NAMES = ("-", "/dev/stdout")


def is_folder_target(output: str) -> bool:
    return output.endswith(("/", "\\")) or Path(output).expanduser().is_dir()


def write_output(
    output: str | None,
    whole: Callable[[], str],
    parts: Callable[[], Iterable[tuple[str, str]]],
    *,
    force: bool = False,
) -> list[Path]:
    """Write `whole()` to stdout (no `output`, `-` or `/dev/stdout`) or to one file; or, for
    an output ending in `/` (or an existing folder), each (file name, text) of `parts()` to
    its own file. Only the one that is written is rendered.

    Every target is checked before anything is written: an existing file (or symlink,
    dangling or not) is an error unless `force`, and then the file or the link itself is
    replaced, never what a link points to. A device, a pipe, a socket or a folder (or a
    link to one) is never replaced, even with `force` (UsageError, exit 2).
    """
    if output is None or output in STDOUT_NAMES:
        _write_stdout(whole())
        return []
    if not output:
        raise UsageError("--output is empty: give a file, a folder ending in /, or - for stdout")
    if is_folder_target(output):
        folder = Path(output).expanduser()
        targets = [(folder / name, text) for name, text in parts()]
    else:
        path = Path(output).expanduser()
        if not path.parent.is_dir():
            raise NotFoundError(f"the folder for {path} does not exist")
        targets = [(path, whole())]
    existing = [str(path) for path, _ in targets if _existing(path)]
    if existing and not force:
        raise ExistsError(
            f"{len(existing)} file(s) already exist; nothing was written (use --force to replace)",
            details=existing,
        )
    written = []
    for path, text in targets:
        fileio.atomic_write(path, text)
        written.append(path)
    return written


def _write_stdout(text: str) -> None:
    stream = getattr(sys.stdout, "buffer", None)
    if stream is not None:
        sys.stdout.flush()
        stream.write(text.encode("utf-8"))
        stream.flush()
    else:
        sys.stdout.write(text)


def _existing(path: Path) -> bool:
    """True when something a write would replace is at `path` (a regular file, or a
    symlink to one or to nothing); UsageError when it is anything the coach never
    replaces with a file."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise fileio.storage_error(exc, path, "write") from None
    if stat.S_ISLNK(info.st_mode):
        try:
            info = path.stat()
        except OSError:
            return True  # a dangling link (or a loop): only the link would be replaced
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return True
    if stat.S_ISDIR(mode):
        kind = "a folder"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISFIFO(mode):
        kind = "a pipe"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "not a regular file"
    raise UsageError(f"--output {path} is {kind}; the coach only writes regular files")
