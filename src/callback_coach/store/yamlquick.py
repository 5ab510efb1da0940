"""A quick reader for the YAML the coach writes itself, used before the general one.

Reading a note's front matter through libyaml's events and the guarded builder
(`yamlio`) costs about 0.2 ms: most of it is one Python object per event. Front matter
the coach wrote (`yamldump.dump`: block style, two-space indents, one value per line) can
be read line by line several times faster. This reader knows only that form:

- block mappings whose keys are plain words (letters, digits, `_`, `-`), each key once;
- block sequences (`- ` items, compact under a key, or indented), whose items are plain
  or quoted text, literal blocks, or mappings;
- values that are plain (resolved by the caller, exactly as the general reader does),
  single-quoted on one line, literal blocks (`|` or `|-`, indented two spaces more than
  their key or dash), or the empty `[]` and `{}`.

Anything else (a comment, a tab, a blank line outside a literal block, a character
Python does not call printable, such as a control character or a no-break space, flow
collections, double quotes, anchors, tags, a value running on over
several lines, a duplicate key, a value past the limits) makes it give up: `read`
returns None and the caller reads the text with the general reader, which reports any
problem with its line. So this reader never decides that a text is wrong, and where it
answers it answers exactly as the general reader does (tests/test_yamlquick.py checks
both on random documents and on hostile text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeAlias

from callback_coach.store.yamlscalars import Scalar

# A value this reader gives: plain data whose mappings have text keys.
Value: TypeAlias = Scalar | list["Value"] | dict[str, "Value"]

# Every line, split once (in C) into its indent, a dash, a key and the rest: a line of
# the form "  - key: rest" (each part but the indent may be empty).
_LINE = re.compile(r"^( *)(- )?(?:([A-Za-z0-9_][A-Za-z0-9_-]*):(?: |$))?(.*)$", re.M)
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
# First characters after which a value is not plain text (YAML's indicators, a space).
_NOT_PLAIN = frozenset("-?:,[]{}#&*!|>'\"%@` ")


# Keys read before, as `plain` read them (keys repeat from note to note).
_KEYS: dict[str, Scalar] = {}


class _Unsure(Exception):
    """The text is outside what this reader knows: the general reader takes it."""


class _Reader:
    __slots__ = ("depth_limit", "lines", "plain", "pos", "tokens")

    def __init__(
        self,
        lines: list[str],
        tokens: list[tuple[str, str, str, str]],
        plain: Callable[[str], Scalar],
        depth_limit: int,
    ) -> None:
        self.lines = lines
        self.tokens = tokens
        self.plain = plain
        self.pos = 0
        self.depth_limit = depth_limit

    def mapping(self, indent: int, depth: int) -> dict[str, Value]:
        """The mapping whose keys start at column `indent`, from the current line on."""
        if depth > self.depth_limit:
            raise _Unsure
        tokens, plain = self.tokens, self.plain
        result: dict[str, Value] = {}
        end = len(tokens)
        pos = self.pos
        while pos < end:
            spaces, dash, word, rest = tokens[pos]
            if len(spaces) != indent:
                if len(spaces) > indent or not (spaces or dash or word or rest):
                    raise _Unsure  # deeper (a value running on), or a blank line
                break
            if dash or not word:
                raise _Unsure  # (a sequence under a key is read by `below`)
            key = _KEYS.get(word)
            if key is None:
                key = plain(word)
                if len(_KEYS) < 4096:
                    _KEYS[word] = key
            if type(key) is not str or key in result:
                raise _Unsure
            pos += 1
            if (
                rest
                and rest[0] not in _NOT_PLAIN
                and rest[-1] not in " :"
                and ": " not in rest
                and " #" not in rest
            ):
                result[key] = plain(rest)  # the usual case: plain text on the key's line
                continue
            self.pos = pos
            result[key] = self.value(rest, indent) if rest else self.below(indent, depth)
            pos = self.pos
        self.pos = pos
        return result

    def sequence(self, indent: int, depth: int) -> list[Value]:
        """The sequence whose dashes are at column `indent`, from the current line on."""
        if depth > self.depth_limit:
            raise _Unsure
        tokens = self.tokens
        result: list[Value] = []
        end = len(tokens)
        while self.pos < end:
            spaces, dash, word, rest = tokens[self.pos]
            if len(spaces) != indent or not dash:
                if len(spaces) > indent or (len(spaces) == indent and rest[:1] == "-"):
                    raise _Unsure  # deeper, a bare dash, or a dash with text after it
                break
            if word:
                # "- key: value": a mapping whose keys start after the dash
                tokens[self.pos] = (spaces + "  ", "", word, rest)
                result.append(self.mapping(indent + 2, depth + 1))
            elif rest:
                self.pos += 1
                result.append(self.value(rest, indent))
            else:
                raise _Unsure
        return result

    def value(self, rest: str, indent: int) -> Value:
        """The value after a key (or a dash) at column `indent`, written on its line
        (`rest`, the text after "key: " or "- ")."""
        first = rest[0]
        if first == "|":
            return self.literal(rest, indent)
        if first == "'":
            match = _SINGLE_QUOTED.fullmatch(rest)
            if match is None:
                raise _Unsure  # runs on over several lines, or text after the quote
            value: Value = match.group(1).replace("''", "'")
        elif rest == "[]":
            value = []
        elif rest == "{}":
            value = {}
        elif first in _NOT_PLAIN or rest[-1] in " :" or ": " in rest or " #" in rest:
            raise _Unsure
        else:
            value = self.plain(rest)
        # (A deeper line after it, a value running on, stops the mapping or sequence.)
        return value

    def below(self, indent: int, depth: int) -> Value:
        """The value of a key with nothing after its colon: a mapping or sequence on the
        lines below, or null."""
        if self.pos >= len(self.tokens):
            return None
        spaces, dash, word, rest = self.tokens[self.pos]
        deeper = len(spaces)
        if deeper == indent:
            if dash:
                return self.sequence(indent, depth + 1)  # compact: dashes under the key
            return None
        if deeper == indent + 2:
            if dash:
                return self.sequence(deeper, depth + 1)
            return self.mapping(deeper, depth + 1)
        if deeper > indent or not (spaces or dash or word or rest):
            raise _Unsure
        return None

    def literal(self, header: str, indent: int) -> str:
        """A literal block (`|` keeps one final line break, `|-` none) whose lines are
        indented two spaces more than its key or dash."""
        if header != "|-" and header != "|":
            raise _Unsure
        lines = self.lines
        inner = indent + 2
        pad = " " * inner
        start = self.pos
        end = len(lines)
        if start == end or not lines[start].startswith(pad):
            raise _Unsure  # an empty block, or one that starts with a blank line
        pos = start
        while pos < end:
            line = lines[pos]
            if line.startswith(pad):
                text = line[inner:]
                if not text or text.isspace() or (pos == start and text[0] == " "):
                    raise _Unsure  # spaces only, or a first line that starts with one
            elif line:
                if line.isspace() or line.startswith(" " * (indent + 1)):
                    raise _Unsure
                break
            pos += 1
        last = pos
        while last > start and not lines[last - 1]:
            last -= 1
        if last != pos:
            raise _Unsure  # blank lines after the block
        self.pos = pos
        text = "\n".join([line[inner:] for line in lines[start:last]])
        return text if header == "|-" else text + "\n"


def read(
    text: str, plain: Callable[[str], Scalar], *, max_values: int, max_depth: int
) -> dict[str, Value] | None:
    """The mapping `text` holds, when it is in the form the coach writes (see the module
    docstring); None otherwise. `plain(word)` resolves a plain value exactly as the
    general reader does, raising ValueError (or a subclass) where that reader would
    report a problem. Texts that might hold more than `max_values` values (three per
    line at most) or nest deeper than `max_depth` are left to the general reader."""
    if not text.endswith("\n"):
        return None
    lines = text.split("\n")
    lines.pop()  # the empty text after the last line break
    # Lines of printable characters only (Python's sense, narrower than YAML's): no
    # control character (tab included), no character YAML reads as a line break (NEL,
    # LS, PS), no byte-order mark, no surrogate, and no space but the plain one.
    if not all(map(str.isprintable, lines)):
        return None
    if not lines or not lines[0] or lines[0][0] == " " or 3 * len(lines) > max_values:
        return None
    if lines[0].startswith(("---", "...")):
        return None
    tokens = _LINE.findall(text)
    tokens.pop()
    reader = _Reader(lines, tokens, plain, max_depth // 2)
    try:
        result = reader.mapping(0, 1)
    except (_Unsure, ValueError):
        return None
    if reader.pos != len(lines):
        return None
    return result
