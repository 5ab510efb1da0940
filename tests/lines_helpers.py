"""Sides written for these tests (no one else's pages), in every layout the coach reads,
the speeches each must give, and a small PDF writer to make PDFs of them."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from callback_coach.lines.scene import Scene

# The same two scenes in each layout. Screenplay: a heading, action, a parenthetical,
# (CONT'D) after action, a transition, (V.O.), a speech broken by a page break with
# (MORE) and the page number, and dual dialogue.
SCREENPLAY = """\
INT. BOATHOUSE BY THE LAKE - NIGHT

Rain on the roof. ZOE, soaked, stands in the doorway.

                    ZOE
          You said eight o'clock.

                    MAX
          (not looking up)
          I said eight-ish. There's a
          difference.

                    ZOE
          Not to me. Not tonight.

She drops her bag on the workbench.

                    ZOE (CONT'D)
          Did you even read my letter?

                                              CUT TO:

EXT. JETTY - LATER

                    MAX (V.O.)
          I read it twice.
                    (MORE)
\f                                                            2.

                    MAX (V.O.) (CONT'D)
          Then I burned it.

          ZOE                         MAX
    Then go home.                Then stay.

                    ZOE
          (quietly)
          I can't.
"""

STAGE = """\
SCENE ONE

(A boathouse by the lake. Night. Rain on the roof. ZOE, soaked, stands in the doorway.)

ZOE. You said eight o'clock.
MAX (not looking up). I said eight-ish. There's a
difference.
ZOE: Not to me. Not tonight.
(She drops her bag on the workbench.)
ZOE. Did you even read my letter?

SCENE TWO

(The jetty, later.)

MAX (offstage): I read it twice. Then I burned it.
ZOE. Then go home.
MAX. Then stay.
ZOE. (quietly) I can't.
"""

FOUNTAIN = """\
Title: The Boathouse
Author: the callback-coach tests

INT. BOATHOUSE BY THE LAKE - NIGHT

Rain on the roof. ZOE, soaked, stands in the doorway.

ZOE
You said eight o'clock.

MAX
(not looking up)
I said *eight-ish*. There's a difference.

ZOE
Not to me. Not tonight. [[she means it]]

She drops her bag on the workbench.

ZOE (CONT'D)
Did you even read my letter?

> CUT TO:

.EXT. JETTY - LATER #2#

/* A cut exchange:
MAX
Never.
*/

MAX (V.O.)
I read it twice. Then I burned it.

ZOE
Then go home.

MAX ^
Then stay.

ZOE
(quietly)
I can't.
"""

SPEECHES = [
    ("ZOE", "You said eight o'clock."),
    ("MAX", "I said eight-ish. There's a difference."),
    ("ZOE", "Not to me. Not tonight."),
    ("ZOE", "Did you even read my letter?"),
    ("MAX", "I read it twice. Then I burned it."),
    ("ZOE", "Then go home."),
    ("MAX", "Then stay."),
    ("ZOE", "I can't."),
]
ZOE_LINES = [text for speaker, text in SPEECHES if speaker == "ZOE"]


def speeches(scenes: Iterable[Scene]) -> list[tuple[str, str]]:
    return [(s.speaker, s.text) for scene in scenes for s in scene.speeches()]


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


# -- PDFs ---------------------------------------------------------------------------------

_RUN = re.compile(r"\S+(?: {1,2}\S+)*")
HEADER = "ZOE & MAX - BLUE PAGES 12/01"


def pdf_pages_of(
    text: str, *, header: str | None = HEADER, numbers: bool = True
) -> list[list[str]]:
    """The lines of each page: a form feed starts a page; each page gets a header line
    and, at its foot, its page number (as printed sides have)."""
    pages = []
    for number, page in enumerate(text.split("\f"), start=1):
        lines = page.split("\n")
        if header is not None:
            lines = [header, "", *lines]
        if numbers:
            lines += ["", f"{'':>60}{number}."]
        pages.append(lines)
    return pages


def pdf_of_pages(pages: Sequence[Sequence[str]], *, image_only: bool = False) -> bytes:
    """A PDF (1.4) holding each page's lines in Courier, placed where their columns are
    (as a screenplay program places them); with `image_only`, pages holding a picture
    and no text, as a scanner makes them."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>")
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    )
    contents = []
    for lines in pages:
        if image_only:
            stream = b"q 400 0 0 500 100 150 cm /Im1 Do Q"
        else:
            ops = [b"BT", b"/F1 12 Tf"]
            y = 760
            for line in lines:
                for run in _RUN.finditer(line):
                    data = run.group().encode("cp1252")
                    data = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
                    ops.append(b"1 0 0 1 %.1f %d Tm (%s) Tj" % (36 + run.start() * 7.2, y, data))
                y -= 14
            ops.append(b"ET")
            stream = b"\n".join(ops)
        contents.append(add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)))
    parent = len(objects) + len(pages) + 1
    kids = [
        add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << "
            b"/F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>"
            % (parent, font, image, content)
        )
        for content in contents
    ]
    refs = b" ".join(b"%d 0 R" % kid for kid in kids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))) == parent
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % parent)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


def encrypted(pdf: bytes, *, user_password: str, owner_password: str = "owner") -> bytes:
    """`pdf` encrypted (RC4, which pypdf writes without an extra library)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password, owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
