"""Two notes merged into one (`merge`), and the merged note's file text
(`merged_file_text`). Pure: notes and texts in, a note and a text out (the notes folder
is read and written by `store.conflict_copies`; comparing is `store.conflicts`).

`merge` makes one note of two: an answer given on one side only is kept, answers that
differ are chosen one by one (`choose`), the outcome history and the follow-ups are
unions, and both bodies are kept where they differ. Nothing is dropped without a choice,
and what a choice drops from the actor's own words is still written at the end of the
body, so a hurried `--keep mine` never loses a line.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeGuard

from callback_coach.store import yamlio
from callback_coach.store.conflicts import (
    ABSENT,
    AUTOMATIC_KEYS,
    HISTORY_KEYS,
    LINES,
    UNION_KEYS,
    Choose,
    Side,
    body_lines,
    canonical,
    ordered_keys,
    same_value,
    status_of,
)
from callback_coach.store.facts import NO_OUTCOME, OutcomeChange, outcome_history
from callback_coach.store.frontmatter import set_front_matter
from callback_coach.store.notes import Note, NoteParseError, check_savable, now_iso, parse_note


@dataclass
class _Merging:
    """What one merge has decided so far (the values a choice left out, for the body)."""

    choose: Choose
    mine_label: str
    theirs_label: str
    left_out: dict[str, tuple[Side, object]] = field(default_factory=dict)

    def side(self, where: str, mine: object, theirs: object) -> Side:
        """The side `choose` keeps (ValueError when it answers anything else)."""
        side = self.choose(where, mine, theirs)
        if side not in ("mine", "theirs"):
            raise ValueError(f"choose must return 'mine' or 'theirs', not {side!r}")
        return side

    def pick(self, where: str, mine: object, theirs: object) -> object:
        """The value `choose` keeps; the other is kept for the end of the body."""
        side = self.side(where, mine, theirs)
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
      `created`, the later `outcome_updated` (the time of the outcome kept);
    - `outcome_history`: every change of both sides once, in time order (a change
      without a time first); `earlier_outcomes` (older notes, outcomes without times):
      both sides' in one, each side's order kept, a stretch both have once; never added to;
    - `outcome`: chosen like an answer. The one not kept stays in `outcome_history` (a
      side whose `outcome` its history did not record yet adds it, at its
      `outcome_updated`, as `store.facts.outcome_history` reads it), so the season still
      counts the stage it reached; the one kept, unless it is the newest change already,
      is recorded as the newest, at `at` (default now; never before a change already
      there, so another device's clock running ahead cannot make it older), which
      becomes `outcome_updated`;
    - `follow_ups` and `follow_ups_done`: a union without duplicates (an entry by its
      `id`; two entries with one id that differ are chosen);
    - the body: the shared part once, each side's differing part under a short heading
      naming its side (`mine_label`, `theirs_label`); no line of either is dropped;
    - any answer or key of the actor's a choice left out is written at the end of the body
      under a heading, as YAML (the coach's own bookkeeping is not).

    A note merged with an identical note is returned unchanged, without asking.
    """
    merging = _Merging(choose, mine_label, theirs_label)
    meta: dict[str, object] = {}
    dropped_side: Mapping[str, object] | None = None
    for key in ordered_keys(mine.meta, theirs.meta):
        a, b = mine.meta.get(key, ABSENT), theirs.meta.get(key, ABSENT)
        if same_value(a, b) or b is ABSENT:
            meta[key] = a
        elif a is ABSENT:
            meta[key] = b
        elif key == "answers" and isinstance(a, dict) and isinstance(b, dict):
            meta[key] = _merge_answers(a, b, merging)
        elif key == "outcome_history" and _is_history(a) and _is_history(b):
            meta[key] = _changes_union(_as_list(a), _as_list(b))
        elif key in HISTORY_KEYS and _is_history(a) and _is_history(b):
            meta[key] = _history_union(_as_list(a), _as_list(b), _mine_first(mine, theirs))
        elif key in UNION_KEYS and isinstance(a, list) and isinstance(b, list):
            meta[key] = _list_union(str(key), a, b, merging)
        elif key in UNION_KEYS and isinstance(a, dict) and isinstance(b, dict):
            meta[key] = _mapping_union(str(key), a, b, merging)
        elif key in AUTOMATIC_KEYS:
            meta[key] = _automatic(str(key), a, b)
        elif key == "outcome":  # not kept: stays in the history, not in the body
            side = merging.side("outcome", a, b)
            meta[key], dropped_side = (a, theirs.meta) if side == "mine" else (b, mine.meta)
        else:
            meta[key] = merging.pick(str(key), a, b)
    if dropped_side is not None:
        _record_choice(meta, dropped_side, at or now_iso())
    body = _merge_bodies(mine.body, theirs.body, mine_label, theirs_label)
    body = _with_left_out(body, merging, mine_label, theirs_label)
    return Note(meta=meta, body=body, path=mine.path)


