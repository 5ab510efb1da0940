"""The one place YAML is read and written: notes' front matter, drafts, checklists,
answers files.

Everything read here may come from another device, a hand edit or a hostile file, so the
reader is guarded before and while it parses:

- size: at most `MAX_BYTES` are read (`read_limited` reads one byte more, never the rest,
  so `/dev/zero` stops at once);
- bytes: strict UTF-8, decoded once here; a bad byte is reported with its line;
- shape: libyaml's event parser (iterative, no recursion) feeds a builder here that
  refuses nesting deeper than `MAX_DEPTH` and more than `MAX_VALUES` values with every
  alias expanded (so nine anchors of nine aliases cannot grow to a billion), aliases to
  themselves, and any tag but the plain YAML types;
- values: plain data only (str, int, float, bool, None, list, dict). A timestamp stays
  the text it was written as (so `2026-02-30` cannot crash: it is checked where it is
  used), and a number longer than `MAX_INT_DIGITS` is a problem, not a crash.

Duplicate mapping keys are not an error here: they are returned with their lines, and
each caller decides (a problem in an answers file or a checklist, a warning in a note).

The writer quotes every string that a YAML 1.1 reader (PyYAML) or a YAML 1.2 reader
(ruamel.yaml, most editors) could read as another type, never writes aliases, keeps
multi-line text as literal blocks, and reads back to exactly what it wrote.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, BinaryIO

from callback_coach.store import yamlquick

if TYPE_CHECKING:
    import yaml
    from yaml.events import ScalarEvent

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 40
MAX_VALUES = 100_000
MAX_INT_DIGITS = 100


@functools.cache
def _yaml() -> ModuleType:
    """PyYAML, imported when first needed: text in the form the coach writes is read
    without it (`yamlquick`), so commands that read only notes never load it (about
    10 ms)."""
    import yaml

    return yaml


@functools.cache
def _parser() -> Any:
    """libyaml's parser, several times faster than PyYAML's own; both are event parsers
    without recursion, so a deep file cannot overflow the stack of either. The writer is
    PyYAML's own: libyaml's emitter escapes every character outside the BMP (an emoji in a
    role name would be written as "\\U0001F3AD")."""
    yaml = _yaml()
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def _resolver() -> Any:
    return _yaml().resolver.Resolver()


_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_TIMESTAMP, _MERGE = _TAG + "timestamp", _TAG + "merge"
_COLLECTION_TAGS = (None, "!", _TAG + "seq", _TAG + "map")
_BOOLS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_SURROGATE = re.compile("[\ud800-\udfff]")
# The first characters of plain values YAML 1.1 may read as something other than text
# (a plain value starting otherwise is text: no need to ask the resolver): the keys of
# PyYAML's `Resolver.yaml_implicit_resolvers`, written out so that reading a value does
# not import PyYAML (tests/test_yamlquick.py compares them with the resolver's).
_RESOLVED_FIRST = frozenset("yYnNtTfFoO-+0123456789.<~=!&*")
_ANY_FIRST = False  # (a resolver for any first character: None among those keys)
# Letters that start a boolean or a null ("yes", "Off", "null"...), and nothing else.
_WORD_FIRST = frozenset(c for c in _RESOLVED_FIRST if c.isalpha())
_MISSING = object()
# Words YAML 1.1 reads as booleans or nulls (tests/test_yamlquick.py asks the resolver).
_COMMON_WORDS: dict[str, Any] = {
    **dict.fromkeys(["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"], True),
    **dict.fromkeys(["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"], False),
    **dict.fromkeys(["~", "null", "Null", "NULL"], None),
}


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
    duplicates: list[tuple[int, Any]] = field(default_factory=list)


# -- reading bytes -----------------------------------------------------------------------


def read_limited(stream: BinaryIO, limit: int = MAX_BYTES) -> bytes:
    """At most `limit` bytes of `stream`; ReadError if it holds more (the rest is not read)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ReadError(f"larger than {_size(limit)}; it was not read")
    return data


def read_file(path: Any, limit: int = MAX_BYTES) -> str:
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


def shown(value: Any, width: int = 60) -> str:
    """A value as it is quoted in a message: its repr (control characters escaped), cut
    to about `width` characters so one hostile value cannot flood the terminal."""
    if isinstance(value, str) and len(value) > width:
        return repr(value[:width]) + "…"
    text = repr(value)
    return text if len(text) <= width else text[:width] + "…"


