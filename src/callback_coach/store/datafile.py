"""The coach's small YAML data files (breathing patterns, drill banks): a list of entries
under one top-level key, each entry a mapping, read with the safe loader only.

Every problem is collected with its file and line (as `checklist.Problem`), so a broken
file of the actor's is reported in full, like a broken checklist, and nothing runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

import yaml

from callback_coach.core.checklist import Problem

# A data file is a few kilobytes; anything this big is not one of ours.
MAX_BYTES = 1_000_000
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Entry:
    """One item of the file's list, with its line (counting from 1)."""

    line: int
    data: dict[str, Any]


def read_entries(path: Path, key: str, problems: list[Problem]) -> list[Entry]:
    """The mappings listed under `key` in `path`; problems are appended, never raised.

    An empty file has no entries. A missing file is the caller's business (it is optional).
    """
    file = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            problems.append(Problem(file, None, f"larger than {MAX_BYTES // 1000} kB"))
            return []
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(file, None, "not a UTF-8 text file"))
        return []
    except OSError as exc:
        problems.append(Problem(file, None, f"cannot read: {exc.strerror or exc}"))
        return []
    return parse_entries(text, key, file, problems)


def parse_entries(text: str, key: str, file: str, problems: list[Problem]) -> list[Entry]:
    """`read_entries` for text already in memory."""
    loader = _LOADER(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = (exc.problem or "invalid YAML").strip()
        if "constructor" in what or "tag" in what:
            what = "a YAML tag is not allowed here (only plain YAML is read)"
        problems.append(Problem(file, mark.line + 1 if mark else None, f"invalid YAML: {what}"))
        return []
    except yaml.YAMLError as exc:
        problems.append(Problem(file, None, f"invalid YAML: {exc}"))
        return []
    finally:
        loader.dispose()
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        problems.append(Problem(file, root.start_mark.line + 1, f"expected a mapping with '{key}'"))
        return []
    entries: list[Entry] = []
    seen = False
    for key_node, value_node in root.value:
        name = data_key(key_node)
        if name == key and seen:
            problems.append(Problem(file, key_node.start_mark.line + 1, f"duplicate key '{key}'"))
            return []
        seen = seen or name == key
        if name != key:
            problems.append(
                Problem(
                    file, key_node.start_mark.line + 1, f"unknown key {name!r} (expected '{key}')"
                )
            )
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            problems.append(
                Problem(file, value_node.start_mark.line + 1, f"'{key}' must be a list")
            )
            continue
        for item_node, item in zip(value_node.value, data[key], strict=True):
            line = item_node.start_mark.line + 1
            if not isinstance(item, dict):
                problems.append(Problem(file, line, "each entry must be a mapping"))
                continue
            entries.append(Entry(line, {str(k): v for k, v in item.items()}))
    return entries


def data_key(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else "?"


def is_text(value: Any, *, max_length: int = 300) -> TypeGuard[str]:
    """One non-empty line of text, not too long."""
    return (
        isinstance(value, str)
        and bool(value.strip())
        and "\n" not in value.strip()
        and len(value) <= max_length
    )