def _merge_answers(
    mine: Mapping[object, object], theirs: Mapping[object, object], merging: _Merging
) -> dict[object, object]:
    merged: dict[object, object] = {}
    for cid in ordered_keys(mine, theirs):
        a, b = mine.get(cid, ABSENT), theirs.get(cid, ABSENT)
        if same_value(a, b) or b is ABSENT:
            merged[cid] = a
        elif a is ABSENT:
            merged[cid] = b
        elif isinstance(a, dict) and isinstance(b, dict):
            questions: dict[object, object] = {}
            for qid in ordered_keys(a, b):
                x, y = a.get(qid, ABSENT), b.get(qid, ABSENT)
                status = status_of(x, y, blank_is_absent=True)
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


def _is_history(value: object) -> TypeGuard[list[object] | str]:
    return isinstance(value, (list, str))


def _as_list(value: list[object] | str) -> list[object]:
    return [value] if isinstance(value, str) else list(value)


def _timestamp(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)


def _moment(value: object) -> float:
    """An ISO time in seconds, for ordering (times written with different UTC offsets
    compare by the instant, as `core.rounds` orders outcome changes); -inf for no time."""
    stamp = _timestamp(value)
    return stamp.timestamp() if stamp is not None else float("-inf")


def _field(entry: object, key: str) -> object:
    """The value of `key` in a list's entry (an `outcome_history` change, a follow-up);
    None when the entry is no mapping or has none."""
    return entry.get(key) if isinstance(entry, dict) else None


def _when(entry: object) -> float:
    """When an `outcome_history` entry was recorded (`_moment` of its `at`)."""
    return _moment(_field(entry, "at"))


def _mine_first(mine: Note, theirs: Note) -> bool:
    """Whether my side's own part of a history came first: the side whose outcome changed
    earlier (by `outcome_updated`); mine when that cannot be told."""
    a = _timestamp(mine.meta.get("outcome_updated"))
    b = _timestamp(theirs.meta.get("outcome_updated"))
    return a is None or b is None or a <= b


def _history_union(mine: list[object], theirs: list[object], mine_first: bool) -> list[object]:
    """Both histories in one (an older note's `earlier_outcomes`: outcomes without
    times): each side's order kept, a stretch both have once, and where they part, the
    earlier side's entries first."""
    keys_a = [canonical(v) for v in mine]
    keys_b = [canonical(v) for v in theirs]
    merged: list[object] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, keys_a, keys_b, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            merged.extend(mine[i1:i2])
        else:
            parts = [mine[i1:i2], theirs[j1:j2]]
            for part in parts if mine_first else reversed(parts):
                merged.extend(part)
    return merged


def _changes_union(mine: list[object], theirs: list[object]) -> list[object]:
    """Two `outcome_history` lists in one: every entry of either, each once, in time
    order (an entry without a time first; entries of one time in the order found, mine
    first)."""
    merged: list[object] = []
    seen: set[str] = set()
    for entry in [*mine, *theirs]:
        key = canonical(entry)
        if key not in seen:
            seen.add(key)
            merged.append(entry)
    return sorted(merged, key=_when)


def _entry_key(entry: object) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("id"), (str, int)):
        return f"id:{entry['id']}"
    return canonical(entry)


def _list_union(
    key: str, mine: list[object], theirs: list[object], merging: _Merging
) -> list[object]:
    """Mine, then what only theirs has; two entries with one id that differ are chosen."""
    merged = list(mine)
    at = {_entry_key(e): i for i, e in enumerate(merged)}
    for entry in theirs:
        where = _entry_key(entry)
        if where not in at:
            at[where] = len(merged)
            merged.append(entry)
        elif not same_value(merged[at[where]], entry):
            # One `id` (`_entry_key`): both are mappings with that id.
            merged[at[where]] = merging.pick(
                f"{key}.{_field(entry, 'id')}", merged[at[where]], entry
            )
    return merged


