"""The one place YAML is read: notes' front matter, drafts, checklists, answers files
(the one writer is `yamldump`; its `dump` is importable from here too).

Everything read here may come from another device, a hand edit or a hostile file, so the
reader is guarded before and while it parses:

- size: at most `MAX_BYTES` are read (`read_limited` reads one byte more, never the rest,
  so `/dev/zero` stops at once);
- bytes: strict UTF-8, decoded once here; a bad byte is reported with its line;
- shape: libyaml's event parser (iterative, no recursion) feeds a builder here that
  refuses nesting deeper than `MAX_DEPTH` (flow collections are measured before parsing,
  by `yamlflow`) and more than `MAX_VALUES` values with every alias expanded (so nine
  anchors of nine aliases cannot grow to a billion), aliases to themselves, and any tag
  but the plain YAML types;
- values: plain data only (str, int, float, bool, None, list, dict), read as YAML 1.1
  does (`yamlscalars`). A timestamp stays the text it was written as (so `2026-02-30`
  cannot crash: it is checked where it is used), and a number longer than
  `MAX_INT_DIGITS` is a problem, not a crash.

Duplicate mapping keys are not an error here: they are returned with their lines, and
each caller decides (a problem in an answers file or a checklist, a warning in a note).

What the parser gives (`Node.value`, `Node.python()`, `Document.value`) is plain data of
any shape: the one boundary left untyped here, until the reader that asked checks it.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, cast

from callback_coach.store import yamlflow, yamlquick, yamlscalars
from callback_coach.store.yamldump import dump as dump  # (for callers that read and write)
from callback_coach.store.yamlscalars import (
    ANY_FIRST,
    COMMON_WORDS,
    RESOLVED_FIRST,
    WORD_FIRST,
    Scalar,
)

if TYPE_CHECKING:
    import os

    from yaml.events import Event, ScalarEvent
    from yaml.nodes import ScalarNode

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 40
MAX_VALUES = 100_000
MAX_INT_DIGITS = 100


class _EventParser(Protocol):
    def get_event(self) -> Event: ...

    def dispose(self) -> None: ...


@functools.cache
def _parser() -> Callable[[str], _EventParser]:
    """libyaml's parser, several times faster than PyYAML's own; both are event parsers
    without recursion, so a deep file cannot overflow the stack of either.

    PyYAML is imported when first needed: text in the form the coach writes is read
    without it (`yamlquick`), so commands that read only notes never load it (about
    10 ms)."""
    import yaml  # (heavy: see above)

    loader: Callable[[str], _EventParser] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


class _Resolver(Protocol):
    def resolve(self, kind: type[ScalarNode], value: str, implicit: tuple[bool, bool]) -> str: ...


@functools.cache
def _resolver() -> _Resolver:
    """PyYAML's resolver of plain values (made when first needed, see `_parser`)."""
    import yaml  # (heavy: see `_parser`)

    return yaml.resolver.Resolver()


_SURROGATE = re.compile("[\ud800-\udfff]")


