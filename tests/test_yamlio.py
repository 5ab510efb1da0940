"""The one YAML reader and writer: limits, plain values, and strings that read back as
strings in YAML 1.1 (PyYAML) and YAML 1.2 (ruamel.yaml) alike."""

from __future__ import annotations

import contextlib
import io

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from callback_coach.store import yamldump, yamlio
from callback_coach.store.yamlio import ReadError

YAML12 = YAML(typ="safe", pure=True)  # a YAML 1.2 reader, as many editors' tools are

# Strings a YAML reader may take for a number, a date, a time, a null or a boolean.
LOOKALIKES = st.one_of(
    st.from_regex(r"\A[-+]?[0-9_]{1,6}(\.[0-9_]{0,4})?([eE][-+]?[0-9]{1,3})?\Z"),
    st.from_regex(r"\A[-+]?0[oxbOXB][0-9a-fA-F_]{1,6}\Z"),
    st.from_regex(r"\A[-+]?\.([iI]nf|INF|nan|NaN|NAN|[0-9]{1,3}([eE][-+]?[0-9])?)\Z"),
    st.from_regex(r"\A[-+]?[0-9]{1,3}(:[0-5]?[0-9]){1,3}(\.[0-9]*)?\Z"),
    st.from_regex(
        r"\A[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
        r"([Tt ]+[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?( *(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?\Z"
    ),
    st.sampled_from(
        [
            *("~", "null", "Null", "NULL", "true", "True", "FALSE", "yes", "No", "ON", "off"),
            *("y", "Y", "n", "N", "", "=", "<<", "-", "- x", "? x", "#", ".", "..."),
        ]
    ),
)
TEXT = st.one_of(st.text(), LOOKALIKES, st.lists(LOOKALIKES, min_size=2, max_size=3).map(" ".join))
ANSWER = st.one_of(
    TEXT,
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.none(),
    st.lists(TEXT, max_size=3),
)
ANSWERS = st.dictionaries(TEXT, st.dictionaries(TEXT, ANSWER, max_size=5), max_size=4)


@settings(max_examples=200, deadline=None)
@given(ANSWERS)
@example({"refine-intention": {"want": "1e3", "obstacle": "0o17", "x": "0x1F", "y": ".inf"}})
@example({"c": {"a": "~", "b": "null", "c": "yes", "d": "off", "e": "y", "f": "n"}})
@example({"c": {"a": "1_000", "b": "12:30", "c": "2026-11-23", "d": "+1", "e": ".5"}})
@example({"c": {"a": "2026-02-30", "b": "1\n2", "c": "line\u2028break", "d": "Hamlet 🎭"}})
def test_what_is_written_reads_back_the_same_in_yaml_1_1_and_1_2(answers) -> None:
    text = yamldump.dump({"answers": answers})
    assert yaml.safe_load(text) == {"answers": answers}
    assert YAML12.load(text) == {"answers": answers}
    assert yamlio.load(text).value == {"answers": answers}


def test_lookalike_strings_are_quoted_and_plain_words_are_not() -> None:
    text = yamldump.dump({"a": "1e3", "b": "0o17", "c": "to win him over", "d": "Zoë 🎭"})
    assert text == "a: '1e3'\nb: '0o17'\nc: to win him over\nd: Zoë 🎭\n"


def test_multi_line_text_is_a_literal_block_and_no_alias_is_written() -> None:
    shared = ["a", "b"]
    text = yamldump.dump({"x": "one\ntwo", "first": shared, "second": shared})
    assert text == "x: |-\n  one\n  two\nfirst:\n- a\n- b\nsecond:\n- a\n- b\n"


