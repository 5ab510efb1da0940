"""The fast writers of the exports give the bytes of the reference ones, on random data:
libyaml's emitter against PyYAML's pure-Python one (both with yamldump's representation of
text), the streamed YAML export against `yamldump.dump` of the whole document, and the JSON
template against json.dumps(..., indent=2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from callback_coach.exports import as_json, as_markdown, as_yaml, json_shapes
from callback_coach.exports import format as export_format
from callback_coach.exports import formats as exports
from callback_coach.store import yamldump, yamlio
from callback_coach.store.notes import NOTE_KEYS, Note

# Characters that steer YAML's choice of style: indicators, quotes, spaces, line breaks
# (including the Unicode ones), characters above U+FFFF, controls, the BOM.
TRICKY_CHARS = st.sampled_from(
    [
        *"ab Z\n-:#'\"|>!&*?,[]{}%@`~\\/.0123456789eEyYnN=+_()\t\r",
        *["\x85", "\u2028", "\u2029", "\xa0", "é", "見", "\u200b", "\ufeff", "\ufffd", "\x01"],
        *["\U0001f3ad", "\u3000", "\x7f", "\ud7ff", "\ue000"],
    ]
)
WORDS = st.sampled_from(
    [
        *["null", "true", "~", "1e3", "0x1F", "- a", "yes", "No", "2026-11-20", "1:2", "  "],
        *["\n", "\n\n", " x", "x ", "---", "...", "'", '"', "#", ": ", "2026-11-19T21:03:12+00:00"],
        *[".inf", "<<", "=", "12", "1_000", "Nina", "The pause", "to be seen"],
    ]
)
TEXT = st.lists(st.one_of(TRICKY_CHARS, WORDS), max_size=8).map("".join)
KEYS = st.one_of(TEXT, st.sampled_from(["prep_note", "medium", "k" * 122, "k" * 128, ""]))
VALUES = st.recursive(
    st.one_of(TEXT, st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(-1e3, 1e3)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=6,
)


# Text such as actors write: mostly taken by libyaml's emitter, so its output is compared.
PLAIN_TEXT = st.lists(
    st.one_of(st.sampled_from([*"abcXYZ .,;!?()'/-:#\n", "é", "見", "—", "·"]), WORDS), max_size=8
).map("".join)
PLAIN_VALUES = st.one_of(
    PLAIN_TEXT, st.none(), st.booleans(), st.integers(0, 10), st.lists(PLAIN_TEXT, max_size=3)
)


FILE_NAMES = st.sampled_from(
    ["2026-11-20_the-seagull_nina_callback-1_prep.md", "1.md", "No.md", "x: y.md", "é #.md"]
)


def notes(text=TEXT, values=VALUES) -> st.SearchStrategy[Note]:
    """Notes as a hand edit may leave them: any text, extra keys, odd answers."""
    maybe = st.one_of(st.none(), text)
    answers = st.dictionaries(
        st.one_of(st.sampled_from(["refine-intention", "mindset", "hand-made"]), text),
        st.dictionaries(st.one_of(st.sampled_from(["want", "calm"]), text), values, max_size=3),
        max_size=2,
    )
    extra = st.dictionaries(
        st.one_of(KEYS, st.sampled_from(["prep_note", "medium"])).filter(
            lambda key: key not in NOTE_KEYS
        ),
        values,
        max_size=2,
    )
    fields = st.fixed_dictionaries(
        {
            "kind": text,
            "role": text,
            "project": maybe,
            "round": text,
            "date": maybe,
            "created": maybe,
            "outcome": maybe,
        }
    )
    return st.builds(_note, fields, answers, extra, text, FILE_NAMES)


def _note(fields, answers, extra, body: str, name: str) -> Note:
    meta = {"format": 1, **fields, **extra}
    meta["checklists"] = [{"id": cid, "version": 1} for cid in answers]
    meta["answers"] = answers
    return Note(meta=meta, body=body, path=Path("/notes") / name)


def pure(data, allow_unicode: bool = True) -> str:
    return as_yaml.yaml_text(data, allow_unicode=allow_unicode, emitter="pure")


@pytest.mark.skipif(as_yaml._CDumper is None, reason="PyYAML was built without libyaml")
@settings(max_examples=400, deadline=None)
@given(value=VALUES, allow_unicode=st.booleans())
def test_libyaml_and_pure_emitters_write_the_same_bytes(value, allow_unicode: bool) -> None:
    data = [{"answer": value, "body": "two\nlines"}]
    fast = as_yaml.yaml_text(data, allow_unicode=allow_unicode, emitter="fast")
    assert fast == pure(data, allow_unicode)


def test_libyaml_is_used_for_the_common_case() -> None:
    data = [{"answer": "Less pleading,\nmore pride — été 見", "n": 4, "ok": True}]
    assert as_yaml.c_emitter_safe(data)
    # The cases where the emitters differ go to PyYAML: emoji, a kept blank line, a key
    # of 128 characters.
    for odd in ("a \U0001f3ad", "ends in a blank line\n\n", {"k" * 128: 1}):
        assert not as_yaml.c_emitter_safe([{"answer": odd}])


_BARE = {"kind": "", "role": "", "project": None, "round": "", "date": None, "created": None}


@settings(max_examples=300, deadline=None)
@given(notes=st.lists(st.one_of(notes(), notes(PLAIN_TEXT, PLAIN_VALUES)), max_size=3))
# A note ending in a kept-newlines block ("|+") before another note: no "..." between them.
@example(
    notes=[_note(dict(_BARE), {}, {"": "\n"}, "", "a.md"), _note(dict(_BARE), {}, {}, "", "b.md")]
)
def test_the_streamed_exports_equal_the_documents_written_whole(notes: list[Note]) -> None:
    catalogue = _catalogue()
    document = json_shapes.notes_json(notes, catalogue)
    # YAML: yamldump.dump of the whole document (its one writer), a note at a time.
    escapes = as_yaml.needs_yaml_escapes(notes, catalogue)
    streamed = "".join(exports.note_chunks("yaml", notes, catalogue, yaml_escapes=escapes))
    assert streamed == yamldump.dump(document)
    # JSON: json.dumps(indent=2) of the whole document, made with the C string encoder.
    streamed = "".join(exports.note_chunks("json", notes, catalogue))
    assert streamed == json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def test_ordinary_notes_take_the_libyaml_emitter() -> None:
    note = _note(
        {
            "kind": "prep",
            "role": "Zoë",
            "project": "",
            "round": "callback-1",
            "date": "2026-11-20",
            "created": "2026-11-19T21:03:12+00:00",
        },
        {
            "refine-intention": {
                "want": "to be seen",
                "beats": " 1. arrive\n2. leave\n",
                "off-book": 4,
                "stakes": ["a:b", "No", "1e3"],
            }
        },
        {"prep_note": "x.md", "people_met": ["Anna (casting)"], "medium": None},
        "# Zoë · callback-1 (prep)\n\nYour own notes go here.\n",
        "2026-11-20_zoe_callback-1_prep.md",
    )
    document = export_format.note_document(note, export_format.Prompts(_catalogue()))
    assert as_yaml.c_emitter_safe([document])
    written = as_yaml.yaml_text([document], allow_unicode=True)
    assert written == pure([document])
    assert yamlio.load(written).value == [document]


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(TEXT, PLAIN_TEXT))
def test_quote_block_quotes_every_line(text: str) -> None:
    lines = text.split("\n")
    quoted = as_markdown.quote_block(text).split("\n")
    assert len(quoted) == len(lines)
    for number, (line, out) in enumerate(zip(lines, quoted, strict=True)):
        if not line:
            assert out == ">"
            continue
        joined = number + 1 < len(lines) and lines[number + 1] != ""
        assert out == f"> {line}" + ("  " if joined else "")


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(
        st.text(st.sampled_from("abcdefgh xyz"), min_size=1).filter(
            lambda line: line.strip() == line and line != ""
        ),
        min_size=2,
        max_size=5,
    )
)
def test_a_quoted_answer_renders_each_line_on_its_own(lines: list[str]) -> None:
    from markdown_it import MarkdownIt

    html = MarkdownIt().render(as_markdown.quote_block("\n".join(lines)))
    assert html.count("<br />") == len(lines) - 1, html
    assert html.count("<p>") == 1


@settings(max_examples=300, deadline=None)
@given(
    answers=st.dictionaries(TEXT, VALUES, max_size=4),
    extra=st.dictionaries(KEYS, VALUES, max_size=3),
    body=TEXT,
    role=TEXT,
)
def test_the_json_template_matches_json_dumps(answers, extra, body: str, role: str) -> None:
    meta = {
        "format": 1,
        "kind": "prep",
        "role": role,
        "date": "2026-11-20",
        "checklists": [{"id": "refine-intention", "version": 1}],
        "answers": {"refine-intention": answers, "other": {"x": 1.5}},
        **{k: v for k, v in extra.items() if k not in ("answers", "checklists")},
    }
    note = Note(meta=meta, body=body)
    prompts = export_format.Prompts(_catalogue())
    document = json_shapes.note_json(note, _catalogue())
    expected = json.dumps({"notes": [document]}, ensure_ascii=False, indent=2)
    assert expected == '{\n  "notes": [\n    ' + as_json.note_json(note, prompts) + "\n  ]\n}"


def _catalogue():
    from callback_coach.core.checklist_load import load_catalogue
    from callback_coach.store import paths

    return load_catalogue(paths.builtin_checklists_dir(), None)


# -- the direct writers (notewriter.py) --------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(text=st.one_of(TEXT, PLAIN_TEXT))
@example(text="a\n b\n")  # a line starting with a space: still a literal block
@example(text="\n")  # "|2+"
@example(text=" lead\nx")  # "|2-"
@example(text="<<")  # read as a merge key when plain
def test_direct_yaml_text_is_pyyaml_s_own(text: str) -> None:
    """Wherever the direct writer answers, it writes PyYAML's bytes, as a mapping value
    and as a list item (inside a note: another key always follows)."""
    from callback_coach.exports.notewriter import yaml_value

    for value in (text, [text, "x"]):
        direct = yaml_value(value, "  ")
        if direct is not None:
            assert "- a:" + direct + "  z: 1\n" == pure([{"a": value, "z": 1}])


def test_direct_yaml_text_takes_what_actors_write() -> None:
    """The common text goes through the direct writer (else it would gain nothing)."""
    from callback_coach.exports.notewriter import yaml_text

    for text in (
        "Less pleading, more pride — été 見",
        "yes",
        "2026-11-20",
        "it's: a 'quote'",
        "line one\nline two\n",
        "ends in a blank line\n\n",
        " leading space\non two lines",
        "",
    ):
        assert yaml_text(text, "  ") is not None, text
    # Double quotes or escapes: PyYAML's writer decides.
    for text in ("tab\there", "trailing space \nthen more", "bom\ufeff", "a \U0001f3ad"):
        assert yaml_text(text, "  ") is None, text


@settings(max_examples=300, deadline=None)
@given(note=st.one_of(notes(), notes(PLAIN_TEXT, PLAIN_VALUES)))
def test_direct_note_writers_equal_the_general_ones(note: Note) -> None:
    prompts = export_format.Prompts(_catalogue())
    document = export_format.note_document(note, prompts)
    direct = prompts.writer.note_yaml_text(note)
    if direct is not None:
        assert direct == pure([document])
    expected = json.dumps({"notes": [document]}, ensure_ascii=False, indent=2)
    assert expected == '{\n  "notes": [\n    ' + prompts.writer.note_json_text(note) + "\n  ]\n}"


def test_ordinary_notes_take_the_direct_yaml_writer() -> None:
    note = _note(
        {
            "kind": "review",
            "role": "Zoë",
            "project": "The Seagull",
            "round": "callback-2",
            "date": "2026-11-20",
            "created": "2026-11-19T21:03:12+00:00",
        },
        {
            "after-the-room": {
                "who": "Anna (casting), the director",
                "direction": "Less pleading.\nMore pride.\n",
                "off-book": 4,
                "again": True,
                "blank": "  ",
                "people": ["Anna", "No"],
            }
        },
        {},
        "# Zoë · The Seagull · callback-2 (review)\n\nYour own notes go here.\n",
        "2026-11-20_zoe_callback-2_review.md",
    )
    prompts = export_format.Prompts(_catalogue())
    written = prompts.writer.note_yaml_text(note)
    assert written is not None
    assert written == pure([export_format.note_document(note, prompts)])
    assert "blank" not in written  # a blank answer is not an answer
