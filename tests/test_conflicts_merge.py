"""Git conflict markers split into two notes; two notes compared and merged, nothing of
either lost."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callback_coach.core.rounds import moment
from callback_coach.errors import AnswersError
from callback_coach.store import yamldump, yamlio
from callback_coach.store.conflict_merge import merge, merged_file_text
from callback_coach.store.conflict_names import has_git_markers
from callback_coach.store.conflicts import ABSENT, GitConflict, compare, git_conflict
from callback_coach.store.facts import outcome_history
from callback_coach.store.notes import Note, parse_note, render_note

# -- git markers ------------------------------------------------------------------------------

TWO_SIDES = """---
kind: prep
<<<<<<< HEAD
outcome: released
=======
outcome: hold
>>>>>>> 4f3a2b1 (device A)
---
# Nina

shared line
<<<<<<< HEAD
phone line
=======
laptop line
laptop line two
>>>>>>> 4f3a2b1 (device A)
"""


def test_markers_split_into_the_two_whole_texts() -> None:
    found = git_conflict(TWO_SIDES)
    assert found == GitConflict(
        ours="---\nkind: prep\noutcome: released\n---\n# Nina\n\nshared line\nphone line\n",
        theirs="---\nkind: prep\noutcome: hold\n---\n# Nina\n\nshared line\n"
        "laptop line\nlaptop line two\n",
        ours_label="HEAD",
        theirs_label="4f3a2b1 (device A)",
        hunks=2,
    )
    assert has_git_markers(TWO_SIDES)


def test_diff3_markers_keep_the_common_ancestor_apart() -> None:
    text = "a\n<<<<<<< ours\nmine\n||||||| base\nold\n=======\ntheirs\n>>>>>>> theirs\nz\n"
    found = git_conflict(text)
    assert found is not None
    assert (found.ours, found.theirs, found.base) == (
        "a\nmine\nz\n",
        "a\ntheirs\nz\n",
        "a\nold\nz\n",
    )


def test_windows_line_ends_and_labels_without_text() -> None:
    text = "a\r\n<<<<<<<\r\nmine\r\n=======\r\ntheirs\r\n>>>>>>>\r\n"
    found = git_conflict(text)
    assert found is not None
    assert (found.ours, found.theirs) == ("a\r\nmine\r\n", "a\r\ntheirs\r\n")
    assert (found.ours_label, found.theirs_label) == ("", "")


@pytest.mark.parametrize(
    "text",
    [
        "# Title\n=======\nA Markdown heading underlined\n",  # no conflict opened
        "<<<<<<< HEAD\nmine\n=======\ntheirs\n",  # never closed
        "<<<<<<< HEAD\nmine\n>>>>>>> other\n",  # no separator
        "<<<<<<< HEAD\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> o\n",  # opened twice
        "<<<<<<<< eight\nx\n=======\ny\n>>>>>>>> eight\n",  # not git's seven
        "a line with <<<<<<< inside\n=======\n>>>>>>> b\n",  # not at a line start
    ],
)
def test_text_that_is_no_whole_conflict_is_not_split(text: str) -> None:
    assert git_conflict(text) is None


def test_a_note_without_markers_has_none() -> None:
    assert not has_git_markers("---\nkind: prep\n---\n# Title\n=======\n")
    assert git_conflict("---\nkind: prep\n---\nbody\n") is None


# -- compare ----------------------------------------------------------------------------------


def note(answers: dict[str, dict[str, Any]], body: str = "", **meta: Any) -> Note:
    return Note(
        meta={
            "format": 1,
            "kind": "prep",
            "role": "Nina",
            "round": "callback-1",
            **meta,
            "answers": answers,
        },
        body=body,
    )


def test_compare_says_for_each_answer_where_it_is() -> None:
    mine = note(
        {"c": {"same": "x", "mine": "only here", "differ": "a", "blank": ""}},
        "one\ntwo\n",
        outcome="hold",
    )
    theirs = note(
        {"c": {"same": "x", "theirs": "only there", "differ": "b", "blank": "filled"}},
        "one\nthree\n",
        outcome="released",
        extra="theirs only",
    )
    found = compare(mine, theirs, mine_label="this note", theirs_label="the copy")
    assert [(d.where, d.status) for d in found.answers] == [
        ("answers.c.same", "same"),
        ("answers.c.mine", "only mine"),
        ("answers.c.differ", "differ"),
        ("answers.c.blank", "only theirs"),
        ("answers.c.theirs", "only theirs"),
    ]
    assert found.counts() == {"same": 1, "only mine": 1, "only theirs": 2, "differ": 1}
    keys = {d.where: d for d in found.keys}
    assert "answers" not in keys
    assert (keys["outcome"].status, keys["outcome"].mine, keys["outcome"].theirs) == (
        "differ",
        "hold",
        "released",
    )
    assert (keys["extra"].status, keys["extra"].mine) == ("only theirs", ABSENT)
    assert keys["kind"].status == "same"
    assert found.body_diff == [
        "--- this note",
        "+++ the copy",
        "@@ -1,2 +1,2 @@",
        " one",
        "-two",
        "+three",
    ]
    assert not found.same
    assert compare(mine, mine).same


# -- merge ------------------------------------------------------------------------------------


def never(where: str, mine: Any, theirs: Any) -> Any:
    raise AssertionError(f"asked about {where}")


def test_one_sided_answers_are_kept_and_differing_ones_chosen() -> None:
    asked = []

    def choose(where: str, mine: Any, theirs: Any) -> Any:
        asked.append((where, mine, theirs))
        return "theirs"

    mine = note({"c": {"a": "mine", "m": "only mine", "blank": None}, "mine-only": {"q": 1}})
    theirs = note(
        {"c": {"a": "theirs", "t": "only theirs", "blank": "given"}, "theirs-only": {"q": 2}}
    )
    merged = merge(mine, theirs, choose)
    assert asked == [("answers.c.a", "mine", "theirs")]
    assert merged.meta["answers"] == {
        "c": {"a": "theirs", "m": "only mine", "blank": "given", "t": "only theirs"},
        "mine-only": {"q": 1},
        "theirs-only": {"q": 2},
    }
    # The answer a choice left out is still in the note, at the end of its body.
    assert merged.body.endswith(
        "\n#### Not kept in the merge, from this note:\n```yaml\nanswers.c.a: mine\n```\n"
    )


MERGED_AT = "2026-12-03T12:00:00+00:00"


def outcomes_of(meta: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["outcome"], e["at"]) for e in meta["outcome_history"]]


def test_the_outcome_not_kept_joins_the_history_and_histories_are_unions() -> None:
    mine = note(
        {},
        outcome="released",
        outcome_updated="2026-12-02T10:00:00+01:00",
        earlier_outcomes=["callback", "hold"],
        outcome_history=[{"outcome": "hold", "at": "2026-12-01T09:00:00+00:00"}],
    )
    theirs = note(
        {},
        outcome="booked",
        outcome_updated="2026-12-01T10:00:00+01:00",
        earlier_outcomes=["callback", "pinned"],
        outcome_history=[
            {"outcome": "pinned", "at": "2026-11-30T09:00:00+00:00"},
            {"outcome": "booked", "at": "2026-12-01T09:00:00+00:00"},
        ],
    )
    merged = merge(mine, theirs, lambda where, a, b: "mine", at=MERGED_AT)
    # Every change of both, once, in time order; then the outcome kept, at the merge.
    assert (merged.meta["outcome"], merged.meta["outcome_updated"]) == ("released", MERGED_AT)
    assert outcomes_of(merged.meta) == [
        ("pinned", "2026-11-30T09:00:00+00:00"),
        ("hold", "2026-12-01T09:00:00+00:00"),
        ("booked", "2026-12-01T09:00:00+00:00"),
        ("released", MERGED_AT),
    ]
    # An older note's outcomes without times: both sides' kept (theirs changed first),
    # never added to.
    assert merged.meta["earlier_outcomes"] == ["callback", "pinned", "hold"]
    assert "#### Not kept" not in merged.body  # an outcome is kept in the history instead

    merged = merge(mine, theirs, lambda where, a, b: "theirs", at=MERGED_AT)
    assert (merged.meta["outcome"], merged.meta["outcome_updated"]) == ("booked", MERGED_AT)
    # Mine's released, which its history had not recorded yet, joins it at its
    # outcome_updated.
    assert outcomes_of(merged.meta)[-2:] == [
        ("released", "2026-12-02T10:00:00+01:00"),
        ("booked", MERGED_AT),
    ]
    assert merged.meta["earlier_outcomes"] == ["callback", "pinned", "hold"]


def test_the_outcome_kept_that_is_the_newest_change_is_not_recorded_again() -> None:
    history = [{"outcome": "hold", "at": "2026-12-01T09:00:00+00:00"}]
    mine = note(
        {},
        outcome="hold",
        outcome_updated="2026-12-01T09:00:00+00:00",
        outcome_history=history,
    )
    theirs = note(
        {},
        outcome="booked",
        outcome_updated="2026-12-02T09:00:00+00:00",
        outcome_history=[*history, {"outcome": "booked", "at": "2026-12-02T09:00:00+00:00"}],
    )
    merged = merge(mine, theirs, lambda where, a, b: "theirs", at=MERGED_AT)
    assert merged.meta["outcome"] == "booked"
    assert merged.meta["outcome_updated"] == "2026-12-02T09:00:00+00:00"
    assert merged.meta["outcome_history"] == theirs.meta["outcome_history"]
    assert "earlier_outcomes" not in merged.meta


def test_the_outcome_kept_is_never_older_than_a_change_from_a_clock_ahead() -> None:
    ahead = "2026-12-09T09:00:00+00:00"  # the other device's clock runs a week ahead
    mine = note({}, outcome="hold", outcome_history=[{"outcome": "hold", "at": MERGED_AT}])
    theirs = note({}, outcome="released", outcome_history=[{"outcome": "released", "at": ahead}])
    merged = merge(mine, theirs, lambda where, a, b: "mine", at=MERGED_AT)
    assert outcomes_of(merged.meta)[-2:] == [("released", ahead), ("hold", ahead)]
    assert merged.meta["outcome_updated"] == ahead


def test_histories_that_list_one_change_in_another_order_hold_it_once() -> None:
    a = {"outcome": "callback", "at": "2026-12-01T09:00:00+00:00"}
    b = {"outcome": "hold", "at": "2026-12-01T10:00:00+01:00"}  # the same instant as a
    c = {"outcome": "hold", "at": "2026-12-02T09:00:00+00:00"}
    mine = note({}, outcome="hold", outcome_history=[a, b, c], hand="x")
    theirs = note({}, outcome="hold", outcome_history=[c, b], hand="y")
    merged = merge(mine, theirs, lambda where, x, y: "mine", at=MERGED_AT)
    assert merged.meta["outcome_history"] == [a, b, c]


def test_an_older_note_s_outcome_without_a_time_stays_in_the_history() -> None:
    mine = note({}, outcome="hold", earlier_outcomes=["callback"])
    theirs = note(
        {},
        outcome="booked",
        created="2026-11-30T08:00:00+00:00",
        outcome_updated="2026-12-01T09:00:00+00:00",
        outcome_history=[{"outcome": "booked", "at": "2026-12-01T09:00:00+00:00"}],
    )
    merged = merge(mine, theirs, lambda where, x, y: "theirs", at=MERGED_AT)
    # Mine's hold has no time: it comes first, with none (as outcome_history reads it).
    assert outcomes_of(merged.meta) == [("hold", ""), ("booked", "2026-12-01T09:00:00+00:00")]
    assert merged.meta["outcome_updated"] == "2026-12-01T09:00:00+00:00"
    assert merged.meta["earlier_outcomes"] == ["callback"]
    assert [c.outcome for c in outcome_history(merged.meta, "")] == ["callback", "hold", "booked"]


def test_follow_ups_are_a_union_and_one_id_that_differs_is_chosen() -> None:
    mine = note(
        {},
        follow_ups=[
            {"id": "aaaaaaa", "what": "Thank Anna"},
            {"id": "bbbbbbb", "what": "Send tape"},
        ],
        follow_ups_done={"aaaaaaa": "2026-12-01"},
    )
    theirs = note(
        {},
        follow_ups=[
            {"id": "bbbbbbb", "what": "Send the tape"},
            {"id": "ccccccc", "what": "Call agent"},
        ],
        follow_ups_done={"aaaaaaa": "2026-12-01", "ccccccc": "2026-12-02"},
    )
    asked = []

    def choose(where: str, a: Any, b: Any) -> Any:
        asked.append(where)
        return "mine"

    merged = merge(mine, theirs, choose)
    assert asked == ["follow_ups.bbbbbbb"]
    assert merged.meta["follow_ups"] == [
        {"id": "aaaaaaa", "what": "Thank Anna"},
        {"id": "bbbbbbb", "what": "Send tape"},
        {"id": "ccccccc", "what": "Call agent"},
    ]
    assert merged.meta["follow_ups_done"] == {"aaaaaaa": "2026-12-01", "ccccccc": "2026-12-02"}
    assert "Send the tape" in merged.body  # the wording not kept, at the end of the body


def test_the_coach_s_bookkeeping_is_settled_without_asking() -> None:
    mine = note(
        {},
        created="2026-12-01T10:00:00+00:00",
        checklists=[{"id": "a", "version": 1}, {"id": "b", "version": 3}],
    )
    theirs = note(
        {},
        format=1,
        created="2026-12-01T09:00:00+00:00",
        checklists=[{"id": "a", "version": 2}, {"id": "c", "version": 1}],
    )
    merged = merge(mine, theirs, never)
    assert merged.meta["created"] == "2026-12-01T09:00:00+00:00"
    assert merged.meta["checklists"] == [
        {"id": "a", "version": 2},
        {"id": "b", "version": 3},
        {"id": "c", "version": 1},
    ]


def test_bodies_keep_the_shared_part_once_and_each_side_under_a_heading() -> None:
    mine = note({}, "# Nina\n\nshared\nfrom the phone\nend\n")
    theirs = note({}, "# Nina\n\nshared\nfrom the laptop\nend\n")
    merged = merge(mine, theirs, never, mine_label="this note", theirs_label="the copy (x.md)")
    assert merged.body == (
        "# Nina\n\nshared\n"
        "#### From this note:\nfrom the phone\n"
        "#### From the copy (x.md):\nfrom the laptop\n"
        "#### In both:\nend\n"
    )


def test_windows_line_ends_stay_and_a_missing_last_line_end_is_added() -> None:
    mine = note({}, "a\r\nb\r\nmine")
    theirs = note({}, "a\nb\ntheirs\n")
    merged = merge(mine, theirs, never)
    assert (
        merged.body == "a\r\nb\r\n#### From this note:\r\nmine\r\n#### From the copy:\r\ntheirs\n"
    )


# -- properties -------------------------------------------------------------------------------

ids = st.sampled_from(["a", "b", "c", "d"])
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
answer_values = st.one_of(
    texts, st.integers(0, 10), st.booleans(), st.none(), st.lists(texts, max_size=3)
)
lines = st.lists(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
        max_size=10,
    ),
    max_size=8,
)
outcomes = st.sampled_from(["callback", "hold", "pinned", "booked", "released"])
# A few times, so two notes often share a change (and two changes a time).
times = st.sampled_from(
    [
        f"2026-12-0{day}T{hour:02d}:00:00{zone}"
        for day in (1, 2)
        for hour in (9, 10)
        for zone in ("+00:00", "+01:00")
    ]
)


@st.composite
def notes(draw: st.DrawFn) -> Note:
    answers = draw(
        st.dictionaries(ids, st.dictionaries(ids, answer_values, max_size=4), max_size=3)
    )
    meta: dict[str, Any] = {"format": 1, "kind": "prep", "role": "Nina", "round": "callback-1"}
    if draw(st.booleans()):
        # As `coach outcome` writes it: each change with its time, the last one current.
        changes = sorted(
            draw(st.lists(st.tuples(times, outcomes), min_size=1, max_size=4, unique=True)),
            key=lambda change: moment(change[0]),
        )
        meta["outcome"] = changes[-1][1]
        meta["outcome_updated"] = changes[-1][0]
        meta["outcome_history"] = [{"outcome": o, "at": at} for at, o in changes]
    elif draw(st.booleans()):
        meta["outcome"] = draw(outcomes)  # as an older coach wrote it
    if draw(st.booleans()):
        meta["earlier_outcomes"] = draw(st.lists(outcomes, max_size=4))  # an older note's
    if draw(st.booleans()):
        meta["follow_ups"] = [
            {"id": i, "what": draw(texts)} for i in draw(st.lists(ids, unique=True, max_size=3))
        ]
    if draw(st.booleans()):
        meta["mine"] = draw(texts)
    meta["answers"] = answers
    body = "".join(f"{line}\n" for line in draw(lines))
    return Note(meta=meta, body=body)


def pairs() -> st.SearchStrategy[tuple[Note, Note]]:
    """Two notes, often sharing most of what they hold (as two devices' copies do)."""

    def related(first: Note) -> st.SearchStrategy[tuple[Note, Note]]:
        return notes().map(lambda second: (first, blend(first, second)))

    return st.one_of(st.tuples(notes(), notes()), notes().flatmap(related))


def blend(first: Note, second: Note) -> Note:
    answers = {
        c: {**first.meta["answers"].get(c, {}), **q} for c, q in second.meta["answers"].items()
    }
    meta = {**first.meta, **second.meta, "answers": {**first.meta["answers"], **answers}}
    body_a, body_b = first.body.splitlines(True), second.body.splitlines(True)
    body = "".join(body_a[: len(body_a) // 2] + body_b + body_a[len(body_a) // 2 :])
    return Note(meta=meta, body=body)


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    rest = iter(whole)
    return all(any(line == other for other in rest) for line in part)


def body_lines(body: str) -> list[str]:
    return [line.rstrip("\r\n") for line in re.findall(r"[^\n]*\n|[^\n]+", body)]


def answered(value: Any) -> bool:
    if value is None or value is ABSENT:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return not (isinstance(value, list) and not value)


@settings(max_examples=300)
@given(pairs(), st.randoms(use_true_random=False), times)
def test_nothing_of_either_note_is_lost(pair: tuple[Note, Note], rng: Any, now: str) -> None:
    mine, theirs = pair
    choices: dict[str, str] = {}

    def choose(where: str, a: Any, b: Any) -> Any:
        choices[where] = rng.choice(["mine", "theirs"])
        return choices[where]

    merged = merge(mine, theirs, choose, at=now)
    left_out = left_out_values(merged.body)
    for side, source in (("mine", mine), ("theirs", theirs)):
        for cid, questions in source.meta["answers"].items():
            for qid, value in questions.items():
                if not answered(value):
                    continue
                where = f"answers.{cid}.{qid}"
                kept = merged.meta["answers"][cid][qid]
                if where in choices and choices[where] != side:
                    assert left_out[where] == value  # chosen away: still in the body
                else:
                    assert kept == value or (kept != kept and value != value)  # NaN
        # Every outcome change of either, once, in time order; an older note's outcomes
        # without times in their order.
        changes = merged.meta.get("outcome_history", [])
        for entry in source.meta.get("outcome_history", []):
            assert changes.count(entry) == 1
        assert all(changes.count(entry) == 1 for entry in changes)
        assert [moment(e["at"]) for e in changes] == sorted(moment(e["at"]) for e in changes)
        earlier = source.meta.get("earlier_outcomes", [])
        assert is_subsequence(earlier, merged.meta.get("earlier_outcomes", []))
        for entry in source.meta.get("follow_ups", []):
            ids_kept = [e["id"] for e in merged.meta["follow_ups"]]
            assert ids_kept.count(entry["id"]) == 1
        assert is_subsequence(body_lines(source.body), body_lines(merged.body))
    if (
        "outcome" in mine.meta
        and "outcome" in theirs.meta
        and mine.meta["outcome"] != theirs.meta["outcome"]
    ):
        # Both stay in the history, and the one kept is the round's outcome: its newest
        # change by time, as `core.rounds` orders them.
        recorded = outcome_history(merged.meta, "")
        assert {mine.meta["outcome"], theirs.meta["outcome"]} <= {c.outcome for c in recorded}
        newest = max(enumerate(recorded), key=lambda item: (moment(item[1].at), item[0]))[1]
        assert newest.outcome == merged.meta["outcome"]


def left_out_values(body: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for block in re.findall(
        r"#### Not kept in the merge, from [^\n]*:\n```yaml\n(.*?)```\n", body, re.DOTALL
    ):
        found.update(yamlio.load(block).value)
    return found


@settings(max_examples=200)
@given(notes())
def test_a_note_merged_with_itself_comes_back_unchanged(one: Note) -> None:
    same = Note(meta=yamlio.load(yamldump.dump(one.meta)).value, body=one.body)
    merged = merge(one, same, never)
    assert merged.meta == one.meta and list(merged.meta) == list(one.meta)
    assert merged.body == one.body
    assert compare(one, same).same


# -- the merged file --------------------------------------------------------------------------

HAND_EDITED = (
    "---\r\n"
    "format: 1\r\n"
    "kind: prep\r\n"
    "role: Nina   # as the director says it\r\n"
    "round: callback-1\r\n"
    "my_key: [kept, as written]\r\n"
    "answers:\r\n"
    "  c:\r\n"
    "    a: mine\r\n"
    "outcome: hold  # my agent said so\r\n"
    "---\r\n"
    "# Nina\r\n\r\nmy own words\r\n"
)


def test_the_merged_file_keeps_the_note_s_own_layout() -> None:
    mine = parse_note(HAND_EDITED)
    theirs = Note(
        meta={**mine.meta, "answers": {"c": {"a": "mine", "b": "theirs"}}}, body=mine.body
    )
    merged = merge(mine, theirs, never)
    text = merged_file_text(HAND_EDITED, merged)
    assert parse_note(text).meta == merged.meta
    # Only the answers' lines differ; the comments, the hand-written list and the Windows
    # line ends stay.
    assert text.replace("    b: theirs\r\n", "") == HAND_EDITED
    assert merged_file_text(HAND_EDITED, mine) == HAND_EDITED


def test_a_merged_note_the_coach_cannot_read_back_is_refused() -> None:
    mine = parse_note(HAND_EDITED)
    broken = Note(meta={**mine.meta, "outcome": "maybe"}, body=mine.body)
    with pytest.raises(AnswersError, match="nothing was written"):
        merged_file_text(HAND_EDITED, broken)


def test_a_layout_that_cannot_be_kept_is_written_as_the_coach_writes_notes() -> None:
    mine = parse_note(HAND_EDITED)
    without = Note(meta={k: v for k, v in mine.meta.items() if k != "my_key"}, body="new\n")
    text = merged_file_text(HAND_EDITED, without)
    assert text == render_note(without)


# -- the documentation ------------------------------------------------------------------------

DEVICES = Path(__file__).resolve().parents[1] / "docs" / "devices.md"


def test_the_devices_page_shows_the_history_a_merge_writes() -> None:
    page = DEVICES.read_text(encoding="utf-8")
    (block,) = re.findall(r"  ```yaml\n(.*?)  ```", page, flags=re.DOTALL)
    documented = yamlio.load(textwrap.dedent(block)).value
    hold, released, merged_at = (e["at"] for e in documented["outcome_history"])
    phone = note(
        {},
        outcome="hold",
        outcome_updated=hold,
        outcome_history=[{"outcome": "hold", "at": hold}],
    )
    laptop = note(
        {},
        outcome="released",
        outcome_updated=released,
        outcome_history=[{"outcome": "hold", "at": hold}, {"outcome": "released", "at": released}],
    )
    merged = merge(phone, laptop, lambda where, a, b: "mine", at=merged_at)
    assert {key: merged.meta[key] for key in documented} == documented
