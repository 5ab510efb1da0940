"""The depth of flow collections (`[...]`, `{...}`) in YAML text, measured before it is
parsed (for the guarded reader, `yamlio`).

The reader counts the depth of every collection as the parser's events arrive, but a
parser reads a whole flow collection ahead (to learn whether it is a mapping key) before
it gives the first event, so a deep one would stop in the parser, with the parser's own
limit and words. This scan finds it first. It reads just enough of YAML to tell a
bracket that opens a collection from one inside text (quoted text, comments, plain text
such as `see [1]`, literal blocks).
"""

from __future__ import annotations

_SPACE = " \t"


def too_deep(text: str, max_depth: int) -> int | None:
    """The index (from 0) of the first line where flow collections nest deeper than
    `max_depth`, or None when they never do. The scan is skipped when the text has too
    few brackets to go that deep."""
    if text.count("[") + text.count("{") <= max_depth:
        return None
    try:
        _FlowScan(text, max_depth).run()
    except _TooDeep as found:
        return found.line
    return None


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _FlowScan:
    """One pass over the lines: block context line by line, flow context character by
    character, with the state that crosses lines (an open quote, a literal block, a plain
    value that may go on, the flow depth)."""

    def __init__(self, text: str, max_depth: int) -> None:
        self.lines = text.split("\n")
        self.max_depth = max_depth
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
        if self.depth > self.max_depth:
            raise _TooDeep(self.number)

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
