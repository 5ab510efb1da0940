"""Two devices share one coach home through a real git repository: both change the same
round, `git pull` conflicts, `coach conflicts merge` resolves it, nothing either wrote is
lost. The installed `coach` and the `git` on the machine, as a person would run them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from callback_coach.store.notes import parse_note

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NOTE = "notes/2026-12-01_the-seagull_nina_callback-1_prep.md"


class Device:
    """One device: its clone of the shared repository is its $COACH_HOME; its cache is
    its own."""

    def __init__(self, name: str, tmp: Path, remote: Path, coach_bin: str) -> None:
        self.home = tmp / name
        self.coach_bin = coach_bin
        self.env = {
            **os.environ,
            "COACH_HOME": str(self.home),
            "COACH_CACHE_DIR": str(tmp / f"cache-{name}"),
            # git without the machine's or the user's settings.
            "HOME": str(tmp),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": f"{name}@example.org",
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": f"{name}@example.org",
        }
        self.run("git", "clone", "-q", str(remote), str(self.home), cwd=tmp)

    def run(
        self, *args: str, cwd: Path | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            list(args),
            cwd=cwd or self.home,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if check:
            assert proc.returncode == 0, f"{args}\n{proc.stdout}\n{proc.stderr}"
        return proc

    def coach(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = self.run(self.coach_bin, *args, check=check)
        assert "Traceback" not in proc.stderr
        return proc

    def commit(self, message: str) -> None:
        self.run("git", "add", "-A")
        self.run("git", "commit", "-q", "-m", message)

    def note_text(self) -> str:
        return (self.home / NOTE).read_text(encoding="utf-8")


def prep(device: Device, tmp: Path, answers: dict[str, dict[str, str]]) -> None:
    path = tmp / f"answers-{device.home.name}.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    device.coach(
        "prep", "Nina", "--project", "The Seagull", "--answers", str(path), "--date", "2026-12-01"
    )


def add_to_body(device: Device, line: str) -> None:
    with (device.home / NOTE).open("a", encoding="utf-8") as file:
        file.write(f"{line}\n")


def test_two_devices_through_git_lose_nothing(tmp_path: Path, coach_bin: str) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True, timeout=60)
    a = Device("phone", tmp_path, remote, coach_bin)
    (a.home / ".gitignore").write_text("drafts/\n", encoding="utf-8")
    a.commit("a shared coach home")
    a.run("git", "push", "-q", "origin", "HEAD")
    b = Device("laptop", tmp_path, remote, coach_bin)

    # The same round on both devices, each with its own answers, outcome and words.
    prep(a, tmp_path, {"refine-intention": {"want": "to be seen", "obstacle": "my nerves"}})
    a.coach("outcome", "Nina", "hold")
    add_to_body(a, "Written on the phone, in the taxi.")
    a.commit("phone: prep and hold")
    a.run("git", "push", "-q")

    prep(b, tmp_path, {"refine-intention": {"want": "to be heard", "relationship": "her mother"}})
    b.coach("outcome", "Nina", "released")
    add_to_body(b, "Written on the laptop, at home.")
    b.commit("laptop: prep and released")
    pulled = b.run("git", "-c", "pull.rebase=false", "pull", "-q", check=False)
    assert pulled.returncode != 0, "git reports the conflict"
    assert "<<<<<<< HEAD" in b.note_text()

    listed = json.loads(b.coach("conflicts", "list", "--json").stdout)["conflicts"]
    assert [(c["file"], c["scheme"]) for c in listed] == [(Path(NOTE).name, "git")]
    assert listed[0]["answers"]["differ"] == 1

    merged_run = b.coach("conflicts", "merge", "--keep", "mine")
    assert merged_run.stdout == f"{b.home / NOTE}\n"
    text = b.note_text()
    assert "<<<<<<<" not in text and "=======\n" not in text and ">>>>>>>" not in text
    b.commit("merged with coach conflicts")
    b.run("git", "push", "-q")
    a.run("git", "-c", "pull.rebase=false", "pull", "-q")
    assert a.note_text() == b.note_text()

    note = parse_note(text)
    answers = note.meta["answers"]["refine-intention"]
    # The laptop's (mine) where they differ; every one-sided answer of both devices.
    assert answers["want"] == "to be heard"
    assert answers["obstacle"] == "my nerves" and answers["relationship"] == "her mother"
    # The laptop's outcome; the phone's hold stays in the history (each change once).
    history = [(c["outcome"], c["at"]) for c in note.meta["outcome_history"]]
    assert note.meta["outcome"] == "released" and {o for o, _ in history} == {"hold", "released"}
    assert len(set(history)) == len(history) and "earlier_outcomes" not in note.meta
    # What --keep mine did not keep, and both devices' own lines, are in the body.
    assert "answers.refine-intention.want: to be seen" in note.body
    assert "Written on the phone, in the taxi.\n" in note.body
    assert "Written on the laptop, at home.\n" in note.body

    for device in (a, b):
        shown = json.loads(device.coach("show", "Nina", "--json").stdout)
        assert [(r["round"], r["outcome"], len(r["preps"])) for r in shown["rounds"]] == [
            ("callback-1", "released", 1)
        ]
        assert "hold" in shown["rounds"][0]["preps"][0]["earlier_outcomes"]
        assert device.coach("conflicts", "list", "--json").stdout.count('"file"') == 0
    status = b.run("git", "status", "--porcelain").stdout
    assert status == ""
