"""The built-in checklists as content: how long each path of a prep is, what the quick path
and the closing check cover, the self-tape swap, the log fields, and the seed advice each
question answers (the table in checklists/README.md).

These tests read the checklist data only; how a session asks it is tested elsewhere.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from pathlib import Path

import pytest

from callback_coach.core.checklist import CARD_SLOTS, Catalogue, Checklist, load_catalogue
from callback_coach.core.questions import Question
from callback_coach.core.workflow import Coach
from callback_coach.day.card import LABELS
from callback_coach.store import paths

from .helpers import REVIEW

PREP_AREAS = ("refine-intention", "prepare-for-redirection", "recall-what-worked", "mindset")
FULL_LIMIT = 34  # questions in one full prep, the closing check included
QUICK_LIMIT = 10  # questions in a quick prep, the closing check included
SELF_TAPE_BLOCK = (
    "self-tape-reader",
    "self-tape-framing",
    "self-tape-light-sound",
    "self-tape-slate",
    "self-tape-file-name",
    "self-tape-deadline",
)
ROOM_BLOCK = ("who-will-be-there", "room-size", "logistics")
README = Path(__file__).resolve().parents[1] / "checklists" / "README.md"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(paths.builtin_checklists_dir(), None)


def prep_order(catalogue: Catalogue) -> list[Checklist]:
    """The built-in prep as a session runs it: the four areas, then the closing check."""
    areas = [c for c in catalogue.for_phase("prep") if not c.closing]
    return areas + [c for c in catalogue.checklists if c.closing]


def is_asked(question: Question, given: dict[str, str]) -> bool:
    """`when` as the checklist format defines it, against the answers given so far."""
    if question.when is None:
        return True
    key, op, expected = question.when
    if op == "=":
        return given.get(key) == expected
    return given.get(key) != expected


def asked(checklists: list[Checklist], answers: dict[str, str]) -> list[str]:
    """CHECKLIST.QUESTION of every question one prep asks, when the questions that others
    depend on are answered as `answers` says (by question id)."""
    given: dict[str, str] = {}
    out = []
    for checklist in checklists:
        for question in checklist.questions:
            if is_asked(question, given):
                out.append(f"{checklist.id}.{question.id}")
                if question.id in answers:
                    given[question.id] = answers[question.id]
    return out


def choices_of(catalogue: Catalogue, ref: str) -> tuple[str, ...]:
    cid, qid = ref.split(".")
    question = catalogue.get(cid).question(qid)
    return question.choices


def every_prep(catalogue: Catalogue) -> list[tuple[dict[str, str], list[str]]]:
    """Every way a full prep can go: each answer to each question that another depends on."""
    deciders = {q.when[0] for c in prep_order(catalogue) for q in c.questions if q.when}
    questions = {
        q.id: q.choices for c in prep_order(catalogue) for q in c.questions if q.id in deciders
    }
    assert set(questions) == deciders, "a `when` names a question the prep does not ask"
    ways = []
    for picked in itertools.product(*questions.values()):
        answers = dict(zip(questions, picked, strict=True))
        ways.append((answers, asked(prep_order(catalogue), answers)))
    return ways


# -- how long a prep is --------------------------------------------------------------------


def test_a_full_prep_asks_at_most_34_questions_in_the_room_and_on_tape(
    catalogue: Catalogue,
) -> None:
    order = prep_order(catalogue)
    room = asked(order, {"medium": "theatre", "room-size": "on a video call"})
    tape = asked(order, {"medium": "self-tape", "breathing": "my own routine"})
    assert len(room) <= FULL_LIMIT, room
    assert len(tape) <= FULL_LIMIT, tape
    # However the questions that others depend on are answered.
    longest = max(every_prep(catalogue), key=lambda way: len(way[1]))
    assert len(longest[1]) <= FULL_LIMIT, longest[0]
    # The closing check is part of every full prep.
    assert room[-4:] == tape[-4:] and all(r.startswith("closing-check.") for r in room[-4:])


def test_a_self_tape_swaps_the_room_questions_for_taping_ones(catalogue: Catalogue) -> None:
    order = prep_order(catalogue)
    room = asked(order, {"medium": "film"})
    tape = asked(order, {"medium": "self-tape"})
    for qid in SELF_TAPE_BLOCK:
        assert f"recall-what-worked.{qid}" in tape and f"recall-what-worked.{qid}" not in room
    for qid in ROOM_BLOCK:
        assert f"recall-what-worked.{qid}" in room and f"recall-what-worked.{qid}" not in tape
    assert "prepare-for-redirection.partner" not in tape, "the reader question covers it"
    medium = catalogue.get("refine-intention").questions[0]
    assert medium.id == "medium", "asked first, before anything that depends on it"
    assert medium.type == "select" and "self-tape" in medium.choices


def test_every_when_depends_on_a_question_asked_before_it(catalogue: Catalogue) -> None:
    seen: dict[str, Question] = {}
    for checklist in prep_order(catalogue):
        for question in checklist.questions:
            if question.when:
                key, _, value = question.when
                assert key in seen, f"{checklist.id}.{question.id} comes before {key}"
                assert value in seen[key].choices, f"{checklist.id}.{question.id}: {value!r}"
            seen[question.id] = question


def test_the_quick_path_is_short_and_touches_every_area(catalogue: Catalogue) -> None:
    quick = [
        (c.id, q)
        for c in prep_order(catalogue)
        for q in c.questions
        if q.quick or c.closing  # the closing check ends every prep, the quick one too
    ]
    assert len(quick) <= QUICK_LIMIT, [f"{cid}.{q.id}" for cid, q in quick]
    assert {cid for cid, _ in quick} >= set(PREP_AREAS)
    assert all(q.when is None for _, q in quick), "the quick path is the same for every medium"
    # It starts from last round's direction.
    assert any("after-the-room.direction" in q.recall for _, q in quick)
    assert any(q.card == "direction" for _, q in quick)


# -- the closing check ---------------------------------------------------------------------


def test_the_closing_check_has_one_yes_no_per_area_in_prep_order(catalogue: Catalogue) -> None:
    (closing,) = [c for c in catalogue.checklists if c.closing]
    assert closing.id == "closing-check" and closing.phase == "prep"
    assert [q.revisit for q in closing.questions] == list(PREP_AREAS)
    for question in closing.questions:
        assert question.type == "confirm" and question.default is None, question.id


# -- honest answers and the actor's own words ---------------------------------------------


def test_no_built_in_question_answers_itself(catalogue: Catalogue) -> None:
    """A yes/no pre-answered "yes" becomes a rubber stamp, and a ready-made line is not
    the actor's own: no built-in question has a default (carry-over offers last round's)."""
    for checklist in catalogue.checklists:
        for question in checklist.questions:
            assert question.default is None, f"{checklist.id}.{question.id}"


def test_my_own_routine_has_room_to_say_which(catalogue: Catalogue) -> None:
    mindset = catalogue.get("mindset")
    assert "my own routine" in mindset.question("breathing").choices
    own = mindset.question("breathing-own")
    assert own.type == "text" and own.when == ("breathing", "=", "my own routine")
    assert own.card == "breathing", "the routine named goes on the card"


def test_the_line_and_the_anchor_carry_into_the_next_round(catalogue: Catalogue) -> None:
    mindset = catalogue.get("mindset")
    assert mindset.question("affirmation").recall == ("mindset.affirmation",)
    assert mindset.question("anchor").recall == ("mindset.anchor",)
    assert mindset.question("silent-room").default is None


def test_the_next_rounds_prep_offers_last_rounds_line_and_anchor(home: Path) -> None:
    coach = Coach(home)
    mindset = {"affirmation": "They chose me once already", "anchor": "both feet on the floor"}
    plan = coach.plan_prep("Nina")
    coach.save_answers(plan, {"refine-intention": {"want": "to be seen"}, "mindset": mindset})
    coach.save_answers(coach.plan_review("Nina", outcome="callback"), REVIEW)
    plan = coach.plan_prep("Nina")
    assert plan.round == "callback-2"
    assert plan.defaults["mindset.affirmation"] == mindset["affirmation"]
    assert plan.defaults["mindset.anchor"] == mindset["anchor"]


def test_energy_sleep_and_water_are_asked_apart(catalogue: Catalogue) -> None:
    after = catalogue.get("after-the-room")
    for qid in ("energy", "sleep", "water"):
        assert after.question(qid) is not None, qid
    assert after.question("energy").type == after.question("sleep").type == "scale"


def test_the_log_fields_actors_keep_are_asked(catalogue: Catalogue) -> None:
    after = catalogue.get("after-the-room")
    submitted = after.question("submitted-by")
    assert submitted.type == "select"
    for route in ("agent", "manager", "myself"):
        assert any(route in choice for choice in submitted.choices), route
    assert after.question("material") is not None
    assert catalogue.get("refine-intention").question("medium") is not None


def test_follow_ups_read_as_things_to_do(catalogue: Catalogue) -> None:
    """Unticked choices are listed as open follow-ups, so none may read as already done."""
    follow_up = catalogue.get("after-the-room").question("follow-up")
    assert follow_up.type == "multiselect"
    for choice in follow_up.choices:
        assert not re.search(r"\b(sent|updated|noted|done)\b", choice), choice


def test_overlapping_questions_are_merged(catalogue: Catalogue) -> None:
    ids = {f"{c.id}.{q.id}" for c in catalogue.checklists for q in c.questions}
    for gone in (
        "recall-what-worked.core-choices",
        "prepare-for-redirection.listen-fully",
        "prepare-for-redirection.repeat-back",
    ):
        assert gone not in ids


def test_the_gaps_the_seeds_point_to_are_asked(catalogue: Catalogue) -> None:
    def prompt(ref: str) -> str:
        cid, qid = ref.split(".")
        return catalogue.get(cid).question(qid).prompt.casefold()

    assert "physical or vocal" in prompt("refine-intention.bold-choices")
    assert "rewatch your tape" in prompt("recall-what-worked.what-worked")
    assert "belong" in prompt("refine-intention.project-world")
    assert "unless they asked for a change" in prompt("recall-what-worked.wardrobe")


# -- every question says why, briefly ------------------------------------------------------


def test_every_question_has_a_short_prompt_and_a_one_line_why(catalogue: Catalogue) -> None:
    for checklist in catalogue.checklists:
        for question in checklist.questions:
            where = f"{checklist.id}.{question.id}"
            assert question.help and "\n" not in question.help, where
            assert len(question.help) <= 120, where
            assert len(question.prompt) <= 120, where
            assert question.help.rstrip().endswith("."), where


def test_the_card_is_fed_in_every_slot(catalogue: Catalogue) -> None:
    fed = {q.card for c in catalogue.checklists for q in c.questions if q.card}
    assert fed == set(CARD_SLOTS) - {"remember"}
    assert set(LABELS) == set(CARD_SLOTS)
    tape = asked(prep_order(catalogue), {"medium": "self-tape"})
    by_ref = {f"{c.id}.{q.id}": q for c in catalogue.checklists for q in c.questions}
    assert "room" in {by_ref[ref].card for ref in tape}, "a self-tape card names the reader"


# -- versions: raised whenever the questions change ----------------------------------------

# Each built-in's version with a fingerprint of its questions. A change to the questions
# fails here until the version is raised (and the fingerprint below updated with it).
VERSIONS = {
    "refine-intention": 2,
    "prepare-for-redirection": 2,
    "recall-what-worked": 2,
    "mindset": 3,
    "after-the-room": 2,
    "closing-check": 1,
}
FINGERPRINTS = {
    "refine-intention": "6595eedabba8009c",
    "prepare-for-redirection": "202c04e1d2633eed",
    "recall-what-worked": "ab85348006c4763b",
    "mindset": "afa5f76cd514ac15",
    "after-the-room": "8d5ab7315986e3d5",
    "closing-check": "4a338a5f3569d6c9",
}


def fingerprint(checklist: Checklist) -> str:
    data = json.dumps([q.to_dict() for q in checklist.questions], sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def test_each_version_matches_its_questions(catalogue: Catalogue) -> None:
    found = {c.id: (c.version, fingerprint(c)) for c in catalogue.checklists}
    assert found == {cid: (VERSIONS[cid], FINGERPRINTS[cid]) for cid in VERSIONS}, (
        "questions changed: raise the checklist's version, then update VERSIONS and FINGERPRINTS"
    )


# -- the seed advice, point by point -------------------------------------------------------


def mapping_rows(table: str) -> list[tuple[str, list[str]]]:
    """(point, [CHECKLIST.QUESTION, ...]) of each row of a mapping table of the README,
    the one between `<!-- TABLE -->` and `<!-- /TABLE -->`."""
    text = README.read_text(encoding="utf-8")
    section = text.split(f"<!-- {table} -->", 1)[1].split(f"<!-- /{table} -->", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    rows = []
    for line in lines[2:]:  # after the header and its rule
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows.append((cells[0], re.findall(r"`([a-z0-9_-]+\.[a-z0-9_-]+)`", cells[-1])))
    return rows


@pytest.mark.parametrize("table", ["seed-mapping", "notes-mapping"])
def test_every_id_in_the_mapping_tables_is_a_real_question(
    catalogue: Catalogue, table: str
) -> None:
    rows = mapping_rows(table)
    assert len(rows) >= 10
    questions = {f"{c.id}.{q.id}" for c in catalogue.checklists for q in c.questions}
    for point, refs in rows:
        assert refs, f"no question covers: {point}"
        for ref in refs:
            assert ref in questions, f"{point}: {ref} is not a question"


def test_the_closing_check_and_the_self_tape_block_are_mapped(catalogue: Catalogue) -> None:
    seed = {ref for _, refs in mapping_rows("seed-mapping") for ref in refs}
    closing = catalogue.get("closing-check")
    assert {f"closing-check.{q.id}" for q in closing.questions} <= seed
    notes = {ref for _, refs in mapping_rows("notes-mapping") for ref in refs}
    assert {f"recall-what-worked.{qid}" for qid in SELF_TAPE_BLOCK} <= notes
