"""One note's export document written straight to text, in JSON and in YAML.

An export of ten thousand notes writes about two and a half million values. The general
writers spend most of their time deciding, value by value, what they always decide the
same way for a note's document (`json_shapes.note_json`), whose shape is fixed: known keys
in a known order, then checklists of answers. These writers know that shape, so a value
costs one string operation, and the strings that repeat (question ids and prompts) are
encoded once per export.

They write the same bytes as the general writers, and say so only where that is sure:

- `note_json_text` gives exactly `json.dumps(..., indent=2, ensure_ascii=False)`'s text
  for the document as one item of the export's list.
- `note_yaml_text` gives exactly what `yamldump.dump` (PyYAML's emitter) writes for the
  document as one item of a list, or None when some value is outside what it knows
  (characters PyYAML escapes, text that would need double quotes, keys the actor added
  by hand): the caller then uses the general writer for that note. The rules for plain,
  single-quoted and literal text follow PyYAML's `Emitter.analyze_scalar` and
  `choose_scalar_style` with an unlimited line width.

tests/test_emitters.py compares both with the general writers on random notes.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from json.encoder import encode_basestring  # the C encoder where CPython has it

from yaml.resolver import Resolver

from callback_coach.exports.json_shapes import (
    Prompts,
    answer_json,
    note_checklists,
    note_extra,
    note_head,
)
from callback_coach.store.facts import is_answered
from callback_coach.store.notes import Note
from callback_coach.store.yamldump import QUOTED_WORDS

# -- JSON ---------------------------------------------------------------------------------


def json_value(value: object, pad: str) -> str:
    """`value` as indented JSON whose first line continues a line indented by `pad`."""
    if type(value) is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is dict:
        if not value:
            return "{}"
        inner = pad + "  "
        items = [
            f"{inner}{encode_basestring(k if type(k) is str else str(k))}: {json_value(v, inner)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if type(value) is list:
        if not value:
            return "[]"
        inner = pad + "  "
        return "[\n" + ",\n".join([inner + json_value(v, inner) for v in value]) + "\n" + pad + "]"
    # Floats and anything unusual: exactly as json.dumps writes it.
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)


class NoteWriter:
    """Writes notes' documents (`json_shapes.note_json`) straight from the notes; keeps
    the encoded checklist heads, question ids and prompts of one export."""

    def __init__(self, prompts: Prompts) -> None:
        self.prompts = prompts
        # By checklist id and whether its first-round wording was asked.
        self._json_heads: dict[tuple[str, bool], dict[str, str]] = {}
        self._yaml_heads: dict[tuple[str, bool], dict[object, str | None]] = {}

    # -- JSON ------------------------------------------------------------------------------

    def note_json_text(self, note: Note) -> str:
        """The note's document as JSON, continuing a line indented by four spaces (an
        item of the export's "notes" list)."""
        parts = [
            f"      {encode_basestring(k)}: {json_value(v, '      ')}"
            for k, v in note_head(note).items()
        ]
        checklists = note_checklists(note)
        if checklists:
            first_round = note.first_round
            items = [self._json_checklist(*c, c[0] in first_round) for c in checklists]
            parts.append('      "checklists": [\n' + ",\n".join(items) + "\n      ]")
        else:
            parts.append('      "checklists": []')
        parts.append(f'      "body": {encode_basestring(note.body)}')
        parts.append(f'      "extra": {json_value(note_extra(note), "      ")}')
        return "{\n" + ",\n".join(parts) + "\n    }"

    def _json_checklist(
        self, cid: str, version: int | None, answers: Mapping[str, object], first_round: bool
    ) -> str:
        pad = "          "
        head = (
            "        {\n"
            f'{pad}"id": {encode_basestring(cid)},\n'
            f'{pad}"title": {encode_basestring(self.prompts.title(cid))},\n'
            f'{pad}"version": {json_value(version, pad)},\n'
            f'{pad}"answers": '
        )
        items = []
        heads = self._json_heads.get((cid, first_round))
        if heads is None:
            heads = self._json_heads[cid, first_round] = {}
        for qid, value in answers.items():
            if type(value) is str:
                if not value or value.isspace():  # blank: not an answer
                    continue
                text = encode_basestring(value)
            elif type(value) is bool:
                text = "true" if value else "false"
            elif type(value) is int:
                text = int.__repr__(value)
            elif is_answered(value) or type(value) is list:  # ([]: none of these, an answer)
                text = json_value(answer_json(value), "              ")
            else:
                continue
            start = heads.get(qid)
            if start is None:
                start = heads[qid] = self._json_answer_head(cid, str(qid), first_round)
            items.append(start + text + "\n            }")
        if not items:
            return head + "[]\n        }"
        return head + "[\n" + ",\n".join(items) + "\n          ]\n        }"

    def _json_answer_head(self, cid: str, qid: str, first_round: bool) -> str:
        prompt = self.prompts.prompt(cid, qid, first_round)
        return (
            "            {\n"
            f'              "id": {encode_basestring(qid)},\n'
            f'              "prompt": {encode_basestring(prompt)},\n'
            '              "answer": '
        )

    # -- YAML ------------------------------------------------------------------------------

    def note_yaml_text(self, note: Note) -> str | None:
        """The note's document as one item of a top-level YAML list ("- file: ..."), or
        None when only the general writer can be sure of the bytes."""
        extra = note_extra(note)
        if extra:
            return None  # keys the actor added: anything can be in them
        out = []
        for key, value in note_head(note).items():
            text = yaml_value(value, "  ")
            if text is None:
                return None
            out.append(f"  {key}:{text}")
        out[0] = "- " + out[0][2:]
        checklists = note_checklists(note)
        if checklists:
            out.append("  checklists:\n")
            first_round = note.first_round
            for checklist in checklists:
                text = self._yaml_checklist(*checklist, checklist[0] in first_round)
                if text is None:
                    return None
                out.append(text)
        else:
            out.append("  checklists: []\n")
        body = yaml_value(note.body, "  ")
        if body is None:
            return None
        out.append(f"  body:{body}  extra: {{}}\n")
        return "".join(out)

    def _yaml_checklist(
        self, cid: str, version: int | None, answers: Mapping[str, object], first_round: bool
    ) -> str | None:
        heads = self._yaml_heads.get((cid, first_round))
        if heads is None:
            heads = self._yaml_heads[cid, first_round] = {}
        opening = heads.get(_OPENING, "")
        if opening == "":
            ident, title = yaml_value(cid, "    "), yaml_value(self.prompts.title(cid), "    ")
            opening = heads[_OPENING] = (
                None if ident is None or title is None else f"  - id:{ident}    title:{title}"
            )
        number = yaml_value(version, "    ")
        if opening is None or number is None:
            return None
        out = [f"{opening}    version:{number}", "    answers: []\n"]
        for qid, value in answers.items():
            if type(value) is str:
                if not value or value.isspace():
                    continue
                text = yaml_text(value, "      ")
                if text is None:
                    return None
                text = " " + text
            elif is_answered(value) or type(value) is list:  # ([]: an answer)
                text = yaml_value(answer_json(value), "      ")
                if text is None:
                    return None
            else:
                continue
            start = heads.get(qid, "")
            if start == "":
                start = heads[qid] = self._yaml_answer_head(cid, str(qid), first_round)
            if start is None:
                return None
            out.append(start + text)
        if len(out) > 2:
            out[1] = "    answers:\n"
        return "".join(out)

    def _yaml_answer_head(self, cid: str, qid: str, first_round: bool) -> str | None:
        q = yaml_value(qid, "      ")
        p = yaml_value(self.prompts.prompt(cid, qid, first_round), "      ")
        return None if q is None or p is None else f"    - id:{q}      prompt:{p}      answer:"


