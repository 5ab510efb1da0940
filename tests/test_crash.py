"""Crash safety: scripted prep, review and outcome killed with SIGKILL.

However a coach dies, every note is complete or absent, no note reported saved is lost,
and every later command works. Two tests: kills at random moments, several coaches at
once (how many fit is bounded by a time budget; what is asserted never depends on when
they land), and a kill at every single file operation of a save, one after another.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from callback_coach.core.workflow import Coach
from callback_coach.store.labels import OUTCOMES
from callback_coach.store.notes import BODY_HINT, parse_note, read_note

from .helpers import REVIEW

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")

RUNS = 300  # processes started (most are killed)
BUDGET = 40.0  # seconds of killing, whatever the machine
PARALLEL = 3  # victims alive at once: kills land during each other's saves too
PROJECT = "The Seagull"
ROLES = ("Nina", "Sonya")
# A long answer makes each note a few hundred KB, so writes take long enough to be hit.
PREP = {
    "refine-intention": {
        "want": "to be seen",
        "obstacle": "\n".join(f"line {n} of what stands in the way" for n in range(6000)),
    }
}


@dataclass
class Victim:
    proc: subprocess.Popen
    kill_at: float  # a deadline for those killed on a write, in case they never write
    on_write: bool


def commands(answers: Path, review: Path, rng: random.Random) -> list[str]:
    role = rng.choice(ROLES)
    round_label = f"callback-{rng.randint(1, 3)}"
    common = [role, "--project", PROJECT, "--round", round_label]
    kind = rng.choice(["prep", "review", "outcome"])
    if kind == "prep":
        return ["prep", *common, "--date", "2026-11-23", "--answers", str(answers)]
    if kind == "review":
        return ["review", *common, "--outcome", "pending", "--answers", str(review)]
    return ["outcome", *common, rng.choice(OUTCOMES)]


def expected_body(note) -> str:
    title = " · ".join(part for part in (note.role, note.project, note.round) if part)
    return f"# {title} ({note.kind})\n\n{BODY_HINT}\n"


def check_every_note_is_complete(notes_dir: Path) -> set[Path]:
    complete = set()
    for path in notes_dir.iterdir():
        if path.name.startswith(".tmp-") and path.name.endswith(".part"):
            continue  # a temp file a kill left: hidden, never a note, cleaned an hour later
        assert path.suffix == ".md", f"unexpected file {path.name}"
        note = read_note(path)  # parses: the front matter is whole
        assert note.body == expected_body(note), f"{path.name}: the body is cut"
        assert note.kind in ("prep", "review") and note.role in ROLES
        given = PREP if note.kind == "prep" else REVIEW
        for cid, values in given.items():
            for qid, value in values.items():
                assert note.answers[cid][qid] == value, f"{path.name}: {cid}.{qid} differs"
        assert note.outcome in (None, *OUTCOMES)
        complete.add(path)
    return complete


@pytest.mark.timeout(180)
def test_kills_at_random_moments_lose_nothing(home: Path, tmp_path: Path, coach_bin: str) -> None:
    coach = Coach(home)
    for role in ROLES:
        for n in (1, 2, 3):
            plan = coach.plan_prep(role, project=PROJECT, round_label=f"callback-{n}")
            coach.save_answers(plan, PREP)
            plan = coach.plan_review(
                role, project=PROJECT, round_label=f"callback-{n}", outcome="pending"
            )
            coach.save_answers(plan, REVIEW)
    answers, review = tmp_path / "prep.json", tmp_path / "review.json"
    answers.write_text(json.dumps(PREP), encoding="utf-8")
    review.write_text(json.dumps(REVIEW), encoding="utf-8")
    rng = random.Random(20261123)

    # How long a run takes here with PARALLEL at once; a note is written near the end, so
    # kills are spread over the second half of that time, and a little beyond.
    start = time.monotonic()
    calibration = [
        subprocess.Popen(
            [coach_bin, *commands(answers, review, rng)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(PARALLEL)
    ]
    assert [p.wait(timeout=60) for p in calibration] == [0] * PARALLEL
    typical = time.monotonic() - start

    # Half the runs are killed at a random moment; the other half the moment anything new
    # appears in the notes folder (a temp file, a note): right inside a save.
    notes_dir = home / "notes"
    seen = set(os.listdir(notes_dir))
    reported: set[Path] = set()
    started = killed = 0
    alive: list[Victim] = []
    deadline = time.monotonic() + BUDGET
    while alive or (started < RUNS and time.monotonic() < deadline):
        while len(alive) < PARALLEL and started < RUNS and time.monotonic() < deadline:
            proc = subprocess.Popen(
                [coach_bin, *commands(answers, review, rng)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            on_write = rng.random() < 0.5
            delay = typical * (3.0 if on_write else rng.uniform(0.4, 1.3))
            alive.append(Victim(proc, time.monotonic() + delay, on_write))
            started += 1
        names = set(os.listdir(notes_dir))
        something_new, seen = bool(names - seen), names
        now = time.monotonic()
        for victim in list(alive):
            due = now >= victim.kill_at or (victim.on_write and something_new)
            if not due and victim.proc.poll() is None:
                continue
            if victim.proc.poll() is None:
                victim.proc.send_signal(signal.SIGKILL)
            out, _ = victim.proc.communicate(timeout=60)
            if victim.proc.returncode == -signal.SIGKILL:
                killed += 1
            elif victim.proc.returncode == 0 and out.strip():
                reported.add(Path(out.strip()))  # a save the coach reported: it must stay
            alive.remove(victim)
        time.sleep(0.0005)

    print(f"{started} runs, {killed} killed, {len(reported)} saves reported")
    assert killed >= 20, f"only {killed} of {started} runs were killed: the test proved little"
    notes = check_every_note_is_complete(home / "notes")
    assert reported <= notes, "a note reported saved is missing"

    for args in (
        ["list"],
        ["show", "Nina", "--project", PROJECT],
        ["prep", "Nina", "--project", PROJECT, "--defaults", "--checklist", "mindset"],
    ):
        after = subprocess.run([coach_bin, *args], capture_output=True, text=True, timeout=60)
        assert after.returncode == 0, (args, after.stderr)
        assert "skipped" not in after.stderr, after.stderr
    exported = subprocess.run(
        [coach_bin, "export", "notes", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert exported.returncode == 0, exported.stderr
    assert len(json.loads(exported.stdout)["notes"]) == len(notes) + 1  # + the prep just above


# -- a kill at every step of a save -------------------------------------------------------

# Run the coach in a child that kills itself (SIGKILL) at its N-th file operation inside
# the notes folder: an open, write, fsync, close, chmod, chown, link, replace or unlink.
STEP_KILLER = """
import os, signal, sys
from pathlib import Path

