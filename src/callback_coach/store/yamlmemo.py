"""Checklists' YAML, parsed once and kept in the cache folder by the hash of its text.

The checklists are read by every `prep` and `review` before the first question. Their
YAML (flow lists, folded text, comments) is outside what the quick reader knows, so each
read went through PyYAML: about 10 ms to import it, 2 ms to parse. The parsed documents
of a text (`yamlio.load_all`: Nodes with their lines, duplicate keys) are plain data, kept
here in one marshal file, so a later run rebuilds them without PyYAML and checks them
exactly as before (`checklist` validates what it gets either way).

A kept entry is used only for the same text (its SHA-256) parsed by the same reader (the
stamps of `yamlio.py`, `yamlquick.py` and PyYAML's package: another version parses
again). A text that does not parse is never kept, so its problems are always reported
from the text. The file is derived data like the index: missing, unreadable, damaged or
from another version, it is ignored and written again; deleting it is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from pathlib import Path
from typing import Any

from callback_coach.errors import StorageError
from callback_coach.store import yamlio

FILE_NAME = "checklists.marshal"
# Changed when the kept form changes.
MEMO_FORMAT = 1


def reader_stamp() -> list[Any]:
    """What the parse of a text depends on besides the text: the reader's own files."""
    import importlib.machinery

    files = [Path(yamlio.__file__), Path(yamlio.__file__).with_name("yamlquick.py")]
    spec = importlib.machinery.PathFinder.find_spec("yaml")
    if spec is not None and spec.origin:
        files.append(Path(spec.origin))
    stamp: list[Any] = [MEMO_FORMAT]
    for path in files:
        try:
            info = path.stat()
        except OSError:
            stamp.append(str(path))
        else:
            stamp.append((str(path), info.st_mtime_ns, info.st_size))
    return stamp


class Memo:
    """Parsed documents by text, read from `path` when first needed; `save` writes the
    entries used since (only when some were new or some went unused)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._stamp: list[Any] | None = None
        self._kept: dict[str, Any] | None = None
        self._used: dict[str, Any] = {}
        self._new = False

    def load_all(self, text: str) -> list[yamlio.Document]:
        """`yamlio.load_all(text)`, from the cache when this text was parsed before."""
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        data = self._entries().get(key)
        if data is not None:
            with contextlib.suppress(ValueError, TypeError, IndexError, KeyError, RecursionError):
                documents = [_document(item) for item in data]
                self._used[key] = data
                return documents
        documents = yamlio.load_all(text)  # ReadError: not kept
        self._used[key] = [_document_data(d) for d in documents]
        self._new = True
        return documents

    def save(self) -> None:
        """Keep the entries used (best effort: a cache that cannot be written is skipped)."""
        if self.path is None or not (self._new or self._used.keys() != self._entries().keys()):
            return
        from callback_coach.store import fileio

        data = marshal.dumps([self._reader_stamp(), self._used])
        with contextlib.suppress(OSError, StorageError):
            fileio.ensure_private_dir(self.path.parent)
            fileio.atomic_write_bytes(self.path, data)

    def _reader_stamp(self) -> list[Any]:
        if self._stamp is None:
            self._stamp = reader_stamp()
        return self._stamp

    def _entries(self) -> dict[str, Any]:
        if self._kept is None:
            self._kept = {}
            if self.path is not None:
                with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
                    with open(self.path, "rb") as handle:
                        info = os.fstat(handle.fileno())
                        kept = marshal.loads(handle.read(min(info.st_size, yamlio.MAX_BYTES)))
                    if (
                        type(kept) is list
                        and len(kept) == 2
                        and kept[0] == self._reader_stamp()
                        and type(kept[1]) is dict
                    ):
                        self._kept = kept[1]
        return self._kept


# A document as kept: [value, line, duplicates]; a Node as (kind, value, line), where a
# sequence's value is a list of Nodes and a mapping's a list of (key Node, value Node).


def _document_data(document: yamlio.Document) -> list[Any]:
    value = document.value
    data = _node_data(value) if isinstance(value, yamlio.Node) else None
    return [data, document.line, [list(d) for d in document.duplicates]]


def _node_data(node: yamlio.Node) -> tuple[Any, ...]:
    if node.kind == "seq":
        return ("seq", [_node_data(item) for item in node.value], node.line)
    if node.kind == "map":
        pairs = [(_node_data(k), _node_data(v)) for k, v in node.value]
        return ("map", pairs, node.line)
    return ("scalar", node.value, node.line)


def _document(data: list[Any]) -> yamlio.Document:
    value, line, duplicates = data
    node = None if value is None else _node(value)
    return yamlio.Document(node, _int(line), [(_int(d[0]), d[1]) for d in duplicates])


def _node(data: tuple[Any, ...]) -> yamlio.Node:
    kind, value, line = data
    if kind == "seq":
        return yamlio.Node("seq", [_node(item) for item in value], _int(line))
    if kind == "map":
        return yamlio.Node("map", [(_node(k), _node(v)) for k, v in value], _int(line))
    if kind == "scalar" and type(value) in (str, int, float, bool, type(None)):
        return yamlio.Node("scalar", value, _int(line))
    raise ValueError("not a kept node")


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("not a line number")
    return value
