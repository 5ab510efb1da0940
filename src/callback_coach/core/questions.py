"""Questions and their types: one class per type, holding everything that type does.

A type reads its own keys of a checklist file (`read_spec`: the choices of a select, the
range of a scale), checks an answer (`check`), reads one typed on the command line
(`from_text`), asks it through the terminal's prompts (`ask`, given the few kinds of
prompt the CLI draws: `Prompts`), describes itself in a listing (`describe`), prints as a
blank cell of the paper worksheet (`worksheet`), and says how long an answer takes
(`seconds`). A new type is one class here, added to `TYPES`, and its tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from callback_coach.store import yamlio
from callback_coach.store.facts import Json

# Every character that starts a new line for Python's str.splitlines, YAML, or an editor:
# \n, \r, \v, \f, the file/group/record separators, NEL, and the Unicode line and
# paragraph separators.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# A scale is 1–5 unless its question says otherwise.
SCALE_LOW, SCALE_HIGH = 1, 5
# `todo_if: empty`: a blank answer makes the to-do.
EMPTY = "empty"
# What a "not yet" can lead to: a breathing round now, a two-note drill, the last round's
# panel, or the question it relies on (`relies_on`) asked again.
OFFERS = ("breathe", "drill", "last-round", "question")


# A checked answer (`QuestionType.check` gives one; a note keeps it): text, a whole number
# (a scale), yes/no, the choices ticked (a multiselect), or None (not answered).
Answer = str | int | bool | list[str] | None
# A question's default, kept frozen (the choices ticked of a multiselect as a tuple).
Default = str | int | bool | tuple[str, ...] | None


def has_line_break(text: str) -> bool:
    """True when `text` holds anything a reader could take as the start of a new line."""
    return _LINE_BREAK.search(text) is not None


@dataclass(frozen=True)
class Question:
    """One question of a checklist."""

    id: str
    prompt: str
    type: str = "text"
    help: str | None = None
    choices: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    default: Default = None
    required: bool = False
    # Carry-over: "CHECKLIST.QUESTION" of an earlier round whose answer becomes this
    # question's default when the next round is prepared.
    recall: tuple[str, ...] = ()
    # Asked instead of `prompt` when the role has no earlier round (the first callback).
    first_prompt: str | None = None
    # The slot of the waiting-room card this answer fills (one of CARD_SLOTS).
    card: str | None = None
    # Part of the quick path (`coach prep --quick`).
    quick: bool = False
    # Asked only when an earlier answer (or a carried detail) with this id has (`=`) or
    # has not (`!=`) this value, e.g. ("medium", "=", "self-tape").
    when: tuple[str, str, str] | None = None
    # In a closing check: the checklist to go back to when the answer is "not yet".
    revisit: str | None = None
    # Follow-through. The answer that makes a to-do (`todo_if`: yes/no as True/False, a
    # choice, or "empty" for a blank answer) and the to-do's words (`todo`).
    todo_if: bool | str | None = None
    todo: str | None = None
    # What a "not yet" (the answer `todo_if` names, else no) leads to: one of OFFERS.
    offer: str | None = None
    # The earlier answers this question reads ("CHECKLIST.QUESTION"): shown with it, and
    # an empty one is offered to be filled instead of taking a yes.
    relies_on: tuple[str, ...] = ()

    def leads_to_todo(self, value: object) -> bool:
        """True when `value` (this question's answer) is the one that makes its to-do."""
        if self.todo_if is None:
            return False
        if self.todo_if == EMPTY:
            return value is None or (isinstance(value, (str, list)) and not value)
        if isinstance(value, list):
            return self.todo_if in value
        return bool(value == self.todo_if and type(value) is type(self.todo_if))

    def says_not_yet(self, value: object) -> bool:
        """True when `value` is the answer its `offer` follows: its `todo_if` answer, else
        a no."""
        if self.todo_if is not None:
            return self.leads_to_todo(value)
        return value is False

    @property
    def kind(self) -> QuestionType:
        """The question's type (`TYPES`); a question of an unknown type is text."""
        return TYPES.get(self.type, TYPES["text"])

    @property
    def low(self) -> int:
        return SCALE_LOW if self.min is None else self.min

    @property
    def high(self) -> int:
        return SCALE_HIGH if self.max is None else self.max

    def to_dict(self) -> dict[str, Json]:
        """The question as it is written in a checklist file (only keys that are set)."""
        data: dict[str, Json] = {"id": self.id, "prompt": self.prompt, "type": self.type}
        if self.help:
            data["help"] = self.help
        if self.choices:
            data["choices"] = list(self.choices)
        if self.min is not None:
            data["min"] = self.min
        if self.max is not None:
            data["max"] = self.max
        if self.default is not None:
            data["default"] = (
                list(self.default) if isinstance(self.default, tuple) else self.default
            )
        if self.required:
            data["required"] = True
        if self.recall:
            data["recall"] = list(self.recall) if len(self.recall) > 1 else self.recall[0]
        if self.first_prompt:
            data["first_prompt"] = self.first_prompt
        if self.card:
            data["card"] = self.card
        if self.quick:
            data["quick"] = True
        if self.when:
            data["when"] = "".join(self.when)
        if self.revisit:
            data["revisit"] = self.revisit
        if self.todo_if is not None:
            data["todo_if"] = (
                ("yes" if self.todo_if else "no")
                if isinstance(self.todo_if, bool)
                else self.todo_if
            )
        if self.todo:
            data["todo"] = self.todo
        if self.offer:
            data["offer"] = self.offer
        if self.relies_on:
            data["relies_on"] = (
                list(self.relies_on) if len(self.relies_on) > 1 else self.relies_on[0]
            )
        return data


class Prompts(Protocol):
    """The kinds of prompt the terminal draws (the CLI's asker gives them); a type asks
    its question through one of them. Each returns the answer, None when left blank: as
    the prompt gave it, for the session to check (`QuestionType.check`)."""

    def text(self, question: Question, default: str | None, *, multiline: bool) -> object: ...

    def confirm(self, question: Question, default: bool | None) -> object: ...

    def select(
        self, question: Question, options: Sequence[tuple[str, str]], default: str | None
    ) -> object: ...

    def checkbox(
        self, question: Question, options: Sequence[str], ticked: Sequence[str]
    ) -> object: ...

    def number(self, question: Question, low: int, high: int, default: int | None) -> object: ...


# What a checklist file's question holds of a type's own keys: (choices, min, max).
Spec = tuple[tuple[str, ...], int | None, int | None]
# Reports a problem with one key of the question being read: (key, message).
Report = Callable[[str | None, str], None]


class QuestionType:
    """What every type of question does (see the module's docstring)."""

    name: ClassVar[str]
    seconds: ClassVar[int]  # how long an answer given with care takes
    # The keys of its own a question of this type may have in a checklist file.
    keys: ClassVar[tuple[str, ...]] = ()
    # Answered by typing text (which may be left empty, or written in an editor); over
    # several lines.
    typed: ClassVar[bool] = False
    multiline: ClassVar[bool] = False

    def read_spec(self, raw: Mapping[str, object], report: Report) -> Spec:
        """This type's own keys of a question read from a file; problems are reported,
        and a key that belongs to another type is one."""
        for key in ("choices", "min", "max"):
            if key in raw and key not in self.keys:
                owner = "select or multiselect" if key == "choices" else "type scale"
                report(key, f"'{key}' only goes with {owner}")
        return (), None, None

    def check(self, question: Question, value: object) -> Answer:
        """`value` as stored for `question`; ValueError says what is wrong. None (not
        answered) is returned as is by `check_value`, before this is asked."""
        raise NotImplementedError

    def from_text(self, question: Question, text: str) -> Answer:
        """An answer typed on the command line (`--set c.q=TEXT`)."""
        return self.check(question, text)

    def ask(self, prompts: Prompts, question: Question, default: object) -> object:
        """Ask `question` through one of `prompts`, offering `default`; the answer as the
        prompt gave it (the session checks it)."""
        raise NotImplementedError

    def describe(self, question: Question) -> str:
        """How `checklists show` names the type of `question`."""
        return self.name

    def worksheet(self, question: Question, inline: Callable[[str], str]) -> list[str]:
        """The blank answer of the paper worksheet (Markdown lines; `inline` escapes text)."""
        return ["_" * 60, ""]


class Text(QuestionType):
    name = "text"
    seconds = 45
    typed = True

    def check(self, question: Question, value: object) -> Answer:
        value = self.text(value)
        if has_line_break(value):
            one_line = value.strip()
            if has_line_break(one_line):
                raise ValueError("expected one line of text")
            # Line breaks only around the text (a YAML block, a pasted line): dropped,
            # so no export shows a stray empty line.
            return one_line
        return value

    @staticmethod
    def text(value: object) -> str:
        """`value` as text an answer can hold: a string, whole UTF-8 (ValueError if not)."""
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {describe_value(value)} (quote it)")
        reason = yamlio.bad_text(value)
        if reason:
            raise ValueError(f"{reason}: was it typed in another encoding than UTF-8?")
        return value

    def ask(self, prompts: Prompts, question: Question, default: object) -> object:
        default_text = None if default is None else str(default)
        return prompts.text(question, default_text, multiline=self.multiline)


class LongText(Text):
    name = "long_text"
    seconds = 90
    multiline = True

    def check(self, question: Question, value: object) -> Answer:
        # A line break after the last line (Enter, then Esc Enter to finish) is not text:
        # kept, it showed as an empty line in every export.
        return self.text(value).rstrip("\r\n")

    def worksheet(self, question: Question, inline: Callable[[str], str]) -> list[str]:
        return ["_" * 60, ""] * 4


class Confirm(QuestionType):
    name = "confirm"
    seconds = 10
    YES = ("y", "yes", "true", "1", "on")
    NO = ("n", "no", "false", "0", "off")

    def check(self, question: Question, value: object) -> Answer:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {describe_value(value)}")
        return value

    def from_text(self, question: Question, text: str) -> Answer:
        lowered = text.strip().lower()
        if lowered in self.YES:
            return True
        if lowered in self.NO:
            return False
        raise ValueError(f"expected yes or no, got {yamlio.shown(text)}")

    def ask(self, prompts: Prompts, question: Question, default: object) -> object:
        return prompts.confirm(question, None if default is None else bool(default))

    def worksheet(self, question: Question, inline: Callable[[str], str]) -> list[str]:
        return ["- [ ] yes", "- [ ] no", ""]


class Select(QuestionType):
    name = "select"
    seconds = 15
    keys = ("choices",)

    def read_spec(self, raw: Mapping[str, object], report: Report) -> Spec:
        super().read_spec(raw, report)
        return read_choices(self.name, raw, report), None, None

    def check(self, question: Question, value: object) -> Answer:
        if not isinstance(value, str) or value not in question.choices:
            raise ValueError(f"{yamlio.shown(value)} is not one of: {', '.join(question.choices)}")
        return value

    def ask(self, prompts: Prompts, question: Question, default: object) -> object:
        options = [(c, c) for c in question.choices]
        offered = default if isinstance(default, str) and default in question.choices else None
        return prompts.select(question, options, offered)

    def describe(self, question: Question) -> str:
        return f"{self.name}: {' / '.join(question.choices)}"

    def worksheet(self, question: Question, inline: Callable[[str], str]) -> list[str]:
        return [f"- ( ) {inline(choice)}" for choice in question.choices] + [""]


class MultiSelect(QuestionType):
    name = "multiselect"
    seconds = 20
    keys = ("choices",)

    def read_spec(self, raw: Mapping[str, object], report: Report) -> Spec:
        super().read_spec(raw, report)
        return read_choices(self.name, raw, report), None, None

    def check(self, question: Question, value: object) -> Answer:
        items = value if isinstance(value, (list, tuple)) else None
        if items is None:
            raise ValueError(f"expected a list of choices, got {describe_value(value)}")
        bad = [v for v in items if not isinstance(v, str) or v not in question.choices]
        if bad:
            raise ValueError(
                f"{', '.join(yamlio.shown(b) for b in bad[:5])} not among: "
                f"{', '.join(question.choices)}"
            )
        if len(set(items)) != len(items):
            raise ValueError("a choice is listed twice")
        return list(items)

    def from_text(self, question: Question, text: str) -> Answer:
        return self.check(question, [part.strip() for part in text.split(",") if part.strip()])

    def ask(self, prompts: Prompts, question: Question, default: object) -> object:
        given = default if isinstance(default, (list, tuple)) else ()
        ticked = [c for c in given if c in question.choices]
        return prompts.checkbox(question, question.choices, ticked)

    def describe(self, question: Question) -> str:
        return f"{self.name}: {' / '.join(question.choices)}"

    def worksheet(self, question: Question, inline: Callable[[str], str]) -> list[str]:
        return [f"- [ ] {inline(choice)}" for choice in question.choices] + [""]


class Scale(QuestionType):
    name = "scale"
    seconds = 10
    keys = ("min", "max")
    MAX_STEPS = 100

    def read_spec(self, raw: Mapping[str, object], report: Report) -> Spec:
        super().read_spec(raw, report)
        low, high = raw.get("min", SCALE_LOW), raw.get("max", SCALE_HIGH)
        for key, value in (("min", low), ("max", high)):
            if isinstance(value, bool) or not isinstance(value, int):
                report(key, f"'{key}' must be a whole number")
        if not (isinstance(low, int) and isinstance(high, int)):
            return (), None, None
        if not low < high:
            report("min", "'min' must be less than 'max'")
        elif high - low > self.MAX_STEPS:
            report("max", f"a scale may span at most {self.MAX_STEPS} steps")
        return (), low, high

    def check(self, question: Question, value: object) -> Answer:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {describe_value(value)}")
        low, high = question.min, question.max
        if low is not None and high is not None and not low <= value <= high:
            raise ValueError(f"{value} is outside {low}..{high}")
        return value

    def from_text(self, question: Question, text: str) -> Answer:
        try:
            number = int(text.strip())
        except ValueError:
            raise ValueError(f"expected a whole number, got {yamlio.shown(text)}") from None
        return self.check(question, number)

    def ask(self, prompts: Prompts, question: Question, default: object) -> object:
        low, high = question.low, question.high
        pick = default if isinstance(default, int) and low <= default <= high else None
        return prompts.number(question, low, high, pick)

    def describe(self, question: Question) -> str:
        return f"{self.name} {question.min}–{question.max}"

    def worksheet(self, question: Question, inline: Callable[[str], str]) -> list[str]:
        return ["  ".join(f"( ) {n}" for n in range(question.low, question.high + 1)), ""]


def read_choices(name: str, raw: Mapping[str, object], report: Report) -> tuple[str, ...]:
    """The `choices` of a select or multiselect read from a file (problems reported)."""
    found = raw.get("choices")
    if not isinstance(found, list) or not found:
        report("choices", f"type {name} needs a non-empty 'choices' list")
    elif not all(isinstance(c, str) and c.strip() for c in found):
        report("choices", "every choice must be text (quote words like yes/no)")
    elif len(set(found)) != len(found):
        report("choices", "choices repeat")
    else:
        return tuple(found)
    return ()


def describe_value(value: object) -> str:
    """What kind of value an answer was, for a message ("true/false", "a list")."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"a number ({yamlio.shown(value)})"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _registry(types: Iterable[QuestionType]) -> dict[str, QuestionType]:
    return {t.name: t for t in types}


# Every type of question, by the name a checklist file gives it.
TYPES = _registry([Text(), LongText(), Confirm(), Select(), MultiSelect(), Scale()])
