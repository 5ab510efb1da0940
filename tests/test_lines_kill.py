"""State survives a SIGKILL after any graded line, and during the save of one: the
progress file holds every line graded before the kill, whole, and the drill goes on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from callback_coach.lines.drill import DrillSession, plan_drill
from callback_coach.lines.sides import SidesStore

from .lines_scripted import Clock, ScriptedLinesUI, import_sides

ROOT = Path(__file__).resolve().parents[1]
GRADES = ["good", "again", "hard", "easy", "good"]

# A say-mode drill of Zoe's five lines in a child process, killed with SIGKILL when the
# cue after line K is shown ("after": line K was graded and saved), or when the K-th
# save is about to put its file in place ("during").
CHILD = """
import os, signal, sys
from pathlib import Path

from callback_coach.lines.drill import DrillSession, plan_drill
from callback_coach.lines.sides import SidesStore
from callback_coach.store import fileio
from tests.lines_scripted import Clock, ScriptedLinesUI

home, kill_at, when = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
grades = sys.argv[4].split(",")


class KilledAfter(ScriptedLinesUI):
    def show_cue(self, item, position, total):
        if when == "after" and len(self.cues) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        super().show_cue(item, position, total)


if when == "during":
    real_replace = os.replace
    saves = []

    def replace(src, dst):
        if str(dst).endswith(".progress.yaml"):
            saves.append(dst)
            if len(saves) == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return real_replace(src, dst)

    fileio.os.replace = replace

store = SidesStore(home)
clock = Clock()
answers = [x for grade in grades + ["good"] * 5 for x in (None, grade)]
plan = plan_drill(store, "Zoe", now=clock())
DrillSession(plan, KilledAfter(answers), store, mode="say", clock=clock).run()
print("not killed")
"""


def graded(home: Path) -> dict[str, str]:
    """Each graded line's text and its last grade, read as a later coach reads them."""
    warnings: list[str] = []
    store = SidesStore(home, on_warning=warnings.append)
    found = {}
    for scene in store.scenes("Zoe"):
        progress = store.progress(scene)
        for line in scene.lines():
            known = progress.get(line.key)
            if known is not None and known.last is not None:
                found[line.speech.text] = known.last.grade
    assert warnings == []
    return found


@pytest.mark.parametrize("when", ["after", "during"])
@pytest.mark.parametrize("kill_at", [1, 2, 3, 4, 5])
def test_a_sigkill_keeps_every_line_graded_before_it(home: Path, when: str, kill_at: int) -> None:
    import_sides(home)
    order = [i.line.speech.text for i in plan_drill(SidesStore(home), "Zoe", now=Clock()()).items]
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(home), str(kill_at), when, ",".join(GRADES)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    kept = kill_at if when == "after" else kill_at - 1
    assert graded(home) == dict(zip(order[:kept], GRADES[:kept], strict=True))
    # The drill goes on from there: the lines not graded come, and are saved.
    store = SidesStore(home)
    clock = Clock()
    plan = plan_drill(store, "Zoe", now=clock())
    new = [i.line.speech.text for i in plan.items if i.status == "new"]
    assert new == order[kept:]
    ui = ScriptedLinesUI([x for _ in range(10) for x in (None, "good")])
    DrillSession(plan, ui, store, mode="say", clock=clock).run()
    assert set(graded(home)) == set(order)
