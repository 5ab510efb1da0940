"""Round labels and their order: audition, callback-1, callback-2, …, producers, …"""

from __future__ import annotations

import re
from functools import lru_cache

NAMED_ROUNDS = ("audition", "producers", "chemistry", "screen-test")
OUTCOMES = ("pending", "callback", "avail", "hold", "booked", "released")
_CALLBACK = re.compile(r"^callback-([1-9][0-9]{0,2})$")
_CUSTOM = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")


def normalize_round(label: str) -> str:
    """The stored form of a round label; raise ValueError for a label that cannot be one.

    Known rounds are `audition`, `callback-N`, `producers`, `chemistry`, `screen-test`.
    A custom label is up to 30 letters, digits, spaces or dashes ("table read" becomes
    `table-read`). `callback 2` and `Callback2` both become `callback-2`.
    """
    text = "-".join(label.strip().lower().replace("_", " ").split())
    match = re.fullmatch(r"callback-?([0-9]+)", text)
    if match:
        text = f"callback-{int(match.group(1))}"
    if text == "screentest":
        text = "screen-test"
    if _CALLBACK.match(text) or text in NAMED_ROUNDS:
        return text
    if _CUSTOM.match(text) and not text.startswith("callback"):
        return text
    raise ValueError(
        f"round {label!r} is not valid: use audition, callback-N, producers, chemistry, "
        "screen-test, or a short label of letters, digits and dashes"
    )


def callback_number(label: str) -> int | None:
    match = _CALLBACK.match(label)
    return int(match.group(1)) if match else None


@lru_cache(maxsize=1024)
def round_rank(label: str) -> tuple[int, int]:
    """Sort key for the usual order of rounds (custom labels sort with the named ones)."""
    if label == "audition":
        return (0, 0)
    number = callback_number(label)
    if number is not None:
        return (1, number)
    if label in NAMED_ROUNDS:
        return (2, NAMED_ROUNDS.index(label))
    return (2, len(NAMED_ROUNDS))


def next_round(rounds_so_far: list[str]) -> str:
    """The round to prepare next, given the rounds already recorded (in any order).

    No rounds yet: `callback-1` (the coach is for callbacks). Otherwise the callback after
    the highest one recorded: after `audition` comes `callback-1`, after `callback-2`
    comes `callback-3`, and after `producers` (with callback-1 and -2 done) `callback-3`.
    """
    numbers = [n for n in (callback_number(r) for r in rounds_so_far) if n is not None]
    return f"callback-{max(numbers, default=0) + 1}"
