"""Sync conflict copies and git conflict markers: recognised by name or text, compared and
merged. Pure: names, texts and notes in, names, texts and notes out (the notes folder is
read and written by `store.conflict_copies`).

A sync client that sees a note changed on two devices keeps both: the one it calls the
winner under the note's own name, the other as a *copy* beside it, named by a scheme of
its own. `copy_of` recognises every scheme below; `scan` runs over a whole folder's names
at the cost of a few string searches per name. A note holding git's conflict
markers is split back into its two sides by `git_conflict`.

`merge` makes one note of two: an answer given on one side only is kept, answers that
differ are chosen one by one (`choose`), the outcome history and the follow-ups are
unions, and both bodies are kept where they differ. Nothing is dropped without a choice,
and what a choice drops from the actor's own words is still written at the end of the
body, so a hurried `--keep mine` never loses a line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from callback_coach.store import yamlio
from callback_coach.store.conflict_names import (
    has_git_markers,
)
from callback_coach.store.facts import outcome_history
from callback_coach.store.frontmatter import set_front_matter
from callback_coach.store.notes import Note, NoteParseError, check_savable, now_iso, parse_note

# -- git conflict markers ------------------------------------------------------------------

# One line with its own ending: only "\n" ends a line (as in `notes`).
_LINES = re.compile(r"[^\n]*\n|[^\n]+")


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
    for line in _LINES.findall(text):
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
Choose = Callable[[str, Any, Any], Side]


class _Absent:
    """The value on a side that has none (shown as nothing, never equal to a value)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()

# The coach's own bookkeeping, settled without asking: the newest format and checklist
# versions, the earliest `created`, the `outcome_updated` that goes with the outcome kept.
AUTOMATIC_KEYS = ("format", "created", "outcome_updated", "checklists")
# Lists of what happened, merged as a union in time order (nothing either side saw is lost).
HISTORY_KEYS = ("earlier_outcomes", "outcome_history")
# Lists of things owed, merged as a union without duplicates (an entry by its `id`).
UNION_KEYS = ("follow_ups", "follow_ups_done")
# Entries of a history list are put in time order by the first of these they all have.
_TIME_FIELDS = ("at", "when", "time", "updated", "date")
_PENDING = ("", "pending")


@dataclass(frozen=True)
class Difference:
    """One answer or front-matter key on both sides. `where` is its path (`answers.<checklist
    id>.<question id>`, or the key); a side without it holds `ABSENT`. `automatic` is
    true when a merge settles it without asking (see `merge`)."""

    where: str
    status: Status
    mine: Any
    theirs: Any
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


def _same(a: Any, b: Any) -> bool:
    if a is ABSENT or b is ABSENT:
        return a is b
    try:
        if a == b:
            return True
    except Exception:  # an odd value a hand edit left: compare how it is written
        pass
    return _canonical(a) == _canonical(b)


def _canonical(value: Any) -> str:
    """A text that is equal for equal values (NaN included), for comparing and keying."""
    return json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False)


def _blank(value: Any) -> bool:
    """An answer left blank counts as no answer (the side that has one is kept)."""
    if value is None or value is ABSENT:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, (list, tuple)) and not value


def _status(mine: Any, theirs: Any, *, blank_is_absent: bool = False) -> Status:
    if blank_is_absent and (_blank(mine) or _blank(theirs)):
        if _blank(mine) and _blank(theirs):
            return "same"
        return "only theirs" if _blank(mine) else "only mine"
    if _same(mine, theirs):
        return "same"
    if theirs is ABSENT:
        return "only mine"
    if mine is ABSENT:
        return "only theirs"
    return "differ"


def _ordered_keys(mine: dict[Any, Any], theirs: dict[Any, Any]) -> list[Any]:
    """The keys of both mappings: mine in order, then those only theirs has."""
    return [*mine, *(k for k in theirs if k not in mine)]


