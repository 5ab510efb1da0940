"""What every layout shares: the file as given (`Source`), the `Layout` each parser is,
the `SceneBuilder` that turns speeches and directions into scenes, and the cleaning of
what pages carry besides the scene (page numbers, "(MORE)", "CONTINUED:")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from callback_coach.errors import SidesError
from callback_coach.lines.scene import Direction, Element, Scene, Speech, words
from callback_coach.store.slugs import fold


@dataclass
class Source:
    """The file being imported: its name (for titles and messages) and its bytes."""

    path: Path
    data: bytes
    # Said once the file has been read (e.g. "read as Windows-1252").
    notes: list[str] = field(default_factory=list)

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def stem(self) -> str:
        return self.path.stem


class Layout:
    """One way pages are written. A subclass holding `name`, `looks_for` and `parse` is a
    new layout; `registry.register` adds it.

    A layout claims a file outright by its suffix or its first bytes (`claims`), or, when
    it is a plain-text layout (`plain_text`), competes with the other plain-text layouts:
    the one that finds the most speeches wins.
    """

    name: str = ""
    looks_for: str = ""  # shown when no layout finds a speaker
    suffixes: tuple[str, ...] = ()
    magic: bytes = b""
    plain_text: bool = False

    def claims(self, source: Source) -> bool:
        return source.suffix in self.suffixes or bool(
            self.magic and source.data.startswith(self.magic)
        )

    def parse(self, source: Source) -> list[Scene]:
        """The scenes in `source` (none when nothing here looks like this layout)."""
        return self.parse_text(decode_text(source), source.stem)

    def parse_text(self, text: str, title: str) -> list[Scene]:
        raise NotImplementedError


def speech_count(scenes: Iterable[Scene]) -> int:
    return sum(len(scene.speeches()) for scene in scenes)


def best_reading(layouts: Sequence[Layout], text: str, title: str) -> tuple[Layout, list[Scene]]:
    """The plain-text layout that finds the most speeches in `text`, with its scenes
    (ties go to the layout listed first)."""
    best: tuple[Layout, list[Scene]] | None = None
    for layout in layouts:
        scenes = layout.parse_text(text, title)
        if best is None or speech_count(scenes) > speech_count(best[1]):
            best = (layout, scenes)
    assert best is not None, "no plain-text layout is registered"
    return best


# -- text ---------------------------------------------------------------------------------

# A whole feature screenplay is under 10,000 lines; sides are a few hundred.
MAX_LINES = 30_000
# Control characters that never occur in text (tab, line feed, carriage return and form
# feed do: a page break is a form feed).
_BINARY = re.compile(b"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode_text(source: Source) -> str:
    """The text of a text file: UTF-8 (or UTF-16 with its byte-order mark); a file that
    is not UTF-8 is read as Windows-1252, the encoding of older Windows word processors
    (and said so in `source.notes`). SidesError when it is not text at all, or longer
    than MAX_LINES."""
    text = _decoded(source)
    if text.count("\n") >= MAX_LINES:
        raise SidesError(
            f"{source.path.name} has more than {MAX_LINES:,} lines: import the scene's pages"
        )
    return text


def _decoded(source: Source) -> str:
    data = source.data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _clean(data.decode("utf-16"))
        except UnicodeDecodeError:
            pass
    if _BINARY.search(data[:65536]):
        raise SidesError(
            f"{source.path.name} is not text (it holds binary data): "
            "import a .txt, .fountain or .pdf file"
        )
    try:
        return _clean(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise SidesError(
            f"{source.path.name} is neither UTF-8 nor Windows-1252 text: "
            "save it as UTF-8 text and import it again"
        ) from None
    source.notes.append(f"{source.path.name} is not UTF-8: read as Windows-1252")
    return _clean(text)


def _clean(text: str) -> str:
    """Line ends made plain, tabs made spaces (columns kept), form feeds made page breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    return "\n".join(line.expandtabs(8) for line in text.split("\n"))


# -- page furniture -----------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?\d{1,4}[a-z]?\.?(?:\s+of\s+\d{1,4})?$|^-\s*\d{1,4}\s*-$", re.I
)
_CONTINUED = re.compile(
    r"^\(?(?:more|continued|cont'?d|cont’d)\)?:?(?:\s*\(\d+\))?$|^continued:?\s*(?:\(\d+\))?$", re.I
)


def is_page_number(line: str) -> bool:
    return _PAGE_NUMBER.match(line.strip()) is not None


def is_continued_marker(line: str) -> bool:
    """ "(MORE)", "(CONTINUED)", "CONTINUED: (2)": page-break marks, never a speech."""
    return _CONTINUED.match(line.strip()) is not None


