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


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Case- and accent-insensitive form used to match role and project names."""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())
