"""Sync conflict copies and git conflict markers, recognised: by a file's name (the
scheme each sync client names its copies by) or by a note's text. Cheap enough for every
command to run over the whole notes folder (`scan`); comparing is `store.conflicts`' job,
merging `store.conflict_merge`'s.

A sync client that sees a note changed on two devices keeps both: the one it calls the
winner under the note's own name, the other as a *copy* beside it, named by a scheme of
its own. `copy_of` recognises every scheme below.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

# -- recognising copies by name ------------------------------------------------------------

# Syncthing, lib/model/folder_sendrecv.go `conflictName`: the name without its extension,
# `.sync-conflict-` and the local time as 20060102-150405, `-` and the short id of the
# device that lost (7 characters of base32), then the extension:
# `name.sync-conflict-20261201-123456-ABCDEFG.md`. Syncthing before 0.14 wrote no device
# id; its own clean-up glob (`.sync-conflict-????????-??????*`) allows both.
_SYNCTHING = re.compile(
    r"^(?P<base>.+?)\.sync-conflict-\d{8}-\d{6}(?:-[A-Za-z0-9]+)?(?P<ext>\.[^.]*)?$"
)

# Dropbox: `name (conflicted copy 2026-12-01).md`, with the person's or the computer's name
# in front (`name (Nathan's MacBook conflicted copy 2026-12-01).md`) and a counter when a day
# has several (`... 2026-12-01 (1)).md`, or `... 2026-12-01) (1).md`).
# Nextcloud and ownCloud desktop clients since 2.5, src/common/utility.cpp
# `Utility::makeConflictFileName`: `" (conflicted copy "`, the user name (parentheses
# replaced, so the tag's end can be found) and a space when known, then the time as
# `yyyy-MM-dd hhmmss` and `)`, inserted before the extension:
# `name (conflicted copy 2026-12-01 123456).md`. Obsidian Sync writes "Conflicted copy".
_CONFLICTED_COPY = re.compile(
    r"^(?P<base>.+?) \((?P<who>[^()/]*? )?conflicted copy (?:[^()/]*? )?"
    r"\d{4}-\d{2}-\d{2}(?P<time> \d{6})?(?: \(\d+\))?\)(?: \(\d+\))?(?P<ext>\.[^.]*)?$",
    re.IGNORECASE,
)

# ownCloud and Nextcloud clients before 2.5 (still recognised by the same file's
# `Utility::isConflictFile`): `name_conflict-20261201-123456.md`.
_OLD_NEXTCLOUD = re.compile(r"^(?P<base>.+?)_conflict-\d{8}-\d{6}(?P<ext>\.[^.]*)?$")

# OneDrive keeps both versions as `name-MACHINENAME.md`: the computer's NetBIOS name, which
# Windows keeps in capitals (%COMPUTERNAME%), at most 15 letters, digits and hyphens, never
# digits only. Only a copy when `name.md` is beside it. The coach's own second file of a
# name is `name-2.md` (digits only): never taken for one.
_MACHINE = re.compile(r"(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{0,14}")

# iCloud Drive keeps both as `name 2.md` (then 3, 4, ...). Only a copy when `name.md` is
# beside it; the coach never writes a space in a note's name.
_ICLOUD = re.compile(r"^(?P<base>.+) (?:[2-9]|[1-9][0-9]+)(?P<ext>\.[^.]*)$")


def _maybe_copy(name: str) -> bool:
    """False for a name no scheme can have made: every copy's name holds "conflict", a
    space or a capital letter, and a note name the coach writes (a lower-case slug, see
    `notes.note_stem`) holds none of them. Three string searches in C: 10,000 names cost
    a few milliseconds."""
    return "conflict" in name or " " in name or not name.islower()


SYNCTHING, DROPBOX, NEXTCLOUD, ONEDRIVE, ICLOUD, GIT = (
    "Syncthing",
    "Dropbox",
    "Nextcloud",
    "OneDrive",
    "iCloud",
    "git",
)


@dataclass(frozen=True)
class Conflict:
    """A copy a sync client left beside the note it copies (`copy` and `original` are file
    names in the same folder; `scheme` names the client that wrote it)."""

    copy: str
    original: str
    scheme: str


def _one_step(name: str, siblings: Collection[str]) -> tuple[str, str] | None:
    """The name one conflict tag less, and the client that added the tag (the outermost
    one for a copy of a copy); None for a name that is no copy."""
    found = _SYNCTHING.match(name)
    if found:
        return found["base"] + (found["ext"] or ""), SYNCTHING
    found = _CONFLICTED_COPY.match(name)
    if found:
        who = found["who"] or ""
        scheme = NEXTCLOUD if found["time"] and "'" not in who and "’" not in who else DROPBOX
        return found["base"] + (found["ext"] or ""), scheme
    found = _OLD_NEXTCLOUD.match(name)
    if found:
        return found["base"] + (found["ext"] or ""), NEXTCLOUD
    if not siblings:
        return None
    found = _ICLOUD.match(name)
    if found and found["base"] + found["ext"] in siblings:
        return found["base"] + found["ext"], ICLOUD
    dot = name.rfind(".")
    stem, ext = (name[:dot], name[dot:]) if dot > 0 else (name, "")
    # A machine name may hold hyphens itself (DESKTOP-AB12CD3): try each split.
    at = len(stem)
    while (at := stem.rfind("-", 0, at)) > 0 and len(stem) - at - 1 <= 15:
        if _MACHINE.fullmatch(stem[at + 1 :]) and stem[:at] + ext in siblings:
            return stem[:at] + ext, ONEDRIVE
    return None


def conflict_of(file_name: str, siblings: Collection[str] = ()) -> Conflict | None:
    """The conflict a file name stands for: the note it copies (through a copy of a copy,
    the note at the root) and the client that wrote it; None for any other name.

    `siblings` are the other names in the folder: OneDrive's `name-MACHINE.md` and
    iCloud's `name 2.md` are copies only when `name.md` is among them (without siblings
    they are never taken for copies). The other schemes say so in the name itself.
    """
    if not _maybe_copy(file_name):
        return None
    name, first = file_name, None
    while (step := _one_step(name, siblings)) is not None:
        name, scheme = step
        first = first or scheme
    if first is None or not name or name == file_name:
        return None
    return Conflict(copy=file_name, original=name, scheme=first)


def copy_of(file_name: str, siblings: Collection[str] = ()) -> str | None:
    """The note file a sync conflict copy copies, or None when `file_name` is no copy (see
    `conflict_of` for `siblings`)."""
    found = conflict_of(file_name, siblings)
    return None if found is None else found.original


def scan(folder_names: Iterable[str]) -> list[Conflict]:
    """Every conflict copy among a folder's file names, in the order given.

    Cheap enough for every command: each name is first tried with three string searches
    (`_maybe_copy`), and only a name that passes them (a copy, or a rare hand-made name)
    is looked at further.
    """
    names = folder_names if isinstance(folder_names, (list, tuple)) else list(folder_names)
    every = "\n".join(names)
    if " " not in every and "conflict" not in every and every == every.lower():
        # No name has a space, "conflict" or a capital: no scheme's copy is among them
        # (a name with no letters at all, which `_maybe_copy` would look at, has none
        # of them either). Three searches of one text instead of three per name.
        return []
    maybe = [n for n in names if _maybe_copy(n)]
    if not maybe:
        return []
    siblings = frozenset(names)
    return [c for n in maybe if (c := conflict_of(n, siblings)) is not None]


MARKER_START = re.compile(r"^<{7}(?:[ \t][^\r\n]*)?\r?$", re.MULTILINE)
MARKER_END = re.compile(r"^>{7}(?:[ \t][^\r\n]*)?\r?$", re.MULTILINE)


def has_git_markers(text: str) -> bool:
    """True when `text` has a line opening and a line closing a git conflict (cheap: two
    regular expression searches)."""
    return bool(MARKER_START.search(text) and MARKER_END.search(text))
