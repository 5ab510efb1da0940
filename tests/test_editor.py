"""`edit_text`: an answer round-trips through the actor's editor, as `git commit` does."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from callback_coach.cli.editor import Edited, edit_text, editor_argv, editor_command
from callback_coach.store import paths

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX shell scripts as editors")


def script(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o700)
    return str(path)


def test_visual_comes_before_editor_and_vi_is_the_fallback() -> None:
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "nano"}) == ("code --wait", "$VISUAL")
    assert editor_command({"VISUAL": " ", "EDITOR": "nano"}) == ("nano", "$EDITOR")
    assert editor_command({}) == ("vi", "the fallback")


def test_the_editor_gets_the_text_and_gives_back_what_it_saved(tmp_path: Path) -> None:
    editor = script(tmp_path, "ed", 'printf "two\\n\\n" >> "$1"\n')
    assert edit_text("one", env={"EDITOR": editor}).text == "one\ntwo"


def test_editor_arguments_are_split_like_a_shell(tmp_path: Path) -> None:
    editor = script(tmp_path, "ed", 'printf "%s\\n" "$1" > "$2"\n')
    edited = edit_text("x", env={"VISUAL": f"{editor} '--flag with space'"})
    assert edited == edit_text("x", env={"VISUAL": f'{editor} "--flag with space"'})
    assert edited.text == "--flag with space"


def test_the_temp_file_is_private_in_the_cache_folder_and_removed(tmp_path: Path) -> None:
    log = tmp_path / "log"
    editor = script(tmp_path, "ed", f'echo "$1" > {log}\n')
    edit_text("secret", env={"EDITOR": editor})
    temp = Path(log.read_text(encoding="utf-8").strip())
    assert temp.parent == paths.cache_dir()
    assert stat.S_IMODE(temp.parent.stat().st_mode) == 0o700
    assert not temp.exists()


def test_without_a_cache_folder_the_temp_file_goes_to_tmpdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("COACH_CACHE_DIR", str(blocker))
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setattr("tempfile.tempdir", None)  # read $TMPDIR again
    log = tmp_path / "log"
    editor = script(tmp_path, "ed", f'ls -l "$1" > {log}; printf "ok\\n" > "$1"\n')
    assert edit_text("x", env={"EDITOR": editor}).text == "ok"
    mode, *_, name = log.read_text(encoding="utf-8").split()
    assert mode == "-rw-------" and Path(name).parent == tmpdir


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            'printf "lost\\n" > "$1"; exit 1\n',
            "ended with an error (exit 1); your text is as it was.",
        ),
        ('rm "$1"\n', "Cannot read what the editor saved"),
    ],
)
def test_an_editor_that_fails_keeps_the_text(tmp_path: Path, body: str, said: str) -> None:
    edited = edit_text("mine", env={"EDITOR": script(tmp_path, "ed", body)})
    assert edited.text is None
    assert said in str(edited.message)


def test_a_missing_editor_says_so(tmp_path: Path) -> None:
    edited = edit_text("mine", env={"EDITOR": str(tmp_path / "no-such-editor")})
    assert edited.text is None
    assert "no-such-editor" in str(edited.message) and "($EDITOR) was not found" in str(
        edited.message
    )


def test_no_editor_at_all_says_how_to_set_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no vi here
    edited = edit_text("mine", env={})
    assert edited == Edited(
        None,
        "No editor found: set $VISUAL or $EDITOR (vi is not installed); your text is as it was.",
    )


def test_a_bad_editor_command_is_a_message(tmp_path: Path) -> None:
    edited = edit_text("mine", env={"EDITOR": "vi 'unclosed"})
    assert edited.text is None and "Cannot read the editor command" in str(edited.message)


def test_windows_line_ends_and_bytes_that_are_not_utf8_are_kept_readable(tmp_path: Path) -> None:
    editor = script(tmp_path, "ed", 'printf "caf\\351\\r\\nfin\\r\\n" > "$1"\n')
    edited = edit_text("", env={"EDITOR": editor})
    assert edited.text == "caf\ufffd\nfin"
    assert "retype the characters shown as \ufffd" in str(edited.message)


def test_unicode_round_trips(tmp_path: Path) -> None:
    editor = script(tmp_path, "ed", "true\n")
    text = "ça va 🎭\nשלום\n\nlast"
    assert edit_text(text, env={"EDITOR": editor}).text == text


def test_the_editor_draws_where_it_is_told(tmp_path: Path) -> None:
    out = tmp_path / "out"
    editor = script(tmp_path, "ed", "echo drawn\n")
    with out.open("w", encoding="utf-8") as stream:
        edit_text("x", env={"EDITOR": editor}, stdout=stream)
    assert out.read_text(encoding="utf-8") == "drawn\n"


def test_an_interrupt_while_the_editor_runs_is_the_editor_s_alone(tmp_path: Path) -> None:
    import signal

    caught: list[int] = []
    before = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        # The editor interrupts its parent (the coach), as Ctrl-C in a cooked terminal would.
        editor = script(tmp_path, "ed", 'kill -INT $PPID; printf "kept\\n" >> "$1"\n')
        assert edit_text("mine", env={"EDITOR": editor}).text == "mine\nkept"
        assert caught == [], "the coach did not see the interrupt"
        os.kill(os.getpid(), signal.SIGINT)
        assert caught == [signal.SIGINT], "and its own handler is back afterwards"
    finally:
        signal.signal(signal.SIGINT, before)


def test_an_editor_stopped_by_a_signal_keeps_the_text(tmp_path: Path) -> None:
    edited = edit_text("mine", env={"EDITOR": script(tmp_path, "ed", "kill -TERM $$\n")})
    assert edited.text is None
    assert "was stopped by a signal; your text is as it was." in str(edited.message)


@pytest.mark.parametrize(
    ("command", "windows", "argv"),
    [
        ("code --wait", False, ["code", "--wait"]),
        ("'/opt/my editor/ed' -n", False, ["/opt/my editor/ed", "-n"]),
        (
            r'"C:\Program Files\Notepad++\notepad++.exe" -multiInst',
            True,
            [
                r"C:\Program Files\Notepad++\notepad++.exe",
                "-multiInst",
            ],
        ),
        (r"C:\tools\vim.exe", True, [r"C:\tools\vim.exe"]),
    ],
)
def test_editor_commands_split_as_their_shell_would(
    command: str, windows: bool, argv: list[str]
) -> None:
    assert editor_argv(command, windows=windows) == argv
