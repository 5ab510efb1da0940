"""Sync conflict copies and git conflict markers: a note's git markers split back into its
two sides, and two notes compared. Pure: texts and notes in, texts and comparisons out
(merging them is `store.conflict_merge`; the notes folder is read and written by
`store.conflict_copies`).

A sync client that sees a note changed on two devices keeps both: the one it calls the
winner under the note's own name, the other as a *copy* beside it (recognised by name in
`store.conflict_names`). A note holding git's conflict markers is split back into its
two sides by `git_conflict`. `compare` puts two notes side by side: answers question by
question, the other front-matter keys one by one, the bodies as a diff.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final, Literal, TypeVar

from callback_coach.store.conflict_names import has_git_markers
from callback_coach.store.notes import Note

# -- git conflict markers ------------------------------------------------------------------

# One line with its own ending: only "\n" ends a line (as in `notes`).
LINES = re.compile(r"[^\n]*\n|[^\n]+")


@dataclass(frozen=True)
class GitConflict:
    """A text holding git's conflict markers, split into its two whole texts: `ours`
    (between `<<<<<<<` and `=======`: the side being merged into, on a `git pull` this
    device's) and `theirs` (up to `>>>>>>>`), each with the text around the markers.
    `base` is the common ancestor's text when git wrote it (`merge.conflictStyle diff3`
    or `zdiff3`: the `|||||||` part), else None."""

    ours: str
    theirs: str
    ours_label: str
    theirs_label: str
    hunks: int
    base: str | None = None


def _marker(line: str, char: str) -> str | None:
    """The label of a marker line made of seven `char` ("" for none), None for any other
    line."""
    bare = line.rstrip("\r\n")
    if bare[:7] != char * 7 or (len(bare) > 7 and bare[7] not in " \t"):
        return None
    return bare[8:].strip()


def git_conflict(text: str) -> GitConflict | None:
    """The two sides of a text holding git conflict markers; None when it holds none, or
    markers that do not make whole conflicts (then it is left for a person to read)."""
    if not has_git_markers(text):
        return None
    ours: list[str] = []
    theirs: list[str] = []
    base: list[str] = []
    labels = ["", ""]
    state, hunks, has_base = "both", 0, False
    for line in LINES.findall(text):
        if state == "both":
            label = _marker(line, "<")
            if label is None:
                ours.append(line)
                theirs.append(line)
                base.append(line)
                continue
            state, hunks = "ours", hunks + 1
            labels[0] = labels[0] or label
        elif state in ("ours", "base"):
            if _marker(line, "<") is not None or _marker(line, ">") is not None:
                return None
            if _marker(line, "|") is not None and state == "ours":
                state, has_base = "base", True
            elif line.rstrip("\r\n") == "=" * 7:
                state = "theirs"
            else:
                (ours if state == "ours" else base).append(line)
        else:  # theirs
            label = _marker(line, ">")
            if label is not None:
                state = "both"
                labels[1] = labels[1] or label
            elif _marker(line, "<") is not None or line.rstrip("\r\n") == "=" * 7:
                return None
            else:
                theirs.append(line)
    if state != "both" or hunks == 0:
        return None
    return GitConflict(
        ours="".join(ours),
        theirs="".join(theirs),
        ours_label=labels[0],
        theirs_label=labels[1],
        hunks=hunks,
        base="".join(base) if has_base else None,
    )


# -- comparing two notes -------------------------------------------------------------------

Status = Literal["same", "only mine", "only theirs", "differ"]
Side = Literal["mine", "theirs"]
# Asked for each value that differs: where it is (`answers.mindset.calm`, `outcome`,
# `follow_ups.5c1e09a`), this note's value, the copy's; returns the side to keep.
Choose = Callable[[str, object, object], Side]
Key = TypeVar("Key")


class _Absent:
    """The value on a side that has none (shown as nothing, never equal to a value)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()

# The coach's own bookkeeping, settled without asking: the newest format and checklist
# versions, the earliest `created`, the `outcome_updated` that goes with the outcome kept.
AUTOMATIC_KEYS = ("format", "created", "outcome_updated", "checklists")
# Lists of what happened, merged as a union in time order (nothing either side saw is lost).
HISTORY_KEYS = ("earlier_outcomes", "outcome_history")
# Lists of things owed, merged as a union without duplicates (an entry by its `id`).
UNION_KEYS = ("follow_ups", "follow_ups_done")


