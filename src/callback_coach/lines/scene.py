"""The scene model: speeches and stage directions in order, as plain data and back.

A `Speech` holds only the words spoken; parentheticals such as "(quietly)" are kept
apart in `directions`, and an extension such as "V.O." in `extension` ("CONT'D" is
not kept: it only says the speech goes on). A `Direction` is everything else that is
not spoken (action, a stage direction). The words of a speech as they are compared
and keyed (`words`) ignore case, accents, punctuation and spacing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from callback_coach.store.slugs import fold


@dataclass(frozen=True)
class Speech:
    """One speech: who speaks and the words they say (one line, single spaces)."""

    speaker: str
    text: str
    directions: tuple[str, ...] = ()
    extension: str = ""  # "V.O.", "O.S."…: how the speech is heard, not what is said
    dual: bool = False  # spoken at the same time as the speech before it

    def to_data(self) -> dict[str, object]:
        data: dict[str, object] = {"speaker": self.speaker, "says": self.text}
        if self.directions:
            data["directions"] = list(self.directions)
        if self.extension:
            data["extension"] = self.extension
        if self.dual:
            data["dual"] = True
        return data


@dataclass(frozen=True)
class Direction:
    """Anything in the scene that is not spoken: action, a stage direction."""

    text: str

    def to_data(self) -> dict[str, object]:
        return {"direction": self.text}


Element = Speech | Direction


@dataclass(frozen=True)
class Scene:
    """A scene: its title (a heading, or the file's name) and its elements in order."""

    title: str
    elements: tuple[Element, ...]

    def speeches(self) -> list[Speech]:
        return [e for e in self.elements if isinstance(e, Speech)]

    def speakers(self) -> list[str]:
        """Every speaking character once (alike when folded), in order of first speech."""
        seen: dict[str, str] = {}
        for speech in self.speeches():
            seen.setdefault(fold(speech.speaker), speech.speaker)
        return list(seen.values())

    def numbered(self) -> Iterator[tuple[int, Speech]]:
        """The speeches with their numbers in the scene (from 1), as `sides show` shows them."""
        return enumerate(self.speeches(), start=1)

    def to_data(self) -> list[dict[str, object]]:
        return [element.to_data() for element in self.elements]


class SceneDataError(ValueError):
    """Stored scene data that is not a scene (a hand edit gone wrong)."""


def scene_from_data(title: str, items: object) -> Scene:
    """A Scene from the list `Scene.to_data` wrote (or a person edited): SceneDataError
    names the first item that is neither a speech nor a direction."""
    if not isinstance(items, list):
        raise SceneDataError("`script` is not a list of speeches and directions")
    elements: list[Element] = []
    for index, item in enumerate(items, start=1):
        elements.append(_element(item, index))
    return Scene(title=title, elements=tuple(elements))


def _element(item: object, index: int) -> Element:
    if isinstance(item, Mapping) and isinstance(item.get("direction"), str):
        return Direction(item["direction"])
    if isinstance(item, Mapping) and _is_text(item.get("speaker")) and _is_text(item.get("says")):
        directions = item.get("directions", [])
        extension = item.get("extension", "")
        if not (
            isinstance(directions, list)
            and all(isinstance(d, str) for d in directions)
            and isinstance(extension, str)
        ):
            raise SceneDataError(f"item {index} of `script` has a malformed directions/extension")
        return Speech(
            speaker=item["speaker"],
            text=" ".join(item["says"].split()),
            directions=tuple(directions),
            extension=extension,
            dual=item.get("dual") is True,
        )
    raise SceneDataError(
        f"item {index} of `script` is neither `direction: TEXT` nor `speaker:` with `says:`"
    )


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


# -- words, as lines are compared ---------------------------------------------------------

# Between words even without spaces around them: dashes, an ellipsis, a slash.
_BETWEEN_WORDS = re.compile("[\u2012-\u2015\u2026/]|--|\\.\\.\\.")


def tokens(text: str) -> list[tuple[str, str]]:
    """The words of `text` as (shown, compared) pairs: `shown` as written (punctuation
    kept), `compared` folded (case and accents gone) with only letters and digits left.
    Pure punctuation ("—", "!") is no word."""
    pairs = []
    for piece in _BETWEEN_WORDS.sub(lambda m: f"{m.group()} ", text).split():
        compared = "".join(
            ch for ch in fold(piece) if unicodedata.category(ch)[0] in "LN" and ch.isprintable()
        )
        if compared:
            pairs.append((piece, compared))
    return pairs


def words(text: str) -> list[str]:
    """The words of `text` as they are compared: `tokens`' folded forms."""
    return [compared for _, compared in tokens(text)]


def line_keys(speeches: Sequence[Speech]) -> list[str]:
    """A key for each speech's words, stable while the words stay the same: a speech
    whose words did not change keeps its key (and its progress) through a re-import.
    The same words said twice get `~2`, `~3` after the first key."""
    keys = []
    seen: dict[str, int] = {}
    for speech in speeches:
        digest = hashlib.sha256(" ".join(words(speech.text)).encode("utf-8")).hexdigest()[:12]
        seen[digest] = seen.get(digest, 0) + 1
        keys.append(digest if seen[digest] == 1 else f"{digest}~{seen[digest]}")
    return keys