notes, limit = Path(sys.argv[1]).resolve(), int(sys.argv[2])
count, fds = 0, set()


def inside(path):
    path = Path(os.fsdecode(path)).resolve()
    return path == notes or notes in path.parents


def step():
    global count
    count += 1
    if count == limit:
        os.kill(os.getpid(), signal.SIGKILL)


def on_path(name):
    real = getattr(os, name)

    def wrapper(path, *args, **kwargs):
        if not isinstance(path, int) and inside(path):
            step()
        return real(path, *args, **kwargs)

    setattr(os, name, wrapper)


def on_fd(name):
    real = getattr(os, name)

    def wrapper(fd, *args, **kwargs):
        if fd in fds:
            step()
            if name == "close":
                fds.discard(fd)
        return real(fd, *args, **kwargs)

    setattr(os, name, wrapper)


real_open = os.open


def open_(path, flags, *args, **kwargs):
    hit = inside(path)
    if hit:
        step()
    fd = real_open(path, flags, *args, **kwargs)
    if hit:
        fds.add(fd)
    return fd


os.open = open_
for name in ("chmod", "chown", "link", "unlink"):
    on_path(name)
real_replace = os.replace


def replace(src, dst, *args, **kwargs):
    if inside(dst):
        step()
    return real_replace(src, dst, *args, **kwargs)


os.replace = replace
for name in ("write", "fsync", "close"):
    on_fd(name)

sys.argv = ["coach", *sys.argv[3:]]
from callback_coach.cli.app import main

main()
"""


def run_killed_at(step: int, notes: Path, args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", STEP_KILLER, str(notes), str(step), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("command", ["prep", "review", "outcome"])
def test_a_kill_at_every_step_of_a_save_leaves_the_note_whole_or_absent(
    home: Path, tmp_path: Path, command: str
) -> None:
    coach = Coach(home)
    plan = coach.plan_prep("Nina", project=PROJECT, round_label="callback-1")
    target = coach.save_answers(plan, PREP).path
    before = {target: target.read_bytes()}
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(PREP if command == "prep" else REVIEW), encoding="utf-8")
    args = {
        "prep": ["prep", "Nina", "--round", "callback-2", "--answers", str(answers)],
        "review": ["review", "Nina", "--outcome", "hold", "--answers", str(answers)],
        "outcome": ["outcome", "Nina", "booked"],
    }[command]
    notes = home / "notes"
    killed_steps = 0
    for step in range(1, 200):
        result = run_killed_at(step, notes, args)
        if result.returncode == 0:
            break  # past the last step: the save ran to the end
        assert result.returncode == -signal.SIGKILL, result.stderr
        killed_steps += 1
        check_every_note_is_complete(notes)
        assert fingerprint_of(target.read_bytes()) == fingerprint_of(before[target])
        assert read_note(target).outcome in (None, "booked")
        for path in notes.glob("*.md"):
            if path != target:
                path.unlink()  # the next step starts from the same folder
        if command == "outcome":
            target.write_bytes(before[target])
    assert killed_steps >= 4, f"only {killed_steps} file operations in a save?"
    check_every_note_is_complete(notes)
    for args in (["list"], ["show", "Nina"]):
        after = subprocess.run(
            [sys.executable, "-m", "callback_coach", *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert after.returncode == 0, after.stderr
        assert "skipped" not in after.stderr


def fingerprint_of(data: bytes) -> tuple[dict, str]:
    """A note without the outcome lines an outcome may change."""
    note = parse_note(data.decode("utf-8"))
    changing = ("outcome", "outcome_updated", "outcome_history")
    meta = {k: v for k, v in note.meta.items() if k not in changing}
    return meta, note.body