@dataclass(frozen=True)
class Difference:
    """One answer or front-matter key on both sides. `where` is its path (`answers.<checklist
    id>.<question id>`, or the key); a side without it holds `ABSENT`. `automatic` is
    true when a merge settles it without asking (see `conflict_merge.merge`)."""

    where: str
    status: Status
    mine: object
    theirs: object
    automatic: bool = False


@dataclass(frozen=True)
class Comparison:
    """Two notes side by side: answers question by question, the other front-matter keys
    one by one (both in the notes' order) and the bodies as a unified diff."""

    answers: list[Difference]
    keys: list[Difference]
    body_diff: list[str]

    def counts(self) -> dict[str, int]:
        """How many answers are the same, on one side only, or differ."""
        found = {"same": 0, "only mine": 0, "only theirs": 0, "differ": 0}
        for difference in self.answers:
            found[difference.status] += 1
        return found

    @property
    def differing_keys(self) -> list[Difference]:
        return [d for d in self.keys if d.status != "same"]

    @property
    def same(self) -> bool:
        """True when the two notes hold the same answers, keys and body."""
        return not self.body_diff and all(d.status == "same" for d in [*self.answers, *self.keys])


def same_value(a: object, b: object) -> bool:
    if a is ABSENT or b is ABSENT:
        return a is b
    try:
        if a == b:
            return True
    except Exception:  # an odd value a hand edit left: compare how it is written
        pass
    return canonical(a) == canonical(b)


def canonical(value: object) -> str:
    """A text that is equal for equal values (NaN included), for comparing and keying."""
    return json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False)


def _blank(value: object) -> bool:
    """An answer left blank counts as no answer (the side that has one is kept)."""
    if value is None or value is ABSENT:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, (list, tuple)) and not value


def status_of(mine: object, theirs: object, *, blank_is_absent: bool = False) -> Status:
    if blank_is_absent and (_blank(mine) or _blank(theirs)):
        if _blank(mine) and _blank(theirs):
            return "same"
        return "only theirs" if _blank(mine) else "only mine"
    if same_value(mine, theirs):
        return "same"
    if theirs is ABSENT:
        return "only mine"
    if mine is ABSENT:
        return "only theirs"
    return "differ"


def ordered_keys(mine: Mapping[Key, object], theirs: Mapping[Key, object]) -> list[Key]:
    """The keys of both mappings: mine in order, then those only theirs has."""
    return [*mine, *(k for k in theirs if k not in mine)]


def _answer_pairs(mine: Note, theirs: Note) -> Iterator[tuple[str, str, object, object]]:
    """(checklist id, question id, my answer, their answer) for every question either
    note answers, in the notes' order."""
    mine_answers, theirs_answers = mine.answers, theirs.answers
    for cid in ordered_keys(mine_answers, theirs_answers):
        a, b = mine_answers.get(cid) or {}, theirs_answers.get(cid) or {}
        for qid in ordered_keys(a, b):
            yield str(cid), str(qid), a.get(qid, ABSENT), b.get(qid, ABSENT)


def compare(
    mine: Note, theirs: Note, *, mine_label: str = "mine", theirs_label: str = "theirs"
) -> Comparison:
    """Compare two notes: every answer question by question (same, only mine, only
    theirs, differ; a blank answer counts as none), every other front-matter key the same
    way, and the bodies as a unified diff (labelled with `mine_label`, `theirs_label`)."""
    answers = [
        Difference(f"answers.{cid}.{qid}", status_of(a, b, blank_is_absent=True), a, b)
        for cid, qid, a, b in _answer_pairs(mine, theirs)
    ]
    keys = []
    for key in ordered_keys(mine.meta, theirs.meta):
        a, b = mine.meta.get(key, ABSENT), theirs.meta.get(key, ABSENT)
        if key == "answers" and all(v is ABSENT or isinstance(v, dict) for v in (a, b)):
            continue  # compared question by question above
        status = status_of(a, b)
        automatic = status == "differ" and (
            key in AUTOMATIC_KEYS or key in HISTORY_KEYS or key in UNION_KEYS
        )
        keys.append(Difference(str(key), status, a, b, automatic))
    body_diff = list(
        difflib.unified_diff(
            body_lines(mine.body),
            body_lines(theirs.body),
            fromfile=mine_label,
            tofile=theirs_label,
            lineterm="",
        )
    )
    return Comparison(answers=answers, keys=keys, body_diff=body_diff)


def body_lines(body: str) -> list[str]:
    return [line.rstrip("\r\n") for line in LINES.findall(body)]