def _answer_pairs(mine: Note, theirs: Note) -> Iterator[tuple[str, str, Any, Any]]:
    """(checklist id, question id, my answer, their answer) for every question either
    note answers, in the notes' order."""
    mine_answers, theirs_answers = mine.answers, theirs.answers
    for cid in _ordered_keys(mine_answers, theirs_answers):
        a, b = mine_answers.get(cid) or {}, theirs_answers.get(cid) or {}
        for qid in _ordered_keys(a, b):
            yield str(cid), str(qid), a.get(qid, ABSENT), b.get(qid, ABSENT)


def compare(
    mine: Note, theirs: Note, *, mine_label: str = "mine", theirs_label: str = "theirs"
) -> Comparison:
    """Compare two notes: every answer question by question (same, only mine, only
    theirs, differ; a blank answer counts as none), every other front-matter key the same
    way, and the bodies as a unified diff (labelled with `mine_label`, `theirs_label`)."""
    answers = [
        Difference(f"answers.{cid}.{qid}", _status(a, b, blank_is_absent=True), a, b)
        for cid, qid, a, b in _answer_pairs(mine, theirs)
    ]
    keys = []
    for key in _ordered_keys(mine.meta, theirs.meta):
        a, b = mine.meta.get(key, ABSENT), theirs.meta.get(key, ABSENT)
        if key == "answers" and all(v is ABSENT or isinstance(v, dict) for v in (a, b)):
            continue  # compared question by question above
        status = _status(a, b)
        automatic = status == "differ" and (
            key in AUTOMATIC_KEYS or key in HISTORY_KEYS or key in UNION_KEYS
        )
        keys.append(Difference(str(key), status, a, b, automatic))
    body_diff = list(
        difflib.unified_diff(
            _body_lines(mine.body),
            _body_lines(theirs.body),
            fromfile=mine_label,
            tofile=theirs_label,
            lineterm="",
        )
    )
    return Comparison(answers=answers, keys=keys, body_diff=body_diff)


def _body_lines(body: str) -> list[str]:
    return [line.rstrip("\r\n") for line in _LINES.findall(body)]


# -- merging two notes ---------------------------------------------------------------------


@dataclass
class _Merging:
    """What one merge has decided so far (the values a choice left out, for the body)."""

    choose: Choose
    mine_label: str
    theirs_label: str
    left_out: dict[str, tuple[Side, Any]] = field(default_factory=dict)

    def pick(self, where: str, mine: Any, theirs: Any, *, record: bool = True) -> Any:
        side = self.choose(where, mine, theirs)
        if side not in ("mine", "theirs"):
            raise ValueError(f"choose must return 'mine' or 'theirs', not {side!r}")
        if record:
            self.left_out[where] = ("theirs", theirs) if side == "mine" else ("mine", mine)
        return mine if side == "mine" else theirs