# The key of a checklist's own opening lines among its questions' (never a question id).
_OPENING = object()


def yaml_value(value: object, indent: str) -> str | None:
    """The text after "key:" for `value` in a mapping indented by `indent` (a space and
    the value, or a line break and the block), ending in a line break; None when the
    general writer must decide."""
    if type(value) is str:
        text = yaml_text(value, indent)
        if text is None:
            return None
        return " " + text
    if value is None:
        return " null\n"
    if value is True:
        return " true\n"
    if value is False:
        return " false\n"
    if type(value) is int:
        return f" {int.__repr__(value)}\n"
    if type(value) is list:
        if not value:
            return " []\n"
        out = ["\n"]
        for item in value:
            if type(item) is not str:
                return None
            text = yaml_text(item, indent)
            if text is None:
                return None
            out.append(f"{indent}- {text}")
        return "".join(out)
    if type(value) is dict and not value:
        return " {}\n"
    return None


# Characters PyYAML writes as they are (with Unicode allowed) and the line feed; anything
# else (controls, tabs, the BOM, the line breaks U+0085, U+2028 and U+2029, characters
# above U+FFFF) goes to PyYAML's writer.
@functools.cache
def _outside() -> re.Pattern[str]:
    """(Compiled when a YAML export first needs it: a class this wide takes ~5 ms.)"""
    return re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")


# The first characters of YAML 1.1 values other than text (numbers, booleans, null, ...).
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = Resolver.yaml_implicit_resolvers
_STR_TAG = "tag:yaml.org,2002:str"
# Text PyYAML will not write plain: starting with an indicator or a space, or "? ", ": ",
# "- " (or just one of them), a document marker; holding ": " or " #"; ending in a space
# or ":"; or starting like a number (yamldump.needs_quotes, with its words below).
# (The start is matched here; what it holds and ends in, with `in`.)
_QUOTED = re.compile(r"[#,\[\]{}&*!|>'\"%@` ]|[?:-](?: |\Z)|---|\.\.\.|[-+]?[._0-9]")
# Words read as something other than text (quoted by yamldump), and YAML 1.1's booleans and
# nulls: none longer than this.
_SHORT = max(map(len, QUOTED_WORDS))


def _reads_as_text(text: str) -> bool:
    """True when PyYAML reads `text`, written plain, back as text."""
    for tag, pattern in _RESOLVERS.get(text[0], ()):
        if pattern.match(text):
            return tag == _STR_TAG
    return True


def yaml_text(text: str, indent: str) -> str | None:
    """`text` as PyYAML writes it in block context with yamldump's styles (plain, quoted
    where it could be read as something else, literal when it has line breaks), ending in
    a line break; None when it would need double quotes or characters PyYAML escapes."""
    if _outside().search(text) is not None:
        return None
    if "\n" not in text:
        if not text:
            return "''\n"
        if (
            _QUOTED.match(text) is not None
            or ": " in text
            or " #" in text
            or text[-1] in " :"
            or (len(text) <= _SHORT and (text.lower() in QUOTED_WORDS or not _reads_as_text(text)))
            or (text[0] in "<=" and not _reads_as_text(text))
        ):
            return "'" + text.replace("'", "''") + "'\n"
        return text + "\n"
    # A literal block: not with a space before a line break or at the end (PyYAML then
    # writes double quotes).
    if text[-1] == " " or " \n" in text:
        return None
    hints = "2" if text[0] in " \n" else ""
    if text[-1] != "\n":
        hints += "-"
    elif len(text) == 1 or text[-2] == "\n":
        hints += "+"
    block = indent + "  "
    lines = "\n".join([block + line if line else "" for line in text.split("\n")])
    return "|" + hints + "\n" + lines + ("" if text[-1] == "\n" else "\n")
