"""Exports: notes and checklists as Markdown, JSON, YAML and CSV, and writing them out.

Every function here is pure except `write_output`. The same notes always give the same
bytes (stable order, stable keys, no export time), so exports diff well in git.

Notes are rendered one at a time (`note_chunks`): an export of any size is written as it
is made, and memory stays flat. JSON is made with the C string encoder in the documented
layout (what `json.dumps(..., indent=2)` gives). YAML is written directly where PyYAML's
form of the text is certain, else by libyaml's emitter where the two emitters agree, else
by PyYAML's own: always the bytes of the pure-Python emitter (tests/test_emitters.py
compares them on random notes).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring  # the C encoder where CPython has it
from pathlib import Path
from typing import Any

import yaml

from callback_coach import fileio
from callback_coach.answers import format_answer, json_safe
from callback_coach.checklist import Catalogue, Checklist
from callback_coach.errors import ExistsError, NotFoundError, StorageError, UsageError
from callback_coach.notes import NOTE_KEYS, Note, dump_yaml, own_text

EXPORT_FORMAT = 1
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
# A spreadsheet runs a cell starting with one of these as a formula (or strips it).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What an export writes: one text, or its pieces in order.
Text = str | Iterable[str]


@dataclass
class NoteFilter:
    """Which notes an export takes; None means any (`NoteIndex.ordered_files` applies it,
    in the stable export order: role, project, round, prep before review, then date)."""

    role: str | None = None
    project: str | None = None
    round: str | None = None
    kind: str | None = None
    outcome: str | None = None
    since: str | None = None
    until: str | None = None


# -- notes -----------------------------------------------------------------------------


class Prompts:
    """Checklist titles and question prompts, looked up once per export."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._titles: dict[str, str] = {}
        self._prompts: dict[tuple[str, Any], Any] = {}
        # Text made once per export: JSON of titles and prompts, Markdown lines, and per
        # checklist, each answer's JSON up to its value.
        self._json: dict[tuple[str, Any], str] = {}
        self._md: dict[tuple[str, Any], str] = {}
        self._heads: dict[str, dict[str, str]] = {}

    def title(self, cid: str) -> str:
        title = self._titles.get(cid)
        if title is None:
            checklist = self.catalogue.get(cid)
            title = self._titles[cid] = checklist.title if checklist else cid
        return title

    def prompt(self, cid: str, qid: Any) -> Any:
        """The question's prompt, or its id when the checklist does not know it."""
        key = (cid, qid)
        try:
            return self._prompts[key]
        except KeyError:
            pass
        except TypeError:  # an id YAML read as a list or a mapping
            return _prompt(self.catalogue.get(cid), qid)
        prompt = self._prompts[key] = _prompt(self.catalogue.get(cid), qid)
        return prompt

    def json_title(self, cid: str) -> str:
        key = (cid, None)
        found = self._json.get(key)
        if found is None:
            found = self._json[key] = encode_basestring(self.title(cid))
        return found

    def md_title(self, cid: str) -> str:
        """The Markdown heading of a checklist."""
        key = (cid, None)
        found = self._md.get(key)
        if found is None:
            found = self._md[key] = f"## {_md_inline(self.title(cid))}"
        return found

    def md_prompt(self, cid: str, qid: Any) -> str:
        """A question's prompt in bold, as a Markdown line."""
        if type(qid) is not str:
            return f"**{_md_inline(str(self.prompt(cid, qid)))}**"
        key = (cid, qid)
        found = self._md.get(key)
        if found is None:
            found = self._md[key] = f"**{_md_inline(str(self.prompt(cid, qid)))}**"
        return found

    def json_heads(self, cid: str) -> dict[str, str]:
        """Per question id of a checklist, the JSON text of an answer up to the answer."""
        heads = self._heads.get(cid)
        if heads is None:
            heads = self._heads[cid] = {}
        return heads

    def json_head(self, cid: str, qid: Any) -> str:
        head = (
            f'            {{\n{_ANSWER_PAD}"id": {_json(qid, _ANSWER_PAD)},\n'
            f'{_ANSWER_PAD}"prompt": {self.json_prompt(cid, qid)},\n{_ANSWER_PAD}"answer": '
        )
        if type(qid) is str:
            self.json_heads(cid)[qid] = head
        return head

    def json_prompt(self, cid: str, qid: Any) -> str:
        if type(qid) is not str:
            return _json(self.prompt(cid, qid), _ANSWER_PAD)
        key = (cid, qid)
        found = self._json.get(key)
        if found is None:
            found = self._json[key] = _json(self.prompt(cid, qid), _ANSWER_PAD)
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
    """A note as export data: metadata, answers with their prompts, body, other keys."""
    prompts = _prompts(catalogue)
    versions = {
        str(c.get("id")): c.get("version")
        for c in note.meta.get("checklists") or []
        if isinstance(c, dict)
    }
    checklists = []
    for cid, answers in note.answers.items():
        checklists.append(
            {
                "id": cid,
                "title": prompts.title(cid),
                "version": versions.get(cid),
                "answers": [
                    {
                        "id": qid,
                        "prompt": prompts.prompt(cid, qid),
                        "answer": _json_value(value),
                    }
                    for qid, value in answers.items()
                ],
            }
        )
    return {
        "file": note.path.name if note.path else None,
        "kind": note.kind,
        "role": note.role,
        "project": note.project,
        "round": note.round,
        "date": note.date or None,
        "created": note.created or None,
        "outcome": note.outcome,
        "checklists": checklists,
        "body": note.body,
        "extra": json_safe({k: v for k, v in note.meta.items() if k not in NOTE_KEYS}),
    }