@pytest.fixture(params=["libyaml", "pure"])
def parser(request, monkeypatch):
    """Every reader test runs with libyaml's parser and with PyYAML's own (the fallback)."""
    if request.param == "pure":
        monkeypatch.setattr(yamlio, "_parser", lambda: yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("libyaml is not installed")
    return request.param


def error_of(text: str) -> ReadError:
    with pytest.raises(ReadError) as info:
        yamlio.load(text)
    return info.value


def test_plain_values_as_pyyaml_reads_them_but_dates_stay_text(parser) -> None:
    text = (
        "a: 1\nb: yes\nc: 2026-02-30\nd: 2026-11-22 21:03:12+00:00\ne: 0x1F\nf: 1:30\n"
        "g: ~\nh: .inf\ni: '5'\nj: !!str 12\nk: !!int '7'\nl: 1.5\nm: [x, {n: null}]\n"
    )
    assert yamlio.load(text).value == {
        "a": 1,
        "b": True,
        "c": "2026-02-30",
        "d": "2026-11-22 21:03:12+00:00",
        "e": 31,
        "f": 90,
        "g": None,
        "h": float("inf"),
        "i": "5",
        "j": "12",
        "k": 7,
        "l": 1.5,
        "m": ["x", {"n": None}],
    }


def test_a_huge_number_is_a_problem_not_a_crash(parser) -> None:
    error = error_of("a: 1\nb: " + "9" * 5000 + "\n")
    assert (error.line, error.message) == (2, "a number with more than 100 digits")


@pytest.mark.parametrize("depth", [yamlio.MAX_DEPTH + 1, 3_000, 30_000])
def test_nesting_is_limited_while_parsing(parser, depth: int) -> None:
    error = error_of("a: " + "[" * depth + "]" * depth)
    assert error.message == f"nested more than {yamlio.MAX_DEPTH} levels deep"


def test_nesting_up_to_the_limit_is_read(parser) -> None:
    depth = yamlio.MAX_DEPTH
    value = yamlio.load("[" * depth + "]" * depth).value
    for _ in range(depth - 1):
        value = value[0]
    assert value == []


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def test_billion_laughs_stop_at_the_value_limit(parser) -> None:
    error = error_of(BILLION_LAUGHS)
    assert "more than 100,000 values" in error.message


def test_an_alias_chain_cannot_nest_past_the_limit(parser) -> None:
    text = "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 60))
    assert "nested more than" in error_of(text).message


def test_an_anchor_given_again_inside_itself(parser) -> None:
    assert yamlio.load("a: &x [&x [1]]\nb: *x\n").value == {"a": [[1]], "b": [[1]]}
    assert "a loop" in error_of("a: &x [&x [1], *x]\n").message


def test_aliases_within_the_limits_give_independent_copies(parser) -> None:
    value = yamlio.load("x: &x {a: [1]}\ny: *x\ns: &s text\nt: *s\n").value
    assert value == {"x": {"a": [1]}, "y": {"a": [1]}, "s": "text", "t": "text"}
    value["x"]["a"].append(2)
    assert value["y"] == {"a": [1]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x [1, *x]\n", "alias *x is inside its own anchor (a loop)"),
        ("a: *nope\n", "alias *nope has no anchor &nope before it"),
        (
            "a: !!python/object/apply:os.system ['true']\n",
            "invalid YAML: YAML tag !!python/object/apply:os.system is not allowed",
        ),
        ("a: !!set {x: null}\n", "invalid YAML: YAML tag !!set is not allowed"),
        ("a: !!binary aGk=\n", "invalid YAML: YAML tag !!binary is not allowed"),
        ("a: !!int twelve\n", "'twelve' is not a valid int"),
        ("<<: {a: 1}\n", "merge keys ('<<') are not supported"),
        ("? [a]\n: 1\n", "a mapping key must be a plain value"),
        ("a: 1\n---\nb: 2\n", "found a second document"),
        ("a: [1\n", "invalid YAML"),
        ('a: "\\ud800"\n', "Unicode"),
        ("a: x\x01\n", "invalid YAML"),
    ],
)
def test_what_is_not_plain_yaml_is_a_problem(parser, text: str, message: str) -> None:
    assert message in error_of(text).message


def test_a_str_that_did_not_come_from_utf8_is_a_problem(parser) -> None:
    error = error_of("a: 1\nb: caf\udce9\n")
    assert (error.line, error.message) == (2, r"text that is not valid Unicode ('\udce9')")


def test_an_explicit_timestamp_stays_text(parser) -> None:
    assert yamlio.load("a: !!timestamp 2026-02-30\n").value == {"a": "2026-02-30"}


