"""The YAML export: the same document as the JSON export, as `yamldump.dump`'s text for
the whole document, written a note at a time: by libyaml's emitter where it gives the same
bytes as PyYAML's own (tests/test_emitters.py compares them on random notes), else by
PyYAML's."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

import yaml

from callback_coach.core.checklist import Catalogue, Checklist
from callback_coach.exports.format import NoteFormat, Prompts, as_prompts, note_document
from callback_coach.exports.json_shapes import NOTES_FORMAT
from callback_coach.store import yamldump
from callback_coach.store.notes import Note, dump_yaml
from callback_coach.store.yamldump import has_yaml_line_break


class Yaml(NoteFormat):
    name = "yaml"

    def piece(self, note: Note, prompts: Prompts, *, yaml_escapes: bool = False) -> str:
        return note_yaml(note, prompts, allow_unicode=not yaml_escapes)

    def document(self, pieces: Iterable[str]) -> Iterator[str]:
        return yaml_document(pieces)

    def checklists(self, checklists: list[Checklist]) -> str:
        return checklists_yaml(checklists)

    def notes(self, notes: Iterable[Note], catalogue: Catalogue | Prompts) -> str:
        return notes_yaml(notes, catalogue)


# YAML: libyaml's emitter is about ten times faster than the pure-Python one. The two agree
# on our data except where `c_emitter_safe` says no; that note is written by the pure one.


_PureDumper = yamldump.dumper()
_CDumper: type[yaml.CSafeDumper] | None = None
if hasattr(yaml, "CSafeDumper"):

    class _CSafeDumper(yaml.CSafeDumper):
        """libyaml's emitter with `yamldump.dumper()`'s representation of text."""

        def ignore_aliases(self, data: object) -> bool:
            return True

    _CSafeDumper.add_representer(str, yamldump.represent_str)
    _CDumper = _CSafeDumper


# Where libyaml's emitter and PyYAML's agree (tests/test_exports.py compares them on
# random data): text of printable characters below U+10000 and line feeds, not ending in
# a blank line (a kept "|+" block, after which they disagree on writing "..."), and mapping
# keys of 1 to 127 such characters with no line feed. Anything else: the pure emitter.
@functools.cache
def _yaml_unsafe() -> re.Pattern[str]:
    """(Compiled when first needed: a class this wide takes ~5 ms.)"""
    return re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]|\n\n\\Z|\\A\n\\Z")


def c_emitter_safe(value: object) -> bool:
    """True when libyaml's emitter writes `value` in the same bytes as PyYAML's."""
    if type(value) is str:
        return _yaml_unsafe().search(value) is None
    if type(value) is dict:
        return all(
            type(k) is str
            and 0 < len(k) < 128
            and "\n" not in k
            and _yaml_unsafe().search(k) is None
            and c_emitter_safe(v)
            for k, v in value.items()
        )
    if type(value) is list:
        return all(c_emitter_safe(v) for v in value)
    return type(value) in (int, float, bool) or value is None


def yaml_text(
    data: object, *, allow_unicode: bool, emitter: str = "fast", checked: bool = False
) -> str:
    """`data` as the same YAML `yamldump.dump` writes (given its Unicode choice): with
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
    prompts = as_prompts(catalogue)
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
    """The same document as `notes_json`, as YAML (`yamldump.dump`'s text)."""
    notes = list(notes)
    prompts = as_prompts(catalogue)
    documents = [note_document(n, prompts) for n in notes]
    return "".join(yaml_chunks(notes, prompts, allow_unicode=not has_yaml_line_break(documents)))


def needs_yaml_escapes(suspects: Iterable[Note], catalogue: Catalogue | Prompts) -> bool:
    """Whether the YAML export of some notes escapes all non-ASCII text: when the export
    data of one of them holds a character YAML reads as a line break. `suspects` are the
    exported notes that may hold one (all of them, if a checklist text does)."""
    prompts = as_prompts(catalogue)
    return any(has_yaml_line_break(note_document(note, prompts)) for note in suspects)


def checklists_yaml(checklists: list[Checklist]) -> str:
    """Checklist files, one YAML document each: a single one loads back unchanged."""
    return "---\n".join(dump_yaml(c.to_dict()) for c in checklists)