_SCALARS = (str, int, float, bool, type(None))


def _json_value(value: Any) -> Any:
    return value if type(value) in _SCALARS else json_safe(value)


def _prompt(checklist: Checklist | None, qid: Any) -> Any:
    question = checklist.question(qid) if checklist else None
    return question.prompt if question else qid


# JSON in the documented layout (what json.dumps(..., indent=2, ensure_ascii=False) gives),
# made piece by piece so that each note is encoded by C code and written as it is made.


def _json(value: Any, pad: str) -> str:
    """`value` as indented JSON whose first line continues a line indented by `pad`."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = pad + "  "
        items = [f"{inner}{_json_key(k)}: {_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = pad + "  "
        items = [inner + _json(v, inner) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    # Floats and anything unusual: exactly as json.dumps writes it.
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)


def _json_key(key: Any) -> str:
    # Keys come through json_safe or json.loads: always text.
    return encode_basestring(key if type(key) is str else str(key))


_NOTE_PAD, _CHECKLIST_PAD, _ANSWER_PAD = " " * 6, " " * 10, " " * 14


def note_json(note: Note, prompts: Prompts) -> str:
    """`note_document(note)` as its export JSON, indented as one of the notes list:
    the same text `json.dumps(..., indent=2)` writes there, made with the C encoder."""
    versions = {
        str(c.get("id")): c.get("version")
        for c in note.meta.get("checklists") or []
        if isinstance(c, dict)
    }
    checklists = []
    for cid, answers in note.answers.items():
        heads = prompts.json_heads(cid)
        items = [
            ((heads.get(qid) if type(qid) is str else None) or prompts.json_head(cid, qid))
            + (
                encode_basestring(value)
                if type(value) is str
                else _json(_json_value(value), _ANSWER_PAD)
            )
            + "\n            }"
            for qid, value in answers.items()
        ]
        answers_json = "[\n" + ",\n".join(items) + "\n          ]" if items else "[]"
        checklists.append(
            f'        {{\n{_CHECKLIST_PAD}"id": {encode_basestring(cid)},\n'
            f'{_CHECKLIST_PAD}"title": {prompts.json_title(cid)},\n'
            f'{_CHECKLIST_PAD}"version": {_json(versions.get(cid), _CHECKLIST_PAD)},\n'
            f'{_CHECKLIST_PAD}"answers": {answers_json}\n        }}'
        )
    checklists_json = "[\n" + ",\n".join(checklists) + "\n      ]" if checklists else "[]"
    extra = json_safe({k: v for k, v in note.meta.items() if k not in NOTE_KEYS})
    return (
        f'{{\n{_NOTE_PAD}"file": {_json(note.path.name if note.path else None, _NOTE_PAD)},\n'
        f'{_NOTE_PAD}"kind": {encode_basestring(note.kind)},\n'
        f'{_NOTE_PAD}"role": {encode_basestring(note.role)},\n'
        f'{_NOTE_PAD}"project": {encode_basestring(note.project)},\n'
        f'{_NOTE_PAD}"round": {encode_basestring(note.round)},\n'
        f'{_NOTE_PAD}"date": {_json(note.date or None, _NOTE_PAD)},\n'
        f'{_NOTE_PAD}"created": {_json(note.created or None, _NOTE_PAD)},\n'
        f'{_NOTE_PAD}"outcome": {_json(note.outcome, _NOTE_PAD)},\n'
        f'{_NOTE_PAD}"checklists": {checklists_json},\n'
        f'{_NOTE_PAD}"body": {encode_basestring(note.body)},\n'
        f'{_NOTE_PAD}"extra": {_json(extra, _NOTE_PAD)}\n    }}'
    )


def json_chunks(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> Iterator[str]:
    prompts = _prompts(catalogue)
    yield '{\n  "format": ' + str(EXPORT_FORMAT) + ',\n  "notes": ['
    separator = "\n    "
    for note in notes:
        yield separator + note_json(note, prompts)
        separator = ",\n    "
    yield "]\n}\n" if separator == "\n    " else "\n  ]\n}\n"


def notes_json(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> str:
    return "".join(json_chunks(notes, catalogue))


# YAML: libyaml's emitter is about ten times faster than the pure-Python one. The two agree
# on our data except where `_c_emitter_differs` says; that note is written by the pure one.


class _PureDumper(yaml.SafeDumper):
    pass


_CDumper: type[Any] | None = None
if hasattr(yaml, "CSafeDumper"):

    class _CSafeDumper(yaml.CSafeDumper):
        pass

    _CDumper = _CSafeDumper


def _literal_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    """Multi-line text as a literal block, as the notes themselves write it."""
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


for _dumper in (_PureDumper, _CDumper):
    if _dumper is not None:
        _dumper.add_representer(str, _literal_str)


# Where libyaml's emitter and PyYAML's agree (tests/test_exports.py compares them on
# random data): text of printable characters below U+10000 and line feeds, not ending in
# a blank line (a kept "|+" block, after which they disagree on writing "..."), and mapping
# keys of 1 to 127 such characters with no line feed. Anything else: the pure emitter.
_YAML_UNSAFE = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]|\n\n\\Z|\\A\n\\Z")


def c_emitter_safe(value: Any) -> bool:
    """True when libyaml's emitter writes `value` in the same bytes as PyYAML's."""
    kind = type(value)
    if kind is str:
        return _YAML_UNSAFE.search(value) is None
    if kind is dict:
        return all(
            type(k) is str
            and 0 < len(k) < 128
            and "\n" not in k
            and _YAML_UNSAFE.search(k) is None
            and c_emitter_safe(v)
            for k, v in value.items()
        )
    if kind is list:
        return all(c_emitter_safe(v) for v in value)
    return kind in (int, float, bool) or value is None


def yaml_text(
    data: Any, *, allow_unicode: bool, emitter: str = "fast", checked: bool = False
) -> str:
    """`data` as the same YAML `notes.dump_yaml` writes (given its Unicode choice): with
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


