"""Private, atomic file operations. Every write the coach makes goes through here.

- folders are created 0700, files 0600 (a file rewritten in place keeps its own mode and
  owner);
- a write goes to a temp file in the same folder, is fsynced, then renamed into place;
- `create_new` never replaces an existing file (a hard link fails if the name is taken);
- a temp file left by a killed coach is removed by a later write in its folder, once it
  is old enough that no coach can still be writing it.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from callback_coach.errors import StorageError

DIR_MODE = 0o700
FILE_MODE = 0o600
TEMP_PREFIX, TEMP_SUFFIX = ".tmp-", ".part"
# A temp file lives for milliseconds (write, fsync, link); one this old was left by a kill.
STALE_TEMP_SECONDS = 3600


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as 0700 folders; raise StorageError if impossible."""
    try:
        missing = []
        probe = path
        while not probe.exists():
            missing.append(probe)
            if probe.parent == probe:
                break
            probe = probe.parent
        for folder in reversed(missing):
            folder.mkdir(mode=DIR_MODE, exist_ok=True)
            os.chmod(folder, DIR_MODE)
        if not path.is_dir():
            raise StorageError(f"{path} exists but is not a folder")
    except OSError as exc:
        raise storage_error(exc, path, "create the folder") from None
    return path


def usable_dir(preferred: Path, fallback: Path) -> Path:
    """`preferred`, made if missing, when it is a folder this process can write in;
    else `fallback` (the same, and it must be ours: a folder someone else made in a shared
    temporary folder is refused). For derived data only (a cache, locks): never notes."""
    try:
        folder = ensure_private_dir(preferred)
        if os.access(folder, os.W_OK | os.X_OK):
            probe = folder / f".probe-{os.getpid()}"
            probe.touch()
            probe.unlink()
            return folder
    except (StorageError, OSError):
        pass
    folder = ensure_private_dir(fallback)
    if hasattr(os, "getuid") and folder.stat().st_uid != os.getuid():
        raise StorageError(f"cannot use {folder}: it belongs to another user")
    return folder


def storage_error(exc: OSError, path: Path, action: str) -> StorageError:
    reason = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.ENOSPC: "the disk is full",
        getattr(errno, "EDQUOT", -1): "the disk quota is used up",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.ENAMETOOLONG: "the name is too long",
        errno.ELOOP: "it is a symbolic link, which the coach does not follow",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return StorageError(f"cannot {action} {path}: {reason}")


def remove_stale_temps(folder: Path) -> None:
    """Remove temp files a killed coach left in `folder` (only old regular files)."""
    limit = time.time() - STALE_TEMP_SECONDS
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not (entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX)):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and info.st_mtime < limit:
                    os.unlink(entry.path)


def _write_temp(
    folder: Path,
    chunks: Iterable[bytes],
    like: os.stat_result | None = None,
    *,
    sweep: bool = True,
) -> Path:
    """A complete, fsynced temp file in `folder` holding the bytes of `chunks` (written as
    they come): 0600, or the mode and owner of `like`. `sweep=False` leaves the folder's
    stale temp files alone (see `atomic_write_chunks`)."""
    if sweep:
        remove_stale_temps(folder)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    try:
        try:
            _write_all(fd, chunks)
        finally:
            os.close(fd)
        if like is not None and (like.st_uid, like.st_gid) != _owner(tmp):
            # Possible as root (or for a group the user is in); otherwise the file is ours.
            with contextlib.suppress(OSError):
                os.chown(tmp, like.st_uid, like.st_gid)
        os.chmod(tmp, FILE_MODE if like is None else stat.S_IMODE(like.st_mode))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _write_all(fd: int, chunks: Iterable[bytes]) -> None:
    """Write every byte to `fd` (a write may take only part) and flush it to the disk."""
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]
    os.fsync(fd)


def _owner(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_uid, info.st_gid


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, text: str, *, keep_mode: bool = False) -> None:
    """Replace `path` with `text` atomically (readers see the old or the new file, never half).

    With `keep_mode`, an existing file keeps its permissions and owner (an edit in place);
    otherwise the new file is private (0600).
    """
    atomic_write_bytes(path, text.encode("utf-8"), keep_mode=keep_mode)


