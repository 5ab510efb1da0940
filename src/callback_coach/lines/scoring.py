"""Scoring a typed line word by word, and the first-letter hint.

Words are compared as `scene.words` sees them: case, accents, punctuation and spacing do
not count. The words are aligned with `rapidfuzz` (a Levenshtein alignment over words,
imported only when a line is scored); the score is the share of the line that was right,
where every missed, swapped or added word counts against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from callback_coach.lines.scene import tokens

# Off-book in type mode: at least this share of the words right, without a hint.
RIGHT_SHARE = 0.9

PartKind = Literal["same", "missed", "swapped", "added"]


@dataclass(frozen=True)
class Part:
    """A run of the alignment: words the same, missed (in the line, not typed), swapped
    (typed instead of the line's), or added (typed, not in the line). Words are shown
    as written: `expected` from the line, `typed` from the attempt."""

    kind: PartKind
    expected: tuple[str, ...]
    typed: tuple[str, ...]


@dataclass(frozen=True)
class Score:
    """How a typed attempt matched the line."""

    share: float  # 0..1: 1 - (word edits / the longer of line and attempt)
    right: int  # the line's words typed right
    total: int  # the line's words
    parts: tuple[Part, ...]

    @property
    def percent(self) -> int:
        """The share as a whole percentage, rounded down (99.9 % is not 100 %)."""
        return int(self.share * 100 + 1e-9)

    @property
    def perfect(self) -> bool:
        return self.share >= 1.0

    @property
    def is_right(self) -> bool:
        return self.share >= RIGHT_SHARE

    def words(self, kind: PartKind) -> list[str]:
        """The words of one kind, as written: the line's words for `missed` and
        `swapped`, the typed ones for `added`."""
        found: list[str] = []
        for part in self.parts:
            if part.kind == kind:
                found.extend(part.typed if kind == "added" else part.expected)
        return found


def score_line(line: str, attempt: str) -> Score:
    """Score `attempt` against `line`, word by word."""
    from rapidfuzz.distance import Levenshtein  # the matcher: only when a line is scored

    expected, typed = tokens(line), tokens(attempt)
    a = [compared for _, compared in expected]
    b = [compared for _, compared in typed]
    parts: list[Part] = []
    right = 0
    for op in Levenshtein.opcodes(a, b):
        shown_a = tuple(shown for shown, _ in expected[op.src_start : op.src_end])
        shown_b = tuple(shown for shown, _ in typed[op.dest_start : op.dest_end])
        kind: PartKind = {
            "equal": "same",
            "delete": "missed",
            "insert": "added",
            "replace": "swapped",
        }[op.tag]  # type: ignore[assignment]
        if kind == "same":
            right += len(shown_a)
        parts.append(Part(kind, shown_a, shown_b))
    share = float(Levenshtein.normalized_similarity(a, b))
    return Score(share=share, right=right, total=len(a), parts=tuple(parts))


def hint(line: str) -> str:
    """The first letter of each word, punctuation kept: "I came. I said I would." is
    "I c. I s I w."."""
    shown = []
    for piece, _ in tokens(line):
        start = next((i for i, ch in enumerate(piece) if ch.isalnum()), 0)
        shown.append(piece[: start + 1] + _trailing_punctuation(piece))
    return " ".join(shown)


def _trailing_punctuation(piece: str) -> str:
    end = len(piece)
    while end > 0 and not piece[end - 1].isalnum():
        end -= 1
    return piece[end:]