class ReadError(ValueError):
    """Text that cannot be read as YAML (or is over a limit); `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(eq=False)
class Node:
    """A value with the line it starts on, for readers that report problems by line.

    `value` is a plain scalar, a list of Nodes (a sequence) or a list of (key Node,
    value Node) pairs (a mapping, in file order, duplicates included)."""

    kind: str  # "scalar", "seq" or "map"
    value: Any
    line: int

    def python(self) -> Any:
        """The plain value (a mapping's later duplicate key wins, as it does in `load`)."""
        if self.kind == "scalar":
            return self.value
        if self.kind == "seq":
            return [item.python() for item in self.value]
        return {key.python(): value.python() for key, value in self.value}


@dataclass
class Document:
    """One YAML document: its value (plain data, or a Node with `nodes=True`; None when
    the document is empty), the line it starts on, and every duplicate key as (line, key)."""

    value: Any
    line: int = 1
    duplicates: list[tuple[int, object]] = field(default_factory=list)


# -- reading bytes -----------------------------------------------------------------------


def read_limited(stream: BinaryIO, limit: int = MAX_BYTES) -> bytes:
    """At most `limit` bytes of `stream`; ReadError if it holds more (the rest is not read)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ReadError(f"larger than {_size(limit)}; it was not read")
    return data


def read_file(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> str:
    """A text file, decoded as UTF-8 (see `decode`); OSError is left to the caller."""
    with open(path, "rb") as handle:
        return decode(read_limited(handle, limit))


def decode(data: bytes) -> str:
    """Strict UTF-8 (a leading byte-order mark dropped); ReadError names the line of the
    first byte that is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReadError(f"not UTF-8 text (byte {data[exc.start]:#04x})", line) from None
    return text[1:] if text.startswith("\ufeff") else text


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


def bad_text(value: str) -> str | None:
    """Why `value` cannot be stored as text (a lone surrogate, e.g. from bytes that were
    not UTF-8), or None when it can."""
    found = _SURROGATE.search(value)
    if found is None:
        return None
    return f"text that is not valid Unicode ({found.group()!a})"


def shown(value: object, width: int = 60) -> str:
    """A value as it is quoted in a message: its repr (control characters escaped), cut
    to about `width` characters so one hostile value cannot flood the terminal."""
    if isinstance(value, str) and len(value) > width:
        return repr(value[:width]) + "…"
    text = repr(value)
    return text if len(text) <= width else text[:width] + "…"


def bad_data(data: object) -> str | None:
    """Why some text in `data` (keys and values, at any depth) cannot be stored, or None."""
    stack: list[object] = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            reason = bad_text(value)
            if reason:
                return reason
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
    return None


# -- parsing ----------------------------------------------------------------------------


def load(text: str, *, line_offset: int = 0) -> Document:
    """The single YAML document in `text` as plain data; ReadError on any problem.

    `line_offset` is added to every line reported (e.g. 1 for front matter after `---`).
    """
    if len(text) <= MAX_BYTES:
        quick = yamlquick.read(text, _plain, max_values=MAX_VALUES, max_depth=MAX_DEPTH)
        if quick is not None:  # the form the coach writes: read without libyaml's events
            return Document(quick, line_offset + 1)
    return _Builder(text, nodes=False, multi=False, line_offset=line_offset).run()[0]


def _plain(text: str, line: int = 0) -> Scalar:
    """A plain (untagged, unquoted, non-empty) value as YAML 1.1 reads it; ReadError (a
    ValueError) for a value of a type not read here. The common cases (text, a small
    decimal number, true and false...) are read without asking the resolver (which
    would import PyYAML)."""
    first = text[0]
    if first not in RESOLVED_FIRST and not ANY_FIRST:
        return text
    if text in COMMON_WORDS:
        return COMMON_WORDS[text]
    if first in WORD_FIRST:
        # A letter starts only booleans and nulls, and every one of those is a common
        # word (tests/test_yamlquick.py checks both against the resolver): this is text.
        return text
    if text.isdigit() and text.isascii() and text[0] != "0" and len(text) <= MAX_INT_DIGITS:
        return int(text)  # (nothing but a decimal integer is all digits: tested)
    return _resolved(text, line)


def load_all(text: str, *, line_offset: int = 0) -> list[Document]:
    """Every document in `text` as Nodes (for readers that report lines); ReadError on
    any problem. An empty stream gives one empty document."""
    return _Builder(text, nodes=True, multi=True, line_offset=line_offset).run()


class _Frame:
    """A collection being built. Its values are plain data, or Nodes when the builder
    makes Nodes (`object` here: the builder knows which)."""

    __slots__ = (
        "anchor",
        "has_key",
        "height",
        "is_map",
        "items",
        "key",
        "key_line",
        "line",
        "pairs",
        "start",
    )

    def __init__(self, is_map: bool, line: int, anchor: str | None, start: int) -> None:
        self.is_map = is_map
        self.line = line
        self.anchor = anchor
        self.start = start  # the count of values when it began (itself included)
        self.items: list[object] = []  # a sequence's
        self.pairs: list[tuple[object, int, object]] = []  # a mapping's (key, line, value)
        self.height = 1
        self.has_key = False
        self.key: object = None
        self.key_line = 0


class _Builder:
    """Plain data (or Nodes) from the parser's events, checking every limit as it goes."""

    def __init__(self, text: str, *, nodes: bool, multi: bool, line_offset: int) -> None:
        self.text = text
        self.nodes = nodes
        self.multi = multi
        self.offset = line_offset + 1  # marks count lines from 0
        self.count = 0
        self.stack: list[_Frame] = []
        # name -> (value, number of values it expands to, height)
        self.anchors: dict[str, tuple[object, int, int]] = {}
        # name -> how many collections with that anchor are still open (one may be
        # anchored again inside itself)
        self.open: dict[str, int] = {}
        self.documents: list[Document] = []

    def run(self) -> list[Document]:
        import yaml  # (loaded with the parser, see `_parser`)

        if len(self.text) > MAX_BYTES:  # a str: characters; a UTF-8 file was read capped
            raise ReadError(f"larger than {_size(MAX_BYTES)}")
        surrogate = _SURROGATE.search(self.text)
        if surrogate:  # a str that did not come from strict UTF-8
            line = self.text.count("\n", 0, surrogate.start()) + self.offset
            raise ReadError(f"text that is not valid Unicode ({surrogate.group()!a})", line)
        check_flow_depth(self.text, line_offset=self.offset - 1)
        parser = None
        try:
            parser = _parser()(self.text)
            self._consume(parser)
        except yaml.MarkedYAMLError as exc:
            opened = exc.context_mark
            if (
                opened is not None
                and exc.problem_mark is not None
                and exc.problem_mark.index >= len(self.text)
                and self.text[opened.index : opened.index + 1] in ("'", '"')
            ):
                # A quote never closed: the reader stops at the end of the text, but the
                # line to look at is the one where the quote opens.
                quote = self.text[opened.index]
                raise ReadError(
                    f"invalid YAML: a quote ({quote}) opens here and is never closed",
                    opened.line + self.offset,
                ) from None
            mark = exc.problem_mark or exc.context_mark
            what = (exc.problem or exc.context or "invalid YAML").strip()
            where: int | None = mark.line + self.offset if mark else None
            raise ReadError(f"invalid YAML: {what}", where) from None
        except yaml.reader.ReaderError as exc:
            char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
            at = self.text.find(char)
            found: int | None = self.text.count("\n", 0, at) + self.offset if at >= 0 else None
            raise ReadError(f"invalid YAML: {exc.reason} ({char!a})", found) from None
        except yaml.YAMLError as exc:
            raise ReadError(f"invalid YAML: {exc}") from None
        finally:
            if parser is not None:
                parser.dispose()
        if not self.documents:
            self.documents.append(Document(None, self.offset))
        for document in self.documents:
            document.duplicates.sort(key=lambda found: found[0])
        return self.documents

    def _line(self, event: Event) -> int:
        mark = event.start_mark  # (libyaml marks every event)
        return (mark.line if mark is not None else 0) + self.offset

    def _consume(self, parser: _EventParser) -> None:
        from yaml.events import (  # (loaded with the parser, see `_parser`)
            AliasEvent,
            CollectionEndEvent,
            CollectionStartEvent,
            DocumentStartEvent,
            MappingStartEvent,
            ScalarEvent,
            StreamEndEvent,
        )

        stack = self.stack
        while True:
            event = parser.get_event()
            if isinstance(event, ScalarEvent):
                line = self._line(event)
                self.count += 1
                if self.count > MAX_VALUES:
                    self._count(0, line)
                text = event.value
                if event.tag is None and event.implicit[0] and text:
                    value: object = _plain(text, line)
                else:
                    value = self._scalar(event, line)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1, 0)
                self._add(Node("scalar", value, line) if self.nodes else value, 0, line)
            elif isinstance(event, CollectionStartEvent):  # a mapping's or a sequence's
                line = self._line(event)
                tag = event.tag
                if tag is not None and tag not in yamlscalars.COLLECTION_TAGS:
                    raise _tag_error(tag, line)
                if len(stack) >= MAX_DEPTH:
                    raise ReadError(f"nested more than {MAX_DEPTH} levels deep", line)
                self._count(1, line)
                is_map = isinstance(event, MappingStartEvent)
                frame = _Frame(is_map, line, event.anchor, self.count)
                if event.anchor is not None:
                    self.open[event.anchor] = self.open.get(event.anchor, 0) + 1
                stack.append(frame)
            elif isinstance(event, CollectionEndEvent):
                frame = stack.pop()
                value = self._finish(frame)
                if frame.anchor is not None:
                    self.open[frame.anchor] -= 1
                    size = self.count - frame.start + 1
                    self.anchors[frame.anchor] = (value, size, frame.height)
                self._add(value, frame.height, frame.line)
            elif isinstance(event, AliasEvent):
                assert event.anchor is not None  # (an alias always names its anchor)
                self._alias(event.anchor, self._line(event))
            elif isinstance(event, DocumentStartEvent):
                if self.documents and not self.multi:
                    raise ReadError(
                        "found a second document (a '---' line); only one is read here",
                        self._line(event),
                    )
                self.anchors.clear()
                self.documents.append(Document(None, self._line(event)))
            elif isinstance(event, StreamEndEvent):
                return

    def _count(self, n: int, line: int) -> None:
        self.count += n
        if self.count > MAX_VALUES:
            raise ReadError(
                f"more than {MAX_VALUES:,} values (with every alias expanded); not read", line
            )

    def _alias(self, name: str, line: int) -> None:
        if self.open.get(name):
            raise ReadError(f"alias *{name} is inside its own anchor (a loop)", line)
        if name not in self.anchors:
            raise ReadError(f"alias *{name} has no anchor &{name} before it", line)
        value, size, height = self.anchors[name]
        if len(self.stack) + height > MAX_DEPTH:
            raise ReadError(f"nested more than {MAX_DEPTH} levels deep (through *{name})", line)
        self._count(size, line)
        if not self.nodes and height:
            value = copy.deepcopy(value)  # a tree, like the file reads: no shared lists
        self._add(value, height, line)

    def _add(self, value: object, height: int, line: int) -> None:
        if not self.stack:
            self.documents[-1].value = value
            return
        frame = self.stack[-1]
        if height + 1 > frame.height:
            frame.height = height + 1
        if not frame.is_map:
            frame.items.append(value)
        elif frame.has_key:
            frame.pairs.append((frame.key, frame.key_line, value))
            frame.has_key = False
        else:
            if self.nodes:
                if isinstance(value, Node) and value.kind != "scalar":
                    raise ReadError(
                        "a mapping key must be a plain value, not a list or mapping", line
                    )
            elif isinstance(value, (list, dict)):
                raise ReadError("a mapping key must be a plain value, not a list or mapping", line)
            frame.key = value
            frame.key_line = line
            frame.has_key = True

    def _finish(self, frame: _Frame) -> object:
        if not frame.is_map:
            return Node("seq", frame.items, frame.line) if self.nodes else frame.items
        duplicates = self.documents[-1].duplicates
        if self.nodes:
            nodes = cast("list[tuple[Node, int, Node]]", frame.pairs)
            pairs = [(key, value) for key, _, value in nodes]
            seen: set[object] = set()
            for node, _ in pairs:
                if node.value in seen:
                    duplicates.append((node.line, node.value))
                seen.add(node.value)
            return Node("map", pairs, frame.line)
        mapping: dict[object, object] = {}
        for key, line, value in frame.pairs:
            if key in mapping:
                duplicates.append((line, key))
            mapping[key] = value
        return mapping

    def _scalar(self, event: ScalarEvent, line: int) -> Scalar:
        value: str = event.value
        tag = event.tag
        if tag is None:
            if event.implicit[0]:
                return _resolved(value, line)
            if event.style == '"':
                reason = bad_text(value)  # only an escape can make one
                if reason:
                    raise ReadError(reason, line)
                return value
            return value
        return _tagged(value, tag, line)


