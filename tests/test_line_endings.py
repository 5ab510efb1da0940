"""In-place edits keep every byte but the lines they change: CRLF, LF, mixed, a BOM."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from callback_coach.core.workflow import Coach
from callback_coach.store.frontmatter import set_front_matter
from callback_coach.store.notes import dump_yaml, parse_note

from .helpers import prep, review

UPDATES = {"outcome": "booked", "outcome_updated": "2026-11-24T09:30:00+01:00"}

TEXT = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(["a", " ", "---", "\n", "\r\n", "\r", "- x", "# h", "key: v", "é", "\t"]),
        max_size=12,
    ).map("".join),
)
VALUE = st.one_of(TEXT, st.booleans(), st.integers(), st.lists(TEXT, max_size=3))
# Keys are the actor's own; never one of the keys being set.
EXTRA = st.dictionaries(
    st.text(min_size=1, max_size=20).filter(lambda k: not k.startswith("outcome")),
    VALUE,
    max_size=4,
)
# What an `outcome:` line may already hold, hand-edited or not.
OLD_OUTCOME = st.one_of(
    st.none(),
    st.sampled_from(["pending", "callback", "a\n\nb\n", "two\nlines"]),
    st.lists(st.sampled_from(["x", "y"]), min_size=1, max_size=2),
)
ENDINGS = st.sampled_from(["\n", "\r\n"])


def lines_of(yaml_text: str) -> list[str]:
    """YAML text as lines without their endings ("\\n" ends a line, nothing else), and
    without the `...` YAML adds after text ending in blank lines (added back at the end)."""
    return [line for line in yaml_text.split("\n")[:-1] if line != "..."]


def ends_document(*parts: dict) -> bool:
    """True when YAML would close this front matter with a `...` line."""
    merged = {k: v for part in parts for k, v in part.items()}
    return dump_yaml(merged).endswith("\n...\n") if merged else False


@settings(max_examples=400, deadline=None)
@given(
    before=EXTRA,
    old=OLD_OUTCOME,
    after=EXTRA,
    body=TEXT,
    bom=st.booleans(),
    uniform=st.one_of(ENDINGS, st.none()),
    mixed=st.lists(ENDINGS, min_size=1),
    closing_end=st.sampled_from(["\n", "\r\n", ""]),
)
def test_only_the_outcome_lines_change_whatever_the_line_endings(
    before, old, after, body, bom, uniform, mixed, closing_end
) -> None:
    after = {k: v for k, v in after.items() if k not in before}
    endings = iter(mixed * 1000)

    def end() -> str:
        return uniform or next(endings)

    first = end()
    part_a = [line + end() for line in lines_of(dump_yaml(before))] if before else []
    part_o = (
        [line + end() for line in lines_of(dump_yaml({"outcome": old}))] if old is not None else []
    )
    part_b = [line + end() for line in lines_of(dump_yaml(after))] if after else []
    olds = {"outcome": old} if old is not None else {}
    closing = ["..." + end()] if ends_document(before, olds, after) else []
    if not closing_end:
        body = ""
    tail = "---" + closing_end + body
    prefix = ("\ufeff" if bom else "") + "---" + first
    text = prefix + "".join(part_a + part_o + part_b + closing) + tail

    new_lines = {k: dump_yaml({k: v}).rstrip("\n") + first for k, v in UPDATES.items()}
    if old is None:
        changed = [*part_a, *part_b, *new_lines.values()]
    else:
        changed = [*part_a, new_lines["outcome"], *part_b, new_lines["outcome_updated"]]
    expected = prefix + "".join(changed + closing) + tail

    result = set_front_matter(text, UPDATES)
    assert result == expected
    parsed = parse_note(result)
    assert parsed.meta == {**before, **olds, **after, **UPDATES}
    assert parsed.body == parse_note(text).body


def to_crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def test_outcome_keeps_a_crlf_note_with_a_bom_byte_for_byte(home: Path) -> None:
    coach = Coach(home)
    prep(coach)
    path = review(coach, outcome="pending")
    original = b"\xef\xbb\xbf" + to_crlf(path.read_bytes() + b"My words.\nLine two\n")
    path.write_bytes(original)

    note = coach.record_outcome("Nina", "booked")

    data = path.read_bytes()
    stamp = note.meta["outcome_updated"]
    added = (
        f"outcome_updated: '{stamp}'\r\noutcome_history:\r\n- outcome: booked\r\n"
        f"  at: '{stamp}'\r\n"
    )
    assert data == original.replace(b"outcome: pending\r\n", b"outcome: booked\r\n").replace(
        b"\r\n---\r\n# Nina",
        f"\r\n{added}---\r\n# Nina".encode(),
    )
    assert data.count(b"\n") == data.count(b"\r\n")
    assert data.endswith(b"My words.\r\nLine two\r\n")


def test_outcome_keeps_mixed_line_endings_in_the_body(home: Path) -> None:
    coach = Coach(home)
    path = prep(coach)
    original = path.read_bytes() + b"lf\ncrlf\r\nlone cr\rend"
    path.write_bytes(original)
    coach.record_outcome("Nina", "hold")
    data = path.read_bytes()
    assert data.endswith(b"lf\ncrlf\r\nlone cr\rend")
    assert b"\r" not in data[: data.index(b"\n---\n")], "an LF note gets LF outcome lines"
