"""The coach's small YAML data files (breathing patterns, drill banks): a list of entries
under one top-level key, each entry a mapping, read through the guarded reader (`yamlio`:
the same size, depth, number and alias limits as notes and checklists, plain values only).

Every problem is collected with its file and line (a `Problem`), so a broken file of the
actor's is reported in full, like a broken checklist, and nothing runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from callback_coach.store import yamlio

# A data file is a few kilobytes; anything this big is not one of ours.
MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file the actor wrote (a checklist, a breathing pattern, a
    drill bank); `document` is set in a file of several documents."""

    file: str
    line: int | None
    message: str
    document: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.document is not None:
            where += f" (document {self.document})"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Entry:
    """One item of the file's list, with its line (counting from 1)."""

    line: int
    data: dict[str, object]


def read_entries(path: Path, key: str, problems: list[Problem]) -> list[Entry]:
    """The mappings listed under `key` in `path`; problems are appended, never raised.

    An empty file has no entries. A missing file is the caller's business (it is optional).
    """
    file = str(path)
    try:
        text = yamlio.read_file(path, MAX_BYTES)
    except yamlio.ReadError as exc:
        problems.append(Problem(file, exc.line, exc.message))
        return []
    except OSError as exc:
        problems.append(Problem(file, None, f"cannot read: {exc.strerror or exc}"))
        return []
    return parse_entries(text, key, file, problems)


def parse_entries(text: str, key: str, file: str, problems: list[Problem]) -> list[Entry]:
    """`read_entries` for text already in memory."""
    try:
        documents = yamlio.load_all(text)
    except yamlio.ReadError as exc:
        problems.append(Problem(file, exc.line, exc.message))
        return []
    if len(documents) > 1:
        problems.append(Problem(file, documents[1].line, "more than one document ('---')"))
        return []
    root = documents[0].value
    if root is None:
        return []
    if root.kind != "map":
        problems.append(Problem(file, root.line, f"expected a mapping with '{key}'"))
        return []
    entries: list[Entry] = []
    seen = False
    for key_node, value_node in root.value:
        name = str(key_node.value) if key_node.kind == "scalar" else "?"
        if name == key and seen:
            problems.append(Problem(file, key_node.line, f"duplicate key '{key}'"))
            return []
        seen = seen or name == key
        if name != key:
            problems.append(
                Problem(file, key_node.line, f"unknown key {name!r} (expected '{key}')")
            )
            continue
        if value_node.kind != "seq":
            problems.append(Problem(file, value_node.line, f"'{key}' must be a list"))
            continue
        for item in value_node.value:
            if item.kind != "map":
                problems.append(Problem(file, item.line, "each entry must be a mapping"))
                continue
            entries.append(Entry(item.line, {str(k): v for k, v in item.python().items()}))
    return entries


def is_text(value: object, *, max_length: int = 300) -> TypeGuard[str]:
    """One non-empty line of text, not too long."""
    return (
        isinstance(value, str)
        and bool(value.strip())
        and "\n" not in value.strip()
        and len(value) <= max_length
    )
