"""Writing an export out: to standard output, one file, or one file per note in a folder,
never over a device, a pipe or a folder, and never into the coach's own notes."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from callback_coach.errors import ExistsError, NotFoundError, UsageError
from callback_coach.store import fileio, paths
from callback_coach.store.yamlio import shown

# The longest file name (in UTF-8 bytes) common file systems take.
NAME_MAX = 255
# What an export writes: one text, or its pieces in order.
Text = str | Iterable[str]
# Names that mean "standard output" for --output (a script may spell it either way).
STDOUT_NAMES = ("-", "/dev/stdout")


def is_folder_target(output: str) -> bool:
    """True for an --output that names a folder (ending in / or an existing one)."""
    if output.endswith(("/", "\\")):
        return True
    try:
        return Path(output).expanduser().is_dir()
    except OSError as exc:  # a name the system refuses (too long, ...)
        raise UsageError(f"--output {shown(output)}: {exc.strerror or exc}") from None


def write_output(
    output: str | None,
    whole: Callable[[], Text],
    parts: Callable[[], Iterable[tuple[str, Text | Callable[[], Text]]]],
    *,
    force: bool = False,
) -> list[Path]:
    """Write `whole()` to stdout (no `output`, `-` or `/dev/stdout`) or to one file; or, for
    an output ending in `/` (or an existing folder), each (file name, render) of `parts()`
    to its own file (a part is its text, or a function making it). Only the one that is
    written is rendered, piece by piece as it is written.

    Every target is checked before anything is written: an existing file (or symlink,
    dangling or not) is an error unless `force`, and then the file or the link itself is
    replaced, never what a link points to. A device, a pipe, a socket or a folder (or a
    link to one) is never replaced, even with `force` (UsageError, exit 2).
    """
    if output is None or output in STDOUT_NAMES:
        _write_stdout(whole())
        return []
    if not output:
        raise UsageError("--output is empty: give a file, a folder ending in /, or - for stdout")
    if is_folder_target(output):
        folder = Path(output).expanduser()

        def targets() -> Iterator[tuple[Path, Text | Callable[[], Text]]]:
            # Gone through twice (check, then write), so that no list of every file is held.
            return ((folder / name, render) for name, render in parts())
    else:
        path = Path(output).expanduser()
        if len(path.name.encode("utf-8", "surrogateescape")) > NAME_MAX:
            raise UsageError(
                f"--output: the file name is longer than {NAME_MAX} bytes, which file "
                "systems refuse; choose a shorter one"
            )
        if not path.parent.is_dir():
            raise NotFoundError(f"the folder for {path} does not exist")

        def targets() -> Iterator[tuple[Path, Text | Callable[[], Text]]]:
            return iter([(path, whole)])

    _check_not_coach_data(folder if is_folder_target(output) else path.parent)
    existing = [str(p) for p, _ in targets() if _existing(p)]
    if existing and not force:
        shown = existing[:LISTED_AT_MOST]
        if len(existing) > len(shown):
            shown.append(f"… and {len(existing) - len(shown)} more")
        raise ExistsError(
            f"{len(existing)} file(s) already exist; nothing was written (use --force to replace)",
            details=shown,
        )
    written = []
    swept: set[Path] = set()
    for path, render in targets():
        text = render() if callable(render) else render
        fileio.atomic_write_chunks(path, _encoded(text), sweep=path.parent not in swept)
        swept.add(path.parent)
        written.append(path)
    return written


# An error about files that exist names this many of them, then how many more.
LISTED_AT_MOST = 10
# Pieces are written in blocks of about this many characters: a few large writes instead
# of one per note.
WRITE_BLOCK = 1 << 20


def _check_not_coach_data(folder: Path) -> None:
    """UsageError when `folder` is (or is inside) the notes or drafts folder of the coach
    home: an export written there could replace the notes it was made from."""
    home = paths.coach_home()
    target = Path(os.path.realpath(folder))
    for kept, what in ((paths.notes_dir(home), "notes"), (paths.drafts_dir(home), "drafts")):
        if target == Path(os.path.realpath(kept)) or target.is_relative_to(os.path.realpath(kept)):
            raise UsageError(
                f"--output {folder} is in the coach's {what} folder; an export is never "
                "written there (it could replace your notes): choose another folder"
            )


def _encoded(text: Text) -> Iterator[bytes]:
    if isinstance(text, str):
        yield text.encode("utf-8")
        return
    block: list[str] = []
    size = 0
    for chunk in text:
        block.append(chunk)
        size += len(chunk)
        if size >= WRITE_BLOCK:
            yield "".join(block).encode("utf-8")
            block, size = [], 0
    if block:
        yield "".join(block).encode("utf-8")


def _write_stdout(text: Text) -> None:
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a replaced sys.stdout (tests): text only
        for chunk in [text] if isinstance(text, str) else text:
            sys.stdout.write(chunk)
        return
    sys.stdout.flush()
    for data in _encoded(text):
        stream.write(data)
    stream.flush()


def _existing(path: Path) -> bool:
    """True when something a write would replace is at `path` (a regular file, or a
    symlink to one or to nothing); UsageError when it is anything the coach never
    replaces with a file."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise fileio.storage_error(exc, path, "write") from None
    if stat.S_ISLNK(info.st_mode):
        try:
            info = path.stat()
        except OSError:
            return True  # a dangling link (or a loop): only the link would be replaced
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return True
    if stat.S_ISDIR(mode):
        kind = "a folder"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISFIFO(mode):
        kind = "a pipe"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "not a regular file"
    raise UsageError(f"--output {path} is {kind}; the coach only writes regular files")
