"""Exports: notes and checklists as Markdown, JSON, YAML and CSV, and writing them out.

Every function here is pure except `write_output`. The same notes always give the same
bytes (stable order, stable keys, no export time), so exports diff well in git.

A note's export JSON and YAML is `json_shapes.note_json` (format 2, schemas/notes-export).
Notes are rendered one at a time (`note_chunks`): an export of any size is written as it
is made, and memory stays flat. JSON is made with the C string encoder in the documented
layout (the text `json.dumps(..., indent=2)` gives for the whole document). YAML is
`yamlio.dump`'s text for the whole document, written a note at a time: by libyaml's
emitter where it gives the same bytes as PyYAML's own (tests/test_emitters.py compares
them on random notes), else by PyYAML's.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from callback_coach.core.answers import format_answer
from callback_coach.core.checklist import Catalogue, Checklist
from callback_coach.errors import ExistsError, NotFoundError, UsageError
from callback_coach.exports import json_shapes
from callback_coach.exports.json_shapes import NOTES_FORMAT, answered
from callback_coach.exports.notewriter import NoteWriter
from callback_coach.store import fileio, yamlio
from callback_coach.store.labels import round_rank
from callback_coach.store.notes import Note, dump_yaml, own_text
from callback_coach.store.slugs import fold
from callback_coach.store.yamlio import has_yaml_line_break

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
# What an export writes: one text, or its pieces in order.
Text = str | Iterable[str]


@dataclass
class NoteFilter:
    """Which notes an export takes; None means any (`NoteIndex.ordered_files` applies it
    in SQL, in the stable export order of `note_order`)."""

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


def note_order(note: Note) -> tuple[Any, ...]:
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


class Prompts(json_shapes.Prompts):
    """Checklist titles and question prompts looked up once per export, their Markdown
    forms, and the writer that keeps their encoded forms (`notewriter.NoteWriter`)."""

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        self._md: dict[tuple[str, str | None], str] = {}
        self.writer = NoteWriter(self)

    def md_title(self, cid: str) -> str:
        """The Markdown heading of a checklist."""
        key = (cid, None)
        found = self._md.get(key)
        if found is None:
            found = self._md[key] = f"## {_md_inline(self.title(cid))}"
        return found

    def md_prompt(self, cid: str, qid: str) -> str:
        """A question's prompt in bold, as a Markdown line."""
        key = (cid, qid)
        found = self._md.get(key)
        if found is None:
            found = self._md[key] = f"**{_md_inline(self.prompt(cid, qid))}**"
        return found

    def have_yaml_line_break(self) -> bool:
        """Whether any checklist title or prompt holds a character YAML reads as a line
        break (then every note's export data must be checked for one)."""
        return has_yaml_line_break(
            [c.title for c in self.catalogue.checklists]
            + [q.prompt for c in self.catalogue.checklists for q in c.questions]
        )


def _prompts(catalogue: Catalogue | Prompts) -> Prompts:
    return catalogue if isinstance(catalogue, Prompts) else Prompts(catalogue)


def note_document(note: Note, catalogue: Catalogue | Prompts) -> dict[str, Any]:
    """A note as export data: `json_shapes.note_json` (the same as `show --json`)."""
    return json_shapes.note_json(note, _prompts(catalogue))


def note_json(note: Note, prompts: Catalogue | Prompts) -> str:
    """`note_document(note)` as its export JSON, indented as one of the notes list: the
    same text `json.dumps(..., indent=2)` writes there (`notewriter`)."""
    return _prompts(prompts).writer.note_json_text(note)