def test_duplicate_keys_are_reported_with_their_line_and_the_last_wins(parser) -> None:
    document = yamlio.load("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert document.value == {"a": 3, "b": {"c": 2}}
    assert document.duplicates == [(4, "c"), (5, "a")]


def test_line_offset_counts_from_the_file(parser) -> None:
    assert error_of_offset("a: [1\n", 1).line == 3


def error_of_offset(text: str, offset: int) -> ReadError:
    with pytest.raises(ReadError) as info:
        yamlio.load(text, line_offset=offset)
    return info.value


def test_every_document_with_its_nodes_and_lines(parser) -> None:
    documents = yamlio.load_all("a: 1\n---\nb:\n  - x\n")
    assert [d.value.python() for d in documents] == [{"a": 1}, {"b": ["x"]}]
    ((key, value),) = documents[1].value.value
    assert (key.line, value.line, value.value[0].line) == (3, 4, 4)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab:-[]{}&*!|>'\"#?,.0123456789 \n\t\\\x00\x85\ufeff", max_size=60))
def test_any_text_reads_or_is_a_problem_never_a_crash(text: str) -> None:
    with contextlib.suppress(ReadError):
        yamlio.load(text)
    with contextlib.suppress(ReadError):
        yamlio.load_all(text)


TOKENS = st.sampled_from(
    [
        *"[]{}:,-?'\"#|>\n\t ",
        *("&a ", "&b ", "*a", "*b", "a", "b: ", "1", "2026-02-30", "9" * 120, "~", "\\u"),
        *("!!str ", "!!int ", "!!python/x ", "! ", "<<: ", "---\n", "...\n", "  ", "- "),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=40).map("".join))
def test_any_tokens_read_or_are_a_problem_never_a_crash(text: str) -> None:
    with contextlib.suppress(ReadError):
        yamlio.load(text)
    with contextlib.suppress(ReadError):
        for document in yamlio.load_all(text):
            if document.value is not None:
                document.value.python()


class Endless(io.RawIOBase):
    """/dev/zero as a stream that counts what is asked of it."""

    def __init__(self) -> None:
        self.asked = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert size >= 0, "an endless stream must never be read to its end"
        self.asked += size
        return b"\0" * size


def test_a_stream_is_read_up_to_the_limit_and_no_further() -> None:
    stream = Endless()
    with pytest.raises(ReadError, match="larger than 4 MiB"):
        yamlio.read_limited(stream)
    assert stream.asked == yamlio.MAX_BYTES + 1


def test_bytes_that_are_not_utf8_name_their_line() -> None:
    with pytest.raises(ReadError) as info:
        yamlio.decode(b"a: 1\nb: caf\xe9\n")
    assert (info.value.line, info.value.message) == (2, "not UTF-8 text (byte 0xe9)")
    assert yamlio.decode("\ufeffa: 1\n".encode()) == "a: 1\n"


def _flow_depth_reached(text: str) -> tuple[int, bool]:
    """The deepest flow nesting PyYAML's own parser reaches in `text` (it has no depth
    limit of its own), and whether it read the whole text without an error."""
    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent) and event.flow_style:
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.CollectionEndEvent) and depth:
                depth -= 1
    except yaml.YAMLError:
        return deepest, False
    return deepest, True


def _scan_refuses(text: str) -> bool:
    try:
        yamlio.check_flow_depth(text)
    except ReadError as exc:
        assert exc.message == f"nested more than {yamlio.MAX_DEPTH} levels deep"
        return True
    return False


DEEP_TOKENS = st.sampled_from(
    [
        *("[" * 15, "{" * 15, "]" * 15, "}" * 15, "[", "]", "{", "}", ", ", ": ", "a: "),
        *("- ", "\n", "\n  ", "'", "''", '"', '\\"', "it's", "# ", " #", "|\n", ">-\n"),
        *("a", "x:y", "? ", "&a ", "!!str ", "---\n", "see [1]", "{a:'b'}", '{"k":"v"}'),
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(DEEP_TOKENS, max_size=30).map("".join))
@example("a: " + "[" * 41 + "]" * 41)
@example("a: |\n  " + "[" * 50 + "\nb: 1\n")
@example("a: some text\n  " + "[" * 50 + "\n")
@example("[it's, " + "'" + "[" * 50 + "']\n")
def test_the_flow_depth_scan_agrees_with_a_parser(text: str) -> None:
    """What a parser reads no deeper than the limit is never refused by the scan, and
    what it reads deeper always is (before libyaml's own limit can answer instead)."""
    reached, whole = _flow_depth_reached(text)
    refused = _scan_refuses(text)
    if reached > yamlio.MAX_DEPTH:
        assert refused
    elif whole:
        assert not refused


NESTED = st.recursive(
    st.one_of(st.text(alphabet="ab [{]}'\":#,-\n", max_size=8), st.integers(0, 9)),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=2),
        st.dictionaries(
            st.text(alphabet="ab[{'# ", min_size=1, max_size=3), inner, min_size=1, max_size=2
        ),
    ),
    max_leaves=60,
)


def _wrapped(value: object, depth: int) -> object:
    for _ in range(depth):
        value = [value]
    return value


@settings(max_examples=200, deadline=None)
@given(NESTED, st.integers(0, 50), st.sampled_from([True, False, None]))
def test_the_flow_depth_scan_measures_dumped_data(value, wrap, flow_style) -> None:
    text = yaml.safe_dump(_wrapped(value, wrap), default_flow_style=flow_style, width=40)
    reached, whole = _flow_depth_reached(text)
    assert whole
    assert _scan_refuses(text) == (reached > yamlio.MAX_DEPTH)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.integers(0, 6),
    after=st.integers(0, 6),
    quote=st.sampled_from(["'", '"']),
    nested=st.booleans(),
    offset=st.integers(0, 3),
)
def test_a_quote_never_closed_is_reported_where_it_opens(
    parser, before: int, after: int, quote: str, nested: bool, offset: int
) -> None:
    lines = [f"k{n}: v{n}" for n in range(before)]
    opening = f"  - {quote}never closed" if nested else f"open: {quote}never closed"
    if nested:
        lines.append("list:")
    lines.append(opening)
    lines += [f"z{n}: w{n}" for n in range(after)]
    error = error_of_offset("\n".join(lines) + "\n", offset)
    assert error.line == len(lines) - after + offset
    assert error.message == f"invalid YAML: a quote ({quote}) opens here and is never closed"
