"""`export --output`: regular files only; links replaced, never written through; `-` is stdout."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode

from .helpers import saved_notes

runner = CliRunner()
EXPORT = ("export", "notes", "--format", "json")


def coach(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def plain_export(history: Coach) -> str:
    result = coach(*EXPORT)
    assert result.exit_code == 0 and result.stdout.startswith("{")
    return result.stdout


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_dash_and_dev_stdout_mean_standard_output(
    plain_export: str, tmp_path: Path, monkeypatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = coach(*EXPORT, "--output", name)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == plain_export
    assert result.stderr == ""
    assert not (tmp_path / "-").exists()


def test_dev_stdout_in_a_real_process_writes_to_the_pipe(plain_export: str, coach_bin: str) -> None:
    proc = subprocess.run(
        [coach_bin, *EXPORT, "--output", "/dev/stdout"], capture_output=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == plain_export


def test_an_empty_output_is_a_usage_error(history: Coach, tmp_path: Path, monkeypatch) -> None:
    here = tmp_path / "cwd"
    here.mkdir()
    monkeypatch.chdir(here)
    result = coach(*EXPORT, "--output", "")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: --output is empty")
    assert list(here.iterdir()) == []


def special_files(tmp_path: Path) -> list[tuple[str, Path]]:
    fifo = tmp_path / "a-fifo"
    os.mkfifo(fifo)
    if os.geteuid() == 0:
        device = tmp_path / "a-null-device"  # never play with the real /dev/null as root
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    else:
        device = Path("/dev/null")  # not replaceable without root anyway
    return [("a pipe", fifo), ("a device", device)]


@pytest.mark.parametrize("force", [False, True])
def test_a_device_or_fifo_is_never_replaced(history: Coach, tmp_path: Path, force: bool) -> None:
    for kind, special in special_files(tmp_path):
        before = special.lstat()
        result = coach(*EXPORT, "--output", str(special), *(["--force"] if force else []))
        assert result.exit_code == ExitCode.USAGE, (kind, result.stderr)
        assert result.stderr == (
            f"error: --output {special} is {kind}; the coach only writes regular files\n"
        )
        after = special.lstat()
        assert (after.st_mode, after.st_ino, after.st_rdev) == (
            before.st_mode,
            before.st_ino,
            before.st_rdev,
        )


@pytest.mark.parametrize("force", [False, True])
def test_a_link_to_a_device_or_fifo_is_never_replaced(
    history: Coach, tmp_path: Path, force: bool
) -> None:
    for kind, special in special_files(tmp_path):
        link = tmp_path / f"link-to-{special.name}"
        link.symlink_to(special)
        result = coach(*EXPORT, "--output", str(link), *(["--force"] if force else []))
        assert result.exit_code == ExitCode.USAGE, (kind, result.stderr)
        assert link.is_symlink() and link.readlink() == special


def test_a_link_to_a_file_is_replaced_only_with_force_and_never_written_through(
    plain_export: str, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere" / "keep.txt"
    outside.parent.mkdir()
    outside.write_text("mine")
    link = tmp_path / "out.json"
    link.symlink_to(outside)

    refused = coach(*EXPORT, "--output", str(link))
    assert refused.exit_code == ExitCode.EXISTS
    assert link.is_symlink() and outside.read_text() == "mine"

    forced = coach(*EXPORT, "--output", str(link), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == plain_export
    assert outside.read_text() == "mine"


def test_a_dangling_link_is_replaced_only_with_force(plain_export: str, tmp_path: Path) -> None:
    target = tmp_path / "not-there-yet.json"
    link = tmp_path / "out.json"
    link.symlink_to(target)

    refused = coach(*EXPORT, "--output", str(link))
    assert refused.exit_code == ExitCode.EXISTS
    assert refused.stderr.splitlines() == [
        "error: 1 file(s) already exist; nothing was written (use --force to replace)",
        f"  {link}",
    ]
    assert link.is_symlink() and not target.exists()

    forced = coach(*EXPORT, "--output", str(link), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert link.is_file() and not link.is_symlink()
    assert link.read_text(encoding="utf-8") == plain_export
    assert not target.exists(), "the link itself is replaced, never its target"


def test_one_special_file_in_a_folder_export_stops_every_write(
    history: Coach, tmp_path: Path
) -> None:
    folder = tmp_path / "backup"
    folder.mkdir()
    names = sorted(p.path.stem for p in saved_notes(history.home))
    os.mkfifo(folder / f"{names[0]}.md")
    result = coach("export", "notes", "--output", f"{folder}/", "--force")
    assert result.exit_code == ExitCode.USAGE
    assert sorted(p.name for p in folder.iterdir()) == [f"{names[0]}.md"]
    assert stat.S_ISFIFO((folder / f"{names[0]}.md").lstat().st_mode)


def test_a_folder_export_sweeps_the_folder_once(
    history: Coach, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stale temp files in the target folder are removed, by one look at the folder (not
    one per file written: with thousands of notes that cost the square of their number)."""
    from callback_coach.store import fileio

    out = tmp_path / "out"
    out.mkdir()
    stale = out / f"{fileio.TEMP_PREFIX}killed{fileio.TEMP_SUFFIX}"
    stale.write_text("half an export")
    old = os.stat(stale).st_mtime - fileio.STALE_TEMP_SECONDS - 60
    os.utime(stale, (old, old))
    looks = []
    sweep = fileio.remove_stale_temps
    monkeypatch.setattr(
        fileio, "remove_stale_temps", lambda folder: looks.append(folder) or sweep(folder)
    )
    result = coach("export", "notes", "--output", f"{out}/")
    assert result.exit_code == 0
    assert len(list(out.glob("*.md"))) == len(saved_notes(history.home)) > 1
    assert looks == [out] and not stale.exists()


