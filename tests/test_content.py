"""The built-in checklists as content: how long each path of a prep is, what the logistics
block, the quick path and the closing check cover, what each yes/no leads to, the
self-tape swap, the carry-over, the review that reads the plan, plain words, and the
source points and working advice each question answers (the tables in
checklists/README.md).

These tests read the checklist data (and, for the carry-over, plan a round through the
core); how a session asks it is tested elsewhere.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from pathlib import Path

import pytest

from callback_coach.core.checklist import CARD_SLOTS, Catalogue, Checklist
from callback_coach.core.checklist_load import load_catalogue
from callback_coach.core.questions import EMPTY, Question
from callback_coach.core.workflow import Coach
from callback_coach.day.card import LABELS
from callback_coach.store import paths
from callback_coach.store.facts import DETAIL_QUESTIONS

from .helpers import REVIEW

PREP_AREAS = ("refine-intention", "prepare-for-redirection", "recall-what-worked", "mindset")
FULL_LIMIT = 34  # questions in one full prep, the logistics block and closing check included
# Questions in a quick prep, the closing check included: a role's first quick prep asks
# the medium too; from then on the medium is carried, not asked again (one fewer).
QUICK_LIMIT = 11
SELF_TAPE_BLOCK = ("self-tape-reader", "self-tape-test-take", "self-tape-instructions")
# Asked only when the round is in a room (or on a call), never on tape.
ROOM_ONLY = (
    "recall-what-worked.who-will-be-there",
    "prepare-for-redirection.chemistry",
    "mindset.silent-room",
)
# What a closing-check "not yet" offers, area by area.
CLOSING_OFFERS = {
    "refine-intention": "question",
    "prepare-for-redirection": "drill",
    "recall-what-worked": "last-round",
    "mindset": "breathe",
}
# What the actor needs an hour before: when and where, a breathing round, an anchor.
HOUR_BEFORE = ("logistics.time", "logistics.place", "mindset.breathing", "mindset.anchor")
README = Path(__file__).resolve().parents[1] / "checklists" / "README.md"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(paths.builtin_checklists_dir(), None)


def prep_order(catalogue: Catalogue) -> list[Checklist]:
    """The built-in prep as a session runs it: the prep checklists in the catalogue's
    order, then the closing check."""
    areas = [c for c in catalogue.for_phase("prep") if not c.closing]
    return areas + [c for c in catalogue.checklists if c.closing]


def every_question(catalogue: Catalogue) -> list[tuple[Checklist, Question]]:
    return [(c, q) for c in catalogue.checklists for q in c.questions]


def by_ref(catalogue: Catalogue) -> dict[str, Question]:
    return {f"{c.id}.{q.id}": q for c, q in every_question(catalogue)}


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


def quick_path(catalogue: Catalogue) -> list[tuple[str, Question]]:
    return [
        (c.id, q)
        for c in prep_order(catalogue)
        for q in c.questions
        if q.quick or c.closing  # the closing check ends every prep, the quick one too
    ]


# -- how long a prep is --------------------------------------------------------------------


def test_a_full_prep_asks_at_most_34_questions_in_the_room_and_on_tape(
    catalogue: Catalogue,
) -> None:
    order = prep_order(catalogue)
    room = asked(order, {"medium": "theatre", "breathing": "my own routine"})
    tape = asked(order, {"medium": "self-tape", "breathing": "my own routine"})
    assert len(room) <= FULL_LIMIT, room
    assert len(tape) <= FULL_LIMIT, tape
    # However the questions that others depend on are answered.
    longest = max(every_prep(catalogue), key=lambda way: len(way[1]))
    assert len(longest[1]) <= FULL_LIMIT, longest[0]
    # The logistics block is part of every full prep; the closing check ends it.
    logistics = [f"logistics.{q.id}" for q in catalogue.get("logistics").questions]
    assert set(logistics) <= set(room) and set(logistics) <= set(tape)
    assert room[-4:] == tape[-4:] and all(r.startswith("closing-check.") for r in room[-4:])


def test_the_logistics_block_comes_first(catalogue: Catalogue) -> None:
    """Asked once per round, before anything else, on the full and the quick path."""
    assert prep_order(catalogue)[0].id == "logistics"
    assert quick_path(catalogue)[0][0] == "logistics"


def test_a_self_tape_swaps_the_room_questions_for_taping_ones(catalogue: Catalogue) -> None:
    order = prep_order(catalogue)
    room = asked(order, {"medium": "film"})
    tape = asked(order, {"medium": "self-tape"})
    for qid in SELF_TAPE_BLOCK:
        assert f"recall-what-worked.{qid}" in tape and f"recall-what-worked.{qid}" not in room
    for ref in ROOM_ONLY:
        assert ref in room and ref not in tape
    medium = catalogue.get("refine-intention").questions[0]
    assert medium.id == "medium", "asked first in its checklist, before anything that depends on it"
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


def test_the_quick_path_is_short_and_holds_the_hour_before(catalogue: Catalogue) -> None:
    quick = quick_path(catalogue)
    refs = [f"{cid}.{q.id}" for cid, q in quick]
    assert len(quick) <= QUICK_LIMIT, refs
    assert set(HOUR_BEFORE) <= set(refs)
    assert "refine-intention.want" in refs
    # Every view of a round shows its medium: a quick prep asks it until a round gave it.
    assert "refine-intention.medium" in refs
    assert all(q.when is None for _, q in quick), "the quick path is the same for every medium"
    # It starts from last round's direction.
    assert any("after-the-room.direction" in q.recall for _, q in quick)
    assert any(q.card == "direction" for _, q in quick)
    # Every area is asked on it, or read by the closing check that ends it.
    read = {ref.split(".")[0] for _, q in quick for ref in q.relies_on}
    assert {cid for cid, _ in quick} | read >= set(PREP_AREAS)


# -- logistics -----------------------------------------------------------------------------


def test_the_logistics_block_asks_when_where_who_and_what_pages(catalogue: Catalogue) -> None:
    logistics = catalogue.get("logistics")
    assert logistics.phase == "prep" and not logistics.closing
    ids = [q.id for q in logistics.questions]
    assert ids == ["time", "place", "casting-office", "submitted-by", "new-sides"]
    # The coach reads the round's details from these ids (card, today, calendar, stats).
    assert "time" in DETAIL_QUESTIONS["time"] and "place" in DETAIL_QUESTIONS["place"]
    assert "casting-office" in DETAIL_QUESTIONS["casting_office"]
    for question in logistics.questions:
        assert not question.required and question.when is None, question.id
    assert logistics.question("time").card == "time"
    assert logistics.question("place").card == "place"
    assert logistics.question("time").quick and logistics.question("place").quick
    # What stays the same from round to round is carried from the last one.
    for qid in ("casting-office", "submitted-by"):
        assert logistics.question(qid).recall == (f"logistics.{qid}",), qid
    for qid in ("time", "place"):
        assert not logistics.question(qid).recall, "a round's time and place are its own"


def test_a_blank_time_or_place_and_unworked_pages_become_to_dos(catalogue: Catalogue) -> None:
    logistics = catalogue.get("logistics")
    for qid in ("time", "place"):
        question = logistics.question(qid)
        assert question.todo_if == EMPTY and question.todo, qid
        assert question.leads_to_todo(None) and question.leads_to_todo("")
        assert not question.leads_to_todo("14:30")
    pages = logistics.question("new-sides")
    assert pages.type == "select" and pages.todo
    assert pages.todo_if == "yes, still working on them"
    assert [c for c in pages.choices if pages.leads_to_todo(c)] == [pages.todo_if]


def test_the_log_fields_actors_keep_are_asked(catalogue: Catalogue) -> None:
    submitted = catalogue.get("logistics").question("submitted-by")
    assert submitted.type == "select"
    for route in ("agent", "manager", "myself"):
        assert any(route in choice for choice in submitted.choices), route
    after = catalogue.get("after-the-room")
    assert after.question("material") is not None
    assert after.question("submitted-by") is None, "asked once, in the logistics block"
    assert catalogue.get("refine-intention").question("medium") is not None


def test_logistics_are_carried_into_the_next_round(home: Path) -> None:
    coach = Coach(home)
    logistics = {
        "time": "14:30",
        "place": "Studio 2, 12 Dean Street",
        "casting-office": "Anna Petrova Casting",
        "submitted-by": "my agent",
    }
    plan = coach.plan_prep("Nina")
    coach.save_answers(plan, {"refine-intention": {"want": "to be seen"}, "logistics": logistics})
    coach.save_answers(coach.plan_review("Nina", outcome="callback"), REVIEW)
    plan = coach.plan_prep("Nina")
    assert plan.round == "callback-2"
    assert plan.defaults["logistics.casting-office"] == "Anna Petrova Casting"
    assert plan.defaults["logistics.submitted-by"] == "my agent"
    assert "logistics.time" not in plan.defaults and "logistics.place" not in plan.defaults


# -- follow-through: no rubber stamps ------------------------------------------------------


def test_every_yes_no_leads_somewhere(catalogue: Catalogue) -> None:
    """A yes/no that leads nowhere is a rubber stamp: each one makes a to-do or offers a
    tool."""
    for checklist, question in every_question(catalogue):
        if question.type == "confirm":
            where = f"{checklist.id}.{question.id}"
            assert question.todo_if is not None or question.offer, where
            if question.todo_if is not None:
                assert question.todo, where


def test_every_to_do_has_words_and_a_real_trigger(catalogue: Catalogue) -> None:
    for checklist, question in every_question(catalogue):
        where = f"{checklist.id}.{question.id}"
        if question.todo_if is None:
            assert question.todo is None, where
            continue
        assert question.todo and len(question.todo) <= 80, where
        assert question.todo[0].isupper() and not question.todo.endswith("."), where
        if question.type in ("select", "multiselect"):
            assert question.todo_if in question.choices, where
        assert checklist.phase == "prep", f"{where}: a to-do belongs to a round still to come"


def test_no_open_question_ends_in_a_tacked_on_yes_no(catalogue: Catalogue) -> None:
    tacked = re.compile(r"\b(have|will|are|do|did|can|could|is) you\b[^.?!]*\?\s*$", re.I)
    for checklist, question in every_question(catalogue):
        if question.type in ("text", "long_text"):
            for prompt in (question.prompt, question.first_prompt or ""):
                sentences = re.split(r"(?<=[.?!])\s+", prompt.strip())
                last = sentences[-1]
                starts = ("Have you", "Will you", "Are you", "Do you", "Did you", "Can you")
                assert len(sentences) == 1 or not last.startswith(starts), (
                    f"{checklist.id}.{question.id}"
                )
                assert not (len(sentences) > 1 and tacked.match(last)), (
                    f"{checklist.id}.{question.id}"
                )


# -- the closing check ---------------------------------------------------------------------


def test_the_closing_check_has_one_yes_no_per_area_in_prep_order(catalogue: Catalogue) -> None:
    (closing,) = [c for c in catalogue.checklists if c.closing]
    assert closing.id == "closing-check" and closing.phase == "prep"
    assert [q.revisit for q in closing.questions] == list(PREP_AREAS)
    for question in closing.questions:
        assert question.type == "confirm" and question.default is None, question.id


def test_each_closing_question_reads_its_area_and_offers_the_tool_that_fits(
    catalogue: Catalogue,
) -> None:
    closing = catalogue.get("closing-check")
    refs = by_ref(catalogue)
    for question in closing.questions:
        assert question.offer == CLOSING_OFFERS[question.revisit], question.id
        assert question.relies_on, f"{question.id}: shows the answers it checks"
        for ref in question.relies_on:
            assert ref.split(".")[0] == question.revisit, f"{question.id}: {ref}"
            assert ref in refs, ref
    # "Not yet" on the intention goes back to the want itself.
    intention = closing.question("intention-refined")
    assert intention.relies_on[0] == "refine-intention.want"
    assert "refine-intention.beats" in intention.relies_on, "the turns, not only the want"
    # Recall reads what you keep and what you refresh, not the work item.
    recall = closing.question("know-what-worked")
    assert set(recall.relies_on) == {
        "recall-what-worked.what-worked",
        "recall-what-worked.refresh",
    }


# -- keep, refresh and the work item -------------------------------------------------------


def test_keep_and_refresh_are_two_questions_and_the_work_item_has_its_own(
    catalogue: Catalogue,
) -> None:
    recall = catalogue.get("recall-what-worked")
    keep, refresh, work = (recall.question(q) for q in ("what-worked", "refresh", "work-on"))
    assert (keep.card, refresh.card, work.card) == ("keep", "refresh", "work-on")
    for question in catalogue.get("recall-what-worked").questions:
        if question.id != "work-on":
            assert "after-the-room.one-thing" not in question.recall, question.id
    assert work.recall == ("after-the-room.one-thing",)
    assert keep.recall == ("after-the-room.what-worked",)
    assert not refresh.recall, "a fresh layer is chosen fresh each round"
    assert catalogue.get("after-the-room").question("one-thing").card == "work-on"
    assert recall.question("keep-and-refresh") is None


def test_the_work_item_is_carried_apart_from_keep_and_refresh(home: Path) -> None:
    coach = Coach(home)
    coach.save_answers(coach.plan_prep("Nina"), {"refine-intention": {"want": "to be seen"}})
    coach.save_answers(coach.plan_review("Nina", outcome="callback"), REVIEW)
    plan = coach.plan_prep("Nina")
    assert plan.defaults["recall-what-worked.work-on"] == "Breathe before the exit"
    assert plan.defaults["recall-what-worked.what-worked"] == "The pause before the last line"
    assert "recall-what-worked.refresh" not in plan.defaults


# -- the review reads the plan -------------------------------------------------------------


def test_the_review_asks_how_the_plan_held(catalogue: Catalogue) -> None:
    after = catalogue.get("after-the-room")
    plan = after.question("plan-held")
    assert plan.type == "select"
    assert set(plan.relies_on) == {
        "prepare-for-redirection.clarifying-question",
        "prepare-for-redirection.alternate-take",
    }
    assert any("no note" in c for c in plan.choices), "did a note come at all"
    wardrobe = after.question("wardrobe-right")
    assert wardrobe.relies_on == ("recall-what-worked.wardrobe",)
    assert after.question("who-was-there").relies_on == ("recall-what-worked.who-will-be-there",)
    refs = by_ref(catalogue)
    for _, question in every_question(catalogue):
        for ref in question.relies_on:
            assert ref in refs, ref


def test_the_next_prep_starts_from_the_plan_and_the_review(catalogue: Catalogue) -> None:
    recall = {ref for _, q in every_question(catalogue) for ref in q.recall}
    for ref in (
        "after-the-room.what-worked",
        "after-the-room.direction",
        "after-the-room.one-thing",
        "after-the-room.wardrobe",
        "after-the-room.who-was-there",
        "prepare-for-redirection.clarifying-question",  # the question the review judged
        "mindset.affirmation",
        "mindset.anchor",
    ):
        assert ref in recall, ref


# -- honest answers and the actor's own words ---------------------------------------------


def test_no_built_in_question_answers_itself(catalogue: Catalogue) -> None:
    """A yes/no pre-answered "yes" becomes a rubber stamp, and a ready-made line is not
    the actor's own: no built-in question has a default (carry-over offers last round's)."""
    for checklist, question in every_question(catalogue):
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


def test_the_breathing_that_works_carries_into_the_next_round(
    home: Path, catalogue: Catalogue
) -> None:
    mindset_list = catalogue.get("mindset")
    assert mindset_list.question("breathing").recall == ("mindset.breathing",)
    assert mindset_list.question("breathing-own").recall == ("mindset.breathing-own",)
    coach = Coach(home)
    mindset = {"breathing": "my own routine", "breathing-own": "hum, then long exhales"}
    coach.save_answers(
        coach.plan_prep("Nina"), {"refine-intention": {"want": "to be seen"}, "mindset": mindset}
    )
    coach.save_answers(coach.plan_review("Nina", outcome="callback"), REVIEW)
    plan = coach.plan_prep("Nina")
    assert plan.round == "callback-2"
    assert plan.defaults["mindset.breathing"] == "my own routine"
    assert plan.defaults["mindset.breathing-own"] == "hum, then long exhales"


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


def test_follow_ups_read_as_things_to_do(catalogue: Catalogue) -> None:
    """Unticked choices are listed as open follow-ups, so none may read as already done."""
    follow_up = catalogue.get("after-the-room").question("follow-up")
    assert follow_up.type == "multiselect"
    for choice in follow_up.choices:
        assert not re.search(r"\b(sent|updated|noted|done)\b", choice), choice


def test_overlapping_questions_are_merged(catalogue: Catalogue) -> None:
    ids = set(by_ref(catalogue))
    for gone in (
        "recall-what-worked.core-choices",
        "recall-what-worked.keep-and-refresh",  # now keep (what-worked) and refresh
        "refine-intention.bold-choices",  # a big choice is checked in refresh
        "refine-intention.new-pages",  # logistics.new-sides
        "prepare-for-redirection.listen-fully",
        "prepare-for-redirection.repeat-back",
        "prepare-for-redirection.full-commitment",  # alternate-take
        "prepare-for-redirection.again-no-notes",  # mindset.silent-room
        "mindset.present-not-get",  # affirmation and project-world
        "recall-what-worked.logistics",  # the logistics block
    ):
        assert gone not in ids, gone


def test_the_drill_can_speak_of_the_actors_own_scene(catalogue: Catalogue) -> None:
    """The drill's placeholders are filled from these answers: the scene partner's name,
    the line that turns the scene, and the want."""
    intention = catalogue.get("refine-intention")
    for qid in ("partner", "key-line", "want"):
        assert intention.question(qid).type == "text", qid


def test_the_gaps_the_sources_point_to_are_asked(catalogue: Catalogue) -> None:
    def prompt(ref: str) -> str:
        cid, qid = ref.split(".")
        return catalogue.get(cid).question(qid).prompt.casefold()

    def said(ref: str) -> str:
        cid, qid = ref.split(".")
        question = catalogue.get(cid).question(qid)
        return f"{question.prompt} {question.help}".casefold()

    assert "physical or vocal" in prompt("recall-what-worked.refresh")
    assert "rewatch your tape" in prompt("recall-what-worked.what-worked")
    assert "unless they asked for a change" in prompt("recall-what-worked.wardrobe")
    assert "headshots and résumés" in prompt("recall-what-worked.wardrobe")
    assert "whole script" in prompt("refine-intention.project-world")
    assert "why do you want this part" in prompt("refine-intention.project-world")
    assert "just happened" in prompt("refine-intention.relationship")
    assert "what do they want to see" in prompt("recall-what-worked.direction-last-time")
    assert "waiting room" in prompt("mindset.anchor")
    assert "picture" in prompt("mindset.affirmation")
    assert "size of the room" in prompt("recall-what-worked.who-will-be-there")
    assert "another actor" in prompt("prepare-for-redirection.chemistry")
    assert "master" in said("after-the-room.one-thing")
    assert "props, accents or limps" in said("recall-what-worked.what-worked")
    assert "callback only" in said("logistics.new-sides")


def test_recovery_stays_in_the_scene_and_no_note_is_heard_the_night_before(
    catalogue: Catalogue,
) -> None:
    recovery = catalogue.get("prepare-for-redirection").question("recovery")
    assert "stay in" in recovery.help.casefold()
    assert not re.search(r"\bstart(ing)? again\b", recovery.help.casefold())
    clarifying = catalogue.get("prepare-for-redirection").question("clarifying-question")
    assert "hear the note" not in f"{clarifying.prompt} {clarifying.help}".casefold()


# Phrases a reader whose first language is not English stumbles on (issue 18).
HARD_PHRASES = (
    "to give, not to get",
    "spine of",
    "free of the page",
    "worked-in",
    "decorate",
    "starting cold",
    "lowers the surprise",
    "to vent",
    "up in the gods",
    "needling",
    "hear the note out",
)


def test_plain_words(catalogue: Catalogue) -> None:
    for checklist in catalogue.checklists:
        texts = [checklist.title, checklist.intro or ""]
        for question in checklist.questions:
            texts += [question.prompt, question.first_prompt or "", question.help or ""]
            texts += [question.todo or "", *question.choices]
        for text in texts:
            for phrase in HARD_PHRASES:
                assert phrase not in text.casefold(), f"{checklist.id}: {phrase!r} in {text!r}"


# -- every question says why, briefly ------------------------------------------------------


def test_every_question_has_a_short_prompt_and_a_one_line_why(catalogue: Catalogue) -> None:
    for checklist, question in every_question(catalogue):
        where = f"{checklist.id}.{question.id}"
        assert question.help and "\n" not in question.help, where
        assert len(question.help) <= 120, where
        assert len(question.prompt) <= 120, where
        assert len(question.first_prompt or "") <= 120, where
        assert question.help.rstrip().endswith("."), where


def test_the_card_is_fed_in_every_slot(catalogue: Catalogue) -> None:
    fed = {q.card for _, q in every_question(catalogue) if q.card}
    assert fed == set(CARD_SLOTS) - {"remember"}
    assert set(LABELS) == set(CARD_SLOTS) | {"todo", "off-book"}
    refs = by_ref(catalogue)
    tape = asked(prep_order(catalogue), {"medium": "self-tape"})
    assert "room" in {refs[ref].card for ref in tape}, "a self-tape card names the reader"
    quick = {q.card for _, q in quick_path(catalogue)}
    assert {"time", "place", "want", "direction", "breathing", "anchor"} <= quick


# -- versions: raised whenever the questions change ----------------------------------------

# Each built-in's version with a fingerprint of its questions. A change to the questions
# fails here until the version is raised (and the fingerprint below updated with it).
VERSIONS = {
    "logistics": 1,
    "refine-intention": 4,
    "prepare-for-redirection": 3,
    "recall-what-worked": 4,
    "mindset": 6,
    "after-the-room": 4,
    "closing-check": 2,
}
FINGERPRINTS = {
    "logistics": "ed594e829065ffdb",
    "refine-intention": "2861eb03c041a94c",
    "prepare-for-redirection": "7219abd7971e4b3e",
    "recall-what-worked": "7e0730f49d0fbadc",
    "mindset": "0629226d938f13dc",
    "after-the-room": "b1a1792cb1ab58bc",
    "closing-check": "4d6dc5fcf847771c",
}


def fingerprint(checklist: Checklist) -> str:
    data = json.dumps([q.to_dict() for q in checklist.questions], sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def test_each_version_matches_its_questions(catalogue: Catalogue) -> None:
    found = {c.id: (c.version, fingerprint(c)) for c in catalogue.checklists}
    assert found == {cid: (VERSIONS[cid], FINGERPRINTS[cid]) for cid in VERSIONS}, (
        "questions changed: raise the checklist's version, then update VERSIONS and FINGERPRINTS"
    )


# -- the source points and the working advice, point by point ------------------------------


def mapping_rows(table: str) -> list[tuple[str, list[str]]]:
    """(point, [CHECKLIST.QUESTION, ...]) of each row of a mapping table of the README,
    the one between `<!-- TABLE -->` and `<!-- /TABLE -->`."""
    text = README.read_text(encoding="utf-8")
    assert f"<!-- {table} -->" in text, f"the README has no {table} table"
    section = text.split(f"<!-- {table} -->", 1)[1].split(f"<!-- /{table} -->", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    rows = []
    for line in lines[2:]:  # after the header and its rule
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows.append((cells[0], re.findall(r"`([a-z0-9_-]+\.[a-z0-9_-]+)`", cells[-1])))
    return rows


TABLES = ("seed-mapping", "advice-mapping", "notes-mapping")


@pytest.mark.parametrize("table", TABLES)
def test_every_id_in_the_mapping_tables_is_a_real_question(
    catalogue: Catalogue, table: str
) -> None:
    rows = mapping_rows(table)
    assert len(rows) >= 8
    questions = set(by_ref(catalogue))
    points = [point for point, _ in rows]
    assert len(set(points)) == len(points), "each point once"
    for point, refs in rows:
        assert refs, f"no question covers: {point}"
        for ref in refs:
            assert ref in questions, f"{point}: {ref} is not a question"


def test_every_point_of_the_sources_and_the_advice_is_mapped() -> None:
    # The two source texts hold 36 distinct points (issue 18 counted them); the
    # working advice is eight pieces.
    assert len(mapping_rows("seed-mapping")) >= 36
    assert len(mapping_rows("advice-mapping")) == 8


def test_every_question_answers_some_point(catalogue: Catalogue) -> None:
    mapped = {ref for table in TABLES for _, refs in mapping_rows(table) for ref in refs}
    missing = sorted(set(by_ref(catalogue)) - mapped)
    assert not missing, f"not in any table of checklists/README.md: {missing}"


def test_the_closing_check_and_the_self_tape_block_are_mapped(catalogue: Catalogue) -> None:
    seed = {ref for _, refs in mapping_rows("seed-mapping") for ref in refs}
    closing = catalogue.get("closing-check")
    assert {f"closing-check.{q.id}" for q in closing.questions} <= seed
    notes = {ref for _, refs in mapping_rows("notes-mapping") for ref in refs}
    assert {f"recall-what-worked.{qid}" for qid in SELF_TAPE_BLOCK} <= notes


def test_the_follow_through_table_matches_the_checklists(catalogue: Catalogue) -> None:
    """The README lists every question that makes a to-do or offers a tool."""
    rows = {point.strip("`") for point, _ in mapping_rows_raw("follow-through")}
    declared = {
        f"{c.id}.{q.id}" for c, q in every_question(catalogue) if q.todo_if is not None or q.offer
    }
    assert rows == declared


def mapping_rows_raw(table: str) -> list[tuple[str, list[str]]]:
    text = README.read_text(encoding="utf-8")
    section = text.split(f"<!-- {table} -->", 1)[1].split(f"<!-- /{table} -->", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return [
        (cells[0], cells[1:])
        for cells in (
            [cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines[2:]
        )
    ]
