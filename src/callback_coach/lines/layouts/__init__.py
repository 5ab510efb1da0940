"""The layouts sides come in, behind one registry, and `read_sides`, which reads a file
with the layout that fits it.

A file is claimed outright by its suffix or first bytes (`.pdf`/`%PDF-`, `.fountain`);
any other file is text read by every plain-text layout, and the one that finds the most
speeches wins. A new layout is one `Layout` subclass passed to `register`.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from callback_coach.errors import NotFoundError, SidesError, UsageError
from callback_coach.lines.layouts.common import Layout, Source, best_reading, decode_text
from callback_coach.lines.layouts.fountain import Fountain
from callback_coach.lines.layouts.pdf import Pdf
from callback_coach.lines.layouts.screenplay import Screenplay
from callback_coach.lines.layouts.stage import StagePlay
from callback_coach.lines.scene import Scene
from callback_coach.store.slugs import fold

MAX_TEXT_BYTES = 2 * 1024 * 1024  # sides are kilobytes; a stored scene stays under the YAML limit
MAX_PDF_BYTES = 32 * 1024 * 1024

LAYOUTS: list[Layout] = []


def _text_layouts() -> list[Layout]:
    """The plain-text layouts, which compete for any file no layout claims."""
    return [layout for layout in LAYOUTS if layout.plain_text]


def register(layout: Layout) -> Layout:
    """Add a layout; the ones that claim files by suffix or first bytes are asked first,
    in the order they were registered."""
    LAYOUTS.append(layout)
    return layout


register(Screenplay())
register(StagePlay())
register(Fountain())
register(Pdf(lambda: _text_layouts()))


@dataclass(frozen=True)
class Sides:
    """What a file held: its scenes (each with a speech at least) and how it was read."""

    scenes: list[Scene]
    layout: str
    notes: list[str] = field(default_factory=list)

    def speakers(self) -> list[str]:
        """Every speaking character once (alike when folded), in order of first speech."""
        seen: dict[str, str] = {}
        for scene in self.scenes:
            for name in scene.speakers():
                seen.setdefault(fold(name), name)
        return list(seen.values())


def read_sides(path: Path) -> Sides:
    """The scenes in the file at `path`.

    NotFoundError when there is no such file; SidesError (one line, with what was tried)
    when it cannot be read as a scene: empty, binary, too large, a scan, encrypted, or no
    speaker found.
    """
    source = Source(path, _read(path))
    if not source.data.strip():
        raise SidesError(f"{path.name} is empty: there is no scene to learn")
    claimed = [layout for layout in LAYOUTS if not layout.plain_text and layout.claims(source)]
    if claimed:
        layout = claimed[0]
        scenes = layout.parse(source)
    else:
        if len(source.data) > MAX_TEXT_BYTES:
            raise SidesError(f"{path.name} is larger than {_mib(MAX_TEXT_BYTES)} of text")
        layout, scenes = best_reading(_text_layouts(), decode_text(source), source.stem)
    if not scenes:
        tried = [layout] if claimed and not isinstance(layout, Pdf) else _text_layouts()
        raise SidesError(
            f"no speaker found in {path.name}; tried: "
            + "; ".join(f"{t.name} ({t.looks_for})" for t in tried)
        )
    return Sides(scenes=scenes, layout=layout.name, notes=source.notes)


def _read(path: Path) -> bytes:
    """The file's bytes, refusing at once (before reading) a file over the size limit."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise UsageError(f"{path} is a folder: give the file of the sides")
            head = handle.read(8)
            is_pdf = head.startswith(b"%PDF-") or path.suffix.lower() == ".pdf"
            limit = MAX_PDF_BYTES if is_pdf else MAX_TEXT_BYTES
            if info.st_size > limit:
                raise SidesError(
                    f"{path.name} is larger than {_mib(limit)}: import the scene's pages"
                )
            data = head + handle.read(limit + 1 - len(head))
    except FileNotFoundError:
        raise NotFoundError(f"no file {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder: give the file of the sides") from None
    except OSError as exc:
        reason = "permission denied" if exc.errno in (errno.EACCES, errno.EPERM) else exc.strerror
        raise SidesError(f"cannot read {path}: {reason or exc}") from None
    if len(data) > limit:
        raise SidesError(f"{path.name} is larger than {_mib(limit)}: import the scene's pages")
    return data


def _mib(size: int) -> str:
    return f"{size // (1024 * 1024)} MiB"


__all__ = ["LAYOUTS", "Layout", "Sides", "Source", "read_sides", "register"]