def _resolved(value: str, line: int) -> Scalar:
    """A plain (untagged, unquoted) value, read as the type YAML 1.1 gives it."""
    import yaml  # (loaded with the resolver, see `_parser`)

    return _tagged(value, _resolver().resolve(yaml.ScalarNode, value, (True, False)), line)


def _tagged(value: str, tag: str, line: int) -> Scalar:
    """A scalar's value, read as the type its tag says."""
    tags = yamlscalars
    if tag in (tags.STR, "!"):
        return value
    if tag == tags.TIMESTAMP:
        return value  # kept as written; a date is checked where it is used
    try:
        if tag == tags.NULL:
            return None
        if tag == tags.BOOL:
            return tags.BOOLS[value.lower()]
        if tag == tags.INT:
            return tags.yaml_int(value, MAX_INT_DIGITS)
        if tag == tags.FLOAT:
            return tags.yaml_float(value)
    except (KeyError, ValueError, IndexError):
        raise ReadError(f"{shown(value)} is not a valid {tag[len(tags.TAG) :]}", line) from None
    except tags.TooLong:
        raise ReadError(f"a number with more than {MAX_INT_DIGITS} digits", line) from None
    if tag == tags.MERGE:
        raise ReadError("merge keys ('<<') are not supported: write the keys out", line)
    raise _tag_error(tag, line)


def _tag_error(tag: str, line: int) -> ReadError:
    shown = tag.replace(yamlscalars.TAG, "!!")
    return ReadError(
        f"invalid YAML: YAML tag {shown} is not allowed (only plain YAML is read)", line
    )


def check_flow_depth(text: str, *, line_offset: int = 0) -> None:
    """ReadError when flow collections (`[...]`, `{...}`) nest deeper than `MAX_DEPTH`
    (see `yamlflow`: a parser would stop first, with its own limit and words)."""
    found = yamlflow.too_deep(text, MAX_DEPTH)
    if found is not None:
        raise ReadError(f"nested more than {MAX_DEPTH} levels deep", found + line_offset + 1)
