"""The quick reader for the YAML the coach writes: it reads what `yamldump.dump` writes,
exactly as the general reader does, and gives up (None) on anything else, never
answering differently from the general reader, whatever the text."""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from callback_coach.store import yamldump, yamlio, yamlquick, yamlscalars
from callback_coach.store.yamlio import ReadError


def quick(text: str):
    return yamlquick.read(
        text, yamlio._plain, max_values=yamlio.MAX_VALUES, max_depth=yamlio.MAX_DEPTH
    )


def general(text: str):
    """The general reader's value, or ReadError."""
    try:
        return yamlio._Builder(text, nodes=False, multi=False, line_offset=0).run()[0].value
    except ReadError as exc:
        return exc


def same(a, b) -> bool:
    """Equal, with NaN equal to itself."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def agrees(text: str) -> object:
    """The quick reader's answer, checked against the general reader's."""
    answer = quick(text)
    if answer is not None:
        expected = general(text)
        assert not isinstance(expected, ReadError), (text, expected)
        assert same(answer, expected), (text, answer, expected)
    return answer


WORD = st.from_regex(r"\A[A-Za-z0-9_][A-Za-z0-9_-]{0,8}\Z")
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=" \n'\"#:-|>abcé🎭0123456789.\t", max_size=30),
    st.sampled_from(["yes", "No", "null", "~", "1", "007", "1_000", "0x1F", "1:30", ".inf"]),
    st.sampled_from(["2026-11-23", "Off", "y", "n", "-5", "1e3", "=", "<<", "a: b", "x #y"]),
)
SCALAR = st.one_of(TEXT, st.booleans(), st.none(), st.integers(-(10**40), 10**40))
DATA = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(WORD, TEXT), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.one_of(WORD, TEXT), DATA, min_size=1, max_size=6))
@example({"a": ["x\ny", "z"], "b": {"c": "p\n\nq\n"}, "d": " lead\nx", "e": "x  \ny"})
@example({"a": [{"b": 1, "c": ["d", {"e": "f\ng"}]}], "h": [], "i": {}, "j": [[1]]})
@example({"a": "it's", "b": "'quoted'", "c": "x\n", "d": "x\n\n", "e": "\n"})
def test_what_the_coach_writes_reads_as_the_general_reader_reads_it(data) -> None:
    text = yamldump.dump(data)
    answer = agrees(text)
    if answer is not None:
        assert same(answer, data)


def test_a_note_the_coach_wrote_takes_the_quick_path() -> None:
    meta = {
        "format": 1,
        "kind": "prep",
        "role": "Nina, 'the lead'",
        "round": "callback-2",
        "date": "2026-11-23",
        "checklists": [{"id": "refine-intention", "version": 2}],
        "answers": {
            "refine-intention": {
                "want": "To be forgiven.\nBy her, not him.",
                "calm": 3,
                "off-book": True,
                "new-pages": "yes, still working on them",
                "choices": ["stillness", "Off the cuff"],
                "empty": None,
            }
        },
    }
    text = yamldump.dump(meta)
    assert quick(text) == meta
    assert yamlio.load(text, line_offset=1) == yamlio.Document(meta, 2)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # a duplicate key: the general reader names it
        "a: 1 # note\n",
        "# note\na: 1\n",
        "a: 1\n\nb: 2\n",
        "a:\tb\n",
        "a: |+\n  x\n\n",
        "a: |2\n   x\n",
        "a: |\n  x\n\nb: 1\n",
        "a: |\n\n  x\n",
        "a: x\n  y\n",
        "a: 'x\n  y'\n",
        'a: "x"\n',
        "a: [1, 2]\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a:\n   b: 1\n",
        "a:\n-\n",
        "a:\n- - x\n",
        "'a': 1\n",
        "yes: 1\n",
        "a: 1",  # no final line break
        "---\na: 1\n",
        "a: b: c\n",
        "a: x\u2028y\n",
        "a: \x85\n",
        "a: " + "9" * 500 + "\n",
        "a: 1\n- b\n",
        "- a\n",
    ],
)
def test_what_it_does_not_know_goes_to_the_general_reader(text: str) -> None:
    assert quick(text) is None


def test_a_problem_is_reported_by_the_general_reader_with_its_line() -> None:
    with pytest.raises(ReadError) as info:
        yamlio.load("a: 1\nb: " + "9" * 500 + "\n")
    error = info.value
    assert (error.line, error.message) == (2, "a number with more than 100 digits")


LINE_PARTS = st.sampled_from(
    [
        *("a", "b", "id", "x y", "1", "yes", "'q'", "''", "|", "|-", "[]", "{}", ": ", ":"),
        *("-", "- ", "#", " #", "  ", " ", "\t", '"', "é", "~", "&a", "*a", "!!int", "%"),
        *("?", ",", "0x1", "\r"),
    ]
)
LINES = st.lists(
    st.tuples(st.integers(0, 6), st.lists(LINE_PARTS, max_size=5)).map(
        lambda t: " " * t[0] + "".join(t[1])
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=1500, deadline=None)
@given(LINES)
@example(["a:", "- b: 1", "  c:", "  - d", "e: |-", "  x", "", "  y"])
@example(["a:", "  - b", "  -c"])
@example(["a: |", "  x", " y"])
def test_hostile_lines_never_read_differently(lines: list[str]) -> None:
    agrees("\n".join(lines) + "\n")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_an_edited_note_never_reads_differently(data) -> None:
    """A note the coach wrote, then edited by hand at random: one line changed."""
    meta = {
        "kind": "review",
        "role": "Kostya",
        "checklists": [{"id": "after-the-room", "version": 1}, {"id": "x", "version": 2}],
        "answers": {"after-the-room": {"who": "Casting\nand the director", "outcome": "hold"}},
    }
    lines = yamldump.dump(meta).split("\n")
    at = data.draw(st.integers(0, len(lines) - 1))
    edit = data.draw(st.sampled_from(["insert", "delete", "indent", "dedent"]))
    line = lines[at]
    where = data.draw(st.integers(0, len(line)))
    if edit == "insert":
        line = line[:where] + data.draw(LINE_PARTS) + line[where:]
    elif edit == "delete":
        line = line[:where] + line[where + 1 :]
    elif edit == "indent":
        line = " " + line
    else:
        line = line[1:]
    lines[at] = line
    agrees("\n".join(lines))


# -- the shortcuts of the plain value reader ----------------------------------------------


def resolved(text: str):
    """A plain value as PyYAML's resolver types it (the general reader's way)."""
    tag = yamlio._resolver().resolve(yaml.ScalarNode, text, (True, False))
    return yamlio._tagged(text, tag, 0)


def test_the_known_words_are_what_the_resolver_reads() -> None:
    for word, value in yamlscalars.COMMON_WORDS.items():
        assert resolved(word) is value, word


def test_the_first_characters_written_out_are_the_resolvers() -> None:
    # yamlscalars spells them out so that reading a value does not import PyYAML.
    resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
    assert frozenset(k for k in resolvers if k) == yamlscalars.RESOLVED_FIRST
    assert (None in resolvers) == yamlscalars.ANY_FIRST


def test_a_letter_starts_only_booleans_and_nulls_all_of_them_common_words() -> None:
    resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
    found = [(tag, regexp) for first in yamlscalars.WORD_FIRST for tag, regexp in resolvers[first]]
    assert {tag for tag, _ in found} == {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}
    # Each pattern is a list of whole words: every word it matches is a common word.
    for _, regexp in found:
        assert regexp.pattern.startswith("^(?:") and regexp.pattern.endswith(")$")
        words = [w.strip() for w in regexp.pattern[4:-2].split("|")]  # (a verbose pattern)
        assert all(w in ("", "~") or w.isalpha() for w in words)
        assert {w for w in words if w.isalpha()} <= set(yamlscalars.COMMON_WORDS)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.from_regex(r"\A[yYnNtTfFoO][A-Za-z ]{0,8}\Z"),
        st.from_regex(r"\A[0-9][0-9_:.eE+-]{0,6}\Z"),
        st.sampled_from(list(yamlscalars.COMMON_WORDS)),
        st.text(min_size=1, max_size=8).filter(lambda t: t[0] not in " #-?:,[]{}&*!|>'\"%@`"),
    )
)
def test_plain_values_read_as_the_resolver_reads_them(text: str) -> None:
    try:
        expected = resolved(text)
    except ReadError:
        with pytest.raises(ReadError):
            yamlio._plain(text)
        return
    assert same(yamlio._plain(text), expected)
