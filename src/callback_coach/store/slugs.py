"""Safe file-name pieces from anything a user types (any Unicode, any length)."""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

# In UTF-8 bytes: file names are limited to 255 bytes and a note's name joins several slugs.
MAX_SLUG_BYTES = 48


def slugify(text: str, *, fallback: str = "x") -> str:
    """A lower-case file-name piece: Unicode letters and digits joined by '-'.

    Separators, dots and slashes never survive, so the result cannot leave a folder.
    Text with no letters or digits (emoji, punctuation) becomes `fallback` plus a short
    hash of the text, so different names still get different slugs.
    """
    normal = unicodedata.normalize("NFKC", text).casefold()
    pieces: list[str] = []
    current: list[str] = []
    for ch in normal:
        if ch.isalnum() and ch.isprintable():
            current.append(ch)
        elif current:
            pieces.append("".join(current))
            current = []
    if current:
        pieces.append("".join(current))
    slug = "-".join(pieces)
    if len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:6]
        while len(slug.encode("utf-8")) > MAX_SLUG_BYTES - 7:
            slug = slug[:-1]
        slug = slug.rstrip("-") + "-" + digest
    if not slug:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{fallback}-{digest}"
    return slug


# Letters with no decomposition into a base letter and an accent, as a person would type
# them on a keyboard without that letter (keys are lower case: folding lower-cases first).
LETTERS_WITHOUT_ACCENTS = {
    "ł": "l",  # Łukasz
    "ø": "o",  # Søren
    "æ": "ae",
    "œ": "oe",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",  # dotless i
    "ħ": "h",
    "ŧ": "t",
    "ŋ": "ng",
    "ĸ": "k",
    "ƒ": "f",
    "ɨ": "i",
    "ʉ": "u",
}
_PLAIN_LETTERS = str.maketrans(LETTERS_WITHOUT_ACCENTS)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Case- and accent-insensitive form used to match role and project names.

    `Zoë`, `ZOE` and `zoe` fold alike, and so do letters that carry no separable accent:
    `Łukasz`/`Lukasz`, `Søren`/`Soren`, `Straße`/`strasse`, `Æsir`/`aesir`. Runs of
    whitespace count as one space. Folding a folded text changes nothing.
    """
    if text.isascii():
        return " ".join(text.lower().split())
    # Compatibility forms first (so `ℌ` is an `H` before it is lower-cased), then case,
    # then the letters above, then the accents that decomposing set apart.
    text = unicodedata.normalize("NFKD", text).casefold().translate(_PLAIN_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def search_fold(text: str) -> str:
    """Text as `coach search` compares it: case and accents ignored (`ete` finds `été`,
    `lukasz` finds `Łukasz`), every other character kept where it is (line breaks, spaces:
    unlike `fold`)."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text).casefold().translate(_PLAIN_LETTERS)
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    return search_fold(ch)


def search_spans(line: str, needle: str) -> list[tuple[int, int]]:
    """Where `needle` is in `line` as `search_fold` compares them: (start, end) of each
    match in `line` itself, so the actor's own spelling can be highlighted."""
    key = search_fold(needle)
    if not key:
        return []
    folded: list[str] = []
    owner: list[int] = []  # the index in `line` of each character of the folded text
    for number, ch in enumerate(line):
        piece = _fold_char(ch)
        folded.append(piece)
        owner.extend([number] * len(piece))
    flat = "".join(folded)
    spans = []
    at = flat.find(key)
    while at >= 0:
        spans.append((owner[at], owner[at + len(key) - 1] + 1))
        at = flat.find(key, at + len(key))
    return spans