def bad_data(data: Any) -> str | None:
    """Why some text in `data` (keys and values, at any depth) cannot be stored, or None."""
    stack = [data]
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


def _plain(text: str, line: int = 0) -> Any:
    """A plain (untagged, unquoted, non-empty) value as YAML 1.1 reads it; ReadError (a
    ValueError) for a value of a type not read here. The common cases (text, a small
    decimal number, true and false...) are read without asking the resolver (which
    would import PyYAML)."""
    first = text[0]
    if first not in _RESOLVED_FIRST and not _ANY_FIRST:
        return text
    known = _COMMON_WORDS.get(text, _MISSING)
    if known is not _MISSING:
        return known
    if first in _WORD_FIRST:
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
    __slots__ = (
        "anchor",
        "has_key",
        "height",
        "is_map",
        "items",
        "key",
        "key_line",
        "line",
        "start",
    )

    def __init__(self, is_map: bool, line: int, anchor: str | None, start: int) -> None:
        self.is_map = is_map
        self.line = line
        self.anchor = anchor
        self.start = start  # the count of values when it began (itself included)
        self.items: list[Any] = []
        self.height = 1
        self.has_key = False
        self.key: Any = None
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
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        # name -> how many collections with that anchor are still open (one may be
        # anchored again inside itself)
        self.open: dict[str, int] = {}
        self.documents: list[Document] = []

    def run(self) -> list[Document]:
        if len(self.text) > MAX_BYTES:  # a str: characters; a UTF-8 file was read capped
            raise ReadError(f"larger than {_size(MAX_BYTES)}")
        surrogate = _SURROGATE.search(self.text)
        if surrogate:  # a str that did not come from strict UTF-8
            line = self.text.count("\n", 0, surrogate.start()) + self.offset
            raise ReadError(f"text that is not valid Unicode ({surrogate.group()!a})", line)
        check_flow_depth(self.text, line_offset=self.offset - 1)
        yaml = _yaml()
        parser = None
        try:
            parser = _parser()(self.text)
            self._consume(parser)
        except yaml.MarkedYAMLError as exc:
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

    def _consume(self, parser: Any) -> None:
        events = _yaml().events
        ScalarEvent, AliasEvent = events.ScalarEvent, events.AliasEvent
        MappingStartEvent, MappingEndEvent = events.MappingStartEvent, events.MappingEndEvent
        SequenceStartEvent, SequenceEndEvent = events.SequenceStartEvent, events.SequenceEndEvent
        DocumentStartEvent, StreamEndEvent = events.DocumentStartEvent, events.StreamEndEvent
        stack = self.stack
        while True:
            event = parser.get_event()
            kind = event.__class__
            if kind is ScalarEvent:
                line = event.start_mark.line + self.offset
                self.count += 1
                if self.count > MAX_VALUES:
                    self._count(0, line)
                text = event.value
                if event.tag is None and event.implicit[0] and text:
                    value: Any = _plain(text, line)
                else:
                    value = self._scalar(event, line)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1, 0)
                self._add(Node("scalar", value, line) if self.nodes else value, 0, line)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                line = event.start_mark.line + self.offset
                if event.tag not in _COLLECTION_TAGS:
                    raise _tag_error(event.tag, line)
                if len(stack) >= MAX_DEPTH:
                    raise ReadError(f"nested more than {MAX_DEPTH} levels deep", line)
                self._count(1, line)
                frame = _Frame(kind is MappingStartEvent, line, event.anchor, self.count)
                if event.anchor is not None:
                    self.open[event.anchor] = self.open.get(event.anchor, 0) + 1
                stack.append(frame)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                value = self._finish(frame)
                if frame.anchor is not None:
                    self.open[frame.anchor] -= 1
                    size = self.count - frame.start + 1
                    self.anchors[frame.anchor] = (value, size, frame.height)
                self._add(value, frame.height, frame.line)
            elif kind is AliasEvent:
                line = event.start_mark.line + self.offset
                self._alias(event.anchor, line)
            elif kind is DocumentStartEvent:
                if self.documents and not self.multi:
                    raise ReadError(
                        "found a second document (a '---' line); only one is read here",
                        event.start_mark.line + self.offset,
                    )
                self.anchors.clear()
                self.documents.append(Document(None, event.start_mark.line + self.offset))
            elif kind is StreamEndEvent:
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

    def _add(self, value: Any, height: int, line: int) -> None:
        if not self.stack:
            self.documents[-1].value = value
            return
        frame = self.stack[-1]
        if height + 1 > frame.height:
            frame.height = height + 1
        if not frame.is_map:
            frame.items.append(value)
        elif frame.has_key:
            frame.items.append((frame.key, frame.key_line, value))
            frame.has_key = False
        else:
            if self.nodes:
                if value.kind != "scalar":
                    raise ReadError(
                        "a mapping key must be a plain value, not a list or mapping", line
                    )
            elif isinstance(value, (list, dict)):
                raise ReadError("a mapping key must be a plain value, not a list or mapping", line)
            frame.key = value
            frame.key_line = line
            frame.has_key = True

    def _finish(self, frame: _Frame) -> Any:
        if not frame.is_map:
            return Node("seq", frame.items, frame.line) if self.nodes else frame.items
        duplicates = self.documents[-1].duplicates
        if self.nodes:
            pairs = [(key, value) for key, _, value in frame.items]
            seen: set[Any] = set()
            for key, _ in pairs:
                if key.value in seen:
                    duplicates.append((key.line, key.value))
                seen.add(key.value)
            return Node("map", pairs, frame.line)
        mapping: dict[Any, Any] = {}
        for key, line, value in frame.items:
            if key in mapping:
                duplicates.append((line, key))
            mapping[key] = value
        return mapping

    def _scalar(self, event: ScalarEvent, line: int) -> Any:
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


