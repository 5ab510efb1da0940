"""One session of a role and round at a time, scripted or not; locks never follow links."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode, StorageError
from callback_coach.store import fileio, paths
from callback_coach.store.drafts import DraftStore

from .helpers import prep, saved_notes
from .test_e2e import CTRL_C, finish, spawn

ANSWERS = json.dumps({"refine-intention": {"want": "to be seen"}})


def lock_path(home: Path, round_label: str = "callback-1") -> Path:
    draft = DraftStore(home).path_for("prep", "Nina", "", round_label)
    return paths.cache_dir(home) / "locks" / (draft.stem + ".lock")


def scripted_prep(coach_bin: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [coach_bin, "prep", "Nina", "--answers", "-", *args],
        input=ANSWERS,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.e2e
def test_a_scripted_prep_stops_while_an_interactive_one_of_that_round_runs(
    home: Path, coach_bin: str
) -> None:
    child = spawn(coach_bin, home, "prep", "Nina", "--checklist", "refine-intention")
    child.expect_exact("›")  # the callback's date, asked once the session holds its lock

    busy = scripted_prep(coach_bin, "--round", "callback-1")
    assert busy.returncode == ExitCode.STORAGE
    assert busy.stderr == (
        "error: another coach is already running this prep (Nina, callback-1); "
        "finish or stop it first\n"
    )
    assert busy.stdout == ""
    assert saved_notes(home) == []

    other_round = scripted_prep(coach_bin, "--round", "callback-2")
    assert other_round.returncode == 0, other_round.stderr

    child.send(CTRL_C)
    assert finish(child) == ExitCode.INTERRUPTED
    free = scripted_prep(coach_bin, "--round", "callback-1")
    assert free.returncode == 0, free.stderr
    assert sorted(n.round for n in saved_notes(home)) == ["callback-1", "callback-2"]


def test_scripted_saves_share_the_lock_but_not_with_a_session(home: Path) -> None:
    coach = Coach(home)
    with coach.drafts.lock("prep", "Nina", "", "callback-1", scripted=True):
        prep(coach, round_label="callback-1")  # another scripted save at the same time
    assert len(saved_notes(coach.home)) == 1


def test_a_lock_held_elsewhere_is_waited_for_then_refused(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "x.lock"
    monkeypatch.setattr(fileio.time, "sleep", lambda _seconds: None)
    with (
        fileio.hold_lock(path),
        pytest.raises(fileio.LockBusy),
        fileio.hold_lock(path, shared=True, wait=0.2),
    ):
        pass
    with (
        fileio.hold_lock(path, shared=True),
        fileio.hold_lock(path, shared=True),
        pytest.raises(fileio.LockBusy),
        fileio.hold_lock(path),
    ):
        pass
    with fileio.hold_lock(path):  # every holder has let go
        pass


def test_a_killed_holder_frees_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from callback_coach.store import fileio\n"
            f"with fileio.hold_lock(Path({str(path)!r})):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "held\n"
    with pytest.raises(fileio.LockBusy), fileio.hold_lock(path):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    holder.stdout.close()
    with fileio.hold_lock(path):
        pass


@pytest.mark.parametrize("dangling", [False, True])
def test_a_symlink_at_the_lock_path_is_never_followed(
    home: Path, tmp_path: Path, coach_bin: str, dangling: bool
) -> None:
    target = tmp_path / "victim.txt"
    if not dangling:
        target.write_text("precious")
        os.chmod(target, 0o644)
    link = lock_path(home)
    link.parent.mkdir(parents=True, mode=0o700)
    link.symlink_to(target)

    result = scripted_prep(coach_bin, "--round", "callback-1")

    assert result.returncode == ExitCode.STORAGE
    assert result.stderr == (
        f"error: cannot open the lock {link}: it is a symbolic link, "
        "which the coach does not follow\n"
    )
    assert link.is_symlink()
    if dangling:
        assert not target.exists(), "nothing is created through the link"
    else:
        assert target.read_text() == "precious"
        assert target.stat().st_mode & 0o777 == 0o644
    assert saved_notes(home) == []


def test_the_lock_open_itself_asks_not_to_follow_links(
    home: Path, tmp_path: Path, monkeypatch
) -> None:
    # The check before the open can race with a link planted just after it: the open
    # itself must refuse to follow one (O_NOFOLLOW, where the platform has it).
    monkeypatch.setattr(fileio.os.path, "islink", lambda _path: False)
    target = tmp_path / "victim.txt"
    link = lock_path(home)
    link.parent.mkdir(parents=True, mode=0o700)
    link.symlink_to(target)
    with pytest.raises(StorageError, match="symbolic link"):
        Coach(home).save_answers(
            Coach(home).plan_prep("Nina", round_label="callback-1"),
            json.loads(ANSWERS),
        )
    assert not target.exists()


def test_a_fifo_at_the_lock_path_is_refused_without_hanging(home: Path, tmp_path: Path) -> None:
    fifo = lock_path(home)
    fifo.parent.mkdir(parents=True, mode=0o700)
    os.mkfifo(fifo)
    coach = Coach(home)
    with pytest.raises(StorageError, match="it is not a regular file"):
        coach.save_answers(coach.plan_prep("Nina", round_label="callback-1"), json.loads(ANSWERS))