def merge(
    mine: Note,
    theirs: Note,
    choose: Choose,
    *,
    mine_label: str = "this note",
    theirs_label: str = "the copy",
    at: str | None = None,
) -> Note:
    """One note holding both `mine` (the note kept under its name) and `theirs` (its copy).

    - answers: the same, or given on one side only (a blank counts as none): kept; answers
      that differ: `choose(where, mine_value, theirs_value)` says which side's is kept;
    - other front-matter keys alike, except the coach's bookkeeping, settled without
      asking (`AUTOMATIC_KEYS`): the newest `format` and checklist versions, the earliest
      `created`, the `outcome_updated` that goes with the outcome kept;
    - `outcome`: chosen like an answer, and recorded as the newest change of the
      `outcome_history` (at `at`, default now); the one not kept stays in the history, so
      the season still counts the stage it reached;
    - `earlier_outcomes` and `outcome_history`: a union in time order (each side's own
      order kept, what both have once); `follow_ups` and `follow_ups_done`: a union
      without duplicates (an entry by its `id`; two entries with one id that differ are
      chosen);
    - the body: the shared part once, each side's differing part under a short heading
      naming its side (`mine_label`, `theirs_label`); no line of either is dropped;
    - any answer or key of the actor's a choice left out is written at the end of the body
      under a heading, as YAML (the coach's own bookkeeping is not).

    A note merged with an identical note is returned unchanged, without asking.
    """
    merging = _Merging(choose, mine_label, theirs_label)
    meta: dict[Any, Any] = {}
    dropped_outcome: Any = ABSENT
    for key in _ordered_keys(mine.meta, theirs.meta):
        a, b = mine.meta.get(key, ABSENT), theirs.meta.get(key, ABSENT)
        if _same(a, b) or b is ABSENT:
            meta[key] = a
        elif a is ABSENT:
            meta[key] = b
        elif key == "answers" and isinstance(a, dict) and isinstance(b, dict):
            meta[key] = _merge_answers(a, b, merging)
        elif key in HISTORY_KEYS and _is_history(a) and _is_history(b):
            meta[key] = _history_union(_as_list(a), _as_list(b), _mine_first(mine, theirs))
        elif key in UNION_KEYS and isinstance(a, list) and isinstance(b, list):
            meta[key] = _list_union(str(key), a, b, merging)
        elif key in UNION_KEYS and isinstance(a, dict) and isinstance(b, dict):
            meta[key] = _mapping_union(str(key), a, b, merging)
        elif key in AUTOMATIC_KEYS:
            meta[key] = _automatic(str(key), a, b, mine.meta, theirs.meta)
        elif key == "outcome":
            meta[key] = merging.pick("outcome", a, b, record=False)
            dropped_outcome = b if meta[key] is a else a
        else:
            meta[key] = merging.pick(str(key), a, b)
    if dropped_outcome is not ABSENT:
        dropped_side = theirs.meta if meta.get("outcome") is mine.meta.get("outcome") else mine.meta
        _record_choice(meta, dropped_side, at or now_iso())
    body = _merge_bodies(mine.body, theirs.body, mine_label, theirs_label)
    body = _with_left_out(body, merging, mine_label, theirs_label)
    return Note(meta=meta, body=body, path=mine.path)


def _merge_answers(
    mine: dict[Any, Any], theirs: dict[Any, Any], merging: _Merging
) -> dict[Any, Any]:
    merged: dict[Any, Any] = {}
    for cid in _ordered_keys(mine, theirs):
        a, b = mine.get(cid, ABSENT), theirs.get(cid, ABSENT)
        if _same(a, b) or b is ABSENT:
            merged[cid] = a
        elif a is ABSENT:
            merged[cid] = b
        elif isinstance(a, dict) and isinstance(b, dict):
            questions: dict[Any, Any] = {}
            for qid in _ordered_keys(a, b):
                x, y = a.get(qid, ABSENT), b.get(qid, ABSENT)
                status = _status(x, y, blank_is_absent=True)
                if status == "same" or status == "only mine":
                    questions[qid] = x if x is not ABSENT else y
                elif status == "only theirs":
                    questions[qid] = y
                else:
                    questions[qid] = merging.pick(f"answers.{cid}.{qid}", x, y)
            merged[cid] = questions
        elif a is None or a == {}:
            merged[cid] = b
        elif b is None or b == {}:
            merged[cid] = a
        else:  # a hand edit left something other than answers here
            merged[cid] = merging.pick(f"answers.{cid}", a, b)
    return merged


def _is_history(value: Any) -> bool:
    return isinstance(value, (list, str))


def _as_list(value: Any) -> list[Any]:
    return [value] if isinstance(value, str) else list(value)


def _timestamp(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)


def _mine_first(mine: Note, theirs: Note) -> bool:
    """Whether my side's own part of a history came first: the side whose outcome changed
    earlier (by `outcome_updated`); mine when that cannot be told."""
    a = _timestamp(mine.meta.get("outcome_updated"))
    b = _timestamp(theirs.meta.get("outcome_updated"))
    return a is None or b is None or a <= b