# The export's own shape written directly, for the text whose YAML form is certain:
# PyYAML's rules for a plain, single-quoted or literal scalar in block context, narrowed to
# what can be decided from the text alone (anything else goes to the emitters above; the
# tests compare both on random notes). About ten times faster than the representer.
_PRINTABLE = "\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
_YAML_UNPRINTABLE = re.compile(f"[^{_PRINTABLE}]")
# Most text: a letter first, then no ":", "#", quote mark or other indicator, no space last.
_YAML_SURELY_PLAIN = re.compile("[A-Za-z](?:[A-Za-z0-9 ,.'()?!/;&+=_-]*[A-Za-z0-9,.'()?!/;&+=_-])?")
_YAML_UNPRINTABLE_LINES = re.compile(f"[^{_PRINTABLE}\\n]")
# A plain scalar cannot start with these (YAML indicators; "-", "?" and ":" only when a
# space follows, but those are left to PyYAML).
_YAML_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`?:-")
_YAML_WORDS = frozenset(
    [
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "null",
        "Null",
        "NULL",
    ]
)
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()


def _yaml_str(text: str, pad: str) -> str | None:
    """`text` as PyYAML writes it as a mapping value whose key is indented by `pad`, or
    None when that is not certain here."""
    if "\n" in text:
        # A literal block: printable lines, no space before a line break or at the end,
        # not ending in a blank line (the "|+" form, left to PyYAML).
        if (
            text == "\n"
            or text[-1] == " "
            or " \n" in text
            or text.endswith("\n\n")
            or _YAML_UNPRINTABLE_LINES.search(text)
        ):
            return None
        hints = "2" if text[0] in " \n" else ""
        if text[-1] != "\n":
            hints += "-"
        lines = text.split("\n")
        if text[-1] == "\n":
            lines.pop()
        inner = pad + "  "
        return "|" + hints + "\n" + "".join(f"{inner}{line}\n" if line else "\n" for line in lines)
    if _YAML_SURELY_PLAIN.fullmatch(text) and text not in _YAML_WORDS:
        return text + "\n"
    if text == "":
        return "''\n"
    # Plain, unless: an indicator or a space at either end, ": " or " #" inside, a
    # document marker at the start, or a character that is not printable.
    first, last = text[0], text[-1]
    if (
        first in _YAML_INDICATORS
        or first.isspace()
        or last.isspace()
        or last == ":"
        or ": " in text
        or " #" in text
        or text.startswith("...")
        or _YAML_UNPRINTABLE.search(text)
    ):
        return None
    if ("a" <= first <= "z" or "A" <= first <= "Z") and text not in _YAML_WORDS:
        return text + "\n"
    if first >= "\xa0":
        return text + "\n"
    # It may read as a number, a date, null, a bool: PyYAML's resolver says.
    if _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG:  # type: ignore[no-untyped-call]
        return text + "\n"
    return "'" + text.replace("'", "''") + "'\n"


def _yaml_value(value: Any, pad: str) -> str | None:
    """A mapping value (after "key:") as PyYAML writes it, or None when not certain."""
    kind = type(value)
    if kind is str:
        found = _yaml_str(value, pad)
        return None if found is None else " " + found
    if value is None:
        return " null\n"
    if kind is bool:
        return " true\n" if value else " false\n"
    if kind is int:
        return f" {value}\n"
    if kind is list:
        if not value:
            return " []\n"
        items = []
        for item in value:
            if type(item) is str and "\n" in item:
                return None
            found = _yaml_value(item, pad)
            if found is None or found[:2] == " |" or found[-2:] == "[]" or "\n" in found[:-1]:
                return None
            items.append(f"{pad}-{found}")
        return "\n" + "".join(items)
    if kind is dict:
        if not value:
            return " {}\n"
        inner = pad + "  "
        parts = ["\n"]
        for key, item in value.items():
            if (
                type(key) is not str
                or not _YAML_KEY.fullmatch(key)
                or key in _YAML_WORDS
                or type(item) is dict
            ):
                return None
            found = _yaml_value(item, inner)
            if found is None:
                return None
            parts.append(f"{inner}{key}:{found}")
        return "".join(parts)
    return None


_YAML_KEY = re.compile("[A-Za-z][A-Za-z0-9_-]{0,100}")  # well under PyYAML's simple-key limit


def _answer_head(qid: Any, prompt: Any, memo: dict[Any, str | None]) -> str | None:
    """An answer's YAML up to its value ("    - id: …\n      prompt: …\n      answer:"),
    kept in `memo`: the same questions come back in every note."""
    key = ("\x00head", qid, prompt) if type(qid) is str and type(prompt) is str else None
    if key is not None and key in memo:
        return memo[key]
    qid_text = _yaml_value(qid, "      ")
    prompt_text = _yaml_value(prompt, "      ")
    head = None
    if qid_text is not None and prompt_text is not None and "\n" not in qid_text[:-1]:
        head = f"    - id:{qid_text}      prompt:{prompt_text}      answer:"
    if key is not None:
        memo[key] = head
    return head


def note_yaml_direct(note: Note, prompts: Prompts, memo: dict[Any, str | None]) -> str | None:
    """`note_document(note)` as its item of the YAML export's notes list, exactly as
    PyYAML writes it (with Unicode kept), or None when this writer is not certain.
    `memo` keeps the text of ids, titles and prompts, which repeat from note to note."""
    parts = []
    for key, value in (
        ("file", note.path.name if note.path else None),
        ("kind", note.kind),
        ("role", note.role),
        ("project", note.project),
        ("round", note.round),
        ("date", note.date or None),
        ("created", note.created or None),
        ("outcome", note.outcome),
    ):
        found = _yaml_value(value, "  ")
        if found is None:
            return None
        parts.append(f"  {key}:{found}")
    parts[0] = "-" + parts[0][1:]
    all_answers = note.answers
    if not all_answers:
        parts.append("  checklists: []\n")
    else:
        parts.append("  checklists:\n")
        versions = {
            str(c.get("id")): c.get("version")
            for c in note.meta.get("checklists") or []
            if isinstance(c, dict)
        }
        for cid, answers in all_answers.items():
            head = _checklist_head(cid, prompts.title(cid), memo)
            version = _yaml_value(versions.get(cid), "    ")
            if head is None or version is None:
                return None
            parts.append(f"{head}{version}")
            if not answers:
                parts.append("    answers: []\n")
                continue
            parts.append("    answers:\n")
            for qid, value in answers.items():
                answer_head = _answer_head(qid, prompts.prompt(cid, qid), memo)
                text = _yaml_value(_json_value(value), "      ")
                if answer_head is None or text is None:
                    return None
                parts.append(answer_head + text)
    extra = json_safe({k: v for k, v in note.meta.items() if k not in NOTE_KEYS})
    for key, value in (("body", note.body), ("extra", extra)):
        found = _yaml_value(value, "  ")
        if found is None:
            return None
        parts.append(f"  {key}:{found}")
    return "".join(parts)


def _checklist_head(cid: Any, title: Any, memo: dict[Any, str | None]) -> str | None:
    """A checklist's YAML up to its version ("  - id: …\n    title: …\n    version:")."""
    key = ("\x00checklist", cid, title) if type(cid) is str and type(title) is str else None
    if key is not None and key in memo:
        return memo[key]
    cid_text = _yaml_value(cid, "    ")
    title_text = _yaml_value(title, "    ")
    head = None
    if cid_text is not None and title_text is not None and "\n" not in cid_text[:-1]:
        head = f"  - id:{cid_text}    title:{title_text}    version:"
    if key is not None:
        memo[key] = head
    return head


def yaml_chunks(
    notes: Iterable[Note], catalogue: Catalogue | Prompts, *, allow_unicode: bool = True
) -> Iterator[str]:
    """The YAML export, a note at a time. `allow_unicode` must be False when any exported
    text holds a character YAML reads as a line break (see `has_yaml_line_break`)."""
    prompts = _prompts(catalogue)
    head = f"format: {EXPORT_FORMAT}\n"
    memo: dict[Any, str | None] = {}
    for note in notes:
        if head:
            yield head + "notes:\n"
            head = ""
        fast = note_yaml_direct(note, prompts, memo) if allow_unicode else None
        if fast is None:
            fast = yaml_text([note_document(note, prompts)], allow_unicode=allow_unicode)
        yield fast
    if head:
        yield head + "notes: []\n"


def notes_yaml(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> str:
    notes = list(notes)
    prompts = _prompts(catalogue)
    documents = [note_document(n, prompts) for n in notes]
    return "".join(yaml_chunks(notes, prompts, allow_unicode=not has_yaml_line_break(documents)))


def has_yaml_line_break(value: Any) -> bool:
    """True when some text in `value` holds a character YAML reads as a line break
    (`notes.dump_yaml` then escapes all non-ASCII text, so it reads back exactly)."""
    from callback_coach.index import has_yaml_line_break as found

    return found(value)


def inert(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading apostrophe before anything that
    would start a formula (and before a leading apostrophe, so removing one is exact)."""
    return "'" + cell if cell.startswith((*FORMULA_STARTS, "'")) else cell


def csv_chunks(notes: Iterable[Note], catalogue: Catalogue | Prompts) -> Iterator[str]:
    prompts = _prompts(catalogue)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for note in notes:
        role, project, round_label, kind, date = (
            note.role,
            note.project,
            note.round,
            note.kind,
            note.date,
        )
        for cid, answers in note.answers.items():
            for qid, value in answers.items():
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
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


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
        shown = [(qid, text) for qid, v in answers.items() if (text := format_answer(v)) != ""]
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
    separator = ""
    for note in notes:
        yield separator + note_markdown(note, prompts)
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
    if fmt == "json":
        return json_chunks(notes, catalogue)
    if fmt == "yaml":
        return yaml_chunks(notes, catalogue, allow_unicode=not yaml_escapes)
    if fmt == "csv":
        return csv_chunks(notes, catalogue)
    return markdown_chunks(notes, catalogue)


def needs_yaml_escapes(suspects: Iterable[Note], catalogue: Catalogue | Prompts) -> bool:
    """Whether the YAML export of some notes escapes all non-ASCII text: when the export
    data of one of them holds a character YAML reads as a line break. `suspects` are the
    exported notes that may hold one (all of them, if a checklist text does)."""
    prompts = _prompts(catalogue)
    return any(has_yaml_line_break(note_document(note, prompts)) for note in suspects)


# -- checklists ------------------------------------------------------------------------


def checklist_document(checklist: Checklist) -> dict[str, Any]:
    """A checklist as export data: every key a checklist file may hold, in file order."""
    data = checklist.to_dict()
    for question in data["questions"]:
        question.setdefault("help", None)
        question.setdefault("required", False)
    return data


def checklists_json(checklists: list[Checklist]) -> str:
    data = {"format": EXPORT_FORMAT, "checklists": [checklist_document(c) for c in checklists]}
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


def is_folder_target(output: str) -> bool:
    return output.endswith(("/", "\\")) or Path(output).expanduser().is_dir()


def write_output(
    output: str | None,
    whole: Callable[[], Text],
    parts: Callable[[], Iterable[tuple[str, Callable[[], Text]]]],
    *,
    force: bool = False,
) -> list[Path]:
    """Write `whole()` to stdout (no `output`) or to one file; or, for an output ending in
    `/` (or an existing folder), each (file name, render) of `parts()` to its own file. Only
    the one that is written is rendered, piece by piece as it is written.

    An existing file is an error unless `force`; then nothing at all is written.
    """
    if output is None:
        _write_stdout(whole())
        return []
    if is_folder_target(output):
        folder = Path(output).expanduser()

        def targets() -> Iterator[tuple[Path, Callable[[], Text]]]:
            # Gone through twice (check, then write), so that no list of every file is held.
            return ((folder / name, render) for name, render in parts())
    else:
        path = Path(output).expanduser()
        if not path.parent.is_dir():
            raise NotFoundError(f"the folder for {path} does not exist")

        def targets() -> Iterator[tuple[Path, Callable[[], Text]]]:
            return iter([(path, whole)])

    existing = [str(p) for p, _ in targets() if p.exists()]
    if existing and not force:
        raise ExistsError(
            f"{len(existing)} file(s) already exist; nothing was written (use --force to replace)",
            details=existing,
        )
    written = []
    for path, render in targets():
        if path.is_dir():
            raise StorageError(f"{path} is a folder")
        fileio.atomic_write_chunks(path, _encoded(render()))
        written.append(path)
    return written


def _encoded(text: Text) -> Iterator[bytes]:
    if isinstance(text, str):
        yield text.encode("utf-8")
        return
    for chunk in text:
        yield chunk.encode("utf-8")


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
