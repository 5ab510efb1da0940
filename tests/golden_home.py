"""A fixed coach home for golden export files: the same notes, byte for byte, every time.

Notes are written directly (fixed `created` stamps, fixed file names), so nothing depends
on the clock. `python -m tests.golden_home` rewrites tests/golden/ from the current code:
only do that on purpose, when an export's documented shape changes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from callback_coach.store.notes import render_note

GOLDEN = Path(__file__).resolve().parent / "golden"
FORMATS = ("md", "json", "yaml", "csv")


def _note(
    kind: str,
    role: str,
    project: str,
    round_label: str,
    date: str,
    created: str,
    answers: dict[str, dict[str, Any]],
    *,
    extra: dict[str, Any] | None = None,
    body: str | None = None,
) -> str:
    from callback_coach.store.notes import BODY_HINT, Note

    meta: dict[str, Any] = {
        "format": 1,
        "kind": kind,
        "role": role,
        "project": project,
        "round": round_label,
        "date": date,
        "created": created,
        **(extra or {}),
        "checklists": [{"id": cid, "version": 1} for cid in answers],
        "answers": answers,
    }
    if body is None:
        title = " · ".join(p for p in (role, project, round_label) if p)
        body = f"# {title} ({kind})\n\n{BODY_HINT}\n"
    return render_note(Note(meta=meta, body=body))


NOTES: dict[str, str] = {
    "2026-11-20_the-seagull_nina_callback-1_prep.md": _note(
        "prep",
        "Nina",
        "The Seagull",
        "callback-1",
        "2026-11-20",
        "2026-11-19T21:03:12+00:00",
        {
            "refine-intention": {
                "want": "to be seen",
                "obstacle": "His doubt about my talent.\nAnd my mother.",
                "off-book": 4,
            },
            "mindset": {"breathing": "box breathing (4 in, 4 hold)", "calm": 7},
        },
    ),
    "2026-11-21_the-seagull_nina_callback-1_review.md": _note(
        "review",
        "Nina",
        "The Seagull",
        "callback-1",
        "2026-11-21",
        "2026-11-21T18:00:00+00:00",
        {
            "after-the-room": {
                "who-was-there": "Anna (casting), the director",
                "direction": "Less pleading,\nmore pride",
                "commitment": 4,
                "what-worked": "The pause before the last line",
                "wardrobe": "=Blue dress, hair down",
                "one-thing": "'Breathe' before the exit",
                "follow-up": ["thank-you note sent", "contacts noted"],
                "enjoyed": None,
            }
        },
        extra={
            "outcome": "callback",
            "prep_note": "2026-11-20_the-seagull_nina_callback-1_prep.md",
        },
        body=(
            "# Nina · The Seagull · callback-1 (review)\n\n"
            "Your own notes go here; the coach never changes this part.\n\n"
            "They laughed at the *gull* line.\n\n  Indented line, and # not a heading.\n"
        ),
    ),
    "2026-11-24_the-seagull_nina_callback-2_prep.md": _note(
        "prep",
        "Nina",
        "The Seagull",
        "callback-2",
        "2026-11-24",
        "2026-11-23T22:10:00+00:00",
        {
            "recall-what-worked": {"direction-last-time": "Less pleading,\nmore pride"},
            "mindset": {"ready": True, "breathing": ""},
        },
        extra={"medium": "stage", "people_met": ["Anna (casting)"]},
    ),
    "2026-10-02_uncle-vanya_zoe_callback-1_prep.md": _note(
        "prep",
        "Zoë",
        "Uncle Vanya",
        "callback-1",
        "2026-10-02",
        "2026-10-01T09:00:00+02:00",
        {
            "refine-intention": {
                "want": "être vue — 見てほしい 🎭",
                "beats": "1. arrive\n2. «hope»\n\n3. leave  ",
                "stakes": "-1 if I miss it; +1 if not",
            }
        },
        extra={"my_key": {"nested": [1, 2.5, "three"]}, "tags": ["Chekhov", "stage"]},
        body="Written by hand: no heading.\nSecond line | with a pipe [and] brackets\n",
    ),
    "2026-10-03_uncle-vanya_zoe_callback-1_review.md": _note(
        "review",
        "Zoë",
        "Uncle Vanya",
        "callback-1",
        "2026-10-03",
        "2026-10-03T20:00:00+02:00",
        {"after-the-room": {"what-worked": "@the window", "one-thing": "+ stay still"}},
        extra={"outcome": "released"},
        body="",
    ),
    "undated_no-project_kostya_table-read_prep.md": _note(
        "prep",
        "Kostya",
        "",
        "table-read",
        "",
        "2026-09-01T10:00:00+00:00",
        {
            "hand-made": {
                "free": "a checklist the coach does not know",
                "list": ["a", "b"],
                "indented": "  starts with spaces\nthen\ttab\n",
                "empty-list": [],
                "map": {"x": 1, "y": [True, None]},
            }
        },
        extra={"k" * 128: "a long key", "K" * 129: "a longer key", "when": "2026-09-01"},
    ),
}
BROKEN = {"2026-01-01_broken.md": "---\nrole: [unclosed\n---\n"}
# One answer holding a character YAML reads as a line break (U+2028): it changes how the
# whole YAML export is written, so it gets a home of its own.
LINE_BREAK_NOTES = {
    **NOTES,
    "2026-12-01_the-seagull_nina_callback-3_prep.md": _note(
        "prep",
        "Nina",
        "The Seagull",
        "callback-3",
        "2026-12-01",
        "2026-11-30T20:00:00+00:00",
        {"refine-intention": {"want": "one\u2028two", "obstacle": "ça\nva"}},
    ),
}
HOMES = {"main": {**NOTES, **BROKEN}, "linebreak": LINE_BREAK_NOTES}


def build_home(home: Path, notes: dict[str, str]) -> Path:
    folder = home / "notes"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in notes.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return home


def coach_env(home: Path, cache: Path) -> dict[str, str]:
    return {
        **os.environ,
        "COACH_HOME": str(home),
        "COACH_CACHE_DIR": str(cache),
        "NO_COLOR": "1",
        "COLUMNS": "80",
    }


def run_export(home: Path, cache: Path, *args: str) -> bytes:
    result = subprocess.run(
        [sys.executable, "-m", "callback_coach", "export", "notes", *args],
        env=coach_env(home, cache),
        capture_output=True,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    return result.stdout


def exports_of(home: Path, cache: Path, scratch: Path) -> dict[str, bytes]:
    """Every export of a home: each format to stdout, and each format to a folder (file
    name -> bytes). Keys are the golden file names."""
    found: dict[str, bytes] = {}
    for fmt in FORMATS:
        found[f"stdout.{fmt}"] = run_export(home, cache, "--format", fmt)
        folder = scratch / f"folder-{fmt}"
        run_export(home, cache, "--format", fmt, "--output", f"{folder}/")
        for path in sorted(folder.iterdir()):
            found[f"folder-{fmt}/{path.name}"] = path.read_bytes()
    return found


def main() -> None:
    import tempfile

    shutil.rmtree(GOLDEN, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, notes in HOMES.items():
            home = build_home(Path(tmp, name, "home"), notes)
            found = exports_of(home, Path(tmp, name, "cache"), Path(tmp, name, "out"))
            for key, data in found.items():
                target = GOLDEN / name / key
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    print(f"wrote {GOLDEN}")


if __name__ == "__main__":
    main()
