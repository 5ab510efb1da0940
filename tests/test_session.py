"""Sessions driven by a scripted asker: answers, defaults, required, change, discard, resume."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from callback_coach.core.session import Session, SessionPlan
from callback_coach.core.workflow import Coach
from callback_coach.store.drafts import DraftStore
from callback_coach.store.notes import read_note
from callback_coach.store.notestore import NoteStore

from .helpers import make_checklist, saved_notes
from .scripted import ScriptedAsker, answer_sequence

TINY = make_checklist(
    "tiny",
    want={"prompt": "Want?", "type": "text", "required": True},
    calm={"prompt": "Calm?", "type": "scale", "min": 1, "max": 5, "default": 3},
    room={"prompt": "Room?", "type": "select", "choices": ("small", "big")},
    ready={"prompt": "Ready?", "type": "confirm", "default": True},
)
SECOND = make_checklist("second", notes={"prompt": "Notes?", "type": "long_text"})


def plan(*checklists) -> SessionPlan:
    return SessionPlan(
        kind="prep",
        role="Nina",
        project="The Seagull",
        round="callback-1",
        date="2026-11-23",
        checklists=list(checklists or [TINY, SECOND]),
    )


def run(home: Path, asker: ScriptedAsker, p: SessionPlan | None = None):
    session = Session(p or plan(), asker, DraftStore(home), NoteStore(home))
    return session.run()


def test_answers_and_defaults_end_up_in_the_note(home: Path) -> None:
    asker = ScriptedAsker(
        {"tiny.want": "to be seen", "tiny.room": "small", "second.notes": "a\nb"}, choices=["save"]
    )
    result = run(home, asker)
    note = read_note(result.note.path)
    assert note.answers == {
        "tiny": {"want": "to be seen", "calm": 3, "room": "small", "ready": True},
        "second": {"notes": "a\nb"},
    }
    assert note.meta["checklists"] == [{"id": "tiny", "version": 1}, {"id": "second", "version": 1}]
    assert asker.defaults_seen["tiny.calm"] == 3
    assert asker.sections == [("tiny", 1, 2), ("second", 2, 2)]
    assert not list(DraftStore(home).folder.glob("*.yaml")), "a saved note removes its draft"


def test_required_question_is_asked_again_until_answered(home: Path) -> None:
    asker = ScriptedAsker({"tiny.want": answer_sequence("", "   ", "to win")}, choices=["save"])
    result = run(home, asker, plan(TINY))
    assert asker.asked.count("tiny.want") == 3
    assert result.note.answers["tiny"]["want"] == "to win"


def test_change_an_answer_before_saving(home: Path) -> None:
    asker = ScriptedAsker(
        {"tiny.want": answer_sequence("first try", "better verb")},
        choices=["change", "tiny.want", "save"],
    )
    result = run(home, asker, plan(TINY))
    assert result.note.answers["tiny"]["want"] == "better verb"
    assert asker.defaults_seen["tiny.want"] == "first try", (
        "a change starts from the current answer"
    )


def test_a_change_offers_the_current_choice_and_score(home: Path) -> None:
    asker = ScriptedAsker(
        {"tiny.want": "x", "tiny.room": answer_sequence("big", "big"), "tiny.calm": 4},
        choices=["change", "tiny.room", "change", "tiny.calm", "save"],
    )
    run(home, asker, plan(TINY))
    assert asker.asked.count("tiny.room") == 2 and asker.asked.count("tiny.calm") == 2
    assert asker.defaults_seen["tiny.room"] == "big"
    assert asker.defaults_seen["tiny.calm"] == 4


def review_plan() -> SessionPlan:
    return SessionPlan(
        kind="review",
        role="Nina",
        project="The Seagull",
        round="callback-1",
        date="2026-11-23",
        checklists=[TINY],
        ask_outcome=True,
    )


def test_a_review_s_outcome_can_be_changed_from_which_answer(home: Path) -> None:
    asker = ScriptedAsker(
        {"tiny.want": "x"}, choices=["pending", "change", "outcome", "callback", "save"]
    )
    result = run(home, asker, review_plan())
    assert result.note.meta["outcome"] == "callback"
    which = asker.labels[asker.menus.index(next(m for m in asker.menus if m[0] == "Which answer?"))]
    assert which[-2:] == ["What is the outcome so far?  → pending", "Back"]
    # Asked again as it was asked, from the outcome given.
    again = asker.menus[3]
    assert again[0].startswith("What is the outcome so far?") and "callback" in again[1]
    assert asker.menu_defaults[3] == "pending"
    assert asker.menu_defaults[0] == "pending"


def test_a_prep_s_change_menu_has_no_outcome(home: Path) -> None:
    asker = ScriptedAsker({"tiny.want": "x"}, choices=["change", "", "save"])
    run(home, asker, plan(TINY))
    assert "outcome" not in asker.menus[1][1]


def test_discard_needs_confirming_and_writes_nothing(home: Path) -> None:
    asker = ScriptedAsker({"tiny.want": "x"}, choices=["discard", "keep", "discard", "discard"])
    result = run(home, asker, plan(TINY))
    assert result.discarded and result.note is None
    assert saved_notes(home) == []
    assert not list(DraftStore(home).folder.glob("*.yaml"))


def test_every_answer_is_in_the_draft_the_moment_it_is_given(home: Path) -> None:
    asker = ScriptedAsker({"tiny.want": "to be seen", "tiny.calm": 4}, interrupt_after=2)
    with pytest.raises(KeyboardInterrupt):
        run(home, asker)
    drafts = list(DraftStore(home).folder.glob("*.yaml"))
    assert len(drafts) == 1
    data = yaml.safe_load(drafts[0].read_text())
    assert data["answers"] == {"tiny": {"want": "to be seen", "calm": 4}}


def test_resume_asks_only_what_is_left(home: Path) -> None:
    coach = Coach(home)
    p = coach.plan_prep(
        "Nina", project="The Seagull", checklist_ids=["mindset", "refine-intention"]
    )
    first = ScriptedAsker({"mindset.affirmation": "my Nina"}, interrupt_after=3)
    with pytest.raises(KeyboardInterrupt):
        coach.run_session(p, first)
    p2 = coach.plan_prep(
        "nina", project="the seagull", checklist_ids=["mindset", "refine-intention"]
    )
    assert (p2.role, p2.project, p2.round) == ("Nina", "The Seagull", "callback-1")
    asker = ScriptedAsker({"refine-intention.want": "to escape"}, choices=["resume", "save"])
    result = coach.run_session(p2, asker)
    assert len(first.asked) == 3 and not set(first.asked) & set(asker.asked)
    # The next question asked is the first one left that is asked at all (not the
    # own-routine question, whose `when` does not hold after the breathing choice).
    order = [f"mindset.{q.id}" for q in coach.catalogue().get("mindset").questions]
    left = [k for k in order[order.index(first.asked[-1]) + 1 :] if k != "mindset.breathing-own"]
    assert asker.asked[0] == left[0]
    assert result.note.answers["mindset"]["affirmation"] == "my Nina"
    assert result.note.answers["refine-intention"]["want"] == "to escape"


def test_start_over_deletes_the_draft_and_asks_everything(home: Path) -> None:
    coach = Coach(home)
    p = coach.plan_prep("Nina", checklist_ids=["mindset"])
    with pytest.raises(KeyboardInterrupt):
        coach.run_session(p, ScriptedAsker(interrupt_after=2))
    asker = ScriptedAsker(choices=["restart", "save"])
    coach.run_session(coach.plan_prep("Nina", checklist_ids=["mindset"]), asker)
    assert len(asker.asked) == len(coach.catalogue().get("mindset").questions)


def test_resume_keeps_answers_from_checklists_left_out_this_time(home: Path) -> None:
    coach = Coach(home)
    with pytest.raises(KeyboardInterrupt):
        coach.run_session(
            coach.plan_prep("Nina", checklist_ids=["mindset"]),
            ScriptedAsker({"mindset.affirmation": "keep me"}, interrupt_after=1),
        )
    result = coach.run_session(
        coach.plan_prep("Nina", checklist_ids=["refine-intention"]),
        ScriptedAsker({"refine-intention.want": "x"}, choices=["resume", "save"]),
    )
    assert result.note.answers["mindset"]["affirmation"] == "keep me"


def test_round_is_inferred_from_the_role_history(home: Path) -> None:
    coach = Coach(home, today=dt.date(2026, 11, 23))
    assert coach.plan_prep("Nina").round == "callback-1"
    coach.save_answers(
        coach.plan_prep("Nina", round_label="audition", date="2026-11-02"),
        {"refine-intention": {"want": "x"}},
    )
    assert coach.plan_prep("Nina").round == "callback-1"
    coach.save_answers(
        coach.plan_prep("Nina", round_label="Callback 2", date="2026-11-20"),
        {"refine-intention": {"want": "x"}},
    )
    assert coach.plan_prep("nina").round == "callback-3"


def test_a_second_session_of_the_same_round_is_refused_while_one_runs(home: Path) -> None:
    from callback_coach.errors import StorageError

    coach = Coach(home)
    p = coach.plan_prep("Nina", checklist_ids=["mindset"])
    inner: list[str] = []

    class Nested(ScriptedAsker):
        def ask(self, checklist, question, default):
            if not inner:
                with pytest.raises(StorageError) as info:
                    coach.run_session(
                        coach.plan_prep("Nina", checklist_ids=["mindset"]),
                        ScriptedAsker(choices=["resume", "save"]),
                    )
                inner.append(info.value.message)
            return super().ask(checklist, question, default)

    coach.run_session(p, Nested(choices=["save"]))
    assert inner == [
        "another coach is already running this prep (Nina, callback-1); finish or stop it first"
    ]
    assert len(saved_notes(coach.home)) == 1
    # Once the first is done, the lock is free again.
    coach.run_session(
        coach.plan_prep("Nina", round_label="callback-1", checklist_ids=["mindset"]),
        ScriptedAsker(choices=["save"]),
    )
    assert len(saved_notes(coach.home)) == 2


def test_a_resumed_session_keeps_the_date_it_was_started_with(home: Path) -> None:
    coach = Coach(home)
    p = coach.plan_prep("Nina", date="2026-11-25", checklist_ids=["mindset"])
    with pytest.raises(KeyboardInterrupt):
        coach.run_session(p, ScriptedAsker(interrupt_after=1))
    assert coach.plan_prep("Nina", checklist_ids=["mindset"]).date == "2026-11-25"
    assert (
        coach.plan_prep("Nina", date="2026-11-26", checklist_ids=["mindset"]).date == "2026-11-26"
    )
    result = coach.run_session(
        coach.plan_prep("Nina", checklist_ids=["mindset"]),
        ScriptedAsker(choices=["resume", "save"]),
    )
    assert result.note.date == "2026-11-25"


def test_an_answer_typed_in_another_encoding_is_asked_again(home: Path) -> None:
    """A terminal that is not UTF-8 gives lone surrogates (issue 7, item 22): never kept;
    the answer is offered back with U+FFFD in their place, to retype."""
    asker = ScriptedAsker(
        {"tiny.want": answer_sequence("caf\udce9 au lait", "café au lait")}, choices=["save"]
    )
    result = run(home, asker, plan(TINY))
    assert result.note.answers["tiny"]["want"] == "café au lait"
    assert asker.defaults_seen["tiny.want"] == "caf\ufffd au lait"
    assert any("not valid Unicode" in str(item) for item in asker.shown)
    assert read_note(result.note.path).answers["tiny"]["want"] == "café au lait"


def test_an_answer_a_menu_does_not_offer_is_asked_again_without_talk_of_encoding(
    home: Path,
) -> None:
    """A value the question does not take (a menu that answered "") is said wrong in one
    line and asked again; nothing about retyping characters that were never wrong."""
    asker = ScriptedAsker(
        {"tiny.want": "to stay", "tiny.room": answer_sequence("", "big")}, choices=["save"]
    )
    result = run(home, asker, plan(TINY))
    assert result.note.answers["tiny"]["room"] == "big"
    assert asker.asked.count("tiny.room") == 2
    errors = [str(item) for item in asker.shown if "not one of" in str(item)]
    assert len(errors) == 1 and "answer again" in errors[0]
    assert "Retype" not in errors[0]


def test_a_draft_that_cannot_be_removed_after_the_save_is_a_warning(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The note is saved; a draft the coach cannot remove then (a read-only folder) is
    named in a warning, not a traceback, and starting over from it is one clear error."""
    warnings: list[str] = []
    drafts = DraftStore(home, warn=warnings.append)
    real_unlink = Path.unlink

    def refuse(path: Path, missing_ok: bool = False) -> None:
        if path.parent == drafts.folder:
            raise PermissionError(13, "Permission denied")
        real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refuse)
    asker = ScriptedAsker({"tiny.want": "to be seen"}, choices=["save"])
    result = Session(plan(), asker, drafts, NoteStore(home)).run()
    assert read_note(result.note.path).answers["tiny"]["want"] == "to be seen"
    assert len(warnings) == 1 and "cannot remove" in warnings[0]
    assert "your note is saved" in warnings[0]
    from callback_coach.errors import StorageError

    (left,) = list(drafts.folder.glob("*.yaml"))
    with pytest.raises(StorageError, match="cannot remove"):
        drafts.delete(drafts.load(left))