def _history_union(mine: list[Any], theirs: list[Any], mine_first: bool) -> list[Any]:
    """Both histories in one: each side's order kept, a stretch both have once, and where
    they part, the earlier side's entries first. Entries that all carry a time (`at`,
    `when`, ...) are then put in that time's order."""
    keys_a = [_canonical(v) for v in mine]
    keys_b = [_canonical(v) for v in theirs]
    merged: list[Any] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, keys_a, keys_b, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            merged.extend(mine[i1:i2])
        else:
            parts = [mine[i1:i2], theirs[j1:j2]]
            for part in parts if mine_first else reversed(parts):
                merged.extend(part)
    for name in _TIME_FIELDS:
        if merged and all(isinstance(e, dict) and isinstance(e.get(name), str) for e in merged):
            return sorted(merged, key=lambda e: _time_key(e[name]))
    return merged


def _time_key(text: str) -> tuple[int, Any]:
    stamp = _timestamp(text)
    return (0, stamp.timestamp()) if stamp else (1, text)


def _entry_key(entry: Any) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("id"), (str, int)):
        return f"id:{entry['id']}"
    return _canonical(entry)


def _list_union(key: str, mine: list[Any], theirs: list[Any], merging: _Merging) -> list[Any]:
    """Mine, then what only theirs has; two entries with one id that differ are chosen."""
    merged = list(mine)
    at = {_entry_key(e): i for i, e in enumerate(merged)}
    for entry in theirs:
        where = _entry_key(entry)
        if where not in at:
            at[where] = len(merged)
            merged.append(entry)
        elif not _same(merged[at[where]], entry):
            merged[at[where]] = merging.pick(f"{key}.{entry['id']}", merged[at[where]], entry)
    return merged


def _mapping_union(
    key: str, mine: dict[Any, Any], theirs: dict[Any, Any], merging: _Merging
) -> dict[Any, Any]:
    merged = dict(mine)
    for name, value in theirs.items():
        if name not in merged:
            merged[name] = value
        elif not _same(merged[name], value):
            merged[name] = merging.pick(f"{key}.{name}", merged[name], value)
    return merged


def _automatic(key: str, a: Any, b: Any, mine: dict[Any, Any], theirs: dict[Any, Any]) -> Any:
    if key == "format" and isinstance(a, int) and isinstance(b, int):
        return max(a, b)
    if key in ("created", "outcome_updated"):
        x, y = _timestamp(a), _timestamp(b)
        if x is not None and y is not None:
            earlier = x <= y
            return (a if earlier else b) if key == "created" else (b if earlier else a)
        return a
    if key == "checklists" and isinstance(a, list) and isinstance(b, list):
        merged = list(a)
        at = {_entry_key(e): i for i, e in enumerate(merged)}
        for entry in b:
            where = _entry_key(entry)
            if where not in at:
                at[where] = len(merged)
                merged.append(entry)
            elif _version(entry) > _version(merged[at[where]]):
                merged[at[where]] = entry
        return merged
    return a


def _version(entry: Any) -> int:
    version = entry.get("version") if isinstance(entry, dict) else None
    return version if isinstance(version, int) and not isinstance(version, bool) else -1


