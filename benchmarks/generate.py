"""Fill a coach home with N realistic notes: many roles and projects, several rounds each,
preps and reviews with every question answered.

    python benchmarks/generate.py HOME N [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

from callback_coach.core.checklist_load import load_catalogue
from callback_coach.exports.as_yaml import c_emitter_safe, yaml_text
from callback_coach.store import paths
from callback_coach.store.fileio import ensure_private_dir
from callback_coach.store.notes import new_note, note_stem, render_note

WORDS = [
    "pause",
    "breath",
    "gull",
    "lake",
    "mother",
    "pride",
    "stillness",
    "window",
    "letter",
    "train",
    "dance",
    "scar",
    "laugh",
    "silence",
    "storm",
    "promise",
    "doubt",
    "courage",
    "mirror",
    "theatre",
    "stage",
    "coat",
    "shoes",
    "voice",
    "whisper",
    "eyes",
    "hands",
    "door",
    "light",
    "night",
    "morning",
    "secret",
    "apology",
    "fear",
    "hope",
]
FIRST = [
    "Nina",
    "Sonya",
    "Masha",
    "Irina",
    "Olga",
    "Kostya",
    "Boris",
    "Yelena",
    "Arkadina",
    "Vanya",
    "Astrov",
    "Trofimov",
]
LAST = [
    "Petrova",
    "Ivanova",
    "Smirnova",
    "Kuznetsov",
    "Popov",
    "Sokolov",
    "Lebedev",
    "Kozlov",
    "Novak",
    "Zajac",
]
PROJECTS = [
    f"{a} {b}"
    for a in ("The", "A", "Our", "Their")
    for b in (
        "Seagull",
        "Orchard",
        "Sisters",
        "Storm",
        "Crossing",
        "Harbour",
        "Winter",
        "Garden",
        "Letter",
        "Journey",
        "Lighthouse",
        "Bridge",
    )
]


def sentence(rng: random.Random, low: int = 4, high: int = 14) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def value_for(question, rng: random.Random):
    if question.type == "text":
        return sentence(rng, 3, 10)
    if question.type == "long_text":
        return "\n".join(sentence(rng) for _ in range(rng.randint(1, 3)))
    if question.type == "confirm":
        return rng.random() < 0.5
    if question.type == "select":
        return rng.choice(question.choices)
    if question.type == "multiselect":
        return rng.sample(list(question.choices), rng.randint(0, len(question.choices)))
    return rng.randint(question.min or 1, question.max or 5)


def note_text(note, *, check: bool = False) -> str:
    """`render_note(note)`, written with libyaml's emitter (the same bytes: `check` compares
    them): 50,000 notes take a minute instead of five."""
    if not c_emitter_safe(note.meta):
        return render_note(note)
    text = f"---\n{yaml_text(note.meta, allow_unicode=True)}---\n{note.body}"
    if check:
        assert text == render_note(note), "libyaml and PyYAML disagree"
    return text


def generate(home: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    catalogue = load_catalogue(paths.builtin_checklists_dir(), None)
    preps, reviews = catalogue.for_phase("prep"), catalogue.for_phase("review")
    folder = ensure_private_dir(paths.notes_dir(home))
    start = dt.date(2016, 1, 1)
    written = 0
    role_number = 0
    while written < count:
        role_number += 1
        role = f"{rng.choice(FIRST)} {rng.choice(LAST)} {role_number}"
        project = rng.choice(PROJECTS)
        day = start + dt.timedelta(days=rng.randint(0, 3650))
        for number in range(1, rng.randint(1, 3) + 1):
            for kind, checklists in (("prep", preps), ("review", reviews)):
                if written >= count:
                    break
                answers = {c.id: {q.id: value_for(q, rng) for q in c.questions} for c in checklists}
                extra = (
                    {"outcome": rng.choice(["callback", "hold", "released", "pending"])}
                    if kind == "review"
                    else {}
                )
                note = new_note(
                    kind=kind,
                    role=role,
                    project=project,
                    round_label=f"callback-{number}",
                    date=day.isoformat(),
                    checklists=[(c.id, c.version) for c in checklists],
                    answers=answers,
                    extra=extra,
                )
                note.meta["created"] = f"{day.isoformat()}T20:00:00+00:00"
                (folder / f"{note_stem(note)}.md").write_text(
                    note_text(note, check=written % 100 == 0), encoding="utf-8"
                )
                written += 1
            day += dt.timedelta(days=rng.randint(2, 10))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.home, args.count, args.seed)
    print(f"wrote {args.count} notes under {paths.notes_dir(args.home)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
