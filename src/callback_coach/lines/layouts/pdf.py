"""PDF sides with a text layer (`pypdf`, imported only here, only when a PDF is read).

The text of each page is taken with its layout (so dual dialogue stays in two columns),
the page's furniture is dropped (a header or footer line repeated on several pages, a
page number, "(MORE)", "CONTINUED:"), and the pages are then read as plain text by the
layout that finds the most speeches. A PDF with no text (a scan) or a password says so.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence

from callback_coach.errors import SidesError
from callback_coach.lines.layouts.common import Layout, Source, best_reading, is_page_number
from callback_coach.lines.layouts.screenplay import is_cue
from callback_coach.lines.scene import Scene

MAX_PAGES = 500
# Lines at the top or bottom of a page that may be a header or a footer.
EDGE_LINES = 2
_DIGITS = re.compile(r"\d+")


class Pdf(Layout):
    name = "PDF"
    looks_for = "a PDF's text layer, read as a screenplay or a stage play"
    suffixes = (".pdf",)
    magic = b"%PDF-"

    def __init__(self, text_layouts: Callable[[], Sequence[Layout]]) -> None:
        self.text_layouts = text_layouts  # the plain-text layouts, asked when a PDF is read

    def parse(self, source: Source) -> list[Scene]:
        pages = page_texts(source)
        text = "\n\n".join("\n".join(page) for page in without_furniture(pages))
        if not any(ch.isalpha() for ch in text):
            raise SidesError(
                f"{source.path.name} has no text layer (a scanned page is only a picture): "
                "paste the scene into a .txt file and import that"
            )
        _, scenes = best_reading(self.text_layouts(), text, source.stem)
        return scenes


def page_texts(source: Source) -> list[list[str]]:
    """Each page's lines, as laid out; SidesError for a PDF that cannot be read."""
    from pypdf import PdfReader  # the PDF library: only when a PDF is imported
    from pypdf.errors import PdfReadError

    name = source.path.name
    # pypdf reports what it repairs through `logging`; the coach says what matters itself.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(source.data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise SidesError(
                f"{name} is encrypted (it needs a password): open it, save or print an "
                "unlocked copy, or paste its text into a .txt file, and import that"
            )
        if len(reader.pages) > MAX_PAGES:
            raise SidesError(f"{name} has more than {MAX_PAGES} pages: import the scene's pages")
        return [_lines(page.extract_text(extraction_mode="layout")) for page in reader.pages]
    except SidesError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, AttributeError, OSError):
        raise SidesError(
            f"{name} cannot be read as a PDF (it is damaged or not a PDF): "
            "paste the scene into a .txt file and import that"
        ) from None
    except RecursionError:
        raise SidesError(f"{name} is a PDF too deeply nested to read") from None


def _opens_without_password(reader: object) -> bool:
    """True when an encrypted PDF opens with the empty password (many PDFs are encrypted
    only to forbid printing or copying, which the text layer does not need)."""
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # a cipher pypdf cannot open without an extra library
        return False


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


def without_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Pages without their headers and footers: a line near the top or bottom of a page
    that is a page number, or that comes back (numbers aside) on at least half the pages
    and is not a character's cue (a speech going on over a page break starts pages too)."""
    edges = [_edges(page) for page in pages]
    seen = Counter(key for page in edges for key in {_shape(page_line) for _, page_line in page})
    enough = max(2, (len(pages) + 1) // 2)
    cleaned = []
    for page, edge in zip(pages, edges, strict=True):
        drop = {
            index
            for index, line in edge
            if is_page_number(line)
            or (len(pages) > 1 and seen[_shape(line)] >= enough and not is_cue(line))
        }
        cleaned.append([line for index, line in enumerate(page) if index not in drop])
    return cleaned


def _edges(page: list[str]) -> list[tuple[int, str]]:
    filled = [(index, line) for index, line in enumerate(page) if line.strip()]
    return filled[:EDGE_LINES] + filled[EDGE_LINES:][-EDGE_LINES:]


def _shape(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()).lower())
