"""Answer values: checking them against a question's type, and reading answers files.

The same rules apply everywhere an answer comes from: a prompt, an answers file, `--set`,
a checklist default, or a default carried over from an earlier round.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from callback_coach.core.checklist import Checklist
from callback_coach.core.questions import TYPES, Answer, Question
from callback_coach.errors import AnswersError, NotFoundError
from callback_coach.store import yamlio
from callback_coach.store.facts import Json, answer_text, is_answered

# Checked answers: checklist id -> question id -> answer (`validate_answers` gives them).
Answers = dict[str, dict[str, Answer]]
# Answers as given (an answers file, `--set`), before they are checked against the
# checklists: any value the file held.
Given = dict[str, dict[str, object]]


def check_value(question: Question, value: object) -> Answer:
    """Return `value` as stored for `question`, or raise ValueError saying what is wrong.

    `None` means "not answered" and is returned as is.
    """
    if value is None:
        return None
    kind = TYPES.get(question.type)
    if kind is None:
        raise ValueError(f"unknown question type {question.type!r}")
    return kind.check(question, value)


format_answer = answer_text  # (an answer as a person reads it: store.facts.answer_text)


def json_safe(value: object) -> Json:
    """`value` (as read from YAML) as plain JSON data: dates as ISO text, bytes as base64,
    sets as lists, non-finite numbers as text, every key as text."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((json_safe(v) for v in value), key=str)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        import base64  # (with struct, ~1 ms at every start: for bytes, which YAML never gives)

        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (str, int, float)):
        return value
    return str(value)  # no value YAML reads: its text, as `facts.plain_data` gives it


def one_line(text: str) -> str:
    """A text's lines as one line, each line's spacing squeezed: a line that ends a
    sentence or a clause is followed by a space, any other by "; " (the card, the lines
    read back before a closing question)."""
    joined = ""
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if not joined:
            joined = line
        elif joined[-1] in ".,;:!?…-–—":
            joined += " " + line
        else:
            joined += "; " + line
    return joined


def is_given(value: object) -> bool:
    """True for an answer a note keeps: anything but nothing and blank text."""
    return isinstance(value, list) or is_answered(value)


def parse_text_value(question: Question, text: str) -> Answer:
    """Turn a command-line string (`--set c.q=TEXT`) into a value for `question`."""
    kind = TYPES.get(question.type)
    if kind is None:
        raise ValueError(f"unknown question type {question.type!r}")
    return kind.from_text(question, text)


def load_answers_text(text: str, source: str) -> Given:
    """Read an answers document (YAML or JSON): checklist id -> question id -> value.

    A whole note's front matter is accepted too: its `answers` mapping is used. Every
    problem (a key written twice, a key that is not text, text that is not valid Unicode,
    a wrong shape) is listed in one AnswersError.
    """
    if text.lstrip().startswith(("{", "[")):
        data, problems = _load_json(text, source)
    else:
        try:
            document = yamlio.load(text)
        except yamlio.ReadError as exc:
            raise AnswersError(_where(source, exc)) from None
        data = document.value
        problems = [
            f"{source}:{line}: key {yamlio.shown(key)} is written twice"
            for line, key in document.duplicates
        ]
    if data is None:
        data = {}
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        data = data["answers"]
    if not isinstance(data, dict) or not all(
        isinstance(v, dict) or v is None for v in data.values()
    ):
        raise AnswersError(
            f"{source}: answers must be a mapping of checklist id to a mapping of question id to answer"
        )
    for cid, values in data.items():
        if not isinstance(cid, str):
            problems.append(f"{source}: checklist id {yamlio.shown(cid)} is not text (quote it)")
        for qid in values or {}:
            if not isinstance(qid, str):
                problems.append(
                    f"{source}: {cid}: question id {yamlio.shown(qid)} is not text (quote it)"
                )
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise AnswersError(f"{len(problems)} {noun} with {source}", details=problems)
    return {cid: dict(values or {}) for cid, values in data.items()}


