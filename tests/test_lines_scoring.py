"""Scoring a typed line word by word (property tests): case, punctuation and spacing do
not count; a dropped, swapped or added word does, and the diff names it."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from callback_coach.lines.scene import words
from callback_coach.lines.scoring import hint, score_line

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéñøß", min_size=1, max_size=9)
LINE = st.lists(WORD, min_size=1, max_size=14)
# Punctuation written against a word; a dash, an ellipsis or a slash stands between words.
MARKS = st.sampled_from(["", "", ",", ".", "!", "?", ";", ":", '"', "'", "(", ")", "…", "—"])
SPACE = st.sampled_from([" ", "  ", "\t", "\n", " \n  "])


@st.composite
def written(draw: st.DrawFn, line: list[str]) -> str:
    """`line` as someone might write or type it: any case, punctuation against the words,
    any spacing between them."""
    pieces = []
    for word in line:
        cased = "".join(ch.upper() if draw(st.booleans()) else ch for ch in word)
        before = draw(MARKS.filter(lambda m: m not in "…—"))
        pieces.append(before + cased + draw(MARKS))
    text = ""
    for piece in pieces:
        text += piece + draw(SPACE)
    return draw(SPACE) + text


@given(LINE.flatmap(lambda line: st.tuples(written(line), written(line))))
def test_a_line_scores_100_against_itself_whatever_its_case_punctuation_and_spacing(
    pair: tuple[str, str],
) -> None:
    line, typed = pair
    score = score_line(line, typed)
    assert score.share == 1.0 and score.perfect and score.percent == 100
    assert score.right == score.total == len(words(line))
    assert {part.kind for part in score.parts} == {"same"}


@given(LINE, st.data())
def test_dropping_a_word_lowers_the_score_and_names_it(
    line: list[str], data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(line) - 1))
    typed = line[:at] + line[at + 1 :]
    score = score_line(" ".join(line), " ".join(typed))
    assert score.share < 1.0
    # One word is missed: the dropped one (or one written the same way, when it repeats).
    assert [words(w) for w in score.words("missed")] == [words(line[at])]
    assert score.words("swapped") == []
    assert score.right == len(line) - 1
    assert score.words("added") == []


@given(LINE, WORD, st.data())
def test_swapping_a_word_lowers_the_score_and_names_both(
    line: list[str], other: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(line) - 1))
    assume(words(other) != words(line[at]))
    typed = [*line[:at], other, *line[at + 1 :]]
    score = score_line(" ".join(line), " ".join(typed))
    assert score.share < 1.0
    assert score.right == len(line) - 1
    changed = [p for p in score.parts if p.kind != "same"]
    assert [(p.kind, [words(w) for w in p.expected], p.typed) for p in changed] == [
        ("swapped", [words(line[at])], (other,))
    ]


@given(LINE, WORD, st.data())
def test_adding_a_word_lowers_the_score_and_names_it(
    line: list[str], extra: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(line)))
    typed = [*line[:at], extra, *line[at:]]
    score = score_line(" ".join(line), " ".join(typed))
    assert score.share < 1.0
    assert score.right == len(line)
    assert [words(w) for w in score.words("added")] == [words(extra)]
    assert score.words("missed") == []


@given(LINE, LINE)
def test_the_score_is_a_share_of_the_words(line: list[str], typed: list[str]) -> None:
    score = score_line(" ".join(line), " ".join(typed))
    assert 0.0 <= score.share <= 1.0
    assert 0 <= score.right <= score.total == len(line)
    assert score.is_right == (score.share >= 0.9)


def test_the_diff_names_what_was_missed_swapped_and_added() -> None:
    score = score_line(
        "I said eight-ish. There's a difference.", "i said eightish, theres the difference ok"
    )
    assert score.words("missed") == []
    assert [(p.expected, p.typed) for p in score.parts if p.kind == "swapped"] == [
        (("a",), ("the",))
    ]
    assert score.words("added") == ["ok"]
    assert (score.right, score.total, score.percent) == (5, 6, 71)


def test_an_empty_attempt_misses_every_word() -> None:
    score = score_line("Then go home.", "")
    assert score.share == 0.0 and score.words("missed") == ["Then", "go", "home."]


def test_a_dash_between_words_separates_them() -> None:
    assert words("I thought—no, never mind…") == ["i", "thought", "no", "never", "mind"]
    assert score_line("I thought—no.", "I thought no").perfect


def test_the_hint_is_each_words_first_letter_with_its_punctuation() -> None:
    assert hint("You said eight o'clock.") == "Y s e o."
    assert hint("Not to me — not tonight!") == "N t m n t!"
    assert hint("Zoë? Über-cool.") == "Z? Ü."