def atomic_write_bytes(path: Path, data: bytes, *, keep_mode: bool = False) -> None:
    """Replace `path` with `data` atomically (with `keep_mode`, in the mode and owner of
    the file it replaces)."""
    like = None
    if keep_mode:
        try:
            like = os.stat(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise storage_error(exc, path, "write") from None
    atomic_write_chunks(path, [data], like=like)


def atomic_write_chunks(
    path: Path,
    chunks: Iterable[bytes],
    *,
    sweep: bool = True,
    like: os.stat_result | None = None,
    unless_changed_from: bytes | None = None,
) -> bool:
    """Replace `path` atomically with the bytes of `chunks`, written as they come (memory
    stays flat however large the file); the new file is private (0600), or in the mode
    and owner of `like`. `sweep=False` leaves the folder's stale temp files alone (one of
    many files written to the same folder: sweeping it before each would cost the square
    of their number). With `unless_changed_from`, the file is replaced only if it still
    holds those bytes once the new one is complete on disk; else nothing is written and
    False is returned (see `_replace_checked`)."""
    folder = ensure_private_dir(path.parent)
    try:
        tmp = _write_temp(folder, chunks, like, sweep=sweep)
        try:
            if unless_changed_from is None:
                os.replace(tmp, path)
            else:
                placed = _replace_checked(Path(tmp), path, unless_changed_from)
                # What is left at the temp name: the text replaced, or ours not placed.
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
                if not placed:
                    return False
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise storage_error(exc, path, "write") from None
    _fsync_dir(folder)
    return True


def replace_if_unchanged(path: Path, text: str, *, expected: str) -> bool:
    """Replace `path` with `text` atomically, in its own mode and owner, only if it still
    holds `expected`; False (nothing written) when it changed since it was read.

    The new file is complete on disk before the check, so another writer's change (an
    editor's save, a line appended, a sync) can only slip in during the few microseconds
    between the check and the rename (callers that hold a lock against other coaches
    leave only editors and sync clients), and even then it is not lost where names can
    be exchanged at once: see `_replace_checked`."""
    try:
        like = os.stat(path)
    except OSError as exc:
        raise storage_error(exc, path, "write") from None
    return atomic_write_chunks(
        path, [text.encode("utf-8")], like=like, unless_changed_from=expected.encode("utf-8")
    )


def _release_replaced(tmp: Path, path: Path, expected: bytes) -> bool:
    """After an exchange: whether `tmp`, the text it replaced, is `expected`. If so it is
    removed, held open meanwhile, and what a writer that still had it open adds to its
    end by then (a line appended by hand, its file opened before the exchange) is added
    to the end of `path` too, instead of going with the removed file."""
    with open(tmp, "rb") as old:
        if old.read() != expected:
            return False
        os.unlink(tmp)
        late = old.read()
    if late:
        _append(path, late)
    return True


def _append(path: Path, data: bytes) -> None:
    """Add `data` to the end of `path`, on disk before returning."""
    with open(path, "ab") as file:
        file.write(data)
        os.fsync(file.fileno())


def _replace_checked(tmp: Path, path: Path, expected: bytes) -> bool:
    """Put the complete file `tmp` in the place of `path` if `path` holds `expected`:
    True when it did, False (`path` left as it is) when `path` holds anything else.

    Where the file system can exchange two names at once (Linux, `renameat2`), `tmp`
    takes the place of `path` by an exchange, so what it replaced is then at `tmp` and is
    read: if it is not `expected` (another writer came in between the check and the
    exchange), it is put back at once and False is returned, as if the check had seen it.
    Should a second writer change the new file in that moment too, what it added to the
    end is added to the end of the first one's text; any other change of it is kept
    beside the note as a conflict copy (StorageError says where; `coach conflicts`
    merges it). Elsewhere a plain rename follows the check, and a change made in those
    few microseconds is lost."""
    ours = tmp.read_bytes()
    if path.read_bytes() != expected:
        return False
    try:
        if not _exchange(tmp, path):
            os.replace(tmp, path)
            return True
    except FileNotFoundError:
        return False  # the note was removed meanwhile: nothing to replace
    if _release_replaced(tmp, path, expected):  # what `path` held, now at `tmp`
        return True
    # Another writer's text came in after the check: it goes back in place.
    try:
        back = _exchange(tmp, path)
    except FileNotFoundError:
        back = False  # the note was removed meanwhile: its last text is put back
    if not back:
        os.replace(tmp, path)
        return False
    second = tmp.read_bytes()
    if second == ours:
        return False
    if second.startswith(ours):
        # A second writer added to the end of the new file meanwhile (a line appended):
        # the same bytes are added to the end of the first one's text, where it is now.
        _append(path, second[len(ours) :])
        return False
    kept = _keep_beside(tmp, path)
    raise StorageError(
        f"cannot update {path}: two other changes came in while it was written; the "
        f"second is kept beside it as {kept.name} (see coach conflicts)"
    )


def _keep_beside(tmp: Path, path: Path) -> Path:
    """Give the file at `tmp` a conflict copy's name beside `path` (Syncthing's scheme,
    which `store.conflict_names` recognises); the name given."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 100):
        candidate = path.with_name(f"{path.stem}.sync-conflict-{stamp}-COACH{n}{path.suffix}")
        if not os.path.lexists(candidate):
            os.rename(tmp, candidate)
            return candidate
    raise StorageError(f"cannot find a free name beside {path} for a conflict copy")


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """Linux's `renameat2` (glibc 2.28 and later), or None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # only where a note is changed: every other command starts without it

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    call: Callable[..., int] = function
    return call


# renameat2's flag to exchange the two names, and what it answers where it cannot.
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP}