def _record_choice(meta: dict[Any, Any], dropped_side: dict[Any, Any], at: str) -> None:
    """The outcome a merge kept, recorded as the note's newest outcome change (`at`, the
    time of the merge) after the other side's, which stays in the history so the season
    still counts the stage it reached (see `store.facts.outcome_history`)."""
    history = meta.get("outcome_history")
    if history is None:
        history = []
    if not isinstance(history, list):
        return  # a hand-written value that is no list: left as it is
    history = list(history)
    seen = {(e.get("outcome"), str(e.get("at"))) for e in history if isinstance(e, dict)}
    for change in outcome_history(dropped_side, str(dropped_side.get("created") or "")):
        if (change.outcome, change.at) not in seen:
            history.append({"outcome": change.outcome, "at": change.at})
            seen.add((change.outcome, change.at))
    history.sort(key=lambda e: _time_key(str(e.get("at", ""))) if isinstance(e, dict) else (0, 0))
    kept = meta.get("outcome")
    last = history[-1] if history and isinstance(history[-1], dict) else {}
    if isinstance(kept, str) and kept.strip().lower() not in (*_PENDING, last.get("outcome")):
        history.append({"outcome": kept.strip().lower(), "at": at})
        meta["outcome_updated"] = at
    meta["outcome_history"] = history


def _newline(text: str) -> str:
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _merge_bodies(mine: str, theirs: str, mine_label: str, theirs_label: str) -> str:
    """Both bodies in one: lines both have once, and where they part each side's lines
    under a heading naming it (and a heading where the shared text takes up again)."""
    if mine == theirs:
        return mine
    a, b = _LINES.findall(mine), _LINES.findall(theirs)
    newline = _newline(mine or theirs)
    out: list[str] = []

    def add(lines: list[str]) -> None:
        for line in lines:
            out.append(line if line.endswith("\n") else line + newline)

    opcodes = difflib.SequenceMatcher(
        None, _body_lines(mine), _body_lines(theirs), autojunk=False
    ).get_opcodes()
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            if number:
                out.append(f"#### In both:{newline}")
            add(a[i1:i2])
            continue
        if i2 > i1:
            out.append(f"#### From {mine_label}:{newline}")
            add(a[i1:i2])
        if j2 > j1:
            out.append(f"#### From {theirs_label}:{newline}")
            add(b[j1:j2])
    return "".join(out)


def _with_left_out(body: str, merging: _Merging, mine_label: str, theirs_label: str) -> str:
    """The body with the actor's values a choice left out written at its end, as YAML,
    under a heading per side they came from."""
    kept = {w: v for w, v in merging.left_out.items() if w.split(".", 1)[0] not in AUTOMATIC_KEYS}
    if not kept:
        return body
    newline = _newline(body)
    parts = [body if not body or body.endswith("\n") else body + newline]
    for side, label in (("mine", mine_label), ("theirs", theirs_label)):
        values: dict[str, Any] = {}
        for where, (origin, value) in kept.items():
            if origin == side:
                values[where] = value
        if values:
            text = yamlio.dump(values).replace("\n", newline)
            parts.append(
                f"{newline}#### Not kept in the merge, from {label}:{newline}"
                f"```yaml{newline}{text}```{newline}"
            )
    return "".join(parts)


# -- the merged note's file text -----------------------------------------------------------


def merged_file_text(mine_text: str, merged: Note) -> str:
    """The file text of a merged note, laid out as `mine_text` (the file of the note that
    keeps its name): its front-matter lines, comments and line endings kept, only the keys
    the merge changed or added written anew, and the merged body after them. When that
    layout cannot be kept (or would not read back as `merged`), the note as the coach
    writes a new one. AnswersError when the merged note cannot be saved (nothing is
    written: the reason says why)."""
    whole = check_savable(merged)  # raises before anything is written
    try:
        before = parse_note(mine_text)
        updates = {
            k: v
            for k, v in merged.meta.items()
            if k not in before.meta or not _same(before.meta[k], v)
        }
        if any(k not in merged.meta for k in before.meta):
            return whole  # a key the merge did not keep cannot be left in the file
        text = set_front_matter(mine_text, updates) if updates else mine_text
        body = parse_note(text).body
        text = text[: len(text) - len(body)] + merged.body
        again = parse_note(text)
    except NoteParseError:
        return whole
    if again.body != merged.body or not _same(again.meta, merged.meta):
        return whole
    return text
