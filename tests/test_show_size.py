"""`coach show` is linear in the size of what the actor wrote (it was quadratic)."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from callback_coach.cli import render
from callback_coach.core.workflow import Coach

from .helpers import prep

LINES = [f"line {n}: the pause before the door, then the laugh" for n in range(3000)]


def timeline_parts(home: Path, body: str, answer: str):
    coach = Coach(home)
    path = prep(coach)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(body)
    plan = coach.plan_prep("Nina", round_label="callback-2")
    coach.save_answers(plan, {"refine-intention": {"want": "x", "obstacle": answer}})
    return render.timeline(coach.timeline("Nina"), coach.catalogue()).renderables


def test_every_rendered_piece_of_a_long_text_holds_one_line(home: Path) -> None:
    # Rich splits what a renderable yields into lines with repeated str.partition: a
    # piece holding n lines costs n^2. The body and each answer must come line by line.
    parts = timeline_parts(home, "\n".join(LINES) + "\n", "\n".join(LINES))
    console = Console(file=io.StringIO(), width=80, color_system=None)
    options = console.options.update_width(76)
    (panel,) = [p for p in parts if isinstance(p, Panel)]
    cells = [cell for t in parts if isinstance(t, Table) for cell in t.columns[1].cells]
    pieces = [panel.renderable, *cells]
    for piece in pieces:
        segments = list(console.render(piece, options))
        assert max(s.text.count("\n") for s in segments) <= 1
    shown = "".join(s.text for s in console.render(panel.renderable, options))
    assert shown.splitlines() == LINES, "every line shown, in order"


def test_a_4_mb_body_is_shown_whole(home: Path, coach_bin: str) -> None:
    path = prep(Coach(home))
    lines = [f"{n} " + "breath beat turn " * 12 for n in range(20_000)]  # ~4 MB
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\nTHE END\n")
    proc = subprocess.run(
        [coach_bin, "show", "Nina"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300"},
        timeout=120,  # it took minutes when showing was quadratic; seconds now
    )
    assert proc.returncode == 0, proc.stderr
    assert "THE END" in proc.stdout
    assert proc.stdout.count("breath beat turn") >= 20_000 * 12