def drop_furniture(lines: list[str]) -> list[str]:
    """Lines without page-break marks, and without page numbers standing alone (between
    blank lines, or at the start or end)."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        if is_continued_marker(line):
            continue
        if is_page_number(line):
            before = index == 0 or not lines[index - 1].strip()
            after = index == len(lines) - 1 or not lines[index + 1].strip()
            if before or after:
                continue
        kept.append(line)
    return kept


# -- names --------------------------------------------------------------------------------

_TRAILING_GROUP = re.compile(r"\s*\(([^()]*)\)\s*$")
_CONT = re.compile(r"^(?:cont(?:'|’)?d|cont\.?|continuing|continued)$", re.I)
_CASED = re.compile(r"[^\W\d_]")


def split_name(cue: str) -> tuple[str, str]:
    """A character cue as (name, extension): "NINA (V.O.) (CONT'D)" is ("NINA", "V.O.");
    "(CONT'D)" is dropped, since the speech only goes on."""
    name = cue.strip()
    extensions: list[str] = []
    while True:
        found = _TRAILING_GROUP.search(name)
        if found is None or found.start() == 0:
            break
        group = found.group(1).strip()
        if group and not _CONT.match(group):
            extensions.insert(0, group.upper())
        name = name[: found.start()].rstrip()
    return " ".join(name.split()), " ".join(extensions)


def is_capitals(text: str) -> bool:
    """Letters present, and every letter that has a case is a capital."""
    letters = _CASED.findall(text)
    return (
        bool(letters)
        and all(not ch.islower() for ch in letters)
        and any(ch.isupper() for ch in letters)
    )


# -- building scenes ----------------------------------------------------------------------

_INLINE = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")


def spoken_and_directions(text: str) -> tuple[str, tuple[str, ...]]:
    """A speech's text without its parentheticals ("(quietly)", "[beat]"), and those."""
    directions = tuple(
        " ".join((m.group(1) if m.group(1) is not None else m.group(2)).split())
        for m in _INLINE.finditer(text)
    )
    spoken = " ".join(_INLINE.sub(" ", text).split())
    return spoken, tuple(d for d in directions if d)


class SceneBuilder:
    """Collects a layout's elements into scenes: a heading starts a new scene; a speech
    with no words becomes a direction; a speech right after one of the same speaker (a
    page break's "(MORE)" … "(CONT'D)") is the same speech going on."""

    def __init__(self, title: str) -> None:
        self.default_title = " ".join(title.split()) or "Scene"
        self.scenes: list[Scene] = []
        self.title: str | None = None
        self.elements: list[Element] = []
        self.joinable = True  # may the next speech go on with the last one?

    def boundary(self) -> None:
        """Something not kept (a transition, "CUT TO:") stands between two elements: the
        speeches on either side stay two speeches."""
        self.joinable = False

    def heading(self, title: str) -> None:
        self._close()
        self.title = " ".join(title.split())

    def direction(self, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        joinable, self.joinable = self.joinable, True
        if joinable and self.elements and isinstance(self.elements[-1], Direction):
            self.elements[-1] = Direction(f"{self.elements[-1].text} {text}")
        else:
            self.elements.append(Direction(text))

    def speech(
        self, cue: str, lines: Sequence[str], *, dual: bool = False, joinable: bool = True
    ) -> None:
        """A speech under `cue`; `dual` when spoken at once with the one before; not
        `joinable` when it must stay apart from the one before even if the speaker is
        the same (the first of a dual pair)."""
        speaker, extension = split_name(cue)
        joinable = joinable and self.joinable
        self.joinable = True
        spoken, directions = spoken_and_directions(" ".join(line.strip() for line in lines))
        if not words(spoken):
            shown = " ".join(f"({d})" for d in directions)
            self.direction(f"{speaker} {shown}" if shown else speaker)
            return
        last = self.elements[-1] if self.elements else None
        if (
            isinstance(last, Speech)
            and joinable
            and not dual
            and fold(last.speaker) == fold(speaker)
            and last.extension == extension
        ):
            self.elements[-1] = Speech(
                last.speaker,
                f"{last.text} {spoken}",
                last.directions + directions,
                last.extension,
                last.dual,
            )
            return
        self.elements.append(Speech(speaker, spoken, directions, extension, dual))

    def _close(self) -> None:
        # A scene without a speech (a title page, an establishing shot) has nothing to learn.
        if any(isinstance(e, Speech) for e in self.elements):
            title = self.title or self.default_title
            self.scenes.append(Scene(title=title, elements=tuple(self.elements)))
        self.elements = []

    def finish(self) -> list[Scene]:
        self._close()
        if len(self.scenes) > 1 and len({fold(s.title) for s in self.scenes}) < len(self.scenes):
            # Two scenes of the same title ("INT. KITCHEN" twice) are told apart by number.
            self.scenes = [
                Scene(f"{s.title} ({n})", s.elements) for n, s in enumerate(self.scenes, start=1)
            ]
        return self.scenes
