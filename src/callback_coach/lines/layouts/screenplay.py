"""Screenplay text: a character's name in capitals on its own line, the speech below it.

    INT. LAKESIDE STAGE - NIGHT                 <- a scene heading: a new scene

    Nina runs in, out of breath.                <- action: a direction

                        NINA (V.O.)             <- the cue: name, then extensions
              (quietly)                         <- a parenthetical: not spoken
              I came. I said I would.

          NINA                  KOSTYA          <- dual dialogue: two columns, both
    Stay.                   Go.                    spoken at once

Transitions ("CUT TO:"), page numbers, "(MORE)" and "(CONT'D)" are not speeches; a
speech broken by a page break is one speech.
"""

from __future__ import annotations

import re

from callback_coach.lines.layouts.common import (
    Layout,
    SceneBuilder,
    drop_furniture,
    is_capitals,
    is_page_number,
    split_name,
)
from callback_coach.lines.scene import Scene

HEADING = re.compile(
    r"^(?:\d+[A-Z]?\s+)?(?:INT\.?/EXT|EXT\.?/INT|INT|EXT|EST|I/E)(?:\.|\s)", re.IGNORECASE
)
_SCENE_NUMBERS = re.compile(r"^\d+[A-Z]?\s+|\s+\d+[A-Z]?$")
TRANSITION = re.compile(
    r"^(?:[^\W\d_][\w '’.-]* TO:|FADE (?:IN|OUT)[:.]?|FADE TO BLACK\.?|THE END\.?|"
    r"END OF (?:SCENE|ACT)\b.*)$"
)
_COLUMNS = re.compile(r"\S+(?: {1,2}\S+)*")
MAX_NAME = 40


def is_heading(line: str) -> bool:
    return HEADING.match(line) is not None and is_capitals(line)


def heading_title(line: str) -> str:
    """A scene heading without the scene numbers printed at either end."""
    return _SCENE_NUMBERS.sub("", line.strip()).strip()


def is_transition(line: str) -> bool:
    return TRANSITION.match(line) is not None and is_capitals(line)


def is_cue(line: str) -> bool:
    """A character's name in capitals (with any extensions) standing alone on its line."""
    text = line.strip()
    if len(text) > 2 * MAX_NAME:  # a name and its extensions fit in much less
        return False
    if text.endswith("^"):
        text = text[:-1].rstrip()
    name, _ = split_name(text)
    if not (0 < len(name) <= MAX_NAME and len(name.split()) <= 5 and is_capitals(name)):
        return False
    if name[-1] in ".!?,;:" or ":" in name or "  " in text:
        return False
    return not (is_heading(text) or is_transition(text) or is_page_number(text))


def dual_cues(line: str) -> tuple[tuple[str, int], tuple[str, int]] | None:
    """Two cues side by side ("NINA      KOSTYA"), each with its column, or None."""
    pieces = [(m.group(), m.start()) for m in _COLUMNS.finditer(line)]
    if len(pieces) == 2 and all(is_cue(text) for text, _ in pieces):
        return pieces[0], pieces[1]
    return None


class Screenplay(Layout):
    name = "screenplay"
    looks_for = "a character's name in capitals on its own line, then the speech"
    plain_text = True

    def parse_text(self, text: str, title: str) -> list[Scene]:
        lines = drop_furniture(text.split("\n"))
        builder = SceneBuilder(title)
        index = 0
        while index < len(lines):
            line = lines[index].strip()
            following = lines[index + 1].strip() if index + 1 < len(lines) else ""
            if not line:
                index += 1
            elif is_heading(line):
                builder.heading(heading_title(line))
                index += 1
            elif is_transition(line):
                builder.boundary()
                index += 1
            elif following and (pair := dual_cues(lines[index])) is not None:
                index = self._dual(lines, index, pair, builder)
            elif following and is_cue(line):
                body = _paragraph(lines, index + 1)
                builder.speech(line.rstrip("^ "), body, dual=line.endswith("^"))
                index += 1 + len(body)
            else:
                body = _paragraph(lines, index)
                builder.direction(" ".join(body))
                index += len(body)
        return builder.finish()

    @staticmethod
    def _dual(
        lines: list[str],
        index: int,
        pair: tuple[tuple[str, int], tuple[str, int]],
        builder: SceneBuilder,
    ) -> int:
        """Two speeches in columns: each piece of text goes to the column it starts in
        (the left one when it starts left of halfway between the two names)."""
        (left_cue, left_at), (right_cue, right_at) = pair
        middle = (left_at + right_at) / 2
        left: list[str] = []
        right: list[str] = []
        body = _paragraph(lines, index + 1)
        for line in body:
            for piece in _COLUMNS.finditer(line):
                (left if piece.start() < middle else right).append(piece.group())
        builder.speech(left_cue, left, joinable=False)
        builder.speech(right_cue, right, dual=True)
        return index + 1 + len(body)


def _paragraph(lines: list[str], start: int) -> list[str]:
    """The lines from `start` up to the next blank line."""
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    return lines[start:end]