def test_an_export_is_never_written_into_the_notes_folder(history: Coach, tmp_path: Path) -> None:
    """`--output "$COACH_HOME/notes/" --force` would replace each note with its export (the
    names are the same): refused, whatever way the folder is named; nothing written."""
    notes = history.home / "notes"
    before = {p.name: p.read_bytes() for p in notes.iterdir()}
    link = tmp_path / "to-notes"
    link.symlink_to(notes)
    for output in (f"{notes}/", str(notes), f"{notes}/one.md", f"{link}/", f"{notes}/../notes/"):
        result = coach("export", "notes", "--output", output, "--force")
        assert result.exit_code == ExitCode.USAGE, output
        assert "notes folder" in result.stderr and len(result.stderr.splitlines()) == 1
    result = coach("export", "checklists", "--output", f"{history.home / 'drafts'}/")
    assert result.exit_code == ExitCode.USAGE
    assert {p.name: p.read_bytes() for p in notes.iterdir()} == before
    # The checklists folder is meant for exports of checklists (to edit them).
    assert (
        coach(
            "export", "checklists", "mindset", "--output", f"{history.home / 'checklists'}/"
        ).exit_code
        == 0
    )


def test_a_large_folder_export_says_what_it_wrote_in_one_line(
    history: Coach, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A nightly export of many notes is one line on stderr; refused, it names the first
    files that exist and how many more."""
    from callback_coach.exports import output as exports

    out = tmp_path / "out"
    result = coach("export", "notes", "--output", f"{out}/")
    count = len(saved_notes(history.home))
    assert count > 3
    assert result.stderr == f"Wrote {count} files in {out}\n"
    monkeypatch.setattr(exports, "LISTED_AT_MOST", 2)
    again = coach("export", "notes", "--output", f"{out}/")
    assert again.exit_code == ExitCode.EXISTS
    lines = again.stderr.splitlines()
    assert len(lines) == 4 and lines[-1].endswith(f"… and {count - 2} more")
