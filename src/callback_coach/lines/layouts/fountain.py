"""Fountain (https://fountain.io/syntax), the plain-text screenplay format, as published:

- a title page (`Title: …` lines before the first blank line) is skipped;
- scene headings start with INT, EXT, EST, INT./EXT or I/E after a blank line, or are
  forced with a leading `.`; a `#12#` scene number is dropped;
- a character is a line in capitals after a blank line with text right below it, or a
  line forced with `@`; `^` after the name marks dual dialogue; extensions such as
  `(V.O.)` follow the name;
- dialogue runs to the next blank line (a line of two spaces keeps it going);
  parentheticals in it are not spoken;
- transitions (`CUT TO:`, or forced with `>`), sections (`#`), synopses (`=`), notes
  (`[[…]]`), the boneyard (`/* … */`) and page breaks (`===`) are not part of a scene;
- emphasis (`*italic*`, `**bold**`, `_underline_`) is dropped; `\\*` is a star.
"""

from __future__ import annotations

import re

from callback_coach.lines.layouts.common import Layout, SceneBuilder, is_capitals, split_name
from callback_coach.lines.layouts.screenplay import HEADING, is_transition
from callback_coach.lines.scene import Scene

_TITLE_KEY = re.compile(r"^[A-Za-z][A-Za-z ]*:")
_SCENE_NUMBER = re.compile(r"\s*#[\w.-]+#\s*$")
_PAGE_BREAK = re.compile(r"^={3,}\s*$")
# Emphasis marks: any star, and an underscore at the edge of a word (`_under_`), unless
# escaped with a backslash. Removed one by one, in one pass (a pattern pairing them up
# could take the square of a long line's length).
_EMPHASIS = re.compile(r"(?<!\\)\*|(?<![\w\\])_|(?<!\\)_(?!\w)")


def plain(text: str) -> str:
    """Text without Fountain's emphasis marks (an escaped `\\*` stays a star)."""
    return _EMPHASIS.sub("", text).replace("\\*", "*").replace("\\_", "_")


def without(text: str, opening: str, closing: str) -> str:
    """`text` without what stands between `opening` and `closing` (marks included), in
    one pass; an opening that is never closed is kept as text."""
    kept: list[str] = []
    at = 0
    while (start := text.find(opening, at)) != -1:
        end = text.find(closing, start + len(opening))
        if end == -1:
            break
        kept.append(text[at:start])
        at = end + len(closing)
    kept.append(text[at:])
    return "".join(kept)


class Fountain(Layout):
    name = "Fountain"
    looks_for = "Fountain: a character's name in capitals (or after @), then the dialogue"
    suffixes = (".fountain", ".spmd")

    def parse_text(self, text: str, title: str) -> list[Scene]:
        text = without(without(text, "/*", "*/"), "[[", "]]")
        lines = text.split("\n")
        start = 0
        if lines and _TITLE_KEY.match(lines[0]):
            while start < len(lines) and lines[start].strip():
                if lines[start].lower().startswith("title:"):
                    title = plain(lines[start].split(":", 1)[1]).strip() or title
                start += 1
        builder = SceneBuilder(title)
        index = start
        while index < len(lines):
            index = self._element(lines, index, builder)
        return builder.finish()

    def _element(self, lines: list[str], index: int, builder: SceneBuilder) -> int:
        """Read the element starting at `index`; return where the next one starts."""
        raw = lines[index]
        line = raw.strip()
        after_blank = index == 0 or not lines[index - 1].strip()
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not line or _PAGE_BREAK.match(line) or line.startswith(("#", "=")):
            return index + 1
        if line.startswith(".") and not line.startswith(".."):
            builder.heading(plain(_SCENE_NUMBER.sub("", line[1:])))
            return index + 1
        if after_blank and HEADING.match(line):
            builder.heading(plain(_SCENE_NUMBER.sub("", line)))
            return index + 1
        if (line.startswith(">") and not line.endswith("<")) or (
            after_blank and is_transition(line) and not following.strip()
        ):
            builder.boundary()
            return index + 1
        if after_blank and following.strip() and self._is_character(line):
            forced = line.startswith("@")
            cue = line[1:] if forced else line
            dual = cue.endswith("^")
            end = index + 1
            body = []
            while end < len(lines) and (lines[end].strip() or lines[end] == "  "):
                body.append(plain(lines[end].strip().lstrip("~")))
                end += 1
            builder.speech(plain(cue.rstrip("^ ")), body, dual=dual)
            return end
        end = index
        body = []
        while end < len(lines) and lines[end].strip():
            text = lines[end].strip()
            body.append(text[1:] if text.startswith("!") else text.strip("><"))
            end += 1
        builder.direction(plain(" ".join(body)))
        return end

    @staticmethod
    def _is_character(line: str) -> bool:
        if line.startswith("@"):
            return len(line) > 1
        if line.startswith("!"):
            return False
        name, _ = split_name(line.rstrip("^ "))
        return bool(name) and is_capitals(name) and not name.endswith((".", "!", "?"))
