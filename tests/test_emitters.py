"""The fast writers of the exports give the bytes of the reference ones, on random data:
libyaml's emitter and the direct YAML writer against PyYAML's pure-Python emitter, and
the JSON template against json.dumps(..., indent=2)."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from callback_coach import exports
from callback_coach.notes import Note, dump_yaml

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


# Text such as actors write: mostly taken by the direct writer, so its output is compared.
PLAIN_TEXT = st.lists(
    st.one_of(st.sampled_from([*"abcXYZ .,;!?()'/-:#\n", "é", "見", "—", "·"]), WORDS), max_size=8
).map("".join)
PLAIN_VALUES = st.one_of(
    PLAIN_TEXT, st.none(), st.booleans(), st.integers(0, 10), st.lists(PLAIN_TEXT, max_size=3)
)


def documents(text=TEXT, values=VALUES) -> st.SearchStrategy[dict]:
    answer = st.fixed_dictionaries({"id": text, "prompt": text, "answer": values}).map(
        in_order("id", "prompt", "answer")
    )
    checklist = st.fixed_dictionaries(
        {
            "id": text,
            "title": text,
            "version": st.one_of(st.just(1), st.none(), text),
            "answers": st.lists(answer, max_size=3),
        }
    ).map(in_order("id", "title", "version", "answers"))
    maybe = st.one_of(st.none(), text)
    return st.fixed_dictionaries(
        {
            "file": st.one_of(text, st.just("2026-11-20_the-seagull_nina_callback-1_prep.md")),
            "kind": text,
            "role": text,
            "project": text,
            "round": text,
            "date": maybe,
            "created": maybe,
            "outcome": maybe,
            "checklists": st.lists(checklist, max_size=2),
            "body": text,
            "extra": st.dictionaries(KEYS, values, max_size=3),
        }
    ).map(in_order(*NOTE_DOCUMENT_KEYS))


# The keys of exports.note_document, in its order (hypothesis may build them in another).
NOTE_DOCUMENT_KEYS = (
    *("file", "kind", "role", "project", "round", "date", "created", "outcome"),
    *("checklists", "body", "extra"),
)


def in_order(*keys: str):
    return lambda data: {key: data[key] for key in keys}


def pure(data, allow_unicode: bool = True) -> str:
    return exports.yaml_text(data, allow_unicode=allow_unicode, emitter="pure")


@pytest.mark.skipif(exports._CDumper is None, reason="PyYAML was built without libyaml")
@settings(max_examples=400, deadline=None)
@given(value=VALUES, allow_unicode=st.booleans())
def test_libyaml_and_pure_emitters_write_the_same_bytes(value, allow_unicode: bool) -> None:
    data = [{"answer": value, "body": "two\nlines"}]
    fast = exports.yaml_text(data, allow_unicode=allow_unicode, emitter="fast")
    assert fast == pure(data, allow_unicode)


def test_libyaml_is_used_for_the_common_case() -> None:
    data = [{"answer": "Less pleading,\nmore pride — été 見", "n": 4, "ok": True}]
    assert exports.c_emitter_safe(data)
    # The cases where the emitters differ go to PyYAML: emoji, a kept blank line, a key
    # of 128 characters.
    for odd in ("a \U0001f3ad", "ends in a blank line\n\n", {"k" * 128: 1}):
        assert not exports.c_emitter_safe([{"answer": odd}])


@settings(max_examples=400, deadline=None)
@given(value=VALUES)
def test_the_direct_yaml_writer_matches_pyyaml_on_single_values(value) -> None:
    written = exports._yaml_value(value, "  ")
    if written is not None:
        assert "- k:" + written == pure([{"k": value}])


@settings(max_examples=300, deadline=None)
@given(document=st.one_of(documents(), documents(PLAIN_TEXT, PLAIN_VALUES)))
def test_the_direct_yaml_writer_matches_pyyaml_on_notes(document) -> None:
    written = exports.note_yaml(document)
    if written is not None:
        assert written == pure([document])


def test_the_direct_yaml_writer_takes_ordinary_notes() -> None:
    document = {
        "file": "2026-11-20_the-seagull_nina_callback-1_prep.md",
        "kind": "prep",
        "role": "Zoë",
        "project": "",
        "round": "callback-1",
        "date": "2026-11-20",
        "created": "2026-11-19T21:03:12+00:00",
        "outcome": None,
        "checklists": [
            {
                "id": "refine-intention",
                "title": "Refine intention",
                "version": 1,
                "answers": [
                    {"id": "want", "prompt": "What do you want?", "answer": "to be seen"},
                    {"id": "beats", "prompt": "Beats?", "answer": " 1. arrive\n2. leave\n"},
                    {"id": "calm", "prompt": "Calm?", "answer": 7},
                    {"id": "done", "prompt": "Done?", "answer": ["a:b", "No"]},
                ],
            }
        ],
        "body": "# Zoë · callback-1 (prep)\n\nYour own notes go here.\n",
        "extra": {"prep_note": "x.md", "people_met": ["Anna (casting)"], "medium": None},
    }
    written = exports.note_yaml(document)
    assert written is not None and written == pure([document])
    assert yaml.safe_load(written) == [document]


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
    prompts = exports.Prompts(_catalogue())
    document = exports.note_document(note, prompts)
    expected = json.dumps({"notes": [document]}, ensure_ascii=False, indent=2)
    assert expected == '{\n  "notes": [\n    ' + exports.note_json(note, prompts) + "\n  ]\n}"
    # And the note file itself is still written by notes.dump_yaml, untouched here.
    assert dump_yaml({"role": role})


def _catalogue():
    from callback_coach import paths
    from callback_coach.checklist import load_catalogue

    return load_catalogue(paths.builtin_checklists_dir(), None)
