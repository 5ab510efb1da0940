"""A generated season with known numbers, written through the coach's own prep and review.

12 roles auditioned, 5 called back, 2 on avail/hold, 1 booked; 4 casting offices and 2
media. Half the roles record office and medium as front-matter keys, the other half as
answers to a checklist of the actor's own (question ids `casting-office` and `medium`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from callback_coach.core.workflow import Coach

from .helpers import write_checklist

JOB_CHECKLIST = {
    "id": "job",
    "title": "The job",
    "phase": "prep",
    "version": 1,
    "questions": [
        {"id": "medium", "prompt": "Medium?", "type": "text"},
        {"id": "casting-office", "prompt": "Casting office?", "type": "text"},
        {"id": "time", "prompt": "What time?", "type": "text"},
        {"id": "place", "prompt": "Where?", "type": "text"},
    ],
}

# role, project, office, medium, details as answers?, [(round, date, review outcome or
# None for no review)]
SEASON: list[tuple[str, str, str, str, bool, list[tuple[str, str, str | None]]]] = [
    ("Nina", "The Seagull", "Anna Casting", "film", False, [
        ("audition", "2026-09-03", "callback"),
        ("callback-1", "2026-09-10", "hold"),
        ("callback-2", "2026-09-17", "booked"),
    ]),
    ("Sonya", "Uncle Vanya", "Anna Casting", "theatre", True, [
        ("audition", "2026-09-05", "callback"),
        ("callback-1", "2026-09-12", "avail"),
        ("callback-2", "2026-09-20", "released"),
    ]),
    ("Masha", "Three Sisters", "Bell Casting", "theatre", False, [
        ("audition", "2026-10-01", "callback"),
        ("callback-1", "2026-10-08", "released"),
    ]),
    ("Irina", "Three Sisters", "Bell Casting", "theatre", True, [
        ("audition", "2026-10-02", "callback"),
        ("callback-1", "2026-10-09", None),
    ]),
    ("Olga", "Red Lake", "Cole Casting", "film", False, [("callback-1", "2026-10-12", "pending")]),
    ("Kostya", "The Seagull", "Anna Casting", "film", True, [("audition", "2026-09-04", "released")]),
    ("Boris", "Red Lake", "Cole Casting", "film", True, [("audition", "2026-10-11", "pending")]),
    ("Yelena", "Uncle Vanya", "Dunn Casting", "theatre", False, [("audition", "2026-11-02", "released")]),
    ("Vanya", "Uncle Vanya", "Dunn Casting", "theatre", True, [("audition", "2026-11-03", None)]),
    ("Astrov", "Dr Astrov", "Dunn Casting", "film", False, [("audition", "2026-11-05", "released")]),
    ("Trofimov", "The Orchard", "Bell Casting", "theatre", True, [("audition", "2026-11-06", "released")]),
    ("Lopakhin", "The Orchard", "Cole Casting", "film", False, [("audition", "2026-11-09", "pending")]),
]  # fmt: skip


def make_season(home: Path) -> Coach:
    """Write the season into `home` and return its coach."""
    write_checklist(home / "checklists", "job.yaml", JOB_CHECKLIST)
    coach = Coach(home)
    for role, project, office, medium, as_answers, rounds in SEASON:
        for round_label, date, outcome in rounds:
            plan = coach.plan_prep(role, project=project, round_label=round_label, date=date)
            answers: dict[str, Any] = {"refine-intention": {"want": "to be seen"}}
            if as_answers:
                answers["job"] = {"medium": medium, "casting-office": office}
            else:
                plan.extra.update({"medium": medium, "casting_office": office})
            coach.save_answers(plan, answers)
            if outcome is not None:
                review = coach.plan_review(
                    role, project=project, round_label=round_label, date=date, outcome=outcome
                )
                coach.save_answers(review, {"after-the-room": {"one-thing": "Breathe"}})
    return coach


def random_rounds(dates: list[str], *, details: bool = False) -> st.SearchStrategy[list[dict]]:
    """Up to 8 rounds of a few roles (names that differ only in case are one role), each
    with what came after it (`after`: nothing, a review without an outcome, or a review
    with one); with `details`, a casting office and a medium in mixed spellings."""
    fields: dict[str, st.SearchStrategy[Any]] = {
        "role": st.sampled_from(["Nina", "nina", "Sonya", "Masha"]),
        "project": st.sampled_from(["The Seagull", "the seagull", "Vanya"]),
        "label": st.sampled_from(["audition", "callback-1", "callback-2"]),
        "date": st.sampled_from(dates),
        "after": st.sampled_from([None, "review", "callback", "hold", "booked", "released"]),
    }
    if details:
        fields["office"] = st.sampled_from([None, "", "Hopkins", "hopkins", "Hôpkins", "Ward"])
        fields["medium"] = st.sampled_from([None, "self-tape", "Self-tape", "in person"])
    return st.lists(st.fixed_dictionaries(fields), max_size=8)


def write_rounds(home: Path, rounds: list[dict]) -> None:
    """Write `random_rounds` through the coach's own prep and review."""
    coach = Coach(home)
    for r in rounds:
        plan = coach.plan_prep(
            r["role"], project=r["project"], round_label=r["label"], date=r["date"]
        )
        for key, field_ in (("casting_office", "office"), ("medium", "medium")):
            if r.get(field_) is not None:
                plan.extra[key] = r[field_]
        coach.save_answers(plan, {"refine-intention": {"want": "to be seen"}})
        if r["after"] is not None:
            outcome = None if r["after"] == "review" else r["after"]
            review = coach.plan_review(
                r["role"],
                project=r["project"],
                round_label=r["label"],
                date=r["date"],
                outcome=outcome,
            )
            coach.save_answers(review, {"after-the-room": {"one-thing": "Breathe"}})
