"""Changing a saved note's front matter in place: only the keys changed differ, every
other byte (the actor's comments, line endings, a byte-order mark, the body) is kept."""

from __future__ import annotations

import re
from collections.abc import Mapping

from callback_coach.store import yamldump, yamlio
from callback_coach.store.notes import _CLOSING, NoteParseError, parse_note

# A line of a note with its own ending: only "\n" ends a line ("\r\n" keeps its "\r").
# str.splitlines would also split at "\r", "\x0b", "\x85", "\u2028" and others.
_LINES = re.compile(r"[^\n]*\n|[^\n]+")


def _line_ending(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\n"


def _is_continuation(line: str) -> bool:
    """True for a line that belongs to the key above it (indented, or a `- ` list item)."""
    return line[:1] in (" ", "\t") or line.startswith("- ") or line.rstrip("\r\n") == "-"


def _is_blank(line: str) -> bool:
    return not line.strip(" \t\r\n")


def _is_document_end(line: str) -> bool:
    return line.rstrip(" \t\r\n") == "..."


def set_front_matter(text: str, updates: Mapping[str, object]) -> str:
    """`text` with top-level front-matter keys set, every other byte kept as it was.

    An existing `key:` line (with any indented continuation lines) is replaced in place;
    a new key goes just before the closing `---`. Each line written ends like the file's
    first line (`\r\n` or `\n`); every other line keeps its own ending, and a byte-order
    mark stays. The result is checked by parsing it again: if anything but those keys
    would change, NoteParseError is raised instead.
    """
    before = parse_note(text)
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body_text = text[len(bom) :]
    first_end = body_text.find("\n") + 1
    closing = _CLOSING.search(body_text, first_end)
    assert closing is not None  # parse_note succeeded
    head = body_text[:first_end]
    front_lines = _LINES.findall(body_text[first_end : closing.start()])
    rest = body_text[closing.start() :]
    newline = _line_ending(head)
    for key, value in updates.items():
        rendered = yamldump.dump({key: value}).rstrip("\n").replace("\n", newline) + newline
        start = next(
            (i for i, line in enumerate(front_lines) if re.match(rf"{re.escape(key)}\s*:", line)),
            None,
        )
        if start is None:
            # Before a closing `...` (YAML writes one after text ending in blank lines).
            at = len(front_lines)
            if at and _is_document_end(front_lines[-1]):
                at -= 1
            front_lines.insert(at, rendered)
            continue
        end = start + 1
        probe = end
        # Continuation lines, and blank lines between them (a literal block keeps those).
        while probe < len(front_lines) and (
            _is_continuation(front_lines[probe]) or _is_blank(front_lines[probe])
        ):
            probe += 1
            if _is_continuation(front_lines[probe - 1]):
                end = probe
        replaced = [rendered]
        comment = _line_comment(front_lines[start]) if end == start + 1 else None
        if comment is not None and "\n" not in rendered.rstrip("\r\n"):
            # `outcome: hold  # my agent said so`: the comment is the actor's; it stays.
            replaced = [rendered.rstrip("\r\n") + comment + newline]
        front_lines[start:end] = replaced
    new_text = bom + head + "".join(front_lines) + rest
    after = parse_note(new_text)
    expected = dict(before.meta)
    expected.update(updates)
    if after.meta != expected or after.body != before.body:
        raise NoteParseError("the front matter is laid out in a way the coach cannot update safely")
    return new_text


# A comment at the end of a `key: value` line (a space, then `#`), and its spacing.
_COMMENT = re.compile(r"\S(\s+#[^\r\n]*)\r?\n?$")


def _line_comment(line: str) -> str | None:
    """The comment ending a one-line `key: value` (with the spaces before it), or None:
    a `#` inside a quoted value is not one (the line reads the same without it)."""
    found = _COMMENT.search(line)
    if found is None:
        return None
    try:
        whole = yamlio.load(line).value
        without = yamlio.load(line[: found.start(1)]).value
    except yamlio.ReadError:
        return None
    return found.group(1) if whole == without else None