def _exchange(first: Path, second: Path) -> bool:
    """Exchange the names `first` and `second` at once (both must exist); False, with
    nothing done, where the system or the file system cannot."""
    call = _renameat2()
    if call is None:
        return False
    import ctypes

    if call(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in _NO_EXCHANGE:
        return False
    raise OSError(error, os.strerror(error), str(second))


def create_new(folder: Path, stem: str, suffix: str, text: str) -> Path:
    """Write `text` to a new file `stem + suffix` in `folder`; never replace an existing one.

    If the name is taken (another note, or another coach writing right now), `-2`, `-3`, …
    is added to the stem. The file appears complete or not at all.
    """
    ensure_private_dir(folder)
    data = text.encode("utf-8")
    try:
        tmp = _write_temp(folder, [data])
    except OSError as exc:
        raise storage_error(exc, folder, "write in") from None
    try:
        for n in range(1, 10_000):
            candidate = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
            try:
                os.link(tmp, candidate)
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                    # No hard links here (some synced or FAT folders): exclusive create.
                    if _exclusive_copy(data, candidate):
                        _fsync_dir(folder)
                        return candidate
                    continue
                raise storage_error(exc, candidate, "write") from None
            _fsync_dir(folder)
            return candidate
        raise StorageError(f"cannot find a free file name for {stem}{suffix} in {folder}")
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _exclusive_copy(data: bytes, dest: Path) -> bool:
    """Create `dest` holding `data`; False if the name is taken. A failed write removes
    what it created, so no half note is ever left."""
    try:
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    except OSError as exc:
        raise storage_error(exc, dest, "write") from None
    try:
        try:
            _write_all(fd, [data])
        finally:
            os.close(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(dest)
        raise storage_error(exc, dest, "write") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(dest)
        raise
    return True


# -- locks ---------------------------------------------------------------------------------

# Open a lock file without following a symlink planted at its name, and without letting a
# terminal device become our controlling terminal. Flags a platform lacks count as 0.
_LOCK_FLAGS = (
    os.O_RDWR
    | os.O_CREAT
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
# flock on a file system without locks: run unguarded rather than refuse to work.
_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}


class LockBusy(Exception):
    """Another process holds the lock."""


@contextlib.contextmanager
def hold_lock(path: Path, *, shared: bool = False, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock file `path` (created 0600 if missing) for the `with` block.

    POSIX: `flock`, exclusive or `shared`; Windows: `msvcrt.locking`, always exclusive.
    A lock held elsewhere is retried for `wait` seconds, then LockBusy is raised. The lock
    is a property of the open file, so it ends when this process ends, however it ends.
    A symlink, or anything but a regular file, at `path` is refused (StorageError).
    """
    try:
        if os.path.islink(path):  # O_NOFOLLOW says the same where it exists
            raise OSError(errno.ELOOP, "symbolic link", str(path))
        fd = os.open(path, _LOCK_FLAGS, FILE_MODE)
    except OSError as exc:
        raise storage_error(exc, path, "open the lock") from None
    try:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise StorageError(f"cannot open the lock {path}: it is not a regular file")
            locked = _acquire(fd, shared=shared, wait=wait)
        except OSError as exc:
            raise storage_error(exc, path, "lock") from None
        try:
            yield
        finally:
            if locked:
                _release(fd)
    finally:
        os.close(fd)


def _acquire(fd: int, *, shared: bool, wait: float) -> bool:
    """Lock `fd`; False when the file system has no locks (then nothing is held)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            _try_lock(fd, shared)
            return True
        except BlockingIOError:
            pass
        except OSError as exc:
            if exc.errno in _NO_LOCKS:
                return False
            if exc.errno not in (errno.EACCES, errno.EAGAIN, getattr(errno, "EDEADLOCK", -1)):
                raise
        if time.monotonic() >= deadline:
            raise LockBusy()
        time.sleep(0.05)


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int, shared: bool) -> None:
        # msvcrt has no shared lock: a shared request is exclusive (callers wait a little).
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]

    def _release(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined,unused-ignore]

else:
    import fcntl

    def _try_lock(fd: int, shared: bool) -> None:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)

    def _release(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