def _load_json(text: str, source: str) -> tuple[object, list[str]]:
    """JSON answers, with the problems YAML's reader would also find: keys written twice,
    nesting too deep, numbers too long, text that is not valid Unicode (a lone `\\ud800`)."""
    problems: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        mapping: dict[str, object] = {}
        for key, value in items:
            if key in mapping:
                problems.append(f"{source}: key {yamlio.shown(key)} is written twice")
            mapping[key] = value
        return mapping

    def whole_number(digits: str) -> int:
        if len(digits) > yamlio.MAX_INT_DIGITS:
            raise AnswersError(f"{source}: a number with more than {yamlio.MAX_INT_DIGITS} digits")
        return int(digits)

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_int=whole_number)
    except json.JSONDecodeError as exc:
        raise AnswersError(f"{source}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise AnswersError(f"{source}: nested too deeply") from None
    # Depth and text, walked without recursion.
    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > yamlio.MAX_DEPTH:
            raise AnswersError(f"{source}: nested more than {yamlio.MAX_DEPTH} levels deep")
        if isinstance(value, str):
            reason = yamlio.bad_text(value)
            if reason:
                problems.append(f"{source}: {where or 'a value'}: {reason}")
        elif isinstance(value, dict):
            for key, item in value.items():
                reason = yamlio.bad_text(key)
                if reason:
                    problems.append(f"{source}: a key: {reason}")
                stack.append((item, f"{where}.{key}" if where else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, where, depth + 1) for item in value)
    return data, problems


def validate_answers(
    checklists: Iterable[Checklist],
    given: Mapping[str, Mapping[str, object]],
    *,
    source: str = "answers",
    require_complete: bool = True,
) -> Answers:
    """Check `given` against `checklists`; return the cleaned answers or raise listing all problems.

    Unknown checklist or question ids, wrongly typed values, choices that are not offered,
    and (with `require_complete`) required questions left without an answer are problems.
    """
    checklists = list(checklists)
    by_id = {c.id: c for c in checklists}
    problems: list[str] = []
    cleaned: Answers = {c.id: {} for c in checklists}
    invalid: set[tuple[str, str]] = set()
    for cid, values in given.items():
        checklist = by_id.get(cid)
        if checklist is None:
            problems.append(
                f"{source}: unknown checklist {yamlio.shown(cid)} (this session uses: {', '.join(by_id) or 'none'})"
            )
            continue
        for qid, value in values.items():
            question = checklist.question(str(qid))
            if question is None:
                problems.append(f"{source}: {cid}.{qid}: unknown question")
                continue
            try:
                cleaned[cid][question.id] = check_value(question, value)
            except ValueError as exc:
                problems.append(f"{source}: {cid}.{qid}: {exc}")
                invalid.add((cid, question.id))
    if require_complete:
        for checklist in checklists:
            for question in checklist.questions:
                if (checklist.id, question.id) in invalid:
                    continue
                if question.required and not is_answered(cleaned[checklist.id].get(question.id)):
                    problems.append(
                        f"{source}: {checklist.id}.{question.id}: required, but no answer"
                    )
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise AnswersError(f"{len(problems)} {noun} with the answers", details=problems)
    return cleaned


def read_answers(spec: str) -> tuple[Given, str]:
    """Answers from `spec`: a YAML or JSON file's path, or `-` for standard input.

    At most `yamlio.MAX_BYTES` are read (more is a problem, and the rest is never read),
    decoded as strict UTF-8. Returns the answers and the name to use for them in messages.
    """
    if spec == "-":
        source = "<stdin>"
        if sys.stdin is None:  # started with standard input closed
            raise NotFoundError("cannot read the answers: standard input is closed")
        try:
            stream = getattr(sys.stdin, "buffer", None)
            if stream is not None:
                data = yamlio.read_limited(stream)
            else:  # a text stream (an embedding program's): held to the same limit
                text = sys.stdin.read(yamlio.MAX_BYTES + 1)
                data = text.encode("utf-8", "surrogatepass")
                if len(text) > yamlio.MAX_BYTES:
                    raise yamlio.ReadError(f"larger than {yamlio.MAX_BYTES} characters")
            return load_answers_text(yamlio.decode(data), source), source
        except yamlio.ReadError as exc:
            raise AnswersError(_where(source, exc)) from None
        except OSError as exc:
            raise NotFoundError(f"cannot read standard input: {exc.strerror or exc}") from None
    path = Path(spec).expanduser()
    try:
        with path.open("rb") as handle:
            data = yamlio.read_limited(handle)
        text = yamlio.decode(data)
    except FileNotFoundError:
        raise NotFoundError(f"answers file not found: {path}") from None
    except yamlio.ReadError as exc:
        raise AnswersError(_where(str(path), exc)) from None
    except OSError as exc:
        raise NotFoundError(f"cannot read answers file {path}: {exc.strerror or exc}") from None
    return load_answers_text(text, str(path)), str(path)


def _where(source: str, exc: yamlio.ReadError) -> str:
    return f"{source}:{exc.line}: {exc.message}" if exc.line else f"{source}: {exc.message}"