def _resolved(value: str, line: int) -> Any:
    """A plain (untagged, unquoted) value, read as the type YAML 1.1 gives it."""
    tag = _resolver().resolve(_yaml().ScalarNode, value, (True, False))
    return _tagged(value, tag, line)


def _tagged(value: str, tag: str, line: int) -> Any:
    """A scalar's value, read as the type its tag says."""
    if tag in (_STR, "!"):
        return value
    if tag == _TIMESTAMP:
        return value  # kept as written; a date is checked where it is used
    try:
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _BOOLS[value.lower()]
        if tag == _INT:
            return _int(value)
        if tag == _FLOAT:
            return _float(value)
    except (KeyError, ValueError, IndexError):
        raise ReadError(f"{shown(value)} is not a valid {tag[len(_TAG) :]}", line) from None
    except _TooLong:
        raise ReadError(f"a number with more than {MAX_INT_DIGITS} digits", line) from None
    if tag == _MERGE:
        raise ReadError("merge keys ('<<') are not supported: write the keys out", line)
    raise _tag_error(tag, line)


def _tag_error(tag: str, line: int) -> ReadError:
    shown = tag.replace(_TAG, "!!")
    return ReadError(
        f"invalid YAML: YAML tag {shown} is not allowed (only plain YAML is read)", line
    )


class _TooLong(Exception):
    pass


def _int(text: str) -> int:
    """A YAML 1.1 integer, as PyYAML reads it (sign, 0b, 0x, 0 octal, 1:30 base 60)."""
    value = text.replace("_", "")
    if len(value) > MAX_INT_DIGITS:
        raise _TooLong
    sign = -1 if value[0] == "-" else 1
    if value[0] in "+-":
        value = value[1:]
    if value == "0":
        return 0
    if value.startswith("0b"):
        return sign * int(value[2:], 2)
    if value.startswith("0x"):
        return sign * int(value[2:], 16)
    if value[0] == "0":
        return sign * int(value, 8)
    if ":" in value:
        number = 0
        for part in value.split(":"):
            number = number * 60 + int(part)
        return sign * number
    return sign * int(value)


def _float(text: str) -> float:
    """A YAML 1.1 float, as PyYAML reads it (.inf, .nan, 1:30.5 base 60)."""
    value = text.replace("_", "").lower()
    sign = -1 if value[0] == "-" else 1
    if value[0] in "+-":
        value = value[1:]
    if value == ".inf":
        return sign * float("inf")
    if value == ".nan":
        return float("nan")
    if ":" in value:
        number = 0.0
        for part in value.split(":"):
            number = number * 60 + float(part)
        return sign * number
    return sign * float(value)


# -- writing ----------------------------------------------------------------------------

