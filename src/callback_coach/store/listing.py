"""The notes folder's listing: every note file's stamp (modification time and size) and
a digest of them all, which tells the index whether anything changed.

Reading the listing costs one `stat` per note (about 40 ms at 10,000 notes): the only
way to see a note edited in place. A command spends about as long loading what it needs
(Typer, its modules; a prep or review in the terminal longer: its prompts), so when the
folder is large the `coach` command (`launch`) has the listing read ahead
(`read_ahead`) by a forked child process on another core. The child sends the digest,
then the listing; the index takes the digest (`digest_read_ahead`), and the listing
(`stamps_read_ahead`) only when the digest says something changed. Where forking is not
possible or not safe (Windows, threads, one core), or the child fails, nothing is read
ahead and the index reads the listing itself: the result is the same, only later.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from pathlib import Path
from stat import S_ISREG

# (Kept light: `launch` imports this module before anything else, to fork at once. What
# only the reading needs is imported by the reader, the child, on another core.)

Stamps = dict[str, tuple[int, int]]

# The one read-ahead of this process: (folder, child's pid, read end of its pipe).
_pending: tuple[str, int, int] | None = None


def scan(notes_dir: Path) -> Stamps:
    """Every note file's (mtime_ns, size), in the folder's own order (no folder: none)."""
    from callback_coach.store import fileio

    found: Stamps = {}
    try:
        folder = os.open(notes_dir, os.O_RDONLY)
    except FileNotFoundError:
        return found
    except OSError as exc:
        raise fileio.storage_error(exc, notes_dir, "read") from None
    try:
        for name in os.listdir(folder):
            if name[-3:] != ".md" or name[0] == ".":
                continue
            try:
                st = os.stat(name, dir_fd=folder)
            except OSError:
                continue
            if S_ISREG(st.st_mode):
                found[name] = (st.st_mtime_ns, st.st_size)
    except OSError as exc:
        raise fileio.storage_error(exc, notes_dir, "read") from None
    finally:
        os.close(folder)
    return found


class Listing:
    """A listing packed as two byte strings: the names (UTF-8, separated by NUL, in the
    folder's own order) and the stamps (modification time and size of each, as
    little-endian 64-bit integers). The child sends it, the index keeps it, and two are
    compared without making an object per note when only stamps changed (`changes`)."""

    __slots__ = ("_names", "names", "stamps")

    def __init__(self, names: bytes, stamps: bytes) -> None:
        if len(stamps) % _RECORD or (len(stamps) // _RECORD) != (
            names.count(b"\0") + 1 if names else 0
        ):
            raise ValueError("names and stamps do not match")
        self.names = names
        self.stamps = stamps
        self._names: list[str] | None = None

    @classmethod
    def of(cls, on_disk: Stamps) -> Listing:
        import struct

        names = "\0".join(on_disk).encode("utf-8", "surrogatepass")
        flat = [n for stamp in on_disk.values() for n in stamp]
        return cls(names, struct.pack(f"<{len(flat)}q", *flat))

    def __len__(self) -> int:
        return len(self.stamps) // _RECORD

    def digest(self) -> str:
        """A digest of the listing: the names in the folder's own order, each note's
        modification time and size (what the index compares first)."""
        import hashlib

        return hashlib.sha256(self.names + b"\0\0" + self.stamps).hexdigest()

    def name_list(self) -> list[str]:
        if self._names is None:
            text = self.names.decode("utf-8", "surrogatepass")
            self._names = text.split("\0") if text else []
        return self._names

    def stamp(self, position: int) -> tuple[int, int]:
        import struct

        mtime_ns, size = struct.unpack_from("<2q", self.stamps, position * _RECORD)
        return mtime_ns, size

    def as_dict(self) -> Stamps:
        import struct

        flat = struct.unpack(f"<{2 * len(self)}q", self.stamps)
        return dict(zip(self.name_list(), zip(flat[::2], flat[1::2], strict=True), strict=True))

    def data(self) -> bytes:
        """The listing as bytes (`from_data` reads them)."""
        return marshal.dumps((self.names, self.stamps))

    @classmethod
    def from_data(cls, data: object) -> Listing | None:
        """The listing `data()` gave, or None for anything else."""
        if not isinstance(data, bytes):
            return None
        try:
            names, stamps = marshal.loads(data)
            return cls(names, stamps) if type(names) is type(stamps) is bytes else None
        except (EOFError, ValueError, TypeError):
            return None


_RECORD = 16  # bytes of one note's stamps
# Stamps compared at a time: equal blocks are skipped in C.
_BLOCK = 256 * _RECORD


def changes(
    new: Listing, known: Listing
) -> tuple[dict[str, tuple[int, int]], list[str], list[str]]:
    """The notes of `new` that are new or changed since `known` (name -> stamp, by name),
    those gone, and of the changed the ones `known` has. When the names are the same (a
    note edited or touched in place), only the stamps are compared, block by block."""
    if new.names == known.names:
        a, b = new.stamps, known.stamps
        positions = []
        for start in range(0, len(a), _BLOCK):
            if a[start : start + _BLOCK] != b[start : start + _BLOCK]:
                end = min(start + _BLOCK, len(a))
                positions += [
                    p // _RECORD
                    for p in range(start, end, _RECORD)
                    if a[p : p + _RECORD] != b[p : p + _RECORD]
                ]
        names = new.name_list() if positions else []
        changed = {names[p]: new.stamp(p) for p in sorted(positions, key=names.__getitem__)}
        return changed, [], list(changed)
    on_disk, kept = new.as_dict(), known.as_dict()
    changed = {
        name: on_disk[name]
        for name in sorted(name for name, stamp in on_disk.items() if kept.get(name) != stamp)
    }
    removed = sorted(name for name in kept if name not in on_disk)
    return changed, removed, [name for name in changed if name in kept]


# A folder whose listing takes this many bytes holds about a thousand notes or more
# (ext4 about 70 bytes a name, tmpfs 20): below that, the listing is read in a few ms.
LARGE_FOLDER_BYTES = 64 * 1024


def looks_large(notes_dir: Path) -> bool:
    """Whether the notes folder is large enough for a read-ahead to pay (its own size)."""
    try:
        return os.stat(notes_dir).st_size >= LARGE_FOLDER_BYTES
    except OSError:
        return False


def read_ahead(notes_dir: Path) -> bool:
    """Start reading the listing's digest in a forked child (unless one is reading that
    folder already); False when it cannot be (then nothing was started)."""
    from callback_coach.store import parallel

    global _pending
    if _pending is not None and _pending[0] == str(notes_dir):
        return True
    done()
    if not hasattr(os, "fork") or parallel.worker_count() == 0:
        return False  # (Windows, threads, or one core)
    read_end, write_end = os.pipe()
    with contextlib.suppress(ImportError, AttributeError, OSError):
        # (Linux) A pipe that holds the listing of 10,000 notes: the child writes it at
        # once instead of waiting for each 64 KiB to be read.
        import fcntl

        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return False
    if pid == 0:  # the child: the digest, then the listing, then gone without cleaning up
        try:
            os.close(read_end)
            _let_go_of_standard_streams()  # a `$(coach ...)` never waits for this child
            found = Listing.of(scan(notes_dir))
            _write_all(write_end, found.digest().encode("ascii"))
            # (only read when something changed)
            _write_all(write_end, len(found.names).to_bytes(8, "little") + found.names)
            _write_all(write_end, found.stamps)
        finally:
            os._exit(0)
    os.close(write_end)
    _pending = (str(notes_dir), pid, read_end)
    return True


def digest_read_ahead(notes_dir: Path) -> str | None:
    """The digest the child read for `notes_dir` (waiting for it), or None when none was
    read ahead for that folder or the child failed. The child's listing stays there for
    `stamps_read_ahead`, until `done`."""
    if _pending is None or _pending[0] != str(notes_dir):
        return None
    text = _read(_pending[2], DIGEST_SIZE)
    if len(text) != DIGEST_SIZE:
        done()
        return None
    return text.decode("ascii", "replace")


def stamps_read_ahead() -> Listing | None:
    """The listing the child read (after its digest: `digest_read_ahead`), or None; the
    child is then done with."""
    if _pending is None:
        return None
    try:
        data = _read(_pending[2])
        size = int.from_bytes(data[:8], "little")
        if len(data) < 8 + size:
            return None
        return Listing(data[8 : 8 + size], data[8 + size :])
    except ValueError:
        return None
    finally:
        done()


def done() -> None:
    """Let go of the pending child, if any (whatever it has not said is not read)."""
    global _pending
    if _pending is None:
        return
    _, pid, read_end = _pending
    _pending = None
    os.close(read_end)  # a child still writing stops (a broken pipe), then exits
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


# A SHA-256 in hexadecimal.
DIGEST_SIZE = 64
# The pipe the child writes to (where the system lets it be this large).
PIPE_SIZE = 1024 * 1024


def _read(fd: int, size: int = -1) -> bytes:
    """Up to `size` bytes (-1: all) from a pipe, until its end."""
    chunks = []
    wanted = size
    try:
        while wanted != 0:
            chunk = os.read(fd, PIPE_SIZE if wanted < 0 else wanted)
            if not chunk:
                break
            chunks.append(chunk)
            if wanted > 0:
                wanted -= len(chunk)
    except OSError:
        return b""
    return b"".join(chunks)


def _let_go_of_standard_streams() -> None:
    """Point standard input, output and error at the null device (in the child)."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            os.dup2(null, fd)
    os.close(null)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
