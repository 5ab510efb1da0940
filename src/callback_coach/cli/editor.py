"""An answer written in the actor's own editor, as `git commit` does.

`edit_text` puts the text typed so far in a private temp file (0600, in the coach's cache
folder, else `$TMPDIR`), runs `$VISUAL`, else `$EDITOR`, else `vi` on it, and returns what
the editor saved (its final line break dropped). It never raises: an editor that is
missing or fails leaves the text as it was and says why, and the temp file is always
removed. No prompt_toolkit here: the prompt that calls it lives in `asker.py`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from callback_coach.errors import StorageError
from callback_coach.store import fileio, paths

FALLBACK_EDITOR = "vi"
KEPT = "your text is as it was."


@dataclass(frozen=True)
class Edited:
    """What came back: the new `text` (None: keep the text as it was) and a `message`
    to show the person (None: nothing to say)."""

    text: str | None
    message: str | None = None


def editor_command(env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The editor to run and where it came from: `$VISUAL`, `$EDITOR`, else `vi`."""
    env = os.environ if env is None else env
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            return value, f"${name}"
    return FALLBACK_EDITOR, "the fallback"


def edit_text(
    text: str,
    *,
    folder: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdout: IO[str] | None = None,
) -> Edited:
    """Let the person edit `text` in their editor; see the module docstring.

    `folder` is where the temp file goes (default: the cache folder, else `$TMPDIR`);
    `stdout` is where the editor draws (default: inherited), so an editor still reaches
    the terminal when the coach's standard output is captured.
    """
    command, source = editor_command(env)
    try:
        argv = editor_argv(command)
    except ValueError as exc:
        return Edited(None, f"Cannot read the editor command {command!r} ({exc}); {KEPT}")
    if not argv:
        return Edited(None, f"The editor command {command!r} is empty; {KEPT}")
    if shutil.which(argv[0]) is None:
        if source == "the fallback":
            return Edited(
                None, f"No editor found: set $VISUAL or $EDITOR (vi is not installed); {KEPT}"
            )
        return Edited(None, f"The editor {argv[0]!r} ({source}) was not found; {KEPT}")
    try:
        path = _private_file(text, folder)
    except OSError as exc:
        return Edited(None, f"Cannot write a temp file for the editor ({exc.strerror}); {KEPT}")
    try:
        try:
            returncode = _run_editor([*argv, str(path)], stdout)
        except OSError as exc:
            return Edited(None, f"Cannot run the editor {argv[0]!r} ({exc.strerror}); {KEPT}")
        if returncode < 0:
            return Edited(None, f"The editor {argv[0]!r} was stopped by a signal; {KEPT}")
        if returncode != 0:
            return Edited(
                None, f"The editor {argv[0]!r} ended with an error (exit {returncode}); {KEPT}"
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            return Edited(None, f"Cannot read what the editor saved ({exc.strerror}); {KEPT}")
    finally:
        path.unlink(missing_ok=True)
    try:
        edited = data.decode("utf-8")
        message = None
    except UnicodeDecodeError:
        # Never lose the words: keep them, with U+FFFD where a byte was not UTF-8.
        edited = data.decode("utf-8", errors="replace")
        message = (
            "Some of what the editor saved was not UTF-8: retype the characters shown as \ufffd."
        )
    return Edited(edited.replace("\r\n", "\n").rstrip("\n"), message)


def editor_argv(command: str, *, windows: bool = os.name == "nt") -> list[str]:
    """`command` split into a program and its arguments as a shell would (`code --wait`,
    a quoted path with spaces). On Windows a backslash is part of a path, not an escape.
    Raises ValueError for an unclosed quote."""
    if not windows:
        return shlex.split(command)
    return [
        word[1:-1] if len(word) >= 2 and word[0] == word[-1] == '"' else word
        for word in shlex.split(command, posix=False)
    ]


def _run_editor(argv: list[str], stdout: IO[str] | None) -> int:
    """Run the editor and wait for it. Meanwhile an interrupt (Ctrl-C, `kill -INT`) is
    the editor's alone, as `git commit` does: the coach neither stops nor leaves the
    editor running on a terminal it would draw on again."""
    if threading.current_thread() is not threading.main_thread():
        # Only the main thread may change how signals are handled.
        return subprocess.Popen(argv, stdout=stdout).wait()
    names = [n for n in ("SIGINT", "SIGQUIT") if hasattr(signal, n)]
    # Ignored before the editor starts, so an interrupt it sends at once cannot reach the
    # coach; the editor itself gets the default handling back (POSIX) as it starts.
    kept = {n: signal.signal(getattr(signal, n), signal.SIG_IGN) for n in names}

    def default_interrupts() -> None:
        for name in names:
            signal.signal(getattr(signal, name), signal.SIG_DFL)

    preexec_fn = default_interrupts if os.name == "posix" else None  # (None: the default)
    try:
        return subprocess.Popen(argv, stdout=stdout, preexec_fn=preexec_fn).wait()
    finally:
        for name, handler in kept.items():
            signal.signal(getattr(signal, name), handler)


def _private_file(text: str, folder: Path | None) -> Path:
    """A new 0600 file holding `text` (and a final line break, as editors expect)."""
    if folder is None:
        folder = _temp_folder()
    fd, name = tempfile.mkstemp(prefix="coach-answer-", suffix=".txt", dir=folder)
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text + "\n" if text else "")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _temp_folder() -> Path | None:
    """The coach's private cache folder when it can be made, else None (`$TMPDIR`)."""
    try:
        return fileio.ensure_private_dir(paths.cache_dir())
    except StorageError:
        return None