def json_chunks(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> Iterator[str]:
    prompts = _prompts(catalogue)
    return json_document(prompts.writer.note_json_text(note) for note in notes)


def json_document(pieces: Iterable[str]) -> Iterator[str]:
    """The JSON export around its notes' pieces (`note_json`), in order."""
    yield '{\n  "format": ' + str(NOTES_FORMAT) + ',\n  "notes": ['
    separator = "\n    "
    for piece in pieces:
        yield separator + piece
        separator = ",\n    "
    yield "]\n}\n" if separator == "\n    " else "\n  ]\n}\n"


def notes_json(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> str:
    """The notes as one JSON document (json_shapes.notes_json; schemas/notes-export)."""
    return "".join(json_chunks(notes, catalogue))


# YAML: libyaml's emitter is about ten times faster than the pure-Python one. The two agree
# on our data except where `c_emitter_safe` says no; that note is written by the pure one.


_PureDumper = yamlio.dumper()
_CDumper: type[Any] | None = None
if hasattr(yaml, "CSafeDumper"):

    class _CSafeDumper(yaml.CSafeDumper):
        """libyaml's emitter with `yamlio.dumper()`'s representation of text."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

    _CSafeDumper.add_representer(str, yamlio.represent_str)
    _CDumper = _CSafeDumper


# Where libyaml's emitter and PyYAML's agree (tests/test_exports.py compares them on
# random data): text of printable characters below U+10000 and line feeds, not ending in
# a blank line (a kept "|+" block, after which they disagree on writing "..."), and mapping
# keys of 1 to 127 such characters with no line feed. Anything else: the pure emitter.
@functools.cache
def _yaml_unsafe() -> re.Pattern[str]:
    """(Compiled when first needed: a class this wide takes ~5 ms.)"""
    return re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]|\n\n\\Z|\\A\n\\Z")


def c_emitter_safe(value: Any) -> bool:
    """True when libyaml's emitter writes `value` in the same bytes as PyYAML's."""
    kind = type(value)
    if kind is str:
        return _yaml_unsafe().search(value) is None
    if kind is dict:
        return all(
            type(k) is str
            and 0 < len(k) < 128
            and "\n" not in k
            and _yaml_unsafe().search(k) is None
            and c_emitter_safe(v)
            for k, v in value.items()
        )
    if kind is list:
        return all(c_emitter_safe(v) for v in value)
    return kind in (int, float, bool) or value is None


def yaml_text(
    data: Any, *, allow_unicode: bool, emitter: str = "fast", checked: bool = False
) -> str:
    """`data` as the same YAML `yamlio.dump` writes (given its Unicode choice): with
    libyaml's emitter when `emitter` is "fast" and the data is safe for it (`checked`
    says the caller knows it is), else PyYAML's."""
    fast = emitter == "fast" and _CDumper is not None and allow_unicode
    if fast and not checked:
        fast = c_emitter_safe(data)
    text: str = yaml.dump(
        data,
        Dumper=_CDumper if fast else _PureDumper,
        sort_keys=False,
        allow_unicode=allow_unicode,
        width=2**31 - 1,
        default_flow_style=False,
    )
    return text


def yaml_chunks(
    notes: Iterable[Note], catalogue: Catalogue | Prompts, *, allow_unicode: bool = True
) -> Iterator[str]:
    """The YAML export, a note at a time. `allow_unicode` must be False when any exported
    text holds a character YAML reads as a line break (see `has_yaml_line_break`)."""
    prompts = _prompts(catalogue)
    return yaml_document(note_yaml(note, prompts, allow_unicode=allow_unicode) for note in notes)


def note_yaml(note: Note, prompts: Prompts, *, allow_unicode: bool = True) -> str:
    """A note as one item of the YAML export's list (by the direct writer when it can)."""
    text = prompts.writer.note_yaml_text(note) if allow_unicode else None
    if text is None:
        text = yaml_text([note_document(note, prompts)], allow_unicode=allow_unicode)
    return text


def yaml_document(pieces: Iterable[str]) -> Iterator[str]:
    """The YAML export around its notes' pieces (`note_yaml`), in order."""
    head = f"format: {NOTES_FORMAT}\n"
    held: str | None = None
    for piece in pieces:
        if head:
            yield head + "notes:\n"
            head = ""
        if held is not None:
            # A note ending in a kept-newlines block ("|+") closes its own little document
            # with "..."; inside the whole document that marker only comes at the very end.
            yield held.removesuffix("\n...\n") + "\n" if held.endswith("\n...\n") else held
        held = piece
    if held is not None:
        yield held
    if head:
        yield head + "notes: []\n"


def notes_yaml(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> str:
    """The same document as `notes_json`, as YAML (`yamlio.dump`'s text)."""
    notes = list(notes)
    prompts = _prompts(catalogue)
    documents = [note_document(n, prompts) for n in notes]
    return "".join(yaml_chunks(notes, prompts, allow_unicode=not has_yaml_line_break(documents)))


def inert(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading apostrophe before anything that
    would start a formula (and before a leading apostrophe, so removing one is exact)."""
    return "'" + cell if cell.startswith((*FORMULA_STARTS, "'")) else cell


def csv_chunks(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> Iterator[str]:
    prompts = _prompts(catalogue)
    return csv_document(note_csv(note, prompts) for note in notes)


def csv_document(pieces: Iterable[str]) -> Iterator[str]:
    """The CSV export: its header, then its notes' rows (`note_csv`), in order."""
    yield ",".join(CSV_COLUMNS) + "\r\n"  # plain words: no quoting needed
    yield from pieces


def note_csv(note: Note, prompts: Prompts) -> str:
    """The CSV rows of one note: one per answer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    role, project, round_label, kind, date = (
        note.role,
        note.project,
        note.round,
        note.kind,
        note.date,
    )
    for cid, answers in note.answers.items():
        for qid, value in answered(answers):
            row = [
                role,
                project,
                round_label,
                kind,
                date,
                cid,
                qid,
                prompts.prompt(cid, qid),
                format_answer(value),
            ]
            writer.writerow([inert(cell) if type(cell) is str else cell for cell in row])
    return buffer.getvalue()


def notes_csv(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> str:
    return "".join(csv_chunks(notes, catalogue))


def quote_block(text: str) -> str:
    """Text as a Markdown block quote: every line kept, none read as Markdown structure
    (an empty line is a bare ">")."""
    if "\n" not in text:
        return "> " + text if text else ">"
    return _EMPTY_QUOTED_LINE.sub(">", "> " + text.replace("\n", "\n> "))


_EMPTY_QUOTED_LINE = re.compile("^> $", re.MULTILINE)


def note_markdown(note: Note, catalogue: Catalogue | Prompts) -> str:
    """A clean printable document: a title, a heading per checklist, each question
    followed by its answer (answers are block quotes, so they print as written)."""
    prompts = _prompts(catalogue)
    title = " — ".join(part for part in (note.role, note.project) if part)
    detail = " · ".join(part for part in (note.round, note.kind, note.date) if part)
    if note.outcome:
        detail += f" · outcome: {note.outcome}"
    lines = [f"# {_md_inline(title)}", "", f"*{_md_inline(detail)}*", ""]
    for cid, answers in note.answers.items():
        shown = [(qid, format_answer(value)) for qid, value in answered(answers)]
        if not shown:
            continue
        lines += [prompts.md_title(cid), ""]
        for qid, text in shown:
            lines += [prompts.md_prompt(cid, qid), "", quote_block(text), ""]
    mine = own_text(note.body)
    if mine:
        lines += ["## Your notes", "", quote_block(mine), ""]
    return "\n".join(lines)


_MD_ESCAPES = str.maketrans({**{ch: "\\" + ch for ch in "\\`*_[]<>#|"}, "\r": " ", "\n": " "})


def _md_inline(text: str) -> str:
    """Escape the characters that would change how a line of Markdown reads."""
    return text.translate(_MD_ESCAPES)


def markdown_chunks(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> Iterator[str]:
    prompts = _prompts(catalogue)
    return markdown_document(note_markdown(note, prompts) for note in notes)


def markdown_document(pieces: Iterable[str]) -> Iterator[str]:
    """The Markdown export: its notes' pieces (`note_markdown`) between rules, in order."""
    separator = ""
    for piece in pieces:
        yield separator + piece
        separator = "\n---\n\n"


def notes_markdown(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> str:
    return "".join(markdown_chunks(notes, catalogue))


NOTE_RENDERERS: dict[str, Callable[[Iterable[Note], Catalogue | Prompts], str]] = {
    "md": notes_markdown,
    "json": notes_json,
    "yaml": notes_yaml,
    "csv": notes_csv,
}


def note_chunks(
    fmt: str,
    notes: Iterable[Note],
    catalogue: Catalogue | Prompts,
    *,
    yaml_escapes: bool = False,
) -> Iterator[str]:
    """An export of many notes in `fmt`, piece by piece, equal to NOTE_RENDERERS[fmt].
    For YAML, `yaml_escapes` must be `needs_yaml_escapes(...)` of the same notes."""
    prompts = _prompts(catalogue)
    return document(fmt, (note_piece(fmt, note, prompts, yaml_escapes) for note in notes))


def note_piece(fmt: str, note: Note, prompts: Prompts, yaml_escapes: bool = False) -> str:
    """One note's part of an export in `fmt` (what `document` puts together)."""
    if fmt == "json":
        return prompts.writer.note_json_text(note)
    if fmt == "yaml":
        return note_yaml(note, prompts, allow_unicode=not yaml_escapes)
    if fmt == "csv":
        return note_csv(note, prompts)
    return note_markdown(note, prompts)


def document(fmt: str, pieces: Iterable[str]) -> Iterator[str]:
    """The export in `fmt` of the notes whose pieces (`note_piece`) come in order."""
    if fmt == "json":
        return json_document(pieces)
    if fmt == "yaml":
        return yaml_document(pieces)
    if fmt == "csv":
        return csv_document(pieces)
    return markdown_document(pieces)


def needs_yaml_escapes(suspects: Iterable[Note], catalogue: Catalogue | Prompts) -> bool:
    """Whether the YAML export of some notes escapes all non-ASCII text: when the export
    data of one of them holds a character YAML reads as a line break. `suspects` are the
    exported notes that may hold one (all of them, if a checklist text does)."""
    prompts = _prompts(catalogue)
    return any(has_yaml_line_break(note_document(note, prompts)) for note in suspects)


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
    numbers = {q.id: n for n, q in enumerate(checklist.questions, start=1)}
    for number, q in enumerate(checklist.questions, start=1):
        lines += [f"**{number}. {_md_inline(q.prompt)}**", ""]
        if q.when:
            key, test, value = q.when
            verb = "is" if test == "=" else "is not"
            # On paper, a question of this sheet is named by its number.
            what = f"your answer to question {numbers[key]}" if key in numbers else key
            lines += [f"*Only when {_md_inline(what)} {verb} {_md_inline(value)}.*", ""]
        if q.first_prompt:
            lines += [f"*Before a first callback: {_md_inline(q.first_prompt)}*", ""]
        if q.help:
            lines += [f"*{_md_inline(q.help)}*", ""]
        # Ticks, marks, a scale to circle, or lines to write on (a line of underscores is
        # a Markdown rule: a line to write on, raw or rendered).
        lines += q.kind.worksheet(q, _md_inline)
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
    whole: Callable[[], Text],
    parts: Callable[[], Iterable[tuple[str, Text | Callable[[], Text]]]],
    *,
    force: bool = False,
) -> list[Path]:
    """Write `whole()` to stdout (no `output`, `-` or `/dev/stdout`) or to one file; or, for
    an output ending in `/` (or an existing folder), each (file name, render) of `parts()`
    to its own file (a part is its text, or a function making it). Only the one that is
    written is rendered, piece by piece as it is written.

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

        def targets() -> Iterator[tuple[Path, Text | Callable[[], Text]]]:
            # Gone through twice (check, then write), so that no list of every file is held.
            return ((folder / name, render) for name, render in parts())
    else:
        path = Path(output).expanduser()
        if not path.parent.is_dir():
            raise NotFoundError(f"the folder for {path} does not exist")

        def targets() -> Iterator[tuple[Path, Text | Callable[[], Text]]]:
            return iter([(path, whole)])

    _check_not_coach_data(folder if is_folder_target(output) else path.parent)
    existing = [str(p) for p, _ in targets() if _existing(p)]
    if existing and not force:
        shown = existing[:LISTED_AT_MOST]
        if len(existing) > len(shown):
            shown.append(f"… and {len(existing) - len(shown)} more")
        raise ExistsError(
            f"{len(existing)} file(s) already exist; nothing was written (use --force to replace)",
            details=shown,
        )
    written = []
    swept: set[Path] = set()
    for path, render in targets():
        text = render() if callable(render) else render
        fileio.atomic_write_chunks(path, _encoded(text), sweep=path.parent not in swept)
        swept.add(path.parent)
        written.append(path)
    return written


# An error about files that exist names this many of them, then how many more.
LISTED_AT_MOST = 10
# Pieces are written in blocks of about this many characters: a few large writes instead
# of one per note.
WRITE_BLOCK = 1 << 20


def _check_not_coach_data(folder: Path) -> None:
    """UsageError when `folder` is (or is inside) the notes or drafts folder of the coach
    home: an export written there could replace the notes it was made from."""
    from callback_coach.store import paths

    home = paths.coach_home()
    target = Path(os.path.realpath(folder))
    for kept, what in ((paths.notes_dir(home), "notes"), (paths.drafts_dir(home), "drafts")):
        if target == Path(os.path.realpath(kept)) or target.is_relative_to(os.path.realpath(kept)):
            raise UsageError(
                f"--output {folder} is in the coach's {what} folder; an export is never "
                "written there (it could replace your notes): choose another folder"
            )


def _encoded(text: Text) -> Iterator[bytes]:
    if isinstance(text, str):
        yield text.encode("utf-8")
        return
    block: list[str] = []
    size = 0
    for chunk in text:
        block.append(chunk)
        size += len(chunk)
        if size >= WRITE_BLOCK:
            yield "".join(block).encode("utf-8")
            block, size = [], 0
    if block:
        yield "".join(block).encode("utf-8")


def _write_stdout(text: Text) -> None:
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a replaced sys.stdout (tests): text only
        for chunk in [text] if isinstance(text, str) else text:
            sys.stdout.write(chunk)
        return
    sys.stdout.flush()
    for data in _encoded(text):
        stream.write(data)
    stream.flush()


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
