"""One checklist file's text into checklists, with every problem and its line.

The text is read by the guarded YAML reader (`yamlio`): plain values only, so a
`!!python/...` tag is reported as a problem, never executed, and size, depth and alias
limits hold. A file holds one checklist, or several as YAML documents (`---` between
them, as `coach export checklists` writes). What a document names of other checklists
(`recall`, `relies_on`, `revisit`) is kept as a `Reference`, checked by `checklist_load`
once every file is read, even when the document itself is not valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TypeGuard

from callback_coach.core.checklist import (
    CARD_SLOTS,
    CHECKLIST_KEYS,
    PHASES,
    QUESTION_KEYS,
    Checklist,
    is_id,
    parse_when,
)
from callback_coach.core.questions import EMPTY, OFFERS, TYPES, Question
from callback_coach.store import yamlio
from callback_coach.store.datafile import Problem
from callback_coach.store.yamlio import Node, shown

EMPTY_FILE = "the file is empty"
# The keys of a question that name another checklist's question (CHECKLIST.QUESTION).
QUESTION_REFERENCES = ("recall", "relies_on")


@dataclass(frozen=True)
class Reference:
    """A name a question gives of something outside itself: a question of any checklist
    (`recall`, `relies_on`: CHECKLIST.QUESTION), a checklist (`revisit`), or the id of a
    question in any checklist or a detail of the round (`when`: medium, time, ...)."""

    line: int
    label: str  # the question, as a problem names it: "question 'calm'"
    key: str  # recall, relies_on, revisit, or when (a question id, or a round's detail)
    name: str
    value: str | None = None  # (when: the answer it compares with)

    @property
    def names_a_checklist(self) -> bool:
        return self.key == "revisit"


@dataclass
class Parsed:
    """One document of a checklist file: its checklist (None when it is not valid), the
    names it declares (its id and its questions' ids, read even from an invalid one, so
    that a name of them is not taken for a missing one) and the names it gives of others."""

    file: str
    document: int | None
    line: int  # where its id is
    checklist: Checklist | None
    declared_id: str | None
    declared_questions: frozenset[str]
    references: list[Reference] = field(default_factory=list)


class _Collector:
    def __init__(self, file: str, document: int | None) -> None:
        self.file = file
        self.document = document
        self.problems: list[Problem] = []
        self.references: list[Reference] = []

    def add(self, node: Node | None, message: str) -> None:
        line = node.line if node is not None else None
        self.problems.append(Problem(self.file, line, message, self.document))


def parse_text(text: str, file: str) -> tuple[list[Parsed], list[Problem]]:
    """Every document of a checklist file, through the guarded YAML reader, and every
    problem of each on its own."""
    try:
        documents = yamlio.load_all(text)
    except yamlio.ReadError as exc:
        return [], [Problem(file, exc.line, exc.message)]
    # An empty document (e.g. after a last `---`) is a null scalar: nothing to read.
    filled = [d for d in documents if d.value is not None and d.value.python() is not None]
    if not filled:
        return [], [Problem(file, None, EMPTY_FILE)]
    parsed: list[Parsed] = []
    problems: list[Problem] = []
    for number, document in enumerate(filled, start=1):
        out = _Collector(file, number if len(filled) > 1 else None)
        for line, key in document.duplicates:
            out.problems.append(Problem(file, line, f"duplicate key {shown(key)}", out.document))
        item = _parse(document.value, out)
        problems += out.problems
        if item is not None:
            parsed.append(item)
    return parsed, problems


def _parse(root: Node, out: _Collector) -> Parsed | None:
    """The document's checklist (None in `Parsed` when it has a problem); None when the
    document is not even a mapping."""
    if root.kind != "map":
        out.add(root, "a checklist must be a mapping")
        return None
    fields: dict[str, Node] = {}
    for key_node, value_node in root.value:
        key = key_node.value
        if key not in CHECKLIST_KEYS:
            out.add(key_node, f"unknown key {shown(key)} (allowed: {', '.join(CHECKLIST_KEYS)})")
            continue
        fields[key] = value_node

    def value(key: str) -> tuple[Node | None, object]:
        node = fields.get(key)
        return (None, None) if node is None else (node, node.python())

    cid_node, cid = value("id")
    if cid is None:
        out.add(root, "missing 'id'")
    elif not is_id(cid):
        out.add(cid_node, f"id {shown(cid)} must use lower-case letters, digits, '-' or '_'")
    title_node, title = value("title")
    if not isinstance(title, str) or not title.strip():
        out.add(title_node or root, "missing 'title' (a short text)")
    phase_node, phase = value("phase")
    if phase not in PHASES:
        out.add(phase_node or root, f"'phase' must be one of: {', '.join(PHASES)}")
    version_node, version = value("version")
    if version is None:
        version = 1
    elif isinstance(version, bool) or not isinstance(version, int) or version < 1:
        out.add(version_node, "'version' must be a whole number from 1 up")
    intro_node, intro = value("intro")
    if intro is not None and not isinstance(intro, str):
        out.add(intro_node, "'intro' must be text")
    closing_node, closing = value("closing")
    if closing is None:
        closing = False
    elif not isinstance(closing, bool):
        out.add(closing_node, "'closing' must be true or false")

    questions: list[Question] = []
    seen: dict[str, int] = {}
    q_node = fields.get("questions")
    if q_node is None:
        out.add(root, "missing 'questions' (a list)")
    elif q_node.kind != "seq" or not q_node.value:
        out.add(q_node, "'questions' must be a non-empty list")
    else:
        for item in q_node.value:
            # A repeated id is reported whatever else is wrong with either question.
            qid = _question_id(item)
            if qid is not None and qid in seen:
                out.add(item, f"duplicate question id {shown(qid)} (first on line {seen[qid]})")
            elif qid is not None:
                seen[qid] = item.line
            question = _parse_question(item, out, closing=closing is not False)
            if question is not None:
                questions.append(question)

    parsed = Parsed(
        out.file,
        out.document,
        (cid_node or root).line,
        None,
        cid if is_id(cid) else None,
        frozenset(seen),
        out.references,
    )
    if (
        out.problems
        or not is_id(cid)
        or not isinstance(title, str)
        or not isinstance(phase, str)
        or not isinstance(version, int)
        or not isinstance(closing, bool)
        or q_node is None
    ):
        return parsed
    checklist = Checklist(
        id=cid,
        title=title.strip(),
        phase=phase,
        version=version,
        questions=tuple(questions),
        intro=intro.strip() if isinstance(intro, str) and intro.strip() else None,
        closing=closing,
    )
    if closing and checklist.phase != "prep":
        out.add(closing_node, "a closing check must have phase prep")
        return parsed
    if closing:
        for question in questions:
            if question.type != "confirm" or not (question.revisit or question.offer):
                out.add(
                    q_node,
                    f"question {shown(question.id)}: a closing check asks yes/no questions "
                    "(type confirm), each with what a no leads to ('offer' or 'revisit')",
                )
                return parsed
    return replace(parsed, checklist=checklist)


def _read_todo(
    raw: dict[str, object],
    qtype: object,
    choices: tuple[str, ...],
    label: str,
    nodes: dict[str, Node],
    node: Node,
    out: _Collector,
) -> tuple[bool | str | None, str | None]:
    """A question's `todo_if` (the answer that makes a to-do, as stored: True/False for a
    yes/no, a choice, or "empty") and `todo` (its words)."""
    if "todo_if" not in raw and "todo" not in raw:
        return None, None
    todo = raw.get("todo")
    words = todo.strip() if isinstance(todo, str) else ""
    if not words or "\n" in words:
        out.add(nodes.get("todo", node), f"{label}: 'todo' gives the to-do in one line of text")
        words = ""
    value = raw.get("todo_if")
    if qtype == "confirm":
        answers: dict[object, bool] = {"yes": True, "no": False, True: True, False: False}
        if value not in answers:
            out.add(nodes.get("todo_if", node), f"{label}: 'todo_if' is yes or no here")
            return None, None
        return answers[value], words or None
    if qtype in ("select", "multiselect"):
        if not isinstance(value, str) or value not in choices:
            out.add(nodes.get("todo_if", node), f"{label}: 'todo_if' must be one of the choices")
            return None, None
        return value, words or None
    if value != EMPTY:
        out.add(nodes.get("todo_if", node), f"{label}: 'todo_if' is {EMPTY} for this type")
        return None, None
    return EMPTY, words or None


def _question_refs(
    raw: dict[str, object], key: str, label: str, nodes: dict[str, Node], out: _Collector
) -> tuple[str, ...]:
    """The CHECKLIST.QUESTION names of `key` (one, or a list), each kept as a reference."""
    found = raw.get(key)
    if found is None:
        return ()
    items = [found] if isinstance(found, str) else found
    if not isinstance(items, list) or not all(_is_question_name(name) for name in items):
        out.add(nodes[key], f"{label}: '{key}' names CHECKLIST.QUESTION (or a list of them)")
        return ()
    names = tuple(name for name in items if _is_question_name(name))
    out.references += [Reference(nodes[key].line, label, key, name) for name in names]
    return names


def _is_question_name(value: object) -> TypeGuard[str]:
    """True when `value` is CHECKLIST.QUESTION, two ids."""
    return (
        isinstance(value, str)
        and value.count(".") == 1
        and all(is_id(part) for part in value.split("."))
    )


def _question_id(node: Node) -> str | None:
    """The id a question node gives, when it is text (read before the question is)."""
    if node.kind != "map":
        return None
    ids = [value.value for key, value in node.value if key.value == "id"]
    return ids[-1] if ids and isinstance(ids[-1], str) else None


def _parse_question(node: Node, out: _Collector, *, closing: bool) -> Question | None:
    """One question (`closing`: of a closing check, where `offer` and `revisit` act)."""
    if node.kind != "map":
        out.add(node, "each question must be a mapping with at least 'id' and 'prompt'")
        return None
    raw: dict[str, object] = {}
    nodes: dict[str, Node] = {}
    before = len(out.problems)
    for key_node, value_node in node.value:
        key = key_node.value
        if key not in QUESTION_KEYS:
            out.add(
                key_node, f"unknown question key {shown(key)} (allowed: {', '.join(QUESTION_KEYS)})"
            )
            continue
        raw[key] = value_node.python()
        nodes[key] = value_node

    qid = raw.get("id")
    label = f"question {shown(qid)}" if isinstance(qid, str) else "question"
    if qid is None:
        out.add(node, "question without 'id'")
    elif not is_id(qid):
        out.add(
            nodes["id"], f"question id {shown(qid)} must use lower-case letters, digits, '-' or '_'"
        )
    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        out.add(nodes.get("prompt", node), f"{label}: missing 'prompt'")
    help_text = raw.get("help")
    if help_text is not None and (not isinstance(help_text, str) or "\n" in help_text.strip()):
        out.add(nodes["help"], f"{label}: 'help' must be one line of text")
    qtype = raw.get("type", "text")
    kind = TYPES.get(qtype) if isinstance(qtype, str) else None
    if kind is None:
        out.add(
            nodes.get("type", node),
            f"{label}: unknown type {shown(qtype)} (allowed: {', '.join(TYPES)})",
        )
    required = raw.get("required", False)
    if not isinstance(required, bool):
        out.add(nodes["required"], f"{label}: 'required' must be true or false")

    def report(key: str | None, message: str) -> None:
        out.add(nodes.get(key or "", node), f"{label}: {message}")

    choices, low, high = kind.read_spec(raw, report) if kind is not None else ((), None, None)

    recall = _question_refs(raw, "recall", label, nodes, out)

    first_prompt = raw.get("first_prompt")
    if first_prompt is not None and (not isinstance(first_prompt, str) or not first_prompt.strip()):
        out.add(nodes["first_prompt"], f"{label}: 'first_prompt' must be text")

    card = raw.get("card")
    if card is not None and card not in CARD_SLOTS:
        out.add(nodes["card"], f"{label}: 'card' must be one of: {', '.join(CARD_SLOTS)}")

    quick = raw.get("quick", False)
    if not isinstance(quick, bool):
        out.add(nodes["quick"], f"{label}: 'quick' must be true or false")
    when = parse_when(raw.get("when"))
    if "when" in raw and when is None:
        out.add(
            nodes["when"],
            f"{label}: 'when' is QUESTION=VALUE or QUESTION!=VALUE (medium=self-tape)",
        )
    elif when is not None:
        out.references.append(Reference(nodes["when"].line, label, "when", when[0], when[2]))
    revisit = raw.get("revisit")
    if revisit is not None and not is_id(revisit):
        out.add(nodes["revisit"], f"{label}: 'revisit' names a checklist id")
    elif is_id(revisit):
        out.references.append(Reference(nodes["revisit"].line, label, "revisit", revisit))
    todo_if, todo = _read_todo(raw, qtype, choices, label, nodes, node, out)
    offer = raw.get("offer")
    if offer is not None and offer not in OFFERS:
        out.add(nodes["offer"], f"{label}: 'offer' must be one of: {', '.join(OFFERS)}")
    for key in ("offer", "revisit"):
        if key in raw and not closing:
            out.add(
                nodes[key],
                f"{label}: '{key}' acts only in the closing check (a checklist with "
                "'closing: true')",
            )
    relies_on = _question_refs(raw, "relies_on", label, nodes, out)
    if offer == "question" and not relies_on:
        out.add(nodes["offer"], f"{label}: 'offer: question' asks the question of 'relies_on'")

    if (
        len(out.problems) > before
        or not isinstance(qid, str)
        or not isinstance(prompt, str)
        or not isinstance(qtype, str)
        or not isinstance(required, bool)
        or not isinstance(quick, bool)
    ):
        return None
    question = Question(
        id=qid,
        prompt=prompt.strip(),
        type=qtype,
        help=help_text.strip() if isinstance(help_text, str) and help_text.strip() else None,
        choices=choices,
        min=low,
        max=high,
        required=required,
        recall=recall,
        first_prompt=first_prompt.strip() if isinstance(first_prompt, str) else None,
        card=card if isinstance(card, str) else None,
        quick=quick,
        when=when,
        revisit=revisit if is_id(revisit) else None,
        todo_if=todo_if,
        todo=todo,
        offer=offer if isinstance(offer, str) else None,
        relies_on=relies_on,
    )
    if "default" in raw and raw["default"] is not None:
        try:
            default = question.kind.check(question, raw["default"])
        except ValueError as exc:
            out.add(nodes["default"], f"{label}: bad 'default': {exc}")
            return None
        question = replace(
            question, default=tuple(default) if isinstance(default, list) else default
        )
    return question