def _mapping_union(
    key: str, mine: Mapping[object, object], theirs: Mapping[object, object], merging: _Merging
) -> dict[object, object]:
    merged = dict(mine)
    for name, value in theirs.items():
        if name not in merged:
            merged[name] = value
        elif not same_value(merged[name], value):
            merged[name] = merging.pick(f"{key}.{name}", merged[name], value)
    return merged


def _automatic(key: str, a: object, b: object) -> object:
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


def _version(entry: object) -> int:
    version = entry.get("version") if isinstance(entry, dict) else None
    return version if isinstance(version, int) and not isinstance(version, bool) else -1


def _record_choice(meta: dict[str, object], dropped_side: Mapping[str, object], at: str) -> None:
    """After a choice between two outcomes: the one not kept (the current outcome of
    `dropped_side`) in `outcome_history`, so the season still counts the stage it reached,
    and the one kept recorded as the newest change (`_as_newest`), unless it is already."""
    history = meta.get("outcome_history")
    if history is None:
        history = []
    if not isinstance(history, list):
        return  # a hand-written value that is no list: left as it is
    # The dropped side's current outcome is its last change; when its history did not
    # record it, it is added at its `outcome_updated` (as `outcome_history` reads it).
    changes = outcome_history(dropped_side, str(dropped_side.get("created") or ""))
    dropped = changes[-1] if changes else None
    if (
        dropped is not None
        and dropped.outcome not in NO_OUTCOME
        and not any(_records(entry, dropped) for entry in history)
    ):
        history = [*history, {"outcome": dropped.outcome, "at": dropped.at}]
    history = sorted(history, key=_when)
    kept = meta.get("outcome")
    if kept is None or isinstance(kept, str):
        kept_text = (kept or "").strip().lower() or "pending"
        last = history[-1] if history else None
        newest = _outcome_text(last.get("outcome")) if isinstance(last, dict) else None
        if kept_text != newest and (history or kept_text != "pending"):
            meta["outcome_updated"] = _as_newest(history, kept_text, at)
    if history or "outcome_history" in meta:
        meta["outcome_history"] = history


def _as_newest(history: list[object], outcome: str, at: str) -> str:
    """Record `outcome` as the newest change of `history` (in time order; changed in
    place), and give the time it is recorded at.

    That is `at`, unless the latest change there is as late or later (another device's
    clock ahead, or the same second): then its time, and an entry of `outcome` already
    at that time moves last instead of being written twice. A round's outcome is its
    newest change by time, changes of one time in the order written (`core.rounds`)."""
    latest = _when(history[-1]) if history else float("-inf")
    if latest > float("-inf") and latest >= _moment(at):
        for number in range(len(history) - 1, -1, -1):
            entry = history[number]
            if _when(entry) != latest:
                break
            # A change with a time (`_when`): a mapping with its `at`.
            if _outcome_text(_field(entry, "outcome")) == outcome:
                history.append(history.pop(number))
                return str(_field(entry, "at")).strip()
        at = str(_field(history[-1], "at")).strip()
    history.append({"outcome": outcome, "at": at})
    return at


def _records(entry: object, change: OutcomeChange) -> bool:
    """Whether an `outcome_history` entry is `change`."""
    if not isinstance(entry, dict):
        return False
    when = entry.get("at")
    return _outcome_text(entry.get("outcome")) == change.outcome and (
        (when.strip() if isinstance(when, str) else "") == change.at
    )


def _outcome_text(value: object) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


def _newline(text: str) -> str:
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _merge_bodies(mine: str, theirs: str, mine_label: str, theirs_label: str) -> str:
    """Both bodies in one: lines both have once, and where they part each side's lines
    under a heading naming it (and a heading where the shared text takes up again)."""
    if mine == theirs:
        return mine
    a, b = LINES.findall(mine), LINES.findall(theirs)
    newline = _newline(mine or theirs)
    out: list[str] = []

    def add(lines: list[str]) -> None:
        for line in lines:
            out.append(line if line.endswith("\n") else line + newline)

    opcodes = difflib.SequenceMatcher(
        None, body_lines(mine), body_lines(theirs), autojunk=False
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
        values: dict[str, object] = {}
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
            if k not in before.meta or not same_value(before.meta[k], v)
        }
        if any(k not in merged.meta for k in before.meta):
            return whole  # a key the merge did not keep cannot be left in the file
        text = set_front_matter(mine_text, updates) if updates else mine_text
        body = parse_note(text).body
        text = text[: len(text) - len(body)] + merged.body
        again = parse_note(text)
    except NoteParseError:
        return whole
    if again.body != merged.body or not same_value(again.meta, merged.meta):
        return whole
    return text