# A string starting like a number (1e3, 0o17, 0x1F, .5, +1, 1_000, _1, 12:30, 2026-11-23,
# .inf, -.inf) or spelled like a null or a boolean in YAML 1.1 or 1.2 (y and n included,
# which PyYAML reads as text but other YAML 1.1 readers do not) is quoted.
_NUMBER_LIKE = re.compile(r"[-+]?[._0-9]")
QUOTED_WORDS = frozenset(["", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n"])
# PyYAML writes these raw when Unicode is allowed, then reads them back as line breaks.
YAML_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


def needs_quotes(value: str) -> bool:
    """True when a plain (unquoted) `value` could be read as something other than text."""
    return value.lower() in QUOTED_WORDS or _NUMBER_LIKE.match(value) is not None


@functools.cache
def dumper() -> Any:
    """PyYAML's safe dumper writing readable multi-line text (literal blocks), no folding
    and no aliases (made when first needed, see `_yaml`)."""

    class _Dumper(_yaml().SafeDumper):  # type: ignore[misc]
        def ignore_aliases(self, data: Any) -> bool:
            return True

    _Dumper.add_representer(str, represent_str)
    return _Dumper


def represent_str(dumper: Any, value: str) -> yaml.Node:
    """How `dumper` writes text (for a writer of the same text with libyaml's emitter)."""
    if "\n" in value:
        style: str | None = "|"
    elif needs_quotes(value):
        style = "'"
    else:
        style = None
    node: yaml.Node = dumper.represent_scalar(_STR, value, style=style)
    return node


def has_yaml_line_break(data: Any) -> bool:
    """True when some text in `data` holds a character YAML reads as a line break."""
    if isinstance(data, str):
        return any(ch in data for ch in YAML_LINE_BREAKS)
    if isinstance(data, dict):
        return any(has_yaml_line_break(k) or has_yaml_line_break(v) for k, v in data.items())
    if isinstance(data, (list, tuple)):
        return any(has_yaml_line_break(v) for v in data)
    return False


def dump(data: Any) -> str:
    """Stable, readable, safe YAML (keys in insertion order, Unicode kept).

    Text holding a character YAML reads as a line break makes the document escape
    non-ASCII instead, so that `load(dump(x)).value == x` always holds.
    """
    text: str = _yaml().dump(
        data,
        Dumper=dumper(),
        sort_keys=False,
        allow_unicode=not has_yaml_line_break(data),
        width=2**31 - 1,
        default_flow_style=False,
    )
    return text


# -- the depth of flow collections, measured before parsing -------------------------------

_SPACE = " \t"


def check_flow_depth(text: str, *, line_offset: int = 0) -> None:
    """ReadError when flow collections (`[...]`, `{...}`) nest deeper than `MAX_DEPTH`.

    The builder counts the depth of every collection as its events arrive, but a parser
    reads a whole flow collection ahead (to learn whether it is a mapping key) before it
    gives the first event, so a deep one would stop in the parser, with the parser's own
    limit and words. This scan finds it first. It reads just enough of YAML to tell a
    bracket that opens a collection from one inside text (quoted text, comments, plain
    text such as `see [1]`, literal blocks); the scan is skipped when the text has too
    few brackets to go that deep.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    _FlowScan(text, line_offset + 1).run()


class _FlowScan:
    """One pass over the lines: block context line by line, flow context character by
    character, with the state that crosses lines (an open quote, a literal block, a plain
    value that may go on, the flow depth)."""

    def __init__(self, text: str, first_line: int) -> None:
        self.lines = text.split("\n")
        self.first_line = first_line
        self.depth = 0
        self.quote = ""  # the quote character of a quoted value still open at a line end
        self.block_above = -2  # a literal block's lines are indented more than this
        self.plain_above = -2  # a plain value goes on over lines indented more than this
        self.prev = "["  # in flow context: the last character that was not a space
        self.owner = -1  # see `_line`
        self.number = 0

    def run(self) -> None:
        for number, line in enumerate(self.lines):
            self.number = number
            col = 0
            if self.quote:
                col = self._quoted(line, 0, self.quote)
                if self.quote:
                    continue
            elif self.depth == 0:
                stripped = line.lstrip(" ")
                indent = len(line) - len(stripped)
                blank = not stripped.strip(_SPACE)
                if self.block_above > -2:  # (-1: a document's own block, to a '---')
                    if self.block_above == -1:
                        if not line.startswith(("---", "...")):
                            continue
                    elif blank or indent > self.block_above:
                        continue
                    self.block_above = -2
                if self.plain_above > -2:
                    if blank or indent > self.plain_above:
                        continue
                    self.plain_above = -2
                col = indent
            self._line(line, col)

    def _line(self, line: str, col: int) -> None:
        """The rest of a line from `col`, in whichever context the scan is in."""
        # The column that a value on this line must be indented past to go on over the
        # next lines: a key's or a dash's on this line, or the one the last line left
        # open ('key:' with its value below), or -1 (a document's own value).
        owner, self.owner = self.owner, -1
        opened = False  # the line so far ends after a key or a dash: its value is below
        end = len(line)
        while col < end:
            if self.depth:
                col = self._flow(line, col)
                continue
            char = line[col]
            if char in _SPACE:
                col += 1
            elif char == "#":
                break
            elif col == 0 and line.startswith(("---", "...")) and line[3:4] in ("", " ", "\t"):
                col, owner, opened = 3, -1, False
            elif char in "-?:" and (col + 1 == end or line[col + 1] in _SPACE):
                if char != ":":
                    owner = col
                col, opened = col + 1, True
            elif char in "&!*":
                while col < end and line[col] not in _SPACE:
                    col += 1
            elif char in "|>":
                self.block_above = owner
                return
            elif char in "[{":
                self._open()
                self.prev = char
                col, opened = col + 1, False
            elif char in "'\"":
                start, col = col, self._quoted(line, col + 1, char)
                if self.quote:
                    return
                key = _key_end(line, col)
                col, opened = (col, False) if key < 0 else (key, True)
                owner = start if key >= 0 else owner
            else:  # plain text: a key if ': ' follows, else a value to the line's end
                key = _plain_key_end(line, col)
                if key < 0:
                    self.plain_above = owner
                    return
                owner, col, opened = col, key, True
        if opened:
            self.owner = owner

    def _flow(self, line: str, col: int) -> int:
        """Flow context from `col` to the end of the line or of the outermost collection."""
        end = len(line)
        while col < end:
            char = line[col]
            if char in "[{":
                self._open()
            elif char in "]}":
                self.depth -= 1
                if self.depth == 0:
                    return col + 1
            elif char in "'\"" and self.prev in "[{,:?":
                col = self._quoted(line, col + 1, char)
                if self.quote:
                    return end
                self.prev = "Q"  # (a quoted value ended: a ':' right after it is a key's)
                continue
            elif char == ":" and not (
                col + 1 == end or line[col + 1] in _SPACE or self.prev in "Q]}"
            ):
                char = "x"  # a ':' inside plain text ('a:b')
            elif char == "#" and (col == 0 or line[col - 1] in _SPACE):
                return end
            if char not in _SPACE:
                self.prev = char
            col += 1
        return end

    def _open(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ReadError(
                f"nested more than {MAX_DEPTH} levels deep", self.number + self.first_line
            )

    def _quoted(self, line: str, col: int, quote: str) -> int:
        """Past the end of a quoted value that started before `col`; at the line's end
        with `self.quote` set when it goes on to the next line."""
        end = len(line)
        while col < end:
            char = line[col]
            if quote == '"' and char == "\\":
                col += 2
                continue
            if char == quote:
                if quote == "'" and col + 1 < end and line[col + 1] == "'":
                    col += 2
                    continue
                self.quote = ""
                return col + 1
            col += 1
        self.quote = quote
        return end


def _key_end(line: str, col: int) -> int:
    """Just past the ':' when a key's ': ' follows `col` (after spaces), else -1."""
    end = len(line)
    while col < end and line[col] in _SPACE:
        col += 1
    if col < end and line[col] == ":" and (col + 1 == end or line[col + 1] in _SPACE):
        return col + 1
    return -1


def _plain_key_end(line: str, col: int) -> int:
    """Where the value starts when the plain text at `col` is a key (just past its ':'),
    or -1 when it is a value (it runs to the line's end or to a comment)."""
    end = len(line)
    while col < end:
        char = line[col]
        if char == ":" and (col + 1 == end or line[col + 1] in _SPACE):
            return col + 1
        if char == "#" and line[col - 1] in _SPACE:
            return -1
        col += 1
    return -1