def test_a_question_left_blank_is_not_counted_as_an_answer(home: Path) -> None:
    """A draft keeps a skipped question (so a resume goes past it); `coach list`, `today`
    and the resume question count only what was answered."""
    from callback_coach.store.drafts import Draft

    draft = Draft(
        kind="prep",
        role="Nina",
        project="",
        round="callback-1",
        date="2026-11-24",
        checklists=["tiny"],
        answers={"tiny": {"want": "to be seen", "room": "", "calm": None, "list": []}},
    )
    assert draft.count() == 1


class StopsTyping(ScriptedAsker):
    """Answers the first question, then is stopped in the middle of the long answer."""

    def ask(self, checklist, question, default):
        from callback_coach.core.asking import Unfinished

        if question.type == "long_text":
            self.defaults_seen[f"{checklist.id}.{question.id}"] = default
            raise Unfinished("two lines\nso far")
        return super().ask(checklist, question, default)


def test_text_being_typed_at_ctrl_c_is_kept_unfinished_and_offered_again(home: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        run(home, StopsTyping({"tiny.want": "to be seen"}))
    (path,) = DraftStore(home).folder.glob("*.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["answers"].get("second", {}) == {}
    assert data["unfinished"] == {"second.notes": "two lines\nso far"}
    draft = DraftStore(home).load(path)
    assert draft.count() == 3, "the unfinished text is not an answer"
    assert "unfinished" not in draft.extra

    # Resumed: offered as the starting text; once answered, gone from the draft.
    asker = ScriptedAsker({"second.notes": "two lines\nso far\nand more"}, choices=["save"])
    session = Session(plan(), asker, DraftStore(home), NoteStore(home), draft=draft)
    result = session.run()
    assert asker.asked == ["second.notes"]
    assert asker.defaults_seen["second.notes"] == "two lines\nso far"
    note = read_note(result.note.path)
    assert note.answers["second"] == {"notes": "two lines\nso far\nand more"}
    assert "unfinished" not in note.meta


def test_a_draft_keeps_its_unfinished_text_and_unknown_keys(home: Path) -> None:
    from callback_coach.store.drafts import parse_draft

    store = DraftStore(home)
    with pytest.raises(KeyboardInterrupt):
        run(home, StopsTyping({"tiny.want": "to be seen"}))
    (path,) = store.folder.glob("*.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["from-a-newer-coach"] = {"kept": True}
    data["unfinished"]["tiny.odd"] = 5  # not text: dropped, not an error
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    draft = store.load(path)
    assert draft.unfinished == {"second.notes": "two lines\nso far"}
    store.save(draft)
    again = parse_draft(path.read_text(encoding="utf-8"))
    assert again.extra["from-a-newer-coach"] == {"kept": True}
    assert again.unfinished == {"second.notes": "two lines\nso far"}
