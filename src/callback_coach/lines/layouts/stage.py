"""Stage-play text: the speaker's name, then a full stop or a colon, then the speech.

    ACT ONE, SCENE 2                            <- a heading: a new scene
    (A garden by the lake. Evening.)            <- a stage direction
    NINA. I came. I said I would.
    KOSTYA (not looking up): You're late.       <- a parenthetical before the colon
    MRS. ARKADINA. (to Nina) Sit down,          <- a speech goes on over its lines
    child.

    The lights fade.                            <- a paragraph of its own: a direction

A name is read as a speaker when it is written in capitals; a name in title case only
before a colon, in a file where some such name starts two lines or more, and not a
label such as "Note:" or "Setting:". Where a
line could be read two ways ("MRS. ARKADINA. …": "MRS" or "MRS. ARKADINA"), the name
found most often in the file wins, then the longer one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from callback_coach.lines.layouts.common import (
    Layout,
    SceneBuilder,
    drop_furniture,
    is_capitals,
)
from callback_coach.lines.scene import Scene
from callback_coach.store.slugs import fold

HEADING = re.compile(
    r"^(?:(?:ACT|SCENE)\s+(?:[IVXLC]+|\d+|ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN)\b"
    r"|PROLOGUE\b|EPILOGUE\b)",
    re.IGNORECASE,
)
_NAME_CHARS = re.compile(r"[^\W_]|[ .'’&-]")
_BRACKETED = re.compile(r"^[(\[].*[)\]]$")
MAX_NAME = 40
# Title-case words before a colon that label a script's front matter, not a speaker.
LABELS = frozenset(
    {
        "note", "notes", "setting", "time", "place", "characters", "cast", "scene", "act",
        "synopsis", "author", "title", "written by", "draft", "revision", "page", "at rise",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    """One way to read a line as a speech: the name, its mark (`.` or `:`), a
    parenthetical before the mark, and the words after it."""

    name: str
    mark: str
    direction: str
    rest: str


def candidates(line: str) -> list[Candidate]:
    """Every reading of `line` as `NAME. words`, `NAME: words` or `NAME (aside). words`."""
    text = line.strip()
    end = 0
    # A name is at most MAX_NAME long: looking further only finds readings that fail.
    while end < min(len(text), MAX_NAME + 1) and _NAME_CHARS.match(text[end]):
        end += 1
    found = []
    for at in range(min(end + 1, len(text))):
        if text[at] in ".:" and (at + 1 == len(text) or text[at + 1].isspace()):
            found.append(Candidate(text[:at].strip(), text[at], "", text[at + 1 :].strip()))
    if end < len(text) and text[end] == "(":
        close = text.find(")", end)
        after = text[close + 1 :].lstrip() if close != -1 else ""
        if after[:1] in (".", ":") and (len(after) == 1 or after[1].isspace()):
            found.append(
                Candidate(text[:end].strip(), after[0], text[end + 1 : close], after[1:].strip())
            )
    return [c for c in found if _could_be_name(c.name)]


def _could_be_name(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) >= 2 and len(name) <= MAX_NAME and len(name.split()) <= 4


def _title_case(name: str) -> bool:
    return all(word[:1].isupper() for word in name.split())


def is_heading(line: str) -> bool:
    return HEADING.match(line.strip()) is not None and len(line.split()) <= 8


class StagePlay(Layout):
    name = "stage play"
    looks_for = "NAME. or NAME: before the speech"
    plain_text = True

    def parse_text(self, text: str, title: str) -> list[Scene]:
        lines = [line.strip() for line in drop_furniture(text.split("\n"))]
        readings = [candidates(line) for line in lines]
        counts = Counter(fold(c.name) for found in readings for c in found)
        titled_names = Counter(
            fold(c.name)
            for found in readings
            for c in found
            if c.mark == ":" and _title_case(c.name) and not is_capitals(c.name)
        )
        titled = any(n >= 2 for name, n in titled_names.items() if name not in LABELS)
        speakers = [
            self._speaker(line, found, counts, titled) if line else None
            for line, found in zip(lines, readings, strict=True)
        ]
        builder = SceneBuilder(title)
        speaker: Candidate | None = None
        body: list[str] = []

        def close() -> None:
            nonlocal speaker, body
            if speaker is not None:
                lead = [f"({speaker.direction})"] if speaker.direction else []
                builder.speech(speaker.name, [*lead, *body])
            speaker, body = None, []

        for index, line in enumerate(lines):
            reading = speakers[index]
            ends = index + 1 == len(lines) or not lines[index + 1] or speakers[index + 1]
            if not line:
                close()
            elif reading is not None:
                close()
                speaker, body = reading, [reading.rest]
            elif speaker is not None and not (_BRACKETED.match(line) and ends):
                # A bracketed line followed by the next speech or a blank is a direction
                # between speeches; inside a speech it is a parenthetical.
                body.append(line)
            else:
                close()
                if is_heading(line):
                    builder.heading(line.rstrip("."))
                else:
                    builder.direction(line.strip("()[] "))
        close()
        return builder.finish()

    @staticmethod
    def _speaker(
        line: str, found: list[Candidate], counts: Counter[str], titled: bool
    ) -> Candidate | None:
        """The best reading of `line` (whose `candidates` are `found`) as a speech, or None
        when it is not one: a name in capitals, or (in a file that writes them so:
        `titled`) a name in title case before a colon."""
        if is_heading(line):
            return None
        usable = [
            c
            for c in found
            if is_capitals(c.name)
            or (titled and c.mark == ":" and _title_case(c.name) and fold(c.name) not in LABELS)
        ]
        if not usable:
            return None
        return max(usable, key=lambda c: (counts[fold(c.name)], len(c.name)))
